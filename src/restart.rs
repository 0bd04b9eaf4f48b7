//! The restart policy (`--restart`, `--max-restarts`), one loop for wasm
//! guests and native commands, foreground or detached: when a run ends, run
//! it again with a doubling backoff, unless it was refused (a restart cannot
//! change that), porta was told to stop (SIGTERM), or the limit is reached.

use crate::cli::Restart;
use crate::exit;
use std::time::Duration;

pub struct Policy {
    pub restart: Restart,
    pub max_restarts: u32,
    pub quiet: bool,
}

/// Runs `attempt` under the policy; its last status and the restarts made.
pub fn supervise(policy: &Policy, mut attempt: impl FnMut() -> u8) -> (u8, u32) {
    let mut restarts = 0;
    loop {
        let code = attempt();
        let refused = matches!(code, exit::REFUSED | exit::NOT_RUNNABLE | exit::NOT_FOUND);
        let again = !refused
            && !crate::terminate::requested()
            && match policy.restart {
                Restart::No => false,
                Restart::OnFailure => code != 0,
                Restart::Always => true,
            };
        if !again || restarts >= policy.max_restarts {
            return (code, restarts);
        }
        restarts += 1;
        crate::instances::supervisor::note_restart(restarts);
        let backoff = backoff(restarts);
        if !policy.quiet {
            eprintln!("porta: exit status {code}; restart {restarts} of {} in {backoff:?}", policy.max_restarts);
        }
        if crate::terminate::sleep(backoff) {
            return (code, restarts);
        }
    }
}

/// 100 ms before the first restart, doubling up to 6.4 s.
fn backoff(restart: u32) -> Duration {
    Duration::from_millis(100u64 << (restart - 1).min(6))
}
