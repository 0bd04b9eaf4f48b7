//! The load-time check of a module's imports against a capability set
//! (SPEC §3), shared by `validate` and `run --strict-imports`.
//!
//! An import is not a call. wasi-libc imports `path_open`, `fd_seek`,
//! `fd_readdir`... into every program, whether it opens files or not. Those
//! functions need `fs` or `fs.write` only for files and directories, and
//! files exist only under a mount: without one the guest holds no descriptor
//! but stdio (whose use needs `io`, checked as such), so such a call answers
//! EBADF or ESPIPE exactly as it would with `fs` granted. Without a mount,
//! then, a denied import that needs nothing but `fs`/`fs.write` is *unused
//! here*, not denied. Everything else that is denied stays denied: clocks,
//! random, sockets, and also the argument list and environment, which the
//! guest would see empty.

use porta_interp::wasi::{self, Capabilities};

/// What the check says of one import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// Denied, and harmless because there is no mount (the capabilities
    /// it would need).
    Unused(Capabilities),
    /// Denied: the capabilities of which it needs one.
    Denied(Capabilities),
    /// Porta does not link it; why.
    NotProvided(&'static str),
}

impl Status {
    /// Whether the import lets the module pass.
    pub fn passes(&self) -> bool {
        matches!(self, Status::Ok | Status::Unused(_))
    }

    /// The keyword of `--json` reports.
    pub fn keyword(&self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Unused(_) => "unused",
            Status::Denied(_) => "denied",
            Status::NotProvided(_) => "not provided",
        }
    }

    /// The capabilities it needs, if any.
    pub fn needs(&self) -> Vec<&'static str> {
        match self {
            Status::Unused(c) | Status::Denied(c) => c.names(),
            _ => Vec::new(),
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Ok => f.write_str("ok"),
            Status::Unused(c) => write!(f, "unused here ({}: no mounts)", c.names().join(" or ")),
            Status::Denied(c) => write!(f, "DENIED (needs {})", c.names().join(" or ")),
            Status::NotProvided(why) => write!(f, "NOT PROVIDED ({why})"),
        }
    }
}

/// What the file-system capabilities gate: nothing but files and directories.
const FILES_ONLY: Capabilities = Capabilities::FS.union(Capabilities::FS_WRITE);

/// Checks one import against `caps`; `mounts` says whether any `-v` mount
/// exists in the run.
pub fn check(module: &str, name: &str, caps: Capabilities, mounts: bool) -> Status {
    if module != wasi::MODULE {
        return Status::NotProvided("porta links only wasi_snapshot_preview1");
    }
    match Capabilities::for_wasi_import(name) {
        None => Status::NotProvided("not a WASI preview 1 function"),
        Some(needs) if caps.allows(needs) => Status::Ok,
        Some(needs) if !mounts && FILES_ONLY.contains(needs) => Status::Unused(needs),
        Some(needs) => Status::Denied(needs),
    }
}

/// The closing line of a report with unused imports (their names, and what
/// they need together): why they pass.
pub fn unused_note(unused: &[&str], needs: Capabilities) -> String {
    format!(
        "note: {} only reach files, and there are none without a mount (-v): they can only fail (EBADF), \
         so they do not fail validation; with a mount they need {}",
        unused.join(", "),
        needs.names().join(" and ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const AGENT: Capabilities = Capabilities::IO.union(Capabilities::PROCESS);

    #[test]
    fn file_calls_are_unused_without_mounts_and_denied_with_one() {
        for name in ["path_open", "fd_seek", "fd_readdir", "fd_filestat_get", "path_unlink_file", "fd_pwrite"] {
            let needs = Capabilities::for_wasi_import(name).unwrap();
            assert_eq!(check(wasi::MODULE, name, AGENT, false), Status::Unused(needs), "{name}");
            assert_eq!(check(wasi::MODULE, name, AGENT, true), Status::Denied(needs), "{name}");
        }
        // A read-only mount grants fs but not fs.write: writes are denied.
        let ro = AGENT | Capabilities::FS;
        assert_eq!(check(wasi::MODULE, "path_open", ro, true), Status::Ok);
        assert_eq!(check(wasi::MODULE, "path_unlink_file", ro, true), Status::Denied(Capabilities::FS_WRITE));
    }

    #[test]
    fn other_denials_stay_denied_without_mounts() {
        for (name, cap) in [
            ("clock_time_get", Capabilities::CLOCK),
            ("random_get", Capabilities::RANDOM),
            ("sock_send", Capabilities::NET),
            ("environ_get", Capabilities::ENV),
        ] {
            assert_eq!(check(wasi::MODULE, name, AGENT, false), Status::Denied(cap), "{name}");
        }
        // fd_write with neither io nor fs could only fail on stdio too.
        let none = check(wasi::MODULE, "fd_write", Capabilities::PROCESS, false);
        assert!(matches!(none, Status::Denied(_)), "{none:?}");
        assert!(!check("env", "f", Capabilities::all(), false).passes());
        assert!(!check(wasi::MODULE, "nope", Capabilities::all(), false).passes());
        assert_eq!(check(wasi::MODULE, "proc_exit", Capabilities::empty(), false), Status::Ok);
    }
}
