//! `porta init` and `porta up` through the real binary: the file init
//! writes runs as it is, for a module and for a native command; flags
//! override the file; secrets reach the guest and nothing porta prints; a
//! bad file is refused with its line and key; `up -d` detaches.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Project(PathBuf);

impl Project {
    fn new(name: &str) -> Project {
        let dir = std::env::temp_dir().join(format!("porta-project-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("home")).unwrap();
        Project(dir)
    }

    fn porta(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_porta"))
            .args(args)
            .current_dir(&self.0)
            .env("PORTA_HOME", self.0.join("home"))
            .env("PORTA_TEST_TOKEN", "tok-from-env")
            .stdin(Stdio::null())
            .output()
            .expect("porta runs")
    }

    fn program(&self, name: &str) -> &Self {
        let wat = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs").join(format!("{name}.wat"))).unwrap();
        std::fs::write(self.0.join(format!("{name}.wasm")), wat::parse_str(wat).unwrap()).unwrap();
        self
    }

    fn write(&self, text: &str) {
        std::fs::write(self.0.join("porta.toml"), text).unwrap();
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn init_writes_a_file_up_runs_and_init_keeps_it_without_force() {
    let p = Project::new("init");
    p.program("printenv");
    let o = p.porta(&["init", "printenv.wasm"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains("wrote porta.toml") && err(&o).contains("porta up"));
    let text = std::fs::read_to_string(p.0.join("porta.toml")).unwrap();
    assert!(text.contains("type = \"wasm\"") && text.contains("wasm = \"printenv.wasm\"") && text.contains("[secrets]"), "{text}");
    let o = p.porta(&["up"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(err(&o).contains("steps: "), "{}", err(&o));

    let again = p.porta(&["init", "wasm", "printenv.wasm"]);
    assert_eq!(again.status.code(), Some(125));
    assert!(err(&again).contains("exists") && err(&again).contains("--force"), "{}", err(&again));
    std::fs::write(p.0.join("porta.toml"), "# mine\n").unwrap();
    assert_eq!(p.porta(&["init", "wasm", "printenv.wasm"]).status.code(), Some(125));
    assert_eq!(std::fs::read_to_string(p.0.join("porta.toml")).unwrap(), "# mine\n", "kept as it was");
    assert_eq!(p.porta(&["init", "--force", "wasm", "printenv.wasm"]).status.code(), Some(0));
    assert!(std::fs::read_to_string(p.0.join("porta.toml")).unwrap().contains("[runtime]"));

    for (args, want) in [
        (&["init", "wasm", "missing.wasm"][..], "missing.wasm does not exist"),
        (&["init", "docker", "x"][..], "unknown kind `docker`"),
        (&["init", "native"][..], "needs a target"),
    ] {
        let o = p.porta(args);
        assert_eq!(o.status.code(), Some(125), "{args:?}");
        assert!(err(&o).contains(want), "{args:?}: {}", err(&o));
    }
}

#[test]
fn env_and_secrets_reach_the_guest_and_flags_override_the_file() {
    let p = Project::new("env");
    p.program("printenv");
    std::fs::write(p.0.join("token.txt"), "tok-from-file\n").unwrap();
    p.write(
        "[runtime]\nwasm = \"printenv.wasm\"\n\
         [env]\nGREETING = \"hello\"\nMODE = \"file\"\n\
         [secrets]\nPORTA_TEST_TOKEN = { from-env = true }\nFILE_TOKEN = { from-file = \"token.txt\" }\nINLINE = \"tok-inline\"\n",
    );
    let o = p.porta(&["up"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let env = out(&o);
    for kv in ["GREETING=hello", "MODE=file", "PORTA_TEST_TOKEN=tok-from-env", "FILE_TOKEN=tok-from-file", "INLINE=tok-inline"] {
        assert!(env.lines().any(|l| l == kv), "{kv} missing from {env}");
    }
    assert!(!err(&o).contains("tok-"), "{}", err(&o));

    // -e replaces the file's key; --step-limit overrides the (absent)
    // limit and stops the guest exactly.
    let o = p.porta(&["up", "-e", "MODE=flag"]);
    assert!(out(&o).lines().any(|l| l == "MODE=flag") && !out(&o).contains("MODE=file"), "{}", out(&o));
    let o = p.porta(&["up", "--step-limit", "3"]);
    assert_eq!(o.status.code(), Some(152), "{}", err(&o));
    assert!(err(&o).contains("steps: 3,"), "{}", err(&o));

    // A missing secret stops the run before it starts, naming it.
    let o = Command::new(env!("CARGO_BIN_EXE_porta")).arg("up").current_dir(&p.0).env_remove("PORTA_TEST_TOKEN").output().unwrap();
    assert_eq!(o.status.code(), Some(125));
    assert!(err(&o).contains("secret PORTA_TEST_TOKEN") && err(&o).contains("not set"), "{}", err(&o));
}

#[test]
fn up_args_replace_the_file_args_and_limits_come_from_the_file() {
    let p = Project::new("args");
    // env.wasm's `args` case exits 0 only when it gets exactly these.
    let env = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wasi/bin/env.wasm").display().to_string();
    let want = r#"["args", "one", "two words", "", "ünïcødé €"]"#;
    p.write(&format!("[runtime]\nwasm = {env:?}\nargs = {want}\n"));
    let o = p.porta(&["up"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let o = p.porta(&["up", "--", "args", "one"]);
    assert_ne!(o.status.code(), Some(0), "the arguments after -- replace the file's");
    p.write("[runtime]\nwasm = \"env.wasm\"\nargs = [\"x\"]\n");
    std::fs::copy(&env, p.0.join("env.wasm")).unwrap();
    let o = p.porta(&["up", "--", "args", "one", "two words", "", "ünïcødé €"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));

    p.program("ticker");
    p.write("[runtime]\nwasm = \"ticker.wasm\"\nentry = \"missing\"\n");
    let o = p.porta(&["up"]);
    assert_eq!(o.status.code(), Some(125));
    assert!(err(&o).contains("no function `missing`"), "{}", err(&o));
    p.write("[runtime]\nwasm = \"ticker.wasm\"\nstep_limit = 1000\n# Virtual sleeps: no waiting.\ndeterministic = true\n[sandbox]\ncapabilities = [\"clock\"]\n");
    let o = p.porta(&["up"]);
    assert_eq!(o.status.code(), Some(152), "{}", err(&o));
    assert!(err(&o).contains("steps: 1000,"), "{}", err(&o));
    let o = p.porta(&["up", "--step-limit", "5"]);
    assert!(err(&o).contains("steps: 5,"), "{}", err(&o));
    let o = p.porta(&["up", "--quiet", "--entry", "_start"]);
    assert_eq!(o.status.code(), Some(152));
    assert!(!err(&o).contains("steps:"));
}

#[test]
fn a_bad_project_file_is_refused_with_its_line_and_key() {
    let p = Project::new("bad");
    let cases: &[(&str, &str)] = &[
        ("[runtime]\nwasm = \"a.wasm\"\n\n[sandbox]\nmount = [\"data\"]\n", "porta.toml:5: [sandbox] mount: unknown field `mount`"),
        ("[runtime]\nwasm = \"a.wasm\"\n\n[sandbox]\nmount = [\"data\"]\n", "(did you mean `mounts`?)"),
        ("[runtime]\nwasm = \"a.wasm\"\ntimeout = \"soon\"\n", "porta.toml:3: [runtime] timeout:"),
        ("[runtime]\nwasm = \"a.wasm\"\nrestart = \"maybe\"\n", "`on-failure`"),
        ("[runtime]\ntype = \"vm\"\nwasm = \"a.wasm\"\n", "`native`"),
        ("[runtime]\nwasm = \"a.wasm\"\n[secret]\nK = \"v\"\n", "did you mean `secrets`"),
        ("[runtime]\nwasm = \"a.wasm\"\n[secrets]\nK = { from-env = \"yes\" }\n", "porta.toml:4: [secrets] K:"),
        ("[runtime]\ncommand = \"ls\"\nwasm = \"a.wasm\"\n", "both `wasm` and `command`"),
        ("[runtime\nwasm = 1\n", "porta.toml:1:"),
        ("[runtime]\nwasm = \"does-not-exist.wasm\"\n", "does-not-exist.wasm does not exist"),
    ];
    for (text, want) in cases {
        p.write(text);
        let o = p.porta(&["up"]);
        assert_eq!(o.status.code(), Some(125), "{text}");
        let e = err(&o);
        assert!(e.contains(want), "{text}\n→ {e}");
        assert_eq!(e.trim_end().lines().count(), 1, "one line: {e}");
    }
    std::fs::remove_file(p.0.join("porta.toml")).unwrap();
    let o = p.porta(&["up"]);
    assert!(err(&o).contains("porta.toml does not exist") && err(&o).contains("porta init"), "{}", err(&o));
}

#[test]
fn a_native_project_runs_its_command_in_the_sandbox() {
    let p = Project::new("native");
    let o = p.porta(&["init", "native", "sh", "--", "-c", "echo from $0 > /proc/self/fd/1; touch /etc/porta-up-test 2>/dev/null || echo denied"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = p.porta(&["up"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(out(&o), "from sh\ndenied\n");
    assert!(!Path::new("/etc/porta-up-test").exists());
    // A mount from the file makes its directory writable, relative to it.
    std::fs::create_dir_all(p.0.join("data")).unwrap();
    p.write("[runtime]\ncommand = \"sh\"\nargs = [\"-c\", \"echo hi > data/f\"]\n[sandbox]\nmounts = [\"data\"]\n");
    let o = p.porta(&["up"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert_eq!(std::fs::read_to_string(p.0.join("data/f")).unwrap(), "hi\n");
}

#[test]
fn up_detached_is_an_instance_with_secrets_redacted() {
    let p = Project::new("detach");
    p.program("ticker");
    p.write("[runtime]\nwasm = \"ticker.wasm\"\n[sandbox]\ncapabilities = [\"clock\"]\n[secrets]\nKEY = \"sekrit-value\"\n");
    let o = p.porta(&["up", "-d"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let id = out(&o).trim().to_string();
    let ps = p.porta(&["ps", "--json"]);
    assert!(out(&ps).contains(&id) && out(&ps).contains("running"), "{}", out(&ps));
    let record = std::fs::read_to_string(p.0.join("home/instances").join(&id).join("instance.json")).unwrap();
    assert!(!record.contains("sekrit"), "{record}");
    let kill = p.porta(&["kill", &id]);
    assert_eq!(kill.status.code(), Some(0), "{}", err(&kill));
}
