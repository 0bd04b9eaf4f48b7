//! Throwing and catching: a `throw` stores its exception, then the frames
//! are searched from the innermost out for a catch clause that takes it.
//! The steps of each block left behind that were charged but did not run
//! are given back (as for a trap), so a throw counts one step and landing
//! in a handler nothing more. An exception no frame catches ends the call
//! as the trap "uncaught exception".

use super::code::Exit;
use super::Executor;
use crate::exception::Exception;
use crate::translate::{CATCH_ALL, DELEGATE, NO_SLOT};
use crate::trap::TrapCode;
use crate::types::{HeapType, ValType};
use crate::value::{cells_for, exn_cell, exn_index};

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
        if store.exceptions.is_full() {
            self.collect_exceptions();
        }
        let store = unsafe { &mut *self.store };
        match store.exceptions.add(Exception { tag, values, referenced: false, pinned: Default::default() }) {
            Some(exn) => self.unwind(pc, fuel, exn),
            None => self.trap_at(pc, fuel, TrapCode::TooManyExceptions),
        }
    }

    /// `throw_ref` of the `exnref` `cell`.
    #[cold]
    #[inline(never)]
    pub(super) fn throw_ref(&mut self, pc: usize, fuel: u64, cell: u64) -> Exit {
        let store = unsafe { &*self.store };
        match exn_index(cell).filter(|&i| store.exceptions.get(i).is_some()) {
            Some(exn) => self.unwind(pc, fuel, exn),
            None => self.trap_at(pc, fuel, TrapCode::NullExceptionReference),
        }
    }

    /// Frees the exceptions nothing names any more. Only the running
    /// frames are visible here: with wasm suspended below a host call,
    /// nothing is collected.
    fn collect_exceptions(&mut self) {
        let store = unsafe { &mut *self.store };
        if store.running != 1 {
            return;
        }
        let live = self.base + unsafe { (*self.code).frame_size } as usize;
        let frames = self.stack.cells[..live.min(self.stack.cells.len())].iter().copied();
        let is_exn = |t: ValType| matches!(t, ValType::Ref(r) if r.top() == HeapType::Exn);
        let globals = store.globals.iter().filter(|g| is_exn(g.ty.content)).map(|g| g.value[0]);
        let tables = store.tables.iter().filter(|t| is_exn(ValType::Ref(t.ty.element))).flat_map(|t| t.elems.iter().copied());
        let roots: Vec<u64> = frames.chain(globals).chain(tables).collect();
        store.exceptions.collect(roots.into_iter());
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
            let mut from = 0;
            let found = loop {
                let next = f.handlers.get(from..).unwrap_or_default().iter().position(|h| {
                    (h.start as usize..h.end as usize).contains(&pc)
                        && (h.tag == CATCH_ALL || h.tag == DELEGATE || tags.get(h.tag as usize) == Some(&tag))
                });
                match next.map(|k| &f.handlers[from + k]) {
                    // A delegate: on from the handlers it names (none left
                    // past the end: on to the caller).
                    Some(h) if h.tag == DELEGATE => from = h.pad as usize,
                    other => break other,
                }
            };
            if let Some(h) = found {
                let at = self.base + h.dst as usize;
                if h.tag != CATCH_ALL {
                    let values = &store.exceptions.get(exn).expect("a live exception").values;
                    self.stack.cells[at..at + values.len()].copy_from_slice(values);
                }
                if h.ref_slot != NO_SLOT {
                    store.exceptions.reference(exn);
                    self.stack.cells[self.base + h.ref_slot as usize] = exn_cell(exn);
                } else {
                    store.exceptions.caught(exn);
                }
                self.ip = unsafe { f.ops.as_ptr().add(h.pad as usize) };
                self.memory_index = 0;
                return Exit::Caught;
            }
            let Some(frame) = self.stack.frames.pop() else {
                store.exceptions.caught(exn);
                self.trap = Some(crate::Trap::Uncaught { tag: store.tag_name(tag) });
                return Exit::Trap;
            };
            self.code = frame.func;
            self.base = frame.base;
            self.set_instance(frame.instance);
            pc = self.pc_of(frame.call);
            self.fuel += self.refund(pc);
        }
    }
}
