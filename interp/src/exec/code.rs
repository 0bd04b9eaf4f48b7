//! The executable form of a function: translated instructions linked into
//! threaded code, where every op carries the address of the handler that
//! runs it and each handler jumps straight to the next op's handler.
//!
//! Linking also settles what the hot loop would otherwise look up: branch
//! targets become offsets from the branch itself, and a branch to the start
//! of a basic block lands past that block's `Charge`, carrying its cost, so
//! a taken branch pays for the block it enters without a dispatch.

use super::handlers;
use super::Executor;
use std::sync::atomic::{AtomicPtr, AtomicU32, Ordering};
use crate::translate::{ExnHandler, Instr, StepCost, TranslatedFunc, DELEGATE};

/// Runs one op. The arguments are the executor's hot state, kept in
/// registers across the whole chain of handlers: the op, the frame's cells,
/// the steps left, the accumulator (the value the previous op wrote), the
/// length and base of linear memory 0, and the executor. The accumulator
/// comes fourth, in the register x86-64 shifts by (`cl`): an op that
/// shifts by a variable count writes its result there anyway, so it need
/// not save the register's old value around the shift.
pub(crate) type Handler = unsafe fn(*const Op, *mut u64, u64, u64, usize, *mut u8, ExecRef) -> Exit;

/// The executor, passed to handlers in a float register. x86-64 passes six
/// integer arguments in registers and the hot state takes all six; the
/// executor is needed only by the slower ops (calls, globals, tables), for
/// which moving it back to an integer register costs one instruction.
#[derive(Clone, Copy)]
#[repr(transparent)]
pub(crate) struct ExecRef(f64);

impl ExecRef {
    pub fn new(exec: &mut Executor) -> Self {
        // A pointer's bits as a float: only moved, never computed with.
        Self(f64::from_bits(exec as *mut Executor as usize as u64))
    }

    /// # Safety
    /// `self` came from [`ExecRef::new`] on an executor that is still
    /// alive and not otherwise borrowed.
    pub unsafe fn get<'a>(self) -> &'a mut Executor {
        unsafe { &mut *(self.0.to_bits() as usize as *mut Executor) }
    }
}

/// Why a chain of handlers returned to [`Executor::run`]; small enough to
/// come back in a register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Exit {
    /// The entry function returned.
    Done,
    /// Call the host function in [`Executor::host`].
    Host,
    /// A trap, in [`Executor::trap`].
    Trap,
    /// An exception was caught: run on from the executor's saved state.
    Caught,
    /// Portable dispatch only: run the op saved in the executor.
    #[cfg(porta_portable_dispatch)]
    Continue,
}

/// One op, 16 bytes: its handler and four 16-bit words of fields. A narrow
/// op holds its fields there, each in one word or two (aligned) as its
/// instruction's [`Layout`] says; a wide op (a variant of the handler, for
/// fields that do not fit) holds in words 0..2 the byte distance to four
/// `u32` fields kept after the function's code. Either way word 3 holds the
/// op's extra field, if it has one: for a branch, the cost of the block it
/// lands in; for a call, the cost of the block after it (0: no `Charge`
/// follows, as a block that costs nothing has none), and the same for
/// `ZeroLocals`. Branch targets are byte offsets from the branch.
///
/// Translated code takes a third less memory than with 24-byte ops (CPython:
/// 5.8 MB against 8.6), and misses the first-level cache a third less often
/// (cachegrind); the time changed little on our machine (-1 to +2 %), whose
/// prefetcher streams the ops. Fields are read as whole words: not
/// assembled from bytes, which LLVM then loads byte by byte; nor by
/// unaligned reads, whose debug checks take a local's address and so keep
/// handlers from dispatching by a jump.
#[derive(Clone, Copy)]
#[repr(C, align(16))]
pub(crate) struct Op {
    pub h: Handler,
    f: Fields,
}

/// An op's fields, as words or as aligned pairs of words (a two-word
/// field built from two loads, LLVM would load as two when it indexes).
#[derive(Clone, Copy)]
#[repr(C)]
union Fields {
    w: [u16; 4],
    d: [u32; 2],
}

/// How a field of an instruction is kept in a narrow op.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    /// A frame slot or a count: one word.
    Slot,
    /// A constant or a branch target (a byte offset): two words, or one,
    /// sign-extended, when the instruction's fields do not fit otherwise.
    /// A target counts bytes, not ops: scaling it lengthens every taken
    /// branch's path to the next handler (loop_sum ran 24 % slower with a
    /// scaled `lea`).
    Signed,
    /// Anything else (an index, an offset, a cost): two words, or one when
    /// the instruction's fields do not fit otherwise.
    Value,
}

/// Where each field of an instruction sits in a narrow op: word and width
/// in words (0: no such field), and how it extends.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Layout {
    /// Whether the fields fit in a narrow op, when their values do.
    pub narrow: bool,
    /// Whether the op has an extra field (see [`Op`]).
    pub extra: bool,
    pub at: [u8; 4],
    pub width: [u8; 4],
    pub kind: [Kind; 4],
}

impl Layout {
    /// The layout of an instruction with fields of `kinds`, in order;
    /// `extra`: it has an extra field, which takes word 3. Two-word fields
    /// come first, so that they are aligned.
    pub const fn of(kinds: &[Kind], extra: bool) -> Layout {
        let budget = if extra { 3 } else { 4 };
        let mut l = Layout { narrow: true, extra, at: [0; 4], width: [0; 4], kind: [Kind::Slot; 4] };
        let (mut words, mut i) = (0, 0);
        while i < kinds.len() {
            words += if matches!(kinds[i], Kind::Signed | Kind::Value) { 2 } else { 1 };
            i += 1;
        }
        let long = words <= budget;
        let mut at = 0;
        let mut pass = 0;
        while pass < 2 {
            let mut i = 0;
            while i < kinds.len() {
                let w = if long && matches!(kinds[i], Kind::Signed | Kind::Value) { 2 } else { 1 };
                if (w == 2) == (pass == 0) {
                    (l.at[i], l.width[i], l.kind[i]) = (at, w, kinds[i]);
                    at += w;
                }
                i += 1;
            }
            pass += 1;
        }
        // More fields than fit: every op of the instruction is wide.
        l.narrow = at <= budget;
        l
    }

    /// The narrow fields for `values`, if each one fits. Inlined where the
    /// layout is a constant, so that linking spends a few instructions on
    /// each field.
    #[inline(always)]
    pub fn encode(&self, values: [u32; 4]) -> Option<[u16; 4]> {
        let mut f = [0; 4];
        if !self.narrow {
            return None;
        }
        for i in 0..4 {
            let (at, v) = (self.at[i] as usize, values[i]);
            match self.width[i] {
                0 => continue,
                // In native order, as `Op::word2` reads them.
                2 => {
                    let b = v.to_ne_bytes();
                    (f[at], f[at + 1]) = (u16::from_ne_bytes([b[0], b[1]]), u16::from_ne_bytes([b[2], b[3]]))
                }
                // One word, if it reads back as the value.
                _ => {
                    if self.decode1(i, v as u16) != v {
                        return None;
                    }
                    f[at] = v as u16;
                }
            }
        }
        Some(f)
    }

    #[inline(always)]
    fn decode1(&self, i: usize, v: u16) -> u32 {
        match self.kind[i] {
            Kind::Signed => v as i16 as i32 as u32,
            Kind::Slot | Kind::Value => v as u32,
        }
    }
}

impl Op {
    pub const fn new(h: Handler, f: [u16; 4]) -> Op {
        Op { h, f: Fields { w: f } }
    }

    /// An op from [`Op::parts`].
    pub fn from_parts((h, f): OpParts) -> Op {
        Op::new(h, [f as u16, (f >> 16) as u16, (f >> 32) as u16, (f >> 48) as u16])
    }

    /// The handler and the fields as one integer: a pair that a function
    /// returns in two registers (an `Op`, holding a union, it returns
    /// through memory, where the caller's copy waited on the stores).
    pub fn parts(h: Handler, f: [u16; 4]) -> OpParts {
        (h, f[0] as u64 | (f[1] as u64) << 16 | (f[2] as u64) << 32 | (f[3] as u64) << 48)
    }

    /// Field `i` of a narrow op laid out by `l`: one load, the layout being
    /// a constant in every handler.
    #[inline(always)]
    pub fn field(&self, l: &Layout, i: usize) -> u32 {
        let at = l.at[i] as usize;
        match l.width[i] {
            0 => 0,
            2 => self.word2(at),
            _ => l.decode1(i, unsafe { self.f.w[at] }),
        }
    }

    /// The two-word field at word `at` (0 or 2).
    #[inline(always)]
    fn word2(&self, at: usize) -> u32 {
        // SAFETY: any bits are words.
        unsafe { self.f.d[at / 2] }
    }

    /// The fields of a narrow op laid out by `l`.
    #[inline(always)]
    pub fn fields(&self, l: &Layout) -> [u32; 4] {
        [self.field(l, 0), self.field(l, 1), self.field(l, 2), self.field(l, 3)]
    }

    /// The fields of a wide op.
    ///
    /// # Safety
    /// `self` is a wide op in the buffer [`OpsBuilder::finish`] made for it.
    #[inline(always)]
    pub unsafe fn wide(&self) -> [u32; 4] {
        let at = unsafe { (self as *const Op).byte_add(self.word2(0) as usize).cast::<[u32; 4]>() };
        unsafe { [(*at)[0], (*at)[1], (*at)[2], (*at)[3]] }
    }

    /// The extra field (see [`Op`]).
    #[inline(always)]
    pub fn extra(&self) -> u32 {
        unsafe { self.f.w[3] as u32 }
    }

    pub fn set_extra(&mut self, v: u16) {
        unsafe { self.f.w[3] = v };
    }

    /// The cost of a `Charge`, its one field.
    #[inline(always)]
    pub fn cost(&self) -> u32 {
        self.field(&handlers::CHARGE, 0)
    }

    /// Whether the op starts a basic block (a `Charge`).
    #[inline(always)]
    pub fn is_charge(&self) -> bool {
        // Comparing addresses is sound here: the `Charge` handler is one
        // non-generic function whose body no other handler shares.
        self.h as usize == handlers::v0::Charge as Handler as usize
    }
}

impl std::fmt::Debug for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(name) = super::simd::name_of(self.h) {
            return write!(f, "{name} {:?} (wide)", unsafe { self.wide() });
        }
        let plain = handlers::unfuse(self.h);
        let (name, acc, write, layout) = handlers::name_of(plain);
        let fields = match layout {
            Some(l) => self.fields(&l),
            None => unsafe { self.wide() },
        };
        let extra = match layout {
            Some(l) if !l.extra => String::new(),
            _ => format!(" (extra {})", self.extra()),
        };
        let fused = if plain as usize != self.h as usize { " (fused with the next)" } else { "" };
        let acc = if acc > 0 { format!(" (operand {acc} from the accumulator)") } else { String::new() };
        let write = if write { "" } else { " (result to the accumulator only)" };
        let wide = if layout.is_none() { " (wide)" } else { "" };
        write!(f, "{name} {fields:?}{extra}{acc}{write}{fused}{wide}")
    }
}

/// An op and, for a wide one, its fields.
pub(crate) type Linked = (Op, Option<[u32; 4]>);

/// An op's handler and fields (see [`Op::parts`]).
pub(crate) type OpParts = (Handler, u64);

/// A function's ops and, after them, the fields of its wide ones, in one
/// allocation (a wide op finds its fields at a distance from itself); made
/// by [`OpsBuilder`].
pub(crate) struct Ops {
    units: Box<[Unit]>,
    len: usize,
    /// The indices of the wide ops, in order.
    wide: Box<[u32]>,
}

#[derive(Clone, Copy)]
#[repr(C, align(16))]
union Unit {
    op: Op,
    wide: [u32; 4],
}

/// Collects a function's ops as linking makes them.
#[derive(Default)]
pub(crate) struct OpsBuilder {
    ops: Vec<Op>,
    /// Op index and fields of every wide op.
    wide: Vec<(usize, [u32; 4])>,
}

impl OpsBuilder {
    pub fn with_capacity(n: usize) -> Self {
        Self { ops: Vec::with_capacity(n), wide: Vec::new() }
    }

    pub fn push(&mut self, (op, wide): Linked) {
        if let Some(fields) = wide {
            self.wide.push((self.ops.len(), fields));
        }
        self.ops.push(op);
    }

    /// The last op, and whether it is narrow.
    pub fn last_mut(&mut self) -> Option<(&mut Op, bool)> {
        let narrow = self.wide.last().is_none_or(|&(pc, _)| pc + 1 != self.ops.len());
        self.ops.last_mut().map(|op| (op, narrow))
    }

    /// Gives each op that a pair handler runs together with the op after
    /// it that handler (see `handlers::pair`); not where ops are counted
    /// to choose the pairs.
    pub fn fuse_pairs(&mut self) {
        if cfg!(porta_op_pairs) {
            return;
        }
        for i in 1..self.ops.len() {
            if let Some(h) = handlers::pair(self.ops[i - 1].h, self.ops[i].h) {
                self.ops[i - 1].h = h;
            }
        }
    }

    pub fn finish(self) -> Ops {
        let len = self.ops.len();
        let mut units: Vec<Unit> = Vec::with_capacity(len + self.wide.len());
        units.extend(self.ops.into_iter().map(|op| Unit { op }));
        let wide = self.wide.iter().map(|&(pc, _)| pc as u32).collect();
        for (pc, fields) in self.wide {
            let rel = ((units.len() - pc) * std::mem::size_of::<Unit>()) as u32;
            // SAFETY: the first `len` units are ops.
            unsafe { units[pc].op.f.d[0] = rel };
            units.push(Unit { wide: fields });
        }
        Ops { units: units.into(), len, wide }
    }
}

impl Ops {
    pub fn as_ptr(&self) -> *const Op {
        self.units.as_ptr().cast()
    }

    /// The op and, for a wide one, its fields, as [`OpsBuilder::push`] takes them.
    pub fn linked(&self, pc: usize) -> Linked {
        let op = self[pc];
        let wide = self.wide.binary_search(&(pc as u32)).is_ok().then(|| unsafe { self[pc].wide() });
        (op, wide)
    }
}

impl std::ops::Deref for Ops {
    type Target = [Op];
    fn deref(&self) -> &[Op] {
        // SAFETY: the first `len` units are ops.
        unsafe { std::slice::from_raw_parts(self.as_ptr(), self.len) }
    }
}

impl std::fmt::Debug for Ops {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A function ready to run.
#[derive(Debug)]
pub(crate) struct CompiledFunc {
    /// Where a call starts: past that `Charge`, if there is one.
    pub start: *const Op,
    /// The cost of the entry block, when the function starts with a
    /// `Charge`: a call pays it and starts after it.
    pub entry: u32,
    /// Cells the frame needs: every slot the code names is below this.
    pub frame_size: u32,
    pub num_params: u32,
    pub ops: Ops,
    /// One entry per op.
    pub costs: Box<[StepCost]>,
    /// `br_table` targets, as op indices.
    pub br_tables: Box<[u32]>,
    /// (expected type id, table index) per `call_indirect` site.
    pub indirect_sites: Box<[(u32, u32)]>,
    /// Catch clauses, inner ones first, with op indices.
    pub handlers: Box<[ExnHandler]>,
}

// SAFETY: `start` points into `ops`, which the code owns and never changes.
unsafe impl Send for CompiledFunc {}
unsafe impl Sync for CompiledFunc {}

impl CompiledFunc {
    /// Whether op `pc` starts a basic block (a `Charge`).
    pub fn is_charge(&self, pc: usize) -> bool {
        self.ops[pc].is_charge()
    }
}

/// What a direct call needs of a defined function, in the module's table
/// of them (by defined function index): the call reads this entry and the
/// callee's first op, not the callee's `CompiledFunc`, a cache line more
/// that CPython's calls were seen to wait for (two misses in a row).
#[derive(Default)]
#[repr(C, align(32))]
pub(crate) struct Callee {
    /// The translated code, null before (written last).
    func: AtomicPtr<CompiledFunc>,
    start: AtomicPtr<Op>,
    entry: AtomicU32,
    frame_size: AtomicU32,
}

impl Callee {
    /// Makes `f` the translated code of this function. Every writer writes
    /// the same values (a function is translated once).
    pub fn publish(&self, f: &CompiledFunc) {
        self.start.store(f.start as *mut Op, Ordering::Relaxed);
        self.entry.store(f.entry, Ordering::Relaxed);
        self.frame_size.store(f.frame_size, Ordering::Relaxed);
        self.func.store(f as *const CompiledFunc as *mut CompiledFunc, Ordering::Release);
    }

    /// The translated code, if any.
    #[inline(always)]
    pub fn func(&self) -> Option<*const CompiledFunc> {
        let func = self.func.load(Ordering::Acquire);
        (!func.is_null()).then_some(func as *const CompiledFunc)
    }

    /// Cells the frame needs, once translated ([`Callee::func`]).
    #[inline(always)]
    pub fn frame_size(&self) -> u32 {
        self.frame_size.load(Ordering::Relaxed)
    }

    /// Where a call starts and the entry block's cost it pays, once
    /// translated.
    #[inline(always)]
    pub fn entry(&self) -> (*const Op, u32) {
        (self.start.load(Ordering::Relaxed), self.entry.load(Ordering::Relaxed))
    }
}

/// Turns a translated function into threaded code.
///
/// A `Charge` of a block that costs nothing is dropped: that block's ops
/// cost nothing either, so counting them into the block before changes no
/// count.
///
/// An op that reads the slot the op before it wrote reads the accumulator
/// instead, which holds that value in a register: the value skips a round
/// trip through memory on the chain of dependent ops. Only where control
/// cannot reach the op from anywhere else: not at a branch target, nor
/// after a call, a `Charge` or a fused pair. When that op also pops the
/// value (the translator says which slots each instruction pops), nothing
/// else reads it, and the op before writes it to the accumulator only.
///
/// `type_ids` maps the module's type indices to the engine's type ids.
pub(crate) fn link(t: TranslatedFunc, type_ids: &[u32]) -> CompiledFunc {
    let code = &t.code;
    debug_assert_eq!(t.popped.len(), code.len());
    let dropped = |pc: usize| matches!(code[pc], Instr::Charge { cost: 0 });
    // A branch to a return that costs no step (at the function's end) is
    // that return: one op fewer on the way out of a function.
    let threaded = |instr: Instr| match instr {
        Instr::Br { target } => (target as usize..code.len())
            .find(|&pc| !dropped(pc))
            .filter(|&pc| t.costs[pc].pre == 0 && t.costs[pc].post == 0)
            .map(|pc| code[pc])
            .filter(|to| matches!(to, Instr::Return0 {} | Instr::Return1 { .. } | Instr::ReturnN { .. }))
            .unwrap_or(instr),
        _ => instr,
    };
    let mut is_target = vec![false; code.len() + 1];
    for mut instr in code.iter().copied().map(threaded) {
        if let Some(to) = instr.target_mut() {
            is_target[*to as usize] = true;
        }
    }
    for &to in &t.br_tables {
        is_target[to as usize] = true;
    }
    for h in t.handlers.iter().filter(|h| h.tag != DELEGATE) {
        is_target[h.pad as usize] = true;
    }
    // New index of every op (of the op after it, for a dropped one).
    let mut index = Vec::with_capacity(code.len() + 1);
    let mut n = 0u32;
    for pc in 0..code.len() {
        index.push(n);
        n += !dropped(pc) as u32;
    }
    index.push(n);
    // A `Charge` at `pc` (after dropping): where to land past it, and its
    // cost.
    let landing = |pc: usize| match code.get(pc) {
        Some(Instr::Charge { cost }) if *cost > 0 => Some(*cost),
        _ => None,
    };
    let mut ops = OpsBuilder::with_capacity(n as usize);
    let mut prev: Option<Instr> = None;
    // The slot the previous op wrote, which the accumulator holds, and the
    // one it read from the accumulator.
    let mut written: Option<u32> = None;
    let mut prev_acc: Option<u32> = None;
    for (pc, instr) in code.iter().enumerate() {
        if is_target[pc] {
            written = None;
        }
        if dropped(pc) {
            continue;
        }
        let mut instr = threaded(*instr);
        if let Instr::CallIndirect0 { ty, .. } = &mut instr {
            *ty = type_ids[*ty as usize];
        }
        let mut extra = 0;
        let from = index[pc] as i64;
        if let Some(target) = instr.target_mut() {
            let (mut to, mut cost) = (index[*target as usize], 0);
            if let Some(c) = landing(*target as usize).filter(|&c| c <= u16::MAX as u32) {
                (to, cost) = (to + 1, c);
            }
            extra = cost;
            *target = ((to as i64 - from) * std::mem::size_of::<Op>() as i64) as i32 as u32;
        } else if matches!(
            instr,
            Instr::Call { .. }
                | Instr::CallImported { .. }
                | Instr::CallIndirect { .. }
                | Instr::CallIndirect0 { .. }
                | Instr::CallRef { .. }
                | Instr::ZeroLocals { .. }
        ) {
            // The block after the op, which it (a call: its return) pays
            // for.
            extra = landing(pc + 1).filter(|&c| c <= u16::MAX as u32).unwrap_or(0);
        }
        // A fused handler reads its operands from the frame, and both ops
        // are narrow.
        let fused = prev
            .filter(|_| prev_acc.is_none())
            .and_then(|p| handlers::fuse(&p, &instr))
            .filter(|_| ops.last_mut().is_some_and(|(_, narrow)| narrow))
            .filter(|_| handlers::make_op(instr, None, true).is_some());
        if let Some(h) = fused {
            ops.last_mut().expect("a previous op").0.h = h;
            written = None;
        }
        let reads_acc = written.and_then(|slot| Some((slot, Op::from_parts(handlers::make_op(instr, Some(slot), true)?))));
        let mut op = match reads_acc {
            Some((slot, op)) => {
                if t.popped[pc].contains(&slot) || matches!(instr, Instr::Return1 { .. }) {
                    // The value dies here (a return ends the frame): the op
                    // before need not write it (a wide one always does).
                    let before = prev.expect("a previous instruction");
                    if let Some((h, _)) = handlers::make_op(before, prev_acc, false) {
                        ops.last_mut().expect("a previous op").0.h = h;
                    }
                }
                (op, None)
            }
            None => handlers::make_op(instr, None, true).map_or_else(|| handlers::wide_op(instr), |op| (Op::from_parts(op), None)),
        };
        if extra != 0 {
            op.0.set_extra(extra as u16);
        }
        ops.push(op);
        prev = Some(instr);
        prev_acc = reads_acc.map(|(slot, _)| slot);
        // SIMD ops leave the accumulator alone.
        written = if matches!(instr, Instr::Simd { .. }) { None } else { instr.dst() };
    }
    let costs = if n as usize == code.len() {
        t.costs.into()
    } else {
        t.costs.iter().enumerate().filter(|&(pc, _)| !dropped(pc)).map(|(_, c)| *c).collect()
    };
    // The first op kept: a call lands past it when it is a `Charge`, which
    // is what falling into it would pay.
    let entry = (0..code.len()).find(|&pc| !dropped(pc)).and_then(landing).unwrap_or(0);
    ops.fuse_pairs();
    let ops = ops.finish();
    CompiledFunc {
        // The boxed ops do not move with the `CompiledFunc`.
        start: unsafe { ops.as_ptr().add((entry != 0) as usize) },
        ops,
        costs,
        br_tables: t.br_tables.iter().map(|&to| index[to as usize]).collect(),
        indirect_sites: t.indirect_sites.iter().map(|&(ty, table)| (type_ids[ty as usize], table)).collect(),
        handlers: t
            .handlers
            .iter()
            .map(|h| ExnHandler {
                start: index[h.start as usize],
                end: index[h.end as usize],
                // A delegate's pad is a handler index, not code.
                pad: if h.tag == DELEGATE { h.pad } else { index[h.pad as usize] },
                ..*h
            })
            .collect(),
        entry,
        num_params: t.num_params,
        frame_size: t.frame_size,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_op_is_16_bytes() {
        assert_eq!(std::mem::size_of::<Op>(), 16);
    }

    #[test]
    fn two_word_fields_come_first_and_shrink_when_they_must() {
        // `Const32 { dst, imm }`: the constant whole, in words 0..2.
        let l = Layout::of(&[Kind::Slot, Kind::Signed], false);
        assert!(l.narrow);
        assert_eq!((l.at, l.width), ([2, 0, 0, 0], [1, 2, 0, 0]));
        // A compare-and-branch with a constant: three words and the extra,
        // so the constant takes one, sign-extended.
        let l = Layout::of(&[Kind::Slot, Kind::Signed, Kind::Signed], true);
        assert_eq!((l.at, l.width), ([0, 1, 2, 0], [1, 1, 1, 0]));
        assert_eq!(l.encode([3, -5i32 as u32, -32i32 as u32, 0]), Some([3, -5i16 as u16, -32i16 as u16, 0]));
        assert_eq!(l.encode([3, 40_000, 16, 0]), None);
        assert_eq!(l.encode([3, 1, 1 << 15, 0]), None, "a target beyond 32 KiB");
        assert_eq!(l.encode([65_536, 1, 16, 0]), None, "a slot beyond one word");
        // A conditional branch on a slot: its target whole.
        let l = Layout::of(&[Kind::Slot, Kind::Signed], true);
        assert_eq!((l.at, l.width), ([2, 0, 0, 0], [1, 2, 0, 0]));
        // More than fits even when short: always wide.
        assert!(!Layout::of(&[Kind::Slot, Kind::Slot, Kind::Slot, Kind::Slot], true).narrow);
    }

    #[test]
    fn fields_read_back_as_encoded() {
        let l = Layout::of(&[Kind::Slot, Kind::Slot, Kind::Value], false);
        let values = [7, 65_535, 0xdead_beef, 0];
        let op = Op::new(handlers::StepLimit, l.encode(values).unwrap());
        assert_eq!(op.fields(&l), values);
        // A `Charge` keeps its cost whole, which branches read.
        let mut op = Op::new(handlers::v0::Charge, handlers::CHARGE.encode([70_000, 0, 0, 0]).unwrap());
        op.set_extra(9);
        assert_eq!((op.cost(), op.extra()), (70_000, 9));
    }
}
