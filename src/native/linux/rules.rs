//! The Landlock ruleset of a native command: every file right handled, then
//! granted back for writes under the writable mounts, the temp dir and a
//! few devices; reads around the key stores (or, with `--strict`, the
//! system directories); TCP connect to the allowed ports; signals and
//! abstract unix sockets scoped to the sandbox. Built with the crate's
//! HardRequirement level: a right the kernel cannot enforce is an error,
//! never silently dropped.

use crate::native::keystores;
use crate::native::policy::{Net, Policy};
use landlock::{
    Access, AccessFs, AccessNet, BitFlags, CompatLevel, Compatible, NetPort, PathBeneath, PathFd, Ruleset, RulesetAttr,
    RulesetCreated, RulesetCreatedAttr, RulesetStatus, Scope, ABI,
};
use std::path::Path;

/// Devices a program writes to as a matter of course.
const DEVICES: &[&str] = &["/dev/null", "/dev/zero", "/dev/full", "/dev/tty", "/dev/ptmx", "/dev/pts"];
/// Read-only devices a program may open.
const READ_DEVICES: &[&str] = &["/dev/random", "/dev/urandom"];
/// `--strict`: what a program needs to start.
const SYSTEM_DIRS: &[&str] = &["/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin", "/etc"];

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Confines the calling process (and everything it executes).
pub fn apply(policy: &Policy, fresh_proc: bool) -> Result<(), String> {
    let abi = ABI::from(policy.abi);
    let all = AccessFs::from_all(abi);
    let read = AccessFs::from_read(abi);
    let mut ruleset = Ruleset::default().set_compatibility(CompatLevel::HardRequirement).handle_access(all).map_err(err)?;
    match policy.net {
        Net::Open => {}
        Net::None => ruleset = ruleset.handle_access(AccessNet::ConnectTcp | AccessNet::BindTcp).map_err(err)?,
        Net::TcpPorts(_) => ruleset = ruleset.handle_access(AccessNet::ConnectTcp).map_err(err)?,
    }
    ruleset = ruleset.scope(Scope::from_all(abi)).map_err(err)?;
    let mut rs = ruleset.create().map_err(err)?;

    for p in &policy.writable {
        rs = grant(rs, p, all, abi, true)?;
    }
    for p in &policy.read_only {
        rs = grant(rs, p, read, abi, true)?;
    }
    let device = all & (AccessFs::ReadFile | AccessFs::WriteFile | AccessFs::Truncate | AccessFs::IoctlDev);
    for d in DEVICES {
        rs = grant(rs, Path::new(d), device, abi, false)?;
    }
    for d in READ_DEVICES {
        rs = grant(rs, Path::new(d), AccessFs::ReadFile.into(), abi, false)?;
    }
    if policy.strict {
        for d in SYSTEM_DIRS {
            rs = grant(rs, Path::new(d), read, abi, false)?;
        }
        // A fresh /proc shows the sandbox's own processes only.
        let procs: &[&str] = if fresh_proc { &["/proc"] } else { &["/proc/self", "/proc/cpuinfo", "/proc/meminfo", "/proc/stat"] };
        for p in procs {
            rs = grant(rs, Path::new(p), read, abi, false)?;
        }
        rs = grant(rs, &policy.program, read, abi, true)?;
    } else {
        for p in keystores::readable_around(&policy.blocked)? {
            if p == Path::new("/proc") && !fresh_proc {
                rs = grant_proc_without_others(rs, read, abi)?;
                continue;
            }
            // An entry that vanished or cannot be opened is simply not granted.
            rs = grant(rs, &p, read, abi, false)?;
        }
    }
    if let Net::TcpPorts(ports) = &policy.net {
        for port in ports {
            rs = rs.add_rule(NetPort::new(*port, AccessNet::ConnectTcp)).map_err(err)?;
        }
    }
    let status = rs.restrict_self().map_err(err)?;
    if status.ruleset != RulesetStatus::FullyEnforced {
        return Err(format!("Landlock enforced the rules only partly ({:?})", status.ruleset));
    }
    Ok(())
}

/// Without a /proc of its own PID namespace, other processes'
/// /proc/PID/environ stays readable under Landlock (its ptrace check covers
/// attaching and /proc/PID/mem, not reading the environment): /proc is then
/// granted except the other processes' directories. Only the command's own
/// process can read its /proc/PID (its children cannot read theirs).
fn grant_proc_without_others(mut rs: RulesetCreated, read: BitFlags<AccessFs>, abi: ABI) -> Result<RulesetCreated, String> {
    let me = std::process::id().to_string();
    let entries = std::fs::read_dir("/proc").map_err(|e| format!("cannot list /proc: {e}"))?;
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let is_pid = name.bytes().all(|b| b.is_ascii_digit());
        // self and thread-self resolve to this process when granted.
        if !is_pid || name == me {
            rs = grant(rs, &Path::new("/proc").join(&*name), read, abi, false)?;
        }
    }
    Ok(rs)
}

/// Grants `access` beneath `path` (on a file: the file rights of it).
/// `required`: a path that cannot be opened is an error, not a skip.
fn grant(
    rs: RulesetCreated,
    path: &Path,
    access: BitFlags<AccessFs>,
    abi: ABI,
    required: bool,
) -> Result<RulesetCreated, String> {
    let fd = match PathFd::new(path) {
        Ok(fd) => fd,
        Err(_) if !required => return Ok(rs),
        Err(e) => return Err(format!("cannot open {}: {e}", path.display())),
    };
    let access = if path.is_dir() { access } else { access & AccessFs::from_file(abi) };
    if access.is_empty() {
        return Ok(rs);
    }
    rs.add_rule(PathBeneath::new(fd, access)).map_err(|e| format!("rule for {}: {e}", path.display()))
}
