//! `porta run COMMAND` (native mode) through the real binary: real commands
//! under the sandbox (`sh -c`, python3 writing in a mount, curl reaching an
//! allowed local port), the exit statuses (own, 124, 125, 126, 127, 128+N),
//! flags refused natively, refusal when the kernel lacks a feature, the
//! private temp dir, --strict, --no-net, --timeout leaving nothing behind.

#![cfg(target_os = "linux")]

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn porta_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_porta"));
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("porta runs")
}

fn porta(args: &[&str]) -> Output {
    porta_env(args, &[])
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh directory for one test, removed when dropped.
struct Dir(PathBuf);
impl Dir {
    fn new(name: &str) -> Dir {
        let p = std::env::temp_dir().join(format!("porta-native-run-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Dir(std::fs::canonicalize(&p).unwrap())
    }
    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}
impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn sh_runs_with_its_own_exit_status() {
    let o = porta(&["run", "-q", "sh", "--", "-c", "echo hi; echo err >&2; exit 3"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(stdout(&o), "hi\n");
    assert_eq!(stderr(&o), "err\n");
    assert_eq!(porta(&["run", "true"]).status.code(), Some(0));
    assert_eq!(porta(&["run", "/bin/false"]).status.code(), Some(1));
}

#[test]
fn exit_statuses_for_missing_unrunnable_and_signalled_commands() {
    let o = porta(&["run", "no-such-command-porta"]);
    assert_eq!(o.status.code(), Some(127));
    assert!(stderr(&o).contains("`no-such-command-porta` not found on PATH"), "{}", stderr(&o));
    let o = porta(&["run", "/nonexistent/tool"]);
    assert_eq!((o.status.code(), stderr(&o)), (Some(127), "porta: /nonexistent/tool does not exist\n".into()));

    let d = Dir::new("exit");
    let plain = d.join("plain.sh");
    std::fs::write(&plain, "#!/bin/sh\necho never\n").unwrap();
    let o = porta(&["run", plain.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(126));
    assert!(stderr(&o).contains("not executable"), "{}", stderr(&o));
    let o = porta(&["run", d.path()]);
    assert_eq!(o.status.code(), Some(126));
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
    let garbage = d.join("garbage");
    std::fs::write(&garbage, [0x7f, 0x45, 0x4c, 0x46, 1, 2, 3]).unwrap();
    std::fs::set_permissions(&garbage, std::fs::Permissions::from_mode(0o755)).unwrap();
    let o = porta(&["run", garbage.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(126), "{}", stderr(&o));

    let o = porta(&["run", "sh", "--", "-c", "kill -9 $$"]);
    assert_eq!(o.status.code(), Some(128 + 9));
    let o = porta(&["run", "sh", "--", "-c", "kill -TERM $$"]);
    assert_eq!(o.status.code(), Some(128 + 15));
}

#[test]
fn flags_meaningless_natively_are_refused_by_name() {
    for (flags, name) in [
        (&["--step-limit", "5"][..], "--step-limit"),
        (&["--max-memory", "4"][..], "--max-memory"),
        (&["--invoke", "f"][..], "--invoke"),
        (&["--profile", "full"][..], "--profile"),
        (&["--allow", "fs"][..], "--allow"),
        (&["--deterministic"][..], "--deterministic"),
        (&["--allow-exec", "ls"][..], "--allow-exec"),
    ] {
        let o = porta(&[&["run", "true"][..], flags].concat());
        assert_eq!(o.status.code(), Some(125), "{flags:?}");
        let e = stderr(&o);
        assert_eq!(e.lines().count(), 1, "{e}");
        assert!(e.starts_with(&format!("porta: {name} ")), "{e}");
    }
    assert!(stderr(&porta(&["run", "true", "--step-limit", "5"])).contains("means nothing for a native command"));
    // And the native-only ones on a module.
    let o = porta(&["run", "examples/fib.wasm", "--strict", "--invoke", "fib", "3"]);
    assert_eq!(o.status.code(), Some(125));
    assert!(stderr(&o).contains("--strict is for native commands only"), "{}", stderr(&o));
    let o = porta(&["run", "true", "--no-net", "--allow-net", "*:443"]);
    assert_eq!(o.status.code(), Some(125));
    // A guest path other than the host path cannot exist natively.
    let d = Dir::new("vol");
    let o = porta(&["run", "true", "-v", &format!("{}:/data", d.path())]);
    assert_eq!(o.status.code(), Some(125));
    assert!(stderr(&o).contains("GUEST must be HOST or left out"), "{}", stderr(&o));
    let o = porta(&["run", "true", "--allow-net", "example.com"]);
    assert_eq!(o.status.code(), Some(125));
    assert!(stderr(&o).contains("give the port"), "{}", stderr(&o));
}

#[test]
fn a_kernel_without_the_features_asked_for_is_refused() {
    let o = porta_env(&["run", "true", "--allow-net", "*:443"], &[("PORTA_TEST_LANDLOCK_ABI", "3")]);
    assert_eq!(o.status.code(), Some(125));
    let e = stderr(&o);
    assert!(e.contains("Landlock ABI 3") && e.contains("TCP port rules") && e.contains("scoping"), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
    let o = porta_env(&["run", "true"], &[("PORTA_TEST_LANDLOCK_ABI", "5")]);
    assert_eq!(o.status.code(), Some(125));
    assert!(stderr(&o).contains("signal and abstract unix socket scoping") && !stderr(&o).contains("TCP"), "{}", stderr(&o));
    let o = porta_env(&["run", "true"], &[("PORTA_TEST_LANDLOCK_ABI", "0")]);
    assert_eq!(o.status.code(), Some(125));
    assert!(stderr(&o).contains("Landlock at all"), "{}", stderr(&o));
    // The command never ran: nothing it would have written exists.
    let d = Dir::new("abi");
    let marker = d.join("ran");
    let o = porta_env(
        &["run", "-v", d.path(), "sh", "--", "-c", &format!("touch {}", marker.display())],
        &[("PORTA_TEST_LANDLOCK_ABI", "4")],
    );
    assert_eq!(o.status.code(), Some(125));
    assert!(!marker.exists());
}

#[test]
fn python_writes_in_a_mount_and_not_beside_it() {
    let d = Dir::new("py");
    std::fs::create_dir(d.join("work")).unwrap();
    let work = d.join("work");
    let script = format!(
        "import os\nopen('{w}/out.txt','w').write('from python')\ntry:\n    open('{o}/escape.txt','w')\n    print('escaped')\nexcept PermissionError:\n    print('denied')\n",
        w = work.display(),
        o = d.path()
    );
    let o = porta(&["run", "-q", "-v", work.to_str().unwrap(), "/usr/bin/python3", "--", "-c", &script]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "denied\n");
    assert_eq!(std::fs::read_to_string(work.join("out.txt")).unwrap(), "from python");
    assert!(!d.join("escape.txt").exists());
    // :ro mounts are readable, not writable.
    let o = porta(&["run", "-q", "-v", &format!("{}:ro", work.display()), "sh", "--", "-c",
        &format!("cat {w}/out.txt; echo x > {w}/new 2>/dev/null || echo ' ro'", w = work.display())]);
    assert_eq!(stdout(&o), "from python ro\n", "{}", stderr(&o));
}

/// Accepts connections on a local port in the background; returns the port.
fn listener() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in l.incoming().take(8).flatten() {
            use std::io::Write;
            let mut s = s;
            let _ = s.write_all(b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        }
    });
    port
}

#[test]
fn curl_reaches_the_allowed_port_only() {
    let (allowed, other) = (listener(), listener());
    let url = |p: u16| format!("http://127.0.0.1:{p}/");
    let o = porta(&["run", "-q", "--allow-net", &format!("127.0.0.1:{allowed}"), "curl", "--", "-sS", "--max-time", "5", &url(allowed)]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), "hello".into()), "{}", stderr(&o));
    let o = porta(&["run", "-q", "--allow-net", &format!("127.0.0.1:{allowed}"), "curl", "--", "-sS", "--max-time", "5", &url(other)]);
    assert_ne!(o.status.code(), Some(0), "{}", stdout(&o));
    // Open by default; none with --no-net.
    let o = porta(&["run", "-q", "curl", "--", "-sS", "--max-time", "5", &url(other)]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), "hello".into()), "{}", stderr(&o));
    let o = porta(&["run", "-q", "--no-net", "curl", "--", "-sS", "--max-time", "5", &url(other)]);
    assert_ne!(o.status.code(), Some(0));
    // A host name is a note: the kernel checks ports only.
    let o = porta(&["run", "--allow-net", &format!("localhost:{allowed}"), "true"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("host names are not enforced"), "{}", stderr(&o));
}

#[test]
fn the_private_temp_dir_is_writable_and_removed() {
    let o = porta(&["run", "-q", "sh", "--", "-c", "echo x > \"$TMPDIR/f\" && cat \"$TMPDIR/f\" && echo \"$TMPDIR\""]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let dir = out.lines().nth(1).unwrap();
    assert!(dir.contains("porta-native-"), "{out}");
    assert!(!Path::new(dir).exists(), "{dir} left behind");
}

#[test]
fn only_the_passed_environment_reaches_the_command() {
    let o = porta_env(
        &["run", "-q", "-e", "GIVEN=1", "--secret", "TOKEN=s3cret", "sh", "--", "-c", "echo $GIVEN $TOKEN ${PORTA_SECRET_OF_HOST:-unset}"],
        &[("PORTA_SECRET_OF_HOST", "leak")],
    );
    assert_eq!(stdout(&o), "1 s3cret unset\n", "{}", stderr(&o));
}

#[test]
fn strict_reads_only_system_dirs_and_mounts() {
    let d = Dir::new("strict");
    std::fs::write(d.join("f"), "data").unwrap();
    let f = d.join("f");
    let f = f.to_str().unwrap();
    let o = porta(&["run", "-q", "sh", "--", "-c", &format!("cat {f}")]);
    assert_eq!(stdout(&o), "data");
    let o = porta(&["run", "-q", "--strict", "sh", "--", "-c", &format!("cat /etc/passwd >/dev/null && echo etc; cat {f} 2>/dev/null || echo denied")]);
    assert_eq!(stdout(&o), "etc\ndenied\n", "{}", stderr(&o));
    let o = porta(&["run", "-q", "--strict", "-v", &format!("{}:ro", d.path()), "sh", "--", "-c", &format!("cat {f}")]);
    assert_eq!(stdout(&o), "data", "{}", stderr(&o));
}

#[test]
fn a_timeout_ends_the_command_and_everything_it_started() {
    let marker = format!("{}.{}", 40 + std::process::id() % 50, std::process::id() % 1000);
    let start = std::time::Instant::now();
    let o = porta(&["run", "--timeout", "0.5", "sh", "--", "-c", &format!("sleep {marker} & sleep {marker}")]);
    assert_eq!(o.status.code(), Some(124), "{}", stderr(&o));
    assert!(stderr(&o).contains("timed out after 0.5s"), "{}", stderr(&o));
    assert!(start.elapsed().as_secs() < 10);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let left: Vec<String> = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains(&marker))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[test]
fn restart_on_failure_reruns_the_command() {
    let o = porta(&["run", "--restart", "on-failure", "--max-restarts", "2", "false"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("restart 2 of 2") && stderr(&o).contains("restarts: 2"), "{}", stderr(&o));
}

/// What `cli_run`'s `native_commands_are_told_about_native_mode` checked
/// before native mode existed, as it is now: the magic decides, a `.wasm`
/// name is always a module, anything else runs natively.
#[test]
fn the_magic_decides_what_is_a_module() {
    let d = Dir::new("dispatch");
    let script = d.join("tool.sh");
    std::fs::write(&script, "#!/bin/sh\necho \"hi $1\"\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let o = porta(&["run", "-q", script.to_str().unwrap(), "--", "-l"]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), "hi -l\n".into()), "{}", stderr(&o));
    let o = porta(&["run", "-q", "ls", "--", "-d", "/"]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), "/\n".into()), "{}", stderr(&o));
    let o = porta(&["run", "/nonexistent/prog.wasm"]);
    assert_eq!((o.status.code(), stderr(&o)), (Some(125), "porta: /nonexistent/prog.wasm does not exist\n".into()));
    let text = d.join("text.wasm");
    std::fs::write(&text, "not a module").unwrap();
    let o = porta(&["run", text.to_str().unwrap()]);
    assert!(stderr(&o).contains("is not a WebAssembly module"), "{}", stderr(&o));
    let fib = d.join("fib-module");
    std::fs::write(&fib, std::fs::read("examples/fib.wasm").unwrap()).unwrap();
    let o = porta(&["run", "-q", fib.to_str().unwrap(), "--invoke", "fib", "10"]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), "55\n".to_string()), "{}", stderr(&o));
}

/// A descriptor porta was started with (here 7, opened by a shell on a
/// file outside every mount) is closed before the command starts: an open
/// file is not checked again by Landlock.
#[test]
fn descriptors_beyond_stdio_are_not_inherited() {
    let d = Dir::new("fd");
    let file = d.join("outside");
    let script = format!(
        "exec 7>'{}'; exec '{}' run -q sh -- -c 'echo leaked >&7 && echo escaped || echo held'",
        file.display(),
        env!("CARGO_BIN_EXE_porta")
    );
    let o = Command::new("sh").args(["-c", &script]).output().unwrap();
    assert_eq!(stdout(&o), "held\n", "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "");
}
