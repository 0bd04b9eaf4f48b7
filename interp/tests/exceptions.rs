//! Exception handling beyond the spec suite: exact steps when a throw
//! unwinds (the throw counts, landing in a handler counts nothing, the
//! blocks left behind give back what did not run), step limits that fall
//! inside a handler, a throw across three frames, memory that stays bounded
//! in a throw-and-catch loop, `exnref`s kept in tables and globals, tags
//! shared between instances, and what the host sees of an uncaught one.

mod common;
use common::call;
use porta_interp::{Engine, Error, Extern, FuncType, Linker, Module, Store, Tag, TrapCode, Val, ValType};

const MODULE: &str = r#"(module
  (tag $e (export "e") (param i32))
  (tag $other)
  (table $keep 1 exnref)
  (global $last (mut exnref) (ref.null exn))
  ;; Depth 3: throws $e with n + 1 when n is odd, else returns n.
  (func $c (param i32) (result i32)
    (if (i32.and (local.get 0) (i32.const 1))
      (then (throw $e (i32.add (local.get 0) (i32.const 1)))))
    (local.get 0))
  (func $b (param i32) (result i32) (i32.add (call $c (local.get 0)) (i32.const 100)))
  (func $a (param i32) (result i32) (i32.add (call $b (local.get 0)) (i32.const 1000)))
  ;; Catches what $c throws two frames below, adds 7 in the handler.
  (func (export "across") (param i32) (result i32)
    (i32.add
      (block $h (result i32)
        (try_table (result i32) (catch $e $h) (call $a (local.get 0))))
      (i32.const 7)))
  ;; Throws and catches n times; returns the sum of the payloads.
  (func (export "loop") (param i32) (result i32) (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1)
        (block $h (result i32)
          (try_table (result i32) (catch $e $h) (throw $e (local.get 0))))))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get 1))
  ;; Keeps the exception in a table and a global, then throws it again
  ;; from there.
  (func (export "keep") (param i32)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (throw $e (local.get 0)))
      (unreachable))
    (global.set $last)
    (table.set $keep (i32.const 0) (global.get $last)))
  (func (export "rethrow_kept") (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (throw_ref (table.get $keep (i32.const 0))))
      (unreachable)))
  (func (export "rethrow_null") (throw_ref (ref.null exn)))
  (func (export "uncaught") (throw $other))
  ;; A tail call leaves the try_table behind: the callee's throw is not
  ;; caught here.
  (func $thrower (result i32) (throw $e (i32.const 5)))
  (func (export "tail") (result i32)
    (block $h (result i32) (try_table (result i32) (catch $e $h) (return_call $thrower)))))"#;

fn setup() -> (Store<()>, porta_interp::Instance) {
    common::instantiate(MODULE)
}


fn code(r: &Result<i32, Error>) -> Option<TrapCode> {
    r.as_ref().err().and_then(|e| e.as_trap()).and_then(|t| t.code())
}

#[test]
fn a_throw_across_three_frames_counts_what_ran() {
    let (mut s, i) = setup();
    // Not thrown: block, try_table, local.get, call $a | local.get, call
    // $b | local.get, call $c | local.get, i32.const, i32.and, if (false:
    // to its end), local.get | i32.const, i32.add | i32.const, i32.add |
    // i32.const, i32.add (the `end`s count nothing): 19 steps.
    assert_eq!(call(&mut s, i, "across", &[2]), (Ok(1109), 19));
    // Thrown at $c: block, try_table, local.get, call $a, local.get,
    // call $b, local.get, call $c, local.get, i32.const, i32.and, if,
    // local.get, i32.const, i32.add, throw; the handler's landing counts
    // nothing; then i32.const, i32.add: 18 steps.
    assert_eq!(call(&mut s, i, "across", &[3]), (Ok(11), 18));
}

#[test]
fn a_step_limit_stops_exactly_anywhere_around_a_throw() {
    let (mut s, i) = setup();
    let (r, total) = call(&mut s, i, "across", &[3]);
    assert_eq!(r.unwrap(), 11);
    for limit in 0..=total {
        s.set_step_limit(Some(s.steps() + limit));
        let (r, steps) = call(&mut s, i, "across", &[3]);
        match limit < total {
            true => assert_eq!(code(&r), Some(TrapCode::StepLimitExceeded), "limit {limit}: {r:?}"),
            false => assert_eq!(r.unwrap(), 11),
        }
        assert_eq!(steps, limit, "limit {limit}");
        s.set_step_limit(None);
    }
    // The same at every step of a loop that throws and lands in the code
    // after its handler's label three times.
    let (r, total) = call(&mut s, i, "loop", &[3]);
    assert_eq!(r.unwrap(), 6);
    for limit in 0..total {
        s.set_step_limit(Some(s.steps() + limit));
        let (r, steps) = call(&mut s, i, "loop", &[3]);
        assert_eq!((code(&r), steps), (Some(TrapCode::StepLimitExceeded), limit));
        s.set_step_limit(None);
    }
}

#[test]
fn throwing_and_catching_in_a_loop_runs_in_bounded_memory() {
    let (mut s, i) = setup();
    // More throws than a store may hold live exceptions: each is freed
    // when caught.
    let (r, _) = call(&mut s, i, "loop", &[100_000]);
    assert_eq!(r.unwrap(), (1..=100_000i64).sum::<i64>() as i32);
}

#[test]
fn exnrefs_live_in_tables_and_globals() {
    let (mut s, i) = setup();
    call(&mut s, i, "keep", &[42]).0.unwrap();
    assert_eq!(call(&mut s, i, "rethrow_kept", &[]).0.unwrap(), 42);
    assert_eq!(call(&mut s, i, "rethrow_kept", &[]).0.unwrap(), 42, "a kept exception can be thrown again");
    let g = i.get_global(&s, "e").map(|_| ());
    assert!(g.is_none(), "\"e\" is a tag, not a global");
    assert_eq!(code(&call(&mut s, i, "rethrow_null", &[]).0), Some(TrapCode::NullExceptionReference));
}

#[test]
fn an_uncaught_exception_is_a_trap_named_as_such() {
    let (mut s, i) = setup();
    let (r, steps) = call(&mut s, i, "uncaught", &[]);
    assert_eq!((code(&r), steps), (Some(TrapCode::UncaughtException), 1));
    assert_eq!(r.unwrap_err().as_trap().unwrap().to_string(), "uncaught exception (its tag is not exported)");
    let (r, _) = call(&mut s, i, "tail", &[]);
    // $e is exported as "e".
    assert_eq!(r.as_ref().unwrap_err().as_trap().unwrap().to_string(), "uncaught exception (tag `e`)");
    assert_eq!(code(&r), Some(TrapCode::UncaughtException), "the tail call left the try_table");
    // The store still works after either.
    assert_eq!(call(&mut s, i, "across", &[3]).0.unwrap(), 11);
}

#[test]
fn a_tag_shared_between_instances_is_one_tag() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let tag = Tag::new(&mut store, FuncType::new([ValType::I32], [])).unwrap();
    let thrower = r#"(module (import "host" "t" (tag $t (param i32)))
      (func (export "throw") (param i32) (throw $t (local.get 0))))"#;
    let catcher = r#"(module (import "host" "t" (tag $t (param i32)))
      (import "m" "throw" (func $throw (param i32)))
      (tag $mine (param i32))
      (func (export "catch") (param i32) (result i32)
        (block $h (result i32)
          (try_table (result i32) (catch $mine $h) (catch $t $h) (call $throw (local.get 0)) (i32.const -1)))))"#;
    let mut linker = Linker::new();
    linker.define("host", "t", Extern::Tag(tag));
    let m = Module::new(&engine, &wat::parse_str(thrower).unwrap()).unwrap();
    let a = linker.instantiate(&mut store, &m).unwrap();
    linker.define("m", "throw", a.get_export(&store, "throw").unwrap());
    let m = Module::new(&engine, &wat::parse_str(catcher).unwrap()).unwrap();
    let b = linker.instantiate(&mut store, &m).unwrap();
    let f = b.get_func(&store, "catch").unwrap();
    let mut out = [Val::I32(0)];
    f.call(&mut store, &[Val::I32(9)], &mut out).unwrap();
    assert_eq!(out, [Val::I32(9)]);
    // A tag of another type does not link.
    let other = Tag::new(&mut store, FuncType::new([ValType::I64], [])).unwrap();
    let mut linker = Linker::new();
    linker.define("host", "t", Extern::Tag(other));
    let m = Module::new(&engine, &wat::parse_str(thrower).unwrap()).unwrap();
    assert!(matches!(linker.instantiate(&mut store, &m), Err(Error::Link(_))));
}

/// Exceptions that `catch_ref` handed out, for the collector.
const HELD: &str = r#"(module
  (tag $e (param i32))
  (table $held 65536 exnref)
  (global $kept (mut exnref) (ref.null exn))
  ;; Throws n, catches it with its exnref.
  (func $catch (param i32) (result exnref) (local $r exnref)
    (block $h (result i32 exnref)
      (try_table (catch_ref $e $h) (throw $e (local.get 0)))
      (unreachable))
    (local.set $r)
    (drop)
    (local.get $r))
  (func $payload (param exnref) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (throw_ref (local.get 0)))
      (unreachable)))
  ;; Keeps one exnref in a global, drops n more, returns the kept payload.
  (func (export "churn") (param i32) (result i32)
    (global.set $kept (call $catch (i32.const 42)))
    (loop $l
      (drop (call $catch (local.get 0)))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (call $payload (global.get $kept)))
  ;; Keeps exnrefs for payloads 0..n in the table.
  (func (export "fill") (param i32) (result i32) (local $i i32)
    (loop $l
      (table.set $held (local.get $i) (call $catch (local.get $i)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get 0))))
    (local.get $i))
  (func (export "payload_at") (param i32) (result i32)
    (call $payload (table.get $held (local.get 0)))))"#;

#[test]
fn exceptions_nothing_names_are_collected_and_named_ones_kept() {
    let (mut s, i) = common::instantiate(HELD);
    // More dropped exnrefs than a store holds at once; the one in the
    // global survives each collection.
    assert_eq!(call(&mut s, i, "churn", &[150_000]).0.unwrap(), 42);
    // A table full of them leaves nothing to collect: the next throw traps,
    // and what the table holds is intact.
    assert_eq!(call(&mut s, i, "fill", &[65_535]).0.unwrap(), 65_535);
    assert_eq!(code(&call(&mut s, i, "fill", &[65_536]).0), Some(TrapCode::TooManyExceptions));
    assert_eq!(call(&mut s, i, "payload_at", &[12_345]).0.unwrap(), 12_345);
}

/// `nullexnref` (`(ref null noexn)`), the exception proposal's bottom
/// type, which wasmparser accepts without GC: decoded, held, returned as a
/// null `exnref`.
#[test]
fn nullexnref_holds_only_null() {
    let (mut store, instance) = common::instantiate(
        r#"(module (global $g (mut nullexnref) (ref.null noexn))
          (func (export "f") (result i32) (ref.is_null (global.get $g))))"#,
    );
    assert_eq!(common::call(&mut store, instance, "f", &[]).0.unwrap(), 1);
}
