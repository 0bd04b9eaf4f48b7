//! Linear memories in a snapshot: sparse (only pages holding a non-zero
//! byte are written) and each page LZ4-compressed. Reading decompresses
//! straight into the restored memory, one page at a time, so nothing is
//! allocated that the memory's own size, checked against the module and
//! the store's limits, does not justify.

use super::codec::{CodecResult, Reader, Writer};
use crate::linear::Bytes;
use crate::store::PAGE_SIZE;

pub fn write(w: &mut Writer, data: &[u8]) {
    w.u64((data.len() / PAGE_SIZE) as u64);
    let used: Vec<(usize, &[u8])> = data.chunks(PAGE_SIZE).enumerate().filter(|(_, p)| p.iter().any(|&b| b != 0)).collect();
    w.len(used.len());
    for (index, page) in used {
        w.u64(index as u64);
        w.bytes(&lz4_flex::block::compress(page));
    }
}

/// The size in pages, then the pages written; `alloc` gives a zeroed
/// memory of that many pages to decompress into.
pub fn read(r: &mut Reader<'_>, alloc: impl FnOnce(u64) -> Result<Bytes, String>) -> CodecResult<Bytes> {
    let pages = r.u64()?;
    let mut data = alloc(pages).map_err(|e| r.error(e))?;
    let count = r.count(9)?;
    let mut next = 0u64;
    for _ in 0..count {
        let index = r.u64()?;
        if index < next || index >= pages {
            return Err(r.error(format!("page {index} out of order or past the memory's {pages} pages")));
        }
        next = index + 1;
        let packed = r.bytes()?;
        let at = index as usize * PAGE_SIZE;
        let page = &mut data[at..at + PAGE_SIZE];
        match lz4_flex::block::decompress_into(packed, page) {
            Ok(PAGE_SIZE) => {}
            _ => return Err(r.error(format!("page {index} does not decompress to one page"))),
        }
    }
    Ok(data)
}
