//! Capabilities: the nine permissions of SPEC §3 as a `bitflags` set, their
//! names, and which WASI functions each one gates.

use bitflags::bitflags;
use std::fmt;

bitflags! {
    /// What a guest may do. Checked at every WASI call, against the resource
    /// the call touches.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub struct Capabilities: u16 {
        /// Read and write stdin, stdout, stderr; poll them.
        const IO = 1 << 0;
        /// Open files and directories for reading under a mount, read,
        /// stat, readdir, readlink.
        const FS = 1 << 1;
        /// Anything that changes a file or directory.
        const FS_WRITE = 1 << 2;
        /// See the argument list; `proc_raise`.
        const PROCESS = 1 << 3;
        /// See the environment.
        const ENV = 1 << 4;
        /// Read clocks, sleep on a clock.
        const CLOCK = 1 << 5;
        /// `random_get`.
        const RANDOM = 1 << 6;
        /// Sockets and the `porta.http` builtin.
        const NET = 1 << 7;
        /// The `porta.exec` builtin.
        const EXEC = 1 << 8;
    }
}

const NAMES: [(&str, Capabilities); 9] = [
    ("io", Capabilities::IO),
    ("fs", Capabilities::FS),
    ("fs.write", Capabilities::FS_WRITE),
    ("process", Capabilities::PROCESS),
    ("env", Capabilities::ENV),
    ("clock", Capabilities::CLOCK),
    ("random", Capabilities::RANDOM),
    ("net", Capabilities::NET),
    ("exec", Capabilities::EXEC),
];

impl Capabilities {
    /// Parses a comma-separated list of names (`io,fs.write`).
    pub fn parse_list(list: &str) -> Result<Capabilities, String> {
        let mut caps = Capabilities::empty();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            caps |= Capabilities::named(name).ok_or_else(|| {
                format!("unknown capability `{name}` (valid: {})", Capabilities::valid_names())
            })?;
        }
        Ok(caps)
    }

    pub fn named(name: &str) -> Option<Capabilities> {
        NAMES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
    }

    pub fn valid_names() -> String {
        NAMES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    }

    /// The names of the capabilities in the set, in canonical order.
    pub fn names(self) -> Vec<&'static str> {
        NAMES.iter().filter(|(_, c)| self.contains(*c)).map(|(n, _)| *n).collect()
    }

    /// The capabilities of which a WASI Preview 1 function needs at least
    /// one; empty for functions that are always allowed, `None` for names
    /// that are not WASI Preview 1 functions. Descriptor calls depend on the
    /// descriptor at run time (stdio needs `io`, files need `fs`), so for the
    /// load-time check either suffices.
    pub fn for_wasi_import(name: &str) -> Option<Capabilities> {
        let c = |caps| Some(caps);
        match name {
            "args_get" | "args_sizes_get" | "proc_raise" => c(Capabilities::PROCESS),
            "environ_get" | "environ_sizes_get" => c(Capabilities::ENV),
            "clock_res_get" | "clock_time_get" => c(Capabilities::CLOCK),
            "random_get" => c(Capabilities::RANDOM),
            "proc_exit" | "sched_yield" | "fd_close" | "fd_fdstat_get" | "fd_prestat_get"
            | "fd_prestat_dir_name" | "fd_renumber" | "fd_fdstat_set_rights" => c(Capabilities::empty()),
            "fd_read" | "fd_write" | "fd_fdstat_set_flags" => c(Capabilities::IO | Capabilities::FS | Capabilities::FS_WRITE),
            "poll_oneoff" => c(Capabilities::IO | Capabilities::CLOCK | Capabilities::FS),
            "fd_pread" | "fd_seek" | "fd_tell" | "fd_readdir" | "fd_advise" | "fd_filestat_get"
            | "path_open" | "path_filestat_get" | "path_readlink" => c(Capabilities::FS),
            "fd_pwrite" | "fd_allocate" | "fd_datasync" | "fd_sync" | "fd_filestat_set_size"
            | "fd_filestat_set_times" | "path_create_directory"
            | "path_filestat_set_times" | "path_link" | "path_remove_directory" | "path_rename"
            | "path_symlink" | "path_unlink_file" => c(Capabilities::FS_WRITE),
            "sock_accept" | "sock_recv" | "sock_send" | "sock_shutdown" => c(Capabilities::NET),
            _ => None,
        }
    }
}

impl Capabilities {
    /// Whether this set allows a call that needs any one of `needs` (an
    /// empty `needs` is always allowed).
    pub fn allows(self, needs: Capabilities) -> bool {
        needs.is_empty() || self.intersects(needs)
    }
}

impl fmt::Display for Capabilities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.names().join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        let all = Capabilities::parse_list("io,fs,fs.write,process,env,clock,random,net,exec").unwrap();
        assert_eq!(all, Capabilities::all());
        assert_eq!(Capabilities::parse_list(&all.to_string()).unwrap(), all);
        let err = Capabilities::parse_list("io,disk").unwrap_err();
        assert!(err.contains("unknown capability `disk`") && err.contains("fs.write"));
    }

    #[test]
    fn every_preview1_function_is_classified() {
        for name in super::super::FUNCTIONS {
            assert!(Capabilities::for_wasi_import(name).is_some(), "{name}");
        }
        assert_eq!(Capabilities::for_wasi_import("not_a_call"), None);
    }
}
