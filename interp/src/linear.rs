//! The bytes of a linear memory: a zeroed reservation whose length grows
//! within its capacity, so the system commits pages only when the guest
//! touches them. On Linux a memory can also be a private mapping of a
//! template (a prewarmed snapshot's memory in a memfd): the kernel then
//! copies a page only when the guest writes it, so a call from the
//! template pays for the pages it touches, not for the whole memory.

use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

pub(crate) struct Bytes {
    ptr: NonNull<u8>,
    len: usize,
    cap: usize,
    mapped: bool,
}

// SAFETY: `Bytes` owns its allocation or mapping exclusively, like a
// `Vec<u8>`.
unsafe impl Send for Bytes {}
unsafe impl Sync for Bytes {}

impl Bytes {
    /// `cap` zero bytes (all of them the length) from the allocator's
    /// zeroed path; `None` if they cannot be had.
    pub fn zeroed(cap: usize) -> Option<Bytes> {
        if cap == 0 {
            return Some(Bytes { ptr: NonNull::dangling(), len: 0, cap: 0, mapped: false });
        }
        let layout = std::alloc::Layout::array::<u8>(cap).ok()?;
        // SAFETY: a non-zero size; the result is checked for null.
        let ptr = NonNull::new(unsafe { std::alloc::alloc_zeroed(layout) })?;
        Some(Bytes { ptr, len: cap, cap, mapped: false })
    }

    /// A private, copy-on-write mapping of the first `len` bytes of `fd`,
    /// in a zeroed reservation of `cap` bytes (growth within it costs
    /// nothing). Writes never reach the file.
    #[cfg(target_os = "linux")]
    pub fn map_private(fd: &rustix::fd::OwnedFd, len: usize, cap: usize) -> Option<Bytes> {
        use rustix::mm::{mmap, mmap_anonymous, munmap, MapFlags, ProtFlags};
        if cap == 0 || len > cap {
            return Bytes::zeroed(cap.max(len));
        }
        let rw = ProtFlags::READ | ProtFlags::WRITE;
        // SAFETY: a fresh anonymous mapping, then the file mapped over its
        // start (MAP_FIXED within a range this function owns); on failure
        // the reservation is unmapped before returning.
        unsafe {
            let base = mmap_anonymous(std::ptr::null_mut(), cap, rw, MapFlags::PRIVATE | MapFlags::NORESERVE).ok()?;
            if len > 0 && mmap(base, len, rw, MapFlags::PRIVATE | MapFlags::FIXED, fd, 0).is_err() {
                let _ = munmap(base, cap);
                return None;
            }
            Some(Bytes { ptr: NonNull::new(base.cast())?, len, cap, mapped: true })
        }
    }

    pub fn capacity(&self) -> usize {
        self.cap
    }

    pub fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }

    /// # Safety
    /// `len` is at most the capacity; the bytes past the old length are
    /// zero (nothing writes past the length), as a memory's new pages must
    /// read.
    pub unsafe fn set_len(&mut self, len: usize) {
        debug_assert!(len <= self.cap);
        self.len = len;
    }
}

impl Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        // SAFETY: `len` bytes from `ptr` are initialised and owned.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl DerefMut for Bytes {
    fn deref_mut(&mut self) -> &mut [u8] {
        // SAFETY: as for `deref`, and `&mut self` is exclusive.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for Bytes {
    fn drop(&mut self) {
        if self.cap == 0 {
            return;
        }
        // SAFETY: the allocation or mapping this value made, of `cap` bytes.
        unsafe {
            if self.mapped {
                #[cfg(target_os = "linux")]
                let _ = rustix::mm::munmap(self.ptr.as_ptr().cast(), self.cap);
            } else {
                std::alloc::dealloc(self.ptr.as_ptr(), std::alloc::Layout::array::<u8>(self.cap).expect("its layout"));
            }
        }
    }
}

/// A memory's contents kept to start many memories from: a memfd whose
/// holes (the pages that were zero) cost nothing.
#[cfg(target_os = "linux")]
pub(crate) struct Template {
    fd: rustix::fd::OwnedFd,
    len: usize,
}

#[cfg(target_os = "linux")]
impl Template {
    /// Writes `data`'s non-zero pages into a new memfd.
    pub fn new(data: &[u8]) -> std::io::Result<Template> {
        use rustix::fs::{ftruncate, memfd_create, MemfdFlags};
        let fd = memfd_create("porta-memory", MemfdFlags::CLOEXEC)?;
        ftruncate(&fd, data.len() as u64)?;
        for (i, page) in data.chunks(4096).enumerate() {
            if page.iter().any(|&b| b != 0) {
                let mut at = 0;
                while at < page.len() {
                    match rustix::io::pwrite(&fd, &page[at..], (i * 4096 + at) as u64)? {
                        0 => return Err(std::io::ErrorKind::WriteZero.into()),
                        n => at += n,
                    }
                }
            }
        }
        Ok(Template { fd, len: data.len() })
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// A memory starting as this one, reserved up to `cap` bytes.
    pub fn instantiate(&self, cap: usize) -> Option<Bytes> {
        Bytes::map_private(&self.fd, self.len, cap.max(self.len))
    }
}
