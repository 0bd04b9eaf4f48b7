//! Operators with a constant operand run in a form that carries the
//! constant in the op: f32 arithmetic and compares with an `f32.const`
//! second operand (see `Translator::numeric`), and `select` with a constant
//! of up to 32 bits on either side (`Translator::select`), an add, xor or
//! or of a value shifted by a constant, `a ^ (b >> k)`
//! (`Translator::fuse_commutative`), an `i32.load` at a shifted index
//! (`fuse::i32_load`), and a global moved by a constant, as a C
//! function's prologue and epilogue move the stack pointer
//! (`Translator::global_add_imm`, `Translator::global_set_add_imm`).
//!
//! The f32 forms are checked against the ones with both operands in the
//! frame, over the values where floats differ: zeros of both signs, infinities, NaNs (quiet,
//! signalling, negative), subnormals, and ordinary numbers. (Which NaN
//! comes out may differ: the spec leaves it open, and the host's add picks
//! one of its operands' by their order in registers.)

use porta_interp::{Engine, Error, Instance, Linker, Module, Store, Trap, TrapCode, Val};

/// A fresh store with `wat` instantiated in it.
fn instantiate(wat: &str) -> (Store<()>, Instance) {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(wat).expect("assembles")).expect("valid");
    let mut store = Store::new(&engine, ());
    let instance = Linker::new().instantiate(&mut store, &module).expect("instantiates");
    (store, instance)
}

const OPS: &[&str] = &["add", "sub", "mul", "lt", "gt", "le", "ge"];

const VALUES: &[u32] = &[
    0x0000_0000, // +0
    0x8000_0000, // -0
    0x7f80_0000, // +inf
    0xff80_0000, // -inf
    0x7fc0_0000, // quiet NaN
    0xffc0_0001, // negative quiet NaN with a payload
    0x7f80_0001, // signalling NaN
    0x0000_0001, // smallest subnormal
    0x807f_ffff, // largest negative subnormal
    0x3f80_0000, // 1
    0xbfc0_0000, // -1.5
    0x7f7f_ffff, // largest finite
    0x3eaa_aaab, // 1/3
];

#[test]
fn f32_ops_with_a_constant_match_the_two_operand_form() {
    let mut funcs = String::new();
    for op in OPS {
        let ty = if matches!(*op, "lt" | "gt" | "le" | "ge") { "i32" } else { "f32" };
        funcs += &format!(
            "(func (export \"{op}\") (param f32 f32) (result {ty}) (f32.{op} (local.get 0) (local.get 1)))\n"
        );
        for (i, c) in VALUES.iter().enumerate() {
            funcs += &format!(
                "(func (export \"{op}_{i}\") (param f32) (result {ty}) (f32.{op} (local.get 0) (f32.const {})))\n",
                f32_literal(*c)
            );
        }
    }
    let wat = format!("(module {funcs})");
    let (mut store, instance) = instantiate(&wat);
    let bits = |v: &Val| match v {
        Val::F32(b) => *b as u64,
        Val::I32(i) => *i as u32 as u64,
        other => panic!("unexpected result {other:?}"),
    };
    for op in OPS {
        let both = instance.get_func(&store, op).expect("export");
        for (i, &c) in VALUES.iter().enumerate() {
            let imm = instance.get_func(&store, &format!("{op}_{i}")).expect("export");
            for &x in VALUES {
                let (mut a, mut b) = ([Val::I32(0)], [Val::I32(0)]);
                both.call(&mut store, &[Val::F32(x), Val::F32(c)], &mut a).expect("runs");
                imm.call(&mut store, &[Val::F32(x)], &mut b).expect("runs");
                // Which NaN an operation returns is up to the engine (the
                // spec allows any): only that it is one must agree.
                let nan = |v: &Val| matches!(v, Val::F32(b) if f32::from_bits(*b).is_nan());
                if !(nan(&a[0]) && nan(&b[0])) {
                    assert_eq!(bits(&a[0]), bits(&b[0]), "f32.{op} {x:#x} {c:#x}");
                }
            }
        }
    }
}

/// The text of the `f32.const` with these bits, exact.
fn f32_literal(bits: u32) -> String {
    let sign = if bits >> 31 == 1 { "-" } else { "" };
    let (exp, mant) = ((bits >> 23) & 0xff, bits & 0x7f_ffff);
    match exp {
        0xff if mant == 0 => format!("{sign}inf"),
        0xff => format!("{sign}nan:{mant:#x}"),
        // Subnormals and zeros: 0x0.m × 2^-126, with m the 23 bits as 24.
        0 => format!("{sign}0x0.{:06x}p-126", mant << 1),
        _ => format!("{sign}0x1.{:06x}p{}", mant << 1, exp as i32 - 127),
    }
}

/// `select` with constants of every type on either side, on both outcomes,
/// against the same selection made by the host.
#[test]
fn select_with_a_constant_picks_the_right_operand() {
    // (type, constants): those that fit 32 bits ride in the op, in 16 bits
    // when the other operand is in the frame (wider ones make a wide op).
    let cases: &[(&str, &[&str])] = &[
        ("i32", &["0", "1", "-1", "0x7fff", "-32768", "0x12345678"]),
        ("i64", &["0", "5", "-1", "0xffffffff", "0x100000000", "-0x8000000000000000"]),
        ("f32", &["0", "-0", "1.5", "-inf", "nan:0x200000"]),
        ("f64", &["0", "-0", "1.5", "-inf"]),
    ];
    let mut funcs = String::new();
    for (t, consts) in cases {
        for (i, c) in consts.iter().enumerate() {
            // The constant first, second, and both constants.
            funcs += &format!(
                "(func (export \"{t}_{i}_a\") (param {t} i32) (result {t}) (select ({t}.const {c}) (local.get 0) (local.get 1)))
                 (func (export \"{t}_{i}_b\") (param {t} i32) (result {t}) (select (local.get 0) ({t}.const {c}) (local.get 1)))
                 (func (export \"{t}_{i}_ab\") (param {t} i32) (result {t}) (select ({t}.const {c}) ({t}.const 7) (local.get 1)))
                 (func (export \"{t}_{i}_k\") (result {t}) ({t}.const {c}))\n"
            );
        }
    }
    let wat = format!("(module {funcs})");
    let (mut store, instance) = instantiate(&wat);
    let seven = |t: &str| match t {
        "i32" => Val::I32(7),
        "i64" => Val::I64(7),
        "f32" => Val::F32(7f32.to_bits()),
        _ => Val::F64(7f64.to_bits()),
    };
    let x = |t: &str| match t {
        "i32" => Val::I32(0x0bad_cafe),
        "i64" => Val::I64(0x0bad_cafe_dead_beef),
        "f32" => Val::F32(0x4049_0fdb),
        _ => Val::F64(0x4009_21fb_5444_2d18),
    };
    for (t, consts) in cases {
        for i in 0..consts.len() {
            let mut k = [Val::I32(0)];
            instance.get_func(&store, &format!("{t}_{i}_k")).expect("export").call(&mut store, &[], &mut k).expect("runs");
            for form in ["a", "b", "ab"] {
                let f = instance.get_func(&store, &format!("{t}_{i}_{form}")).expect("export");
                for cond in [0, 1, -1] {
                    let mut out = [Val::I32(0)];
                    f.call(&mut store, &[x(t), Val::I32(cond)], &mut out).expect("runs");
                    let (on_true, on_false) = match form {
                        "a" => (k[0], x(t)),
                        "b" => (x(t), k[0]),
                        _ => (k[0], seven(t)),
                    };
                    let want = if cond != 0 { on_true } else { on_false };
                    assert_eq!(out[0], want, "{t} {} select {form} cond {cond}", consts[i]);
                }
            }
        }
    }
}

/// The ops a shift by a constant fuses into (`Translator::fuse_commutative`),
/// with the host's meaning over 64 bits (an i32 result is its low half):
/// `(wasm op, wasm shift, a <op> (b <shift> k))`.
const SHIFTED: &[(&str, &str, fn(u64, u64, u32) -> u64)] = &[
    ("add", "shl", |a, b, k| a.wrapping_add(b << k)),
    ("add", "shr_u", |a, b, k| a.wrapping_add(b >> k)),
    ("xor", "shl", |a, b, k| a ^ (b << k)),
    ("xor", "shr_u", |a, b, k| a ^ (b >> k)),
    ("or", "shl", |a, b, k| a | (b << k)),
    ("or", "shr_u", |a, b, k| a | (b >> k)),
];

/// `a <op> (b <shift> k)` for add, xor and or of a left or unsigned right
/// shift, i32 and i64, in either operand order and with shift counts past
/// the width (masked), against the host; and under every step limit inside
/// the function, a stop counts exactly and leaves the stores before it
/// done.
#[test]
fn an_op_of_a_shift_computes_and_counts_exactly() {
    for (ty, bits) in [("i32", 32u32), ("i64", 64)] {
        let (width, mask) = (bits as usize / 8, u64::MAX >> (64 - bits));
        let (a, b) = (0x0123_4567_89ab_cdef & mask, 0xfedc_ba98_7654_3210 & mask);
        let mut body = String::new();
        let mut expect = Vec::new();
        for (op, shift, host) in SHIFTED {
            for k in [0, 1, 2, 3, 8, 31, 32, 35, 63, 64, -1] {
                // Each result is stored, so a stop shows how far the code got.
                let shifted = format!("({ty}.{shift} (local.get 1) ({ty}.const {k}))");
                body += &format!(
                    "({ty}.store offset={} (i32.const 0) ({ty}.{op} (local.get 0) {shifted}))
                     ({ty}.store offset={} (i32.const 0) ({ty}.{op} {shifted} (local.get 0)))\n",
                    width * expect.len(),
                    width * (expect.len() + 1)
                );
                expect.extend([host(a, b, k as u32 & (bits - 1)) & mask; 2]);
            }
        }
        let wat = format!("(module (memory (export \"mem\") 1) (func (export \"f\") (param {ty} {ty}) {body}))");
        let engine = Engine::default();
        let module = Module::new(&engine, &wat::parse_str(&wat).expect("assembles")).expect("valid");
        let args = match bits {
            32 => [Val::I32(a as i32), Val::I32(b as i32)],
            _ => [Val::I64(a as i64), Val::I64(b as i64)],
        };
        // Each store: two local.gets, a const, the shift, the op, the const
        // address and the store itself.
        let total = 7 * expect.len() as u64;
        for limit in (0..=total).rev() {
            let mut store = Store::new(&engine, ());
            let instance = Linker::new().instantiate(&mut store, &module).expect("instantiates");
            let mem = instance.get_memory(&store, "mem").expect("memory");
            let f = instance.get_func(&store, "f").expect("export");
            store.set_step_limit(Some(limit));
            let r = f.call(&mut store, &args, &mut []);
            let stopped = r.as_ref().err().and_then(|e| e.as_trap()).and_then(|t| t.code());
            match limit == total {
                true => assert!(r.is_ok(), "{r:?}"),
                false => assert_eq!(stopped, Some(TrapCode::StepLimitExceeded), "limit {limit}"),
            }
            assert_eq!(store.steps(), limit, "limit {limit}");
            let done = (limit / 7) as usize;
            for (i, want) in expect.iter().enumerate() {
                let mut got = [0; 8];
                got[..width].copy_from_slice(&mem.data(&store)[width * i..width * (i + 1)]);
                let got = u64::from_le_bytes(got);
                assert_eq!(got, if i < done { *want } else { 0 }, "{ty}, limit {limit}, result {i}");
            }
        }
    }
}

/// `i32.load offset=o (i32.shl x k)` against the host, with shifts that
/// wrap the index past 32 bits, offsets on both sides of the op's 16 bits,
/// and indices whose access ends on the last byte of memory or past it.
#[test]
fn a_load_at_a_shifted_index_reads_and_traps_as_the_two_ops_would() {
    const PAGE: u64 = 65536;
    let cases: &[(u32, u32)] = &[(0, 2), (0, 0), (100, 3), (65535, 0), (65536, 2), (8, 31), (0, 33)];
    let mut funcs = String::new();
    for (i, (offset, k)) in cases.iter().enumerate() {
        funcs += &format!(
            "(func (export \"f{i}\") (param i32) (result i32) (i32.load offset={offset} (i32.shl (local.get 0) (i32.const {k}))))\n"
        );
    }
    let wat = format!("(module (memory (export \"mem\") 1) {funcs})");
    let (mut store, instance) = instantiate(&wat);
    let mem = instance.get_memory(&store, "mem").expect("memory");
    for (i, b) in mem.data_mut(&mut store).iter_mut().enumerate() {
        *b = (i * 7 + i / 256) as u8;
    }
    let data = mem.data(&store).to_vec();
    for (i, &(offset, k)) in cases.iter().enumerate() {
        let f = instance.get_func(&store, &format!("f{i}")).expect("export");
        for x in [0u32, 1, 3, 0x3fff, 0x4000, 16380 >> (k & 31).min(14), 0x8000_0001, u32::MAX] {
            let at = x.wrapping_shl(k & 31) as u64 + offset as u64;
            let mut out = [Val::I32(0)];
            let r = f.call(&mut store, &[Val::I32(x as i32)], &mut out);
            let what = format!("load offset={offset} (shl {x:#x} {k})");
            if at + 4 <= PAGE {
                let want = u32::from_le_bytes(data[at as usize..at as usize + 4].try_into().expect("4 bytes"));
                assert!(r.is_ok(), "{what}: {r:?}");
                assert_eq!(out[0], Val::I32(want as i32), "{what}");
            } else {
                assert!(matches!(r, Err(Error::Trap(Trap::Code(TrapCode::MemoryOutOfBounds)))), "{what}: {r:?}");
            }
        }
    }
}

/// `f32.add` of an `f32.mul`'s product, in either operand order, runs as
/// one op (`Translator::fuse_commutative`) that rounds twice, as the two
/// ops do: against the host's `x * y + z` and against the same ops kept
/// apart (the product passed through a local), over the values where
/// floats differ. A product rounded once with the add (a fused
/// multiply-add) differs from them on `1/3 * 3 - 1`, which is in the set.
#[test]
fn an_add_of_a_product_rounds_as_the_two_ops() {
    let wat = r#"(module
        (func (export "left") (param f32 f32 f32) (result f32)
          (f32.add (f32.mul (local.get 0) (local.get 1)) (local.get 2)))
        (func (export "right") (param f32 f32 f32) (result f32)
          (f32.add (local.get 2) (f32.mul (local.get 0) (local.get 1))))
        (func (export "apart") (param f32 f32 f32) (result f32) (local f32)
          (f32.add (local.tee 3 (f32.mul (local.get 0) (local.get 1))) (local.get 2))))"#;
    let (mut store, instance) = instantiate(wat);
    let mut values = VALUES.to_vec();
    values.extend([3.0f32.to_bits(), (-1.0f32).to_bits()]);
    let bits = |v: &Val| match v {
        Val::F32(b) => *b,
        other => panic!("unexpected result {other:?}"),
    };
    for name in ["left", "right", "apart"] {
        let f = instance.get_func(&store, name).expect("export");
        for &x in &values {
            for &y in &values {
                for &z in &values {
                    let mut out = [Val::I32(0)];
                    f.call(&mut store, &[Val::F32(x), Val::F32(y), Val::F32(z)], &mut out).expect("runs");
                    let want = f32::from_bits(x) * f32::from_bits(y) + f32::from_bits(z);
                    let got = f32::from_bits(bits(&out[0]));
                    // Which NaN comes out is the engine's choice (see above).
                    if !(want.is_nan() && got.is_nan()) {
                        assert_eq!(got.to_bits(), want.to_bits(), "{name}: {x:#x} * {y:#x} + {z:#x}");
                    }
                }
            }
        }
    }
}

/// A shift of one width under an op of the other, through
/// `i64.extend_i32_u` or `i32.wrap_i64` (which may emit no code), keeps
/// the shift's own width: the bits an i32 shift drops stay dropped, and
/// the high bits an i64 shift makes do not reach the i32 result.
#[test]
fn a_shift_of_the_other_width_is_not_fused() {
    let wat = r#"(module
        (func (export "extend") (param i64 i32) (result i64)
          (i64.add (local.get 0) (i64.extend_i32_u (i32.shl (local.get 1) (i32.const 4)))))
        (func (export "wrap") (param i32 i64) (result i32)
          (i32.xor (i32.wrap_i64 (i64.shr_u (local.get 1) (i64.const 4))) (local.get 0))))"#;
    let (mut store, instance) = instantiate(wat);
    let extend = instance.get_func(&store, "extend").expect("export");
    let mut out = [Val::I32(0)];
    extend.call(&mut store, &[Val::I64(1 << 40), Val::I32(0xf000_0001u32 as i32)], &mut out).expect("runs");
    assert_eq!(out[0], Val::I64((1 << 40) + 0x10));
    let wrap = instance.get_func(&store, "wrap").expect("export");
    wrap.call(&mut store, &[Val::I32(1), Val::I64(0x0000_00ff_0000_0000)], &mut out).expect("runs");
    assert_eq!(out[0], Val::I32(0xf000_0001u32 as i32));
}

/// `global.set $g (i32.add (global.get $g) (i32.const k))` (the get and
/// the add fused) and `global.set $g (i32.sub (local.get 0) (i32.const
/// k))` (the add and the set fused), for constants that wrap, each
/// followed by a store of the global: the values the host computes, and
/// the exact steps at every limit. An i64 global moved the same way runs
/// beside it (no fused form: the fusions are i32's).
#[test]
fn a_global_moved_by_a_constant_computes_and_counts_exactly() {
    let ks: [i32; 7] = [0, 1, 16, -16, i32::MAX, i32::MIN, -1];
    let (init, x) = (0x7fff_fff0u32, 0x1234_5678u32);
    let mut body = String::new();
    let mut expect: Vec<u64> = Vec::new();
    let (mut g, mut h) = (init, init as u64);
    for k in ks {
        let at = 8 * expect.len();
        body += &format!(
            "(global.set $g (i32.add (global.get $g) (i32.const {k})))
             (i32.store offset={at} (i32.const 0) (global.get $g))
             (global.set $g (i32.sub (local.get 0) (i32.const {k})))
             (i32.store offset={} (i32.const 0) (global.get $g))
             (global.set $h (i64.add (global.get $h) (i64.const {k})))
             (i64.store offset={} (i32.const 0) (global.get $h))\n",
            at + 8,
            at + 16
        );
        g = g.wrapping_add(k as u32);
        expect.push(g as u64);
        g = x.wrapping_sub(k as u32);
        expect.push(g as u64);
        h = h.wrapping_add(k as i64 as u64);
        expect.push(h);
    }
    let wat = format!(
        "(module (memory (export \"mem\") 1) (global $g (mut i32) (i32.const {init})) (global $h (mut i64) (i64.const {init}))
         (func (export \"f\") (param i32) {body}))"
    );
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(&wat).expect("assembles")).expect("valid");
    // Each move: a get (of the global or the local), a const, the add and
    // the set; each store: a const address, the get and the store.
    let total = 7 * expect.len() as u64;
    for limit in (0..=total).rev() {
        let mut store = Store::new(&engine, ());
        let instance = Linker::new().instantiate(&mut store, &module).expect("instantiates");
        let mem = instance.get_memory(&store, "mem").expect("memory");
        store.set_step_limit(Some(limit));
        let r = instance.get_func(&store, "f").expect("export").call(&mut store, &[Val::I32(x as i32)], &mut []);
        match limit == total {
            true => assert!(r.is_ok(), "{r:?}"),
            false => assert!(matches!(r, Err(Error::Trap(Trap::Code(TrapCode::StepLimitExceeded)))), "limit {limit}: {r:?}"),
        }
        assert_eq!(store.steps(), limit, "limit {limit}");
        let done = (limit / 7) as usize;
        for (i, want) in expect.iter().enumerate() {
            let got = u64::from_le_bytes(mem.data(&store)[8 * i..8 * i + 8].try_into().expect("8 bytes"));
            assert_eq!(got, if i < done { *want } else { 0 }, "limit {limit}, value {i}");
        }
    }
}

/// `br_if` and `if` on `x & mask` (a bit test, fused into the branch) take
/// the branch exactly when some bit of the mask is set in `x`, for masks
/// that fit the op's 16-bit field and masks that do not (a wide op), and
/// count every instruction: block, the test's four, then one or two.
#[test]
fn a_bit_test_branches_on_any_bit_of_its_mask() {
    let masks: [u32; 10] = [0, 1, 0x80, 0x7fff, 0x8000, 0xffff, 0x1_0000, 0x8000_0000, 0xffff_fff8, u32::MAX];
    let mut funcs = String::new();
    for (i, m) in masks.iter().enumerate() {
        let m = *m as i32;
        funcs += &format!(
            r#"(func (export "br_if_{i}") (param $x i32) (result i32)
                 (block $set (br_if $set (i32.and (local.get $x) (i32.const {m}))) (return (i32.const 0)))
                 (i32.const 1))
               (func (export "if_{i}") (param $x i32) (result i32)
                 (if (result i32) (i32.and (local.get $x) (i32.const {m})) (then (i32.const 1)) (else (i32.const 0))))
"#
        );
    }
    let (mut store, instance) = instantiate(&format!("(module {funcs})"));
    let values = [0u32, 1, 2, 7, 0x80, 0x7fff, 0x8000, 0x1_0000, 0x8000_0000, 0xdead_beef, u32::MAX];
    for (i, m) in masks.iter().enumerate() {
        for x in values {
            let set = x & m != 0;
            for (form, steps) in [("br_if", if set { 6 } else { 7 }), ("if", 5)] {
                let f = instance.get_func(&store, &format!("{form}_{i}")).expect("export");
                let mut out = [Val::I32(0)];
                let before = store.steps();
                f.call(&mut store, &[Val::I32(x as i32)], &mut out).expect("runs");
                assert_eq!(out[0], Val::I32(set as i32), "{form}: {x:#x} & {m:#x}");
                assert_eq!(store.steps() - before, steps, "{form}: {x:#x} & {m:#x}");
            }
        }
    }
}
