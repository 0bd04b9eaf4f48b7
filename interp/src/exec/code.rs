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
use std::sync::atomic::AtomicPtr;
use crate::translate::{ExnHandler, Instr, StepCost, TranslatedFunc, DELEGATE};

/// Runs one op. The arguments are the executor's hot state, kept in
/// registers across the whole chain of handlers: the op, the frame's cells,
/// the steps left, linear memory 0 (base and length), the accumulator (the
/// value the previous op wrote) and the executor.
pub(crate) type Handler = unsafe fn(*const Op, *mut u64, u64, *mut u8, usize, u64, ExecRef) -> Exit;

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

/// One op: its handler and up to four operands. The first three are the
/// translated instruction's fields in order, with branch targets as byte
/// offsets from the branch. The fourth is: for a branch, the cost of the
/// block it lands in; for a call, one more than the cost of the block after
/// it (0: no `Charge` follows), and the same for `ZeroLocals`.
#[derive(Clone, Copy)]
#[repr(C)]
pub(crate) struct Op {
    pub h: Handler,
    pub f: [u32; 4],
}

impl Op {
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
            return write!(f, "{name} {:?}", self.f);
        }
        let plain = handlers::unfuse(self.h);
        let (name, acc, write) = handlers::name_of(plain);
        let fused = if plain as usize != self.h as usize { " (fused with the next)" } else { "" };
        let acc = if acc > 0 { format!(" (operand {acc} from the accumulator)") } else { String::new() };
        let write = if write { "" } else { " (result to the accumulator only)" };
        write!(f, "{name} {:?}{acc}{write}{fused}", self.f)
    }
}

/// A function ready to run.
#[derive(Debug)]
#[repr(C, align(64))]
pub(crate) struct CompiledFunc {
    // What a call reads comes first, in one cache line (the alignment):
    // real programs make calls enough that a second line shows.
    /// Where a call starts: past that `Charge`, if there is one.
    pub start: *const Op,
    /// The module's table of translated code, by defined function index
    /// (null: not translated yet), for direct calls.
    pub callees: *const AtomicPtr<CompiledFunc>,
    /// The cost of the entry block, when the function starts with a
    /// `Charge`: a call pays it and starts after it.
    pub entry: u32,
    /// Cells the frame needs: every slot the code names is below this.
    pub frame_size: u32,
    pub num_params: u32,
    pub ops: Box<[Op]>,
    /// One entry per op.
    pub costs: Box<[StepCost]>,
    /// `br_table` targets, as op indices.
    pub br_tables: Box<[u32]>,
    /// (expected type id, table index) per `call_indirect` site.
    pub indirect_sites: Box<[(u32, u32)]>,
    /// Catch clauses, inner ones first, with op indices.
    pub handlers: Box<[ExnHandler]>,
}

// SAFETY: `callees` points into the module that owns this code (an
// `Arc`ed, never-resized slice of atomics), so it lives as long as the code
// and may be read from any thread; `start` points into `ops`.
unsafe impl Send for CompiledFunc {}
unsafe impl Sync for CompiledFunc {}

impl CompiledFunc {
    /// Whether op `pc` starts a basic block (a `Charge`).
    pub fn is_charge(&self, pc: usize) -> bool {
        self.ops[pc].is_charge()
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
/// `type_ids` maps the module's type indices to the engine's type ids;
/// `callees` is the module's table of translated code.
pub(crate) fn link(t: TranslatedFunc, type_ids: &[u32], callees: *const AtomicPtr<CompiledFunc>) -> CompiledFunc {
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
    let mut ops: Vec<Op> = Vec::with_capacity(n as usize);
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
        let mut extra = 0;
        let from = index[pc] as i64;
        if let Some(target) = instr.target_mut() {
            let (mut to, mut cost) = (index[*target as usize], 0);
            if let Some(c) = landing(*target as usize) {
                (to, cost) = (to + 1, c);
            }
            extra = cost;
            *target = ((to as i64 - from) * std::mem::size_of::<Op>() as i64) as i32 as u32;
        } else if matches!(
            instr,
            Instr::Call { .. } | Instr::CallImported { .. } | Instr::CallIndirect { .. } | Instr::CallRef { .. } | Instr::ZeroLocals { .. }
        ) {
            // The block after the op, which it (a call: its return) pays
            // for.
            extra = landing(pc + 1).map_or(0, |cost| cost + 1);
        }
        // A fused handler reads its operands from the frame.
        let fused = prev.filter(|_| prev_acc.is_none()).and_then(|p| handlers::fuse(&p, &instr));
        if let Some(h) = fused {
            ops.last_mut().expect("a previous op").h = h;
            written = None;
        }
        let reads_acc = written.and_then(|slot| Some((slot, handlers::make_op(instr, Some(slot), true)?)));
        let mut op = match reads_acc {
            Some((slot, op)) => {
                if t.popped[pc].contains(&slot) || matches!(instr, Instr::Return1 { .. }) {
                    // The value dies here (a return ends the frame): the op
                    // before need not write it.
                    let last = ops.last_mut().expect("a previous op");
                    let before = prev.expect("a previous instruction");
                    let h = handlers::make_op(before, prev_acc, false).expect("the same operands").h;
                    last.h = h;
                }
                op
            }
            None => handlers::make_op(instr, None, true).expect("any instruction without the accumulator"),
        };
        if extra != 0 {
            op.f[3] = extra;
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
    let ops: Box<[Op]> = ops.into();
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
        callees,
        frame_size: t.frame_size,
    }
}
