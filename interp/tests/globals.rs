//! The executor reaches a running instance's globals through pointers the
//! instance keeps (`InstanceEntity::global_cells`), not through the
//! store's list of globals, which moves when it grows. A host function
//! that adds many globals to the store while WebAssembly runs must leave
//! the running code's globals where it finds them: same values read,
//! writes seen by the embedder.

use porta_interp::{Engine, FuncType, Global, GlobalType, Linker, Module, Store, Val, ValType};

const MAIN: &str = r#"(module
  (import "host" "add_globals" (func $add_globals))
  (global $g (export "g") (mut i32) (i32.const 7))
  (global $h (export "h") (mut i64) (i64.const -1))
  (func (export "run") (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (call $add_globals)
    (global.set $h (i64.add (global.get $h) (i64.const 5)))
    (global.set $g (i32.mul (global.get $g) (i32.const 3)))
    (call $add_globals)
    (i32.add (global.get $g) (i32.wrap_i64 (global.get $h)))))"#;

#[test]
fn globals_added_while_code_runs_leave_its_globals_in_place() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new();
    linker.func_new("host", "add_globals", FuncType::new([], []), |mut caller, _, _| {
        let store = caller.store();
        for i in 0..4096 {
            Global::new(store, GlobalType { content: ValType::I64, mutable: true }, Val::I64(i)).expect("a global");
        }
        Ok(())
    });
    let module = Module::new(&engine, &wat::parse_str(MAIN).expect("assembles")).expect("valid");
    let instance = linker.instantiate(&mut store, &module).expect("instantiates");
    let mut out = [Val::I32(0)];
    instance.get_func(&store, "run").expect("export").call(&mut store, &[], &mut out).expect("runs");
    // g: (7 + 1) * 3 = 24; h: -1 + 5 = 4.
    assert_eq!(out[0], Val::I32(28));
    assert_eq!(instance.get_global(&store, "g").expect("export").get(&store), Val::I32(24));
    assert_eq!(instance.get_global(&store, "h").expect("export").get(&store), Val::I64(4));
}
