//! The WebAssembly type vocabulary shared by the decoder, the translator and
//! the embedder API: value types, function signatures and the limits of
//! memories, tables and globals.

use std::fmt;

/// What a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeapType {
    Func,
    Extern,
    /// An exception caught by `catch_ref` or `catch_all_ref`.
    Exn,
    /// The bottom of `exn` (`nullexnref`): only null has this type.
    NoExn,
    /// A function of one signature (typed function references). In a
    /// decoded module this is the module's type index; in a [`Module`]
    /// and everything it hands out, the engine's id of the signature, so
    /// equal signatures of different modules name the same type.
    /// [`SELF_TYPE`] is the signature that mentions itself.
    ///
    /// [`Module`]: crate::Module
    Concrete(u32),
}

/// The concrete heap type of a signature that refers to itself.
pub const SELF_TYPE: u32 = u32::MAX;

/// A reference type: `(ref null? heap)`. `funcref`, `externref` and
/// `exnref` are the nullable abstract ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RefType {
    pub nullable: bool,
    pub heap: HeapType,
}

impl RefType {
    pub const FUNCREF: RefType = RefType { nullable: true, heap: HeapType::Func };
    pub const EXTERNREF: RefType = RefType { nullable: true, heap: HeapType::Extern };
    pub const EXNREF: RefType = RefType { nullable: true, heap: HeapType::Exn };

    /// The abstract type above this one: what the value is at run time.
    pub fn top(self) -> HeapType {
        match self.heap {
            HeapType::Concrete(_) => HeapType::Func,
            HeapType::NoExn => HeapType::Exn,
            h => h,
        }
    }

    /// Reference subtyping: non-null below nullable, a signature below
    /// `func`, `noexn` below `exn`.
    pub fn matches(self, other: RefType) -> bool {
        (other.nullable || !self.nullable)
            && (self.heap == other.heap
                || matches!((self.heap, other.heap), (HeapType::Concrete(_), HeapType::Func) | (HeapType::NoExn, HeapType::Exn)))
    }
}

impl fmt::Display for RefType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.heap {
            HeapType::Func => "func",
            HeapType::Extern => "extern",
            HeapType::Exn => "exn",
            HeapType::NoExn => return f.write_str(if self.nullable { "nullexnref" } else { "(ref noexn)" }),
            HeapType::Concrete(SELF_TYPE) => return write!(f, "(ref {}self)", if self.nullable { "null " } else { "" }),
            HeapType::Concrete(t) => return write!(f, "(ref {}{t})", if self.nullable { "null " } else { "" }),
        };
        if self.nullable { write!(f, "{name}ref") } else { write!(f, "(ref {name})") }
    }
}

/// A value type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValType {
    I32,
    I64,
    F32,
    F64,
    V128,
    Ref(RefType),
}

impl ValType {
    pub const FUNCREF: ValType = ValType::Ref(RefType::FUNCREF);
    pub const EXTERNREF: ValType = ValType::Ref(RefType::EXTERNREF);
    pub const EXNREF: ValType = ValType::Ref(RefType::EXNREF);

    /// Value subtyping: numeric types match themselves only.
    pub fn matches(self, other: ValType) -> bool {
        match (self, other) {
            (ValType::Ref(a), ValType::Ref(b)) => a.matches(b),
            (a, b) => a == b,
        }
    }

    /// Whether the type has a default value (non-null references do not).
    pub fn is_defaultable(self) -> bool {
        !matches!(self, ValType::Ref(RefType { nullable: false, .. }))
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::Ref(r) => return r.fmt(f),
        })
    }
}

/// A function signature.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FuncType {
    params: Box<[ValType]>,
    results: Box<[ValType]>,
}

impl FuncType {
    pub fn new(
        params: impl IntoIterator<Item = ValType>,
        results: impl IntoIterator<Item = ValType>,
    ) -> Self {
        FuncType { params: params.into_iter().collect(), results: results.into_iter().collect() }
    }
    pub fn params(&self) -> &[ValType] {
        &self.params
    }
    pub fn results(&self) -> &[ValType] {
        &self.results
    }
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |v: &[ValType]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ");
        write!(f, "({}) -> ({})", list(&self.params), list(&self.results))
    }
}

/// Minimum and optional maximum size, in pages (memories) or elements (tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    pub min: u64,
    pub max: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MemoryType {
    pub limits: Limits,
    pub memory64: bool,
    pub shared: bool,
}

impl MemoryType {
    /// The most 64 KiB pages the memory's index type can address: 2^16
    /// for a 32-bit memory, 2^48 for a 64-bit one.
    pub fn max_pages(&self) -> u64 {
        if self.memory64 { 1 << 48 } else { 1 << 16 }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableType {
    pub element: RefType,
    pub limits: Limits,
    /// Indexed by i64 (table64) rather than i32.
    pub table64: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GlobalType {
    pub content: ValType,
    pub mutable: bool,
}

/// The type of an import or export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternType {
    Func(FuncType),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
    /// An exception tag: the types of the values its exceptions carry
    /// (the params; the results are empty).
    Tag(FuncType),
}

/// The result type of a structured control instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockType {
    Empty,
    Value(ValType),
    /// Index into the module's type section (multi-value blocks).
    Func(u32),
}
