//! SIMD through `core::arch::wasm32`, with self-checks. The same convention
//! as the C programs: `simd_rust.wasm list` prints the case names;
//! `simd_rust.wasm CASE` prints `ok CASE` and exits 0, or prints
//! `FAIL CASE: why` on stderr and exits 1 (2 for an unknown case).
//!
//! Inputs pass through `black_box` so that the optimiser cannot fold the
//! instructions away. Each case compares the vector result with a scalar
//! computation in plain Rust or with values written from the spec.

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
compile_error!("build for wasm32-wasip1 with RUSTFLAGS=\"-C target-feature=+simd128\"");

use core::arch::wasm32::*;
use std::hint::black_box;
use std::process::ExitCode;

type Result = std::result::Result<(), String>;
/// A named vector result and the scalar function each lane must match.
type LaneOp<'a, T> = (&'a str, v128, fn(T, T) -> T);

fn bytes(v: v128) -> [u8; 16] {
    // SAFETY: v128 and [u8; 16] have the same size and no invalid values.
    unsafe { core::mem::transmute(v) }
}

fn check(got: v128, want: v128, what: &str) -> Result {
    if bytes(got) == bytes(want) {
        Ok(())
    } else {
        Err(format!("{what}: {:02x?}, expected {:02x?}", bytes(got), bytes(want)))
    }
}

fn check_eq<T: PartialEq + std::fmt::Debug>(got: T, want: T, what: &str) -> Result {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: {got:?}, expected {want:?}"))
    }
}

fn load(b: &[u8]) -> v128 {
    assert!(b.len() >= 16);
    // SAFETY: 16 readable bytes; v128_load has no alignment requirement.
    unsafe { v128_load(black_box(b.as_ptr()) as *const v128) }
}

/// Lane-wise u8 arithmetic on a buffer, against scalar code.
fn u8_arith() -> Result {
    let a: Vec<u8> = (0..256u32).map(|i| (i * 37 + 11) as u8).collect();
    let b: Vec<u8> = (0..256u32).map(|i| (i * 91 + 200) as u8).collect();
    for i in (0..256).step_by(16) {
        let (x, y) = (load(&a[i..]), load(&b[i..]));
        let got = [
            u8x16_add(x, y),
            u8x16_sub(x, y),
            u8x16_add_sat(x, y),
            u8x16_sub_sat(x, y),
            u8x16_avgr(x, y),
            u8x16_min(x, y),
            u8x16_max(x, y),
            u8x16_gt(x, y),
            u8x16_popcnt(x),
        ];
        for (k, g) in got.iter().enumerate() {
            let g = bytes(*g);
            for j in 0..16 {
                let (p, q) = (a[i + j], b[i + j]);
                let want = match k {
                    0 => p.wrapping_add(q),
                    1 => p.wrapping_sub(q),
                    2 => p.saturating_add(q),
                    3 => p.saturating_sub(q),
                    4 => ((p as u16 + q as u16 + 1) >> 1) as u8,
                    5 => p.min(q),
                    6 => p.max(q),
                    7 => if p > q { 0xff } else { 0 },
                    _ => p.count_ones() as u8,
                };
                check_eq(g[j], want, &format!("op {k} at {}", i + j))?;
            }
        }
    }
    Ok(())
}

/// i16x8: multiply, saturating ops, q15mulr, shifts, extends.
fn i16_arith() -> Result {
    let vals: [i16; 16] = [0, 1, -1, 2, 300, -300, 32767, -32768, 16384, -16384, 181, 12345, -2, 7, 255, -256];
    for s in 0..8 {
        let xs: [i16; 8] = core::array::from_fn(|j| vals[(j + s) % 16]);
        let ys: [i16; 8] = core::array::from_fn(|j| vals[(j * 3 + s + 5) % 16]);
        let x = black_box(i16x8(xs[0], xs[1], xs[2], xs[3], xs[4], xs[5], xs[6], xs[7]));
        let y = black_box(i16x8(ys[0], ys[1], ys[2], ys[3], ys[4], ys[5], ys[6], ys[7]));
        let lanes = |v: v128| -> [i16; 8] { core::array::from_fn(|j| i16::from_le_bytes([bytes(v)[2 * j], bytes(v)[2 * j + 1]])) };
        let ops: [LaneOp<i16>; 7] = [
            ("mul", i16x8_mul(x, y), |p, q| p.wrapping_mul(q)),
            ("add_sat", i16x8_add_sat(x, y), |p, q| p.saturating_add(q)),
            ("sub_sat", i16x8_sub_sat(x, y), |p, q| p.saturating_sub(q)),
            ("q15mulr", i16x8_q15mulr_sat(x, y), |p, q| {
                (((p as i32 * q as i32 + 0x4000) >> 15).clamp(-32768, 32767)) as i16
            }),
            ("min", i16x8_min(x, y), |p, q| p.min(q)),
            ("shr 3", i16x8_shr(x, black_box(19)), |p, _| p >> 3),
            ("shl 4", i16x8_shl(x, black_box(4)), |p, _| p.wrapping_shl(4)),
        ];
        for (name, v, f) in ops {
            let g = lanes(v);
            for j in 0..8 {
                check_eq(g[j], f(xs[j], ys[j]), &format!("i16x8 {name} lane {j} ({} , {})", xs[j], ys[j]))?;
            }
        }
        // Widening: the low half's products in i32 lanes.
        let w = i32x4_extmul_low_i16x8(x, y);
        let wl: [i32; 4] = core::array::from_fn(|j| i32x4_extract_lane_dyn(w, j));
        for j in 0..4 {
            check_eq(wl[j], xs[j] as i32 * ys[j] as i32, &format!("extmul_low lane {j}"))?;
        }
        let d = i32x4_dot_i16x8(x, y);
        for j in 0..4 {
            let want = (xs[2 * j] as i32 * ys[2 * j] as i32).wrapping_add(xs[2 * j + 1] as i32 * ys[2 * j + 1] as i32);
            check_eq(i32x4_extract_lane_dyn(d, j), want, &format!("dot lane {j}"))?;
        }
    }
    Ok(())
}

fn i32x4_extract_lane_dyn(v: v128, j: usize) -> i32 {
    match j {
        0 => i32x4_extract_lane::<0>(v),
        1 => i32x4_extract_lane::<1>(v),
        2 => i32x4_extract_lane::<2>(v),
        _ => i32x4_extract_lane::<3>(v),
    }
}

/// A sum of squares and a running checksum in i32x4 lanes over 4096 words.
fn i32_reduce() -> Result {
    let data: Vec<i32> = (0..4096i32).map(|i| i.wrapping_mul(2654435761u32 as i32) >> 7).collect();
    let mut acc = i32x4_splat(0);
    let mut mx = i32x4_splat(i32::MIN);
    for c in data.chunks_exact(4) {
        // SAFETY: four i32 are 16 readable bytes.
        let v = unsafe { v128_load(c.as_ptr() as *const v128) };
        acc = i32x4_add(acc, i32x4_mul(v, v));
        mx = i32x4_max(mx, v);
    }
    let lanes = |v: v128| -> [i32; 4] { core::array::from_fn(|j| i32x4_extract_lane_dyn(v, j)) };
    let sum = lanes(acc).iter().fold(0i32, |s, &x| s.wrapping_add(x));
    let want = data.iter().fold(0i32, |s, &x| s.wrapping_add(x.wrapping_mul(x)));
    check_eq(sum, want, "sum of squares")?;
    let m = lanes(mx).into_iter().max().unwrap();
    check_eq(m, *data.iter().max().unwrap(), "maximum")?;
    check(i32x4_abs(black_box(i32x4(i32::MIN, -5, 5, 0))), i32x4(i32::MIN, 5, 5, 0), "i32x4.abs")?;
    check(i32x4_shr(black_box(i32x4(-8, 8, i32::MIN, 1)), black_box(33)), i32x4(-4, 4, -0x4000_0000, 0), "i32x4.shr_s by 33")?;
    check(u32x4_shr(black_box(i32x4(-8, 8, i32::MIN, 1)), 1), u32x4(0x7fff_fffc, 4, 0x4000_0000, 0), "i32x4.shr_u")?;
    check(i32x4_lt(black_box(i32x4(-1, 2, 3, 4)), black_box(i32x4(1, 2, 4, 3))), i32x4(-1, 0, -1, 0), "i32x4.lt_s")?;
    check(u32x4_lt(black_box(i32x4(-1, 2, 3, 4)), black_box(i32x4(1, 2, 4, 3))), i32x4(0, 0, -1, 0), "i32x4.lt_u")?;
    Ok(())
}

/// f32x4: arithmetic against scalar f32 (the same IEEE operations), and the
/// NaN and signed-zero rules of min, max, pmin, pmax.
fn f32_arith() -> Result {
    let xs = [1.5f32, -2.25, 1e-40, 3.0e38, -0.0, 7.0, 0.1, -1e10];
    let ys = [0.5f32, 4.0, 1e-40, 3.0e38, 0.0, -7.0, 0.2, 3.0];
    for k in (0..8).step_by(4) {
        let x = black_box(f32x4(xs[k], xs[k + 1], xs[k + 2], xs[k + 3]));
        let y = black_box(f32x4(ys[k], ys[k + 1], ys[k + 2], ys[k + 3]));
        let lanes = |v: v128| -> [u32; 4] { core::array::from_fn(|j| u32::from_le_bytes(bytes(v)[4 * j..4 * j + 4].try_into().unwrap())) };
        let ops: [LaneOp<f32>; 6] = [
            ("add", f32x4_add(x, y), |a, b| a + b),
            ("sub", f32x4_sub(x, y), |a, b| a - b),
            ("mul", f32x4_mul(x, y), |a, b| a * b),
            ("div", f32x4_div(x, y), |a, b| a / b),
            ("sqrt(|x|)", f32x4_sqrt(f32x4_abs(x)), |a, _| a.abs().sqrt()),
            ("neg", f32x4_neg(x), |a, _| -a),
        ];
        for (name, v, f) in ops {
            let g = lanes(v);
            for j in 0..4 {
                check_eq(g[j], f(xs[k + j], ys[k + j]).to_bits(), &format!("f32x4.{name} lane {}", k + j))?;
            }
        }
    }
    let nan = f32::from_bits(0x7fc0_0005);
    let a = black_box(f32x4(-0.0, 1.0, nan, 2.0));
    let b = black_box(f32x4(0.0, nan, 3.0, -5.0));
    let bits = |v: v128| -> [u32; 4] { core::array::from_fn(|j| u32::from_le_bytes(bytes(v)[4 * j..4 * j + 4].try_into().unwrap())) };
    let mn = bits(f32x4_min(a, b));
    check_eq(mn[0], 0x8000_0000, "f32x4.min(-0, +0)")?;
    check_eq((f32::from_bits(mn[1]).is_nan(), f32::from_bits(mn[2]).is_nan(), mn[3]), (true, true, (-5.0f32).to_bits()), "f32x4.min NaN lanes")?;
    let mx = bits(f32x4_max(a, b));
    check_eq(mx[0], 0, "f32x4.max(-0, +0)")?;
    check_eq((f32::from_bits(mx[1]).is_nan(), f32::from_bits(mx[2]).is_nan()), (true, true), "f32x4.max NaN lanes")?;
    // pmin(a, b) = b < a ? b : a; pmax(a, b) = a < b ? b : a: bit-exact selects.
    check_eq(bits(f32x4_pmin(a, b)), [0x8000_0000, 1.0f32.to_bits(), 0x7fc0_0005, (-5.0f32).to_bits()], "f32x4.pmin")?;
    check_eq(bits(f32x4_pmax(a, b)), [0x8000_0000, 1.0f32.to_bits(), 0x7fc0_0005, 2.0f32.to_bits()], "f32x4.pmax")?;
    check(
        i32x4_trunc_sat_f32x4(black_box(f32x4(f32::NAN, 1e20, -1e20, -3.7))),
        i32x4(0, i32::MAX, i32::MIN, -3),
        "i32x4.trunc_sat_f32x4_s",
    )?;
    check(f32x4_nearest(black_box(f32x4(0.5, 1.5, 2.5, -0.5))), f32x4(0.0, 2.0, 2.0, -0.0), "f32x4.nearest")?;
    Ok(())
}

/// f64x2: arithmetic against scalar f64, conversions.
fn f64_arith() -> Result {
    let xs = [1.0f64 / 3.0, -2.5, 1e300, 5e-324, -0.0, 123456789.125];
    let ys = [3.0f64, 0.1, 1e10, 2.0, 1.0, -0.001];
    for k in (0..6).step_by(2) {
        let x = black_box(f64x2(xs[k], xs[k + 1]));
        let y = black_box(f64x2(ys[k], ys[k + 1]));
        let lanes = |v: v128| -> [u64; 2] { core::array::from_fn(|j| u64::from_le_bytes(bytes(v)[8 * j..8 * j + 8].try_into().unwrap())) };
        let ops: [LaneOp<f64>; 7] = [
            ("add", f64x2_add(x, y), |a, b| a + b),
            ("sub", f64x2_sub(x, y), |a, b| a - b),
            ("mul", f64x2_mul(x, y), |a, b| a * b),
            ("div", f64x2_div(x, y), |a, b| a / b),
            ("sqrt(|x|)", f64x2_sqrt(f64x2_abs(x)), |a, _| a.abs().sqrt()),
            ("floor", f64x2_floor(x), |a, _| a.floor()),
            ("ceil", f64x2_ceil(x), |a, _| a.ceil()),
        ];
        for (name, v, f) in ops {
            let g = lanes(v);
            for j in 0..2 {
                check_eq(g[j], f(xs[k + j], ys[k + j]).to_bits(), &format!("f64x2.{name} lane {}", k + j))?;
            }
        }
    }
    check(f64x2_convert_low_i32x4(black_box(i32x4(-7, i32::MAX, 0, 0))), f64x2(-7.0, 2147483647.0), "f64x2.convert_low_i32x4_s")?;
    check(f64x2_promote_low_f32x4(black_box(f32x4(0.1, -0.0, 9.0, 9.0))), f64x2(0.1f32 as f64, -0.0), "f64x2.promote_low")?;
    check(f32x4_demote_f64x2_zero(black_box(f64x2(0.1, 1e300))), f32x4(0.1, f32::INFINITY, 0.0, 0.0), "f32x4.demote_f64x2_zero")?;
    check(f64x2_lt(black_box(f64x2(f64::NAN, -1.0)), black_box(f64x2(0.0, 0.0))), i64x2(0, -1), "f64x2.lt")?;
    Ok(())
}

/// Shuffles, swizzle, bitselect, bitmask and all_true/any_true.
fn shuffles() -> Result {
    let a = load(&core::array::from_fn::<u8, 16, _>(|i| i as u8));
    let b = load(&core::array::from_fn::<u8, 16, _>(|i| 0x10 + i as u8));
    check(
        i8x16_shuffle::<15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0>(a, b),
        u8x16(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
        "reverse",
    )?;
    check(
        i8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(a, b),
        u8x16(0, 0x10, 1, 0x11, 2, 0x12, 3, 0x13, 4, 0x14, 5, 0x15, 6, 0x16, 7, 0x17),
        "interleave low",
    )?;
    check(i32x4_shuffle::<3, 7, 0, 4>(a, b), u32x4(0x0f0e0d0c, 0x1f1e1d1c, 0x03020100, 0x13121110), "i32x4 shuffle")?;
    check(i64x2_shuffle::<1, 2>(a, b), u64x2(0x0f0e0d0c0b0a0908, 0x1716151413121110), "i64x2 shuffle")?;
    // swizzle: indices of 16 and above give 0.
    let idx = black_box(u8x16(3, 3, 0, 15, 16, 17, 255, 128, 1, 2, 4, 8, 14, 13, 12, 11));
    check(u8x16_swizzle(b, idx), u8x16(0x13, 0x13, 0x10, 0x1f, 0, 0, 0, 0, 0x11, 0x12, 0x14, 0x18, 0x1e, 0x1d, 0x1c, 0x1b), "swizzle")?;
    // A table lookup: nibbles to hex digits through swizzle.
    let digits = load(b"0123456789abcdef");
    let input = load(&[0xde, 0xad, 0xbe, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x00, 0xff, 0x10, 0x7f]);
    let hi = u8x16_swizzle(digits, u8x16_shr(input, 4));
    let lo = u8x16_swizzle(digits, v128_and(input, u8x16_splat(0x0f)));
    let mut text = [0u8; 32];
    // SAFETY: 32 writable bytes.
    unsafe {
        v128_store(text.as_mut_ptr() as *mut v128, u8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(hi, lo));
        v128_store(text.as_mut_ptr().add(16) as *mut v128, u8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(hi, lo));
    }
    check_eq(&text[..], &b"deadbeef0123456789abcdef00ff107f"[..], "hex through swizzle")?;

    let m = black_box(u32x4(0xffff_0000, 0x0f0f_0f0f, 0, !0));
    let p = black_box(u32x4_splat(0x1234_5678));
    let q = black_box(u32x4_splat(0x9abc_def0));
    check(v128_bitselect(p, q, m), u32x4(0x1234_def0, 0x92b4_d6f8, 0x9abc_def0, 0x1234_5678), "bitselect")?;
    check(v128_andnot(p, m), u32x4(0x5678, 0x1030_5070, 0x1234_5678, 0), "andnot")?;

    let v = black_box(u8x16(0x80, 0, 0xff, 0x7f, 0, 0, 0, 0x90, 1, 2, 3, 0x80, 0, 0, 0, 0xfe));
    check_eq(i8x16_bitmask(v), 0x8885, "i8x16.bitmask")?;
    check_eq(i16x8_bitmask(black_box(i16x8(-1, 0, 1, -32768, 0, 0, 0, -2))), 0x89, "i16x8.bitmask")?;
    check_eq(i32x4_bitmask(black_box(i32x4(0, -1, 0, -1))), 0b1010, "i32x4.bitmask")?;
    check_eq(i64x2_bitmask(black_box(i64x2(-1, 1))), 1, "i64x2.bitmask")?;
    check_eq(v128_any_true(black_box(u64x2(0, 1 << 63))), true, "any_true")?;
    check_eq(v128_any_true(black_box(u64x2(0, 0))), false, "any_true of zero")?;
    check_eq(i8x16_all_true(v), false, "i8x16.all_true")?;
    check_eq(i16x8_all_true(black_box(u16x8_splat(0x0100))), true, "i16x8.all_true")?;
    check_eq(i32x4_all_true(black_box(u64x2(1 << 32, 1 << 32))), false, "i32x4.all_true")?;
    check_eq(i64x2_all_true(black_box(u64x2(1 << 32, 1 << 32))), true, "i64x2.all_true")?;
    Ok(())
}

/// Loads and stores: unaligned, lane, splat, zero and extending loads.
fn loads_stores() -> Result {
    let mut buf: [u8; 64] = core::array::from_fn(|i| (i as u8).wrapping_mul(7).wrapping_add(0x81));
    let p = black_box(buf.as_mut_ptr());
    // SAFETY: every access stays inside `buf`; none needs alignment.
    unsafe {
        let v = v128_load(p.add(3) as *const v128);
        check_eq(bytes(v), core::array::from_fn(|i| buf[3 + i]), "unaligned v128.load")?;
        let z = v128_load64_zero(p.add(5) as *const u64);
        check_eq(bytes(z), core::array::from_fn(|i| if i < 8 { buf[5 + i] } else { 0 }), "load64_zero")?;
        let s = v128_load32_splat(p.add(9) as *const u32);
        check_eq(bytes(s), core::array::from_fn(|i| buf[9 + i % 4]), "load32_splat")?;
        let l = v128_load16_lane::<5>(u8x16_splat(0xaa), p.add(1) as *const u16);
        check_eq(bytes(l), core::array::from_fn(|i| match i { 10 => buf[1], 11 => buf[2], _ => 0xaa }), "load16_lane")?;
        let e = i16x8_load_extend_i8x8(p.add(2) as *const i8);
        for j in 0..8 {
            let lane = i16::from_le_bytes([bytes(e)[2 * j], bytes(e)[2 * j + 1]]);
            check_eq(lane, buf[2 + j] as i8 as i16, &format!("load8x8_s lane {j}"))?;
        }
        let e = u32x4_load_extend_u16x4(p.add(7) as *const u16);
        for j in 0..4 {
            let lane = u32::from_le_bytes(bytes(e)[4 * j..4 * j + 4].try_into().unwrap());
            check_eq(lane, u16::from_le_bytes([buf[7 + 2 * j], buf[8 + 2 * j]]) as u32, &format!("load16x4_u lane {j}"))?;
        }
        let src = u8x16(0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf);
        let src = black_box(src);
        let before = buf;
        v128_store(p.add(33) as *mut v128, src);
        v128_store32_lane::<2>(src, p.add(50) as *mut u32);
        v128_store8_lane::<15>(src, p.add(60));
        let buf = core::ptr::read(p as *const [u8; 64]);
        for i in 0..64 {
            let want = match i {
                33..=48 => 0xa0 + (i - 33) as u8,
                50..=53 => 0xa8 + (i - 50) as u8,
                60 => 0xaf,
                _ => before[i],
            };
            check_eq(buf[i], want, &format!("byte {i} after stores"))?;
        }
    }
    Ok(())
}

/// A small image kernel: 8-bit pixels blended with a weight in 16 bits,
/// narrowed back with saturation, against scalar code.
fn blend() -> Result {
    let n = 4096;
    let a: Vec<u8> = (0..n).map(|i| ((i * 7) ^ (i >> 3)) as u8).collect();
    let b: Vec<u8> = (0..n).map(|i| ((i * 13) + 100) as u8).collect();
    let mut out = vec![0u8; n];
    let w = black_box(77i16);
    for i in (0..n).step_by(16) {
        let (x, y) = (load(&a[i..]), load(&b[i..]));
        let f = |lo: v128, hi: v128| -> v128 {
            // (x * w + y * (256 - w) + 128) >> 8, then + 10 with saturation.
            let t = i16x8_add(i16x8_mul(lo, i16x8_splat(w)), i16x8_mul(hi, i16x8_splat(256 - w)));
            u16x8_shr(u16x8_add(t, u16x8_splat(128)), 8)
        };
        let lo = f(u16x8_extend_low_u8x16(x), u16x8_extend_low_u8x16(y));
        let hi = f(u16x8_extend_high_u8x16(x), u16x8_extend_high_u8x16(y));
        let r = u8x16_add_sat(u8x16_narrow_i16x8(lo, hi), u8x16_splat(10));
        // SAFETY: 16 writable bytes at out[i..].
        unsafe { v128_store(out[i..].as_mut_ptr() as *mut v128, r) };
    }
    for i in 0..n {
        let t = (a[i] as u32 * w as u32 + b[i] as u32 * (256 - w as u32) + 128) >> 8;
        let want = (t as u8).saturating_add(10);
        check_eq(out[i], want, &format!("pixel {i}"))?;
    }
    Ok(())
}

/// A case: its name and its check.
type Case = (&'static str, fn() -> Result);

const CASES: &[Case] = &[
    ("u8_arith", u8_arith),
    ("i16_arith", i16_arith),
    ("i32_reduce", i32_reduce),
    ("f32_arith", f32_arith),
    ("f64_arith", f64_arith),
    ("shuffles", shuffles),
    ("loads_stores", loads_stores),
    ("blend", blend),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(name) = args.get(1) else {
        eprintln!("usage: simd_rust.wasm CASE | list");
        return ExitCode::from(2);
    };
    if name == "list" {
        for (n, _) in CASES {
            println!("{n}");
        }
        return ExitCode::SUCCESS;
    }
    match CASES.iter().find(|(n, _)| n == name) {
        Some((n, f)) => match f() {
            Ok(()) => {
                println!("ok {n}");
                ExitCode::SUCCESS
            }
            Err(why) => {
                eprintln!("FAIL {n}: {why}");
                ExitCode::from(1)
            }
        },
        None => {
            eprintln!("FAIL {name}: unknown case (try 'list')");
            ExitCode::from(2)
        }
    }
}
