//! Whole-vector bit operations and lane movement: not/and/andnot/or/xor,
//! bitselect, any_true, swizzle, shuffle, splat, extract_lane, replace_lane,
//! and the widening/splatting/zeroing halves of the SIMD loads and the lane
//! loads/stores (the executor does the memory access).
//!
//! Scalars cross the boundary as 64-bit cells: i32 and f32 in the low 32 bits
//! (for i8/i16 operands the upper bits may be garbage and are truncated
//! away), i64 and f64 in all 64. Lane indices are validated by the caller;
//! they are masked here only so an index can never panic.

use super::lanes::*;

#[inline]
pub(crate) fn v128_not(a: u128) -> u128 {
    !a
}

#[inline]
pub(crate) fn v128_and(a: u128, b: u128) -> u128 {
    a & b
}

/// `a & !b`: the second operand is the one complemented.
#[inline]
pub(crate) fn v128_andnot(a: u128, b: u128) -> u128 {
    a & !b
}

#[inline]
pub(crate) fn v128_or(a: u128, b: u128) -> u128 {
    a | b
}

#[inline]
pub(crate) fn v128_xor(a: u128, b: u128) -> u128 {
    a ^ b
}

/// Bits of `a` where the mask `c` has a 1, bits of `b` where it has a 0.
#[inline]
pub(crate) fn v128_bitselect(a: u128, b: u128, c: u128) -> u128 {
    (a & c) | (b & !c)
}

#[inline]
pub(crate) fn v128_any_true(a: u128) -> u32 {
    (a != 0) as u32
}

/// Lane i of the result is lane `b[i]` of `a`, or 0 when that index (an
/// unsigned byte) is 16 or more.
#[inline]
pub(crate) fn i8x16_swizzle(a: u128, b: u128) -> u128 {
    let (x, s) = (view::<U8x16>(a), view::<U8x16>(b));
    pack::<U8x16>(s.map(|j| if j < 16 { x[j as usize] } else { 0 }))
}

/// Lane i of the result is lane `lanes[i]` of the 32 lanes of `a` then `b`.
#[inline]
pub(crate) fn i8x16_shuffle(a: u128, b: u128, lanes: u128) -> u128 {
    let (x, y, s) = (view::<U8x16>(a), view::<U8x16>(b), view::<U8x16>(lanes));
    pack::<U8x16>(s.map(|j| {
        let j = (j & 31) as usize;
        if j < 16 {
            x[j]
        } else {
            y[j - 16]
        }
    }))
}

#[inline]
pub(crate) fn i8x16_splat(x: u64) -> u128 {
    pack::<U8x16>([x as u8; 16])
}

#[inline]
pub(crate) fn i16x8_splat(x: u64) -> u128 {
    pack::<U16x8>([x as u16; 8])
}

#[inline]
pub(crate) fn i32x4_splat(x: u64) -> u128 {
    pack::<U32x4>([x as u32; 4])
}

#[inline]
pub(crate) fn i64x2_splat(x: u64) -> u128 {
    pack::<U64x2>([x; 2])
}

// Float splats copy bits, so a NaN's payload is kept.
#[inline]
pub(crate) fn f32x4_splat(x: u64) -> u128 {
    i32x4_splat(x)
}

#[inline]
pub(crate) fn f64x2_splat(x: u64) -> u128 {
    i64x2_splat(x)
}

// extract_lane results are cells: i32 results zero-extended to 64 bits; the
// `_s` variants sign-extend the lane to i32 first.
#[inline]
pub(crate) fn i8x16_extract_lane_s(a: u128, lane: u32) -> u64 {
    view::<I8x16>(a)[(lane & 15) as usize] as i32 as u32 as u64
}

#[inline]
pub(crate) fn i8x16_extract_lane_u(a: u128, lane: u32) -> u64 {
    view::<U8x16>(a)[(lane & 15) as usize] as u64
}

#[inline]
pub(crate) fn i16x8_extract_lane_s(a: u128, lane: u32) -> u64 {
    view::<I16x8>(a)[(lane & 7) as usize] as i32 as u32 as u64
}

#[inline]
pub(crate) fn i16x8_extract_lane_u(a: u128, lane: u32) -> u64 {
    view::<U16x8>(a)[(lane & 7) as usize] as u64
}

#[inline]
pub(crate) fn i32x4_extract_lane(a: u128, lane: u32) -> u64 {
    view::<U32x4>(a)[(lane & 3) as usize] as u64
}

#[inline]
pub(crate) fn i64x2_extract_lane(a: u128, lane: u32) -> u64 {
    view::<U64x2>(a)[(lane & 1) as usize]
}

#[inline]
pub(crate) fn f32x4_extract_lane(a: u128, lane: u32) -> u64 {
    i32x4_extract_lane(a, lane)
}

#[inline]
pub(crate) fn f64x2_extract_lane(a: u128, lane: u32) -> u64 {
    i64x2_extract_lane(a, lane)
}

#[inline]
pub(crate) fn i8x16_replace_lane(a: u128, lane: u32, x: u64) -> u128 {
    let mut l = view::<U8x16>(a);
    l[(lane & 15) as usize] = x as u8;
    pack(l)
}

#[inline]
pub(crate) fn i16x8_replace_lane(a: u128, lane: u32, x: u64) -> u128 {
    let mut l = view::<U16x8>(a);
    l[(lane & 7) as usize] = x as u16;
    pack(l)
}

#[inline]
pub(crate) fn i32x4_replace_lane(a: u128, lane: u32, x: u64) -> u128 {
    let mut l = view::<U32x4>(a);
    l[(lane & 3) as usize] = x as u32;
    pack(l)
}

#[inline]
pub(crate) fn i64x2_replace_lane(a: u128, lane: u32, x: u64) -> u128 {
    let mut l = view::<U64x2>(a);
    l[(lane & 1) as usize] = x;
    pack(l)
}

#[inline]
pub(crate) fn f32x4_replace_lane(a: u128, lane: u32, x: u64) -> u128 {
    i32x4_replace_lane(a, lane, x)
}

#[inline]
pub(crate) fn f64x2_replace_lane(a: u128, lane: u32, x: u64) -> u128 {
    i64x2_replace_lane(a, lane, x)
}

// ---- Loads and lane stores: `x` is the loaded bytes, little-endian --------

/// The 8 bytes `x` as lanes of shape `S` (half width), each widened by `f`
/// into the lanes of `D`.
#[inline]
fn load_extend<S: Lanes, D: Lanes>(x: u64, f: impl Fn(S::Lane) -> D::Lane) -> u128 {
    let s = view::<S>(x as u128);
    D::from_fn(|i| f(s.get(i))).to_v128()
}

#[inline]
pub(crate) fn v128_load8x8_s(x: u64) -> u128 {
    load_extend::<I8x16, I16x8>(x, i16::from)
}

#[inline]
pub(crate) fn v128_load8x8_u(x: u64) -> u128 {
    load_extend::<U8x16, U16x8>(x, u16::from)
}

#[inline]
pub(crate) fn v128_load16x4_s(x: u64) -> u128 {
    load_extend::<I16x8, I32x4>(x, i32::from)
}

#[inline]
pub(crate) fn v128_load16x4_u(x: u64) -> u128 {
    load_extend::<U16x8, U32x4>(x, u32::from)
}

#[inline]
pub(crate) fn v128_load32x2_s(x: u64) -> u128 {
    load_extend::<I32x4, I64x2>(x, i64::from)
}

#[inline]
pub(crate) fn v128_load32x2_u(x: u64) -> u128 {
    load_extend::<U32x4, U64x2>(x, u64::from)
}

#[inline]
pub(crate) fn v128_load8_splat(x: u64) -> u128 {
    i8x16_splat(x)
}

#[inline]
pub(crate) fn v128_load16_splat(x: u64) -> u128 {
    i16x8_splat(x)
}

#[inline]
pub(crate) fn v128_load32_splat(x: u64) -> u128 {
    i32x4_splat(x)
}

#[inline]
pub(crate) fn v128_load64_splat(x: u64) -> u128 {
    i64x2_splat(x)
}

#[inline]
pub(crate) fn v128_load32_zero(x: u64) -> u128 {
    x as u32 as u128
}

#[inline]
pub(crate) fn v128_load64_zero(x: u64) -> u128 {
    x as u128
}

#[inline]
pub(crate) fn v128_load8_lane(a: u128, lane: u32, x: u64) -> u128 {
    i8x16_replace_lane(a, lane, x)
}

#[inline]
pub(crate) fn v128_load16_lane(a: u128, lane: u32, x: u64) -> u128 {
    i16x8_replace_lane(a, lane, x)
}

#[inline]
pub(crate) fn v128_load32_lane(a: u128, lane: u32, x: u64) -> u128 {
    i32x4_replace_lane(a, lane, x)
}

#[inline]
pub(crate) fn v128_load64_lane(a: u128, lane: u32, x: u64) -> u128 {
    i64x2_replace_lane(a, lane, x)
}

#[inline]
pub(crate) fn v128_store8_lane(a: u128, lane: u32) -> u64 {
    i8x16_extract_lane_u(a, lane)
}

#[inline]
pub(crate) fn v128_store16_lane(a: u128, lane: u32) -> u64 {
    i16x8_extract_lane_u(a, lane)
}

#[inline]
pub(crate) fn v128_store32_lane(a: u128, lane: u32) -> u64 {
    i32x4_extract_lane(a, lane)
}

#[inline]
pub(crate) fn v128_store64_lane(a: u128, lane: u32) -> u64 {
    i64x2_extract_lane(a, lane)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BYTES: u128 = 0x0f0e0d0c_0b0a0908_07060504_03020100;

    #[test]
    fn bitwise() {
        let a = 0xff00_ff00u128 | (1 << 127);
        let b = 0x0ff0_0ff0u128;
        assert_eq!(v128_not(0), u128::MAX);
        assert_eq!(v128_and(a, b), 0x0f00_0f00);
        assert_eq!(v128_andnot(a, b), 0xf000_f000 | (1 << 127));
        assert_eq!(v128_or(a, b), 0xfff0_fff0 | (1 << 127));
        assert_eq!(v128_xor(a, b), 0xf0f0_f0f0 | (1 << 127));
        // Mask 1 bits take from the first operand.
        assert_eq!(v128_bitselect(u128::MAX, 0, 0xf0f0), 0xf0f0);
        assert_eq!(v128_bitselect(0xabcd, 0x1234, 0xff00), 0xab34);
        assert_eq!(v128_any_true(0), 0);
        assert_eq!(v128_any_true(1 << 127), 1);
    }

    #[test]
    fn swizzle_zeroes_out_of_range() {
        let idx = pack::<U8x16>([15, 0, 16, 255, 128, 17, 1, 2, 3, 4, 5, 6, 7, 8, 31, 14]);
        let r = view::<U8x16>(i8x16_swizzle(BYTES, idx));
        assert_eq!(r, [15, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 14]);
    }

    #[test]
    fn shuffle_reads_both_operands() {
        let b = BYTES + 0x10101010_10101010_10101010_10101010; // lanes 16..31
        let idx = pack::<U8x16>([0, 16, 1, 17, 15, 31, 30, 14, 8, 24, 2, 3, 20, 21, 22, 23]);
        let r = view::<U8x16>(i8x16_shuffle(BYTES, b, idx));
        assert_eq!(r, [0, 16, 1, 17, 15, 31, 30, 14, 8, 24, 2, 3, 20, 21, 22, 23]);
    }

    #[test]
    fn splats_truncate_the_cell() {
        assert_eq!(i8x16_splat(0xdead_beef_1234_56ff), u128::MAX);
        assert_eq!(view::<U16x8>(i16x8_splat(0xffff_ffff_0001_8002)), [0x8002; 8]);
        assert_eq!(view::<U32x4>(i32x4_splat(0xffff_ffff_8000_0001)), [0x8000_0001; 4]);
        assert_eq!(view::<U64x2>(i64x2_splat(0x8000_0000_0000_0001)), [0x8000_0000_0000_0001; 2]);
        // f32 bits in the low half, signalling NaN payload kept.
        assert_eq!(view::<U32x4>(f32x4_splat(0x7f80_0001)), [0x7f80_0001; 4]);
        assert_eq!(view::<U64x2>(f64x2_splat(0x7ff0_0000_0000_0001)), [0x7ff0_0000_0000_0001; 2]);
        assert_eq!(v128_load8_splat(0x80), i8x16_splat(0x80));
        assert_eq!(v128_load64_splat(3), i64x2_splat(3));
    }

    #[test]
    fn extract_lane_cells() {
        let v = pack::<I8x16>([-1, 127, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5]);
        // Sign-extended to i32, then zero-extended into the 64-bit cell.
        assert_eq!(i8x16_extract_lane_s(v, 0), 0xffff_ffff);
        assert_eq!(i8x16_extract_lane_s(v, 2), 0xffff_ff80);
        assert_eq!(i8x16_extract_lane_s(v, 1), 127);
        assert_eq!(i8x16_extract_lane_u(v, 0), 0xff);
        assert_eq!(i8x16_extract_lane_u(v, 15), 5);
        let w = pack::<I16x8>([0, 0, 0, -32768, 0, 0, 0, 1]);
        assert_eq!(i16x8_extract_lane_s(w, 3), 0xffff_8000);
        assert_eq!(i16x8_extract_lane_u(w, 3), 0x8000);
        assert_eq!(i16x8_extract_lane_u(w, 7), 1);
        let d = pack::<I32x4>([0, -1, 0, 0]);
        assert_eq!(i32x4_extract_lane(d, 1), 0xffff_ffff);
        assert_eq!(i64x2_extract_lane(BYTES, 1), 0x0f0e0d0c_0b0a0908);
        assert_eq!(f32x4_extract_lane(pack::<F32x4>([0.0, 0.0, -1.5, 0.0]), 2), (-1.5f32).to_bits() as u64);
        assert_eq!(f64x2_extract_lane(pack::<F64x2>([0.0, -1.5]), 1), (-1.5f64).to_bits());
    }

    #[test]
    fn replace_lane_truncates_the_cell() {
        let r = i8x16_replace_lane(0, 15, 0xffff_ff80);
        assert_eq!(r, 0x80 << 120);
        let r = i16x8_replace_lane(u128::MAX, 0, 0x1_2345);
        assert_eq!(view::<U16x8>(r), [0x2345, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff]);
        let r = i32x4_replace_lane(0, 2, 0xffff_ffff_0000_0007);
        assert_eq!(view::<U32x4>(r), [0, 0, 7, 0]);
        let r = i64x2_replace_lane(BYTES, 0, u64::MAX);
        assert_eq!(view::<U64x2>(r), [u64::MAX, 0x0f0e0d0c_0b0a0908]);
        let r = f32x4_replace_lane(0, 3, 0x7fc0_0001);
        assert_eq!(view::<U32x4>(r)[3], 0x7fc0_0001);
        let r = f64x2_replace_lane(0, 1, 0xfff0_0000_0000_0001);
        assert_eq!(view::<U64x2>(r)[1], 0xfff0_0000_0000_0001);
    }

    #[test]
    fn load_extend() {
        let x = 0x8000_7fff_80ff_0102u64;
        assert_eq!(view::<I16x8>(v128_load8x8_s(x)), [2, 1, -1, -128, -1, 127, 0, -128]);
        assert_eq!(view::<U16x8>(v128_load8x8_u(x)), [2, 1, 255, 128, 255, 127, 0, 128]);
        assert_eq!(view::<I32x4>(v128_load16x4_s(x)), [0x0102, -32513, 32767, -32768]);
        assert_eq!(view::<U32x4>(v128_load16x4_u(x)), [0x0102, 0x80ff, 0x7fff, 0x8000]);
        assert_eq!(view::<I64x2>(v128_load32x2_s(x)), [0x80ff_0102u32 as i32 as i64, 0x8000_7fffu32 as i32 as i64]);
        assert_eq!(view::<U64x2>(v128_load32x2_u(x)), [0x80ff_0102, 0x8000_7fff]);
    }

    #[test]
    fn load_zero_and_lanes() {
        assert_eq!(v128_load32_zero(0xffff_ffff_1234_5678), 0x1234_5678);
        assert_eq!(v128_load64_zero(u64::MAX), u64::MAX as u128);
        assert_eq!(v128_load8_lane(0, 1, 0xab), 0xab00);
        assert_eq!(v128_load16_lane(0, 7, 0xabcd), 0xabcd << 112);
        assert_eq!(v128_load32_lane(0, 1, 0xdead_beef), 0xdead_beef << 32);
        assert_eq!(v128_load64_lane(u128::MAX, 0, 0), u128::MAX << 64);
        assert_eq!(v128_store8_lane(BYTES, 9), 9);
        assert_eq!(v128_store16_lane(BYTES, 1), 0x0302);
        assert_eq!(v128_store32_lane(u128::MAX, 3), 0xffff_ffff);
        assert_eq!(v128_store64_lane(BYTES, 0), 0x07060504_03020100);
    }
}
