//! f32 operators whose second operand is an `f32.const` run in a form that
//! carries the constant in the op (see `Translator::numeric`). Check that
//! form against the one with both operands in the frame, over the values
//! where floats differ: zeros of both signs, infinities, NaNs (quiet,
//! signalling, negative), subnormals, and ordinary numbers. (Which NaN
//! comes out may differ: the spec leaves it open, and the host's add picks
//! one of its operands' by their order in registers.)

use porta_interp::{Engine, Linker, Module, Store, Val};

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
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(&wat).expect("assembles")).expect("valid");
    let mut store = Store::new(&engine, ());
    let instance = Linker::new().instantiate(&mut store, &module).expect("instantiates");
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
