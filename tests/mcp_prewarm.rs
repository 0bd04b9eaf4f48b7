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
    let dir = std::env::temp_dir().join(format!("porta-prewarm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lib = dir.join("lib.wasm");
    std::fs::write(&lib, wat::parse_str(r#"(module (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))"#).unwrap()).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_porta")).args(["serve", lib.to_str().unwrap(), "--prewarm"]).stdin(std::process::Stdio::null()).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(125), "{err}");
    assert!(err.contains("--prewarm: the module has no `_start`"), "{err}");
}
