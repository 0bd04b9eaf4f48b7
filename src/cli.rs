//! Command-line syntax (clap). Each command's options live here; what they
//! do lives in `commands/`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "porta", version, about = "Run untrusted WebAssembly in a sandbox")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Parses the process's arguments. The command tree is left for the
    /// exit to free: dropping it was 4 % of the instructions of an empty run.
    pub fn from_env() -> Result<Cli, clap::Error> {
        use clap::{CommandFactory, FromArgMatches};
        let mut cmd = Cli::command();
        let cli = cmd
            .try_get_matches_from_mut(std::env::args_os())
            .and_then(|mut matches| Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut cmd)));
        std::mem::forget(cmd);
        cli
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a WebAssembly module, or a native command under OS restrictions.
    Run(Deferred<RunArgs>),
    /// Serve a WebAssembly agent as an MCP server over stdio.
    Serve(Deferred<ServeArgs>),
    /// Go on with a run from a snapshot written by `run --snapshot`.
    Resume(Deferred<ResumeArgs>),
    /// Show what a module imports, exports and needs, or what a snapshot holds.
    Inspect(Deferred<InspectArgs>),
    /// Check a module and its WASI imports against a capability set.
    Validate(Deferred<ValidateArgs>),
    /// Write a manifest for a module.
    Build(Deferred<BuildArgs>),
    /// Write a porta.toml project file for a module or a native command.
    Init(Deferred<InitArgs>),
    /// Run the project described by porta.toml.
    Up(Deferred<UpArgs>),
    /// List detached instances.
    Ps(Deferred<PsArgs>),
    /// Stop detached instances: SIGTERM, then SIGKILL after a grace period.
    Stop(Deferred<StopArgs>),
    /// Kill detached instances at once (SIGKILL).
    Kill(Deferred<InstanceIds>),
    /// Show a detached instance's output.
    Logs(Deferred<LogsArgs>),
    /// Remove exited instances and their logs.
    Rm(Deferred<RmArgs>),
    /// Print porta's version.
    Version,
    /// Internal: the process that confines itself and then executes a
    /// native command (started by `porta run`, never by hand).
    #[command(name = "__native-helper", hide = true)]
    NativeHelper,
    /// Internal: a detached instance's supervisor (started by `run -d` or
    /// `up -d`, never by hand); reads the command it runs from stdin.
    #[command(name = "__instance", hide = true)]
    Instance { id: String },
}

/// A subcommand's options, declared to clap only when that subcommand is
/// the one parsed (or its help is shown): building all fifteen option sets
/// was a third of a `porta run`'s start-up instructions.
#[derive(Debug)]
pub struct Deferred<T>(pub T);

impl<T: Args> Args for Deferred<T> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.defer(|cmd| keep_about(cmd, T::augment_args))
    }
    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        cmd.defer(|cmd| keep_about(cmd, T::augment_args_for_update))
    }
}

/// Declares the options, keeping the subcommand's own description (the
/// variant's doc comment): the options struct's would otherwise replace it,
/// since it is now applied last.
fn keep_about(cmd: clap::Command, augment: fn(clap::Command) -> clap::Command) -> clap::Command {
    let (about, long) = (cmd.get_about().cloned(), cmd.get_long_about().cloned());
    let cmd = augment(cmd);
    let cmd = match about {
        Some(about) => cmd.about(about),
        None => cmd.about(None),
    };
    match long {
        Some(long) => cmd.long_about(long),
        None => cmd.long_about(None),
    }
}

impl<T: clap::FromArgMatches> clap::FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }
    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Restart {
    No,
    OnFailure,
    Always,
}

/// How a guest is sandboxed: shared by `run` and `serve`.
#[derive(Args, Debug, Clone, Default)]
pub struct SandboxArgs {
    /// Stop after exactly N WebAssembly instructions (exit 152; per call in
    /// serve).
    #[arg(long, value_name = "N")]
    pub step_limit: Option<u64>,

    /// Stop after SECS seconds of wall-clock time (exit 124). 0: no limit.
    /// Default: none for run; 60 per call for serve.
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,

    /// Largest linear memory, in 64 KiB pages; growth past it fails.
    /// Default: none for run; 4096 (256 MiB) per call for serve.
    #[arg(long, value_name = "PAGES")]
    pub max_memory: Option<u64>,

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

    /// Read environment variables from a file (implies env).
    #[arg(long, value_name = "FILE")]
    pub env_file: Vec<PathBuf>,

    /// Like --env, but porta never prints the value (implies env).
    #[arg(long, value_name = "KEY=VALUE")]
    pub secret: Vec<String>,

    /// The manifest (default: <name>.manifest.json beside the module).
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,

    /// Virtual clocks advanced by steps, seeded random: the same module and
    /// input give the same output and step count everywhere.
    #[arg(long)]
    pub deterministic: bool,

    /// Allow outbound network to HOST:PORT (implies net). For a native
    /// command the kernel enforces the PORT only (TCP): host names cannot be
    /// checked by Landlock, so `api.example.com:443` allows port 443 to any
    /// host; UDP is then denied except what DNS needs (see README).
    #[arg(long, value_name = "HOST:PORT")]
    pub allow_net: Vec<String>,

    /// Allow running this command through porta.exec (implies exec).
    #[arg(long, value_name = "CMD")]
    pub allow_exec: Vec<String>,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// The module to run (a file with the WebAssembly magic), or a native
    /// command: a name found on PATH, or a path; its arguments go after `--`.
    #[arg(value_name = "MODULE|COMMAND")]
    pub module: PathBuf,

    /// Native commands: read only the mounts and the system directories a
    /// program needs to start (/usr, /lib*, /bin, /sbin, /etc, /proc, /dev
    /// basics), instead of everything but the key stores.
    #[arg(long)]
    pub strict: bool,

    /// Native commands: no network at all (only unix sockets).
    #[arg(long, conflicts_with = "allow_net")]
    pub no_net: bool,

    /// Call this exported function instead of `_start`; the remaining
    /// arguments are its parameters, typed from its signature.
    #[arg(long, value_name = "FUNC", conflicts_with = "entry")]
    pub invoke: Option<String>,

    /// The function that starts the program (default: the manifest's
    /// `entry`, else `_start`).
    #[arg(long, value_name = "FUNC")]
    pub entry: Option<String>,

    #[command(flatten)]
    pub sandbox: SandboxArgs,

    /// Refuse to start a module that imports a WASI function its
    /// capabilities deny.
    #[arg(long)]
    pub strict_imports: bool,

    /// Restart policy.
    #[arg(long, value_enum, default_value = "no")]
    pub restart: Restart,

    /// Most restarts before giving up.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub max_restarts: u32,

    /// Do not print the metrics line.
    #[arg(long, short)]
    pub quiet: bool,

    /// Run in the background as an instance; prints its id (see `porta ps`).
    #[arg(short, long)]
    pub detach: bool,

    /// When the run stops at --step-limit, --timeout or SIGTERM, write its
    /// whole state to FILE (`porta resume FILE` goes on from there).
    #[arg(long, value_name = "FILE", conflicts_with = "detach")]
    pub snapshot: Option<PathBuf>,

    /// The guest's arguments, or the invoked function's parameters (after
    /// `--`, nothing is read as an option).
    #[arg(allow_negative_numbers = true)]
    pub args: Vec<String>,
}

/// `serve`'s limits per call when none is given: calls come from a client
/// nobody watches, and 8 of them at once must not take the machine. `run`
/// has no default limits.
pub const SERVE_TIMEOUT_SECS: f64 = 60.0;
pub const SERVE_MAX_MEMORY_PAGES: u64 = 4096;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The agent module (`.wasm`).
    pub module: PathBuf,

    #[command(flatten)]
    pub sandbox: SandboxArgs,

    /// Append one JSON line per call to FILE (arguments with secret values
    /// redacted).
    #[arg(long, value_name = "FILE")]
    pub audit: Option<PathBuf>,

    /// Items per page of tools/list, resources/list and prompts/list.
    #[arg(long, value_name = "N", default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..))]
    pub page_size: u32,

    /// Most guest calls running at once; more wait their turn.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_concurrent: u32,

    /// Most calls waiting for a free slot; past it a call is refused at once
    /// with "server busy" (-32000).
    #[arg(long, value_name = "N", default_value_t = 1024)]
    pub max_queue: u32,

    /// Run the agent once, at start, until its first read of stdin, and
    /// start every call from that state instead of from `_start`. Refused
    /// when the agent read the clock or random bytes on the way, unless
    /// --deterministic.
    #[arg(long)]
    pub prewarm: bool,

    /// The guest's arguments, after `--` (a CPython agent: its script).
    #[arg(last = true)]
    pub args: Vec<String>,
}

impl ServeArgs {
    /// The sandbox options with serve's default limits filled in.
    pub fn sandbox(&self) -> SandboxArgs {
        let mut s = self.sandbox.clone();
        s.timeout.get_or_insert(SERVE_TIMEOUT_SECS);
        s.max_memory.get_or_insert(SERVE_MAX_MEMORY_PAGES);
        s
    }
}

#[derive(Args, Debug)]
pub struct ResumeArgs {
    /// The snapshot file.
    pub file: PathBuf,

    /// The module, when it is no longer where the snapshot was taken (it
    /// must be the same module: its SHA-256 is checked).
    #[arg(long, value_name = "MODULE")]
    pub module: Option<PathBuf>,

    /// Mount a host directory again: HOST[:GUEST][:ro]. Every mount the
    /// snapshot had must be given, under the same GUEST path.
    #[arg(short = 'v', long = "volume", value_name = "HOST[:GUEST][:ro]")]
    pub volumes: Vec<String>,

    /// A secret the snapshot's run had: its value is not in the file.
    #[arg(long, value_name = "KEY=VALUE")]
    pub secret: Vec<String>,

    /// Grant capabilities again (the run's own must all be granted: a
    /// snapshot never carries more than resume gives).
    #[arg(long, value_name = "CAP[,CAP]")]
    pub allow: Vec<String>,

    /// Capability profile to grant (default: what the snapshot's run had).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Stop when the total count since the original start reaches N
    /// (exit 152).
    #[arg(long, value_name = "N")]
    pub step_limit: Option<u64>,

    /// Stop after SECS seconds of this resume (exit 124). 0: no limit.
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,

    /// Largest linear memory, in 64 KiB pages.
    #[arg(long, value_name = "PAGES")]
    pub max_memory: Option<u64>,

    /// Write the state again to FILE when this resume stops.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,

    /// Do not print the metrics line.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// The module, or a snapshot file.
    pub module: PathBuf,
    /// The manifest (default: <name>.manifest.json beside the module).
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// The module.
    pub module: PathBuf,
    /// Capability profile to check the imports against (default: the
    /// manifest's capabilities, else ai-agent).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Extra capabilities to grant.
    #[arg(long, value_name = "CAP[,CAP]")]
    pub allow: Vec<String>,
    /// Check as if this directory were mounted, as `run -v` would: implies
    /// fs (and fs.write unless :ro), and file calls then need them.
    #[arg(short = 'v', long = "volume", value_name = "HOST[:GUEST][:ro]")]
    pub volumes: Vec<String>,
    /// The manifest (default: <name>.manifest.json beside the module).
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// The module.
    pub module: PathBuf,
    /// Where to write the manifest (default: <name>.manifest.json beside
    /// the module).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite an existing manifest.
    #[arg(long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// `wasm FILE` or `native COMMAND`; the kind may be left out when the
    /// target says it (a file with the WebAssembly magic, or a `.wasm` name).
    #[arg(value_name = "[KIND] TARGET", num_args = 1..=2, required = true)]
    pub target: Vec<String>,
    /// The arguments the target gets (after `--`).
    #[arg(last = true)]
    pub args: Vec<String>,
    /// Where to write the project file.
    #[arg(short, long, value_name = "FILE", default_value = crate::project::FILE_NAME)]
    pub file: PathBuf,
    /// Overwrite an existing project file.
    #[arg(long)]
    pub force: bool,
}

/// `porta up`: the project file, and run's flags, each overriding the file.
#[derive(Args, Debug)]
pub struct UpArgs {
    /// The project file.
    #[arg(short, long, value_name = "FILE", default_value = crate::project::FILE_NAME)]
    pub file: PathBuf,

    #[command(flatten)]
    pub sandbox: SandboxArgs,

    /// Overrides runtime.entry.
    #[arg(long, value_name = "FUNC")]
    pub entry: Option<String>,
    /// Overrides runtime.restart.
    #[arg(long, value_enum)]
    pub restart: Option<Restart>,
    /// Overrides runtime.max_restarts.
    #[arg(long, value_name = "N")]
    pub max_restarts: Option<u32>,
    /// Native commands: as `run --strict`.
    #[arg(long)]
    pub strict: bool,
    /// Native commands: as `run --no-net`.
    #[arg(long, conflicts_with = "allow_net")]
    pub no_net: bool,
    /// As `run --strict-imports`.
    #[arg(long)]
    pub strict_imports: bool,
    /// Do not print the metrics line.
    #[arg(long, short)]
    pub quiet: bool,
    /// Run in the background as an instance; prints its id.
    #[arg(short, long)]
    pub detach: bool,
    /// Replace runtime.args (after `--`).
    #[arg(last = true)]
    pub args: Vec<String>,
}

#[derive(Args, Debug)]
pub struct PsArgs {
    /// Include exited instances.
    #[arg(short, long)]
    pub all: bool,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

/// Instance ids (or unique prefixes of them).
#[derive(Args, Debug)]
pub struct InstanceIds {
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<String>,
}

#[derive(Args, Debug)]
pub struct StopArgs {
    #[command(flatten)]
    pub ids: InstanceIds,
    /// Seconds to wait after SIGTERM before SIGKILL.
    #[arg(short = 't', long = "time", value_name = "SECS", default_value_t = 10)]
    pub grace: u64,
}

#[derive(Args, Debug)]
pub struct LogsArgs {
    #[arg(value_name = "ID")]
    pub id: String,
    /// Keep printing what the instance writes until it exits.
    #[arg(short, long)]
    pub follow: bool,
    /// Only the last N lines of each stream.
    #[arg(long, value_name = "N")]
    pub tail: Option<usize>,
}

#[derive(Args, Debug)]
pub struct RmArgs {
    #[command(flatten)]
    pub ids: InstanceIds,
    /// Kill a running instance first.
    #[arg(short, long)]
    pub force: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn serve(args: &[&str]) -> ServeArgs {
        match Cli::try_parse_from(["porta", "serve", "m.wasm"].iter().chain(args)).unwrap().command {
            Command::Serve(Deferred(a)) => a,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn serve_has_default_limits_and_run_has_none() {
        let s = serve(&[]).sandbox();
        assert_eq!((s.timeout, s.max_memory), (Some(SERVE_TIMEOUT_SECS), Some(SERVE_MAX_MEMORY_PAGES)));
        let s = serve(&["--timeout", "0", "--max-memory", "8192"]).sandbox();
        assert_eq!((s.timeout, s.max_memory), (Some(0.0), Some(8192)));
        let Command::Run(Deferred(run)) = Cli::try_parse_from(["porta", "run", "m.wasm"]).unwrap().command else { panic!() };
        assert_eq!((run.sandbox.timeout, run.sandbox.max_memory), (None, None));
    }

    #[test]
    fn deferred_options_keep_each_subcommand_description() {
        let mut cli = Cli::command();
        for (name, about) in [("run", "Run a WebAssembly module"), ("kill", "Kill detached instances at once")] {
            let help = cli.find_subcommand_mut(name).unwrap().render_help().to_string();
            assert!(help.starts_with(about), "{name}: {help}");
            assert!(help.contains("Options:"), "{name}: {help}");
        }
    }

    #[test]
    fn help_states_the_serve_defaults() {
        let mut cli = Cli::command();
        let help = cli.find_subcommand_mut("serve").unwrap().render_long_help().to_string();
        assert!(help.contains(&format!("{SERVE_TIMEOUT_SECS} per call for serve")), "{help}");
        assert!(help.contains(&format!("{SERVE_MAX_MEMORY_PAGES} (256 MiB) per call")), "{help}");
        assert_eq!(SERVE_MAX_MEMORY_PAGES * 64 / 1024, 256);
    }
}
