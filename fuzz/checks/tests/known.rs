//! Modules on which the reference engine was found wrong (`fuzz/known/`):
//! porta must keep getting them right.

use porta_interp::{Engine, Linker, Module, Store, Val};

/// Every division is guarded against a zero divisor, so the call cannot
/// trap (wasmi 2.0.0 traps on it).
#[test]
fn guarded_divisions_never_trap() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../known/wasmi-guarded-division.wat");
    let wasm = wat::parse_file(path).expect("the module assembles");
    let engine = Engine::default();
    let module = Module::new(&engine, &wasm).expect("valid");
    let mut store = Store::new(&engine, ());
    let instance = Linker::new().instantiate(&mut store, &module).expect("instantiates");
    let func = instance.get_func(&store, "").expect("the export");
    let mut results: Vec<Val> = func.ty(&store).results().iter().map(|t| Val::default_for(*t)).collect();
    func.call(&mut store, &[Val::I32(0)], &mut results).expect("no trap");
    // The function ends by pushing its six results as constants.
    assert_eq!(results[0], Val::I64(187364190761826585));
    assert_eq!(results[5], Val::I64(-987724826950097781));
}
