//! Native mode on macOS: the policy's Seatbelt profile (`seatbelt`) applied
//! by `sandbox-exec -p`, which executes the command under it. Untested on
//! macOS so far (the machines here are Linux): the profile text is tested
//! against golden files on every OS.

use super::policy::Policy;
use super::seatbelt;
use crate::exit;
use std::process::Command;
use std::time::Duration;

pub const SANDBOX_EXEC: &str = "/usr/bin/sandbox-exec";

pub fn run(policy: &Policy, timeout: Option<Duration>) -> u8 {
    let profile = match seatbelt::profile(policy) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("porta: {e}");
            return exit::REFUSED;
        }
    };
    let mut cmd = Command::new(SANDBOX_EXEC);
    cmd.arg("-p").arg(profile).arg(&policy.program).args(&policy.args).env_clear().envs(policy.env.iter().map(|(k, v)| (k, v)));
    super::run_child(cmd, timeout)
}
