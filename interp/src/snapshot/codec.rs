//! The byte codec of snapshot sections: little-endian integers, lengths
//! before sequences. The reader checks every length against the bytes left
//! before it allocates, so a hostile file cannot make it allocate more than
//! the file itself justifies, and it never panics.

/// A decoding failure: what was being read when the bytes ran out or made
/// no sense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodecError(pub String);

impl std::fmt::Display for CodecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub type CodecResult<T> = Result<T, CodecError>;

#[derive(Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }
    pub fn bool(&mut self, v: bool) {
        self.u8(v as u8);
    }
    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    /// A length or count.
    pub fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.bytes.extend_from_slice(b);
    }
    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    pub fn opt_u64(&mut self, v: Option<u64>) {
        self.bool(v.is_some());
        if let Some(v) = v {
            self.u64(v);
        }
    }
    pub fn u64s(&mut self, v: &[u64]) {
        self.len(v.len());
        v.iter().for_each(|&x| self.u64(x));
    }
}

pub struct Reader<'a> {
    bytes: &'a [u8],
    /// What is being read, for error messages.
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8], what: &'static str) -> Self {
        Reader { bytes, what }
    }

    pub fn error(&self, msg: impl std::fmt::Display) -> CodecError {
        CodecError(format!("{}: {msg}", self.what))
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Fails unless every byte was read.
    pub fn finish(&self) -> CodecResult<()> {
        match self.bytes.len() {
            0 => Ok(()),
            n => Err(self.error(format!("{n} bytes left over"))),
        }
    }

    pub fn take(&mut self, n: usize) -> CodecResult<&'a [u8]> {
        if n > self.bytes.len() {
            return Err(self.error("truncated"));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }
    pub fn u8(&mut self) -> CodecResult<u8> {
        Ok(self.take(1)?[0])
    }
    pub fn bool(&mut self) -> CodecResult<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(self.error(format!("{b} is not a flag"))),
        }
    }
    pub fn u32(&mut self) -> CodecResult<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    pub fn u64(&mut self) -> CodecResult<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    /// A count of items of at least `item_size` bytes each: no larger than
    /// the bytes left can hold.
    pub fn count(&mut self, item_size: usize) -> CodecResult<usize> {
        let n = self.u64()?;
        let max = self.bytes.len() / item_size.max(1);
        match usize::try_from(n) {
            Ok(n) if n <= max => Ok(n),
            _ => Err(self.error(format!("a count of {n} where {max} at most fit"))),
        }
    }
    pub fn bytes(&mut self) -> CodecResult<&'a [u8]> {
        let n = self.count(1)?;
        self.take(n)
    }
    pub fn string(&mut self) -> CodecResult<String> {
        let b = self.bytes()?;
        String::from_utf8(b.to_vec()).map_err(|_| self.error("a string that is not UTF-8"))
    }
    pub fn opt_u64(&mut self) -> CodecResult<Option<u64>> {
        Ok(if self.bool()? { Some(self.u64()?) } else { None })
    }
    pub fn u64s(&mut self) -> CodecResult<Vec<u64>> {
        let n = self.count(8)?;
        (0..n).map(|_| self.u64()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bounds() {
        let mut w = Writer::default();
        w.u32(7);
        w.str("héllo");
        w.opt_u64(Some(9));
        w.u64s(&[1, 2, 3]);
        let mut r = Reader::new(&w.bytes, "test");
        assert_eq!(r.u32().unwrap(), 7);
        assert_eq!(r.string().unwrap(), "héllo");
        assert_eq!(r.opt_u64().unwrap(), Some(9));
        assert_eq!(r.u64s().unwrap(), vec![1, 2, 3]);
        r.finish().unwrap();
        // A count the bytes cannot hold is refused before any allocation.
        let mut w = Writer::default();
        w.u64(u64::MAX);
        assert!(Reader::new(&w.bytes, "test").u64s().unwrap_err().0.contains("at most"));
        assert!(Reader::new(&[1, 2], "test").u32().unwrap_err().0.contains("truncated"));
    }
}
