//! Ops that often follow each other run as pairs: the first op's handler
//! jumps straight into the second's (see `pairs!` in `exec::handlers`).
//! Code shaped as clang emits it (a stack-pointer prologue and epilogue,
//! loads through loaded pointers, field copies, a call after a load) must
//! be fused (the stack pointer's moves into ops of their own), compute what the instructions say, and count exactly: every
//! step limit stops after exactly that many steps, between the two ops of
//! a pair too, and a trap in either op counts the steps before it.

use porta_interp::{Engine, Error, Instance, Linker, Memory, Module, Store, TrapCode, Val};

const MODULE: &str = r#"(module
  (memory (export "mem") 2)
  (global $sp (export "sp") (mut i32) (i32.const 131072))
  (func $id (param i32) (result i32) (local.get 0))
  ;; Sums a list of nodes (value at +0, next at +4), copying each value to
  ;; +8, with the node's address kept in a stack frame.
  (func (export "sum") (param $list i32) (result i32)
    (local $fp i32) (local $acc i32)
    global.get $sp
    i32.const 16
    i32.sub
    local.tee $fp
    global.set $sp
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $list)))
        (i32.store offset=4 (local.get $fp) (local.get $list))
        (local.set $acc (i32.add (local.get $acc) (i32.load (i32.load offset=4 (local.get $fp)))))
        (i32.store offset=8 (local.get $list) (i32.load (local.get $list)))
        (local.set $acc (call $id (i32.load (local.get $list))))
        (local.set $acc (i32.add (local.get $acc) (i32.load (local.get $list))))
        (local.set $list (i32.load offset=4 (local.get $list)))
        (br $next)))
    local.get $fp
    i32.const 16
    i32.add
    global.set $sp
    local.get $acc))"#;

/// A store with `n` nodes from address 64 (values 10, 20, …), each 16
/// bytes (below the stack at the top of memory), the last one's next
/// pointer `last_next`.
fn setup(n: u32, last_next: u32) -> (Store<()>, Instance, Memory, Module) {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(MODULE).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::<()>::new().instantiate(&mut store, &module).unwrap();
    let mem = instance.get_memory(&store, "mem").unwrap();
    for k in 0..n {
        let at = 64 + 16 * k as usize;
        let next = if k + 1 == n { last_next } else { at as u32 + 16 };
        let data = mem.data_mut(&mut store);
        data[at..at + 4].copy_from_slice(&(10 * (k + 1)).to_le_bytes());
        data[at + 4..at + 8].copy_from_slice(&next.to_le_bytes());
    }
    (store, instance, mem, module)
}

fn sum(store: &mut Store<()>, instance: Instance) -> (Result<i32, Error>, u64) {
    let f = instance.get_func(store, "sum").unwrap();
    let mut out = [Val::I32(0)];
    let before = store.steps();
    let r = f.call(store, &[Val::I32(64)], &mut out).map(|_| match out[0] {
        Val::I32(v) => v,
        ref v => panic!("{v:?}"),
    });
    (r, store.steps() - before)
}

fn trap_code(r: &Result<i32, Error>) -> Option<TrapCode> {
    r.as_ref().err().and_then(|e| e.as_trap()).and_then(|t| t.code())
}

/// How many nodes have their value copied to +8.
fn copies(store: &Store<()>, mem: Memory, n: u32) -> usize {
    let data = mem.data(store);
    (0..n as usize).filter(|k| data[64 + 16 * k + 8..64 + 16 * k + 12] == data[64 + 16 * k..64 + 16 * k + 4]).count()
}

#[test]
fn clang_shaped_code_is_fused() {
    let (_, _, _, module) = setup(0, 0);
    let code = module.dump_translation(1).unwrap();
    let fused = code.matches("fused with the next").count();
    // The loop's loads and stores and the load before the call; the
    // prologue's `global.get` and add are one op, as are the epilogue's add
    // and `global.set` (`Translator::global_add_imm`).
    assert!(fused >= 5, "{fused} fused ops in:\n{code}");
    assert!(code.contains("GlobalAddImm") && code.contains("GlobalSetAddImm"), "{code}");
}

#[test]
fn pairs_compute_and_count_exactly_under_every_limit() {
    const N: u32 = 4;
    let (mut store, instance, mem, _) = setup(N, 0);
    let (r, total) = sum(&mut store, instance);
    // The last node's value plus itself, after the call.
    assert_eq!(r.unwrap(), 2 * 10 * N as i32);
    assert_eq!(copies(&store, mem, N), N as usize);
    let sp = instance.get_global(&store, "sp").unwrap();
    assert_eq!(sp.get(&store), Val::I32(131072));
    let mut last = 0;
    for limit in 0..total {
        let (mut store, instance, mem, _) = setup(N, 0);
        store.set_step_limit(Some(store.steps() + limit));
        let (r, steps) = sum(&mut store, instance);
        assert_eq!((trap_code(&r), steps), (Some(TrapCode::StepLimitExceeded), limit), "limit {limit}");
        let now = copies(&store, mem, N);
        assert!(now == last || now == last + 1, "limit {limit}: {last} then {now} copies");
        // The prologue's `global.set` (step 5) moved the stack pointer, and
        // the epilogue's (the step before the last) moves it back.
        let sp = instance.get_global(&store, "sp").unwrap().get(&store);
        let moved = (5..total - 1).contains(&limit);
        assert_eq!(sp, Val::I32(if moved { 131056 } else { 131072 }), "limit {limit}");
        last = now;
    }
    assert_eq!(last, N as usize);
}

/// The last node points outside memory: the second load of a load-load
/// pair traps, with the steps before it counted, and a limit one short of
/// the trap stops there instead.
#[test]
fn a_trap_in_a_pair_counts_exactly() {
    const N: u32 = 3;
    let (mut store, instance, _, _) = setup(N, 0xffff_fff0);
    let (r, at) = sum(&mut store, instance);
    assert_eq!(trap_code(&r), Some(TrapCode::MemoryOutOfBounds));
    for (limit, code, steps) in [(at, TrapCode::MemoryOutOfBounds, at), (at - 1, TrapCode::StepLimitExceeded, at - 1)] {
        let (mut store, instance, _, _) = setup(N, 0xffff_fff0);
        store.set_step_limit(Some(store.steps() + limit));
        let (r, n) = sum(&mut store, instance);
        assert_eq!((trap_code(&r), n), (Some(code), steps), "limit {limit}");
    }
}

/// Pairs pass control on by jumps, as every handler does (see
/// `dispatch.rs`): tens of thousands of them run on a small native stack.
#[test]
fn pairs_need_no_native_stack() {
    const N: u32 = 4000;
    let on_small_stack = std::thread::Builder::new().stack_size(256 << 10).spawn(|| {
        let (mut store, instance, _, _) = setup(N, 0);
        sum(&mut store, instance).0.unwrap()
    });
    assert_eq!(on_small_stack.unwrap().join().unwrap(), 2 * 10 * N as i32);
}
