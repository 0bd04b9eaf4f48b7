//! `mcp_line`: arbitrary bytes as the input of `porta serve` with the
//! example agent. No panic; every message porta writes is well-formed
//! JSON-RPC 2.0; every request gets exactly one reply (at most one when
//! it was cancelled, or for a `subscriptions/listen`, which is answered by
//! a notification), and no reply carries an id nobody asked with.

use porta::cli::{Cli, Command, Deferred, ServeArgs};
use porta::mcp::transport::{Incoming, Reader};
use porta::sandbox::Sandbox;
use serde_json::Value;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// `porta serve examples/agent.wasm --timeout 1`, parsed and checked once.
fn serve() -> &'static (ServeArgs, Sandbox) {
    static SERVE: OnceLock<(ServeArgs, Sandbox)> = OnceLock::new();
    SERVE.get_or_init(|| {
        // porta's call threads take the default stack, which this sets for
        // every later thread: the agent's guest code needs crate::GUEST_STACK
        // under AddressSanitizer.
        std::env::set_var("RUST_MIN_STACK", crate::GUEST_STACK.to_string());
        let agent = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/agent.wasm");
        let cli = <Cli as clap::Parser>::try_parse_from(["porta", "serve", agent, "--timeout", "1"]).expect("serve's arguments");
        let Command::Serve(Deferred(args)) = cli.command else { unreachable!("parsed as serve") };
        let sandbox = Sandbox::new(&args.module, &args.sandbox(), false).expect("the example agent loads");
        (args, sandbox)
    })
}

/// What porta writes, kept for the check.
#[derive(Clone, Default)]
struct Output(Arc<Mutex<Vec<u8>>>);

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A request as the input states it: its id, and whether it may go
/// unanswered by a reply.
struct Request {
    id: Value,
    at_most_one: bool,
}

pub fn check(data: &[u8]) {
    compare(data);
}

/// Serves `data`; returns how many requests it held.
fn compare(data: &[u8]) -> usize {
    let output = Output::default();
    let (args, sandbox) = serve();
    let code = porta::mcp::serve_sandbox(args, sandbox.clone(), data, Box::new(output.clone()), Duration::from_secs(60));
    assert_eq!(code, 0, "serve ended with {code}");
    let written = output.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let requests = requests(data);
    let mut replies: Vec<Value> = Vec::new();
    for message in messages(&written) {
        let msg: Value = serde_json::from_slice(&message).unwrap_or_else(|e| panic!("porta wrote invalid JSON ({e}): {:?}", String::from_utf8_lossy(&message)));
        assert_eq!(msg["jsonrpc"], "2.0", "not JSON-RPC 2.0: {msg}");
        if msg.get("method").is_some() {
            assert!(msg.get("id").is_none(), "porta sent a request: {msg}");
            continue;
        }
        let has_result = msg.get("result").is_some();
        let error = msg.get("error");
        assert!(has_result != error.is_some(), "a reply needs exactly one of result and error: {msg}");
        if let Some(e) = error {
            assert!(e["code"].is_i64() && e["message"].is_string(), "a malformed error: {msg}");
        }
        replies.push(msg["id"].clone());
    }
    for request in &requests {
        let asked = requests.iter().filter(|r| r.id == request.id).count();
        let lenient = requests.iter().any(|r| r.id == request.id && r.at_most_one);
        let answered = replies.iter().filter(|id| **id == request.id).count();
        if lenient {
            assert!(answered <= asked, "id {} asked {asked} times, answered {answered}", request.id);
        } else {
            assert_eq!(answered, asked, "id {} asked {asked} times, answered {answered}", request.id);
        }
    }
    for id in &replies {
        assert!(id.is_null() || requests.iter().any(|r| r.id == *id), "a reply to id {id}, which no request had");
    }
    requests.len()
}

/// The requests in the input, framed as porta frames them.
fn requests(input: &[u8]) -> Vec<Request> {
    let mut out = Vec::new();
    let mut cancelled = Vec::new();
    let mut reader = Reader::new(input);
    loop {
        let bytes = match reader.next_message() {
            Ok(Incoming::Message(bytes, _)) => bytes,
            Ok(Incoming::Oversized(_)) | Ok(Incoming::BadFraming(_)) => continue,
            Ok(Incoming::Eof) | Err(_) => break,
        };
        let Ok(Value::Object(msg)) = serde_json::from_slice::<Value>(&bytes) else { continue };
        let method = msg.get("method").and_then(Value::as_str);
        let version = msg.get("jsonrpc").and_then(Value::as_str) == Some("2.0");
        match msg.get("id") {
            // Notifications: only a cancellation matters here.
            None if version && method == Some("notifications/cancelled") => {
                if let Some(id) = msg.get("params").and_then(|p| p.get("requestId")) {
                    cancelled.push(id.clone());
                }
            }
            // A readable id is answered, even in an invalid request; a
            // response (no method, a result or an error) is not.
            Some(id) if id.is_string() || id.is_i64() || id.is_u64() => {
                let response = method.is_none() && (msg.contains_key("result") || msg.contains_key("error"));
                if !(version && response) {
                    out.push(Request { id: id.clone(), at_most_one: method == Some("subscriptions/listen") });
                }
            }
            _ => {}
        }
    }
    for r in &mut out {
        r.at_most_one |= cancelled.iter().any(|c| c == &r.id);
    }
    out
}

/// The messages porta wrote: lines, or `Content-Length` frames.
fn messages(mut out: &[u8]) -> Vec<Vec<u8>> {
    let mut messages = Vec::new();
    while !out.is_empty() {
        if let Some(rest) = out.strip_prefix(b"Content-Length: ") {
            let end = rest.windows(4).position(|w| w == b"\r\n\r\n").expect("a header ends with a blank line");
            let len: usize = std::str::from_utf8(&rest[..end]).ok().and_then(|n| n.parse().ok()).expect("a length");
            let body = &rest[end + 4..];
            assert!(body.len() >= len, "a frame shorter than its Content-Length");
            messages.push(body[..len].to_vec());
            out = &body[len..];
        } else {
            let end = out.iter().position(|&b| b == b'\n').expect("every line ends with a newline");
            messages.push(out[..end].to_vec());
            out = &out[end + 1..];
        }
    }
    messages
}

#[cfg(test)]
mod tests {
    /// The seed session is served and checked: five requests, each with
    /// its one reply, and the bad line's error. Its last request is a tool
    /// call, whose reply once could be lost when serve exited right after
    /// the call left the call table.
    #[test]
    fn the_seed_session_is_answered() {
        let seed = include_bytes!("../../corpus/mcp_line/session.jsonl");
        assert_eq!(super::compare(seed), 5);
    }

    /// A session leaves no thread behind (each once left its watchdog:
    /// the fuzzer ran out of memory with thousands of them).
    #[test]
    fn sessions_leave_no_threads() {
        let threads = || std::fs::read_dir("/proc/self/task").map(|d| d.count()).unwrap_or(0);
        let seed = include_bytes!("../../corpus/mcp_line/session.jsonl");
        super::compare(seed);
        let before = threads();
        for _ in 0..20 {
            super::compare(seed);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(threads() <= before + 2, "{} threads after 20 sessions, {before} before", threads());
    }

    /// The reply check reads both framings.
    #[test]
    fn messages_splits_lines_and_frames() {
        let out = b"{\"a\":1}\nContent-Length: 7\r\n\r\n{\"b\":2}{\"c\":3}\n";
        assert_eq!(super::messages(out).len(), 3);
    }
}
