//! Growing a memory costs nothing until the new pages are used: growing by
//! 256 MiB, twice over a reallocation, leaves the resident set almost
//! unchanged (the new pages were zero-filled by hand, and a reallocation
//! copied every old page, which committed all of them). Its own test
//! binary, so no other test allocates while it measures.

use porta_interp::{Engine, Linker, Module, Store, Val};

fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("Linux");
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|n| n.parse().ok()).expect("resident pages");
    pages * 4096
}

#[test]
fn grown_pages_are_zero_and_uncommitted_until_touched() {
    let wat = r#"(module (memory (export "m") 1)
        (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
        (func (export "peek") (param i32) (result i32) local.get 0 i32.load8_u)
        (func (export "poke") (param i32) (i32.store8 (local.get 0) (i32.const 9))))"#;
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new().instantiate(&mut store, &module).unwrap();
    let call = |store: &mut Store<()>, name: &str, arg: i32| {
        let f = instance.get_func(store, name).unwrap();
        let mut out = vec![Val::I32(0); f.ty(store).results().len()];
        f.call(store, &[Val::I32(arg)], &mut out).unwrap();
        out.first().copied()
    };
    let before = resident_bytes();
    call(&mut store, "poke", 100);
    // The second growth needs a larger allocation, into which the first
    // page (the only one written) is copied.
    assert_eq!(call(&mut store, "grow", 2047), Some(Val::I32(1)));
    assert_eq!(call(&mut store, "grow", 2048), Some(Val::I32(2048)));
    assert_eq!(call(&mut store, "peek", 100), Some(Val::I32(9)));
    let grown = resident_bytes().saturating_sub(before);
    assert!(grown < 32 << 20, "growing by 256 MiB made {} MiB resident", grown >> 20);
    // The new pages read as zero, and writes to them stick.
    for at in [65536, 128 << 20, (256 << 20) - 1] {
        assert_eq!(call(&mut store, "peek", at), Some(Val::I32(0)));
        call(&mut store, "poke", at);
        assert_eq!(call(&mut store, "peek", at), Some(Val::I32(9)));
    }
}
