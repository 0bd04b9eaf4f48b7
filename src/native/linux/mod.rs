//! Native mode on Linux: the Landlock rules (`rules`), the seccomp filter
//! (`filter`), the helper process that applies them and executes the
//! command (`helper`), and porta's side: asking the kernel's Landlock ABI
//! and starting the helper.

mod filter;
pub mod helper;
mod rules;

use super::policy::Policy;
use crate::exit;
use std::process::Command;
use std::time::Duration;

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
    match helper_command(policy) {
        // The helper's death on a timeout takes its PID namespace with it.
        Ok(helper) => super::run_child(helper, timeout),
        Err(e) => {
            eprintln!("porta: {e}");
            exit::REFUSED
        }
    }
}

/// The helper process that confines itself to `policy` and executes its
/// command; its stdio is the caller's to choose.
pub fn helper_command(policy: &Policy) -> Result<Command, String> {
    let json = serde_json::to_string(policy).map_err(|e| e.to_string())?;
    let mut helper = Command::new("/proc/self/exe");
    helper.arg("__native-helper").env_clear().env(helper::POLICY_VAR, json);
    Ok(helper)
}
