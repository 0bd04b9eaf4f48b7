//! The state a handler works on, and the moves every handler shares:
//! reading and writing frame cells, checking memory accesses, going on to
//! the next op, branching, calling, returning and trapping.
//!
//! Dispatch is a tail call from handler to handler, which LLVM turns into a
//! jump when optimising (all handlers share one signature and keep no stack
//! state across it). Without optimisation that would grow the native stack
//! with every op, so such builds use portable dispatch instead (see
//! `build.rs`): each handler returns to a loop in [`Executor::run`].

use super::code::{ExecRef, Exit, Op};
use super::{CallError, Executor, Refill};
use crate::store::StoreInner;
use crate::trap::{Trap, TrapCode};

/// The hot state of the running function, in registers.
pub(super) struct Vm<'a> {
    pub ip: *const Op,
    /// Cell 0 of the current frame.
    pub regs: *mut u64,
    /// Steps left before the limit.
    pub fuel: u64,
    pub mem: *mut u8,
    pub len: usize,
    /// The value last written to a cell.
    pub acc: u64,
    pub st: &'a mut Executor,
}

/// The slot an operand names when it reads the accumulator (see
/// `code::link`). No frame is that large: every slot is below the frame
/// size, a `u32`.
pub(super) const ACC: u32 = u32::MAX;

impl Vm<'_> {
    /// Reads a frame cell. Every slot an op names is below the frame's
    /// `frame_size` (the translator accounts for each one), and a frame's
    /// cells are allocated when it is entered. [`ACC`] names the
    /// accumulator; handlers tell the compiler which operands cannot be
    /// [`ACC`], so the test folds away.
    #[inline(always)]
    pub fn r(&self, slot: u32) -> u64 {
        if slot == ACC {
            return self.acc;
        }
        unsafe { *self.regs.add(slot as usize) }
    }

    /// Writes a frame cell (unless `slot` is [`ACC`]: a result only the
    /// next op reads), and keeps the value in the accumulator for the next
    /// op.
    #[inline(always)]
    pub fn w(&mut self, slot: u32, v: u64) {
        if slot != ACC {
            unsafe { *self.regs.add(slot as usize) = v };
        }
        self.acc = v;
    }

    /// The store. Handlers borrow it next to the frame's cells (which live
    /// in the executor, not the store), hence the free lifetime.
    pub fn store<'b>(&self) -> &'b mut StoreInner {
        unsafe { &mut *self.st.store }
    }

    /// The address of `N` bytes at `addr + offset` in linear memory, if
    /// they are all inside it.
    #[inline(always)]
    pub fn addr<const N: usize>(&self, addr: u32, offset: u32) -> Option<*mut u8> {
        self.addr_at::<N>(self.r(addr) as u32, offset)
    }

    /// The address of `N` bytes at `base + offset` in linear memory, if
    /// they are all inside it.
    #[inline(always)]
    pub fn addr_at<const N: usize>(&self, base: u32, offset: u32) -> Option<*mut u8> {
        let ea = base as usize + offset as usize;
        // `ea + N <= len` with the address computed once: for a byte,
        // `ea < len`; wider, a signed compare against `len - N` (which may
        // be negative).
        let inside = if N == 1 { ea < self.len } else { (ea as isize) <= self.len as isize - N as isize };
        inside.then(|| unsafe { self.mem.add(ea) })
    }

    /// An address or length operand: an i32 unless `wide` (an i64 of a
    /// 64-bit memory).
    #[inline(always)]
    pub fn index(&self, slot: u32, wide: u32) -> u64 {
        match wide {
            0 => self.r(slot) as u32 as u64,
            _ => self.r(slot),
        }
    }

    /// Linear memory as a slice, for bulk operations.
    pub fn memory(&mut self) -> &mut [u8] {
        unsafe { std::slice::from_raw_parts_mut(self.mem, self.len) }
    }

    #[inline(always)]
    pub fn next(self) -> Exit {
        let ip = unsafe { self.ip.add(1) };
        self.go(ip)
    }

    /// Runs the op at `ip`.
    #[inline(always)]
    pub fn go(self, ip: *const Op) -> Exit {
        #[cfg(not(porta_portable_dispatch))]
        unsafe {
            ((*ip).h)(ip, self.regs, self.fuel, self.acc, self.len, self.mem, ExecRef::new(self.st))
        }
        #[cfg(porta_portable_dispatch)]
        {
            let st = self.st;
            (st.ip, st.regs, st.fuel, st.mem, st.len, st.acc) = (ip, self.regs, self.fuel, self.mem, self.len, self.acc);
            Exit::Continue
        }
    }

    /// A branch to the op `rel` bytes away.
    #[inline(always)]
    pub fn branch(self, rel: u32) -> Exit {
        let cost = unsafe { (*self.ip).extra() };
        let target = unsafe { self.ip.byte_offset(rel as i32 as isize) };
        self.land(target, cost)
    }

    /// A conditional branch to the op `rel` bytes away. Taken, it pays for
    /// the block it lands in; not taken, for the block after it when that
    /// starts right there.
    #[inline(always)]
    pub fn branch_if(self, cond: bool, rel: u32) -> Exit {
        if cond {
            return self.branch(rel);
        }
        let next = unsafe { self.ip.add(1) };
        if unsafe { (*next).is_charge() } {
            let cost = unsafe { (*next).cost() };
            self.land(unsafe { next.add(1) }, cost)
        } else {
            self.go(next)
        }
    }

    /// Goes to `target`, paying `cost` for the block it is in, whose
    /// `Charge` (if the cost is not 0) is the op before. When the slice of
    /// steps cannot pay, control goes to that `Charge`, which takes the slow
    /// path.
    #[inline(always)]
    fn land(mut self, target: *const Op, cost: u32) -> Exit {
        match self.pay(cost) {
            true => self.go(target),
            false => self.go(unsafe { target.sub(1) }),
        }
    }

    /// Takes `cost` steps from the slice, if it has them. Both fit in 32
    /// bits (a slice is at most a block's cost or `SLICE`), so a shortfall
    /// shows as the sign bit: subtracting in place and undoing on the rare
    /// failure keeps the hot path at a subtract and a branch. (The barrier
    /// stops the compiler from keeping the old value in a second register
    /// for the failure path instead.)
    #[inline(always)]
    fn pay(&mut self, cost: u32) -> bool {
        self.fuel = self.fuel.wrapping_sub(cost as u64);
        if (self.fuel as i64) < 0 {
            self.fuel = opaque(self.fuel).wrapping_add(cost as u64);
            return false;
        }
        true
    }

    /// Pays for the block this `Charge` starts. When the slice of steps
    /// cannot, takes the next one, or stops: at an interrupt, or, when the
    /// budget cannot pay, by running the block in precise mode up to the
    /// exact op where the budget runs out (in [`charge_slow`], reached by a
    /// tail call: on this path, which runs on every block entered by falling
    /// through, the handler then saves no registers).
    #[inline(always)]
    pub fn charge(mut self, cost: u32) -> Exit {
        if self.pay(cost) {
            return self.next();
        }
        unsafe { charge_slow(self.ip, self.regs, self.fuel, self.acc, self.len, self.mem, ExecRef::new(self.st)) }
    }

    /// Goes on after this op, past the `Charge` of the block after it when
    /// the op's extra field says one is there (see [`Op`]), paying for that
    /// block as a branch would. A branch, not a computed target: the
    /// predictor then fetches on before the op's field is read (measured:
    /// CPython ran 5 % slower with a `cmov` here).
    #[inline(always)]
    pub fn next_block(self) -> Exit {
        match unsafe { (*self.ip).extra() } {
            0 => self.next(),
            after => {
                let target = unsafe { self.ip.add(2) };
                self.land(target, after)
            }
        }
    }

    /// Enters the frame the executor just pushed (`push_frame`).
    #[inline(always)]
    pub fn enter(mut self, result: Result<(), CallError>, from_instance: u32) -> Exit {
        if let Err(e) = result {
            return self.call_error(e);
        }
        self.regs = self.st.regs();
        if self.st.instance != from_instance {
            (self.mem, self.len) = self.st.memory();
        }
        let f = unsafe { &*self.st.code };
        self.land(f.start, f.entry)
    }

    /// Enters the frame `direct_call` pushed, at `regs`, in the same
    /// instance, at `start`, paying `entry`.
    #[inline(always)]
    pub fn enter_direct(mut self, (regs, start, entry): (*mut u64, *const Op, u32)) -> Exit {
        self.regs = regs;
        // No op reads the accumulator at a function's start: its register
        // is free for the call's own work (a saved register fewer).
        self.acc = 0;
        self.land(start, entry)
    }

    /// Returns from the current function; its results are in place.
    #[inline(always)]
    pub fn ret(mut self) -> Exit {
        let st = &mut *self.st;
        match st.stack.frames.pop_in(st.instance) {
            Some(frame) => {
                st.code = frame.func;
                st.base = frame.base;
                self.regs = st.regs();
                self.ip = frame.call;
                self.next_block()
            }
            // Reached by a tail call, so that the fast path above saves no
            // registers for what this one calls.
            None => unsafe { ret_slow(self.ip, self.regs, self.fuel, self.acc, self.len, self.mem, ExecRef::new(self.st)) },
        }
    }

    /// Hands a host call to the driver; it resumes at the next op.
    pub fn host(self, host: u32, args: u32) -> Exit {
        let st = self.st;
        st.host = (host, args);
        (st.ip, st.fuel) = (unsafe { self.ip.add(1) }, self.fuel);
        Exit::Host
    }

    // A slow path is either reached by a tail call with the handler's own
    // arguments (the state stays in registers), or called with the few
    // values it needs: handing a called function the whole `Vm` would make
    // every handler spill it to the stack.

    /// Traps with `code`, by a tail call: a call that returned here would
    /// make the handler keep a stack frame on its fast path too.
    #[inline(always)]
    pub fn trap(self, code: TrapCode) -> Exit {
        self.st.trap_code = code;
        unsafe { trap_slow(self.ip, self.regs, self.fuel, self.acc, self.len, self.mem, ExecRef::new(self.st)) }
    }

    #[inline(always)]
    fn call_error(self, e: CallError) -> Exit {
        call_error(self.st, self.ip, self.fuel, e)
    }

    #[inline(always)]
    fn interrupt(self) -> Exit {
        interrupt(self.st, self.ip, self.fuel)
    }
}

/// `x`, hidden from the optimiser (in a register, unlike `black_box`,
/// which would give the handler a stack frame).
#[inline(always)]
fn opaque(mut x: u64) -> u64 {
    // SAFETY: an empty template: no instruction, no memory access.
    unsafe { std::arch::asm!("/* {0} */", inout(reg) x, options(pure, nomem, nostack, preserves_flags)) };
    x
}

/// A return to another instance, or from the entry function.
#[inline(never)]
unsafe fn ret_slow(ip: *const Op, regs: *mut u64, fuel: u64, acc: u64, len: usize, mem: *mut u8, st: ExecRef) -> Exit {
    let mut s = Vm { ip, regs, fuel, mem, len, acc, st: unsafe { st.get() } };
    let st = &mut *s.st;
    let Some(frame) = st.stack.frames.pop() else {
        st.fuel = s.fuel;
        return Exit::Done;
    };
    st.code = frame.func;
    st.base = frame.base;
    st.set_instance(frame.instance);
    s.regs = st.regs();
    (s.mem, s.len) = st.memory();
    s.ip = frame.call;
    s.next_block()
}

/// The `Charge` at `ip` that the slice of steps could not pay.
#[inline(never)]
unsafe fn charge_slow(ip: *const Op, regs: *mut u64, fuel: u64, acc: u64, len: usize, mem: *mut u8, st: ExecRef) -> Exit {
    let mut s = Vm { ip, regs, fuel, mem, len, acc, st: unsafe { st.get() } };
    let cost = unsafe { (*ip).cost() } as u64;
    match s.st.refill(s.fuel, cost) {
        Refill::Paid => {
            s.fuel = s.st.fuel - cost;
            s.next()
        }
        Refill::Interrupted => s.interrupt(),
        Refill::Precise => {
            s.fuel = s.st.fuel;
            let ip = s.st.enter_precise(s.ip, s.fuel, cost);
            s.go(ip)
        }
    }
}

/// The trap that [`Vm::trap`] left in [`Executor::trap_code`].
#[cold]
#[inline(never)]
unsafe fn trap_slow(ip: *const Op, _: *mut u64, fuel: u64, _: u64, _: usize, _: *mut u8, st: ExecRef) -> Exit {
    let st = unsafe { st.get() };
    let code = st.trap_code;
    trap(st, ip, fuel, code.into())
}

#[cold]
#[inline(never)]
fn trap(st: &mut Executor, ip: *const Op, fuel: u64, trap: Trap) -> Exit {
    st.fuel = fuel;
    let pc = st.pc_of(ip);
    let trap = st.trapped(trap, pc);
    st.trap = Some(trap);
    Exit::Trap
}

#[cold]
#[inline(never)]
fn call_error(st: &mut Executor, ip: *const Op, fuel: u64, e: CallError) -> Exit {
    let t = e.into_trap(st);
    trap(st, ip, fuel, t)
}

/// Stops at an interrupt. Every step charged so far has run.
#[cold]
#[inline(never)]
fn interrupt(st: &mut Executor, ip: *const Op, fuel: u64) -> Exit {
    (st.ip, st.fuel) = (ip, fuel);
    st.trap = Some(TrapCode::Interrupted.into());
    Exit::Trap
}
