//! One guest call for the MCP server, with the agent ABI of SPEC §4: a fresh
//! instance of the compiled module, stdin = 4-byte little-endian length +
//! `{"tool": NAME, "arguments": ARGS}`, and stdout read back as `{"ok": V}`,
//! `{"err": V}` or plain text. A module without `_start` (a library) has its
//! exported functions called directly instead.

use super::calls::Control;
use crate::sandbox::Sandbox;
use porta_interp::wasi::WasiCtx;
use super::prewarm::Prewarm;
use porta_interp::{Error, ExternType, Linker, Memory, PauseReason, Resumable, Store, Trap, TrapCode, Val, ValType};
use serde_json::{json, Value};
use std::time::Instant;

/// Most bytes of stdout kept from one call.
const MAX_STDOUT: usize = 16 << 20;
/// Most bytes of stderr kept (the tail is logged on failure).
const MAX_STDERR: usize = 64 << 10;

pub struct Call {
    /// How the guest ended.
    pub outcome: Outcome,
    pub steps: u64,
    pub pages: u64,
    pub millis: u128,
    /// WASI calls the guest was denied, with what would grant them.
    pub denials: Vec<String>,
}

pub enum Outcome {
    /// The guest finished; its stdout.
    Finished(Vec<u8>),
    /// Results of a directly invoked export.
    Returned(Vec<Val>),
    /// It failed: a one-line reason.
    Failed(String),
}

/// Runs the guest for pseudo-tool or tool `tool` with `arguments`, from
/// the prewarmed state when there is one; the call's control stops it on a
/// cancel or a timeout.
pub fn run(sb: &Sandbox, linker: &Linker<WasiCtx>, prewarm: Option<&Prewarm>, tool: &str, arguments: &Value, control: &Control) -> Call {
    let start = Instant::now();
    let direct = sb.module.exports().all(|(n, _)| n != "_start") && tool_export(sb, tool).is_some();
    let request = json!({ "tool": tool, "arguments": arguments }).to_string();
    let mut stdin = (request.len() as u32).to_le_bytes().to_vec();
    stdin.extend_from_slice(request.as_bytes());
    let builder = match sb.wasi(sb.argv()) {
        Ok(b) => b.stdin_bytes(if direct { Vec::new() } else { stdin }),
        Err(e) => return failed(e, start),
    };
    let (builder, stdout) = builder.capture_stdout(MAX_STDOUT);
    let (builder, stderr) = builder.capture_stderr(MAX_STDERR);
    let mut store = sb.store(builder.build());
    store.set_interrupt_handle(control.interrupt_handle());

    let mut memory = None;
    let result = match prewarm.filter(|_| !direct) {
        Some(pre) => {
            stdout.preload(&pre.stdout);
            stderr.preload(&pre.stderr);
            warm(&mut store, pre, linker, sb, &mut memory)
        }
        None => cold(&mut store, linker, sb, direct, tool, arguments, &mut memory),
    };

    let outcome = match result {
        Ok(Some(results)) => Outcome::Returned(results),
        Ok(None) | Err(Error::Trap(Trap::Exit(0))) => Outcome::Finished(stdout.contents()),
        Err(Error::Trap(Trap::Exit(code))) => Outcome::Failed(with_stderr(format!("the agent exited with code {code}"), &stderr.contents())),
        Err(Error::Trap(t)) => Outcome::Failed(match t.code() {
            Some(TrapCode::StepLimitExceeded) => format!("step limit of {} exceeded", sb.step_limit.unwrap_or(0)),
            Some(TrapCode::Interrupted) if control.timed_out() => {
                format!("timed out after {}s", sb.timeout.unwrap_or_default().as_secs_f64())
            }
            Some(TrapCode::Interrupted) => "cancelled".into(),
            _ => with_stderr(format!("the agent trapped: {t}"), &stderr.contents()),
        }),
        Err(e) => Outcome::Failed(sb.redact(&e.to_string())),
    };
    let outcome = match outcome {
        Outcome::Finished(_) if stdout.overflowed() => {
            Outcome::Failed(format!("the agent wrote more than {} bytes to stdout", stdout.cap()))
        }
        other => other,
    };
    let denials = store
        .data()
        .denials()
        .iter()
        .map(|(f, caps)| format!("{f} (needs {caps})"))
        .collect();
    Call {
        outcome,
        steps: store.steps(),
        pages: memory.map_or(0, |m| m.size(&store)),
        millis: start.elapsed().as_millis(),
        denials,
    }
}

/// A call from `_start` (or the export itself, `direct`) in a fresh
/// instance.
fn cold(
    store: &mut Store<WasiCtx>,
    linker: &Linker<WasiCtx>,
    sb: &Sandbox,
    direct: bool,
    tool: &str,
    arguments: &Value,
    memory: &mut Option<Memory>,
) -> Result<Option<Vec<Val>>, Error> {
    let instance = linker.instantiate(store, &sb.module)?;
    *memory = instance.get_memory(store, "memory");
    if let Some(init) = instance.get_func(store, "_initialize") {
        init.call(store, &[], &mut [])?;
    }
    if direct {
        let f = instance.get_func(store, tool).expect("checked export");
        let ty = f.ty(store);
        let params = params_from_json(ty.params(), arguments).map_err(Error::Usage)?;
        let mut results = vec![Val::I32(0); ty.results().len()];
        f.call(store, &params, &mut results)?;
        return Ok(Some(results));
    }
    let entry = sb.manifest.as_ref().and_then(|m| m.entry.clone()).unwrap_or_else(|| "_start".into());
    let f = instance.get_func(store, &entry).ok_or_else(|| Error::Usage(format!("the agent exports no `{entry}`")))?;
    f.call(store, &[], &mut [])?;
    Ok(None)
}

/// A call from the prewarmed state: it goes on with the read of stdin it
/// stopped before, now of this call's request.
fn warm(store: &mut Store<WasiCtx>, pre: &Prewarm, linker: &Linker<WasiCtx>, sb: &Sandbox, memory: &mut Option<Memory>) -> Result<Option<Vec<Val>>, Error> {
    let (instance, paused) = pre.start(store, linker, sb).map_err(Error::Usage)?;
    *memory = instance.get_memory(store, "memory");
    match paused.resume(store)? {
        Resumable::Finished(_) => Ok(None),
        Resumable::Paused(p) => Err(Error::Trap(Trap::Code(match p.reason() {
            PauseReason::StepLimit => TrapCode::StepLimitExceeded,
            _ => TrapCode::Interrupted,
        }))),
    }
}

fn failed(reason: String, start: Instant) -> Call {
    Call { outcome: Outcome::Failed(reason), steps: 0, pages: 0, millis: start.elapsed().as_millis(), denials: Vec::new() }
}

/// Adds the last line the guest wrote to stderr, if any, to a reason.
fn with_stderr(reason: String, stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    match text.lines().rev().find(|l| !l.trim().is_empty()) {
        Some(last) => format!("{reason}: {}", last.trim()),
        None => reason,
    }
}

fn tool_export(sb: &Sandbox, tool: &str) -> Option<ExternType> {
    sb.module.exports().find(|(n, _)| *n == tool).map(|(_, t)| t).filter(|t| matches!(t, ExternType::Func(_)))
}

/// Arguments `arg0`, `arg1`... of a directly called export.
fn params_from_json(types: &[ValType], args: &Value) -> Result<Vec<Val>, String> {
    types
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let v = &args[format!("arg{i}")];
            let bad = || format!("argument `arg{i}` must be a {}", if matches!(t, ValType::F32 | ValType::F64) { "number" } else { "integer" });
            Ok(match t {
                ValType::I32 => Val::I32(v.as_i64().and_then(|x| i32::try_from(x).ok()).ok_or_else(bad)?),
                ValType::I64 => Val::I64(v.as_i64().ok_or_else(bad)?),
                ValType::F32 => Val::f32(v.as_f64().ok_or_else(bad)? as f32),
                ValType::F64 => Val::f64(v.as_f64().ok_or_else(bad)?),
                ValType::V128 => {
                    let text = v.as_str().ok_or_else(|| format!("argument `arg{i}` must be a v128 string such as \"i32x4:1,2,3,4\""))?;
                    Val::V128(crate::v128_text::parse(text)?)
                }
                other => return Err(format!("cannot pass a {other} as a tool argument")),
            })
        })
        .collect()
}

/// A direct call's results as JSON.
pub fn results_json(results: &[Val]) -> Value {
    let one = |v: &Val| match *v {
        Val::I32(x) => json!(x),
        Val::I64(x) => json!(x),
        Val::F32(b) => json!(f32::from_bits(b)),
        Val::F64(b) => json!(f64::from_bits(b)),
        Val::V128(v) => json!(crate::v128_text::format(v)),
        _ => Value::Null,
    };
    match results {
        [single] => one(single),
        many => Value::Array(many.iter().map(one).collect()),
    }
}
