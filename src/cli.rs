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
    #[arg(long, value_name = "FUNC", conflicts_with = "entry")]
    pub invoke: Option<String>,

    /// The function that starts the program (default `_start`).
    #[arg(long, value_name = "FUNC")]
    pub entry: Option<String>,

    /// Capability profile: ai-agent (default), worker, full.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Grant capabilities (comma-separated: io, fs, fs.write, process, env,
    /// clock, random, net, exec).
    #[arg(long, value_name = "CAP[,CAP]")]
    pub allow: Vec<String>,

    /// Mount a host directory: HOST[:GUEST][:ro]. Implies fs (and fs.write
    /// unless :ro).
    #[arg(short = 'v', long = "volume", value_name = "HOST[:GUEST][:ro]")]
    pub volumes: Vec<String>,

    /// Set an environment variable for the guest (implies env).
    #[arg(short = 'e', long = "env", value_name = "KEY=VALUE")]
    pub env: Vec<String>,

    /// Virtual clocks advanced by steps, seeded random: the same module and
    /// input give the same output and step count everywhere.
    #[arg(long)]
    pub deterministic: bool,

    /// Stop after exactly N WebAssembly instructions (exit 152).
    #[arg(long, value_name = "N")]
    pub step_limit: Option<u64>,

    /// Do not print the metrics line.
    #[arg(long, short)]
    pub quiet: bool,

    /// The guest's arguments, or the invoked function's parameters (after
    /// `--`, nothing is read as an option).
    #[arg(allow_negative_numbers = true)]
    pub args: Vec<String>,
}
