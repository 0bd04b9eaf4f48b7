//! Resource bounds: memories and tables grow only within the store's limits
//! (growth past them returns -1), and a large declared memory costs nothing
//! until it is touched.

use porta_interp::{Engine, Linker, Module, Store, StoreLimits, Val};

fn instance(wat: &str, limits: StoreLimits) -> (Store<()>, Result<porta_interp::Instance, porta_interp::Error>) {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    store.set_limits(limits);
    let inst = Linker::new().instantiate(&mut store, &module);
    (store, inst)
}

fn call_i32(store: &mut Store<()>, inst: porta_interp::Instance, name: &str, arg: i32) -> i32 {
    let mut r = [Val::I32(0)];
    inst.get_func(store, name).unwrap().call(store, &[Val::I32(arg)], &mut r).unwrap();
    let Val::I32(v) = r[0] else { panic!("i32 result") };
    v
}

#[test]
fn memory_growth_stops_at_the_store_limit() {
    let limits = StoreLimits { max_memory_pages: 3, ..StoreLimits::default() };
    let (mut s, i) = instance(
        r#"(module (memory 1) (func (export "grow") (param i32) (result i32) local.get 0 memory.grow))"#,
        limits,
    );
    let i = i.unwrap();
    assert_eq!(call_i32(&mut s, i, "grow", 2), 1);
    assert_eq!(call_i32(&mut s, i, "grow", 1), -1);
    assert_eq!(call_i32(&mut s, i, "grow", 0), 3);
}

#[test]
fn a_memory_larger_than_the_limit_does_not_instantiate() {
    let limits = StoreLimits { max_memory_pages: 10, ..StoreLimits::default() };
    let (_, i) = instance("(module (memory 11))", limits);
    assert!(i.unwrap_err().to_string().contains("exceeds the limit"));
}

#[test]
fn a_large_declared_memory_is_cheap_until_used() {
    // 2 GiB declared; only the touched page is ever committed.
    let (mut s, i) = instance(
        r#"(module (memory (export "m") 32768)
            (func (export "poke") (param i32) (result i32)
              local.get 0 i32.const 7 i32.store8 local.get 0 i32.load8_u))"#,
        StoreLimits::default(),
    );
    let i = i.unwrap();
    assert_eq!(call_i32(&mut s, i, "poke", 0x7fff_0000), 7);
}

#[test]
fn table_growth_stops_at_the_store_limit() {
    let limits = StoreLimits { max_table_elements: 5, ..StoreLimits::default() };
    let (mut s, i) = instance(
        r#"(module (table 2 funcref)
            (func (export "grow") (param i32) (result i32) ref.null func local.get 0 table.grow 0))"#,
        limits,
    );
    let i = i.unwrap();
    assert_eq!(call_i32(&mut s, i, "grow", 3), 2);
    assert_eq!(call_i32(&mut s, i, "grow", 1), -1);
}

/// Deep operand stacks with many blocks and `local.set`s, and a `br_table`
/// whose entries all need value moves: shapes that would make a naive
/// translator quadratic or explode its output. They translate and run.
#[test]
fn hostile_shapes_translate_in_linear_time() {
    let n = 50_000;
    let deep = format!(
        "(module (func (export \"f\") (param i32) (local i32) {} {} {} {}))",
        "(local.get 0)\n".repeat(n),
        "(block)\n".repeat(n),
        "(i32.const 1) (local.set 1) (i32.const 2) (local.set 0)\n".repeat(n),
        "(drop)\n".repeat(n)
    );
    let table = format!(
        "(module (func (export \"f\") (param i32) (result i32 i32 i32)
            (block (result i32 i32 i32) (i32.const 1) (i32.const 2) (i32.const 3) (br_table {} 0 (local.get 0)))))",
        "0 ".repeat(n)
    );
    for wat in [deep, table] {
        let (mut store, inst) = instance(&wat, StoreLimits::default());
        let inst = inst.unwrap();
        let f = inst.get_func(&store, "f").unwrap();
        let mut results = vec![Val::I32(0); f.ty(&store).results().len()];
        f.call(&mut store, &[Val::I32(7)], &mut results).unwrap();
    }
}
