//! `porta inspect`, `validate`, `build`, and the `run` options beyond the
//! basics (limits, timeout, environment, secrets, manifests, profiles,
//! restarts, determinism), through the real binary.

use std::path::PathBuf;
use std::process::{Command, Output};

fn porta(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_porta")).args(args).output().expect("porta runs")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn dir(tag: &str) -> PathBuf {
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("porta-cmd-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn wat_file(d: &std::path::Path, name: &str, wat: &str) -> String {
    let p = d.join(name);
    std::fs::write(&p, wat::parse_str(wat).unwrap()).unwrap();
    p.to_string_lossy().into_owned()
}

const AGENT: &str = "examples/agent.wasm";
const RUST_GUEST: &str = "tests/wasi/bin/rust_guest.wasm";

#[test]
fn inspect_reports_structure_needs_and_manifest() {
    let o = porta(&["inspect", AGENT]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    for expected in [
        "wasi_snapshot_preview1.fd_write: func (i32, i32, i32, i32) -> (i32)",
        "_start: func () -> ()",
        "memory 17.. pages",
        "fd_write: io or fs or fs.write",
        "\"name\": \"example-agent\"",
        "proposals: ",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let o = porta(&["inspect", "--json", AGENT]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("inspect --json is JSON");
    assert_eq!(v["manifest"]["tools"][0]["name"], "add");
    assert!(v["analysis"]["functions"].as_u64().unwrap() > 10);
}

#[test]
fn inspect_redacts_secrets_in_a_manifest() {
    let d = dir("redact");
    std::fs::copy(AGENT, d.join("a.wasm")).unwrap();
    std::fs::write(
        d.join("a.manifest.json"),
        r#"{"name": "a", "env": {"API_TOKEN": "s3cr3t-value", "MODE": "fast"}}"#,
    )
    .unwrap();
    let a = d.join("a.wasm");
    for args in [vec!["inspect", a.to_str().unwrap()], vec!["inspect", "--json", a.to_str().unwrap()]] {
        let o = porta(&args);
        assert!(!out(&o).contains("s3cr3t-value") && !err(&o).contains("s3cr3t-value"));
        assert!(out(&o).contains("fast"), "non-secret values stay: {}", out(&o));
    }
}

#[test]
fn validate_passes_fails_and_errors() {
    let o = porta(&["validate", AGENT, "--profile", "full"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("PASS"));
    // The agent reads its environment; under its own manifest (io only)
    // environ_get is denied.
    let o = porta(&["validate", AGENT]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("environ_get") && out(&o).contains("DENIED (needs env)"), "{}", out(&o));
    let o = porta(&["validate", "--json", AGENT]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["result"], "FAIL");

    let d = dir("validate");
    std::fs::write(d.join("junk.wasm"), b"\0asm\x01\0\0\0\x05\xff").unwrap();
    let o = porta(&["validate", d.join("junk.wasm").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "a corrupt module fails");
    let o = porta(&["validate", "/nonexistent.wasm"]);
    assert_eq!(o.status.code(), Some(125), "a missing file is an error, not a pass");
    let other = wat_file(&d, "other.wasm", r#"(module (import "env" "f" (func)))"#);
    let o = porta(&["validate", &other, "--profile", "full"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("NOT PROVIDED"));
}

#[test]
fn build_writes_a_manifest_and_never_clobbers() {
    let d = dir("build");
    let m = wat_file(
        &d,
        "tool.wasm",
        r#"(module
            (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
            (import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32) (result i32)))
            (memory (export "memory") 1)
            (func (export "_start"))
            (func (export "malloc") (param i32) (result i32) i32.const 0)
            (func (export "score") (param i32 f64) (result f64) local.get 1))"#,
    );
    let o = porta(&["build", &m]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let written = std::fs::read_to_string(d.join("tool.manifest.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(v["capabilities"], serde_json::json!(["io", "clock"]));
    assert_eq!(v["wasi_imports"], serde_json::json!(["fd_write", "clock_time_get"]));
    let tools: Vec<&str> = v["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(tools, ["score"]);
    assert_eq!(v["tools"][0]["inputSchema"]["properties"]["arg1"]["type"], "number");

    std::fs::write(d.join("tool.manifest.json"), "keep me").unwrap();
    let o = porta(&["build", &m]);
    assert_eq!(o.status.code(), Some(125));
    assert_eq!(std::fs::read_to_string(d.join("tool.manifest.json")).unwrap(), "keep me");
    assert_eq!(porta(&["build", &m, "--force"]).status.code(), Some(0));
    let o = porta(&["build", &m, "-o", &m]);
    assert_eq!(o.status.code(), Some(125), "never overwrites the module");
    assert!(wat::parse_str("(module)").is_ok() && std::fs::read(&m).unwrap().starts_with(b"\0asm"));
}

#[test]
fn a_malformed_manifest_names_the_field() {
    let d = dir("badmanifest");
    let bad = d.join("bad.json");
    std::fs::write(&bad, r#"{"name": "x", "tools": [{"name": "t", "inputSchema": 7}]}"#).unwrap();
    let o = porta(&["run", AGENT, "--manifest", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(125));
    assert!(err(&o).contains("tools[0].inputSchema"), "{}", err(&o));
    assert_eq!(err(&o).lines().count(), 1);
}

#[test]
fn timeout_stops_an_endless_loop() {
    let d = dir("timeout");
    let m = wat_file(&d, "loop.wasm", r#"(module (func (export "_start") (loop (br 0))))"#);
    let start = std::time::Instant::now();
    let o = porta(&["run", &m, "--timeout", "0.3"]);
    assert_eq!(o.status.code(), Some(124), "{}", err(&o));
    assert!(start.elapsed().as_secs_f64() < 5.0);
    assert!(err(&o).contains("timed out"));
    assert_eq!(porta(&["run", &m, "--timeout", "-1"]).status.code(), Some(125));
}

#[test]
fn max_memory_limits_growth_and_start() {
    let d = dir("maxmem");
    let m = wat_file(
        &d,
        "grow.wasm",
        r#"(module (memory (export "memory") 2)
            (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))"#,
    );
    let o = porta(&["run", &m, "--max-memory", "4", "--invoke", "grow", "3"]);
    assert_eq!(out(&o), "-1\n");
    let o = porta(&["run", &m, "--max-memory", "4", "--invoke", "grow", "2"]);
    assert_eq!(out(&o), "2\n");
    assert!(err(&o).contains("memory: 4 pages"), "{}", err(&o));
    let o = porta(&["run", &m, "--max-memory", "1", "--invoke", "grow", "0"]);
    assert_eq!(o.status.code(), Some(125), "a module that starts above the limit is refused");
}

#[test]
fn env_files_and_secrets() {
    let d = dir("env");
    let f = d.join("vars.env");
    std::fs::write(&f, "# settings\nexport PORTA_TEST=\"yes\"\n\nIGNORED_COMMENTED=1 # trailing\n").unwrap();
    let o = porta(&["run", "-q", RUST_GUEST, "--env-file", f.to_str().unwrap(), "--", "env", "extra arg"]);
    assert_eq!((o.status.code(), out(&o)), (Some(0), "ok env\n".into()), "{}", err(&o));

    let o = porta(&["run", RUST_GUEST, "--secret", "PORTA_TEST=hunter2", "--", "env", "extra arg"]);
    assert!(!err(&o).contains("hunter2") && !out(&o).contains("hunter2"));
    let o = porta(&["run", RUST_GUEST, "--secret", "hunter2"]);
    assert_eq!(o.status.code(), Some(125));
    assert!(!err(&o).contains("hunter2"), "a malformed secret is not echoed: {}", err(&o));
    let missing = porta(&["run", RUST_GUEST, "--env-file", "/nonexistent.env"]);
    assert_eq!(missing.status.code(), Some(125));
}

#[test]
fn profiles_manifests_and_strict_imports() {
    let o = porta(&["run", AGENT, "--profile", "admin"]);
    assert_eq!(o.status.code(), Some(125));
    assert!(err(&o).contains("ai-agent, worker, full"));
    let o = porta(&["run", AGENT, "--allow", "disk"]);
    assert_eq!(o.status.code(), Some(125));
    assert!(err(&o).contains("unknown capability `disk`"));
    // The agent imports environ_get; its manifest grants only io.
    let o = porta(&["run", AGENT, "--strict-imports"]);
    assert_eq!(o.status.code(), Some(125));
    assert!(err(&o).contains("environ_get (needs env)"), "{}", err(&o));
    let o = porta(&["run", AGENT, "--strict-imports", "--allow", "env"]);
    assert_ne!(o.status.code(), Some(125), "{}", err(&o));
}

#[test]
fn restart_on_failure_counts_and_gives_up() {
    let d = dir("restart");
    let m = wat_file(&d, "fail.wasm", r#"(module (func (export "_start") unreachable))"#);
    let o = porta(&["run", &m, "--restart", "on-failure", "--max-restarts", "2"]);
    assert_eq!(o.status.code(), Some(134));
    assert!(err(&o).contains("restarts: 2"), "{}", err(&o));
    assert_eq!(err(&o).matches("porta: trap: unreachable").count(), 3);
    let ok = wat_file(&d, "ok.wasm", r#"(module (func (export "_start")))"#);
    let o = porta(&["run", &ok, "--restart", "on-failure"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(err(&o).contains("restarts: 0"));
    assert_eq!(porta(&["run", &ok, "--restart", "sometimes"]).status.code(), Some(125));
}

#[test]
fn deterministic_runs_repeat_exactly() {
    let run = || {
        let o = porta(&["run", "tests/wasi/bin/random.wasm", "--deterministic", "--allow", "random,clock", "--", "getentropy"]);
        (o.status.code(), out(&o), err(&o))
    };
    let first = run();
    assert_eq!(first.0, Some(0), "{}", first.2);
    assert_eq!(first, run(), "output and step count repeat");
    assert!(first.2.contains("steps: "));
}

#[test]
fn version_and_help_for_every_command() {
    assert_eq!(out(&porta(&["version"])), format!("porta {}\n", env!("CARGO_PKG_VERSION")));
    for cmd in ["run", "inspect", "validate", "build"] {
        let o = porta(&[cmd, "--help"]);
        assert_eq!(o.status.code(), Some(0), "{cmd}");
        assert!(out(&o).contains("Usage: porta"), "{cmd}");
    }
    assert_eq!(porta(&["frobnicate"]).status.code(), Some(125));
}

#[test]
fn entry_and_reactor_initialization() {
    let d = dir("entry");
    let m = wat_file(
        &d,
        "reactor.wasm",
        r#"(module
            (global $ready (mut i32) (i32.const 0))
            (func (export "_initialize") (global.set $ready (i32.const 41)))
            (func (export "main") (result i32) (i32.add (global.get $ready) (i32.const 1)))
            (func (export "boom") unreachable))"#,
    );
    let o = porta(&["run", &m, "--entry", "main"]);
    assert_eq!((o.status.code(), out(&o)), (Some(0), "42\n".into()), "_initialize ran first: {}", err(&o));
    assert_eq!(porta(&["run", &m, "--entry", "boom"]).status.code(), Some(134));
    let o = porta(&["run", &m]);
    assert_eq!(o.status.code(), Some(125), "no _start and no --entry");
    assert!(err(&o).contains("no function `_start`"));
}

#[test]
fn a_reader_closing_the_pipe_early_is_no_crash() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_porta"))
        .args(["inspect", AGENT])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(first.contains("functions"));
    let o = child.wait_with_output().unwrap();
    assert!(!err(&o).contains("panicked"), "{}", err(&o));
    assert_eq!(o.status.code(), Some(0));
}

/// `porta serve` with stdin already closed: it sets up, says what it
/// serves, and exits.
fn serve_closed(extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_porta"))
        .args(["serve", AGENT])
        .args(extra)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("porta runs")
}

#[test]
fn serve_shares_the_allow_net_parser() {
    let plain = serve_closed(&[]);
    assert_eq!(plain.status.code(), Some(0), "{}", err(&plain));
    assert!(err(&plain).contains("(5 tools"), "{}", err(&plain));
    // `*:443` grants net and offers porta.http beside the agent's tool.
    let any = serve_closed(&["--allow-net", "*:443"]);
    assert_eq!(any.status.code(), Some(0), "{}", err(&any));
    assert!(err(&any).contains("(6 tools") && err(&any).contains("capabilities: io,net"), "{}", err(&any));
    let bad = serve_closed(&["--allow-net", "example.com:https"]);
    assert_eq!(bad.status.code(), Some(125));
    assert!(err(&bad).contains("bad --allow-net `example.com:https`: expected HOST, HOST:PORT"), "{}", err(&bad));
}

/// A module that imports what libc does (file calls it may never make), a
/// write to stdout, and one file-changing call.
const FILE_IMPORTS: &str = r#"(module
    (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "path_open" (func (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "fd_seek" (func (param i32 i64 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "path_unlink_file" (func (param i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (func (export "_start")))"#;

#[test]
fn validate_tells_unused_file_imports_from_denied_ones() {
    // hello.wasm runs under the default profile; libc imports path_open,
    // fd_seek and fd_readdir anyway.
    let o = porta(&["validate", "examples/hello.wasm"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let text = out(&o);
    let line = text.lines().find(|l| l.contains(".path_open")).unwrap();
    assert!(line.ends_with("unused here (fs: no mounts)"), "{line}");
    let note = text.lines().find(|l| l.starts_with("note: ")).expect("a note explains");
    assert!(note.contains("fd_readdir, fd_seek, path_open") && note.contains("without a mount"), "{note}");
    assert!(note.ends_with("with a mount they need fs"), "{note}");
    assert_eq!(text.lines().last(), Some("PASS"));

    let o = porta(&["validate", "--json", "examples/hello.wasm"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["result"], "PASS");
    let row = |v: &serde_json::Value, name: &str| {
        v["imports"].as_array().unwrap().iter().find(|i| i["import"] == format!("wasi_snapshot_preview1.{name}")).cloned().unwrap()
    };
    assert_eq!(row(&v, "path_open")["status"], "unused");
    assert_eq!(row(&v, "path_open")["needs"], serde_json::json!(["fs"]));
    assert_eq!(row(&v, "fd_write")["status"], "ok");
    assert!(v["note"].as_str().unwrap().contains("path_open"));

    // Clocks and random stay denied without a mount; file calls do not.
    let o = porta(&["validate", "--json", "tests/wasi/bin/caps.wasm"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["result"], "FAIL");
    assert_eq!(row(&v, "clock_time_get")["status"], "denied");
    assert_eq!(row(&v, "random_get")["detail"], "DENIED (needs random)");
    assert_eq!(row(&v, "path_unlink_file")["status"], "unused");

    // With a read-only mount, the file calls count again: reading is
    // granted, changing is denied.
    let d = dir("unused");
    let m = wat_file(&d, "files.wasm", FILE_IMPORTS);
    let o = porta(&["validate", &m]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("unused here (fs.write: no mounts)"), "{}", out(&o));
    assert!(out(&o).contains("with a mount they need fs and fs.write"), "{}", out(&o));
    let o = porta(&["validate", &m, "-v", &format!("{}:/data:ro", d.display())]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("capabilities: io,fs,process"), "{text}");
    assert!(text.lines().any(|l| l.contains(".path_unlink_file") && l.ends_with("DENIED (needs fs.write)")), "{text}");
    assert!(text.lines().any(|l| l.contains(".path_open") && l.ends_with(" ok")), "{text}");
    assert!(!text.contains("note:"), "{text}");
}

#[test]
fn strict_imports_follows_the_same_rule() {
    let o = porta(&["run", "--strict-imports", "-q", "examples/hello.wasm", "--", "World"]);
    assert_eq!((o.status.code(), out(&o)), (Some(0), "Hello, World!\n".into()), "{}", err(&o));
    let o = porta(&["run", "--strict-imports", "tests/wasi/bin/caps.wasm", "--", "list"]);
    assert_eq!(o.status.code(), Some(125));
    let e = err(&o);
    assert!(e.contains("clock_time_get (needs clock)") && e.contains("random_get (needs random)"), "{e}");
    assert!(!e.contains("path_open") && !e.contains("fd_seek"), "unused file calls are not denials: {e}");
    assert_eq!(out(&o), "", "the guest never started");

    let d = dir("strict-mount");
    let m = wat_file(&d, "files.wasm", FILE_IMPORTS);
    assert_eq!(porta(&["run", "--strict-imports", &m]).status.code(), Some(0));
    let o = porta(&["run", "--strict-imports", &m, "-v", &format!("{}:/data:ro", d.display())]);
    assert_eq!(o.status.code(), Some(125));
    assert!(err(&o).contains("denied functions: path_unlink_file (needs fs.write)"), "{}", err(&o));
    let o = porta(&["run", "--strict-imports", &m, "-v", &format!("{}:/data", d.display())]);
    assert_eq!(o.status.code(), Some(0), "a writable mount grants fs.write: {}", err(&o));
}

#[test]
fn malformed_manifest_json_names_line_and_column() {
    let d = dir("jsonsyntax");
    let bad = d.join("bad.json");
    std::fs::write(&bad, "{\n  \"name\": \"x\",\n  \"tools\": [}\n").unwrap();
    let o = porta(&["run", AGENT, "--manifest", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(125));
    assert_eq!(err(&o), format!("porta: {}: not valid JSON: expected value (line 3, column 13)\n", bad.display()));
    let o = porta(&["validate", AGENT, "--manifest", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("(line 3, column 13)") && !out(&o).contains('?'), "{}", out(&o));
    // Well-formed JSON with a wrong type still names the field.
    std::fs::write(&bad, r#"{"name": "x", "tools": [{"name": 5}]}"#).unwrap();
    let o = porta(&["run", AGENT, "--manifest", bad.to_str().unwrap()]);
    assert!(err(&o).contains("field `tools[0].name`: invalid type: integer `5`"), "{}", err(&o));
}

#[test]
fn no_error_names_its_file_twice() {
    let d = dir("once");
    let junk = d.join("junk.wasm");
    std::fs::write(&junk, b"\0asm\x01\0\0\0\x05\xff").unwrap();
    let junk = junk.to_str().unwrap();
    let bad_env = d.join("bad.env");
    std::fs::write(&bad_env, "NOT A LINE\n").unwrap();
    let bad_manifest = d.join("m.json");
    std::fs::write(&bad_manifest, "{").unwrap();
    let missing = d.join("missing.wasm");
    let cases: Vec<(Vec<&str>, &str, i32)> = vec![
        (vec!["run", junk], junk, 125),
        (vec!["inspect", junk], junk, 125),
        (vec!["validate", junk], junk, 1),
        (vec!["build", junk], junk, 125),
        (vec!["serve", junk], junk, 125),
        (vec!["validate", missing.to_str().unwrap()], missing.to_str().unwrap(), 125),
        (vec!["inspect", missing.to_str().unwrap()], missing.to_str().unwrap(), 125),
        (vec!["run", AGENT, "--env-file", bad_env.to_str().unwrap()], bad_env.to_str().unwrap(), 125),
        (vec!["run", AGENT, "--manifest", bad_manifest.to_str().unwrap()], bad_manifest.to_str().unwrap(), 125),
        (vec!["inspect", AGENT, "--manifest", bad_manifest.to_str().unwrap()], bad_manifest.to_str().unwrap(), 125),
    ];
    for (args, file, code) in cases {
        let o = porta(&args);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", err(&o));
        let said = format!("{}{}", out(&o), err(&o));
        assert_eq!(said.matches(file).count(), 1, "{args:?} names {file} once: {said}");
        assert!(!said.contains("os error"), "{said}");
    }
}

#[test]
fn a_manifest_that_hides_the_arguments_gets_one_note() {
    let d = dir("hidden-args");
    let io_only = d.join("io.json");
    std::fs::write(&io_only, r#"{"name": "c", "capabilities": ["io"]}"#).unwrap();
    let m = io_only.to_str().unwrap();
    const CAPS: &str = "tests/wasi/bin/caps.wasm";
    const NOTE: &str = "porta: note: the manifest's capabilities omit process: the guest sees no arguments";
    let o = porta(&["run", CAPS, "--manifest", m, "--", "args_denied"]);
    assert_eq!((o.status.code(), out(&o)), (Some(0), "ok args_denied\n".into()), "{}", err(&o));
    assert_eq!(err(&o).matches(NOTE).count(), 1, "{}", err(&o));
    assert!(err(&o).contains("--allow process"), "{}", err(&o));
    for quiet_or_granted in [
        vec!["run", "-q", CAPS, "--manifest", m, "--", "args_denied"],
        vec!["run", CAPS, "--manifest", m, "--allow", "process", "--", "list"],
        vec!["run", CAPS, "--manifest", m, "--profile", "ai-agent", "--", "list"],
        // No arguments given: nothing is hidden that matters.
        vec!["run", CAPS, "--manifest", m],
        // The agent reads no arguments at all.
        vec!["run", AGENT, "--", "x"],
    ] {
        let o = porta(&quiet_or_granted);
        assert!(!err(&o).contains("note:"), "{quiet_or_granted:?}: {}", err(&o));
    }
}
