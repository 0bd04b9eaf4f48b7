//! Our own parser of the WebAssembly binary format.
//!
//! It turns bytes into a [`DecodedModule`]: every section, with function bodies
//! kept as byte ranges that [`OpReader`] decodes on demand (translation is lazy
//! per function). It checks the binary format only; type checking is the
//! validator's job. Every length is checked against the bytes that remain
//! before anything is allocated, so hostile input can neither panic it nor
//! make it allocate more than the input justifies.

mod error;
mod op;
mod op_reader;
mod reader;
mod sections;
mod simd;

pub use error::DecodeError;
pub use op::{Catch, MemArg, Op, SimdCode, SimdImmKind, SimdShape};
pub(crate) use simd::for_each_simd;
pub use op_reader::OpReader;
pub use sections::{decode, decode_sections};

use crate::types::{FuncType, GlobalType, MemoryType, RefType, TableType, ValType};
use std::ops::Range;

/// A module as the binary format describes it, before validation and
/// translation.
#[derive(Debug, Default, Clone)]
pub struct DecodedModule {
    pub types: Vec<FuncType>,
    pub imports: Vec<Import>,
    /// Type index of each function defined in the module (function section).
    pub functions: Vec<u32>,
    pub tables: Vec<TableType>,
    /// Per defined table, its initialiser if it has one (else null).
    pub table_inits: Vec<Option<ConstExpr>>,
    pub memories: Vec<MemoryType>,
    /// Type index of each tag defined in the module (tag section).
    pub tags: Vec<u32>,
    pub globals: Vec<Global>,
    pub exports: Vec<Export>,
    pub start: Option<u32>,
    pub elements: Vec<ElementSegment>,
    /// Value of the data count section, if present.
    pub data_count: Option<u32>,
    /// One body per entry of `functions`, in order.
    pub bodies: Vec<FuncBody>,
    pub data: Vec<DataSegment>,
    pub customs: Vec<CustomSection>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub module: String,
    pub name: String,
    pub kind: ImportKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ImportKind {
    /// A function with this type index.
    Func(u32),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
    /// A tag with this type index.
    Tag(u32),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub name: String,
    pub kind: ExportKind,
    pub index: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Func,
    Table,
    Memory,
    Global,
    Tag,
}

/// A constant expression: the instructions before its final `end`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConstExpr {
    pub ops: Vec<Op>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Global {
    pub ty: GlobalType,
    pub init: ConstExpr,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SegmentMode {
    Passive,
    /// Active in a table (elements) or memory (data) at the given offset.
    Active { index: u32, offset: ConstExpr },
    /// Declarative element segment (`elem declare`); never a data segment.
    Declared,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ElementItems {
    /// Plain function indices (the legacy `elemkind 0x00` encodings).
    Functions(Vec<u32>),
    /// One constant expression per element.
    Exprs(Vec<ConstExpr>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ElementSegment {
    pub mode: SegmentMode,
    pub ty: RefType,
    pub items: ElementItems,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DataSegment {
    pub mode: SegmentMode,
    /// Byte range of the segment's contents in the module's bytes.
    pub bytes: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FuncBody {
    /// Declared locals (after the parameters), expanded: one entry per run.
    pub locals: Vec<(u32, ValType)>,
    /// Byte range of the instruction sequence (after the locals, through the
    /// final `end`) in the module's bytes.
    pub code: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CustomSection {
    pub name: String,
    /// Byte range of the section's contents after the name.
    pub data: Range<usize>,
}
