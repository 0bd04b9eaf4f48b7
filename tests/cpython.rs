//! CPython 3.12 (wasm32-wasip1, from PyPI) running under porta: the guest's
//! output must match the host's own Python on the same scripts, files come
//! through read-only mounts, and exit codes and tracebacks come through.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn python_wasm() -> &'static Path {
    static WASM: OnceLock<PathBuf> = OnceLock::new();
    WASM.get_or_init(|| {
        let out = Command::new("sh").arg("tests/fetch-cpython.sh").output().expect("sh runs");
        assert!(out.status.success(), "fetching CPython failed: {}", String::from_utf8_lossy(&out.stderr));
        PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
    })
}

/// Runs a script from tests/python under CPython in porta.
fn python(script: &str, extra: &[&str]) -> Output {
    let scripts = format!("{}/tests/python:/s:ro", env!("CARGO_MANIFEST_DIR"));
    let mut args = vec!["run", python_wasm().to_str().unwrap(), "--profile", "worker", "-v", &scripts];
    args.extend_from_slice(extra);
    let path = format!("/s/{script}");
    args.extend(["--", &path]);
    Command::new(env!("CARGO_BIN_EXE_porta")).args(&args).output().expect("porta runs")
}

/// The host's own Python on the same script, as the reference output.
fn host_python(script: &str) -> String {
    let out = Command::new("python3")
        .arg(format!("{}/tests/python/{script}", env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("python3 runs on the host");
    String::from_utf8(out.stdout).unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn an_import_heavy_stdlib_script_matches_host_python() {
    let o = python("stdlib.py", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), host_python("stdlib.py"));
}

#[test]
fn a_cpu_bound_script_matches_host_python() {
    let o = python("cpu.py", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), host_python("cpu.py"));
}

#[test]
fn files_come_through_a_read_only_mount_and_exit_codes_through() {
    let data = format!("{}/tests/python/data:/data:ro", env!("CARGO_MANIFEST_DIR"));
    let o = python("readfile.py", &["-v", &data]);
    // numbers.txt holds 1..=100; the write is refused with ENOTCAPABLE.
    assert_eq!(text(&o.stdout), "['numbers.txt']\n5050\nwrite refused: 76\n");
    assert_eq!(o.status.code(), Some(4));
    assert!(text(&o.stderr).contains("porta: denied path_open (needs fs.write"), "{}", text(&o.stderr));
}

#[test]
fn an_uncaught_exception_prints_a_traceback_and_exits_1() {
    let o = python("tb.py", &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("Traceback (most recent call last):"), "{err}");
    assert!(err.contains("ZeroDivisionError: division by zero"), "{err}");
    assert!(err.contains("File \"/s/tb.py\", line 2, in f"), "{err}");
}

#[test]
fn without_random_cpython_cannot_start() {
    // The default profile grants no randomness; CPython's hash seeding
    // fails and the run says which capability was missing.
    let path = python_wasm().to_str().unwrap().to_string();
    let o = Command::new(env!("CARGO_BIN_EXE_porta"))
        .args(["run", &path, "--", "-c", "print(1)"])
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(0));
    assert!(text(&o.stderr).contains("porta: denied random_get (needs random: --allow random)"));
}
