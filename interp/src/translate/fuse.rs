//! Fusions: an op the translator just emitted, taken back into the op that
//! consumes its result, so one dispatch does the work of two and the value
//! between them never goes through a frame slot. The taken-back op's steps
//! stay counted, as pure steps before the fused op's own.
//!
//! - a compare, or an `and` with a constant (a bit test), into the branch
//!   that tests it (`pop_cond`);
//! - a shift by a constant into an add, xor or or of its width
//!   (`fuse_commutative`), as indexed addresses, bit packing, hashes and
//!   table-driven CRCs compute;
//! - an f32 multiply into the add of its product (`fuse_commutative`), as
//!   interpolation and blending compute: rounded twice, not a fused
//!   multiply-add. (The f64 form made the matmul workload 5-7 % slower
//!   with an op fewer per iteration, for a cause not found: left out.)
//! - the op that computes an address into the load or store at it
//!   (`load_fused`, `store_indexed`): a left shift (a static table's
//!   index), `a + b`, an array element's `a + (b << k)`;
//! - a `global.get` into the add of a constant to it, and that add into the
//!   `global.set` of its result (`global_add_imm`, `global_set_add_imm`):
//!   the stack pointer's moves in a C function's prologue and epilogue.

use super::instr::{Instr, Slot};
use super::{Cond, MemArg, Operand, Translator};

/// Builds a fused op from the op just taken back and the fused op's `dst`
/// and other operand; `None` when the two do not fuse.
pub(super) type Fuse = fn(Instr, Slot, Slot) -> Option<Instr>;

/// A builder of `a <op> (b << k)` or `a <op> (b >> k)` from a shift of
/// the op's own width (an `i64.extend_i32_u` or `i32.wrap_i64` between
/// them emits no code, and must not fuse).
macro_rules! shifted {
    ($($name:ident: $shl:ident, $shr:ident, $mask:literal => $op_shl:ident, $op_shr:ident;)*) => {$(
        pub(super) fn $name(taken: Instr, dst: Slot, a: Slot) -> Option<Instr> {
            Some(match taken {
                Instr::$shl { a: b, imm, .. } => Instr::$op_shl { dst, a, b, imm: imm & $mask },
                Instr::$shr { a: b, imm, .. } => Instr::$op_shr { dst, a, b, imm: imm & $mask },
                _ => return None,
            })
        }
    )*};
}

shifted! {
    add_shifted: I32ShlImm, I32ShrUImm, 31 => I32AddShl, I32AddShrU;
    xor_shifted: I32ShlImm, I32ShrUImm, 31 => I32XorShl, I32XorShrU;
    or_shifted: I32ShlImm, I32ShrUImm, 31 => I32OrShl, I32OrShrU;
    i64_add_shifted: I64ShlImm, I64ShrUImm, 63 => I64AddShl, I64AddShrU;
    i64_xor_shifted: I64ShlImm, I64ShrUImm, 63 => I64XorShl, I64XorShrU;
    i64_or_shifted: I64ShlImm, I64ShrUImm, 63 => I64OrShl, I64OrShrU;
}

/// `a * b + c` (f32), rounded twice as the two ops round.
pub(super) fn f32_mul_add(taken: Instr, dst: Slot, c: Slot) -> Option<Instr> {
    match taken {
        Instr::F32Mul { a, b, .. } => Some(Instr::F32MulAdd { dst, a, b, c }),
        _ => None,
    }
}

/// Builds a load that takes in the op that computed its address, from that
/// op, the load's `dst` and offset; `None` when they do not fuse.
pub(super) type LoadFuse = fn(Instr, Slot, u32) -> Option<Instr>;

/// `i32.load` at a shifted index (a lookup in a static table), at `a + b`,
/// or at an element `a + (b << 2)`. (An add of a constant, which wraps at
/// 32 bits before the offset is added, fused as `a + imm` made CPython's
/// cpu.py 4 % slower for 0.7 % fewer host instructions, and resvg, with
/// 3 % fewer ops, no faster: left out, for a cause not found.)
pub(super) fn i32_load(taken: Instr, dst: Slot, offset: u32) -> Option<Instr> {
    Some(match taken {
        Instr::I32ShlImm { a: addr, imm, .. } => Instr::I32LoadShl { dst, addr, offset, imm: imm & 31 },
        Instr::I32Add { a, b, .. } => Instr::I32LoadAdd { dst, a, b, offset },
        Instr::I32AddShl { a, b, imm: 2, .. } => Instr::I32LoadIdx { dst, a, b, offset },
        _ => return None,
    })
}

/// `i64.load` at an element `a + (b << 3)`.
pub(super) fn i64_load(taken: Instr, dst: Slot, offset: u32) -> Option<Instr> {
    match taken {
        Instr::I32AddShl { a, b, imm: 3, .. } => Some(Instr::I64LoadIdx { dst, a, b, offset }),
        _ => None,
    }
}

/// `i32.load16_u` at an element `a + (b << 1)`.
pub(super) fn i32_load16_u(taken: Instr, dst: Slot, offset: u32) -> Option<Instr> {
    match taken {
        Instr::I32AddShl { a, b, imm: 1, .. } => Some(Instr::I32Load16UIdx { dst, a, b, offset }),
        _ => None,
    }
}

impl Translator<'_> {
    /// The instruction just emitted in this block, when it computed the
    /// value at `pos`, a temporary that nothing else reads.
    fn producer_of(&self, pos: usize) -> Option<Instr> {
        let last = *self.code.last()?;
        // The block's first instruction is its `Charge` when steps count.
        let first = self.block_start + self.ctx.count_steps as usize;
        let fusable = self.stack[pos] == Operand::Temp
            && self.code.len() > first
            && last.dst() == Some(self.slot_of(pos));
        fusable.then_some(last)
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

    /// A commutative op (integer add, xor, or; f32 add) that takes the
    /// result of the op just emitted, as either operand: the two become the
    /// one op `fuse` builds, when it does. Whether they did.
    pub(super) fn fuse_commutative(&mut self, fuse: Fuse) -> bool {
        let top = self.stack.len() - 1;
        let Some((taken, pos)) = [top, top - 1]
            .into_iter()
            .find_map(|pos| Some((self.producer_of(pos).filter(|&p| fuse(p, 0, 0).is_some())?, pos)))
        else {
            return false;
        };
        // The other operand must not be a constant, which the immediate
        // form takes.
        let other = if pos == top { top - 1 } else { top };
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
        self.emit(fuse(taken, dst, a).expect("checked above"), 1);
        true
    }

    /// A load from an address the op just emitted computed: `fuse` (one
    /// of `i32_load` and kin) builds the one op that does both from that op,
    /// the load's `dst` and its offset, or declines. Only when the offset
    /// fits the fused op's 16 bits. Whether it fused.
    pub(super) fn load_fused(&mut self, m: MemArg, fuse: LoadFuse) -> bool {
        let offset = self.offset(m);
        let top = self.stack.len() - 1;
        let Some(taken) = self.producer_of(top).filter(|_| offset <= u16::MAX as u32) else {
            return false;
        };
        // The result takes the address's place on the stack, and its slot.
        let Some(fused) = fuse(taken, self.slot_of(top), offset) else {
            return false;
        };
        self.take_back();
        self.drop_top();
        self.push_temp();
        self.emit(fused, 1);
        true
    }

    /// An `i32.store` of a local's value to `a + (b << 2)`, the add taken
    /// back into the store. (A computed value would have been emitted
    /// after the address, and a constant has its own form.) Whether it was.
    pub(super) fn store_indexed(&mut self, m: MemArg) -> bool {
        let top = self.stack.len() - 1;
        let offset = self.offset(m);
        if !matches!(self.stack[top], Operand::Local(_)) {
            return false;
        }
        let Some(Instr::I32AddShl { a, b, imm: 2, .. }) = self.producer_of(top - 1) else {
            return false;
        };
        if offset > u16::MAX as u32 {
            return false;
        }
        self.take_back();
        let value = self.pop_slot();
        self.drop_top();
        self.emit(Instr::I32StoreIdx { a, b, value, offset }, 1);
        true
    }

    /// `global.get; i32.const imm; i32.add` (the constant on top, not yet
    /// popped) as one op. Whether it was.
    pub(super) fn global_add_imm(&mut self, imm: u32) -> bool {
        let Some(Instr::GlobalGet { global, .. }) = self.producer_of(self.stack.len() - 2) else {
            return false;
        };
        self.take_back();
        self.drop_top();
        self.drop_top();
        let dst = self.push_temp();
        self.emit(Instr::GlobalAddImm { dst, global, imm }, 1);
        true
    }

    /// `i32.add` of a constant, then `global.set` of the sum, as one op.
    /// Whether it was.
    pub(super) fn global_set_add_imm(&mut self, global: u32) -> bool {
        let Some(Instr::I32AddImm { a: src, imm, .. }) = self.producer_of(self.stack.len() - 1) else {
            return false;
        };
        self.take_back();
        self.drop_top();
        self.emit(Instr::GlobalSetAddImm { global, src, imm }, 1);
        true
    }

    /// Pops a branch condition. An i32 compare that was just emitted to
    /// produce it is taken back and fused into the branch; its steps stay
    /// counted, as pure steps before the branch's own.
    pub(super) fn pop_cond(&mut self) -> Cond {
        if let Some(taken) = self.producer_of(self.stack.len() - 1) {
            use Instr as I;
            let cond = match taken {
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
                I::I32AndImm { a, imm, .. } => Some(Cond::Cmp(I::BrI32AndImmNez { a, imm, target: 0 })),
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
