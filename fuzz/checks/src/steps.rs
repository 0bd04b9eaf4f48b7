//! `steps`: exact step counting on generated modules. A run (instantiation
//! and one exported call) counts the same steps with eager and with lazy
//! translation; with a limit N below its count it stops after exactly N
//! steps; with a limit at its count it ends as the unlimited run did.

use crate::generate::{self, MAX_PAGES, MAX_TABLE};
use arbitrary::Unstructured;
use porta_interp as porta;
use porta_interp::{TrapCode, Val, ValType};

/// The most steps one run may take; a run that reaches it is compared too.
const BUDGET: u64 = 200_000;

/// How a run ended, the steps it took, and its exported memories after it.
#[derive(Debug, PartialEq)]
struct Run {
    outcome: Result<Vec<Val>, String>,
    /// Stopped by the step limit.
    limited: bool,
    steps: u64,
    memories: Vec<Vec<u8>>,
}

pub fn check(data: &[u8]) {
    crate::on_guest_stack(|| compare(data));
}

/// Runs the comparison; returns the steps of the unlimited run.
fn compare(data: &[u8]) -> u64 {
    let mut u = Unstructured::new(data);
    let Ok(bytes) = generate::runnable(&mut u) else { return 0 };
    let names = generate::exported_funcs(&bytes);
    let Ok(pick) = u.choose_index(names.len().max(1)) else { return 0 };
    let name = names.get(pick).map(String::as_str);
    let seed: Vec<u8> = u.bytes(u.len().min(64)).unwrap_or_default().to_vec();
    let Some(eager) = run(&bytes, true, name, &seed, BUDGET) else { return 0 };
    let lazy = run(&bytes, false, name, &seed, BUDGET).expect("the module compiled eagerly");
    assert_eq!(eager, lazy, "eager and lazy translation differ");
    if eager.limited {
        assert_eq!(eager.steps, BUDGET, "a run stopped by the step limit at another count");
    }
    let limit = u.int_in_range(0..=eager.steps).unwrap_or(eager.steps / 2);
    let limited = run(&bytes, limit % 2 == 0, name, &seed, limit).expect("the module compiled");
    if limit < eager.steps {
        assert!(limited.limited, "limit {limit} of {} steps ended otherwise: {:?}", eager.steps, limited.outcome);
        assert_eq!(limited.steps, limit, "stopped at another step than the limit");
    } else {
        assert_eq!(limited, eager, "a limit of exactly the run's steps changed the run");
    }
    eager.steps
}

/// Instantiates and calls `name` with arguments drawn from `seed`, with
/// at most `limit` steps in all.
fn run(bytes: &[u8], eager: bool, name: Option<&str>, seed: &[u8], limit: u64) -> Option<Run> {
    let engine = porta::Engine::new(porta::Config { eager_translation: eager, ..Default::default() });
    let module = porta::Module::new(&engine, bytes).ok()?;
    let mut store = porta::Store::new(&engine, ());
    store.set_limits(porta::StoreLimits { max_memory_pages: MAX_PAGES, max_table_elements: MAX_TABLE, ..Default::default() });
    store.set_step_limit(Some(limit));
    let outcome = porta::Linker::new().instantiate(&mut store, &module).and_then(|instance| {
        let Some(func) = name.and_then(|n| instance.get_func(&store, n)) else { return Ok((instance, vec![])) };
        let ty = func.ty(&store);
        let mut u = Unstructured::new(seed);
        let args: Vec<Val> = ty.params().iter().map(|t| arg(&mut u, *t)).collect();
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        func.call(&mut store, &args, &mut results).map(|()| (instance, results))
    });
    let limited = matches!(&outcome, Err(porta::Error::Trap(t)) if t.code() == Some(TrapCode::StepLimitExceeded));
    let (outcome, memories) = match outcome {
        Ok((instance, results)) => {
            let memories = instance.exports(&store).filter_map(|(_, e)| e.into_memory()).map(|m| m.data(&store).to_vec()).collect();
            (Ok(results), memories)
        }
        Err(e) => (Err(e.to_string()), vec![]),
    };
    Some(Run { outcome, limited, steps: store.steps(), memories })
}

fn arg(u: &mut Unstructured<'_>, ty: ValType) -> Val {
    match ty {
        ValType::I32 => Val::I32(u.arbitrary().unwrap_or(0)),
        ValType::I64 => Val::I64(u.arbitrary().unwrap_or(0)),
        ValType::F32 => Val::F32(u.arbitrary().unwrap_or(0)),
        ValType::F64 => Val::F64(u.arbitrary().unwrap_or(0)),
        ValType::V128 => Val::V128(u.arbitrary().unwrap_or(0)),
        ty => Val::default_for(ty),
    }
}

#[cfg(test)]
mod tests {
    /// Random inputs give runs that execute instructions, so limits fall
    /// inside real runs.
    #[test]
    fn random_inputs_run_steps() {
        let running = crate::random_inputs(200, 2048).filter(|d| super::compare(d) > 0).count();
        assert!(running >= 20, "only {running} of 200 runs executed a step");
    }
}
