//! Exception handling in the translator: `try_table` (3.0) and the legacy
//! `try`/`catch`/`catch_all`/`delegate`/`rethrow` that older toolchains
//! emit. Both become entries of the function's handler table
//! ([`ExnHandler`]) over a range of code; the executor searches it when a
//! throw unwinds (see `exec::unwind`).
//!
//! A legacy `try` body is a plain block. Each catch clause starts a basic
//! block, the clause's landing pad: its `Charge` pays for the clause, so
//! landing counts nothing more. A clause keeps the caught exception in a
//! hidden slot below the tag's values, written only when a `rethrow`
//! names the clause (an exnref keeps its exception alive; see
//! `exception.rs`). `delegate L` ends the try with an entry that sends the
//! search on to the handlers of label `L` and outward: the first entry
//! committed once label `L`'s own handlers are known.

use super::{CtrlKind, Patch, Translator};
use crate::decode::Catch;
use crate::types::BlockType;
use super::instr::{ExnHandler, Instr, Slot, CATCH_ALL, DELEGATE, NO_SLOT};

/// The legacy-exception state of a control frame.
#[derive(Debug, Default)]
pub(super) struct LegacyTry {
    /// Where a `try` body starts and (once its first catch is seen) ends.
    body: (u32, u32),
    /// The handler entry of the catch clause being translated, and the
    /// hidden slot of its exception.
    clause: Option<(usize, Slot)>,
    /// Entries of `delegate`s to this label, whose search resumes at the
    /// next handler this frame commits.
    delegates: Vec<usize>,
}

impl Translator<'_> {
    /// `try_table`: one step, on a jump over a landing pad per catch
    /// clause into the body, which is a block. A pad receives the caught
    /// values in the slots above the stack at entry and branches with them
    /// to the clause's label; it costs nothing (the branch pays for the
    /// block it lands in, as any branch does).
    pub(super) fn try_table(&mut self, bt: BlockType, catches: &[Catch]) {
        self.materialize_locals();
        self.pending += 1;
        let jump = self.emit(Instr::Br { target: 0 }, 0);
        let height = self.stack.len();
        let mut clauses = Vec::with_capacity(catches.len());
        for c in catches {
            let pad = self.pc() as u32;
            let dst = self.slot_of(height);
            if let Some(tag) = c.tag {
                self.push_tag_values(tag);
            }
            let ref_slot = if c.with_ref { self.push_temp() } else { NO_SLOT };
            self.branch(c.label);
            self.truncate_stack(height);
            let tag = c.tag.unwrap_or(CATCH_ALL);
            clauses.push(ExnHandler { start: 0, end: 0, tag, ref_slot, dst, pad });
        }
        let body = self.start_block();
        self.set_target(Patch::Instr(jump), body);
        self.enter(CtrlKind::Block, bt);
        // `enter` counted the block's step, which the jump carries.
        self.pending -= 1;
        let start = self.pc() as u32;
        let frame = self.ctrl.last_mut().expect("the try_table just entered");
        frame.catches = clauses.into_iter().map(|h| ExnHandler { start, ..h }).collect();
    }

    fn push_tag_values(&mut self, tag: u32) {
        let ctx = self.ctx;
        for &t in ctx.types[ctx.tag_types[tag as usize] as usize].params() {
            self.push_temp_ty(t);
        }
    }

    /// Legacy `try`: a block whose body the catches that follow cover.
    pub(super) fn legacy_try(&mut self, bt: BlockType) {
        self.enter(CtrlKind::Try, bt);
        let start = self.pc() as u32;
        self.ctrl.last_mut().expect("the try just entered").legacy.body = (start, start);
    }

    /// Legacy `catch tag` (or `catch_all` for `None`): ends the body or the
    /// clause before, and starts this clause at its landing pad.
    pub(super) fn legacy_catch(&mut self, tag: Option<u32>) {
        let index = self.ctrl.len() - 1;
        let kind = self.ctrl[index].kind;
        if !matches!(kind, CtrlKind::Try | CtrlKind::Catch) {
            return; // a try in dead code
        }
        // A body or clause that falls through goes to the end of the try,
        // its results moved into the try's slots (a clause's values sit
        // above its hidden exception).
        if self.reachable {
            self.branch(0);
            self.reachable = false;
        }
        let height = self.ctrl[index].height;
        if kind == CtrlKind::Try {
            let end = self.pc() as u32;
            let frame = &mut self.ctrl[index];
            frame.legacy.body.1 = end;
            frame.kind = CtrlKind::Catch;
            self.resolve_delegates(index);
        }
        self.truncate_stack(height);
        let pad = self.start_block() as u32;
        let exn = self.push_temp();
        let dst = self.slot_of(self.stack.len());
        if let Some(tag) = tag {
            self.push_tag_values(tag);
        }
        let frame = &mut self.ctrl[index];
        let (start, end) = frame.legacy.body;
        frame.legacy.clause = Some((self.handlers.len(), exn));
        let tag = tag.unwrap_or(CATCH_ALL);
        self.handlers.push(ExnHandler { start, end, tag, ref_slot: NO_SLOT, dst, pad });
        self.reachable = true;
    }


    /// Legacy `delegate depth`: ends the try; an exception from its body
    /// goes on to label `depth` (counted from outside the try), or to the
    /// caller for the function's label.
    pub(super) fn legacy_delegate(&mut self, depth: u32) {
        let frame = self.ctrl.last().expect("delegate ends a try");
        if frame.kind != CtrlKind::Try {
            return self.op_end(); // a try in dead code
        }
        let start = frame.legacy.body.0;
        let end = self.pc() as u32;
        self.op_end();
        let entry = self.handlers.len();
        self.handlers.push(ExnHandler { start, end, tag: DELEGATE, ref_slot: NO_SLOT, dst: 0, pad: u32::MAX });
        let target = self.ctrl.len() - 1 - depth as usize;
        if self.ctrl[target].kind != CtrlKind::Func {
            self.ctrl[target].legacy.delegates.push(entry);
        }
    }

    /// `rethrow depth`: throws the exception of the catch clause at label
    /// `depth` again, one step.
    pub(super) fn legacy_rethrow(&mut self, depth: u32) {
        let index = self.ctrl.len() - 1 - depth as usize;
        let (entry, slot) = self.ctrl[index].legacy.clause.expect("rethrow names a catch clause");
        self.handlers[entry].ref_slot = slot;
        self.emit(Instr::ThrowRef { slot }, 1);
        self.reachable = false;
    }

    /// Points the `delegate`s to frame `index` at the next handler entry.
    pub(super) fn resolve_delegates(&mut self, index: usize) {
        let next = self.handlers.len() as u32;
        for entry in std::mem::take(&mut self.ctrl[index].legacy.delegates) {
            self.handlers[entry].pad = next;
        }
    }
}
