//! Native mode (SPEC §7, issue 18): `porta run COMMAND` runs an ordinary
//! program under OS restrictions instead of a WebAssembly module. This
//! module owns the dispatch test (which targets are native), the run loop
//! (temp dir, restarts, timeout); `policy` turns the flags into what the
//! sandbox enforces, `keystores` builds the read rules around key stores,
//! `resolve` finds the program like a shell, `error` names every refusal,
//! `linux` enforces it (Landlock, seccomp, namespaces) and `seatbelt`
//! writes the macOS profile of the same policy.

pub mod error;
pub mod keystores;
#[cfg(target_os = "linux")]
pub mod linux;
pub mod policy;
pub mod resolve;

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
    #[cfg(not(target_os = "linux"))]
    {
        let _ = timeout;
        return Err(NativeError::UnsupportedOs);
    }
    #[cfg(target_os = "linux")]
    {
        let abi = linux::landlock_abi();
        let tmp = TempDir::new()?;
        let (policy, notes) = policy::build(args, tmp.path(), abi)?;
        let missing = policy::missing_features(abi, &policy.net);
        if !missing.is_empty() {
            return Err(NativeError::Unenforceable { missing, abi });
        }
        if !args.quiet {
            for n in &notes {
                eprintln!("porta: note: {n}");
            }
        }
        let mut restarts = 0;
        loop {
            let code = linux::run(&policy, timeout);
            let again = match args.restart {
                Restart::No => false,
                Restart::OnFailure => code != 0 && !refused(code),
                Restart::Always => !refused(code),
            };
            if !again || restarts >= args.max_restarts {
                if !args.quiet && args.restart != Restart::No {
                    eprintln!("porta: restarts: {restarts}");
                }
                return Ok(code);
            }
            restarts += 1;
            let backoff = Duration::from_millis(100u64 << (restarts - 1).min(6));
            if !args.quiet {
                eprintln!("porta: exit status {code}; restart {restarts} of {} in {backoff:?}", args.max_restarts);
            }
            std::thread::sleep(backoff);
        }
    }
}

/// Statuses a restart cannot change.
fn refused(code: u8) -> bool {
    matches!(code, exit::REFUSED | exit::NOT_RUNNABLE | exit::NOT_FOUND)
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
