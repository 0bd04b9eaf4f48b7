//! Lane views of a v128: a `u128` whose little-endian bytes are the wasm
//! lane bytes, seen as an array of lanes of one shape and put back, plus the
//! lane-wise map/zip/compare helpers the operation files are built from.
//!
//! On a little-endian host a view is the same 16 bytes reinterpreted, which
//! lets LLVM keep the lanes in a vector register: the fixed-length,
//! branch-free lane loops then compile to the host's SIMD instructions
//! (an i8x16 add to one `paddb` on x86-64). A big-endian host copies the
//! bytes through `to_le_bytes`/`from_le_bytes` instead.

use std::array;

pub(crate) type I8x16 = [i8; 16];
pub(crate) type U8x16 = [u8; 16];
pub(crate) type I16x8 = [i16; 8];
pub(crate) type U16x8 = [u16; 8];
pub(crate) type I32x4 = [i32; 4];
pub(crate) type U32x4 = [u32; 4];
pub(crate) type I64x2 = [i64; 2];
pub(crate) type U64x2 = [u64; 2];
pub(crate) type F32x4 = [f32; 4];
pub(crate) type F64x2 = [f64; 2];

/// An array of lanes that exactly fills 128 bits.
pub(crate) trait Lanes: Copy {
    type Lane: Copy;
    /// The number of lanes.
    const N: usize;
    fn from_v128(v: u128) -> Self;
    fn to_v128(self) -> u128;
    fn from_fn(f: impl FnMut(usize) -> Self::Lane) -> Self;
    fn get(&self, i: usize) -> Self::Lane;
}

macro_rules! lanes {
    ($t:ty, $n:literal, $w:literal) => {
        impl Lanes for [$t; $n] {
            type Lane = $t;
            const N: usize = $n;
            #[cfg(target_endian = "little")]
            #[inline]
            #[allow(unnecessary_transmutes)]
            fn from_v128(v: u128) -> Self {
                // SAFETY: both are 16 bytes of plain data; on a little-endian
                // host lane i sits at bytes i * w.., as wasm lays it out.
                unsafe { std::mem::transmute::<u128, Self>(v) }
            }
            #[cfg(target_endian = "little")]
            #[inline]
            #[allow(unnecessary_transmutes)]
            fn to_v128(self) -> u128 {
                // SAFETY: as above.
                unsafe { std::mem::transmute::<Self, u128>(self) }
            }
            #[cfg(target_endian = "big")]
            #[inline]
            fn from_v128(v: u128) -> Self {
                let b = v.to_le_bytes();
                array::from_fn(|i| {
                    let mut x = [0u8; $w];
                    x.copy_from_slice(&b[i * $w..i * $w + $w]);
                    <$t>::from_le_bytes(x)
                })
            }
            #[cfg(target_endian = "big")]
            #[inline]
            fn to_v128(self) -> u128 {
                let mut b = [0u8; 16];
                for (i, x) in self.into_iter().enumerate() {
                    b[i * $w..i * $w + $w].copy_from_slice(&x.to_le_bytes());
                }
                u128::from_le_bytes(b)
            }
            #[inline]
            fn from_fn(f: impl FnMut(usize) -> $t) -> Self {
                array::from_fn(f)
            }
            #[inline]
            fn get(&self, i: usize) -> $t {
                self[i]
            }
        }
    };
}

lanes!(i8, 16, 1);
lanes!(u8, 16, 1);
lanes!(i16, 8, 2);
lanes!(u16, 8, 2);
lanes!(i32, 4, 4);
lanes!(u32, 4, 4);
lanes!(i64, 2, 8);
lanes!(u64, 2, 8);
lanes!(f32, 4, 4);
lanes!(f64, 2, 8);

/// The v128 `v` seen as lanes of shape `L`.
#[inline]
pub(crate) fn view<L: Lanes>(v: u128) -> L {
    L::from_v128(v)
}

/// The v128 made of the lanes `l`.
#[inline]
pub(crate) fn pack<L: Lanes>(l: L) -> u128 {
    l.to_v128()
}

/// Applies `f` to every lane of `a` in shape `L`.
#[inline]
pub(crate) fn map<L: Lanes>(a: u128, mut f: impl FnMut(L::Lane) -> L::Lane) -> u128 {
    let x = L::from_v128(a);
    L::from_fn(|i| f(x.get(i))).to_v128()
}

/// Applies `f` to every pair of corresponding lanes of `a` and `b`.
#[inline]
pub(crate) fn zip<L: Lanes>(a: u128, b: u128, mut f: impl FnMut(L::Lane, L::Lane) -> L::Lane) -> u128 {
    let (x, y) = (L::from_v128(a), L::from_v128(b));
    L::from_fn(|i| f(x.get(i), y.get(i))).to_v128()
}

/// Applies `f` to every triple of corresponding lanes of `a`, `b` and `c`.
#[inline]
pub(crate) fn zip3<L: Lanes>(
    a: u128,
    b: u128,
    c: u128,
    mut f: impl FnMut(L::Lane, L::Lane, L::Lane) -> L::Lane,
) -> u128 {
    let (x, y, z) = (L::from_v128(a), L::from_v128(b), L::from_v128(c));
    L::from_fn(|i| f(x.get(i), y.get(i), z.get(i))).to_v128()
}

/// A lane of all ones for true and all zeros for false: the result lanes of
/// every SIMD comparison.
pub(crate) trait Mask: Copy {
    fn mask(b: bool) -> Self;
}

macro_rules! mask {
    ($($t:ty),*) => {$(
        impl Mask for $t {
            #[inline]
            fn mask(b: bool) -> Self {
                // 0 - 1 wraps to all ones in every width.
                (0 as $t).wrapping_sub(b as $t)
            }
        }
    )*};
}
mask!(i8, u8, i16, u16, i32, u32, i64, u64);

/// Compares corresponding lanes of `a` and `b` seen as shape `L`; each result
/// lane, in the integer shape `M` of the same lane width, is all ones where
/// `f` holds and zero elsewhere.
#[inline]
pub(crate) fn compare<L: Lanes, M: Lanes>(a: u128, b: u128, mut f: impl FnMut(L::Lane, L::Lane) -> bool) -> u128
where
    M::Lane: Mask,
{
    let (x, y) = (L::from_v128(a), L::from_v128(b));
    M::from_fn(|i| M::Lane::mask(f(x.get(i), y.get(i)))).to_v128()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_zero_is_the_low_bits() {
        let v = 0x0f0e0d0c_0b0a0908_07060504_03020100u128;
        let b: U8x16 = view(v);
        assert_eq!(b[0], 0x00);
        assert_eq!(b[15], 0x0f);
        let h: U16x8 = view(v);
        assert_eq!(h[0], 0x0100);
        assert_eq!(h[7], 0x0f0e);
        let w: U32x4 = view(v);
        assert_eq!(w, [0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c]);
        let d: U64x2 = view(v);
        assert_eq!(d, [0x07060504_03020100, 0x0f0e0d0c_0b0a0908]);
    }

    #[test]
    fn views_round_trip() {
        let v = 0x8000_0000_7fff_ffff_ffff_fffe_0123_4567u128 ^ (u128::MAX << 100);
        assert_eq!(pack(view::<I8x16>(v)), v);
        assert_eq!(pack(view::<I16x8>(v)), v);
        assert_eq!(pack(view::<I32x4>(v)), v);
        assert_eq!(pack(view::<I64x2>(v)), v);
        // Float lanes round-trip bit-exactly, NaN payloads included.
        let nans = 0x7fa0_0001_ffc0_1234_7ff4_0000_0000_0001u128;
        assert_eq!(pack(view::<F32x4>(nans)), nans);
        assert_eq!(pack(view::<F64x2>(nans)), nans);
    }

    #[test]
    fn compare_masks() {
        let r = compare::<I16x8, I16x8>(pack([1i16, 2, 3, 4, 5, 6, 7, 8]), pack([1i16; 8]), |x, y| x == y);
        assert_eq!(view::<U16x8>(r), [0xffff, 0, 0, 0, 0, 0, 0, 0]);
    }
}
