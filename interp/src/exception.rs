//! Exceptions: what a `throw` creates and an `exnref` names, the tag it
//! was thrown with and the values it carries, kept in the store.
//!
//! An exception caught by a plain `catch` or `catch_all` that no `exnref`
//! ever named is gone once its values are on the stack, so its slot is
//! reused at once: a loop that throws and catches runs in bounded memory.
//! One that a `catch_ref` (or a legacy clause that rethrows) handed out
//! may live on in any local, global, table or other exception. When a
//! throw finds [`MAX_LIVE`] exceptions held, the ones nothing names any
//! more are collected ([`Exceptions::collect`]): the roots are every cell
//! of the running frames (conservatively: any cell that reads as an
//! `exnref`, see `value::exn_cell`),
//! exnref globals and tables, and the exceptions the embedder was handed
//! (pinned for the store's life). A throw traps only when that frees none.

/// The most exceptions a store holds at once.
pub(crate) const MAX_LIVE: usize = 1 << 16;

pub(crate) struct Exception {
    /// Store index of the tag.
    pub tag: u32,
    /// The values' cells, as a frame lays them out.
    pub values: Box<[u64]>,
    /// An `exnref` to it was handed out.
    pub referenced: bool,
    /// The embedder was handed an `exnref` to it: never collected.
    pub pinned: std::cell::Cell<bool>,
}

#[derive(Default)]
pub(crate) struct Exceptions {
    slots: Vec<Option<Exception>>,
    free: Vec<u32>,
}

impl Exceptions {
    /// Stores `e`; `None` when [`MAX_LIVE`] are held already.
    pub fn add(&mut self, e: Exception) -> Option<u32> {
        if let Some(i) = self.free.pop() {
            self.slots[i as usize] = Some(e);
            return Some(i);
        }
        if self.slots.len() >= MAX_LIVE {
            return None;
        }
        self.slots.push(Some(e));
        Some(self.slots.len() as u32 - 1)
    }

    pub fn is_full(&self) -> bool {
        self.free.is_empty() && self.slots.len() >= MAX_LIVE
    }

    /// The embedder holds an `exnref` to exception `i`.
    pub fn pin(&self, i: u32) {
        if let Some(Some(e)) = self.slots.get(i as usize) {
            e.pinned.set(true);
        }
    }

    /// Frees every referenced exception that no cell of `roots` names,
    /// directly or through the values of another one kept; returns how
    /// many. Pinned exceptions and ones not referenced (being thrown)
    /// are kept.
    pub fn collect(&mut self, roots: impl Iterator<Item = u64>) -> usize {
        let mut kept = vec![false; self.slots.len()];
        let mut work: Vec<u32> = Vec::new();
        let keep = |cell: u64, kept: &mut Vec<bool>, work: &mut Vec<u32>| {
            if let Some(i) = crate::value::exn_index(cell) {
                if kept.get(i as usize) == Some(&false) && self.slots[i as usize].is_some() {
                    kept[i as usize] = true;
                    work.push(i);
                }
            }
        };
        for cell in roots {
            keep(cell, &mut kept, &mut work);
        }
        for (i, e) in self.slots.iter().enumerate() {
            if e.as_ref().is_some_and(|e| e.pinned.get() || !e.referenced) && !kept[i] {
                kept[i] = true;
                work.push(i as u32);
            }
        }
        while let Some(i) = work.pop() {
            let values = self.slots[i as usize].as_ref().expect("kept exceptions are live").values.clone();
            for &cell in values.iter() {
                keep(cell, &mut kept, &mut work);
            }
        }
        let mut freed = 0;
        for (i, slot) in self.slots.iter_mut().enumerate() {
            if slot.is_some() && !kept[i] {
                *slot = None;
                self.free.push(i as u32);
                freed += 1;
            }
        }
        freed
    }

    /// Every slot (free ones `None`) and the free list in its order: what
    /// a snapshot writes, so slots are reused as they would have been.
    pub fn parts(&self) -> (&[Option<Exception>], &[u32]) {
        (&self.slots, &self.free)
    }

    /// Exceptions as a snapshot held them; `None` unless `free` lists each
    /// empty slot once.
    pub fn from_parts(slots: Vec<Option<Exception>>, free: Vec<u32>) -> Option<Exceptions> {
        let mut seen = vec![false; slots.len()];
        for &i in &free {
            match slots.get(i as usize) {
                Some(None) if !seen[i as usize] => seen[i as usize] = true,
                _ => return None,
            }
        }
        let empty = slots.iter().filter(|s| s.is_none()).count();
        (slots.len() <= MAX_LIVE && empty == free.len()).then_some(Exceptions { slots, free })
    }

    pub fn get(&self, i: u32) -> Option<&Exception> {
        self.slots.get(i as usize)?.as_ref()
    }

    /// An `exnref` to exception `i` now exists: it is kept from here on.
    pub fn reference(&mut self, i: u32) {
        if let Some(Some(e)) = self.slots.get_mut(i as usize) {
            e.referenced = true;
        }
    }

    /// Exception `i` was caught and nothing can name it again, unless an
    /// `exnref` was ever handed out.
    pub fn caught(&mut self, i: u32) {
        if let Some(slot) = self.slots.get_mut(i as usize) {
            if slot.as_ref().is_some_and(|e| !e.referenced) {
                *slot = None;
                self.free.push(i);
            }
        }
    }
}
