//! Calls that stop at a step boundary and go on later: at the step limit or
//! an interrupt, a resumable call hands back its executor ([`Paused`])
//! instead of a trap, and [`Paused::resume`] runs it on with the store's
//! new budget. The count is the same as one uninterrupted call's: the
//! executor keeps, with where it stopped, what of its block it still owes.
//!
//! [`ExecState`] is the executor as plain data (function indices and op
//! positions instead of code addresses), which snapshots write and read.

use super::{drive, CompiledFunc, Executor, Frame, Precise, Stack};
use crate::error::Error;
use crate::store::Store;
use crate::trap::{Trap, TrapCode};
use crate::types::ValType;
use crate::value::{read_cells, Val};

/// Why a resumable call stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PauseReason {
    /// The store's step limit: exactly that many steps ran.
    StepLimit,
    /// The interrupt flag (a timeout, a signal), at a block boundary.
    Interrupted,
    /// A host function asked to stop before it runs
    /// ([`TrapCode::HostPause`]): the resume calls it.
    HostCall,
}

/// A call stopped at a step boundary. It belongs to the store it ran in.
pub struct Paused {
    pub(crate) exec: Box<Executor>,
    pub(crate) store_id: u64,
    pub(crate) results: Vec<ValType>,
    pub(crate) reason: PauseReason,
}

// SAFETY: as for `Stack`: the executor's pointers point into code owned by
// the instances of its store and into that store, which a resume checks it
// is given; nothing is shared with another thread.
unsafe impl Send for Paused {}

impl std::fmt::Debug for Paused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paused").field("reason", &self.reason).field("depth", &self.exec.stack.frames.len()).finish()
    }
}

/// What a resumable call came to.
#[derive(Debug)]
pub enum Resumable {
    Finished(Vec<Val>),
    Paused(Paused),
}

impl Paused {
    pub fn reason(&self) -> PauseReason {
        self.reason
    }

    /// Runs on from where the call stopped, within the store's step limit
    /// (raise it first, or the call stops again at once).
    pub fn resume<T>(self, store: &mut Store<T>) -> Result<Resumable, Error> {
        if self.store_id != store.inner.id {
            return Err(Error::Usage("a paused call resumes only in the store it ran in".into()));
        }
        run(store, self.exec, self.results)
    }
}

/// Starts the WebAssembly function `instance`/`index` with `args`.
pub(crate) fn start<T>(
    store: &mut Store<T>,
    instance: u32,
    index: u32,
    args: &[Val],
    results: Vec<ValType>,
) -> Result<Resumable, Error> {
    let exec = Executor::new(Stack::default(), &store.inner, instance, index, args)?;
    run(store, Box::new(exec), results)
}

fn run<T>(store: &mut Store<T>, mut exec: Box<Executor>, types: Vec<ValType>) -> Result<Resumable, Error> {
    store.inner.running += 1;
    let outcome = drive(store, &mut exec);
    store.inner.running -= 1;
    let trap = match outcome {
        Ok(()) => {
            let results: Vec<Val> = read_cells(&exec.stack.cells, &types);
            results.iter().for_each(|&v| store.inner.pin(v));
            return Ok(Resumable::Finished(results));
        }
        Err(trap) => trap,
    };
    // Only a stop of the executor itself (not a host call's trap) in the
    // outermost call, whose state is all here, can go on.
    let reason = match trap {
        _ if exec.stopped_in_host || store.inner.running > 0 => None,
        Trap::Code(TrapCode::StepLimitExceeded) => Some(PauseReason::StepLimit),
        Trap::Code(TrapCode::Interrupted) => Some(PauseReason::Interrupted),
        Trap::Code(TrapCode::HostPause) => Some(PauseReason::HostCall),
        _ => None,
    };
    match reason {
        Some(reason) => {
            exec.settle_pause();
            Ok(Resumable::Paused(Paused { exec, store_id: store.inner.id, results: types, reason }))
        }
        None => Err(Error::Trap(trap)),
    }
}

/// A suspended caller, as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FrameState {
    pub instance: u32,
    /// Defined-function index in its module.
    pub func: u32,
    /// Op where it resumes, and the cost of the block starting there.
    pub ret: u32,
    pub cost: u32,
    pub base: u64,
}

/// A paused executor, as data: what a snapshot holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExecState {
    pub reason: PauseReason,
    pub results: Vec<ValType>,
    /// The running function and the op it goes on at.
    pub instance: u32,
    pub func: u32,
    pub pc: u32,
    pub owed: Option<u64>,
    pub acc: u64,
    pub memory_index: u32,
    pub base: u64,
    /// Callers, outermost first.
    pub frames: Vec<FrameState>,
    /// The value stack up to the end of the running frame.
    pub cells: Vec<u64>,
}

impl Paused {
    pub(crate) fn state<T>(&self, store: &Store<T>) -> ExecState {
        let e = &self.exec;
        let index = |instance: u32, f: *const CompiledFunc| {
            store.inner.instances[instance as usize].module.index_of(f).expect("a running function was translated")
        };
        let pc_in = |f: *const CompiledFunc, ip: *const super::Op| unsafe {
            ((ip as usize - (*f).ops.as_ptr() as usize) / std::mem::size_of::<super::Op>()) as u32
        };
        let frames = e
            .stack
            .frames
            .as_slice()
            .iter()
            .map(|fr| {
                let (ret, cost) = fr.resume();
                FrameState { instance: fr.instance, func: index(fr.instance, fr.func), ret: pc_in(fr.func, ret), cost, base: fr.base as u64 }
            })
            .collect();
        // A caller's frame may reach past its callee's.
        let end = |base: usize, f: *const CompiledFunc| base + unsafe { (*f).frame_size } as usize;
        let frame_end = e.stack.frames.as_slice().iter().map(|fr| end(fr.base, fr.func)).fold(end(e.base, e.code), usize::max);
        ExecState {
            reason: self.reason,
            results: self.results.clone(),
            instance: e.instance,
            func: index(e.instance, e.code),
            pc: pc_in(e.code, e.ip),
            owed: e.owed,
            acc: e.resume_acc,
            memory_index: e.memory_index,
            base: e.base as u64,
            frames,
            cells: e.stack.cells[..frame_end.min(e.stack.cells.len())].to_vec(),
        }
    }

    /// Rebuilds a paused call from `state` in `store`, which holds the
    /// instances it names. Every index and position is checked: the state
    /// may come from a hostile file.
    pub(crate) fn from_state<T>(store: &Store<T>, s: ExecState) -> Result<Paused, String> {
        const NO_CALL: &str = "returns to a place no call precedes";
        let code = |instance: u32, func: u32| -> Result<&CompiledFunc, String> {
            let inst = store.inner.instances.get(instance as usize).ok_or("names an instance the store lacks")?;
            if func as usize >= inst.module.num_defined_funcs() {
                return Err("names a function the module lacks".into());
            }
            inst.module.compiled(func).map_err(|e| e.to_string())
        };
        let op = |f: &CompiledFunc, pc: u32| -> Result<*const super::Op, String> {
            if (pc as usize) < f.ops.len() {
                Ok(unsafe { f.ops.as_ptr().add(pc as usize) })
            } else {
                Err("resumes past the end of a function".into())
            }
        };
        // A return that cannot pay its block goes to the `Charge` before.
        let landing = |f: &CompiledFunc, pc: u32, cost: u32| match cost {
            0 => Ok(()),
            _ if pc > 0 && f.is_charge(pc as usize - 1) && f.ops[pc as usize - 1].cost() == cost => Ok(()),
            _ => Err("returns to a block with another cost".to_string()),
        };
        let config = store.inner.engine.config();
        if s.frames.len() > config.max_call_depth {
            return Err("holds more frames than the engine's call depth".into());
        }
        let mut frames = Vec::with_capacity(s.frames.len());
        let (mut floor, mut frame_end) = (0u64, 0u64);
        for fr in &s.frames {
            let f = code(fr.instance, fr.func)?;
            if fr.base < floor {
                return Err("has frames out of order".into());
            }
            floor = fr.base;
            frame_end = frame_end.max(fr.base.saturating_add(f.frame_size as u64));
            landing(f, fr.ret, fr.cost)?;
            // The return reads where to go on from the call op before
            // (and its block's `Charge`), which must say just this.
            let call = (fr.ret as usize).checked_sub(1 + (fr.cost != 0) as usize).ok_or(NO_CALL)?;
            let frame = Frame { call: op(f, call as u32)?, func: f, base: fr.base as usize, instance: fr.instance };
            if frame.resume() != (op(f, fr.ret)?, fr.cost) {
                return Err(NO_CALL.into());
            }
            frames.push(frame);
        }
        let f = code(s.instance, s.func)?;
        frame_end = frame_end.max(s.base.saturating_add(f.frame_size as u64));
        // Every frame's cells are there, and nothing more: each op then
        // stays inside the stack, whatever the cells hold.
        if s.base < floor || s.cells.len() > config.max_stack_cells || frame_end != s.cells.len() as u64 {
            return Err("has a value stack that does not fit its frames".into());
        }
        let instance = &store.inner.instances[s.instance as usize];
        // What a paused block still owes is at most a block's cost, which
        // is 32 bits: more would overflow precise mode's signed step
        // arithmetic and let it run past the block's closing branch.
        if s.owed.is_some_and(|owed| owed > u32::MAX as u64) {
            return Err("owes more steps than a block can cost".into());
        }
        if s.memory_index != 0 && s.memory_index as usize >= instance.memories.len() {
            return Err("names a memory the instance lacks".into());
        }
        let mut exec = Executor::new(Stack::default(), &store.inner, s.instance, s.func, &[]).map_err(|e| e.to_string())?;
        exec.stack.cells = s.cells;
        exec.stack.cells.resize(exec.stack.cells.len() + 16, 0);
        exec.stack.frames = frames.into();
        exec.code = f;
        exec.ip = op(f, s.pc)?;
        exec.base = s.base as usize;
        exec.owed = s.owed;
        exec.resume_acc = s.acc;
        exec.memory_index = s.memory_index;
        Ok(Paused { exec: Box::new(exec), store_id: store.inner.id, results: s.results, reason: s.reason })
    }
}

impl Executor {
    /// Makes the state at a stop one a resume can run on from: a block
    /// stopped in precise mode goes on at the same op of its own code, and
    /// owes the steps of its rest that the budget did not pay.
    pub(super) fn settle_pause(&mut self) {
        if let Some(Precise { cost, budget, .. }) = self.precise {
            let pc = self.pc_of(self.ip);
            self.owed = Some(cost - budget);
            self.ip = unsafe { (*self.code).ops.as_ptr().add(pc) };
            self.precise = None;
        }
    }
}
