//! What the embedder sees when a call traps.

use porta_interp::{Engine, Error, Linker, Module, Store, Trap, TrapCode, Val};

/// A function with more results than its frame has cells traps before
/// pushing any: the call reports the trap, and the results are untouched
/// (found by the differential fuzz target: reading them panicked).
#[test]
fn a_trap_before_many_results_is_reported() {
    let results = "i64 ".repeat(40);
    let wat = format!("(module (func (export \"f\") (result {results}) unreachable))");
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(&wat).expect("assembles")).expect("valid");
    let mut store = Store::new(&engine, ());
    let instance = Linker::new().instantiate(&mut store, &module).expect("instantiates");
    let f = instance.get_func(&store, "f").expect("export");
    let mut out = vec![Val::I64(7); 40];
    let err = f.call(&mut store, &[], &mut out).expect_err("traps");
    assert!(matches!(err, Error::Trap(Trap::Code(TrapCode::Unreachable))), "{err}");
    assert!(out.iter().all(|v| *v == Val::I64(7)));
}
