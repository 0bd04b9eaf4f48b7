//! `porta serve --prewarm`: the agent runs once, before any request
//! exists, until its first read of stdin; every tool call then starts from
//! that state instead of from `_start`, its memory mapped copy-on-write
//! (Linux) so a call pays for the pages it writes. The state does not depend on the
//! request (nothing of it was read yet), so a call from it ends exactly as
//! a cold call would, same output and total steps, unless the guest read
//! the clock or random bytes on the way: then every call would share them,
//! and prewarming is refused unless the run is `--deterministic`.

use crate::sandbox::Sandbox;
use porta_interp::wasi::{WasiCtx, WasiState};
use porta_interp::{Instance, Linker, PauseReason, Paused, Prepared, Resumable, Snapshot, Store};

/// Most bytes of output kept from the prewarm run.
const MAX_OUTPUT: usize = 64 << 10;

pub struct Prewarm {
    snapshot: Prepared,
    wasi: WasiState,
    /// What the guest wrote before it read stdin.
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// Steps it took to get there.
    pub steps: u64,
}

impl Prewarm {
    /// Runs the agent to its first read of stdin and keeps that state; the
    /// error says why it cannot be prewarmed.
    pub fn new(sb: &Sandbox, linker: &Linker<WasiCtx>) -> Result<Prewarm, String> {
        let why = |m: String| format!("--prewarm: {m}");
        if sb.module.exports().all(|(n, _)| n != "_start") {
            return Err(why("the module has no `_start`: its exports are called directly, there is no start-up to skip".into()));
        }
        let builder = sb.wasi(sb.argv())?.stdin_bytes(Vec::new()).pause_before_stdin();
        let (builder, stdout) = builder.capture_stdout(MAX_OUTPUT);
        let (builder, stderr) = builder.capture_stderr(MAX_OUTPUT);
        let mut store = sb.store(builder.build());
        // The per-call timeout bounds this run too: a guest that never reads
        // stdin must not keep the server from starting.
        let done = crate::sandbox::arm_timeout(sb.timeout, store.interrupt_handle());
        let paused = linker
            .instantiate(&mut store, &sb.module)
            .map_err(|e| e.to_string())
            .and_then(|instance| run_to_stdin(&mut store, instance, sb));
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        let paused = paused.map_err(why)?;
        if let Some(f) = store.data().entropy_read().filter(|_| !sb.deterministic) {
            return Err(why(format!(
                "the agent called {f} before reading its request, so every call would share that clock reading or \
                 those random bytes; add --deterministic (virtual clock, seeded random) or leave out --prewarm"
            )));
        }
        let snapshot = Snapshot::capture(&store, &paused).and_then(Snapshot::prepare).map_err(|e| why(e.to_string()))?;
        // In memory only: secrets stay as they are, never written anywhere.
        let wasi = store.data().save_state(&[]).map_err(why)?;
        Ok(Prewarm { snapshot, wasi, stdout: stdout.contents(), stderr: stderr.contents(), steps: store.steps() })
    }

    /// Gives `store` (fresh, with the call's stdin) the prewarmed state:
    /// the instance and the call paused before its read of stdin.
    pub fn start(&self, store: &mut Store<WasiCtx>, linker: &Linker<WasiCtx>, sb: &Sandbox) -> Result<(Instance, Paused), String> {
        store.data_mut().restore_state(&self.wasi)?;
        self.snapshot.restore(linker, store, &sb.module).map_err(|e| e.to_string())
    }
}

/// Runs `_initialize` and the entry until the entry pauses before reading
/// stdin.
fn run_to_stdin(store: &mut Store<WasiCtx>, instance: Instance, sb: &Sandbox) -> Result<Paused, String> {
    if let Some(init) = instance.get_func(store, "_initialize") {
        init.call(store, &[], &mut []).map_err(|e| format!("_initialize: {e} (an agent that reads stdin there cannot be prewarmed)"))?;
    }
    let entry = sb.manifest.as_ref().and_then(|m| m.entry.clone()).unwrap_or_else(|| "_start".into());
    let f = instance.get_func(store, &entry).ok_or_else(|| format!("the agent exports no `{entry}`"))?;
    match f.call_resumable(store, &[]) {
        Ok(Resumable::Paused(p)) if p.reason() == PauseReason::HostCall => Ok(p),
        Ok(Resumable::Paused(p)) if p.reason() == PauseReason::StepLimit => {
            Err("the agent reached the step limit before reading stdin".into())
        }
        Ok(Resumable::Paused(_)) => Err(format!(
            "the agent did not read stdin within the {}s timeout (--timeout)",
            sb.timeout.unwrap_or_default().as_secs_f64()
        )),
        Ok(Resumable::Finished(_)) | Err(porta_interp::Error::Trap(porta_interp::Trap::Exit(_))) => {
            Err("the agent ended without reading stdin: there is no request-independent state to start from".into())
        }
        Err(e) => Err(format!("the agent failed before reading stdin: {}", sb.redact(&e.to_string()))),
    }
}
