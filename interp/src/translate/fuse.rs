//! Fusions: an op the translator just emitted, taken back into the op that
//! consumes its result, so one dispatch does the work of two and the value
//! between them never goes through a frame slot. The taken-back op's steps
//! stay counted, as pure steps before the fused op's own.
//!
//! - a compare into the branch that tests it (`pop_cond`);
//! - a shift by a constant into an add, xor or or (`binary_shifted`), as
//!   indexed addresses, bit packing and table-driven CRCs compute;
//! - a left shift into the `i32.load` that indexes a static table with it
//!   (`load_shifted`).

use super::instr::{Instr, Slot};
use super::{Cond, MemArg, Operand, Translator};

/// How a shift taken back into a fused op shifts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shift {
    Left,
    RightU,
}

/// Builds a fused op from its `dst`, `a`, `b` and shift count.
type MakeShifted = fn(Slot, Slot, Slot, u32, Shift) -> Instr;

/// `a + (b << k)` or `a + (b >> k)`.
pub(super) fn add_shifted(dst: Slot, a: Slot, b: Slot, imm: u32, shift: Shift) -> Instr {
    match shift {
        Shift::Left => Instr::I32AddShl { dst, a, b, imm },
        Shift::RightU => Instr::I32AddShrU { dst, a, b, imm },
    }
}

/// `a ^ (b << k)` or `a ^ (b >> k)`.
pub(super) fn xor_shifted(dst: Slot, a: Slot, b: Slot, imm: u32, shift: Shift) -> Instr {
    match shift {
        Shift::Left => Instr::I32XorShl { dst, a, b, imm },
        Shift::RightU => Instr::I32XorShrU { dst, a, b, imm },
    }
}

/// `a | (b << k)` or `a | (b >> k)`.
pub(super) fn or_shifted(dst: Slot, a: Slot, b: Slot, imm: u32, shift: Shift) -> Instr {
    match shift {
        Shift::Left => Instr::I32OrShl { dst, a, b, imm },
        Shift::RightU => Instr::I32OrShrU { dst, a, b, imm },
    }
}

impl Translator<'_> {
    /// `(b, k, shift)` when the value at `pos` is `b` shifted by the
    /// constant `k`, a temporary the shift just emitted in this block
    /// computed (and nothing else reads).
    fn shifted_at(&self, pos: usize) -> Option<(Slot, u32, Shift)> {
        let (dst, b, imm, shift) = match *self.code.last()? {
            Instr::I32ShlImm { dst, a, imm } => (dst, a, imm, Shift::Left),
            Instr::I32ShrUImm { dst, a, imm } => (dst, a, imm, Shift::RightU),
            _ => return None,
        };
        let fusable =
            self.stack[pos] == Operand::Temp && self.slot_of(pos) == dst && self.code.len() > self.block_start + 1;
        fusable.then_some((b, imm & 31, shift))
    }

    /// Takes back the instruction just emitted (a pure one), to fuse it
    /// into the next: its steps stay counted, as pure steps before the next
    /// one's own, and the next pops what it popped.
    fn take_back(&mut self) {
        self.code.pop();
        self.popping = self.popped.pop().unwrap();
        let cost = self.costs.pop().unwrap();
        self.pending += cost.pre + cost.post;
    }

    /// A commutative i32 op (add, xor, or) of a value shifted by a
    /// constant: the shift is taken back into one op `make` builds.
    /// Whether it was.
    pub(super) fn binary_shifted(&mut self, make: MakeShifted) -> bool {
        let top = self.stack.len() - 1;
        // Either operand (the op commutes); the other must not be a
        // constant, which the immediate form takes.
        let (shifted, other) = match self.shifted_at(top) {
            Some(s) => (s, top - 1),
            None => match self.shifted_at(top - 1) {
                Some(s) => (s, top),
                None => return false,
            },
        };
        if matches!(self.stack[other], Operand::Const(_)) {
            return false;
        }
        self.take_back();
        let a = match other == top {
            true => {
                let a = self.pop_slot();
                self.drop_top();
                a
            }
            false => {
                self.drop_top();
                self.pop_slot()
            }
        };
        let dst = self.push_temp();
        let (b, imm, shift) = shifted;
        self.emit(make(dst, a, b, imm, shift), 1);
        true
    }

    /// `i32.load` from an index shifted left, as a lookup in a static
    /// table: the shift is taken back into one op, when the offset fits the
    /// op's 16 bits. Whether it was.
    pub(super) fn load_shifted(&mut self, m: MemArg) -> bool {
        let offset = self.offset(m);
        let Some((addr, imm, _)) = self
            .shifted_at(self.stack.len() - 1)
            .filter(|&(_, _, shift)| shift == Shift::Left && offset <= u16::MAX as u32)
        else {
            return false;
        };
        self.take_back();
        self.drop_top();
        let dst = self.push_temp();
        self.emit(Instr::I32LoadShl { dst, addr, offset, imm }, 1);
        true
    }

    /// Pops a branch condition. An i32 compare that was just emitted to
    /// produce it is taken back and fused into the branch; its steps stay
    /// counted, as pure steps before the branch's own.
    pub(super) fn pop_cond(&mut self) -> Cond {
        let pos = self.stack.len() - 1;
        let slot = self.slot_of(pos);
        let fusable = self.stack[pos] == Operand::Temp
            && self.code.len() > self.block_start + 1
            && self.code.last_mut().and_then(|i| i.dst_mut()).is_some_and(|d| *d == slot);
        if fusable {
            use Instr as I;
            let cond = match *self.code.last().unwrap() {
                I::I32Eqz { src, .. } => Some(Cond::Eqz(src)),
                I::I32Eq { a, b, .. } => Some(Cond::Cmp(I::BrI32Eq { a, b, target: 0 })),
                I::I32Ne { a, b, .. } => Some(Cond::Cmp(I::BrI32Ne { a, b, target: 0 })),
                I::I32LtS { a, b, .. } => Some(Cond::Cmp(I::BrI32LtS { a, b, target: 0 })),
                I::I32LtU { a, b, .. } => Some(Cond::Cmp(I::BrI32LtU { a, b, target: 0 })),
                I::I32GtS { a, b, .. } => Some(Cond::Cmp(I::BrI32GtS { a, b, target: 0 })),
                I::I32GtU { a, b, .. } => Some(Cond::Cmp(I::BrI32GtU { a, b, target: 0 })),
                I::I32LeS { a, b, .. } => Some(Cond::Cmp(I::BrI32LeS { a, b, target: 0 })),
                I::I32LeU { a, b, .. } => Some(Cond::Cmp(I::BrI32LeU { a, b, target: 0 })),
                I::I32GeS { a, b, .. } => Some(Cond::Cmp(I::BrI32GeS { a, b, target: 0 })),
                I::I32GeU { a, b, .. } => Some(Cond::Cmp(I::BrI32GeU { a, b, target: 0 })),
                I::I32EqImm { a, imm, .. } => Some(Cond::Cmp(I::BrI32EqImm { a, imm, target: 0 })),
                I::I32NeImm { a, imm, .. } => Some(Cond::Cmp(I::BrI32NeImm { a, imm, target: 0 })),
                I::I32LtSImm { a, imm, .. } => Some(Cond::Cmp(I::BrI32LtSImm { a, imm, target: 0 })),
                I::I32LtUImm { a, imm, .. } => Some(Cond::Cmp(I::BrI32LtUImm { a, imm, target: 0 })),
                I::I32GtSImm { a, imm, .. } => Some(Cond::Cmp(I::BrI32GtSImm { a, imm, target: 0 })),
                I::I32GtUImm { a, imm, .. } => Some(Cond::Cmp(I::BrI32GtUImm { a, imm, target: 0 })),
                I::I32LeSImm { a, imm, .. } => Some(Cond::Cmp(I::BrI32LeSImm { a, imm, target: 0 })),
                I::I32LeUImm { a, imm, .. } => Some(Cond::Cmp(I::BrI32LeUImm { a, imm, target: 0 })),
                I::I32GeSImm { a, imm, .. } => Some(Cond::Cmp(I::BrI32GeSImm { a, imm, target: 0 })),
                I::I32GeUImm { a, imm, .. } => Some(Cond::Cmp(I::BrI32GeUImm { a, imm, target: 0 })),
                _ => None,
            };
            if let Some(cond) = cond {
                self.take_back();
                self.drop_top();
                return cond;
            }
        }
        Cond::Nez(self.pop_slot())
    }
}
