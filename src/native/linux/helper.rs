//! The helper process (`porta __native-helper`) that confines itself and
//! executes the command. Porta starts it afresh rather than confining the
//! child between fork and exec (`pre_exec`): a forked copy of a possibly
//! multi-threaded porta may only make async-signal-safe calls, while
//! building Landlock rules allocates and walks directories, and a PID
//! namespace needs a fork after `unshare` anyway, with a process left to
//! reap. The helper is single-threaded from its first instruction.
//!
//! With user namespaces: the helper (H) unshares user, PID and mount
//! namespaces (mapping the caller's own uid and gid only) and forks the
//! namespace's init (C, PID 1), which mounts a fresh /proc (other processes'
//! /proc/PID entries then do not exist) and forks the command's process (G),
//! which confines itself and executes. C reaps every orphan and exits with
//! G's status (128+N for a signal) as soon as G ends; the kernel then kills
//! whatever G left behind. H and C die with their parent (PDEATHSIG), so
//! killing the helper ends the whole sandbox. Without user namespaces the
//! helper confines itself and executes the command in place.

use crate::exit;
use crate::native::policy::Policy;
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;

/// The environment variable that carries the policy (JSON) to the helper.
pub const POLICY_VAR: &str = "PORTA_NATIVE_POLICY";
/// Set (to anything) in porta's environment, skips the namespaces, so tests
/// can check that Landlock alone still holds where user namespaces are not
/// allowed.
pub const NO_NAMESPACES_VAR: &str = "PORTA_TEST_NO_NAMESPACES";

pub fn main() -> u8 {
    // SAFETY: prctl with constant arguments.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) };
    let Some(policy) = std::env::var(POLICY_VAR).ok().and_then(|s| serde_json::from_str::<Policy>(&s).ok()) else {
        eprintln!("porta: __native-helper is started by `porta run COMMAND`, not by hand");
        return exit::REFUSED;
    };
    // SAFETY: getppid cannot fail.
    if unsafe { libc::getppid() } as u32 != policy.parent {
        return exit::REFUSED; // porta is already gone
    }
    let namespaces = if policy.test_no_namespaces { Err("PORTA_TEST_NO_NAMESPACES is set".into()) } else { enter_namespaces() };
    if let Err(e) = namespaces {
        if !policy.quiet {
            eprintln!(
                "porta: note: no PID namespace ({e}): Landlock hides other processes' /proc entries instead (the command's children cannot read their own /proc/PID)"
            );
        }
        return confine_and_exec(&policy, false);
    }
    let mut alive = [0; 2];
    // SAFETY: pipe writes two descriptors into the array.
    if unsafe { libc::pipe2(alive.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        eprintln!("porta: cannot create a pipe: {}", std::io::Error::last_os_error());
        return exit::REFUSED;
    }
    // SAFETY: the helper is single-threaded, so the child may run any code.
    match unsafe { libc::fork() } {
        -1 => {
            eprintln!("porta: cannot fork: {}", std::io::Error::last_os_error());
            exit::REFUSED
        }
        0 => {
            // SAFETY: closing our copy of the write end.
            unsafe { libc::close(alive[1]) };
            init(&policy, alive[0])
        }
        pid => {
            // The write end stays open as long as the helper lives.
            // SAFETY: closing our copy of the read end.
            unsafe { libc::close(alive[0]) };
            wait_for(pid)
        }
    }
}

/// New user, PID and mount namespaces, with the caller's uid and gid mapped
/// to themselves.
fn enter_namespaces() -> Result<(), String> {
    // SAFETY: plain syscalls.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    // SAFETY: unshare with constant flags.
    if unsafe { libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWPID | libc::CLONE_NEWNS) } != 0 {
        return Err(format!("user namespaces unavailable: {}", std::io::Error::last_os_error()));
    }
    let write = |file: &str, text: String| {
        std::fs::write(file, text).map_err(|e| format!("cannot write {file}: {e}"))
    };
    write("/proc/self/setgroups", "deny".into())?;
    write("/proc/self/uid_map", format!("{uid} {uid} 1"))?;
    write("/proc/self/gid_map", format!("{gid} {gid} 1"))
}

/// PID 1 of the namespace.
fn init(policy: &Policy, alive: i32) -> u8 {
    // SAFETY: prctl and poll on our own descriptor.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        // The helper died before PDEATHSIG was set: nobody would kill us.
        let mut p = libc::pollfd { fd: alive, events: libc::POLLIN, revents: 0 };
        if libc::poll(&mut p, 1, 0) != 0 {
            libc::_exit(exit::REFUSED as i32);
        }
        libc::close(alive);
    }
    let fresh_proc = mount_proc();
    hide_sockets(policy);
    // SAFETY: single-threaded.
    match unsafe { libc::fork() } {
        -1 => {
            eprintln!("porta: cannot fork: {}", std::io::Error::last_os_error());
            exit::REFUSED
        }
        0 => confine_and_exec(policy, fresh_proc),
        command => loop {
            let mut status = 0;
            // SAFETY: waitpid writes the status.
            let pid = unsafe { libc::waitpid(-1, &mut status, 0) };
            if pid == command {
                return decode(status);
            }
            if pid < 0 && std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
                return exit::REFUSED;
            }
        },
    }
}

/// A private mount tree and a /proc of this PID namespace. False if the
/// kernel refuses (a /proc with hidden parts, as in some containers): the
/// old /proc stays, and the Landlock rules leave out other processes'
/// entries in it (see `rules`).
fn mount_proc() -> bool {
    let c = |s: &str| CString::new(s).unwrap_or_default();
    let (root, proc_, none) = (c("/"), c("/proc"), c("none"));
    // SAFETY: valid C strings; mount only changes this mount namespace.
    unsafe {
        libc::mount(none.as_ptr(), root.as_ptr(), std::ptr::null(), libc::MS_REC | libc::MS_PRIVATE, std::ptr::null()) == 0
            && libc::mount(
                c("proc").as_ptr(),
                proc_.as_ptr(),
                c("proc").as_ptr(),
                libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                std::ptr::null(),
            ) == 0
    }
}

/// Well-known unix sockets that open the way out of any sandbox (the
/// Docker daemon is root; the user's D-Bus and systemd manager start
/// unconfined processes), hidden in the command's mount namespace because
/// Landlock before ABI 9 cannot deny connecting to a socket file:
/// directories under an empty read-only tmpfs, single sockets under
/// /dev/null. Best effort and only with namespaces (see the README).
fn hide_sockets(policy: &Policy) {
    // SAFETY: plain syscall.
    let uid = unsafe { libc::getuid() };
    let dirs = [format!("/run/user/{uid}"), "/run/dbus".into(), "/run/podman".into(), "/run/containerd".into(), "/tmp/.X11-unix".into()];
    let files = ["/run/docker.sock", "/var/run/docker.sock", "/run/systemd/private", "/run/systemd/io.systemd.ManagedOOM"];
    let c = |s: &str| CString::new(s).unwrap_or_default();
    let mounted = |p: &str| policy.writable.iter().chain(&policy.read_only).any(|m| std::path::Path::new(p).starts_with(m) || m.starts_with(p));
    for d in dirs.iter().filter(|d| std::path::Path::new(d.as_str()).is_dir() && !mounted(d)) {
        let (target, fs, opts) = (c(d), c("tmpfs"), c("mode=0555,size=4k"));
        // SAFETY: valid C strings; only this mount namespace changes.
        unsafe {
            libc::mount(fs.as_ptr(), target.as_ptr(), fs.as_ptr(), libc::MS_RDONLY | libc::MS_NOSUID | libc::MS_NODEV, opts.as_ptr().cast());
        }
    }
    for f in files.iter().filter(|f| std::path::Path::new(f).exists() && !mounted(f)) {
        let (null, target) = (c("/dev/null"), c(f));
        // SAFETY: as above.
        unsafe {
            libc::mount(null.as_ptr(), target.as_ptr(), std::ptr::null(), libc::MS_BIND, std::ptr::null());
        }
    }
}

fn wait_for(pid: i32) -> u8 {
    loop {
        let mut status = 0;
        // SAFETY: waitpid writes the status.
        let r = unsafe { libc::waitpid(pid, &mut status, 0) };
        if r == pid {
            return decode(status);
        }
        if r < 0 && std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            return exit::REFUSED;
        }
    }
}

/// The exit status of a process as a shell reports it.
fn decode(status: i32) -> u8 {
    if libc::WIFSIGNALED(status) {
        exit::SIGNAL_BASE.saturating_add(libc::WTERMSIG(status) as u8)
    } else {
        libc::WEXITSTATUS(status) as u8
    }
}

/// Landlock, then seccomp, then exec. Returns only on failure.
fn confine_and_exec(policy: &Policy, fresh_proc: bool) -> u8 {
    let program = policy.program.display();
    if let Err(e) = super::rules::apply(policy, fresh_proc) {
        eprintln!("porta: cannot confine {program} with Landlock: {e}");
        return exit::REFUSED;
    }
    if let Err(e) = super::filter::apply(&policy.net) {
        eprintln!("porta: cannot install the seccomp filter for {program}: {e}");
        return exit::REFUSED;
    }
    // porta ignores these while the command runs; the command must not.
    // No core files: a crash must not write outside the rules through the
    // kernel's core pattern.
    // SAFETY: resetting dispositions and a limit.
    unsafe {
        let none = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        libc::setrlimit(libc::RLIMIT_CORE, &none);
        // Descriptors porta was started with, beyond stdio, stay out: an
        // open file is not checked again by Landlock.
        libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, libc::CLOSE_RANGE_CLOEXEC);
        libc::signal(libc::SIGINT, libc::SIG_DFL);
        libc::signal(libc::SIGQUIT, libc::SIG_DFL);
    }
    let e = exec(policy);
    let (code, why) = match e.raw_os_error() {
        Some(libc::ENOENT) => (exit::NOT_FOUND, "it does not exist (or its #! interpreter does not)".to_string()),
        Some(libc::EACCES) => (exit::NOT_RUNNABLE, "permission denied (by its mode, or outside what the sandbox may read)".into()),
        Some(libc::ENOEXEC) => {
            (exit::NOT_RUNNABLE, "not a binary this system runs, and no #! line (run it with its interpreter: porta run sh -- FILE)".into())
        }
        _ => (exit::NOT_RUNNABLE, e.to_string()),
    };
    eprintln!("porta: cannot execute {program}: {why}");
    code
}

/// execve, not execvp: no PATH search (the program is resolved already) and
/// no silent retry through /bin/sh of a file the kernel will not run.
fn exec(policy: &Policy) -> std::io::Error {
    let c = |b: &[u8]| CString::new(b).map_err(|_| std::io::Error::from_raw_os_error(libc::EINVAL));
    let build = || -> Result<(CString, Vec<CString>, Vec<CString>), std::io::Error> {
        let program = c(policy.program.as_os_str().as_bytes())?;
        let argv = std::iter::once(policy.argv0.as_bytes()).chain(policy.args.iter().map(|a| a.as_bytes())).map(c).collect::<Result<_, _>>()?;
        let envp = policy.env.iter().map(|(k, v)| c(format!("{k}={v}").as_bytes())).collect::<Result<_, _>>()?;
        Ok((program, argv, envp))
    };
    let (program, argv, envp) = match build() {
        Ok(t) => t,
        Err(e) => return e,
    };
    let mut argv_p: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
    argv_p.push(std::ptr::null());
    let mut envp_p: Vec<*const libc::c_char> = envp.iter().map(|a| a.as_ptr()).collect();
    envp_p.push(std::ptr::null());
    // SAFETY: NUL-terminated strings and NULL-terminated arrays that outlive the call.
    unsafe { libc::execve(program.as_ptr(), argv_p.as_ptr(), envp_p.as_ptr()) };
    std::io::Error::last_os_error()
}
