//! `porta`: the command line; everything it runs is in the library.

use porta::{cli, commands, exit, mcp, output};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
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
        cli::Command::Run(args) => commands::run::run(args),
        cli::Command::Serve(args) => mcp::serve(args),
        cli::Command::Resume(args) => commands::resume::run(args),
        cli::Command::Inspect(args) => commands::inspect::run(args),
        cli::Command::Validate(args) => commands::validate::run(args),
        cli::Command::Build(args) => commands::build::run(args),
        cli::Command::Init(args) => commands::init::run(args),
        cli::Command::Up(args) => commands::up::run(args),
        cli::Command::Ps(args) => commands::instances::ps(args),
        cli::Command::Stop(args) => commands::instances::stop(args),
        cli::Command::Kill(args) => commands::instances::kill(args),
        cli::Command::Logs(args) => commands::instances::logs(args),
        cli::Command::Rm(args) => commands::instances::rm(args),
        cli::Command::NativeHelper => porta::native::helper_main(),
        cli::Command::Instance { id } => porta::instances::supervisor::main(&id),
        cli::Command::Version => {
            output::print(&format!("porta {}\n", env!("CARGO_PKG_VERSION")));
            0
        }
    };
    ExitCode::from(code)
}
