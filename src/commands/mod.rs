//! One module per `porta` command, and what they share.

pub mod build;
pub mod inspect;
pub mod run;
pub mod validate;

use porta_interp::{Engine, Module};
use std::io::ErrorKind;
use std::path::Path;

/// Reads, decodes and validates a module; the error is one line that says
/// which file and what is wrong.
pub fn load_module(engine: &Engine, path: &Path) -> Result<Module, String> {
    let bytes = std::fs::read(path).map_err(|e| io_error("read", path, &e))?;
    if !bytes.starts_with(b"\0asm") {
        return Err(format!("{} is not a WebAssembly module (no \\0asm magic)", path.display()));
    }
    Module::new(engine, &bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// `cannot ACTION PATH: REASON`, in words and without the OS error number
/// (`(os error 2)` tells a user nothing). Reading a file that is not there
/// is `PATH does not exist`.
pub fn io_error(action: &str, path: &Path, e: &std::io::Error) -> String {
    let p = path.display();
    match e.kind() {
        ErrorKind::NotFound if action == "read" => format!("{p} does not exist"),
        ErrorKind::NotFound => format!("cannot {action} {p}: its directory does not exist"),
        ErrorKind::PermissionDenied => format!("cannot {action} {p}: permission denied"),
        ErrorKind::IsADirectory => format!("cannot {action} {p}: it is a directory"),
        _ => {
            let text = e.to_string();
            let reason = text.split(" (os error").next().unwrap_or(&text);
            format!("cannot {action} {p}: {reason}")
        }
    }
}
