//! `porta`: the command line; everything it runs is in the library.
//!
//! Where std can read the arguments without its runtime's start (glibc and
//! macOS), porta starts from C's `main` and does that start's work itself,
//! minus one part: locating the main thread's stack guard, which reads and
//! parses `/proc/self/maps` and was 5 % of the time of a whole `porta run`
//! of an empty module. Without it, a stack overflow on the main thread ends
//! in SIGSEGV instead of a message and SIGABRT.
#![cfg_attr(any(target_os = "macos", all(target_os = "linux", target_env = "gnu")), no_main)]

use porta::{cli, commands, exit, mcp, output};

#[cfg(any(target_os = "macos", all(target_os = "linux", target_env = "gnu")))]
#[no_mangle]
extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    // What std's start does, in its order: standard descriptors that are
    // closed are opened on /dev/null, so that no file porta opens later
    // becomes a standard stream; a write to a closed pipe is an error, not
    // SIGPIPE.
    for fd in 0..3 {
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF)
            && unsafe { libc::open(c"/dev/null".as_ptr(), libc::O_RDWR) } != fd
        {
            std::process::abort();
        }
    }
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    // A panic was reported by the hook; it must not unwind into C.
    let code = std::panic::catch_unwind(porta_main).unwrap_or(101);
    // std's end flushes stdout; a C `main` returns straight to `exit`.
    let _ = std::io::Write::flush(&mut std::io::stdout());
    code.into()
}

#[cfg(not(any(target_os = "macos", all(target_os = "linux", target_env = "gnu"))))]
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(porta_main())
}

fn porta_main() -> u8 {
    let cli = match cli::Cli::from_env() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print and succeed; anything else is a
            // refusal before start.
            let code = if e.use_stderr() { exit::REFUSED } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let code = match cli.command {
        cli::Command::Run(cli::Deferred(args)) => commands::run::run(args),
        cli::Command::Serve(cli::Deferred(args)) => mcp::serve(args),
        cli::Command::Resume(cli::Deferred(args)) => commands::resume::run(args),
        cli::Command::Inspect(cli::Deferred(args)) => commands::inspect::run(args),
        cli::Command::Validate(cli::Deferred(args)) => commands::validate::run(args),
        cli::Command::Build(cli::Deferred(args)) => commands::build::run(args),
        cli::Command::Init(cli::Deferred(args)) => commands::init::run(args),
        cli::Command::Up(cli::Deferred(args)) => commands::up::run(args),
        cli::Command::Ps(cli::Deferred(args)) => commands::instances::ps(args),
        cli::Command::Stop(cli::Deferred(args)) => commands::instances::stop(args),
        cli::Command::Kill(cli::Deferred(args)) => commands::instances::kill(args),
        cli::Command::Logs(cli::Deferred(args)) => commands::instances::logs(args),
        cli::Command::Rm(cli::Deferred(args)) => commands::instances::rm(args),
        cli::Command::NativeHelper => porta::native::helper_main(),
        cli::Command::Instance { id } => porta::instances::supervisor::main(&id),
        cli::Command::Version => {
            output::print(&format!("porta {}\n", env!("CARGO_PKG_VERSION")));
            0
        }
    };
    code
}
