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
        cli::Command::Inspect(args) => commands::inspect::run(args),
        cli::Command::Validate(args) => commands::validate::run(args),
        cli::Command::Build(args) => commands::build::run(args),
        cli::Command::NativeHelper => porta::native::helper_main(),
        cli::Command::Version => {
            output::print(&format!("porta {}\n", env!("CARGO_PKG_VERSION")));
            0
        }
    };
    ExitCode::from(code)
}
