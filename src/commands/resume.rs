//! `porta resume FILE`: goes on with a run from its snapshot, in this
//! process, as if it had never stopped (same output, files, exit status and
//! total step count). The module is the one the snapshot names (or
//! `--module`), checked by SHA-256; mounts and secrets are given again;
//! the capabilities the run had must be granted again, and it gets exactly
//! those.

use super::run::{go, hard_stop, Stop};
use crate::cli::{ResumeArgs, SandboxArgs};
use crate::sandbox::{self, Sandbox};
use crate::{exit, terminate};
use porta_interp::wasi::{self, WasiCtx};
use porta_interp::{Instance, Linker, Paused, Store};
use std::sync::atomic::Ordering;

pub fn run(args: ResumeArgs) -> u8 {
    terminate::install();
    let (sb, mut store, instance, paused, record) = match prepare(&args) {
        Ok(p) => p,
        Err(message) => {
            eprintln!("porta: {message}");
            return exit::REFUSED;
        }
    };
    store.set_interrupt_handle(terminate::flag());
    let done = sandbox::arm_timeout(sb.timeout, store.interrupt_handle());
    if let Some(limit) = sb.timeout {
        hard_stop(limit, done.clone());
    }
    let params = match record.params() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("porta: {e}");
            return exit::REFUSED;
        }
    };
    let ended = go(&mut store, instance, &record.entry, &params, Some(paused), args.snapshot.is_some());
    done.store(true, Ordering::Relaxed);
    let stop = Stop { sandbox: &sb, snapshot: args.snapshot.as_deref(), module: &record.module, entry: &record.entry, params: &params };
    let code = stop.report(&mut store, ended);
    if !args.quiet {
        let pages = instance.get_memory(&store, "memory").map_or(0, |m| m.size(&store));
        eprintln!("steps: {}, memory: {} pages", store.steps(), pages);
    }
    code
}

type Prepared = (Sandbox, Store<WasiCtx>, Instance, (Paused, bool), crate::snapshot::RunRecord);

/// Everything checked before the guest goes on; the error is one line.
fn prepare(args: &ResumeArgs) -> Result<Prepared, String> {
    let loaded = crate::snapshot::read(&args.file)?;
    let mut record = loaded.record;
    if let Some(m) = &args.module {
        record.module = m.clone();
    }
    let sandbox_args = SandboxArgs {
        step_limit: args.step_limit,
        timeout: args.timeout,
        max_memory: args.max_memory,
        profile: args.profile.clone(),
        allow: args.allow.clone(),
        volumes: args.volumes.clone(),
        secret: args.secret.clone(),
        deterministic: record.deterministic,
        ..SandboxArgs::default()
    };
    let sb = Sandbox::new(&record.module, &sandbox_args, true).map_err(|e| match e.contains("does not exist") {
        true => format!("{e} (the snapshot's module; give its new place with --module)"),
        false => e,
    })?;
    let steps = loaded.snapshot.steps();
    if let Some(limit) = args.step_limit.filter(|&l| l <= steps) {
        return Err(format!(
            "--step-limit {limit} is not above the snapshot's {steps} steps: the limit counts from the original start"
        ));
    }
    let mut ctx = sb.wasi(loaded.wasi.args().to_vec())?.inherit_stdio().build();
    // Mounts and secrets first: giving them grants fs and env.
    ctx.restore_state(&loaded.wasi).map_err(|e| sb.redact(&e))?;
    let had = loaded.wasi.capabilities();
    if !sb.caps.contains(had) {
        let missing = (had - sb.caps).names().join(",");
        return Err(format!(
            "the snapshot's run had capabilities {had}: grant them again with --allow {missing} (resume never grants a snapshot more than it is given)"
        ));
    }
    let mut store = sb.store(ctx);
    let mut linker = Linker::new();
    wasi::add_to_linker(&mut linker);
    let (instance, paused) = loaded
        .snapshot
        .restore(&linker, &mut store, &sb.module)
        .map_err(|e| format!("{}: {e}", args.file.display()))?;
    let in_init = record.in_initialize;
    Ok((sb, store, instance, (paused, in_init), record))
}
