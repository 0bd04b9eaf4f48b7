//! Integer lane arithmetic: add/sub/mul (wrapping), saturating add/sub,
//! min/max, avgr, abs/neg/popcnt, comparisons, shifts, all_true/bitmask, and
//! the shape-changing operations (narrow, extend, extmul, extadd_pairwise,
//! dot, q15mulr).
//!
//! Lane arithmetic wraps unless the instruction's name says `sat`: that is
//! the spec's `iadd_N` etc. (results modulo 2^N).

use super::lanes::*;

macro_rules! binary {
    ($($name:ident: $shape:ty = |$a:ident, $b:ident| $e:expr;)*) => {$(
        #[inline]
        pub(crate) fn $name(a: u128, b: u128) -> u128 {
            zip::<$shape>(a, b, |$a, $b| $e)
        }
    )*};
}

macro_rules! unary {
    ($($name:ident: $shape:ty = |$a:ident| $e:expr;)*) => {$(
        #[inline]
        pub(crate) fn $name(a: u128) -> u128 {
            map::<$shape>(a, |$a| $e)
        }
    )*};
}

// Comparisons: the shape gives the lanes' signedness; the result lanes are
// masks of the same width.
macro_rules! compares {
    ($($name:ident: $shape:ty = $op:tt;)*) => {$(
        #[inline]
        pub(crate) fn $name(a: u128, b: u128) -> u128 {
            compare::<$shape, $shape>(a, b, |x, y| x $op y)
        }
    )*};
}

// Shift counts are taken modulo the lane width; `wrapping_sh*` does exactly
// that masking, and arithmetic vs logical right shift follows the lane type.
macro_rules! shifts {
    ($($name:ident: $shape:ty = $op:ident;)*) => {$(
        #[inline]
        pub(crate) fn $name(a: u128, s: u32) -> u128 {
            map::<$shape>(a, |x| x.$op(s))
        }
    )*};
}

macro_rules! tests {
    ($($all_true:ident, $bitmask:ident: $shape:ty;)*) => {$(
        #[inline]
        pub(crate) fn $all_true(a: u128) -> u32 {
            let x = view::<$shape>(a);
            x.iter().all(|&l| l != 0) as u32
        }

        /// Bit i of the result is the sign bit of lane i.
        #[inline]
        pub(crate) fn $bitmask(a: u128) -> u32 {
            let x = view::<$shape>(a);
            x.iter().enumerate().fold(0, |m, (i, &l)| m | (((l < 0) as u32) << i))
        }
    )*};
}

binary! {
    i8x16_add: I8x16 = |x, y| x.wrapping_add(y);
    i8x16_sub: I8x16 = |x, y| x.wrapping_sub(y);
    i8x16_add_sat_s: I8x16 = |x, y| x.saturating_add(y);
    i8x16_add_sat_u: U8x16 = |x, y| x.saturating_add(y);
    i8x16_sub_sat_s: I8x16 = |x, y| x.saturating_sub(y);
    i8x16_sub_sat_u: U8x16 = |x, y| x.saturating_sub(y);
    i8x16_min_s: I8x16 = |x, y| x.min(y);
    i8x16_min_u: U8x16 = |x, y| x.min(y);
    i8x16_max_s: I8x16 = |x, y| x.max(y);
    i8x16_max_u: U8x16 = |x, y| x.max(y);
    // (a + b + 1) / 2 computed one width up so the sum cannot overflow.
    i8x16_avgr_u: U8x16 = |x, y| ((x as u16 + y as u16 + 1) >> 1) as u8;

    i16x8_add: I16x8 = |x, y| x.wrapping_add(y);
    i16x8_sub: I16x8 = |x, y| x.wrapping_sub(y);
    i16x8_mul: I16x8 = |x, y| x.wrapping_mul(y);
    i16x8_add_sat_s: I16x8 = |x, y| x.saturating_add(y);
    i16x8_add_sat_u: U16x8 = |x, y| x.saturating_add(y);
    i16x8_sub_sat_s: I16x8 = |x, y| x.saturating_sub(y);
    i16x8_sub_sat_u: U16x8 = |x, y| x.saturating_sub(y);
    i16x8_min_s: I16x8 = |x, y| x.min(y);
    i16x8_min_u: U16x8 = |x, y| x.min(y);
    i16x8_max_s: I16x8 = |x, y| x.max(y);
    i16x8_max_u: U16x8 = |x, y| x.max(y);
    i16x8_avgr_u: U16x8 = |x, y| ((x as u32 + y as u32 + 1) >> 1) as u16;
    i16x8_q15mulr_sat_s: I16x8 = |x, y| q15mulr_sat(x, y);

    i32x4_add: I32x4 = |x, y| x.wrapping_add(y);
    i32x4_sub: I32x4 = |x, y| x.wrapping_sub(y);
    i32x4_mul: I32x4 = |x, y| x.wrapping_mul(y);
    i32x4_min_s: I32x4 = |x, y| x.min(y);
    i32x4_min_u: U32x4 = |x, y| x.min(y);
    i32x4_max_s: I32x4 = |x, y| x.max(y);
    i32x4_max_u: U32x4 = |x, y| x.max(y);

    i64x2_add: I64x2 = |x, y| x.wrapping_add(y);
    i64x2_sub: I64x2 = |x, y| x.wrapping_sub(y);
    i64x2_mul: I64x2 = |x, y| x.wrapping_mul(y);
}

/// The spec's `iq15mulr_sat_s`: sat16((x * y + 2^14) >> 15). Only
/// -32768 * -32768 leaves the i16 range (it gives 32768, saturated to 32767).
#[inline]
pub(crate) fn q15mulr_sat(x: i16, y: i16) -> i16 {
    let p = (x as i32 * y as i32 + 0x4000) >> 15;
    p.clamp(i16::MIN as i32, i16::MAX as i32) as i16
}

unary! {
    // abs of MIN wraps back to MIN (the spec's iabs is defined modulo 2^N).
    i8x16_abs: I8x16 = |x| x.wrapping_abs();
    i8x16_neg: I8x16 = |x| x.wrapping_neg();
    i8x16_popcnt: U8x16 = |x| x.count_ones() as u8;
    i16x8_abs: I16x8 = |x| x.wrapping_abs();
    i16x8_neg: I16x8 = |x| x.wrapping_neg();
    i32x4_abs: I32x4 = |x| x.wrapping_abs();
    i32x4_neg: I32x4 = |x| x.wrapping_neg();
    i64x2_abs: I64x2 = |x| x.wrapping_abs();
    i64x2_neg: I64x2 = |x| x.wrapping_neg();
}

compares! {
    i8x16_eq: I8x16 = ==;
    i8x16_ne: I8x16 = !=;
    i8x16_lt_s: I8x16 = <;
    i8x16_lt_u: U8x16 = <;
    i8x16_gt_s: I8x16 = >;
    i8x16_gt_u: U8x16 = >;
    i8x16_le_s: I8x16 = <=;
    i8x16_le_u: U8x16 = <=;
    i8x16_ge_s: I8x16 = >=;
    i8x16_ge_u: U8x16 = >=;

    i16x8_eq: I16x8 = ==;
    i16x8_ne: I16x8 = !=;
    i16x8_lt_s: I16x8 = <;
    i16x8_lt_u: U16x8 = <;
    i16x8_gt_s: I16x8 = >;
    i16x8_gt_u: U16x8 = >;
    i16x8_le_s: I16x8 = <=;
    i16x8_le_u: U16x8 = <=;
    i16x8_ge_s: I16x8 = >=;
    i16x8_ge_u: U16x8 = >=;

    i32x4_eq: I32x4 = ==;
    i32x4_ne: I32x4 = !=;
    i32x4_lt_s: I32x4 = <;
    i32x4_lt_u: U32x4 = <;
    i32x4_gt_s: I32x4 = >;
    i32x4_gt_u: U32x4 = >;
    i32x4_le_s: I32x4 = <=;
    i32x4_le_u: U32x4 = <=;
    i32x4_ge_s: I32x4 = >=;
    i32x4_ge_u: U32x4 = >=;

    // i64x2 has only signed orderings.
    i64x2_eq: I64x2 = ==;
    i64x2_ne: I64x2 = !=;
    i64x2_lt_s: I64x2 = <;
    i64x2_gt_s: I64x2 = >;
    i64x2_le_s: I64x2 = <=;
    i64x2_ge_s: I64x2 = >=;
}

shifts! {
    i8x16_shl: I8x16 = wrapping_shl;
    i8x16_shr_s: I8x16 = wrapping_shr;
    i8x16_shr_u: U8x16 = wrapping_shr;
    i16x8_shl: I16x8 = wrapping_shl;
    i16x8_shr_s: I16x8 = wrapping_shr;
    i16x8_shr_u: U16x8 = wrapping_shr;
    i32x4_shl: I32x4 = wrapping_shl;
    i32x4_shr_s: I32x4 = wrapping_shr;
    i32x4_shr_u: U32x4 = wrapping_shr;
    i64x2_shl: I64x2 = wrapping_shl;
    i64x2_shr_s: I64x2 = wrapping_shr;
    i64x2_shr_u: U64x2 = wrapping_shr;
}

tests! {
    i8x16_all_true, i8x16_bitmask: I8x16;
    i16x8_all_true, i16x8_bitmask: I16x8;
    i32x4_all_true, i32x4_bitmask: I32x4;
    i64x2_all_true, i64x2_bitmask: I64x2;
}

// ---- Shape-changing operations --------------------------------------------

/// Each lane of the narrow shape `D` from the lanes of `a` then `b` (shape
/// `S`, half as many lanes each), converted by `f`.
#[inline]
fn narrow<S: Lanes, D: Lanes>(a: u128, b: u128, f: impl Fn(S::Lane) -> D::Lane) -> u128 {
    let (x, y) = (view::<S>(a), view::<S>(b));
    D::from_fn(|i| if i < S::N { f(x.get(i)) } else { f(y.get(i - S::N)) }).to_v128()
}

/// Each lane of the wide shape `D` from lane `i + half` of `a` (shape `S`):
/// `half` is 0 for the low half, `D::N` for the high one.
#[inline]
fn widen<S: Lanes, D: Lanes>(a: u128, half: usize, f: impl Fn(S::Lane) -> D::Lane) -> u128 {
    let x = view::<S>(a);
    D::from_fn(|i| f(x.get(i + half))).to_v128()
}

#[inline]
fn widen2<S: Lanes, D: Lanes>(a: u128, b: u128, half: usize, f: impl Fn(S::Lane, S::Lane) -> D::Lane) -> u128 {
    let (x, y) = (view::<S>(a), view::<S>(b));
    D::from_fn(|i| f(x.get(i + half), y.get(i + half))).to_v128()
}

/// Each lane `i` of the wide shape `D` from lanes `2i` and `2i + 1` of `a`.
#[inline]
fn pairwise<S: Lanes, D: Lanes>(a: u128, f: impl Fn(S::Lane, S::Lane) -> D::Lane) -> u128 {
    let x = view::<S>(a);
    D::from_fn(|i| f(x.get(2 * i), x.get(2 * i + 1))).to_v128()
}

// Narrowing reads its input lanes as signed in both variants; `_u`
// saturates them into 0..=MAX of the unsigned target.
#[inline]
pub(crate) fn i8x16_narrow_i16x8_s(a: u128, b: u128) -> u128 {
    narrow::<I16x8, I8x16>(a, b, |x| x.clamp(i8::MIN as i16, i8::MAX as i16) as i8)
}
#[inline]
pub(crate) fn i8x16_narrow_i16x8_u(a: u128, b: u128) -> u128 {
    narrow::<I16x8, U8x16>(a, b, |x| x.clamp(0, u8::MAX as i16) as u8)
}
#[inline]
pub(crate) fn i16x8_narrow_i32x4_s(a: u128, b: u128) -> u128 {
    narrow::<I32x4, I16x8>(a, b, |x| x.clamp(i16::MIN as i32, i16::MAX as i32) as i16)
}
#[inline]
pub(crate) fn i16x8_narrow_i32x4_u(a: u128, b: u128) -> u128 {
    narrow::<I32x4, U16x8>(a, b, |x| x.clamp(0, u16::MAX as i32) as u16)
}

macro_rules! extends {
    ($($low:ident, $high:ident: $s:ty => $d:ty, $t:ty;)*) => {$(
        #[inline]
        pub(crate) fn $low(a: u128) -> u128 {
            widen::<$s, $d>(a, 0, <$t>::from)
        }
        #[inline]
        pub(crate) fn $high(a: u128) -> u128 {
            widen::<$s, $d>(a, <$d as Lanes>::N, <$t>::from)
        }
    )*};
}

// The source lane type's signedness picks sign or zero extension.
extends! {
    i16x8_extend_low_i8x16_s, i16x8_extend_high_i8x16_s: I8x16 => I16x8, i16;
    i16x8_extend_low_i8x16_u, i16x8_extend_high_i8x16_u: U8x16 => U16x8, u16;
    i32x4_extend_low_i16x8_s, i32x4_extend_high_i16x8_s: I16x8 => I32x4, i32;
    i32x4_extend_low_i16x8_u, i32x4_extend_high_i16x8_u: U16x8 => U32x4, u32;
    i64x2_extend_low_i32x4_s, i64x2_extend_high_i32x4_s: I32x4 => I64x2, i64;
    i64x2_extend_low_i32x4_u, i64x2_extend_high_i32x4_u: U32x4 => U64x2, u64;
}

macro_rules! extmuls {
    ($($low:ident, $high:ident: $s:ty => $d:ty, $t:ty;)*) => {$(
        #[inline]
        pub(crate) fn $low(a: u128, b: u128) -> u128 {
            widen2::<$s, $d>(a, b, 0, |x, y| <$t>::from(x).wrapping_mul(<$t>::from(y)))
        }
        #[inline]
        pub(crate) fn $high(a: u128, b: u128) -> u128 {
            widen2::<$s, $d>(a, b, <$d as Lanes>::N, |x, y| <$t>::from(x).wrapping_mul(<$t>::from(y)))
        }
    )*};
}

// Products of extended lanes fit the doubled width, except that unsigned
// ones may set its top bit: the wrapping multiply keeps the bit pattern.
extmuls! {
    i16x8_extmul_low_i8x16_s, i16x8_extmul_high_i8x16_s: I8x16 => I16x8, i16;
    i16x8_extmul_low_i8x16_u, i16x8_extmul_high_i8x16_u: U8x16 => U16x8, u16;
    i32x4_extmul_low_i16x8_s, i32x4_extmul_high_i16x8_s: I16x8 => I32x4, i32;
    i32x4_extmul_low_i16x8_u, i32x4_extmul_high_i16x8_u: U16x8 => U32x4, u32;
    i64x2_extmul_low_i32x4_s, i64x2_extmul_high_i32x4_s: I32x4 => I64x2, i64;
    i64x2_extmul_low_i32x4_u, i64x2_extmul_high_i32x4_u: U32x4 => U64x2, u64;
}

// Sums of two extended lanes never overflow the doubled width.
#[inline]
pub(crate) fn i16x8_extadd_pairwise_i8x16_s(a: u128) -> u128 {
    pairwise::<I8x16, I16x8>(a, |x, y| x as i16 + y as i16)
}
#[inline]
pub(crate) fn i16x8_extadd_pairwise_i8x16_u(a: u128) -> u128 {
    pairwise::<U8x16, U16x8>(a, |x, y| x as u16 + y as u16)
}
#[inline]
pub(crate) fn i32x4_extadd_pairwise_i16x8_s(a: u128) -> u128 {
    pairwise::<I16x8, I32x4>(a, |x, y| x as i32 + y as i32)
}
#[inline]
pub(crate) fn i32x4_extadd_pairwise_i16x8_u(a: u128) -> u128 {
    pairwise::<U16x8, U32x4>(a, |x, y| x as u32 + y as u32)
}

/// Products of signed i16 pairs summed into i32. The sum wraps: only
/// (-32768)^2 * 2 = 2^31 leaves the range, giving i32::MIN as the spec's
/// iadd_32 does.
#[inline]
pub(crate) fn i32x4_dot_i16x8_s(a: u128, b: u128) -> u128 {
    let (x, y) = (view::<I16x8>(a), view::<I16x8>(b));
    pack::<I32x4>(std::array::from_fn(|i| {
        let p0 = x[2 * i] as i32 * y[2 * i] as i32;
        let p1 = x[2 * i + 1] as i32 * y[2 * i + 1] as i32;
        p0.wrapping_add(p1)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i8s(l: [i8; 16]) -> u128 {
        pack(l)
    }
    fn i16s(l: [i16; 8]) -> u128 {
        pack(l)
    }
    fn i32s(l: [i32; 4]) -> u128 {
        pack(l)
    }
    fn i64s(l: [i64; 2]) -> u128 {
        pack(l)
    }

    #[test]
    fn wrapping_and_saturating_add() {
        let a = i8s([127, -128, 1, -1, 100, -100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let b = i8s([1, -1, 1, -1, 100, -100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(view::<I8x16>(i8x16_add(a, b))[..6], [-128, 127, 2, -2, -56, 56]);
        assert_eq!(view::<I8x16>(i8x16_add_sat_s(a, b))[..6], [127, -128, 2, -2, 127, -128]);
        // Unsigned: 0xff + 0xff saturates to 0xff, 0x7f + 1 = 0x80.
        assert_eq!(view::<U8x16>(i8x16_add_sat_u(a, b))[..4], [128, 255, 2, 255]);
        assert_eq!(view::<U8x16>(i8x16_sub_sat_u(b, a))[..4], [0, 127, 0, 0]);
        assert_eq!(view::<I8x16>(i8x16_sub_sat_s(a, b))[..2], [126, -127]);
        assert_eq!(view::<I8x16>(i8x16_sub_sat_s(b, a))[..2], [-126, 127]);
        let c = i16s([32767, -32768, -1, 0, 0, 0, 0, 0]);
        let d = i16s([1, -1, -1, 0, 0, 0, 0, 0]);
        assert_eq!(view::<I16x8>(i16x8_add_sat_s(c, d))[..3], [32767, -32768, -2]);
        assert_eq!(view::<U16x8>(i16x8_add_sat_u(c, d))[..3], [32768, 65535, 65535]);
        assert_eq!(view::<U16x8>(i16x8_sub_sat_u(d, c))[..3], [0, 32767, 0]);
    }

    #[test]
    fn mul_wraps() {
        let r = i16x8_mul(i16s([0x4000, -32768, 3, 0, 0, 0, 0, 0]), i16s([4, -1, -5, 0, 0, 0, 0, 0]));
        assert_eq!(view::<I16x8>(r)[..3], [0, -32768, -15]);
        let r = i64x2_mul(i64s([i64::MAX, 1 << 32]), i64s([2, 1 << 32]));
        assert_eq!(view::<I64x2>(r), [-2, 0]);
        let r = i32x4_mul(i32s([i32::MIN, 65536, 7, -7]), i32s([-1, 65536, 6, 6]));
        assert_eq!(view::<I32x4>(r), [i32::MIN, 0, 42, -42]);
    }

    #[test]
    fn min_max_avgr() {
        let a = i8s([-1, 1, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let b = i8s([1, -1, 127, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(view::<I8x16>(i8x16_min_s(a, b))[..4], [-1, -1, -128, -128]);
        assert_eq!(view::<I8x16>(i8x16_min_u(a, b))[..4], [1, 1, 127, 127]);
        assert_eq!(view::<I8x16>(i8x16_max_s(a, b))[..4], [1, 1, 127, 127]);
        assert_eq!(view::<I8x16>(i8x16_max_u(a, b))[..4], [-1, -1, -128, -128]);
        // avgr_u of 255 and 255 is 255 (no overflow), of 0 and 255 rounds up to 128.
        let r = i8x16_avgr_u(i8s([-1, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), i8s([-1, -1, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        assert_eq!(view::<U8x16>(r)[..4], [255, 128, 2, 2]);
        let r = i16x8_avgr_u(i16s([-1, 0, 0, 0, 0, 0, 0, 0]), i16s([-1, -1, 1, 0, 0, 0, 0, 0]));
        assert_eq!(view::<U16x8>(r)[..3], [65535, 32768, 1]);
        let r = i32x4_min_u(i32s([-1, 0, 5, -5]), i32s([1, -1, 6, -6]));
        assert_eq!(view::<I32x4>(r), [1, 0, 5, -6]);
    }

    #[test]
    fn abs_neg_popcnt() {
        let a = i8s([-128, -1, 1, 0, 127, -127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(view::<I8x16>(i8x16_abs(a))[..6], [-128, 1, 1, 0, 127, 127]);
        assert_eq!(view::<I8x16>(i8x16_neg(a))[..6], [-128, 1, -1, 0, -127, 127]);
        assert_eq!(view::<I64x2>(i64x2_abs(i64s([i64::MIN, -3]))), [i64::MIN, 3]);
        assert_eq!(view::<I32x4>(i32x4_abs(i32s([i32::MIN, -3, 3, 0]))), [i32::MIN, 3, 3, 0]);
        let p = i8x16_popcnt(pack::<U8x16>([0, 1, 3, 0x55, 0xff, 0x80, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0xaa]));
        assert_eq!(view::<U8x16>(p), [0, 1, 2, 4, 8, 1, 7, 0, 0, 0, 0, 0, 0, 0, 0, 4]);
    }

    #[test]
    fn compares_are_masks_with_signedness() {
        let a = i8s([-1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let b = i8s([1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(view::<I8x16>(i8x16_lt_s(a, b))[..3], [-1, 0, 0]);
        assert_eq!(view::<I8x16>(i8x16_lt_u(a, b))[..3], [0, 0, 0]);
        assert_eq!(view::<I8x16>(i8x16_gt_u(a, b))[..3], [-1, 0, 0]);
        assert_eq!(view::<I8x16>(i8x16_le_s(a, b))[..3], [-1, -1, -1]);
        assert_eq!(view::<I8x16>(i8x16_ge_u(a, b))[..3], [-1, -1, -1]);
        assert_eq!(i8x16_eq(a, a), u128::MAX);
        assert_eq!(i8x16_ne(a, a), 0);
        let r = i64x2_lt_s(i64s([-1, i64::MAX]), i64s([0, i64::MIN]));
        assert_eq!(view::<I64x2>(r), [-1, 0]);
        let r = i32x4_ge_u(i32s([-1, 0, 1, 2]), i32s([0, -1, 1, 3]));
        assert_eq!(view::<I32x4>(r), [-1, 0, -1, 0]);
        let r = i16x8_gt_s(i16s([-1, 1, 0, 0, 0, 0, 0, 0]), i16s([1, -1, 0, 0, 0, 0, 0, 0]));
        assert_eq!(view::<I16x8>(r)[..3], [0, -1, 0]);
    }

    #[test]
    fn shifts_take_count_modulo_lane_width() {
        let a = i8s([-128, 1, 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        // 9 is 1 modulo 8.
        assert_eq!(view::<I8x16>(i8x16_shl(a, 9))[..3], [0, 2, -128]);
        assert_eq!(view::<I8x16>(i8x16_shr_s(a, 9))[..3], [-64, 0, 0x20]);
        assert_eq!(view::<U8x16>(i8x16_shr_u(a, 9))[..3], [64, 0, 0x20]);
        assert_eq!(i8x16_shl(a, 8), a);
        let b = i16s([-32768, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(view::<I16x8>(i16x8_shr_s(b, 31))[0], -1);
        assert_eq!(view::<U16x8>(i16x8_shr_u(b, 31))[0], 1);
        let c = i32s([i32::MIN, 1, 0, 0]);
        assert_eq!(view::<I32x4>(i32x4_shr_s(c, 33)), [i32::MIN >> 1, 0, 0, 0]);
        assert_eq!(view::<I32x4>(i32x4_shl(c, 32)), [i32::MIN, 1, 0, 0]);
        let d = i64s([i64::MIN, 1]);
        assert_eq!(view::<U64x2>(i64x2_shr_u(d, 127)), [1, 0]);
        assert_eq!(view::<I64x2>(i64x2_shl(d, 65)), [0, 2]);
    }

    #[test]
    fn all_true_and_bitmask() {
        let a = i8s([1; 16]);
        assert_eq!(i8x16_all_true(a), 1);
        let mut l = [1i8; 16];
        l[15] = 0;
        assert_eq!(i8x16_all_true(i8s(l)), 0);
        let m = i8s([-1, 0, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1]);
        assert_eq!(i8x16_bitmask(m), 0b1000_0000_0000_0101);
        assert_eq!(i16x8_bitmask(i16s([-1, 0, 0, 0, 0, 0, 0, -32768])), 0x81);
        assert_eq!(i32x4_bitmask(i32s([0, -1, 0, -1])), 0b1010);
        assert_eq!(i64x2_bitmask(i64s([-1, 1])), 1);
        assert_eq!(i64x2_all_true(i64s([1 << 63, 1])), 1);
        assert_eq!(i32x4_all_true(i32s([1, 1, 0, 1])), 0);
        assert_eq!(i16x8_all_true(u128::MAX), 1);
    }

    #[test]
    fn q15mulr_saturates_only_min_times_min() {
        let a = i16s([-32768, -32768, 32767, 16384, -16384, 1, -1, 0]);
        let b = i16s([-32768, 32767, 32767, 16384, 16384, 16384, 16384, 0]);
        // 32767*32767 = 0x3fff0001; + 0x4000 >> 15 = 32766. 0.5*0.5 = 0.25 = 8192.
        // 1 * 16384 = 16384 + 16384 >> 15 = 1 (rounds half up); -1 * 16384 rounds to 0.
        assert_eq!(view::<I16x8>(i16x8_q15mulr_sat_s(a, b)), [32767, -32767, 32766, 8192, -8192, 1, 0, 0]);
    }

    #[test]
    fn narrow_saturates_signed_input() {
        let a = i16s([-129, -128, 127, 128, 255, 256, -1, 0]);
        let b = i16s([32767, -32768, 1, 2, 3, 4, 5, 6]);
        assert_eq!(view::<I8x16>(i8x16_narrow_i16x8_s(a, b)), [-128, -128, 127, 127, 127, 127, -1, 0, 127, -128, 1, 2, 3, 4, 5, 6]);
        assert_eq!(view::<U8x16>(i8x16_narrow_i16x8_u(a, b)), [0, 0, 127, 128, 255, 255, 0, 0, 255, 0, 1, 2, 3, 4, 5, 6]);
        let c = i32s([-32769, 32768, 65535, -1]);
        let d = i32s([65536, 40000, i32::MIN, i32::MAX]);
        assert_eq!(view::<I16x8>(i16x8_narrow_i32x4_s(c, d)), [-32768, 32767, 32767, -1, 32767, 32767, -32768, 32767]);
        assert_eq!(view::<U16x8>(i16x8_narrow_i32x4_u(c, d)), [0, 32768, 65535, 0, 65535, 40000, 0, 65535]);
    }

    #[test]
    fn extend_low_and_high() {
        let a = i8s([-1, 2, -3, 4, -5, 6, -7, 8, -128, 127, 0, 1, 2, 3, 4, -1]);
        assert_eq!(view::<I16x8>(i16x8_extend_low_i8x16_s(a)), [-1, 2, -3, 4, -5, 6, -7, 8]);
        assert_eq!(view::<I16x8>(i16x8_extend_high_i8x16_s(a)), [-128, 127, 0, 1, 2, 3, 4, -1]);
        assert_eq!(view::<U16x8>(i16x8_extend_high_i8x16_u(a)), [128, 127, 0, 1, 2, 3, 4, 255]);
        assert_eq!(view::<U16x8>(i16x8_extend_low_i8x16_u(a))[0], 255);
        let b = i32s([-1, 2, i32::MIN, 3]);
        assert_eq!(view::<I64x2>(i64x2_extend_low_i32x4_s(b)), [-1, 2]);
        assert_eq!(view::<I64x2>(i64x2_extend_high_i32x4_s(b)), [i32::MIN as i64, 3]);
        assert_eq!(view::<U64x2>(i64x2_extend_low_i32x4_u(b)), [0xffff_ffff, 2]);
        assert_eq!(view::<U64x2>(i64x2_extend_high_i32x4_u(b)), [0x8000_0000, 3]);
        let c = i16s([-1, 0, 0, 0, -32768, 0, 0, 7]);
        assert_eq!(view::<I32x4>(i32x4_extend_high_i16x8_s(c)), [-32768, 0, 0, 7]);
        assert_eq!(view::<U32x4>(i32x4_extend_low_i16x8_u(c)), [65535, 0, 0, 0]);
    }

    #[test]
    fn extmul_and_extadd_pairwise() {
        let a = i8s([-128, 127, -1, 0, 0, 0, 0, 0, -128, 0, 0, 0, 0, 0, 0, -1]);
        let b = i8s([-128, 127, -1, 0, 0, 0, 0, 0, 127, 0, 0, 0, 0, 0, 0, -1]);
        assert_eq!(view::<I16x8>(i16x8_extmul_low_i8x16_s(a, b))[..3], [16384, 16129, 1]);
        assert_eq!(view::<I16x8>(i16x8_extmul_high_i8x16_s(a, b))[..1], [-16256]);
        // 255 * 255 = 65025 sets the top bit of the u16 lane.
        assert_eq!(view::<U16x8>(i16x8_extmul_high_i8x16_u(a, b))[7], 65025);
        assert_eq!(view::<U16x8>(i16x8_extmul_low_i8x16_u(a, b))[0], 16384);
        let c = i32s([-1, i32::MIN, i32::MIN, -1]);
        assert_eq!(view::<I64x2>(i64x2_extmul_low_i32x4_s(c, c)), [1, 1 << 62]);
        assert_eq!(view::<U64x2>(i64x2_extmul_high_i32x4_u(c, c)), [1 << 62, 0xffff_fffe_0000_0001]);
        let d = i16s([-32768, -32768, 32767, 32767, -1, -1, 0, 0]);
        assert_eq!(view::<I32x4>(i32x4_extmul_low_i16x8_s(d, d)), [1 << 30, 1 << 30, 32767 * 32767, 32767 * 32767]);
        assert_eq!(view::<U32x4>(i32x4_extmul_high_i16x8_u(d, d)), [65535 * 65535, 65535 * 65535, 0, 0]);

        let p = i8s([-128, -128, 127, 127, -1, -1, 1, -1, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(view::<I16x8>(i16x8_extadd_pairwise_i8x16_s(p))[..4], [-256, 254, -2, 0]);
        assert_eq!(view::<U16x8>(i16x8_extadd_pairwise_i8x16_u(p))[..4], [256, 254, 510, 256]);
        let q = i16s([-32768, -32768, 32767, 32767, -1, -1, 0, 0]);
        assert_eq!(view::<I32x4>(i32x4_extadd_pairwise_i16x8_s(q)), [-65536, 65534, -2, 0]);
        assert_eq!(view::<U32x4>(i32x4_extadd_pairwise_i16x8_u(q)), [65536, 65534, 131070, 0]);
    }

    #[test]
    fn dot_wraps_the_one_overflowing_sum() {
        let a = i16s([-32768, -32768, 1, 2, 3, 4, 32767, 32767]);
        let b = i16s([-32768, -32768, 5, 6, -7, 8, 32767, 32767]);
        // 2^30 + 2^30 = 2^31 wraps to i32::MIN; 32767^2 * 2 = 2147352578 fits.
        assert_eq!(view::<I32x4>(i32x4_dot_i16x8_s(a, b)), [i32::MIN, 17, 11, 2147352578]);
    }
}
