//! Conversions between float and integer lanes: trunc_sat, convert, demote
//! and promote.
//!
//! Rust's `as` casts are exactly the spec's saturating truncation (NaN to 0,
//! out-of-range values to the nearest bound) and its correctly rounded
//! integer-to-float conversion, so they carry the semantics here.
//! `_zero` results fill lanes 2 and 3 with zero; `low` inputs read lanes 0
//! and 1.

use super::float::Float;
use super::lanes::*;

#[inline]
pub(crate) fn i32x4_trunc_sat_f32x4_s(a: u128) -> u128 {
    let x = view::<F32x4>(a);
    pack::<I32x4>(x.map(|f| f as i32))
}

#[inline]
pub(crate) fn i32x4_trunc_sat_f32x4_u(a: u128) -> u128 {
    let x = view::<F32x4>(a);
    pack::<U32x4>(x.map(|f| f as u32))
}

#[inline]
pub(crate) fn i32x4_trunc_sat_f64x2_s_zero(a: u128) -> u128 {
    let x = view::<F64x2>(a);
    pack::<I32x4>([x[0] as i32, x[1] as i32, 0, 0])
}

#[inline]
pub(crate) fn i32x4_trunc_sat_f64x2_u_zero(a: u128) -> u128 {
    let x = view::<F64x2>(a);
    pack::<U32x4>([x[0] as u32, x[1] as u32, 0, 0])
}

#[inline]
pub(crate) fn f32x4_convert_i32x4_s(a: u128) -> u128 {
    let x = view::<I32x4>(a);
    pack::<F32x4>(x.map(|i| i as f32))
}

#[inline]
pub(crate) fn f32x4_convert_i32x4_u(a: u128) -> u128 {
    let x = view::<U32x4>(a);
    pack::<F32x4>(x.map(|i| i as f32))
}

// Every i32/u32 is exact in f64.
#[inline]
pub(crate) fn f64x2_convert_low_i32x4_s(a: u128) -> u128 {
    let x = view::<I32x4>(a);
    pack::<F64x2>([x[0] as f64, x[1] as f64])
}

#[inline]
pub(crate) fn f64x2_convert_low_i32x4_u(a: u128) -> u128 {
    let x = view::<U32x4>(a);
    pack::<F64x2>([x[0] as f64, x[1] as f64])
}

// `as` rounds to nearest-even and keeps NaNs NaN; quieting them makes the
// result an arithmetic NaN, as the spec's demote/promote require, whatever
// the host's conversion instruction does with a signalling one.
#[inline]
pub(crate) fn f32x4_demote_f64x2_zero(a: u128) -> u128 {
    let x = view::<F64x2>(a);
    pack::<F32x4>([(x[0] as f32).quieted(), (x[1] as f32).quieted(), 0.0, 0.0])
}

#[inline]
pub(crate) fn f64x2_promote_low_f32x4(a: u128) -> u128 {
    let x = view::<F32x4>(a);
    pack::<F64x2>([(x[0] as f64).quieted(), (x[1] as f64).quieted()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunc_sat_f32() {
        let a = pack::<F32x4>([f32::NAN, f32::INFINITY, f32::NEG_INFINITY, -1.9]);
        assert_eq!(view::<I32x4>(i32x4_trunc_sat_f32x4_s(a)), [0, i32::MAX, i32::MIN, -1]);
        assert_eq!(view::<U32x4>(i32x4_trunc_sat_f32x4_u(a)), [0, u32::MAX, 0, 0]);
        let b = pack::<F32x4>([2147483648.0, -2147483904.0, 4294967296.0, 4294967040.0]);
        assert_eq!(view::<I32x4>(i32x4_trunc_sat_f32x4_s(b)), [i32::MAX, i32::MIN, i32::MAX, i32::MAX]);
        assert_eq!(view::<U32x4>(i32x4_trunc_sat_f32x4_u(b)), [2147483648, 0, u32::MAX, 4294967040]);
        let c = pack::<F32x4>([-0.9, 0.9, 1e-45, -f32::NAN]);
        assert_eq!(view::<I32x4>(i32x4_trunc_sat_f32x4_s(c)), [0, 0, 0, 0]);
        assert_eq!(view::<U32x4>(i32x4_trunc_sat_f32x4_u(c)), [0, 0, 0, 0]);
    }

    #[test]
    fn trunc_sat_f64_zero() {
        let a = pack::<F64x2>([2147483647.9, -2147483648.9]);
        assert_eq!(view::<I32x4>(i32x4_trunc_sat_f64x2_s_zero(a)), [i32::MAX, i32::MIN, 0, 0]);
        assert_eq!(view::<U32x4>(i32x4_trunc_sat_f64x2_u_zero(a)), [2147483647, 0, 0, 0]);
        let b = pack::<F64x2>([4294967295.9, f64::NAN]);
        assert_eq!(view::<U32x4>(i32x4_trunc_sat_f64x2_u_zero(b)), [u32::MAX, 0, 0, 0]);
        let c = pack::<F64x2>([1e300, f64::NEG_INFINITY]);
        assert_eq!(view::<I32x4>(i32x4_trunc_sat_f64x2_s_zero(c)), [i32::MAX, i32::MIN, 0, 0]);
        assert_eq!(view::<U32x4>(i32x4_trunc_sat_f64x2_u_zero(c)), [u32::MAX, 0, 0, 0]);
    }

    #[test]
    fn convert_rounds_correctly() {
        // u32::MAX rounds to 2^32; 16777217 (2^24 + 1) ties to even 2^24.
        let a = pack::<U32x4>([u32::MAX, 16777217, 0x8000_0000, 16777219]);
        assert_eq!(view::<F32x4>(f32x4_convert_i32x4_u(a)), [4294967296.0, 16777216.0, 2147483648.0, 16777220.0]);
        assert_eq!(view::<F32x4>(f32x4_convert_i32x4_s(a)), [-1.0, 16777216.0, -2147483648.0, 16777220.0]);
        let b = pack::<I32x4>([-1, i32::MIN, 7, 7]);
        assert_eq!(view::<F64x2>(f64x2_convert_low_i32x4_s(b)), [-1.0, -2147483648.0]);
        assert_eq!(view::<F64x2>(f64x2_convert_low_i32x4_u(b)), [4294967295.0, 2147483648.0]);
    }

    #[test]
    fn demote_and_promote() {
        let a = pack::<F64x2>([1.0 + f64::EPSILON, 1e300]);
        let r = view::<F32x4>(f32x4_demote_f64x2_zero(a));
        assert_eq!(r[..2], [1.0, f32::INFINITY]);
        assert_eq!(view::<U32x4>(f32x4_demote_f64x2_zero(a))[2..], [0, 0]);
        // Rounds to nearest: 0x1.000001p0 (half an f32 ulp above 1) ties to even 1.0,
        // a bit more rounds up.
        let b = pack::<F64x2>([f64::from_bits(0x3ff0_0000_1000_0000), f64::from_bits(0x3ff0_0000_1000_0001)]);
        assert_eq!(view::<F32x4>(f32x4_demote_f64x2_zero(b))[..2], [1.0, f32::from_bits(0x3f80_0001)]);
        let n = pack::<U64x2>([0x7ff0_0000_0000_0001, 0xfff8_0000_0000_0000]);
        let r = view::<U32x4>(f32x4_demote_f64x2_zero(n));
        assert!(f32::from_bits(r[0]).is_nan() && r[0] & (1 << 22) != 0);
        assert!(f32::from_bits(r[1]).is_nan() && r[1] & (1 << 22) != 0);

        let c = pack::<U32x4>([0x7f80_0001, (-0.0f32).to_bits(), 0, 0]);
        let r = view::<U64x2>(f64x2_promote_low_f32x4(c));
        assert!(f64::from_bits(r[0]).is_nan() && r[0] & (1 << 51) != 0);
        assert_eq!(r[1], (-0.0f64).to_bits());
        // A canonical NaN stays canonical both ways (simd_conversions.wast
        // expects nan:canonical for it).
        let r = view::<U64x2>(f64x2_promote_low_f32x4(pack::<U32x4>([0x7fc0_0000, 0xffc0_0000, 0, 0])));
        assert_eq!(r, [0x7ff8_0000_0000_0000, 0xfff8_0000_0000_0000]);
        let r = view::<U32x4>(f32x4_demote_f64x2_zero(pack::<U64x2>([0x7ff8_0000_0000_0000, 0xfff8_0000_0000_0000])));
        assert_eq!(r, [0x7fc0_0000, 0xffc0_0000, 0, 0]);
        let d = pack::<F32x4>([f32::MAX, f32::from_bits(1), 9.0, 9.0]);
        assert_eq!(view::<F64x2>(f64x2_promote_low_f32x4(d)), [f32::MAX as f64, 1.401298464324817e-45]);
    }
}
