//! One decoded WebAssembly instruction with its immediates.
//!
//! The enum mirrors the binary format one-to-one (no lowering): the
//! translator is the only place that turns these into internal code.

pub use super::simd::{SimdCode, SimdImmKind, SimdShape};
use crate::types::{BlockType, RefType, ValType};

/// The `memarg` immediate of loads and stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemArg {
    /// Alignment exponent (log2 of the byte alignment).
    pub align: u32,
    pub offset: u64,
    pub memory: u32,
}

/// A catch clause of `try_table`: what it catches (a tag's exceptions, or
/// all), whether it also passes the exception on as an `exnref`, and the
/// label it branches to (relative to the `try_table`'s enclosing block).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Catch {
    /// The tag index; `None` for `catch_all` and `catch_all_ref`.
    pub tag: Option<u32>,
    pub with_ref: bool,
    pub label: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    // Control.
    Unreachable,
    Nop,
    Block(BlockType),
    Loop(BlockType),
    If(BlockType),
    Else,
    End,
    Br(u32),
    BrIf(u32),
    BrTable { targets: Box<[u32]>, default: u32 },
    Return,
    Call(u32),
    CallIndirect { type_index: u32, table: u32 },
    ReturnCall(u32),
    ReturnCallIndirect { type_index: u32, table: u32 },
    Throw(u32),
    ThrowRef,
    TryTable { bt: BlockType, catches: Box<[Catch]> },
    /// Legacy exception handling (the form before 3.0's `try_table`).
    Try(BlockType),
    Catch(u32),
    CatchAll,
    Rethrow(u32),
    Delegate(u32),
    // Typed function references.
    CallRef(u32),
    ReturnCallRef(u32),
    RefAsNonNull,
    BrOnNull(u32),
    BrOnNonNull(u32),

    // References.
    RefNull(RefType),
    RefIsNull,
    RefFunc(u32),

    // Parametric.
    Drop,
    /// `select`, or `select t*` when `Some` (the typed form of reference types).
    Select(Option<ValType>),

    // Variables.
    LocalGet(u32),
    LocalSet(u32),
    LocalTee(u32),
    GlobalGet(u32),
    GlobalSet(u32),

    // Tables.
    TableGet(u32),
    TableSet(u32),
    TableInit { elem: u32, table: u32 },
    ElemDrop(u32),
    TableCopy { dst: u32, src: u32 },
    TableGrow(u32),
    TableSize(u32),
    TableFill(u32),

    // Memory.
    I32Load(MemArg),
    I64Load(MemArg),
    F32Load(MemArg),
    F64Load(MemArg),
    I32Load8S(MemArg),
    I32Load8U(MemArg),
    I32Load16S(MemArg),
    I32Load16U(MemArg),
    I64Load8S(MemArg),
    I64Load8U(MemArg),
    I64Load16S(MemArg),
    I64Load16U(MemArg),
    I64Load32S(MemArg),
    I64Load32U(MemArg),
    I32Store(MemArg),
    I64Store(MemArg),
    F32Store(MemArg),
    F64Store(MemArg),
    I32Store8(MemArg),
    I32Store16(MemArg),
    I64Store8(MemArg),
    I64Store16(MemArg),
    I64Store32(MemArg),
    MemorySize(u32),
    MemoryGrow(u32),
    MemoryInit { data: u32, memory: u32 },
    DataDrop(u32),
    MemoryCopy { dst: u32, src: u32 },
    MemoryFill(u32),

    // Constants. Floats are kept as raw bits so NaN payloads survive.
    I32Const(i32),
    I64Const(i64),
    F32Const(u32),
    F64Const(u64),

    // i32 comparisons.
    I32Eqz,
    I32Eq,
    I32Ne,
    I32LtS,
    I32LtU,
    I32GtS,
    I32GtU,
    I32LeS,
    I32LeU,
    I32GeS,
    I32GeU,
    // i64 comparisons.
    I64Eqz,
    I64Eq,
    I64Ne,
    I64LtS,
    I64LtU,
    I64GtS,
    I64GtU,
    I64LeS,
    I64LeU,
    I64GeS,
    I64GeU,
    // f32 comparisons.
    F32Eq,
    F32Ne,
    F32Lt,
    F32Gt,
    F32Le,
    F32Ge,
    // f64 comparisons.
    F64Eq,
    F64Ne,
    F64Lt,
    F64Gt,
    F64Le,
    F64Ge,

    // i32 arithmetic.
    I32Clz,
    I32Ctz,
    I32Popcnt,
    I32Add,
    I32Sub,
    I32Mul,
    I32DivS,
    I32DivU,
    I32RemS,
    I32RemU,
    I32And,
    I32Or,
    I32Xor,
    I32Shl,
    I32ShrS,
    I32ShrU,
    I32Rotl,
    I32Rotr,
    // i64 arithmetic.
    I64Clz,
    I64Ctz,
    I64Popcnt,
    I64Add,
    I64Sub,
    I64Mul,
    I64DivS,
    I64DivU,
    I64RemS,
    I64RemU,
    I64And,
    I64Or,
    I64Xor,
    I64Shl,
    I64ShrS,
    I64ShrU,
    I64Rotl,
    I64Rotr,
    // f32 arithmetic.
    F32Abs,
    F32Neg,
    F32Ceil,
    F32Floor,
    F32Trunc,
    F32Nearest,
    F32Sqrt,
    F32Add,
    F32Sub,
    F32Mul,
    F32Div,
    F32Min,
    F32Max,
    F32Copysign,
    // f64 arithmetic.
    F64Abs,
    F64Neg,
    F64Ceil,
    F64Floor,
    F64Trunc,
    F64Nearest,
    F64Sqrt,
    F64Add,
    F64Sub,
    F64Mul,
    F64Div,
    F64Min,
    F64Max,
    F64Copysign,

    // Conversions.
    I32WrapI64,
    I32TruncF32S,
    I32TruncF32U,
    I32TruncF64S,
    I32TruncF64U,
    I64ExtendI32S,
    I64ExtendI32U,
    I64TruncF32S,
    I64TruncF32U,
    I64TruncF64S,
    I64TruncF64U,
    F32ConvertI32S,
    F32ConvertI32U,
    F32ConvertI64S,
    F32ConvertI64U,
    F32DemoteF64,
    F64ConvertI32S,
    F64ConvertI32U,
    F64ConvertI64S,
    F64ConvertI64U,
    F64PromoteF32,
    I32ReinterpretF32,
    I64ReinterpretF64,
    F32ReinterpretI32,
    F64ReinterpretI64,

    // Sign extension.
    I32Extend8S,
    I32Extend16S,
    I64Extend8S,
    I64Extend16S,
    I64Extend32S,

    // Non-trapping float-to-int (0xFC 0..=7).
    I32TruncSatF32S,
    I32TruncSatF32U,
    I32TruncSatF64S,
    I32TruncSatF64U,
    I64TruncSatF32S,
    I64TruncSatF32U,
    I64TruncSatF64S,
    I64TruncSatF64U,

    // SIMD (prefix 0xfd), by immediate.
    Simd(SimdCode),
    SimdMem(SimdCode, MemArg),
    SimdLane(SimdCode, u8),
    SimdMemLane(SimdCode, MemArg, u8),
    /// `v128.const` or `i8x16.shuffle`: 16 bytes, the first one lowest.
    SimdBytes(SimdCode, [u8; 16]),
}

impl Op {
    /// The memory argument of a load or store, with the depth of its
    /// address below the top of the operand stack (0: the top).
    pub fn mem_arg(&self) -> Option<(MemArg, usize)> {
        match *self {
            Op::I32Load(m) | Op::I64Load(m) | Op::F32Load(m) | Op::F64Load(m) => Some((m, 0)),
            Op::I32Load8S(m) | Op::I32Load8U(m) | Op::I32Load16S(m) | Op::I32Load16U(m) => Some((m, 0)),
            Op::I64Load8S(m) | Op::I64Load8U(m) | Op::I64Load16S(m) | Op::I64Load16U(m) => Some((m, 0)),
            Op::I64Load32S(m) | Op::I64Load32U(m) => Some((m, 0)),
            Op::I32Store(m) | Op::I64Store(m) | Op::F32Store(m) | Op::F64Store(m) => Some((m, 1)),
            Op::I32Store8(m) | Op::I32Store16(m) | Op::I64Store8(m) | Op::I64Store16(m) => Some((m, 1)),
            Op::I64Store32(m) | Op::SimdMemLane(_, m, _) => Some((m, 1)),
            Op::SimdMem(code, m) => Some((m, (code == SimdCode::V128Store) as usize)),
            _ => None,
        }
    }

    /// The memory an instruction reads or writes, when it names one other
    /// than memory 0 (a `memory.copy` between two memories names none:
    /// it has two).
    pub fn other_memory(&self) -> Option<u32> {
        let memory = match self {
            Op::MemorySize(i) | Op::MemoryGrow(i) | Op::MemoryFill(i) => *i,
            Op::MemoryInit { memory, .. } => *memory,
            Op::MemoryCopy { dst, src } if dst == src => *dst,
            op => op.mem_arg().map_or(0, |(m, _)| m.memory),
        };
        (memory != 0).then_some(memory)
    }
}
