//! `porta ps`, `stop`, `kill`, `logs` and `rm`: the commands over detached
//! instances (`crate::instances`). They exit 0, or 1 with a one-line error
//! (an unknown or ambiguous id lists the candidates).

use crate::cli::{InstanceIds, LogsArgs, PsArgs, RmArgs, StopArgs};
use crate::instances::home;
use crate::instances::record::{self, Record, State};
use crate::output::outln;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Exit status of an instance command that failed.
const FAILED: u8 = 1;
/// A signalled instance exits 128 + 9.
const KILLED: u8 = 137;
const POLL: Duration = Duration::from_millis(50);

fn fail(e: String) -> u8 {
    eprintln!("porta: {e}");
    FAILED
}

pub fn ps(args: PsArgs) -> u8 {
    let all = match home::list() {
        Ok(all) => all,
        Err(e) => return fail(e),
    };
    let mut rows: Vec<(Record, State)> = all
        .iter()
        .filter_map(|(id, dir)| {
            record::load(dir).inspect_err(|e| eprintln!("porta: {id}: {e}")).ok()
        })
        .map(|r| {
            let s = r.state();
            (r, s)
        })
        .filter(|(_, s)| args.all || !matches!(s, State::Exited(_)))
        .collect();
    rows.sort_by(|a, b| b.0.started.cmp(&a.0.started).then(a.0.id.cmp(&b.0.id)));
    let now = record::now();
    if args.json {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|(r, s)| {
                serde_json::json!({
                    "id": r.id, "status": status_word(*s), "pid": r.pid, "started": r.started,
                    "age_secs": now.saturating_sub(r.started), "restarts": r.restarts, "exit_code": r.exit_code,
                    "target": r.target, "command": r.command,
                })
            })
            .collect();
        outln!("{}", serde_json::Value::Array(list));
        return 0;
    }
    outln!("{:<12}  {:<24}  {:>7}  {:>5}  {:>8}  TARGET", "ID", "STATUS", "PID", "AGE", "RESTARTS");
    for (r, s) in &rows {
        outln!("{:<12}  {:<24}  {:>7}  {:>5}  {:>8}  {}", r.id, s.describe(), r.pid, age(now.saturating_sub(r.started)), r.restarts, r.target);
    }
    0
}

fn status_word(s: State) -> &'static str {
    match s {
        State::Running => "running",
        State::Exited(_) => "exited",
        State::Stale => "stale",
    }
}

fn age(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m", secs / 60),
        3600..86400 => format!("{}h", secs / 3600),
        _ => format!("{}d", secs / 86400),
    }
}

/// Applies `each` to every id; fails if any failed, after trying all.
fn for_each(ids: &InstanceIds, mut each: impl FnMut(&str, &Path) -> Result<(), String>) -> u8 {
    let mut code = 0;
    for given in &ids.ids {
        if let Err(e) = home::resolve(given).and_then(|(id, dir)| each(&id, &dir)) {
            code = fail(e);
        }
    }
    code
}

pub fn stop(args: StopArgs) -> u8 {
    for_each(&args.ids, |id, dir| {
        let r = record::load(dir)?;
        if r.state() != State::Running {
            eprintln!("porta: {id} is not running ({})", r.state().describe());
            return Ok(());
        }
        signal(&r, libc::SIGTERM)?;
        if !wait_gone(&r, Duration::from_secs(args.grace)) {
            kill_now(&r, dir, &format!("porta stop (SIGKILL after {} s)", args.grace))?;
        }
        outln!("{id}");
        Ok(())
    })
}

pub fn kill(ids: InstanceIds) -> u8 {
    for_each(&ids, |id, dir| {
        let r = record::load(dir)?;
        if r.state() != State::Running {
            return Err(format!("{id} is not running ({})", r.state().describe()));
        }
        kill_now(&r, dir, "porta kill")?;
        outln!("{id}");
        Ok(())
    })
}

pub fn rm(args: RmArgs) -> u8 {
    for_each(&args.ids, |id, dir| {
        let r = record::load(dir);
        if let Ok(r) = &r {
            if r.state() == State::Running {
                if !args.force {
                    return Err(format!("{id} is running: stop it first, or remove it anyway with `porta rm -f {id}`"));
                }
                kill_now(r, dir, "porta rm -f")?;
            }
        } else if !args.force {
            return Err(r.err().unwrap_or_default());
        }
        std::fs::remove_dir_all(dir).map_err(|e| super::io_error("remove", dir, &e))?;
        outln!("{id}");
        Ok(())
    })
}

/// Signals the instance's whole process group (the supervisor leads it).
fn signal(r: &Record, sig: libc::c_int) -> Result<(), String> {
    let pid = libc::pid_t::try_from(r.pid).map_err(|_| format!("{}: bad pid {}", r.id, r.pid))?;
    // SAFETY: kill has no memory effects; pid > 0 was checked alive.
    if pid <= 0 || unsafe { libc::kill(-pid, sig) } != 0 {
        return Err(format!("cannot signal {} (pid {}): {}", r.id, r.pid, std::io::Error::last_os_error()));
    }
    Ok(())
}

fn wait_gone(r: &Record, limit: Duration) -> bool {
    let end = Instant::now() + limit;
    while record::alive(r.pid, r.pid_start) {
        if Instant::now() >= end {
            return false;
        }
        std::thread::sleep(POLL);
    }
    true
}

/// SIGKILL, and the record says who ended it (the supervisor cannot).
fn kill_now(r: &Record, dir: &Path, by: &str) -> Result<(), String> {
    signal(r, libc::SIGKILL)?;
    if !wait_gone(r, Duration::from_secs(5)) {
        return Err(format!("{} (pid {}) survived SIGKILL", r.id, r.pid));
    }
    record::update(dir, |r| {
        if r.status == record::Status::Running {
            r.finish(KILLED, Some(by));
        }
    })?;
    Ok(())
}

pub fn logs(args: LogsArgs) -> u8 {
    match show_logs(&args) {
        Ok(()) => 0,
        Err(e) => fail(e),
    }
}

fn show_logs(args: &LogsArgs) -> Result<(), String> {
    let (_, dir) = home::resolve(&args.id)?;
    let mut streams = [Stream::open(dir.join(record::STDOUT), args.tail)?, Stream::open(dir.join(record::STDERR), args.tail)?];
    let mut out = [&mut std::io::stdout() as &mut dyn Write, &mut std::io::stderr()];
    loop {
        // Whether it still runs is read before the copy, so nothing written
        // before it ended is missed.
        let running = args.follow && record::load(&dir).is_ok_and(|r| r.state() == State::Running);
        for (s, o) in streams.iter_mut().zip(out.iter_mut()) {
            s.copy_new(o)?;
        }
        if !running {
            return Ok(());
        }
        std::thread::sleep(POLL);
    }
}

/// A log file read from an offset on.
struct Stream {
    path: PathBuf,
    file: std::fs::File,
}

impl Stream {
    /// Opens a log at its start, or at its last `tail` lines.
    fn open(path: PathBuf, tail: Option<usize>) -> Result<Stream, String> {
        let mut file = std::fs::File::open(&path).map_err(|e| super::io_error("read", &path, &e))?;
        if let Some(n) = tail {
            let at = tail_offset(&mut file, n).map_err(|e| super::io_error("read", &path, &e))?;
            file.seek(SeekFrom::Start(at)).map_err(|e| super::io_error("read", &path, &e))?;
        }
        Ok(Stream { path, file })
    }

    fn copy_new(&mut self, out: &mut dyn Write) -> Result<(), String> {
        std::io::copy(&mut self.file, out).map_err(|e| super::io_error("read", &self.path, &e))?;
        let _ = out.flush();
        Ok(())
    }
}

/// Where the last `n` lines of `file` start, reading backwards in chunks.
fn tail_offset(file: &mut std::fs::File, n: usize) -> std::io::Result<u64> {
    const CHUNK: u64 = 64 * 1024;
    let len = file.seek(SeekFrom::End(0))?;
    // A final newline ends the last line; it does not start another.
    let mut newlines = 0;
    let mut end = len;
    let mut buf = vec![0u8; CHUNK as usize];
    while end > 0 {
        let start = end.saturating_sub(CHUNK);
        let chunk = &mut buf[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(chunk)?;
        for (i, b) in chunk.iter().enumerate().rev() {
            let at = start + i as u64;
            if *b == b'\n' && at + 1 != len {
                newlines += 1;
                if newlines == n {
                    return Ok(at + 1);
                }
            }
        }
        end = start;
    }
    Ok(if n == 0 { len } else { 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_offset_finds_the_last_lines() {
        let path = std::env::temp_dir().join(format!("porta-tail-{}", std::process::id()));
        let check = |text: &str, n: usize, want: &str| {
            std::fs::write(&path, text).unwrap();
            let mut f = std::fs::File::open(&path).unwrap();
            let at = tail_offset(&mut f, n).unwrap() as usize;
            assert_eq!(&text[at..], want, "{text:?} tail {n}");
        };
        check("a\nb\nc\n", 2, "b\nc\n");
        check("a\nb\nc", 2, "b\nc");
        check("a\nb\nc\n", 5, "a\nb\nc\n");
        check("a\nb\nc\n", 0, "");
        check("", 3, "");
        let long: String = (0..100_000).map(|i| format!("{i}\n")).collect();
        check(&long, 3, "99997\n99998\n99999\n");
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn ages_read_like_docker() {
        assert_eq!([age(5), age(125), age(7300), age(200_000)], ["5s", "2m", "2h", "2d"]);
    }
}
