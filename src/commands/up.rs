//! `porta up`: runs the project in `porta.toml` as `porta run` would, with
//! the file's settings as defaults: a scalar flag replaces the file's value,
//! a list flag (`-v`, `-e`, `--allow`, ...) adds to the file's (an `-e` or
//! `--secret` for a key the file sets replaces that key), and arguments
//! after `--` replace `runtime.args`.

use crate::cli::{RunArgs, SandboxArgs, UpArgs};
use crate::{exit, project};

pub fn run(up: UpArgs) -> u8 {
    match run_args(up) {
        Ok(args) => super::run::run(args),
        Err(e) => {
            eprintln!("porta: {e}");
            exit::REFUSED
        }
    }
}

fn run_args(up: UpArgs) -> Result<RunArgs, String> {
    let project = project::load(&up.file)?;
    let dir = match up.file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut args = project.run_args(&dir)?;
    overlay(&mut args.sandbox, up.sandbox);
    args.entry = up.entry.or(args.entry);
    args.restart = up.restart.unwrap_or(args.restart);
    args.max_restarts = up.max_restarts.unwrap_or(args.max_restarts);
    args.strict |= up.strict;
    args.no_net |= up.no_net;
    args.strict_imports |= up.strict_imports;
    args.quiet = up.quiet;
    args.detach = up.detach;
    if !up.args.is_empty() {
        args.args = up.args;
    }
    if args.no_net && !args.sandbox.allow_net.is_empty() {
        return Err("--no-net and the project's network list conflict: drop one".into());
    }
    Ok(args)
}

fn overlay(file: &mut SandboxArgs, cli: SandboxArgs) {
    file.step_limit = cli.step_limit.or(file.step_limit);
    file.timeout = cli.timeout.or(file.timeout);
    file.max_memory = cli.max_memory.or(file.max_memory);
    file.profile = cli.profile.or(file.profile.take());
    file.manifest = cli.manifest.or(file.manifest.take());
    file.deterministic |= cli.deterministic;
    file.allow.extend(cli.allow);
    file.volumes.extend(cli.volumes);
    file.env_file.extend(cli.env_file);
    file.allow_net.extend(cli.allow_net);
    file.allow_exec.extend(cli.allow_exec);
    // A key given on the command line wins, whether the file set it as a
    // variable or as a secret.
    let key = |kv: &str| kv.split_once('=').map_or(kv, |(k, _)| k).to_string();
    let given: Vec<String> = cli.env.iter().chain(&cli.secret).map(|kv| key(kv)).collect();
    file.env.retain(|kv| !given.contains(&key(kv)));
    file.secret.retain(|kv| !given.contains(&key(kv)));
    file.env.extend(cli.env);
    file.secret.extend(cli.secret);
}
