//! `porta serve` driven over pipes: both protocol eras, every method, the
//! error paths, concurrency, the call queue under a flood, cancellation,
//! progress, limits and the audit log, against the example agent
//! (examples/agent.wasm + manifest) and tiny modules written here.

mod common;

use common::{Client, AGENT, MODERN};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn modern_meta() -> Value {
    json!({"io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {}})
}

#[test]
fn legacy_handshake_lists_and_calls() {
    let mut c = Client::start(&[]);
    let init = c.initialize();
    assert_eq!(init["result"]["protocolVersion"], "2025-06-18");
    assert_eq!(init["result"]["serverInfo"]["name"], "porta");
    assert!(init["result"]["capabilities"]["tools"].is_object());
    assert_eq!(c.request(json!(1), "ping", json!({}))["result"], json!({}));

    let tools = c.request(json!("t"), "tools/list", json!({}));
    let names: Vec<&str> = tools["result"]["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["add", "reverse", "word_count", "fib", "spin"]);
    assert_eq!(tools["result"]["tools"][0]["inputSchema"]["required"], json!(["a", "b"]));

    let r = c.request(json!(2), "tools/call", json!({"name": "add", "arguments": {"a": 2, "b": 40}}));
    assert_eq!(r["result"]["isError"], false);
    assert_eq!(r["result"]["structuredContent"], json!({"sum": 42}));
    let r = c.request(json!(3), "tools/call", json!({"name": "reverse", "arguments": {"text": "porta"}}));
    assert_eq!(r["result"]["content"][0], json!({"type": "text", "text": "atrop"}));

    let r = c.request(json!(4), "resources/list", json!({}));
    assert_eq!(r["result"]["resources"][0]["uri"], "porta://example/readme");
    let r = c.request(json!(5), "resources/read", json!({"uri": "porta://example/readme"}));
    assert!(r["result"]["contents"][0]["text"].as_str().unwrap().contains("adds numbers"));
    assert_eq!(r["result"]["contents"][0]["mimeType"], "text/plain");

    let r = c.request(json!(6), "prompts/list", json!({}));
    assert_eq!(r["result"]["prompts"][0]["name"], "greet");
    let r = c.request(json!(7), "prompts/get", json!({"name": "greet", "arguments": {"name": "Ada"}}));
    assert_eq!(r["result"]["messages"][0]["role"], "user");
    assert!(r["result"]["messages"][0]["content"]["text"].as_str().unwrap().contains("Ada"));

    let log = c.finish();
    assert!(log.contains("[porta] tool=add steps="), "{log}");
    assert!(log.lines().any(|l| l.starts_with("[porta] tool=reverse") && l.ends_with("ms ok")), "{log}");
}

#[test]
fn modern_stateless_requests() {
    let mut c = Client::start(&[]);
    let r = c.request(json!("server-discover-probe-1"), "server/discover", json!({"_meta": modern_meta()}));
    let res = &r["result"];
    assert_eq!(res["supportedVersions"], json!([MODERN]));
    assert_eq!((res["resultType"].clone(), res["ttlMs"].clone(), res["cacheScope"].clone()), (json!("complete"), json!(0), json!("private")));
    assert_eq!(res["_meta"]["io.modelcontextprotocol/serverInfo"]["name"], "porta");

    // No handshake needed: every request carries its version.
    let r = c.request(json!(1), "tools/call", json!({"_meta": modern_meta(), "name": "fib", "arguments": {"n": 10}}));
    assert_eq!(r["result"]["content"][0]["text"], "55");
    assert_eq!(r["result"]["resultType"], "complete");

    let mut old = modern_meta();
    old["io.modelcontextprotocol/protocolVersion"] = json!("2030-01-01");
    let r = c.request(json!(2), "tools/list", json!({"_meta": old}));
    assert_eq!(r["error"]["code"], -32022);
    assert_eq!(r["error"]["data"]["supported"], json!([MODERN]));
    let r = c.request(json!(3), "tools/list", json!({"_meta": {"io.modelcontextprotocol/protocolVersion": MODERN}}));
    assert_eq!(r["error"]["code"], -32602, "clientCapabilities are required");
    let r = c.request(json!(5), "resources/read", json!({"_meta": modern_meta(), "uri": "nope://x"}));
    assert_eq!(r["error"]["code"], -32602, "resource not found is -32602 in 2026");

    c.send(json!({"jsonrpc": "2.0", "id": "listen:0", "method": "subscriptions/listen",
        "params": {"_meta": modern_meta(), "notifications": {"toolsListChanged": true}}}));
    let ack = c.recv();
    assert_eq!(ack["method"], "notifications/subscriptions/acknowledged");
    assert_eq!(ack["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"], "listen:0");
    // The listen stream stays open and does not block other requests.
    let r = c.request(json!(6), "tools/list", json!({"_meta": modern_meta()}));
    assert!(r["result"]["tools"].is_array());
    c.finish();
}

#[test]
fn protocol_errors() {
    let mut c = Client::start(&[]);
    // Current clients probe with server/discover in the legacy era too: the
    // answer must come at once (here a DiscoverResult would need _meta).
    let r = c.request(json!(1), "no/such/method", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    c.send_raw("{not json\n");
    let r = c.recv();
    assert_eq!((r["error"]["code"].clone(), r["id"].clone()), (json!(-32700), Value::Null));
    c.send_raw("[{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}]\n");
    assert_eq!(c.recv()["error"]["code"], -32600, "batches are rejected");
    c.send(json!({"jsonrpc": "1.0", "id": 10, "method": "ping"}));
    assert_eq!(c.recv()["error"]["code"], -32600);
    c.send(json!({"jsonrpc": "2.0", "id": 11, "method": "tools/call", "params": [1]}));
    assert_eq!(c.recv()["error"]["code"], -32602);
    let r = c.request(json!(12), "tools/call", json!({"name": "nope", "arguments": {}}));
    assert_eq!(r["error"]["code"], -32602);
    let r = c.request(json!(13), "tools/list", json!({"cursor": "garbage"}));
    assert_eq!(r["error"]["code"], -32602);
    let r = c.request(json!(14), "prompts/get", json!({"name": "greet-nope"}));
    assert_eq!(r["error"]["code"], -32602);
    let r = c.request(json!(15), "resources/read", json!({"uri": "file:///etc/passwd"}));
    assert_eq!(r["error"]["code"], -32002, "legacy resource not found");
    // Notifications never get a reply: the next reply is for id 16.
    c.send(json!({"jsonrpc": "2.0", "method": "notifications/whatever"}));
    c.send(json!({"jsonrpc": "2.0", "method": "no/such/notification", "params": {}}));
    assert_eq!(c.request(json!(16), "ping", json!({}))["id"], 16);
    c.finish();
}

#[test]
fn tool_failures_are_results_and_the_server_stays_up() {
    let mut c = Client::start(&["--step-limit", "1000000", "--timeout", "5"]);
    c.initialize();
    // Bad arguments: the model gets an error result it can act on.
    let r = c.request(json!(1), "tools/call", json!({"name": "add", "arguments": {"a": "two"}}));
    assert_eq!(r["result"]["isError"], true);
    assert!(r["result"]["content"][0]["text"].as_str().unwrap().contains("invalid arguments"));
    // The agent's own {"err": ...}.
    let r = c.request(json!(2), "tools/call", json!({"name": "fib", "arguments": {"n": 200}}));
    assert_eq!(r["result"]["isError"], true);
    assert_eq!(r["result"]["content"][0]["text"], "n must be between 0 and 90");
    // A guest that loops hits the step limit: a one-line reason.
    let r = c.request(json!(3), "tools/call", json!({"name": "spin", "arguments": {}}));
    assert_eq!(r["result"]["isError"], true);
    assert_eq!(r["result"]["content"][0]["text"], "step limit of 1000000 exceeded");
    let r = c.request(json!(4), "tools/call", json!({"name": "add", "arguments": {"a": 1, "b": 1}}));
    assert_eq!(r["result"]["isError"], false, "still serving");
    c.finish();

    let mut c = Client::start(&["--timeout", "0.3"]);
    c.initialize();
    let r = c.request(json!(1), "tools/call", json!({"name": "spin", "arguments": {}}));
    assert_eq!(r["result"]["content"][0]["text"], "timed out after 0.3s");
    c.finish();
}

#[test]
fn calls_run_concurrently_and_can_be_cancelled() {
    let mut c = Client::start(&[]);
    c.initialize();
    c.call("long", "spin", json!({}));
    std::thread::sleep(Duration::from_millis(200));
    // ping and another call answer while the long one runs.
    let start = Instant::now();
    assert_eq!(c.request(json!("p"), "ping", json!({}))["result"], json!({}));
    let r = c.request(json!("other"), "tools/call", json!({"name": "add", "arguments": {"a": 1, "b": 2}}));
    assert_eq!(r["result"]["structuredContent"]["sum"], 3);
    assert!(start.elapsed() < Duration::from_secs(5));
    // Cancel the long call: it stops and gets no reply.
    c.send(json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": "long", "reason": "test"}}));
    std::thread::sleep(Duration::from_millis(300));
    let r = c.request(json!("after"), "ping", json!({}));
    assert_eq!(r["id"], "after", "no reply for the cancelled call came first");
    let log = c.finish();
    assert!(log.contains("tool=spin") && log.contains("error"), "the cancelled call is logged: {log}");
}

#[test]
fn progress_notifications_follow_a_progress_token() {
    let mut c = Client::start(&["--timeout", "1"]);
    c.initialize();
    c.send(json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "spin", "arguments": {}, "_meta": {"progressToken": "tok"}}}));
    let mut progress = Vec::new();
    loop {
        let m = c.recv();
        if m.get("id").is_some() {
            break;
        }
        assert_eq!(m["method"], "notifications/progress");
        assert_eq!(m["params"]["progressToken"], "tok");
        progress.push(m["params"]["progress"].as_u64().unwrap());
    }
    assert!(progress.len() >= 2, "{progress:?}");
    assert!(progress.windows(2).all(|w| w[0] < w[1]), "progress increases: {progress:?}");
    c.finish();
}

#[test]
fn content_length_framing_is_answered_in_kind() {
    let mut c = Client::start(&[]);
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": {"name": "old", "version": "0"}}})
    .to_string();
    c.send_raw(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    let header = c.lines.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(header.starts_with("Content-Length: "), "{header}");
    c.finish();
}

#[test]
fn pagination_and_audit_with_redacted_secrets() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("porta-mcp-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let audit = dir.join("audit.jsonl");
    let _ = std::fs::remove_file(&audit);
    let mut c = Client::start(&["--page-size", "2", "--audit", audit.to_str().unwrap(), "--secret", "TOKEN=sekrit-42"]);
    c.initialize();
    let mut names = Vec::new();
    let mut cursor = Value::Null;
    for id in 0..10 {
        let params = if cursor.is_null() { json!({}) } else { json!({"cursor": cursor}) };
        let r = c.request(json!(id), "tools/list", params);
        names.extend(r["result"]["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_string()));
        cursor = r["result"]["nextCursor"].clone();
        if cursor.is_null() {
            break;
        }
    }
    assert_eq!(names, ["add", "reverse", "word_count", "fib", "spin"]);
    let r = c.request(json!(20), "tools/call", json!({"name": "reverse", "arguments": {"text": "my sekrit-42 here"}}));
    assert_eq!(r["result"]["isError"], false);
    let log = c.finish();
    assert!(!log.contains("sekrit-42"));
    let text = std::fs::read_to_string(&audit).unwrap();
    assert!(!text.contains("sekrit-42"), "{text}");
    let record: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(record["tool"], "reverse");
    assert_eq!(record["arguments"]["text"], "my *** here");
    assert_eq!(record["outcome"], "ok");
    assert!(record["steps"].as_u64().unwrap() > 0 && record["duration_ms"].is_u64() && record["time"].is_f64());
}

#[test]
fn a_library_module_serves_its_exports() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("porta-mcp-lib-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let m = dir.join("lib.wasm");
    std::fs::write(&m, wat::parse_str(r#"(module (func (export "mul") (param i32 i32) (result i32) local.get 0 local.get 1 i32.mul))"#).unwrap()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_porta"))
        .args(["serve", m.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{"name":"mul","arguments":{{"arg0":6,"arg1":7}}}}}}"#).unwrap();
    drop(stdin);
    let mut out = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    let r: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(r["result"]["content"][0]["text"], "42");
    child.wait().unwrap();
}

/// A tiny HTTP server on loopback: `/hello`, a redirect to it, and a
/// redirect to a host outside the allow list. Serves `n` requests.
fn http_server(n: usize) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(n) {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let len = s.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..len]).to_string();
            let path = req.split_whitespace().nth(1).unwrap_or("/").to_string();
            let reply = match path.as_str() {
                "/hello" => "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Test: yes\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhi there".to_string(),
                "/in" => "HTTP/1.1 302 Found\r\nLocation: /hello\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string(),
                _ => format!("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.2:{port}/hello\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
            };
            let _ = s.write_all(reply.as_bytes());
        }
    });
    port
}

#[test]
fn porta_http_is_offered_only_when_granted_and_stays_in_its_list() {
    let mut c = Client::start(&[]);
    c.initialize();
    let tools = c.request(json!(1), "tools/list", json!({}));
    assert!(!tools.to_string().contains("porta.http"), "not offered without net");
    c.finish();

    let port = http_server(8);
    let allow = format!("127.0.0.1:{port}");
    let mut c = Client::start(&["--allow-net", &allow]);
    c.initialize();
    let tools = c.request(json!(1), "tools/list", json!({}));
    assert!(tools.to_string().contains("porta.http"));
    let url = |p: &str| format!("http://127.0.0.1:{port}{p}");
    let r = c.request(json!(2), "tools/call", json!({"name": "porta.http", "arguments": {"url": url("/hello")}}));
    let v = &r["result"]["structuredContent"];
    assert_eq!((v["status"].clone(), v["body"].clone(), v["headers"]["x-test"].clone()), (json!(200), json!("hi there"), json!("yes")));
    let r = c.request(json!(3), "tools/call", json!({"name": "porta.http", "arguments": {"url": url("/in")}}));
    assert_eq!(r["result"]["structuredContent"]["body"], "hi there", "a redirect inside the list is followed");
    let r = c.request(json!(4), "tools/call", json!({"name": "porta.http", "arguments": {"url": url("/out")}}));
    assert_eq!(r["result"]["isError"], true);
    assert!(r["result"]["content"][0]["text"].as_str().unwrap().contains("redirect refused"), "{r}");
    let r = c.request(json!(5), "tools/call", json!({"name": "porta.http", "arguments": {"url": "http://127.0.0.1:1/"}}));
    assert!(r["result"]["content"][0]["text"].as_str().unwrap().contains("not in --allow-net"));
    c.finish();
}

/// The peak of a /proc/PID/status field (in its own unit), sampled every
/// millisecond until `stop` is set.
fn sample_peak(pid: u32, field: &'static str, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut peak = 0;
        while !stop.load(Ordering::Relaxed) {
            peak = peak.max(proc_status(pid, field));
            std::thread::sleep(Duration::from_millis(1));
        }
        peak
    })
}

fn proc_status(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap_or("");
    line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0)
}

#[test]
fn a_flood_of_queued_calls_gets_one_reply_each_from_bounded_threads() {
    const N: u64 = 10_000;
    const MAX_CONCURRENT: u64 = 4;
    let mut c = Client::start(&["--max-concurrent", &MAX_CONCURRENT.to_string()]);
    let pid = c.child.id();
    let stop = Arc::new(AtomicBool::new(false));
    let threads = sample_peak(pid, "Threads:", stop.clone());
    let start = Instant::now();
    let mut flood = String::new();
    for id in 0..N {
        let call = json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": "add", "arguments": {"a": id, "b": 1}}});
        flood.push_str(&format!("{call}\n"));
    }
    c.send_raw(&flood);
    let mut seen = vec![false; N as usize];
    let (mut results, mut busy) = (0, 0);
    for _ in 0..N {
        let r = c.response();
        let id = r["id"].as_u64().expect("an id from the flood");
        assert!(!std::mem::replace(&mut seen[id as usize], true), "two replies for id {id}");
        if r["result"]["structuredContent"]["sum"] == json!(id + 1) {
            results += 1;
        } else {
            assert_eq!(r["error"]["code"], -32000, "{r}");
            assert!(r["error"]["message"].as_str().unwrap().starts_with("server busy: "), "{r}");
            busy += 1;
        }
    }
    let elapsed = start.elapsed();
    stop.store(true, Ordering::Relaxed);
    let peak_threads = threads.join().unwrap();
    let peak_rss_kib = proc_status(pid, "VmHWM:");
    eprintln!("flood of {N}: {results} results, {busy} busy, {elapsed:?}, peak {peak_threads} threads, VmHWM {peak_rss_kib} KiB");
    // Nothing more comes: the next reply is the ping's.
    assert_eq!(c.request(json!("after"), "ping", json!({}))["id"], "after");
    assert!(results >= MAX_CONCURRENT, "{results} calls ran");
    // The reading thread, the watchdog and the workers; nothing per call.
    assert!(peak_threads > 0 && peak_threads <= MAX_CONCURRENT + 3, "peak {peak_threads} threads");
    assert!(peak_rss_kib < 256 << 10, "peak RSS {peak_rss_kib} KiB");
    c.finish();
}

#[test]
fn a_full_queue_refuses_at_once() {
    let mut c = Client::start(&["--max-concurrent", "1", "--max-queue", "2"]);
    c.call("long", "spin", json!({}));
    for id in ["q1", "q2"] {
        c.call(id, "reverse", json!({"text": id}));
    }
    let r = c.request(json!("q3"), "tools/call", json!({"name": "reverse", "arguments": {"text": "q3"}}));
    assert_eq!(r["error"], json!({"code": -32000, "message": "server busy: 2 calls queued, retry later"}));
    // The queued calls run, in order, once the slot is free.
    c.cancel("long");
    assert_eq!(c.response()["result"]["content"][0]["text"], "1q");
    assert_eq!(c.response()["result"]["content"][0]["text"], "2q");
    c.finish();
}

#[test]
fn queued_requests_are_bounded_in_bytes_too() {
    let mut c = Client::start(&["--max-concurrent", "1"]);
    c.call("long", "spin", json!({}));
    // 12 MiB each: the third passes the 32 MiB the queue may hold.
    let text = "x".repeat(12 << 20);
    for id in ["big1", "big2"] {
        c.call(id, "reverse", json!({"text": text}));
    }
    let r = c.request(json!("big3"), "tools/call", json!({"name": "reverse", "arguments": {"text": text}}));
    assert_eq!(r["error"]["message"], "server busy: 2 calls queued, retry later");
    for id in ["big1", "big2", "long"] {
        c.cancel(id);
    }
    assert_eq!(c.request(json!("after"), "ping", json!({}))["id"], "after");
    c.finish();
}

#[test]
fn a_cancelled_queued_call_never_runs_and_gets_no_reply() {
    let mut c = Client::start(&["--max-concurrent", "1"]);
    c.call("long", "spin", json!({}));
    c.call("queued", "reverse", json!({"text": "abc"}));
    c.cancel("queued");
    c.cancel("long");
    // One worker, first in first out: "queued" would have answered first.
    let r = c.request(json!("after"), "tools/call", json!({"name": "reverse", "arguments": {"text": "xyz"}}));
    assert_eq!(r["result"]["content"][0]["text"], "zyx");
    let log = c.finish();
    assert_eq!(log.matches("tool=reverse").count(), 1, "{log}");
}

#[test]
fn a_duplicate_id_in_flight_is_rejected() {
    let mut c = Client::start(&["--max-concurrent", "1"]);
    c.call("dup", "spin", json!({}));
    c.call(7, "reverse", json!({"text": "ab"}));
    // Running and queued ids alike.
    for id in [json!("dup"), json!(7)] {
        let r = c.request(id, "tools/call", json!({"name": "reverse", "arguments": {"text": "x"}}));
        assert_eq!(r["error"]["code"], -32600, "{r}");
        assert!(r["error"]["message"].as_str().unwrap().contains("already in use"), "{r}");
    }
    // The first "dup" can still be cancelled, and frees its slot.
    c.cancel("dup");
    assert_eq!(c.response(), json!({"jsonrpc": "2.0", "id": 7, "result": {"content": [{"type": "text", "text": "ba"}], "isError": false}}));
    // An answered id may be used again at once.
    let r = c.request(json!(7), "tools/call", json!({"name": "reverse", "arguments": {"text": "cd"}}));
    assert_eq!(r["result"]["content"][0]["text"], "dc");
    c.finish();
}

/// A fresh directory for one test's files.
fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("porta-mcp-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn resources_and_prompts_are_unwrapped_like_tools() {
    // The example manifest plus a resource and a prompt the agent refuses.
    let mut manifest: Value = serde_json::from_str(&std::fs::read_to_string("examples/agent.manifest.json").unwrap()).unwrap();
    manifest["resources"].as_array_mut().unwrap().push(json!({"uri": "porta://example/missing", "name": "missing"}));
    manifest["prompts"].as_array_mut().unwrap().push(json!({"name": "missing", "description": "Refused by the agent."}));
    let path = temp_dir("unwrap").join("agent.manifest.json");
    std::fs::write(&path, manifest.to_string()).unwrap();
    let mut c = Client::start(&["--manifest", path.to_str().unwrap()]);
    let r = c.request(json!(1), "resources/read", json!({"uri": "porta://example/readme"}));
    assert_eq!(r["result"]["contents"][0]["text"], "This agent adds numbers, reverses text and counts words.");
    let r = c.request(json!(2), "prompts/get", json!({"name": "greet", "arguments": {"name": "Ada"}}));
    assert_eq!(r["result"]["messages"][0]["content"]["text"], "Say hello to Ada and offer to add two numbers.");
    // The agent's {"err": ...} is an error reply, never a success.
    let r = c.request(json!(3), "resources/read", json!({"uri": "porta://example/missing"}));
    assert_eq!(r["error"], json!({"code": -32603, "message": "the agent failed: no resource porta://example/missing"}));
    let r = c.request(json!(4), "prompts/get", json!({"name": "missing"}));
    assert_eq!(r["error"], json!({"code": -32603, "message": "the agent failed: no prompt missing"}));
    let log = c.finish();
    assert!(log.contains("tool=_resource_read") && log.lines().any(|l| l.starts_with("[porta] tool=_prompt_get") && l.ends_with("error")), "{log}");
}

#[test]
fn a_result_that_breaks_the_output_schema_is_a_tool_error() {
    let mut c = Client::start(&[]);
    // 1e308 + 1e308 is infinity, which JSON writes as null.
    let r = c.request(json!(1), "tools/call", json!({"name": "add", "arguments": {"a": 1e308, "b": 1e308}}));
    let expected = "the result does not match the tool's outputSchema: `sum` must be of type \"number\", not null";
    assert_eq!(r["result"], json!({"content": [{"type": "text", "text": expected}], "isError": true}));
    let r = c.request(json!(2), "tools/call", json!({"name": "add", "arguments": {"a": 1.5, "b": 2}}));
    assert_eq!((r["result"]["isError"].clone(), r["result"]["structuredContent"].clone()), (json!(false), json!({"sum": 3.5})));
    c.finish();
}

#[test]
fn integers_stay_integers() {
    let mut c = Client::start(&[]);
    let r = c.request(json!(1), "tools/call", json!({"name": "add", "arguments": {"a": 2, "b": 40}}));
    assert_eq!(r["result"]["content"][0]["text"], r#"{"sum":42}"#);
    assert!(r["result"]["structuredContent"]["sum"].is_u64(), "{r}");
    let r = c.request(json!(2), "tools/call", json!({"name": "fib", "arguments": {"n": 90}}));
    assert_eq!(r["result"]["content"][0]["text"], "2880067194370816120");
    let r = c.request(json!(3), "tools/call", json!({"name": "word_count", "arguments": {"text": "one two"}}));
    assert_eq!(r["result"]["content"][0]["text"], r#"{"chars":7,"words":2}"#);
    c.finish();
}

#[test]
fn a_command_module_without_a_manifest_says_what_to_do() {
    let module = temp_dir("no-manifest").join("agent.wasm");
    std::fs::copy(AGENT, &module).unwrap();
    let module = module.to_str().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_porta")).args(["serve", module]).stdin(Stdio::null()).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(125), "{err}");
    assert!(out.stdout.is_empty());
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("porta: nothing to serve: ") && err.contains("with no manifest"), "{err}");
    assert!(err.contains(&format!("write one with `porta build {module}`")), "{err}");
    // With a builtin to serve, it starts, and still says what is missing.
    let mut c = Client::serve(module, &["--allow-net", "127.0.0.1:1"]);
    let tools = c.request(json!(1), "tools/list", json!({}));
    assert_eq!(tools["result"]["tools"].as_array().unwrap().len(), 1, "only porta.http: {tools}");
    let log = c.finish();
    assert!(log.contains("the agent offers no tools") && log.contains("porta build"), "{log}");
}

#[test]
fn a_bad_content_length_gets_a_parse_error() {
    let mut c = Client::start(&[]);
    c.send_raw("Content-Length: twelve\r\n\r\n");
    // The reply comes in the client's framing: a header, a blank line, then
    // the body with no newline after it.
    assert!(c.lines.recv_timeout(Duration::from_secs(10)).unwrap().starts_with("Content-Length: "));
    assert_eq!(c.lines.recv_timeout(Duration::from_secs(10)).unwrap(), "");
    c.send(json!({"jsonrpc": "2.0", "id": "next", "method": "ping"}));
    let line = c.lines.recv_timeout(Duration::from_secs(10)).unwrap();
    let mut messages = serde_json::Deserializer::from_str(&line).into_iter::<Value>();
    let r = messages.next().unwrap().unwrap();
    assert_eq!(r, json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "Parse error: bad Content-Length `twelve`"}}));
    assert_eq!(messages.next().unwrap().unwrap()["id"], "next", "still serving");
    let log = c.finish();
    assert!(log.contains("unreadable message"), "{log}");
}

#[test]
fn ping_is_answered_in_every_era() {
    let mut c = Client::start(&[]);
    assert_eq!(c.request(json!(1), "ping", json!({}))["result"], json!({}), "before initialize");
    c.initialize();
    assert_eq!(c.request(json!(2), "ping", json!({}))["result"], json!({}), "after initialize");
    c.finish();

    let mut c = Client::start(&[]);
    c.request(json!(0), "server/discover", json!({"_meta": modern_meta()}));
    let r = c.request(json!(1), "ping", json!({"_meta": modern_meta()}));
    assert_eq!(r["result"]["resultType"], "complete", "2026-07-28 with _meta: {r}");
    assert!(r.get("error").is_none());
    let r = c.request(json!(2), "ping", json!({}));
    assert_eq!(r["result"], json!({}), "2026-07-28 without _meta");
    c.finish();
}

#[test]
fn guest_memory_is_limited_by_default_and_max_memory_raises_it() {
    let module = temp_dir("memory").join("grow.wasm");
    // memory.grow returns the old size in pages, or -1 past the limit.
    let wat = r#"(module (memory 1) (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))"#;
    std::fs::write(&module, wat::parse_str(wat).unwrap()).unwrap();
    let grow = |extra: &[&str], pages: u32| {
        let mut c = Client::serve(module.to_str().unwrap(), extra);
        let r = c.request(json!(1), "tools/call", json!({"name": "grow", "arguments": {"arg0": pages}}));
        c.finish();
        r["result"]["content"][0]["text"].as_str().unwrap().to_string()
    };
    assert_eq!(grow(&[], 4096), "-1", "4097 pages are past the default 4096");
    assert_eq!(grow(&["--max-memory", "2"], 2), "-1");
    assert_eq!(grow(&["--max-memory", "2"], 1), "1");
    assert_eq!(grow(&["--max-memory", "4097"], 4096), "1");
}

#[test]
fn calls_time_out_by_default_and_timeout_0_turns_it_off() {
    let out = Command::new(env!("CARGO_BIN_EXE_porta")).args(["serve", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("60 per call for serve") && help.contains("4096 (256 MiB) per call for serve"), "{help}");
    assert!(help.contains("--max-queue <N>") && help.contains("[default: 1024]"), "{help}");
    // The mechanism with a short limit is in tool_failures_are_results...;
    // with 0, a call runs until it is cancelled.
    let mut c = Client::start(&["--timeout", "0"]);
    c.call("long", "spin", json!({}));
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(c.request(json!("p"), "ping", json!({}))["id"], "p", "the spin is still running");
    c.cancel("long");
    let log = c.finish();
    assert!(log.contains("tool=spin") && !log.contains("timed out"), "{log}");
}
