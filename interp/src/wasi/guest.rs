//! Bounds-checked access to guest linear memory. Every pointer a guest hands
//! to a WASI call goes through here; anything out of bounds is `EFAULT`.

use super::abi::Errno;

pub(crate) struct Guest<'a> {
    pub mem: &'a mut [u8],
}

pub(crate) type R<T> = Result<T, Errno>;

impl<'a> Guest<'a> {
    pub fn new(mem: &'a mut [u8]) -> Self {
        Guest { mem }
    }

    fn range(&self, ptr: u32, len: u32) -> R<std::ops::Range<usize>> {
        let start = ptr as usize;
        let end = start.checked_add(len as usize).ok_or(Errno::FAULT)?;
        if end > self.mem.len() {
            return Err(Errno::FAULT);
        }
        Ok(start..end)
    }

    pub fn bytes(&self, ptr: u32, len: u32) -> R<&[u8]> {
        let r = self.range(ptr, len)?;
        Ok(&self.mem[r])
    }

    pub fn bytes_mut(&mut self, ptr: u32, len: u32) -> R<&mut [u8]> {
        let r = self.range(ptr, len)?;
        Ok(&mut self.mem[r])
    }

    /// A path or name: UTF-8, or `EILSEQ`.
    pub fn str(&self, ptr: u32, len: u32) -> R<&str> {
        std::str::from_utf8(self.bytes(ptr, len)?).map_err(|_| Errno::ILSEQ)
    }

    pub fn u8(&self, ptr: u32) -> R<u8> {
        Ok(self.bytes(ptr, 1)?[0])
    }
    pub fn u16(&self, ptr: u32) -> R<u16> {
        Ok(u16::from_le_bytes(self.bytes(ptr, 2)?.try_into().unwrap()))
    }
    pub fn u32(&self, ptr: u32) -> R<u32> {
        Ok(u32::from_le_bytes(self.bytes(ptr, 4)?.try_into().unwrap()))
    }
    pub fn u64(&self, ptr: u32) -> R<u64> {
        Ok(u64::from_le_bytes(self.bytes(ptr, 8)?.try_into().unwrap()))
    }

    pub fn write(&mut self, ptr: u32, data: &[u8]) -> R<()> {
        self.bytes_mut(ptr, data.len() as u32)?.copy_from_slice(data);
        Ok(())
    }
    pub fn put_u8(&mut self, ptr: u32, v: u8) -> R<()> {
        self.write(ptr, &[v])
    }
    pub fn put_u16(&mut self, ptr: u32, v: u16) -> R<()> {
        self.write(ptr, &v.to_le_bytes())
    }
    pub fn put_u32(&mut self, ptr: u32, v: u32) -> R<()> {
        self.write(ptr, &v.to_le_bytes())
    }
    pub fn put_u64(&mut self, ptr: u32, v: u64) -> R<()> {
        self.write(ptr, &v.to_le_bytes())
    }

    /// An array of `iovec`/`ciovec` (buffer pointer, length), each buffer
    /// checked to lie in memory.
    pub fn iovecs(&self, ptr: u32, count: u32) -> R<Vec<(u32, u32)>> {
        let table = self.bytes(ptr, count.checked_mul(8).ok_or(Errno::FAULT)?)?;
        let mut v = Vec::with_capacity(count as usize);
        for chunk in table.chunks_exact(8) {
            let buf = u32::from_le_bytes(chunk[..4].try_into().unwrap());
            let len = u32::from_le_bytes(chunk[4..].try_into().unwrap());
            self.range(buf, len)?;
            v.push((buf, len));
        }
        Ok(v)
    }

    /// Writes a list of strings the way `args_get`/`environ_get` want: a
    /// pointer per string at `ptrs`, NUL-terminated contents at `buf`.
    pub fn put_string_list(&mut self, list: &[String], ptrs: u32, buf: u32) -> R<()> {
        let mut at = buf;
        for (i, s) in list.iter().enumerate() {
            self.put_u32(ptrs.checked_add(4 * i as u32).ok_or(Errno::FAULT)?, at)?;
            self.write(at, s.as_bytes())?;
            let end = at.checked_add(s.len() as u32).ok_or(Errno::FAULT)?;
            self.put_u8(end, 0)?;
            at = end + 1;
        }
        Ok(())
    }
}
