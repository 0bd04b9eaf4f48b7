//! WASI Preview 1 (`wasi_snapshot_preview1`), gated by [`Capabilities`].
//!
//! [`WasiCtx`] holds what a guest may see: arguments, environment, mounts
//! (preopened directories), its descriptors and its standard streams.
//! [`add_to_linker`] defines all 46 functions. Every call first checks the
//! capability for the resource it touches; a denied call returns `ENOTCAPABLE`
//! (76) without touching the host and is recorded once in
//! [`WasiCtx::denials`]. File system access goes through handles of mounted
//! directories only, resolved beneath their handles (see `resolve.rs`).

mod abi;
mod calls;
mod caps;
mod fd;
mod guest;
mod resolve;
mod rights;
mod snapshot;
mod stdio;

pub use abi::Errno;
pub use caps::Capabilities;
pub use snapshot::WasiState;
pub use stdio::CapturedOutput;

use crate::linker::Linker;
use crate::trap::Trap;
use crate::types::{FuncType, ValType};
use crate::value::Val;
use fd::{Desc, FdTable};
use std::path::Path;
use std::time::Instant;

/// The module name of WASI Preview 1 imports.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// Every WASI Preview 1 function, in witx order.
pub const FUNCTIONS: [&str; 46] = [
    "args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get",
    "clock_time_get", "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get",
    "fd_fdstat_set_flags", "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size",
    "fd_filestat_set_times", "fd_pread", "fd_prestat_get", "fd_prestat_dir_name", "fd_pwrite",
    "fd_read", "fd_readdir", "fd_renumber", "fd_seek", "fd_sync", "fd_tell", "fd_write",
    "path_create_directory", "path_filestat_get", "path_filestat_set_times", "path_link",
    "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
    "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise", "sched_yield", "random_get",
    "sock_accept", "sock_recv", "sock_send", "sock_shutdown",
];

/// Most mounts one guest may have.
const MAX_MOUNTS: usize = 256;

/// Gives the WASI functions their context inside the store's data.
pub trait WasiView {
    fn wasi(&mut self) -> &mut WasiCtx;
}

impl WasiView for WasiCtx {
    fn wasi(&mut self) -> &mut WasiCtx {
        self
    }
}

/// A deterministic run: clocks advance with executed steps, random bytes
/// come from a seeded generator.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deterministic {
    rng: u64,
    /// Virtual time spent in `poll_oneoff` sleeps.
    slept_ns: u64,
}

/// What one guest sees of the world.
pub struct WasiCtx {
    caps: Capabilities,
    args: Vec<String>,
    env: Vec<String>,
    fds: FdTable,
    deterministic: Option<Deterministic>,
    start: Instant,
    denials: Vec<(&'static str, Capabilities)>,
    /// Stop before the guest's first read of stdin (see
    /// [`WasiCtxBuilder::pause_before_stdin`]).
    pause_before_stdin: bool,
    /// The first call that read the clock or random bytes.
    entropy: Option<&'static str>,
}

impl WasiCtx {
    /// The first function the guest called that read the clock or random
    /// bytes (or could have: `poll_oneoff`), if any.
    pub fn entropy_read(&self) -> Option<&'static str> {
        self.entropy
    }

    /// Whether `func` with arguments `a` is about to read what stdin holds
    /// or learn how much it holds (`poll_oneoff` counts: it may wait on
    /// stdin). What stdin's metadata says is the same whatever it holds.
    fn reads_stdin(&mut self, func: &str, a: &[u64]) -> bool {
        match func {
            "fd_read" => matches!(self.fds.get(a[0] as u32), Ok(Desc::Stdin(_))),
            "poll_oneoff" => true,
            _ => false,
        }
    }

    pub fn builder() -> WasiCtxBuilder {
        WasiCtxBuilder::default()
    }

    pub fn capabilities(&self) -> Capabilities {
        self.caps
    }

    /// Each denied function once, with the capabilities that would have
    /// allowed it, in the order they were first denied.
    pub fn denials(&self) -> &[(&'static str, Capabilities)] {
        &self.denials
    }

    /// Checks a capability for `func`; records and reports a denial.
    fn allow(&mut self, func: &'static str, needed: Capabilities) -> Result<(), Errno> {
        if self.caps.contains(needed) {
            return Ok(());
        }
        if !self.denials.iter().any(|(f, _)| *f == func) {
            self.denials.push((func, needed));
        }
        Err(Errno::NOTCAPABLE)
    }
}

/// Builds a [`WasiCtx`].
pub struct WasiCtxBuilder {
    caps: Capabilities,
    args: Vec<String>,
    env: Vec<String>,
    stdin: stdio::Input,
    stdout: stdio::Output,
    stderr: stdio::Output,
    mounts: Vec<(fd::Mount, String)>,
    deterministic: Option<u64>,
    pause_before_stdin: bool,
}

impl Default for WasiCtxBuilder {
    fn default() -> Self {
        WasiCtxBuilder {
            caps: Capabilities::empty(),
            args: Vec::new(),
            env: Vec::new(),
            stdin: stdio::Input::Empty,
            stdout: stdio::Output::Discard,
            stderr: stdio::Output::Discard,
            mounts: Vec::new(),
            deterministic: None,
            pause_before_stdin: false,
        }
    }
}

impl WasiCtxBuilder {
    pub fn capabilities(mut self, caps: Capabilities) -> Self {
        self.caps = caps;
        self
    }
    /// The argument list (`argv[0]` included).
    pub fn args(mut self, args: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }
    /// One environment variable.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push(format!("{key}={value}"));
        self
    }
    /// The guest reads the host's stdin and writes to the host's stdout and
    /// stderr, as it writes.
    pub fn inherit_stdio(mut self) -> Self {
        self.stdin = stdio::Input::Host;
        self.stdout = stdio::Output::Stdout;
        self.stderr = stdio::Output::Stderr;
        self
    }
    pub fn inherit_stdout(mut self) -> Self {
        self.stdout = stdio::Output::Stdout;
        self
    }
    pub fn inherit_stderr(mut self) -> Self {
        self.stderr = stdio::Output::Stderr;
        self
    }
    pub fn inherit_stdin(mut self) -> Self {
        self.stdin = stdio::Input::Host;
        self
    }
    /// The guest's stdin is these bytes, then end of input.
    pub fn stdin_bytes(mut self, bytes: Vec<u8>) -> Self {
        self.stdin = stdio::Input::Bytes(std::io::Cursor::new(bytes));
        self
    }
    /// Captures stdout in memory, up to `cap` bytes.
    pub fn capture_stdout(mut self, cap: usize) -> (Self, CapturedOutput) {
        let c = CapturedOutput::new(cap);
        self.stdout = stdio::Output::Capture(c.clone());
        (self, c)
    }
    /// Captures stderr in memory, up to `cap` bytes.
    pub fn capture_stderr(mut self, cap: usize) -> (Self, CapturedOutput) {
        let c = CapturedOutput::new(cap);
        self.stderr = stdio::Output::Capture(c.clone());
        (self, c)
    }
    /// Makes the host directory `host` visible to the guest as `guest`
    /// (read-only unless `writable`). Nothing else of the host's file system
    /// is reachable.
    pub fn mount(mut self, host: &Path, guest: &str, writable: bool) -> Result<Self, String> {
        if self.mounts.len() >= MAX_MOUNTS {
            return Err(format!("at most {MAX_MOUNTS} mounts"));
        }
        let m = fd::Mount::open(host, writable)
            .map_err(|e| format!("cannot mount {}: {e}", host.display()))?;
        self.mounts.push((m, guest.to_string()));
        Ok(self)
    }
    /// Virtual clocks (advanced by executed steps) and seeded random bytes.
    pub fn deterministic(mut self, seed: u64) -> Self {
        self.deterministic = Some(seed);
        self
    }

    /// The guest's first call that would read stdin (or wait on it) asks
    /// to stop before it runs ([`TrapCode::HostPause`](crate::TrapCode)):
    /// a resumable call pauses there, in a state that does not depend on
    /// what stdin will hold (`porta serve --prewarm`).
    pub fn pause_before_stdin(mut self) -> Self {
        self.pause_before_stdin = true;
        self
    }

    pub fn build(self) -> WasiCtx {
        let mut fds = FdTable::new(self.stdin, self.stdout, self.stderr);
        for (mount, guest) in self.mounts {
            // Cannot fail: `mount` keeps the count far below the table's.
            let _ = fds.insert(Desc::preopen(mount, guest), rights::Rights::PREOPEN);
        }
        WasiCtx {
            caps: self.caps,
            args: self.args,
            env: self.env,
            fds,
            deterministic: self.deterministic.map(|seed| Deterministic { rng: seed, slept_ns: 0 }),
            start: Instant::now(),
            denials: Vec::new(),
            pause_before_stdin: self.pause_before_stdin,
            entropy: None,
        }
    }
}

/// Defines every WASI Preview 1 function in `linker`.
pub fn add_to_linker<T: WasiView + 'static>(linker: &mut Linker<T>) {
    linker.reserve(MODULE, calls::TABLE.len());
    for &(name, params, has_result, call) in calls::TABLE {
        let params = params.iter().copied();
        let results = if has_result { vec![ValType::I32] } else { vec![] };
        let entropy = matches!(name, "clock_time_get" | "random_get" | "poll_oneoff");
        linker.func_new(MODULE, name, FuncType::new(params, results), move |mut caller, args, results| {
            let raw: Vec<u64> = args
                .iter()
                .map(|v| match *v {
                    Val::I32(x) => x as u32 as u64,
                    Val::I64(x) => x as u64,
                    _ => 0,
                })
                .collect();
            let steps = caller.store().steps();
            let interrupt = caller.store().interrupt_handle();
            let (mem, data) = caller.memory_and_data_mut("memory");
            let ctx = data.wasi();
            if ctx.pause_before_stdin && ctx.reads_stdin(name, &raw) {
                ctx.pause_before_stdin = false;
                return Err(Trap::Code(crate::TrapCode::HostPause));
            }
            if entropy {
                ctx.entropy.get_or_insert(name);
            }
            let mut cx = calls::Cx { ctx, mem: guest::Guest::new(mem), steps, interrupt };
            let errno = call(&mut cx, &raw)?;
            if let Some(r) = results.first_mut() {
                *r = Val::I32(errno.0 as i32);
            }
            Ok(())
        });
    }
}

/// A guest's exit: `proc_exit(code)` ends the run with this trap.
pub fn exit_code(trap: &Trap) -> Option<i32> {
    match trap {
        Trap::Exit(code) => Some(*code),
        _ => None,
    }
}
