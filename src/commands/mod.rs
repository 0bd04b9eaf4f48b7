//! One module per `porta` command, and what they share.

pub mod build;
pub mod inspect;
pub mod run;
pub mod validate;

use porta_interp::{Engine, Module};
use std::path::Path;

/// Reads, decodes and validates a module; the error is one line that says
/// which file and what is wrong.
pub fn load_module(engine: &Engine, path: &Path) -> Result<Module, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if !bytes.starts_with(b"\0asm") {
        return Err(format!("{} is not a WebAssembly module (no \\0asm magic)", path.display()));
    }
    Module::new(engine, &bytes).map_err(|e| format!("{}: {e}", path.display()))
}
