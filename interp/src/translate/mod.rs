//! Translation of one validated function body into internal code.
//!
//! The translator walks the WebAssembly operators once, keeping an abstract
//! operand stack whose entries are either a value in its own stack slot, a
//! local that has not been copied yet, or a constant. Operators then name
//! their operands' slots directly, so most `local.get`s and constants cost no
//! instruction. Branch targets and operand slots are resolved here; the
//! executor never looks at WebAssembly again.
//!
//! Step counting: every basic block starts with a `Charge` of the steps the
//! whole block stands for, and every instruction records which steps it
//! covers ([`StepCost`]), so the executor can stop after exactly N steps and
//! count a trap exactly without paying per instruction.

mod assigned;
mod exceptions;
mod fuse;
pub(crate) mod instr;
mod simd;

use crate::decode::{FuncBody, MemArg, Op, OpReader, SimdCode};
use crate::error::Error;
use crate::types::{BlockType, FuncType, ValType};
use crate::value::cells_of;
pub(crate) use instr::{ExnHandler, Instr, Slot, StepCost, TranslatedFunc, CATCH_ALL, DELEGATE, NO_SLOT};

/// What the translator needs to know about the module around a function.
pub(crate) struct FuncContext<'a> {
    pub types: &'a [FuncType],
    /// Module type index of every function, imports first.
    pub func_types: &'a [u32],
    /// Value type of every global, imports first.
    pub global_types: &'a [ValType],
    /// Whether each memory, then each table, is 64-bit, imports first.
    pub memory64: &'a [bool],
    pub table64: &'a [bool],
    /// Module type index of every tag, imports first.
    pub tag_types: &'a [u32],
    pub num_imported_funcs: u32,
    pub count_steps: bool,
    /// See [`crate::Config::canonical_nans`].
    pub canonical_nans: bool,
}

/// Translates the body of the function with module index `func_index`.
pub(crate) fn translate(
    ctx: &FuncContext<'_>,
    func_index: u32,
    body: &FuncBody,
    bytes: &[u8],
) -> Result<TranslatedFunc, Error> {
    let ty = &ctx.types[ctx.func_types[func_index as usize] as usize];
    let num_params = ty.params().len() as u32;
    let mut num_locals = num_params as u64;
    for (n, _) in &body.locals {
        num_locals += *n as u64;
    }
    if num_locals > u32::MAX as u64 / 2 {
        return Err(Error::Unsupported(format!("function {func_index} has too many locals")));
    }
    let code = bytes.get(body.code.clone()).ok_or_else(|| {
        Error::Invalid(format!("function {func_index}: body outside the module"))
    })?;
    // Each local's first cell: a v128 takes two.
    let mut local_slots = Vec::with_capacity(num_locals as usize + 1);
    let mut refs = Vec::new();
    let mut cell = 0u32;
    let local_types = ty.params().iter().map(|t| (1, *t)).chain(body.locals.iter().copied());
    for (n, t) in local_types {
        for _ in 0..n {
            if matches!(t, ValType::Ref(_)) {
                refs.push(local_slots.len());
            }
            local_slots.push(cell);
            cell += cells_of(t) as u32;
        }
    }
    local_slots.push(cell);
    let param_cells = local_slots[num_params as usize];
    let mut t = Translator::new(ctx, local_slots, param_cells, ty.results().len() as u32);
    // Linked code has about one op per four bytes of body (CoreMark 0.24,
    // a sample of CPython's functions 0.28, before dropped `Charge`s):
    // sized for one per three, the vectors rarely grow.
    t.reserve(code.len() / 3);
    let mut reader = OpReader::new(code, body.code.start);
    // Legitimate code translates to about one instruction per operator;
    // this bound stops hostile code from making translation explode.
    let budget = 32 * code.len() + 4096;
    // Reference locals are zeroed whatever the code does first: a cell
    // left from an earlier frame is never taken for a reference.
    for local in refs {
        t.assigned.read_first_anyway(local);
    }
    while !reader.is_empty() {
        let op = reader.read()?;
        t.assigned.observe(&op);
        t.op(op)?;
        if t.code.len() > budget {
            return Err(Error::Unsupported(format!(
                "function {func_index} translates to more than {budget} instructions"
            )));
        }
    }
    Ok(t.finish(param_cells))
}


/// The canonicalisation a float operation's result needs when NaNs must be
/// canonical: operations that compute a float, not those that move bits.
#[derive(Debug, Clone, Copy)]
enum Canon {
    F32,
    F64,
    Simd(SimdCode),
}

fn nan_result(op: &Op) -> Option<Canon> {
    use SimdCode as S;
    Some(match op {
        Op::F32Add | Op::F32Sub | Op::F32Mul | Op::F32Div | Op::F32Min | Op::F32Max | Op::F32Sqrt
        | Op::F32Ceil | Op::F32Floor | Op::F32Trunc | Op::F32Nearest | Op::F32DemoteF64 => Canon::F32,
        Op::F64Add | Op::F64Sub | Op::F64Mul | Op::F64Div | Op::F64Min | Op::F64Max | Op::F64Sqrt
        | Op::F64Ceil | Op::F64Floor | Op::F64Trunc | Op::F64Nearest | Op::F64PromoteF32 => Canon::F64,
        Op::Simd(
            S::F32x4Add | S::F32x4Sub | S::F32x4Mul | S::F32x4Div | S::F32x4Min | S::F32x4Max | S::F32x4Sqrt
            | S::F32x4Ceil | S::F32x4Floor | S::F32x4Trunc | S::F32x4Nearest | S::F32x4DemoteF64x2Zero
            | S::F32x4RelaxedMadd | S::F32x4RelaxedNmadd | S::F32x4RelaxedMin | S::F32x4RelaxedMax,
        ) => Canon::Simd(S::F32x4Canon),
        Op::Simd(
            S::F64x2Add | S::F64x2Sub | S::F64x2Mul | S::F64x2Div | S::F64x2Min | S::F64x2Max | S::F64x2Sqrt
            | S::F64x2Ceil | S::F64x2Floor | S::F64x2Trunc | S::F64x2Nearest | S::F64x2PromoteLowF32x4
            | S::F64x2RelaxedMadd | S::F64x2RelaxedNmadd | S::F64x2RelaxedMin | S::F64x2RelaxedMax,
        ) => Canon::Simd(S::F64x2Canon),
        _ => return None,
    })
}

/// A 64-bit constant that an instruction can carry as a sign-extended
/// 32-bit immediate.
fn fits_i32(c: u64) -> Option<u32> {
    (c as i64 == c as i32 as i64).then_some(c as u32)
}

/// An entry of the abstract operand stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operand {
    /// The value is in the slot that belongs to its stack position.
    Temp,
    /// The value is whatever local `n` holds (not copied yet).
    Local(u32),
    /// A constant, as a cell.
    Const(u64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CtrlKind {
    Func,
    Block,
    Loop,
    If,
    Else,
    /// A legacy `try` body, then its catch clauses.
    Try,
    Catch,
}

/// The condition of a conditional branch: a value, or an i32 compare (or
/// `eqz`) that was fused into the branch.
#[derive(Debug, Clone, Copy)]
enum Cond {
    Nez(Slot),
    Eqz(Slot),
    Cmp(Instr),
}

/// Where a forward branch keeps its target, to be patched at the label.
#[derive(Debug, Clone, Copy)]
enum Patch {
    Instr(usize),
    Table(usize),
}

#[derive(Debug)]
struct Ctrl {
    kind: CtrlKind,
    bt: BlockType,
    /// Operand stack length below the block's parameters.
    height: usize,
    params: u32,
    results: u32,
    /// Loop header (the `Charge` that starts its body).
    loop_start: usize,
    /// A loop whose first instruction is a conditional branch (its exit
    /// test, as a `while` loop starts): that branch, which a jump back to
    /// the loop runs itself (see [`Translator::emit_jump`]).
    head_test: Option<usize>,
    patches: Vec<Patch>,
    /// The `BrIfEqz` of an `if`, to be pointed at its `else` or `end`.
    else_patch: Option<usize>,
    /// Whether code at the block's entry was reachable.
    entry_reachable: bool,
    /// A `try_table`'s catch clauses, with where its body starts.
    catches: Vec<ExnHandler>,
    legacy: exceptions::LegacyTry,
}

impl Ctrl {
    fn branch_arity(&self) -> u32 {
        if self.kind == CtrlKind::Loop {
            self.params
        } else {
            self.results
        }
    }
}

/// The conditional branch taken exactly when `branch` is not (target 0).
fn negated(branch: Instr) -> Instr {
    use Instr as I;
    match branch {
        I::BrIfNez { cond, .. } => I::BrIfEqz { cond, target: 0 },
        I::BrIfEqz { cond, .. } => I::BrIfNez { cond, target: 0 },
        I::BrI32Eq { a, b, .. } => I::BrI32Ne { a, b, target: 0 },
        I::BrI32Ne { a, b, .. } => I::BrI32Eq { a, b, target: 0 },
        I::BrI32LtS { a, b, .. } => I::BrI32GeS { a, b, target: 0 },
        I::BrI32LtU { a, b, .. } => I::BrI32GeU { a, b, target: 0 },
        I::BrI32GtS { a, b, .. } => I::BrI32LeS { a, b, target: 0 },
        I::BrI32GtU { a, b, .. } => I::BrI32LeU { a, b, target: 0 },
        I::BrI32LeS { a, b, .. } => I::BrI32GtS { a, b, target: 0 },
        I::BrI32LeU { a, b, .. } => I::BrI32GtU { a, b, target: 0 },
        I::BrI32GeS { a, b, .. } => I::BrI32LtS { a, b, target: 0 },
        I::BrI32GeU { a, b, .. } => I::BrI32LtU { a, b, target: 0 },
        I::BrI32EqImm { a, imm, .. } => I::BrI32NeImm { a, imm, target: 0 },
        I::BrI32NeImm { a, imm, .. } => I::BrI32EqImm { a, imm, target: 0 },
        I::BrI32LtSImm { a, imm, .. } => I::BrI32GeSImm { a, imm, target: 0 },
        I::BrI32LtUImm { a, imm, .. } => I::BrI32GeUImm { a, imm, target: 0 },
        I::BrI32GtSImm { a, imm, .. } => I::BrI32LeSImm { a, imm, target: 0 },
        I::BrI32GtUImm { a, imm, .. } => I::BrI32LeUImm { a, imm, target: 0 },
        I::BrI32LeSImm { a, imm, .. } => I::BrI32GtSImm { a, imm, target: 0 },
        I::BrI32LeUImm { a, imm, .. } => I::BrI32GtUImm { a, imm, target: 0 },
        I::BrI32GeSImm { a, imm, .. } => I::BrI32LtSImm { a, imm, target: 0 },
        I::BrI32GeUImm { a, imm, .. } => I::BrI32LtUImm { a, imm, target: 0 },
        I::BrI32AndImmNez { a, imm, .. } => I::BrI32AndImmEqz { a, imm, target: 0 },
        I::BrI32AndImmEqz { a, imm, .. } => I::BrI32AndImmNez { a, imm, target: 0 },
        other => unreachable!("not a conditional branch: {other:?}"),
    }
}

struct Translator<'a> {
    ctx: &'a FuncContext<'a>,
    code: Vec<Instr>,
    costs: Vec<StepCost>,
    /// Per instruction, the operand-stack slots it pops (see
    /// [`TranslatedFunc::popped`]).
    popped: Vec<[Slot; 2]>,
    /// Slots popped since the last instruction was emitted: the next one
    /// consumes them.
    popping: [Slot; 2],
    br_tables: Vec<u32>,
    indirect_sites: Vec<(u32, u32)>,
    handlers: Vec<ExnHandler>,
    stack: Vec<Operand>,
    /// One past the last cell of each stack entry: entry `pos` starts at
    /// [`Translator::slot_of`]`(pos)`.
    ends: Vec<Slot>,
    ctrl: Vec<Ctrl>,
    /// The first cell of each local, and the cell after the last one.
    local_slots: Vec<Slot>,
    /// Cells of the locals, where the operand stack starts.
    num_locals: u32,
    /// One past the highest slot named by any instruction.
    slots_used: u32,
    reachable: bool,
    /// Steps of folded instructions not yet attributed to an instruction.
    pending: u32,
    /// Index of the current basic block's first instruction.
    block_start: usize,
    /// How many `Local(i)` entries the stack holds, per local and in all:
    /// scans for lazy copies run only when there is one to find, which keeps
    /// translation linear even for hostile code with deep stacks.
    lazy_refs: Vec<u32>,
    lazy_total: usize,
    /// Inside a `MemWindow`: loads and stores take no offset.
    windowed: bool,
    /// Which locals the function may read before writing them.
    assigned: assigned::Assigned,
}

impl<'a> Translator<'a> {
    fn new(ctx: &'a FuncContext<'a>, local_slots: Vec<Slot>, param_cells: u32, results: u32) -> Self {
        let num_locals = *local_slots.last().expect("the end of the locals");
        let locals = local_slots.len() - 1;
        // Each local takes at least one cell: those before `param_cells`
        // are the parameters.
        let params = local_slots.partition_point(|&s| s < param_cells);
        let mut t = Translator {
            ctx,
            code: Vec::new(),
            costs: Vec::new(),
            popped: Vec::new(),
            popping: [NO_SLOT; 2],
            br_tables: Vec::new(),
            indirect_sites: Vec::new(),
            handlers: Vec::new(),
            stack: Vec::new(),
            ends: Vec::new(),
            ctrl: Vec::new(),
            local_slots,
            num_locals,
            slots_used: num_locals,
            reachable: true,
            pending: 0,
            block_start: 0,
            lazy_refs: vec![0; locals],
            lazy_total: 0,
            windowed: false,
            assigned: assigned::Assigned::new(locals, params),
        };
        t.ctrl.push(Ctrl {
            kind: CtrlKind::Func,
            bt: BlockType::Empty,
            height: 0,
            params: 0,
            results,
            loop_start: 0,
            head_test: None,
            patches: Vec::new(),
            else_patch: None,
            entry_reachable: true,
            catches: Vec::new(),
            legacy: Default::default(),
        });
        // Before the entry block, so that no branch comes back to it. The
        // call op does not zero the locals itself: that would cost every
        // call a `memset` and keep the call handler's registers on the
        // native stack. `finish` narrows it to the locals read before they
        // are written, or drops it.
        if num_locals > param_cells {
            t.emit(Instr::ZeroLocals { start: param_cells, count: num_locals - param_cells }, 0);
        }
        t.start_block();
        t
    }

    fn reserve(&mut self, instrs: usize) {
        self.code.reserve(instrs);
        self.costs.reserve(instrs);
        self.popped.reserve(instrs);
    }

    fn finish(mut self, num_params: u32) -> TranslatedFunc {
        debug_assert!(self.stack.len() == self.ends.len());
        self.close_block();
        if let Some(Instr::ZeroLocals { start, count }) = self.code.first_mut() {
            let slots = &self.local_slots;
            let params = slots.partition_point(|&s| s < num_params);
            let mut read_first = (params..slots.len() - 1).filter(|&i| self.assigned.read_first(i));
            match (read_first.next(), read_first.last()) {
                (Some(first), last) => {
                    *start = slots[first];
                    *count = slots[last.unwrap_or(first) + 1] - slots[first];
                }
                // A `Charge` of nothing, which linking drops.
                (None, _) => self.code[0] = Instr::Charge { cost: 0 },
            }
        }
        TranslatedFunc {
            code: self.code,
            costs: self.costs,
            popped: self.popped,
            br_tables: self.br_tables.into(),
            indirect_sites: self.indirect_sites.into(),
            handlers: self.handlers.into(),
            num_params,
            frame_size: self.slots_used,
        }
    }

    // ----- emission and step accounting -----

    fn pc(&self) -> usize {
        self.code.len()
    }

    /// Emits an instruction that performs `own` steps itself, after the
    /// pending folded ones.
    fn emit(&mut self, instr: Instr, own: u32) -> usize {
        self.code.push(instr);
        self.costs.push(StepCost { pre: self.pending + own, post: 0 });
        self.popped.push(std::mem::replace(&mut self.popping, [NO_SLOT; 2]));
        self.pending = 0;
        self.code.len() - 1
    }

    /// Attributes pending steps to the last instruction of the block, as
    /// steps that follow its effect.
    fn flush_pending(&mut self) {
        if let Some(last) = self.costs.last_mut() {
            last.post += self.pending;
        }
        self.pending = 0;
    }

    /// Ends the current basic block: its `Charge` learns the block's cost.
    fn close_block(&mut self) {
        self.flush_pending();
        if !self.ctx.count_steps {
            return;
        }
        let cost: u64 =
            self.costs[self.block_start..].iter().map(|c| c.pre as u64 + c.post as u64).sum();
        if let Instr::Charge { cost: c } = &mut self.code[self.block_start] {
            *c = cost.min(u32::MAX as u64) as u32;
        }
    }

    /// Starts a basic block at the current position (a branch target, or
    /// the code after a branch or call). Returns its first instruction.
    fn start_block(&mut self) -> usize {
        if !self.code.is_empty() {
            self.close_block();
        }
        self.block_start = self.pc();
        if self.ctx.count_steps {
            self.emit(Instr::Charge { cost: 0 }, 0);
        }
        self.block_start
    }

    fn use_slot(&mut self, slot: Slot) -> Slot {
        self.slots_used = self.slots_used.max(slot + 1);
        slot
    }

    // ----- the abstract operand stack -----

    /// The first cell of the stack entry at `pos` (of the next one pushed,
    /// for the stack's length).
    fn slot_of(&self, pos: usize) -> Slot {
        match pos {
            0 => self.num_locals,
            _ => self.ends[pos - 1],
        }
    }

    /// Whether the stack entry at `pos` is a v128.
    fn is_wide(&self, pos: usize) -> bool {
        self.ends[pos] - self.slot_of(pos) == 2
    }

    fn local_slot(&self, local: u32) -> Slot {
        self.local_slots[local as usize]
    }

    fn local_is_wide(&self, local: u32) -> bool {
        self.local_slots[local as usize + 1] - self.local_slots[local as usize] == 2
    }

    /// Pushes an entry `cells` wide (a local's own width for a lazy local).
    fn push_cells(&mut self, v: Operand, cells: u32) {
        let slot = self.slot_of(self.stack.len());
        match v {
            Operand::Temp => {
                self.use_slot(slot + cells - 1);
            }
            Operand::Local(i) => self.count_lazy(i, true),
            Operand::Const(_) => {}
        }
        self.stack.push(v);
        self.ends.push(slot + cells);
    }

    fn push(&mut self, v: Operand) {
        let cells = match v {
            Operand::Local(i) => 1 + self.local_is_wide(i) as u32,
            _ => 1,
        };
        self.push_cells(v, cells);
    }

    /// Pushes a value of type `t` computed into its own slot; returns that
    /// slot.
    fn push_temp_ty(&mut self, t: ValType) -> Slot {
        let slot = self.slot_of(self.stack.len());
        self.push_cells(Operand::Temp, cells_of(t) as u32);
        slot
    }

    /// Pushes the parameters or results of a block type, in their own
    /// slots.
    fn push_block_values(&mut self, bt: BlockType, results: bool) {
        match bt {
            BlockType::Empty => {}
            BlockType::Value(t) => {
                if results {
                    self.push_temp_ty(t);
                }
            }
            BlockType::Func(i) => {
                let ty = &self.ctx.types[i as usize];
                for &t in if results { ty.results() } else { ty.params() } {
                    self.push_temp_ty(t);
                }
            }
        }
    }

    fn count_lazy(&mut self, local: u32, add: bool) {
        let n = &mut self.lazy_refs[local as usize];
        if add {
            *n += 1;
            self.lazy_total += 1;
        } else {
            *n -= 1;
            self.lazy_total -= 1;
        }
    }

    /// Removes the top entry of the stack.
    fn drop_top(&mut self) -> Operand {
        let v = self.stack.pop().expect("validated code never pops an empty stack");
        self.ends.pop();
        if let Operand::Local(i) = v {
            self.count_lazy(i, false);
        }
        v
    }

    /// Cuts the stack back to `len` entries.
    fn truncate_stack(&mut self, len: usize) {
        while self.stack.len() > len {
            self.drop_top();
        }
    }

    /// Pushes a new value computed into its own slot; returns that slot.
    fn push_temp(&mut self) -> Slot {
        self.push_temp_ty(ValType::I32)
    }

    /// Makes the value at `pos` live in its own slot.
    fn materialize(&mut self, pos: usize) {
        let dst = self.slot_of(pos);
        match self.stack[pos] {
            Operand::Temp => return,
            Operand::Local(src) => {
                self.count_lazy(src, false);
                let wide = self.local_is_wide(src);
                self.emit_copy(dst, self.local_slot(src), wide, 0)
            }
            Operand::Const(c) => self.emit_const(dst, c),
        };
        self.use_slot(self.ends[pos] - 1);
        self.stack[pos] = Operand::Temp;
    }

    /// Copies a value of one cell, or a v128 when `wide`.
    fn emit_copy(&mut self, dst: Slot, src: Slot, wide: bool, own: u32) -> usize {
        match wide {
            false => self.emit(Instr::Copy { dst, src }, own),
            true => self.emit_simd(crate::decode::SimdCode::V128Copy, dst, src, 0, own),
        }
    }

    /// Moves the stack entry at `pos` (a value, a lazy local or a constant)
    /// to `dst`.
    fn emit_move(&mut self, dst: Slot, pos: usize) {
        match self.stack[pos] {
            Operand::Temp => {
                let src = self.slot_of(pos);
                if src != dst {
                    self.emit_copy(dst, src, self.is_wide(pos), 0);
                }
            }
            Operand::Local(src) => {
                let wide = self.local_is_wide(src);
                self.emit_copy(dst, self.local_slot(src), wide, 0);
            }
            Operand::Const(c) => {
                self.emit_const(dst, c);
            }
        }
    }

    fn emit_const(&mut self, dst: Slot, c: u64) -> usize {
        if c >> 32 == 0 {
            self.emit(Instr::Const32 { dst, imm: c as u32 }, 0)
        } else {
            self.emit(Instr::Const64 { dst, lo: c as u32, hi: (c >> 32) as u32 }, 0)
        }
    }

    fn materialize_top(&mut self, n: usize) {
        let len = self.stack.len();
        for pos in len - n..len {
            self.materialize(pos);
        }
    }

    fn materialize_locals(&mut self) {
        if self.lazy_total == 0 {
            return;
        }
        for pos in 0..self.stack.len() {
            if matches!(self.stack[pos], Operand::Local(_)) {
                self.materialize(pos);
            }
        }
    }

    /// The slot of the top value, which stays on the stack in it.
    fn top_slot(&mut self) -> Slot {
        let pos = self.stack.len() - 1;
        self.materialize(pos);
        self.slot_of(pos)
    }

    /// Pops a value and returns a slot that holds it.
    fn pop_slot(&mut self) -> Slot {
        let pos = self.stack.len() - 1;
        let slot = match self.stack[pos] {
            Operand::Temp => self.slot_of(pos),
            Operand::Local(i) => self.local_slot(i),
            Operand::Const(_) => {
                self.materialize(pos);
                self.slot_of(pos)
            }
        };
        if slot >= self.num_locals {
            // Off the stack, the value is dead: the slot is written again
            // before anything reads it.
            if let Some(free) = self.popping.iter_mut().find(|s| **s == NO_SLOT) {
                *free = slot;
            }
        }
        self.drop_top();
        slot
    }

    // ----- operators -----

    fn op(&mut self, op: Op) -> Result<(), Error> {
        if !self.reachable {
            return self.op_unreachable(op);
        }
        let memory = op.other_memory();
        let window = op.mem_arg().filter(|(m, _)| self.ctx.memory64[m.memory as usize]);
        let clamps = self.index64_operands(&op);
        if memory.is_none() && window.is_none() && clamps == 0 {
            return self.op_reachable(op);
        }
        for depth in (0..3).filter(|d| clamps & (1 << d) != 0) {
            let pos = self.stack.len() - 1 - depth;
            self.materialize(pos);
            self.emit(Instr::ClampIndex { slot: self.slot_of(pos) }, 0);
        }
        if let Some(memory) = memory {
            self.emit(Instr::UseMemory { memory }, 0);
        }
        let Some((m, depth)) = window else {
            self.op_reachable(op)?;
            if memory.is_some() {
                self.emit(Instr::UseMemory { memory: 0 }, 0);
            }
            return Ok(());
        };
        let pos = self.stack.len() - 1 - depth;
        self.materialize(pos);
        let (slot, lo, hi) = (self.slot_of(pos), m.offset as u32, (m.offset >> 32) as u32);
        let at = self.emit(Instr::MemWindow { slot, lo, hi }, 0);
        self.windowed = true;
        let done = self.op_reachable(op);
        self.windowed = false;
        done?;
        // The window carries the access's steps (see `Instr::MemWindow`).
        let moved: u32 = self.costs[at + 1..].iter_mut().map(|c| std::mem::take(&mut c.pre)).sum();
        self.costs[at].pre += moved;
        self.emit(Instr::UseMemory { memory: memory.unwrap_or(0) }, 0);
        if memory.is_some() {
            self.emit(Instr::UseMemory { memory: 0 }, 0);
        }
        Ok(())
    }

    /// Which operands of a table instruction on a 64-bit table are i64
    /// indices or lengths, as a bit per depth below the top of the stack.
    fn index64_operands(&self, op: &Op) -> u8 {
        let t64 = |t: &u32| self.ctx.table64[*t as usize];
        match op {
            Op::TableGet(t) | Op::TableGrow(t) if t64(t) => 0b001,
            Op::CallIndirect { table, .. } | Op::ReturnCallIndirect { table, .. } if t64(table) => 0b001,
            Op::TableSet(t) if t64(t) => 0b010,
            Op::TableFill(t) if t64(t) => 0b101,
            Op::TableInit { table, .. } if t64(table) => 0b100,
            Op::TableCopy { dst, src } => (t64(dst) as u8) << 2 | (t64(src) as u8) << 1 | (t64(dst) && t64(src)) as u8,
            _ => 0,
        }
    }

    fn wide_memory(&self, memory: u32) -> u32 {
        self.ctx.memory64[memory as usize] as u32
    }

    /// The offset a load or store instruction takes: none inside a
    /// `MemWindow`, which has applied it.
    fn offset(&self, m: MemArg) -> u32 {
        if self.windowed { 0 } else { m.offset as u32 }
    }

    fn op_reachable(&mut self, op: Op) -> Result<(), Error> {
        let canon = if self.ctx.canonical_nans { nan_result(&op) } else { None };
        macro_rules! load {
            ($v:ident, $m:expr) => {
                self.load($m, |dst, addr, offset| Instr::$v { dst, addr, offset })
            };
        }
        macro_rules! store {
            ($v:ident, $m:expr) => {
                self.store($m, |addr, value, offset| Instr::$v { addr, value, offset })
            };
        }
        match op {
            Op::Unreachable => {
                self.emit(Instr::Unreachable {}, 1);
                self.reachable = false;
            }
            Op::Nop => self.pending += 1,
            Op::Block(bt) => self.enter(CtrlKind::Block, bt),
            Op::Loop(bt) => self.enter(CtrlKind::Loop, bt),
            Op::If(bt) => self.enter(CtrlKind::If, bt),
            Op::Else => self.op_else(),
            Op::End => self.op_end(),
            Op::Br(depth) => {
                self.pending += 1;
                self.branch(depth);
                self.reachable = false;
            }
            Op::BrIf(depth) => self.br_if(depth),
            Op::BrTable { targets, default } => self.br_table(&targets, default),
            Op::Return => {
                self.pending += 1;
                self.emit_return();
                self.reachable = false;
            }
            Op::Call(f) => self.call(f),
            Op::CallIndirect { type_index, table } => self.call_indirect(type_index, table),
            Op::ReturnCall(f) => self.return_call(f),
            Op::ReturnCallIndirect { type_index, table } => self.return_call_indirect(type_index, table),
            Op::CallRef(type_index) => self.call_ref(type_index, false),
            Op::ReturnCallRef(type_index) => self.call_ref(type_index, true),
            Op::RefAsNonNull => {
                let src = self.top_slot();
                self.emit(Instr::RefAsNonNull { src }, 1);
            }
            Op::BrOnNull(depth) => {
                // Null: the reference is dropped and the branch taken.
                let slot = self.top_slot();
                self.drop_top();
                self.cond_branch(depth, Cond::Eqz(slot));
                self.push(Operand::Temp);
            }
            Op::BrOnNonNull(depth) => {
                // Not null: the branch carries the reference.
                let slot = self.top_slot();
                self.cond_branch(depth, Cond::Nez(slot));
                self.drop_top();
            }
            Op::TryTable { bt, catches } => self.try_table(bt, &catches),
            Op::Try(bt) => self.legacy_try(bt),
            Op::Catch(tag) => self.legacy_catch(Some(tag)),
            Op::CatchAll => self.legacy_catch(None),
            Op::Delegate(depth) => self.legacy_delegate(depth),
            Op::Rethrow(depth) => self.legacy_rethrow(depth),
            Op::Throw(tag) => {
                let ty = &self.ctx.types[self.ctx.tag_types[tag as usize] as usize];
                let args = self.pop_args(ty.params().len());
                self.emit(Instr::Throw { tag, args }, 1);
                self.reachable = false;
            }
            Op::ThrowRef => {
                let slot = self.pop_slot();
                self.emit(Instr::ThrowRef { slot }, 1);
                self.reachable = false;
            }

            Op::RefNull(_) => self.push_const(0),
            Op::RefIsNull => self.unary(|dst, src| Instr::RefIsNull { dst, src }),
            Op::RefFunc(func) => {
                let dst = self.push_temp();
                self.emit(Instr::RefFunc { dst, func }, 1);
            }

            Op::Drop => {
                self.drop_top();
                self.pending += 1;
            }
            Op::Select(_) => self.select(),

            Op::LocalGet(i) => {
                self.push(Operand::Local(i));
                self.pending += 1;
            }
            Op::LocalSet(i) => self.local_set(i, false),
            Op::LocalTee(i) => self.local_set(i, true),
            Op::GlobalGet(global) => {
                let ty = self.ctx.global_types[global as usize];
                let dst = self.push_temp_ty(ty);
                match ty {
                    ValType::V128 => self.emit_simd(SimdCode::V128GlobalGet, dst, global, 0, 1),
                    _ => self.emit(Instr::GlobalGet { dst, global }, 1),
                };
            }
            Op::GlobalSet(global) if self.global_set_add_imm(global) => {}
            Op::GlobalSet(global) => {
                let src = self.pop_slot();
                match self.ctx.global_types[global as usize] {
                    ValType::V128 => self.emit_simd(SimdCode::V128GlobalSet, NO_SLOT, global, src, 1),
                    _ => self.emit(Instr::GlobalSet { global, src }, 1),
                };
            }

            Op::TableGet(table) => {
                let index = self.pop_slot();
                let dst = self.push_temp();
                self.emit(Instr::TableGet { dst, table, index }, 1);
            }
            Op::TableSet(table) => {
                let value = self.pop_slot();
                let index = self.pop_slot();
                self.emit(Instr::TableSet { table, index, value }, 1);
            }
            Op::TableSize(table) => {
                let dst = self.push_temp();
                self.emit(Instr::TableSize { dst, table }, 1);
            }
            Op::TableGrow(table) => {
                let args = self.pop_args(2);
                let wide = self.ctx.table64[table as usize] as u32;
                self.emit(Instr::TableGrow { table, args, wide }, 1);
                self.push_temp();
            }
            Op::TableFill(table) => {
                let args = self.pop_args(3);
                self.emit(Instr::TableFill { table, args }, 1);
            }
            Op::TableCopy { dst, src } => {
                let args = self.pop_args(3);
                self.emit(Instr::TableCopy { dst_table: dst, src_table: src, args }, 1);
            }
            Op::TableInit { elem, table } => {
                let args = self.pop_args(3);
                self.emit(Instr::TableInit { elem, table, args }, 1);
            }
            Op::ElemDrop(elem) => {
                self.emit(Instr::ElemDrop { elem }, 1);
            }

            Op::I32Load(m) if self.load_fused(m, fuse::i32_load) => {}
            Op::I32Load(m) => load!(I32Load, m),
            Op::I64Load(m) if self.load_fused(m, fuse::i64_load) => {}
            Op::I64Load(m) => load!(I64Load, m),
            Op::F32Load(m) => load!(F32Load, m),
            Op::F64Load(m) => load!(F64Load, m),
            Op::I32Load8S(m) => load!(I32Load8S, m),
            Op::I32Load8U(m) => load!(I32Load8U, m),
            Op::I32Load16S(m) => load!(I32Load16S, m),
            Op::I32Load16U(m) if self.load_fused(m, fuse::i32_load16_u) => {}
            Op::I32Load16U(m) => load!(I32Load16U, m),
            Op::I64Load8S(m) => load!(I64Load8S, m),
            Op::I64Load8U(m) => load!(I64Load8U, m),
            Op::I64Load16S(m) => load!(I64Load16S, m),
            Op::I64Load16U(m) => load!(I64Load16U, m),
            Op::I64Load32S(m) => load!(I64Load32S, m),
            Op::I64Load32U(m) => load!(I64Load32U, m),
            Op::I32Store(m) if self.store_indexed(m) => {}
            Op::I32Store(m) => self.store_imm(
                m,
                |addr, value, offset| Instr::I32Store { addr, value, offset },
                |c| Some(c as u32),
                |addr, imm, offset| Instr::I32StoreImm { addr, imm, offset },
            ),
            Op::I64Store(m) => self.store_imm(
                m,
                |addr, value, offset| Instr::I64Store { addr, value, offset },
                fits_i32,
                |addr, imm, offset| Instr::I64StoreImm { addr, imm, offset },
            ),
            Op::F32Store(m) => store!(F32Store, m),
            Op::F64Store(m) => store!(F64Store, m),
            Op::I32Store8(m) => self.store_imm(
                m,
                |addr, value, offset| Instr::I32Store8 { addr, value, offset },
                |c| Some(c as u32),
                |addr, imm, offset| Instr::I32Store8Imm { addr, imm, offset },
            ),
            Op::I32Store16(m) => self.store_imm(
                m,
                |addr, value, offset| Instr::I32Store16 { addr, value, offset },
                |c| Some(c as u32),
                |addr, imm, offset| Instr::I32Store16Imm { addr, imm, offset },
            ),
            Op::I64Store8(m) => store!(I64Store8, m),
            Op::I64Store16(m) => store!(I64Store16, m),
            Op::I64Store32(m) => store!(I64Store32, m),
            Op::MemorySize(_) => {
                let dst = self.push_temp();
                self.emit(Instr::MemorySize { dst }, 1);
            }
            Op::MemoryGrow(m) => {
                let delta = self.pop_slot();
                let dst = self.push_temp();
                self.emit(Instr::MemoryGrow { dst, delta, wide: self.wide_memory(m) }, 1);
            }
            Op::MemoryInit { data, memory } => {
                let args = self.pop_args(3);
                self.emit(Instr::MemoryInit { data, args, wide: self.wide_memory(memory) }, 1);
            }
            Op::DataDrop(data) => {
                self.emit(Instr::DataDrop { data }, 1);
            }
            Op::MemoryCopy { dst, src } => {
                let args = self.pop_args(3);
                match dst == src {
                    true => self.emit(Instr::MemoryCopy { args, wide: self.wide_memory(dst) }, 1),
                    false => self.emit(Instr::MemoryCopyAcross { dst_mem: dst, src_mem: src, args }, 1),
                };
            }
            Op::MemoryFill(m) => {
                let args = self.pop_args(3);
                self.emit(Instr::MemoryFill { args, wide: self.wide_memory(m) }, 1);
            }

            Op::I32Const(v) => self.push_const(v as u32 as u64),
            Op::I64Const(v) => self.push_const(v as u64),
            Op::F32Const(bits) => self.push_const(bits as u64),
            Op::F64Const(bits) => self.push_const(bits),

            Op::I32Add if self.fuse_commutative(fuse::add_shifted) => {}
            Op::I32Add => self.binary_imm(
                |dst, a, b| Instr::I32Add { dst, a, b },
                |c| Some(c as u32),
                |dst, a, imm| Instr::I32AddImm { dst, a, imm },
            ),
            Op::I64Add if self.fuse_commutative(fuse::i64_add_shifted) => {}
            Op::I64Add => self.binary_imm(
                |dst, a, b| Instr::I64Add { dst, a, b },
                fits_i32,
                |dst, a, imm| Instr::I64AddImm { dst, a, imm },
            ),
            Op::I32Sub => self.binary_imm(
                |dst, a, b| Instr::I32Sub { dst, a, b },
                |c| Some((c as u32).wrapping_neg()),
                |dst, a, imm| Instr::I32AddImm { dst, a, imm },
            ),
            Op::I64Sub => self.binary_imm(
                |dst, a, b| Instr::I64Sub { dst, a, b },
                |c| {
                    let n = (c as i64).wrapping_neg();
                    (n == n as i32 as i64).then_some(n as u32)
                },
                |dst, a, imm| Instr::I64AddImm { dst, a, imm },
            ),
            Op::Simd(_) | Op::SimdMem(..) | Op::SimdLane(..) | Op::SimdMemLane(..) | Op::SimdBytes(..) => {
                self.simd(op)
            }
            other => self.numeric(other),
        }
        if let Some(canon) = canon {
            self.canonicalize(canon);
        }
        Ok(())
    }

    /// Makes a NaN on top of the stack the canonical one (a step-free op).
    fn canonicalize(&mut self, canon: Canon) {
        let src = self.pop_slot();
        match canon {
            Canon::F32 => {
                let dst = self.push_temp();
                self.emit(Instr::F32Canon { dst, src }, 0)
            }
            Canon::F64 => {
                let dst = self.push_temp();
                self.emit(Instr::F64Canon { dst, src }, 0)
            }
            Canon::Simd(code) => {
                let dst = self.push_temp_ty(ValType::V128);
                self.emit_simd(code, dst, src, 0, 0)
            }
        };
    }

    /// Operators in dead code: only the block structure matters.
    fn op_unreachable(&mut self, op: Op) -> Result<(), Error> {
        match op {
            Op::Block(bt) | Op::Loop(bt) | Op::If(bt) | Op::TryTable { bt, .. } | Op::Try(bt) => {
                let (params, results) = self.block_arity(bt);
                self.ctrl.push(Ctrl {
                    kind: CtrlKind::Block,
                    bt,
                    height: self.stack.len(),
                    params,
                    results,
                    loop_start: 0,
                    head_test: None,
                    patches: Vec::new(),
                    else_patch: None,
                    entry_reachable: false,
                    catches: Vec::new(),
                    legacy: Default::default(),
                });
            }
            Op::Else => self.op_else(),
            Op::End => self.op_end(),
            Op::Catch(tag) => self.legacy_catch(Some(tag)),
            Op::CatchAll => self.legacy_catch(None),
            Op::Delegate(depth) => self.legacy_delegate(depth),
            _ => {}
        }
        Ok(())
    }

    fn push_const(&mut self, c: u64) {
        self.push(Operand::Const(c));
        self.pending += 1;
    }

    fn block_arity(&self, bt: BlockType) -> (u32, u32) {
        match bt {
            BlockType::Empty => (0, 0),
            BlockType::Value(_) => (0, 1),
            BlockType::Func(i) => {
                let ty = &self.ctx.types[i as usize];
                (ty.params().len() as u32, ty.results().len() as u32)
            }
        }
    }

    fn enter(&mut self, kind: CtrlKind, bt: BlockType) {
        let (params, results) = self.block_arity(bt);
        // An `if` condition sits above the parameters.
        let above = (kind == CtrlKind::If) as usize;
        // Values below the block must not be lazy locals: a `local.set`
        // inside the block would otherwise have to copy them on one path
        // only. Parameters must sit in their own slots, where branches to
        // the label put them. Both happen before any branch of the `if`.
        self.materialize_locals();
        let len = self.stack.len();
        for pos in len - above - params as usize..len - above {
            self.materialize(pos);
        }
        let mut else_patch = None;
        if kind == CtrlKind::If {
            let cond = self.pop_cond();
            else_patch = Some(self.emit_cond_branch(cond, true, 1));
        } else {
            self.pending += 1;
        }
        let height = self.stack.len() - params as usize;
        let loop_start = match kind {
            CtrlKind::Loop | CtrlKind::If => self.start_block(),
            _ => 0,
        };
        self.ctrl.push(Ctrl {
            kind,
            bt,
            height,
            params,
            results,
            loop_start,
            head_test: None,
            patches: Vec::new(),
            else_patch,
            entry_reachable: true,
            catches: Vec::new(),
            legacy: Default::default(),
        });
    }

    fn op_else(&mut self) {
        let frame = self.ctrl.last().expect("else inside if");
        let (height, bt, results) = (frame.height, frame.bt, frame.results);
        let entry_reachable = frame.entry_reachable;
        if self.reachable {
            self.materialize_top(results as usize);
            let at = self.emit(Instr::Br { target: 0 }, 0);
            self.ctrl.last_mut().unwrap().patches.push(Patch::Instr(at));
        }
        let frame = self.ctrl.last_mut().unwrap();
        frame.kind = CtrlKind::Else;
        let else_patch = frame.else_patch.take();
        self.truncate_stack(height);
        self.push_block_values(bt, false);
        self.reachable = entry_reachable;
        if let Some(at) = else_patch {
            let target = self.start_block();
            self.set_target(Patch::Instr(at), target);
        }
    }

    fn op_end(&mut self) {
        let frame = self.ctrl.last().expect("end closes a block");
        let results = frame.results as usize;
        if frame.kind == CtrlKind::Func {
            if self.reachable {
                self.emit_return();
            } else {
                self.flush_pending();
            }
            self.ctrl.pop();
            return;
        }
        if frame.kind == CtrlKind::Catch && self.reachable {
            // The clause's values sit above its hidden exception.
            self.branch(0);
            self.reachable = false;
        }
        if self.reachable {
            self.materialize_top(results);
        }
        self.resolve_delegates(self.ctrl.len() - 1);
        let mut frame = self.ctrl.pop().unwrap();
        let end = self.pc() as u32;
        self.handlers.extend(frame.catches.drain(..).map(|h| ExnHandler { end, ..h }));
        // An `if` without `else` falls to its end when the condition is 0.
        if let Some(at) = frame.else_patch.take() {
            frame.patches.push(Patch::Instr(at));
        }
        let fallthrough = self.reachable;
        if !frame.patches.is_empty() {
            let target = self.start_block();
            for p in frame.patches {
                self.set_target(p, target);
            }
            self.reachable = true;
        } else {
            self.reachable = fallthrough;
        }
        self.truncate_stack(frame.height);
        self.push_block_values(frame.bt, true);
    }

    fn set_target(&mut self, patch: Patch, target: usize) {
        let target = target as u32;
        match patch {
            Patch::Table(i) => self.br_tables[i] = target,
            Patch::Instr(i) => match self.code[i].target_mut() {
                Some(t) => *t = target,
                None => unreachable!("patching a non-branch {:?}", self.code[i]),
            },
        }
    }

    /// Emits a branch taken when `cond` holds (or, `negate`d, when it does
    /// not), performing `own` steps; its target is patched later.
    fn emit_cond_branch(&mut self, cond: Cond, negate: bool, own: u32) -> usize {
        let branch = match cond {
            Cond::Nez(cond) => Instr::BrIfNez { cond, target: 0 },
            Cond::Eqz(cond) => Instr::BrIfEqz { cond, target: 0 },
            Cond::Cmp(branch) => branch,
        };
        self.emit(if negate { negated(branch) } else { branch }, own)
    }

    /// Whether the values a branch to `depth` carries are already where the
    /// label expects them.
    fn branch_in_place(&self, depth: u32) -> bool {
        let frame = &self.ctrl[self.ctrl.len() - 1 - depth as usize];
        let arity = frame.branch_arity() as usize;
        let len = self.stack.len();
        frame.height == len - arity
            && self.stack[len - arity..].iter().all(|v| *v == Operand::Temp)
    }

    /// Moves the branch values for label `depth` into the label's slots.
    fn branch_moves(&mut self, depth: u32) {
        let frame = &self.ctrl[self.ctrl.len() - 1 - depth as usize];
        let arity = frame.branch_arity() as usize;
        let base = self.slot_of(frame.height);
        let first = self.stack.len() - arity;
        for pos in first..first + arity {
            // The values keep their layout: a v128 takes two cells there too.
            let dst = base + (self.slot_of(pos) - self.slot_of(first));
            self.emit_move(dst, pos);
        }
    }

    /// An unconditional jump to label `depth` (the `br` step is pending).
    fn branch(&mut self, depth: u32) {
        let index = self.ctrl.len() - 1 - depth as usize;
        if self.ctrl[index].kind == CtrlKind::Func {
            return self.emit_return();
        }
        self.branch_moves(depth);
        self.emit_jump(index);
    }

    /// A jump back to a loop whose first instruction is its exit test
    /// runs that test itself, negated, and when it holds goes straight to
    /// the block after it: a `while` loop then takes one branch per turn,
    /// not two. Otherwise (the loop ends) it falls into a jump to the
    /// loop's test, past the loop's `Charge`: the negated test counts the
    /// steps of the loop's first block, as pure steps of its own (as a
    /// fusion counts the instruction it takes in), so the block that jumps
    /// back pays for them, once, on either path.
    fn emit_jump(&mut self, ctrl_index: usize) {
        let frame = &self.ctrl[ctrl_index];
        if frame.kind == CtrlKind::Loop {
            let Some(test) = frame.head_test else {
                let target = frame.loop_start as u32;
                self.emit(Instr::Br { target }, 0);
                return;
            };
            let mut again = negated(self.code[test]);
            *again.target_mut().expect("a branch") = test as u32 + 1;
            let head = self.costs[test].pre + self.costs[test].post;
            // It pops nothing: the loop's own test reads the same slots.
            let popping = std::mem::replace(&mut self.popping, [NO_SLOT; 2]);
            self.emit(again, head);
            self.popping = popping;
            self.emit(Instr::Br { target: test as u32 }, 0);
        } else {
            let at = self.emit(Instr::Br { target: 0 }, 0);
            self.ctrl[ctrl_index].patches.push(Patch::Instr(at));
        }
    }

    fn br_if(&mut self, depth: u32) {
        let cond = self.pop_cond();
        self.cond_branch(depth, cond);
    }

    /// A branch to `depth` taken when `cond` holds, one step.
    fn cond_branch(&mut self, depth: u32, cond: Cond) {
        let index = self.ctrl.len() - 1 - depth as usize;
        let is_func = self.ctrl[index].kind == CtrlKind::Func;
        if !is_func && self.branch_in_place(depth) {
            let at = self.emit_cond_branch(cond, false, 1);
            self.link(index, at);
            // The first instruction of the loop just entered: its exit
            // test. (Only the innermost frame is looked at, so that hostile
            // nesting costs no scan per branch.)
            let first = self.ctx.count_steps as usize;
            if let Some(lp) = self.ctrl.last_mut().filter(|c| c.kind == CtrlKind::Loop && c.loop_start + first == at) {
                lp.head_test = Some(at);
            }
        } else {
            let skip = self.emit_cond_branch(cond, true, 1);
            self.branch(depth);
            let target = self.start_block();
            self.set_target(Patch::Instr(skip), target);
            return;
        }
        self.start_block();
    }

    /// Points the branch at `at` to the label of control frame `ctrl_index`.
    fn link(&mut self, ctrl_index: usize, at: usize) {
        let frame = &mut self.ctrl[ctrl_index];
        if frame.kind == CtrlKind::Loop {
            let target = frame.loop_start;
            self.set_target(Patch::Instr(at), target);
        } else {
            frame.patches.push(Patch::Instr(at));
        }
    }

    fn br_table(&mut self, targets: &[u32], default: u32) {
        let index = self.pop_slot();
        let start = self.br_tables.len();
        let len = targets.len() + 1;
        self.br_tables.resize(start + len, 0);
        self.emit(Instr::BrTable { index, start: start as u32, len: len as u32 }, 1);
        // Entries to the same label share one stub: hostile tables repeat a
        // label with many values to move.
        let mut stubs: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
        for (i, &depth) in targets.iter().chain(std::iter::once(&default)).enumerate() {
            let ctrl_index = self.ctrl.len() - 1 - depth as usize;
            let entry = start + i;
            if let Some(&stub) = stubs.get(&depth) {
                self.br_tables[entry] = stub;
                continue;
            }
            let frame = &self.ctrl[ctrl_index];
            if frame.kind != CtrlKind::Func && self.branch_in_place(depth) {
                if frame.kind == CtrlKind::Loop {
                    self.br_tables[entry] = frame.loop_start as u32;
                } else {
                    self.ctrl[ctrl_index].patches.push(Patch::Table(entry));
                }
            } else {
                // A stub after the table moves the values, then jumps.
                self.br_tables[entry] = self.pc() as u32;
                stubs.insert(depth, self.pc() as u32);
                self.branch(depth);
            }
        }
        self.reachable = false;
    }

    /// Returns the top values from the function. Leaves the abstract stack
    /// as it is: after a `br_if` the fall-through path still needs it.
    fn emit_return(&mut self) {
        let n = self.ctrl[0].results as usize;
        let len = self.stack.len();
        let scratch = self.slot_of(len);
        let first = len - n;
        let cells = scratch - self.slot_of(first);
        match (n, cells) {
            (0, _) => {
                self.emit(Instr::Return0 {}, 0);
            }
            (1, 1) => {
                let src = match self.stack[first] {
                    Operand::Temp => self.slot_of(first),
                    Operand::Local(i) => self.local_slot(i),
                    Operand::Const(c) => {
                        self.use_slot(scratch);
                        self.emit_const(scratch, c);
                        scratch
                    }
                };
                self.emit(Instr::Return1 { src }, 0);
            }
            _ => {
                let start = if self.stack[first..].iter().all(|v| *v == Operand::Temp) {
                    self.slot_of(first)
                } else {
                    // Gather the values above the stack, in order, so the
                    // executor's forward copy to the frame base is safe.
                    self.use_slot(scratch + cells - 1);
                    for pos in first..len {
                        let dst = scratch + (self.slot_of(pos) - self.slot_of(first));
                        self.emit_move(dst, pos);
                    }
                    scratch
                };
                self.emit(Instr::ReturnN { start, count: cells }, 0);
            }
        }
    }

    /// Pops `n` operands into consecutive slots; returns the first.
    fn pop_args(&mut self, n: usize) -> Slot {
        self.materialize_top(n);
        let first = self.stack.len() - n;
        self.truncate_stack(first);
        self.slot_of(first)
    }

    fn call(&mut self, func: u32) {
        let ctx = self.ctx;
        let ty = &ctx.types[ctx.func_types[func as usize] as usize];
        let args = self.pop_args(ty.params().len());
        if func < self.ctx.num_imported_funcs {
            self.emit(Instr::CallImported { func, args }, 1);
        } else {
            self.emit(Instr::Call { func: func - self.ctx.num_imported_funcs, args }, 1);
        }
        for &t in ty.results() {
            self.push_temp_ty(t);
        }
        self.start_block();
    }

    /// Pops an indirect call's element index and arguments and records its
    /// site: (site, index slot, argument slot).
    fn indirect_site(&mut self, type_index: u32, table: u32) -> (u32, Slot, Slot) {
        let params = self.ctx.types[type_index as usize].params().len();
        let index = self.pop_slot();
        let args = self.pop_args(params);
        let site = self.indirect_sites.len() as u32;
        self.indirect_sites.push((type_index, table));
        (site, index, args)
    }

    fn call_indirect(&mut self, type_index: u32, table: u32) {
        let ctx = self.ctx;
        let ty = &ctx.types[type_index as usize];
        let (site, index, args) = self.indirect_site(type_index, table);
        let call = match table {
            // Table 0, where compilers put every address-taken function:
            // the type in the op, not behind the site.
            0 => Instr::CallIndirect0 { ty: type_index, index, args },
            _ => Instr::CallIndirect { site, index, args },
        };
        self.emit(call, 1);
        for &t in ty.results() {
            self.push_temp_ty(t);
        }
        self.start_block();
    }

    /// `return_call`: one step; nothing after it runs in this function.
    fn return_call(&mut self, func: u32) {
        let ctx = self.ctx;
        let ty = &ctx.types[ctx.func_types[func as usize] as usize];
        let args = self.pop_args(ty.params().len());
        if func < ctx.num_imported_funcs {
            self.emit(Instr::ReturnCallImported { func, args }, 1);
            // A host callee returns here, with its results at `args`.
            for &t in ty.results() {
                self.push_temp_ty(t);
            }
            self.emit_return();
        } else {
            self.emit(Instr::ReturnCall { func: func - ctx.num_imported_funcs, args }, 1);
        }
        self.reachable = false;
    }

    /// `call_ref` (or `return_call_ref` when `tail`): the function
    /// reference on top, its arguments below.
    fn call_ref(&mut self, type_index: u32, tail: bool) {
        let ctx = self.ctx;
        let ty = &ctx.types[type_index as usize];
        let func = self.pop_slot();
        let args = self.pop_args(ty.params().len());
        let instr = if tail { Instr::ReturnCallRef { func, args } } else { Instr::CallRef { func, args } };
        self.emit(instr, 1);
        for &t in ty.results() {
            self.push_temp_ty(t);
        }
        if tail {
            // A host callee returns here, with its results at `args`.
            self.emit_return();
            self.reachable = false;
        } else {
            self.start_block();
        }
    }

    fn return_call_indirect(&mut self, type_index: u32, table: u32) {
        let ctx = self.ctx;
        let ty = &ctx.types[type_index as usize];
        let (site, index, args) = self.indirect_site(type_index, table);
        self.emit(Instr::ReturnCallIndirect { site, index, args }, 1);
        for &t in ty.results() {
            self.push_temp_ty(t);
        }
        self.emit_return();
        self.reachable = false;
    }

    fn select(&mut self) {
        let cond = self.pop_slot();
        let b_pos = self.stack.len() - 1;
        if self.is_wide(b_pos) {
            // v128: the first operand is copied into the result slot, with
            // `b` kept readable meanwhile.
            let b = match self.stack[b_pos] {
                Operand::Local(i) => self.local_slot(i),
                _ => {
                    self.materialize(b_pos);
                    self.slot_of(b_pos)
                }
            };
            self.drop_top();
            let a_pos = self.stack.len() - 1;
            self.materialize(a_pos);
            self.emit_simd(SimdCode::V128SelectElse, self.slot_of(a_pos), cond, b, 1);
            return;
        }
        // A constant operand that fits 32 bits rides in the op.
        let imm = |v: Operand| match v {
            Operand::Const(c) if c <= u32::MAX as u64 => Some(c as u32),
            _ => None,
        };
        if let Some(imm) = imm(self.stack[b_pos]) {
            self.drop_top();
            let a_pos = self.stack.len() - 1;
            self.materialize(a_pos);
            self.emit(Instr::SelectElseImm { dst: self.slot_of(a_pos), cond, imm }, 1);
            return;
        }
        if let Some(imm) = imm(self.stack[b_pos - 1]) {
            let b = self.pop_slot();
            self.drop_top();
            let dst = self.push_temp();
            self.emit(Instr::SelectImm { dst, cond, b, imm }, 1);
            return;
        }
        let b = self.pop_slot();
        let a = self.pop_slot();
        let dst = self.push_temp();
        self.emit(Instr::Select { cond, a, b, dst }, 1);
    }

    fn local_set(&mut self, local: u32, tee: bool) {
        let pos = self.stack.len() - 1;
        let value = self.stack[pos];
        // Lazy copies of this local below the value (the value itself may
        // be one: `local.get 0; local.set 0`).
        let lazy_copies = self.lazy_refs[local as usize] > (value == Operand::Local(local)) as u32;
        let top_slot = self.slot_of(pos);
        let (dst, wide) = (self.local_slot(local), self.local_is_wide(local));
        let last = self.code.len().wrapping_sub(1);
        let can_redirect = value == Operand::Temp
            && self.code.len() > self.block_start
            && self.code.get_mut(last).and_then(|i| i.dst_mut()).is_some_and(|d| *d == top_slot);
        if can_redirect {
            if lazy_copies {
                self.materialize_before_last(local, pos);
            }
            let last = self.code.len() - 1;
            *self.code[last].dst_mut().unwrap() = dst;
            self.costs[last].post += self.pending + 1;
            self.pending = 0;
        } else {
            // Lazy copies of this local must take its old value first.
            if lazy_copies {
                self.materialize_copies(local, pos);
            }
            match value {
                Operand::Temp => {
                    self.emit_copy(dst, top_slot, wide, 1);
                }
                Operand::Local(src) => {
                    if src != local {
                        self.emit_copy(dst, self.local_slot(src), wide, 1);
                    } else {
                        self.pending += 1;
                    }
                }
                Operand::Const(c) => {
                    self.pending += 1;
                    self.emit_const(dst, c);
                }
            }
        }
        self.drop_top();
        if tee {
            self.push(Operand::Local(local));
        }
    }

    /// Copies the lazy copies of `local` below `pos` to their slots ahead
    /// of the instruction just emitted, which is about to write the local
    /// instead of a temporary: they must read its old value. A copy has no
    /// steps of its own, so the steps stay where they were.
    fn materialize_before_last(&mut self, local: u32, pos: usize) {
        let (instr, cost, popped) = (self.code.pop(), self.costs.pop(), self.popped.pop());
        let (pending, popping) = (std::mem::take(&mut self.pending), std::mem::replace(&mut self.popping, [NO_SLOT; 2]));
        self.materialize_copies(local, pos);
        self.code.extend(instr);
        self.costs.extend(cost);
        self.popped.extend(popped);
        (self.pending, self.popping) = (pending, popping);
    }

    /// Gives the lazy copies of `local` below `pos` their own slots.
    fn materialize_copies(&mut self, local: u32, pos: usize) {
        for p in 0..pos {
            if self.stack[p] == Operand::Local(local) {
                self.materialize(p);
            }
        }
    }

    fn load(&mut self, m: MemArg, make: fn(Slot, Slot, u32) -> Instr) {
        let addr = self.pop_slot();
        let dst = self.push_temp();
        self.emit(make(dst, addr, self.offset(m)), 1);
    }

    fn store(&mut self, m: MemArg, make: fn(Slot, Slot, u32) -> Instr) {
        let value = self.pop_slot();
        let addr = self.pop_slot();
        self.emit(make(addr, value, self.offset(m)), 1);
    }

    /// A store with a form for a constant value.
    fn store_imm(
        &mut self,
        m: MemArg,
        make: fn(Slot, Slot, u32) -> Instr,
        fits: fn(u64) -> Option<u32>,
        make_imm: fn(Slot, u32, u32) -> Instr,
    ) {
        if let Some(&Operand::Const(c)) = self.stack.last() {
            if let Some(imm) = fits(c) {
                self.drop_top();
                let addr = self.pop_slot();
                self.emit(make_imm(addr, imm, self.offset(m)), 1);
                return;
            }
        }
        self.store(m, make);
    }

    fn unary(&mut self, make: fn(Slot, Slot) -> Instr) {
        let src = self.pop_slot();
        let dst = self.push_temp();
        self.emit(make(dst, src), 1);
    }

    fn binary(&mut self, make: fn(Slot, Slot, Slot) -> Instr) {
        let b = self.pop_slot();
        let a = self.pop_slot();
        let dst = self.push_temp();
        self.emit(make(dst, a, b), 1);
    }

    /// A binary operator with a variant that takes a constant second operand.
    fn binary_imm(
        &mut self,
        make: fn(Slot, Slot, Slot) -> Instr,
        fits: fn(u64) -> Option<u32>,
        make_imm: fn(Slot, Slot, u32) -> Instr,
    ) {
        if let Some(&Operand::Const(c)) = self.stack.last() {
            if let Some(imm) = fits(c) {
                if matches!(make_imm(0, 0, 0), Instr::I32AddImm { .. }) && self.global_add_imm(imm) {
                    return;
                }
                self.drop_top();
                let a = self.pop_slot();
                let dst = self.push_temp();
                self.emit(make_imm(dst, a, imm), 1);
                return;
            }
        }
        self.binary(make);
    }

    fn numeric(&mut self, op: Op) {
        use Instr as I;
        macro_rules! un {
            ($v:ident) => {
                self.unary(|dst, src| I::$v { dst, src })
            };
        }
        macro_rules! bin {
            ($v:ident) => {
                self.binary(|dst, a, b| I::$v { dst, a, b })
            };
        }
        // i32 (f32) operators with a form that takes an `i32.const`
        // (`f32.const`) second operand.
        macro_rules! bin_imm {
            ($v:ident, $imm:ident) => {
                self.binary_imm(|dst, a, b| I::$v { dst, a, b }, |c| Some(c as u32), |dst, a, imm| I::$imm { dst, a, imm })
            };
        }
        // i64 operators with a form that takes a constant that fits in i32.
        macro_rules! bin_imm64 {
            ($v:ident, $imm:ident) => {
                self.binary_imm(|dst, a, b| I::$v { dst, a, b }, fits_i32, |dst, a, imm| I::$imm { dst, a, imm })
            };
        }
        match op {
            Op::I32Eqz => un!(I32Eqz),
            Op::I64Eqz => un!(I64Eqz),
            Op::I32Clz => un!(I32Clz),
            Op::I32Ctz => un!(I32Ctz),
            Op::I32Popcnt => un!(I32Popcnt),
            Op::I64Clz => un!(I64Clz),
            Op::I64Ctz => un!(I64Ctz),
            Op::I64Popcnt => un!(I64Popcnt),
            Op::F32Abs => un!(F32Abs),
            Op::F32Neg => un!(F32Neg),
            Op::F32Ceil => un!(F32Ceil),
            Op::F32Floor => un!(F32Floor),
            Op::F32Trunc => un!(F32Trunc),
            Op::F32Nearest => un!(F32Nearest),
            Op::F32Sqrt => un!(F32Sqrt),
            Op::F64Abs => un!(F64Abs),
            Op::F64Neg => un!(F64Neg),
            Op::F64Ceil => un!(F64Ceil),
            Op::F64Floor => un!(F64Floor),
            Op::F64Trunc => un!(F64Trunc),
            Op::F64Nearest => un!(F64Nearest),
            Op::F64Sqrt => un!(F64Sqrt),
            Op::I32WrapI64 => un!(I32WrapI64),
            Op::I32TruncF32S => un!(I32TruncF32S),
            Op::I32TruncF32U => un!(I32TruncF32U),
            Op::I32TruncF64S => un!(I32TruncF64S),
            Op::I32TruncF64U => un!(I32TruncF64U),
            Op::I64ExtendI32S => un!(I64ExtendI32S),
            // i32 values are kept zero-extended in their cells.
            Op::I64ExtendI32U => self.pending += 1,
            Op::I64TruncF32S => un!(I64TruncF32S),
            Op::I64TruncF32U => un!(I64TruncF32U),
            Op::I64TruncF64S => un!(I64TruncF64S),
            Op::I64TruncF64U => un!(I64TruncF64U),
            Op::F32ConvertI32S => un!(F32ConvertI32S),
            Op::F32ConvertI32U => un!(F32ConvertI32U),
            Op::F32ConvertI64S => un!(F32ConvertI64S),
            Op::F32ConvertI64U => un!(F32ConvertI64U),
            Op::F32DemoteF64 => un!(F32DemoteF64),
            Op::F64ConvertI32S => un!(F64ConvertI32S),
            Op::F64ConvertI32U => un!(F64ConvertI32U),
            Op::F64ConvertI64S => un!(F64ConvertI64S),
            Op::F64ConvertI64U => un!(F64ConvertI64U),
            Op::F64PromoteF32 => un!(F64PromoteF32),
            // Reinterpretations do not change the cell.
            Op::I32ReinterpretF32
            | Op::I64ReinterpretF64
            | Op::F32ReinterpretI32
            | Op::F64ReinterpretI64 => self.pending += 1,
            Op::I32Extend8S => un!(I32Extend8S),
            Op::I32Extend16S => un!(I32Extend16S),
            Op::I64Extend8S => un!(I64Extend8S),
            Op::I64Extend16S => un!(I64Extend16S),
            Op::I64Extend32S => un!(I64Extend32S),
            Op::I32TruncSatF32S => un!(I32TruncSatF32S),
            Op::I32TruncSatF32U => un!(I32TruncSatF32U),
            Op::I32TruncSatF64S => un!(I32TruncSatF64S),
            Op::I32TruncSatF64U => un!(I32TruncSatF64U),
            Op::I64TruncSatF32S => un!(I64TruncSatF32S),
            Op::I64TruncSatF32U => un!(I64TruncSatF32U),
            Op::I64TruncSatF64S => un!(I64TruncSatF64S),
            Op::I64TruncSatF64U => un!(I64TruncSatF64U),

            Op::I32Eq => bin_imm!(I32Eq, I32EqImm),
            Op::I32Ne => bin_imm!(I32Ne, I32NeImm),
            Op::I32LtS => bin_imm!(I32LtS, I32LtSImm),
            Op::I32LtU => bin_imm!(I32LtU, I32LtUImm),
            Op::I32GtS => bin_imm!(I32GtS, I32GtSImm),
            Op::I32GtU => bin_imm!(I32GtU, I32GtUImm),
            Op::I32LeS => bin_imm!(I32LeS, I32LeSImm),
            Op::I32LeU => bin_imm!(I32LeU, I32LeUImm),
            Op::I32GeS => bin_imm!(I32GeS, I32GeSImm),
            Op::I32GeU => bin_imm!(I32GeU, I32GeUImm),
            Op::I64Eq => bin!(I64Eq),
            Op::I64Ne => bin!(I64Ne),
            Op::I64LtS => bin!(I64LtS),
            Op::I64LtU => bin!(I64LtU),
            Op::I64GtS => bin!(I64GtS),
            Op::I64GtU => bin!(I64GtU),
            Op::I64LeS => bin!(I64LeS),
            Op::I64LeU => bin!(I64LeU),
            Op::I64GeS => bin!(I64GeS),
            Op::I64GeU => bin!(I64GeU),
            Op::F32Eq => bin!(F32Eq),
            Op::F32Ne => bin!(F32Ne),
            Op::F32Lt => bin_imm!(F32Lt, F32LtImm),
            Op::F32Gt => bin_imm!(F32Gt, F32GtImm),
            Op::F32Le => bin_imm!(F32Le, F32LeImm),
            Op::F32Ge => bin_imm!(F32Ge, F32GeImm),
            Op::F64Eq => bin!(F64Eq),
            Op::F64Ne => bin!(F64Ne),
            Op::F64Lt => bin!(F64Lt),
            Op::F64Gt => bin!(F64Gt),
            Op::F64Le => bin!(F64Le),
            Op::F64Ge => bin!(F64Ge),
            Op::I32Mul => bin_imm!(I32Mul, I32MulImm),
            Op::I32DivS => bin!(I32DivS),
            Op::I32DivU => bin!(I32DivU),
            Op::I32RemS => bin!(I32RemS),
            Op::I32RemU => bin!(I32RemU),
            Op::I32And => bin_imm!(I32And, I32AndImm),
            Op::I32Or if self.fuse_commutative(fuse::or_shifted) => {}
            Op::I32Or => bin_imm!(I32Or, I32OrImm),
            Op::I32Xor if self.fuse_commutative(fuse::xor_shifted) => {}
            Op::I32Xor => bin_imm!(I32Xor, I32XorImm),
            Op::I32Shl => bin_imm!(I32Shl, I32ShlImm),
            Op::I32ShrS => bin_imm!(I32ShrS, I32ShrSImm),
            Op::I32ShrU => bin_imm!(I32ShrU, I32ShrUImm),
            Op::I32Rotl => bin!(I32Rotl),
            Op::I32Rotr => bin!(I32Rotr),
            Op::I64Mul => bin_imm64!(I64Mul, I64MulImm),
            Op::I64DivS => bin!(I64DivS),
            Op::I64DivU => bin!(I64DivU),
            Op::I64RemS => bin!(I64RemS),
            Op::I64RemU => bin!(I64RemU),
            Op::I64And => bin_imm64!(I64And, I64AndImm),
            Op::I64Or if self.fuse_commutative(fuse::i64_or_shifted) => {}
            Op::I64Or => bin_imm64!(I64Or, I64OrImm),
            Op::I64Xor if self.fuse_commutative(fuse::i64_xor_shifted) => {}
            Op::I64Xor => bin_imm64!(I64Xor, I64XorImm),
            Op::I64Shl => bin_imm64!(I64Shl, I64ShlImm),
            Op::I64ShrS => bin_imm64!(I64ShrS, I64ShrSImm),
            Op::I64ShrU => bin_imm64!(I64ShrU, I64ShrUImm),
            Op::I64Rotl => bin!(I64Rotl),
            Op::I64Rotr => bin!(I64Rotr),
            Op::F32Add if self.fuse_commutative(fuse::f32_mul_add) => {}
            Op::F32Add => bin_imm!(F32Add, F32AddImm),
            Op::F32Sub => bin_imm!(F32Sub, F32SubImm),
            Op::F32Mul => bin_imm!(F32Mul, F32MulImm),
            Op::F32Div => bin!(F32Div),
            Op::F32Min => bin!(F32Min),
            Op::F32Max => bin!(F32Max),
            Op::F32Copysign => bin!(F32Copysign),
            Op::F64Add => bin!(F64Add),
            Op::F64Sub => bin!(F64Sub),
            Op::F64Mul => bin!(F64Mul),
            Op::F64Div => bin!(F64Div),
            Op::F64Min => bin!(F64Min),
            Op::F64Max => bin!(F64Max),
            Op::F64Copysign => bin!(F64Copysign),
            other => unreachable!("operator {other:?} is handled before numeric()"),
        }
    }
}
