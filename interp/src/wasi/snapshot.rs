//! The WASI part of a snapshot: a [`WasiCtx`] captured as [`WasiState`],
//! encoded, and restored into a context freshly built for the resume.
//!
//! Files and directories are saved by where they are beneath their mount
//! (the guest path), never by host path, and reopened through the same
//! resolver the guest's own opens use: a snapshot, even a forged one, can
//! name nothing outside the mounts given at resume, and rights only shrink.
//! Secret environment values are never written; the resume supplies them.

// `stat` field types differ between platforms; the casts are for the others.
#![allow(clippy::unnecessary_cast)]

use super::abi::{self, Errno};
use super::caps::Capabilities;
use super::fd::{self, Desc, Dir, Entry, FdTable, File, Open, Origin};
use super::resolve::resolve;
use super::rights::{self as r, Rights};
use super::{calls, Deterministic, WasiCtx, FUNCTIONS};
use crate::snapshot::codec::{CodecResult, Reader, Writer};
use rustix::fd::{AsFd, OwnedFd};
use rustix::fs::{Mode, OFlags, SeekFrom};
use std::collections::HashSet;
use std::time::{Duration, Instant};

const VERSION: u8 = 1;
/// Every right the witx defines.
const ALL_RIGHTS: u64 = (1 << 28) - 1;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EnvEntry {
    /// `KEY=VALUE`.
    Plain(String),
    /// Only the key: the value comes from the resume.
    Secret(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SavedDesc {
    Stdin,
    Stdout,
    Stderr,
    Dir { origin: Origin, preopen: bool, listing: Vec<Entry> },
    File { origin: Origin, flags: u16, offset: u64, size: u64, mtime: (i64, u32) },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Slot {
    pub desc: SavedDesc,
    pub rights: Rights,
}

/// What a guest saw of the world when it was paused.
#[derive(Debug, Clone)]
pub struct WasiState {
    pub(crate) caps: Capabilities,
    pub(crate) args: Vec<String>,
    pub(crate) env: Vec<EnvEntry>,
    pub(crate) slots: Vec<Option<Slot>>,
    pub(crate) deterministic: Option<Deterministic>,
    /// The monotonic clock's reading, so it does not run backwards on resume.
    pub(crate) monotonic_ns: u64,
    pub(crate) denials: Vec<(&'static str, Capabilities)>,
}

fn env_key(entry: &str) -> &str {
    entry.split_once('=').map_or(entry, |(k, _)| k)
}

impl WasiCtx {
    /// Captures this context; the values of `secret_keys` are left out.
    pub fn save_state(&self, secret_keys: &[&str]) -> Result<WasiState, String> {
        let env = (self.env.iter())
            .map(|e| match secret_keys.contains(&env_key(e)) {
                true => EnvEntry::Secret(env_key(e).to_string()),
                false => EnvEntry::Plain(e.clone()),
            })
            .collect();
        let mut preopens = HashSet::new();
        let mut slots = Vec::with_capacity(self.fds.slots().len());
        for open in self.fds.slots() {
            let Some(Open { desc, rights }) = open else {
                slots.push(None);
                continue;
            };
            let desc = match desc {
                Desc::Stdin(_) => SavedDesc::Stdin,
                Desc::Stdout(_) => SavedDesc::Stdout,
                Desc::Stderr(_) => SavedDesc::Stderr,
                Desc::Dir(d) => {
                    if d.preopen.is_some() && !preopens.insert(d.origin.mount.as_str()) {
                        return Err(format!("two mounts share the guest path {}: give each its own to snapshot", d.origin.mount));
                    }
                    SavedDesc::Dir { origin: d.origin.clone(), preopen: d.preopen.is_some(), listing: d.listing.clone() }
                }
                Desc::File(f) => save_file(f)?,
            };
            slots.push(Some(Slot { desc, rights: *rights }));
        }
        Ok(WasiState {
            caps: self.caps,
            args: self.args.clone(),
            env,
            slots,
            deterministic: self.deterministic,
            monotonic_ns: self.start.elapsed().as_nanos() as u64,
            denials: self.denials.clone(),
        })
    }

    /// Takes on `state`. `self` was built for the resume: its mounts, stdio
    /// and the values of the snapshot's secrets are used; all else is the
    /// snapshot's. On error `self` is left as it was.
    pub fn restore_state(&mut self, state: &WasiState) -> Result<(), String> {
        let fresh = self.fds.slots();
        let mut mounts: Vec<(&str, usize, &Dir)> = Vec::new();
        for (i, open) in fresh.iter().enumerate() {
            if let Some(Open { desc: Desc::Dir(d @ Dir { preopen: Some(g), .. }), .. }) = open {
                if mounts.iter().any(|(m, ..)| m == g) {
                    return Err(format!("mount {g} is given twice: give it once"));
                }
                mounts.push((g, i, d));
            }
        }
        let origins = state.slots.iter().flatten().filter_map(|s| match &s.desc {
            SavedDesc::Dir { origin, .. } | SavedDesc::File { origin, .. } => Some(origin),
            _ => None,
        });
        let mount = |guest: &str| {
            let found = mounts.iter().find(|(m, ..)| *m == guest).map(|&(_, i, d)| (i, d));
            found.ok_or_else(|| format!("the snapshot has files under mount {guest}: give it again with -v HOST:{guest}"))
        };
        let used = origins.map(|o| mount(&o.mount).map(|_| o.mount.as_str())).collect::<Result<HashSet<_>, _>>()?;
        if let Some((m, ..)) = mounts.iter().find(|(m, ..)| !used.contains(m)) {
            return Err(format!("mount {m} was not in the snapshot: leave it out"));
        }
        let env = (state.env.iter())
            .map(|e| match e {
                EnvEntry::Plain(s) => Ok(s.clone()),
                EnvEntry::Secret(k) => (self.env.iter().find(|e| env_key(e) == k).cloned()).ok_or_else(|| {
                    format!("the snapshot's secret {k} was not given: pass it again with --secret {k}=VALUE")
                }),
            })
            .collect::<Result<Vec<_>, _>>()?;

        // Reopen everything first; slots of the fresh table (stdio,
        // preopens) are only noted, and moved once nothing can fail.
        enum Pending {
            Ready(Open),
            Fresh(usize, Rights, Vec<Entry>),
        }
        let mut taken = vec![false; fresh.len()];
        let mut pending = Vec::with_capacity(state.slots.len());
        for slot in &state.slots {
            let Some(Slot { desc, rights }) = slot else {
                pending.push(None);
                continue;
            };
            let fresh_slot = |i: usize, listing: &Vec<Entry>| {
                let mine = fresh[i].as_ref().map_or(Rights { base: 0, inheriting: 0 }, |o| o.rights);
                let rights = Rights { base: rights.base & mine.base, inheriting: rights.inheriting & mine.inheriting };
                Pending::Fresh(i, rights, listing.clone())
            };
            let p = match desc {
                SavedDesc::Stdin | SavedDesc::Stdout | SavedDesc::Stderr => {
                    let same = |d: &Desc| {
                        matches!((d, desc), (Desc::Stdin(_), SavedDesc::Stdin) | (Desc::Stdout(_), SavedDesc::Stdout) | (Desc::Stderr(_), SavedDesc::Stderr))
                    };
                    let i = (fresh.iter().position(|o| o.as_ref().is_some_and(|o| same(&o.desc))))
                        .ok_or("the resumed context has no standard stream left for the snapshot's")?;
                    fresh_slot(i, &Vec::new())
                }
                SavedDesc::Dir { origin, preopen: true, listing } => fresh_slot(mount(&origin.mount)?.0, listing),
                SavedDesc::Dir { origin, .. } | SavedDesc::File { origin, .. } => {
                    let rights = Rights::PREOPEN.child(rights.base, rights.inheriting, matches!(desc, SavedDesc::Dir { .. }));
                    Pending::Ready(Open { desc: reopen(mount(&origin.mount)?.1, origin, desc, rights)?, rights })
                }
            };
            if let Pending::Fresh(i, ..) = p {
                if std::mem::replace(&mut taken[i], true) {
                    return Err("the snapshot names one standard stream or mount in two slots".into());
                }
            }
            pending.push(Some(p));
        }

        let mut old = std::mem::replace(&mut self.fds, FdTable::from_slots(Vec::new())).into_slots();
        let slots = (pending.into_iter())
            .map(|p| match p? {
                Pending::Ready(open) => Some(open),
                Pending::Fresh(i, rights, listing) => old[i].take().map(|mut open| {
                    open.rights = rights;
                    if let Desc::Dir(d) = &mut open.desc {
                        d.listing = listing;
                    }
                    open
                }),
            })
            .collect();
        self.fds = FdTable::from_slots(slots);
        self.caps = state.caps;
        self.args = state.args.clone();
        self.env = env;
        self.deterministic = state.deterministic;
        self.start = Instant::now().checked_sub(Duration::from_nanos(state.monotonic_ns)).unwrap_or_else(Instant::now);
        self.denials = state.denials.clone();
        Ok(())
    }
}

fn save_file(f: &File) -> Result<SavedDesc, String> {
    let fail = |e: rustix::io::Errno| format!("cannot snapshot the open file {}: {e}", f.origin);
    let st = rustix::fs::fstat(&f.fd).map_err(fail)?;
    if fd::filetype_of_mode(st.st_mode as u32) != abi::FILETYPE_REGULAR_FILE {
        return Err(format!("cannot snapshot {}: only regular files can be reopened, close it first", f.origin));
    }
    let offset = rustix::fs::tell(&f.fd).map_err(fail)?;
    let mtime = (st.st_mtime as i64, st.st_mtime_nsec as u32);
    Ok(SavedDesc::File { origin: f.origin.clone(), flags: f.flags, offset, size: st.st_size as u64, mtime })
}

/// Reopens a saved directory or file beneath the fresh mount `base`, as
/// `path_open` would have, and checks it is still what was saved.
fn reopen(base: &Dir, origin: &Origin, saved: &SavedDesc, rights: Rights) -> Result<Desc, String> {
    let fail = |e: Errno| match e {
        Errno::NOENT | Errno::NOTDIR => format!("{origin} vanished since the snapshot"),
        Errno::ISDIR | Errno::LOOP => format!("{origin} changed since the snapshot (it is another kind of file now)"),
        e => format!("cannot reopen {origin} (WASI errno {}): check its permissions", e.0),
    };
    let rel = if origin.rel.is_empty() { "." } else { origin.rel.as_str() };
    let at = resolve(base.fd.as_fd(), rel, true).map_err(fail)?;
    let mut flags = OFlags::NOFOLLOW | OFlags::CLOEXEC;
    if let SavedDesc::File { flags: fdflags, .. } = saved {
        // The flags were allowed when the guest opened the file.
        flags |= calls::open_fdflags(*fdflags, u64::MAX).map_err(fail)?;
        // A mount now read-only is not written, whatever the rights say.
        let write = rights.base & calls::WRITE_ACCESS != 0 && base.mount_writable;
        flags |= match (rights.base & r::FD_READ != 0, write) {
            (true, true) => OFlags::RDWR,
            (false, true) => OFlags::WRONLY,
            _ => OFlags::RDONLY,
        };
    }
    let fd: OwnedFd = rustix::fs::openat(at.dir(), at.name.as_str(), flags, Mode::empty()).map_err(|e| fail(e.into()))?;
    let st = rustix::fs::fstat(&fd).map_err(|e| fail(e.into()))?;
    let kind = fd::filetype_of_mode(st.st_mode as u32);
    let mount_writable = base.mount_writable;
    match saved {
        SavedDesc::Dir { listing, .. } if kind == abi::FILETYPE_DIRECTORY => {
            Ok(Desc::Dir(Dir { fd, origin: origin.clone(), mount_writable, preopen: None, listing: listing.clone() }))
        }
        SavedDesc::File { flags, offset, size, mtime, .. } if kind == abi::FILETYPE_REGULAR_FILE => {
            if (st.st_size as u64, (st.st_mtime as i64, st.st_mtime_nsec as u32)) != (*size, *mtime) {
                return Err(format!("{origin} changed since the snapshot (size/mtime differ)"));
            }
            rustix::fs::seek(&fd, SeekFrom::Start(*offset)).map_err(|e| fail(e.into()))?;
            Ok(Desc::File(File { fd, origin: origin.clone(), mount_writable, flags: *flags }))
        }
        _ => Err(fail(Errno::ISDIR)),
    }
}

impl WasiState {
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u8(VERSION);
        w.u32(self.caps.bits() as u32);
        w.len(self.args.len());
        self.args.iter().for_each(|a| w.str(a));
        w.len(self.env.len());
        for e in &self.env {
            let (tag, s) = match e {
                EnvEntry::Plain(s) => (0, s),
                EnvEntry::Secret(k) => (1, k),
            };
            w.u8(tag);
            w.str(s);
        }
        w.len(self.slots.len());
        for slot in &self.slots {
            let Some(Slot { desc, rights }) = slot else {
                w.u8(0);
                continue;
            };
            let tag = match desc {
                SavedDesc::Stdin => 1,
                SavedDesc::Stdout => 2,
                SavedDesc::Stderr => 3,
                SavedDesc::Dir { .. } => 4,
                SavedDesc::File { .. } => 5,
            };
            w.u8(tag);
            w.u64(rights.base);
            w.u64(rights.inheriting);
            match desc {
                SavedDesc::Dir { origin, preopen, listing } => {
                    w.str(&origin.mount);
                    w.str(&origin.rel);
                    w.bool(*preopen);
                    w.len(listing.len());
                    for e in listing {
                        w.bytes(&e.name);
                        w.u64(e.ino);
                        w.u8(e.filetype);
                    }
                }
                SavedDesc::File { origin, flags, offset, size, mtime } => {
                    w.str(&origin.mount);
                    w.str(&origin.rel);
                    w.u32(*flags as u32);
                    w.u64(*offset);
                    w.u64(*size);
                    w.u64(mtime.0 as u64);
                    w.u32(mtime.1);
                }
                _ => {}
            }
        }
        w.bool(self.deterministic.is_some());
        if let Some(d) = self.deterministic {
            w.u64(d.rng);
            w.u64(d.slept_ns);
        }
        w.u64(self.monotonic_ns);
        w.len(self.denials.len());
        for (name, caps) in &self.denials {
            w.str(name);
            w.u32(caps.bits() as u32);
        }
        w.bytes
    }

    pub fn decode(bytes: &[u8]) -> Result<WasiState, String> {
        let mut r = Reader::new(bytes, "WASI state");
        let state = read_state(&mut r).map_err(|e| e.0)?;
        r.finish().map_err(|e| e.0)?;
        Ok(state)
    }

    /// One line per open descriptor, for `porta inspect`.
    pub fn describe(&self) -> Vec<String> {
        let line = |(i, slot): (usize, &Option<Slot>)| {
            let Slot { desc, rights } = slot.as_ref()?;
            Some(match desc {
                SavedDesc::Stdin => format!("{i} stdin"),
                SavedDesc::Stdout => format!("{i} stdout"),
                SavedDesc::Stderr => format!("{i} stderr"),
                SavedDesc::Dir { origin, preopen, .. } => {
                    format!("{i} dir {origin}{}", if *preopen { " (preopen)" } else { "" })
                }
                SavedDesc::File { origin, offset, flags, .. } => {
                    let rw = match (rights.base & r::FD_READ != 0, rights.base & r::FD_WRITE != 0) {
                        (true, true) => "rw",
                        (true, false) => "r",
                        (false, true) => "w",
                        (false, false) => "none",
                    };
                    let append = if flags & abi::FDFLAGS_APPEND != 0 { " append" } else { "" };
                    format!("{i} file {origin} offset {offset} rights {rw}{append}")
                }
            })
        };
        self.slots.iter().enumerate().filter_map(line).collect()
    }

    /// The environment keys whose values the resume must give again.
    pub fn secret_keys(&self) -> Vec<String> {
        (self.env.iter()).filter_map(|e| if let EnvEntry::Secret(k) = e { Some(k.clone()) } else { None }).collect()
    }

    pub fn args(&self) -> &[String] {
        &self.args
    }

    /// The capabilities the guest ran with.
    pub fn capabilities(&self) -> Capabilities {
        self.caps
    }
}

fn read_caps(r: &mut Reader<'_>) -> CodecResult<Capabilities> {
    let bits = r.u32()?;
    (u16::try_from(bits).ok().and_then(Capabilities::from_bits)).ok_or_else(|| r.error(format!("unknown capability bits {bits:#x}")))
}

fn read_origin(r: &mut Reader<'_>) -> CodecResult<Origin> {
    let (mount, rel) = (r.string()?, r.string()?);
    if mount.contains('\0') || rel.contains('\0') {
        return Err(r.error("a path with a NUL byte"));
    }
    // Only the normal form the resolver records: relative, no `.`, `..` or
    // empty components.
    if !rel.is_empty() && rel.split('/').any(|c| matches!(c, "" | "." | "..")) {
        return Err(r.error(format!("the path {rel:?} is not a plain path beneath its mount")));
    }
    Ok(Origin { mount, rel })
}

fn read_state(r: &mut Reader<'_>) -> CodecResult<WasiState> {
    match r.u8()? {
        VERSION => {}
        v => return Err(r.error(format!("version {v}, where this porta reads {VERSION}"))),
    }
    let caps = read_caps(r)?;
    let n = r.count(8)?;
    let args = (0..n).map(|_| r.string()).collect::<CodecResult<_>>()?;
    let n = r.count(9)?;
    let mut env = Vec::with_capacity(n);
    for _ in 0..n {
        env.push(match (r.u8()?, r.string()?) {
            (0, s) => EnvEntry::Plain(s),
            (1, k) if !k.contains('=') => EnvEntry::Secret(k),
            (t, _) => return Err(r.error(format!("bad environment entry (tag {t})"))),
        });
    }
    let n = r.count(1)?;
    if n > fd::MAX_FDS {
        return Err(r.error(format!("{n} descriptors, where at most {} can be open", fd::MAX_FDS)));
    }
    let mut slots = Vec::with_capacity(n);
    let mut streams = [false; 3];
    let mut preopens = HashSet::new();
    for _ in 0..n {
        let tag = r.u8()?;
        if tag == 0 {
            slots.push(None);
            continue;
        }
        let rights = Rights { base: r.u64()?, inheriting: r.u64()? };
        if (rights.base | rights.inheriting) & !ALL_RIGHTS != 0 {
            return Err(r.error("rights outside those WASI defines"));
        }
        let desc = match tag {
            1..=3 => {
                if std::mem::replace(&mut streams[tag as usize - 1], true) {
                    return Err(r.error("a standard stream in two slots"));
                }
                [SavedDesc::Stdin, SavedDesc::Stdout, SavedDesc::Stderr][tag as usize - 1].clone()
            }
            4 => {
                let (origin, preopen) = (read_origin(r)?, r.bool()?);
                if preopen && (!origin.rel.is_empty() || !preopens.insert(origin.mount.clone())) {
                    return Err(r.error(format!("a bad preopen of mount {:?}", origin.mount)));
                }
                let n = r.count(17)?;
                let mut listing = Vec::with_capacity(n);
                for _ in 0..n {
                    let (name, ino, filetype) = (r.bytes()?.to_vec(), r.u64()?, r.u8()?);
                    if filetype > abi::FILETYPE_SYMBOLIC_LINK {
                        return Err(r.error(format!("unknown file type {filetype}")));
                    }
                    listing.push(Entry { name, ino, filetype });
                }
                SavedDesc::Dir { origin, preopen, listing }
            }
            5 => {
                let (origin, flags) = (read_origin(r)?, r.u32()?);
                let (offset, size, mtime) = (r.u64()?, r.u64()?, (r.u64()? as i64, r.u32()?));
                if flags & !(abi::FDFLAGS_ALL as u32) != 0 || mtime.1 >= 1_000_000_000 {
                    return Err(r.error("bad file flags or time"));
                }
                SavedDesc::File { origin, flags: flags as u16, offset, size, mtime }
            }
            t => return Err(r.error(format!("unknown descriptor tag {t}"))),
        };
        slots.push(Some(Slot { desc, rights }));
    }
    let deterministic = match r.bool()? {
        true => Some(Deterministic { rng: r.u64()?, slept_ns: r.u64()? }),
        false => None,
    };
    let monotonic_ns = r.u64()?;
    let n = r.count(12)?;
    let mut denials = Vec::with_capacity(n);
    for _ in 0..n {
        let name = r.string()?;
        let func = FUNCTIONS.iter().find(|f| **f == name).ok_or_else(|| r.error(format!("unknown WASI function {name:?}")))?;
        denials.push((*func, read_caps(r)?));
    }
    Ok(WasiState { caps, args, env, slots, deterministic, monotonic_ns, denials })
}

#[cfg(test)]
mod tests {
    use super::super::guest::Guest;
    use super::*;
    use std::path::{Path, PathBuf};

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("porta-wasi-snapshot-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::write(d.join("a.txt"), "hello world").unwrap();
        std::fs::write(d.join("sub/b.txt"), "0123456789").unwrap();
        d
    }

    fn ctx(mounts: &[(&Path, &str)], token: Option<&str>) -> WasiCtx {
        let mut b = WasiCtx::builder().capabilities(Capabilities::all()).args(["prog", "x"]).env("A", "1");
        if let Some(t) = token {
            b = b.env("TOKEN", t);
        }
        for (host, guest) in mounts {
            b = b.mount(host, guest, true).unwrap();
        }
        b.deterministic(7).build()
    }

    /// Runs a real WASI call with a scratch memory; returns the errno.
    fn call(ctx: &mut WasiCtx, mem: &mut [u8], name: &str, args: &[u64]) -> Errno {
        let f = calls::TABLE.iter().find(|t| t.0 == name).unwrap().3;
        let mut cx = calls::Cx { ctx, mem: Guest::new(mem), steps: 0, interrupt: Default::default() };
        f(&mut cx, args).ok().unwrap()
    }

    fn open(ctx: &mut WasiCtx, dir: u32, path: &str, base: u64) -> u32 {
        let mut mem = vec![0u8; 4096];
        mem[..path.len()].copy_from_slice(path.as_bytes());
        let args = [dir as u64, 1, 0, path.len() as u64, 0, base, u64::MAX, 0, 1024];
        assert_eq!(call(ctx, &mut mem, "path_open", &args), Errno::SUCCESS, "{path}");
        u32::from_le_bytes(mem[1024..1028].try_into().unwrap())
    }

    fn read(ctx: &mut WasiCtx, fd: u32, n: u32) -> String {
        let mut mem = vec![0u8; 4096];
        mem[2048..2056].copy_from_slice(&[3000u32.to_le_bytes(), n.to_le_bytes()].concat());
        assert_eq!(call(ctx, &mut mem, "fd_read", &[fd as u64, 2048, 1, 2064]), Errno::SUCCESS);
        let got = u32::from_le_bytes(mem[2064..2068].try_into().unwrap()) as usize;
        String::from_utf8(mem[3000..3000 + got].to_vec()).unwrap()
    }

    const FILE: u64 = r::FD_READ | r::FD_SEEK | r::FD_TELL;

    /// 0 stdin, 1 empty, 2 stdout (moved), 3 /data, 4 /data/sub (listed),
    /// 5 /data/a.txt at 6, 6 /data/sub/b.txt at 3.
    fn paused(d: &Path) -> WasiCtx {
        let mut c = ctx(&[(d, "/data")], Some("s3cret"));
        let mut mem = vec![0u8; 4096];
        assert_eq!(open(&mut c, 3, "./sub/../sub/", r::DIRECTORY), 4);
        assert_eq!(call(&mut c, &mut mem, "fd_readdir", &[4, 3000, 512, 0, 2080]), Errno::SUCCESS);
        assert_eq!(open(&mut c, 3, "a.txt", FILE), 5);
        assert_eq!(call(&mut c, &mut mem, "fd_seek", &[5, 6, 0, 2072]), Errno::SUCCESS);
        assert_eq!(open(&mut c, 4, "b.txt", FILE), 6);
        assert_eq!(read(&mut c, 6, 3), "012");
        assert_eq!(call(&mut c, &mut mem, "fd_renumber", &[1, 2]), Errno::SUCCESS);
        c.denials.push(("random_get", Capabilities::RANDOM));
        c
    }

    #[test]
    fn round_trip_keeps_layout_offsets_and_secrets_out() {
        let d = tmp("round");
        let state = paused(&d).save_state(&["TOKEN"]).unwrap();
        let bytes = state.encode();
        assert!(!bytes.windows(6).any(|w| w == b"s3cret"));
        let back = WasiState::decode(&bytes).unwrap();
        assert_eq!(back.encode(), bytes);
        assert_eq!(back.secret_keys(), ["TOKEN"]);
        assert_eq!(back.args(), ["prog", "x"]);
        let lines = back.describe();
        assert_eq!(lines[..3], ["0 stdin", "2 stdout", "3 dir /data (preopen)"]);
        assert_eq!(lines[3..], ["4 dir /data/sub", "5 file /data/a.txt offset 6 rights r", "6 file /data/sub/b.txt offset 3 rights r"]);

        let (b, out) = WasiCtx::builder().mount(&d, "/data", false).unwrap().env("TOKEN", "new").capture_stdout(64);
        let mut c = b.build();
        c.restore_state(&back).unwrap();
        assert_eq!(c.env, ["A=1", "TOKEN=new"]);
        assert_eq!((c.caps, c.args.len(), c.deterministic.unwrap().rng), (Capabilities::all(), 2, 7));
        assert_eq!(c.denials, [("random_get", Capabilities::RANDOM)]);
        assert_eq!(read(&mut c, 5, 100), "world");
        assert_eq!(read(&mut c, 6, 100), "3456789");
        let names = |c: &WasiCtx| c.fds.slots().iter().map(|s| s.as_ref().map(|o| o.desc.filetype())).collect::<Vec<_>>();
        assert_eq!(names(&c), names(&paused(&d)));
        let Some(Open { desc: Desc::Dir(sub), .. }) = &c.fds.slots()[4] else { panic!() };
        assert!(sub.listing.iter().any(|e| e.name == b"b.txt") && !sub.mount_writable);
        let mut mem = vec![0u8; 4096];
        mem[..8].copy_from_slice(&[16u32.to_le_bytes(), 2u32.to_le_bytes()].concat());
        mem[16..18].copy_from_slice(b"hi");
        assert_eq!(call(&mut c, &mut mem, "fd_write", &[2, 0, 1, 100]), Errno::SUCCESS);
        assert_eq!(out.contents(), b"hi");
        let _ = std::fs::remove_dir_all(d);
    }

    #[test]
    fn changed_and_vanished_files_are_refused() {
        let d = tmp("changed");
        let state = paused(&d).save_state(&[]).unwrap();
        let restore = || ctx(&[(&d, "/data")], None).restore_state(&state);
        std::fs::write(d.join("a.txt"), "hello world!").unwrap();
        assert_eq!(restore().unwrap_err(), "/data/a.txt changed since the snapshot (size/mtime differ)");
        std::fs::write(d.join("a.txt"), "hello there").unwrap();
        let past = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        std::fs::File::options().write(true).open(d.join("a.txt")).unwrap().set_modified(past).unwrap();
        assert!(restore().unwrap_err().starts_with("/data/a.txt changed"));
        std::fs::remove_file(d.join("a.txt")).unwrap();
        assert_eq!(restore().unwrap_err(), "/data/a.txt vanished since the snapshot");
        std::fs::remove_dir_all(d.join("sub")).unwrap();
        std::fs::write(d.join("sub"), "").unwrap();
        assert_eq!(restore().unwrap_err(), "/data/sub changed since the snapshot (it is another kind of file now)");
        let _ = std::fs::remove_dir_all(d);
    }

    #[test]
    fn mounts_and_secrets_must_be_given_again() {
        let d = tmp("mounts");
        let state = paused(&d).save_state(&["TOKEN"]).unwrap();
        let err = ctx(&[], Some("x")).restore_state(&state).unwrap_err();
        assert_eq!(err, "the snapshot has files under mount /data: give it again with -v HOST:/data");
        let err = ctx(&[(&d, "/data"), (&d, "/other")], Some("x")).restore_state(&state).unwrap_err();
        assert!(err.starts_with("mount /other was not in the snapshot"));
        let mut c = ctx(&[(&d, "/data")], None);
        let err = c.restore_state(&state).unwrap_err();
        assert_eq!(err, "the snapshot's secret TOKEN was not given: pass it again with --secret TOKEN=VALUE");
        // A failed restore leaves the context as it was built.
        assert_eq!((c.fds.slots().len(), c.args.len()), (4, 2));
        let _ = std::fs::remove_dir_all(d);
    }

    #[test]
    fn decode_refuses_bad_bytes_without_panicking() {
        let d = tmp("decode");
        let state = paused(&d).save_state(&["TOKEN"]).unwrap();
        let bytes = state.encode();
        for n in 0..bytes.len() {
            assert!(WasiState::decode(&bytes[..n]).is_err(), "prefix {n}");
        }
        for i in 0..bytes.len() {
            for x in [0x01, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[i] ^= x;
                let _ = WasiState::decode(&b);
            }
        }
        let bad = |f: &dyn Fn(&mut WasiState)| {
            let mut s = state.clone();
            f(&mut s);
            WasiState::decode(&s.encode()).unwrap_err()
        };
        fn file(s: &mut WasiState) -> &mut Origin {
            match &mut s.slots[5].as_mut().unwrap().desc {
                SavedDesc::File { origin, .. } => origin,
                _ => unreachable!(),
            }
        }
        assert!(bad(&|s| file(s).rel = "/etc/passwd".into()).contains("not a plain path"));
        assert!(bad(&|s| file(s).rel = "sub/../../x".into()).contains("not a plain path"));
        assert!(bad(&|s| file(s).mount = "/da\0ta".into()).contains("NUL"));
        assert!(bad(&|s| s.slots[5].as_mut().unwrap().rights.base |= 1 << 40).contains("rights"));
        assert!(bad(&|s| s.denials[0].0 = "fd_nonsense").contains("unknown WASI function"));
        assert!(bad(&|s| s.slots.resize(fd::MAX_FDS + 1, None)).contains("at most 4096"));
        assert!(bad(&|s| s.slots[1] = s.slots[0].clone()).contains("two slots"));
        let mut b = bytes.clone();
        b.push(0);
        assert!(WasiState::decode(&b).unwrap_err().contains("left over"));
        b[0] = 9;
        assert!(WasiState::decode(&b).unwrap_err().contains("version 9"));
        let _ = std::fs::remove_dir_all(d);
    }
}
