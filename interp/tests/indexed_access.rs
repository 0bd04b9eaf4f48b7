//! Loads and stores whose address is an add, `a + b`, an array element's
//! `a + (b << k)` (`k` the log2 of the access's size), run as one op with
//! the add taken in (`Translator::load_fused`, `store_indexed`). Each
//! form is checked against the same access with its address kept in a
//! local first (which does not fuse): the values read, the bytes written,
//! out-of-bounds traps at the last byte, an address whose add wraps, an
//! offset too wide for the fused op, and the steps, totals and every limit.

mod common;
use common::{call, instantiate};
use porta_interp::{Error, Trap, TrapCode};

/// (name, access, how the address is computed from `$a` and `$b`): each
/// becomes `name` (fused) and `name_split` (the address in a local).
const FORMS: &[(&str, &str, &str)] = &[
    ("add", "i32.load offset=3", "(i32.add (local.get $a) (local.get $b))"),
    ("add_wide_offset", "i32.load offset=70000", "(i32.add (local.get $a) (local.get $b))"),
    ("idx32", "i32.load offset=8", "(i32.add (local.get $a) (i32.shl (local.get $b) (i32.const 2)))"),
    ("idx64", "i64.load offset=16", "(i32.add (local.get $a) (i32.shl (local.get $b) (i32.const 3)))"),
    ("idx16", "i32.load16_u offset=1", "(i32.add (local.get $a) (i32.shl (local.get $b) (i32.const 1)))"),
    // Shifted by other than the access's size: stays two ops.
    ("idx32_by_8", "i32.load", "(i32.add (local.get $a) (i32.shl (local.get $b) (i32.const 3)))"),
    // The add of a constant stays an op of its own.
    ("add_imm", "i32.load offset=2", "(i32.add (local.get $a) (i32.const -8))"),
];

fn module() -> String {
    let mut funcs = String::new();
    for (name, access, address) in FORMS {
        // An i64 result is folded to an i32 so that every export returns one.
        let fold = |load: String| {
            match access.starts_with("i64") {
            true => format!(
                "(local.set $v {load}) (i32.wrap_i64 (i64.xor (local.get $v) (i64.shr_u (local.get $v) (i64.const 32))))"
            ),
            false => load,
        }
        };
        funcs += &format!(
            "(func (export \"{name}\") (param $a i32) (param $b i32) (result i32) (local $v i64) {})\n",
            fold(format!("({access} {address})"))
        );
        funcs += &format!(
            "(func (export \"{name}_split\") (param $a i32) (param $b i32) (result i32) (local $v i64) (local $at i32)
               (local.set $at {address}) {})\n",
            fold(format!("({access} (local.get $at))"))
        );
    }
    // The store: its value a local (a constant has a form of its own). The
    // global set after it shows whether a step limit stopped before it.
    funcs += r#"(global $after (export "after") (mut i32) (i32.const 0))
      (func (export "store") (param $a i32) (param $b i32) (result i32) (local $v i32)
        (local.set $v (i32.const 0x5a5a_1234))
        (i32.store offset=4 (i32.add (local.get $a) (i32.shl (local.get $b) (i32.const 2))) (local.get $v))
        (global.set $after (i32.const 1))
        (i32.load offset=4 (i32.add (local.get $a) (i32.shl (local.get $b) (i32.const 2)))))
      (func (export "store_split") (param $a i32) (param $b i32) (result i32) (local $v i32) (local $at i32)
        (local.set $v (i32.const 0x5a5a_1234))
        (local.set $at (i32.add (local.get $a) (i32.shl (local.get $b) (i32.const 2))))
        (i32.store offset=4 (local.get $at) (local.get $v))
        (global.set $after (i32.const 1))
        (local.set $at (i32.add (local.get $a) (i32.shl (local.get $b) (i32.const 2))))
        (i32.load offset=4 (local.get $at)))"#;
    format!(r#"(module (memory (export "mem") 2) {funcs})"#)
}

/// Arguments around the edges: small, the end of memory for each access
/// size, and adds that wrap past 2^32.
const ARGS: &[(i32, i32)] = &[
    (0, 0),
    (16, 3),
    (100, 7),
    (131_000, 1),
    (131_060, 0),
    (131_064, 1),
    (131_068, 0),
    (131_069, 0),
    (131_070, 1),
    (-4, 2),
    (-64, 17),
    (i32::MAX, i32::MAX),
    (65_536, 16_383),
    (65_536, 16_384),
    (0, -1),
];

fn fill(store: &mut porta_interp::Store<()>, instance: porta_interp::Instance) {
    let mem = instance.get_memory(&*store, "mem").unwrap();
    for (i, b) in mem.data_mut(store).iter_mut().enumerate() {
        *b = (i * 13 + i / 251) as u8;
    }
}

#[test]
fn each_form_reads_writes_and_traps_as_the_two_ops() {
    let wat = module();
    let names = FORMS.iter().map(|f| f.0).chain(["store"]);
    for name in names {
        for &(a, b) in ARGS {
            let (mut fused_store, fused) = instantiate(&wat);
            let (mut split_store, split) = instantiate(&wat);
            fill(&mut fused_store, fused);
            fill(&mut split_store, split);
            let (got, got_steps) = call(&mut fused_store, fused, name, &[a, b]);
            let (want, want_steps) = call(&mut split_store, split, &format!("{name}_split"), &[a, b]);
            let what = format!("{name}({a}, {b})");
            match (&got, &want) {
                (Ok(x), Ok(y)) => assert_eq!(x, y, "{what}"),
                (
                    Err(Error::Trap(Trap::Code(TrapCode::MemoryOutOfBounds))),
                    Err(Error::Trap(Trap::Code(TrapCode::MemoryOutOfBounds))),
                ) => {}
                _ => panic!("{what}: {got:?} against {want:?}"),
            }
            // The split form runs a `local.set` and a `local.get` more per
            // access (the store function makes two).
            let accesses = if name == "store" { 2 } else { 1 };
            match (&got, &want) {
                (Ok(_), _) => assert_eq!(got_steps + 2 * accesses, want_steps, "{what}"),
                // A trap in the first access.
                _ => assert_eq!(got_steps + 2, want_steps, "{what}"),
            }
            let mem = |s: &porta_interp::Store<()>, i: porta_interp::Instance| {
                i.get_memory(s, "mem").unwrap().data(s).to_vec()
            };
            assert!(mem(&fused_store, fused) == mem(&split_store, split), "{what}: memories differ");
        }
    }
}

#[test]
fn the_translation_fuses_what_it_should() {
    let engine = porta_interp::Engine::default();
    let module = porta_interp::Module::new(&engine, &wat::parse_str(module()).unwrap()).unwrap();
    // The op each form's access becomes, and whether the add is left.
    let expect = [
        ("I32LoadAdd", false),
        ("I32Load ", true),
        ("I32LoadIdx", false),
        ("I64LoadIdx", false),
        ("I32Load16UIdx", false),
        ("I32Load ", true),
        ("I32Load ", true),
        ("I32StoreIdx", false),
    ];
    for (i, (op, add_left)) in expect.into_iter().enumerate() {
        let code = module.dump_translation(2 * i as u32).unwrap();
        assert!(code.contains(op), "form {i}: no {op}\n{code}");
        let add = ["I32Add ", "I32AddShl ", "I32AddImm "].iter().any(|op| code.contains(op));
        assert_eq!(add, add_left, "form {i}\n{code}");
    }
}

#[test]
fn a_step_limit_stops_the_store_exactly() {
    let wat = module();
    let (mut s, i) = instantiate(&wat);
    let (_, total) = call(&mut s, i, "store", &[40, 5]);
    for limit in 0..=total {
        let (mut s, i) = instantiate(&wat);
        s.set_step_limit(Some(limit));
        let (r, steps) = call(&mut s, i, "store", &[40, 5]);
        let at = 40 + 5 * 4 + 4;
        let stored = u32::from_le_bytes(i.get_memory(&s, "mem").unwrap().data(&s)[at..at + 4].try_into().unwrap());
        let after = i.get_global(&s, "after").unwrap().get(&s);
        if limit == total {
            assert_eq!(r.unwrap(), 0x5a5a_1234);
        } else {
            assert!(matches!(r, Err(Error::Trap(Trap::Code(TrapCode::StepLimitExceeded)))), "limit {limit}: {r:?}");
            assert_eq!(steps, limit);
        }
        // The store is the 9th instruction, the global set the 11th.
        assert_eq!(stored == 0x5a5a_1234, limit >= 9, "limit {limit}");
        assert_eq!(after == porta_interp::Val::I32(1), limit >= 11, "limit {limit}");
    }
}
