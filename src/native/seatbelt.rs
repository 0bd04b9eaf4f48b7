//! The macOS form of a native command's policy: a Seatbelt profile for
//! `sandbox-exec -p`, with the same rules as on Linux where Seatbelt can
//! express them. Deny by default; run and fork anything; read everything
//! but the key stores (with `--strict`: the system directories and the
//! mounts); write only under writable mounts, the temp dir and a few
//! devices; signals only within the sandbox; the network open, limited to
//! TCP ports (`--allow-net`, plus DNS through mDNSResponder), or none.
//! Later rules win in Seatbelt, so each deny follows the allow it narrows.
//!
//! Every path is written as a Seatbelt string with `\` and `"` escaped; a
//! path with a control character is refused rather than escaped, since it
//! cannot be what the user meant to grant. This text is pure (no system
//! calls), so it is tested on any OS against golden files.

use super::policy::{Net, Policy};
use std::path::Path;

/// System locations a program needs to start on macOS (`--strict`).
const SYSTEM_DIRS: &[&str] = &[
    "/usr",
    "/bin",
    "/sbin",
    "/System",
    "/Library/Apple",
    "/Library/Preferences",
    "/private/etc",
    "/private/var/db/timezone",
    "/dev",
];

/// Devices a program writes to as a matter of course.
const DEVICES: &[&str] = &["/dev/null", "/dev/zero", "/dev/tty", "/dev/dtracehelper"];

/// A Seatbelt string literal of `path`.
pub fn quote(path: &Path) -> Result<String, String> {
    let s = path.to_str().ok_or_else(|| format!("{} is not UTF-8: Seatbelt profiles are text", path.display()))?;
    if s.chars().any(char::is_control) {
        return Err(format!("{} has a control character: refusing to write it into a Seatbelt profile", s.escape_debug()));
    }
    Ok(format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")))
}

/// The profile text for `policy`.
pub fn profile(policy: &Policy) -> Result<String, String> {
    let mut p = String::from("(version 1)\n(deny default)\n");
    p += "(allow process-exec process-fork)\n";
    p += "(allow signal (target same-sandbox))\n";
    p += "(allow sysctl-read mach-lookup ipc-posix-shm-read-data ipc-posix-sem)\n";
    p += "(allow file-ioctl (literal \"/dev/tty\") (regex #\"^/dev/ttys[0-9]+$\"))\n";

    p += "\n; reads\n";
    if policy.strict {
        p += "(allow file-read-metadata)\n(allow file-read*\n";
        for d in SYSTEM_DIRS {
            p += &format!("  (subpath {})\n", quote(Path::new(d))?);
        }
        p += &format!("  (literal {})\n", quote(&policy.program)?);
        for m in policy.writable.iter().chain(&policy.read_only) {
            p += &format!("  (subpath {})\n", quote(m)?);
        }
        p += ")\n";
    } else {
        p += "(allow file-read*)\n";
        if !policy.blocked.is_empty() {
            p += "(deny file-read*\n";
            for k in &policy.blocked {
                p += &format!("  (subpath {})\n", quote(k)?);
            }
            p += ")\n";
        }
        // Mounts are explicit grants: a key store inside one is readable,
        // as on Linux.
        let mounts: Vec<_> = policy.writable.iter().chain(&policy.read_only).collect();
        if !mounts.is_empty() {
            p += "(allow file-read*\n";
            for m in mounts {
                p += &format!("  (subpath {})\n", quote(m)?);
            }
            p += ")\n";
        }
    }

    p += "\n; writes\n(allow file-write*\n";
    for m in &policy.writable {
        p += &format!("  (subpath {})\n", quote(m)?);
    }
    for d in DEVICES {
        p += &format!("  (literal {})\n", quote(Path::new(d))?);
    }
    p += "  (regex #\"^/dev/ttys[0-9]+$\")\n)\n";

    p += "\n; network\n";
    match &policy.net {
        Net::Open => p += "(allow network*)\n",
        Net::None => p += "(allow network* (remote unix-socket))\n",
        Net::TcpPorts(ports) => {
            p += "(allow network* (remote unix-socket))\n";
            p += "(allow network-outbound (literal \"/private/var/run/mDNSResponder\"))\n";
            p += "(allow network-outbound\n";
            for port in ports {
                p += &format!("  (remote tcp \"*:{port}\")\n");
            }
            p += ")\n";
        }
    }
    Ok(p)
}
