//! Starting a detached instance and supervising it. `launch` (in the
//! `porta run -d` process, after every check a foreground run makes) writes
//! the record, starts `porta __instance ID` in a new session with stdin
//! from a pipe and stdout/stderr on the log files, hands it the command line
//! through the pipe (so secrets given on it never appear in any process's
//! arguments or on disk), prints the id and returns. The supervisor reads
//! the command line, puts /dev/null on stdin, runs it as a foreground
//! `porta run` or `porta up` would (restart policy included), and writes
//! the exit status into the record.

use super::home;
use super::record::{self, Record, Status};
use crate::cli::{Cli, Command, Deferred, RunArgs};
use crate::exit;
use clap::Parser;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;

/// The instance this process supervises, if it is a supervisor.
static SUPERVISED: OnceLock<PathBuf> = OnceLock::new();
/// Most bytes of command line the supervisor reads.
const MAX_HANDOFF: u64 = 8 << 20;

/// What the launcher hands the supervisor.
#[derive(Serialize, Deserialize)]
struct Handoff {
    argv: Vec<String>,
}

/// Starts this process's command line (`run -d ...` or `up -d ...`) as a
/// detached instance of `args`; prints the id.
pub fn launch(args: &RunArgs) -> u8 {
    match try_launch(args) {
        Ok(id) => {
            crate::output::outln!("{id}");
            0
        }
        Err(e) => {
            eprintln!("porta: cannot start the instance: {e}");
            exit::REFUSED
        }
    }
}

fn try_launch(args: &RunArgs) -> Result<String, String> {
    let argv: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let secrets: Vec<&str> = args.sandbox.secret.iter().filter_map(|kv| kv.split_once('=').map(|(_, v)| v)).collect();
    let (id, dir) = home::create_instance()?;
    let record = Record {
        id: id.clone(),
        target: args.module.display().to_string(),
        command: redact(&argv, &secrets),
        pid: 0,
        pid_start: None,
        started: record::now(),
        status: Status::Running,
        exit_code: None,
        finished: None,
        restart: args.restart,
        restarts: 0,
        ended_by: None,
    };
    let started = record::save(&dir, &record).and_then(|()| spawn(&id, &dir, argv));
    match started {
        Ok(pid) => {
            let start = record::proc_stat(pid).map(|(_, s)| s);
            record::update(&dir, |r| {
                r.pid = pid;
                r.pid_start = start;
            })?;
            Ok(id)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            Err(e)
        }
    }
}

fn spawn(id: &str, dir: &Path, argv: Vec<String>) -> Result<u32, String> {
    let log = |name: &str| {
        let path = dir.join(name);
        std::fs::OpenOptions::new().create(true).append(true).open(&path).map_err(|e| crate::commands::io_error("create", &path, &e))
    };
    let exe = std::env::current_exe().map_err(|e| format!("cannot find porta's own executable: {e}"))?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("__instance").arg(id).stdin(Stdio::piped()).stdout(log(record::STDOUT)?).stderr(log(record::STDERR)?);
    // SAFETY: setsid is async-signal-safe; the supervisor leads its own
    // session, so the terminal's hangup never reaches it and `porta stop`
    // signals its whole process group.
    unsafe {
        cmd.pre_exec(|| if libc::setsid() < 0 { Err(std::io::Error::last_os_error()) } else { Ok(()) });
    }
    let mut child = cmd.spawn().map_err(|e| format!("cannot start the supervisor: {e}"))?;
    let handoff = serde_json::to_vec(&Handoff { argv }).map_err(|e| e.to_string())?;
    let mut stdin = child.stdin.take().ok_or("the supervisor has no stdin")?;
    stdin.write_all(&handoff).map_err(|e| format!("cannot hand the command to the supervisor: {e}"))?;
    Ok(child.id())
}

/// The command line with every secret value (and the value of each
/// `--secret KEY=VALUE`) replaced by `***`.
fn redact(argv: &[String], secrets: &[&str]) -> Vec<String> {
    let mut out = Vec::with_capacity(argv.len());
    let mut after_secret = false;
    for a in argv {
        let mut a = a.clone();
        if after_secret || a.starts_with("--secret=") {
            if let Some((k, _)) = a.split_once('=').filter(|_| after_secret) {
                a = format!("{k}=***");
            } else if let Some(kv) = a.strip_prefix("--secret=") {
                a = format!("--secret={}=***", kv.split_once('=').map_or(kv, |(k, _)| k));
            }
        }
        after_secret = a == "--secret";
        for s in secrets.iter().filter(|s| !s.is_empty()) {
            a = a.replace(s, "***");
        }
        out.push(a);
    }
    out
}

/// Records restart `n` when this process supervises an instance.
pub fn note_restart(n: u32) {
    if let Some(dir) = SUPERVISED.get() {
        let _ = record::update(dir, |r| r.restarts = n);
    }
}

/// The hidden `__instance ID` command.
pub fn main(id: &str) -> u8 {
    let Ok((_, dir)) = home::resolve(id) else {
        eprintln!("porta: __instance: no instance `{id}`");
        return exit::REFUSED;
    };
    let code = match receive() {
        Ok(argv) => {
            let _ = SUPERVISED.set(dir.clone());
            run(argv)
        }
        Err(e) => {
            eprintln!("porta: __instance: {e}");
            exit::REFUSED
        }
    };
    if let Err(e) = record::update(&dir, |r| {
        if r.status == Status::Running {
            let by = crate::terminate::requested().then_some("SIGTERM");
            r.finish(code, by);
        }
    }) {
        eprintln!("porta: {e}");
    }
    code
}

/// Reads the handoff, then puts /dev/null on stdin: a detached guest reads
/// end of file.
fn receive() -> Result<Vec<String>, String> {
    let mut bytes = Vec::new();
    std::io::stdin().take(MAX_HANDOFF).read_to_end(&mut bytes).map_err(|e| format!("cannot read the command: {e}"))?;
    let null = std::fs::File::open("/dev/null").map_err(|e| format!("cannot open /dev/null: {e}"))?;
    // SAFETY: replaces descriptor 0 with a descriptor we own.
    if unsafe { libc::dup2(std::os::unix::io::AsRawFd::as_raw_fd(&null), 0) } < 0 {
        return Err(format!("cannot put /dev/null on stdin: {}", std::io::Error::last_os_error()));
    }
    let handoff: Handoff = serde_json::from_slice(&bytes).map_err(|e| format!("bad command: {e}"))?;
    Ok(handoff.argv)
}

/// Runs the handed-off command line in the foreground of this process.
fn run(argv: Vec<String>) -> u8 {
    match Cli::try_parse_from(argv).map(|c| c.command) {
        Ok(Command::Run(Deferred(mut args))) => {
            args.detach = false;
            crate::commands::run::run(args)
        }
        Ok(Command::Up(Deferred(mut args))) => {
            args.detach = false;
            crate::commands::up::run(args)
        }
        Ok(other) => {
            eprintln!("porta: __instance: cannot detach {other:?}");
            exit::REFUSED
        }
        Err(e) => {
            eprintln!("porta: __instance: {e}");
            exit::REFUSED
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_secret_values_in_every_spelling() {
        let argv: Vec<String> =
            ["porta", "run", "--secret", "K=hunter2", "--secret=J=swordfish", "-e", "X=1", "m.wasm", "--", "say hunter2"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        let out = redact(&argv, &["hunter2", "swordfish"]);
        assert_eq!(out, ["porta", "run", "--secret", "K=***", "--secret=J=***", "-e", "X=1", "m.wasm", "--", "say ***"]);
    }
}
