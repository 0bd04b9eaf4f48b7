//! Native mode (SPEC §7, issue 18): `porta run COMMAND` runs an ordinary
//! program under OS restrictions instead of a WebAssembly module. This
//! module owns the dispatch test (which targets are native), the run loop
//! (temp dir, restarts, timeout); `policy` turns the flags into what the
//! sandbox enforces, `keystores` builds the read rules around key stores,
//! `resolve` finds the program like a shell, `error` names every refusal,
//! `linux` enforces it (Landlock, seccomp, namespaces), `seatbelt` writes
//! the macOS profile of the same policy and `macos` runs it.

pub mod error;
pub mod exec;
pub mod keystores;
#[cfg(target_os = "linux")]
pub mod linux;
#[cfg(target_os = "macos")]
mod macos;
pub mod policy;
pub mod resolve;
pub mod seatbelt;

use crate::cli::{Restart, RunArgs};
use crate::exit;
use error::NativeError;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Whether `porta run TARGET` names a native command: anything but a
/// `.wasm` name or a file that starts with the WebAssembly magic.
pub fn is_native(target: &Path) -> bool {
    if target.extension().is_some_and(|e| e.eq_ignore_ascii_case("wasm")) {
        return false;
    }
    if !target.is_file() {
        return true;
    }
    let mut magic = [0u8; 4];
    match std::fs::File::open(target) {
        Ok(mut f) => f.read_exact(&mut magic).is_err() || magic != *b"\0asm",
        // Unreadable: let the resolver say whether it can be executed.
        Err(_) => true,
    }
}

/// The hidden `__native-helper` command.
pub fn helper_main() -> u8 {
    #[cfg(target_os = "linux")]
    return linux::helper::main();
    #[cfg(not(target_os = "linux"))]
    {
        eprintln!("porta: {}", NativeError::UnsupportedOs);
        exit::REFUSED
    }
}

/// `porta run COMMAND`.
pub fn run(args: RunArgs) -> u8 {
    match prepare_and_run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("porta: {e}");
            e.code()
        }
    }
}

fn prepare_and_run(args: &RunArgs) -> Result<u8, NativeError> {
    policy::check_flags(args)?;
    let timeout = match args.sandbox.timeout {
        None | Some(0.0) => None,
        Some(t) if t > 0.0 && t.is_finite() && t < 1e9 => Some(Duration::from_secs_f64(t)),
        Some(t) => return Err(NativeError::BadOption(format!("bad --timeout `{t}`: expected a number of seconds (0: no limit)"))),
    };
    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    {
        let _ = timeout;
        return Err(NativeError::UnsupportedOs);
    }
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    {
        #[cfg(target_os = "linux")]
        let abi = linux::landlock_abi();
        #[cfg(target_os = "macos")]
        let abi = 0;
        let tmp = TempDir::new()?;
        let (policy, notes) = policy::build(args, tmp.path(), abi)?;
        #[cfg(target_os = "linux")]
        {
            let missing = policy::missing_features(abi, &policy.net);
            if !missing.is_empty() {
                return Err(NativeError::Unenforceable { missing, abi });
            }
        }
        #[cfg(target_os = "macos")]
        if !Path::new(macos::SANDBOX_EXEC).exists() {
            return Err(NativeError::Setup(format!("{} is missing: porta cannot confine the command", macos::SANDBOX_EXEC)));
        }
        if !args.quiet {
            for n in &notes {
                eprintln!("porta: note: {n}");
            }
        }
        if args.detach {
            return Ok(crate::instances::supervisor::launch(args));
        }
        let restart = crate::restart::Policy { restart: args.restart, max_restarts: args.max_restarts, quiet: args.quiet };
        let (code, restarts) = crate::restart::supervise(&restart, || {
            #[cfg(target_os = "linux")]
            return linux::run(&policy, timeout);
            #[cfg(target_os = "macos")]
            return macos::run(&policy, timeout);
        });
        if !args.quiet && args.restart != Restart::No {
            eprintln!("porta: restarts: {restarts}");
        }
        Ok(code)
    }
}

/// Runs the sandbox's first process and waits for it (killing it when
/// `timeout` elapses): the command's status as a shell reports it. porta
/// ignores SIGINT and SIGQUIT meanwhile: the terminal sends them to the
/// command itself, and porta stays to clean up after it (as system(3)
/// does).
#[cfg(any(target_os = "linux", target_os = "macos"))]
fn run_child(mut cmd: std::process::Command, timeout: Option<Duration>) -> u8 {
    use std::os::unix::process::ExitStatusExt;
    // SAFETY: setting dispositions; restored below.
    let old = unsafe { (libc::signal(libc::SIGINT, libc::SIG_IGN), libc::signal(libc::SIGQUIT, libc::SIG_IGN)) };
    let restore = || {
        // SAFETY: restoring what was there.
        unsafe {
            libc::signal(libc::SIGINT, old.0);
            libc::signal(libc::SIGQUIT, old.1);
        }
    };
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            restore();
            eprintln!("porta: cannot start the sandbox: {e}");
            return exit::REFUSED;
        }
    };
    let deadline = timeout.map(|t| (t, std::time::Instant::now() + t));
    let mut forwarded = false;
    // Short first polls: most commands are quick.
    let mut poll = Duration::from_millis(1);
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Ok(s),
            Ok(None) => {}
            Err(e) => break Err(e),
        }
        if let Some((limit, at)) = deadline {
            if std::time::Instant::now() >= at {
                let _ = child.kill();
                let _ = child.wait();
                restore();
                eprintln!("porta: timed out after {}s", limit.as_secs_f64());
                return exit::TIMEOUT;
            }
        }
        // SIGTERM to porta is for the command: the helper's death takes
        // its namespace and the command with it.
        if crate::terminate::requested() && !forwarded {
            forwarded = true;
            // SAFETY: signalling our own child, which has not been reaped.
            unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
        }
        std::thread::sleep(poll);
        poll = (poll * 2).min(Duration::from_millis(10));
    };
    restore();
    match status {
        Ok(s) => match (s.code(), s.signal()) {
            (Some(c), _) => c as u8,
            (None, Some(sig)) => exit::SIGNAL_BASE.saturating_add(sig as u8),
            _ => exit::REFUSED,
        },
        Err(e) => {
            eprintln!("porta: lost the sandbox: {e}");
            exit::REFUSED
        }
    }
}

/// The command's private temporary directory (mode 0700), removed with
/// everything in it when the run ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, NativeError> {
        use std::os::unix::fs::DirBuilderExt;
        let base = std::env::temp_dir();
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
        let path = base.join(format!("porta-native-{}-{nanos:09}", std::process::id()));
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&path)
            .map_err(|e| NativeError::Setup(crate::commands::io_error("create the temporary directory", &path, &e)))?;
        let path = std::fs::canonicalize(&path).unwrap_or(path);
        Ok(TempDir(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // remove_dir_all does not follow symlinks the command left there.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
