//! `porta serve --prewarm` over MCP: calls from the prewarmed state give
//! the same results and step counts as cold calls, for the example agent
//! and for a CPython agent; prewarming is refused, naming the import, when
//! the agent read the clock or random bytes before its request, and when
//! it has no start-up to skip.

mod common;

use common::{Client, AGENT};
use serde_json::{json, Value};
use std::process::Command;

/// The replies to `calls` and the steps each call's log line reports.
fn session(module: &str, flags: &[&str], calls: &[(&str, Value)]) -> (Vec<Value>, Vec<u64>, String) {
    let mut c = Client::serve(module, flags);
    c.initialize();
    let mut replies = Vec::new();
    for (i, (tool, args)) in calls.iter().enumerate() {
        let r = c.request(json!(i + 1), "tools/call", json!({"name": tool, "arguments": args}));
        replies.push(r["result"].clone());
    }
    let log = c.finish();
    let steps = log
        .lines()
        .filter_map(|l| l.split(" steps=").nth(1))
        .map(|s| s.split(' ').next().unwrap().parse().unwrap())
        .collect();
    (replies, steps, log)
}

fn same_with_and_without_prewarm(module: &str, flags: &[&str], calls: &[(&str, Value)]) -> String {
    let (cold, cold_steps, _) = session(module, flags, calls);
    let warm_flags: Vec<&str> = flags.iter().copied().chain(["--prewarm"]).collect();
    let (warm, warm_steps, log) = session(module, &warm_flags, calls);
    assert!(log.contains("[porta] prewarmed: calls start at step"), "{log}");
    assert_eq!(warm, cold);
    assert_eq!(warm_steps, cold_steps, "{log}");
    // Every call that ran the guest (not the unknown tool) logged its steps.
    assert_eq!(warm_steps.len(), calls.len() - 1);
    log
}

#[test]
fn the_example_agent_answers_the_same_from_its_prewarmed_state() {
    let calls = [
        ("add", json!({"a": 2, "b": 40})),
        ("reverse", json!({"text": "prewarmed"})),
        ("word_count", json!({"text": "one two three"})),
        ("add", json!({"a": -1, "b": 1})),
        ("nope", json!({})),
    ];
    same_with_and_without_prewarm(AGENT, &["--max-concurrent", "1"], &calls);
}

fn python() -> String {
    let out = Command::new("sh").arg("tests/fetch-cpython.sh").output().expect("sh runs");
    assert!(out.status.success(), "fetching CPython failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

const PY_FLAGS: [&str; 9] = [
    "--manifest",
    "tests/python/agent.manifest.json",
    "-v",
    "tests/python:/s:ro",
    "--max-concurrent",
    "1",
    "--deterministic",
    "--",
    "/s/agent.py",
];

#[test]
fn a_cpython_agent_answers_the_same_from_its_prewarmed_state() {
    let python = python();
    let calls = [("echo", json!({"text": "hi there"})), ("echo", json!({"text": "é"})), ("echo", json!({"text": ""}))];
    let (flags, script) = PY_FLAGS.split_at(7);
    let flags: Vec<&str> = flags.iter().chain(script).copied().collect();
    let (cold, cold_steps, _) = session(&python, &flags, &calls);
    let warm_flags: Vec<&str> = PY_FLAGS[..7].iter().copied().chain(["--prewarm"]).chain(PY_FLAGS[7..].iter().copied()).collect();
    let (warm, warm_steps, log) = session(&python, &warm_flags, &calls);
    assert!(log.contains("[porta] prewarmed"), "{log}");
    assert_eq!(warm, cold);
    assert_eq!(warm_steps, cold_steps);
    assert_eq!(warm[0]["structuredContent"], json!({"echo": "hi there", "length": 8}));
    assert_eq!(warm[1]["structuredContent"], json!({"echo": "é", "length": 1}));
    assert_eq!(warm[2]["structuredContent"], json!({"echo": "", "length": 0}));
}

#[test]
fn prewarm_is_refused_when_calls_would_share_a_clock_reading_or_random_bytes() {
    let python = python();
    // Without --deterministic CPython reads the clock (and seeds its hashes
    // from random bytes) before it reads its request.
    let flags: Vec<&str> = PY_FLAGS.iter().copied().filter(|f| *f != "--deterministic").collect();
    let (head, tail) = flags.split_at(6);
    let args: Vec<&str> = ["serve", python.as_str()].into_iter().chain(head.iter().copied()).chain(["--prewarm"]).chain(tail.iter().copied()).collect();
    let o = Command::new(env!("CARGO_BIN_EXE_porta")).args(&args).stdin(std::process::Stdio::null()).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(125), "{err}");
    assert!(err.contains("--prewarm: the agent called clock_time_get before reading its request"), "{err}");
    assert!(err.contains("add --deterministic"), "{err}");
}

#[test]
fn prewarm_is_refused_for_a_library_module() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("porta-prewarm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lib = dir.join("lib.wasm");
    std::fs::write(&lib, wat::parse_str(r#"(module (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))"#).unwrap()).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_porta")).args(["serve", lib.to_str().unwrap(), "--prewarm"]).stdin(std::process::Stdio::null()).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(125), "{err}");
    assert!(err.contains("--prewarm: the module has no `_start`"), "{err}");
}

/// What the agent wrote before it read its request is part of every
/// call's output, prewarmed or not.
#[test]
fn output_written_before_the_request_is_in_every_reply() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("porta-prewarm-early-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Writes `early: ` before it reads stdin, then the request's JSON (the
    // bytes after its 4-byte length): not an ABI answer, so the reply is
    // that text as it is.
    let agent = dir.join("early.wasm");
    std::fs::write(&agent, wat::parse_str(r#"(module
      (import "wasi_snapshot_preview1" "fd_read" (func $read (param i32 i32 i32 i32) (result i32)))
      (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 100) "early: ")
      (func $out (param $ptr i32) (param $len i32)
        (i32.store (i32.const 0) (local.get $ptr)) (i32.store (i32.const 4) (local.get $len))
        (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
      (func (export "_start") (local $n i32)
        (call $out (i32.const 100) (i32.const 7))
        (i32.store (i32.const 16) (i32.const 1000)) (i32.store (i32.const 20) (i32.const 4000))
        (drop (call $read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)))
        (call $out (i32.const 1004) (i32.sub (i32.load (i32.const 24)) (i32.const 4)))))"#).unwrap()).unwrap();
    let manifest = dir.join("early.manifest.json");
    std::fs::write(&manifest, r#"{"schema_version":"1","name":"early","version":"1","description":"d","capabilities":["io"],
        "tools":[{"name":"say","description":"d","inputSchema":{"type":"object"}}]}"#).unwrap();
    let calls = [("say", json!({"x": 1})), ("say", json!({"y": "two"}))];
    let m = manifest.to_str().unwrap();
    let (cold, _, _) = session(agent.to_str().unwrap(), &["--manifest", m], &calls);
    let (warm, _, log) = session(agent.to_str().unwrap(), &["--manifest", m, "--prewarm"], &calls);
    assert!(log.contains("prewarmed"), "{log}");
    assert_eq!(warm, cold);
    assert_eq!(warm[1]["content"][0]["text"], json!(r#"early: {"tool":"say","arguments":{"y":"two"}}"#));
}

/// A guest that never reads stdin does not keep the server from starting:
/// the call timeout bounds the prewarm run too.
#[test]
fn prewarm_of_a_guest_that_never_reads_is_bounded_by_the_timeout() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("porta-prewarm-spin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let agent = dir.join("spin.wasm");
    std::fs::write(&agent, wat::parse_str(r#"(module (memory (export "memory") 1)
      (func (export "_start") (loop $l (br $l))))"#).unwrap()).unwrap();
    let manifest = dir.join("spin.manifest.json");
    std::fs::write(&manifest, r#"{"schema_version":"1","name":"spin","version":"1","description":"d","capabilities":["io"],
        "tools":[{"name":"t","description":"d","inputSchema":{"type":"object"}}]}"#).unwrap();
    let start = std::time::Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_porta"))
        .args(["serve", agent.to_str().unwrap(), "--manifest", manifest.to_str().unwrap(), "--prewarm", "--timeout", "0.5"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(125), "{err}");
    assert!(err.contains("did not read stdin within the 0.5s timeout"), "{err}");
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
}
