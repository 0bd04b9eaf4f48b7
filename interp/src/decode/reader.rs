//! The byte cursor under the decoder.
//!
//! [`Reader`] owns the value-level encodings of the binary format: bytes,
//! exact LEB128 integers, raw float bits, names, length-prefixed windows,
//! vector lengths and the one-byte value/reference types that both sections
//! and instructions use. It tracks the absolute offset of every byte so errors
//! point into the module, and it never indexes without a bounds check.

use super::error::DecodeError;
use crate::types::{HeapType, RefType, ValType};

pub(crate) type Result<T> = std::result::Result<T, DecodeError>;

const END_OF_WINDOW: &str = "unexpected end of section or function";
const END_OF_MODULE: &str = "unexpected end";
const LENGTH_OUT_OF_BOUNDS: &str = "length out of bounds";

/// Whether a reader covers the whole module or a window of it (a section or
/// a function body). Only the wording of errors differs, following the spec
/// suite: running off the module is an "unexpected end" and a length past
/// it is "length out of bounds"; inside a window both are an "unexpected end
/// of section or function".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Extent {
    Module,
    Window,
}

/// A cursor over a window of the module's bytes.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Absolute offset of `bytes[0]` in the module.
    base: usize,
    section: &'static str,
    extent: Extent,
}

impl<'a> Reader<'a> {
    /// A reader over a whole module (section name "header" until the caller
    /// moves on with [`Reader::set_section`]).
    pub fn module(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0, base: 0, section: "header", extent: Extent::Module }
    }

    /// A reader over a section's or function's bytes that start at absolute
    /// offset `base`.
    pub fn new(bytes: &'a [u8], base: usize, section: &'static str) -> Self {
        Reader { bytes, pos: 0, base, section, extent: Extent::Window }
    }

    pub fn set_section(&mut self, section: &'static str) {
        self.section = section;
    }

    /// Absolute offset of the next byte.
    pub fn offset(&self) -> usize {
        // Saturating: `base` comes from a caller and must not be able to
        // overflow us into a panic.
        self.base.saturating_add(self.pos)
    }

    pub fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// An error at the current position.
    pub fn error(&self, message: impl Into<std::borrow::Cow<'static, str>>) -> DecodeError {
        DecodeError::new(self.section, self.offset(), message)
    }

    /// An error at an absolute offset (usually where the bad item started).
    pub fn error_at(
        &self,
        offset: usize,
        message: impl Into<std::borrow::Cow<'static, str>>,
    ) -> DecodeError {
        DecodeError::new(self.section, offset, message)
    }

    /// At `offset`, `what` of `proposal`, which is not supported yet.
    pub fn unsupported_at(
        &self,
        offset: usize,
        proposal: &'static str,
        what: impl Into<std::borrow::Cow<'static, str>>,
    ) -> DecodeError {
        DecodeError::unsupported(self.section, offset, proposal, what)
    }

    fn end_error(&self) -> DecodeError {
        self.error(match self.extent {
            Extent::Module => END_OF_MODULE,
            Extent::Window => END_OF_WINDOW,
        })
    }

    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub fn u8(&mut self) -> Result<u8> {
        let b = self.peek().ok_or_else(|| self.end_error())?;
        self.pos += 1;
        Ok(b)
    }

    /// The next `n` bytes; running out is an "unexpected end".
    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(self.end_error());
        }
        let start = self.pos;
        self.pos += n;
        self.bytes.get(start..self.pos).ok_or_else(|| self.end_error())
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// A `u32` length prefix that must fit in what is left of this reader.
    fn length(&mut self) -> Result<usize> {
        let at = self.offset();
        let len = self.u32()? as usize;
        if len > self.remaining() {
            return Err(match self.extent {
                Extent::Module => self.error_at(at, LENGTH_OUT_OF_BOUNDS),
                Extent::Window => self.end_error(),
            });
        }
        Ok(len)
    }

    /// A sub-reader over the next `len` bytes, reported as `section`.
    pub fn window(&mut self, len: usize, section: &'static str) -> Result<Reader<'a>> {
        let base = self.offset();
        let bytes = self.take(len)?;
        Ok(Reader::new(bytes, base, section))
    }

    /// A `u32` size followed by that many bytes, as a sub-reader (sections and
    /// function bodies).
    pub fn sized_window(&mut self, section: &'static str) -> Result<Reader<'a>> {
        let len = self.length()?;
        self.window(len, section)
    }

    /// A `vec(byte)`: returns the absolute offset of its first byte and the bytes.
    pub fn byte_vec(&mut self) -> Result<(usize, &'a [u8])> {
        let len = self.length()?;
        let start = self.offset();
        Ok((start, self.take(len)?))
    }

    /// A length-prefixed UTF-8 name.
    pub fn name(&mut self) -> Result<&'a str> {
        let at = self.offset();
        let len = self.length()?;
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes).map_err(|_| self.error_at(at, "malformed UTF-8 encoding"))
    }

    /// The element count of a vector. Every item takes at least one byte,
    /// so a count above the bytes left is rejected before the caller
    /// allocates or loops for it.
    pub fn vec_len(&mut self) -> Result<usize> {
        let count = self.u32()? as usize;
        if count > self.remaining() {
            return Err(self.end_error());
        }
        Ok(count)
    }

    /// A whole vector, decoding each item with `item`. `min_item_size` is a
    /// lower bound on an item's encoded size: capacity is reserved only for
    /// as many items as the remaining bytes can hold. (Errors are left to
    /// the items, so that they name what is actually wrong.)
    pub fn vec<T>(
        &mut self,
        min_item_size: usize,
        mut item: impl FnMut(&mut Self) -> Result<T>,
    ) -> Result<Vec<T>> {
        let count = self.vec_len()?;
        let mut out = Vec::with_capacity(count.min(self.remaining() / min_item_size.max(1)));
        for _ in 0..count {
            out.push(item(self)?);
        }
        Ok(out)
    }

    pub fn u32(&mut self) -> Result<u32> {
        // Most indices and immediates fit in one byte.
        if let Some(b) = self.peek().filter(|b| b & 0x80 == 0) {
            self.pos += 1;
            return Ok(u32::from(b));
        }
        // Cannot fail: the value was checked to fit in 32 bits.
        self.unsigned(32).map(|v| v as u32)
    }

    pub fn u64(&mut self) -> Result<u64> {
        self.unsigned(64)
    }

    pub fn i32(&mut self) -> Result<i32> {
        if let Some(b) = self.peek().filter(|b| b & 0x80 == 0) {
            self.pos += 1;
            // Seven bits, sign-extended from the top one.
            return Ok(i32::from((b << 1) as i8 >> 1));
        }
        self.signed(32).map(|v| v as i32)
    }

    pub fn i64(&mut self) -> Result<i64> {
        self.signed(64)
    }

    /// The signed 33-bit integer of block types (a type index, or negative).
    pub fn s33(&mut self) -> Result<i64> {
        self.signed(33)
    }

    pub fn f32_bits(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    pub fn f64_bits(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// Unsigned LEB128 of at most `bits` (<= 64) bits, exactly as the spec
    /// allows: at most ceil(bits / 7) bytes, and in the last byte the bits
    /// beyond `bits` must be zero.
    fn unsigned(&mut self, bits: u32) -> Result<u64> {
        let mut result = 0u64;
        let mut shift = 0u32;
        loop {
            let at = self.offset();
            let byte = self.u8()?;
            let payload = u64::from(byte & 0x7f);
            // `shift < bits` holds here, so this is in 1..=bits.
            let bits_left = bits - shift;
            // Checked before the continuation bit, as the spec interpreter
            // does: a last byte with both problems is "too large".
            if bits_left < 7 && payload >> bits_left != 0 {
                return Err(self.error_at(at, "integer too large"));
            }
            result |= payload << shift;
            if byte & 0x80 == 0 {
                return Ok(result);
            }
            shift += 7;
            if shift >= bits {
                return Err(self.error_at(at, "integer representation too long"));
            }
        }
    }

    /// Signed LEB128 of at most `bits` (<= 64) bits: at most ceil(bits / 7)
    /// bytes, and in the last byte the sign bit and the bits beyond it must
    /// all be equal (a proper sign extension).
    fn signed(&mut self, bits: u32) -> Result<i64> {
        let mut result = 0i64;
        let mut shift = 0u32;
        loop {
            let at = self.offset();
            let byte = self.u8()?;
            let bits_left = bits - shift;
            if bits_left < 7 {
                // Payload bits from the value's sign bit upwards.
                let mask = (0x7fu8 << (bits_left - 1)) & 0x7f;
                let high = byte & mask;
                if high != 0 && high != mask {
                    return Err(self.error_at(at, "integer too large"));
                }
            }
            // Bits shifted past 64 are dropped, which is fine: they are copies
            // of the sign bit (checked above).
            result |= i64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                if shift < 64 && byte & 0x40 != 0 {
                    result |= -1i64 << shift;
                }
                return Ok(result);
            }
            if shift >= bits {
                return Err(self.error_at(at, "integer representation too long"));
            }
        }
    }

    /// A value type: a one-byte code, or `(ref null? heap)`.
    pub fn val_type(&mut self) -> Result<ValType> {
        match self.peek() {
            Some(0x7f) | Some(0x7e) | Some(0x7d) | Some(0x7c) | Some(0x7b) => {
                let byte = self.u8()?;
                Ok(val_type_from_byte(byte).expect("a number or vector type code"))
            }
            _ => self.ref_or(|r, at, byte| r.type_error(at, byte, "malformed value type")).map(ValType::Ref),
        }
    }

    /// A reference type: `funcref`, `externref`, `exnref` or
    /// `(ref null? heap)`.
    pub fn ref_type(&mut self) -> Result<RefType> {
        self.ref_or(|r, at, byte| r.type_error(at, byte, "malformed reference type"))
    }

    fn ref_or(&mut self, bad: impl FnOnce(&Self, usize, u8) -> DecodeError) -> Result<RefType> {
        let at = self.offset();
        let byte = self.u8()?;
        if let Some(heap) = abstract_heap_type(byte) {
            return Ok(RefType { nullable: true, heap });
        }
        match byte {
            0x63 | 0x64 => Ok(RefType { nullable: byte == 0x63, heap: self.heap_type()? }),
            _ => Err(bad(self, at, byte)),
        }
    }

    /// A heap type: an abstract one's code, or a type index (an s33 >= 0).
    pub fn heap_type(&mut self) -> Result<HeapType> {
        let at = self.offset();
        match self.peek() {
            Some(b) if b & 0xc0 == 0x40 => {
                let byte = self.u8()?;
                abstract_heap_type(byte).ok_or_else(|| self.type_error(at, byte, "malformed heap type"))
            }
            _ => {
                let index = self.s33()?;
                u32::try_from(index).map(HeapType::Concrete).map_err(|_| self.error_at(at, "malformed heap type"))
            }
        }
    }

    /// A type byte that 3.0 without GC does not know: GC's, or malformed.
    fn type_error(&self, at: usize, byte: u8, malformed: &'static str) -> DecodeError {
        match byte {
            0x6a..=0x6e | 0x71..=0x73 => self.unsupported_at(at, "gc", "GC reference type"),
            _ => self.error_at(at, malformed),
        }
    }
}

/// The one-byte value type encodings.
pub(crate) fn val_type_from_byte(byte: u8) -> Option<ValType> {
    Some(match byte {
        0x7f => ValType::I32,
        0x7e => ValType::I64,
        0x7d => ValType::F32,
        0x7c => ValType::F64,
        0x7b => ValType::V128,
        _ => ValType::Ref(RefType { nullable: true, heap: abstract_heap_type(byte)? }),
    })
}

fn abstract_heap_type(byte: u8) -> Option<HeapType> {
    match byte {
        0x70 => Some(HeapType::Func),
        0x6f => Some(HeapType::Extern),
        0x69 => Some(HeapType::Exn),
        // The exception handling proposal's bottom type, which wasmparser
        // accepts with exceptions alone; the other bottom types are GC's.
        0x74 => Some(HeapType::NoExn),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(bytes: &[u8]) -> Reader<'_> {
        Reader::new(bytes, 100, "test")
    }

    /// Decodes `bytes` with `f` and requires every byte to be consumed.
    fn all<'a, T>(bytes: &'a [u8], f: impl FnOnce(&mut Reader<'a>) -> Result<T>) -> Result<T> {
        let mut r = reader(bytes);
        let v = f(&mut r)?;
        assert!(r.is_empty(), "{bytes:x?} left bytes unread");
        Ok(v)
    }

    fn msg<T: std::fmt::Debug>(r: Result<T>) -> String {
        r.unwrap_err().message().to_string()
    }

    #[test]
    fn u32_boundaries() {
        assert_eq!(all(&[0x00], Reader::u32), Ok(0));
        assert_eq!(all(&[0x7f], Reader::u32), Ok(127));
        assert_eq!(all(&[0x80, 0x01], Reader::u32), Ok(128));
        // Over-long but within 5 bytes is allowed.
        assert_eq!(all(&[0x80, 0x80, 0x80, 0x80, 0x00], Reader::u32), Ok(0));
        assert_eq!(all(&[0x83, 0x80, 0x80, 0x80, 0x00], Reader::u32), Ok(3));
        assert_eq!(all(&[0xff, 0xff, 0xff, 0xff, 0x0f], Reader::u32), Ok(u32::MAX));
    }

    #[test]
    fn u32_rejects_long_and_large() {
        let mut r = reader(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);
        let e = r.u32().unwrap_err();
        assert_eq!(e.message(), "integer representation too long");
        assert_eq!(e.offset(), 104, "points at the fifth byte");
        assert_eq!(msg(reader(&[0xff, 0xff, 0xff, 0xff, 0x1f]).u32()), "integer too large");
        assert_eq!(msg(reader(&[0x80, 0x80, 0x80, 0x80, 0x70]).u32()), "integer too large");
        // Unused bits and a continuation bit: the spec calls it too large.
        assert_eq!(msg(reader(&[0x80, 0x80, 0x80, 0x80, 0x90, 0x00]).u32()), "integer too large");
        assert_eq!(msg(reader(&[0x80, 0x80]).u32()), END_OF_WINDOW);
        assert_eq!(msg(reader(&[]).u32()), END_OF_WINDOW);
    }

    #[test]
    fn u64_boundaries() {
        let max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(all(&max, Reader::u64), Ok(u64::MAX));
        let zero = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
        assert_eq!(all(&zero, Reader::u64), Ok(0));
        let large = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02];
        assert_eq!(msg(reader(&large).u64()), "integer too large");
        let long = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
        assert_eq!(msg(reader(&long).u64()), "integer representation too long");
    }

    #[test]
    fn i32_boundaries() {
        assert_eq!(all(&[0x00], Reader::i32), Ok(0));
        assert_eq!(all(&[0x7f], Reader::i32), Ok(-1));
        assert_eq!(all(&[0x3f], Reader::i32), Ok(63));
        assert_eq!(all(&[0x40], Reader::i32), Ok(-64));
        assert_eq!(all(&[0xff, 0x7f], Reader::i32), Ok(-1));
        assert_eq!(all(&[0x80, 0x80, 0x80, 0x80, 0x78], Reader::i32), Ok(i32::MIN));
        assert_eq!(all(&[0xff, 0xff, 0xff, 0xff, 0x07], Reader::i32), Ok(i32::MAX));
        assert_eq!(all(&[0xff, 0xff, 0xff, 0xff, 0x7f], Reader::i32), Ok(-1));
        assert_eq!(all(&[0x80, 0x80, 0x80, 0x80, 0x00], Reader::i32), Ok(0));
    }

    #[test]
    fn i32_rejects_bad_sign_extension_and_long() {
        // Sign bit clear but an unused bit set, and the reverse.
        assert_eq!(msg(reader(&[0xff, 0xff, 0xff, 0xff, 0x0f]).i32()), "integer too large");
        assert_eq!(msg(reader(&[0x80, 0x80, 0x80, 0x80, 0x70]).i32()), "integer too large");
        assert_eq!(msg(reader(&[0x80, 0x80, 0x80, 0x80, 0x1f]).i32()), "integer too large");
        assert_eq!(
            msg(reader(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).i32()),
            "integer representation too long"
        );
    }

    #[test]
    fn i64_boundaries() {
        let min = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f];
        assert_eq!(all(&min, Reader::i64), Ok(i64::MIN));
        let max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00];
        assert_eq!(all(&max, Reader::i64), Ok(i64::MAX));
        let minus_one = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
        assert_eq!(all(&minus_one, Reader::i64), Ok(-1));
        assert_eq!(all(&[0x80, 0x7f], Reader::i64), Ok(-128));
        let bad = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x41];
        assert_eq!(msg(reader(&bad).i64()), "integer too large");
        let bad = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
        assert_eq!(msg(reader(&bad).i64()), "integer too large");
        let long = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
        assert_eq!(msg(reader(&long).i64()), "integer representation too long");
    }

    #[test]
    fn s33_boundaries() {
        assert_eq!(all(&[0x40], Reader::s33), Ok(-64));
        assert_eq!(all(&[0xff, 0xff, 0xff, 0xff, 0x0f], Reader::s33), Ok(u32::MAX as i64));
        assert_eq!(all(&[0x80, 0x80, 0x80, 0x80, 0x70], Reader::s33), Ok(-(1i64 << 32)));
        assert_eq!(all(&[0xff, 0xff, 0xff, 0xff, 0x7f], Reader::s33), Ok(-1));
        assert_eq!(msg(reader(&[0x80, 0x80, 0x80, 0x80, 0x10]).s33()), "integer too large");
        assert_eq!(
            msg(reader(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00]).s33()),
            "integer representation too long"
        );
    }

    #[test]
    fn floats_are_raw_little_endian_bits() {
        assert_eq!(all(&[0x01, 0x00, 0xc0, 0x7f], Reader::f32_bits), Ok(0x7fc0_0001));
        assert_eq!(all(&1.5f64.to_le_bytes(), Reader::f64_bits), Ok(1.5f64.to_bits()));
        assert_eq!(msg(reader(&[0, 0, 0]).f32_bits()), END_OF_WINDOW);
    }

    #[test]
    fn names() {
        assert_eq!(all(b"\x03abc", Reader::name), Ok("abc"));
        assert_eq!(all(b"\x00", Reader::name), Ok(""));
        assert_eq!(msg(reader(b"\x04abc").name()), END_OF_WINDOW);
        assert_eq!(msg(Reader::module(b"\x04abc").name()), LENGTH_OUT_OF_BOUNDS);
        assert_eq!(msg(reader(b"\x02\xc0\x80").name()), "malformed UTF-8 encoding");
        assert_eq!(msg(reader(b"\x01\xff").name()), "malformed UTF-8 encoding");
    }

    #[test]
    fn vector_length_is_checked_before_allocating() {
        // Four billion items claimed, two bytes present.
        let mut r = reader(&[0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]);
        assert_eq!(msg(r.vec(1, Reader::u8)), END_OF_WINDOW);
        let mut r = reader(&[0x02, 0x01, 0x02]);
        assert_eq!(r.vec(1, Reader::u8), Ok(vec![1, 2]));
        // The size bound only limits the reservation; items report errors.
        let mut r = reader(&[0x03, 0x01, 0x02, 0x03]);
        assert_eq!(r.vec(4, Reader::u8), Ok(vec![1, 2, 3]));
        let mut r = reader(&[0x02, 0x01]);
        assert_eq!(msg(r.vec(1, Reader::u8)), END_OF_WINDOW);
    }

    #[test]
    fn windows_and_offsets() {
        let mut r = reader(&[0x02, 0xaa, 0xbb, 0xcc]);
        let mut w = r.sized_window("inner").unwrap();
        assert_eq!(w.offset(), 101);
        assert_eq!(w.u8(), Ok(0xaa));
        assert_eq!(w.u8(), Ok(0xbb));
        let e = w.u8().unwrap_err();
        assert_eq!((e.section(), e.offset(), e.message()), ("inner", 103, END_OF_WINDOW));
        assert_eq!(r.offset(), 103);
        assert_eq!(msg(reader(&[0x05, 0x00]).sized_window("x")), END_OF_WINDOW);
        assert_eq!(msg(Reader::module(&[0x05, 0x00]).sized_window("x")), LENGTH_OUT_OF_BOUNDS);
        // The top-level reader reports a plain "unexpected end".
        assert_eq!(msg(Reader::module(&[]).u8()), END_OF_MODULE);
    }

    #[test]
    fn huge_base_offset_does_not_overflow() {
        let mut r = Reader::new(&[0x80], usize::MAX - 1, "x");
        assert_eq!(r.offset(), usize::MAX - 1);
        assert!(r.u32().is_err());
        assert_eq!(r.offset(), usize::MAX);
    }

    #[test]
    fn value_types() {
        let types = [0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f];
        let mut r = reader(&types);
        let got: Vec<_> = (0..types.len()).map(|_| r.val_type().unwrap()).collect();
        assert_eq!(
            got,
            [
                ValType::I32,
                ValType::I64,
                ValType::F32,
                ValType::F64,
                ValType::V128,
                ValType::FUNCREF,
                ValType::EXTERNREF
            ]
        );
        assert_eq!(msg(reader(&[0x40]).val_type()), "malformed value type");
        assert_eq!(msg(reader(&[0x7f]).ref_type()), "malformed reference type");
        let proposal = |bytes: &[u8]| reader(bytes).val_type().unwrap_err().proposal();
        assert_eq!(proposal(&[0x73]), Some("gc"));
        // nullexnref: the exception handling proposal's own bottom type.
        assert_eq!(all(&[0x74], Reader::val_type), Ok(ValType::Ref(RefType { nullable: true, heap: HeapType::NoExn })));
        assert_eq!(proposal(&[0x6e]), Some("gc"));
        assert_eq!(proposal(&[0x64, 0x6e]), Some("gc"));
        let typed = |bytes: &[u8]| all(bytes, Reader::val_type);
        assert_eq!(typed(&[0x64, 0x70]), Ok(ValType::Ref(RefType { nullable: false, heap: HeapType::Func })));
        assert_eq!(typed(&[0x63, 0x05]), Ok(ValType::Ref(RefType { nullable: true, heap: HeapType::Concrete(5) })));
        assert_eq!(typed(&[0x63, 0x70]), Ok(ValType::FUNCREF));
        assert_eq!(msg(typed(&[0x64, 0x7f])), "malformed heap type");
        assert_eq!(reader(&[0x6b]).ref_type().unwrap_err().proposal(), Some("gc"));
    }
}
