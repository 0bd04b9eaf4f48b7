//! `$PORTA_HOME` (default `~/.porta`): instance directories, their ids,
//! and the two rules that keep concurrent `porta` commands from corrupting
//! it: every file is replaced whole (`commands::write_whole`), and
//! read-modify-write of a record holds the instance's lock.

use std::fs::{self, File};
use std::io::Read;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

pub const HOME_VAR: &str = "PORTA_HOME";

/// Where porta keeps its state.
pub fn home() -> Result<PathBuf, String> {
    if let Some(h) = std::env::var_os(HOME_VAR).filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(h));
    }
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(h) => Ok(PathBuf::from(h).join(".porta")),
        None => Err(format!("neither ${HOME_VAR} nor $HOME is set: set {HOME_VAR} to a directory for porta's state")),
    }
}

pub fn instances() -> Result<PathBuf, String> {
    Ok(home()?.join("instances"))
}

/// Creates a directory for a new instance under a fresh random id.
pub fn create_instance() -> Result<(String, PathBuf), String> {
    let base = instances()?;
    fs::create_dir_all(&base).map_err(|e| crate::commands::io_error("create", &base, &e))?;
    for _ in 0..16 {
        let id = random_id()?;
        let dir = base.join(&id);
        match fs::create_dir(&dir) {
            Ok(()) => return Ok((id, dir)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(crate::commands::io_error("create", &dir, &e)),
        }
    }
    Err(format!("cannot find a free instance id in {}", base.display()))
}

/// 12 hex digits: short to type, 48 random bits.
fn random_id() -> Result<String, String> {
    let mut bytes = [0u8; 6];
    File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("cannot read /dev/urandom for an instance id: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Every instance: (id, directory), sorted by id.
pub fn list() -> Result<Vec<(String, PathBuf)>, String> {
    let base = instances()?;
    let entries = match fs::read_dir(&base) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(crate::commands::io_error("read", &base, &e)),
    };
    let mut all: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().join(super::record::FILE).is_file())
        .filter_map(|e| Some((e.file_name().into_string().ok()?, e.path())))
        .collect();
    all.sort();
    Ok(all)
}

/// The instance an id or a unique prefix of one names.
pub fn resolve(given: &str) -> Result<(String, PathBuf), String> {
    let all = list()?;
    if let Some(exact) = all.iter().find(|(id, _)| id == given) {
        return Ok(exact.clone());
    }
    let matches: Vec<&(String, PathBuf)> = all.iter().filter(|(id, _)| !given.is_empty() && id.starts_with(given)).collect();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] if all.is_empty() => Err(format!("no instance `{given}`: there are no instances (start one with `porta run -d`)")),
        [] => Err(format!("no instance `{given}`; instances: {}", ids(all.iter()))),
        many => Err(format!("`{given}` names {} instances: {}; give more of the id", many.len(), ids(many.iter().copied()))),
    }
}

fn ids<'a>(all: impl Iterator<Item = &'a (String, PathBuf)>) -> String {
    all.map(|(id, _)| id.as_str()).collect::<Vec<_>>().join(", ")
}

/// An exclusive lock on an instance (its `lock` file), held until drop.
pub struct Lock(#[allow(dead_code)] File);

impl Lock {
    pub fn take(dir: &Path) -> Result<Lock, String> {
        let path = dir.join("lock");
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| crate::commands::io_error("open", &path, &e))?;
        // SAFETY: flock on a descriptor we own; blocks until it is ours.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
            return Err(format!("cannot lock {}: {}", path.display(), std::io::Error::last_os_error()));
        }
        Ok(Lock(file))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_twelve_hex_digits_and_differ() {
        let (a, b) = (random_id().unwrap(), random_id().unwrap());
        assert_eq!(a.len(), 12);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
