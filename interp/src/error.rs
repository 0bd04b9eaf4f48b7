//! The crate's error type: everything that can go wrong between bytes and a
//! finished call, each variant with a message a user can act on.

use crate::decode::DecodeError;
use crate::trap::Trap;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The bytes are not a well-formed module.
    Decode(DecodeError),
    /// The module is well-formed but not valid.
    Invalid(String),
    /// The module uses a feature this engine does not implement yet.
    Unsupported(String),
    /// An import could not be satisfied (the message starts with "unknown import"
    /// or "incompatible import type", as the spec suite expects).
    Link(String),
    /// Instantiation failed for a reason other than a trap (resource limits).
    Instantiate(String),
    /// Execution trapped.
    Trap(Trap),
    /// The embedder used the API wrongly (wrong argument count or type...).
    Usage(String),
}

impl Error {
    pub fn as_trap(&self) -> Option<&Trap> {
        match self {
            Error::Trap(t) => Some(t),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Decode(e) => write!(f, "{e}"),
            Error::Invalid(m) => write!(f, "invalid module: {m}"),
            Error::Unsupported(m) => write!(f, "unsupported: {m}"),
            Error::Link(m) => f.write_str(m),
            Error::Instantiate(m) => write!(f, "instantiation failed: {m}"),
            Error::Trap(t) => write!(f, "trap: {t}"),
            Error::Usage(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}

impl From<Trap> for Error {
    fn from(t: Trap) -> Self {
        Error::Trap(t)
    }
}

impl From<crate::trap::TrapCode> for Error {
    fn from(c: crate::trap::TrapCode) -> Self {
        Error::Trap(Trap::Code(c))
    }
}
