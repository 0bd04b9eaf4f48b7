//! The one error type of the binary decoder.
//!
//! Every failure names the section being decoded, the absolute byte offset in
//! the module where decoding stopped, and a message. Messages follow the
//! wording of the spec test suite's `assert_malformed` expectations where
//! there is one ("unexpected end", "integer too large", ...), so a test
//! harness can match on them.

use std::borrow::Cow;
use std::fmt;

/// A module's bytes do not follow the WebAssembly binary format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    section: &'static str,
    offset: usize,
    message: Cow<'static, str>,
}

impl DecodeError {
    /// An error in `section` (e.g. `"code"`, `"type"`, `"header"`) at absolute
    /// byte `offset` of the module.
    pub fn new(
        section: &'static str,
        offset: usize,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        DecodeError { section, offset, message: message.into() }
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
        write!(
            f,
            "malformed module: {} (in {} section at byte offset {})",
            self.message, self.section, self.offset
        )
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
    }
}
