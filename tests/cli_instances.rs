//! Detached instances through the real binary, each test in its own
//! `$PORTA_HOME`: `run -d`, `ps`, `logs [-f] [--tail]`, `stop`, `kill`,
//! `rm`, restart on failure, a supervisor killed behind porta's back (stale),
//! ids by prefix, and secrets kept out of everything porta writes. Every
//! test's instances are killed when it ends, so none outlives the tests.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A temporary `$PORTA_HOME`; dropping it kills every instance in it.
struct Home(PathBuf);

impl Home {
    fn new(name: &str) -> Home {
        let dir = std::env::temp_dir().join(format!("porta-home-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Home(dir)
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_porta"));
        c.args(args).env("PORTA_HOME", &self.0);
        c
    }

    fn porta(&self, args: &[&str]) -> Output {
        self.cmd(args).stdin(Stdio::null()).output().expect("porta runs")
    }

    /// `porta run -d ARGS`: the id it printed.
    fn detach(&self, args: &[&str]) -> String {
        let o = self.porta(&[&["run", "-d"], args].concat());
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let id = text(&o.stdout).trim().to_string();
        assert!(id.len() == 12 && id.chars().all(|c| c.is_ascii_hexdigit()), "id {id:?}");
        id
    }

    fn ps(&self) -> Vec<Value> {
        let o = self.porta(&["ps", "-a", "--json"]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        serde_json::from_slice::<Value>(&o.stdout).unwrap().as_array().unwrap().clone()
    }

    fn get(&self, id: &str) -> Value {
        self.ps().into_iter().find(|i| i["id"] == id).unwrap_or_else(|| panic!("{id} not in ps"))
    }

    fn dir(&self, id: &str) -> PathBuf {
        self.0.join("instances").join(id)
    }

    /// Waits (up to a minute) until `check` holds.
    fn until(&self, what: &str, mut check: impl FnMut() -> bool) {
        let end = Instant::now() + Duration::from_secs(60);
        while !check() {
            assert!(Instant::now() < end, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self, id: &str, name: &str) -> String {
        std::fs::read_to_string(self.dir(id).join(name)).unwrap_or_default()
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        // A home where no instance started has no `instances` directory.
        for d in std::fs::read_dir(self.0.join("instances")).into_iter().flatten().flatten() {
            let Ok(text) = std::fs::read_to_string(d.path().join("instance.json")) else { continue };
            let Ok(r) = serde_json::from_str::<Value>(&text) else { continue };
            if let Some(pid) = r["pid"].as_u64().filter(|p| *p > 0) {
                let _ = Command::new("kill").args(["-KILL", "--", &format!("-{pid}")]).stderr(Stdio::null()).status();
            }
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn module(home: &Home, name: &str, wat: &str) -> String {
    let path = home.0.join(name);
    std::fs::write(&path, wat::parse_str(wat).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

fn ticker(home: &Home) -> String {
    let wat = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/ticker.wat")).unwrap();
    module(home, "ticker.wasm", &wat)
}

#[test]
fn a_detached_guest_is_listed_logged_followed_stopped_and_removed() {
    let home = Home::new("ticker");
    let wasm = ticker(&home);
    let id = home.detach(&["--allow", "clock", &wasm]);
    let row = home.get(&id);
    assert_eq!(row["status"], "running", "{row}");
    assert!(row["pid"].as_u64().unwrap() > 0 && row["target"].as_str().unwrap().ends_with("ticker.wasm"), "{row}");
    let table = text(&home.porta(&["ps"]).stdout);
    assert!(table.lines().any(|l| l.starts_with(&id) && l.contains("running")), "{table}");
    // It leads its own session and process group (no terminal's hangup
    // reaches it) and reads /dev/null.
    let pid = row["pid"].as_u64().unwrap();
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 1..].split_whitespace().collect();
    assert_eq!((fields[2], fields[3]), (pid.to_string().as_str(), pid.to_string().as_str()), "{stat}");
    assert_eq!(std::fs::read_link(format!("/proc/{pid}/fd/0")).unwrap(), Path::new("/dev/null"));

    home.until("two ticks", || home.log(&id, "stdout.log").contains("tick 2\n"));
    let tail = home.porta(&["logs", "--tail", "1", &id[..6]]);
    let last = text(&tail.stdout);
    assert!(last.starts_with("tick ") && last.lines().count() == 1, "{last:?}");

    // `logs -f` keeps printing until the instance ends.
    let follow = home.cmd(&["logs", "-f", &id]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    home.until("a third tick", || home.log(&id, "stdout.log").contains("tick 3\n"));
    let stop = home.porta(&["stop", &id]);
    assert_eq!((stop.status.code(), text(&stop.stdout).trim()), (Some(0), id.as_str()), "{}", text(&stop.stderr));
    let followed = follow.wait_with_output().unwrap();
    let out = text(&followed.stdout);
    assert!(out.starts_with("tick 1\ntick 2\ntick 3\n"), "{out}");
    assert_eq!(out, home.log(&id, "stdout.log"), "logs -f printed all of stdout");
    // SIGTERM stopped the interpreter at a step boundary (no SIGKILL
    // needed), and porta reported it with the metrics line.
    let err = text(&followed.stderr);
    assert!(err.contains("stopped by SIGTERM") && err.contains("steps: "), "{err}");

    let row = home.get(&id);
    assert_eq!((row["status"].as_str(), row["exit_code"].as_u64()), (Some("exited"), Some(143)), "{row}");
    let table = text(&home.porta(&["ps"]).stdout);
    assert!(!table.contains(&id), "ps without -a lists only what runs: {table}");
    assert!(text(&home.porta(&["ps", "-a"]).stdout).contains("exited (143)"));

    let rm = home.porta(&["rm", &id]);
    assert_eq!(rm.status.code(), Some(0), "{}", text(&rm.stderr));
    assert!(!home.dir(&id).exists());
    assert!(home.ps().is_empty());
}

#[test]
fn kill_ends_at_once_and_rm_refuses_a_running_instance() {
    let home = Home::new("kill");
    let wasm = ticker(&home);
    let id = home.detach(&["--allow", "clock", &wasm]);
    let rm = home.porta(&["rm", &id]);
    assert_eq!(rm.status.code(), Some(1));
    assert!(text(&rm.stderr).contains(&format!("porta rm -f {id}")), "{}", text(&rm.stderr));
    assert!(home.dir(&id).exists());

    let kill = home.porta(&["kill", &id]);
    assert_eq!(kill.status.code(), Some(0), "{}", text(&kill.stderr));
    let row = home.get(&id);
    assert_eq!((row["status"].as_str(), row["exit_code"].as_u64()), (Some("exited"), Some(137)), "{row}");
    let again = home.porta(&["kill", &id]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("not running"));

    // rm -f of a running one kills it first.
    let id2 = home.detach(&["--allow", "clock", &wasm]);
    let pid = home.get(&id2)["pid"].as_u64().unwrap();
    let rm = home.porta(&["rm", "-f", &id2]);
    assert_eq!(rm.status.code(), Some(0), "{}", text(&rm.stderr));
    assert!(!home.dir(&id2).exists());
    assert!(!Path::new(&format!("/proc/{pid}")).exists() || std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap().contains(") Z"));
}

#[test]
fn on_failure_restarts_with_backoff_up_to_the_limit() {
    let home = Home::new("restart");
    let wasm = module(
        &home,
        "fail.wasm",
        r#"(module
            (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
            (memory (export "memory") 1)
            (data (i32.const 16) "attempt\n")
            (func (export "_start")
              (i32.store (i32.const 0) (i32.const 16))
              (i32.store (i32.const 4) (i32.const 8))
              (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
              (call $exit (i32.const 3))))"#,
    );
    let id = home.detach(&["--restart", "on-failure", "--max-restarts", "2", &wasm]);
    home.until("the instance to give up", || home.get(&id)["status"] == "exited");
    let row = home.get(&id);
    assert_eq!((row["exit_code"].as_u64(), row["restarts"].as_u64()), (Some(3), Some(2)), "{row}");
    assert_eq!(home.log(&id, "stdout.log"), "attempt\n".repeat(3));
    let err = home.log(&id, "stderr.log");
    assert!(err.contains("restart 1 of 2 in 100ms") && err.contains("restart 2 of 2 in 200ms"), "{err}");
    assert!(err.contains("restarts: 2"), "{err}");
    let table = text(&home.porta(&["ps", "-a"]).stdout);
    let line = table.lines().find(|l| l.starts_with(&id)).unwrap();
    assert!(line.contains("exited (3)") && line.split_whitespace().any(|w| w == "2"), "{line}");
}

#[test]
fn a_supervisor_killed_behind_porta_is_stale_not_running() {
    let home = Home::new("stale");
    let wasm = ticker(&home);
    let id = home.detach(&["--allow", "clock", &wasm]);
    let pid = home.get(&id)["pid"].as_u64().unwrap();
    assert!(Command::new("kill").args(["-KILL", &pid.to_string()]).status().unwrap().success());
    home.until("the supervisor to die", || home.get(&id)["status"] != "running");
    assert_eq!(home.get(&id)["status"], "stale");
    let table = text(&home.porta(&["ps"]).stdout);
    assert!(table.lines().any(|l| l.starts_with(&id) && l.contains("stale")), "stale ones show without -a: {table}");
    let stop = home.porta(&["stop", &id]);
    assert!(text(&stop.stderr).contains("not running (stale"), "{}", text(&stop.stderr));
    let rm = home.porta(&["rm", &id]);
    assert_eq!(rm.status.code(), Some(0), "a stale instance is not running: {}", text(&rm.stderr));
}

#[test]
fn ids_resolve_by_unique_prefix_and_errors_list_candidates() {
    let home = Home::new("ids");
    for id in ["abc111000000", "abc222000000"] {
        let dir = home.dir(id);
        std::fs::create_dir_all(&dir).unwrap();
        let record = serde_json::json!({
            "id": id, "target": "x.wasm", "command": ["porta", "run", "-d", "x.wasm"], "pid": 0, "pid_start": null,
            "started": 1, "status": "exited", "exit_code": 0, "finished": 2, "restart": "no", "restarts": 0, "ended_by": null,
        });
        std::fs::write(dir.join("instance.json"), record.to_string()).unwrap();
        std::fs::write(dir.join("stdout.log"), format!("out of {id}\n")).unwrap();
        std::fs::write(dir.join("stderr.log"), "").unwrap();
    }
    let o = home.porta(&["logs", "abc"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("`abc` names 2 instances: abc111000000, abc222000000"), "{err}");
    assert_eq!(text(&home.porta(&["logs", "abc2"]).stdout), "out of abc222000000\n");
    let o = home.porta(&["rm", "zzz"]);
    assert!(text(&o.stderr).contains("no instance `zzz`; instances: abc111000000, abc222000000"), "{}", text(&o.stderr));
    // A damaged record is reported, not trusted; rm -f still clears it.
    std::fs::write(home.dir("abc111000000").join("instance.json"), "{not json").unwrap();
    let o = home.porta(&["rm", "abc1"]);
    assert!(o.status.code() == Some(1) && text(&o.stderr).contains("damaged"), "{}", text(&o.stderr));
    assert_eq!(home.porta(&["rm", "-f", "abc1"]).status.code(), Some(0));
    assert_eq!(home.ps().len(), 1);
    let o = home.porta(&["ps"]);
    assert_eq!(text(&o.stdout).lines().count(), 1, "only the header: exited ones need -a");
}

#[test]
fn secrets_never_reach_the_record_ps_the_logs_or_process_arguments() {
    let home = Home::new("secret");
    let wasm = ticker(&home);
    let id = home.detach(&["--secret", "TOKEN=hunter2-secret", "--allow", "clock", &wasm]);
    home.until("a tick", || home.log(&id, "stdout.log").contains("tick 1"));
    let record = std::fs::read_to_string(home.dir(&id).join("instance.json")).unwrap();
    assert!(record.contains("TOKEN=***") && !record.contains("hunter2"), "{record}");
    let ps = home.porta(&["ps", "-a", "--json"]);
    assert!(!text(&ps.stdout).contains("hunter2"));
    let pid = home.get(&id)["pid"].as_u64().unwrap();
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
    assert!(!text(&cmdline).contains("hunter2"), "{}", text(&cmdline));
    home.porta(&["stop", &id]);
    let logs = home.porta(&["logs", &id]);
    assert!(!text(&logs.stdout).contains("hunter2") && !text(&logs.stderr).contains("hunter2"));
}

#[test]
fn a_detached_run_is_checked_before_it_starts() {
    let home = Home::new("refused");
    let o = home.porta(&["run", "-d", "/nonexistent/x.wasm"]);
    assert_eq!(o.status.code(), Some(125));
    assert!(text(&o.stdout).is_empty());
    assert!(home.ps().is_empty(), "a refused run leaves no instance");
}

#[test]
fn a_detached_native_command_stops_on_sigterm() {
    let home = Home::new("native");
    let id = home.detach(&["sh", "--", "-c", "echo started; exec sleep 600"]);
    home.until("the command to start", || home.log(&id, "stdout.log").contains("started"));
    let stop = home.porta(&["stop", "-t", "20", &id]);
    assert_eq!(stop.status.code(), Some(0), "{}", text(&stop.stderr));
    let row = home.get(&id);
    assert_eq!((row["status"].as_str(), row["exit_code"].as_u64()), (Some("exited"), Some(143)), "{row}");
}
