//! Ops whose fields do not fit the 8 bytes of a narrow op run in their wide
//! form (see `exec::code::Op`): constants and offsets past 16 bits, branches
//! farther than 32 KiB, blocks too costly for a branch or a return to pay
//! on landing.
//! Check that such code computes and counts exactly what narrow code does,
//! also when a step limit stops it inside a block (precise mode runs a copy
//! of the block, which must carry the wide ops' fields along).

use porta_interp::{Engine, Linker, Memory, Module, Store, TrapCode, Val};

/// Repetitions of one step-counting `$s += 1` in the loop body: enough ops
/// that both of the loop's branches reach past 32 KiB, and the body's
/// block, which a call starts, costs more than 65 535 steps.
const K: u64 = 40_000;

fn module() -> String {
    let body = "(local.set $s (i32.add (local.get $s) (i32.const 1)))\n".repeat(K as usize);
    format!(
        r#"(module (memory (export "mem") 2)
          (func $id (param i32) (result i32) (local.get 0))
          (func (export "f") (param $n i32) (result i64) (local $i i32) (local $s i32)
            (i32.store offset=70000 (local.get $n) (i32.const 100000))
            (block $out
              (loop $l
                (br_if $out (i32.eq (local.get $i) (i32.const 100000)))
                (drop (call $id (i32.const 1)))
                {body}
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
            (i64.add (i64.const 0x123456789)
              (i64.extend_i32_u (i32.add (local.get $s) (i32.load offset=70000 (local.get $n)))))))"#
    )
}

/// Steps of one iteration: the exit test (4), the call with its callee's
/// one step (4), the body (4K), the increment (4), the back edge (4).
const ITERATION: u64 = 16 + 4 * K;

/// The store (3), block and loop (2), the iterations, the result (7).
fn steps(n: u64) -> u64 {
    3 + 2 + n * ITERATION + 7
}

fn setup() -> (Store<()>, porta_interp::Instance, Module) {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(module()).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::<()>::new().instantiate(&mut store, &module).unwrap();
    (store, instance, module)
}

fn call(store: &mut Store<()>, instance: porta_interp::Instance, n: i32) -> (Result<Val, porta_interp::Error>, u64) {
    let f = instance.get_func(store, "f").unwrap();
    let mut results = [Val::I64(0)];
    let before = store.steps();
    let out = f.call(store, &[Val::I32(n)], &mut results).map(|_| results[0]);
    (out, store.steps() - before)
}

/// The value the function stored for `$n = n`.
fn stored(store: &Store<()>, instance: porta_interp::Instance, n: usize) -> u32 {
    let mem: Memory = instance.get_memory(store, "mem").unwrap();
    let bytes = &mem.data(store)[70_000 + n..70_004 + n];
    u32::from_le_bytes(bytes.try_into().unwrap())
}

#[test]
fn the_code_has_wide_ops() {
    let (_, _, module) = setup();
    let code = module.dump_translation(1).unwrap();
    // The store of a constant, the i64 constant, the compare with
    // 100000 and the far back edge, at least.
    let wide = code.lines().filter(|l| l.ends_with("(wide)")).count();
    assert!(wide >= 4, "{wide} wide ops:\n{}", code.lines().filter(|l| l.ends_with("(wide)")).collect::<Vec<_>>().join("\n"));
}

#[test]
fn wide_ops_compute_and_count_exactly() {
    let (mut store, instance, _) = setup();
    for n in [0u64, 1, 3, 9] {
        let (out, used) = call(&mut store, instance, n as i32);
        // With $n = 0 the loop still runs once (its test is at the end).
        let iterations = n.max(1);
        assert_eq!(out.unwrap(), Val::I64((0x123456789 + iterations * K + 100_000) as i64), "n = {n}");
        assert_eq!(used, steps(iterations), "n = {n}");
        assert_eq!(stored(&store, instance, n as usize), 100_000);
    }
}

#[test]
fn a_limit_inside_blocks_of_wide_ops_is_exact() {
    // Around the wide store, at the exit test, around the call (whose
    // return cannot pay for the body on landing), inside the body, and on
    // the far back edge of the first iteration.
    let first = 3 + 2;
    let limits = [
        1,
        2,
        3,
        first + 3,
        first + 4,
        first + 5,
        first + 6,
        first + 7,
        first + 8,
        first + 9,
        first + 8 + 4 * 1000 + 2,
        first + ITERATION - 1,
        first + ITERATION + 1,
    ];
    for limit in limits {
        let (mut store, instance, _) = setup();
        store.set_step_limit(Some(limit));
        let (out, used) = call(&mut store, instance, 2);
        let code = out.unwrap_err().as_trap().and_then(|t| t.code());
        assert_eq!(code, Some(TrapCode::StepLimitExceeded), "limit {limit}");
        assert_eq!(used, limit, "limit {limit}");
        // The store (step 3) happened exactly when the limit allowed it.
        let expected = if limit >= 3 { 100_000 } else { 0 };
        assert_eq!(stored(&store, instance, 2), expected, "limit {limit}");
    }
}
