//! The executor: runs translated code over a value stack of 64-bit cells.
//!
//! Calls never recurse on the native stack: a call pushes a [`Frame`] and
//! switches code, so deep WebAssembly recursion ends in "call stack
//! exhausted", never in a host stack overflow. The hot state (code, pc, frame
//! base, step budget, memory) lives in locals of [`Executor::execute`].
//!
//! Step accounting: each basic block starts with `Charge(cost)`. When the
//! budget cannot pay a whole block, the same loop is re-entered in precise
//! mode, which stops at the exact instruction where the budget runs out. A
//! trap refunds the charged steps of the block that did not run.

mod numeric;

use crate::error::Error;
use crate::func::Caller;
use crate::store::{FuncEntity, Store, StoreInner, PAGE_SIZE};
use crate::types::ValType;
use crate::translate::{CompiledFunc, Instr};
use crate::trap::{Trap, TrapCode};
use crate::value::Val;
use numeric::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Cells and frames, kept in the store between calls to reuse allocations.
#[derive(Default)]
pub(crate) struct Stack {
    cells: Vec<u64>,
    frames: Vec<Frame>,
}

// SAFETY: the raw pointers in frames point into translated code owned (via
// `Arc`) by the instances of the same store, and frames only exist during a
// call, which holds the store mutably; moving the store to another thread
// moves them together.
unsafe impl Send for Stack {}

/// A suspended caller.
#[derive(Clone, Copy)]
struct Frame {
    func: *const CompiledFunc,
    pc: usize,
    base: usize,
    instance: u32,
}

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
    let outcome = drive(store, &mut exec);
    for (i, (r, ty)) in results.iter_mut().zip(result_types).enumerate() {
        *r = Val::from_cell(exec.stack.cells[i], *ty);
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
    exec.fuel = store.inner.effective_limit().saturating_sub(store.inner.steps);
    let outcome = loop {
        match exec.run_fast(&mut store.inner) {
            Ok(Exit::Done) => break Ok(()),
            Ok(Exit::Host { host, args }) => {
                if let Err(trap) = call_host(store, exec, host, args) {
                    break Err(exec.trapped(trap, false));
                }
            }
            Ok(Exit::Precise) => match exec.run_precise(&mut store.inner) {
                Err(trap) => break Err(trap),
                Ok(_) => unreachable!("precise mode ends in the step limit or a trap"),
            },
            Err(trap) => break Err(trap),
        }
    };
    if counting {
        store.inner.steps = store.inner.effective_limit() - exec.fuel;
    }
    outcome
}

fn call_host<T>(store: &mut Store<T>, exec: &mut Executor, host: u32, args: u32) -> Result<(), Trap> {
    let func = store.hosts[host as usize].clone();
    let base = exec.base + args as usize;
    let ty = &func.ty;
    let params: Vec<Val> =
        ty.params().iter().enumerate().map(|(i, t)| Val::from_cell(exec.stack.cells[base + i], *t)).collect();
    let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
    // The host may run more WebAssembly: bring the store's count up to date
    // first, and take the budget back from it afterwards.
    let counting = store.inner.engine.config().count_steps;
    if counting {
        store.inner.steps = store.inner.effective_limit() - exec.fuel;
    }
    let instance = Some(crate::instance::Instance(exec.instance));
    let outcome = (func.callback)(Caller::new(store, instance), &params, &mut results);
    if counting {
        exec.fuel = store.inner.effective_limit().saturating_sub(store.inner.steps);
    }
    outcome?;
    let needed = base + results.len();
    if needed > exec.stack.cells.len() {
        exec.stack.cells.resize(needed, 0);
    }
    for (i, (r, t)) in results.iter().zip(ty.results()).enumerate() {
        if r.ty() != *t {
            return Err(Trap::Host(format!("host function returned {} where its type says {t}", r.ty())));
        }
        exec.stack.cells[base + i] = r.to_cell();
    }
    Ok(())
}

impl StoreInner {
    /// The step count at which execution must stop; without a limit, the
    /// count never gets there. Steps so far are always this minus the fuel.
    pub(crate) fn effective_limit(&self) -> u64 {
        self.step_limit.unwrap_or(u64::MAX)
    }
}

/// Linear memory 0 of the current instance as raw parts, so the hot loop
/// does not borrow the store. Refreshed whenever it may have changed: on
/// instance switches, after host calls and after `memory.grow`.
#[derive(Clone, Copy)]
struct MemCache {
    ptr: *mut u8,
    len: usize,
}

struct Executor {
    stack: Stack,
    code: *const CompiledFunc,
    pc: usize,
    base: usize,
    instance: u32,
    /// Steps left before the limit.
    fuel: u64,
    /// In precise mode: the instruction at which the step budget ran out.
    stop_pc: usize,
    /// In precise mode: the cost of the block that could not be paid.
    block_cost: u64,
    /// The engine's call depth and stack size limits.
    max_depth: usize,
    max_cells: usize,
}

/// Why a call could not enter its callee; small, so the call path returns
/// it in registers.
#[derive(Debug, Clone, Copy)]
enum CallError {
    Exhausted,
    /// (instance, function) failed to translate.
    Untranslatable(u32, u32),
}

impl CallError {
    #[cold]
    fn into_trap(self, store: &StoreInner) -> Trap {
        match self {
            CallError::Exhausted => TrapCode::CallStackExhausted.into(),
            CallError::Untranslatable(instance, index) => {
                let module = &store.instances[instance as usize].module;
                match module.compiled(index) {
                    Err(e) => Trap::Host(e.to_string()),
                    Ok(_) => Trap::Host("function translated concurrently".into()),
                }
            }
        }
    }
}

/// Why the hot loop handed control back to [`drive`].
enum Exit {
    Done,
    /// Call host function `host` with arguments at slot `args`.
    Host { host: u32, args: u32 },
    /// The current block cannot be paid in full: finish it in precise mode.
    Precise,
}

impl Executor {
    fn new(mut stack: Stack, store: &StoreInner, instance: u32, index: u32, args: &[Val]) -> Result<Self, Error> {
        let module = &store.instances[instance as usize].module;
        let compiled = module.compiled(index)?;
        stack.cells.clear();
        stack.frames.clear();
        let needed = (compiled.frame_size as usize).max(args.len()) + 16;
        stack.cells.resize(needed, 0);
        for (cell, arg) in stack.cells.iter_mut().zip(args) {
            *cell = arg.to_cell();
        }
        let mut exec = Executor {
            stack,
            code: compiled,
            pc: 0,
            base: 0,
            instance,
            fuel: 0,
            stop_pc: usize::MAX,
            block_cost: 0,
            max_depth: store.engine.config().max_call_depth,
            max_cells: store.engine.config().max_stack_cells,
        };
        exec.zero_locals();
        Ok(exec)
    }

    /// Zeroes the declared (non-parameter) locals of the current frame.
    #[inline]
    fn zero_locals(&mut self) {
        let f = unsafe { &*self.code };
        if f.num_locals > f.num_params {
            let start = self.base + f.num_params as usize;
            let end = self.base + f.num_locals as usize;
            self.stack.cells[start..end].fill(0);
        }
    }

    fn mem_cache(&self, store: &mut StoreInner) -> MemCache {
        match store.instances[self.instance as usize].memories.first() {
            Some(&m) => {
                let data = &mut store.memories[m as usize].data;
                MemCache { ptr: data.as_mut_ptr(), len: data.len() }
            }
            None => MemCache { ptr: std::ptr::NonNull::dangling().as_ptr(), len: 0 },
        }
    }

    /// Steps of the current block that were charged but did not run when the
    /// instruction at `pc` trapped.
    fn refund(&self, pc: usize) -> u64 {
        let f = unsafe { &*self.code };
        let mut steps = f.costs[pc].post as u64;
        for i in pc + 1..f.code.len() {
            if matches!(f.code[i], Instr::Charge { .. }) {
                break;
            }
            steps += f.costs[i].pre as u64 + f.costs[i].post as u64;
        }
        steps
    }

    /// Settles the step count for a trap in the instruction before `self.pc`:
    /// give back the steps of its block that were charged but did not run.
    fn trapped(&mut self, trap: Trap, precise: bool) -> Trap {
        let refund = self.refund(self.pc - 1);
        if precise {
            // The block was not charged: the budget was `fuel`.
            self.fuel -= self.block_cost - refund;
        } else {
            self.fuel += refund;
        }
        trap
    }

    /// Finds where a budget of `fuel` steps runs out inside the block whose
    /// `Charge` is at `charge_pc`.
    fn precise_stop(&self, charge_pc: usize, fuel: u64) -> usize {
        let f = unsafe { &*self.code };
        let mut used = 0u64;
        for i in charge_pc..f.code.len() {
            let c = f.costs[i];
            if used + c.pre as u64 > fuel {
                return i;
            }
            used += c.pre as u64;
            if used + c.post as u64 > fuel {
                return i + 1;
            }
            used += c.post as u64;
        }
        f.code.len()
    }

    /// Enters the WebAssembly function `index` of the module of `instance`
    /// with arguments at slot `args` of the current frame.
    #[inline(always)]
    fn push_frame(&mut self, store: &StoreInner, instance: u32, index: u32, args: u32) -> Result<(), CallError> {
        let module = &store.instances[instance as usize].module;
        let callee: *const CompiledFunc = match module.compiled(index) {
            Ok(c) => c,
            Err(_) => return Err(CallError::Untranslatable(instance, index)),
        };
        if self.stack.frames.len() >= self.max_depth {
            return Err(CallError::Exhausted);
        }
        let new_base = self.base + args as usize;
        let frame_size = unsafe { (*callee).frame_size } as usize;
        let needed = new_base + frame_size;
        if needed > self.stack.cells.len() {
            self.grow_cells(needed)?;
        }
        self.stack.frames.push(Frame { func: self.code, pc: self.pc, base: self.base, instance: self.instance });
        self.code = callee;
        self.pc = 0;
        self.base = new_base;
        self.instance = instance;
        self.zero_locals();
        Ok(())
    }

    #[cold]
    fn grow_cells(&mut self, needed: usize) -> Result<(), CallError> {
        if needed > self.max_cells {
            return Err(CallError::Exhausted);
        }
        let new_len = (needed * 2).clamp(1024, self.max_cells.max(needed));
        self.stack.cells.resize(new_len, 0);
        Ok(())
    }

    /// Calls a function by store index; `args` is the slot of its first
    /// argument, where its results go too. A host function is handed back
    /// to the driver.
    fn call_func(&mut self, store: &StoreInner, func: u32, args: u32) -> Result<Option<Exit>, CallError> {
        match store.funcs[func as usize] {
            FuncEntity::Wasm { instance, index, .. } => {
                self.push_frame(store, instance, index, args)?;
                Ok(None)
            }
            FuncEntity::Host { host, .. } => Ok(Some(Exit::Host { host, args })),
        }
    }

    /// Leaves the current frame. Returns `true` when it was the entry frame.
    #[inline]
    fn pop_frame(&mut self) -> bool {
        match self.stack.frames.pop() {
            None => true,
            Some(frame) => {
                self.code = frame.func;
                self.pc = frame.pc;
                self.base = frame.base;
                self.instance = frame.instance;
                false
            }
        }
    }

    // Non-generic entry points, so the loop is compiled here, with this
    // crate's optimisation settings, not in whichever crate calls `drive`.
    #[inline(never)]
    fn run_fast(&mut self, store: &mut StoreInner) -> Result<Exit, Trap> {
        self.execute::<false>(store)
    }
    #[inline(never)]
    fn run_precise(&mut self, store: &mut StoreInner) -> Result<Exit, Trap> {
        self.execute::<true>(store)
    }

    /// The main loop. `PRECISE` stops at `stop_pc` with the step limit.
    #[inline(never)]
    fn execute<const PRECISE: bool>(&mut self, store: &mut StoreInner) -> Result<Exit, Trap> {
        let mut mem = self.mem_cache(store);
        // The instance `mem` belongs to. Within one instance the loop keeps
        // `mem` current itself (memory.grow updates it), so it is only
        // looked up again when a call or return switches instance.
        let mut mem_instance = self.instance;
        // SAFETY: the flag lives in its own `Arc` allocation, which the
        // store keeps alive and does not replace during a call.
        let interrupt: &AtomicBool = unsafe { &*Arc::as_ptr(&store.interrupt) };
        let mut fuel = self.fuel;
        let mut pc = self.pc;
        let mut code: &[Instr] = unsafe { &(*self.code).code };
        let mut regs: *mut u64 = unsafe { self.stack.cells.as_mut_ptr().add(self.base) };

        // Frame cells. Every slot an instruction names is below the frame's
        // `frame_size` (the translator accounts for each one) and the frame's
        // cells are allocated when it is entered, so the accesses are in
        // bounds.
        macro_rules! r {
            ($s:expr) => {
                unsafe { *regs.add($s as usize) }
            };
        }
        macro_rules! w {
            ($s:expr, $v:expr) => {{
                let v: u64 = $v;
                unsafe { *regs.add($s as usize) = v }
            }};
        }
        // Leave the loop with the hot state written back.
        macro_rules! save {
            () => {{
                self.pc = pc;
                self.fuel = fuel;
            }};
        }
        // Control arrives at `pc` by a branch, call or return: if a block
        // starts there, pay for it here instead of dispatching its `Charge`.
        // When it cannot be paid (or an interrupt is pending), `pc` stays on
        // the `Charge`, whose dispatch takes the slow path.
        macro_rules! land {
            () => {{
                if !PRECISE {
                    if let Instr::Charge { cost } = unsafe { *code.get_unchecked(pc) } {
                        let cost = cost as u64;
                        if fuel >= cost && !interrupt.load(Ordering::Relaxed) {
                            fuel -= cost;
                            pc += 1;
                        }
                    }
                }
            }};
        }
        // A fused compare-and-branch on two u32 operands.
        macro_rules! br_cmp {
            ($x:expr, $y:expr, $target:expr, $cmp:expr) => {{
                if $cmp($x, $y) {
                    pc = $target as usize;
                }
                land!();
            }};
        }
        // After anything that may switch frames or move the cells.
        macro_rules! reload {
            () => {{
                pc = self.pc;
                code = unsafe { &(*self.code).code };
                regs = unsafe { self.stack.cells.as_mut_ptr().add(self.base) };
                if self.instance != mem_instance {
                    mem = self.mem_cache(store);
                    mem_instance = self.instance;
                }
                land!();
            }};
        }
        macro_rules! trap {
            ($e:expr) => {{
                let trap: Trap = $e.into();
                save!();
                return Err(self.trapped(trap, PRECISE));
            }};
        }
        macro_rules! mem_slice {
            () => {
                unsafe { std::slice::from_raw_parts_mut(mem.ptr, mem.len) }
            };
        }
        macro_rules! load {
            ($dst:expr, $addr:expr, $offset:expr, $n:literal, $conv:expr) => {{
                let ea = r!($addr) as u32 as usize + $offset as usize;
                match mem_slice!().get(ea..ea + $n) {
                    Some(b) => {
                        let bytes: [u8; $n] = b.try_into().unwrap();
                        w!($dst, $conv(bytes))
                    }
                    None => trap!(TrapCode::MemoryOutOfBounds),
                }
            }};
        }
        macro_rules! store {
            ($addr:expr, $value:expr, $offset:expr, $t:ty) => {
                store_imm!($addr, r!($value), $offset, $t)
            };
        }
        // A store of an already computed value (a cell or an immediate).
        macro_rules! store_imm {
            ($addr:expr, $value:expr, $offset:expr, $t:ty) => {{
                let ea = r!($addr) as u32 as usize + $offset as usize;
                let bytes = ($value as $t).to_le_bytes();
                match mem_slice!().get_mut(ea..ea + bytes.len()) {
                    Some(b) => b.copy_from_slice(&bytes),
                    None => trap!(TrapCode::MemoryOutOfBounds),
                }
            }};
        }
        macro_rules! i32op {
            ($dst:expr, $a:expr, $b:expr, |$x:ident, $y:ident| $e:expr) => {{
                let $x = r!($a) as u32;
                let $y = r!($b) as u32;
                w!($dst, ($e) as u32 as u64)
            }};
        }
        macro_rules! i64op {
            ($dst:expr, $a:expr, $b:expr, |$x:ident, $y:ident| $e:expr) => {{
                let $x = r!($a);
                let $y = r!($b);
                w!($dst, ($e) as u64)
            }};
        }
        macro_rules! f32op {
            ($dst:expr, $a:expr, $b:expr, |$x:ident, $y:ident| $e:expr) => {{
                let $x = f32::from_bits(r!($a) as u32);
                let $y = f32::from_bits(r!($b) as u32);
                w!($dst, ($e).to_bits() as u64)
            }};
        }
        macro_rules! f64op {
            ($dst:expr, $a:expr, $b:expr, |$x:ident, $y:ident| $e:expr) => {{
                let $x = f64::from_bits(r!($a));
                let $y = f64::from_bits(r!($b));
                w!($dst, ($e).to_bits())
            }};
        }
        macro_rules! f32cmp {
            ($dst:expr, $a:expr, $b:expr, $op:tt) => {{
                let x = f32::from_bits(r!($a) as u32);
                let y = f32::from_bits(r!($b) as u32);
                w!($dst, (x $op y) as u64)
            }};
        }
        macro_rules! f64cmp {
            ($dst:expr, $a:expr, $b:expr, $op:tt) => {{
                let x = f64::from_bits(r!($a));
                let y = f64::from_bits(r!($b));
                w!($dst, (x $op y) as u64)
            }};
        }
        macro_rules! f32un {
            ($dst:expr, $src:expr, |$x:ident| $e:expr) => {{
                let $x = f32::from_bits(r!($src) as u32);
                w!($dst, ($e).to_bits() as u64)
            }};
        }
        macro_rules! f64un {
            ($dst:expr, $src:expr, |$x:ident| $e:expr) => {{
                let $x = f64::from_bits(r!($src));
                w!($dst, ($e).to_bits())
            }};
        }
        macro_rules! checked {
            ($dst:expr, $v:expr, $conv:ty) => {{
                match $v {
                    Ok(v) => w!($dst, v as $conv as u64),
                    Err(code) => trap!(code),
                }
            }};
        }

        loop {
            if PRECISE && pc == self.stop_pc {
                save!();
                self.fuel = 0;
                return Err(TrapCode::StepLimitExceeded.into());
            }
            // The translator ends every path with a branch or return, so pc
            // never runs past the code.
            let instr = unsafe { *code.get_unchecked(pc) };
            pc += 1;
            match instr {
                Instr::Charge { cost } => {
                    let cost = cost as u64;
                    if fuel >= cost && !interrupt.load(Ordering::Relaxed) {
                        fuel -= cost;
                    } else {
                        save!();
                        if interrupt.load(Ordering::Relaxed) {
                            return Err(TrapCode::Interrupted.into());
                        }
                        if PRECISE {
                            unreachable!("precise mode runs inside one block");
                        }
                        self.stop_pc = self.precise_stop(pc - 1, fuel);
                        self.block_cost = cost;
                        return Ok(Exit::Precise);
                    }
                }
                Instr::Unreachable {} => trap!(TrapCode::Unreachable),
                Instr::Br { target } => {
                    pc = target as usize;
                    land!();
                }
                Instr::BrIfNez { cond, target } => {
                    if r!(cond) as u32 != 0 {
                        pc = target as usize;
                    }
                    land!();
                }
                Instr::BrIfEqz { cond, target } => {
                    if r!(cond) as u32 == 0 {
                        pc = target as usize;
                    }
                    land!();
                }
                Instr::BrI32Eq { a, b, target } => br_cmp!(r!(a) as u32, r!(b) as u32, target, |x: u32, y: u32| x == y),
                Instr::BrI32Ne { a, b, target } => br_cmp!(r!(a) as u32, r!(b) as u32, target, |x: u32, y: u32| x != y),
                Instr::BrI32LtS { a, b, target } => br_cmp!(r!(a) as u32, r!(b) as u32, target, |x: u32, y: u32| (x as i32) < (y as i32)),
                Instr::BrI32LtU { a, b, target } => br_cmp!(r!(a) as u32, r!(b) as u32, target, |x: u32, y: u32| x < y),
                Instr::BrI32GtS { a, b, target } => br_cmp!(r!(a) as u32, r!(b) as u32, target, |x: u32, y: u32| (x as i32) > (y as i32)),
                Instr::BrI32GtU { a, b, target } => br_cmp!(r!(a) as u32, r!(b) as u32, target, |x: u32, y: u32| x > y),
                Instr::BrI32LeS { a, b, target } => br_cmp!(r!(a) as u32, r!(b) as u32, target, |x: u32, y: u32| (x as i32) <= (y as i32)),
                Instr::BrI32LeU { a, b, target } => br_cmp!(r!(a) as u32, r!(b) as u32, target, |x: u32, y: u32| x <= y),
                Instr::BrI32GeS { a, b, target } => br_cmp!(r!(a) as u32, r!(b) as u32, target, |x: u32, y: u32| (x as i32) >= (y as i32)),
                Instr::BrI32GeU { a, b, target } => br_cmp!(r!(a) as u32, r!(b) as u32, target, |x: u32, y: u32| x >= y),
                Instr::BrI32EqImm { a, imm, target } => br_cmp!(r!(a) as u32, imm, target, |x: u32, y: u32| x == y),
                Instr::BrI32NeImm { a, imm, target } => br_cmp!(r!(a) as u32, imm, target, |x: u32, y: u32| x != y),
                Instr::BrI32LtSImm { a, imm, target } => br_cmp!(r!(a) as u32, imm, target, |x: u32, y: u32| (x as i32) < (y as i32)),
                Instr::BrI32LtUImm { a, imm, target } => br_cmp!(r!(a) as u32, imm, target, |x: u32, y: u32| x < y),
                Instr::BrI32GtSImm { a, imm, target } => br_cmp!(r!(a) as u32, imm, target, |x: u32, y: u32| (x as i32) > (y as i32)),
                Instr::BrI32GtUImm { a, imm, target } => br_cmp!(r!(a) as u32, imm, target, |x: u32, y: u32| x > y),
                Instr::BrI32LeSImm { a, imm, target } => br_cmp!(r!(a) as u32, imm, target, |x: u32, y: u32| (x as i32) <= (y as i32)),
                Instr::BrI32LeUImm { a, imm, target } => br_cmp!(r!(a) as u32, imm, target, |x: u32, y: u32| x <= y),
                Instr::BrI32GeSImm { a, imm, target } => br_cmp!(r!(a) as u32, imm, target, |x: u32, y: u32| (x as i32) >= (y as i32)),
                Instr::BrI32GeUImm { a, imm, target } => br_cmp!(r!(a) as u32, imm, target, |x: u32, y: u32| x >= y),
                Instr::I64MulImm { dst, a, imm } => w!(dst, r!(a).wrapping_mul(imm as i32 as i64 as u64)),
                Instr::I64AndImm { dst, a, imm } => w!(dst, r!(a) & imm as i32 as i64 as u64),
                Instr::I64OrImm { dst, a, imm } => w!(dst, r!(a) | imm as i32 as i64 as u64),
                Instr::I64XorImm { dst, a, imm } => w!(dst, r!(a) ^ imm as i32 as i64 as u64),
                Instr::I64ShlImm { dst, a, imm } => w!(dst, r!(a).wrapping_shl(imm)),
                Instr::I64ShrSImm { dst, a, imm } => w!(dst, (r!(a) as i64).wrapping_shr(imm) as u64),
                Instr::I64ShrUImm { dst, a, imm } => w!(dst, r!(a).wrapping_shr(imm)),
                Instr::I32MulImm { dst, a, imm } => w!(dst, (r!(a) as u32).wrapping_mul(imm) as u64),
                Instr::I32AndImm { dst, a, imm } => w!(dst, (r!(a) as u32 & imm) as u64),
                Instr::I32OrImm { dst, a, imm } => w!(dst, (r!(a) as u32 | imm) as u64),
                Instr::I32XorImm { dst, a, imm } => w!(dst, (r!(a) as u32 ^ imm) as u64),
                Instr::I32ShlImm { dst, a, imm } => w!(dst, (r!(a) as u32).wrapping_shl(imm) as u64),
                Instr::I32ShrSImm { dst, a, imm } => w!(dst, (r!(a) as u32 as i32).wrapping_shr(imm) as u32 as u64),
                Instr::I32ShrUImm { dst, a, imm } => w!(dst, (r!(a) as u32).wrapping_shr(imm) as u64),
                Instr::I32EqImm { dst, a, imm } => w!(dst, (r!(a) as u32 == imm) as u64),
                Instr::I32NeImm { dst, a, imm } => w!(dst, (r!(a) as u32 != imm) as u64),
                Instr::I32LtSImm { dst, a, imm } => w!(dst, ((r!(a) as i32) < imm as i32) as u64),
                Instr::I32LtUImm { dst, a, imm } => w!(dst, ((r!(a) as u32) < imm) as u64),
                Instr::I32GtSImm { dst, a, imm } => w!(dst, ((r!(a) as i32) > imm as i32) as u64),
                Instr::I32GtUImm { dst, a, imm } => w!(dst, ((r!(a) as u32) > imm) as u64),
                Instr::I32LeSImm { dst, a, imm } => w!(dst, ((r!(a) as i32) <= imm as i32) as u64),
                Instr::I32LeUImm { dst, a, imm } => w!(dst, ((r!(a) as u32) <= imm) as u64),
                Instr::I32GeSImm { dst, a, imm } => w!(dst, ((r!(a) as i32) >= imm as i32) as u64),
                Instr::I32GeUImm { dst, a, imm } => w!(dst, ((r!(a) as u32) >= imm) as u64),
                Instr::BrTable { index, start, len } => {
                    let f = unsafe { &*self.code };
                    let i = (r!(index) as u32).min(len - 1);
                    pc = f.br_tables[(start + i) as usize] as usize;
                    land!();
                }
                Instr::Return0 {} | Instr::Return1 { .. } | Instr::ReturnN { .. } => {
                    match instr {
                        Instr::Return1 { src } => w!(0, r!(src)),
                        Instr::ReturnN { start, count } => {
                            for i in 0..count {
                                w!(i, r!(start + i));
                            }
                        }
                        _ => {}
                    }
                    save!();
                    if self.pop_frame() {
                        return Ok(Exit::Done);
                    }
                    reload!();
                }
                Instr::Call { func, args } => {
                    save!();
                    let instance = self.instance;
                    if let Err(e) = self.push_frame(store, instance, func, args) {
                        trap!(e.into_trap(store));
                    }
                    reload!();
                }
                Instr::CallImported { func, args } => {
                    save!();
                    let f = store.instances[self.instance as usize].funcs[func as usize];
                    match self.call_func(store, f, args) {
                        Ok(Some(host)) => return Ok(host),
                        Ok(None) => reload!(),
                        Err(e) => trap!(e.into_trap(store)),
                    }
                }
                Instr::CallIndirect { site, index, args } => {
                    save!();
                    let f = unsafe { &*self.code };
                    let (type_index, table) = f.indirect_sites[site as usize];
                    let inst = &store.instances[self.instance as usize];
                    let expected = inst.module.type_ids[type_index as usize];
                    let table = &store.tables[inst.tables[table as usize] as usize];
                    let i = r!(index) as u32 as usize;
                    let Some(&cell) = table.elems.get(i) else {
                        trap!(TrapCode::UndefinedElement);
                    };
                    let Some(func) = crate::value::ref_index(cell) else {
                        trap!(TrapCode::UninitializedElement);
                    };
                    if store.funcs[func as usize].type_id() != expected {
                        trap!(TrapCode::IndirectCallTypeMismatch);
                    }
                    match self.call_func(store, func, args) {
                        Ok(Some(host)) => return Ok(host),
                        Ok(None) => reload!(),
                        Err(e) => trap!(e.into_trap(store)),
                    }
                }
                Instr::SelectElse { dst, cond, b } => {
                    if r!(cond) as u32 == 0 {
                        w!(dst, r!(b));
                    }
                }
                Instr::Copy { dst, src } => w!(dst, r!(src)),
                Instr::Const32 { dst, value } => w!(dst, value as u64),
                Instr::Const64 { dst, lo, hi } => w!(dst, (hi as u64) << 32 | lo as u64),
                Instr::GlobalGet { dst, global } => {
                    let g = store.instances[self.instance as usize].globals[global as usize] as usize;
                    w!(dst, store.globals[g].value)
                }
                Instr::GlobalSet { global, src } => {
                    let g = store.instances[self.instance as usize].globals[global as usize] as usize;
                    store.globals[g].value = r!(src);
                }
                Instr::RefFunc { dst, func } => {
                    let f = store.instances[self.instance as usize].funcs[func as usize];
                    w!(dst, f as u64 + 1)
                }
                Instr::RefIsNull { dst, src } => w!(dst, (r!(src) == 0) as u64),
                Instr::TableGet { dst, table, index } => {
                    let t = store.instances[self.instance as usize].tables[table as usize] as usize;
                    match store.tables[t].elems.get(r!(index) as u32 as usize) {
                        Some(&v) => w!(dst, v),
                        None => trap!(TrapCode::TableOutOfBounds),
                    }
                }
                Instr::TableSet { table, index, value } => {
                    let t = store.instances[self.instance as usize].tables[table as usize] as usize;
                    let v = r!(value);
                    match store.tables[t].elems.get_mut(r!(index) as u32 as usize) {
                        Some(e) => *e = v,
                        None => trap!(TrapCode::TableOutOfBounds),
                    }
                }
                Instr::TableSize { dst, table } => {
                    let t = store.instances[self.instance as usize].tables[table as usize] as usize;
                    w!(dst, store.tables[t].elems.len() as u64)
                }
                Instr::TableGrow { table, args } => {
                    let t = store.instances[self.instance as usize].tables[table as usize] as usize;
                    let limit = store.limits.max_table_elements;
                    let (init, delta) = (r!(args), r!(args + 1) as u32 as u64);
                    let old = store.tables[t].grow(delta, init, limit);
                    w!(args, old.map_or(u32::MAX as u64, |o| o as u32 as u64))
                }
                Instr::TableFill { table, args } => {
                    let t = store.instances[self.instance as usize].tables[table as usize] as usize;
                    let (i, v, n) = (r!(args) as u32 as usize, r!(args + 1), r!(args + 2) as u32 as usize);
                    match store.tables[t].elems.get_mut(i..i + n) {
                        Some(s) => s.fill(v),
                        None => trap!(TrapCode::TableOutOfBounds),
                    }
                }
                Instr::TableCopy { dst_table, src_table, args } => {
                    let (d, s, n) = (r!(args) as u32 as usize, r!(args + 1) as u32 as usize, r!(args + 2) as u32 as usize);
                    let dt = store.instances[self.instance as usize].tables[dst_table as usize] as usize;
                    let st = store.instances[self.instance as usize].tables[src_table as usize] as usize;
                    let tables = &mut store.tables;
                    if s + n > tables[st].elems.len() || d + n > tables[dt].elems.len() {
                        trap!(TrapCode::TableOutOfBounds);
                    }
                    if dt == st {
                        tables[dt].elems.copy_within(s..s + n, d);
                    } else {
                        let src: Vec<u64> = tables[st].elems[s..s + n].to_vec();
                        tables[dt].elems[d..d + n].copy_from_slice(&src);
                    }
                }
                Instr::TableInit { elem, table, args } => {
                    let (d, s, n) = (r!(args) as u32 as usize, r!(args + 1) as u32 as usize, r!(args + 2) as u32 as usize);
                    let t = store.instances[self.instance as usize].tables[table as usize] as usize;
                    let seg = store.instances[self.instance as usize].elems[elem as usize].clone();
                    let dst = &mut store.tables[t].elems;
                    if s + n > seg.len() || d + n > dst.len() {
                        trap!(TrapCode::TableOutOfBounds);
                    }
                    dst[d..d + n].copy_from_slice(&seg[s..s + n]);
                }
                Instr::ElemDrop { elem } => {
                    let i = self.instance;
                    store.instances[i as usize].elems[elem as usize] = Arc::from([]);
                }

                Instr::I32Load { dst, addr, offset } => load!(dst, addr, offset, 4, |b| u32::from_le_bytes(b) as u64),
                Instr::I64Load { dst, addr, offset } => load!(dst, addr, offset, 8, u64::from_le_bytes),
                Instr::F32Load { dst, addr, offset } => load!(dst, addr, offset, 4, |b| u32::from_le_bytes(b) as u64),
                Instr::F64Load { dst, addr, offset } => load!(dst, addr, offset, 8, u64::from_le_bytes),
                Instr::I32Load8S { dst, addr, offset } => load!(dst, addr, offset, 1, |b| i8::from_le_bytes(b) as i32 as u32 as u64),
                Instr::I32Load8U { dst, addr, offset } => load!(dst, addr, offset, 1, |b| u8::from_le_bytes(b) as u64),
                Instr::I32Load16S { dst, addr, offset } => load!(dst, addr, offset, 2, |b| i16::from_le_bytes(b) as i32 as u32 as u64),
                Instr::I32Load16U { dst, addr, offset } => load!(dst, addr, offset, 2, |b| u16::from_le_bytes(b) as u64),
                Instr::I64Load8S { dst, addr, offset } => load!(dst, addr, offset, 1, |b| i8::from_le_bytes(b) as i64 as u64),
                Instr::I64Load8U { dst, addr, offset } => load!(dst, addr, offset, 1, |b| u8::from_le_bytes(b) as u64),
                Instr::I64Load16S { dst, addr, offset } => load!(dst, addr, offset, 2, |b| i16::from_le_bytes(b) as i64 as u64),
                Instr::I64Load16U { dst, addr, offset } => load!(dst, addr, offset, 2, |b| u16::from_le_bytes(b) as u64),
                Instr::I64Load32S { dst, addr, offset } => load!(dst, addr, offset, 4, |b| i32::from_le_bytes(b) as i64 as u64),
                Instr::I64Load32U { dst, addr, offset } => load!(dst, addr, offset, 4, |b| u32::from_le_bytes(b) as u64),
                Instr::I32Store { addr, value, offset } => store!(addr, value, offset, u32),
                Instr::I64Store { addr, value, offset } => store!(addr, value, offset, u64),
                Instr::F32Store { addr, value, offset } => store!(addr, value, offset, u32),
                Instr::F64Store { addr, value, offset } => store!(addr, value, offset, u64),
                Instr::I32Store8 { addr, value, offset } => store!(addr, value, offset, u8),
                Instr::I32Store16 { addr, value, offset } => store!(addr, value, offset, u16),
                Instr::I64Store8 { addr, value, offset } => store!(addr, value, offset, u8),
                Instr::I64Store16 { addr, value, offset } => store!(addr, value, offset, u16),
                Instr::I64Store32 { addr, value, offset } => store!(addr, value, offset, u32),
                Instr::I32StoreImm { addr, value, offset } => store_imm!(addr, value, offset, u32),
                Instr::I32Store8Imm { addr, value, offset } => store_imm!(addr, value, offset, u8),
                Instr::I32Store16Imm { addr, value, offset } => store_imm!(addr, value, offset, u16),
                Instr::I64StoreImm { addr, value, offset } => store_imm!(addr, value as i32 as i64, offset, u64),
                Instr::MemorySize { dst } => w!(dst, (mem.len / PAGE_SIZE) as u64),
                Instr::MemoryGrow { dst, delta } => {
                    let delta = r!(delta) as u32 as u64;
                    let m = store.instances[self.instance as usize].memories[0] as usize;
                    let limit = store.limits.max_memory_pages;
                    let old = store.memories[m].grow(delta, limit);
                    mem = self.mem_cache(store);
                    w!(dst, old.map_or(u32::MAX as u64, |o| o as u32 as u64))
                }
                Instr::MemoryFill { args } => {
                    let (d, v, n) = (r!(args) as u32 as usize, r!(args + 1) as u8, r!(args + 2) as u32 as usize);
                    match mem_slice!().get_mut(d..d + n) {
                        Some(s) => s.fill(v),
                        None => trap!(TrapCode::MemoryOutOfBounds),
                    }
                }
                Instr::MemoryCopy { args } => {
                    let (d, s, n) = (r!(args) as u32 as usize, r!(args + 1) as u32 as usize, r!(args + 2) as u32 as usize);
                    if s + n > mem.len || d + n > mem.len {
                        trap!(TrapCode::MemoryOutOfBounds);
                    }
                    mem_slice!().copy_within(s..s + n, d);
                }
                Instr::MemoryInit { data, args } => {
                    let (d, s, n) = (r!(args) as u32 as usize, r!(args + 1) as u32 as usize, r!(args + 2) as u32 as usize);
                    let inst = &store.instances[self.instance as usize];
                    let seg = inst.data_segment(data);
                    if s + n > seg.len() || d + n > mem.len {
                        trap!(TrapCode::MemoryOutOfBounds);
                    }
                    let src = seg[s..s + n].as_ptr();
                    // The segment lives in the module, never in linear memory.
                    unsafe { std::ptr::copy_nonoverlapping(src, mem.ptr.add(d), n) };
                }
                Instr::DataDrop { data } => {
                    let i = self.instance;
                    store.instances[i as usize].dropped_data[data as usize] = true;
                }

                Instr::I32Eqz { dst, src } => w!(dst, (r!(src) as u32 == 0) as u64),
                Instr::I64Eqz { dst, src } => w!(dst, (r!(src) == 0) as u64),
                Instr::I32Clz { dst, src } => w!(dst, (r!(src) as u32).leading_zeros() as u64),
                Instr::I32Ctz { dst, src } => w!(dst, (r!(src) as u32).trailing_zeros() as u64),
                Instr::I32Popcnt { dst, src } => w!(dst, (r!(src) as u32).count_ones() as u64),
                Instr::I64Clz { dst, src } => w!(dst, r!(src).leading_zeros() as u64),
                Instr::I64Ctz { dst, src } => w!(dst, r!(src).trailing_zeros() as u64),
                Instr::I64Popcnt { dst, src } => w!(dst, r!(src).count_ones() as u64),
                Instr::F32Abs { dst, src } => w!(dst, r!(src) & 0x7fff_ffff),
                Instr::F32Neg { dst, src } => w!(dst, (r!(src) as u32 ^ 0x8000_0000) as u64),
                Instr::F32Ceil { dst, src } => f32un!(dst, src, |x| f32_round(x, f32::ceil)),
                Instr::F32Floor { dst, src } => f32un!(dst, src, |x| f32_round(x, f32::floor)),
                Instr::F32Trunc { dst, src } => f32un!(dst, src, |x| f32_round(x, f32::trunc)),
                Instr::F32Nearest { dst, src } => f32un!(dst, src, |x| f32_round(x, f32::round_ties_even)),
                Instr::F32Sqrt { dst, src } => f32un!(dst, src, |x| x.sqrt()),
                Instr::F64Abs { dst, src } => w!(dst, r!(src) & 0x7fff_ffff_ffff_ffff),
                Instr::F64Neg { dst, src } => w!(dst, r!(src) ^ 0x8000_0000_0000_0000),
                Instr::F64Ceil { dst, src } => f64un!(dst, src, |x| f64_round(x, f64::ceil)),
                Instr::F64Floor { dst, src } => f64un!(dst, src, |x| f64_round(x, f64::floor)),
                Instr::F64Trunc { dst, src } => f64un!(dst, src, |x| f64_round(x, f64::trunc)),
                Instr::F64Nearest { dst, src } => f64un!(dst, src, |x| f64_round(x, f64::round_ties_even)),
                Instr::F64Sqrt { dst, src } => f64un!(dst, src, |x| x.sqrt()),
                Instr::I32WrapI64 { dst, src } => w!(dst, r!(src) as u32 as u64),
                Instr::I32TruncF32S { dst, src } => checked!(dst, i32_trunc_f32_s(f32::from_bits(r!(src) as u32)), u32),
                Instr::I32TruncF32U { dst, src } => checked!(dst, i32_trunc_f32_u(f32::from_bits(r!(src) as u32)), u32),
                Instr::I32TruncF64S { dst, src } => checked!(dst, i32_trunc_f64_s(f64::from_bits(r!(src))), u32),
                Instr::I32TruncF64U { dst, src } => checked!(dst, i32_trunc_f64_u(f64::from_bits(r!(src))), u32),
                Instr::I64ExtendI32S { dst, src } => w!(dst, r!(src) as u32 as i32 as i64 as u64),
                Instr::I64TruncF32S { dst, src } => checked!(dst, i64_trunc_f32_s(f32::from_bits(r!(src) as u32)), u64),
                Instr::I64TruncF32U { dst, src } => checked!(dst, i64_trunc_f32_u(f32::from_bits(r!(src) as u32)), u64),
                Instr::I64TruncF64S { dst, src } => checked!(dst, i64_trunc_f64_s(f64::from_bits(r!(src))), u64),
                Instr::I64TruncF64U { dst, src } => checked!(dst, i64_trunc_f64_u(f64::from_bits(r!(src))), u64),
                Instr::F32ConvertI32S { dst, src } => w!(dst, (r!(src) as u32 as i32 as f32).to_bits() as u64),
                Instr::F32ConvertI32U { dst, src } => w!(dst, (r!(src) as u32 as f32).to_bits() as u64),
                Instr::F32ConvertI64S { dst, src } => w!(dst, (r!(src) as i64 as f32).to_bits() as u64),
                Instr::F32ConvertI64U { dst, src } => w!(dst, (r!(src) as f32).to_bits() as u64),
                Instr::F32DemoteF64 { dst, src } => w!(dst, (f64::from_bits(r!(src)) as f32).to_bits() as u64),
                Instr::F64ConvertI32S { dst, src } => w!(dst, (r!(src) as u32 as i32 as f64).to_bits()),
                Instr::F64ConvertI32U { dst, src } => w!(dst, (r!(src) as u32 as f64).to_bits()),
                Instr::F64ConvertI64S { dst, src } => w!(dst, (r!(src) as i64 as f64).to_bits()),
                Instr::F64ConvertI64U { dst, src } => w!(dst, (r!(src) as f64).to_bits()),
                Instr::F64PromoteF32 { dst, src } => w!(dst, (f32::from_bits(r!(src) as u32) as f64).to_bits()),
                Instr::I32Extend8S { dst, src } => w!(dst, r!(src) as i8 as i32 as u32 as u64),
                Instr::I32Extend16S { dst, src } => w!(dst, r!(src) as i16 as i32 as u32 as u64),
                Instr::I64Extend8S { dst, src } => w!(dst, r!(src) as i8 as i64 as u64),
                Instr::I64Extend16S { dst, src } => w!(dst, r!(src) as i16 as i64 as u64),
                Instr::I64Extend32S { dst, src } => w!(dst, r!(src) as i32 as i64 as u64),
                Instr::I32TruncSatF32S { dst, src } => w!(dst, f32::from_bits(r!(src) as u32) as i32 as u32 as u64),
                Instr::I32TruncSatF32U { dst, src } => w!(dst, f32::from_bits(r!(src) as u32) as u32 as u64),
                Instr::I32TruncSatF64S { dst, src } => w!(dst, f64::from_bits(r!(src)) as i32 as u32 as u64),
                Instr::I32TruncSatF64U { dst, src } => w!(dst, f64::from_bits(r!(src)) as u32 as u64),
                Instr::I64TruncSatF32S { dst, src } => w!(dst, f32::from_bits(r!(src) as u32) as i64 as u64),
                Instr::I64TruncSatF32U { dst, src } => w!(dst, f32::from_bits(r!(src) as u32) as u64),
                Instr::I64TruncSatF64S { dst, src } => w!(dst, f64::from_bits(r!(src)) as i64 as u64),
                Instr::I64TruncSatF64U { dst, src } => w!(dst, f64::from_bits(r!(src)) as u64),

                Instr::I32Eq { dst, a, b } => i32op!(dst, a, b, |x, y| x == y),
                Instr::I32Ne { dst, a, b } => i32op!(dst, a, b, |x, y| x != y),
                Instr::I32LtS { dst, a, b } => i32op!(dst, a, b, |x, y| (x as i32) < (y as i32)),
                Instr::I32LtU { dst, a, b } => i32op!(dst, a, b, |x, y| x < y),
                Instr::I32GtS { dst, a, b } => i32op!(dst, a, b, |x, y| (x as i32) > (y as i32)),
                Instr::I32GtU { dst, a, b } => i32op!(dst, a, b, |x, y| x > y),
                Instr::I32LeS { dst, a, b } => i32op!(dst, a, b, |x, y| (x as i32) <= (y as i32)),
                Instr::I32LeU { dst, a, b } => i32op!(dst, a, b, |x, y| x <= y),
                Instr::I32GeS { dst, a, b } => i32op!(dst, a, b, |x, y| (x as i32) >= (y as i32)),
                Instr::I32GeU { dst, a, b } => i32op!(dst, a, b, |x, y| x >= y),
                Instr::I64Eq { dst, a, b } => i64op!(dst, a, b, |x, y| x == y),
                Instr::I64Ne { dst, a, b } => i64op!(dst, a, b, |x, y| x != y),
                Instr::I64LtS { dst, a, b } => i64op!(dst, a, b, |x, y| (x as i64) < (y as i64)),
                Instr::I64LtU { dst, a, b } => i64op!(dst, a, b, |x, y| x < y),
                Instr::I64GtS { dst, a, b } => i64op!(dst, a, b, |x, y| (x as i64) > (y as i64)),
                Instr::I64GtU { dst, a, b } => i64op!(dst, a, b, |x, y| x > y),
                Instr::I64LeS { dst, a, b } => i64op!(dst, a, b, |x, y| (x as i64) <= (y as i64)),
                Instr::I64LeU { dst, a, b } => i64op!(dst, a, b, |x, y| x <= y),
                Instr::I64GeS { dst, a, b } => i64op!(dst, a, b, |x, y| (x as i64) >= (y as i64)),
                Instr::I64GeU { dst, a, b } => i64op!(dst, a, b, |x, y| x >= y),
                Instr::F32Eq { dst, a, b } => f32cmp!(dst, a, b, ==),
                Instr::F32Ne { dst, a, b } => f32cmp!(dst, a, b, !=),
                Instr::F32Lt { dst, a, b } => f32cmp!(dst, a, b, <),
                Instr::F32Gt { dst, a, b } => f32cmp!(dst, a, b, >),
                Instr::F32Le { dst, a, b } => f32cmp!(dst, a, b, <=),
                Instr::F32Ge { dst, a, b } => f32cmp!(dst, a, b, >=),
                Instr::F64Eq { dst, a, b } => f64cmp!(dst, a, b, ==),
                Instr::F64Ne { dst, a, b } => f64cmp!(dst, a, b, !=),
                Instr::F64Lt { dst, a, b } => f64cmp!(dst, a, b, <),
                Instr::F64Gt { dst, a, b } => f64cmp!(dst, a, b, >),
                Instr::F64Le { dst, a, b } => f64cmp!(dst, a, b, <=),
                Instr::F64Ge { dst, a, b } => f64cmp!(dst, a, b, >=),

                Instr::I32Add { dst, a, b } => i32op!(dst, a, b, |x, y| x.wrapping_add(y)),
                Instr::I32AddImm { dst, a, imm } => w!(dst, (r!(a) as u32).wrapping_add(imm) as u64),
                Instr::I32Sub { dst, a, b } => i32op!(dst, a, b, |x, y| x.wrapping_sub(y)),
                Instr::I32Mul { dst, a, b } => i32op!(dst, a, b, |x, y| x.wrapping_mul(y)),
                Instr::I32DivS { dst, a, b } => {
                    let (x, y) = (r!(a) as i32, r!(b) as i32);
                    if y == 0 {
                        trap!(TrapCode::IntegerDivideByZero);
                    }
                    if x == i32::MIN && y == -1 {
                        trap!(TrapCode::IntegerOverflow);
                    }
                    w!(dst, (x / y) as u32 as u64)
                }
                Instr::I32DivU { dst, a, b } => {
                    let (x, y) = (r!(a) as u32, r!(b) as u32);
                    if y == 0 {
                        trap!(TrapCode::IntegerDivideByZero);
                    }
                    w!(dst, (x / y) as u64)
                }
                Instr::I32RemS { dst, a, b } => {
                    let (x, y) = (r!(a) as i32, r!(b) as i32);
                    if y == 0 {
                        trap!(TrapCode::IntegerDivideByZero);
                    }
                    w!(dst, x.wrapping_rem(y) as u32 as u64)
                }
                Instr::I32RemU { dst, a, b } => {
                    let (x, y) = (r!(a) as u32, r!(b) as u32);
                    if y == 0 {
                        trap!(TrapCode::IntegerDivideByZero);
                    }
                    w!(dst, (x % y) as u64)
                }
                Instr::I32And { dst, a, b } => i32op!(dst, a, b, |x, y| x & y),
                Instr::I32Or { dst, a, b } => i32op!(dst, a, b, |x, y| x | y),
                Instr::I32Xor { dst, a, b } => i32op!(dst, a, b, |x, y| x ^ y),
                Instr::I32Shl { dst, a, b } => i32op!(dst, a, b, |x, y| x.wrapping_shl(y)),
                Instr::I32ShrS { dst, a, b } => i32op!(dst, a, b, |x, y| (x as i32).wrapping_shr(y)),
                Instr::I32ShrU { dst, a, b } => i32op!(dst, a, b, |x, y| x.wrapping_shr(y)),
                Instr::I32Rotl { dst, a, b } => i32op!(dst, a, b, |x, y| x.rotate_left(y % 32)),
                Instr::I32Rotr { dst, a, b } => i32op!(dst, a, b, |x, y| x.rotate_right(y % 32)),
                Instr::I64Add { dst, a, b } => i64op!(dst, a, b, |x, y| x.wrapping_add(y)),
                Instr::I64AddImm { dst, a, imm } => w!(dst, r!(a).wrapping_add(imm as i32 as i64 as u64)),
                Instr::I64Sub { dst, a, b } => i64op!(dst, a, b, |x, y| x.wrapping_sub(y)),
                Instr::I64Mul { dst, a, b } => i64op!(dst, a, b, |x, y| x.wrapping_mul(y)),
                Instr::I64DivS { dst, a, b } => {
                    let (x, y) = (r!(a) as i64, r!(b) as i64);
                    if y == 0 {
                        trap!(TrapCode::IntegerDivideByZero);
                    }
                    if x == i64::MIN && y == -1 {
                        trap!(TrapCode::IntegerOverflow);
                    }
                    w!(dst, (x / y) as u64)
                }
                Instr::I64DivU { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if y == 0 {
                        trap!(TrapCode::IntegerDivideByZero);
                    }
                    w!(dst, x / y)
                }
                Instr::I64RemS { dst, a, b } => {
                    let (x, y) = (r!(a) as i64, r!(b) as i64);
                    if y == 0 {
                        trap!(TrapCode::IntegerDivideByZero);
                    }
                    w!(dst, x.wrapping_rem(y) as u64)
                }
                Instr::I64RemU { dst, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if y == 0 {
                        trap!(TrapCode::IntegerDivideByZero);
                    }
                    w!(dst, x % y)
                }
                Instr::I64And { dst, a, b } => i64op!(dst, a, b, |x, y| x & y),
                Instr::I64Or { dst, a, b } => i64op!(dst, a, b, |x, y| x | y),
                Instr::I64Xor { dst, a, b } => i64op!(dst, a, b, |x, y| x ^ y),
                Instr::I64Shl { dst, a, b } => i64op!(dst, a, b, |x, y| x.wrapping_shl(y as u32)),
                Instr::I64ShrS { dst, a, b } => i64op!(dst, a, b, |x, y| (x as i64).wrapping_shr(y as u32)),
                Instr::I64ShrU { dst, a, b } => i64op!(dst, a, b, |x, y| x.wrapping_shr(y as u32)),
                Instr::I64Rotl { dst, a, b } => i64op!(dst, a, b, |x, y| x.rotate_left((y % 64) as u32)),
                Instr::I64Rotr { dst, a, b } => i64op!(dst, a, b, |x, y| x.rotate_right((y % 64) as u32)),
                Instr::F32Add { dst, a, b } => f32op!(dst, a, b, |x, y| x + y),
                Instr::F32Sub { dst, a, b } => f32op!(dst, a, b, |x, y| x - y),
                Instr::F32Mul { dst, a, b } => f32op!(dst, a, b, |x, y| x * y),
                Instr::F32Div { dst, a, b } => f32op!(dst, a, b, |x, y| x / y),
                Instr::F32Min { dst, a, b } => f32op!(dst, a, b, |x, y| f32_min(x, y)),
                Instr::F32Max { dst, a, b } => f32op!(dst, a, b, |x, y| f32_max(x, y)),
                Instr::F32Copysign { dst, a, b } => {
                    let (x, y) = (r!(a) as u32, r!(b) as u32);
                    w!(dst, ((x & 0x7fff_ffff) | (y & 0x8000_0000)) as u64)
                }
                Instr::F64Add { dst, a, b } => f64op!(dst, a, b, |x, y| x + y),
                Instr::F64Sub { dst, a, b } => f64op!(dst, a, b, |x, y| x - y),
                Instr::F64Mul { dst, a, b } => f64op!(dst, a, b, |x, y| x * y),
                Instr::F64Div { dst, a, b } => f64op!(dst, a, b, |x, y| x / y),
                Instr::F64Min { dst, a, b } => f64op!(dst, a, b, |x, y| f64_min(x, y)),
                Instr::F64Max { dst, a, b } => f64op!(dst, a, b, |x, y| f64_max(x, y)),
                Instr::F64Copysign { dst, a, b } => {
                    let sign = 0x8000_0000_0000_0000u64;
                    w!(dst, (r!(a) & !sign) | (r!(b) & sign))
                }
            }
        }
    }
}
