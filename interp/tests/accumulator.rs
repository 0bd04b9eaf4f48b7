//! An op that reads the slot the op before it wrote takes the value from
//! the accumulator register instead (see `exec::code::link`). Check that
//! the linker uses it on a chain of dependent ops, and never where control
//! can arrive from elsewhere with the accumulator holding another value.

use porta_interp::{Engine, Linker, Module, Store, Val};

fn call(wat: &str, name: &str, args: &[Val]) -> (Val, String) {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    let code = module.dump_translation(0).unwrap();
    let mut store = Store::new(&engine, ());
    // A wrong value could make a loop endless.
    store.set_step_limit(Some(1_000_000));
    let instance = Linker::<()>::new().instantiate(&mut store, &module).unwrap();
    let f = instance.get_func(&store, name).unwrap();
    let mut results = [Val::I32(0)];
    f.call(&mut store, args, &mut results).unwrap();
    (results[0], code)
}

#[test]
fn a_chain_of_dependent_ops_passes_values_in_the_accumulator() {
    let wat = r#"(module (func (export "f") (param i64) (result i64)
        (i64.add (local.get 0)
          (i64.xor (i64.shr_u (local.get 0) (i64.const 3)) (i64.const 0x5555)))))"#;
    for x in [0i64, 1, 0x1234_5678_9abc, -1] {
        let (result, code) = call(wat, "f", &[Val::I64(x)]);
        let expected = x.wrapping_add(((x as u64 >> 3) as i64) ^ 0x5555);
        assert_eq!(result, Val::I64(expected), "x = {x}\n{code}");
        // After shr_u, the xor, the add and the return each take the op
        // before's result.
        assert_eq!(code.matches("from the accumulator").count(), 3, "{code}");
    }
}

#[test]
fn values_that_meet_at_a_join_come_from_their_slots() {
    // Both arms write the block's result last, then control meets at the
    // add: by a branch from the `then` arm, by falling through from the
    // `else` arm. A loop header is reached from before the loop and by the
    // back edge, which wrote different values last.
    let wat = r#"(module (func (export "f") (param i32) (result i32) (local i32 i32)
        (local.set 1
          (if (result i32) (local.get 0)
            (then (i32.mul (local.get 0) (i32.const 3)))
            (else (i32.const 7))))
        (loop $l
          (local.set 2 (i32.add (local.get 2) (local.get 1)))
          (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
          (br_if $l (i32.gt_s (local.get 1) (i32.const 0))))
        (local.get 2)))"#;
    for (x, expected) in [(0, 7 * 8 / 2), (1, 3 * 4 / 2), (5, 15 * 16 / 2)] {
        let (result, code) = call(wat, "f", &[Val::I32(x)]);
        assert_eq!(result, Val::I32(expected), "x = {x}\n{code}");
    }
}

#[test]
fn a_result_kept_only_in_the_accumulator_reaches_every_reader() {
    // The load's result goes only to the add, which is fused with the
    // branch after it: the fused pair must still see the loaded value.
    let wat = r#"(module (memory 1) (func (export "f") (param i32) (result i32) (local i32)
        (loop $l
          (i32.store (i32.const 64) (local.get 1))
          (local.set 1 (i32.add (i32.load (i32.const 64)) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
        (local.get 1)))"#;
    let (result, code) = call(wat, "f", &[Val::I32(10)]);
    assert_eq!(result, Val::I32(10), "{code}");
    assert!(code.contains("(result to the accumulator only)"), "{code}");
}
