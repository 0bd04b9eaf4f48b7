//! `porta run` through the real binary: results, the metrics line, and the
//! exit statuses of SPEC §5 for good and hostile inputs.

use std::path::PathBuf;
use std::process::{Command, Output};

fn porta(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_porta")).args(args).output().expect("porta runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Writes a module built from `wat` to a fresh temporary file.
fn module(name: &str, wat: &str) -> PathBuf {
    write_file(name, &wat::parse_str(wat).expect("test module parses"))
}

fn write_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("porta-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

const FIB: &str = "examples/fib.wasm";

#[test]
fn invoke_prints_results_and_exact_steps() {
    let o = porta(&["run", FIB, "--invoke", "fib", "20"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "6765\n");
    // 10946 leaf calls of 5 steps and 10945 inner calls of 13.
    assert!(stderr(&o).contains("steps: 197015, memory: 0 pages"), "{}", stderr(&o));
}

#[test]
fn step_limit_stops_at_exactly_n() {
    let o = porta(&["run", FIB, "--invoke", "fib", "25", "--step-limit", "12345"]);
    assert_eq!(o.status.code(), Some(152));
    assert!(stderr(&o).contains("step limit exceeded"));
    assert!(stderr(&o).contains("steps: 12345,"), "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
}

#[test]
fn quiet_hides_the_metrics_line() {
    let o = porta(&["run", "--quiet", FIB, "--invoke", "fib", "3"]);
    assert_eq!(stdout(&o), "2\n");
    assert!(!stderr(&o).contains("steps:"));
}

#[test]
fn a_trap_exits_134_with_its_name() {
    let m = module("trap.wasm", r#"(module (func (export "div") (param i32) (result i32)
        i32.const 1 local.get 0 i32.div_u))"#);
    let o = porta(&["run", m.to_str().unwrap(), "--invoke", "div", "0"]);
    assert_eq!(o.status.code(), Some(134));
    assert!(stderr(&o).contains("integer divide by zero"), "{}", stderr(&o));
    assert!(stderr(&o).contains("steps: 3,"), "{}", stderr(&o));
}

#[test]
fn typed_arguments_are_checked() {
    let m = module("types.wasm", r#"(module (func (export "f") (param i64 f64) (result f64)
        local.get 1))"#);
    let p = m.to_str().unwrap();
    let o = porta(&["run", p, "--invoke", "f", "-7", "2.5"]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), "2.5\n".to_string()));
    for bad in [&["run", p, "--invoke", "f", "x", "1"][..], &["run", p, "--invoke", "f", "1"][..]] {
        let o = porta(bad);
        assert_eq!(o.status.code(), Some(125), "{bad:?}");
        assert_eq!(stderr(&o).lines().count(), 1, "one-line error: {}", stderr(&o));
    }
}

#[test]
fn hostile_inputs_are_refused_with_125() {
    let not_wasm = write_file("not.wasm", b"hello, world");
    let fib = std::fs::read(FIB).unwrap();
    let truncated = write_file("truncated.wasm", &fib[..fib.len() - 3]);
    let cases: Vec<Vec<&str>> = vec![
        vec!["run", "/nonexistent/x.wasm"],
        vec!["run", not_wasm.to_str().unwrap()],
        vec!["run", truncated.to_str().unwrap(), "--invoke", "fib", "1"],
        vec!["run", FIB, "--no-such-flag"],
        vec!["run", FIB, "--invoke", "fib", "1", "--step-limit", "many"],
        vec!["run", FIB, "--invoke", "nope"],
        vec!["run", FIB],
    ];
    for args in cases {
        let o = porta(&args);
        assert_eq!(o.status.code(), Some(125), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty(), "{args:?} explains itself");
    }
}

#[test]
fn help_and_version_succeed() {
    assert_eq!(porta(&["--help"]).status.code(), Some(0));
    assert_eq!(porta(&["run", "--help"]).status.code(), Some(0));
    assert!(stdout(&porta(&["--version"])).starts_with("porta "));
}

#[test]
fn allow_net_entries_are_checked_on_run() {
    let hello = "examples/hello.wasm";
    for good in ["*:443", "api.example.com", "localhost:8080", "db.internal:*", "*", "[::1]:8080"] {
        let o = porta(&["run", "-q", hello, "--allow-net", good, "--", "W"]);
        assert_eq!(o.status.code(), Some(0), "{good}: {}", stderr(&o));
        assert_eq!(stdout(&o), "Hello, W!\n");
    }
    for bad in ["host:port", "https://api.example.com", "*.example.com", "host:0", ":443"] {
        let o = porta(&["run", hello, "--allow-net", bad]);
        assert_eq!(o.status.code(), Some(125), "{bad}");
        let e = stderr(&o);
        assert!(e.contains(&format!("bad --allow-net `{bad}`")) && e.contains("HOST:PORT, HOST:*, *:PORT or *"), "{e}");
        assert_eq!(e.lines().count(), 1, "{e}");
    }
}

#[test]
fn a_module_without_start_suggests_invoke_with_its_exports() {
    let o = porta(&["run", FIB]);
    assert_eq!(o.status.code(), Some(125));
    assert_eq!(
        stderr(&o),
        "porta: the module exports no function `_start`; call one it exports with --invoke NAME [ARGS]: `fib`\n"
    );
    let funcs: String = (0..8).map(|i| format!("(func (export \"f{i}\"))")).collect();
    let m = module("many.wasm", &format!("(module (memory (export \"memory\") 1) {funcs})"));
    let e = stderr(&porta(&["run", m.to_str().unwrap()]));
    assert!(e.contains("--invoke NAME") && e.contains("`f0`, `f1`, `f2`, `f3`, `f4` and 3 more"), "{e}");
    assert!(!e.contains("memory"), "only functions are offered: {e}");
    let none = module("none.wasm", "(module (memory (export \"memory\") 1))");
    let e = stderr(&porta(&["run", none.to_str().unwrap()]));
    assert!(e.contains("nor any other function: there is nothing to run"), "{e}");
}

#[test]
fn v128_arguments_and_results_on_the_command_line() {
    let m = module("v128.wasm", r#"(module (func (export "add") (param v128 v128) (result v128)
        local.get 0 local.get 1 i32x4.add))"#);
    let p = m.to_str().unwrap();
    let o = porta(&["run", "-q", p, "--invoke", "add", "i32x4:1,2,3,-1", "0x00000001000000010000000100000001"]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), "0x00000000000000040000000300000002\n".to_string()), "{}", stderr(&o));
    let o = porta(&["run", "-q", p, "--invoke", "add", "f32x4:1,0,0,0", "i8x16:1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"]);
    assert_eq!(stdout(&o), "0x0000000000000000000000003f800001\n");
    let o = porta(&["run", p, "--invoke", "add", "i32x4:1,2,3", "0x1"]);
    assert_eq!(o.status.code(), Some(125));
    assert!(stderr(&o).contains("i32x4 takes 4 lanes, 3 given"), "{}", stderr(&o));
    let o = porta(&["inspect", p]);
    assert!(stdout(&o).lines().any(|l| l.starts_with("proposals:") && l.contains("simd")), "{}", stdout(&o));
}

#[test]
fn deterministic_runs_make_nans_canonical() {
    let m = module("nan.wasm", r#"(module (func (export "mul") (param v128) (result v128)
        local.get 0 v128.const f32x4 1 1 1 1 f32x4.mul))"#);
    let p = m.to_str().unwrap();
    // Lane 0 a quiet NaN with a payload, lane 1 the number 2.
    let arg = "0x0000000000000000400000007fc12345";
    let o = porta(&["run", "-q", p, "--deterministic", "--invoke", "mul", arg]);
    assert_eq!(stdout(&o), "0x0000000000000000400000007fc00000\n", "{}", stderr(&o));
    let o = porta(&["run", "-q", p, "--invoke", "mul", arg]);
    assert_eq!(stdout(&o), "0x0000000000000000400000007fc12345\n", "the host keeps the payload: {}", stderr(&o));
}

#[test]
fn modules_with_several_and_64_bit_memories_run() {
    let m = module("two-memories.wasm", r#"(module (memory $a 1) (memory $b i64 1)
        (func (export "f") (param i64) (result i32)
          (i32.store $b (local.get 0) (i32.const 7))
          (i32.add (i32.load $a (i32.const 0)) (i32.load $b (local.get 0)))))"#);
    let p = m.to_str().unwrap();
    let o = porta(&["run", "-q", p, "--invoke", "f", "8"]);
    assert_eq!(stdout(&o), "7\n", "{}", stderr(&o));
    let o = porta(&["run", "-q", p, "--invoke", "f", "4294967304"]);
    assert_eq!(o.status.code(), Some(134), "2^32 + 8 is out of bounds: {}", stderr(&o));
    let o = porta(&["inspect", p]);
    let proposals = stdout(&o).lines().find(|l| l.starts_with("proposals:")).unwrap_or_default().to_string();
    assert!(proposals.contains("multi-memory") && proposals.contains("memory64"), "{}", stdout(&o));
}

#[test]
fn exceptions_are_caught_and_an_uncaught_one_is_named() {
    let m = module("exceptions.wasm", r#"(module (tag $e (export "parse_error") (param i32))
        (func (export "catch") (param i32) (result i32)
          (block $h (result i32) (try_table (catch $e $h) (throw $e (local.get 0))) (unreachable)))
        (func (export "_start") (throw $e (i32.const 1))))"#);
    let p = m.to_str().unwrap();
    let o = porta(&["run", "-q", p, "--invoke", "catch", "7"]);
    assert_eq!(stdout(&o), "7\n", "{}", stderr(&o));
    let o = porta(&["run", "-q", p]);
    assert_eq!(o.status.code(), Some(134));
    assert!(stderr(&o).contains("uncaught exception (tag `parse_error`)"), "{}", stderr(&o));
    let o = porta(&["inspect", p]);
    assert!(stdout(&o).lines().any(|l| l.starts_with("proposals:") && l.contains("exception-handling")), "{}", stdout(&o));
}

#[test]
fn legacy_exceptions_and_typed_function_references_run() {
    let m = module("legacy.wasm", r#"(module (tag $e (param i32))
        (type $un (func (param i32) (result i32)))
        (func $double (type $un) (i32.add (local.get 0) (local.get 0)))
        (elem declare func $double)
        (func (export "catch") (param i32) (result i32)
          try (result i32)
            local.get 0
            throw $e
          catch $e
            ref.func $double
            call_ref $un
          end))"#);
    let p = m.to_str().unwrap();
    let o = porta(&["run", "-q", p, "--invoke", "catch", "21"]);
    assert_eq!(stdout(&o), "42\n", "{}", stderr(&o));
    let o = porta(&["inspect", p]);
    let line = stdout(&o).lines().find(|l| l.starts_with("proposals:")).unwrap_or_default().to_string();
    assert!(line.contains("legacy-exceptions") && line.contains("function-references"), "{}", stdout(&o));
}

/// A memory64 program that grows to 6 GiB (sparse: only the pages it
/// touches are committed) and uses addresses past 4 GiB.
#[test]
fn a_memory64_program_uses_addresses_past_4_gib() {
    let m = module("six-gib.wasm", r#"(module (memory i64 1)
        ;; mode 0: stores at 5 GiB and in the last 8 bytes, returns their sum
        ;; and the size; mode 1: a load across the end.
        (func (export "probe") (param i32) (result i64)
          (if (i64.eq (memory.grow (i64.const 98303)) (i64.const -1)) (then (return (i64.const -1))))
          (if (local.get 0) (then (return (i64.load (i64.const 0x17ffffffc)))))
          (i64.store (i64.const 0x140000000) (i64.const 0x123456789abc))
          (i64.store offset=0x100000000 (i64.const 0x7ffffff8) (i64.const 7))
          (i64.add (i64.load (i64.const 0x140000000))
            (i64.add (i64.load (i64.const 0x17ffffff8)) (memory.size)))))"#);
    let p = m.to_str().unwrap();
    let o = porta(&["run", "-q", p, "--invoke", "probe", "0"]);
    assert_eq!(stdout(&o), format!("{}\n", 0x1234_5678_9abc_i64 + 7 + 98304), "{}", stderr(&o));
    let o = porta(&["run", "-q", p, "--invoke", "probe", "1"]);
    assert_eq!(o.status.code(), Some(134), "{}", stderr(&o));
    assert!(stderr(&o).contains("out of bounds memory access"), "{}", stderr(&o));
    // Under a 4 GiB limit the growth fails, as memory.grow fails.
    let o = porta(&["run", "-q", "--max-memory", "65536", p, "--invoke", "probe", "0"]);
    assert_eq!(stdout(&o), "-1\n", "{}", stderr(&o));
}

#[test]
fn a_64_bit_memory_past_max_memory_is_refused_with_the_numbers() {
    let m = module("big64.wasm", r#"(module (memory i64 300) (func (export "_start")))"#);
    let o = porta(&["run", "--max-memory", "256", m.to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(0));
    let e = stderr(&o);
    assert!(e.contains("300 pages") && e.contains("256"), "{e}");
}

#[test]
fn later_proposals_are_not_supported_yet_rather_than_malformed() {
    let cases = [
        ("gc", "(module (type (struct (field i32))) (func (export \"_start\")))"),
        ("threads", "(module (memory 1 1 shared) (func (export \"_start\")))"),
    ];
    for (i, (proposal, wat)) in cases.iter().enumerate() {
        let m = module(&format!("proposal{i}.wasm"), wat);
        let path = m.to_str().unwrap();
        let expected = format!("not supported yet (proposal {proposal})");
        let o = porta(&["run", path]);
        assert_eq!(o.status.code(), Some(125), "{wat}");
        let e = stderr(&o);
        assert!(e.contains(&expected) && !e.contains("malformed") && !e.contains("invalid"), "{wat}: {e}");
        assert_eq!(e.lines().count(), 1, "{e}");
        let o = porta(&["validate", path]);
        assert_eq!(o.status.code(), Some(1), "{wat}");
        assert!(stdout(&o).contains(&expected) && stdout(&o).ends_with("FAIL\n"), "{wat}: {}", stdout(&o));
    }
}

/// `tests/programs/unwind.wat`: an error thrown 10 to 1000 frames deep
/// through a cleanup in every frame (3.0 and legacy forms), caught in
/// `_start` with its payload. The count is the same on every run, and a
/// limit that falls in the middle of the unwinding stops there exactly.
#[test]
fn a_program_throws_through_a_thousand_frames_of_cleanups() {
    let wat = std::fs::read_to_string("tests/programs/unwind.wat").unwrap();
    let m = module("unwind.wasm", &wat);
    let p = m.to_str().unwrap();
    let o = porta(&["run", p]);
    assert_eq!(stdout(&o), "cleanups 101000\nsum 102400\n", "{}", stderr(&o));
    let steps = |o: &Output| -> u64 {
        let e = stderr(o);
        let at = e.find("steps: ").unwrap_or_else(|| panic!("no metrics line: {e}")) + 7;
        e[at..].split(',').next().unwrap().parse().unwrap()
    };
    let total = steps(&o);
    assert_eq!(steps(&porta(&["run", p])), total);
    let half = (total / 2).to_string();
    let o = porta(&["run", "--step-limit", &half, p]);
    assert_eq!(o.status.code(), Some(152), "{}", stderr(&o));
    assert_eq!(steps(&o), total / 2);
    assert_eq!(stdout(&o), "");
}

/// Started with stdin closed, porta puts /dev/null there before it opens
/// anything (as std's start would). Otherwise the mount it opens takes fd
/// 0, and the guest reading stdin reads the mount's directory: an error
/// where it should see the end of input.
#[cfg(unix)]
#[test]
fn a_closed_stdin_reads_as_empty() {
    use std::os::unix::process::CommandExt;
    // Exits with fd_read's errno on stdin, or 100 if it read anything.
    let m = module("stdin.wasm", r#"(module
        (import "wasi_snapshot_preview1" "fd_read" (func $r (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (func (export "_start") (local $e i32)
            (i32.store (i32.const 0) (i32.const 16))
            (i32.store (i32.const 4) (i32.const 64))
            (local.set $e (call $r (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
            (if (i32.and (i32.eqz (local.get $e)) (i32.ne (i32.load (i32.const 8)) (i32.const 0)))
                (then (local.set $e (i32.const 100))))
            (call $exit (local.get $e))))"#);
    let dir = m.parent().unwrap().to_str().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_porta"));
    cmd.args(["run", "-q", "-v", &format!("{dir}:/data:ro"), m.to_str().unwrap()]);
    // SAFETY: close(2) is async-signal-safe.
    unsafe { cmd.pre_exec(|| (libc::close(0) == 0).then_some(()).ok_or_else(std::io::Error::last_os_error)) };
    let o = cmd.output().expect("porta runs");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// A module that ends with a large custom section runs without it being
/// read (`src/module_file.rs`), and runs as it would in full, unless the
/// run writes a snapshot; one whose trailing custom section is malformed
/// is refused, as `validate` refuses it, whichever way the file is read.
#[test]
fn trailing_custom_sections_do_not_change_what_runs() {
    let base = wat::parse_str(r#"(module (func (export "f") (result i32) i32.const 42))"#).unwrap();
    // A custom section: id 0, its size as a five-byte LEB128 (padding is
    // allowed), the name, `len` bytes.
    let custom = |name: &[u8], len: usize| {
        let size = 1 + name.len() + len;
        let leb = [0, 7, 14, 21].map(|k| (size >> k) as u8 | 0x80);
        [&[0u8][..], &leb, &[(size >> 28) as u8, name.len() as u8], name, &vec![0x5a; len]].concat()
    };
    let big = 2 << 20;
    let good = write_file("trailing-debug.wasm", &[base.clone(), custom(b".debug_info", big)].concat());
    let o = porta(&["run", good.to_str().unwrap(), "--invoke", "f"]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), "42\n".into()), "{}", stderr(&o));
    // A run that writes a snapshot reads the file whole: the snapshot names
    // the module by the whole file's SHA-256, and resumes from it.
    let snap = good.with_extension("snap");
    let o = porta(&["run", good.to_str().unwrap(), "--invoke", "f", "--step-limit", "0", "--snapshot", snap.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(152), "{}", stderr(&o));
    let info: serde_json::Value = serde_json::from_slice(&porta(&["inspect", snap.to_str().unwrap(), "--json"]).stdout).unwrap();
    let sum = Command::new("sha256sum").arg(&good).output().expect("sha256sum runs");
    assert_eq!(info["module_sha256"].as_str(), String::from_utf8_lossy(&sum.stdout).split(' ').next());
    let o = porta(&["resume", snap.to_str().unwrap()]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), "42\n".into()), "{}", stderr(&o));

    let bad_name = write_file("trailing-bad-name.wasm", &[base.clone(), custom(b"\xff\xfe", big)].concat());
    let mut cut = [base, custom(b".debug_info", big)].concat();
    cut.truncate(cut.len() - 1);
    let cut = write_file("trailing-cut.wasm", &cut);
    for bad in [bad_name, cut] {
        let bad = bad.to_str().unwrap();
        let o = porta(&["run", bad, "--invoke", "f"]);
        assert_eq!(o.status.code(), Some(125), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("custom"), "{bad}: {}", stderr(&o));
        assert_ne!(porta(&["validate", bad]).status.code(), Some(0), "{bad}");
    }
}
