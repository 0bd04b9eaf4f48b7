//! `call_indirect` through table 0 carries its type in the op
//! (`CallIndirect0`); through any other table it looks its type and table
//! up by call site. Both must behave alike: the same two tables hold a
//! function of this instance, a host function, a function of another
//! instance, a function of the wrong type and a null, and every index
//! (one past the end too) is called through each table, with the same
//! results, the same traps and the same step counts.

use porta_interp::{Engine, FuncType, Linker, Module, Store, TrapCode, Val, ValType};

const OTHER: &str = r#"(module
  (func (export "triple") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3))))"#;

const MAIN: &str = r#"(module
  (import "host" "negate" (func $negate (param i32) (result i32)))
  (import "other" "triple" (func $triple (param i32) (result i32)))
  (type $unary (func (param i32) (result i32)))
  (table $t0 6 funcref)
  (table $t1 6 funcref)
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $wrong (param i64) (result i64) (local.get 0))
  (elem (table $t0) (i32.const 0) func $inc $negate $triple $wrong)
  (elem (table $t1) (i32.const 0) func $inc $negate $triple $wrong)
  (func (export "via0") (param i32 i32) (result i32)
    (call_indirect $t0 (type $unary) (local.get 1) (local.get 0)))
  (func (export "via1") (param i32 i32) (result i32)
    (call_indirect $t1 (type $unary) (local.get 1) (local.get 0))))"#;

#[test]
fn table_0_and_other_tables_call_alike() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let other = Module::new(&engine, &wat::parse_str(OTHER).expect("assembles")).expect("valid");
    let other = Linker::new().instantiate(&mut store, &other).expect("instantiates");
    let mut linker = Linker::new();
    linker.func_new("host", "negate", FuncType::new([ValType::I32], [ValType::I32]), |_, a, r| {
        let Val::I32(x) = a[0] else { unreachable!() };
        r[0] = Val::I32(x.wrapping_neg());
        Ok(())
    });
    linker.instance(&store, "other", other);
    let main = Module::new(&engine, &wat::parse_str(MAIN).expect("assembles")).expect("valid");
    let main = linker.instantiate(&mut store, &main).expect("instantiates");
    let expected = [
        Ok(8),                                       // $inc
        Ok(-7),                                      // the host's negate
        Ok(21),                                      // the other instance's triple
        Err(TrapCode::IndirectCallTypeMismatch),     // $wrong
        Err(TrapCode::UninitializedElement),         // null
        Err(TrapCode::UninitializedElement),         // null
        Err(TrapCode::UndefinedElement),             // past the end
        Err(TrapCode::UndefinedElement),             // far past it, negative as i32
    ];
    for name in ["via0", "via1"] {
        let f = main.get_func(&store, name).expect("export");
        for (index, want) in [0, 1, 2, 3, 4, 5, 6, -1].into_iter().zip(expected) {
            let before = store.steps();
            let mut out = [Val::I32(0)];
            let got = f.call(&mut store, &[Val::I32(index), Val::I32(7)], &mut out);
            let got = got.map(|_| out[0]).map_err(|e| e.as_trap().and_then(|t| t.code()));
            let want = want.map(Val::I32).map_err(Some);
            assert_eq!(got, want, "{name}, element {index}");
            // Three steps for the caller (two local.gets and the call),
            // then the callee's: three for $inc and $triple, none for the
            // host, and none where the call traps.
            let steps = store.steps() - before;
            let callee = match index {
                0 | 2 => 3,
                _ => 0,
            };
            assert_eq!(steps, 3 + callee, "{name}, element {index}: steps");
        }
    }
}
