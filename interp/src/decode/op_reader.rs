//! Decoding of single instructions.
//!
//! [`OpReader`] turns the bytes of an instruction sequence (a function body or
//! a constant expression) into [`Op`]s one at a time. It knows every opcode
//! of WebAssembly 2.0 and relaxed SIMD and the encoding of each immediate; it does
//! not track block nesting — `sections` does that when it checks a body.

use super::error::DecodeError;
use super::op::{Catch, MemArg, Op, SimdCode, SimdImmKind};
use super::reader::{Reader, Result};
use crate::types::{BlockType, RefType};

/// Reads the instructions of a function body or constant expression.
#[derive(Debug, Clone)]
pub struct OpReader<'a> {
    reader: Reader<'a>,
}

impl<'a> OpReader<'a> {
    /// `bytes` is the instruction sequence (for a function, its code after
    /// the locals); `start_offset` is where it starts in the module, so that
    /// errors and [`OpReader::offset`] are absolute.
    pub fn new(bytes: &'a [u8], start_offset: usize) -> Self {
        OpReader { reader: Reader::new(bytes, start_offset, "code") }
    }

    /// Continues decoding where a section reader stands (constant
    /// expressions, which have no length prefix).
    pub(crate) fn from_reader(reader: Reader<'a>) -> Self {
        OpReader { reader }
    }

    /// Hands the position back to the section reader.
    pub(crate) fn into_reader(self) -> Reader<'a> {
        self.reader
    }

    /// An error at absolute offset `at`, in the section being read.
    pub(crate) fn error_at(&self, at: usize, message: &'static str) -> DecodeError {
        self.reader.error_at(at, message)
    }

    /// Whether every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.reader.is_empty()
    }

    /// Absolute offset of the next instruction.
    pub fn offset(&self) -> usize {
        self.reader.offset()
    }

    /// Decodes the next instruction.
    pub fn read(&mut self) -> Result<Op> {
        let at = self.reader.offset();
        let opcode = self.reader.u8()?;
        match opcode {
            0x00..=0x1c | 0x1f => self.control_or_parametric(opcode, at),
            0x20..=0x26 => self.variable_or_table(opcode),
            0x28..=0x3e => self.load_or_store(opcode),
            0x3f => Ok(Op::MemorySize(self.reader.u32()?)),
            0x40 => Ok(Op::MemoryGrow(self.reader.u32()?)),
            0x41 => Ok(Op::I32Const(self.reader.i32()?)),
            0x42 => Ok(Op::I64Const(self.reader.i64()?)),
            0x43 => Ok(Op::F32Const(self.reader.f32_bits()?)),
            0x44 => Ok(Op::F64Const(self.reader.f64_bits()?)),
            0xd0 => Ok(Op::RefNull(RefType { nullable: true, heap: self.reader.heap_type()? })),
            0xd4 => Ok(Op::RefAsNonNull),
            0xd5 => Ok(Op::BrOnNull(self.reader.u32()?)),
            0xd6 => Ok(Op::BrOnNonNull(self.reader.u32()?)),
            0xd1 => Ok(Op::RefIsNull),
            0xd2 => Ok(Op::RefFunc(self.reader.u32()?)),
            0xfc => self.prefixed_fc(at),
            0xfd => self.prefixed_fd(at),
            _ => numeric(opcode).ok_or_else(|| illegal(&self.reader, at, opcode)),
        }
    }

    fn control_or_parametric(&mut self, opcode: u8, at: usize) -> Result<Op> {
        let r = &mut self.reader;
        Ok(match opcode {
            0x00 => Op::Unreachable,
            0x01 => Op::Nop,
            0x02 => Op::Block(self.block_type()?),
            0x03 => Op::Loop(self.block_type()?),
            0x04 => Op::If(self.block_type()?),
            0x05 => Op::Else,
            0x06 => Op::Try(self.block_type()?),
            0x07 => Op::Catch(r.u32()?),
            0x08 => Op::Throw(r.u32()?),
            0x09 => Op::Rethrow(r.u32()?),
            0x0a => Op::ThrowRef,
            0x0b => Op::End,
            0x0c => Op::Br(r.u32()?),
            0x0d => Op::BrIf(r.u32()?),
            0x0e => self.br_table()?,
            0x0f => Op::Return,
            0x10 => Op::Call(r.u32()?),
            // The table index is a full LEB: since reference types, a
            // multi-byte encoding of 0 is valid (LLVM 19 emits one).
            0x11 => Op::CallIndirect { type_index: r.u32()?, table: r.u32()? },
            0x12 => Op::ReturnCall(r.u32()?),
            0x13 => Op::ReturnCallIndirect { type_index: r.u32()?, table: r.u32()? },
            0x14 => Op::CallRef(r.u32()?),
            0x15 => Op::ReturnCallRef(r.u32()?),
            0x18 => Op::Delegate(r.u32()?),
            0x19 => Op::CatchAll,
            0x1a => Op::Drop,
            0x1b => Op::Select(None),
            0x1c => self.typed_select()?,
            0x1f => self.try_table()?,
            _ => return Err(illegal(r, at, opcode)),
        })
    }

    fn variable_or_table(&mut self, opcode: u8) -> Result<Op> {
        let index = self.reader.u32()?;
        Ok(match opcode {
            0x20 => Op::LocalGet(index),
            0x21 => Op::LocalSet(index),
            0x22 => Op::LocalTee(index),
            0x23 => Op::GlobalGet(index),
            0x24 => Op::GlobalSet(index),
            0x25 => Op::TableGet(index),
            _ => Op::TableSet(index),
        })
    }

    fn load_or_store(&mut self, opcode: u8) -> Result<Op> {
        let m = self.mem_arg()?;
        Ok(match opcode {
            0x28 => Op::I32Load(m),
            0x29 => Op::I64Load(m),
            0x2a => Op::F32Load(m),
            0x2b => Op::F64Load(m),
            0x2c => Op::I32Load8S(m),
            0x2d => Op::I32Load8U(m),
            0x2e => Op::I32Load16S(m),
            0x2f => Op::I32Load16U(m),
            0x30 => Op::I64Load8S(m),
            0x31 => Op::I64Load8U(m),
            0x32 => Op::I64Load16S(m),
            0x33 => Op::I64Load16U(m),
            0x34 => Op::I64Load32S(m),
            0x35 => Op::I64Load32U(m),
            0x36 => Op::I32Store(m),
            0x37 => Op::I64Store(m),
            0x38 => Op::F32Store(m),
            0x39 => Op::F64Store(m),
            0x3a => Op::I32Store8(m),
            0x3b => Op::I32Store16(m),
            0x3c => Op::I64Store8(m),
            0x3d => Op::I64Store16(m),
            _ => Op::I64Store32(m),
        })
    }

    /// The `0xFC` prefix: a `u32` sub-opcode, then its immediates.
    fn prefixed_fc(&mut self, at: usize) -> Result<Op> {
        let r = &mut self.reader;
        let sub = r.u32()?;
        Ok(match sub {
            0 => Op::I32TruncSatF32S,
            1 => Op::I32TruncSatF32U,
            2 => Op::I32TruncSatF64S,
            3 => Op::I32TruncSatF64U,
            4 => Op::I64TruncSatF32S,
            5 => Op::I64TruncSatF32U,
            6 => Op::I64TruncSatF64S,
            7 => Op::I64TruncSatF64U,
            // Memory indices here are full LEBs (as wasmparser reads them);
            // a non-zero one is the validator's "unknown memory".
            8 => Op::MemoryInit { data: r.u32()?, memory: r.u32()? },
            9 => Op::DataDrop(r.u32()?),
            10 => Op::MemoryCopy { dst: r.u32()?, src: r.u32()? },
            11 => Op::MemoryFill(r.u32()?),
            12 => Op::TableInit { elem: r.u32()?, table: r.u32()? },
            13 => Op::ElemDrop(r.u32()?),
            14 => Op::TableCopy { dst: r.u32()?, src: r.u32()? },
            15 => Op::TableGrow(r.u32()?),
            16 => Op::TableSize(r.u32()?),
            17 => Op::TableFill(r.u32()?),
            _ => return Err(r.error_at(at, format!("illegal opcode 0xfc {sub:#x}"))),
        })
    }

    /// `0x40` (no result), a value type, or a non-negative `s33` type index.
    fn block_type(&mut self) -> Result<BlockType> {
        let r = &mut self.reader;
        let at = r.offset();
        match r.peek() {
            Some(0x40) => {
                r.u8()?;
                Ok(BlockType::Empty)
            }
            // A single byte with the sign bit set is a (negative) type code,
            // never a type index; it has to be a value type.
            Some(b) if b & 0xc0 == 0x40 => Ok(BlockType::Value(r.val_type()?)),
            _ => {
                let index = r.s33()?;
                u32::try_from(index)
                    .map(BlockType::Func)
                    .map_err(|_| r.error_at(at, "malformed block type"))
            }
        }
    }

    fn try_table(&mut self) -> Result<Op> {
        let bt = self.block_type()?;
        let catches = self.reader.vec(2, |r| {
            let at = r.offset();
            let kind = r.u8()?;
            let tag = match kind {
                0x00 | 0x01 => Some(r.u32()?),
                0x02 | 0x03 => None,
                _ => return Err(r.error_at(at, "malformed catch clause")),
            };
            Ok(Catch { tag, with_ref: kind & 1 != 0, label: r.u32()? })
        })?;
        Ok(Op::TryTable { bt, catches: catches.into() })
    }

    fn br_table(&mut self) -> Result<Op> {
        let r = &mut self.reader;
        let targets = r.vec(1, Reader::u32)?;
        let default = r.u32()?;
        Ok(Op::BrTable { targets: targets.into_boxed_slice(), default })
    }

    /// `select t*`. Only one result type is valid (and representable); other
    /// counts are well-formed but invalid, so they are decoded — every type
    /// checked — and left for the validator to reject. Such a `select` is
    /// returned as if untyped (`None` for zero types, the first type
    /// otherwise), which no one sees: nothing is translated unvalidated.
    fn typed_select(&mut self) -> Result<Op> {
        let r = &mut self.reader;
        let count = r.vec_len()?;
        let mut first = None;
        for _ in 0..count {
            let ty = r.val_type()?;
            first = first.or(Some(ty));
        }
        Ok(Op::Select(first))
    }

    /// `memarg`: the flags, a memory index when flags bit 6 says one
    /// follows (multi-memory; memory 0 otherwise), then the offset.
    ///
    /// Flags of 128 or more are malformed. An alignment exponent of 32 to
    /// 63 is well-formed since multi-memory (3.0's align.wast) and left for
    /// the validator to reject as larger than natural.
    ///
    /// The offset is read as a `u64` (memory64-ready); the validator rejects
    /// offsets a 32-bit memory cannot have.
    /// A SIMD instruction: the sub-opcode, then the immediate its row of
    /// the table names.
    fn prefixed_fd(&mut self, at: usize) -> Result<Op> {
        let sub = self.reader.u32()?;
        let code = SimdCode::from_opcode(sub)
            .ok_or_else(|| self.reader.error_at(at, format!("illegal opcode 0xfd {sub:#x}")))?;
        Ok(match code.imm() {
            SimdImmKind::None => Op::Simd(code),
            SimdImmKind::Mem => Op::SimdMem(code, self.mem_arg()?),
            SimdImmKind::Lane => Op::SimdLane(code, self.reader.u8()?),
            SimdImmKind::MemLane => {
                let m = self.mem_arg()?;
                Op::SimdMemLane(code, m, self.reader.u8()?)
            }
            SimdImmKind::Bytes => {
                let bytes = self.reader.take(16)?;
                Op::SimdBytes(code, bytes.try_into().expect("16 bytes"))
            }
            SimdImmKind::Internal => unreachable!("internal codes have no sub-opcode"),
        })
    }

    fn mem_arg(&mut self) -> Result<MemArg> {
        let r = &mut self.reader;
        let at = r.offset();
        let flags = r.u32()?;
        if flags >= 128 {
            return Err(r.error_at(at, "malformed memop flags"));
        }
        let memory = if flags & 64 != 0 { r.u32()? } else { 0 };
        let offset = r.u64()?;
        Ok(MemArg { align: flags & 63, offset, memory })
    }
}

/// Opcodes of 3.0 proposals the engine does not run yet: (proposal, what
/// the opcode is). A prefix byte stands for its whole family.
fn later_opcode(opcode: u8) -> Option<(&'static str, &'static str)> {
    Some(match opcode {
        0xd3 => ("gc", "ref.eq"),
        0xfb => ("gc", "a GC instruction (prefix 0xfb)"),
        0xfe => ("threads", "an atomic instruction (prefix 0xfe)"),
        _ => return None,
    })
}

/// An opcode 2.0 does not have: a later proposal's, or illegal.
fn illegal(r: &Reader<'_>, at: usize, opcode: u8) -> DecodeError {
    match later_opcode(opcode) {
        Some((proposal, name)) => r.unsupported_at(at, proposal, name),
        None => r.error_at(at, format!("illegal opcode {opcode:#04x}")),
    }
}

/// Instructions without immediates in 0x45..=0xC4 (comparisons, arithmetic,
/// conversions, sign extension).
fn numeric(opcode: u8) -> Option<Op> {
    use Op::*;
    Some(match opcode {
        0x45 => I32Eqz,
        0x46 => I32Eq,
        0x47 => I32Ne,
        0x48 => I32LtS,
        0x49 => I32LtU,
        0x4a => I32GtS,
        0x4b => I32GtU,
        0x4c => I32LeS,
        0x4d => I32LeU,
        0x4e => I32GeS,
        0x4f => I32GeU,
        0x50 => I64Eqz,
        0x51 => I64Eq,
        0x52 => I64Ne,
        0x53 => I64LtS,
        0x54 => I64LtU,
        0x55 => I64GtS,
        0x56 => I64GtU,
        0x57 => I64LeS,
        0x58 => I64LeU,
        0x59 => I64GeS,
        0x5a => I64GeU,
        0x5b => F32Eq,
        0x5c => F32Ne,
        0x5d => F32Lt,
        0x5e => F32Gt,
        0x5f => F32Le,
        0x60 => F32Ge,
        0x61 => F64Eq,
        0x62 => F64Ne,
        0x63 => F64Lt,
        0x64 => F64Gt,
        0x65 => F64Le,
        0x66 => F64Ge,
        0x67 => I32Clz,
        0x68 => I32Ctz,
        0x69 => I32Popcnt,
        0x6a => I32Add,
        0x6b => I32Sub,
        0x6c => I32Mul,
        0x6d => I32DivS,
        0x6e => I32DivU,
        0x6f => I32RemS,
        0x70 => I32RemU,
        0x71 => I32And,
        0x72 => I32Or,
        0x73 => I32Xor,
        0x74 => I32Shl,
        0x75 => I32ShrS,
        0x76 => I32ShrU,
        0x77 => I32Rotl,
        0x78 => I32Rotr,
        0x79 => I64Clz,
        0x7a => I64Ctz,
        0x7b => I64Popcnt,
        0x7c => I64Add,
        0x7d => I64Sub,
        0x7e => I64Mul,
        0x7f => I64DivS,
        0x80 => I64DivU,
        0x81 => I64RemS,
        0x82 => I64RemU,
        0x83 => I64And,
        0x84 => I64Or,
        0x85 => I64Xor,
        0x86 => I64Shl,
        0x87 => I64ShrS,
        0x88 => I64ShrU,
        0x89 => I64Rotl,
        0x8a => I64Rotr,
        0x8b => F32Abs,
        0x8c => F32Neg,
        0x8d => F32Ceil,
        0x8e => F32Floor,
        0x8f => F32Trunc,
        0x90 => F32Nearest,
        0x91 => F32Sqrt,
        0x92 => F32Add,
        0x93 => F32Sub,
        0x94 => F32Mul,
        0x95 => F32Div,
        0x96 => F32Min,
        0x97 => F32Max,
        0x98 => F32Copysign,
        0x99 => F64Abs,
        0x9a => F64Neg,
        0x9b => F64Ceil,
        0x9c => F64Floor,
        0x9d => F64Trunc,
        0x9e => F64Nearest,
        0x9f => F64Sqrt,
        0xa0 => F64Add,
        0xa1 => F64Sub,
        0xa2 => F64Mul,
        0xa3 => F64Div,
        0xa4 => F64Min,
        0xa5 => F64Max,
        0xa6 => F64Copysign,
        0xa7 => I32WrapI64,
        0xa8 => I32TruncF32S,
        0xa9 => I32TruncF32U,
        0xaa => I32TruncF64S,
        0xab => I32TruncF64U,
        0xac => I64ExtendI32S,
        0xad => I64ExtendI32U,
        0xae => I64TruncF32S,
        0xaf => I64TruncF32U,
        0xb0 => I64TruncF64S,
        0xb1 => I64TruncF64U,
        0xb2 => F32ConvertI32S,
        0xb3 => F32ConvertI32U,
        0xb4 => F32ConvertI64S,
        0xb5 => F32ConvertI64U,
        0xb6 => F32DemoteF64,
        0xb7 => F64ConvertI32S,
        0xb8 => F64ConvertI32U,
        0xb9 => F64ConvertI64S,
        0xba => F64ConvertI64U,
        0xbb => F64PromoteF32,
        0xbc => I32ReinterpretF32,
        0xbd => I64ReinterpretF64,
        0xbe => F32ReinterpretI32,
        0xbf => F64ReinterpretI64,
        0xc0 => I32Extend8S,
        0xc1 => I32Extend16S,
        0xc2 => I64Extend8S,
        0xc3 => I64Extend16S,
        0xc4 => I64Extend32S,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{RefType, ValType};

    /// Decodes `bytes` as exactly one instruction.
    fn one(bytes: &[u8]) -> Result<Op> {
        let mut ops = OpReader::new(bytes, 1000);
        let op = ops.read()?;
        assert!(ops.is_empty(), "{bytes:x?} left bytes unread");
        Ok(op)
    }

    fn msg(bytes: &[u8]) -> String {
        let mut ops = OpReader::new(bytes, 0);
        ops.read().unwrap_err().message().to_string()
    }

    #[test]
    fn call_indirect_accepts_multi_byte_table_index() {
        // LLVM >= 19 pads the table index: `0x80 0x80 0x80 0x80 0x00` is 0.
        let op = one(&[0x11, 0x02, 0x80, 0x80, 0x80, 0x80, 0x00]).unwrap();
        assert_eq!(op, Op::CallIndirect { type_index: 2, table: 0 });
        let op = one(&[0x11, 0x00, 0x81, 0x00]).unwrap();
        assert_eq!(op, Op::CallIndirect { type_index: 0, table: 1 });
    }

    #[test]
    fn block_types() {
        assert_eq!(one(&[0x02, 0x40]), Ok(Op::Block(BlockType::Empty)));
        assert_eq!(one(&[0x03, 0x7f]), Ok(Op::Loop(BlockType::Value(ValType::I32))));
        assert_eq!(one(&[0x04, 0x70]), Ok(Op::If(BlockType::Value(ValType::FUNCREF))));
        assert_eq!(one(&[0x02, 0x05]), Ok(Op::Block(BlockType::Func(5))));
        // A type index needing more than one byte (and > i32::MAX).
        assert_eq!(one(&[0x02, 0x80, 0x01]), Ok(Op::Block(BlockType::Func(128))));
        let max = [0x02, 0xff, 0xff, 0xff, 0xff, 0x0f];
        assert_eq!(one(&max), Ok(Op::Block(BlockType::Func(u32::MAX))));
        // Negative numbers are type codes; only value types are allowed.
        assert_eq!(msg(&[0x02, 0x60]), "malformed value type");
        assert_eq!(msg(&[0x02, 0xc0, 0x7f]), "malformed block type");
        assert_eq!(msg(&[0x02, 0x80, 0x80, 0x80, 0x80, 0x10]), "integer too large");
    }

    #[test]
    fn memargs() {
        let m = |align, offset, memory| MemArg { align, offset, memory };
        assert_eq!(one(&[0x28, 0x02, 0x10]), Ok(Op::I32Load(m(2, 16, 0))));
        assert_eq!(one(&[0x36, 0x82, 0x80, 0x00, 0x04]), Ok(Op::I32Store(m(2, 4, 0))));
        // Offsets are read as u64 so memory64 offsets survive.
        let big = [0x29, 0x03, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
        assert_eq!(one(&big), Ok(Op::I64Load(m(3, 1 << 35, 0))));
        // Exponents up to 63 are the validator's business, and bit 6 says
        // a memory index follows.
        assert_eq!(one(&[0x28, 0x1f, 0x00]), Ok(Op::I32Load(m(31, 0, 0))));
        assert_eq!(one(&[0x28, 0x3f, 0x00]), Ok(Op::I32Load(m(63, 0, 0))));
        assert_eq!(one(&[0x28, 0x42, 0x03, 0x05]), Ok(Op::I32Load(m(2, 5, 3))));
        assert_eq!(one(&[0x28, 0x7f, 0x80, 0x01, 0x00]), Ok(Op::I32Load(m(63, 0, 128))));
        assert_eq!(msg(&[0x28, 0x80, 0x01, 0x00]), "malformed memop flags");
        let long = [0x28, 0x02, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
        assert_eq!(msg(&long), "integer representation too long");
    }

    #[test]
    fn memory_size_and_grow_take_a_memory_index() {
        assert_eq!(one(&[0x3f, 0x00]), Ok(Op::MemorySize(0)));
        assert_eq!(one(&[0x40, 0x80, 0x00]), Ok(Op::MemoryGrow(0)));
        assert_eq!(one(&[0x3f, 0x02]), Ok(Op::MemorySize(2)));
    }

    #[test]
    fn prefixed_fc_instructions() {
        assert_eq!(one(&[0xfc, 0x00]), Ok(Op::I32TruncSatF32S));
        // The sub-opcode is a u32 LEB, so a padded encoding is fine.
        assert_eq!(one(&[0xfc, 0x87, 0x00]), Ok(Op::I64TruncSatF64U));
        assert_eq!(one(&[0xfc, 0x08, 0x03, 0x00]), Ok(Op::MemoryInit { data: 3, memory: 0 }));
        assert_eq!(one(&[0xfc, 0x09, 0x03]), Ok(Op::DataDrop(3)));
        assert_eq!(one(&[0xfc, 0x0a, 0x01, 0x02]), Ok(Op::MemoryCopy { dst: 1, src: 2 }));
        assert_eq!(one(&[0xfc, 0x0b, 0x80, 0x00]), Ok(Op::MemoryFill(0)));
        assert_eq!(one(&[0xfc, 0x0c, 0x04, 0x05]), Ok(Op::TableInit { elem: 4, table: 5 }));
        assert_eq!(one(&[0xfc, 0x0d, 0x04]), Ok(Op::ElemDrop(4)));
        assert_eq!(one(&[0xfc, 0x0e, 0x01, 0x02]), Ok(Op::TableCopy { dst: 1, src: 2 }));
        assert_eq!(one(&[0xfc, 0x0f, 0x01]), Ok(Op::TableGrow(1)));
        assert_eq!(one(&[0xfc, 0x10, 0x01]), Ok(Op::TableSize(1)));
        assert_eq!(one(&[0xfc, 0x11, 0x01]), Ok(Op::TableFill(1)));
        assert_eq!(msg(&[0xfc, 0x12]), "illegal opcode 0xfc 0x12");
    }

    #[test]
    fn immediates() {
        assert_eq!(one(&[0x41, 0x7f]), Ok(Op::I32Const(-1)));
        assert_eq!(one(&[0x42, 0x80, 0x7f]), Ok(Op::I64Const(-128)));
        assert_eq!(one(&[0x43, 0x01, 0x00, 0xc0, 0x7f]), Ok(Op::F32Const(0x7fc0_0001)));
        let nan = 0x7ff0_0000_0000_0001u64;
        let mut f64_const = vec![0x44];
        f64_const.extend_from_slice(&nan.to_le_bytes());
        assert_eq!(one(&f64_const), Ok(Op::F64Const(nan)));
        assert_eq!(
            one(&[0x0e, 0x02, 0x00, 0x01, 0x02]),
            Ok(Op::BrTable { targets: vec![0, 1].into_boxed_slice(), default: 2 })
        );
        assert_eq!(msg(&[0x0e, 0xff, 0xff, 0x03, 0x00]), "unexpected end of section or function");
        assert_eq!(one(&[0xd0, 0x6f]), Ok(Op::RefNull(RefType::EXTERNREF)));
        assert_eq!(msg(&[0xd0, 0x7f]), "malformed heap type");
        assert_eq!(one(&[0xd2, 0x07]), Ok(Op::RefFunc(7)));
        assert_eq!(one(&[0x1b]), Ok(Op::Select(None)));
        assert_eq!(one(&[0x1c, 0x01, 0x7e]), Ok(Op::Select(Some(ValType::I64))));
        // Other arities are the validator's "invalid result arity".
        assert_eq!(one(&[0x1c, 0x00]), Ok(Op::Select(None)));
        assert_eq!(one(&[0x1c, 0x02, 0x7d, 0x7f]), Ok(Op::Select(Some(ValType::F32))));
        assert_eq!(msg(&[0x1c, 0x02, 0x7f, 0x40]), "malformed value type");
        assert_eq!(
            msg(&[0x1c, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f]),
            "unexpected end of section or function"
        );
        assert_eq!(one(&[0x25, 0x01]), Ok(Op::TableGet(1)));
        assert_eq!(one(&[0x24, 0x81, 0x01]), Ok(Op::GlobalSet(129)));
    }

    #[test]
    fn later_proposals_are_named() {
        for (bytes, proposal) in [
            (&[0xd0, 0x6e][..], "gc"),
            (&[0xd3], "gc"),
            (&[0xfb, 0x00], "gc"),
            (&[0xfe, 0x03, 0x00], "threads"),
            (&[0x02, 0x64, 0x6e], "gc"),
        ] {
            let e = one(bytes).unwrap_err();
            assert_eq!(e.proposal(), Some(proposal), "{bytes:02x?}: {e}");
            assert!(e.to_string().starts_with(&format!("not supported yet (proposal {proposal}): ")), "{e}");
        }
    }

    #[test]
    fn exception_instructions() {
        use super::Catch;
        assert_eq!(one(&[0x08, 0x03]), Ok(Op::Throw(3)));
        assert_eq!(one(&[0x0a]), Ok(Op::ThrowRef));
        let catches = [
            Catch { tag: Some(1), with_ref: false, label: 0 },
            Catch { tag: Some(2), with_ref: true, label: 1 },
            Catch { tag: None, with_ref: false, label: 2 },
            Catch { tag: None, with_ref: true, label: 3 },
        ];
        let bytes = [0x1f, 0x40, 0x04, 0x00, 0x01, 0x00, 0x01, 0x02, 0x01, 0x02, 0x02, 0x03, 0x03];
        assert_eq!(one(&bytes), Ok(Op::TryTable { bt: BlockType::Empty, catches: catches.into() }));
        assert_eq!(msg(&[0x1f, 0x40, 0x01, 0x04, 0x00]), "malformed catch clause");
    }

    #[test]
    fn illegal_opcodes() {
        for opcode in [0x16u8, 0x1d, 0x1e, 0x27, 0xc5, 0xd7, 0xff] {
            assert_eq!(msg(&[opcode, 0, 0, 0]), format!("illegal opcode {opcode:#04x}"));
            assert_eq!(one(&[opcode, 0, 0, 0]).unwrap_err().proposal(), None);
        }
        let mut ops = OpReader::new(&[0x01, 0xff], 50);
        assert_eq!(ops.read(), Ok(Op::Nop));
        assert_eq!(ops.offset(), 51);
        let e = ops.read().unwrap_err();
        assert_eq!((e.section(), e.offset()), ("code", 51));
    }

    #[test]
    fn truncated_immediates_fail_cleanly() {
        let samples: [&[u8]; 6] = [
            &[0x44, 1, 2, 3, 4, 5, 6, 7, 8],
            &[0x11, 0x80, 0x01, 0x80, 0x00],
            &[0x0e, 0x02, 0x80, 0x01, 0x02, 0x03],
            &[0x28, 0x82, 0x00, 0x80, 0x01],
            &[0xfc, 0x0c, 0x01, 0x02],
            &[0x1c, 0x01, 0x7f],
        ];
        for bytes in samples {
            assert!(one(bytes).is_ok());
            for len in 0..bytes.len() {
                let mut ops = OpReader::new(&bytes[..len], 0);
                assert!(ops.read().is_err(), "{:x?}", &bytes[..len]);
            }
        }
    }

    /// Every instruction kind, encoded by `wat`, decodes at the same offsets
    /// and to the same instruction as wasmparser reads it.
    #[test]
    fn agrees_with_wasmparser_on_every_instruction() {
        let wasm = wat::parse_str(EVERY_INSTRUCTION).unwrap();
        let mut bodies = 0;
        for payload in wasmparser::Parser::new(0).parse_all(&wasm) {
            let wasmparser::Payload::CodeSectionEntry(body) = payload.unwrap() else { continue };
            bodies += 1;
            let mut theirs = body.get_operators_reader().unwrap();
            let start = theirs.original_position() as usize;
            let end = body.range().end as usize;
            let mut ours = OpReader::new(&wasm[start..end], start);
            let mut count = 0;
            while !theirs.eof() {
                let (their_op, their_at) = theirs.read_with_offset().unwrap();
                assert_eq!(ours.offset() as u64, their_at);
                let our_op = ours.read().unwrap();
                assert_eq!(
                    variant(&format!("{our_op:?}")),
                    their_variant(&their_op),
                    "at {their_at}"
                );
                count += 1;
            }
            assert!(ours.is_empty());
            assert!(count > 0);
        }
        assert_eq!(bodies, 2);
    }

    fn variant(debug: &str) -> String {
        debug.chars().take_while(|c| c.is_ascii_alphanumeric()).collect()
    }

    fn their_variant(op: &wasmparser::Operator<'_>) -> String {
        match variant(&format!("{op:?}")).as_str() {
            "TypedSelect" => "Select".to_string(),
            other => other.to_string(),
        }
    }

    /// Not a valid module (nothing type-checks): it only has to parse.
    const EVERY_INSTRUCTION: &str = r#"
    (module
      (type $t (func (param i32) (result i32)))
      (memory 1)
      (table 1 funcref)
      (elem $e func 0)
      (data $d "x")
      (global $g (mut i32) (i32.const 0))
      (func $f (param i32) (result i32) (local i64 f32 f64 externref)
        unreachable nop
        block end block (result i32) end block (type $t) end
        loop end loop (result f64) end
        if end if (result i64) else end
        br 0 br_if 0 br_table 0 1 2 return
        call 0 call_indirect (type $t) return
        ref.null func ref.null extern ref.is_null ref.func 0
        drop select select (result i32) select (result externref)
        local.get 0 local.set 0 local.tee 0 global.get 0 global.set 0
        table.get 0 table.set 0 table.init 0 0 elem.drop 0 table.copy 0 0
        table.grow 0 table.size 0 table.fill 0
        i32.load i64.load f32.load f64.load
        i32.load8_s i32.load8_u i32.load16_s i32.load16_u
        i64.load8_s i64.load8_u i64.load16_s i64.load16_u i64.load32_s i64.load32_u
        i32.store i64.store f32.store f64.store i32.store8 i32.store16
        i64.store8 i64.store16 i64.store32
        i32.load offset=4294967295 align=1
        memory.size memory.grow memory.init 0 data.drop 0 memory.copy memory.fill
        i32.const -1 i64.const 0x7fffffffffffffff f32.const nan:0x200000 f64.const -inf
        i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u i32.ge_s i32.ge_u
        i64.eqz i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u
        f32.eq f32.ne f32.lt f32.gt f32.le f32.ge
        f64.eq f64.ne f64.lt f64.gt f64.le f64.ge
        i32.clz i32.ctz i32.popcnt i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u
        i32.and i32.or i32.xor i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr
        i64.clz i64.ctz i64.popcnt i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s i64.rem_u
        i64.and i64.or i64.xor i64.shl i64.shr_s i64.shr_u i64.rotl i64.rotr
        f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt
        f32.add f32.sub f32.mul f32.div f32.min f32.max f32.copysign
        f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt
        f64.add f64.sub f64.mul f64.div f64.min f64.max f64.copysign
        i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u
        i64.extend_i32_s i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u
        f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64
        f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32
        i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64
        i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s
        i32.trunc_sat_f32_s i32.trunc_sat_f32_u i32.trunc_sat_f64_s i32.trunc_sat_f64_u
        i64.trunc_sat_f32_s i64.trunc_sat_f32_u i64.trunc_sat_f64_s i64.trunc_sat_f64_u
      )
      (func (result i32) i32.const 0)
    )"#;
}
