//! f32x4 and f64x2 lane arithmetic: add/sub/mul/div, sqrt, the roundings,
//! abs/neg, min/max, pmin/pmax and the comparisons.
//!
//! Arithmetic is the host's IEEE arithmetic, which the spec allows for NaN
//! results too (any arithmetic NaN). Three places need more than the host
//! operator: wasm min/max (NaN-propagating, -0 < +0, which Rust's
//! `f32::min` is not), abs/neg (pure sign-bit operations, so a NaN's payload
//! survives), and the roundings, where a libm fallback may hand a signalling
//! NaN back unchanged and the spec wants an arithmetic (quiet) one.

use super::lanes::*;

/// Scalar lane operations shared by both float shapes and by relaxed.rs.
pub(crate) trait Float: Copy + PartialOrd + std::ops::Add<Output = Self> {
    type Bits: Copy
        + std::ops::BitOr<Output = Self::Bits>
        + std::ops::BitAnd<Output = Self::Bits>
        + std::ops::BitXor<Output = Self::Bits>
        + std::ops::Not<Output = Self::Bits>;
    const SIGN: Self::Bits;
    const QUIET: Self::Bits;
    fn to_bits(self) -> Self::Bits;
    fn from_bits(b: Self::Bits) -> Self;
    fn is_nan(self) -> bool;

    /// A NaN with its quiet bit set; other values unchanged.
    #[inline]
    fn quieted(self) -> Self {
        if self.is_nan() {
            Self::from_bits(self.to_bits() | Self::QUIET)
        } else {
            self
        }
    }

    /// The spec's `fmin`: NaN if either operand is, and -0 below +0.
    #[inline]
    fn wasm_min(self, y: Self) -> Self {
        if self.is_nan() || y.is_nan() {
            // Adding propagates a NaN operand as a quiet NaN.
            self + y
        } else if self == y {
            // Equal and both zero: the OR of the bits is -0 if either is.
            // Equal otherwise: the bits are identical anyway.
            Self::from_bits(self.to_bits() | y.to_bits())
        } else if self < y {
            self
        } else {
            y
        }
    }

    /// The spec's `fmax`: NaN if either operand is, and +0 above -0.
    #[inline]
    fn wasm_max(self, y: Self) -> Self {
        if self.is_nan() || y.is_nan() {
            self + y
        } else if self == y {
            Self::from_bits(self.to_bits() & y.to_bits())
        } else if self > y {
            self
        } else {
            y
        }
    }

    #[inline]
    fn abs_bits(self) -> Self {
        Self::from_bits(self.to_bits() & !Self::SIGN)
    }

    #[inline]
    fn neg_bits(self) -> Self {
        Self::from_bits(self.to_bits() ^ Self::SIGN)
    }
}

impl Float for f32 {
    type Bits = u32;
    const SIGN: u32 = 1 << 31;
    const QUIET: u32 = 1 << 22;
    #[inline]
    fn to_bits(self) -> u32 {
        f32::to_bits(self)
    }
    #[inline]
    fn from_bits(b: u32) -> f32 {
        f32::from_bits(b)
    }
    #[inline]
    fn is_nan(self) -> bool {
        f32::is_nan(self)
    }
}

impl Float for f64 {
    type Bits = u64;
    const SIGN: u64 = 1 << 63;
    const QUIET: u64 = 1 << 51;
    #[inline]
    fn to_bits(self) -> u64 {
        f64::to_bits(self)
    }
    #[inline]
    fn from_bits(b: u64) -> f64 {
        f64::from_bits(b)
    }
    #[inline]
    fn is_nan(self) -> bool {
        f64::is_nan(self)
    }
}

macro_rules! float_shape {
    ($shape:ty, $ishape:ty,
     $add:ident, $sub:ident, $mul:ident, $div:ident, $min:ident, $max:ident, $pmin:ident, $pmax:ident,
     $sqrt:ident, $ceil:ident, $floor:ident, $trunc:ident, $nearest:ident, $abs:ident, $neg:ident,
     $eq:ident, $ne:ident, $lt:ident, $gt:ident, $le:ident, $ge:ident) => {
        #[inline]
        pub(crate) fn $add(a: u128, b: u128) -> u128 {
            zip::<$shape>(a, b, |x, y| x + y)
        }
        #[inline]
        pub(crate) fn $sub(a: u128, b: u128) -> u128 {
            zip::<$shape>(a, b, |x, y| x - y)
        }
        #[inline]
        pub(crate) fn $mul(a: u128, b: u128) -> u128 {
            zip::<$shape>(a, b, |x, y| x * y)
        }
        #[inline]
        pub(crate) fn $div(a: u128, b: u128) -> u128 {
            zip::<$shape>(a, b, |x, y| x / y)
        }
        #[inline]
        pub(crate) fn $min(a: u128, b: u128) -> u128 {
            zip::<$shape>(a, b, Float::wasm_min)
        }
        #[inline]
        pub(crate) fn $max(a: u128, b: u128) -> u128 {
            zip::<$shape>(a, b, Float::wasm_max)
        }
        // pmin/pmax are pure comparisons (C's `b < a ? b : a`): a NaN in `a`
        // is returned as is, with its payload.
        #[inline]
        pub(crate) fn $pmin(a: u128, b: u128) -> u128 {
            zip::<$shape>(a, b, |x, y| if y < x { y } else { x })
        }
        #[inline]
        pub(crate) fn $pmax(a: u128, b: u128) -> u128 {
            zip::<$shape>(a, b, |x, y| if x < y { y } else { x })
        }
        #[inline]
        pub(crate) fn $sqrt(a: u128) -> u128 {
            map::<$shape>(a, |x| x.sqrt().quieted())
        }
        #[inline]
        pub(crate) fn $ceil(a: u128) -> u128 {
            map::<$shape>(a, |x| x.ceil().quieted())
        }
        #[inline]
        pub(crate) fn $floor(a: u128) -> u128 {
            map::<$shape>(a, |x| x.floor().quieted())
        }
        #[inline]
        pub(crate) fn $trunc(a: u128) -> u128 {
            map::<$shape>(a, |x| x.trunc().quieted())
        }
        /// Round to nearest, ties to even (IEEE roundTiesToEven).
        #[inline]
        pub(crate) fn $nearest(a: u128) -> u128 {
            map::<$shape>(a, |x| x.round_ties_even().quieted())
        }
        #[inline]
        pub(crate) fn $abs(a: u128) -> u128 {
            map::<$shape>(a, Float::abs_bits)
        }
        #[inline]
        pub(crate) fn $neg(a: u128) -> u128 {
            map::<$shape>(a, Float::neg_bits)
        }
        // IEEE comparisons: every ordering with a NaN is false, `ne` true.
        #[inline]
        pub(crate) fn $eq(a: u128, b: u128) -> u128 {
            compare::<$shape, $ishape>(a, b, |x, y| x == y)
        }
        #[inline]
        pub(crate) fn $ne(a: u128, b: u128) -> u128 {
            compare::<$shape, $ishape>(a, b, |x, y| x != y)
        }
        #[inline]
        pub(crate) fn $lt(a: u128, b: u128) -> u128 {
            compare::<$shape, $ishape>(a, b, |x, y| x < y)
        }
        #[inline]
        pub(crate) fn $gt(a: u128, b: u128) -> u128 {
            compare::<$shape, $ishape>(a, b, |x, y| x > y)
        }
        #[inline]
        pub(crate) fn $le(a: u128, b: u128) -> u128 {
            compare::<$shape, $ishape>(a, b, |x, y| x <= y)
        }
        #[inline]
        pub(crate) fn $ge(a: u128, b: u128) -> u128 {
            compare::<$shape, $ishape>(a, b, |x, y| x >= y)
        }
    };
}

float_shape!(
    F32x4, I32x4,
    f32x4_add, f32x4_sub, f32x4_mul, f32x4_div, f32x4_min, f32x4_max, f32x4_pmin, f32x4_pmax,
    f32x4_sqrt, f32x4_ceil, f32x4_floor, f32x4_trunc, f32x4_nearest, f32x4_abs, f32x4_neg,
    f32x4_eq, f32x4_ne, f32x4_lt, f32x4_gt, f32x4_le, f32x4_ge
);

float_shape!(
    F64x2, I64x2,
    f64x2_add, f64x2_sub, f64x2_mul, f64x2_div, f64x2_min, f64x2_max, f64x2_pmin, f64x2_pmax,
    f64x2_sqrt, f64x2_ceil, f64x2_floor, f64x2_trunc, f64x2_nearest, f64x2_abs, f64x2_neg,
    f64x2_eq, f64x2_ne, f64x2_lt, f64x2_gt, f64x2_le, f64x2_ge
);

#[cfg(test)]
mod tests {
    use super::*;

    fn f32s(l: [f32; 4]) -> u128 {
        pack(l)
    }
    fn f64s(l: [f64; 2]) -> u128 {
        pack(l)
    }
    fn bits32(v: u128) -> [u32; 4] {
        view(v)
    }
    fn bits64(v: u128) -> [u64; 2] {
        view(v)
    }
    fn is_quiet32(b: u32) -> bool {
        f32::from_bits(b).is_nan() && b & (1 << 22) != 0
    }
    fn is_quiet64(b: u64) -> bool {
        f64::from_bits(b).is_nan() && b & (1 << 51) != 0
    }
    const SNAN32: f32 = f32::from_bits(0x7f80_0001);
    const SNAN64: f64 = f64::from_bits(0x7ff0_0000_0000_0001);

    #[test]
    fn min_max_order_zeros_and_propagate_nan() {
        let a = f32s([-0.0, 0.0, f32::NAN, 1.0]);
        let b = f32s([0.0, -0.0, 1.0, f32::NAN]);
        let mn = bits32(f32x4_min(a, b));
        assert_eq!(mn[0], (-0.0f32).to_bits());
        assert_eq!(mn[1], (-0.0f32).to_bits());
        assert!(is_quiet32(mn[2]) && is_quiet32(mn[3]));
        let mx = bits32(f32x4_max(a, b));
        assert_eq!(mx[0], 0.0f32.to_bits());
        assert_eq!(mx[1], 0.0f32.to_bits());
        assert!(is_quiet32(mx[2]) && is_quiet32(mx[3]));
        // A signalling NaN operand still gives a quiet NaN.
        let r = bits32(f32x4_min(f32s([SNAN32, 0.0, f32::INFINITY, -1.0]), f32s([0.0, SNAN32, f32::NEG_INFINITY, 2.0])));
        assert!(is_quiet32(r[0]) && is_quiet32(r[1]));
        assert_eq!(f32::from_bits(r[2]), f32::NEG_INFINITY);
        assert_eq!(f32::from_bits(r[3]), -1.0);
        // A canonical NaN operand gives a canonical NaN (simd_f32x4.wast).
        let r = bits32(f32x4_min(f32s([f32::NAN, 0.0, f32::NAN, -0.0]), f32s([0.0, f32::NAN, -0.0, f32::NAN])));
        assert!(r.iter().all(|&b| b & 0x7fff_ffff == 0x7fc0_0000));
        let r = bits64(f64x2_max(f64s([-0.0, SNAN64]), f64s([0.0, 5.0])));
        assert_eq!(r[0], 0.0f64.to_bits());
        assert!(is_quiet64(r[1]));
        let r = bits64(f64x2_min(f64s([-0.0, 3.0]), f64s([-0.0, -3.0])));
        assert_eq!(r, [(-0.0f64).to_bits(), (-3.0f64).to_bits()]);
    }

    #[test]
    fn pmin_pmax_are_plain_comparisons() {
        let nan = f32::from_bits(0x7fc0_1234);
        let a = f32s([nan, 1.0, -0.0, 0.0]);
        let b = f32s([1.0, nan, 0.0, -0.0]);
        // NaN compares false: the first operand comes back, payload and all;
        // equal zeros also return the first operand.
        assert_eq!(bits32(f32x4_pmin(a, b)), [0x7fc0_1234, 1.0f32.to_bits(), (-0.0f32).to_bits(), 0]);
        assert_eq!(bits32(f32x4_pmax(a, b)), [0x7fc0_1234, 1.0f32.to_bits(), (-0.0f32).to_bits(), 0]);
        let r = view::<F64x2>(f64x2_pmin(f64s([2.0, -1.0]), f64s([1.0, 3.0])));
        assert_eq!(r, [1.0, -1.0]);
        let r = view::<F64x2>(f64x2_pmax(f64s([2.0, -1.0]), f64s([1.0, 3.0])));
        assert_eq!(r, [2.0, 3.0]);
    }

    #[test]
    fn nearest_ties_to_even_and_other_roundings() {
        let a = f32s([0.5, 1.5, -2.5, -0.5]);
        let n = bits32(f32x4_nearest(a));
        assert_eq!(n, [0.0f32.to_bits(), 2.0f32.to_bits(), (-2.0f32).to_bits(), (-0.0f32).to_bits()]);
        assert_eq!(view::<F64x2>(f64x2_nearest(f64s([2.5, 3.5]))), [2.0, 4.0]);
        // 2^52 + 1 and larger are already integers.
        assert_eq!(view::<F64x2>(f64x2_nearest(f64s([4503599627370497.0, -0.49999999999999994]))), [4503599627370497.0, -0.0]);
        let c = bits32(f32x4_ceil(f32s([-0.5, 0.5, 1.0, -1.5])));
        assert_eq!(c, [(-0.0f32).to_bits(), 1.0f32.to_bits(), 1.0f32.to_bits(), (-1.0f32).to_bits()]);
        let f = view::<F32x4>(f32x4_floor(f32s([-0.5, 0.5, 1.0, -1.5])));
        assert_eq!(f, [-1.0, 0.0, 1.0, -2.0]);
        let t = bits64(f64x2_trunc(f64s([-0.7, 1.9])));
        assert_eq!(t, [(-0.0f64).to_bits(), 1.0f64.to_bits()]);
        let f = view::<F64x2>(f64x2_floor(f64s([f64::NEG_INFINITY, -1e300])));
        assert_eq!(f, [f64::NEG_INFINITY, -1e300]);
    }

    #[test]
    fn roundings_and_sqrt_quiet_nans() {
        for op in [f32x4_ceil, f32x4_floor, f32x4_trunc, f32x4_nearest, f32x4_sqrt] {
            let r = bits32(op(f32s([SNAN32, f32::NAN, -f32::NAN, 4.0])));
            assert!(is_quiet32(r[0]) && is_quiet32(r[1]) && is_quiet32(r[2]));
            // A canonical NaN stays canonical.
            assert_eq!(r[1] & 0x7fff_ffff, 0x7fc0_0000);
        }
        for op in [f64x2_ceil, f64x2_floor, f64x2_trunc, f64x2_nearest, f64x2_sqrt] {
            let r = bits64(op(f64s([SNAN64, f64::NAN])));
            assert!(is_quiet64(r[0]) && is_quiet64(r[1]));
        }
        assert_eq!(view::<F32x4>(f32x4_sqrt(f32s([4.0, 0.25, f32::INFINITY, -0.0])))[..3], [2.0, 0.5, f32::INFINITY]);
        assert_eq!(bits32(f32x4_sqrt(f32s([-0.0, 0.0, 0.0, 0.0])))[0], (-0.0f32).to_bits());
        assert!(view::<F64x2>(f64x2_sqrt(f64s([-1.0, 2.0])))[0].is_nan());
    }

    #[test]
    fn abs_neg_touch_only_the_sign() {
        let a = pack::<U32x4>([0xffc0_1234, 0x7f80_0001, 0x8000_0000, 0x3f80_0000]);
        assert_eq!(bits32(f32x4_abs(a)), [0x7fc0_1234, 0x7f80_0001, 0, 0x3f80_0000]);
        assert_eq!(bits32(f32x4_neg(a)), [0x7fc0_1234, 0xff80_0001, 0, 0xbf80_0000]);
        let b = pack::<U64x2>([0x7ff0_0000_0000_0001, 0]);
        assert_eq!(bits64(f64x2_neg(b)), [0xfff0_0000_0000_0001, 0x8000_0000_0000_0000]);
        assert_eq!(bits64(f64x2_abs(f64x2_neg(b))), [0x7ff0_0000_0000_0001, 0]);
    }

    #[test]
    fn arithmetic_is_ieee() {
        let r = view::<F32x4>(f32x4_add(f32s([1.0, f32::MAX, 0.1, -0.0]), f32s([2.0, f32::MAX, 0.2, 0.0])));
        assert_eq!(r, [3.0, f32::INFINITY, 0.1f32 + 0.2f32, 0.0]);
        let r = view::<F32x4>(f32x4_div(f32s([1.0, -1.0, 0.0, 6.0]), f32s([0.0, 0.0, 1.0, 3.0])));
        assert_eq!(r, [f32::INFINITY, f32::NEG_INFINITY, 0.0, 2.0]);
        let r = view::<F64x2>(f64x2_sub(f64s([1.0, 0.3]), f64s([1.0, 0.1])));
        assert_eq!(r, [0.0, 0.3 - 0.1]);
        let r = view::<F64x2>(f64x2_mul(f64s([1e308, -2.0]), f64s([10.0, 0.5])));
        assert_eq!(r, [f64::INFINITY, -1.0]);
        assert!(view::<F64x2>(f64x2_div(f64s([0.0, 1.0]), f64s([0.0, 1.0])))[0].is_nan());
    }

    #[test]
    fn comparisons_are_ieee() {
        let a = f32s([f32::NAN, 1.0, -0.0, 1.0]);
        let b = f32s([f32::NAN, 2.0, 0.0, 1.0]);
        assert_eq!(view::<I32x4>(f32x4_eq(a, b)), [0, 0, -1, -1]);
        assert_eq!(view::<I32x4>(f32x4_ne(a, b)), [-1, -1, 0, 0]);
        assert_eq!(view::<I32x4>(f32x4_lt(a, b)), [0, -1, 0, 0]);
        assert_eq!(view::<I32x4>(f32x4_le(a, b)), [0, -1, -1, -1]);
        assert_eq!(view::<I32x4>(f32x4_gt(a, b)), [0, 0, 0, 0]);
        assert_eq!(view::<I32x4>(f32x4_ge(a, b)), [0, 0, -1, -1]);
        let c = f64s([f64::NAN, 3.0]);
        let d = f64s([0.0, 2.0]);
        assert_eq!(view::<I64x2>(f64x2_gt(c, d)), [0, -1]);
        assert_eq!(view::<I64x2>(f64x2_ge(c, d)), [0, -1]);
        assert_eq!(view::<I64x2>(f64x2_lt(c, d)), [0, 0]);
        assert_eq!(view::<I64x2>(f64x2_le(c, d)), [0, 0]);
        assert_eq!(view::<I64x2>(f64x2_eq(c, c)), [0, -1]);
        assert_eq!(view::<I64x2>(f64x2_ne(c, c)), [-1, 0]);
    }
}
