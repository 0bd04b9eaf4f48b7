//! The SIMD test programs (tests/simd: C built with clang's auto-vectoriser
//! and wasm_simd128.h, and a Rust guest using core::arch::wasm32; see
//! tests/simd/README.md) run through `porta run`. Each case checks its own
//! results and prints `ok CASE`.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const PROGRAMS: &[&str] = &["hash", "sort", "matmul", "strsearch", "intrinsics", "simd_rust"];

fn bin(program: &str) -> PathBuf {
    PathBuf::from(format!("{}/tests/simd/bin/{program}.wasm", env!("CARGO_MANIFEST_DIR")))
}

fn porta(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_porta"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("porta starts")
}

/// `porta run -q --timeout 30 BIN [FLAGS] -- ARGS`.
fn run(program: &str, flags: &[&str], args: &[&str]) -> Output {
    let path = bin(program);
    let mut all = vec!["run", "-q", "--timeout", "30", path.to_str().unwrap()];
    all.extend_from_slice(flags);
    all.push("--");
    all.extend_from_slice(args);
    porta(&all)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn cases(program: &str) -> Vec<String> {
    let o = run(program, &[], &["list"]);
    assert_eq!(o.status.code(), Some(0), "{program} list: {}", text(&o.stderr));
    let list: Vec<String> = text(&o.stdout).lines().map(str::to_string).collect();
    assert!(list.len() >= 5, "{program} lists only {list:?}");
    list
}

#[test]
fn every_program_exists_and_is_small() {
    for p in PROGRAMS {
        let len = std::fs::metadata(bin(p)).unwrap_or_else(|e| panic!("{p}.wasm: {e} (run tests/simd/build.sh)")).len();
        assert!(len < 100 * 1024, "{p}.wasm is {len} bytes");
    }
}

/// Each module's code uses SIMD: `porta inspect` lists the proposals its
/// instructions belong to.
#[test]
fn every_module_uses_simd() {
    for p in PROGRAMS {
        let path = bin(p);
        let o = porta(&["inspect", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "inspect {p}: {}", text(&o.stderr));
        let out = text(&o.stdout);
        let line = out
            .lines()
            .find(|l| l.trim_start().starts_with("proposals:"))
            .unwrap_or_else(|| panic!("inspect {p} prints no proposals line:\n{out}"));
        let listed: Vec<&str> = line.split_once(':').unwrap().1.split(',').map(str::trim).collect();
        assert!(listed.contains(&"simd"), "{p}: {line}");
        assert!(!listed.contains(&"relaxed-simd"), "{p} should need only SIMD 128: {line}");
    }
}

fn run_all(program: &str) {
    for case in cases(program) {
        let o = run(program, &[], &[&case]);
        assert_eq!(
            (o.status.code(), text(&o.stdout)),
            (Some(0), format!("ok {case}\n")),
            "{program} {case}: {}",
            text(&o.stderr)
        );
    }
}

#[test]
fn hash() {
    run_all("hash");
}

#[test]
fn sort() {
    run_all("sort");
}

#[test]
fn matmul() {
    run_all("matmul");
}

#[test]
fn strsearch() {
    run_all("strsearch");
}

#[test]
fn intrinsics() {
    run_all("intrinsics");
}

#[test]
fn simd_rust() {
    run_all("simd_rust");
}

/// An unknown case is refused by the program itself (status 2).
#[test]
fn unknown_case() {
    let o = run("intrinsics", &[], &["no_such_case"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("FAIL no_such_case: unknown case"));
}

/// The metrics line: `steps: N, memory: P pages`.
fn steps_of(stderr: &str) -> u64 {
    let line = stderr.lines().rev().find(|l| l.starts_with("steps: ")).unwrap_or_else(|| panic!("no metrics line in {stderr:?}"));
    line["steps: ".len()..].split(',').next().unwrap().trim().parse().unwrap()
}

/// A step limit that falls inside the vectorised matrix product stops
/// after exactly that many instructions, every time: SIMD instructions are
/// counted one by one like the scalar ones.
#[test]
fn step_limit_inside_simd_code() {
    let path = bin("matmul");
    let path = path.to_str().unwrap();
    // The whole case, for its step count.
    let full = porta(&["run", "--timeout", "30", path, "--", "int32"]);
    assert_eq!(full.status.code(), Some(0), "{}", text(&full.stderr));
    let total = steps_of(&text(&full.stderr));
    assert!(total > 400_000, "int32 ran only {total} steps");
    // The input is filled in about 80 000 steps; the i-k-j product (i32x4
    // multiply-adds) follows, then the scalar reference.
    for limit in [150_001u64, 150_002, 190_000] {
        let n = limit.to_string();
        let runs: Vec<Output> =
            (0..2).map(|_| porta(&["run", "--timeout", "30", "--step-limit", &n, path, "--", "int32"])).collect();
        for o in &runs {
            assert_eq!(o.status.code(), Some(152), "limit {limit}: {}", text(&o.stderr));
            assert_eq!(steps_of(&text(&o.stderr)), limit, "{}", text(&o.stderr));
            assert!(o.stdout.is_empty(), "the case did not get to print");
        }
        assert_eq!(text(&runs[0].stderr), text(&runs[1].stderr), "limit {limit}: two runs differ");
    }
    // The whole count as the limit is just enough; one step less is not.
    let n = total.to_string();
    let o = porta(&["run", "--timeout", "30", "--step-limit", &n, path, "--", "int32"]);
    assert_eq!((o.status.code(), text(&o.stdout)), (Some(0), "ok int32\n".into()), "{}", text(&o.stderr));
    assert_eq!(steps_of(&text(&o.stderr)), total);
    let n = (total - 1).to_string();
    let o = porta(&["run", "--timeout", "30", "--step-limit", &n, path, "--", "int32"]);
    assert_eq!(o.status.code(), Some(152), "{}", text(&o.stderr));
    assert_eq!(steps_of(&text(&o.stderr)), total - 1);
}
