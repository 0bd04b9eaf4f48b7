//! The guest's standard streams: stdin from the host's stdin or a byte
//! buffer (the MCP ABI feeds a request this way), stdout and stderr to the
//! host's streams as they are written, or into a capped capture buffer that
//! reports, rather than hides, output past its cap.

use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

pub(crate) enum Input {
    Host,
    Bytes(io::Cursor<Vec<u8>>),
    Empty,
}

impl Input {
    pub fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::Host => io::stdin().lock().read(buf),
            Input::Bytes(c) => c.read(buf),
            Input::Empty => Ok(0),
        }
    }

    /// Bytes that can be read without blocking, when that is known.
    pub fn available(&self) -> Option<u64> {
        match self {
            Input::Host => None,
            Input::Bytes(c) => Some(c.get_ref().len() as u64 - c.position().min(c.get_ref().len() as u64)),
            Input::Empty => Some(0),
        }
    }
}

/// Output captured in memory, up to a cap.
#[derive(Clone, Debug, Default)]
pub struct CapturedOutput {
    data: Arc<Mutex<Vec<u8>>>,
    overflowed: Arc<AtomicBool>,
    cap: usize,
}

impl CapturedOutput {
    pub fn new(cap: usize) -> Self {
        CapturedOutput { cap, ..Default::default() }
    }
    /// Everything written so far (at most the cap).
    pub fn contents(&self) -> Vec<u8> {
        self.data.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
    /// Whether the guest tried to write past the cap.
    pub fn overflowed(&self) -> bool {
        self.overflowed.load(Ordering::Relaxed)
    }
    pub fn cap(&self) -> usize {
        self.cap
    }
    /// Starts the capture with `bytes`, as if the guest had written them
    /// (what a prewarmed guest wrote before the state it starts from).
    pub fn preload(&self, bytes: &[u8]) {
        let mut data = self.data.lock().unwrap_or_else(|e| e.into_inner());
        let room = self.cap.saturating_sub(data.len());
        data.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }
}

pub(crate) enum Output {
    Stdout,
    Stderr,
    Capture(CapturedOutput),
    Discard,
}

impl Output {
    /// Writes all of `buf` or fails: a capture that would pass its cap
    /// takes nothing more and fails with `EFBIG`.
    pub fn write(&mut self, buf: &[u8]) -> Result<usize, super::abi::Errno> {
        match self {
            Output::Stdout => {
                let mut out = io::stdout().lock();
                out.write_all(buf).and_then(|_| out.flush())?;
            }
            Output::Stderr => io::stderr().lock().write_all(buf)?,
            Output::Capture(c) => {
                let mut data = c.data.lock().unwrap_or_else(|e| e.into_inner());
                if data.len() + buf.len() > c.cap {
                    c.overflowed.store(true, Ordering::Relaxed);
                    return Err(super::abi::Errno::FBIG);
                }
                data.extend_from_slice(buf);
            }
            Output::Discard => {}
        }
        Ok(buf.len())
    }
}
