//! v128 through the engine as an embedder sees it: in params, results,
//! locals, globals, blocks and host calls; exact steps through SIMD code (a
//! limit inside a SIMD block, a trapping SIMD load, a lane store split in
//! two internally); canonical NaNs when asked for. The instructions'
//! semantics are the spec suite's job (`spectest`, the `simd` and
//! `relaxed-simd` folders).

use porta_interp::{Config, Engine, Error, FuncType, Linker, Module, Store, TrapCode, Val, ValType};

fn setup_with(config: Config, wat: &str) -> (Store<()>, porta_interp::Instance) {
    let engine = Engine::new(config);
    let bytes = wat::parse_str(wat).expect("test module parses");
    let module = Module::new(&engine, &bytes).expect("test module is valid");
    let mut linker = Linker::new();
    // Swaps the two halves of a v128, and adds an i32 to lane 0 of another.
    linker.func_new(
        "host",
        "swap",
        FuncType::new([ValType::V128, ValType::I32, ValType::V128], [ValType::V128, ValType::V128]),
        |_, a, r| {
            let (Val::V128(x), Val::I32(n), Val::V128(y)) = (a[0], a[1], a[2]) else { panic!("types") };
            r[0] = Val::V128(x.rotate_left(64));
            r[1] = Val::V128(y.wrapping_add(n as u32 as u128));
            Ok(())
        },
    );
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).expect("instantiates");
    (store, instance)
}

fn setup(wat: &str) -> (Store<()>, porta_interp::Instance) {
    setup_with(Config::default(), wat)
}

fn run(store: &mut Store<()>, inst: porta_interp::Instance, name: &str, args: &[Val]) -> (Result<Vec<Val>, Error>, u64) {
    let f = inst.get_func(store, name).expect("export exists");
    let mut results: Vec<Val> = f.ty(store).results().iter().map(|t| Val::default_for(*t)).collect();
    let before = store.steps();
    let out = f.call(store, args, &mut results).map(|_| results);
    (out, store.steps() - before)
}

fn trap_code(r: &Result<Vec<Val>, Error>) -> Option<TrapCode> {
    r.as_ref().err().and_then(|e| e.as_trap()).and_then(|t| t.code())
}

const LANES: u128 = 0x0000_0004_0000_0003_0000_0002_0000_0001;
/// 1 in each i32 lane.
const ONES: u128 = 0x0000_0001_0000_0001_0000_0001_0000_0001;

#[test]
fn v128_in_params_results_locals_globals_blocks_and_host_calls() {
    let (mut s, i) = setup(
        r#"(module
        (import "host" "swap" (func $swap (param v128 i32 v128) (result v128 v128)))
        (global $g (export "g") (mut v128) (v128.const i32x4 9 9 9 9))
        (func (export "id") (param v128) (result v128) local.get 0)
        (func (export "mixed") (param i32 v128 i64 v128) (result i64 v128 i32)
          (local $t v128)
          local.get 3
          local.set $t
          local.get 2
          local.get 1
          local.get $t
          i32x4.add
          local.get 0)
        (func (export "block") (param v128 v128) (result v128 v128)
          local.get 0
          local.get 1
          block (param v128 v128) (result v128 v128)
            br 0
          end)
        (func (export "global") (param v128) (result v128)
          global.get $g
          local.get 0
          global.set $g
          global.get $g
          i32x4.add)
        (func (export "host") (param v128 v128) (result v128 v128)
          local.get 0
          i32.const 5
          local.get 1
          call $swap)
        (func (export "select") (param v128 v128 i32) (result v128)
          local.get 0 local.get 1 local.get 2 select))"#,
    );
    let v = Val::V128(LANES);
    assert_eq!(run(&mut s, i, "id", &[v]).0.unwrap(), vec![v]);

    let args = [Val::I32(7), v, Val::I64(-1), Val::V128(ONES)];
    assert_eq!(run(&mut s, i, "mixed", &args).0.unwrap(), vec![Val::I64(-1), Val::V128(LANES + ONES), Val::I32(7)]);

    let w = Val::V128(u128::MAX - 3);
    assert_eq!(run(&mut s, i, "block", &[v, w]).0.unwrap(), vec![v, w]);

    let g = i.get_global(&s, "g").unwrap();
    // The initial value (9 in each lane) plus the one just set.
    assert_eq!(run(&mut s, i, "global", &[v]).0.unwrap(), vec![Val::V128(LANES + 9 * ONES)]);
    assert_eq!(g.get(&s), v);
    g.set(&mut s, Val::V128(1)).unwrap();
    assert_eq!(g.get(&s), Val::V128(1));

    let (r, _) = run(&mut s, i, "host", &[v, w]);
    assert_eq!(r.unwrap(), vec![Val::V128(LANES.rotate_left(64)), Val::V128((u128::MAX - 3).wrapping_add(5))]);

    assert_eq!(run(&mut s, i, "select", &[v, w, Val::I32(1)]).0.unwrap(), vec![v]);
    assert_eq!(run(&mut s, i, "select", &[v, w, Val::I32(0)]).0.unwrap(), vec![w]);
}

const BLOCK: &str = r#"(module (memory 1)
  (func (export "f") (param i32) (result i32)
    v128.const i32x4 1 2 3 4
    v128.const i32x4 10 20 30 40
    i32x4.add
    local.get 0
    i32x4.splat
    i32x4.mul
    i32x4.extract_lane 3))"#;

#[test]
fn every_simd_instruction_is_one_step_and_a_limit_inside_a_block_is_exact() {
    let (mut s, i) = setup(BLOCK);
    let (r, steps) = run(&mut s, i, "f", &[Val::I32(2)]);
    assert_eq!(r.unwrap(), vec![Val::I32(88)]);
    assert_eq!(steps, 7);
    for limit in 0..7 {
        s.set_step_limit(Some(s.steps() + limit));
        let (r, steps) = run(&mut s, i, "f", &[Val::I32(2)]);
        assert_eq!(trap_code(&r), Some(TrapCode::StepLimitExceeded), "limit {limit}");
        assert_eq!(steps, limit, "limit {limit}");
    }
    s.set_step_limit(None);
}

#[test]
fn a_trapping_simd_load_counts_itself_and_nothing_after() {
    let (mut s, i) = setup(
        r#"(module (memory 1)
        (func (export "load") (param i32) (result v128)
          nop
          local.get 0
          v128.load offset=8
          nop)
        (func (export "lane") (param i32) (result v128)
          local.get 0
          v128.const i64x2 0 0
          v128.load32_lane 1
          nop)
        (func (export "store_lane") (param i32)
          local.get 0
          v128.const i64x2 -1 -1
          v128.store16_lane offset=1 7
          nop))"#,
    );
    // 65536 - 8 - 16 + 8 is the last 16 bytes: fits; one more does not.
    let (r, steps) = run(&mut s, i, "load", &[Val::I32(65536 - 24)]);
    assert_eq!(r.unwrap(), vec![Val::V128(0)]);
    assert_eq!(steps, 4);
    let (r, steps) = run(&mut s, i, "load", &[Val::I32(65536 - 23)]);
    assert_eq!(trap_code(&r), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(steps, 3);

    let (r, steps) = run(&mut s, i, "lane", &[Val::I32(65533)]);
    assert_eq!(trap_code(&r), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(steps, 3);
    let (r, steps) = run(&mut s, i, "store_lane", &[Val::I32(65534)]);
    assert_eq!(trap_code(&r), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(steps, 3);
    // In bounds, a lane store writes its two bytes and counts one step.
    let (r, steps) = run(&mut s, i, "store_lane", &[Val::I32(65533)]);
    assert!(r.is_ok());
    assert_eq!(steps, 4);
    // The lane load reads the bytes the lane store wrote, into lane 1.
    let (r, steps) = run(&mut s, i, "lane", &[Val::I32(65532)]);
    assert_eq!(r.unwrap(), vec![Val::V128(0xffff_0000_0000_0000)]);
    assert_eq!(steps, 4);
}

#[test]
fn canonical_nans_when_configured() {
    let wat = r#"(module
      (func (export "simd") (result v128)
        v128.const i32x4 0x7fa00001 0xffc12345 0x3f800000 0
        v128.const f32x4 1 1 1 1
        f32x4.mul)
      (func (export "scalar") (param f64) (result f64)
        local.get 0
        f64.const 1
        f64.add)
      (func (export "neg") (param f32) (result f32)
        local.get 0
        f32.neg))"#;
    let (mut plain, i) = setup(wat);
    let canonical = Config { canonical_nans: true, ..Config::default() };
    let (mut det, j) = setup_with(canonical, wat);

    let (r, plain_steps) = run(&mut plain, i, "simd", &[]);
    let Val::V128(v) = r.unwrap()[0] else { panic!("v128") };
    assert_eq!(v >> 64, 0x3f80_0000, "lanes 2 and 3 are numbers");
    assert!(v as u32 & 0x7fc0_0000 == 0x7fc0_0000, "lane 0 is a quiet NaN");
    let (r, det_steps) = run(&mut det, j, "simd", &[]);
    assert_eq!(r.unwrap(), vec![Val::V128(0x3f80_0000 << 64 | 0x7fc0_0000_7fc0_0000)]);
    assert_eq!(plain_steps, det_steps, "canonicalising costs no step");

    let nan = Val::F64(0xfff8_0000_dead_beef);
    assert_eq!(run(&mut det, j, "scalar", &[nan]).0.unwrap(), vec![Val::F64(0x7ff8_0000_0000_0000)]);
    assert_eq!(run(&mut det, j, "scalar", &[Val::f64(2.0)]).0.unwrap(), vec![Val::f64(3.0)]);
    // Sign operations move bits and keep the payload.
    assert_eq!(run(&mut det, j, "neg", &[Val::F32(0x7fc0_0001)]).0.unwrap(), vec![Val::F32(0xffc0_0001)]);
}
