//! The WASI Preview 1 ABI as the witx definitions give it: errno values,
//! flag bits, and the byte layout of the structs that cross into guest
//! memory.

#![allow(dead_code)]

/// A WASI error number (`errno`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Errno(pub u16);

macro_rules! errnos {
    ($($name:ident = $v:expr),* $(,)?) => {
        impl Errno { $(pub const $name: Errno = Errno($v);)* }
    };
}
errnos! {
    SUCCESS = 0, TOOBIG = 1, ACCES = 2, ADDRINUSE = 3, ADDRNOTAVAIL = 4, AFNOSUPPORT = 5,
    AGAIN = 6, ALREADY = 7, BADF = 8, BADMSG = 9, BUSY = 10, CANCELED = 11, CHILD = 12,
    CONNABORTED = 13, CONNREFUSED = 14, CONNRESET = 15, DEADLK = 16, DESTADDRREQ = 17,
    DOM = 18, DQUOT = 19, EXIST = 20, FAULT = 21, FBIG = 22, HOSTUNREACH = 23, IDRM = 24,
    ILSEQ = 25, INPROGRESS = 26, INTR = 27, INVAL = 28, IO = 29, ISCONN = 30, ISDIR = 31,
    LOOP = 32, MFILE = 33, MLINK = 34, MSGSIZE = 35, MULTIHOP = 36, NAMETOOLONG = 37,
    NETDOWN = 38, NETRESET = 39, NETUNREACH = 40, NFILE = 41, NOBUFS = 42, NODEV = 43,
    NOENT = 44, NOEXEC = 45, NOLCK = 46, NOLINK = 47, NOMEM = 48, NOMSG = 49,
    NOPROTOOPT = 50, NOSPC = 51, NOSYS = 52, NOTCONN = 53, NOTDIR = 54, NOTEMPTY = 55,
    NOTRECOVERABLE = 56, NOTSOCK = 57, NOTSUP = 58, NOTTY = 59, NXIO = 60, OVERFLOW = 61,
    OWNERDEAD = 62, PERM = 63, PIPE = 64, PROTO = 65, PROTONOSUPPORT = 66, PROTOTYPE = 67,
    RANGE = 68, ROFS = 69, SPIPE = 70, SRCH = 71, STALE = 72, TIMEDOUT = 73, TXTBSY = 74,
    XDEV = 75, NOTCAPABLE = 76,
}

impl From<rustix::io::Errno> for Errno {
    fn from(e: rustix::io::Errno) -> Self {
        use rustix::io::Errno as E;
        match e {
            E::TOOBIG => Errno::TOOBIG,
            E::ACCESS => Errno::ACCES,
            E::AGAIN => Errno::AGAIN,
            E::BADF => Errno::BADF,
            E::BUSY => Errno::BUSY,
            E::EXIST => Errno::EXIST,
            E::FAULT => Errno::FAULT,
            E::FBIG => Errno::FBIG,
            E::INTR => Errno::INTR,
            E::INVAL => Errno::INVAL,
            E::IO => Errno::IO,
            E::ISDIR => Errno::ISDIR,
            E::LOOP => Errno::LOOP,
            E::MFILE => Errno::MFILE,
            E::MLINK => Errno::MLINK,
            E::NAMETOOLONG => Errno::NAMETOOLONG,
            E::NFILE => Errno::NFILE,
            E::NODEV => Errno::NODEV,
            E::NOENT => Errno::NOENT,
            E::NOMEM => Errno::NOMEM,
            E::NOSPC => Errno::NOSPC,
            E::NOSYS => Errno::NOSYS,
            E::NOTDIR => Errno::NOTDIR,
            E::NOTEMPTY => Errno::NOTEMPTY,
            E::NOTSUP => Errno::NOTSUP,
            E::NOTTY => Errno::NOTTY,
            E::NXIO => Errno::NXIO,
            E::OVERFLOW => Errno::OVERFLOW,
            E::PERM => Errno::PERM,
            E::PIPE => Errno::PIPE,
            E::RANGE => Errno::RANGE,
            E::ROFS => Errno::ROFS,
            E::SPIPE => Errno::SPIPE,
            E::TXTBSY => Errno::TXTBSY,
            E::XDEV => Errno::XDEV,
            E::DQUOT => Errno::DQUOT,
            E::NOTSOCK => Errno::NOTSOCK,
            _ => Errno::IO,
        }
    }
}

impl From<std::io::Error> for Errno {
    fn from(e: std::io::Error) -> Self {
        match e.raw_os_error() {
            Some(code) => rustix::io::Errno::from_raw_os_error(code).into(),
            None => match e.kind() {
                std::io::ErrorKind::NotFound => Errno::NOENT,
                std::io::ErrorKind::PermissionDenied => Errno::ACCES,
                std::io::ErrorKind::BrokenPipe => Errno::PIPE,
                std::io::ErrorKind::WouldBlock => Errno::AGAIN,
                _ => Errno::IO,
            },
        }
    }
}

// filetype
pub const FILETYPE_UNKNOWN: u8 = 0;
pub const FILETYPE_BLOCK_DEVICE: u8 = 1;
pub const FILETYPE_CHARACTER_DEVICE: u8 = 2;
pub const FILETYPE_DIRECTORY: u8 = 3;
pub const FILETYPE_REGULAR_FILE: u8 = 4;
pub const FILETYPE_SOCKET_DGRAM: u8 = 5;
pub const FILETYPE_SOCKET_STREAM: u8 = 6;
pub const FILETYPE_SYMBOLIC_LINK: u8 = 7;

// oflags
pub const OFLAGS_CREAT: u16 = 1;
pub const OFLAGS_DIRECTORY: u16 = 2;
pub const OFLAGS_EXCL: u16 = 4;
pub const OFLAGS_TRUNC: u16 = 8;

// fdflags
pub const FDFLAGS_APPEND: u16 = 1;
pub const FDFLAGS_DSYNC: u16 = 2;
pub const FDFLAGS_NONBLOCK: u16 = 4;
pub const FDFLAGS_RSYNC: u16 = 8;
pub const FDFLAGS_SYNC: u16 = 16;
pub const FDFLAGS_ALL: u16 = 31;

// lookupflags
pub const LOOKUP_SYMLINK_FOLLOW: u32 = 1;

// fstflags
pub const FSTFLAGS_ATIM: u16 = 1;
pub const FSTFLAGS_ATIM_NOW: u16 = 2;
pub const FSTFLAGS_MTIM: u16 = 4;
pub const FSTFLAGS_MTIM_NOW: u16 = 8;

// whence
pub const WHENCE_SET: u8 = 0;
pub const WHENCE_CUR: u8 = 1;
pub const WHENCE_END: u8 = 2;

// clockid
pub const CLOCK_REALTIME: u32 = 0;
pub const CLOCK_MONOTONIC: u32 = 1;
pub const CLOCK_PROCESS_CPUTIME: u32 = 2;
pub const CLOCK_THREAD_CPUTIME: u32 = 3;

// eventtype and subclockflags
pub const EVENTTYPE_CLOCK: u8 = 0;
pub const EVENTTYPE_FD_READ: u8 = 1;
pub const EVENTTYPE_FD_WRITE: u8 = 2;
pub const SUBCLOCK_ABSTIME: u16 = 1;

// advice
pub const ADVICE_MAX: u8 = 5;

// preopentype
pub const PREOPENTYPE_DIR: u8 = 0;

/// Struct sizes in guest memory.
pub const SIZE_FDSTAT: u32 = 24;
pub const SIZE_FILESTAT: u32 = 64;
pub const SIZE_DIRENT: u32 = 24;
pub const SIZE_SUBSCRIPTION: u32 = 48;
pub const SIZE_EVENT: u32 = 32;
pub const SIZE_IOVEC: u32 = 8;
