//! A native command's sandbox as the user described it, checked before
//! anything starts: the program (resolved on PATH), its arguments and
//! environment, what it may write (`-v` mounts and the private temp dir),
//! read (everything but the key stores, or with `--strict` the system
//! directories) and reach on the network. The helper process receives it as
//! JSON and enforces it; nothing in it is decided later.

use super::error::NativeError;
use super::keystores;
use crate::cli::RunArgs;
use crate::netlist::NetList;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The network a command may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Net {
    /// Unrestricted, as by default in Docker.
    Open,
    /// `--no-net`: no TCP (Landlock) and no socket but unix ones (seccomp).
    None,
    /// `--allow-net HOST:PORT`: outbound TCP to these ports (Landlock), plus
    /// TCP port 53 for DNS; no UDP or raw sockets (seccomp).
    TcpPorts(Vec<u16>),
}

/// TCP port added to every port rule so names resolve (RES_OPTIONS=use-vc
/// makes glibc's resolver use TCP; see the README's DNS note).
pub const DNS_PORT: u16 = 53;

/// Variables of porta's own environment a command sees (besides `-e`,
/// `--env-file`, `--secret`): what programs need to start and print, not
/// credentials (no SSH_AUTH_SOCK, tokens, cloud keys).
const PASSED_ENV: &[&str] =
    &["PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "COLORTERM", "NO_COLOR", "LANG", "LANGUAGE", "TZ", "COLUMNS", "LINES"];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Policy {
    pub program: PathBuf,
    pub argv0: String,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// Writable (`-v` without `:ro`, and the temp dir): every file right.
    pub writable: Vec<PathBuf>,
    /// `-v ...:ro`: read, list and execute.
    pub read_only: Vec<PathBuf>,
    /// Key stores under each home: never readable (unless mounted).
    pub blocked: Vec<PathBuf>,
    pub strict: bool,
    pub net: Net,
    /// The Landlock ABI rules are built for (the kernel's, or less when a
    /// test pretends).
    pub abi: i32,
    /// porta's pid: the helper checks it still has that parent.
    pub parent: u32,
    pub quiet: bool,
    /// Skip the namespaces (PORTA_TEST_NO_NAMESPACES; tests only).
    pub test_no_namespaces: bool,
}

/// Refuses flags that mean something for WebAssembly only.
pub fn check_flags(args: &RunArgs) -> Result<(), NativeError> {
    let sb = &args.sandbox;
    let wasm_only: [(bool, &'static str, &'static str); 9] = [
        (args.invoke.is_some(), "--invoke", "it calls a WebAssembly export"),
        (args.entry.is_some(), "--entry", "it names a WebAssembly export"),
        (args.strict_imports, "--strict-imports", "it checks a module's WASI imports"),
        (sb.step_limit.is_some(), "--step-limit", "it counts WebAssembly instructions; use --timeout SECS"),
        (sb.max_memory.is_some(), "--max-memory", "it limits a WebAssembly linear memory"),
        (sb.profile.is_some(), "--profile", "capability profiles gate WASI calls; natively use -v, --allow-net, --no-net, --strict"),
        (!sb.allow.is_empty(), "--allow", "capabilities gate WASI calls; natively use -v, --allow-net, --no-net, --strict"),
        (sb.manifest.is_some(), "--manifest", "a manifest describes a WebAssembly agent"),
        (sb.deterministic, "--deterministic", "it virtualises a WebAssembly guest's clocks and randomness"),
    ];
    if let Some((_, flag, why)) = wasm_only.into_iter().find(|(given, _, _)| *given) {
        return Err(NativeError::WasmOnlyFlag { flag, why });
    }
    if !sb.allow_exec.is_empty() {
        return Err(NativeError::BadOption(
            "--allow-exec cannot be enforced on a native command: Landlock can limit execve to the listed files, but the dynamic loader they need runs any readable binary (ld.so FILE), so porta refuses rather than pretend; limit what is readable with --strict and -v DIR:ro instead".into(),
        ));
    }
    Ok(())
}

/// The policy, and notes for the user (what the kernel cannot enforce of
/// what they asked, a mount that exposes key stores).
pub fn build(args: &RunArgs, tmpdir: &Path, abi: i32) -> Result<(Policy, Vec<String>), NativeError> {
    check_flags(args)?;
    let sb = &args.sandbox;
    let mut notes = Vec::new();

    let mut env = passed_env();
    let mut given = Vec::new();
    for path in &sb.env_file {
        let text = std::fs::read_to_string(path)
            .map_err(|e| NativeError::BadOption(crate::commands::io_error("read", path, &e)))?;
        given.extend(crate::envfile::parse(&text).map_err(|e| NativeError::BadOption(format!("{}: {e}", path.display())))?);
    }
    for kv in &sb.env {
        let (k, v) = kv.split_once('=').ok_or_else(|| NativeError::BadOption(format!("bad --env `{kv}`: expected KEY=VALUE")))?;
        given.push((k.into(), v.into()));
    }
    for kv in &sb.secret {
        let (k, v) = kv.split_once('=').ok_or_else(|| NativeError::BadOption("bad --secret: expected KEY=VALUE".into()))?;
        given.push((k.into(), v.into()));
    }
    for (k, _) in &given {
        if k.is_empty() || k.contains('\0') || k.contains('=') {
            return Err(NativeError::BadOption(format!("bad variable name `{}`", k.escape_debug())));
        }
    }
    set(&mut env, "TMPDIR", &tmpdir.to_string_lossy());

    let (mut writable, mut read_only) = (vec![tmpdir.to_path_buf()], Vec::new());
    for spec in &sb.volumes {
        let (host, guest, ro) = crate::sandbox::parse_volume(spec).map_err(NativeError::BadOption)?;
        if guest != host {
            return Err(NativeError::BadOption(format!(
                "bad volume `{spec}`: a native command sees the host's paths, so GUEST must be HOST or left out (-v {host}{})",
                if ro { ":ro" } else { "" }
            )));
        }
        let path = std::fs::canonicalize(&host)
            .map_err(|_| NativeError::BadOption(format!("cannot mount `{host}`: it does not exist")))?;
        if ro { read_only.push(path) } else { writable.push(path) }
    }

    let net = if args.no_net {
        Net::None
    } else {
        match NetList::parse(&sb.allow_net).map_err(NativeError::BadOption)?.native_ports().map_err(NativeError::BadOption)? {
            _ if sb.allow_net.is_empty() => Net::Open,
            (None, _) => Net::Open,
            (Some(mut ports), hosts) => {
                if !hosts.is_empty() {
                    notes.push(format!(
                        "host names are not enforced for native commands (the kernel checks TCP ports only): {} allows those ports to any host",
                        hosts.join(", ")
                    ));
                }
                if !ports.contains(&DNS_PORT) {
                    ports.push(DNS_PORT);
                }
                Net::TcpPorts(ports)
            }
        }
    };
    if matches!(net, Net::TcpPorts(_)) && !given.iter().any(|(k, _)| k == "RES_OPTIONS") {
        set(&mut env, "RES_OPTIONS", "use-vc");
    }
    for (k, v) in given {
        set(&mut env, &k, &v);
    }

    let blocked = blocked_for(&env);
    for m in writable.iter().chain(&read_only) {
        if let Some(k) = blocked.iter().find(|k| k.starts_with(m) && k.exists()) {
            notes.push(format!("the mount {} holds the key store {}: the command can read it", m.display(), k.display()));
        }
    }

    let name = args.module.to_string_lossy().into_owned();
    let path_var = env.iter().find(|(k, _)| k == "PATH").map(|(_, v)| v.as_str());
    let program = super::resolve::resolve(&name, path_var)?;
    Ok((
        Policy {
            program,
            argv0: name,
            args: args.args.clone(),
            env,
            writable,
            read_only,
            blocked,
            strict: args.strict,
            net,
            abi,
            parent: std::process::id(),
            quiet: args.quiet,
            test_no_namespaces: std::env::var_os("PORTA_TEST_NO_NAMESPACES").is_some(),
        },
        notes,
    ))
}

/// The key stores under porta's home, the password database's, and the
/// command's (`HOME` in `env`).
fn blocked_for(env: &[(String, String)]) -> Vec<PathBuf> {
    let mut homes: Vec<PathBuf> = std::env::var_os("HOME").map(PathBuf::from).into_iter().collect();
    homes.extend(passwd_home());
    if let Some((_, h)) = env.iter().find(|(k, _)| k == "HOME") {
        homes.push(PathBuf::from(h));
    }
    homes.retain(|h| h.is_absolute());
    homes.dedup();
    keystores::key_stores(&homes)
}

/// The environment porta passes on (see `PASSED_ENV`).
fn passed_env() -> Vec<(String, String)> {
    std::env::vars().filter(|(k, _)| PASSED_ENV.contains(&k.as_str()) || k.starts_with("LC_")).collect()
}

/// The policy of one `porta.exec` call: the server's mounts (at their host
/// paths) and network rule, porta's passed environment, a fresh temp dir.
pub fn for_exec(program: PathBuf, argv0: &str, args: Vec<String>, mounts: &[(PathBuf, bool)], net: Net, tmpdir: &Path, abi: i32) -> Policy {
    let mut env = passed_env();
    set(&mut env, "TMPDIR", &tmpdir.to_string_lossy());
    if matches!(net, Net::TcpPorts(_)) {
        set(&mut env, "RES_OPTIONS", "use-vc");
    }
    let blocked = blocked_for(&env);
    let mut writable = vec![tmpdir.to_path_buf()];
    writable.extend(mounts.iter().filter(|(_, w)| *w).map(|(p, _)| p.clone()));
    Policy {
        program,
        argv0: argv0.into(),
        args,
        env,
        writable,
        read_only: mounts.iter().filter(|(_, w)| !*w).map(|(p, _)| p.clone()).collect(),
        blocked,
        strict: false,
        net,
        abi,
        parent: std::process::id(),
        quiet: true,
        test_no_namespaces: std::env::var_os("PORTA_TEST_NO_NAMESPACES").is_some(),
    }
}

/// `--allow-net` as a native network rule: none when the list is empty
/// (`porta.exec` gets the network the server was granted, no more), any
/// port when an entry says so, else those TCP ports and DNS; with the host
/// names the kernel cannot enforce.
pub fn net_rule(allow_net: &[String]) -> Result<(Net, Vec<String>), String> {
    if allow_net.is_empty() {
        return Ok((Net::None, Vec::new()));
    }
    Ok(match NetList::parse(allow_net)?.native_ports()? {
        (None, hosts) => (Net::Open, hosts),
        (Some(mut ports), hosts) => {
            if !ports.contains(&DNS_PORT) {
                ports.push(DNS_PORT);
            }
            (Net::TcpPorts(ports), hosts)
        }
    })
}

/// What this kernel lacks to enforce `policy`, one item per missing
/// feature (empty: all enforceable).
pub fn missing_features(abi: i32, net: &Net) -> Vec<String> {
    if abi < 1 {
        return vec!["Landlock at all (not built in, or not in the lsm= boot parameter)".into()];
    }
    let mut missing = Vec::new();
    if abi < 3 {
        missing.push("file truncation rules (Landlock ABI 3, Linux 6.2)".into());
    }
    if *net != Net::Open && abi < 4 {
        missing.push("TCP port rules for --allow-net/--no-net (Landlock ABI 4, Linux 6.7)".into());
    }
    if abi < 6 {
        missing.push("signal and abstract unix socket scoping (Landlock ABI 6, Linux 6.12)".into());
    }
    missing
}

fn set(env: &mut Vec<(String, String)>, key: &str, value: &str) {
    env.retain(|(k, _)| k != key);
    env.push((key.into(), value.into()));
}

/// The user's home directory from the password database.
fn passwd_home() -> Option<PathBuf> {
    use std::ffi::CStr;
    use std::os::unix::ffi::OsStrExt;
    let mut buf = vec![0u8; 16 * 1024];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result = std::ptr::null_mut();
    // SAFETY: buffers are owned and sized; getpwuid_r writes only into them.
    let rc = unsafe { libc::getpwuid_r(libc::getuid(), &mut pwd, buf.as_mut_ptr().cast(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() || pwd.pw_dir.is_null() {
        return None;
    }
    // SAFETY: pw_dir points into buf, NUL-terminated by getpwuid_r.
    let dir = unsafe { CStr::from_ptr(pwd.pw_dir) };
    Some(PathBuf::from(std::ffi::OsStr::from_bytes(dir.to_bytes())))
}
