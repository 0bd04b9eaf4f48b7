//! What the `porta serve` tests share: a client that drives the binary
//! over pipes.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

pub struct Client {
    pub child: Child,
    pub stdin: ChildStdin,
    pub lines: Receiver<String>,
    pub stderr: std::thread::JoinHandle<String>,
}

pub const AGENT: &str = "examples/agent.wasm";
pub const MODERN: &str = "2026-07-28";

impl Client {
    /// `porta serve` on the example agent.
    pub fn start(extra: &[&str]) -> Client {
        Client::serve(AGENT, extra)
    }

    pub fn serve(module: &str, extra: &[&str]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_porta"))
            .args(["serve", module])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("porta serve starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut err = child.stderr.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
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
        Client { child, stdin, lines, stderr }
    }

    pub fn send_raw(&mut self, text: &str) {
        self.stdin.write_all(text.as_bytes()).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn send(&mut self, v: Value) {
        self.send_raw(&format!("{v}\n"));
    }

    /// Sends a tools/call without waiting for its reply.
    pub fn call(&mut self, id: impl Into<Value>, tool: &str, arguments: Value) {
        self.send(json!({"jsonrpc": "2.0", "id": id.into(), "method": "tools/call", "params": {"name": tool, "arguments": arguments}}));
    }

    pub fn cancel(&mut self, id: impl Into<Value>) {
        self.send(json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": id.into()}}));
    }

    pub fn recv(&self) -> Value {
        let line = self.lines.recv_timeout(Duration::from_secs(30)).expect("a message within 30 s");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("stdout carries only JSON ({e}): {line}"))
    }

    /// The next message that is not a notification.
    pub fn response(&self) -> Value {
        loop {
            let m = self.recv();
            if m.get("id").is_some() {
                return m;
            }
        }
    }

    pub fn request(&mut self, id: Value, method: &str, params: Value) -> Value {
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let r = self.response();
        assert_eq!(r["id"], id, "{r}");
        r
    }

    pub fn initialize(&mut self) -> Value {
        let r = self.request(
            json!(0),
            "initialize",
            json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}),
        );
        self.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        r
    }

    pub fn finish(mut self) -> String {
        drop(self.stdin);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "serve exits 0 when stdin closes");
                break;
            }
            assert!(Instant::now() < deadline, "serve exits promptly after stdin closes");
            std::thread::sleep(Duration::from_millis(20));
        }
        self.stderr.join().unwrap()
    }
}

