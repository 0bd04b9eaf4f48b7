//! Native mode on macOS: the policy's Seatbelt profile (`seatbelt`) applied
//! by `sandbox-exec -p`, which executes the command under it. Compiled in
//! CI but never run (the machines here are Linux): the profile text is
//! tested against golden files on every OS.

use super::policy::Policy;
use super::seatbelt;
use crate::exit;
use std::process::Command;
use std::time::Duration;

pub const SANDBOX_EXEC: &str = "/usr/bin/sandbox-exec";

pub fn run(policy: &Policy, timeout: Option<Duration>) -> u8 {
    match command(policy) {
        Ok(cmd) => super::run_child(cmd, timeout),
        Err(e) => {
            eprintln!("porta: {e}");
            exit::REFUSED
        }
    }
}

/// `sandbox-exec` with the policy's profile, which then executes the
/// command in place (so its pid is the command's).
pub fn command(policy: &Policy) -> Result<Command, String> {
    let profile = seatbelt::profile(policy).map_err(|e| e.to_string())?;
    let mut cmd = Command::new(SANDBOX_EXEC);
    cmd.arg("-p").arg(profile).arg(&policy.program).args(&policy.args).env_clear().envs(policy.env.iter().map(|(k, v)| (k, v)));
    Ok(cmd)
}
