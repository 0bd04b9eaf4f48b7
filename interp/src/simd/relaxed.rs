//! The 20 relaxed-SIMD instructions, in the deterministic profile's choice.
//!
//! The WebAssembly 3.0 spec defines each relaxed operator as
//! `relaxed(R)[A_0, ..., A_n]` over a global parameter R, and "In the
//! deterministic profile, every parameter is prescribed to be 0" (Execution >
//! Numerics > Relaxed Operations), i.e. the result is always A_0. Running
//! the deterministic choice keeps Porta's results (and step counts) the same
//! on every host. Each choice is also one the relaxed-simd tests accept
//! (their `either` alternatives in proposals/relaxed-simd/*.wast).
//!
//! | instruction                              | A_0 (what we compute)                         | spec operator (Relaxed Operations)           |
//! |------------------------------------------|-----------------------------------------------|----------------------------------------------|
//! | i8x16.relaxed_swizzle                    | swizzle: index >= 16 gives 0                  | irelaxed_swizzle_lane: [0, i[j mod n]]       |
//! | i32x4.relaxed_trunc_f32x4_s/_u           | trunc_sat_s/_u (NaN 0, saturate)              | relaxed_trunc^s: [trunc_sat_s, INT_MIN];     |
//! | i32x4.relaxed_trunc_f64x2_s/_u_zero      | trunc_sat_s/_u, lanes 2,3 zero                |   ^u: [trunc_sat_u, 2^N-1, 2^N-2, 2^(N-1)]   |
//! | f32x4/f64x2.relaxed_madd                 | a * b + c UNFUSED (two roundings)             | frelaxed_madd: [fadd(fmul(a,b),c), fma(a,b,c)]; note: "the unfused behaviour is used" |
//! | f32x4/f64x2.relaxed_nmadd                | (-a) * b + c unfused                          | frelaxed_nmadd = frelaxed_madd(-a, b, c)     |
//! | i8x16/i16x8/i32x4/i64x2.relaxed_laneselect | bitselect(a, b, c): every mask bit counts   | irelaxed_laneselect: [c, top bit of c spread] |
//! | f32x4/f64x2.relaxed_min/max              | fmin/fmax (NaN propagates, -0 < +0)           | frelaxed_min/max: [fmin/fmax, ...]           |
//! | i16x8.relaxed_q15mulr_s                  | q15mulr_sat_s (MIN * MIN gives MAX)           | irelaxed_q15mulr_s: [2^(N-1)-1, MIN]         |
//! | i16x8.relaxed_dot_i8x16_i7x16_s          | signed a * signed b, pairs added with i16 signed saturation | irelaxed_dot_mul: [signed*signed, signed*unsigned]; RELAXED_DOT uses ivdot_sat (iadd_sat_s) |
//! | i32x4.relaxed_dot_i8x16_i7x16_add_s      | the i16x8 relaxed dot above, extadd_pairwise_s to i32, + c wrapping | RELAXED_DOT_ADD = RELAXED_DOT, EXTADD_PAIRWISE S, ADD |
//!
//! Two of these differ from what one might guess: madd is deliberately not
//! fused (the spec's note: "In the deterministic profile, the unfused
//! behaviour is used"), and the i16 dot saturates its pair sum, which only
//! shows for (-128 * -128) * 2 = 32768, saturated to 32767 (b is meant to be
//! 7-bit, so the spec tests never reach it).

use super::bits::{i8x16_swizzle, v128_bitselect};
use super::convert::{
    i32x4_trunc_sat_f32x4_s, i32x4_trunc_sat_f32x4_u, i32x4_trunc_sat_f64x2_s_zero, i32x4_trunc_sat_f64x2_u_zero,
};
use super::float::{f32x4_max, f32x4_min, f64x2_max, f64x2_min};
use super::int::i16x8_q15mulr_sat_s;
use super::lanes::*;

#[inline]
pub(crate) fn i8x16_relaxed_swizzle(a: u128, s: u128) -> u128 {
    i8x16_swizzle(a, s)
}

#[inline]
pub(crate) fn i32x4_relaxed_trunc_f32x4_s(a: u128) -> u128 {
    i32x4_trunc_sat_f32x4_s(a)
}

#[inline]
pub(crate) fn i32x4_relaxed_trunc_f32x4_u(a: u128) -> u128 {
    i32x4_trunc_sat_f32x4_u(a)
}

#[inline]
pub(crate) fn i32x4_relaxed_trunc_f64x2_s_zero(a: u128) -> u128 {
    i32x4_trunc_sat_f64x2_s_zero(a)
}

#[inline]
pub(crate) fn i32x4_relaxed_trunc_f64x2_u_zero(a: u128) -> u128 {
    i32x4_trunc_sat_f64x2_u_zero(a)
}

// Rust never contracts `x * y + z` into a fused multiply-add, so this is
// the two-rounding form the deterministic profile prescribes.
#[inline]
pub(crate) fn f32x4_relaxed_madd(a: u128, b: u128, c: u128) -> u128 {
    zip3::<F32x4>(a, b, c, |x, y, z| x * y + z)
}

#[inline]
pub(crate) fn f32x4_relaxed_nmadd(a: u128, b: u128, c: u128) -> u128 {
    zip3::<F32x4>(a, b, c, |x, y, z| -x * y + z)
}

#[inline]
pub(crate) fn f64x2_relaxed_madd(a: u128, b: u128, c: u128) -> u128 {
    zip3::<F64x2>(a, b, c, |x, y, z| x * y + z)
}

#[inline]
pub(crate) fn f64x2_relaxed_nmadd(a: u128, b: u128, c: u128) -> u128 {
    zip3::<F64x2>(a, b, c, |x, y, z| -x * y + z)
}

// With the mask used bit for bit, the lane width no longer matters.
#[inline]
pub(crate) fn i8x16_relaxed_laneselect(a: u128, b: u128, c: u128) -> u128 {
    v128_bitselect(a, b, c)
}

#[inline]
pub(crate) fn i16x8_relaxed_laneselect(a: u128, b: u128, c: u128) -> u128 {
    v128_bitselect(a, b, c)
}

#[inline]
pub(crate) fn i32x4_relaxed_laneselect(a: u128, b: u128, c: u128) -> u128 {
    v128_bitselect(a, b, c)
}

#[inline]
pub(crate) fn i64x2_relaxed_laneselect(a: u128, b: u128, c: u128) -> u128 {
    v128_bitselect(a, b, c)
}

#[inline]
pub(crate) fn f32x4_relaxed_min(a: u128, b: u128) -> u128 {
    f32x4_min(a, b)
}

#[inline]
pub(crate) fn f32x4_relaxed_max(a: u128, b: u128) -> u128 {
    f32x4_max(a, b)
}

#[inline]
pub(crate) fn f64x2_relaxed_min(a: u128, b: u128) -> u128 {
    f64x2_min(a, b)
}

#[inline]
pub(crate) fn f64x2_relaxed_max(a: u128, b: u128) -> u128 {
    f64x2_max(a, b)
}

#[inline]
pub(crate) fn i16x8_relaxed_q15mulr_s(a: u128, b: u128) -> u128 {
    i16x8_q15mulr_sat_s(a, b)
}

/// Lane i: sat16(a[2i] * b[2i] + a[2i+1] * b[2i+1]), all lanes signed.
#[inline]
fn relaxed_dot_lanes(a: u128, b: u128) -> I16x8 {
    let (x, y) = (view::<I8x16>(a), view::<I8x16>(b));
    std::array::from_fn(|i| {
        let p0 = x[2 * i] as i16 * y[2 * i] as i16;
        let p1 = x[2 * i + 1] as i16 * y[2 * i + 1] as i16;
        p0.saturating_add(p1)
    })
}

#[inline]
pub(crate) fn i16x8_relaxed_dot_i8x16_i7x16_s(a: u128, b: u128) -> u128 {
    pack(relaxed_dot_lanes(a, b))
}

#[inline]
pub(crate) fn i32x4_relaxed_dot_i8x16_i7x16_add_s(a: u128, b: u128, c: u128) -> u128 {
    let d = relaxed_dot_lanes(a, b);
    let acc = view::<I32x4>(c);
    pack::<I32x4>(std::array::from_fn(|i| {
        (d[2 * i] as i32 + d[2 * i + 1] as i32).wrapping_add(acc[i])
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swizzle_is_the_strict_one() {
        let a = pack::<U8x16>(std::array::from_fn(|i| i as u8 + 100));
        // 16..31 would give i mod 16 under the other choice; >= 128 is 0 either way.
        let idx = pack::<U8x16>([16, 17, 31, 128, 255, 0, 15, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(view::<U8x16>(i8x16_relaxed_swizzle(a, idx)), [0, 0, 0, 0, 0, 100, 115, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    }

    #[test]
    fn trunc_saturates() {
        let a = pack::<F32x4>([f32::NAN, 3e9, -3e9, -1.5]);
        // The other choices would give INT_MIN (x86 cvttps2dq) or 2^32-1 etc.
        assert_eq!(view::<I32x4>(i32x4_relaxed_trunc_f32x4_s(a)), [0, i32::MAX, i32::MIN, -1]);
        assert_eq!(view::<U32x4>(i32x4_relaxed_trunc_f32x4_u(a)), [0, 3_000_000_000, 0, 0]);
        let b = pack::<F64x2>([f64::NAN, -1.0]);
        assert_eq!(view::<I32x4>(i32x4_relaxed_trunc_f64x2_s_zero(b)), [0, -1, 0, 0]);
        assert_eq!(view::<U32x4>(i32x4_relaxed_trunc_f64x2_u_zero(b)), [0, 0, 0, 0]);
        let c = pack::<F64x2>([5e9, 4294967295.5]);
        assert_eq!(view::<U32x4>(i32x4_relaxed_trunc_f64x2_u_zero(c)), [u32::MAX, u32::MAX, 0, 0]);
        assert_eq!(view::<I32x4>(i32x4_relaxed_trunc_f64x2_s_zero(c)), [i32::MAX, i32::MAX, 0, 0]);
    }

    #[test]
    fn madd_is_unfused() {
        // From relaxed_madd_nmadd.wast: x*y rounds away 2^-37, so x*y + z is
        // 0 unfused but 2^-37 fused.
        let x = f32::from_bits(0x3f80_0002); // 0x1.000004p+0
        let y = f32::from_bits(0x3f80_0100); // 0x1.0002p+0
        let z = f32::from_bits(0xbf80_0102); // -0x1.000204p+0
        let fused: f32 = 1.0 / (1u64 << 37) as f32;
        let r = view::<F32x4>(f32x4_relaxed_madd(pack([x; 4]), pack([y; 4]), pack([z; 4])));
        assert_eq!(r, [0.0; 4]);
        assert_eq!(x.mul_add(y, z), fused);
        let r = view::<F32x4>(f32x4_relaxed_nmadd(pack([-x; 4]), pack([y; 4]), pack([z; 4])));
        assert_eq!(r, [0.0; 4]);
        // FLT_MAX * 2 overflows before the subtraction: inf (fused: FLT_MAX).
        let r = view::<F32x4>(f32x4_relaxed_madd(pack([f32::MAX; 4]), pack([2.0f32; 4]), pack([-f32::MAX; 4])));
        assert_eq!(r, [f32::INFINITY; 4]);

        let x = f64::from_bits(0x3ff0_0000_0040_0000); // 0x1.00000004p+0
        let y = f64::from_bits(0x3ff0_0000_2000_0000); // 0x1.000002p+0
        let z = f64::from_bits(0xbff0_0000_2040_0000); // -0x1.00000204p+0
        let fused: f64 = 1.0 / (1u64 << 53) as f64;
        assert_eq!(x.mul_add(y, z), fused);
        assert_eq!(view::<F64x2>(f64x2_relaxed_madd(pack([x; 2]), pack([y; 2]), pack([z; 2]))), [0.0; 2]);
        assert_eq!(view::<F64x2>(f64x2_relaxed_nmadd(pack([x; 2]), pack([-y; 2]), pack([z; 2]))), [0.0; 2]);
        let r = f64x2_relaxed_madd(pack([f64::MAX; 2]), pack([2.0f64; 2]), pack([-f64::MAX; 2]));
        assert_eq!(view::<F64x2>(r), [f64::INFINITY; 2]);
        // Plain values: nmadd is c - a*b.
        let r = f64x2_relaxed_nmadd(pack([2.0f64, 3.0]), pack([5.0f64, 0.5]), pack([1.0f64, 1.0]));
        assert_eq!(view::<F64x2>(r), [-9.0, -0.5]);
    }

    #[test]
    fn laneselect_uses_every_mask_bit() {
        // A mask that mixes bits within a lane: the other choice would take
        // the whole lane by its top bit.
        let a = pack::<U64x2>([0x1234123412341234; 2]);
        let b = pack::<U64x2>([0x5678567856785678; 2]);
        let m = pack::<U64x2>([0xffff_ffff_0000_0000, 0x0000_0000_ffff_ffff]);
        let want = [0x1234123456785678, 0x5678567812341234];
        assert_eq!(view::<U64x2>(i64x2_relaxed_laneselect(a, b, m)), want);
        assert_eq!(view::<U64x2>(i32x4_relaxed_laneselect(a, b, m)), want);
        let m = pack::<U16x8>([0xff00, 0x00ff, 0xffff, 0, 0x8000, 0x7fff, 0, 0]);
        // 0x8000 alone takes only a's (clear) top bit: b's 0x5678; 0x7fff
        // takes a's low bits and b's clear top bit: 0x1234.
        let r = view::<U16x8>(i16x8_relaxed_laneselect(a, b, m));
        assert_eq!(r[..6], [0x1278, 0x5634, 0x1234, 0x5678, 0x5678, 0x1234]);
        let m = pack::<U8x16>([0xf0, 0x0f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let r = view::<U8x16>(i8x16_relaxed_laneselect(a, b, m));
        assert_eq!(r[..2], [0x38, 0x52]);
    }

    #[test]
    fn min_max_are_the_strict_ones() {
        let a = pack::<F32x4>([-f32::NAN, f32::NAN, 0.0, -0.0]);
        let b = pack::<F32x4>([0.0, 0.0, -0.0, 0.0]);
        let mn = view::<F32x4>(f32x4_relaxed_min(a, b));
        assert!(mn[0].is_nan() && mn[1].is_nan());
        assert_eq!([mn[2].to_bits(), mn[3].to_bits()], [(-0.0f32).to_bits(); 2]);
        let mx = view::<F32x4>(f32x4_relaxed_max(b, a));
        assert!(mx[0].is_nan() && mx[1].is_nan());
        assert_eq!([mx[2].to_bits(), mx[3].to_bits()], [0, 0]);
        let c = pack::<F64x2>([0.0, -0.0]);
        let d = pack::<F64x2>([f64::NAN, 0.0]);
        let r = view::<F64x2>(f64x2_relaxed_min(c, d));
        assert!(r[0].is_nan());
        assert_eq!(r[1].to_bits(), (-0.0f64).to_bits());
        let r = view::<F64x2>(f64x2_relaxed_max(c, d));
        assert!(r[0].is_nan());
        assert_eq!(r[1].to_bits(), 0);
    }

    #[test]
    fn q15mulr_saturates() {
        let a = pack::<I16x8>([-32768, -32767, 32767, 0, 0, 0, 0, 0]);
        let b = pack::<I16x8>([-32768, -32768, 32767, 0, 0, 0, 0, 0]);
        assert_eq!(view::<I16x8>(i16x8_relaxed_q15mulr_s(a, b)), [32767, 32767, 32766, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn dot_is_signed_times_signed_with_saturation() {
        let seq = pack::<I8x16>(std::array::from_fn(|i| i as i8));
        assert_eq!(view::<I16x8>(i16x8_relaxed_dot_i8x16_i7x16_s(seq, seq)), [1, 13, 41, 85, 145, 221, 313, 421]);
        let a = pack::<I8x16>([-128, -128, 127, 127, -128, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let b = pack::<I8x16>([127, 127, 127, 127, -127, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        // -128 * -127 * 2 = 32512 (signed); unsigned b would give 33024 or saturate to -32768.
        assert_eq!(view::<I16x8>(i16x8_relaxed_dot_i8x16_i7x16_s(a, b))[..3], [-32512, 32258, 32512]);
        // (-128)^2 * 2 = 32768 saturates.
        let m = pack::<I8x16>([-128; 16]);
        assert_eq!(view::<I16x8>(i16x8_relaxed_dot_i8x16_i7x16_s(m, m)), [32767; 8]);
        assert_eq!(view::<I16x8>(i16x8_relaxed_dot_i8x16_i7x16_s(m, pack([127i8; 16]))), [-32512; 8]);
    }

    #[test]
    fn dot_add_sums_four_products_and_the_accumulator() {
        let seq = pack::<I8x16>(std::array::from_fn(|i| i as i8));
        let r = i32x4_relaxed_dot_i8x16_i7x16_add_s(seq, seq, pack::<I32x4>([0, 1, 2, 3]));
        assert_eq!(view::<I32x4>(r), [14, 127, 368, 737]);
        let a = pack::<I8x16>([-128, -128, -128, -128, 127, 127, 127, 127, -128, -128, -128, -128, 0, 0, 0, 0]);
        let b = pack::<I8x16>([127, 127, 127, 127, 127, 127, 127, 127, -127, -127, -127, -127, 0, 0, 0, 0]);
        let r = i32x4_relaxed_dot_i8x16_i7x16_add_s(a, b, pack::<I32x4>([1, 2, 3, 4]));
        // The third lane is the spec test's "signed * signed" alternative, 65024 + 3.
        assert_eq!(view::<I32x4>(r), [-65023, 64518, 65027, 4]);
        // Each i16 pair sum saturates before widening: 32767 * 2 + 0; the add wraps.
        let m = pack::<I8x16>([-128; 16]);
        let r = i32x4_relaxed_dot_i8x16_i7x16_add_s(m, m, pack::<I32x4>([0, i32::MAX, -65534, 0]));
        assert_eq!(view::<I32x4>(r), [65534, i32::MIN + 65533, 0, 65534]);
    }
}
