//! Typed function references: `call_ref`, `return_call_ref`,
//! `ref.as_non_null`, `br_on_null`, `br_on_non_null`, non-nullable locals
//! and table initialisers. Each instruction counts one step (SPEC §2.1),
//! a null traps with its own name, and typed references cross the
//! embedder API with their signature checked.

mod common;
use common::call;
use porta_interp::{Error, Store, TrapCode, Val};

const MODULE: &str = r#"(module
  (type $binop (func (param i32 i32) (result i32)))
  (type $count (func (param i32 i32) (result i32)))
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (elem declare func $add $sub $down)
  ;; A table of non-null references must say what its slots start as.
  (table $ops 2 (ref $binop) (ref.func $sub))
  (global $op (mut (ref null $binop)) (ref.null $binop))

  ;; 3 steps for the operands and the call, 3 in $add.
  (func (export "apply") (param i32 i32) (result i32)
    (call_ref $binop (local.get 0) (local.get 1) (ref.func $add)))
  (func (export "apply_table") (param i32 i32 i32) (result i32)
    (call_ref $binop (local.get 0) (local.get 1) (table.get $ops (local.get 2))))
  (func (export "apply_global") (param i32 i32) (result i32)
    (call_ref $binop (local.get 0) (local.get 1) (global.get $op)))
  (func (export "set_global") (global.set $op (ref.func $sub)))
  (func (export "take") (param (ref $binop)) (result i32)
    (call_ref $binop (i32.const 1) (i32.const 1) (local.get 0)))
  (func (export "exported_ref") (result (ref $binop)) (ref.func $add))

  ;; A countdown of tail calls through a reference.
  (func $down (export "down") (type $count)
    (if (result i32) (i32.eqz (local.get 0))
      (then (local.get 1))
      (else (return_call_ref $count
        (i32.sub (local.get 0) (i32.const 1))
        (i32.add (local.get 1) (i32.const 1))
        (ref.func $down)))))

  ;; 1 when the global is null, else the function's result on 8 and 2.
  (func (export "on_null") (result i32)
    (block $null
      (return (call_ref $binop (i32.const 8) (i32.const 2) (br_on_null $null (global.get $op)))))
    (i32.const -1))
  (func (export "on_non_null") (result i32) (local $f (ref null $binop))
    (block $some (result (ref $binop))
      (br_on_non_null $some (global.get $op))
      (return (i32.const -1)))
    (local.set $f)
    (call_ref $binop (i32.const 8) (i32.const 2) (local.get $f)))
  (func (export "as_non_null") (result i32)
    (local $f (ref $binop))
    (local.set $f (ref.as_non_null (global.get $op)))
    (call_ref $binop (i32.const 8) (i32.const 2) (local.get $f))))"#;

fn setup() -> (Store<()>, porta_interp::Instance) {
    common::instantiate(MODULE)
}


fn trap(r: &Result<i32, Error>) -> Option<TrapCode> {
    r.as_ref().err().and_then(|e| e.as_trap()).and_then(|t| t.code())
}

#[test]
fn call_ref_calls_and_counts_one_step() {
    let (mut s, i) = setup();
    // local.get, local.get, ref.func, call_ref; then $add's three.
    assert_eq!(call(&mut s, i, "apply", &[5, 7]), (Ok(12), 7));
    // The table starts as its initialiser says.
    assert_eq!(call(&mut s, i, "apply_table", &[5, 7, 1]).0, Ok(-2));
}

#[test]
fn a_null_reference_traps_with_its_name_and_exact_steps() {
    let (mut s, i) = setup();
    let (r, steps) = call(&mut s, i, "apply_global", &[1, 2]);
    assert_eq!(trap(&r), Some(TrapCode::NullFunctionReference), "{r:?}");
    assert_eq!(steps, 4, "the trapping call_ref counts");
    let (r, steps) = call(&mut s, i, "as_non_null", &[]);
    assert_eq!(trap(&r), Some(TrapCode::NullReference), "{r:?}");
    assert_eq!(steps, 2);
    assert_eq!(trap(&r).unwrap().message(), "null reference");
}

#[test]
fn br_on_null_and_br_on_non_null_branch_on_the_reference() {
    let (mut s, i) = setup();
    // Null: block, 2 consts, global.get, br_on_null (taken), i32.const.
    assert_eq!(call(&mut s, i, "on_null", &[]), (Ok(-1), 6));
    // Null: block, global.get, br_on_non_null (not taken), i32.const, return.
    assert_eq!(call(&mut s, i, "on_non_null", &[]), (Ok(-1), 5));
    i.get_func(&s, "set_global").unwrap().call(&mut s, &[], &mut []).unwrap();
    // block, 2 consts, global.get, br_on_null, call_ref, return; $sub's three.
    assert_eq!(call(&mut s, i, "on_null", &[]), (Ok(6), 10));
    // block, global.get, br_on_non_null (taken), local.set, 2 consts,
    // local.get, call_ref; $sub's three.
    assert_eq!(call(&mut s, i, "on_non_null", &[]), (Ok(6), 11));
    assert_eq!(call(&mut s, i, "as_non_null", &[]).0, Ok(6));
}

#[test]
fn return_call_ref_runs_a_long_chain_in_constant_frames() {
    let (mut s, i) = setup();
    let (r, steps) = call(&mut s, i, "down", &[100_000, 0]);
    assert_eq!(r, Ok(100_000));
    // Per round: local.get, i32.eqz, if, 2 x (local.get, i32.const, op),
    // ref.func, return_call_ref = 11; the last round 4.
    assert_eq!(steps, 100_000 * 11 + 4);
}

#[test]
fn typed_references_cross_the_api_with_their_signature_checked() {
    let (mut s, i) = setup();
    let mut out = [Val::FuncRef(None)];
    i.get_func(&s, "exported_ref").unwrap().call(&mut s, &[], &mut out).unwrap();
    let Val::FuncRef(Some(add)) = out[0] else { panic!("{:?}", out[0]) };
    let take = i.get_func(&s, "take").unwrap();
    let mut r = [Val::I32(0)];
    take.call(&mut s, &[Val::FuncRef(Some(add))], &mut r).unwrap();
    assert_eq!(r[0], Val::I32(2));
    // $count is declared apart but is the same signature: it matches.
    let down = i.get_func(&s, "down").unwrap();
    take.call(&mut s, &[Val::FuncRef(Some(down))], &mut r).unwrap();
    assert_eq!(r[0], Val::I32(2), "down(1, 1) is down(0, 2)");
    // A null, or a function of another signature, is refused before the call.
    let set = i.get_func(&s, "set_global").unwrap();
    for bad in [Val::FuncRef(None), Val::FuncRef(Some(set))] {
        let e = take.call(&mut s, &[bad], &mut r).unwrap_err();
        assert!(e.to_string().contains("but the function takes (ref"), "{e}");
    }
}
