//! Translation of SIMD instructions.
//!
//! A v128 takes two cells, from its slot up; the translator's stack knows
//! each entry's width. Every SIMD instruction becomes one [`Instr::Simd`]
//! whose slots mean, by shape (`a`, `b` operands, `lane` the immediate):
//!
//! | shape | slots |
//! |---|---|
//! | unary, test, splat, copy | `dst ← f(a)` |
//! | binary, shift | `dst ← f(a, b)` |
//! | ternary | `dst ← f(a, b, c)`, with `c` in its own slot `dst + 4` |
//! | extract, replace | `dst ← f(a, lane)`, `dst ← f(a, lane, b)` |
//! | load | `dst ← f(memory at a + b)` |
//! | store | memory at `a + dst` ← `b` (`dst` carries the offset) |
//! | shuffle | `dst ← f(a, b, lanes)`, the lanes in the two data ops after it |
//! | select | `dst ← b` unless `a` is not 0 (`dst` holds the first operand) |
//! | global get, set | `dst ← global a`, `global a ← b` |
//!
//! A lane load or store is two instructions: a scalar load into a scratch
//! cell and a lane replace, or a lane extract and a scalar store. The first
//! counts the step, so a trap or a step limit lands on the instruction.
//! `v128.const` is two cell constants.

use super::{Instr, Slot, Translator};
use crate::decode::{MemArg, Op, SimdCode, SimdShape};
use crate::types::ValType;

impl Translator<'_> {
    pub(super) fn emit_simd(&mut self, code: SimdCode, dst: Slot, a: Slot, b: Slot, own: u32) -> usize {
        self.emit(Instr::Simd { code, lane: 0, dst, a, b }, own)
    }

    fn emit_lane(&mut self, code: SimdCode, lane: u8, dst: Slot, a: Slot, b: Slot, own: u32) -> usize {
        self.emit(Instr::Simd { code, lane, dst, a, b }, own)
    }

    fn push_v128(&mut self) -> Slot {
        self.push_temp_ty(ValType::V128)
    }

    pub(super) fn simd(&mut self, op: Op) {
        use SimdShape as S;
        match op {
            Op::Simd(code) => match code.shape() {
                S::Unary | S::Splat => {
                    let src = self.pop_slot();
                    let dst = self.push_v128();
                    self.emit_simd(code, dst, src, 0, 1);
                }
                S::Test => {
                    let src = self.pop_slot();
                    let dst = self.push_temp();
                    self.emit_simd(code, dst, src, 0, 1);
                }
                S::Binary | S::Shift => {
                    let b = self.pop_slot();
                    let a = self.pop_slot();
                    let dst = self.push_v128();
                    self.emit_simd(code, dst, a, b, 1);
                }
                S::Ternary => {
                    self.materialize_top(1);
                    let c = self.pop_slot();
                    let b = self.pop_slot();
                    let a = self.pop_slot();
                    let dst = self.push_v128();
                    debug_assert_eq!(c, dst + 4);
                    self.emit_simd(code, dst, a, b, 1);
                }
                other => unreachable!("{other:?} has an immediate"),
            },
            Op::SimdLane(code, lane) => match code.shape() {
                S::Extract => {
                    let src = self.pop_slot();
                    let dst = self.push_temp();
                    self.emit_lane(code, lane, dst, src, 0, 1);
                }
                S::Replace => {
                    let b = self.pop_slot();
                    let a = self.pop_slot();
                    let dst = self.push_v128();
                    self.emit_lane(code, lane, dst, a, b, 1);
                }
                other => unreachable!("{other:?} has no lane immediate"),
            },
            Op::SimdMem(code, m) => match code.shape() {
                S::Load | S::Load128 => {
                    let addr = self.pop_slot();
                    let dst = self.push_v128();
                    self.emit_simd(code, dst, addr, self.offset(m), 1);
                }
                S::Store128 => {
                    let value = self.pop_slot();
                    let addr = self.pop_slot();
                    self.emit_simd(code, self.offset(m), addr, value, 1);
                }
                other => unreachable!("{other:?} has no memory immediate"),
            },
            Op::SimdMemLane(code, m, lane) => self.lane_access(code, m, lane),
            Op::SimdBytes(code, bytes) => {
                let v = u128::from_le_bytes(bytes);
                match code.shape() {
                    S::Const => {
                        let dst = self.push_v128();
                        self.pending += 1;
                        self.emit_const(dst, v as u64);
                        self.emit_const(dst + 1, (v >> 64) as u64);
                    }
                    S::Shuffle => {
                        let b = self.pop_slot();
                        let a = self.pop_slot();
                        let dst = self.push_v128();
                        self.emit_simd(code, dst, a, b, 1);
                        let w = |i: u32| (v >> (32 * i)) as u32;
                        self.emit_simd(SimdCode::V128Data, w(0), w(1), w(2), 0);
                        self.emit_simd(SimdCode::V128Data, w(3), 0, 0, 0);
                    }
                    other => unreachable!("{other:?} has no 16-byte immediate"),
                }
            }
            other => unreachable!("not a SIMD operator: {other:?}"),
        }
    }

    /// `v128.loadN_lane` and `v128.storeN_lane`.
    fn lane_access(&mut self, code: SimdCode, m: MemArg, lane: u8) {
        // Above both operands, so neither is overwritten before it is read.
        let scratch = self.slot_of(self.stack.len());
        self.use_slot(scratch);
        let v = self.pop_slot();
        let addr = self.pop_slot();
        let offset = self.offset(m);
        let store = code.shape() == SimdShape::StoreLane;
        if store {
            self.emit_lane(code, lane, scratch, v, 0, 1);
            let value = scratch;
            let instr = match code.bytes() {
                1 => Instr::I32Store8 { addr, value, offset },
                2 => Instr::I32Store16 { addr, value, offset },
                4 => Instr::I32Store { addr, value, offset },
                _ => Instr::I64Store { addr, value, offset },
            };
            self.emit(instr, 0);
        } else {
            let dst = scratch;
            let instr = match code.bytes() {
                1 => Instr::I32Load8U { dst, addr, offset },
                2 => Instr::I32Load16U { dst, addr, offset },
                4 => Instr::I32Load { dst, addr, offset },
                _ => Instr::I64Load { dst, addr, offset },
            };
            self.emit(instr, 1);
            let dst = self.push_v128();
            self.emit_lane(code, lane, dst, v, scratch, 0);
        }
    }
}
