//! Command-line syntax (clap). Each command's options live here; what they
//! do lives in `commands/`.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "porta", version, about = "Run untrusted WebAssembly in a sandbox")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a WebAssembly module.
    Run(RunArgs),
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// The module to run (`.wasm`).
    pub module: PathBuf,

    /// Call this exported function instead of `_start`; the remaining
    /// arguments are its parameters, typed from its signature.
    #[arg(long, value_name = "FUNC")]
    pub invoke: Option<String>,

    /// Stop after exactly N WebAssembly instructions (exit 152).
    #[arg(long, value_name = "N")]
    pub step_limit: Option<u64>,

    /// Do not print the metrics line.
    #[arg(long, short)]
    pub quiet: bool,

    /// Arguments: the invoked function's parameters (after `--`, nothing is
    /// read as an option).
    #[arg(allow_negative_numbers = true)]
    pub args: Vec<String>,
}
