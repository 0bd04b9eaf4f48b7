//! Multi-memory: every memory instruction on the memory it names, copies
//! between memories, one memory imported under two indices, and exact step
//! counts (the step-free ops that switch memories count nothing, wherever a
//! trap or the step limit falls).

use porta_interp::{Engine, Error, Extern, Limits, Linker, Memory, MemoryType, Module, Store, TrapCode, Val};

const MODULE: &str = r#"(module
  (import "host" "shared" (memory $s 1))
  (import "host" "shared" (memory $s2 1))
  (memory $a 2)
  (memory $b 1 3)
  (data (memory $b) (i32.const 16) "\2a")
  ;; Writes in $b, reads it back and adds what $a holds at the same address.
  (func (export "mixed") (result i32)
    (i32.store $b (i32.const 8) (i32.const 7))
    (i32.add (i32.load $b (i32.const 8)) (i32.load $a (i32.const 8))))
  (func (export "data_b") (result i32) (i32.load8_u $b (i32.const 16)))
  (func (export "load_a") (param i32) (result i32) (i32.load $a (local.get 0)))
  (func (export "load_b") (param i32) (result i32) (i32.load $b (local.get 0)))
  (func (export "store_a") (param i32 i32) (i32.store $a (local.get 0) (local.get 1)))
  (func (export "sizes") (result i32)
    (i32.add (i32.mul (memory.size $a) (i32.const 100)) (memory.size $b)))
  (func (export "grow_b") (param i32) (result i32) (memory.grow $b (local.get 0)))
  (func (export "fill_b") (param i32 i32 i32) (memory.fill $b (local.get 0) (local.get 1) (local.get 2)))
  ;; Copies n bytes from $b at src to $a at dst.
  (func (export "copy_b_to_a") (param i32 i32 i32)
    (memory.copy $a $b (local.get 0) (local.get 1) (local.get 2)))
  ;; The same memory under two indices: a copy that overlaps itself.
  (func (export "copy_shared") (param i32 i32 i32)
    (memory.copy $s $s2 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load_shared") (param i32) (result i32) (i32.load8_u $s2 (local.get 0))))"#;

fn setup() -> (Store<()>, porta_interp::Instance, Memory) {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(MODULE).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let ty = MemoryType { limits: Limits { min: 1, max: None }, memory64: false, shared: false };
    let shared = Memory::new(&mut store, ty).unwrap();
    let mut linker = Linker::new();
    linker.define("host", "shared", Extern::Memory(shared));
    let instance = linker.instantiate(&mut store, &module).unwrap();
    (store, instance, shared)
}

fn call(s: &mut Store<()>, i: porta_interp::Instance, name: &str, args: &[i32]) -> (Result<i32, Error>, u64) {
    let f = i.get_func(s, name).unwrap();
    let args: Vec<Val> = args.iter().map(|&a| Val::I32(a)).collect();
    let results = f.ty(s).results().len();
    let mut out = vec![Val::I32(0); results];
    let before = s.steps();
    let r = f.call(s, &args, &mut out).map(|_| match out.first() {
        Some(Val::I32(v)) => *v,
        None => 0,
        Some(v) => panic!("{v:?}"),
    });
    (r, s.steps() - before)
}

fn ok(s: &mut Store<()>, i: porta_interp::Instance, name: &str, args: &[i32]) -> i32 {
    call(s, i, name, args).0.unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn trap_code(r: &Result<i32, Error>) -> Option<TrapCode> {
    r.as_ref().err().and_then(|e| e.as_trap()).and_then(|t| t.code())
}

#[test]
fn each_instruction_uses_the_memory_it_names() {
    let (mut s, i, _) = setup();
    assert_eq!(ok(&mut s, i, "data_b", &[]), 42, "the data segment went to $b");
    assert_eq!(ok(&mut s, i, "load_a", &[16]), 0, "and not to $a");
    ok(&mut s, i, "store_a", &[8, 1000]);
    assert_eq!(ok(&mut s, i, "mixed", &[]), 1007);
    assert_eq!(ok(&mut s, i, "load_a", &[8]), 1000, "the store to $b left $a alone");
    assert_eq!(ok(&mut s, i, "sizes", &[]), 201);
    assert_eq!(ok(&mut s, i, "grow_b", &[2]), 1);
    assert_eq!(ok(&mut s, i, "grow_b", &[1]), -1, "past $b's maximum of 3");
    assert_eq!(ok(&mut s, i, "sizes", &[]), 203);
    ok(&mut s, i, "fill_b", &[100, 0x55, 4]);
    ok(&mut s, i, "copy_b_to_a", &[200, 98, 8]);
    assert_eq!(ok(&mut s, i, "load_a", &[200]), 0x5555_0000);
    assert_eq!(ok(&mut s, i, "load_a", &[204]), 0x0000_5555);
}

#[test]
fn bounds_are_those_of_the_memory_named() {
    let (mut s, i, _) = setup();
    // 65536..131072 is inside $a (2 pages) and outside $b (1 page).
    assert_eq!(ok(&mut s, i, "load_a", &[65536]), 0);
    let (r, steps) = call(&mut s, i, "load_b", &[65536]);
    assert_eq!(trap_code(&r), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(steps, 2, "local.get and the trapping load");
    let (r, _) = call(&mut s, i, "copy_b_to_a", &[0, 65530, 7]);
    assert_eq!(trap_code(&r), Some(TrapCode::MemoryOutOfBounds), "source past $b's end");
    let (r, _) = call(&mut s, i, "copy_b_to_a", &[131070, 0, 4]);
    assert_eq!(trap_code(&r), Some(TrapCode::MemoryOutOfBounds), "destination past $a's end");
    // After a trap between the memory switches, memory 0 is memory 0 again.
    assert_eq!(ok(&mut s, i, "load_shared", &[0]), 0);
}

#[test]
fn one_memory_imported_twice_copies_within_itself() {
    let (mut s, i, shared) = setup();
    shared.data_mut(&mut s)[..4].copy_from_slice(&[1, 2, 3, 4]);
    ok(&mut s, i, "copy_shared", &[1, 0, 4]);
    assert_eq!(&shared.data(&s)[..5], &[1, 1, 2, 3, 4]);
    assert_eq!(ok(&mut s, i, "load_shared", &[4]), 4);
}

#[test]
fn switching_memories_costs_no_steps_wherever_the_limit_falls() {
    let (mut s, i, _) = setup();
    ok(&mut s, i, "store_a", &[8, 5]);
    // i32.const, i32.const, i32.store; i32.const, i32.load; i32.const,
    // i32.load; i32.add.
    let total = 8;
    let (r, steps) = call(&mut s, i, "mixed", &[]);
    assert_eq!((r.unwrap(), steps), (12, total));
    for limit in 0..=total {
        s.set_step_limit(Some(s.steps() + limit));
        let (r, steps) = call(&mut s, i, "mixed", &[]);
        match limit < total {
            true => assert_eq!(trap_code(&r), Some(TrapCode::StepLimitExceeded), "limit {limit}"),
            false => assert_eq!(r.unwrap(), 12),
        }
        assert_eq!(steps, limit);
        s.set_step_limit(None);
        // Whatever memory was in use when the limit struck, the next call
        // starts on memory 0 (the imported one).
        assert_eq!(ok(&mut s, i, "load_shared", &[8]), 0, "limit {limit}");
        assert_eq!(ok(&mut s, i, "load_a", &[8]), 5, "limit {limit}");
    }
}

#[test]
fn exports_come_in_the_modules_order() {
    let (store, instance, _) = setup();
    let names: Vec<&str> = instance.exports(&store).map(|(n, _)| n).collect();
    let wat_order =
        ["mixed", "data_b", "load_a", "load_b", "store_a", "sizes", "grow_b", "fill_b", "copy_b_to_a", "copy_shared", "load_shared"];
    assert_eq!(names, wat_order);
}
