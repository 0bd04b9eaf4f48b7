//! The key stores a native command may not read, and the read rules that
//! leave them out.
//!
//! Landlock only grants, and a grant on a directory covers everything
//! beneath it, so "read everything except ~/.ssh" is built by granting each
//! entry *around* the key stores: for every directory on the way from `/`
//! down to a key store (an *ancestor*), every entry that is neither an
//! ancestor nor a key store gets a read rule. The ancestors themselves get
//! none: Landlock's right to list a directory is inherited by everything
//! beneath it, key stores included, so `ls /` or `ls ~` are denied (EACCES)
//! while every entry in them can be opened by name. An entry that is a
//! symlink to (or into) a key store or an ancestor is left out too, so an
//! alias cannot reopen what is denied. Entries created in an ancestor after
//! the command starts are not readable (deny by default).

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// Under each home directory: credentials, keys, tokens and password
/// stores of common tools.
pub const KEY_STORES: &[&str] = &[
    ".ssh",
    ".gnupg",
    ".aws",
    ".azure",
    ".kube",
    ".docker/config.json",
    ".netrc",
    ".git-credentials",
    ".config/git/credentials",
    ".config/gh",
    ".config/hub",
    ".config/gcloud",
    ".config/doctl",
    ".config/rclone",
    ".config/op",
    ".password-store",
    ".local/share/keyrings",
    ".local/share/password-store",
    ".pgpass",
    ".my.cnf",
    ".npmrc",
    ".pypirc",
    ".gem/credentials",
    ".cargo/credentials",
    ".cargo/credentials.toml",
    ".terraform.d/credentials.tfrc.json",
    ".vault-token",
    ".oci",
    ".s3cfg",
    ".mozilla",
    ".thunderbird",
    ".config/google-chrome",
    ".config/chromium",
    ".config/BraveSoftware",
    // Shell histories hold tokens typed on command lines.
    ".bash_history",
    ".zsh_history",
    ".histfile",
];

/// Most entries granted around the key stores; past it porta refuses
/// rather than build an unbounded rule set.
const MAX_ENTRIES: usize = 100_000;

/// The key store paths under each home, and, where one is a symlink, its
/// target too.
pub fn key_stores(homes: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = BTreeSet::new();
    for home in homes {
        let home = normalize(&std::fs::canonicalize(home).unwrap_or_else(|_| home.clone()));
        if home.parent().is_none() {
            continue; // HOME=/ has no key stores of its own to speak of
        }
        for k in KEY_STORES {
            let p = home.join(k);
            if let Ok(c) = std::fs::canonicalize(&p) {
                out.insert(normalize(&c));
            }
            out.insert(p);
        }
    }
    out.into_iter().collect()
}

/// The entries to grant read on so that everything but `blocked` is
/// readable (see the module comment). Paths are absolute.
pub fn readable_around(blocked: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let blocked: BTreeSet<PathBuf> = blocked.iter().map(|p| normalize(p)).collect();
    let mut ancestors = BTreeSet::new();
    for b in &blocked {
        let mut a = b.parent();
        while let Some(p) = a {
            ancestors.insert(p.to_path_buf());
            a = p.parent();
        }
    }
    if ancestors.is_empty() {
        return Ok(vec![PathBuf::from("/")]);
    }
    let hidden = |p: &Path| ancestors.contains(p) || blocked.iter().any(|b| p.starts_with(b));
    let mut out = Vec::new();
    for dir in &ancestors {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        for e in entries.flatten() {
            let p = dir.join(e.file_name());
            if hidden(&p) {
                continue;
            }
            // An alias of an ancestor or a key store (a symlink to it, or a
            // path through one) is not granted.
            match std::fs::canonicalize(&p) {
                Ok(c) if !hidden(&normalize(&c)) => out.push(p),
                _ => {}
            }
            if out.len() > MAX_ENTRIES {
                return Err(format!(
                    "more than {MAX_ENTRIES} entries around the key stores (in {}); use --strict",
                    dir.display()
                ));
            }
        }
    }
    Ok(out)
}

/// `path` with `.` and `..` resolved lexically (the path is absolute).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::from("/");
    for c in path.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::ParentDir => {
                out.pop();
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_around_the_key_stores_and_not_their_aliases() {
        let root = std::env::temp_dir().join(format!("porta-ks-{}", std::process::id()));
        let home = root.join("home");
        std::fs::create_dir_all(home.join(".ssh")).unwrap();
        std::fs::create_dir_all(home.join(".config/gh")).unwrap();
        std::fs::create_dir_all(home.join(".config/other")).unwrap();
        std::fs::create_dir_all(home.join("project")).unwrap();
        std::os::unix::fs::symlink(home.join(".ssh"), home.join("sneaky")).unwrap();
        std::os::unix::fs::symlink(&home, home.join("loop")).unwrap();
        let blocked = key_stores(std::slice::from_ref(&home));
        let home = std::fs::canonicalize(&home).unwrap();
        let got = readable_around(&blocked).unwrap();
        std::fs::remove_dir_all(&root).unwrap();
        assert!(got.contains(&home.join("project")), "{got:?}");
        assert!(got.contains(&home.join(".config/other")), "{got:?}");
        assert!(got.contains(&PathBuf::from("/usr")), "{got:?}");
        for no in [".ssh", ".config", ".config/gh", "sneaky", "loop"] {
            assert!(!got.contains(&home.join(no)), "{no}: {got:?}");
        }
        assert!(!got.iter().any(|p| home.starts_with(p)), "an ancestor granted: {got:?}");
    }
}
