//! Legacy exception handling (`try`, `catch`, `catch_all`, `delegate`,
//! `rethrow`), as older toolchains emit it. The spec suite's legacy
//! scripts use text the parser cannot read, so these check the same
//! behaviours: which clause catches, what `delegate` skips, that
//! `rethrow` keeps the payload, and the steps (SPEC §2.1: `try` counts 1
//! like a block, landing in a clause nothing, `rethrow` 1).

mod common;
use common::call;
use porta_interp::{Store, TrapCode};

const MODULE: &str = r#"(module
  (tag $e (param i32))
  (tag $other)
  (func $throw (param i32) (throw $e (local.get 0)))

  ;; try, i32.const, throw; the clause: nothing more.
  (func (export "caught") (result i32)
    try (result i32)
      i32.const 7
      throw $e
    catch $e
    end)

  ;; The clause for the tag thrown, not the first one.
  (func (export "second_clause") (result i32)
    try (result i32)
      i32.const 3
      call $throw
      i32.const 0
    catch $other
      i32.const -1
    catch $e
      i32.const 10
      i32.add
    catch_all
      i32.const -2
    end)

  (func (export "catch_all") (result i32)
    try (result i32)
      throw $other
    catch_all
      i32.const 42
    end)

  ;; The delegate skips $mid and lands in $outer.
  (func (export "delegate") (result i32)
    try $outer (result i32)
      try $mid (result i32)
        try (result i32)
          i32.const 5
          throw $e
        delegate $outer
      catch $e
        drop
        i32.const 1
      end
    catch $e
      i32.const 100
      i32.add
    end)

  ;; A delegate to the function's label: the caller catches.
  (func $to_caller (result i32)
    try (result i32)
      try (result i32)
        i32.const 9
        throw $e
      delegate 1
    catch_all
      i32.const -1
    end)
  (func (export "delegate_to_caller") (result i32)
    try (result i32)
      call $to_caller
    catch $e
      i32.const 1000
      i32.add
    end)

  ;; A delegate from a clause goes past that clause's own try: the
  ;; exception thrown inside the clause reaches the try around it.
  (func (export "delegate_from_clause") (result i32)
    try $outer (result i32)
      try $l (result i32)
        throw $other
      catch_all
        try (result i32)
          i32.const 20
          throw $e
        delegate $l
      end
    catch $e
      i32.const 1
      i32.add
    end)

  ;; In a clause nested in another, `rethrow 1` throws the outer
  ;; clause's exception, not the inner one.
  (func (export "rethrow_outer") (result i32)
    try (result i32)
      try (result i32)
        i32.const 30
        throw $e
      catch $e
        drop
        try (result i32)
          throw $other
        catch $other
          rethrow 1
        end
      end
    catch $e
      i32.const 2
      i32.add
    catch $other
      i32.const -1
    end)

  ;; rethrow from a cleanup (catch_all) and from a nested block of a
  ;; clause, the payload kept.
  (func (export "rethrow") (result i32)
    try (result i32)
      try (result i32)
        i32.const 6
        call $throw
        i32.const 0
      catch_all
        block
          rethrow 1
        end
        i32.const -1
      end
    catch $e
    end)

  ;; Code after a clause that ends normally runs; values below the try
  ;; survive it.
  (func (export "falls_through") (result i32)
    i32.const 1000
    try (result i32)
      i32.const 4
      call $throw
      i32.const 0
    catch $e
      i32.const 1
      i32.add
    end
    i32.add)

  (func (export "uncaught") (result i32)
    try (result i32)
      i32.const 1
      throw $e
    catch $other
      i32.const 0
    end)

  ;; Throws through n cleanups (catch_all + rethrow), caught by catch $e.
  (func $cleanups (param i32)
    try
      local.get 0
      i32.eqz
      if
        i32.const 77
        call $throw
      end
      local.get 0
      i32.const 1
      i32.sub
      call $cleanups
    catch_all
      rethrow 0
    end)
  (func (export "cleanups") (param i32) (result i32)
    try (result i32)
      local.get 0
      call $cleanups
      i32.const 0
    catch $e
    end)
  ;; A loop of n throws, each through one cleanup.
  (func (export "many") (param i32) (result i32) (local i32)
    loop $again
      try
        try
          i32.const 1
          call $throw
        catch_all
          rethrow 0
        end
      catch $e
        local.get 1
        i32.add
        local.set 1
      end
      local.get 0
      i32.const 1
      i32.sub
      local.tee 0
      br_if $again
    end
    local.get 1))"#;

fn setup() -> (Store<()>, porta_interp::Instance) {
    common::instantiate(MODULE)
}


#[test]
fn the_clause_for_the_tag_catches() {
    let (mut s, i) = setup();
    assert_eq!(call(&mut s, i, "caught", &[]), (Ok(7), 3));
    assert_eq!(call(&mut s, i, "second_clause", &[]).0, Ok(13));
    assert_eq!(call(&mut s, i, "catch_all", &[]), (Ok(42), 3));
    assert_eq!(call(&mut s, i, "falls_through", &[]).0, Ok(1005));
}

#[test]
fn delegate_skips_the_handlers_inside_its_label() {
    let (mut s, i) = setup();
    assert_eq!(call(&mut s, i, "delegate", &[]).0, Ok(105));
    assert_eq!(call(&mut s, i, "delegate_to_caller", &[]).0, Ok(1009));
    assert_eq!(call(&mut s, i, "delegate_from_clause", &[]).0, Ok(21));
}

#[test]
fn rethrow_keeps_the_payload_and_counts_one_step() {
    let (mut s, i) = setup();
    // try, try, const, call, (local.get, throw in $throw), block,
    // rethrow; the outer clause nothing.
    assert_eq!(call(&mut s, i, "rethrow", &[]), (Ok(6), 8));
    // Through 50 frames of cleanups.
    assert_eq!(call(&mut s, i, "cleanups", &[50]).0, Ok(77));
    assert_eq!(call(&mut s, i, "rethrow_outer", &[]).0, Ok(32));
}

#[test]
fn an_exception_no_clause_takes_is_uncaught() {
    let (mut s, i) = setup();
    let (r, steps) = call(&mut s, i, "uncaught", &[]);
    let code = r.as_ref().err().and_then(|e| e.as_trap()).and_then(|t| t.code());
    assert_eq!(code, Some(TrapCode::UncaughtException), "{r:?}");
    assert_eq!(steps, 3);
}

#[test]
fn cleanups_do_not_exhaust_the_store() {
    // More throws through a rethrowing cleanup than a store holds live
    // exceptions at once.
    let (mut s, i) = setup();
    assert_eq!(call(&mut s, i, "many", &[100_000]).0, Ok(100_000));
}
