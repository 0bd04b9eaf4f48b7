//! The one error type of the binary decoder.
//!
//! Every failure names the section being decoded, the absolute byte offset in
//! the module where decoding stopped, and a message. Messages follow the
//! wording of the spec test suite's `assert_malformed` expectations where
//! there is one ("unexpected end", "integer too large", ...), so a test
//! harness can match on them.
//!
//! A construct of a later proposal (WebAssembly 3.0: tail calls, exceptions,
//! GC...) is well-formed there, so calling it malformed would mislead: such
//! an error names the proposal instead ("not supported yet (proposal
//! tail-call)"), and [`DecodeError::proposal`] returns it.

use std::borrow::Cow;
use std::fmt;

/// A module's bytes do not follow the WebAssembly binary format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    section: &'static str,
    offset: usize,
    message: Cow<'static, str>,
    /// The proposal the construct belongs to, if it is one this engine
    /// does not run yet.
    proposal: Option<&'static str>,
}

impl DecodeError {
    /// An error in `section` (e.g. `"code"`, `"type"`, `"header"`) at absolute
    /// byte `offset` of the module.
    pub fn new(
        section: &'static str,
        offset: usize,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        DecodeError { section, offset, message: message.into(), proposal: None }
    }

    /// `what` (e.g. `"return_call"`) belongs to `proposal`, which this engine
    /// does not support yet. Proposal names are those of the WebAssembly
    /// proposals repository (`tail-call`, `exception-handling`...).
    pub fn unsupported(
        section: &'static str,
        offset: usize,
        proposal: &'static str,
        what: impl Into<Cow<'static, str>>,
    ) -> Self {
        DecodeError { section, offset, message: what.into(), proposal: Some(proposal) }
    }

    /// The proposal of an unsupported construct; `None` if the bytes are
    /// malformed in every version of the format.
    pub fn proposal(&self) -> Option<&'static str> {
        self.proposal
    }

    /// The section being decoded when the error was found.
    pub fn section(&self) -> &'static str {
        self.section
    }

    /// Absolute byte offset in the module.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What is wrong, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.proposal {
            Some(p) => write!(f, "not supported yet (proposal {p}): {}", self.message)?,
            None => write!(f, "malformed module: {}", self.message)?,
        }
        write!(f, " (in {} section at byte offset {})", self.section, self.offset)
    }
}

impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_message_section_and_offset() {
        let e = DecodeError::new("code", 42, "illegal opcode 0xff");
        assert_eq!(
            e.to_string(),
            "malformed module: illegal opcode 0xff (in code section at byte offset 42)"
        );
        assert_eq!(e.section(), "code");
        assert_eq!(e.offset(), 42);
        assert_eq!(e.message(), "illegal opcode 0xff");
        assert_eq!(e.proposal(), None);
        let e = DecodeError::unsupported("code", 7, "tail-call", "return_call");
        assert_eq!(e.to_string(), "not supported yet (proposal tail-call): return_call (in code section at byte offset 7)");
        assert_eq!(e.proposal(), Some("tail-call"));
    }
}
