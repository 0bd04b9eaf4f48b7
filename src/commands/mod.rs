//! One module per `porta` command, and what they share.

pub mod build;
pub mod init;
pub mod inspect;
pub mod instances;
pub mod resume;
pub mod run;
pub mod up;
pub mod validate;

use porta_interp::{Engine, Module};
use std::io::ErrorKind;
use std::path::Path;

/// Reads, decodes and validates a module; the error is one line that says
/// which file and what is wrong.
pub fn load_module(engine: &Engine, path: &Path) -> Result<Module, String> {
    let bytes = std::fs::read(path).map_err(|e| io_error("read", path, &e))?;
    module_from(engine, path, bytes)
}

/// [`load_module`] for running the module: custom sections that end the
/// file, which running never reads, are left out (`module_file`).
pub fn load_module_to_run(engine: &Engine, path: &Path) -> Result<Module, String> {
    let bytes = crate::module_file::read_to_run(path).map_err(|e| io_error("read", path, &e))?;
    module_from(engine, path, bytes)
}

fn module_from(engine: &Engine, path: &Path, bytes: Vec<u8>) -> Result<Module, String> {
    if !bytes.starts_with(b"\0asm") {
        return Err(format!("{} is not a WebAssembly module (no \\0asm magic)", path.display()));
    }
    Module::from_vec(engine, bytes).map_err(|e| format!("{}: {e}", path.display()))
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

/// Replaces `path` with `bytes` so that a reader sees the old file or the
/// new one, never a part.
pub fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = path.file_name().map_or("file".into(), |n| n.to_string_lossy().into_owned());
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_file_name(format!(".{name}.{}.{seq}.tmp", std::process::id()));
    let result = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    let result = result.and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}


#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn write_whole_replaces_whole_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("porta-home-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let f = dir.join("x.json");
        write_whole(&f, b"one").unwrap();
        write_whole(&f, b"two").unwrap();
        assert_eq!(fs::read(&f).unwrap(), b"two");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        assert!(write_whole(&dir.join("missing/y"), b"z").is_err());
        fs::remove_dir_all(&dir).unwrap();
    }

}
