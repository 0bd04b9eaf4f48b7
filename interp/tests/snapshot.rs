//! Snapshots in process: a call paused at step N, written to bytes and
//! restored into a new store, ends with the same results, memory, globals,
//! tables and total steps as one that never stopped, for every N. A damaged,
//! truncated, foreign or hostile file is refused with its reason.

use porta_interp::{
    Engine, FuncType, Linker, Module, PauseReason, Resumable, Snapshot, SnapshotError, Store, Val, ValType,
};
use sha2::{Digest, Sha256};

const PROGRAM: &str = r#"(module
  (import "host" "twice" (func $twice (param i32) (result i32)))
  (memory (export "memory") 1 4)
  (table (export "table") 4 funcref)
  (global $calls (export "calls") (mut i32) (i32.const 0))
  (global $big (mut v128) (v128.const i64x2 0 0))
  (tag $odd (param i32))
  (elem (i32.const 1) $fib)
  (elem declare func $fill)
  (data $extra "\01\02\03")
  (func $fib (param $n i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call_indirect (param i32) (result i32) (i32.sub (local.get $n) (i32.const 2)) (i32.const 1))))))
  (func $fill (param $n i32) (local $i i32) (local $acc i64)
    (loop $l
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
      (i64.store (i32.shl (local.get $i) (i32.const 3)) (local.get $acc))
      (global.set $big (i64x2.add (global.get $big) (i64x2.splat (local.get $acc))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_s (local.get $i) (local.get $n)))))
  (func $check (param $x i32) (result i32)
    (block $caught (result i32)
      (try_table (result i32) (catch $odd $caught)
        (if (i32.and (local.get $x) (i32.const 1)) (then (throw $odd (local.get $x))))
        (local.get $x))
      (return))
    (i32.add (i32.const 1000)))
  (func (export "main") (param $n i32) (result i32 i64)
    (local $r i32)
    (call $fill (local.get $n))
    (memory.init $extra (i32.const 9000) (i32.const 0) (i32.const 3))
    (data.drop $extra)
    (drop (memory.grow (i32.const 1)))
    (table.set (i32.const 3) (ref.func $fill))
    (local.set $r (call $check (call $twice (call $fib (local.get $n)))))
    (local.set $r (i32.add (local.get $r) (call $check (i32.add (local.get $r) (i32.const 1)))))
    (i32.store (i32.const 70000) (local.get $r))
    (local.get $r)
    (i64.add (i64.load (i32.const 72)) (i64x2.extract_lane 1 (global.get $big)))))"#;

fn linker() -> Linker<()> {
    let mut linker = Linker::new();
    linker.func_new("host", "twice", FuncType::new([ValType::I32], [ValType::I32]), |_, a, r| {
        let Val::I32(x) = a[0] else { unreachable!() };
        r[0] = Val::I32(x * 2);
        Ok(())
    });
    linker
}

fn module(engine: &Engine) -> Module {
    Module::new(engine, &wat::parse_str(PROGRAM).unwrap()).unwrap()
}

/// What a finished run leaves: results, steps, memory, the global, table
/// slot 3 set or not.
type End = (Vec<Val>, u64, Vec<u8>, Val, bool);

fn finish(store: &mut Store<()>, instance: porta_interp::Instance, results: Vec<Val>) -> End {
    let memory = instance.get_memory(store, "memory").unwrap().data(store).to_vec();
    let calls = instance.get_global(store, "calls").unwrap().get(store);
    let table = instance.get_table(store, "table").unwrap();
    let set = matches!(table.get(store, 3), Some(Val::FuncRef(Some(_))));
    (results, store.steps(), memory, calls, set)
}

/// Runs main(n), stopping at `stop` to snapshot and restore into a new
/// store when given; the file's bytes too.
fn run(n: i32, stop: Option<u64>) -> (End, Option<Vec<u8>>) {
    let engine = Engine::default();
    let module = module(&engine);
    let mut store = Store::new(&engine, ());
    let instance = linker().instantiate(&mut store, &module).unwrap();
    store.set_step_limit(stop);
    let main = instance.get_func(&store, "main").unwrap();
    match main.call_resumable(&mut store, &[Val::I32(n)]).unwrap() {
        Resumable::Finished(r) => (finish(&mut store, instance, r), None),
        Resumable::Paused(p) => {
            assert_eq!(p.reason(), PauseReason::StepLimit);
            let bytes = Snapshot::capture(&store, &p).unwrap().to_bytes();
            drop((p, store));
            // Another engine and store, as another process would have.
            let engine = Engine::default();
            let module = self::module(&engine);
            let mut store = Store::new(&engine, ());
            let snapshot = Snapshot::from_bytes(&bytes).unwrap();
            assert_eq!(snapshot.steps(), stop.unwrap());
            let (instance, paused) = snapshot.restore(&linker(), &mut store, &module).unwrap();
            assert_eq!(store.steps(), stop.unwrap());
            let Resumable::Finished(r) = paused.resume(&mut store).unwrap() else { panic!("paused again") };
            (finish(&mut store, instance, r), Some(bytes))
        }
    }
}

#[test]
fn a_snapshot_at_every_step_resumes_to_the_same_end() {
    let (want, _) = run(7, None);
    let total = want.1;
    // fib(7) = 13, twice 26 (even: kept), then 27 is odd: thrown, caught, + 1000.
    assert_eq!(want.0[0], Val::I32(26 + 1027), "the program's own result");
    for n in 1..total {
        let (got, bytes) = run(7, Some(n));
        assert!(bytes.is_some(), "stopped at {n}");
        assert_eq!(got, want, "snapshot at step {n}");
    }
}

fn snapshot_at(n: u64) -> Vec<u8> {
    run(6, Some(n)).1.unwrap()
}

fn restore(bytes: &[u8]) -> Result<(), SnapshotError> {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let snapshot = Snapshot::from_bytes(bytes)?;
    snapshot.restore(&linker(), &mut store, &module(&engine)).map(|_| ())
}

#[test]
fn damaged_and_truncated_files_are_refused() {
    let bytes = snapshot_at(200);
    restore(&bytes).unwrap();
    for at in (0..bytes.len()).step_by(7) {
        let mut bad = bytes.clone();
        bad[at] ^= 0x41;
        let err = restore(&bad).unwrap_err().to_string();
        assert!(err.contains("checksum") || err.contains("magic") || err.contains("version"), "byte {at}: {err}");
    }
    for len in [0, 5, 12, 43, bytes.len() / 2, bytes.len() - 1] {
        let err = restore(&bytes[..len]).unwrap_err().to_string();
        assert!(err.contains("truncated") || err.contains("checksum") || err.contains("magic"), "{len} bytes: {err}");
    }
}

#[test]
fn another_module_is_refused_with_both_hashes() {
    let bytes = snapshot_at(100);
    let engine = Engine::default();
    let other = Module::new(&engine, &wat::parse_str(PROGRAM.replace("1000", "1001")).unwrap()).unwrap();
    let err = Snapshot::from_bytes(&bytes).unwrap().restore(&linker(), &mut Store::new(&engine, ()), &other).unwrap_err();
    assert!(matches!(err, SnapshotError::OtherModule { .. }), "{err}");
    assert!(err.to_string().contains("another module"), "{err}");
}

/// Rewrites one section's bytes and signs the file again, as a hostile
/// writer would: the checksum passes, the checks behind it must not.
fn forge(bytes: &[u8], section: u8, edit: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let body = &bytes[..bytes.len() - 32];
    let mut out = body[..12].to_vec();
    let mut at = 12;
    while at < body.len() {
        let id = body[at];
        let len = u64::from_le_bytes(body[at + 1..at + 9].try_into().unwrap()) as usize;
        let mut payload = body[at + 9..at + 9 + len].to_vec();
        if id == section {
            edit(&mut payload);
        }
        out.push(id);
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&payload);
        at += 9 + len;
    }
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    out
}

#[test]
fn forged_states_are_refused_not_run() {
    let bytes = snapshot_at(300);
    type Edit = Box<dyn Fn(&mut Vec<u8>)>;
    let cases: Vec<(u8, Edit, &str)> = vec![
        // Exec: the running function index (after the reason and instance).
        (2, Box::new(|p: &mut Vec<u8>| p[5..9].copy_from_slice(&999u32.to_le_bytes())), "function the module lacks"),
        // Exec: the op it resumes at.
        (2, Box::new(|p: &mut Vec<u8>| p[9..13].copy_from_slice(&u32::MAX.to_le_bytes())), "past the end"),
        // Exec: one cell more than the frames hold.
        (2, Box::new(|p: &mut Vec<u8>| {
            let at = cells_count_at(p);
            let n = u64::from_le_bytes(p[at..at + 8].try_into().unwrap()) + 1;
            p[at..at + 8].copy_from_slice(&n.to_le_bytes());
            p.extend_from_slice(&0u64.to_le_bytes());
        }), "does not fit its frames"),
        // Memories: a count of pages the memory's maximum (4) refuses.
        (3, Box::new(|p: &mut Vec<u8>| p[8..16].copy_from_slice(&5u64.to_le_bytes())), "does not allow"),
        // Tables: slot 0 names function 9999.
        (4, Box::new(|p: &mut Vec<u8>| p[16..24].copy_from_slice(&10000u64.to_le_bytes())), "not of its type"),
        // Globals: a count the module does not have.
        (5, Box::new(|p: &mut Vec<u8>| p[0..8].copy_from_slice(&1u64.to_le_bytes())), "the module has"),
        // A section cut short.
        (6, Box::new(|p: &mut Vec<u8>| { p.pop(); }), "at most fit"),
        // Exceptions: one of a tag the store lacks.
        (7, Box::new(|p: &mut Vec<u8>| {
            *p = vec![1, 0, 0, 0, 0, 0, 0, 0, 1, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        }), "tag the store lacks"),
    ];
    for (section, edit, want) in cases {
        let forged = forge(&bytes, section, edit);
        let err = restore(&forged).unwrap_err().to_string();
        assert!(err.contains(want), "section {section}: expected `{want}`, got: {err}");
    }
}

/// Where an exec section's count of value-stack cells is: after the
/// reason (1), instance, function and op (4 each), `owed` (1, or 9), the
/// accumulator (8), memory (4), base (8) and the frames (8 + 24 each).
fn cells_count_at(p: &[u8]) -> usize {
    let mut at = 13;
    at += if p[at] == 1 { 9 } else { 1 };
    at += 8 + 4 + 8;
    let frames = u64::from_le_bytes(p[at..at + 8].try_into().unwrap()) as usize;
    at + 8 + 24 * frames
}

#[test]
fn a_store_with_a_host_reference_cannot_be_snapshot() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        &wat::parse_str(r#"(module (global $g (export "g") (mut externref) (ref.null extern))
            (func (export "spin") (loop $l (br $l))))"#)
        .unwrap(),
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::<()>::new().instantiate(&mut store, &module).unwrap();
    let g = instance.get_global(&store, "g").unwrap();
    g.set(&mut store, Val::ExternRef(Some(porta_interp::ExternRef(7)))).unwrap();
    store.set_step_limit(Some(10));
    let Resumable::Paused(p) = instance.get_func(&store, "spin").unwrap().call_resumable(&mut store, &[]).unwrap() else {
        panic!("not paused")
    };
    let err = Snapshot::capture(&store, &p).err().unwrap();
    assert!(err.to_string().contains("host reference"), "{err}");
}

/// A prepared snapshot restores many times, each instance with memory of
/// its own: what one writes, another does not see, and the snapshot's
/// memory stays as it was.
#[test]
fn a_prepared_snapshot_restores_many_independent_instances() {
    let (want, _) = run(7, None);
    let bytes = run(7, Some(500)).1.unwrap();
    let prepared = Snapshot::from_bytes(&bytes).unwrap().prepare().unwrap();
    let engine = Engine::default();
    let module = module(&engine);
    let mut ends = Vec::new();
    let mut stores = Vec::new();
    for k in 0..3u8 {
        let mut store = Store::new(&engine, ());
        let (instance, paused) = prepared.restore(&linker(), &mut store, &module).unwrap();
        let memory = instance.get_memory(&store, "memory").unwrap();
        let before = memory.data(&store)[64];
        // Scribble where the program never looks, differently in each.
        memory.data_mut(&mut store)[60000] = 0xa0 + k;
        let Resumable::Finished(r) = paused.resume(&mut store).unwrap() else { panic!("paused again") };
        assert_eq!(memory.data(&store)[60000], 0xa0 + k, "instance {k} sees only its own writes");
        ends.push((r, store.steps(), before));
        stores.push((store, memory));
    }
    for (r, steps, before) in &ends {
        assert_eq!((r, *steps), (&want.0, want.1));
        assert_eq!(*before, ends[0].2);
    }
    for (k, (store, memory)) in stores.iter().enumerate() {
        let mut mem = memory.data(store).to_vec();
        assert_eq!(mem[60000], 0xa0 + k as u8);
        mem[60000] = want.2[60000];
        assert_eq!(mem, want.2, "instance {k}'s memory is the uninterrupted run's, but for its own write");
    }
}
