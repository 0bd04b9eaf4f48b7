//! `porta run`: a native command goes to `native`; for a module, check
//! everything before start (module, manifest, imports, capabilities,
//! arguments), run the guest under WASI with the granted
//! capabilities, limits and restart policy, then report the exact step count
//! and memory size, and each denied WASI call once with the flag that would
//! grant it.

use crate::output::outln;
use crate::cli::{Restart, RunArgs};
use crate::{exit, restart, terminate};
use crate::imports::{self, Status};
use crate::sandbox::{self, Sandbox};
use porta_interp::wasi::{self, Capabilities, WasiCtx};
use crate::snapshot::RunRecord;
use porta_interp::{
    Error, ExternType, Func, Instance, Linker, Module, PauseReason, Paused, Resumable, Store, Trap, TrapCode, Val, ValType,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub fn run(args: RunArgs) -> u8 {
    terminate::install();
    if crate::native::is_native(&args.module) {
        return crate::native::run(args);
    }
    let native_only = [(args.strict, "--strict"), (args.no_net, "--no-net")];
    if let Some((_, flag)) = native_only.iter().find(|(given, _)| *given) {
        eprintln!("porta: {}", crate::native::error::NativeError::NativeOnlyFlag { flag });
        return exit::REFUSED;
    }
    let setup = match Setup::new(&args) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("porta: {message}");
            return exit::REFUSED;
        }
    };
    if !args.quiet {
        if let Some(note) = hidden_args_note(&args, &setup.sandbox) {
            eprintln!("porta: note: {note}");
        }
    }
    if args.detach {
        return crate::instances::supervisor::launch(&args);
    }
    let policy = restart::Policy { restart: args.restart, max_restarts: args.max_restarts, quiet: args.quiet };
    let mut last = Outcome { code: 0, steps: 0, pages: 0 };
    let (code, restarts) = restart::supervise(&policy, || {
        last = attempt(&args, &setup);
        last.code
    });
    if !args.quiet {
        let restarts = if args.restart == Restart::No { String::new() } else { format!(", restarts: {restarts}") };
        eprintln!("steps: {}, memory: {} pages{restarts}", last.steps, last.pages);
    }
    code
}

/// Everything checked before the guest starts.
struct Setup {
    sandbox: Sandbox,
    entry: String,
    params: Vec<Val>,
}

impl Setup {
    fn new(args: &RunArgs) -> Result<Setup, String> {
        let sandbox = Sandbox::new(&args.module, &args.sandbox, args.snapshot.is_some())?;
        if args.strict_imports {
            check_imports(&sandbox.module, sandbox.caps, !sandbox.mounts.is_empty())?;
        }
        let entry = args
            .invoke
            .clone()
            .or_else(|| args.entry.clone())
            .or_else(|| sandbox.manifest.as_ref().and_then(|m| m.entry.clone()))
            .unwrap_or_else(|| "_start".into());
        let ty = sandbox
            .module
            .exports()
            .find_map(|(n, t)| match t {
                ExternType::Func(f) if n == entry => Some(f),
                _ => None,
            })
            .ok_or_else(|| missing_entry(&sandbox.module, &entry))?;
        let params = if args.invoke.is_some() {
            parse_params(ty.params(), &args.args)?
        } else if ty.params().is_empty() {
            Vec::new()
        } else {
            return Err(format!("`{entry}` takes parameters; use --invoke {entry} ARGS"));
        };
        Ok(Setup { sandbox, entry, params })
    }
}

/// A manifest whose capabilities leave out `process` hides the argument
/// list: said once, when it matters, namely when arguments were given to a
/// module that reads them. (The environment needs no such note: porta passes
/// none of its own, and every flag that gives the guest variables grants
/// `env`.)
fn hidden_args_note(args: &RunArgs, sb: &Sandbox) -> Option<&'static str> {
    let from_manifest = args.sandbox.profile.is_none() && sb.manifest.is_some();
    let reads_args = sb.module.imports().any(|(m, n, _)| m == wasi::MODULE && n.starts_with("args_"));
    let given = args.invoke.is_none() && !args.args.is_empty();
    (from_manifest && given && reads_args && !sb.caps.contains(Capabilities::PROCESS))
        .then_some("the manifest's capabilities omit process: the guest sees no arguments (--allow process grants it)")
}

/// Most export names a message lists.
const EXPORTS_SHOWN: usize = 5;

/// The module has no function `entry`: what it does export, and how to call
/// one of those.
fn missing_entry(module: &Module, entry: &str) -> String {
    let funcs: Vec<&str> =
        module.exports().filter(|(_, t)| matches!(t, ExternType::Func(_))).map(|(n, _)| n).collect();
    if funcs.is_empty() {
        return format!("the module exports no function `{entry}`, nor any other function: there is nothing to run");
    }
    let mut shown = funcs.iter().take(EXPORTS_SHOWN).map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    if funcs.len() > EXPORTS_SHOWN {
        shown += &format!(" and {} more", funcs.len() - EXPORTS_SHOWN);
    }
    format!("the module exports no function `{entry}`; call one it exports with --invoke NAME [ARGS]: {shown}")
}

/// Refuses a module that imports a WASI function the capabilities deny; file
/// calls that no mount makes reachable are not denials (see `imports`).
fn check_imports(module: &Module, caps: Capabilities, mounts: bool) -> Result<(), String> {
    let denied: Vec<String> = module
        .imports()
        .filter_map(|(m, name, _)| match imports::check(m, name, caps, mounts) {
            Status::Denied(needs) => Some(format!("{name} (needs {})", needs.names().join(" or "))),
            _ => None,
        })
        .collect();
    if denied.is_empty() {
        Ok(())
    } else {
        Err(format!("--strict-imports: the module imports denied functions: {}", denied.join(", ")))
    }
}

struct Outcome {
    code: u8,
    steps: u64,
    pages: u64,
}

/// One run of the guest in a fresh store.
fn attempt(args: &RunArgs, setup: &Setup) -> Outcome {
    let sb = &setup.sandbox;
    let guest_args: Vec<String> = if args.invoke.is_some() {
        vec![sb.program.clone()]
    } else {
        std::iter::once(sb.program.clone()).chain(args.args.iter().cloned()).collect()
    };
    let ctx = match sb.wasi(guest_args) {
        Ok(b) => b.inherit_stdio().build(),
        Err(e) => {
            eprintln!("porta: {e}");
            return Outcome { code: exit::REFUSED, steps: 0, pages: 0 };
        }
    };
    let mut store = sb.store(ctx);
    store.set_interrupt_handle(terminate::flag());
    let done = sandbox::arm_timeout(sb.timeout, store.interrupt_handle());
    if let Some(limit) = sb.timeout {
        hard_stop(limit, done.clone());
    }
    let mut linker = Linker::new();
    wasi::add_to_linker(&mut linker);
    let mut instance = None;
    let ended = linker.instantiate(&mut store, &sb.module).and_then(|i| {
        instance = Some(i);
        go(&mut store, i, &setup.entry, &setup.params, None, args.snapshot.is_some())
    });
    done.store(true, Ordering::Relaxed);
    let stop = Stop { sandbox: sb, snapshot: args.snapshot.as_deref(), module: &args.module, entry: &setup.entry, params: &setup.params };
    let code = stop.report(&mut store, ended);
    let pages = instance.and_then(|i| i.get_memory(&store, "memory")).map_or(0, |m| m.size(&store));
    Outcome { code, steps: store.steps(), pages }
}

/// How a run of the guest ended: returned, or paused at a step boundary
/// (inside `_initialize` or not) when it may be snapshot.
pub(crate) enum Ended {
    Done(Vec<Val>),
    Paused(Paused, bool),
}

/// Runs `_initialize` (reactors) if there is one, then the entry; or goes
/// on from `from`, a paused call and whether it was `_initialize`. A
/// `resumable` run pauses at the step limit or an interrupt instead of
/// trapping.
pub(crate) fn go(
    store: &mut Store<WasiCtx>,
    instance: Instance,
    entry: &str,
    params: &[Val],
    from: Option<(Paused, bool)>,
    resumable: bool,
) -> Result<Ended, Error> {
    match from {
        Some((paused, in_init)) => match paused.resume(store)? {
            Resumable::Paused(p) => return Ok(Ended::Paused(p, in_init)),
            Resumable::Finished(results) if !in_init => return Ok(Ended::Done(results)),
            Resumable::Finished(_) => {}
        },
        None => {
            if let Some(init) = instance.get_func(store, "_initialize") {
                if let Resumable::Paused(p) = call_func(store, init, &[], resumable)? {
                    return Ok(Ended::Paused(p, true));
                }
            }
        }
    }
    let func = instance
        .get_func(store, entry)
        .ok_or_else(|| Error::Usage(format!("the module exports no function `{entry}`")))?;
    Ok(match call_func(store, func, params, resumable)? {
        Resumable::Finished(results) => Ended::Done(results),
        Resumable::Paused(p) => Ended::Paused(p, false),
    })
}

fn call_func(store: &mut Store<WasiCtx>, func: Func, params: &[Val], resumable: bool) -> Result<Resumable, Error> {
    if resumable {
        return func.call_resumable(store, params);
    }
    let mut results = vec![Val::I32(0); func.ty(store).results().len()];
    func.call(store, params, &mut results)?;
    Ok(Resumable::Finished(results))
}

/// What the end of a run reports, and where a pause is written.
pub(crate) struct Stop<'a> {
    pub sandbox: &'a Sandbox,
    pub snapshot: Option<&'a std::path::Path>,
    pub module: &'a std::path::Path,
    pub entry: &'a str,
    pub params: &'a [Val],
}

impl Stop<'_> {
    /// Prints the results or the reason of the stop, writes the snapshot of
    /// a pause, reports denials; returns the exit status.
    pub(crate) fn report(&self, store: &mut Store<WasiCtx>, ended: Result<Ended, Error>) -> u8 {
        let sb = self.sandbox;
        let code = match ended {
            Ok(Ended::Done(results)) => {
                for r in &results {
                    outln!("{}", show(r));
                }
                0
            }
            Ok(Ended::Paused(paused, in_init)) => {
                let code = stop_code(if paused.reason() == PauseReason::StepLimit {
                    TrapCode::StepLimitExceeded
                } else {
                    TrapCode::Interrupted
                }, sb);
                if let Some(path) = self.snapshot {
                    let record = RunRecord::new(self.module, self.entry, self.params, in_init, sb.deterministic);
                    match crate::snapshot::write(path, store, &paused, &record, &sb.secret_keys) {
                        Ok(()) => eprintln!(
                            "porta: snapshot written to {} at step {} (continue with: porta resume {})",
                            path.display(),
                            store.steps(),
                            path.display()
                        ),
                        Err(e) => eprintln!("porta: no snapshot written: {}", sb.redact(&e)),
                    }
                }
                code
            }
            Err(Error::Trap(Trap::Exit(code))) => code as u8,
            Err(Error::Trap(t)) => match t.code() {
                Some(c @ (TrapCode::StepLimitExceeded | TrapCode::Interrupted)) => stop_code(c, sb),
                _ => {
                    eprintln!("porta: trap: {t}");
                    exit::TRAPPED
                }
            },
            Err(e) => {
                eprintln!("porta: {}", sb.redact(&e.to_string()));
                exit::REFUSED
            }
        };
        report_denials(store.data());
        code
    }
}

/// Says why the run stopped at a step boundary; its exit status.
fn stop_code(code: TrapCode, sb: &Sandbox) -> u8 {
    match code {
        TrapCode::StepLimitExceeded => {
            eprintln!("porta: trap: step limit exceeded ({} steps)", sb.step_limit.unwrap_or(0));
            exit::STEP_LIMIT
        }
        _ if terminate::requested() => {
            eprintln!("porta: stopped by SIGTERM");
            terminate::EXIT
        }
        _ => {
            eprintln!("porta: timed out after {}s", sb.timeout.unwrap_or_default().as_secs_f64());
            exit::TIMEOUT
        }
    }
}

/// A guest blocked in the host (reading stdin) cannot notice the timeout;
/// end the whole process shortly after it.
pub(crate) fn hard_stop(limit: Duration, done: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        std::thread::sleep(limit + Duration::from_secs(2));
        if !done.load(Ordering::Relaxed) {
            eprintln!("porta: timed out after {}s", limit.as_secs_f64());
            std::process::exit(exit::TIMEOUT as i32);
        }
    });
}

/// Each denied WASI call once, with what would have granted it.
fn report_denials(ctx: &WasiCtx) {
    for (func, caps) in ctx.denials() {
        let grants: Vec<String> = caps.names().iter().map(|c| grant_flag(c)).collect();
        eprintln!("porta: denied {func} (needs {caps}: {})", grants.join(" or "));
    }
}

fn grant_flag(cap: &str) -> String {
    match cap {
        "fs" => "-v DIR or --allow fs".into(),
        "fs.write" => "-v DIR without :ro, or --allow fs.write".into(),
        "env" => "-e KEY=VALUE or --allow env".into(),
        other => format!("--allow {other}"),
    }
}

fn parse_params(types: &[ValType], args: &[String]) -> Result<Vec<Val>, String> {
    if types.len() != args.len() {
        return Err(format!("the function takes {} arguments, {} given", types.len(), args.len()));
    }
    types.iter().zip(args).map(|(t, a)| parse_val(*t, a)).collect()
}

fn parse_val(ty: ValType, s: &str) -> Result<Val, String> {
    let bad = || format!("`{s}` is not a valid {ty}");
    Ok(match ty {
        ValType::I32 => Val::I32(s.parse::<i32>().or_else(|_| s.parse::<u32>().map(|u| u as i32)).map_err(|_| bad())?),
        ValType::I64 => Val::I64(s.parse::<i64>().or_else(|_| s.parse::<u64>().map(|u| u as i64)).map_err(|_| bad())?),
        ValType::F32 => Val::f32(s.parse::<f32>().map_err(|_| bad())?),
        ValType::F64 => Val::f64(s.parse::<f64>().map_err(|_| bad())?),
        ValType::V128 => Val::V128(crate::v128_text::parse(s)?),
        other => return Err(format!("cannot pass a {other} from the command line")),
    })
}

fn show(v: &Val) -> String {
    match *v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(b) => f32::from_bits(b).to_string(),
        Val::F64(b) => f64::from_bits(b).to_string(),
        Val::V128(v) => crate::v128_text::format(v),
        Val::FuncRef(f) => if f.is_some() { "funcref".into() } else { "null".into() },
        Val::ExternRef(r) => r.map_or("null".into(), |r| format!("externref {}", r.0)),
        Val::ExnRef(r) => if r.is_some() { "exnref".into() } else { "null".into() },
    }
}
