//! Canonical NaNs in v128 results, for `Config::canonical_nans`: every NaN
//! lane becomes the positive canonical NaN, other lanes keep their bits.

/// Lanes `BITS` wide: a lane whose magnitude is above infinity's bits is a
/// NaN.
#[inline]
fn canonicalize<const BITS: u32>(a: u128, infinity: u128, canonical: u128) -> u128 {
    let lane_mask = u128::MAX >> (128 - BITS);
    let magnitude = lane_mask >> 1;
    let mut out = 0;
    for i in 0..128 / BITS {
        let lane = (a >> (i * BITS)) & lane_mask;
        let lane = if lane & magnitude > infinity { canonical } else { lane };
        out |= lane << (i * BITS);
    }
    out
}

#[inline]
pub(crate) fn f32x4_canonicalize(a: u128) -> u128 {
    canonicalize::<32>(a, 0x7f80_0000, 0x7fc0_0000)
}

#[inline]
pub(crate) fn f64x2_canonicalize(a: u128) -> u128 {
    canonicalize::<64>(a, 0x7ff0_0000_0000_0000, 0x7ff8_0000_0000_0000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_nan_lanes_change() {
        // Lanes: a negative NaN with a payload, -inf, 1.0, a signalling NaN.
        let a = 0x7f80_0001_3f80_0000_ff80_0000_ffc1_2345u128;
        assert_eq!(f32x4_canonicalize(a), 0x7fc0_0000_3f80_0000_ff80_0000_7fc0_0000);
        let b = (0xfff8_0000_0000_0001u128 << 64) | 0x8000_0000_0000_0000;
        assert_eq!(f64x2_canonicalize(b), (0x7ff8_0000_0000_0000u128 << 64) | 0x8000_0000_0000_0000);
    }
}
