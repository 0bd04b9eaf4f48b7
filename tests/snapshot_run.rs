//! Snapshots through the binary: `porta run --step-limit N --snapshot F`
//! then `porta resume F` in a new process gives the same stdout, stderr,
//! exit status, files in the mount and total step count as one
//! uninterrupted run (a small guest at every step, the C WASI programs and
//! CPython at several); a run stopped by --timeout resumes the same way;
//! damaged, foreign and incomplete resumes are refused with their reason.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn porta(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_porta")).args(args).stdin(Stdio::null()).output().expect("porta runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn scratch(tag: &str) -> PathBuf {
    let d = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("porta-snap-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Built once per process: tests run side by side, and rebuilding it (its
/// scratch folder is emptied first) would pull it from under a running one.
fn journal() -> PathBuf {
    static PATH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(build_journal).clone()
}

fn build_journal() -> PathBuf {
    let wat = std::fs::read_to_string("tests/programs/journal.wat").unwrap();
    let path = scratch("journal-module").join("journal.wasm");
    std::fs::write(&path, wat::parse_str(wat).unwrap()).unwrap();
    path
}

/// What a run shows: exit status, stdout, the guest's stderr (porta's own
/// lines left out), the steps of the metrics line, the mount's files.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    steps: u64,
    files: BTreeMap<String, Vec<u8>>,
}

fn steps_of(stderr: &str) -> u64 {
    let line = stderr.lines().rev().find(|l| l.starts_with("steps: ")).unwrap_or_else(|| panic!("no metrics line: {stderr}"));
    line["steps: ".len()..].split(',').next().unwrap().parse().unwrap()
}

fn guest_stderr(stderr: &str) -> String {
    stderr.lines().filter(|l| !l.starts_with("porta: ") && !l.starts_with("steps: ")).map(|l| format!("{l}\n")).collect()
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().into_owned();
        if e.file_type().unwrap().is_dir() {
            for (k, v) in files(&e.path()) {
                out.insert(format!("{name}/{k}"), v);
            }
        } else {
            out.insert(name, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

/// A guest run: `porta run MODULE -v DIR:/sandbox FLAGS [--step-limit N
/// --snapshot F] -- ARGS`.
struct Guest<'a> {
    module: &'a Path,
    flags: &'a [&'a str],
    /// What `resume` must be given besides the mount (capabilities).
    resume_flags: &'a [&'a str],
    args: &'a [&'a str],
    /// Files the mount starts with.
    setup: fn(&Path),
}

impl Guest<'_> {
    fn run(&self, dir: &Path, extra: &[&str]) -> Output {
        let mount = format!("{}:/sandbox", dir.display());
        let mut a = vec!["run", self.module.to_str().unwrap(), "-v", &mount];
        a.extend_from_slice(self.flags);
        a.extend_from_slice(extra);
        a.push("--");
        a.extend_from_slice(self.args);
        porta(&a)
    }

    fn whole(&self, tag: &str) -> Seen {
        let dir = scratch(tag);
        (self.setup)(&dir);
        let o = self.run(&dir, &[]);
        let err = text(&o.stderr);
        Seen { code: o.status.code(), stdout: text(&o.stdout), stderr: guest_stderr(&err), steps: steps_of(&err), files: files(&dir) }
    }

    /// Stops at step `n`, resumes in a new process.
    fn stopped_at(&self, tag: &str, n: u64) -> Seen {
        let dir = scratch(tag);
        (self.setup)(&dir);
        let snap = scratch(&format!("{tag}-file")).join("run.snap");
        let limit = n.to_string();
        let first = self.run(&dir, &["--step-limit", &limit, "--snapshot", snap.to_str().unwrap()]);
        let err1 = text(&first.stderr);
        assert_eq!(first.status.code(), Some(152), "stop at {n}: {err1}");
        assert!(err1.contains("snapshot written to"), "{err1}");
        let mount = format!("{}:/sandbox", dir.display());
        let mut a = vec!["resume", snap.to_str().unwrap(), "-v", &mount];
        a.extend_from_slice(self.resume_flags);
        let second = porta(&a);
        let err2 = text(&second.stderr);
        Seen {
            code: second.status.code(),
            stdout: text(&first.stdout) + &text(&second.stdout),
            stderr: guest_stderr(&err1) + &guest_stderr(&err2),
            steps: steps_of(&err2),
            files: files(&dir),
        }
    }

    fn check(&self, tag: &str, stops: impl Fn(u64) -> Vec<u64>) {
        let want = self.whole(tag);
        for n in stops(want.steps) {
            assert_eq!(self.stopped_at(tag, n), want, "{tag}: stopped at step {n} of {}", want.steps);
        }
    }
}

#[test]
fn a_guest_stopped_at_any_step_resumes_to_the_same_run() {
    let module = journal();
    let g = Guest { module: &module, flags: &[], resume_flags: &[], args: &[], setup: |_| {} };
    let want = g.whole("journal");
    assert_eq!(want.code, Some(3));
    assert_eq!(want.stdout, (0..10).map(|i| format!("line {i}\n")).collect::<String>());
    assert_eq!(want.stderr, "line 5\n");
    assert_eq!(want.files["log.txt"], want.stdout.as_bytes());
    // Every step: each block of this guest holds a host call.
    g.check("journal", |total| (1..total).collect());
}

fn bin(program: &str) -> PathBuf {
    PathBuf::from(format!("{}/tests/wasi/bin/{program}.wasm", env!("CARGO_MANIFEST_DIR")))
}

/// N = 1, 2, a spread of points, and the last step.
fn spread(total: u64) -> Vec<u64> {
    let mut v = vec![1, 2, total - 1];
    v.extend((1..12).map(|k| total * k / 12 + k));
    v.retain(|&n| n < total);
    v
}

#[test]
fn the_wasi_c_programs_resume_to_the_same_run() {
    // Files opened, written, read and listed across the stop.
    for case in ["big_file", "seek_tell", "readdir_many", "open_append", "pread_pwrite", "renumber", "write_then_rename"] {
        let module = bin("fs");
        let g = Guest { module: &module, flags: &[], resume_flags: &[], args: &[case], setup: |_| {} };
        let want = g.whole(case);
        assert_eq!((want.code, want.stdout.as_str()), (Some(0), format!("ok {case}\n").as_str()), "{case}");
        g.check(case, spread);
    }
    // The virtual clock and the seeded random state go on where they were.
    for (program, case, cap) in [("clock", "monotonic", "clock"), ("random", "random_get_large", "random")] {
        let module = bin(program);
        let flags = ["--deterministic", "--allow", cap];
        let g = Guest { module: &module, flags: &flags, resume_flags: &["--allow", cap], args: &[case], setup: |_| {} };
        g.check(case, spread);
    }
}

#[test]
fn cpython_resumes_to_the_same_run() {
    let out = Command::new("sh").arg("tests/fetch-cpython.sh").output().expect("sh runs");
    assert!(out.status.success(), "fetching CPython failed: {}", text(&out.stderr));
    let python = PathBuf::from(text(&out.stdout).trim());
    let g = Guest {
        module: &python,
        flags: &["--profile", "worker", "--deterministic"],
        resume_flags: &["--profile", "worker"],
        args: &["-c", "import json, hashlib\n\
            d = {str(i): i * i for i in range(2000)}\n\
            open('/sandbox/out.json', 'w').write(json.dumps(d))\n\
            print(hashlib.sha256(open('/sandbox/out.json', 'rb').read()).hexdigest(), len(d), hash('x') & 0xffff)"],
        setup: |_| {},
    };
    let want = g.whole("cpython");
    assert_eq!(want.code, Some(0), "{want:?}");
    assert!(want.files.contains_key("out.json"));
    g.check("cpython", |total| vec![1, total / 3, total * 2 / 3 + 7, total - 1]);
}

/// Counts to 2^28 (seconds of work), then prints the count's top digit.
/// Built once per process, as `journal`.
fn spin() -> PathBuf {
    static PATH: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(build_spin).clone()
}

fn build_spin() -> PathBuf {
    let m = scratch("spin-module").join("spin.wasm");
    std::fs::write(&m, wat::parse_str(r#"(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (func (export "_start") (local $i i32)
        (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 0x10000000))))
        (i32.store8 (i32.const 100) (i32.add (i32.const 48) (i32.shr_u (local.get $i) (i32.const 28))))
        (i32.store8 (i32.const 101) (i32.const 10))
        (i32.store (i32.const 0) (i32.const 100)) (i32.store (i32.const 4) (i32.const 2))
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))"#).unwrap()).unwrap();
    m
}

/// A stopped spin run: its snapshot resumes to the same output and total
/// steps as an uninterrupted run.
fn resumes_as_whole(module: &Path, snap: &Path, stopped: &Output, status: i32) {
    let err = text(&stopped.stderr);
    assert_eq!(stopped.status.code(), Some(status), "{err}");
    assert!(steps_of(&err) > 0 && err.contains("snapshot written"), "{err}");
    let o = porta(&["resume", snap.to_str().unwrap()]);
    assert_eq!((o.status.code(), text(&o.stdout)), (Some(0), "1\n".to_string()), "{}", text(&o.stderr));
    let whole = porta(&["run", module.to_str().unwrap()]);
    assert_eq!(steps_of(&text(&o.stderr)), steps_of(&text(&whole.stderr)));
}

#[test]
fn a_run_stopped_by_its_timeout_resumes_to_the_same_run() {
    let m = spin();
    let snap = scratch("spin").join("spin.snap");
    let o = porta(&["run", m.to_str().unwrap(), "--timeout", "0.2", "--snapshot", snap.to_str().unwrap()]);
    resumes_as_whole(&m, &snap, &o, 124);
}

#[test]
fn a_run_stopped_by_sigterm_resumes_to_the_same_run() {
    let m = spin();
    let snap = scratch("spin-term").join("spin.snap");
    let child = Command::new(env!("CARGO_BIN_EXE_porta"))
        .args(["run", m.to_str().unwrap(), "--snapshot", snap.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let o = child.wait_with_output().unwrap();
    assert!(text(&o.stderr).contains("stopped by SIGTERM"), "{}", text(&o.stderr));
    resumes_as_whole(&m, &snap, &o, 143);
}

/// A journal run stopped at step 40, and its mount.
fn stopped_journal(tag: &str, extra: &[&str]) -> (PathBuf, PathBuf, PathBuf) {
    let module = journal();
    let dir = scratch(tag);
    let snap = scratch(&format!("{tag}-file")).join("j.snap");
    let mount = format!("{}:/sandbox", dir.display());
    let mut a = vec!["run", module.to_str().unwrap(), "-v", &mount, "--step-limit", "40", "--snapshot", snap.to_str().unwrap()];
    a.extend_from_slice(extra);
    let o = porta(&a);
    assert_eq!(o.status.code(), Some(152), "{}", text(&o.stderr));
    (module, dir, snap)
}

fn refused(args: &[&str], want: &str) {
    let o = porta(args);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(125), "{args:?}: {err}");
    assert!(err.contains(want), "{args:?}: expected `{want}` in: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
}

#[test]
fn resumes_that_cannot_be_exact_are_refused_with_the_reason() {
    let (_, dir, snap) = stopped_journal("refusals", &[]);
    let s = snap.to_str().unwrap();
    let mount = format!("{}:/sandbox", dir.display());
    refused(&["resume", s], "give it again with -v HOST:/sandbox");
    refused(&["resume", s, "-v", &mount, "--step-limit", "40"], "not above the snapshot's 40 steps");
    refused(&["resume", s, "-v", &mount, "--module", "examples/hello.wasm"], "another module");
    // The file the guest has open changed behind its back.
    std::fs::write(dir.join("log.txt"), b"something else").unwrap();
    refused(&["resume", s, "-v", &mount], "/sandbox/log.txt changed since the snapshot");
    std::fs::remove_file(dir.join("log.txt")).unwrap();
    refused(&["resume", s, "-v", &mount], "/sandbox/log.txt vanished");
    // Damaged, truncated, not a snapshot.
    let mut bytes = std::fs::read(&snap).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 1;
    let bad = scratch("refusals-bad").join("bad.snap");
    std::fs::write(&bad, &bytes).unwrap();
    refused(&["resume", bad.to_str().unwrap(), "-v", &mount], "checksum");
    std::fs::write(&bad, &bytes[..n / 3]).unwrap();
    refused(&["resume", bad.to_str().unwrap(), "-v", &mount], "checksum");
    refused(&["resume", "examples/hello.wasm"], "not a porta snapshot");
}

#[test]
fn capabilities_and_secrets_must_be_given_again() {
    let (module, dir, snap) = stopped_journal("secrets", &["--secret", "TOKEN=hunter2-value", "--allow", "clock"]);
    let bytes = std::fs::read(&snap).unwrap();
    assert!(!bytes.windows(13).any(|w| w == b"hunter2-value"), "a secret's value is in the snapshot");
    let (s, mount) = (snap.to_str().unwrap(), format!("{}:/sandbox", dir.display()));
    refused(&["resume", s, "-v", &mount, "--secret", "TOKEN=x"], "--allow clock");
    refused(&["resume", s, "-v", &mount, "--allow", "clock"], "secret TOKEN was not given");
    let o = porta(&["resume", s, "-v", &mount, "--allow", "clock", "--secret", "TOKEN=hunter2-value"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o.stderr));
    // `inspect` names what a resume needs.
    let o = porta(&["inspect", s]);
    let out = text(&o.stdout);
    assert!(out.contains("steps: 40") && out.contains("secrets to give again with --secret: TOKEN"), "{out}");
    assert!(out.contains(&module.display().to_string()), "{out}");
    assert!(out.contains("4 file /sandbox/log.txt"), "{out}");
}

#[test]
fn a_stop_inside_initialize_resumes_into_the_invoked_function() {
    // A reactor: `_initialize` fills a table of squares, `sum` adds some.
    let m = scratch("reactor-module").join("reactor.wasm");
    std::fs::write(&m, wat::parse_str(r#"(module
      (memory (export "memory") 1)
      (func (export "_initialize") (local $i i32)
        (loop $l
          (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.mul (local.get $i) (local.get $i)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 1000)))))
      (func (export "sum") (param $n i32) (result i64) (local $acc i64)
        (loop $l
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (local.set $acc (i64.add (local.get $acc) (i64.load32_u (i32.shl (local.get $n) (i32.const 2)))))
          (br_if $l (local.get $n)))
        (local.get $acc)))"#).unwrap()).unwrap();
    let m = m.to_str().unwrap();
    let whole = porta(&["run", m, "--invoke", "sum", "100"]);
    assert_eq!(text(&whole.stdout), "328350\n");
    let total = steps_of(&text(&whole.stderr));
    for n in [5, 3000, 7000, total - 3] {
        let snap = scratch(&format!("reactor-{n}")).join("r.snap");
        let limit = n.to_string();
        let o = porta(&["run", m, "--invoke", "sum", "100", "--step-limit", &limit, "--snapshot", snap.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(152), "{}", text(&o.stderr));
        let r = porta(&["resume", snap.to_str().unwrap()]);
        assert_eq!((text(&r.stdout), steps_of(&text(&r.stderr))), ("328350\n".to_string(), total), "stopped at {n}");
    }
}
