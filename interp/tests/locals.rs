//! A function's declared locals start at zero (the spec's default values),
//! whatever the cells of its frame held before: a call reuses the cells of
//! earlier frames at the same depth, and a tail call those of its caller.
//! Zeroing them is an op of its own at the function's start, which counts
//! no step, over the locals that some path reads before writing them.

mod common;
use common::{call, instantiate};

/// `$dirty` leaves its locals (and the operand cells above them) non-zero;
/// each `$check_*` then runs in a frame at the same place and returns 0
/// only if every declared local it reads is zero. `$wide` has more cells
/// than are zeroed one by one.
const MODULE: &str = r#"(module
  (type $check (func (param i32) (result i32)))
  (table funcref (elem $check_few $check_wide))
  (func $dirty (param $x i32) (result i32)
    (local $a i32) (local $b i64) (local $c f64) (local $d v128)
    (local $e i32) (local $f i32) (local $g i32) (local $h i32)
    (local $i i32) (local $j i32) (local $k i32) (local $l i32)
    (local $m i32) (local $n i32) (local $o i32) (local $p i32)
    (local $q i32) (local $r i32) (local $s i32) (local $t i32)
    (local.set $a (local.get $x)) (local.set $b (i64.extend_i32_u (local.get $x)))
    (local.set $c (f64.convert_i32_u (local.get $x))) (local.set $d (i32x4.splat (local.get $x)))
    (local.set $e (local.get $x)) (local.set $f (local.get $x)) (local.set $g (local.get $x))
    (local.set $h (local.get $x)) (local.set $i (local.get $x)) (local.set $j (local.get $x))
    (local.set $k (local.get $x)) (local.set $l (local.get $x)) (local.set $m (local.get $x))
    (local.set $n (local.get $x)) (local.set $o (local.get $x)) (local.set $p (local.get $x))
    (local.set $q (local.get $x)) (local.set $r (local.get $x)) (local.set $s (local.get $x))
    (local.set $t (local.get $x))
    (local.get $x))
  ;; Non-zero when any declared local is: a, b, c, then the lanes of d.
  (func $check_few (param $x i32) (result i32)
    (local $a i32) (local $b i64) (local $c f64) (local $d v128)
    (i32.or
      (i32.or (local.get $a) (i32.wrap_i64 (local.get $b)))
      (i32.or (i32.trunc_f64_u (local.get $c))
              (i32.or (i32x4.extract_lane 0 (local.get $d)) (i32x4.extract_lane 3 (local.get $d))))))
  ;; 22 cells of locals.
  (func $check_wide (param $x i32) (result i32)
    (local $a i32) (local $b i64) (local $c f64) (local $d v128)
    (local $e i32) (local $f i32) (local $g i32) (local $h i32)
    (local $i i32) (local $j i32) (local $k i32) (local $l i32)
    (local $m i32) (local $n i32) (local $o i32) (local $p i32)
    (local $q i32) (local $r i32) (local $s i32) (local $t i32)
    (i32.or (i32.or (i32.or (local.get $a) (local.get $e)) (i32.or (local.get $j) (local.get $p)))
            (i32.or (local.get $t) (i32.or (i32x4.extract_lane 2 (local.get $d)) (i32.wrap_i64 (local.get $b))))))
  (func (export "call_few") (result i32)
    (drop (call $dirty (i32.const 7))) (call $check_few (i32.const 0)))
  (func (export "call_wide") (result i32)
    (drop (call $dirty (i32.const 7))) (call $check_wide (i32.const 0)))
  (func (export "indirect") (param $which i32) (result i32)
    (drop (call $dirty (i32.const 7))) (call_indirect (type $check) (i32.const 0) (local.get $which)))
  ;; The caller's own locals are dirty when it tail-calls.
  (func (export "tail_few") (result i32) (local $a i32) (local $b i64) (local $c f64) (local $d v128)
    (local.set $a (i32.const 9)) (local.set $b (i64.const 9)) (local.set $c (f64.const 9))
    (local.set $d (i32x4.splat (i32.const 9)))
    (return_call $check_few (local.get $a)))
  (func (export "tail_wide") (result i32)
    (drop (call $dirty (i32.const 7)))
    (return_call $dirty_then_wide (i32.const 5)))
  (func $dirty_then_wide (param $x i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local.set $a (local.get $x)) (local.set $b (local.get $x))
    (local.set $c (local.get $x)) (local.set $d (local.get $x))
    (return_call_indirect (type $check) (local.get $a) (i32.const 1)))
  ;; The same body with and without locals, for the step counts.
  (func (export "with_locals") (param $x i32) (result i32) (local i64 i64 i64)
    (i32.add (local.get $x) (i32.const 1)))
  (func (export "without_locals") (param $x i32) (result i32)
    (i32.add (local.get $x) (i32.const 1)))
  ;; Recursion: every level's locals start at zero though the level below
  ;; set its own.
  (func $down (export "down") (param $n i32) (result i32) (local $seen i32)
    (local.set $seen (i32.add (local.get $seen) (i32.const 1)))
    (if (result i32) (i32.eqz (local.get $n))
      (then (local.get $seen))
      (else (i32.add (local.get $seen) (call $down (i32.sub (local.get $n) (i32.const 1))))))))"#;

#[test]
fn a_call_finds_its_locals_zero() {
    let (mut s, i) = instantiate(MODULE);
    for name in ["call_few", "call_wide", "tail_few", "tail_wide"] {
        assert_eq!(call(&mut s, i, name, &[]).0.unwrap(), 0, "{name}");
    }
    for which in [0, 1] {
        assert_eq!(call(&mut s, i, "indirect", &[which]).0.unwrap(), 0, "indirect {which}");
    }
    // 1 at each of the 11 levels.
    assert_eq!(call(&mut s, i, "down", &[10]).0.unwrap(), 11);
}

#[test]
fn zeroing_locals_counts_no_step() {
    let (mut s, i) = instantiate(MODULE);
    let (with, with_steps) = call(&mut s, i, "with_locals", &[4]);
    let (without, without_steps) = call(&mut s, i, "without_locals", &[4]);
    assert_eq!((with.unwrap(), without.unwrap()), (5, 5));
    // local.get, i32.const, i32.add
    assert_eq!((with_steps, without_steps), (3, 3));
}

/// Only locals that some path reads before writing are zeroed; each
/// `$path_*` runs where `$dirty` left 7 in every cell, writes `$a` on some
/// paths only, and returns `$a`: 0 where no write happened.
const PATHS: &str = r#"(module
  (tag $e)
  (func $dirty (param $x i32) (result i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32)
    (local.set $a (local.get $x)) (local.set $b (local.get $x))
    (local.set $c (local.get $x)) (local.set $d (local.get $x))
    (local.get $x))
  (func $if (param $p i32) (result i32) (local $a i32)
    (if (local.get $p) (then (local.set $a (i32.const 5))))
    (local.get $a))
  (func $if_else (param $p i32) (result i32) (local $a i32)
    (if (local.get $p) (then (local.set $a (i32.const 5))) (else (nop)))
    (local.get $a))
  (func $br_if (param $p i32) (result i32) (local $a i32)
    (block (br_if 0 (local.get $p)) (local.set $a (i32.const 5)))
    (local.get $a))
  (func $br_table (param $p i32) (result i32) (local $a i32)
    (block (block (br_table 0 1 (local.get $p))) (local.set $a (i32.const 5)))
    (local.get $a))
  ;; Reads $a, then writes it: p iterations sum 0 + 5 + 5 ...
  (func $loop (param $p i32) (result i32) (local $a i32) (local $r i32)
    (loop
      (local.set $r (i32.add (local.get $r) (local.get $a)))
      (local.set $a (i32.const 5))
      (br_if 0 (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
    (local.get $r))
  (func $return (param $p i32) (result i32) (local $a i32)
    (if (local.get $p) (then (return (local.get $a))))
    (local.set $a (i32.const 5))
    (local.get $a))
  (func $try_table (param $p i32) (result i32) (local $a i32)
    (block $out (result i32)
      (block $h
        (try_table (catch_all $h)
          (if (local.get $p) (then (throw $e)))
          (local.set $a (i32.const 5)))
        (br $out (local.get $a)))
      (local.get $a)))
  (func $try (param $p i32) (result i32) (local $a i32)
    try
      (if (local.get $p) (then (throw $e)))
      (local.set $a (i32.const 5))
    catch_all
    end
    (local.get $a))
  ;; The write is unreachable.
  (func $dead (param $p i32) (result i32) (local $a i32)
    (block (br 0) (local.set $a (i32.const 5)))
    (local.get $a))
  (func (export "if") (param i32) (result i32) (drop (call $dirty (i32.const 7))) (call $if (local.get 0)))
  (func (export "if_else") (param i32) (result i32) (drop (call $dirty (i32.const 7))) (call $if_else (local.get 0)))
  (func (export "br_if") (param i32) (result i32) (drop (call $dirty (i32.const 7))) (call $br_if (local.get 0)))
  (func (export "br_table") (param i32) (result i32) (drop (call $dirty (i32.const 7))) (call $br_table (local.get 0)))
  (func (export "loop") (param i32) (result i32) (drop (call $dirty (i32.const 7))) (call $loop (local.get 0)))
  (func (export "return") (param i32) (result i32) (drop (call $dirty (i32.const 7))) (call $return (local.get 0)))
  (func (export "try_table") (param i32) (result i32) (drop (call $dirty (i32.const 7))) (call $try_table (local.get 0)))
  (func (export "try") (param i32) (result i32) (drop (call $dirty (i32.const 7))) (call $try (local.get 0)))
  (func (export "dead") (param i32) (result i32) (drop (call $dirty (i32.const 7))) (call $dead (local.get 0))))"#;

#[test]
fn a_local_written_on_some_paths_reads_zero_on_the_others() {
    let (mut s, i) = instantiate(PATHS);
    let cases: [(&str, i32, i32); 17] = [
        ("if", 0, 0),
        ("if", 1, 5),
        ("if_else", 0, 0),
        ("if_else", 1, 5),
        ("br_if", 1, 0),
        ("br_if", 0, 5),
        ("br_table", 1, 0),
        ("br_table", 0, 5),
        ("loop", 1, 0),
        ("loop", 3, 10),
        ("return", 1, 0),
        ("return", 0, 5),
        ("try_table", 1, 0),
        ("try_table", 0, 5),
        ("try", 1, 0),
        ("try", 0, 5),
        ("dead", 0, 0),
    ];
    for (name, p, expected) in cases {
        assert_eq!(call(&mut s, i, name, &[p]).0.unwrap(), expected, "{name}({p})");
    }
}
