//! Numeric semantics that Rust's operators do not give exactly as the
//! WebAssembly spec defines them: NaN-propagating `min`/`max` with signed
//! zeros, round-half-to-even, and checked float-to-integer truncation.

use crate::trap::TrapCode;

macro_rules! float_minmax {
    ($min:ident, $max:ident, $t:ty) => {
        pub(crate) fn $min(a: $t, b: $t) -> $t {
            if a.is_nan() || b.is_nan() {
                // Adding propagates a (quieted) NaN operand.
                return a + b;
            }
            if a == b {
                // -0 and +0 compare equal; the minimum is the negative one.
                return <$t>::from_bits(a.to_bits() | b.to_bits());
            }
            if a < b { a } else { b }
        }
        pub(crate) fn $max(a: $t, b: $t) -> $t {
            if a.is_nan() || b.is_nan() {
                return a + b;
            }
            if a == b {
                return <$t>::from_bits(a.to_bits() & b.to_bits());
            }
            if a > b { a } else { b }
        }
    };
}
float_minmax!(f32_min, f32_max, f32);
float_minmax!(f64_min, f64_max, f64);

/// Rounding (`ceil`, `floor`, `trunc`, `nearest`). The spec wants a quiet
/// NaN out for any NaN in; libm passes signalling NaNs through unchanged.
pub(crate) fn f32_round(x: f32, round: fn(f32) -> f32) -> f32 {
    if x.is_nan() {
        return f32::from_bits(x.to_bits() | 0x0040_0000);
    }
    round(x)
}
pub(crate) fn f64_round(x: f64, round: fn(f64) -> f64) -> f64 {
    if x.is_nan() {
        return f64::from_bits(x.to_bits() | 0x0008_0000_0000_0000);
    }
    round(x)
}

/// Truncation of a float to an integer type that traps when the value is
/// NaN or outside the open interval (`lo`, `hi`) of representable results.
macro_rules! checked_trunc {
    ($name:ident, $f:ty, $i:ty, $lo:expr, $hi:expr) => {
        pub(crate) fn $name(x: $f) -> Result<$i, TrapCode> {
            if x.is_nan() {
                return Err(TrapCode::InvalidConversionToInteger);
            }
            if !(x > $lo && x < $hi) {
                return Err(TrapCode::IntegerOverflow);
            }
            Ok(x as $i)
        }
    };
}
checked_trunc!(i32_trunc_f32_s, f32, i32, -2147483904.0f32, 2147483648.0f32);
checked_trunc!(i32_trunc_f32_u, f32, u32, -1.0f32, 4294967296.0f32);
checked_trunc!(i32_trunc_f64_s, f64, i32, -2147483649.0f64, 2147483648.0f64);
checked_trunc!(i32_trunc_f64_u, f64, u32, -1.0f64, 4294967296.0f64);
checked_trunc!(i64_trunc_f32_s, f32, i64, -9223373136366403584.0f32, 9223372036854775808.0f32);
checked_trunc!(i64_trunc_f32_u, f32, u64, -1.0f32, 18446744073709551616.0f32);
checked_trunc!(i64_trunc_f64_s, f64, i64, -9223372036854777856.0f64, 9223372036854775808.0f64);
checked_trunc!(i64_trunc_f64_u, f64, u64, -1.0f64, 18446744073709551616.0f64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_max_signed_zero_and_nan() {
        assert_eq!(f32_min(0.0, -0.0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(f32_max(-0.0, 0.0).to_bits(), 0.0f32.to_bits());
        assert!(f64_min(f64::NAN, 1.0).is_nan());
        assert!(f64_max(1.0, f64::NAN).is_nan());
    }

    #[test]
    fn truncation_bounds() {
        assert_eq!(i32_trunc_f32_s(-2147483648.0), Ok(i32::MIN));
        assert_eq!(i32_trunc_f32_s(2147483648.0), Err(TrapCode::IntegerOverflow));
        assert_eq!(i32_trunc_f64_s(-2147483648.9), Ok(i32::MIN));
        assert_eq!(i32_trunc_f64_u(-0.9), Ok(0));
        assert_eq!(i64_trunc_f64_u(f64::NAN), Err(TrapCode::InvalidConversionToInteger));
        assert_eq!(i32_nearest_check(), ());
    }

    fn i32_nearest_check() {
        assert_eq!(f32_round(2.5, f32::round_ties_even), 2.0);
        assert_eq!(f64_round(-3.5, f64::round_ties_even), -4.0);
        let snan = f32::from_bits(0x7fa0_0000);
        assert_eq!(f32_round(snan, f32::floor).to_bits(), 0x7fe0_0000);
    }
}
