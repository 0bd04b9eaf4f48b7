//! `porta run`: load, validate and run a module under WASI with the
//! capabilities the user granted, then report exact step count and memory
//! size, and each denied WASI call once with the flag that would grant it.

use crate::cli::RunArgs;
use crate::{exit, profile};
use porta_interp::wasi::{self, Capabilities, WasiCtx};
use porta_interp::{Engine, Error, ExternType, Instance, Linker, Module, Store, Trap, TrapCode, Val, ValType};
use std::path::Path;

pub fn run(args: RunArgs) -> u8 {
    match prepare(&args) {
        Ok(plan) => execute(args, plan),
        Err(Refusal(message)) => {
            eprintln!("porta: {message}");
            exit::REFUSED
        }
    }
}

/// A reason not to start, as one line.
struct Refusal(String);

impl<E: std::fmt::Display> From<E> for Refusal {
    fn from(e: E) -> Self {
        Refusal(e.to_string())
    }
}

fn capabilities(args: &RunArgs) -> Result<Capabilities, String> {
    let mut caps = profile::named(args.profile.as_deref().unwrap_or(profile::DEFAULT))?;
    for list in &args.allow {
        caps |= Capabilities::parse_list(list)?;
    }
    if !args.env.is_empty() {
        caps |= Capabilities::ENV;
    }
    for v in &args.volumes {
        caps |= Capabilities::FS;
        if !parse_volume(v)?.2 {
            caps |= Capabilities::FS_WRITE;
        }
    }
    Ok(caps)
}

/// `HOST[:GUEST][:ro]` → (host, guest, read_only).
fn parse_volume(spec: &str) -> Result<(String, String, bool), String> {
    let (rest, ro) = match spec.strip_suffix(":ro") {
        Some(r) => (r, true),
        None => (spec.strip_suffix(":rw").unwrap_or(spec), false),
    };
    let (host, guest) = match rest.split_once(':') {
        Some((h, g)) => (h, g),
        None => (rest, rest),
    };
    if host.is_empty() || guest.is_empty() {
        return Err(format!("bad volume `{spec}`: expected HOST[:GUEST][:ro]"));
    }
    Ok((host.to_string(), guest.to_string(), ro))
}

fn wasi_ctx(args: &RunArgs, caps: Capabilities) -> Result<WasiCtx, Refusal> {
    let program = args.module.file_name().map_or("module.wasm".into(), |n| n.to_string_lossy().into_owned());
    let guest_args = if args.invoke.is_some() { vec![program] } else {
        std::iter::once(program).chain(args.args.iter().cloned()).collect()
    };
    let mut b = WasiCtx::builder().capabilities(caps).args(guest_args).inherit_stdio();
    for kv in &args.env {
        let (k, v) = kv.split_once('=').ok_or_else(|| Refusal(format!("bad -e `{kv}`: expected KEY=VALUE")))?;
        b = b.env(k, v);
    }
    for spec in &args.volumes {
        let (host, guest, ro) = parse_volume(spec)?;
        if !Path::new(&host).is_dir() {
            return Err(Refusal(format!("cannot mount `{host}`: not a directory")));
        }
        b = b.mount(Path::new(&host), &guest, !ro)?;
    }
    if args.deterministic {
        b = b.deterministic(0);
    }
    Ok(b.build())
}

/// Everything checked before the guest starts.
struct Plan {
    store: Store<WasiCtx>,
    module: Module,
    /// The export to call and its arguments.
    entry: String,
    params: Vec<Val>,
}

fn prepare(args: &RunArgs) -> Result<Plan, Refusal> {
    let caps = capabilities(args)?;
    let bytes = std::fs::read(&args.module)
        .map_err(|e| Refusal(format!("cannot read {}: {e}", args.module.display())))?;
    let engine = Engine::default();
    let module = Module::new(&engine, &bytes).map_err(|e| Refusal(format!("{}: {e}", args.module.display())))?;
    for (m, name, _) in module.imports() {
        if m != wasi::MODULE {
            return Err(Refusal(format!(
                "the module imports `{m}.{name}`, which porta does not provide (only {} is linked)",
                wasi::MODULE
            )));
        }
    }
    let entry = args.invoke.clone().or_else(|| args.entry.clone()).unwrap_or_else(|| "_start".into());
    let ty = module
        .exports()
        .find_map(|(n, t)| match t {
            ExternType::Func(f) if n == entry => Some(f),
            _ => None,
        })
        .ok_or_else(|| Refusal(format!("the module exports no function `{entry}`")))?;
    let params = if args.invoke.is_some() {
        parse_params(ty.params(), &args.args)?
    } else if ty.params().is_empty() {
        Vec::new()
    } else {
        return Err(Refusal(format!("`{entry}` takes parameters; use --invoke {entry} ARGS")));
    };
    let mut store = Store::new(&engine, wasi_ctx(args, caps)?);
    store.set_step_limit(args.step_limit);
    Ok(Plan { store, module, entry, params })
}

fn execute(args: RunArgs, plan: Plan) -> u8 {
    let Plan { mut store, module, entry, params } = plan;
    let mut linker = Linker::new();
    wasi::add_to_linker(&mut linker);
    let mut instance = None;
    let outcome = linker.instantiate(&mut store, &module).and_then(|i| {
        instance = Some(i);
        call(&mut store, i, &entry, &params)
    });
    let code = match outcome {
        Ok(results) => {
            for r in &results {
                println!("{}", show(r));
            }
            0
        }
        Err(Error::Trap(Trap::Exit(code))) => code as u8,
        Err(Error::Trap(t)) => {
            eprintln!("porta: trap: {t}");
            match t.code() {
                Some(TrapCode::StepLimitExceeded) => exit::STEP_LIMIT,
                _ => exit::TRAPPED,
            }
        }
        Err(e) => {
            eprintln!("porta: {e}");
            exit::REFUSED
        }
    };
    report_denials(store.data());
    if !args.quiet {
        let pages = instance.and_then(|i| i.get_memory(&store, "memory")).map_or(0, |m| m.size(&store));
        eprintln!("steps: {}, memory: {} pages", store.steps(), pages);
    }
    code
}

/// Runs `_initialize` (reactors) if there is one, then the entry.
fn call(store: &mut Store<WasiCtx>, instance: Instance, entry: &str, params: &[Val]) -> Result<Vec<Val>, Error> {
    if let Some(init) = instance.get_func(store, "_initialize") {
        init.call(store, &[], &mut [])?;
    }
    let func = instance
        .get_func(store, entry)
        .ok_or_else(|| Error::Usage(format!("the module exports no function `{entry}`")))?;
    let mut results = vec![Val::I32(0); func.ty(store).results().len()];
    func.call(store, params, &mut results)?;
    Ok(results)
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
        other => return Err(format!("cannot pass a {other} from the command line")),
    })
}

fn show(v: &Val) -> String {
    match *v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(b) => f32::from_bits(b).to_string(),
        Val::F64(b) => f64::from_bits(b).to_string(),
        Val::FuncRef(f) => if f.is_some() { "funcref".into() } else { "null".into() },
        Val::ExternRef(r) => r.map_or("null".into(), |r| format!("externref {}", r.0)),
    }
}
