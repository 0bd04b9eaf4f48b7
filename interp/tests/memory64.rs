//! memory64 and table64: i64 addresses and offsets checked without
//! overflow (an access at 2^64 - 1 or past 2^32 traps, it never wraps into
//! the memory), i64 sizes and growth, bulk operations and segments, memories
//! past 4 GiB, 64-bit tables, and exact steps around the internal ops that
//! narrow a memory to an access.

use porta_interp::{Engine, Error, Module, Store, StoreLimits, TrapCode, Val};

const MEMORY: &str = r#"(module
  (memory $m i64 1 4)
  (memory $n i64 1)
  (data (memory $m) (i64.const 16) "\2a\2b")
  (func (export "load") (param i64) (result i64) (i64.load8_u (local.get 0)))
  (func (export "load_far") (param i64) (result i64) (i64.load8_u offset=4294967296 (local.get 0)))
  (func (export "load_top") (param i64) (result i64) (i64.load8_u offset=18446744073709551615 (local.get 0)))
  (func (export "store") (param i64 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "load64") (param i64) (result i64) (i64.load offset=8 (local.get 0)))
  (func (export "load_n") (param i64) (result i64) (i64.load8_u $n (local.get 0)))
  (func (export "store_n") (param i64 i64) (i64.store8 $n (local.get 0) (local.get 1)))
  (func (export "simd") (param i64) (result i64)
    (i64x2.extract_lane 1 (v128.load offset=1 (local.get 0))))
  (func (export "lane") (param i64) (result i64)
    (i64x2.extract_lane 0 (v128.load64_lane 0 (local.get 0) (v128.const i64x2 0 0))))
  (func (export "size") (result i64) (memory.size))
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
  (func (export "fill") (param i64 i64 i64) (memory.fill (local.get 0) (i32.wrap_i64 (local.get 1)) (local.get 2)))
  (func (export "copy") (param i64 i64 i64) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy_to_n") (param i64 i64 i64) (memory.copy $n $m (local.get 0) (local.get 1) (local.get 2)))
  ;; Copies the segment's two bytes from offset i32 into $m at i64 d.
  (data $seg "\07\08")
  (func (export "init") (param i64 i64)
    (memory.init $seg (local.get 0) (i32.wrap_i64 (local.get 1)) (i32.const 2))))"#;

fn instantiate(wat: &str, limits: StoreLimits) -> (Store<()>, porta_interp::Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    store.set_limits(limits);
    let instance = porta_interp::Linker::new().instantiate(&mut store, &module).unwrap();
    (store, instance)
}

fn call(s: &mut Store<()>, i: porta_interp::Instance, name: &str, args: &[i64]) -> (Result<i64, Error>, u64) {
    let f = i.get_func(s, name).unwrap_or_else(|| panic!("no export {name}"));
    let args: Vec<Val> = args.iter().map(|&a| Val::I64(a)).collect();
    let mut out = vec![Val::I64(0); f.ty(s).results().len()];
    let before = s.steps();
    let r = f.call(s, &args, &mut out).map(|_| match out.first() {
        Some(Val::I64(v)) => *v,
        Some(Val::I32(v)) => *v as i64,
        None => 0,
        Some(v) => panic!("{v:?}"),
    });
    (r, s.steps() - before)
}

fn ok(s: &mut Store<()>, i: porta_interp::Instance, name: &str, args: &[i64]) -> i64 {
    call(s, i, name, args).0.unwrap_or_else(|e| panic!("{name}{args:?}: {e}"))
}

fn trap(s: &mut Store<()>, i: porta_interp::Instance, name: &str, args: &[i64]) -> TrapCode {
    let (r, _) = call(s, i, name, args);
    let e = r.expect_err(&format!("{name}{args:?} should trap"));
    e.as_trap().and_then(|t| t.code()).unwrap_or_else(|| panic!("{name}: not a trap: {e}"))
}

const OOB: TrapCode = TrapCode::MemoryOutOfBounds;

#[test]
fn addresses_are_64_bit_and_never_wrap() {
    let (mut s, i) = instantiate(MEMORY, StoreLimits::default());
    assert_eq!(ok(&mut s, i, "load", &[16]), 0x2a, "the data segment's i64 offset");
    ok(&mut s, i, "store", &[65528, -1]);
    assert_eq!(ok(&mut s, i, "load", &[65535]), 0xff);
    // Past the end, with high bits that a 32-bit address would drop, and
    // where address plus offset overflows 64 bits.
    assert_eq!(trap(&mut s, i, "store", &[65529, 0]), OOB);
    assert_eq!(trap(&mut s, i, "load", &[1 << 32]), OOB);
    assert_eq!(trap(&mut s, i, "load", &[(1 << 32) + 16]), OOB);
    assert_eq!(trap(&mut s, i, "load", &[-1]), OOB);
    assert_eq!(trap(&mut s, i, "load_far", &[0]), OOB, "an offset of 2^32");
    assert_eq!(trap(&mut s, i, "load_top", &[0]), OOB, "an offset of 2^64 - 1");
    assert_eq!(trap(&mut s, i, "load_top", &[1]), OOB, "address + offset overflows");
    assert_eq!(trap(&mut s, i, "load64", &[65528]), OOB, "the offset counts");
    assert_eq!(ok(&mut s, i, "load64", &[65520]), -1);
    // SIMD accesses take the same path.
    assert_eq!(ok(&mut s, i, "simd", &[65519]), -1);
    assert_eq!(trap(&mut s, i, "simd", &[65520]), OOB);
    assert_eq!(ok(&mut s, i, "lane", &[65528]), -1);
    assert_eq!(trap(&mut s, i, "lane", &[65529]), OOB);
    assert_eq!(trap(&mut s, i, "lane", &[-8]), OOB);
}

#[test]
fn each_64_bit_memory_keeps_its_own_bounds() {
    let (mut s, i) = instantiate(MEMORY, StoreLimits::default());
    ok(&mut s, i, "store_n", &[7, 9]);
    assert_eq!(ok(&mut s, i, "load_n", &[7]), 9);
    assert_eq!(ok(&mut s, i, "load", &[7]), 0, "the store went to $n");
    assert_eq!(trap(&mut s, i, "load_n", &[65536]), OOB);
    // After a trap inside the narrowed memory, the next access sees all of it.
    assert_eq!(ok(&mut s, i, "load", &[17]), 0x2b);
}

#[test]
fn size_grow_and_bulk_operations_take_i64() {
    let (mut s, i) = instantiate(MEMORY, StoreLimits::default());
    assert_eq!(ok(&mut s, i, "size", &[]), 1);
    assert_eq!(ok(&mut s, i, "grow", &[1 << 32]), -1, "a delta past 32 bits fails as an i64 -1");
    assert_eq!(ok(&mut s, i, "grow", &[4]), -1, "past the maximum of 4");
    assert_eq!(ok(&mut s, i, "grow", &[1]), 1);
    assert_eq!(ok(&mut s, i, "size", &[]), 2);
    ok(&mut s, i, "fill", &[131070, 0x55, 2]);
    assert_eq!(ok(&mut s, i, "load", &[131071]), 0x55);
    assert_eq!(trap(&mut s, i, "fill", &[131070, 0, 3]), OOB);
    assert_eq!(trap(&mut s, i, "fill", &[1 << 32, 0, 0]), OOB, "an empty fill past the end traps");
    assert_eq!(trap(&mut s, i, "fill", &[1, 0, -1]), OOB, "dst + len overflows");
    ok(&mut s, i, "copy", &[100, 16, 2]);
    assert_eq!(ok(&mut s, i, "load", &[101]), 0x2b);
    assert_eq!(trap(&mut s, i, "copy", &[0, (1 << 32) + 16, 1]), OOB);
    ok(&mut s, i, "copy_to_n", &[3, 16, 2]);
    assert_eq!(ok(&mut s, i, "load_n", &[4]), 0x2b);
    assert_eq!(trap(&mut s, i, "copy_to_n", &[65535, 16, 2]), OOB);
    ok(&mut s, i, "init", &[131070, 0]);
    assert_eq!(ok(&mut s, i, "load", &[131071]), 8);
    assert_eq!(trap(&mut s, i, "init", &[(1 << 32) | 5, 0]), OOB);
}

#[test]
fn a_memory_past_4_gib_is_addressed_whole() {
    // 65537 pages: one page past 4 GiB, committed only where touched.
    let wat = r#"(module (memory i64 65537 65537)
      (func (export "store") (param i64 i64) (i64.store (local.get 0) (local.get 1)))
      (func (export "load") (param i64) (result i64) (i64.load (local.get 0))))"#;
    let limits = StoreLimits { max_memory_pages: 65537, ..StoreLimits::default() };
    let (mut s, i) = instantiate(wat, limits);
    let top = (65537i64 << 16) - 8;
    ok(&mut s, i, "store", &[1 << 32, 7]);
    ok(&mut s, i, "store", &[top, 9]);
    assert_eq!(ok(&mut s, i, "load", &[1 << 32]), 7);
    assert_eq!(ok(&mut s, i, "load", &[0]), 0, "2^32 did not wrap to 0");
    assert_eq!(ok(&mut s, i, "load", &[top]), 9);
    assert_eq!(trap(&mut s, i, "load", &[top + 1]), OOB);
}

#[test]
fn a_memory_past_the_store_limit_is_refused_with_the_numbers() {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str("(module (memory i64 70000))").unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let e = porta_interp::Linker::new().instantiate(&mut store, &module).unwrap_err().to_string();
    assert!(e.contains("70000 pages") && e.contains("65536"), "{e}");
}

#[test]
fn narrowing_a_memory_costs_no_steps_wherever_the_limit_falls() {
    let wat = r#"(module (memory i64 1)
      (func (export "f") (param i64) (result i64)
        (i64.store offset=8 (local.get 0) (i64.const 5))
        (i64.add (i64.load offset=8 (local.get 0)) (i64.load (i64.const 0)))))"#;
    let (mut s, i) = instantiate(wat, StoreLimits::default());
    // local.get, i64.const, i64.store; local.get, i64.load; i64.const,
    // i64.load; i64.add.
    let total = 8;
    assert_eq!(call(&mut s, i, "f", &[0]), (Ok(5), total));
    for limit in 0..=total {
        s.set_step_limit(Some(s.steps() + limit));
        let (r, steps) = call(&mut s, i, "f", &[16]);
        match limit < total {
            true => assert_eq!(r.unwrap_err().as_trap().and_then(|t| t.code()), Some(TrapCode::StepLimitExceeded)),
            false => assert_eq!(r.unwrap(), 5),
        }
        assert_eq!(steps, limit, "limit {limit}");
        s.set_step_limit(None);
        assert_eq!(ok(&mut s, i, "f", &[0]), 5, "the whole memory is back after limit {limit}");
    }
    // A trapping access counts: local.get, i64.const, the store.
    let (r, steps) = call(&mut s, i, "f", &[65529]);
    assert_eq!((r.unwrap_err().as_trap().and_then(|t| t.code()), steps), (Some(OOB), 3));
}

const TABLE: &str = r#"(module
  (type $r (func (result i32)))
  (table $t i64 3 10 funcref)
  (table $u 2 funcref)
  (elem (table $t) (i64.const 1) func $seven)
  (elem $e func $seven $eight)
  (func $seven (result i32) (i32.const 7))
  (func $eight (result i32) (i32.const 8))
  (func (export "call") (param i64) (result i32) (call_indirect $t (type $r) (local.get 0)))
  (func (export "is_null") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "set") (param i64) (table.set $t (local.get 0) (ref.func $eight)))
  (func (export "size") (result i64) (table.size $t))
  (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "fill") (param i64 i64) (table.fill $t (local.get 0) (ref.func $seven) (local.get 1)))
  (func (export "init") (param i64) (table.init $t $e (local.get 0) (i32.const 0) (i32.const 2)))
  ;; From 32-bit $u into 64-bit $t: an i64 destination, i32 source and length.
  (func (export "copy_in") (param i64 i32 i32) (table.copy $t $u (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i64 i64 i64) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2))))"#;

fn call_i(s: &mut Store<()>, i: porta_interp::Instance, name: &str, args: &[Val]) -> Result<i64, TrapCode> {
    let f = i.get_func(s, name).unwrap();
    let mut out = vec![Val::I64(0); f.ty(s).results().len()];
    f.call(s, args, &mut out).map_err(|e| e.as_trap().and_then(|t| t.code()).expect("a trap"))?;
    Ok(match out.first() {
        Some(Val::I64(v)) => *v,
        Some(Val::I32(v)) => *v as i64,
        _ => 0,
    })
}

#[test]
fn tables_indexed_by_i64() {
    let (mut s, i) = instantiate(TABLE, StoreLimits::default());
    let tob = Err(TrapCode::TableOutOfBounds);
    assert_eq!(call_i(&mut s, i, "call", &[Val::I64(1)]), Ok(7), "the segment's i64 offset");
    let past = [Val::I64(1 << 32 | 1)];
    assert_ne!(call_i(&mut s, i, "call", &past), Ok(7), "2^32 + 1 is not index 1");
    assert!(call_i(&mut s, i, "call", &past).is_err());
    assert_eq!(call_i(&mut s, i, "is_null", &[Val::I64(0)]), Ok(1));
    assert_eq!(call_i(&mut s, i, "is_null", &past), tob);
    assert_eq!(call_i(&mut s, i, "is_null", &[Val::I64(-1)]), tob);
    call_i(&mut s, i, "set", &[Val::I64(2)]).unwrap();
    assert_eq!(call_i(&mut s, i, "call", &[Val::I64(2)]), Ok(8));
    assert_eq!(call_i(&mut s, i, "set", &past), tob);
    assert_eq!(call_i(&mut s, i, "size", &[]), Ok(3));
    assert_eq!(call_i(&mut s, i, "grow", &[Val::I64(1 << 32)]), Ok(-1), "an i64 -1");
    assert_eq!(call_i(&mut s, i, "grow", &[Val::I64(8)]), Ok(-1), "past the maximum of 10");
    assert_eq!(call_i(&mut s, i, "grow", &[Val::I64(2)]), Ok(3));
    call_i(&mut s, i, "fill", &[Val::I64(3), Val::I64(2)]).unwrap();
    assert_eq!(call_i(&mut s, i, "call", &[Val::I64(4)]), Ok(7));
    assert_eq!(call_i(&mut s, i, "fill", &[Val::I64(3), Val::I64(1 << 32)]), tob);
    assert_eq!(call_i(&mut s, i, "fill", &[Val::I64(1 << 32), Val::I64(0)]), tob);
    call_i(&mut s, i, "init", &[Val::I64(0)]).unwrap();
    assert_eq!(call_i(&mut s, i, "call", &[Val::I64(1)]), Ok(8));
    assert_eq!(call_i(&mut s, i, "init", &[Val::I64(1 << 32)]), tob);
    call_i(&mut s, i, "copy", &[Val::I64(3), Val::I64(0), Val::I64(2)]).unwrap();
    assert_eq!(call_i(&mut s, i, "call", &[Val::I64(4)]), Ok(8));
    assert_eq!(call_i(&mut s, i, "copy", &[Val::I64(0), Val::I64(1 << 32), Val::I64(1)]), tob);
    assert_eq!(call_i(&mut s, i, "copy_in", &[Val::I64(1 << 32), Val::I32(0), Val::I32(1)]), tob);
    call_i(&mut s, i, "copy_in", &[Val::I64(0), Val::I32(0), Val::I32(2)]).unwrap();
    assert_eq!(call_i(&mut s, i, "is_null", &[Val::I64(0)]), Ok(1), "$u holds nulls");
}
