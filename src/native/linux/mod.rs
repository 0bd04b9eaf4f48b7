//! Native mode on Linux: the Landlock rules (`rules`), the seccomp filter
//! (`filter`), the helper process that applies them and executes the
//! command (`helper`), and porta's side: asking the kernel's Landlock ABI
//! and starting and waiting for the helper.

mod filter;
pub mod helper;
mod rules;

use super::policy::Policy;
use crate::exit;
use std::process::Command;
use std::time::{Duration, Instant};

/// Lowers the Landlock ABI porta believes the kernel has, so tests can
/// take the refusal paths on a kernel that has everything.
pub const PRETEND_ABI_VAR: &str = "PORTA_TEST_LANDLOCK_ABI";

/// The kernel's Landlock ABI version (0: none), or less if
/// `PORTA_TEST_LANDLOCK_ABI` says so.
pub fn landlock_abi() -> i32 {
    // SAFETY: landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)
    // only returns the version.
    let real = unsafe { libc::syscall(libc::SYS_landlock_create_ruleset, std::ptr::null::<u8>(), 0usize, 1u32) };
    let real = if real < 0 { 0 } else { real as i32 };
    match std::env::var(PRETEND_ABI_VAR).ok().and_then(|v| v.parse::<i32>().ok()) {
        Some(p) => real.min(p.max(0)),
        None => real,
    }
}

/// Starts the helper on `policy` and waits for it; the command's status.
pub fn run(policy: &Policy, timeout: Option<Duration>) -> u8 {
    let json = match serde_json::to_string(policy) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("porta: {e}");
            return exit::REFUSED;
        }
    };
    // The terminal sends these to the command itself; porta stays to clean
    // up after it (as system(3) does).
    // SAFETY: setting dispositions; restored below.
    let old = unsafe { (libc::signal(libc::SIGINT, libc::SIG_IGN), libc::signal(libc::SIGQUIT, libc::SIG_IGN)) };
    let code = spawn_and_wait(&json, timeout);
    // SAFETY: restoring what was there.
    unsafe {
        libc::signal(libc::SIGINT, old.0);
        libc::signal(libc::SIGQUIT, old.1);
    }
    code
}

fn spawn_and_wait(json: &str, timeout: Option<Duration>) -> u8 {
    let mut child = match Command::new("/proc/self/exe").arg("__native-helper").env_clear().env(helper::POLICY_VAR, json).spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("porta: cannot start the sandbox helper: {e}");
            return exit::REFUSED;
        }
    };
    let deadline = timeout.map(|t| (t, Instant::now() + t));
    let status = loop {
        match deadline {
            None => break child.wait(),
            Some((limit, at)) => match child.try_wait() {
                Ok(Some(s)) => break Ok(s),
                Ok(None) if Instant::now() >= at => {
                    // The helper's death takes its PID namespace with it.
                    let _ = child.kill();
                    let _ = child.wait();
                    eprintln!("porta: timed out after {}s", limit.as_secs_f64());
                    return exit::TIMEOUT;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                Err(e) => break Err(e),
            },
        }
    };
    use std::os::unix::process::ExitStatusExt;
    match status {
        Ok(s) => match (s.code(), s.signal()) {
            (Some(c), _) => c as u8,
            (None, Some(sig)) => exit::SIGNAL_BASE.saturating_add(sig as u8),
            _ => exit::REFUSED,
        },
        Err(e) => {
            eprintln!("porta: lost the sandbox helper: {e}");
            exit::REFUSED
        }
    }
}
