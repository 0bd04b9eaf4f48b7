//! The 46 WASI Preview 1 functions. Each checks the capability for the
//! resource it touches before anything else reaches the host, then does its
//! work through the descriptor table and bounds-checked guest memory.

// `stat` field types differ between platforms; the casts are for the others.
#![allow(clippy::unnecessary_cast)]

use super::abi::{self, Errno};
use super::caps::Capabilities as C;
use super::fd::{filetype_of, filetype_of_mode, Desc, Dir, Entry, File};
use super::rights::{self as r, Rights};
use super::guest::Guest;
use super::resolve::{check_new_name, resolve, Resolved};
use super::WasiCtx;
use crate::trap::Trap;
use crate::types::ValType;
use rustix::fd::{AsFd, OwnedFd};
use rustix::fs::{AtFlags, Mode, OFlags, Timespec, Timestamps};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// One WASI call in progress.
pub(crate) struct Cx<'a> {
    pub ctx: &'a mut WasiCtx,
    pub mem: Guest<'a>,
    /// Steps executed so far (the deterministic clock).
    pub steps: u64,
    /// Set by the embedder to stop a sleeping guest.
    pub interrupt: Arc<AtomicBool>,
}

type Res = Result<(), Errno>;
type Call = fn(&mut Cx<'_>, &[u64]) -> Result<Errno, Trap>;

const I: ValType = ValType::I32;
const L: ValType = ValType::I64;

macro_rules! table {
    ($($name:ident ($($t:ident),*);)*) => {
        pub(crate) static TABLE: &[(&str, &[ValType], bool, Call)] = &[
            $((stringify!($name), &[$($t),*], true, |cx, a| Ok(errno($name(cx, a)))),)*
            ("proc_exit", &[I], false, proc_exit),
        ];
    };
}

table! {
    args_get(I, I);
    args_sizes_get(I, I);
    environ_get(I, I);
    environ_sizes_get(I, I);
    clock_res_get(I, I);
    clock_time_get(I, L, I);
    fd_advise(I, L, L, I);
    fd_allocate(I, L, L);
    fd_close(I);
    fd_datasync(I);
    fd_fdstat_get(I, I);
    fd_fdstat_set_flags(I, I);
    fd_fdstat_set_rights(I, L, L);
    fd_filestat_get(I, I);
    fd_filestat_set_size(I, L);
    fd_filestat_set_times(I, L, L, I);
    fd_pread(I, I, I, L, I);
    fd_prestat_get(I, I);
    fd_prestat_dir_name(I, I, I);
    fd_pwrite(I, I, I, L, I);
    fd_read(I, I, I, I);
    fd_readdir(I, I, I, L, I);
    fd_renumber(I, I);
    fd_seek(I, L, I, I);
    fd_sync(I);
    fd_tell(I, I);
    fd_write(I, I, I, I);
    path_create_directory(I, I, I);
    path_filestat_get(I, I, I, I, I);
    path_filestat_set_times(I, I, I, I, L, L, I);
    path_link(I, I, I, I, I, I, I);
    path_open(I, I, I, I, I, L, L, I, I);
    path_readlink(I, I, I, I, I, I);
    path_remove_directory(I, I, I);
    path_rename(I, I, I, I, I, I);
    path_symlink(I, I, I, I, I);
    path_unlink_file(I, I, I);
    poll_oneoff(I, I, I, I);
    proc_raise(I);
    sched_yield();
    random_get(I, I);
    sock_accept(I, I, I);
    sock_recv(I, I, I, I, I, I);
    sock_send(I, I, I, I, I);
    sock_shutdown(I, I);
}

fn errno(r: Res) -> Errno {
    r.err().unwrap_or(Errno::SUCCESS)
}

fn u32_(a: &[u64], i: usize) -> u32 {
    a[i] as u32
}

// ----- arguments and environment -----

/// Without its capability a list reads as empty. That is a normal state
/// (libc asks at start-up whether or not the program uses it), so it is not
/// reported as a denial.
fn visible_list(cx: &mut Cx<'_>, _func: &'static str, cap: C, env: bool) -> Vec<String> {
    if !cx.ctx.caps.contains(cap) {
        return Vec::new();
    }
    if env { cx.ctx.env.clone() } else { cx.ctx.args.clone() }
}

fn sizes(cx: &mut Cx<'_>, list: &[String], count_ptr: u32, size_ptr: u32) -> Res {
    let size: usize = list.iter().map(|s| s.len() + 1).sum();
    cx.mem.put_u32(count_ptr, list.len() as u32)?;
    cx.mem.put_u32(size_ptr, u32::try_from(size).map_err(|_| Errno::OVERFLOW)?)
}

fn args_get(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let list = visible_list(cx, "args_get", C::PROCESS, false);
    cx.mem.put_string_list(&list, u32_(a, 0), u32_(a, 1))
}
fn args_sizes_get(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let list = visible_list(cx, "args_sizes_get", C::PROCESS, false);
    sizes(cx, &list, u32_(a, 0), u32_(a, 1))
}
fn environ_get(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let list = visible_list(cx, "environ_get", C::ENV, true);
    cx.mem.put_string_list(&list, u32_(a, 0), u32_(a, 1))
}
fn environ_sizes_get(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let list = visible_list(cx, "environ_sizes_get", C::ENV, true);
    sizes(cx, &list, u32_(a, 0), u32_(a, 1))
}

// ----- clocks, random, process -----

/// Nanoseconds per step on the deterministic clock.
const NS_PER_STEP: u64 = 1;
/// Where the deterministic wall clock starts (2024-01-01T00:00:00Z).
const DETERMINISTIC_EPOCH_NS: u64 = 1_704_067_200 * 1_000_000_000;

fn now(cx: &Cx<'_>, clock: u32) -> Result<u64, Errno> {
    let virtual_ns = cx.steps.saturating_mul(NS_PER_STEP).saturating_add(cx.ctx.deterministic.map_or(0, |d| d.slept_ns));
    Ok(match (clock, cx.ctx.deterministic.is_some()) {
        (abi::CLOCK_REALTIME, true) => DETERMINISTIC_EPOCH_NS + virtual_ns,
        (abi::CLOCK_REALTIME, false) => {
            SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
        }
        (abi::CLOCK_MONOTONIC | abi::CLOCK_PROCESS_CPUTIME | abi::CLOCK_THREAD_CPUTIME, true) => virtual_ns,
        (abi::CLOCK_MONOTONIC | abi::CLOCK_PROCESS_CPUTIME | abi::CLOCK_THREAD_CPUTIME, false) => {
            cx.ctx.start.elapsed().as_nanos() as u64
        }
        _ => return Err(Errno::INVAL),
    })
}

fn clock_res_get(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    cx.ctx.allow("clock_res_get", C::CLOCK)?;
    now(cx, u32_(a, 0))?;
    cx.mem.put_u64(u32_(a, 1), 1)
}
fn clock_time_get(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    cx.ctx.allow("clock_time_get", C::CLOCK)?;
    let t = now(cx, u32_(a, 0))?;
    cx.mem.put_u64(u32_(a, 2), t)
}

fn random_get(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    cx.ctx.allow("random_get", C::RANDOM)?;
    let (ptr, len) = (u32_(a, 0), u32_(a, 1));
    let buf = cx.mem.bytes_mut(ptr, len)?;
    match &mut cx.ctx.deterministic {
        Some(d) => {
            for chunk in buf.chunks_mut(8) {
                // splitmix64: fixed, seedable, and good enough for tests.
                d.rng = d.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = d.rng;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^= z >> 31;
                chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
            }
        }
        None => host_random(buf)?,
    }
    Ok(())
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn host_random(buf: &mut [u8]) -> Result<(), Errno> {
    let mut filled = 0;
    while filled < buf.len() {
        filled += rustix::rand::getrandom(&mut buf[filled..], rustix::rand::GetRandomFlags::empty())?;
    }
    Ok(())
}

/// Where the kernel has no `getrandom` call (macOS), its device.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn host_random(buf: &mut [u8]) -> Result<(), Errno> {
    use std::io::Read;
    std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(buf)).map_err(|_| Errno::IO)
}

fn proc_exit(_cx: &mut Cx<'_>, a: &[u64]) -> Result<Errno, Trap> {
    Err(Trap::Exit(a[0] as u32 as i32))
}
fn proc_raise(cx: &mut Cx<'_>, _a: &[u64]) -> Res {
    cx.ctx.allow("proc_raise", C::PROCESS)?;
    // A sandboxed guest has no signals to raise.
    Err(Errno::NOTSUP)
}
fn sched_yield(_cx: &mut Cx<'_>, _a: &[u64]) -> Res {
    std::thread::yield_now();
    Ok(())
}

// ----- descriptors -----

/// The capability a read (`write == false`) or write of a descriptor needs.
fn io_cap(d: &Desc, write: bool) -> C {
    match (d.is_stdio(), write) {
        (true, _) => C::IO,
        (false, false) => C::FS,
        (false, true) => C::FS_WRITE,
    }
}

/// Looks a descriptor up and checks, in this order, the capability its use
/// needs, that a write stays off read-only mounts, and its rights.
fn desc<'c>(ctx: &'c mut WasiCtx, func: &'static str, fd: u32, write: bool, right: u64) -> Result<&'c mut Desc, Errno> {
    let cap = io_cap(ctx.fds.get(fd)?, write);
    ctx.allow(func, cap)?;
    let open = ctx.fds.open(fd)?;
    if write && open.desc.mount_writable() == Some(false) {
        return Err(Errno::NOTCAPABLE);
    }
    open.rights.need(right)?;
    Ok(&mut open.desc)
}

/// A file descriptor, checked as `desc` does. Streams cannot seek, and a
/// directory is not a file.
fn file<'c>(ctx: &'c mut WasiCtx, func: &'static str, fd: u32, write: bool, right: u64) -> Result<&'c mut File, Errno> {
    if ctx.fds.get(fd)?.is_stdio() {
        return Err(Errno::SPIPE);
    }
    match desc(ctx, func, fd, write, right)? {
        Desc::File(f) => Ok(f),
        _ => Err(Errno::ISDIR),
    }
}

fn fd_advise(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    file(cx.ctx, "fd_advise", u32_(a, 0), false, r::FD_ADVISE)?;
    if u32_(a, 3) > abi::ADVICE_MAX as u32 {
        return Err(Errno::INVAL);
    }
    Ok(())
}

fn fd_allocate(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let f = file(cx.ctx, "fd_allocate", u32_(a, 0), true, r::FD_ALLOCATE)?;
    let end = a[1].checked_add(a[2]).ok_or(Errno::FBIG)?;
    let size = rustix::fs::fstat(&f.fd)?.st_size as u64;
    if end > size {
        rustix::fs::ftruncate(&f.fd, end)?;
    }
    Ok(())
}

fn fd_close(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    cx.ctx.fds.remove(u32_(a, 0)).map(drop)
}

fn fd_datasync(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let f = file(cx.ctx, "fd_datasync", u32_(a, 0), true, r::FD_DATASYNC)?;
    // macOS has no fdatasync: a full fsync is the nearest stronger call.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    return Ok(rustix::fs::fdatasync(&f.fd)?);
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    return Ok(rustix::fs::fsync(&f.fd)?);
}
fn fd_sync(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let f = file(cx.ctx, "fd_sync", u32_(a, 0), true, r::FD_SYNC)?;
    Ok(rustix::fs::fsync(&f.fd)?)
}

fn fd_fdstat_get(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let open = cx.ctx.fds.open(u32_(a, 0))?;
    let ty = open.desc.filetype();
    let flags = match &open.desc {
        Desc::File(f) => f.flags,
        _ => 0,
    };
    let Rights { base, inheriting } = open.rights;
    let p = u32_(a, 1);
    cx.mem.bytes_mut(p, abi::SIZE_FDSTAT)?.fill(0);
    cx.mem.put_u8(p, ty)?;
    cx.mem.put_u16(p + 2, flags)?;
    cx.mem.put_u64(p + 8, base)?;
    cx.mem.put_u64(p + 16, inheriting)
}

/// The `fdflags` a file can change after opening.
const SETTABLE_FLAGS: u16 = abi::FDFLAGS_APPEND | abi::FDFLAGS_NONBLOCK;

fn fd_fdstat_set_flags(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let flags = u32_(a, 1) as u16;
    if flags & !abi::FDFLAGS_ALL != 0 {
        return Err(Errno::INVAL);
    }
    match desc(cx.ctx, "fd_fdstat_set_flags", u32_(a, 0), false, r::FD_FDSTAT_SET_FLAGS)? {
        Desc::File(f) => {
            // The kernel cannot turn synchronous writes on or off after open.
            if (flags ^ f.flags) & !SETTABLE_FLAGS != 0 {
                return Err(Errno::NOTSUP);
            }
            let mut o = rustix::fs::fcntl_getfl(&f.fd)?;
            o.set(OFlags::APPEND, flags & abi::FDFLAGS_APPEND != 0);
            o.set(OFlags::NONBLOCK, flags & abi::FDFLAGS_NONBLOCK != 0);
            rustix::fs::fcntl_setfl(&f.fd, o)?;
            f.flags = flags;
            Ok(())
        }
        _ if flags & !abi::FDFLAGS_NONBLOCK == 0 => Ok(()),
        _ => Err(Errno::NOTSUP),
    }
}

fn fd_fdstat_set_rights(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    cx.ctx.fds.open(u32_(a, 0))?.rights.shrink(Rights { base: a[1], inheriting: a[2] })
}

fn put_filestat(mem: &mut Guest<'_>, p: u32, st: &rustix::fs::Stat) -> Res {
    let ns = |s: i64, n: u64| (s.max(0) as u64).saturating_mul(1_000_000_000).saturating_add(n);
    mem.bytes_mut(p, abi::SIZE_FILESTAT)?.fill(0);
    mem.put_u64(p, st.st_dev as u64)?;
    mem.put_u64(p + 8, st.st_ino as u64)?;
    mem.put_u8(p + 16, filetype_of_mode(st.st_mode as u32))?;
    mem.put_u64(p + 24, st.st_nlink as u64)?;
    mem.put_u64(p + 32, st.st_size as u64)?;
    mem.put_u64(p + 40, ns(st.st_atime as i64, st.st_atime_nsec as u64))?;
    mem.put_u64(p + 48, ns(st.st_mtime as i64, st.st_mtime_nsec as u64))?;
    mem.put_u64(p + 56, ns(st.st_ctime as i64, st.st_ctime_nsec as u64))
}

fn fd_filestat_get(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let p = u32_(a, 1);
    let st = match desc(cx.ctx, "fd_filestat_get", u32_(a, 0), false, r::FD_FILESTAT_GET)? {
        Desc::File(f) => rustix::fs::fstat(&f.fd)?,
        Desc::Dir(d) => rustix::fs::fstat(&d.fd)?,
        _ => {
            cx.mem.bytes_mut(p, abi::SIZE_FILESTAT)?.fill(0);
            return cx.mem.put_u8(p + 16, abi::FILETYPE_CHARACTER_DEVICE);
        }
    };
    put_filestat(&mut cx.mem, p, &st)
}

fn fd_filestat_set_size(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let f = file(cx.ctx, "fd_filestat_set_size", u32_(a, 0), true, r::FD_FILESTAT_SET_SIZE)?;
    Ok(rustix::fs::ftruncate(&f.fd, a[1])?)
}

/// The `Timestamps` of a set-times call; `UTIME_OMIT` for unchanged ones.
fn timestamps(atim: u64, mtim: u64, flags: u16) -> Result<Timestamps, Errno> {
    let one = |t: u64, set: u16, now: u16| -> Result<Timespec, Errno> {
        match (flags & set != 0, flags & now != 0) {
            (true, true) => Err(Errno::INVAL),
            (true, false) => Ok(Timespec { tv_sec: (t / 1_000_000_000) as i64, tv_nsec: (t % 1_000_000_000) as _ }),
            (false, true) => Ok(Timespec { tv_sec: 0, tv_nsec: rustix::fs::UTIME_NOW as _ }),
            (false, false) => Ok(Timespec { tv_sec: 0, tv_nsec: rustix::fs::UTIME_OMIT as _ }),
        }
    };
    if flags & !0xf != 0 {
        return Err(Errno::INVAL);
    }
    Ok(Timestamps {
        last_access: one(atim, abi::FSTFLAGS_ATIM, abi::FSTFLAGS_ATIM_NOW)?,
        last_modification: one(mtim, abi::FSTFLAGS_MTIM, abi::FSTFLAGS_MTIM_NOW)?,
    })
}

fn fd_filestat_set_times(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let times = timestamps(a[1], a[2], u32_(a, 3) as u16)?;
    let fd = u32_(a, 0);
    match desc(cx.ctx, "fd_filestat_set_times", fd, true, r::FD_FILESTAT_SET_TIMES)? {
        Desc::File(f) => Ok(rustix::fs::futimens(&f.fd, &times)?),
        Desc::Dir(d) => Ok(rustix::fs::futimens(&d.fd, &times)?),
        _ => Err(Errno::BADF),
    }
}

/// Reads into the guest's buffers with `read(buf)` until one comes back short.
fn read_into(mem: &mut Guest<'_>, iovs: &[(u32, u32)], mut read: impl FnMut(&mut [u8]) -> Result<usize, Errno>) -> Result<u32, Errno> {
    let mut total = 0u32;
    for &(ptr, len) in iovs {
        let buf = mem.bytes_mut(ptr, len)?;
        let n = read(buf)?;
        total = total.saturating_add(n as u32);
        if n < len as usize {
            break;
        }
    }
    Ok(total)
}

fn fd_read(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let iovs = cx.mem.iovecs(u32_(a, 1), u32_(a, 2))?;
    let Cx { ctx, mem, .. } = cx;
    let n = match desc(ctx, "fd_read", u32_(a, 0), false, r::FD_READ)? {
        Desc::Stdin(input) => read_into(mem, &iovs, |b| Ok(input.read(b)?))?,
        Desc::File(f) => read_into(mem, &iovs, |b| Ok(rustix::io::read(&f.fd, b)?))?,
        _ => return Err(Errno::BADF),
    };
    cx.mem.put_u32(u32_(a, 3), n)
}

fn fd_pread(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let iovs = cx.mem.iovecs(u32_(a, 1), u32_(a, 2))?;
    let mut offset = a[3];
    let Cx { ctx, mem, .. } = cx;
    let f = file(ctx, "fd_pread", u32_(a, 0), false, r::FD_READ | r::FD_SEEK)?;
    let n = read_into(mem, &iovs, |b| {
        let n = rustix::io::pread(&f.fd, b, offset)?;
        offset += n as u64;
        Ok(n)
    })?;
    cx.mem.put_u32(u32_(a, 4), n)
}

/// Writes the guest's buffers with `write(buf)`, stopping at a short write.
fn write_from(mem: &Guest<'_>, iovs: &[(u32, u32)], mut write: impl FnMut(&[u8]) -> Result<usize, Errno>) -> Result<u32, Errno> {
    let mut total = 0u32;
    for &(ptr, len) in iovs {
        let n = write(mem.bytes(ptr, len)?)?;
        total = total.saturating_add(n as u32);
        if n < len as usize {
            break;
        }
    }
    Ok(total)
}

fn fd_write(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let iovs = cx.mem.iovecs(u32_(a, 1), u32_(a, 2))?;
    let fd = u32_(a, 0);
    let Cx { ctx, mem, .. } = cx;
    let n = match desc(ctx, "fd_write", fd, true, r::FD_WRITE)? {
        Desc::Stdout(out) | Desc::Stderr(out) => write_from(mem, &iovs, |b| out.write(b))?,
        Desc::File(f) => write_from(mem, &iovs, |b| Ok(rustix::io::write(&f.fd, b)?))?,
        _ => return Err(Errno::BADF),
    };
    cx.mem.put_u32(u32_(a, 3), n)
}

fn fd_pwrite(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let iovs = cx.mem.iovecs(u32_(a, 1), u32_(a, 2))?;
    let mut offset = a[3];
    let Cx { ctx, mem, .. } = cx;
    let f = file(ctx, "fd_pwrite", u32_(a, 0), true, r::FD_WRITE | r::FD_SEEK)?;
    let n = write_from(mem, &iovs, |b| {
        let n = rustix::io::pwrite(&f.fd, b, offset)?;
        offset += n as u64;
        Ok(n)
    })?;
    cx.mem.put_u32(u32_(a, 4), n)
}

fn fd_prestat_get(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let len = match cx.ctx.fds.get(u32_(a, 0))? {
        Desc::Dir(Dir { preopen: Some(name), .. }) => name.len() as u32,
        _ => return Err(Errno::BADF),
    };
    let p = u32_(a, 1);
    cx.mem.put_u32(p, abi::PREOPENTYPE_DIR as u32)?;
    cx.mem.put_u32(p + 4, len)
}

fn fd_prestat_dir_name(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let name = match cx.ctx.fds.get(u32_(a, 0))? {
        Desc::Dir(Dir { preopen: Some(name), .. }) => name.clone(),
        _ => return Err(Errno::BADF),
    };
    if (u32_(a, 2) as usize) < name.len() {
        return Err(Errno::NAMETOOLONG);
    }
    cx.mem.write(u32_(a, 1), name.as_bytes())
}

fn fd_renumber(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    cx.ctx.fds.renumber(u32_(a, 0), u32_(a, 1))
}

fn fd_seek(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let (offset, whence) = (a[1] as i64, u32_(a, 2));
    let pos = match whence {
        w if w == abi::WHENCE_SET as u32 => {
            rustix::fs::SeekFrom::Start(u64::try_from(offset).map_err(|_| Errno::INVAL)?)
        }
        w if w == abi::WHENCE_CUR as u32 => rustix::fs::SeekFrom::Current(offset),
        w if w == abi::WHENCE_END as u32 => rustix::fs::SeekFrom::End(offset),
        _ => return Err(Errno::INVAL),
    };
    // Asking where the position is needs only `fd_tell`.
    let right = if (offset, whence) == (0, abi::WHENCE_CUR as u32) { r::FD_TELL } else { r::FD_SEEK };
    let f = file(cx.ctx, "fd_seek", u32_(a, 0), false, right)?;
    let new = rustix::fs::seek(&f.fd, pos)?;
    cx.mem.put_u64(u32_(a, 3), new)
}

fn fd_tell(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let f = file(cx.ctx, "fd_tell", u32_(a, 0), false, r::FD_TELL)?;
    let pos = rustix::fs::tell(&f.fd)?;
    cx.mem.put_u64(u32_(a, 1), pos)
}

fn list_dir(d: &Dir) -> Result<Vec<Entry>, Errno> {
    let dup = rustix::fs::openat(&d.fd, ".", OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
    let mut entries = Vec::new();
    for e in rustix::fs::Dir::read_from(&dup)? {
        let e = e?;
        entries.push(Entry { name: e.file_name().to_bytes().to_vec(), ino: e.ino(), filetype: filetype_of(e.file_type()) });
    }
    Ok(entries)
}

fn fd_readdir(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let (buf, buf_len, cookie, used_ptr) = (u32_(a, 1), u32_(a, 2), a[3], u32_(a, 4));
    let Cx { ctx, mem, .. } = cx;
    let d = base_dir(ctx, "fd_readdir", u32_(a, 0), false, r::FD_READDIR)?;
    if cookie == 0 || d.listing.is_empty() {
        d.listing = list_dir(d)?;
    }
    let mut out = Vec::new();
    for (i, e) in d.listing.iter().enumerate().skip(usize::try_from(cookie).unwrap_or(usize::MAX)) {
        if out.len() >= buf_len as usize {
            break;
        }
        let mut head = [0u8; abi::SIZE_DIRENT as usize];
        head[..8].copy_from_slice(&(i as u64 + 1).to_le_bytes());
        head[8..16].copy_from_slice(&e.ino.to_le_bytes());
        head[16..20].copy_from_slice(&(e.name.len() as u32).to_le_bytes());
        head[20] = e.filetype;
        out.extend_from_slice(&head);
        out.extend_from_slice(&e.name);
    }
    // A full buffer tells the guest to ask again from the last cookie.
    out.truncate(buf_len as usize);
    mem.write(buf, &out)?;
    mem.put_u32(used_ptr, out.len() as u32)
}

// ----- paths -----

/// The directory of a path call or a readdir: checks the capability (and,
/// for changes, that its mount is writable), then that it holds `right`.
fn base_dir<'c>(ctx: &'c mut WasiCtx, func: &'static str, fd: u32, write: bool, right: u64) -> Result<&'c mut Dir, Errno> {
    if !matches!(ctx.fds.get(fd)?, Desc::Dir(_)) {
        return Err(Errno::NOTDIR);
    }
    match desc(ctx, func, fd, write, right)? {
        Desc::Dir(d) => Ok(d),
        _ => Err(Errno::NOTDIR),
    }
}

fn path_str<'m>(mem: &'m Guest<'_>, ptr: u64, len: u64) -> Result<&'m str, Errno> {
    mem.str(ptr as u32, len as u32)
}

fn path_create_directory(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let Cx { ctx, mem, .. } = cx;
    let dir = base_dir(ctx, "path_create_directory", u32_(a, 0), true, r::PATH_CREATE_DIRECTORY)?;
    let r = resolve(dir.fd.as_fd(), path_str(mem, a[1], a[2])?, false)?;
    check_new_name(&r)?;
    Ok(rustix::fs::mkdirat(r.dir(), r.name.as_str(), Mode::from_raw_mode(0o777))?)
}

fn stat_resolved(r: &Resolved<'_>) -> Result<rustix::fs::Stat, Errno> {
    let st = rustix::fs::statat(r.dir(), r.name.as_str(), AtFlags::SYMLINK_NOFOLLOW)?;
    if r.must_be_dir && filetype_of_mode(st.st_mode as u32) != abi::FILETYPE_DIRECTORY {
        return Err(Errno::NOTDIR);
    }
    Ok(st)
}

fn path_filestat_get(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let follow = u32_(a, 1) & abi::LOOKUP_SYMLINK_FOLLOW != 0;
    let Cx { ctx, mem, .. } = cx;
    let dir = base_dir(ctx, "path_filestat_get", u32_(a, 0), false, r::PATH_FILESTAT_GET)?;
    let r = resolve(dir.fd.as_fd(), path_str(mem, a[2], a[3])?, follow)?;
    let st = stat_resolved(&r)?;
    put_filestat(mem, u32_(a, 4), &st)
}

fn path_filestat_set_times(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let follow = u32_(a, 1) & abi::LOOKUP_SYMLINK_FOLLOW != 0;
    let times = timestamps(a[4], a[5], u32_(a, 6) as u16)?;
    let Cx { ctx, mem, .. } = cx;
    let dir = base_dir(ctx, "path_filestat_set_times", u32_(a, 0), true, r::PATH_FILESTAT_SET_TIMES)?;
    let r = resolve(dir.fd.as_fd(), path_str(mem, a[2], a[3])?, follow)?;
    stat_resolved(&r)?;
    Ok(rustix::fs::utimensat(r.dir(), r.name.as_str(), &times, AtFlags::SYMLINK_NOFOLLOW)?)
}

fn path_link(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let follow = u32_(a, 1) & abi::LOOKUP_SYMLINK_FOLLOW != 0;
    let Cx { ctx, mem, .. } = cx;
    // Both ends must be writable: a link would make a read-only file
    // writable through the new name.
    let old_fd = base_dir(ctx, "path_link", u32_(a, 0), true, r::PATH_LINK_SOURCE)?.fd.try_clone().map_err(Errno::from)?;
    let new_fd = base_dir(ctx, "path_link", u32_(a, 4), true, r::PATH_LINK_TARGET)?.fd.try_clone().map_err(Errno::from)?;
    let old = resolve(old_fd.as_fd(), path_str(mem, a[2], a[3])?, follow)?;
    let new = resolve(new_fd.as_fd(), path_str(mem, a[5], a[6])?, false)?;
    check_new_name(&new)?;
    if old.must_be_dir {
        // "dir/" names a directory, and directories cannot be hard-linked.
        stat_resolved(&old)?;
        return Err(Errno::PERM);
    }
    if new.must_be_dir {
        // A link is never a directory: "name/" exists already or cannot be.
        stat_resolved(&old)?;
        return Err(match rustix::fs::statat(new.dir(), new.name.as_str(), AtFlags::SYMLINK_NOFOLLOW) {
            Ok(_) => Errno::EXIST,
            Err(_) => Errno::NOENT,
        });
    }
    Ok(rustix::fs::linkat(old.dir(), old.name.as_str(), new.dir(), new.name.as_str(), AtFlags::empty())?)
}

/// Rights of a file that need the host descriptor open for writing.
pub(crate) const WRITE_ACCESS: u64 = r::FD_WRITE | r::FD_ALLOCATE | r::FD_FILESTAT_SET_SIZE;

/// The rights an open with these `oflags` needs of its directory, as the
/// witx lists them.
fn open_needs(oflags: u16) -> u64 {
    let mut needed = r::PATH_OPEN;
    if oflags & abi::OFLAGS_CREAT != 0 {
        needed |= r::PATH_CREATE_FILE;
    }
    if oflags & abi::OFLAGS_TRUNC != 0 {
        needed |= r::PATH_FILESTAT_SET_SIZE;
    }
    needed
}

/// Synchronised reads; macOS has no such flag, and `O_SYNC` is stronger.
#[cfg(any(target_os = "linux", target_os = "android"))]
const RSYNC: OFlags = OFlags::RSYNC;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const RSYNC: OFlags = OFlags::SYNC;

/// The host flags of the `fdflags` a file is opened with; the synchronous
/// ones need the rights to sync.
pub(crate) fn open_fdflags(fdflags: u16, file_base: u64) -> Result<OFlags, Errno> {
    let mut flags = OFlags::empty();
    for (bit, host, right) in [
        (abi::FDFLAGS_APPEND, OFlags::APPEND, 0),
        (abi::FDFLAGS_NONBLOCK, OFlags::NONBLOCK, 0),
        (abi::FDFLAGS_DSYNC, OFlags::DSYNC, r::FD_DATASYNC | r::FD_SYNC),
        (abi::FDFLAGS_RSYNC, RSYNC, r::FD_SYNC),
        (abi::FDFLAGS_SYNC, OFlags::SYNC, r::FD_SYNC),
    ] {
        if fdflags & bit != 0 {
            if right != 0 && file_base & right == 0 {
                return Err(Errno::NOTCAPABLE);
            }
            flags |= host;
        }
    }
    Ok(flags)
}

fn path_open(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let follow = u32_(a, 1) & abi::LOOKUP_SYMLINK_FOLLOW != 0;
    let oflags = u32_(a, 4) as u16;
    let (asked_base, asked_inheriting, fdflags, fd_ptr) = (a[5], a[6], u32_(a, 7) as u16, u32_(a, 8));
    if fdflags & !abi::FDFLAGS_ALL != 0 {
        return Err(Errno::INVAL);
    }
    let dir_fd = u32_(a, 0);
    let parent = cx.ctx.fds.open(dir_fd)?.rights;
    // What the new descriptor can get if it turns out to be a file.
    let file_base = parent.child(asked_base, 0, false).base;
    let write_access = file_base & WRITE_ACCESS != 0;
    let must_be_dir = oflags & abi::OFLAGS_DIRECTORY != 0;
    let changes = write_access || oflags & (abi::OFLAGS_CREAT | abi::OFLAGS_TRUNC) != 0 || fdflags & abi::FDFLAGS_APPEND != 0;
    // O_CREAT|O_EXCL never follows a final symlink: it must fail EEXIST.
    let follow = follow && oflags & (abi::OFLAGS_CREAT | abi::OFLAGS_EXCL) != (abi::OFLAGS_CREAT | abi::OFLAGS_EXCL);
    let Cx { ctx, mem, .. } = cx;
    let dir = base_dir(ctx, "path_open", dir_fd, changes, open_needs(oflags))?;
    let mount_writable = dir.mount_writable;
    let r = resolve(dir.fd.as_fd(), path_str(mem, a[2], a[3])?, follow)?;
    let origin = dir.origin.child(&r.rel_path());
    if r.must_be_dir && oflags & abi::OFLAGS_CREAT != 0 {
        // "name/" with O_CREAT: an existing file is not a directory, and a
        // directory cannot be created by open.
        return Err(match rustix::fs::statat(r.dir(), r.name.as_str(), AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) if filetype_of_mode(st.st_mode as u32) != abi::FILETYPE_DIRECTORY => Errno::NOTDIR,
            _ => Errno::ISDIR,
        });
    }

    let mut flags = OFlags::NOFOLLOW | OFlags::CLOEXEC | open_fdflags(fdflags, file_base)?;
    let must_be_dir = must_be_dir || r.must_be_dir;
    // A directory is opened for reading whatever was asked; asking to write
    // one is refused below, once it is known to be one.
    flags |= match (file_base & r::FD_READ != 0, write_access && !must_be_dir) {
        (true, true) => OFlags::RDWR,
        (false, true) => OFlags::WRONLY,
        _ => OFlags::RDONLY,
    };
    if must_be_dir {
        flags |= OFlags::DIRECTORY;
    }
    if oflags & abi::OFLAGS_CREAT != 0 {
        flags |= OFlags::CREATE;
        check_new_name(&r).or_else(|e| if oflags & abi::OFLAGS_EXCL != 0 { Err(e) } else { Ok(()) })?;
    }
    if oflags & abi::OFLAGS_EXCL != 0 {
        flags |= OFlags::EXCL;
    }
    if oflags & abi::OFLAGS_TRUNC != 0 {
        flags |= OFlags::TRUNC;
    }
    let fd: OwnedFd = rustix::fs::openat(r.dir(), r.name.as_str(), flags, Mode::from_raw_mode(0o666))?;
    let is_dir = filetype_of_mode(rustix::fs::fstat(&fd)?.st_mode as u32) == abi::FILETYPE_DIRECTORY;
    let desc = if is_dir {
        if file_base & r::FD_WRITE != 0 {
            return Err(Errno::ISDIR);
        }
        Desc::Dir(Dir { fd, origin, mount_writable, preopen: None, listing: Vec::new() })
    } else {
        Desc::File(File { fd, origin, mount_writable, flags: fdflags })
    };
    let new = ctx.fds.insert(desc, parent.child(asked_base, asked_inheriting, is_dir))?;
    mem.put_u32(fd_ptr, new)
}

fn path_readlink(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let Cx { ctx, mem, .. } = cx;
    let dir = base_dir(ctx, "path_readlink", u32_(a, 0), false, r::PATH_READLINK)?;
    let r = resolve(dir.fd.as_fd(), path_str(mem, a[1], a[2])?, false)?;
    let target = rustix::fs::readlinkat(r.dir(), r.name.as_str(), Vec::new())?;
    let bytes = target.as_bytes();
    let n = bytes.len().min(u32_(a, 4) as usize);
    mem.write(u32_(a, 3), &bytes[..n])?;
    mem.put_u32(u32_(a, 5), n as u32)
}

fn path_remove_directory(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let Cx { ctx, mem, .. } = cx;
    let dir = base_dir(ctx, "path_remove_directory", u32_(a, 0), true, r::PATH_REMOVE_DIRECTORY)?;
    let r = resolve(dir.fd.as_fd(), path_str(mem, a[1], a[2])?, false)?;
    if r.name == "." {
        return Err(Errno::INVAL);
    }
    Ok(rustix::fs::unlinkat(r.dir(), r.name.as_str(), AtFlags::REMOVEDIR)?)
}

fn path_rename(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let Cx { ctx, mem, .. } = cx;
    let old_fd = base_dir(ctx, "path_rename", u32_(a, 0), true, r::PATH_RENAME_SOURCE)?.fd.try_clone().map_err(Errno::from)?;
    let new_fd = base_dir(ctx, "path_rename", u32_(a, 3), true, r::PATH_RENAME_TARGET)?.fd.try_clone().map_err(Errno::from)?;
    let old = resolve(old_fd.as_fd(), path_str(mem, a[1], a[2])?, false)?;
    let new = resolve(new_fd.as_fd(), path_str(mem, a[4], a[5])?, false)?;
    if old.name == "." || new.name == "." {
        return Err(Errno::BUSY);
    }
    // A trailing slash on either side demands a directory.
    if old.must_be_dir || new.must_be_dir {
        let st = rustix::fs::statat(old.dir(), old.name.as_str(), AtFlags::SYMLINK_NOFOLLOW)?;
        if filetype_of_mode(st.st_mode as u32) != abi::FILETYPE_DIRECTORY {
            return Err(Errno::NOTDIR);
        }
    }
    Ok(rustix::fs::renameat(old.dir(), old.name.as_str(), new.dir(), new.name.as_str())?)
}

fn path_symlink(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let Cx { ctx, mem, .. } = cx;
    let target = path_str(mem, a[0], a[1])?.to_string();
    let dir = base_dir(ctx, "path_symlink", u32_(a, 2), true, r::PATH_SYMLINK)?;
    // An absolute target could only ever point outside every mount.
    if target.starts_with('/') {
        return Err(Errno::PERM);
    }
    let r = resolve(dir.fd.as_fd(), path_str(mem, a[3], a[4])?, false)?;
    check_new_name(&r)?;
    if r.must_be_dir {
        return Err(Errno::NOENT);
    }
    Ok(rustix::fs::symlinkat(target.as_str(), r.dir(), r.name.as_str())?)
}

fn path_unlink_file(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let Cx { ctx, mem, .. } = cx;
    let dir = base_dir(ctx, "path_unlink_file", u32_(a, 0), true, r::PATH_UNLINK_FILE)?;
    let r = resolve(dir.fd.as_fd(), path_str(mem, a[1], a[2])?, false)?;
    if r.must_be_dir {
        stat_resolved(&r)?;
        return Err(Errno::ISDIR);
    }
    if r.name == "." {
        return Err(Errno::ISDIR);
    }
    Ok(rustix::fs::unlinkat(r.dir(), r.name.as_str(), AtFlags::empty())?)
}

// ----- polling -----

struct Event {
    userdata: u64,
    error: Errno,
    kind: u8,
    nbytes: u64,
}

fn poll_oneoff(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    let (subs, events_ptr, n, nevents_ptr) = (u32_(a, 0), u32_(a, 1), u32_(a, 2), u32_(a, 3));
    if n == 0 {
        return Err(Errno::INVAL);
    }
    let mut events = Vec::new();
    let mut sleep: Option<u64> = None;
    let mut timers = Vec::new();
    for i in 0..n {
        let s = subs.checked_add(i.checked_mul(abi::SIZE_SUBSCRIPTION).ok_or(Errno::FAULT)?).ok_or(Errno::FAULT)?;
        let userdata = cx.mem.u64(s)?;
        let kind = cx.mem.u8(s + 8)?;
        match kind {
            abi::EVENTTYPE_CLOCK => {
                let (clock, timeout, flags) = (cx.mem.u32(s + 16)?, cx.mem.u64(s + 24)?, cx.mem.u16(s + 40)?);
                if let Err(e) = cx.ctx.allow("poll_oneoff", C::CLOCK) {
                    events.push(Event { userdata, error: e, kind, nbytes: 0 });
                    continue;
                }
                let wait = if flags & abi::SUBCLOCK_ABSTIME != 0 {
                    timeout.saturating_sub(now(cx, clock)?)
                } else {
                    now(cx, clock)?;
                    timeout
                };
                sleep = Some(sleep.map_or(wait, |s| s.min(wait)));
                timers.push((userdata, wait));
            }
            abi::EVENTTYPE_FD_READ | abi::EVENTTYPE_FD_WRITE => {
                let fd = cx.mem.u32(s + 16)?;
                let write = kind == abi::EVENTTYPE_FD_WRITE;
                let ready = poll_fd(cx, fd, write);
                match ready {
                    Ok(Some(nbytes)) => events.push(Event { userdata, error: Errno::SUCCESS, kind, nbytes }),
                    Ok(None) => {}
                    Err(error) => events.push(Event { userdata, error, kind, nbytes: 0 }),
                }
            }
            _ => return Err(Errno::INVAL),
        }
    }
    if events.is_empty() {
        if let Some(wait) = sleep {
            match &mut cx.ctx.deterministic {
                // A virtual sleep moves the virtual clocks to the deadline.
                Some(d) => d.slept_ns = d.slept_ns.saturating_add(wait),
                None => interruptible_sleep(Duration::from_nanos(wait), &cx.interrupt),
            }
            for (userdata, w) in timers {
                if w == wait {
                    events.push(Event { userdata, error: Errno::SUCCESS, kind: abi::EVENTTYPE_CLOCK, nbytes: 0 });
                }
            }
        }
    }
    for (i, e) in events.iter().enumerate() {
        let p = events_ptr.checked_add(i as u32 * abi::SIZE_EVENT).ok_or(Errno::FAULT)?;
        cx.mem.bytes_mut(p, abi::SIZE_EVENT)?.fill(0);
        cx.mem.put_u64(p, e.userdata)?;
        cx.mem.put_u16(p + 8, e.error.0)?;
        cx.mem.put_u8(p + 10, e.kind)?;
        cx.mem.put_u64(p + 16, e.nbytes)?;
    }
    cx.mem.put_u32(nevents_ptr, events.len() as u32)
}

/// Whether a descriptor is ready: `Some(bytes)` when it is (bytes readable
/// when known), `None` when it would block.
fn poll_fd(cx: &mut Cx<'_>, fd: u32, write: bool) -> Result<Option<u64>, Errno> {
    let d = desc(cx.ctx, "poll_oneoff", fd, write, r::POLL_FD_READWRITE)?;
    Ok(match d {
        Desc::Stdin(input) if !write => match input.available() {
            Some(n) => Some(n),
            None => {
                let stdin = rustix::stdio::stdin();
                let mut fds = [rustix::event::PollFd::new(&stdin, rustix::event::PollFlags::IN)];
                let ready = rustix::event::poll(&mut fds, Some(&rustix::time::Timespec { tv_sec: 0, tv_nsec: 0 }))?;
                (ready > 0).then_some(0)
            }
        },
        Desc::Stdout(_) | Desc::Stderr(_) if write => Some(0),
        Desc::File(f) => {
            let size = rustix::fs::fstat(&f.fd)?.st_size as u64;
            let pos = rustix::fs::tell(&f.fd).unwrap_or(0);
            Some(if write { 0 } else { size.saturating_sub(pos) })
        }
        _ => return Err(Errno::BADF),
    })
}

/// Sleeps, waking early if the embedder interrupts the run.
fn interruptible_sleep(total: Duration, interrupt: &AtomicBool) {
    let step = Duration::from_millis(5);
    let end = std::time::Instant::now() + total;
    loop {
        let now = std::time::Instant::now();
        if now >= end || interrupt.load(Ordering::Relaxed) {
            return;
        }
        std::thread::sleep((end - now).min(step));
    }
}

// ----- sockets -----

/// Porta preopens no sockets, so every descriptor a guest can name is not one.
fn not_a_socket(cx: &mut Cx<'_>, func: &'static str, fd: u32) -> Res {
    cx.ctx.allow(func, C::NET)?;
    cx.ctx.fds.get(fd)?;
    Err(Errno::NOTSOCK)
}
fn sock_accept(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    not_a_socket(cx, "sock_accept", u32_(a, 0))
}
fn sock_recv(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    not_a_socket(cx, "sock_recv", u32_(a, 0))
}
fn sock_send(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    not_a_socket(cx, "sock_send", u32_(a, 0))
}
fn sock_shutdown(cx: &mut Cx<'_>, a: &[u64]) -> Res {
    not_a_socket(cx, "sock_shutdown", u32_(a, 0))
}
