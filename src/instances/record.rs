//! `instance.json`: what an instance runs (its porta command line with
//! secret values replaced by `***`), its supervisor's pid, when it started,
//! its restarts and, once it ended, its exit status. Whether it still runs
//! is never taken from the file alone: the pid must be alive and be the
//! same process (its start time, on Linux), else a record that says
//! `running` is stale.

use super::home::Lock;
use crate::cli::Restart;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

pub const FILE: &str = "instance.json";
pub const STDOUT: &str = "stdout.log";
pub const STDERR: &str = "stderr.log";
/// Larger than any record porta writes; a bigger file is not read.
const MAX_BYTES: u64 = 1 << 20;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    /// The module or command.
    pub target: String,
    /// The porta command line that started it, secrets redacted.
    pub command: Vec<String>,
    /// The supervisor's pid (0 until it is started); its session and
    /// process group have the same number.
    pub pid: u32,
    /// The supervisor's start time in clock ticks since boot (Linux), to
    /// tell it from a later process that reuses the pid.
    pub pid_start: Option<u64>,
    /// Unix time in seconds.
    pub started: u64,
    pub status: Status,
    pub exit_code: Option<u8>,
    pub finished: Option<u64>,
    pub restart: Restart,
    pub restarts: u32,
    /// How it ended, when porta ended it (`porta kill`, `porta stop`).
    pub ended_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Running,
    Exited,
}

/// What an instance is doing, checked against the live process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Running,
    Exited(Option<u8>),
    /// The record says running, but its supervisor is gone.
    Stale,
}

impl State {
    pub fn describe(self) -> String {
        match self {
            State::Running => "running".into(),
            State::Exited(Some(c)) => format!("exited ({c})"),
            State::Exited(None) => "exited".into(),
            State::Stale => "stale (supervisor gone)".into(),
        }
    }
}

pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Record {
    pub fn state(&self) -> State {
        match self.status {
            Status::Exited => State::Exited(self.exit_code),
            Status::Running if self.pid == 0 || alive(self.pid, self.pid_start) => State::Running,
            Status::Running => State::Stale,
        }
    }

    /// Marks the end of the run.
    pub fn finish(&mut self, code: u8, by: Option<&str>) {
        self.status = Status::Exited;
        self.exit_code = Some(code);
        self.finished = Some(now());
        self.ended_by = by.map(str::to_string);
    }
}

pub fn load(dir: &Path) -> Result<Record, String> {
    use std::io::Read;
    let path = dir.join(FILE);
    let mut text = String::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(MAX_BYTES).read_to_string(&mut text))
        .map_err(|e| crate::commands::io_error("read", &path, &e))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is damaged ({e}); remove the instance with `porta rm -f`", path.display()))
}

pub fn save(dir: &Path, record: &Record) -> Result<(), String> {
    let path = dir.join(FILE);
    let json = serde_json::to_vec_pretty(record).map_err(|e| e.to_string())?;
    crate::commands::write_whole(&path, &json).map_err(|e| crate::commands::io_error("write", &path, &e))
}

/// Changes a record under the instance's lock; the record as written.
pub fn update(dir: &Path, change: impl FnOnce(&mut Record)) -> Result<Record, String> {
    let _lock = Lock::take(dir)?;
    let mut record = load(dir)?;
    change(&mut record);
    save(dir, &record)?;
    Ok(record)
}

/// Whether `pid` is a live process started at `start` (a zombie is not).
pub fn alive(pid: u32, start: Option<u64>) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks that the process exists.
    if unsafe { libc::kill(pid, 0) } != 0 && std::io::Error::last_os_error().raw_os_error() != Some(libc::EPERM) {
        return false;
    }
    #[cfg(target_os = "linux")]
    {
        match proc_stat(pid as u32) {
            Some((state, started)) => !matches!(state, 'Z' | 'X') && start.is_none_or(|s| s == started),
            None => false,
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = start;
        true
    }
}

/// A process's state letter and start time (clock ticks since boot) from
/// `/proc/PID/stat`.
#[cfg(target_os = "linux")]
pub fn proc_stat(pid: u32) -> Option<(char, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: fields follow the last `)`.
    let fields: Vec<&str> = stat[stat.rfind(')')? + 1..].split_whitespace().collect();
    Some((fields.first()?.chars().next()?, fields.get(19)?.parse().ok()?))
}

#[cfg(not(target_os = "linux"))]
pub fn proc_stat(_pid: u32) -> Option<(char, u64)> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_wrong_start_time_is_not_it() {
        let me = std::process::id();
        let start = proc_stat(me).map(|(_, s)| s);
        assert!(alive(me, start));
        if let Some(s) = start {
            assert!(!alive(me, Some(s + 1)));
        }
        assert!(!alive(0, None));
        assert!(!alive(u32::MAX, None));
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_child_that_ended_is_not_alive_even_unreaped() {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        std::thread::sleep(std::time::Duration::from_millis(300));
        // Not yet waited for: a zombie.
        assert!(!alive(pid, None));
        child.wait().unwrap();
    }
}
