//! `porta.exec` over MCP (`porta serve --allow-exec`): offered only when
//! granted, runs an allowed command under the native sandbox with the
//! server's mounts, refuses a command not on the list (naming the list),
//! ends a command at the timeout, caps its output.

#![cfg(target_os = "linux")]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

const AGENT: &str = "examples/agent.wasm";

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    stderr: std::thread::JoinHandle<String>,
}

impl Client {
    fn start(extra: &[&str]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_porta"))
            .args(["serve", AGENT])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("porta serve starts");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = err.read_to_string(&mut s);
            s
        });
        let mut c = Client { child, stdin, lines, stderr };
        c.request(0, "initialize", json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}));
        c.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        c
    }

    fn send(&mut self, v: Value) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(format!("{v}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
    }

    fn request(&mut self, id: u64, method: &str, params: Value) -> Value {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let line = self.lines.recv_timeout(Duration::from_secs(30)).expect("a reply within 30 s");
            let m: Value = serde_json::from_str(&line).unwrap();
            if m["id"] == json!(id) {
                return m;
            }
        }
    }

    fn exec(&mut self, id: u64, arguments: Value) -> Value {
        self.request(id, "tools/call", json!({"name": "porta.exec", "arguments": arguments}))["result"].clone()
    }

    fn finish(mut self) -> String {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "serve exits after stdin closes");
            std::thread::sleep(Duration::from_millis(20));
        }
        self.stderr.join().unwrap()
    }
}

#[test]
fn porta_exec_is_offered_only_when_granted() {
    let mut c = Client::start(&[]);
    assert!(!c.request(1, "tools/list", json!({})).to_string().contains("porta.exec"));
    c.finish();
    let mut c = Client::start(&["--allow-exec", "sh,true"]);
    let tools = c.request(1, "tools/list", json!({}));
    assert!(tools.to_string().contains("porta.exec") && tools.to_string().contains("Allowed: sh, true"), "{tools}");
    c.finish();
    // A command that is not there is refused at start.
    let o = Command::new(env!("CARGO_BIN_EXE_porta")).args(["serve", AGENT, "--allow-exec", "no-such-cmd-porta"]).output().unwrap();
    assert_eq!(o.status.code(), Some(125));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-cmd-porta` not found"), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn allowed_listed_timed_out_and_capped() {
    let dir = std::env::temp_dir().join(format!("porta-native-exec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let d = dir.to_str().unwrap().to_string();
    let mut c = Client::start(&["--allow-exec", "sh", "-v", &d, "--timeout", "2"]);

    let r = c.exec(1, json!({"command": "sh", "args": ["-c", "echo hi; echo err >&2; cat; exit 3"], "stdin": "in\n"}));
    let v = &r["structuredContent"];
    assert_eq!((v["exit_code"].clone(), v["stdout"].clone(), v["stderr"].clone()), (json!(3), json!("hi\nin\n"), json!("err\n")), "{r}");
    assert_eq!(r["isError"], false);

    // The server's mount is writable; nothing else is.
    let r = c.exec(2, json!({"command": "sh", "args": ["-c", format!("echo x > {d}/in-mount && echo y > {d}/../porta-exec-outside-{}", std::process::id())]}));
    assert_ne!(r["structuredContent"]["exit_code"], 0, "{r}");
    assert!(dir.join("in-mount").exists());
    assert!(!dir.join(format!("../porta-exec-outside-{}", std::process::id())).exists());

    let r = c.exec(3, json!({"command": "ls"}));
    assert_eq!(r["isError"], true);
    let text = r["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("`ls` is not allowed") && text.contains("lists only sh ("), "{text}");

    let start = Instant::now();
    let r = c.exec(4, json!({"command": "sh", "args": ["-c", "sleep 30"]}));
    assert_eq!((r["isError"].clone(), r["structuredContent"]["timed_out"].clone()), (json!(true), json!(true)), "{r}");
    assert!(start.elapsed() < Duration::from_secs(10));

    let r = c.exec(5, json!({"command": "sh", "args": ["-c", "head -c 3000000 /dev/zero | tr '\\0' a"]}));
    let v = &r["structuredContent"];
    assert_eq!(v["stdout"].as_str().unwrap().len(), 1 << 20, "capped at 1 MiB");
    assert_eq!(v["stdout_truncated"], true);
    assert_eq!(v["exit_code"], 0);

    let stderr = c.finish();
    assert!(stderr.contains("tool=porta.exec"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
