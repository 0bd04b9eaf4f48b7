//! Reading a module file to run it: its sections up to the last one that is
//! not custom. Custom sections after that one (DWARF debug info: half of
//! CPython's 26 MB) are never looked at when a module runs, so they are not
//! read: the run neither copies them nor faults in fresh pages for them.
//! Each one left out is still checked as the decoder checks a custom
//! section (a UTF-8 name, inside the section, inside the file); when any
//! is not, or the file is small, the whole file is read and the decoder
//! says what is wrong, so a module runs exactly when it would in full.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::path::Path;

/// Below this, reading the whole file costs too little to skip anything.
const WORTH_SKIPPING: u64 = 1 << 20;

/// A custom section's name longer than this is read with the section (no
/// real name comes near it).
const MAX_NAME: u32 = 4096;

/// The bytes of the module at `path` that running it needs.
pub fn read_to_run(path: &Path) -> io::Result<Vec<u8>> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    let end = match len >= WORTH_SKIPPING {
        true => trailing_customs(&file, len).unwrap_or(len),
        false => len,
    };
    let mut bytes = Vec::with_capacity(end as usize);
    file.take(end).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Where the well-formed custom sections that end the file start, if it
/// ends with some; `None` (read it all) for anything unexpected.
fn trailing_customs(file: &File, len: u64) -> Option<u64> {
    let mut header = [0u8; 8];
    file.read_exact_at(&mut header, 0).ok()?;
    if header != *b"\0asm\x01\0\0\0" {
        return None;
    }
    let (mut at, mut end) = (8u64, 8u64);
    while at < len {
        // The section's id, size and (for a custom one) name length.
        let mut head = [0u8; 11];
        let n = file.read_at(&mut head, at).ok()?;
        let (&id, rest) = head[..n].split_first()?;
        let (size, used) = leb_u32(rest)?;
        let body = at + 1 + used as u64;
        let next = body + size as u64;
        if next > len {
            return None;
        }
        if id == 0 {
            let (name_len, name_used) = leb_u32(&rest[used..])?;
            if name_len > MAX_NAME || name_used as u64 + name_len as u64 > size as u64 {
                return None;
            }
            let mut name = vec![0; name_len as usize];
            file.read_exact_at(&mut name, body + name_used as u64).ok()?;
            std::str::from_utf8(&name).ok()?;
        } else {
            end = next;
        }
        at = next;
    }
    (end < len).then_some(end)
}

/// An unsigned LEB128 u32 as the binary format allows it (at most five
/// bytes, no bits past 32), and the bytes it took.
fn leb_u32(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut value = 0u32;
    for (i, &b) in bytes.iter().take(5).enumerate() {
        if i == 4 && b >= 0x10 {
            return None;
        }
        value |= ((b & 0x7f) as u32) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: u8, body: &[u8]) -> Vec<u8> {
        let mut s = vec![id];
        let mut n = body.len();
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            s.push(if n == 0 { b } else { b | 0x80 });
            if n == 0 {
                break;
            }
        }
        s.extend_from_slice(body);
        s
    }

    fn custom(name: &[u8], len: usize) -> Vec<u8> {
        let mut body = vec![name.len() as u8];
        body.extend_from_slice(name);
        body.resize(body.len() + len, 0xab);
        section(0, &body)
    }

    /// A file removed when dropped.
    struct Temp(std::path::PathBuf);

    impl Temp {
        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Temp {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }

    /// A module (a type section, a custom section, a function section)
    /// followed by `tail`, in a file of its own.
    fn file_with(tail: &[Vec<u8>]) -> (Temp, usize) {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let mut bytes = b"\0asm\x01\0\0\0".to_vec();
        bytes.extend(section(1, &[1, 0x60, 0, 0]));
        bytes.extend(custom(b"name", 10));
        bytes.extend(section(3, &[0]));
        let kept = bytes.len();
        for t in tail {
            bytes.extend_from_slice(t);
        }
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("porta-module-file-{}-{n}.wasm", std::process::id()));
        std::fs::write(&path, &bytes).unwrap();
        (Temp(path), kept)
    }

    #[test]
    fn trailing_custom_sections_are_left_out_and_the_rest_is_read_whole() {
        let (f, kept) = file_with(&[custom(b".debug_info", 1 << 20), custom(b".debug_str", 1000)]);
        let bytes = read_to_run(f.path()).unwrap();
        assert_eq!(bytes, std::fs::read(f.path()).unwrap()[..kept]);
    }

    #[test]
    fn anything_unexpected_in_the_tail_reads_the_whole_file() {
        let big = 1 << 20;
        let mut past_the_end = custom(b".debug_info", big);
        past_the_end.truncate(past_the_end.len() - 1);
        let cases = [
            vec![custom(b".debug_info", big), section(11, &[0])],
            vec![past_the_end],
            vec![custom(b"\xff\xfe", big)],
            // A size written in six bytes.
            vec![[0u8, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00].to_vec(), vec![0; big]],
        ];
        for (i, tail) in cases.iter().enumerate() {
            let (f, _) = file_with(tail);
            let whole = std::fs::read(f.path()).unwrap();
            assert_eq!(read_to_run(f.path()).unwrap(), whole, "case {i}");
        }
    }

    #[test]
    fn a_small_file_is_read_whole() {
        let (f, _) = file_with(&[custom(b".debug_info", 100)]);
        assert_eq!(read_to_run(f.path()).unwrap(), std::fs::read(f.path()).unwrap());
    }

    #[test]
    fn leb_u32_takes_what_the_binary_format_allows() {
        assert_eq!(leb_u32(&[0x05]), Some((5, 1)));
        assert_eq!(leb_u32(&[0x80, 0x01]), Some((128, 2)));
        assert_eq!(leb_u32(&[0xff, 0xff, 0xff, 0xff, 0x0f]), Some((u32::MAX, 5)));
        assert_eq!(leb_u32(&[0xff, 0xff, 0xff, 0xff, 0x1f]), None);
        assert_eq!(leb_u32(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), None);
        assert_eq!(leb_u32(&[0x80]), None);
    }
}
