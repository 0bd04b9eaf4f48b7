//! Traps: the ways WebAssembly execution can abort, named as the spec names
//! them so that embedders and the spec suite can match on the message.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrapCode {
    Unreachable,
    IntegerDivideByZero,
    IntegerOverflow,
    InvalidConversionToInteger,
    MemoryOutOfBounds,
    TableOutOfBounds,
    UndefinedElement,
    UninitializedElement,
    IndirectCallTypeMismatch,
    CallStackExhausted,
    /// The step limit was reached: exactly that many instructions ran.
    StepLimitExceeded,
    /// The embedder asked execution to stop (timeout, cancellation).
    Interrupted,
    /// An exception no handler caught left the called function.
    UncaughtException,
    /// `throw_ref` of a null `exnref`.
    NullExceptionReference,
    /// `call_ref` of a null function reference.
    NullFunctionReference,
    /// `ref.as_non_null` of a null.
    NullReference,
    /// A throw when the store holds the most exceptions it may.
    TooManyExceptions,
    /// A host function asked to stop before it runs (a resumable call
    /// pauses there, see [`PauseReason::HostCall`](crate::PauseReason)).
    HostPause,
}

impl TrapCode {
    pub fn message(self) -> &'static str {
        match self {
            TrapCode::Unreachable => "unreachable",
            TrapCode::IntegerDivideByZero => "integer divide by zero",
            TrapCode::IntegerOverflow => "integer overflow",
            TrapCode::InvalidConversionToInteger => "invalid conversion to integer",
            TrapCode::MemoryOutOfBounds => "out of bounds memory access",
            TrapCode::TableOutOfBounds => "out of bounds table access",
            TrapCode::UndefinedElement => "undefined element",
            TrapCode::UninitializedElement => "uninitialized element",
            TrapCode::IndirectCallTypeMismatch => "indirect call type mismatch",
            TrapCode::CallStackExhausted => "call stack exhausted",
            TrapCode::StepLimitExceeded => "step limit exceeded",
            TrapCode::Interrupted => "interrupted",
            TrapCode::UncaughtException => "uncaught exception",
            TrapCode::NullExceptionReference => "null exception reference",
            TrapCode::NullFunctionReference => "null function reference",
            TrapCode::NullReference => "null reference",
            TrapCode::TooManyExceptions => "too many live exceptions (a store holds at most 65536 that an exnref named)",
            TrapCode::HostPause => "paused before a host call",
        }
    }
}

impl fmt::Display for TrapCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// A trap, or an error raised by a host function, that aborted a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trap {
    Code(TrapCode),
    /// A host function failed; the message is the host's.
    Host(String),
    /// The guest asked to exit (WASI `proc_exit`); not a failure in itself.
    Exit(i32),
    /// An exception no handler caught (code [`TrapCode::UncaughtException`]),
    /// with a name of its tag when an instance exports it.
    Uncaught { tag: Option<String> },
}

impl Trap {
    pub fn code(&self) -> Option<TrapCode> {
        match self {
            Trap::Code(c) => Some(*c),
            Trap::Uncaught { .. } => Some(TrapCode::UncaughtException),
            _ => None,
        }
    }
}

impl From<TrapCode> for Trap {
    fn from(c: TrapCode) -> Self {
        Trap::Code(c)
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trap::Code(c) => write!(f, "{c}"),
            Trap::Host(m) => f.write_str(m),
            Trap::Exit(code) => write!(f, "exited with code {code}"),
            Trap::Uncaught { tag: Some(name) } => write!(f, "{} (tag `{name}`)", TrapCode::UncaughtException),
            Trap::Uncaught { tag: None } => write!(f, "{} (its tag is not exported)", TrapCode::UncaughtException),
        }
    }
}

impl std::error::Error for Trap {}
