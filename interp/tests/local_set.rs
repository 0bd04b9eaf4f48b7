//! A `local.set` (or `local.tee`) of a value the instruction before it just
//! computed makes that instruction write the local itself, with no copy
//! (`Translator::local_set`): any op with one result, `select` included,
//! and also when `local.get`s of the same local are still on the operand
//! stack: those take the local's old value in their own slots first. The
//! results, the step totals and the translated code (no `Copy` left) are
//! checked.

mod common;
use common::{call, instantiate};

/// Each export computes the same thing as `$plain`, which keeps every
/// value in a fresh local.
const WAT: &str = r#"(module
  ;; select, both operands in the frame.
  (func (export "select") (param $c i32) (param $a i32) (result i32) (local $x i32)
    (local.set $x (select (local.get $a) (i32.add (local.get $a) (i32.const 5)) (local.get $c)))
    (local.get $x))
  ;; select with a constant first operand.
  (func (export "select_imm") (param $c i32) (param $a i32) (result i32) (local $x i32)
    (local.set $x (select (i32.const -1) (local.get $a) (local.get $c)))
    (local.get $x))
  ;; A saturating add, as clang emits it: the local's old value is still
  ;; on the stack (twice) when the select writes it.
  (func (export "lazy") (param $c i32) (param $a i32) (result i32)
    (local.get $a)
    (local.get $a)
    (local.set $a (select (i32.const -1) (i32.add (local.get $a) (local.get $c))
                          (i32.lt_u (i32.add (local.get $a) (local.get $c)) (local.get $a))))
    (i32.add)
    (i32.mul (local.get $a)))
  ;; The same with a plain add and a tee.
  (func (export "lazy_tee") (param $c i32) (param $a i32) (result i32)
    (local.get $a)
    (local.tee $a (i32.add (local.get $a) (local.get $c)))
    (i32.sub))
  (func (export "plain") (param $c i32) (param $a i32) (result i32) (local $old i32) (local $new i32)
    (local.set $old (local.get $a))
    (local.set $new (select (i32.const -1) (i32.add (local.get $a) (local.get $c))
                            (i32.lt_u (i32.add (local.get $a) (local.get $c)) (local.get $a))))
    (i32.mul (i32.add (local.get $old) (local.get $old)) (local.get $new))))"#;

#[test]
fn the_op_before_writes_the_local() {
    let (mut s, i) = instantiate(WAT);
    for (c, a) in [(0, 7), (1, 7), (5, -3), (-1, 2), (3, i32::MAX), (1, -1)] {
        assert_eq!(call(&mut s, i, "select", &[c, a]), (Ok(if c != 0 { a } else { a.wrapping_add(5) }), 8));
        assert_eq!(call(&mut s, i, "select_imm", &[c, a]), (Ok(if c != 0 { -1 } else { a }), 6));
        let sum = (a as u32).wrapping_add(c as u32);
        let new = if sum < a as u32 { u32::MAX } else { sum } as i32;
        assert_eq!(call(&mut s, i, "plain", &[c, a]).0, Ok(a.wrapping_add(a).wrapping_mul(new)), "c {c} a {a}");
        assert_eq!(call(&mut s, i, "lazy", &[c, a]), (Ok(a.wrapping_add(a).wrapping_mul(new)), 16), "c {c} a {a}");
        assert_eq!(call(&mut s, i, "lazy_tee", &[c, a]), (Ok(a.wrapping_sub(a.wrapping_add(c))), 6), "c {c} a {a}");
    }
}

#[test]
fn no_copy_is_left_where_the_op_can_write_the_local() {
    let engine = porta_interp::Engine::default();
    let module = porta_interp::Module::new(&engine, &wat::parse_str(WAT).unwrap()).unwrap();
    for (index, copies) in [(0, 0), (1, 0), (2, 2), (3, 1)] {
        let code = module.dump_translation(index).unwrap();
        // Only the lazy copies of the old value: one for each `local.get`
        // still on the stack.
        assert_eq!(code.matches("Copy").count(), copies, "function {index}\n{code}");
    }
}
