//! `porta`: runs WebAssembly modules under porta-interp.

mod cli;
mod commands;
mod exit;
mod profile;

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
    };
    ExitCode::from(code)
}
