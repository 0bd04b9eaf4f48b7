//! `porta`: the command line; everything it runs is in the library.

use porta::{cli, commands, exit, mcp, output};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::Cli::from_env() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print and succeed; anything else is a
            // refusal before start.
            let code = if e.use_stderr() { exit::REFUSED } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
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
    ExitCode::from(code)
}
