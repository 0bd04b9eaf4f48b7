//! Handlers pass control to each other by tail calls, which must compile to
//! jumps: a handler that made a real call would grow the native stack with
//! every op it runs (SIMD handlers included, also with debug assertions,
//! whose checks once kept their frames alive). Run a loop over most kinds of op many times on a thread
//! with a small stack; a handler that grows the stack overflows it.

use porta_interp::{Engine, Linker, Module, Store, Val};

const ITERATIONS: i32 = 100_000;

const MODULE: &str = r#"(module
  (memory 1 2)
  (table 2 funcref)
  (elem (i32.const 0) $sq $inc)
  (global $g (mut i64) (i64.const 0))
  (type $unary (func (param i32) (result i32)))
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $pair (param i32) (result i32 i32) (local.get 0) (i32.const 3))
  ;; Declared locals, zeroed on entry: 1, 3, 6, 12 and 20 cells.
  (func $l1 (param i32) (result i32) (local i32) (i32.add (local.get 0) (local.get 1)))
  (func $l3 (param i32) (result i32) (local i32 i64 f32) (i32.add (local.get 0) (local.get 1)))
  (func $l6 (param i32) (result i32) (local i32 i32 v128 i64 i64) (i32.add (local.get 0) (local.get 2)))
  (func $l12 (param i32) (result i32) (local v128 v128 v128 v128 i32 i32 i32 i32) (i32.add (local.get 0) (local.get 8)))
  (func $l20 (param i32) (result i32) (local v128 v128 v128 v128 v128 v128 v128 v128 i32 i32 i32 i32)
    (i32.add (local.get 0) (local.get 12)))
  (global $v (mut v128) (v128.const i64x2 1 2))
  (func (export "run") (param $n i32) (result i64)
    (local $i i32) (local $x i32) (local $f f64) (local $y i64) (local $v v128)
    (loop $top
      ;; SIMD, one instruction of each shape
      (local.set $v (i32x4.add (local.get $v) (i32x4.splat (local.get $i))))
      (local.set $v (v128.bitselect (local.get $v) (i8x16.abs (local.get $v)) (v128.const i64x2 -1 0)))
      (local.set $v (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31 (local.get $v) (f32x4.mul (local.get $v) (local.get $v))))
      (local.set $v (i16x8.shl (local.get $v) (local.get $i)))
      (local.set $v (i32x4.replace_lane 2 (local.get $v) (i32x4.extract_lane 1 (local.get $v))))
      (local.set $x (i32.add (local.get $x) (i8x16.bitmask (local.get $v))))
      (v128.store (i32.const 512) (local.get $v))
      (local.set $v (v128.load16_lane 3 (i32.const 520) (v128.load32x2_u (i32.const 512))))
      (v128.store8_lane 5 (i32.const 540) (local.get $v))
      (local.set $v (select (local.get $v) (global.get $v) (i32.and (local.get $i) (i32.const 1))))
      (global.set $v (i64x2.add (global.get $v) (local.get $v)))
      ;; integer arithmetic, compares, selects, conversions
      (local.set $x (i32.xor (i32.mul (local.get $i) (i32.const 7)) (i32.shr_u (local.get $i) (i32.const 2))))
      (local.set $x (i32.add (local.get $x) (i32.rotl (local.get $x) (local.get $i))))
      (local.set $x (select (local.get $x) (i32.const 5) (i32.lt_s (local.get $x) (local.get $n))))
      (local.set $x (i32.add (local.get $x) (i32.div_u (local.get $x) (i32.const 3))))
      (local.set $x (i32.add (local.get $x) (i32.rem_s (local.get $x) (i32.const 5))))
      (local.set $y (i64.add (i64.extend_i32_s (local.get $x)) (i64.mul (local.get $y) (i64.const 3))))
      (local.set $y (i64.rotr (local.get $y) (i64.const 7)))
      (local.set $x (i32.add (i32.add (local.get $x) (i32.clz (local.get $x))) (i32.popcnt (local.get $i))))
      (local.set $x (i32.extend8_s (local.get $x)))
      ;; floats
      (local.set $f (f64.add (local.get $f) (f64.convert_i32_s (local.get $x))))
      (local.set $f (f64.mul (f64.sqrt (f64.abs (local.get $f))) (f64.const 1.5)))
      (local.set $f (f64.min (local.get $f) (f64.promote_f32 (f32.demote_f64 (local.get $f)))))
      (local.set $x (i32.add (local.get $x) (i32.trunc_sat_f64_s (f64.floor (local.get $f)))))
      (local.set $x (i32.add (local.get $x) (i32.trunc_f32_u (f32.const 2.5))))
      ;; memory
      (i32.store (i32.const 16) (local.get $x))
      (i64.store offset=8 (i32.const 16) (local.get $y))
      (i32.store8 (i32.and (local.get $i) (i32.const 255)) (local.get $x))
      (f64.store (i32.const 64) (local.get $f))
      (local.set $x (i32.add (local.get $x) (i32.load8_u (i32.const 3))))
      (local.set $y (i64.add (local.get $y) (i64.load32_s offset=8 (i32.const 16))))
      (local.set $f (f64.add (local.get $f) (f64.load (i32.const 64))))
      (memory.fill (i32.const 128) (local.get $x) (i32.const 16))
      (memory.copy (i32.const 256) (i32.const 128) (i32.const 16))
      (local.set $x (i32.add (local.get $x) (memory.size)))
      (drop (memory.grow (i32.const 0)))
      ;; globals and tables
      (global.set $g (i64.add (global.get $g) (local.get $y)))
      (drop (table.size))
      (drop (ref.is_null (table.get (i32.const 1))))
      ;; calls: direct, indirect, multi-value (not to the host: a host call
      ;; leaves the handlers, which resets the native stack)
      (local.set $x (call $inc (local.get $x)))
      (local.set $x (call_indirect (type $unary) (local.get $x) (i32.and (local.get $i) (i32.const 1))))
      (local.set $x (i32.add (call $pair (local.get $x))))
      (local.set $x (call $l20 (call $l12 (call $l6 (call $l3 (call $l1 (local.get $x)))))))
      ;; branches
      (block $b2 (block $b1 (block $b0
        (br_table $b0 $b1 $b2 (i32.rem_u (local.get $i) (i32.const 3))))
        (local.set $x (i32.add (local.get $x) (i32.const 1))))
        (local.set $x (i32.sub (local.get $x) (i32.const 1))))
      (if (i32.eqz (i32.and (local.get $i) (i32.const 1)))
        (then (local.set $y (i64.xor (local.get $y) (i64.const 1))))
        (else (local.set $y (i64.sub (local.get $y) (i64.const 1)))))
      (local.set $y (i64.add (local.get $y) (i64.extend_i32_u (local.get $x))))
      (br_if $top (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i64.add (local.get $y) (global.get $g))))"#;

fn run(count_steps: bool) -> i64 {
    let engine = Engine::new(porta_interp::Config { count_steps, ..Default::default() });
    let module = Module::new(&engine, &wat::parse_str(MODULE).unwrap()).unwrap();
    let linker = Linker::new();
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let f = instance.get_func(&store, "run").unwrap();
    let mut out = [Val::I64(0)];
    f.call(&mut store, &[Val::I32(ITERATIONS)], &mut out).unwrap();
    match out[0] {
        Val::I64(v) => v,
        ref v => panic!("{v:?}"),
    }
}

#[test]
fn a_long_run_needs_no_native_stack() {
    // 256 KiB: a few thousand frames at most, against millions of ops.
    let on_small_stack = |count| std::thread::Builder::new().stack_size(256 << 10).spawn(move || run(count)).unwrap();
    let counted = on_small_stack(true).join().unwrap();
    let uncounted = on_small_stack(false).join().unwrap();
    assert_eq!(counted, uncounted);
}
