//! Semantics of the fixed-width and relaxed SIMD instructions as plain
//! functions on `u128` v128 values.

mod int;
mod lanes;

pub(crate) use int::*;
