//! The C WASI test programs (tests/wasi/src, built by tests/wasi/build.sh)
//! run through `porta run`. Each case checks itself and prints `ok CASE`;
//! this harness gives each case the mounts, flags and stdin it needs (see
//! tests/wasi/README.md) and checks the host side afterwards.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin(program: &str) -> String {
    format!("{}/tests/wasi/bin/{program}.wasm", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `porta run -q PROGRAM FLAGS -- ARGS` with `stdin`, under a timeout.
fn porta(program: &str, flags: &[&str], args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_porta"))
        .args(["run", "-q", "--timeout", "30", &bin(program)])
        .args(flags)
        .arg("--")
        .args(args)
        .env("PORTA_TEST_LEAK", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("porta starts");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn assert_ok(program: &str, case: &str, o: &Output) {
    assert_eq!(
        (o.status.code(), text(&o.stdout)),
        (Some(0), format!("ok {case}\n")),
        "{program} {case}: {}",
        text(&o.stderr)
    );
}

fn cases(program: &str) -> Vec<String> {
    let o = porta(program, &[], &["list"], b"");
    assert_eq!(o.status.code(), Some(0), "{program} list: {}", text(&o.stderr));
    text(&o.stdout).lines().map(str::to_string).collect()
}

fn fresh_dir(tag: &str) -> PathBuf {
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("porta-wasi-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn mount(dir: &Path, suffix: &str) -> String {
    format!("{}:/sandbox{suffix}", dir.display())
}

#[test]
fn file_system_cases() {
    let mut seen = BTreeSet::new();
    for case in cases("fs") {
        let dir = fresh_dir(&format!("fs-{case}"));
        let o = porta("fs", &["-v", &mount(&dir, "")], &[&case], b"");
        assert_ok("fs", &case, &o);
        match case.as_str() {
            "write_then_rename" => {
                assert_eq!(std::fs::read_to_string(dir.join("new.txt")).unwrap(), "hello");
                for gone in ["old.txt", "other.txt", "tmp.txt", "victim.txt"] {
                    assert!(!dir.join(gone).exists(), "{gone} still exists");
                }
            }
            "symlink_readlink" => {
                assert_eq!(std::fs::read_link(dir.join("link")).unwrap(), Path::new("target.txt"));
            }
            "hardlink" => {
                assert_eq!(std::fs::read_to_string(dir.join("b")).unwrap(), "abcdef");
                assert!(!dir.join("a").exists());
            }
            "times" => {
                use std::os::unix::fs::MetadataExt;
                let m = std::fs::metadata(dir.join("d")).unwrap();
                assert_eq!((m.mtime(), m.mtime_nsec()), (1234567890, 500_000_000));
            }
            _ => {}
        }
        seen.insert(case);
    }
    assert!(seen.len() >= 20, "only {} fs cases", seen.len());
}

/// A fresh `T` with a secret beside the mounted `T/m` and two links out.
fn escape_tree(case: &str) -> PathBuf {
    let t = fresh_dir(&format!("escape-{case}"));
    std::fs::write(t.join("secret.txt"), "TOP SECRET\n").unwrap();
    std::fs::create_dir(t.join("m")).unwrap();
    std::os::unix::fs::symlink("/etc", t.join("m/outside_link")).unwrap();
    std::os::unix::fs::symlink("..", t.join("m/outside_up")).unwrap();
    t
}

#[test]
fn every_escape_fails() {
    let list = cases("escape");
    assert!(list.len() >= 15);
    for case in list {
        let t = escape_tree(&case);
        let o = porta("escape", &["-v", &mount(&t.join("m"), "")], &[&case], b"");
        assert_ok("escape", &case, &o);
        let mut names: Vec<String> =
            std::fs::read_dir(&t).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        assert_eq!(names, ["m", "secret.txt"], "{case} changed what is outside the mount");
        assert_eq!(std::fs::read_to_string(t.join("secret.txt")).unwrap(), "TOP SECRET\n", "{case}");
    }
}

#[test]
fn arguments_and_environment() {
    let o = porta("env", &[], &["args", "one", "two words", "", "ünïcødé €"], b"");
    assert_ok("env", "args", &o);
    let o = porta("env", &[], &["args_passthrough", "-e", "X=1", "--help", "-v", "/:/host", "--"], b"");
    assert_ok("env", "args_passthrough", &o);
    let flags = ["-e", "FOO=bar", "-e", "EMPTY=", "-e", "WITH_EQ=a=b=c", "-e", "UNI=ünï"];
    assert_ok("env", "environ", &porta("env", &flags, &["environ"], b""));
    assert_ok("env", "environ_empty", &porta("env", &[], &["environ_empty"], b""));
}

#[test]
fn clocks_and_random() {
    for case in cases("clock") {
        assert_ok("clock", &case, &porta("clock", &["--allow", "clock"], &[&case], b""));
    }
    for case in cases("random") {
        assert_ok("random", &case, &porta("random", &["--allow", "random"], &[&case], b""));
    }
}

#[test]
fn polling() {
    for case in cases("poll") {
        if case == "stdin_timeout" {
            continue;
        }
        let stdin: &[u8] = if case == "stdin_read" { b"hello\n" } else { b"" };
        assert_ok("poll", &case, &porta("poll", &["--allow", "clock"], &[&case], stdin));
    }
    // A pipe held open with no data: only the clock may fire.
    let mut child = Command::new(env!("CARGO_BIN_EXE_porta"))
        .args(["run", "-q", "--timeout", "30", &bin("poll"), "--allow", "clock", "--", "stdin_timeout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let held = child.stdin.take();
    let o = child.wait_with_output().unwrap();
    drop(held);
    assert_ok("poll", "stdin_timeout", &o);
}

#[test]
fn exit_statuses() {
    for (case, status) in [("exit0", 0), ("exit3", 3), ("exit255", 255), ("return7", 7), ("atexit", 5)] {
        let o = porta("exit", &[], &[case], b"");
        assert_eq!(o.status.code(), Some(status), "{case}: {}", text(&o.stderr));
        assert!(text(&o.stdout).starts_with(&format!("ok {case}\n")), "{case}");
    }
    let o = porta("exit", &[], &["proc_exit_raw"], b"");
    assert_eq!((o.status.code(), o.stdout.len()), (Some(42), 0));
    let o = porta("exit", &[], &["exit_flushes"], b"");
    assert_eq!((o.status.code(), o.stdout.len()), (Some(9), 65536));
    for case in ["abort", "unreachable", "memory_oob", "div_zero", "deep_recursion"] {
        let o = porta("exit", &[], &[case], b"");
        assert_eq!(o.status.code(), Some(134), "{case}: {}", text(&o.stderr));
    }
    assert!(text(&porta("exit", &[], &["deep_recursion"], b"").stderr).contains("call stack exhausted"));
    assert!(text(&porta("exit", &[], &["abort"], b"").stderr).contains("about to abort"));
}

fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, &b| (h ^ b as u32).wrapping_mul(0x0100_0193))
}

#[test]
fn standard_streams() {
    let input: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
    let o = porta("stdio", &[], &["echo_len"], &input);
    let expected = format!("len={} fnv1a={:08x}\nok echo_len\n", input.len(), fnv1a(&input));
    assert_eq!(text(&o.stdout), expected);

    let o = porta("stdio", &[], &["cat"], &input);
    assert_eq!(o.stdout, [input.as_slice(), b"ok cat\n"].concat());

    let json = br#"{"tool":"echo","arguments":{"x":[1,2,3]}}"#;
    let framed = [&(json.len() as u32).to_le_bytes()[..], json].concat();
    let o = porta("stdio", &[], &["abi_echo"], &framed);
    assert_eq!((o.status.code(), o.stdout), (Some(0), [&b"{\"ok\": "[..], json, b"}"].concat()));
    let o = porta("stdio", &[], &["abi_echo"], &framed[..framed.len() - 2]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stdout).starts_with("{\"err\": "));

    let o = porta("stdio", &[], &["big_output"], b"");
    assert_eq!(o.stdout.len(), 1 << 20 | "ok big_output\n".len());
    assert!(text(&o.stdout).ends_with("ok big_output\n"));
    for (i, line) in o.stdout.chunks(64).take(16384).enumerate() {
        assert!(line.starts_with(format!("{:08x} ", i * 64).as_bytes()), "line {i}");
    }

    let o = porta("stdio", &[], &["stderr_write"], b"");
    assert_eq!(text(&o.stderr), "to stderr\nraw stderr\n");
    assert_ok("stdio", "std_fds", &porta("stdio", &[], &["std_fds"], b""));
}

/// A manifest beside nothing, holding only a capability list.
fn caps_manifest(tag: &str, caps: &[&str]) -> PathBuf {
    let p = fresh_dir(&format!("manifest-{tag}")).join("caps.manifest.json");
    let list: Vec<String> = caps.iter().map(|c| format!("\"{c}\"")).collect();
    std::fs::write(&p, format!(r#"{{"name": "caps", "capabilities": [{}]}}"#, list.join(","))).unwrap();
    p
}

#[test]
fn each_capability_is_denied_without_its_grant() {
    for case in ["fs_read_denied", "clock_denied", "random_denied", "env_denied"] {
        assert_ok("caps", case, &porta("caps", &[], &[case], b""));
    }
    let t = fresh_dir("caps-ro");
    std::fs::write(t.join("existing.txt"), "original\n").unwrap();
    std::fs::create_dir(t.join("dir")).unwrap();
    let o = porta("caps", &["-v", &mount(&t, ":ro")], &["fs_write_denied"], b"");
    assert_ok("caps", "fs_write_denied", &o);
    let mut names: Vec<String> =
        std::fs::read_dir(&t).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["dir", "existing.txt"]);
    assert_eq!(std::fs::read_to_string(t.join("existing.txt")).unwrap(), "original\n");
    assert!(text(&o.stderr).contains("denied"), "the run reports its denials: {}", text(&o.stderr));

    let m = caps_manifest("no-process", &["io"]);
    let o = porta("caps", &["--manifest", m.to_str().unwrap()], &["args_denied"], b"");
    assert_ok("caps", "args_denied", &o);

    let m = caps_manifest("no-io", &["process"]);
    let o = porta("caps", &["--manifest", m.to_str().unwrap()], &["io_denied"], b"");
    assert_eq!((o.status.code(), o.stdout.len()), (Some(0), 0), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("porta: denied fd_write (needs io: --allow io)"));
}
