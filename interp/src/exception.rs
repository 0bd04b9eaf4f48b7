//! Exceptions: what a `throw` creates and an `exnref` names, the tag it
//! was thrown with and the values it carries, kept in the store.
//!
//! An exception caught by a plain `catch` or `catch_all` that no `exnref`
//! ever named is gone once its values are on the stack, so its slot is
//! reused at once: a loop that throws and catches runs in bounded memory.
//! One that a `catch_ref` handed out may live on in any local, global or
//! table, and stays until the store goes; there are at most
//! [`MAX_LIVE`] of those at a time, past which a throw traps.

/// The most exceptions a store holds at once.
pub(crate) const MAX_LIVE: usize = 1 << 16;

pub(crate) struct Exception {
    /// Store index of the tag.
    pub tag: u32,
    /// The values' cells, as a frame lays them out.
    pub values: Box<[u64]>,
    /// An `exnref` to it was handed out.
    pub referenced: bool,
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
