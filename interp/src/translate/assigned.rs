//! Which locals a function may read before it has written them: only
//! those need zeroing when it is called. Compilers write nearly every local
//! before reading it (CPython: 223 of its 17 020 declared locals are read
//! first on some path, and 98 % of its functions have none), so most calls
//! zero nothing.
//!
//! A forward pass over the structured control flow with the set of locals
//! definitely written so far, as the spec's validation tracks the operand
//! stack: a label's set is the intersection of the sets of every branch to
//! it and of the fall-through; a loop's label is its start, whose set is
//! the one at entry (a branch back only ever adds writes); code after an
//! unconditional branch is unreachable and reads nothing. An exception can
//! leave a `try` body anywhere, so a handler starts from the set at the
//! body's start.
//!
//! Bounded: a function whose sets would cost more than [`BUDGET`] words of
//! copying and intersecting (very many locals in very many blocks) gets
//! every local zeroed, as if all were read first.

use crate::decode::Op;

/// Words (of 64 locals) copied or intersected before the pass gives up.
const BUDGET: usize = 1 << 20;

/// A set of locals; `None` where code is unreachable (every local written).
type Set = Option<Vec<u64>>;

fn has(bits: &[u64], i: usize) -> bool {
    bits[i / 64] & (1 << (i % 64)) != 0
}

fn add(bits: &mut [u64], i: usize) {
    bits[i / 64] |= 1 << (i % 64);
}

#[derive(PartialEq)]
enum Kind {
    /// The function body: a branch to it is a return.
    Func,
    Block,
    Loop,
    If { has_else: bool },
    /// A legacy `try`: its catch clauses start from `entry`.
    Try,
}

struct Frame {
    kind: Kind,
    /// The set where the block started (`if` and `try` only).
    entry: Set,
    /// The intersection of what reached the label so far (`None`: nothing).
    end: Set,
}

pub(super) struct Assigned {
    words: usize,
    now: Set,
    frames: Vec<Frame>,
    read_first: Vec<u64>,
    budget: usize,
    gave_up: bool,
}

impl Assigned {
    /// A function with `locals` locals, the first `params` of them
    /// parameters (written by the call).
    pub fn new(locals: usize, params: usize) -> Self {
        let words = locals.div_ceil(64);
        let mut now = vec![0u64; words];
        (0..params).for_each(|i| add(&mut now, i));
        Assigned {
            words,
            now: Some(now),
            frames: vec![Frame { kind: Kind::Func, entry: None, end: None }],
            read_first: vec![0; words],
            budget: BUDGET,
            gave_up: false,
        }
    }

    /// Counts local `i` as read before it is written, whatever the code.
    pub fn read_first_anyway(&mut self, i: usize) {
        add(&mut self.read_first, i);
    }

    /// Whether local `i` may be read before it is written; every local
    /// once the pass gave up.
    pub fn read_first(&self, i: usize) -> bool {
        self.gave_up || has(&self.read_first, i)
    }

    /// Follows one operator, in order, reachable or not.
    pub fn observe(&mut self, op: &Op) {
        if self.gave_up {
            return;
        }
        match op {
            Op::LocalGet(i) => {
                if self.now.as_ref().is_some_and(|now| !has(now, *i as usize)) {
                    add(&mut self.read_first, *i as usize);
                }
            }
            Op::LocalSet(i) | Op::LocalTee(i) => {
                if let Some(now) = &mut self.now {
                    add(now, *i as usize);
                }
            }
            Op::Block(_) => self.enter(Kind::Block, false),
            Op::Loop(_) => self.enter(Kind::Loop, false),
            Op::If(_) => self.enter(Kind::If { has_else: false }, true),
            Op::Try(_) => self.enter(Kind::Try, true),
            Op::TryTable { catches, .. } => {
                // A catch clause branches to its label (outside the
                // `try_table`) from anywhere in the body.
                for c in catches.iter() {
                    self.branch_to(c.label);
                }
                self.enter(Kind::Block, false);
            }
            Op::Else => {
                let frame = self.frames.last_mut().expect("else in an if");
                frame.kind = Kind::If { has_else: true };
                let entry = frame.entry.take();
                self.fall_to_label();
                self.now = entry;
            }
            Op::Catch(_) | Op::CatchAll => {
                self.fall_to_label();
                let entry = self.frames.last().expect("catch in a try").entry.clone();
                self.charge(1);
                self.now = entry;
            }
            Op::End | Op::Delegate(_) => {
                self.fall_to_label();
                let frame = self.frames.pop().expect("end closes a block");
                let end = match frame.kind {
                    // Without `else`, a false condition skips to the end.
                    Kind::If { has_else: false } => self.meet(frame.end, frame.entry),
                    _ => frame.end,
                };
                // A loop's label is its start: only the fall-through
                // reaches its end (`fall_to_label` put it there).
                self.now = end;
            }
            Op::Br(depth) => {
                self.branch_to(*depth);
                self.now = None;
            }
            Op::BrIf(depth) | Op::BrOnNull(depth) | Op::BrOnNonNull(depth) => self.branch_to(*depth),
            Op::BrTable { targets, default } => {
                for &depth in targets.iter().chain(std::iter::once(default)) {
                    self.branch_to(depth);
                }
                self.now = None;
            }
            Op::Return
            | Op::Unreachable
            | Op::Throw(_)
            | Op::ThrowRef
            | Op::Rethrow(_)
            | Op::ReturnCall(_)
            | Op::ReturnCallIndirect { .. }
            | Op::ReturnCallRef(_) => self.now = None,
            _ => {}
        }
        if self.budget == 0 {
            self.gave_up = true;
            self.frames = Vec::new();
            self.now = None;
        }
    }

    fn charge(&mut self, copies: usize) {
        self.budget = self.budget.saturating_sub(copies * self.words.max(1));
    }

    fn enter(&mut self, kind: Kind, keep_entry: bool) {
        let entry = if keep_entry {
            self.charge(1);
            self.now.clone()
        } else {
            None
        };
        self.frames.push(Frame { kind, entry, end: None });
    }

    /// The set at a label reached by `a` and `b`.
    fn meet(&mut self, a: Set, b: Set) -> Set {
        match (a, b) {
            (Some(mut a), Some(b)) => {
                self.charge(1);
                a.iter_mut().zip(&b).for_each(|(x, y)| *x &= y);
                Some(a)
            }
            (a, None) => a,
            (None, b) => b,
        }
    }

    /// The current set reaches the innermost block's label by falling
    /// through to its end (a loop's too: its end is past its label).
    fn fall_to_label(&mut self) {
        let now = self.now.take();
        let end = self.frames.last_mut().expect("a block").end.take();
        let met = self.meet(end, now);
        self.frames.last_mut().expect("a block").end = met;
    }

    /// A branch to label `depth` carries the current set there.
    fn branch_to(&mut self, depth: u32) {
        let Some(now) = &self.now else { return };
        let Some(index) = self.frames.len().checked_sub(1 + depth as usize) else { return };
        let frame = &mut self.frames[index];
        if matches!(frame.kind, Kind::Loop | Kind::Func) {
            return;
        }
        match &mut frame.end {
            Some(end) => end.iter_mut().zip(now).for_each(|(x, y)| *x &= y),
            None => frame.end = Some(now.clone()),
        }
        self.charge(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::BlockType;

    fn run(locals: usize, params: usize, ops: &[Op]) -> Assigned {
        let mut a = Assigned::new(locals, params);
        ops.iter().for_each(|op| a.observe(op));
        a
    }

    #[test]
    fn a_local_written_first_on_every_path_is_not_read_first() {
        let a = run(3, 1, &[
            Op::LocalGet(0),
            Op::If(BlockType::Empty),
            Op::I32Const(1),
            Op::LocalSet(1),
            Op::Else,
            Op::I32Const(2),
            Op::LocalSet(1),
            Op::End,
            Op::LocalGet(1),
            Op::LocalGet(2),
            Op::End,
        ]);
        assert!(!a.read_first(0) && !a.read_first(1));
        assert!(a.read_first(2));
    }

    #[test]
    fn a_branch_out_before_the_write_makes_it_read_first() {
        let ops = |depth| [Op::Block(BlockType::Empty), Op::Br(depth), Op::I32Const(1), Op::LocalSet(0), Op::End, Op::LocalGet(0), Op::End];
        assert!(run(1, 0, &ops(0)).read_first(0));
        // To the function's label: a return, after which nothing is read.
        assert!(!run(1, 0, &ops(1)).read_first(0));
    }

    #[test]
    fn past_the_budget_every_local_is_read_first() {
        // 64 000 locals (1000 words); each `if` keeps a copy of the set.
        let mut ops = Vec::new();
        for _ in 0..2000 {
            ops.extend([Op::I32Const(1), Op::If(BlockType::Empty)]);
        }
        let a = run(64_000, 0, &ops);
        assert!(a.gave_up && a.read_first(63_999));
        let small = run(64_000, 0, &ops[..20]);
        assert!(!small.gave_up && !small.read_first(63_999));
    }
}
