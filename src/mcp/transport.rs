//! MCP over stdio: reads JSON-RPC messages one per line, or framed with
//! `Content-Length` headers (accepted for older clients), and writes each
//! reply in the framing its request came in. One writer lock keeps messages
//! from concurrent calls whole; nothing but protocol messages reaches stdout.

use std::io::{self, BufRead, Read, Write};
use std::sync::{Arc, Mutex};

/// The largest message porta reads; a longer one is answered with an
/// error and skipped, never buffered whole.
pub const MAX_MESSAGE: usize = 16 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    Lines,
    ContentLength,
}

pub enum Incoming {
    Message(Vec<u8>, Framing),
    /// A message past [`MAX_MESSAGE`] (skipped) or unreadable framing.
    Oversized(Framing),
    BadFraming(String),
    Eof,
}

pub struct Reader<R> {
    input: R,
}

impl<R: BufRead> Reader<R> {
    pub fn new(input: R) -> Self {
        Reader { input }
    }

    pub fn next_message(&mut self) -> io::Result<Incoming> {
        loop {
            let mut line = Vec::new();
            let n = Read::take(&mut self.input, MAX_MESSAGE as u64 + 1).read_until(b'\n', &mut line)?;
            if n == 0 {
                return Ok(Incoming::Eof);
            }
            if line.len() > MAX_MESSAGE && !line.ends_with(b"\n") {
                self.skip_line()?;
                return Ok(Incoming::Oversized(Framing::Lines));
            }
            let trimmed = trim(&line);
            if trimmed.is_empty() {
                continue;
            }
            if starts_with_ignore_case(trimmed, b"content-length:") {
                return self.framed(trimmed);
            }
            return Ok(Incoming::Message(trimmed.to_vec(), Framing::Lines));
        }
    }

    /// A `Content-Length` message: more headers until a blank line, then
    /// exactly that many bytes.
    fn framed(&mut self, first: &[u8]) -> io::Result<Incoming> {
        let value = std::str::from_utf8(&first[b"content-length:".len()..]).unwrap_or("").trim();
        let Ok(len) = value.parse::<usize>() else {
            return Ok(Incoming::BadFraming(format!("bad Content-Length `{value}`")));
        };
        loop {
            let mut header = Vec::new();
            let n = Read::take(&mut self.input, 8192).read_until(b'\n', &mut header)?;
            if n == 0 {
                return Ok(Incoming::Eof);
            }
            if trim(&header).is_empty() {
                break;
            }
        }
        if len > MAX_MESSAGE {
            io::copy(&mut Read::take(&mut self.input, len as u64), &mut io::sink())?;
            return Ok(Incoming::Oversized(Framing::ContentLength));
        }
        let mut body = vec![0; len];
        self.input.read_exact(&mut body)?;
        Ok(Incoming::Message(body, Framing::ContentLength))
    }

    fn skip_line(&mut self) -> io::Result<()> {
        loop {
            let buf = self.input.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            if let Some(i) = buf.iter().position(|&b| b == b'\n') {
                self.input.consume(i + 1);
                return Ok(());
            }
            let n = buf.len();
            self.input.consume(n);
        }
    }
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !c.is_ascii_whitespace()).map_or(start, |i| i + 1);
    &b[start..end]
}

fn starts_with_ignore_case(b: &[u8], prefix: &[u8]) -> bool {
    b.len() >= prefix.len() && b[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Writes whole messages to stdout from any thread.
#[derive(Clone)]
pub struct Writer {
    out: Arc<Mutex<Box<dyn Write + Send>>>,
}

impl Writer {
    pub fn new(out: Box<dyn Write + Send>) -> Self {
        Writer { out: Arc::new(Mutex::new(out)) }
    }

    pub fn send(&self, message: &serde_json::Value, framing: Framing) {
        let text = message.to_string();
        let mut out = self.out.lock().unwrap_or_else(|e| e.into_inner());
        let written = match framing {
            Framing::Lines => writeln!(out, "{text}"),
            Framing::ContentLength => write!(out, "Content-Length: {}\r\n\r\n{text}", text.len()),
        };
        // A client that went away is noticed when stdin closes.
        let _ = written.and_then(|_| out.flush());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &[u8]) -> Vec<String> {
        let mut r = Reader::new(input);
        let mut out = Vec::new();
        loop {
            match r.next_message().unwrap() {
                Incoming::Message(m, f) => out.push(format!("{f:?}:{}", String::from_utf8(m).unwrap())),
                Incoming::Oversized(_) => out.push("oversized".into()),
                Incoming::BadFraming(e) => out.push(format!("bad:{e}")),
                Incoming::Eof => return out,
            }
        }
    }

    #[test]
    fn lines_and_content_length_mix() {
        let input = b"{\"a\":1}\n\r\n  {\"b\":2}  \nContent-Length: 7\r\nX: y\r\n\r\n{\"c\":3}{\"d\":4}\n";
        assert_eq!(read_all(input), ["Lines:{\"a\":1}", "Lines:{\"b\":2}", "ContentLength:{\"c\":3}", "Lines:{\"d\":4}"]);
        assert_eq!(read_all(b"Content-Length: x\r\n"), ["bad:bad Content-Length `x`"]);
    }
}
