//! Rights and errno cases with raw WASI Preview 1 calls, the behaviours the
//! official WASI test suite checks (expectations from the witx and the
//! suite's published tests; see tests/wasi/README.md). Each case runs with
//! a fresh writable mount as fd 3 (`-v DIR:/sandbox`) and returns `Err(why)`
//! on the first wrong answer.

use wasi::*;

type R = Result<(), String>;

/// The mount: wasi-libc and Rust std find it as the first preopen.
const MOUNT: Fd = 3;

macro_rules! ensure {
    ($cond:expr, $($why:tt)*) => { if !$cond { return Err(format!($($why)*)); } };
}

/// `call` fails with one of `expected`.
fn fails<T>(what: &str, call: Result<T, Errno>, expected: &[Errno]) -> R {
    match call {
        Ok(_) => Err(format!("{what} succeeded, expected {}", names(expected))),
        Err(e) if expected.contains(&e) => Ok(()),
        Err(e) => Err(format!("{what}: got {}, expected {}", e.name(), names(expected))),
    }
}

fn names(errs: &[Errno]) -> String {
    errs.iter().map(|e| e.name()).collect::<Vec<_>>().join(" or ")
}

fn ok<T>(what: &str, call: Result<T, Errno>) -> Result<T, String> {
    call.map_err(|e| format!("{what}: {}", e.name()))
}

fn fdstat(fd: Fd) -> Result<Fdstat, String> {
    ok("fd_fdstat_get", unsafe { fd_fdstat_get(fd) })
}

fn open(dir: Fd, path: &str, oflags: Oflags, base: Rights, inheriting: Rights, fdflags: Fdflags) -> Result<Fd, Errno> {
    unsafe { path_open(dir, 0, path, oflags, base, inheriting, fdflags) }
}

fn create(dir: Fd, path: &str) -> R {
    let fd = ok(&format!("creating {path}"), open(dir, path, OFLAGS_CREAT, 0, 0, 0))?;
    ok("fd_close", unsafe { fd_close(fd) })
}

fn write(fd: Fd, bytes: &[u8]) -> Result<usize, Errno> {
    unsafe { fd_write(fd, &[Ciovec { buf: bytes.as_ptr(), buf_len: bytes.len() }]) }
}

fn read(fd: Fd, buf: &mut [u8]) -> Result<usize, Errno> {
    unsafe { fd_read(fd, &[Iovec { buf: buf.as_mut_ptr(), buf_len: buf.len() }]) }
}

/// A fresh directory below the mount, opened with the rights the suite's
/// helper asks for.
fn scratch(name: &str) -> Result<Fd, String> {
    ok("path_create_directory", unsafe { path_create_directory(MOUNT, name) })?;
    let pre = fdstat(MOUNT)?;
    ok("opening the scratch directory", open(MOUNT, name, OFLAGS_DIRECTORY, pre.fs_rights_base, pre.fs_rights_inheriting, 0))
}

const DIRECTORY_RIGHTS: Rights = RIGHTS_PATH_CREATE_DIRECTORY
    | RIGHTS_PATH_CREATE_FILE
    | RIGHTS_PATH_LINK_SOURCE
    | RIGHTS_PATH_LINK_TARGET
    | RIGHTS_PATH_OPEN
    | RIGHTS_FD_READDIR
    | RIGHTS_PATH_READLINK
    | RIGHTS_PATH_RENAME_SOURCE
    | RIGHTS_PATH_RENAME_TARGET
    | RIGHTS_PATH_SYMLINK
    | RIGHTS_PATH_REMOVE_DIRECTORY
    | RIGHTS_PATH_UNLINK_FILE
    | RIGHTS_PATH_FILESTAT_GET
    | RIGHTS_PATH_FILESTAT_SET_TIMES
    | RIGHTS_FD_FILESTAT_GET
    | RIGHTS_FD_FILESTAT_SET_TIMES;

const FILE_RIGHTS: Rights = RIGHTS_FD_DATASYNC
    | RIGHTS_FD_READ
    | RIGHTS_FD_SEEK
    | RIGHTS_FD_FDSTAT_SET_FLAGS
    | RIGHTS_FD_SYNC
    | RIGHTS_FD_TELL
    | RIGHTS_FD_WRITE
    | RIGHTS_FD_ADVISE
    | RIGHTS_FD_ALLOCATE
    | RIGHTS_FD_FILESTAT_GET
    | RIGHTS_FD_FILESTAT_SET_SIZE
    | RIGHTS_FD_FILESTAT_SET_TIMES
    | RIGHTS_POLL_FD_READWRITE;

pub const CASES: &[(&str, fn() -> R)] = &[
    ("preopen_rights", preopen_rights),
    ("set_rights", set_rights),
    ("read_without_rights", read_without_rights),
    ("directory_ops", directory_ops),
    ("truncation_rights", truncation_rights),
    ("fdstat_flags", fdstat_flags),
    ("link_edges", link_edges),
    ("seek_tell_types", seek_tell_types),
    ("readdir_dots", readdir_dots),
];

/// A mount holds every directory right and passes on every file right;
/// never the read, write, seek or set-size rights of a stream.
fn preopen_rights() -> R {
    let st = fdstat(MOUNT)?;
    ensure!(st.fs_filetype == FILETYPE_DIRECTORY, "mount is not a directory");
    ensure!(st.fs_rights_base & DIRECTORY_RIGHTS == DIRECTORY_RIGHTS, "base {:#x} lacks directory rights", st.fs_rights_base);
    ensure!(
        st.fs_rights_base & (RIGHTS_FD_READ | RIGHTS_FD_WRITE | RIGHTS_FD_SEEK | RIGHTS_FD_FILESTAT_SET_SIZE) == 0,
        "base {:#x} holds stream rights",
        st.fs_rights_base
    );
    let wanted = DIRECTORY_RIGHTS | FILE_RIGHTS;
    ensure!(st.fs_rights_inheriting & wanted == wanted, "inheriting {:#x} lacks rights", st.fs_rights_inheriting);
    // Rust std reopens a mount with its own fdstat rights.
    let fd = ok("reopen with the same rights", open(MOUNT, ".", OFLAGS_DIRECTORY, st.fs_rights_base, st.fs_rights_inheriting, 0))?;
    let again = fdstat(fd)?;
    ensure!(again.fs_rights_base == st.fs_rights_base, "reopened base {:#x}", again.fs_rights_base);
    ok("reopen, no oflags", open(MOUNT, ".", 0, st.fs_rights_base, st.fs_rights_inheriting, 0))?;
    ok("reopen, empty rights", open(MOUNT, ".", OFLAGS_DIRECTORY, 0, 0, 0))?;
    ok("reopen, read right", open(MOUNT, ".", OFLAGS_DIRECTORY, RIGHTS_FD_READ, 0, 0))?;
    fails(
        "opening a directory to write",
        open(MOUNT, ".", OFLAGS_DIRECTORY, RIGHTS_FD_READ | RIGHTS_FD_WRITE, 0, 0),
        &[ERRNO_ISDIR],
    )
}

/// Dropped rights stop working and cannot come back.
fn set_rights() -> R {
    let dir = scratch("set_rights")?;
    let wanted = RIGHTS_FD_READ | RIGHTS_FD_WRITE | RIGHTS_FD_SEEK | RIGHTS_FD_TELL;
    let fd = ok("create", open(dir, "f", OFLAGS_CREAT, wanted, 0, 0))?;
    ensure!(fdstat(fd)?.fs_rights_base == wanted, "new file has {:#x}", fdstat(fd)?.fs_rights_base);
    ok("write", write(fd, b"abcd"))?;
    ok("seek", unsafe { fd_seek(fd, 0, WHENCE_SET) })?;
    let mut buf = [0u8; 4];
    ensure!(ok("read", read(fd, &mut buf))? == 4 && &buf == b"abcd", "read back {buf:?}");
    ok("dropping read and write", unsafe { fd_fdstat_set_rights(fd, RIGHTS_FD_SEEK | RIGHTS_FD_TELL, 0) })?;
    let st = fdstat(fd)?;
    ensure!(st.fs_rights_base == RIGHTS_FD_SEEK | RIGHTS_FD_TELL, "after dropping: {:#x}", st.fs_rights_base);
    ok("seek keeps working", unsafe { fd_seek(fd, 0, WHENCE_SET) })?;
    fails("read without fd_read", read(fd, &mut buf), &[ERRNO_BADF])?;
    fails("write without fd_write", write(fd, b"x"), &[ERRNO_BADF])?;
    fails("regranting rights", unsafe { fd_fdstat_set_rights(fd, wanted, 0) }, &[ERRNO_NOTCAPABLE])?;
    fails("granting inheriting rights", unsafe { fd_fdstat_set_rights(fd, st.fs_rights_base, RIGHTS_FD_READ) }, &[ERRNO_NOTCAPABLE])?;
    ok("setting the same rights", unsafe { fd_fdstat_set_rights(fd, st.fs_rights_base, 0) })?;
    // A directory that dropped an inheriting right cannot pass it on.
    let d = fdstat(dir)?;
    ok("dropping inheriting fd_write", unsafe { fd_fdstat_set_rights(dir, d.fs_rights_base, d.fs_rights_inheriting & !RIGHTS_FD_WRITE) })?;
    let g = ok("open asking for write", open(dir, "f", 0, RIGHTS_FD_READ | RIGHTS_FD_WRITE, 0, 0))?;
    ensure!(fdstat(g)?.fs_rights_base == RIGHTS_FD_READ, "child got {:#x}", fdstat(g)?.fs_rights_base);
    fails("write through it", write(g, b"x"), &[ERRNO_BADF])?;
    // Dropping a directory right stops that call.
    ok("dropping path_create_directory", unsafe { fd_fdstat_set_rights(dir, d.fs_rights_base & !RIGHTS_PATH_CREATE_DIRECTORY, 0) })?;
    fails("mkdir without the right", unsafe { path_create_directory(dir, "sub") }, &[ERRNO_NOTCAPABLE])?;
    Ok(())
}

/// A file opened without `fd_read` cannot be read (the suite's
/// path_open_read_without_rights).
fn read_without_rights() -> R {
    let dir = scratch("read_without_rights")?;
    create(dir, "f")?;
    let d = fdstat(dir)?;
    ok("dropping fd_read", unsafe { fd_fdstat_set_rights(dir, d.fs_rights_base & !RIGHTS_FD_READ, d.fs_rights_inheriting & !RIGHTS_FD_READ) })?;
    let fd = ok("open", open(dir, "f", 0, 0, 0, 0))?;
    let st = fdstat(fd)?;
    ensure!(st.fs_rights_base & RIGHTS_FD_READ == 0 && st.fs_rights_inheriting & RIGHTS_FD_READ == 0, "fd_read present");
    fails("fd_read", read(fd, &mut [0u8; 1]), &[ERRNO_BADF])
}

/// Stream operations on a directory fail; asking for `fd_seek` when opening
/// one does not give it.
fn directory_ops() -> R {
    let dir = scratch("directory_ops")?;
    ok("mkdir", unsafe { path_create_directory(dir, "d") })?;
    let fd = ok("open asking for fd_seek", open(dir, "d", OFLAGS_DIRECTORY, RIGHTS_FD_SEEK, 0, 0))?;
    ensure!(fdstat(fd)?.fs_rights_base & RIGHTS_FD_SEEK == 0, "directory got fd_seek");
    fails("fd_seek on a directory", unsafe { fd_seek(fd, 0, WHENCE_CUR) }, &[ERRNO_BADF])?;
    for (what, r) in [
        ("fd_seek SET", unsafe { fd_seek(dir, 0, WHENCE_SET) }.map(drop)),
        ("fd_seek END", unsafe { fd_seek(dir, 0, WHENCE_END) }.map(drop)),
        ("fd_tell", unsafe { fd_tell(dir) }.map(drop)),
        ("fd_read", read(dir, &mut [0u8; 8]).map(drop)),
        ("fd_write", write(dir, b"x").map(drop)),
        ("fd_pwrite", unsafe { fd_pwrite(dir, &[Ciovec { buf: b"x".as_ptr(), buf_len: 1 }], 0) }.map(drop)),
    ] {
        fails(what, r, &[ERRNO_BADF])?;
    }
    fails("fd_allocate", unsafe { fd_allocate(dir, 0, 1) }, &[ERRNO_NOTCAPABLE])?;
    fails("fd_filestat_set_size", unsafe { fd_filestat_set_size(dir, 0) }, &[ERRNO_NOTCAPABLE])?;
    // A file descriptor is not a directory for path calls.
    create(dir, "f")?;
    let f = ok("open file", open(dir, "f", 0, RIGHTS_FD_READ, 0, 0))?;
    fails("path_open beneath a file", open(f, "x", 0, 0, 0, 0), &[ERRNO_NOTDIR])?;
    fails("O_DIRECTORY on a file", open(dir, "f", OFLAGS_DIRECTORY, 0, 0, 0), &[ERRNO_NOTDIR])
}

/// `O_TRUNC` needs `path_filestat_set_size` on the directory, not
/// `fd_filestat_set_size` on the file (the suite's truncation_rights).
fn truncation_rights() -> R {
    let dir = scratch("truncation_rights")?;
    create(dir, "f")?;
    let d = fdstat(dir)?;
    ensure!(d.fs_rights_base & RIGHTS_FD_FILESTAT_SET_SIZE == 0, "a directory has fd_filestat_set_size");
    ensure!(d.fs_rights_base & RIGHTS_PATH_FILESTAT_SET_SIZE != 0, "no path_filestat_set_size");
    ok("O_TRUNC", open(dir, "f", OFLAGS_TRUNC, 0, 0, 0))?;
    let inheriting = d.fs_rights_inheriting & !RIGHTS_FD_FILESTAT_SET_SIZE;
    ok("dropping inheriting set_size", unsafe { fd_fdstat_set_rights(dir, d.fs_rights_base, inheriting) })?;
    ok("O_TRUNC without fd_filestat_set_size", open(dir, "f", OFLAGS_TRUNC, 0, 0, 0))?;
    let base = d.fs_rights_base & !RIGHTS_PATH_FILESTAT_SET_SIZE;
    ok("dropping path_filestat_set_size", unsafe { fd_fdstat_set_rights(dir, base, inheriting) })?;
    ensure!(fdstat(dir)?.fs_rights_base & RIGHTS_PATH_FILESTAT_SET_SIZE == 0, "the right came back");
    fails("O_TRUNC without the right", open(dir, "f", OFLAGS_TRUNC, 0, 0, 0), &[ERRNO_NOTCAPABLE])
}

/// fdstat reports the flags a file was opened with and set since.
fn fdstat_flags() -> R {
    let dir = scratch("fdstat_flags")?;
    let rw = RIGHTS_FD_READ | RIGHTS_FD_WRITE | RIGHTS_FD_SEEK | RIGHTS_FD_TELL | RIGHTS_FD_FDSTAT_SET_FLAGS | RIGHTS_FD_FILESTAT_GET;
    for flag in [FDFLAGS_SYNC, FDFLAGS_DSYNC, FDFLAGS_RSYNC, FDFLAGS_APPEND | FDFLAGS_SYNC] {
        let fd = ok("open with a sync flag", open(dir, "s", OFLAGS_CREAT, rw | RIGHTS_FD_SYNC | RIGHTS_FD_DATASYNC, 0, flag))?;
        ensure!(fdstat(fd)?.fs_flags == flag, "flags {:#x}, opened with {flag:#x}", fdstat(fd)?.fs_flags);
        ok("fd_close", unsafe { fd_close(fd) })?;
    }
    fails("sync without fd_sync", open(dir, "s", 0, rw, 0, FDFLAGS_SYNC), &[ERRNO_NOTCAPABLE])?;
    let fd = ok("open append", open(dir, "a", OFLAGS_CREAT, rw, 0, FDFLAGS_APPEND))?;
    ok("write", write(fd, &[0; 100]))?;
    ok("seek to 0", unsafe { fd_seek(fd, 0, WHENCE_SET) })?;
    ok("append write", write(fd, &[1; 100]))?;
    ok("clear append", unsafe { fd_fdstat_set_flags(fd, 0) })?;
    ensure!(fdstat(fd)?.fs_flags == 0, "append still shown");
    ok("seek to 0", unsafe { fd_seek(fd, 0, WHENCE_SET) })?;
    ok("overwrite", write(fd, &[2; 100]))?;
    let size = ok("filestat", unsafe { fd_filestat_get(fd) })?.size;
    ensure!(size == 200, "size {size}, expected 200");
    fails("set_flags with an unknown bit", unsafe { fd_fdstat_set_flags(fd, 0x100) }, &[ERRNO_INVAL])?;
    let ro = ok("open without set_flags right", open(dir, "a", 0, RIGHTS_FD_READ, 0, 0))?;
    fails("set_flags without the right", unsafe { fd_fdstat_set_flags(ro, FDFLAGS_APPEND) }, &[ERRNO_NOTCAPABLE])
}

/// Hard links: trailing slashes, directories, existing names, dangling
/// symlinks (the suite's path_link).
fn link_edges() -> R {
    let dir = scratch("link_edges")?;
    create(dir, "file")?;
    fails("link to name/", unsafe { path_link(dir, 0, "file", dir, "link/") }, &[ERRNO_NOENT])?;
    fails("link to itself", unsafe { path_link(dir, 0, "file", dir, "file") }, &[ERRNO_EXIST])?;
    ok("mkdir", unsafe { path_create_directory(dir, "sub") })?;
    fails("link onto a directory", unsafe { path_link(dir, 0, "file", dir, "sub") }, &[ERRNO_EXIST])?;
    fails("link onto dir/", unsafe { path_link(dir, 0, "file", dir, "sub/") }, &[ERRNO_EXIST])?;
    fails("link of a directory", unsafe { path_link(dir, 0, "sub", dir, "l") }, &[ERRNO_PERM, ERRNO_ACCES])?;
    fails("link of file/", unsafe { path_link(dir, 0, "file/", dir, "l") }, &[ERRNO_NOTDIR])?;
    ok("link", unsafe { path_link(dir, 0, "file", dir, "sub/l") })?;
    ok("dangling symlink", unsafe { path_symlink("target", dir, "dangling") })?;
    ok("link of a dangling symlink", unsafe { path_link(dir, 0, "dangling", dir, "l2") })?;
    fails("link onto a dangling symlink", unsafe { path_link(dir, 0, "file", dir, "dangling") }, &[ERRNO_EXIST])?;
    fails(
        "following a dangling symlink",
        unsafe { path_link(dir, LOOKUPFLAGS_SYMLINK_FOLLOW, "dangling", dir, "l3") },
        &[ERRNO_INVAL, ERRNO_NOENT],
    )?;
    ok("symlink loop", unsafe { path_symlink("loop", dir, "loop") })?;
    ok("link of a symlink loop", unsafe { path_link(dir, 0, "loop", dir, "l4") })?;
    fails("symlink to name/", unsafe { path_symlink("file", dir, "s/") }, &[ERRNO_NOENT])?;
    fails("following a loop", unsafe { path_open(dir, LOOKUPFLAGS_SYMLINK_FOLLOW, "loop", 0, 0, 0, 0) }, &[ERRNO_LOOP])
}

/// Seek and tell on each kind of descriptor.
fn seek_tell_types() -> R {
    let dir = scratch("seek_tell_types")?;
    let fd = ok("create", open(dir, "f", OFLAGS_CREAT, RIGHTS_FD_WRITE | RIGHTS_FD_SEEK | RIGHTS_FD_TELL, 0, 0))?;
    ok("write", write(fd, b"0123456789"))?;
    ensure!(ok("tell", unsafe { fd_tell(fd) })? == 10, "tell after write");
    ensure!(ok("seek CUR -4", unsafe { fd_seek(fd, -4, WHENCE_CUR) })? == 6, "seek CUR");
    ensure!(ok("seek END", unsafe { fd_seek(fd, 5, WHENCE_END) })? == 15, "seek past the end");
    fails("seek before 0", unsafe { fd_seek(fd, -100, WHENCE_SET) }, &[ERRNO_INVAL])?;
    let tell_only = ok("open with only fd_tell", open(dir, "f", 0, RIGHTS_FD_TELL, 0, 0))?;
    ensure!(ok("fd_seek(0, CUR) with fd_tell", unsafe { fd_seek(tell_only, 0, WHENCE_CUR) })? == 0, "position");
    fails("fd_seek with only fd_tell", unsafe { fd_seek(tell_only, 1, WHENCE_SET) }, &[ERRNO_BADF])?;
    for stream in [0, 1, 2] {
        fails("seek on a stream", unsafe { fd_seek(stream, 0, WHENCE_CUR) }, &[ERRNO_SPIPE])?;
        fails("tell on a stream", unsafe { fd_tell(stream) }, &[ERRNO_SPIPE])?;
    }
    fails("seek on a closed fd", unsafe { fd_seek(99, 0, WHENCE_CUR) }, &[ERRNO_BADF])
}

/// `fd_readdir` lists `.` and `..`, and cookies resume after an entry.
fn readdir_dots() -> R {
    let dir = scratch("readdir_dots")?;
    create(dir, "file")?;
    let ino = ok("filestat", unsafe { fd_filestat_get(dir) })?.ino;
    let mut buf = [0u8; 512];
    let used = ok("fd_readdir", unsafe { fd_readdir(dir, buf.as_mut_ptr(), buf.len(), 0) })?;
    let entries = parse_dirents(&buf[..used]);
    let mut names: Vec<&str> = entries.iter().map(|(_, n, _)| n.as_str()).collect();
    names.sort();
    ensure!(names == [".", "..", "file"], "entries {names:?}");
    let dot = entries.iter().find(|(_, n, _)| n == ".").unwrap();
    ensure!(dot.2.d_ino == ino && dot.2.d_type == FILETYPE_DIRECTORY, "`.` is not this directory");
    let (cookie, _, _) = &entries[1];
    let used = ok("fd_readdir from a cookie", unsafe { fd_readdir(dir, buf.as_mut_ptr(), buf.len(), *cookie) })?;
    let rest = parse_dirents(&buf[..used]);
    ensure!(rest.len() == 1 && rest[0].1 == entries[2].1, "resumed at {:?}", rest.iter().map(|e| &e.1).collect::<Vec<_>>());
    Ok(())
}

fn parse_dirents(mut buf: &[u8]) -> Vec<(Dircookie, String, Dirent)> {
    let head = std::mem::size_of::<Dirent>();
    let mut out = Vec::new();
    while buf.len() >= head {
        let d: Dirent = unsafe { (buf.as_ptr() as *const Dirent).read_unaligned() };
        let end = head + d.d_namlen as usize;
        if buf.len() < end {
            break;
        }
        out.push((d.d_next, String::from_utf8_lossy(&buf[head..end]).into_owned(), d));
        buf = &buf[end..];
    }
    out
}
