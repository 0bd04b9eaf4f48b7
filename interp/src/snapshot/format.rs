//! The snapshot file: a magic, a format version, typed sections, and a
//! SHA-256 of everything before it. The checksum is checked first, so a
//! damaged file is named as damaged before any section is read; each
//! section is then read by its own bounded reader.

use super::codec::{CodecError, Reader};
use sha2::{Digest, Sha256};

pub const MAGIC: &[u8; 8] = b"PORTASNP";
/// Bumped whenever a section's layout changes, or the translated code that
/// frames point into (op indices): an older porta refuses a newer file by
/// its number rather than misreading it. 2: functions with locals start
/// with a `ZeroLocals` op. 3: only functions that may read a local before
/// writing it do (`translate::assigned`). 4: constants ride in f32 and
/// `select` ops, a shift in the add after it, and `select` reads both
/// operands where they are. 5: a shift fuses into an xor, or or add after
/// it. 6: a `global.get` fuses into the add of a constant, and that add
/// into a `global.set`. 7: a jump back to a loop that starts with its exit
/// test runs that test; an `and` with a constant fuses into its branch.
/// 8: a `select` writes the local a `local.set` after it names; an add
/// that computes an address fuses into the load or store at it.
pub const VERSION: u32 = 8;

/// The sections, in file order. Each appears once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// The module's SHA-256 and the step count.
    Header = 1,
    /// The paused executor: frames and value stack.
    Exec = 2,
    Memories = 3,
    Tables = 4,
    Globals = 5,
    /// Dropped data and element segments.
    Segments = 6,
    /// Exceptions the store holds.
    Exceptions = 7,
    /// The WASI context (`wasi::WasiState`), if the guest has one.
    Wasi = 8,
    /// The embedder's own record (porta's: entry, arguments).
    Embedder = 9,
}

/// Every section, in file order.
pub const ALL: [Section; 9] = [
    Section::Header,
    Section::Exec,
    Section::Memories,
    Section::Tables,
    Section::Globals,
    Section::Segments,
    Section::Exceptions,
    Section::Wasi,
    Section::Embedder,
];
/// Sections every snapshot has.
const REQUIRED: usize = 7;

pub fn write(sections: &[(Section, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(12 + sections.iter().map(|(_, b)| b.len() + 9).sum::<usize>() + 32);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    for (kind, bytes) in sections {
        out.push(*kind as u8);
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(bytes);
    }
    let sum = Sha256::digest(&out);
    out.extend_from_slice(&sum);
    out
}

/// The sections of a file, by kind (`None` where an optional one is
/// absent), borrowed from it.
pub fn read(file: &[u8]) -> Result<[Option<&[u8]>; 9], CodecError> {
    let err = |m: &str| CodecError(m.to_string());
    if file.len() < MAGIC.len() || &file[..MAGIC.len()] != MAGIC {
        return Err(err("not a porta snapshot (no PORTASNP magic)"));
    }
    if file.len() < MAGIC.len() + 4 + 32 {
        return Err(err("truncated snapshot: shorter than its header and checksum"));
    }
    let version = u32::from_le_bytes(file[8..12].try_into().expect("4 bytes"));
    if version != VERSION {
        return Err(CodecError(format!(
            "snapshot format version {version}, this porta reads version {VERSION}: resume it with the porta that wrote it"
        )));
    }
    let (body, sum) = file.split_at(file.len() - 32);
    if Sha256::digest(body).as_slice() != sum {
        return Err(err("damaged snapshot: its checksum does not match its contents (truncated or modified)"));
    }
    let mut r = Reader::new(&body[12..], "snapshot sections");
    let mut found: [Option<&[u8]>; 9] = [None; 9];
    let mut last = 0u8;
    while !r.is_empty() {
        let id = r.u8()?;
        let kind = ALL.iter().find(|k| **k as u8 == id).ok_or_else(|| r.error(format!("unknown section {id}")))?;
        if id <= last {
            return Err(r.error(format!("section {kind:?} out of order or repeated")));
        }
        last = id;
        let len = r.u64()?;
        let len = usize::try_from(len).map_err(|_| r.error("section length"))?;
        found[id as usize - 1] = Some(r.take(len)?);
    }
    if let Some(k) = ALL[..REQUIRED].iter().find(|k| found[**k as usize - 1].is_none()) {
        return Err(CodecError(format!("snapshot sections: the {k:?} section is missing")));
    }
    Ok(found)
}
