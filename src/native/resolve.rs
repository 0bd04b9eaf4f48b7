//! Finding the program a native command names, as a shell would: a name
//! with a `/` is a path; any other name is looked up in each PATH directory
//! in order (an empty entry is the current directory). Not found is 127; a
//! file found but not executable (no x bit, a directory) is 126.

use super::error::NativeError;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The absolute path of the program `name` names, given the PATH the
/// command will see.
pub fn resolve(name: &str, path_var: Option<&str>) -> Result<PathBuf, NativeError> {
    if name.is_empty() {
        return Err(NativeError::BadOption("the command name is empty".into()));
    }
    if name.contains('/') {
        let p = Path::new(name);
        return match std::fs::metadata(p) {
            Err(_) => Err(NativeError::NotFound { name: name.into(), searched_path: false }),
            Ok(m) => runnable(p, &m).map(|()| absolute(p)),
        };
    }
    let mut not_runnable = None;
    for dir in path_var.unwrap_or("/usr/local/bin:/usr/bin:/bin").split(':') {
        let dir = if dir.is_empty() { Path::new(".") } else { Path::new(dir) };
        let candidate = dir.join(name);
        if let Ok(m) = std::fs::metadata(&candidate) {
            match runnable(&candidate, &m) {
                Ok(()) => return Ok(absolute(&candidate)),
                // A shell keeps looking, and reports the first such file if
                // nothing runnable comes after it.
                Err(e) => {
                    not_runnable.get_or_insert(e);
                }
            }
        }
    }
    Err(not_runnable.unwrap_or(NativeError::NotFound { name: name.into(), searched_path: true }))
}

fn runnable(p: &Path, m: &std::fs::Metadata) -> Result<(), NativeError> {
    let why = if m.is_dir() {
        "it is a directory"
    } else if m.permissions().mode() & 0o111 == 0 {
        "it is not executable (chmod +x, or run it through its interpreter)"
    } else {
        return Ok(());
    };
    Err(NativeError::NotRunnable { path: p.display().to_string(), why: why.into() })
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_rules() {
        assert!(resolve("sh", Some("/nonexistent:/bin:/usr/bin")).unwrap().is_absolute());
        assert_eq!(resolve("no-such-cmd-xyz", Some("/bin")).unwrap_err().code(), 127);
        assert_eq!(resolve("/no/such", None).unwrap_err().code(), 127);
        assert_eq!(resolve("/", None).unwrap_err().code(), 126);
        assert_eq!(resolve("/etc/passwd", None).unwrap_err().code(), 126);
        assert_eq!(resolve("", None).unwrap_err().code(), 125);
    }
}
