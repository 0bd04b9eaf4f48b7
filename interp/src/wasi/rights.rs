//! WASI rights: what each descriptor may be used for, as the Preview 1 witx
//! defines them. Every descriptor carries its base rights (what calls on it
//! may do) and its inheriting rights (the most a descriptor opened beneath
//! it may get). Rights only ever shrink: `path_open` gives the new
//! descriptor what was asked, cut to the parent's inheriting rights and to
//! what the file type can have; `fd_fdstat_set_rights` may drop rights and
//! never add one.
//!
//! Rights sit beside capabilities, they do not replace them: a capability or
//! a read-only mount refuses first (`ENOTCAPABLE`, recorded as a denial),
//! then the descriptor's rights are checked.

use super::abi::Errno;

pub const FD_DATASYNC: u64 = 1 << 0;
pub const FD_READ: u64 = 1 << 1;
pub const FD_SEEK: u64 = 1 << 2;
pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
pub const FD_SYNC: u64 = 1 << 4;
pub const FD_TELL: u64 = 1 << 5;
pub const FD_WRITE: u64 = 1 << 6;
pub const FD_ADVISE: u64 = 1 << 7;
pub const FD_ALLOCATE: u64 = 1 << 8;
pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
pub const PATH_CREATE_FILE: u64 = 1 << 10;
pub const PATH_LINK_SOURCE: u64 = 1 << 11;
pub const PATH_LINK_TARGET: u64 = 1 << 12;
pub const PATH_OPEN: u64 = 1 << 13;
pub const FD_READDIR: u64 = 1 << 14;
pub const PATH_READLINK: u64 = 1 << 15;
pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
pub const PATH_RENAME_TARGET: u64 = 1 << 17;
pub const PATH_FILESTAT_GET: u64 = 1 << 18;
pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
pub const FD_FILESTAT_GET: u64 = 1 << 21;
pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
pub const PATH_SYMLINK: u64 = 1 << 24;
pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
pub const PATH_UNLINK_FILE: u64 = 1 << 26;
pub const POLL_FD_READWRITE: u64 = 1 << 27;

/// What a directory can be used for: the operations on paths beneath it,
/// reading its entries, and its own metadata. Never reading, writing or
/// seeking it as a stream, nor setting its size.
pub const DIRECTORY: u64 = PATH_CREATE_DIRECTORY
    | PATH_CREATE_FILE
    | PATH_LINK_SOURCE
    | PATH_LINK_TARGET
    | PATH_OPEN
    | FD_READDIR
    | PATH_READLINK
    | PATH_RENAME_SOURCE
    | PATH_RENAME_TARGET
    | PATH_FILESTAT_GET
    | PATH_FILESTAT_SET_SIZE
    | PATH_FILESTAT_SET_TIMES
    | FD_FILESTAT_GET
    | FD_FILESTAT_SET_TIMES
    | PATH_SYMLINK
    | PATH_REMOVE_DIRECTORY
    | PATH_UNLINK_FILE;

/// What a regular file can be used for.
pub const REGULAR_FILE: u64 = FD_DATASYNC
    | FD_READ
    | FD_SEEK
    | FD_FDSTAT_SET_FLAGS
    | FD_SYNC
    | FD_TELL
    | FD_WRITE
    | FD_ADVISE
    | FD_ALLOCATE
    | FD_FILESTAT_GET
    | FD_FILESTAT_SET_SIZE
    | FD_FILESTAT_SET_TIMES
    | POLL_FD_READWRITE;

/// Stdio streams: character devices that cannot seek (which is also how
/// wasi-libc's `isatty` tells a terminal-like stream).
const STREAM: u64 = FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE;

/// A descriptor's rights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rights {
    pub base: u64,
    pub inheriting: u64,
}

impl Rights {
    /// A mounted directory: every directory right, and everything a
    /// directory or a file may hold for what is opened beneath it. A
    /// read-only mount reports the same rights; its writes are refused by
    /// the mount, with `ENOTCAPABLE`, where they are attempted.
    pub const PREOPEN: Rights = Rights { base: DIRECTORY, inheriting: DIRECTORY | REGULAR_FILE };
    pub const STDIN: Rights = Rights { base: FD_READ | STREAM, inheriting: 0 };
    pub const STDOUT: Rights = Rights { base: FD_WRITE | STREAM, inheriting: 0 };

    /// The rights of a descriptor opened beneath one with `self`: what was
    /// asked, cut to our inheriting rights and to what its type can have.
    /// The spec lets an implementation drop rights that do not apply to
    /// the type opened, so asking for more is not an error.
    pub fn child(self, base: u64, inheriting: u64, is_dir: bool) -> Rights {
        let applicable = if is_dir { DIRECTORY } else { REGULAR_FILE };
        Rights { base: base & self.inheriting & applicable, inheriting: inheriting & self.inheriting }
    }

    /// Replaces these rights with `new`, which may only drop rights.
    pub fn shrink(&mut self, new: Rights) -> Result<(), Errno> {
        if new.base & !self.base != 0 || new.inheriting & !self.inheriting != 0 {
            return Err(Errno::NOTCAPABLE);
        }
        *self = new;
        Ok(())
    }

    /// Checks that the base rights hold every right in `needed`.
    ///
    /// A descriptor not open for reading, writing or seeking answers
    /// `EBADF`, as POSIX does and as the WASI test suite expects (a
    /// directory cannot seek, a file opened without `fd_read` cannot be
    /// read); any other missing right answers `ENOTCAPABLE`.
    pub fn need(self, needed: u64) -> Result<(), Errno> {
        let missing = needed & !self.base;
        match missing {
            0 => Ok(()),
            m if m & (FD_READ | FD_WRITE | FD_SEEK | FD_TELL) != 0 => Err(Errno::BADF),
            _ => Err(Errno::NOTCAPABLE),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_gets_at_most_what_its_parent_passes_on() {
        let dir = Rights::PREOPEN;
        let f = dir.child(FD_READ | FD_WRITE | PATH_OPEN | FD_READDIR, u64::MAX, false);
        assert_eq!(f.base, FD_READ | FD_WRITE);
        assert_eq!(f.inheriting, DIRECTORY | REGULAR_FILE);
        let d = dir.child(FD_READ | FD_SEEK | PATH_OPEN | FD_READDIR, 0, true);
        assert_eq!(d.base, PATH_OPEN | FD_READDIR);
        let narrowed = Rights { base: DIRECTORY, inheriting: FD_READ };
        assert_eq!(narrowed.child(FD_READ | FD_WRITE, FD_WRITE, false), Rights { base: FD_READ, inheriting: 0 });
    }

    #[test]
    fn rights_only_shrink() {
        let mut r = Rights { base: FD_READ | FD_SEEK, inheriting: 0 };
        assert_eq!(r.shrink(Rights { base: FD_SEEK, inheriting: 0 }), Ok(()));
        assert_eq!(r.shrink(Rights { base: FD_SEEK | FD_READ, inheriting: 0 }), Err(Errno::NOTCAPABLE));
        assert_eq!(r.shrink(Rights { base: FD_SEEK, inheriting: FD_READ }), Err(Errno::NOTCAPABLE));
        assert_eq!(r.base, FD_SEEK);
    }

    #[test]
    fn missing_stream_rights_are_ebadf_and_others_enotcapable() {
        let r = Rights { base: FD_SEEK, inheriting: 0 };
        assert_eq!(r.need(FD_SEEK), Ok(()));
        assert_eq!(r.need(FD_READ), Err(Errno::BADF));
        assert_eq!(r.need(FD_ALLOCATE), Err(Errno::NOTCAPABLE));
        assert_eq!(Rights::PREOPEN.need(FD_SEEK), Err(Errno::BADF));
    }
}
