//! `porta run`: load, validate and run a module, then report the exact
//! step count and memory size on stderr.

use crate::cli::RunArgs;
use crate::exit;
use porta_interp::{Engine, Error, Linker, Module, Store, TrapCode, Val, ValType};

pub fn run(args: RunArgs) -> u8 {
    let engine = Engine::default();
    let bytes = match std::fs::read(&args.module) {
        Ok(b) => b,
        Err(e) => return refuse(&format!("cannot read {}: {e}", args.module.display())),
    };
    let module = match Module::new(&engine, &bytes) {
        Ok(m) => m,
        Err(e) => return refuse(&format!("{}: {e}", args.module.display())),
    };
    let mut store = Store::new(&engine, ());
    store.set_step_limit(args.step_limit);
    let instance = match Linker::new().instantiate(&mut store, &module) {
        Ok(i) => i,
        Err(e @ Error::Trap(_)) => return finish(&mut store, None, &args, Err(e)),
        Err(e) => return refuse(&e.to_string()),
    };
    let name = args.invoke.as_deref().unwrap_or("_start");
    let Some(func) = instance.get_func(&store, name) else {
        return refuse(&format!("the module exports no function `{name}`"));
    };
    let params = match parse_params(&func.ty(&store).params().to_vec(), &args.args) {
        Ok(p) => p,
        Err(e) => return refuse(&e),
    };
    let mut results = vec![Val::I32(0); func.ty(&store).results().len()];
    let outcome = func.call(&mut store, &params, &mut results).map(|_| results);
    let pages = instance.get_memory(&store, "memory").map(|m| m.size(&store));
    finish(&mut store, pages, &args, outcome)
}

fn finish<T>(store: &mut Store<T>, pages: Option<u64>, args: &RunArgs, outcome: Result<Vec<Val>, Error>) -> u8 {
    let code = match &outcome {
        Ok(results) => {
            for r in results {
                println!("{}", show(r));
            }
            0
        }
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
    if !args.quiet {
        eprintln!("steps: {}, memory: {} pages", store.steps(), pages.unwrap_or(0));
    }
    code
}

fn refuse(message: &str) -> u8 {
    eprintln!("porta: {message}");
    exit::REFUSED
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

