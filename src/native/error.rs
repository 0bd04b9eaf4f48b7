//! What stops a native command before it runs: each error has its exit
//! status (SPEC §5: 125 refused, 126 not runnable, 127 not found) and a
//! one-line message that says what went wrong and what to do.

use crate::exit;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NativeError {
    /// A flag that means something for WebAssembly only.
    WasmOnlyFlag { flag: &'static str, why: &'static str },
    /// A flag that means something for native commands only.
    NativeOnlyFlag { flag: &'static str },
    /// A malformed or impossible option value (`-v`, `-e`, `--allow-net`, ...).
    BadOption(String),
    /// No such command on PATH, or no such file.
    NotFound { name: String, searched_path: bool },
    /// The file exists but cannot be executed.
    NotRunnable { path: String, why: String },
    /// The kernel cannot enforce the policy: porta refuses rather than run
    /// with less confinement than asked.
    Unenforceable { missing: Vec<String>, abi: i32 },
    /// Native mode does not exist on this OS.
    UnsupportedOs,
    /// Porta could not prepare the sandbox (temporary directory, helper).
    Setup(String),
}

impl NativeError {
    pub fn code(&self) -> u8 {
        match self {
            NativeError::NotFound { .. } => exit::NOT_FOUND,
            NativeError::NotRunnable { .. } => exit::NOT_RUNNABLE,
            _ => exit::REFUSED,
        }
    }
}

impl fmt::Display for NativeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NativeError::WasmOnlyFlag { flag, why } => {
                write!(f, "{flag} means nothing for a native command ({why}); remove it, or run a .wasm module")
            }
            NativeError::NativeOnlyFlag { flag } => {
                write!(f, "{flag} is for native commands only; a WebAssembly guest is confined by its capabilities (see --allow)")
            }
            NativeError::BadOption(m) => write!(f, "{m}"),
            NativeError::NotFound { name, searched_path: true } => {
                write!(f, "`{name}` not found on PATH; give its path (./{name}) or fix PATH (-e PATH=...)")
            }
            NativeError::NotFound { name, searched_path: false } => write!(f, "{name} does not exist"),
            NativeError::NotRunnable { path, why } => write!(f, "cannot execute {path}: {why}"),
            NativeError::Unenforceable { missing, abi } => write!(
                f,
                "refusing to run: this kernel (Landlock ABI {abi}) cannot enforce {}; porta never runs a command with less confinement than asked: upgrade the kernel or run a .wasm module",
                missing.join(", nor ")
            ),
            NativeError::UnsupportedOs => write!(
                f,
                "native commands run only on Linux (Landlock + seccomp) for now; on this system run a .wasm module"
            ),
            NativeError::Setup(m) => write!(f, "{m}"),
        }
    }
}
