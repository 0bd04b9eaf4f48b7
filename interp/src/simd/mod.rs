//! Semantics of the fixed-width and relaxed SIMD instructions as plain
//! functions on `u128` v128 values (lane 0 in the lowest bits), named after
//! the instructions; the executor's handlers call them
//! (`exec::simd`).

mod bits;
mod canon;
mod convert;
mod float;
mod int;
mod lanes;
mod relaxed;

pub(crate) use bits::*;
pub(crate) use canon::*;
pub(crate) use convert::*;
pub(crate) use float::*;
pub(crate) use int::*;
pub(crate) use relaxed::*;
