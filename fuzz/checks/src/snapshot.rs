//! `snapshot`: arbitrary snapshot sections, signed with a valid checksum
//! (so the fuzzer's bytes reach the section readers, not just the checksum
//! test), read and restored against a fixed module, and a restored call run
//! for a bounded number of steps. Nothing may panic, and nothing may be
//! allocated that the input or the module does not justify (the fuzz
//! run's allocation limit checks that).

use porta_interp::wasi::WasiState;
use porta_interp::{Engine, Linker, Module, Snapshot, Store};
use sha2::{Digest, Sha256};

/// A program with something of every kind a snapshot holds: memory,
/// table, globals (a v128 too), segments, a tag, calls and host calls.
pub const PROGRAM: &str = r#"(module
  (import "host" "tick" (func $tick (param i32) (result i32)))
  (memory (export "memory") 1 8)
  (table 4 funcref)
  (global $g (mut i32) (i32.const 0))
  (global $v (mut v128) (v128.const i64x2 0 0))
  (tag $t (param i32))
  (elem (i32.const 1) $fib)
  (data $d "abc")
  (func $fib (param i32) (result i32)
    (global.set $g (call $tick (global.get $g)))
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
        (call_indirect (param i32) (result i32) (i32.sub (local.get 0) (i32.const 2)) (i32.const 1))))))
  (func (export "main") (param i32) (result i32)
    (local $i i32)
    (loop $l
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $i))
      (global.set $v (i32x4.add (global.get $v) (i32x4.splat (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 64))))
    (memory.init $d (i32.const 300) (i32.const 0) (i32.const 3))
    (block $c (result i32)
      (try_table (result i32) (catch $t $c) (throw $t (call $fib (local.get 0))))
      (return))))"#;

/// Steps a restored call may run.
const BUDGET: u64 = 100_000;

fn linker() -> Linker<()> {
    let mut l = Linker::new();
    let ty = porta_interp::FuncType::new([porta_interp::ValType::I32], [porta_interp::ValType::I32]);
    l.func_new("host", "tick", ty, |_, a, r| {
        let porta_interp::Val::I32(x) = a[0] else { return Ok(()) };
        r[0] = porta_interp::Val::I32(x.wrapping_add(1));
        Ok(())
    });
    l
}

/// `sections` as a whole file: header, the bytes, a valid checksum.
pub fn signed(sections: &[u8]) -> Vec<u8> {
    let mut file = b"PORTASNP".to_vec();
    file.extend_from_slice(&porta_interp::snapshot::VERSION.to_le_bytes());
    file.extend_from_slice(sections);
    let sum = Sha256::digest(&file);
    file.extend_from_slice(&sum);
    file
}

pub fn check(data: &[u8]) {
    crate::on_guest_stack(|| {
        let Ok(snapshot) = Snapshot::from_bytes(&signed(data)) else { return };
        if let Some(w) = snapshot.wasi() {
            let _ = WasiState::decode(w).map(|s| s.describe());
        }
        let _ = (snapshot.reason(), snapshot.memories());
        let engine = Engine::default();
        let module = Module::new(&engine, &wat::parse_str(PROGRAM).expect("the program parses")).expect("valid");
        let mut store = Store::new(&engine, ());
        let Ok((_, paused)) = snapshot.restore(&linker(), &mut store, &module) else { return };
        store.set_step_limit(Some(store.steps().saturating_add(BUDGET)));
        let _ = paused.resume(&mut store);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use porta_interp::{Resumable, Val};

    /// The sections of a real snapshot of `PROGRAM` at `steps`.
    pub fn real(steps: u64) -> Vec<u8> {
        let engine = Engine::default();
        let module = Module::new(&engine, &wat::parse_str(PROGRAM).unwrap()).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = linker().instantiate(&mut store, &module).unwrap();
        store.set_step_limit(Some(steps));
        let main = instance.get_func(&store, "main").unwrap();
        let Resumable::Paused(p) = main.call_resumable(&mut store, &[Val::I32(8)]).unwrap() else { panic!("not paused") };
        let file = Snapshot::capture(&store, &p).unwrap().to_bytes();
        file[12..file.len() - 32].to_vec()
    }

    /// Rewrites the seed after a format change:
    /// `cargo test -p porta-fuzz-checks regenerate_seed -- --ignored`.
    #[test]
    #[ignore]
    fn regenerate_seed() {
        std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/snapshot/seed-step-700"), real(700)).unwrap();
    }

    #[test]
    fn the_seed_is_a_snapshot_that_restores_and_runs() {
        let seed = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../corpus/snapshot/seed-step-700")).unwrap();
        assert_eq!(seed, real(700), "the committed seed is the snapshot this program gives at step 700");
        let snapshot = Snapshot::from_bytes(&signed(&seed)).unwrap();
        let engine = Engine::default();
        let module = Module::new(&engine, &wat::parse_str(PROGRAM).unwrap()).unwrap();
        let mut store = Store::new(&engine, ());
        let (_, paused) = snapshot.restore(&linker(), &mut store, &module).unwrap();
        assert!(matches!(paused.resume(&mut store).unwrap(), Resumable::Finished(_)));
        check(&seed);
    }
}
