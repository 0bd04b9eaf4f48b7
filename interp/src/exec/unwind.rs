//! Throwing and catching: a `throw` stores its exception, then the frames
//! are searched from the innermost out for a catch clause that takes it.
//! The steps of each block left behind that were charged but did not run
//! are given back (as for a trap), so a throw counts one step and landing
//! in a handler nothing more. An exception no frame catches ends the call
//! as the trap "uncaught exception".

use super::code::Exit;
use super::Executor;
use crate::exception::Exception;
use crate::translate::CATCH_ALL;
use crate::trap::TrapCode;
use crate::value::{cells_for, ref_index};

impl Executor {
    /// `throw` of module tag `tag` with the values at slot `args`, by the op
    /// at `pc`.
    #[cold]
    #[inline(never)]
    pub(super) fn throw(&mut self, pc: usize, fuel: u64, tag: u32, args: u32) -> Exit {
        let store = unsafe { &mut *self.store };
        let tag = store.instances[self.instance as usize].tags[tag as usize];
        let n = cells_for(store.tags[tag as usize].ty.params());
        let at = self.base + args as usize;
        let values = self.stack.cells[at..at + n].into();
        match store.exceptions.add(Exception { tag, values, referenced: false }) {
            Some(exn) => self.unwind(pc, fuel, exn),
            None => self.trap_at(pc, fuel, TrapCode::TooManyExceptions),
        }
    }

    /// `throw_ref` of the `exnref` `cell`.
    #[cold]
    #[inline(never)]
    pub(super) fn throw_ref(&mut self, pc: usize, fuel: u64, cell: u64) -> Exit {
        let store = unsafe { &*self.store };
        match ref_index(cell).filter(|&i| store.exceptions.get(i).is_some()) {
            Some(exn) => self.unwind(pc, fuel, exn),
            None => self.trap_at(pc, fuel, TrapCode::NullExceptionReference),
        }
    }

    fn trap_at(&mut self, pc: usize, fuel: u64, code: TrapCode) -> Exit {
        self.fuel = fuel;
        let trap = self.trapped(code.into(), pc);
        self.trap = Some(trap);
        Exit::Trap
    }

    /// Finds the handler of exception `exn`, thrown at op `pc` of the
    /// running function, and lands there; or ends the call.
    fn unwind(&mut self, mut pc: usize, fuel: u64, exn: u32) -> Exit {
        self.fuel = fuel;
        // The throwing block settles as a trapping one would.
        let _ = self.trapped(TrapCode::UncaughtException.into(), pc);
        self.precise = None;
        let store = unsafe { &mut *self.store };
        let tag = store.exceptions.get(exn).expect("a live exception").tag;
        loop {
            let f = unsafe { &*self.code };
            let tags = &store.instances[self.instance as usize].tags;
            let found = f.handlers.iter().find(|h| {
                (h.start as usize..h.end as usize).contains(&pc) && (h.tag == CATCH_ALL || tags[h.tag as usize] == tag)
            });
            if let Some(h) = found {
                let mut at = self.base + h.dst as usize;
                if h.tag != CATCH_ALL {
                    let values = &store.exceptions.get(exn).expect("a live exception").values;
                    self.stack.cells[at..at + values.len()].copy_from_slice(values);
                    at += values.len();
                }
                if h.with_ref {
                    store.exceptions.reference(exn);
                    self.stack.cells[at] = exn as u64 + 1;
                } else {
                    store.exceptions.caught(exn);
                }
                self.ip = unsafe { f.ops.as_ptr().add(h.pad as usize) };
                self.memory_index = 0;
                return Exit::Caught;
            }
            let Some(frame) = self.stack.frames.pop() else {
                store.exceptions.caught(exn);
                self.trap = Some(TrapCode::UncaughtException.into());
                return Exit::Trap;
            };
            self.code = frame.func;
            self.base = frame.base;
            self.instance = frame.instance;
            // The caller is at its call op, just before where it resumes
            // (and that block's `Charge`, when it has one).
            pc = self.pc_of(frame.ret) - 1 - (frame.cost != 0) as usize;
            self.fuel += self.refund(pc);
        }
    }
}
