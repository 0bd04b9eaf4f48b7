//! The executor: runs linked code ([`code`]) over a value stack of 64-bit
//! cells.
//!
//! Calls never recurse on the native stack: a call pushes a [`Frame`] and
//! switches code, so deep WebAssembly recursion ends in "call stack
//! exhausted", never in a host stack overflow. Handlers pass the hot state
//! (op, frame, step budget, memory) to each other in registers; everything
//! else lives in the [`Executor`].
//!
//! Step accounting: each basic block starts with a `Charge` of its cost, and
//! a taken branch pays for the block it enters. When the budget cannot pay a
//! whole block, the block runs in precise mode: on a copy of its ops that
//! ends at the exact op where the budget runs out. A trap refunds the
//! charged steps of the block that did not run.

mod code;
mod frames;
mod handlers;
mod numeric;
#[cfg(porta_op_pairs)]
mod op_pairs;
mod pause;
mod simd;
mod unwind;
mod vm;

pub(crate) use code::{link, Callee, CompiledFunc};
pub use pause::{PauseReason, Paused, Resumable};
pub(crate) use pause::{start, ExecState, FrameState};

use crate::error::Error;
use crate::func::Caller;
use crate::store::{FuncEntity, Store, StoreInner};
use crate::trap::{Trap, TrapCode};
use crate::types::ValType;
use crate::value::{cells_for, read_cells, write_cells, Val};
use code::{ExecRef, Exit, Op, Ops, OpsBuilder};
use frames::{Frame, Frames};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Cells and frames, kept in the store between calls to reuse allocations.
#[derive(Default)]
pub(crate) struct Stack {
    cells: Vec<u64>,
    frames: Frames,
}

// SAFETY: the raw pointers in frames point into translated code owned (via
// `Arc`) by the instances of the same store, and frames only exist during a
// call, which holds the store mutably; moving the store to another thread
// moves them together.
unsafe impl Send for Stack {}

/// Calls function `func` (a store index) with `args`, writing its results to
/// `results`. Types were checked by the caller.
///
/// This is the only generic part of execution: it runs host functions, which
/// need the whole store, whenever the (non-generic) executor yields one.
pub(crate) fn call<T>(
    store: &mut Store<T>,
    func: u32,
    args: &[Val],
    results: &mut [Val],
    result_types: &[ValType],
) -> Result<(), Error> {
    let (instance, index) = match store.inner.funcs[func as usize] {
        FuncEntity::Wasm { instance, index, .. } => (instance, index),
        FuncEntity::Host { host, .. } => {
            let host = store.hosts[host as usize].clone();
            return (host.callback)(Caller::new(store, None), args, results).map_err(Error::Trap);
        }
    };
    let stack = std::mem::take(&mut store.inner.stack);
    let mut exec = Executor::new(stack, &store.inner, instance, index, args)?;
    store.inner.running += 1;
    let outcome = drive(store, &mut exec);
    store.inner.running -= 1;
    // Only a call that returned has its results in the first cells: a
    // trapped one may have a frame smaller than its result count.
    if outcome.is_ok() {
        for (r, v) in results.iter_mut().zip(read_cells(&exec.stack.cells, result_types)) {
            store.inner.pin(v);
            *r = v;
        }
    }
    // A nested call (host → wasm) may have left its own stack behind; keep
    // the larger allocation for the next call.
    if exec.stack.cells.capacity() >= store.inner.stack.cells.capacity() {
        exec.stack.frames.clear();
        store.inner.stack = exec.stack;
    }
    outcome.map_err(Error::Trap)
}

/// Runs the executor to completion, serving its host calls.
fn drive<T>(store: &mut Store<T>, exec: &mut Executor) -> Result<(), Trap> {
    let counting = store.inner.engine.config().count_steps;
    // A paused executor may resume in a store whose flag was replaced.
    exec.interrupt = Arc::as_ptr(&store.inner.interrupt);
    exec.set_budget(store.inner.effective_limit().saturating_sub(store.inner.steps));
    let outcome = loop {
        match exec.run(&mut store.inner) {
            Exit::Done => break Ok(()),
            Exit::Caught => {}
            Exit::Host => {
                if let Err(trap) = call_host(store, exec) {
                    // The call is the op before the one the frame resumes at.
                    let pc = exec.pc_of(exec.ip) - 1;
                    if trap == Trap::Code(TrapCode::HostPause) && exec.precise.is_none() {
                        break Err(exec.before_host_call(pc));
                    }
                    exec.stopped_in_host = true;
                    break Err(exec.trapped(trap, pc));
                }
            }
            Exit::Trap => break Err(exec.trap.take().expect("a trap exit carries its trap")),
            #[cfg(porta_portable_dispatch)]
            Exit::Continue => unreachable!("run() resolves portable dispatch"),
        }
    };
    if counting {
        store.inner.steps = store.inner.effective_limit() - exec.budget();
    }
    outcome
}

fn call_host<T>(store: &mut Store<T>, exec: &mut Executor) -> Result<(), Trap> {
    let (host, args) = exec.host;
    let func = store.hosts[host as usize].clone();
    let base = exec.base + args as usize;
    let ty = &func.ty;
    let params = read_cells(&exec.stack.cells[base..], ty.params());
    params.iter().for_each(|&v| store.inner.pin(v));
    let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
    // The host may run more WebAssembly: bring the store's count up to date
    // first, and take the budget back from it afterwards.
    let counting = store.inner.engine.config().count_steps;
    if counting {
        store.inner.steps = store.inner.effective_limit() - exec.budget();
    }
    let instance = Some(crate::instance::Instance(exec.instance));
    let outcome = (func.callback)(Caller::new(store, instance), &params, &mut results);
    if counting {
        exec.set_budget(store.inner.effective_limit().saturating_sub(store.inner.steps));
    }
    outcome?;
    for (r, t) in results.iter().zip(ty.results()) {
        if !store.inner.val_matches(*r, *t) {
            return Err(Trap::Host(format!("host function returned {} where its type says {t}", r.ty())));
        }
    }
    let needed = base + cells_for(ty.results());
    if needed > exec.stack.cells.len() {
        exec.stack.cells.resize(needed, 0);
    }
    write_cells(&results, &mut exec.stack.cells[base..]);
    Ok(())
}

impl StoreInner {
    /// The step count at which execution must stop; without a limit, the
    /// count never gets there. Steps so far are always this minus the fuel.
    pub(crate) fn effective_limit(&self) -> u64 {
        self.step_limit.unwrap_or(u64::MAX)
    }
}

/// Why a call could not enter its callee. Without data, so that no handler
/// keeps it on the stack (which would stop LLVM from making its dispatch a
/// jump).
#[derive(Debug, Clone, Copy)]
enum CallError {
    Exhausted,
    /// The function in [`Executor::untranslatable`] failed to translate.
    Untranslatable,
}

impl CallError {
    #[cold]
    fn into_trap(self, exec: &Executor) -> Trap {
        let store = unsafe { &*exec.store };
        match self {
            CallError::Exhausted => TrapCode::CallStackExhausted.into(),
            CallError::Untranslatable => {
                let (instance, index) = exec.untranslatable;
                let module = &store.instances[instance as usize].module;
                match module.compiled(index) {
                    Err(e) => Trap::Host(e.to_string()),
                    Ok(_) => Trap::Host("function translated concurrently".into()),
                }
            }
        }
    }
}

/// What a call by store index reaches.
enum CallTarget {
    /// (instance, defined function index)
    Wasm(u32, u32),
    Host(u32),
}

/// Steps in a slice of the budget: how long a guest may run before an
/// interrupt is seen (about a millisecond).
const SLICE: u64 = 1 << 20;

/// What [`Executor::refill`] found.
enum Refill {
    /// `fuel` now pays for the block.
    Paid,
    Interrupted,
    /// The whole budget, now in `fuel`, cannot pay for the block.
    Precise,
}

/// A block running in precise mode.
struct Precise {
    /// Op index of the block's first op after its `Charge`.
    start: usize,
    /// The block's cost, which was not charged.
    cost: u64,
    /// Copies of the block's ops up to the stop, then `StepLimit`.
    ops: Ops,
    /// The whole budget when the block started, all of which it uses.
    budget: u64,
}

pub(crate) struct Executor {
    stack: Stack,
    code: *const CompiledFunc,
    base: usize,
    instance: u32,
    /// The running instance's globals (pointers to them) and tables
    /// (store indices): see [`Executor::set_instance`].
    globals: *const *mut crate::store::GlobalEntity,
    tables: *const u32,
    /// The running module's table of translated code (`Callee`).
    callees: *const Callee,
    /// The memory of the instance that memory instructions use: 0 except
    /// between the `UseMemory` ops around an instruction on another.
    memory_index: u32,
    /// The store, while [`Executor::run`] runs.
    store: *mut StoreInner,
    interrupt: *const AtomicBool,
    /// Where to resume, and the steps handlers may use before they look
    /// at `reserve` and the interrupt flag, whenever no handler runs.
    ip: *const Op,
    fuel: u64,
    /// The steps left beyond `fuel`.
    reserve: u64,
    /// Portable dispatch: the rest of the hot state between two ops.
    #[cfg(porta_portable_dispatch)]
    regs: *mut u64,
    #[cfg(porta_portable_dispatch)]
    mem: *mut u8,
    #[cfg(porta_portable_dispatch)]
    len: usize,
    #[cfg(porta_portable_dispatch)]
    acc: u64,
    /// The trap of an [`Exit::Trap`], the (host function, argument slot) of
    /// an [`Exit::Host`].
    trap: Option<Trap>,
    host: (u32, u32),
    /// A handler's trap on its way to [`Exit::Trap`] (a plain code, which
    /// a handler can store without dropping anything).
    trap_code: TrapCode,
    /// (instance, function) of a [`CallError::Untranslatable`].
    untranslatable: (u32, u32),
    /// (instance, function, argument slot) of a call that the handlers'
    /// fast path left to `call_slow`.
    slow_call: (u32, u32, u32),
    precise: Option<Precise>,
    /// Stopped inside a block (at the step limit): the steps of the rest of
    /// the block, which resuming at `ip` pays first, and the accumulator
    /// the op at `ip` may read.
    owed: Option<u64>,
    resume_acc: u64,
    /// The last stop was a host function's trap.
    stopped_in_host: bool,
    /// The engine's call depth and stack size limits.
    max_depth: usize,
    /// Where the fast call path stops pushing frames without a check of
    /// its own: never past the frame stack's capacity or the depth limit.
    /// Null until `push_frame` sets it.
    frame_end: *const Frame,
    max_cells: usize,
}

impl Executor {
    fn new(mut stack: Stack, store: &StoreInner, instance: u32, index: u32, args: &[Val]) -> Result<Self, Error> {
        let module = &store.instances[instance as usize].module;
        let compiled = module.compiled(index)?;
        stack.cells.clear();
        stack.frames.clear();
        let needed = (compiled.frame_size as usize).max(args.len() * 2) + 16;
        stack.cells.resize(needed, 0);
        write_cells(args, &mut stack.cells);
        let exec = Executor {
            stack,
            code: compiled,
            base: 0,
            instance,
            globals: store.instances[instance as usize].global_cells.0.as_ptr(),
            tables: store.instances[instance as usize].tables.as_ptr(),
            callees: store.instances[instance as usize].module.callees(),
            memory_index: 0,
            store: std::ptr::null_mut(),
            interrupt: Arc::as_ptr(&store.interrupt),
            ip: compiled.ops.as_ptr(),
            fuel: 0,
            reserve: 0,
            #[cfg(porta_portable_dispatch)]
            regs: std::ptr::null_mut(),
            #[cfg(porta_portable_dispatch)]
            mem: std::ptr::null_mut(),
            #[cfg(porta_portable_dispatch)]
            len: 0,
            #[cfg(porta_portable_dispatch)]
            acc: 0,
            trap: None,
            host: (0, 0),
            trap_code: TrapCode::Unreachable,
            untranslatable: (0, 0),
            slow_call: (0, 0, 0),
            precise: None,
            owed: None,
            resume_acc: 0,
            stopped_in_host: false,
            max_depth: store.engine.config().max_call_depth,
            frame_end: std::ptr::null(),
            max_cells: store.engine.config().max_stack_cells,
        };
        Ok(exec)
    }

    /// Runs from `self.ip` until the entry function returns, a host
    /// function is called, or a trap.
    fn run(&mut self, store: &mut StoreInner) -> Exit {
        self.store = store;
        // The flag lives in its own `Arc` allocation, which the store keeps
        // alive and does not replace during a call.
        self.interrupt = Arc::as_ptr(&store.interrupt);
        if let Some(cost) = self.owed.take() {
            if let Some(exit) = self.pay_owed(cost) {
                return exit;
            }
        }
        let (mem, len) = self.memory();
        let (ip, regs, fuel, acc) = (self.ip, self.regs(), self.fuel, self.resume_acc);
        // SAFETY: `ip` points into the code of the current function (kept
        // alive by its instance), and `regs` at its frame. The accumulator
        // matters only where a block resumes after the step limit.
        let exit = unsafe { ((*ip).h)(ip, regs, fuel, acc, len, mem, ExecRef::new(self)) };
        #[cfg(porta_portable_dispatch)]
        let exit = {
            let mut exit = exit;
            while exit == Exit::Continue {
                let (ip, regs, fuel, mem, len, acc) = (self.ip, self.regs, self.fuel, self.mem, self.len, self.acc);
                #[cfg(porta_op_pairs)]
                op_pairs::note(unsafe { (*ip).h });
                exit = unsafe { ((*ip).h)(ip, regs, fuel, acc, len, mem, ExecRef::new(self)) };
            }
            exit
        };
        #[cfg(porta_op_pairs)]
        op_pairs::write(exit != Exit::Host);
        exit
    }

    /// Steps left before the limit.
    fn budget(&self) -> u64 {
        self.fuel + self.reserve
    }

    /// Hands out the budget in slices: running out of a slice is when the
    /// interrupt flag is read, so the hot path never reads it. A pending
    /// interrupt empties the slice, so the next block sees it: a guest that
    /// calls the host more often than a slice lasts would never run one out.
    fn set_budget(&mut self, steps: u64) {
        let pending = unsafe { (*self.interrupt).load(Ordering::Relaxed) };
        self.fuel = if pending { 0 } else { steps.min(SLICE) };
        self.reserve = steps - self.fuel;
    }

    /// A block costs more than the `fuel` left in the slice: take the next
    /// slice, unless an interrupt is pending or the budget cannot pay.
    #[cold]
    #[inline(never)]
    fn refill(&mut self, fuel: u64, cost: u64) -> Refill {
        if unsafe { (*self.interrupt).load(Ordering::Relaxed) } {
            return Refill::Interrupted;
        }
        let steps = fuel + self.reserve;
        self.fuel = steps.min(SLICE.max(cost));
        self.reserve = steps - self.fuel;
        if self.fuel >= cost { Refill::Paid } else { Refill::Precise }
    }

    /// Cell 0 of the current frame.
    #[inline(always)]
    fn regs(&mut self) -> *mut u64 {
        // The frame's cells were allocated when it was entered.
        unsafe { self.stack.cells.as_mut_ptr().add(self.base) }
    }

    /// The memory in use of the current instance: base and length.
    fn memory(&self) -> (*mut u8, usize) {
        let store = unsafe { &mut *self.store };
        match store.instances[self.instance as usize].memories.get(self.memory_index as usize) {
            Some(&m) => {
                let data = &mut store.memories[m as usize].data;
                (data.as_mut_ptr(), data.len())
            }
            None => (std::ptr::NonNull::dangling().as_ptr(), 0),
        }
    }

    /// The op index of `ip` in the current function.
    fn pc_of(&self, ip: *const Op) -> usize {
        let (origin, start) = match &self.precise {
            Some(p) => (p.ops.as_ptr(), p.start),
            None => (unsafe { (*self.code).ops.as_ptr() }, 0),
        };
        start + (ip as usize - origin as usize) / std::mem::size_of::<Op>()
    }

    /// Steps of the current block that were charged but did not run when op
    /// `pc` trapped.
    fn refund(&self, pc: usize) -> u64 {
        let f = unsafe { &*self.code };
        let mut steps = f.costs[pc].post as u64;
        for i in pc + 1..f.ops.len() {
            if f.is_charge(i) {
                break;
            }
            steps += f.costs[i].pre as u64 + f.costs[i].post as u64;
        }
        steps
    }

    /// Settles the step count for a trap at op `pc`: give back the steps of
    /// its block that were charged but did not run.
    fn trapped(&mut self, trap: Trap, pc: usize) -> Trap {
        let refund = self.refund(pc);
        match &self.precise {
            // The block was not charged: the budget was `fuel`.
            Some(p) => self.fuel -= p.cost - refund,
            None => self.fuel += refund,
        }
        trap
    }

    /// A host function asked to stop before it runs: go back to its call
    /// op `pc`, owing what of the block is left from it, so a resume runs
    /// the call as if it had never been reached. (A call ends its block and
    /// reads its arguments from the frame, not the accumulator.)
    #[cold]
    fn before_host_call(&mut self, pc: usize) -> Trap {
        let rest = self.rest_of_block(pc);
        self.fuel += rest;
        self.owed = Some(rest);
        self.resume_acc = 0;
        self.ip = unsafe { (*self.code).ops.as_ptr().add(pc) };
        TrapCode::HostPause.into()
    }

    /// Starts precise mode for the block whose `Charge` is at `ip`, which
    /// costs more than the `fuel` left: returns where to go on.
    #[cold]
    #[inline(never)]
    fn enter_precise(&mut self, ip: *const Op, fuel: u64, cost: u64) -> *const Op {
        let charge_pc = self.pc_of(ip);
        let c = unsafe { (*self.code).costs[charge_pc] };
        self.precise_from(charge_pc + 1, (c.pre + c.post) as i64, fuel, cost)
    }

    /// Precise mode from op `start` of a block, for `cost` steps of which
    /// `used` (negative: a credit) are not in the ops from `start` on: those
    /// of ops before `start` that ran uncounted, less those counted for the
    /// op at `start` that did not run yet.
    fn precise_from(&mut self, start: usize, mut used: i64, fuel: u64, cost: u64) -> *const Op {
        let f = unsafe { &*self.code };
        let fuel = fuel as i64;
        // Find the op at which the budget runs out.
        let mut stop = f.ops.len();
        for i in start..f.ops.len() {
            let c = f.costs[i];
            if used + c.pre as i64 > fuel {
                stop = i;
                break;
            }
            used += c.pre as i64;
            if used + c.post as i64 > fuel {
                stop = i + 1;
                break;
            }
            used += c.post as i64;
        }
        // Only the block's ops before its closing branch or call can run
        // here (the block costs more than the budget), so the copy needs no
        // branch targets.
        // A fused op runs only its own part here: the branch after it is
        // at or past the stop.
        let mut ops = OpsBuilder::default();
        for pc in start..stop.max(start) {
            let (mut op, wide) = f.ops.linked(pc);
            op.h = handlers::unfuse(op.h);
            ops.push((op, wide));
        }
        ops.push((Op::new(handlers::StepLimit, [0; 4]), None));
        let ops = ops.finish();
        let first = ops.as_ptr();
        self.precise = Some(Precise { start, cost, ops, budget: fuel as u64 });
        first
    }

    /// Resumes inside a block: pays the `cost` of its rest, or runs that
    /// rest in precise mode. Returns the exit when it cannot start.
    #[cold]
    #[inline(never)]
    fn pay_owed(&mut self, cost: u64) -> Option<Exit> {
        let fuel = self.fuel;
        if fuel >= cost {
            self.fuel -= cost;
            return None;
        }
        match self.refill(fuel, cost) {
            Refill::Paid => self.fuel -= cost,
            Refill::Interrupted => {
                self.owed = Some(cost);
                self.trap = Some(TrapCode::Interrupted.into());
                return Some(Exit::Trap);
            }
            Refill::Precise => {
                let pc = self.pc_of(self.ip);
                let rest = self.rest_of_block(pc);
                self.ip = self.precise_from(pc, cost as i64 - rest as i64, self.fuel, cost);
            }
        }
        None
    }

    /// The steps of the ops from `pc` to the end of its block.
    fn rest_of_block(&self, pc: usize) -> u64 {
        let f = unsafe { &*self.code };
        if f.is_charge(pc) {
            return 0;
        }
        f.costs[pc].pre as u64 + self.refund(pc)
    }

    /// The code of the WebAssembly function `index` of the module of
    /// `instance`, translated now if it was not yet.
    #[inline(always)]
    fn callee(&mut self, instance: u32, index: u32) -> Result<*const CompiledFunc, CallError> {
        let store = unsafe { &*self.store };
        match store.instances[instance as usize].module.compiled_for_call(index) {
            Some(callee) => Ok(callee),
            None => {
                self.untranslatable = (instance, index);
                Err(CallError::Untranslatable)
            }
        }
    }

    /// Enters the WebAssembly function `index` of the module of `instance`
    /// with arguments at slot `args` of the current frame, for the call op
    /// at `call`.
    #[inline(always)]
    fn push_frame(&mut self, call: *const Op, instance: u32, index: u32, args: u32) -> Result<(), CallError> {
        let callee = self.callee(instance, index)?;
        if self.stack.frames.len() >= self.max_depth {
            return Err(CallError::Exhausted);
        }
        let new_base = self.base + args as usize;
        let frame_size = unsafe { (*callee).frame_size } as usize;
        let needed = new_base + frame_size;
        if needed > self.stack.cells.len() && !self.grow_cells(needed) {
            return Err(CallError::Exhausted);
        }
        self.stack.frames.push(Frame { call, func: self.code, base: self.base, instance: self.instance });
        self.frame_end = self.stack.frames.end(self.max_depth);
        self.code = callee;
        self.base = new_base;
        self.set_instance(instance);
        Ok(())
    }

    /// The fast path of a direct call (`func` in the running instance) for
    /// the call op `call`: when the callee is translated and both stacks
    /// have room, pushes its frame and returns its cells, where it starts
    /// and its entry block's cost, with no call out and no allocation.
    /// Otherwise changes nothing, for `push_frame`.
    #[inline(always)]
    fn direct_call(&mut self, call: *const Op, func: u32, args: u32) -> Option<(*mut u64, *const Op, u32)> {
        // SAFETY: translation checked `func` against the module's functions.
        let entry = unsafe { &*self.callees.add(func as usize) };
        let callee = entry.func()?;
        let base = self.base + args as usize;
        if base + entry.frame_size() as usize > self.stack.cells.len() {
            return None;
        }
        let frame = Frame { call, func: self.code, base: self.base, instance: self.instance };
        if !self.stack.frames.push_within(self.frame_end, frame) {
            return None;
        }
        self.code = callee;
        self.base = base;
        let (start, cost) = entry.entry();
        Some((unsafe { self.stack.cells.as_mut_ptr().add(base) }, start, cost))
    }

    /// A tail call: the WebAssembly function `index` of the module of
    /// `instance` replaces the running one in its frame, with the arguments
    /// at slot `args` moved to the frame's base. The frame stack does not
    /// grow, so neither does the call depth.
    #[inline(always)]
    fn replace_frame(&mut self, instance: u32, index: u32, args: u32) -> Result<(), CallError> {
        let callee = self.callee(instance, index)?;
        let (params, frame_size) = unsafe { ((*callee).num_params as usize, (*callee).frame_size as usize) };
        let from = self.base + args as usize;
        let needed = (self.base + frame_size).max(from + params);
        if needed > self.stack.cells.len() && !self.grow_cells(needed) {
            return Err(CallError::Exhausted);
        }
        self.stack.cells.copy_within(from..from + params, self.base);
        self.code = callee;
        self.set_instance(instance);
        Ok(())
    }

    /// Makes `instance` the running one.
    fn set_instance(&mut self, instance: u32) {
        self.instance = instance;
        // Instances live as long as their store and their lists of globals
        // and tables never change, so the pointers stay valid while this
        // executor does.
        let store = unsafe { &*self.store };
        self.globals = store.instances[instance as usize].global_cells.0.as_ptr();
        self.tables = store.instances[instance as usize].tables.as_ptr();
        self.callees = store.instances[instance as usize].module.callees();
    }

    /// Global `index` of the running instance.
    #[inline(always)]
    fn global<'a>(&self, index: u32) -> &'a mut crate::store::GlobalEntity {
        // SAFETY: translation checked `index` against the module's globals,
        // one per entry of the instance's map, whose entries point to
        // globals (which live as long as the store).
        unsafe { &mut **self.globals.add(index as usize) }
    }

    /// Table `index` of the running instance.
    #[inline(always)]
    fn table<'a>(&self, index: u32) -> &'a crate::store::TableEntity {
        // SAFETY: as for `global`: translation checked the index, and the
        // map holds store indices of tables.
        unsafe {
            let t = *self.tables.add(index as usize) as usize;
            &*(*self.store).tables.as_ptr().add(t)
        }
    }

    /// Makes room for `needed` cells, unless that exceeds the limit.
    #[cold]
    fn grow_cells(&mut self, needed: usize) -> bool {
        if needed > self.max_cells {
            return false;
        }
        let new_len = (needed * 2).clamp(1024, self.max_cells.max(needed));
        self.stack.cells.resize(new_len, 0);
        true
    }

    #[inline(always)]
    fn call_target(&self, func: u32) -> CallTarget {
        match unsafe { &*self.store }.funcs[func as usize] {
            FuncEntity::Wasm { instance, index, .. } => CallTarget::Wasm(instance, index),
            FuncEntity::Host { host, .. } => CallTarget::Host(host),
        }
    }
}
