//! A Rust std guest (tests/wasi/rust, built for wasm32-wasip1) under porta:
//! files, directories, escapes, arguments, environment and clocks. Each case
//! checks itself and prints `ok <case>`.

use std::path::PathBuf;
use std::process::Command;

const GUEST: &str = "tests/wasi/bin/rust_guest.wasm";

fn sandbox(name: &str) -> PathBuf {
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("porta-wasi-rust-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(flags: &[&str], guest_args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_porta"))
        .args(["run", GUEST, "-q"])
        .args(flags)
        .arg("--")
        .args(guest_args)
        .output()
        .expect("porta runs");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (o.status.code().unwrap_or(-1), text(&o.stdout), text(&o.stderr))
}

fn case_in_sandbox(case: &str) {
    let dir = sandbox(case);
    let mount = format!("{}:/sandbox", dir.display());
    let (code, out, err) = run(&["-v", &mount], &[case]);
    assert_eq!((code, out.as_str()), (0, format!("ok {case}\n").as_str()), "{err}");
}

#[test]
fn files() {
    case_in_sandbox("files");
}

#[test]
fn directories() {
    case_in_sandbox("dirs");
}

#[test]
fn escapes_fail() {
    case_in_sandbox("escape");
}

#[test]
fn arguments_and_environment() {
    let (code, out, err) = run(&["-e", "PORTA_TEST=yes"], &["env", "extra arg"]);
    assert_eq!((code, out.as_str()), (0, "ok env\n"), "{err}");
}

#[test]
fn clocks_need_the_clock_capability() {
    let (code, out, err) = run(&["--allow", "clock"], &["time"]);
    assert_eq!((code, out.as_str()), (0, "ok time\n"), "{err}");
    let (code, _, err) = run(&[], &["time"]);
    assert_ne!(code, 0);
    assert!(err.contains("denied"), "{err}");
}

/// The rights and errno cases (tests/wasi/rust/src/rights.rs), each in a
/// fresh mount: every case the guest lists beyond the std ones.
#[test]
fn rights_and_errnos_as_wasi_defines_them() {
    let (code, list, err) = run(&[], &["list"]);
    assert_eq!(code, 0, "{err}");
    let std_cases = ["files", "dirs", "escape", "env", "time", "std_tree"];
    let cases: Vec<&str> = list.lines().filter(|c| !std_cases.contains(c)).collect();
    assert!(cases.len() >= 9, "only {cases:?}");
    for case in cases {
        case_in_sandbox(case);
    }
}

/// Rust std opening directories, reading them and writing below them,
/// under a plain `-v DIR` (the guest sees the mount at the host path).
#[test]
fn rust_std_under_a_plain_mount() {
    let dir = sandbox("plain");
    let path = dir.to_str().unwrap();
    let (code, out, err) = run(&["-v", path], &["std_tree", path]);
    assert_eq!((code, out.as_str()), (0, "ok std_tree\n"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.join("tree/a/two.txt")).unwrap(), "0\nmore\n");
    assert!(!dir.join("tree/a/one.txt").exists() && !dir.join("tree/empty").exists());
}
