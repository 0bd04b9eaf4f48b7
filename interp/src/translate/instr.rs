//! The internal code that WebAssembly functions are translated into.
//!
//! A register-style code over the frame's value cells: every operand is a
//! frame-relative slot (locals first, then operand-stack slots whose position
//! the translator knows), so `local.get` and constants mostly disappear into
//! the instructions that use them. Every field is a `u32`, which keeps an
//! instruction at 16 bytes.

use crate::decode::{SimdCode, SimdShape};

/// Whether a SIMD instruction computes its result into `dst` from other
/// slots only, so the translator may redirect it. A ternary one reads its
/// last operand next to `dst`, a select reads `dst` itself.
fn simd_writes(code: SimdCode) -> bool {
    use SimdShape as S;
    !matches!(code.shape(), S::Ternary | S::SelectElse | S::Store128 | S::GlobalSet | S::Data | S::Const)
}

/// A frame-relative cell index.
pub(crate) type Slot = u32;

/// No slot: a filler in [`TranslatedFunc::popped`].
pub(crate) const NO_SLOT: Slot = u32::MAX;

macro_rules! define_instrs {
    (
        writes { $( $w:ident { $($wf:ident),* } )* }
        others { $( $(#[$m:meta])* $o:ident { $($of:ident),* } )* }
    ) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Instr {
            $( $w { dst: Slot, $($wf: u32),* }, )*
            $( $(#[$m])* $o { $($of: u32),* }, )*
            /// A SIMD instruction or a move of a v128 value: `code` says
            /// which, and its shape what the slots mean (see
            /// `translate::simd`). A v128 takes two cells, from its slot up.
            Simd { code: SimdCode, lane: u8, dst: Slot, a: Slot, b: Slot },
        }

        impl Instr {
            /// The result slot of an instruction that computes one value
            /// with no other effect on the frame, so the translator may
            /// redirect it (folding a following `local.set`).
            pub(crate) fn dst(&self) -> Option<Slot> {
                match *self {
                    $( Instr::$w { dst, .. } => Some(dst), )*
                    Instr::Select { dst, .. } | Instr::SelectImm { dst, .. } => Some(dst),
                    Instr::Simd { code, dst, .. } if simd_writes(code) => Some(dst),
                    _ => None,
                }
            }

            pub(crate) fn dst_mut(&mut self) -> Option<&mut Slot> {
                match self {
                    $( Instr::$w { dst, .. } => Some(dst), )*
                    Instr::Select { dst, .. } | Instr::SelectImm { dst, .. } => Some(dst),
                    Instr::Simd { code, dst, .. } if simd_writes(*code) => Some(dst),
                    _ => None,
                }
            }
        }
    };
}

define_instrs! {
    writes {
        Copy { src }
        Const32 { imm }
        Const64 { lo, hi }
        GlobalGet { global }
        // `global + imm` (i32): a `global.get` fused into the add of a
        // constant, as a C function's prologue moves the stack pointer
        // (`Translator::global_add_imm`).
        GlobalAddImm { global, imm }
        RefFunc { func }
        RefIsNull { src }
        TableGet { table, index }
        TableSize { table }
        MemorySize {}
        // `wide`: a 64-bit memory's (i64 delta and result).
        MemoryGrow { delta, wide }

        I32Load { addr, offset }
        // At `(addr << imm) + offset` (`fuse::i32_load`).
        I32LoadShl { addr, offset, imm }
        // At `a + b + offset`, and at `a + (b << k) + offset` with `k` the
        // log2 of the access's size, as an array's element is addressed:
        // the add that computes the address taken into the load
        // (`Translator::load_fused`).
        I32LoadAdd { a, b, offset }
        I32LoadIdx { a, b, offset }
        I64LoadIdx { a, b, offset }
        I32Load16UIdx { a, b, offset }
        I64Load { addr, offset }
        F32Load { addr, offset }
        F64Load { addr, offset }
        I32Load8S { addr, offset }
        I32Load8U { addr, offset }
        I32Load16S { addr, offset }
        I32Load16U { addr, offset }
        I64Load8S { addr, offset }
        I64Load8U { addr, offset }
        I64Load16S { addr, offset }
        I64Load16U { addr, offset }
        I64Load32S { addr, offset }
        I64Load32U { addr, offset }

        I32Eqz { src } I64Eqz { src }
        I32Clz { src } I32Ctz { src } I32Popcnt { src }
        I64Clz { src } I64Ctz { src } I64Popcnt { src }
        F32Abs { src } F32Neg { src } F32Ceil { src } F32Floor { src }
        F32Trunc { src } F32Nearest { src } F32Sqrt { src }
        F64Abs { src } F64Neg { src } F64Ceil { src } F64Floor { src }
        F64Trunc { src } F64Nearest { src } F64Sqrt { src }
        I32WrapI64 { src }
        I32TruncF32S { src } I32TruncF32U { src } I32TruncF64S { src } I32TruncF64U { src }
        I64ExtendI32S { src }
        I64TruncF32S { src } I64TruncF32U { src } I64TruncF64S { src } I64TruncF64U { src }
        F32ConvertI32S { src } F32ConvertI32U { src } F32ConvertI64S { src } F32ConvertI64U { src }
        F32DemoteF64 { src }
        F32Canon { src } F64Canon { src }
        F64ConvertI32S { src } F64ConvertI32U { src } F64ConvertI64S { src } F64ConvertI64U { src }
        F64PromoteF32 { src }
        I32Extend8S { src } I32Extend16S { src }
        I64Extend8S { src } I64Extend16S { src } I64Extend32S { src }
        I32TruncSatF32S { src } I32TruncSatF32U { src } I32TruncSatF64S { src } I32TruncSatF64U { src }
        I64TruncSatF32S { src } I64TruncSatF32U { src } I64TruncSatF64S { src } I64TruncSatF64U { src }

        I32Eq { a, b } I32Ne { a, b } I32LtS { a, b } I32LtU { a, b } I32GtS { a, b }
        I32GtU { a, b } I32LeS { a, b } I32LeU { a, b } I32GeS { a, b } I32GeU { a, b }
        I64Eq { a, b } I64Ne { a, b } I64LtS { a, b } I64LtU { a, b } I64GtS { a, b }
        I64GtU { a, b } I64LeS { a, b } I64LeU { a, b } I64GeS { a, b } I64GeU { a, b }
        F32Eq { a, b } F32Ne { a, b } F32Lt { a, b } F32Gt { a, b } F32Le { a, b } F32Ge { a, b }
        F64Eq { a, b } F64Ne { a, b } F64Lt { a, b } F64Gt { a, b } F64Le { a, b } F64Ge { a, b }

        I32Add { a, b } I32Sub { a, b } I32Mul { a, b } I32DivS { a, b } I32DivU { a, b }
        I32RemS { a, b } I32RemU { a, b } I32And { a, b } I32Or { a, b } I32Xor { a, b }
        I32Shl { a, b } I32ShrS { a, b } I32ShrU { a, b } I32Rotl { a, b } I32Rotr { a, b }
        I64Add { a, b } I64Sub { a, b } I64Mul { a, b } I64DivS { a, b } I64DivU { a, b }
        I64RemS { a, b } I64RemU { a, b } I64And { a, b } I64Or { a, b } I64Xor { a, b }
        I64Shl { a, b } I64ShrS { a, b } I64ShrU { a, b } I64Rotl { a, b } I64Rotr { a, b }
        F32Add { a, b } F32Sub { a, b } F32Mul { a, b } F32Div { a, b }
        F32Min { a, b } F32Max { a, b } F32Copysign { a, b }
        F64Add { a, b } F64Sub { a, b } F64Mul { a, b } F64Div { a, b }
        F64Min { a, b } F64Max { a, b } F64Copysign { a, b }

        // Second operand folded from an `i32.const` (sign-extended for i64).
        I32AddImm { a, imm }
        // `a <op> (b << imm)` and `a <op> (b >> imm)`: a shift by a constant
        // fused into the op that takes it (`Translator::fuse_commutative`).
        I32AddShl { a, b, imm } I32AddShrU { a, b, imm }
        I32XorShl { a, b, imm } I32XorShrU { a, b, imm }
        I32OrShl { a, b, imm } I32OrShrU { a, b, imm }
        I64AddShl { a, b, imm } I64AddShrU { a, b, imm }
        I64XorShl { a, b, imm } I64XorShrU { a, b, imm }
        I64OrShl { a, b, imm } I64OrShrU { a, b, imm }
        I64AddImm { a, imm }
        I32MulImm { a, imm }
        I32AndImm { a, imm } I32OrImm { a, imm } I32XorImm { a, imm }
        I32ShlImm { a, imm } I32ShrSImm { a, imm } I32ShrUImm { a, imm }
        I32EqImm { a, imm } I32NeImm { a, imm }
        I32LtSImm { a, imm } I32LtUImm { a, imm } I32GtSImm { a, imm } I32GtUImm { a, imm }
        I32LeSImm { a, imm } I32LeUImm { a, imm } I32GeSImm { a, imm } I32GeUImm { a, imm }
        I64MulImm { a, imm }
        I64AndImm { a, imm } I64OrImm { a, imm } I64XorImm { a, imm }
        I64ShlImm { a, imm } I64ShrSImm { a, imm } I64ShrUImm { a, imm }
        // Second operand folded from an `f32.const` (its bits).
        F32AddImm { a, imm } F32SubImm { a, imm } F32MulImm { a, imm }
        F32LtImm { a, imm } F32GtImm { a, imm } F32LeImm { a, imm } F32GeImm { a, imm }
        // `a * b + c`, rounded after each (`Translator::fuse_commutative`).
        F32MulAdd { a, b, c }
    }
    others {
        /// Start of a basic block: charge the steps of the whole block.
        Charge { cost }
        /// A function's first op when it declares locals: zeroes their
        /// cells, `count` from `start`. Costs no step.
        ZeroLocals { start, count }
        Unreachable {}
        Br { target }
        BrIfNez { cond, target }
        BrIfEqz { cond, target }
        /// Branch when `a <op> b` (i32): a compare fused into its branch.
        BrI32Eq { a, b, target } BrI32Ne { a, b, target }
        BrI32LtS { a, b, target } BrI32LtU { a, b, target }
        BrI32GtS { a, b, target } BrI32GtU { a, b, target }
        BrI32LeS { a, b, target } BrI32LeU { a, b, target }
        BrI32GeS { a, b, target } BrI32GeU { a, b, target }
        /// Branch when `a <op> imm` (i32).
        BrI32EqImm { a, imm, target } BrI32NeImm { a, imm, target }
        BrI32LtSImm { a, imm, target } BrI32LtUImm { a, imm, target }
        BrI32GtSImm { a, imm, target } BrI32GtUImm { a, imm, target }
        BrI32LeSImm { a, imm, target } BrI32LeUImm { a, imm, target }
        BrI32GeSImm { a, imm, target } BrI32GeUImm { a, imm, target }
        /// Branch when `a & imm` is not zero, or is zero (i32): a bit test
        /// fused into its branch.
        BrI32AndImmNez { a, imm, target } BrI32AndImmEqz { a, imm, target }
        /// `len` targets (the last is the default) at `start` in the
        /// function's branch table.
        BrTable { index, start, len }
        Return0 {}
        Return1 { src }
        /// Return `count` values held in consecutive slots from `start`.
        ReturnN { start, count }
        /// Call a function defined in this module; arguments (and then
        /// results) live in consecutive slots from `args`.
        Call { func, args }
        /// Call an imported function (index into the instance's functions).
        CallImported { func, args }
        /// `site` indexes the function's call-indirect table (type, table).
        CallIndirect { site, index, args }
        /// A `call_indirect` through table 0 of the module's type `ty`
        /// (the canonical type id, once linked): a look-up fewer.
        CallIndirect0 { ty, index, args }
        /// Tail calls: the callee replaces the running function's frame, its
        /// arguments moved from `args` to the frame's base. A host callee is
        /// called, and the return after the op returns its results.
        ReturnCall { func, args }
        ReturnCallImported { func, args }
        ReturnCallIndirect { site, index, args }
        /// Calls the function reference in slot `func` (typed function
        /// references); a null traps.
        CallRef { func, args }
        ReturnCallRef { func, args }
        /// Traps if the reference in `src` is null.
        RefAsNonNull { src }
        /// Throws an exception of module tag `tag` carrying the values at
        /// `args`.
        Throw { tag, args }
        /// Throws the exception the `exnref` in `slot` names again.
        ThrowRef { slot }
        /// `dst = cond != 0 ? a : b` (the result last: only the first three
        /// fields can be read from the accumulator). It and `SelectImm`
        /// write only `dst`, so `dst()` names it; `SelectElseImm` also
        /// reads its `dst`, so a `local.set` cannot redirect it.
        Select { cond, a, b, dst }
        /// `dst = cond != 0 ? dst : imm`: a constant second operand.
        SelectElseImm { dst, cond, imm }
        /// `dst = cond != 0 ? imm : b`: a constant first operand.
        SelectImm { dst, cond, b, imm }
        GlobalSet { global, src }
        /// `global = src + imm` (i32): the add of a constant fused into the
        /// `global.set` of its result, as a C function's epilogue restores
        /// the stack pointer.
        GlobalSetAddImm { global, src, imm }
        TableSet { table, index, value }
        /// Operands [init, delta] at `args`; the result replaces `init`.
        TableGrow { table, args, wide }
        /// Operands [index, value, len] at `args`.
        TableFill { table, args }
        /// Operands [dst, src, len] at `args`.
        TableCopy { dst_table, src_table, args }
        TableInit { elem, table, args }
        ElemDrop { elem }

        I32Store { addr, value, offset }
        /// At `a + (b << 2) + offset` (`Translator::store_indexed`).
        I32StoreIdx { a, b, value, offset }
        I64Store { addr, value, offset }
        F32Store { addr, value, offset }
        F64Store { addr, value, offset }
        I32Store8 { addr, value, offset }
        I32Store16 { addr, value, offset }
        I64Store8 { addr, value, offset }
        I64Store16 { addr, value, offset }
        I64Store32 { addr, value, offset }
        /// Stores of a constant (`imm` is the constant; sign-extended for
        /// i64).
        I32StoreImm { addr, imm, offset }
        I32Store8Imm { addr, imm, offset }
        I32Store16Imm { addr, imm, offset }
        I64StoreImm { addr, imm, offset }
        /// Operands [dst, value, len] at `args`; `wide`: a 64-bit memory's
        /// (i64 dst and len).
        MemoryFill { args, wide }
        /// Operands [dst, src, len] at `args`; `wide` as for `MemoryFill`.
        MemoryCopy { args, wide }
        /// `memory.copy` from memory `src_mem` into another, `dst_mem`
        /// (both indices of the instance). Operands [dst, src, len] at
        /// `args`.
        MemoryCopyAcross { dst_mem, src_mem, args }
        /// Makes memory `memory` of the instance the one memory
        /// instructions use, until the next `UseMemory` (a step-free op
        /// the translator puts before and after an instruction on a memory
        /// other than 0, so that memory 0's ops stay as they are).
        UseMemory { memory }
        /// Before an access to a 64-bit memory: checks that the i64
        /// address in `slot` plus the offset (`lo`, `hi`) lies in the
        /// memory, narrows the memory the next instructions see to what
        /// starts there, and sets `slot` to 0, so that the access that
        /// follows runs as a 32-bit one at address 0 with offset 0. The
        /// `UseMemory` after the access widens it again. This carries the
        /// access's step, so a trap here counts it.
        MemWindow { slot, lo, hi }
        /// Before a table instruction on a 64-bit table: an i64 index or
        /// length in `slot` past `u32::MAX` becomes `u32::MAX`, which no
        /// table reaches (their size is bounded below it), so the 32-bit
        /// bounds check that follows traps as the 64-bit one would.
        ClampIndex { slot }
        /// Operands [dst, src, len] at `args`; `wide`: a 64-bit memory's
        /// (i64 dst).
        MemoryInit { data, args, wide }
        DataDrop { data }
    }
}

/// How many steps of the original code an instruction stands for.
///
/// `pre` counts the instructions up to and including the one whose effect
/// (or trap) this instruction performs; `post` counts folded instructions
/// after it that only touch the frame (a `local.set` folded into the result,
/// a trailing `drop`). The split is what keeps the count exact when a trap or
/// the step limit falls inside a fused instruction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct StepCost {
    pub pre: u32,
    pub post: u32,
}

impl Instr {
    /// The branch target of a (conditional) direct branch.
    pub(crate) fn target_mut(&mut self) -> Option<&mut u32> {
        match self {
            Instr::Br { target }
            | Instr::BrIfNez { target, .. }
            | Instr::BrIfEqz { target, .. }
            | Instr::BrI32Eq { target, .. }
            | Instr::BrI32Ne { target, .. }
            | Instr::BrI32LtS { target, .. }
            | Instr::BrI32LtU { target, .. }
            | Instr::BrI32GtS { target, .. }
            | Instr::BrI32GtU { target, .. }
            | Instr::BrI32LeS { target, .. }
            | Instr::BrI32LeU { target, .. }
            | Instr::BrI32GeS { target, .. }
            | Instr::BrI32GeU { target, .. }
            | Instr::BrI32EqImm { target, .. }
            | Instr::BrI32NeImm { target, .. }
            | Instr::BrI32LtSImm { target, .. }
            | Instr::BrI32LtUImm { target, .. }
            | Instr::BrI32GtSImm { target, .. }
            | Instr::BrI32GtUImm { target, .. }
            | Instr::BrI32LeSImm { target, .. }
            | Instr::BrI32LeUImm { target, .. }
            | Instr::BrI32GeSImm { target, .. }
            | Instr::BrI32GeUImm { target, .. }
            | Instr::BrI32AndImmNez { target, .. }
            | Instr::BrI32AndImmEqz { target, .. } => Some(target),
            _ => None,
        }
    }
}

/// A translated function, before the executor links it.
#[derive(Debug)]
pub(crate) struct TranslatedFunc {
    pub code: Vec<Instr>,
    /// One entry per instruction of `code`.
    pub costs: Vec<StepCost>,
    /// One entry per instruction of `code`: up to two operand-stack slots
    /// (not locals) it pops, whose values are dead once it has read them
    /// ([`NO_SLOT`] fills the rest).
    pub popped: Vec<[Slot; 2]>,
    pub br_tables: Box<[u32]>,
    /// (module type index, table index) per `call_indirect` site.
    pub indirect_sites: Box<[(u32, u32)]>,
    /// The catch clauses of the function's `try_table`s, inner ones first.
    pub handlers: Box<[ExnHandler]>,
    pub num_params: u32,
    /// Cells the frame needs: every slot the code names is below this.
    pub frame_size: u32,
}

/// A catch clause: an exception thrown at (or in a call from) an
/// instruction in `start..end` that `tag` names lands at `pad` with its
/// values in the slots from `dst` and its `exnref` in `ref_slot` (unless
/// [`NO_SLOT`]). A `try_table` pad moves them to the label and branches
/// there; a legacy catch clause runs from its pad. A [`DELEGATE`] entry
/// sends the search on from handler `pad` (`u32::MAX`: to the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ExnHandler {
    pub start: u32,
    pub end: u32,
    /// The module tag index, or [`CATCH_ALL`].
    pub tag: u32,
    pub ref_slot: Slot,
    pub dst: Slot,
    pub pad: u32,
}

/// [`ExnHandler::tag`] of `catch_all` and `catch_all_ref`.
pub(crate) const CATCH_ALL: u32 = u32::MAX;
/// [`ExnHandler::tag`] of a legacy `delegate`.
pub(crate) const DELEGATE: u32 = u32::MAX - 1;

#[cfg(test)]
mod tests {
    /// Four fields of 4 bytes at most (`Select`, `SelectImm`) and the tag.
    #[test]
    fn instructions_stay_small() {
        assert_eq!(std::mem::size_of::<super::Instr>(), 20);
    }
}
