//! Values as the embedder sees them, and their encoding in the interpreter's
//! untyped 64-bit cells: one cell per value, two for a v128 (low half
//! first).

use crate::func::Func;
use crate::types::{HeapType, ValType};

/// An opaque host reference (`externref`), chosen by the embedder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExternRef(pub u32);

/// A caught exception (`exnref`): a handle into the store that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExnRef(pub(crate) u32);

/// A WebAssembly value. Floats are carried as bits so NaN payloads survive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    /// Lane 0 in the lowest bits (the little-endian order of memory).
    V128(u128),
    FuncRef(Option<Func>),
    ExternRef(Option<ExternRef>),
    ExnRef(Option<ExnRef>),
}

impl Val {
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FUNCREF,
            Val::ExternRef(_) => ValType::EXTERNREF,
            Val::ExnRef(_) => ValType::EXNREF,
        }
    }

    /// The zero value of a type (what locals and new table slots start as).
    pub fn default_for(ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::Ref(r) => match r.top() {
                HeapType::Extern => Val::ExternRef(None),
                HeapType::Exn => Val::ExnRef(None),
                _ => Val::FuncRef(None),
            },
            ValType::V128 => Val::V128(0),
        }
    }

    pub fn f32(v: f32) -> Val {
        Val::F32(v.to_bits())
    }
    pub fn f64(v: f64) -> Val {
        Val::F64(v.to_bits())
    }

    /// The cells of the value: integers zero-extended, floats as bits,
    /// references as index + 1 with 0 for null, a v128 in two. The second
    /// cell is 0 for a value that takes one.
    pub(crate) fn to_cells(self) -> [u64; 2] {
        match self {
            Val::V128(v) => [v as u64, (v >> 64) as u64],
            other => [other.to_cell(), 0],
        }
    }

    /// Reads a value of type `ty` from the cells it starts.
    pub(crate) fn from_cells(cells: &[u64], ty: ValType) -> Val {
        match ty {
            ValType::V128 => Val::V128(cells[0] as u128 | (cells[1] as u128) << 64),
            _ => Val::from_cell(cells[0], ty),
        }
    }

    /// The cell of a value that takes one (a v128 gives its low half).
    pub(crate) fn to_cell(self) -> u64 {
        match self {
            Val::I32(v) => v as u32 as u64,
            Val::I64(v) => v as u64,
            Val::F32(v) => v as u64,
            Val::F64(v) => v,
            Val::V128(v) => v as u64,
            Val::FuncRef(f) => f.map_or(0, |f| f.0 as u64 + 1),
            Val::ExternRef(r) => r.map_or(0, |r| r.0 as u64 + 1),
            Val::ExnRef(r) => r.map_or(0, |r| exn_cell(r.0)),
        }
    }

    pub(crate) fn from_cell(cell: u64, ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(cell as u32 as i32),
            ValType::I64 => Val::I64(cell as i64),
            ValType::F32 => Val::F32(cell as u32),
            ValType::F64 => Val::F64(cell),
            ValType::Ref(r) => match r.top() {
                HeapType::Extern => Val::ExternRef(ref_index(cell).map(ExternRef)),
                HeapType::Exn => Val::ExnRef(exn_index(cell).map(ExnRef)),
                _ => Val::FuncRef(ref_index(cell).map(Func)),
            },
            ValType::V128 => Val::V128(cell as u128),
        }
    }
}

/// Cells a value of type `ty` takes.
pub(crate) fn cells_of(ty: ValType) -> usize {
    1 + (ty == ValType::V128) as usize
}

/// Writes `values` into consecutive cells from the start of `cells`, as a
/// frame lays them out; returns the cells used.
pub(crate) fn write_cells(values: &[Val], cells: &mut [u64]) -> usize {
    let mut at = 0;
    for v in values {
        let n = cells_of(v.ty());
        cells[at..at + n].copy_from_slice(&v.to_cells()[..n]);
        at += n;
    }
    at
}

/// Reads values of `types` from consecutive cells, as a frame lays them out.
pub(crate) fn read_cells(cells: &[u64], types: &[ValType]) -> Vec<Val> {
    let mut at = 0;
    types
        .iter()
        .map(|&t| {
            let v = Val::from_cells(&cells[at..], t);
            at += cells_of(t);
            v
        })
        .collect()
}

/// Cells the values of `types` take together.
pub(crate) fn cells_for(types: &[ValType]) -> usize {
    types.iter().map(|&t| cells_of(t)).sum()
}

/// Decodes a reference cell: `None` for null, else the index it carries.
pub(crate) fn ref_index(cell: u64) -> Option<u32> {
    cell.checked_sub(1).map(|i| i as u32)
}

/// The high half of a non-null `exnref` cell. The exception collector
/// scans frames without knowing their types; the mark keeps an `i32` (and
/// almost any other number) from passing for a reference.
const EXN_MARK: u32 = 0x7e5c_e000;

/// The cell of an `exnref` to exception `i`.
pub(crate) fn exn_cell(i: u32) -> u64 {
    (u64::from(EXN_MARK) << 32) | u64::from(i)
}

/// The exception an `exnref` cell names: `None` for null, or for a cell
/// that is not one.
pub(crate) fn exn_index(cell: u64) -> Option<u32> {
    ((cell >> 32) as u32 == EXN_MARK).then_some(cell as u32)
}
