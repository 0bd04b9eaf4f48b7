//! The `porta.exec` builtin tool of `porta serve`: runs one of the commands
//! `--allow-exec` lists under the native sandbox, with the server's mounts
//! (at their host paths), its `--allow-net` rule (no network without one),
//! a timeout and capped output, and returns stdout, stderr and the exit
//! code. Offered only when the `exec` capability is granted and the list is
//! not empty; the list is resolved on PATH when the server starts, and a
//! call runs a command only if it resolves to one of those files.

use super::policy::{self, Net};
use crate::exit;
use serde_json::{json, Value};
use std::io::Read;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const NAME: &str = "porta.exec";
/// Most bytes of stdout, and of stderr, returned to the client.
pub const MAX_OUTPUT: usize = 1 << 20;
/// Most bytes of stdin a call may pass.
const MAX_STDIN: usize = 1 << 20;
/// How long readers of a finished command's output are waited for (a
/// process it left behind may hold the pipes open where there is no PID
/// namespace to end it).
const DRAIN_GRACE: Duration = Duration::from_secs(1);

pub struct ExecTool {
    /// (name as given, the file it resolves to)
    allowed: Vec<(String, PathBuf)>,
    mounts: Vec<(PathBuf, bool)>,
    net: Net,
    timeout: Duration,
    abi: i32,
}

impl ExecTool {
    /// `allow_exec`: `--allow-exec` (each may be `CMD[,CMD]`); `mounts`: the
    /// server's (host, guest, writable). Refuses what the kernel cannot
    /// enforce, so the server does not start with a weaker tool.
    pub fn new(
        allow_exec: &[String],
        mounts: &[(String, String, bool)],
        allow_net: &[String],
        timeout: Option<Duration>,
    ) -> Result<(ExecTool, Vec<String>), String> {
        let path_var = std::env::var("PATH").ok();
        let mut allowed = Vec::new();
        for name in allow_exec.iter().flat_map(|l| l.split(',')).map(str::trim).filter(|n| !n.is_empty()) {
            let file = super::resolve::resolve(name, path_var.as_deref()).map_err(|e| format!("--allow-exec: {e}"))?;
            allowed.push((name.to_string(), std::fs::canonicalize(&file).unwrap_or(file)));
        }
        if allowed.is_empty() {
            return Err("--allow-exec lists no command".into());
        }
        let mounts = mounts
            .iter()
            .map(|(host, _, w)| std::fs::canonicalize(host).map(|p| (p, *w)).map_err(|_| format!("cannot mount `{host}`: it does not exist")))
            .collect::<Result<Vec<_>, _>>()?;
        let (net, hosts) = policy::net_rule(allow_net)?;
        let mut notes = Vec::new();
        if !hosts.is_empty() {
            notes.push(format!("porta.exec: host names are not enforced for native commands (ports only): {}", hosts.join(", ")));
        }
        #[cfg(target_os = "linux")]
        let abi = super::linux::landlock_abi();
        #[cfg(not(target_os = "linux"))]
        let abi = 0;
        #[cfg(target_os = "linux")]
        {
            let missing = policy::missing_features(abi, &net);
            if !missing.is_empty() {
                return Err(format!("porta.exec: {}", super::error::NativeError::Unenforceable { missing, abi }));
            }
        }
        #[cfg(target_os = "macos")]
        if !std::path::Path::new(super::macos::SANDBOX_EXEC).exists() {
            return Err(format!("porta.exec: {} is missing: porta cannot confine the command", super::macos::SANDBOX_EXEC));
        }
        #[cfg(not(any(target_os = "linux", target_os = "macos")))]
        return Err(format!("porta.exec: {}", super::error::NativeError::UnsupportedOs));
        #[allow(unreachable_code)]
        Ok((ExecTool { allowed, mounts, net, timeout: timeout.unwrap_or(Duration::from_secs(60)), abi }, notes))
    }

    pub fn definition(&self) -> Value {
        let names: Vec<&str> = self.allowed.iter().map(|(n, _)| n.as_str()).collect();
        json!({
            "name": NAME,
            "description": format!(
                "Run a command under porta's native sandbox (writes only to the server's mounts); returns exit code, stdout and stderr. Allowed: {}",
                names.join(", ")
            ),
            "inputSchema": {
                "type": "object",
                "properties": {
                    "command": { "type": "string", "description": format!("one of: {}", names.join(", ")) },
                    "args": { "type": "array", "items": { "type": "string" } },
                    "stdin": { "type": "string" }
                },
                "required": ["command"]
            }
        })
    }

    /// Runs the call; the result is a tool result (refusals and timeouts
    /// are errors, a command's own failure is its exit code).
    pub fn call(&self, args: &Value) -> Value {
        match self.run(args) {
            Ok(v) => {
                let is_error = v["timed_out"] == json!(true);
                json!({ "content": [{ "type": "text", "text": v.to_string() }], "structuredContent": v, "isError": is_error })
            }
            Err(e) => json!({ "content": [{ "type": "text", "text": format!("{NAME}: {e}") }], "isError": true }),
        }
    }

    fn list(&self) -> String {
        self.allowed.iter().map(|(n, p)| format!("{n} ({})", p.display())).collect::<Vec<_>>().join(", ")
    }

    fn run(&self, args: &Value) -> Result<Value, String> {
        let command = args["command"].as_str().ok_or("`command` must be a string")?;
        let argv: Vec<String> = match &args["args"] {
            Value::Null => Vec::new(),
            Value::Array(a) => a.iter().map(|v| v.as_str().map(str::to_string).ok_or("`args` must be strings")).collect::<Result<_, _>>()?,
            _ => return Err("`args` must be an array of strings".into()),
        };
        let stdin = args["stdin"].as_str().unwrap_or("").as_bytes().to_vec();
        if stdin.len() > MAX_STDIN {
            return Err(format!("`stdin` is larger than {MAX_STDIN} bytes"));
        }
        let not_listed = || format!("`{command}` is not allowed: --allow-exec lists only {}", self.list());
        let file = super::resolve::resolve(command, std::env::var("PATH").ok().as_deref()).map_err(|_| not_listed())?;
        let file = std::fs::canonicalize(&file).unwrap_or(file);
        if !self.allowed.iter().any(|(_, p)| *p == file) {
            return Err(not_listed());
        }
        let tmp = super::TempDir::new().map_err(|e| e.to_string())?;
        let policy = policy::for_exec(file, command, argv, &self.mounts, self.net.clone(), tmp.path(), self.abi);
        self.spawn(&policy, stdin)
    }

    #[cfg(any(target_os = "linux", target_os = "macos"))]
    fn spawn(&self, policy: &policy::Policy, stdin: Vec<u8>) -> Result<Value, String> {
        let start = Instant::now();
        #[cfg(target_os = "linux")]
        let mut cmd = super::linux::helper_command(policy)?;
        #[cfg(target_os = "macos")]
        let mut cmd = super::macos::command(policy)?;
        let mut child = cmd
            .stdin(if stdin.is_empty() { Stdio::null() } else { Stdio::piped() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the sandbox: {e}"))?;
        if let Some(mut pipe) = child.stdin.take() {
            std::thread::spawn(move || {
                use std::io::Write;
                let _ = pipe.write_all(&stdin);
            });
        }
        let out = capture(child.stdout.take());
        let err = capture(child.stderr.take());
        let deadline = start + self.timeout;
        let mut timed_out = false;
        let status = loop {
            match child.try_wait() {
                Ok(Some(s)) => break Some(s),
                Ok(None) if Instant::now() >= deadline => {
                    // On Linux the helper's death ends its PID namespace;
                    // on macOS this is the command itself.
                    let _ = child.kill();
                    timed_out = true;
                    break child.wait().ok();
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                Err(_) => break None,
            }
        };
        let code = status.map_or(exit::REFUSED as i32, |s| {
            use std::os::unix::process::ExitStatusExt;
            s.code().unwrap_or_else(|| exit::SIGNAL_BASE as i32 + s.signal().unwrap_or(0))
        });
        let drained = Instant::now() + DRAIN_GRACE;
        while !(out.done() && err.done()) && Instant::now() < drained {
            std::thread::sleep(Duration::from_millis(5));
        }
        let (stdout, stdout_truncated) = out.take();
        let (stderr, stderr_truncated) = err.take();
        Ok(json!({
            "exit_code": code,
            "stdout": stdout,
            "stderr": stderr,
            "stdout_truncated": stdout_truncated,
            "stderr_truncated": stderr_truncated,
            "timed_out": timed_out,
            "millis": start.elapsed().as_millis() as u64,
        }))
    }

    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    fn spawn(&self, _policy: &policy::Policy, _stdin: Vec<u8>) -> Result<Value, String> {
        Err(super::error::NativeError::UnsupportedOs.to_string())
    }
}

/// One output pipe read in the background: the first MAX_OUTPUT bytes
/// kept, the rest read and dropped (so the command never blocks on a full
/// pipe), whether more came, whether the pipe has ended.
struct Capture(Arc<Mutex<(Vec<u8>, bool, bool)>>);

fn capture(pipe: Option<impl Read + Send + 'static>) -> Capture {
    let state = Arc::new(Mutex::new((Vec::new(), false, pipe.is_none())));
    if let Some(mut pipe) = pipe {
        let state = state.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 16 * 1024];
            loop {
                match pipe.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
                        let room = MAX_OUTPUT.saturating_sub(s.0.len());
                        s.0.extend_from_slice(&buf[..n.min(room)]);
                        s.1 |= n > room;
                    }
                }
            }
            state.lock().unwrap_or_else(|e| e.into_inner()).2 = true;
        });
    }
    Capture(state)
}

impl Capture {
    fn done(&self) -> bool {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).2
    }

    fn take(&self) -> (String, bool) {
        let s = self.0.lock().unwrap_or_else(|e| e.into_inner());
        (String::from_utf8_lossy(&s.0).into_owned(), s.1)
    }
}
