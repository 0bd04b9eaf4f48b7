//! The stack of suspended callers. A call pushes a [`Frame`] and a return
//! pops one as often as ops run, so the stack keeps a pointer past its top
//! frame rather than a length: the fast paths bump it, with no index to
//! scale and no length to store.

use super::code::Op;
use super::CompiledFunc;

/// A suspended caller.
#[derive(Clone, Copy)]
pub(super) struct Frame {
    /// The caller's call op: the caller resumes after it, past the `Charge`
    /// of the block after it when its extra field says there is one (see
    /// [`Frame::resume`]). The return works that out, so the call, which
    /// runs as often, stores one pointer.
    pub call: *const Op,
    pub func: *const CompiledFunc,
    pub base: usize,
    pub instance: u32,
}

impl Frame {
    /// Where the caller resumes, and the cost of the block that starts
    /// there: the call op's extra field holds that cost when the block's
    /// `Charge` follows the call, for the return to skip (0: none).
    pub fn resume(&self) -> (*const Op, u32) {
        let after = unsafe { (*self.call).extra() };
        (unsafe { self.call.add(1 + (after != 0) as usize) }, after)
    }
}

pub(super) struct Frames {
    /// The frames, from the outermost; its length is stale (`top` says).
    buf: Vec<Frame>,
    /// One past the top frame, inside `buf`'s allocation.
    top: *mut Frame,
}

impl Default for Frames {
    fn default() -> Self {
        Frames::from(Vec::new())
    }
}

impl From<Vec<Frame>> for Frames {
    fn from(mut buf: Vec<Frame>) -> Self {
        // SAFETY: `len` frames are there.
        let top = unsafe { buf.as_mut_ptr().add(buf.len()) };
        Frames { buf, top }
    }
}

impl Frames {
    pub fn len(&self) -> usize {
        // SAFETY: `top` is inside `buf`'s allocation, at or past its start.
        unsafe { self.top.offset_from(self.buf.as_ptr()) as usize }
    }

    pub fn as_slice(&self) -> &[Frame] {
        // SAFETY: the frames below `top` were written (`Frame` is `Copy`).
        unsafe { std::slice::from_raw_parts(self.buf.as_ptr(), self.len()) }
    }

    pub fn last(&self) -> Option<&Frame> {
        self.as_slice().last()
    }

    pub fn pop(&mut self) -> Option<Frame> {
        let frame = *self.last()?;
        // SAFETY: not empty (just seen).
        self.top = unsafe { self.top.sub(1) };
        Some(frame)
    }

    /// Pushes `frame`, growing the stack if it is full.
    pub fn push(&mut self, frame: Frame) {
        let len = self.len();
        // SAFETY: the first `len` frames were written.
        unsafe { self.buf.set_len(len) };
        self.buf.push(frame);
        // SAFETY: one past the last frame of the (possibly new) allocation.
        self.top = unsafe { self.buf.as_mut_ptr().add(len + 1) };
    }

    pub fn clear(&mut self) {
        self.top = self.buf.as_mut_ptr();
    }

    /// Where [`push_within`](Self::push_within) stops: the stack's capacity
    /// or `depth` frames, whichever is fewer.
    pub fn end(&self, depth: usize) -> *const Frame {
        // SAFETY: at most the capacity.
        unsafe { self.buf.as_ptr().add(self.buf.capacity().min(depth)) }
    }

    /// Pushes `frame` if the stack is below `end` (from [`end`](Self::end)
    /// since the last `push`, or null), with no call out.
    #[inline(always)]
    pub fn push_within(&mut self, end: *const Frame, frame: Frame) -> bool {
        if self.top as *const Frame >= end {
            return false;
        }
        // SAFETY: below `end`, so inside the allocation.
        unsafe {
            self.top.write(frame);
            self.top = self.top.add(1);
        }
        true
    }

    /// Pops the top frame if it is in `instance`.
    #[inline(always)]
    pub fn pop_in(&mut self, instance: u32) -> Option<Frame> {
        if self.top as *const Frame == self.buf.as_ptr() {
            return None;
        }
        // SAFETY: not empty, so the frame below `top` was written.
        let frame = unsafe { *self.top.sub(1) };
        if frame.instance != instance {
            return None;
        }
        self.top = unsafe { self.top.sub(1) };
        Some(frame)
    }
}
