//! Helpers the engine's test files share: instantiating a text module and
//! calling an export with i32 arguments, counting the steps it took.

use porta_interp::{Engine, Error, Instance, Linker, Module, Store, Val};

/// A store with `wat` instantiated in it, no imports.
pub fn instantiate(wat: &str) -> (Store<()>, Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new().instantiate(&mut store, &module).unwrap();
    (store, instance)
}

/// Calls export `name`; returns its first result as an i32 (0 when it has
/// none) and the steps the call took.
pub fn call(s: &mut Store<()>, i: Instance, name: &str, args: &[i32]) -> (Result<i32, Error>, u64) {
    let f = i.get_func(s, name).unwrap();
    let args: Vec<Val> = args.iter().map(|&a| Val::I32(a)).collect();
    let mut out = vec![Val::I32(0); f.ty(s).results().len()];
    let before = s.steps();
    let r = f.call(s, &args, &mut out).map(|_| match out.first() {
        Some(Val::I32(v)) => *v,
        None => 0,
        Some(v) => panic!("{name} returned {v:?}, not an i32"),
    });
    (r, s.steps() - before)
}
