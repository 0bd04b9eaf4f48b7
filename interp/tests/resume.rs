//! Resumable calls: a call stopped at step N and resumed ends with the same
//! results, memory and total step count as one that never stopped, for every
//! N, and when it stops many times on the way.

use porta_interp::{Engine, FuncType, Linker, Module, PauseReason, Resumable, Store, Val, ValType};
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::sync::Arc;

const PROGRAM: &str = r#"(module
  (import "host" "twice" (func $twice (param i32) (result i32)))
  (memory (export "memory") 1)
  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func $fill (param $n i32) (local $i i32) (local $acc i64)
    (loop $l
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
      (i64.store (i32.shl (local.get $i) (i32.const 3)) (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_s (local.get $i) (local.get $n)))))
  (func (export "main") (param $n i32) (result i32 i64)
    (local $r i32)
    (call $fill (local.get $n))
    (local.set $r (call $twice (call $fib (local.get $n))))
    (i32.store (i32.const 4096) (local.get $r))
    (local.get $r)
    (i64.load (i32.const 72))))"#;

/// The program's store, `main` and memory; the host's `twice` asks to stop
/// before it runs the first `pauses` times it is reached.
fn setup_pausing(pauses: Arc<AtomicU32>) -> (Store<()>, porta_interp::Func, porta_interp::Memory) {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(PROGRAM).unwrap()).unwrap();
    let mut linker = Linker::new();
    linker.func_new("host", "twice", FuncType::new([ValType::I32], [ValType::I32]), move |_, a, r| {
        if pauses.load(Relaxed) > 0 {
            pauses.fetch_sub(1, Relaxed);
            return Err(porta_interp::Trap::Code(porta_interp::TrapCode::HostPause));
        }
        let Val::I32(x) = a[0] else { unreachable!() };
        r[0] = Val::I32(x * 2);
        Ok(())
    });
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let main = instance.get_func(&store, "main").unwrap();
    let memory = instance.get_memory(&store, "memory").unwrap();
    (store, main, memory)
}

fn setup() -> (Store<()>, porta_interp::Func, porta_interp::Memory) {
    setup_pausing(Arc::default())
}

/// Runs main(n) with the limit raised by `step` at each pause; returns the
/// results, the steps and how many pauses there were.
fn run_in_steps(n: i32, first: u64, step: u64) -> (Vec<Val>, u64, Vec<u8>, usize) {
    let (mut store, main, memory) = setup();
    store.set_step_limit(Some(first));
    let mut outcome = main.call_resumable(&mut store, &[Val::I32(n)]).unwrap();
    let mut pauses = 0;
    loop {
        match outcome {
            Resumable::Finished(results) => {
                let mem = memory.data(&store).to_vec();
                return (results, store.steps(), mem, pauses);
            }
            Resumable::Paused(p) => {
                assert_eq!(p.reason(), PauseReason::StepLimit);
                assert_eq!(Some(store.steps()), store.step_limit(), "a pause comes exactly at the limit");
                pauses += 1;
                store.set_step_limit(Some(store.steps() + step));
                outcome = p.resume(&mut store).unwrap();
            }
        }
    }
}

#[test]
fn every_stop_gives_the_same_run() {
    let (want, total, want_mem, pauses) = run_in_steps(9, u64::MAX, 0);
    assert_eq!(pauses, 0);
    assert_eq!(want[0], Val::I32(68));
    for n in 1..total {
        let (got, steps, mem, pauses) = run_in_steps(9, n, u64::MAX - total);
        assert_eq!((&got, steps, pauses), (&want, total, 1), "stopped at step {n}");
        assert_eq!(mem, want_mem, "memory after a stop at step {n}");
    }
}

#[test]
fn many_stops_give_the_same_run() {
    let (want, total, want_mem, _) = run_in_steps(12, u64::MAX, 0);
    for step in [1, 2, 3, 7, 50] {
        let (got, steps, mem, pauses) = run_in_steps(12, step, step);
        assert_eq!((&got, steps), (&want, total), "stopping every {step} steps");
        assert_eq!(pauses as u64, (total - 1) / step, "pauses when stopping every {step} steps");
        assert_eq!(mem, want_mem);
    }
}

#[test]
fn an_interrupt_pauses_at_a_block_and_resumes() {
    let (want, total, _, _) = run_in_steps(15, u64::MAX, 0);
    let (mut store, main, _) = setup();
    store.interrupt_handle().store(true, std::sync::atomic::Ordering::Relaxed);
    let Resumable::Paused(p) = main.call_resumable(&mut store, &[Val::I32(15)]).unwrap() else { panic!("not paused") };
    assert_eq!(p.reason(), PauseReason::Interrupted);
    store.interrupt_handle().store(false, std::sync::atomic::Ordering::Relaxed);
    let Resumable::Finished(got) = p.resume(&mut store).unwrap() else { panic!("paused again") };
    assert_eq!((got, store.steps()), (want, total));
}

#[test]
fn a_paused_call_resumes_only_in_its_store() {
    let (mut store, main, _) = setup();
    store.set_step_limit(Some(10));
    let Resumable::Paused(p) = main.call_resumable(&mut store, &[Val::I32(5)]).unwrap() else { panic!("not paused") };
    let (mut other, _, _) = setup();
    let err = p.resume(&mut other).unwrap_err();
    assert!(err.to_string().contains("only in the store it ran in"), "{err}");
}

/// A host function that asks to stop before it runs (the first `pauses`
/// times it is reached): the call pauses there, and the resume runs the
/// host call and ends as an uninterrupted call does, same total steps.
#[test]
fn a_host_call_can_pause_before_it_runs() {
    let (want, total, want_mem, _) = run_in_steps(11, u64::MAX, 0);
    let pauses = Arc::new(AtomicU32::new(2));
    let (mut store, main, memory) = setup_pausing(pauses.clone());
    let Resumable::Paused(p) = main.call_resumable(&mut store, &[Val::I32(11)]).unwrap() else { panic!("not paused") };
    assert_eq!(p.reason(), PauseReason::HostCall);
    let at = store.steps();
    assert!(at > 0 && at < total);
    // Asked again on the resume: it pauses at the same step.
    let Resumable::Paused(p) = p.resume(&mut store).unwrap() else { panic!("not paused again") };
    assert_eq!(store.steps(), at, "pausing again before the same call counts nothing more");
    let Resumable::Finished(got) = p.resume(&mut store).unwrap() else { panic!("paused a third time") };
    assert_eq!((got, store.steps()), (want, total));
    assert_eq!(memory.data(&store), &want_mem[..]);
    assert_eq!(pauses.load(Relaxed), 0);
}
