//! The guest's descriptor table: standard streams, preopened mounts, and the
//! files and directories opened beneath them. Each descriptor carries its
//! rights; each file system descriptor also carries whether its mount is
//! writable, so a read-only mount stays read-only whatever the guest asks
//! for.

use super::abi::{self, Errno};
use super::rights::Rights;
use super::stdio::{Input, Output};
use rustix::fd::OwnedFd;
use rustix::fs::{openat, Mode, OFlags, CWD};
use std::path::Path;

/// Most descriptors a guest may hold at once.
pub(crate) const MAX_FDS: usize = 4096;

/// A host directory made visible to the guest.
pub(crate) struct Mount {
    pub fd: OwnedFd,
    pub writable: bool,
}

impl Mount {
    pub fn open(host: &Path, writable: bool) -> std::io::Result<Mount> {
        let fd = openat(CWD, host, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
        Ok(Mount { fd, writable })
    }
}

/// Where a file system descriptor is, so a snapshot can reopen it: the
/// guest path of its mount and its path beneath the mount (`""` for the
/// mount itself), as the resolver walked it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    pub mount: String,
    pub rel: String,
}

impl Origin {
    /// The origin of `rel` beneath this directory.
    pub fn child(&self, rel: &str) -> Origin {
        let rel = match (self.rel.is_empty(), rel.is_empty()) {
            (_, true) => self.rel.clone(),
            (true, false) => rel.to_string(),
            (false, false) => format!("{}/{rel}", self.rel),
        };
        Origin { mount: self.mount.clone(), rel }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.rel.is_empty(), self.mount.ends_with('/')) {
            (true, _) => f.write_str(&self.mount),
            (false, true) => write!(f, "{}{}", self.mount, self.rel),
            (false, false) => write!(f, "{}/{}", self.mount, self.rel),
        }
    }
}

pub(crate) struct File {
    pub fd: OwnedFd,
    pub origin: Origin,
    /// The mount allows writes.
    pub mount_writable: bool,
    /// The `fdflags` the guest opened it with or set since, as it will read
    /// them back (the host cannot tell `rsync` from `sync`).
    pub flags: u16,
}

/// A directory entry as `fd_readdir` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub name: Vec<u8>,
    pub ino: u64,
    pub filetype: u8,
}

pub(crate) struct Dir {
    pub fd: OwnedFd,
    pub origin: Origin,
    pub mount_writable: bool,
    /// The guest path of a preopened mount.
    pub preopen: Option<String>,
    /// Listing taken when a read starts at cookie 0, so cookies stay stable.
    pub listing: Vec<Entry>,
}

pub(crate) enum Desc {
    Stdin(Input),
    Stdout(Output),
    Stderr(Output),
    File(File),
    Dir(Dir),
}

impl Desc {
    pub fn preopen(m: Mount, guest: String) -> Desc {
        let origin = Origin { mount: guest.clone(), rel: String::new() };
        Desc::Dir(Dir { fd: m.fd, origin, mount_writable: m.writable, preopen: Some(guest), listing: Vec::new() })
    }

    /// Whether the mount a file system descriptor lives on allows writes;
    /// `None` for streams.
    pub fn mount_writable(&self) -> Option<bool> {
        match self {
            Desc::File(f) => Some(f.mount_writable),
            Desc::Dir(d) => Some(d.mount_writable),
            _ => None,
        }
    }

    pub fn is_stdio(&self) -> bool {
        matches!(self, Desc::Stdin(_) | Desc::Stdout(_) | Desc::Stderr(_))
    }

    pub fn filetype(&self) -> u8 {
        match self {
            Desc::Stdin(_) | Desc::Stdout(_) | Desc::Stderr(_) => abi::FILETYPE_CHARACTER_DEVICE,
            Desc::Dir(_) => abi::FILETYPE_DIRECTORY,
            Desc::File(f) => match rustix::fs::fstat(&f.fd) {
                // `st_mode` is a u16 on macOS.
                #[allow(clippy::useless_conversion)]
                Ok(st) => filetype_of_mode(u32::from(st.st_mode)),
                Err(_) => abi::FILETYPE_UNKNOWN,
            },
        }
    }
}

pub(crate) fn filetype_of_mode(mode: u32) -> u8 {
    filetype_of(rustix::fs::FileType::from_raw_mode(mode as _))
}

pub(crate) fn filetype_of(t: rustix::fs::FileType) -> u8 {
    use rustix::fs::FileType as F;
    match t {
        F::RegularFile => abi::FILETYPE_REGULAR_FILE,
        F::Directory => abi::FILETYPE_DIRECTORY,
        F::Symlink => abi::FILETYPE_SYMBOLIC_LINK,
        F::CharacterDevice => abi::FILETYPE_CHARACTER_DEVICE,
        F::BlockDevice => abi::FILETYPE_BLOCK_DEVICE,
        F::Socket => abi::FILETYPE_SOCKET_STREAM,
        _ => abi::FILETYPE_UNKNOWN,
    }
}

/// A descriptor and its rights.
pub(crate) struct Open {
    pub desc: Desc,
    pub rights: Rights,
}

pub(crate) struct FdTable {
    slots: Vec<Option<Open>>,
}

impl FdTable {
    pub fn new(stdin: Input, stdout: Output, stderr: Output) -> Self {
        let open = |desc, rights| Some(Open { desc, rights });
        FdTable {
            slots: vec![
                open(Desc::Stdin(stdin), Rights::STDIN),
                open(Desc::Stdout(stdout), Rights::STDOUT),
                open(Desc::Stderr(stderr), Rights::STDOUT),
            ],
        }
    }

    /// A table laid out exactly as `slots` (a snapshot's restore).
    pub fn from_slots(slots: Vec<Option<Open>>) -> Self {
        FdTable { slots }
    }

    pub fn slots(&self) -> &[Option<Open>] {
        &self.slots
    }

    pub fn into_slots(self) -> Vec<Option<Open>> {
        self.slots
    }

    /// Takes the lowest free number, as POSIX does.
    pub fn insert(&mut self, desc: Desc, rights: Rights) -> Result<u32, Errno> {
        let open = Some(Open { desc, rights });
        if let Some(i) = self.slots.iter().position(Option::is_none) {
            self.slots[i] = open;
            return Ok(i as u32);
        }
        if self.slots.len() >= MAX_FDS {
            return Err(Errno::MFILE);
        }
        self.slots.push(open);
        Ok(self.slots.len() as u32 - 1)
    }

    pub fn open(&mut self, fd: u32) -> Result<&mut Open, Errno> {
        self.slots.get_mut(fd as usize).and_then(Option::as_mut).ok_or(Errno::BADF)
    }

    pub fn get(&mut self, fd: u32) -> Result<&mut Desc, Errno> {
        self.open(fd).map(|o| &mut o.desc)
    }

    pub fn remove(&mut self, fd: u32) -> Result<Open, Errno> {
        self.slots.get_mut(fd as usize).and_then(Option::take).ok_or(Errno::BADF)
    }

    /// Moves `from` onto `to`, closing what `to` held.
    pub fn renumber(&mut self, from: u32, to: u32) -> Result<(), Errno> {
        self.get(to)?;
        let d = self.remove(from)?;
        self.slots[to as usize] = Some(d);
        Ok(())
    }
}
