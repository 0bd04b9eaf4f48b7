//! Path resolution beneath a directory handle.
//!
//! A guest path is walked one component at a time with `openat(…,
//! O_NOFOLLOW)` relative to directory handles we hold, so the kernel never
//! follows a symlink for us and no host path string is ever compared. `..`
//! pops our own stack of handles and can never climb above the handle the
//! walk started from; a symlink is read with `readlinkat` and its target
//! spliced into the walk, so it gets the same checks (absolute targets are
//! refused, loops end in `ELOOP`). A component swapped for a symlink between
//! two steps is caught by `O_NOFOLLOW` on the next open: racing the walk can
//! make it fail, never escape.

use super::abi::Errno;
use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::fs::{openat, readlinkat, Mode, OFlags};
use std::collections::VecDeque;

/// Symlinks followed in one resolution before `ELOOP`, as Linux does.
const MAX_SYMLINKS: usize = 40;

/// Where a path led: the directory that holds its last component, and that
/// component's name (`.` when the path names the directory itself).
pub(crate) struct Resolved<'a> {
    parent: Parent<'a>,
    pub name: String,
    /// The path ended in `/`: it must name a directory.
    pub must_be_dir: bool,
    /// The directories walked from the base to the parent, symlinks already
    /// spliced in, so a snapshot can record where a descriptor really is.
    walked: Vec<String>,
}

enum Parent<'a> {
    Base(BorrowedFd<'a>),
    Opened(OwnedFd),
}

impl Resolved<'_> {
    pub fn dir(&self) -> BorrowedFd<'_> {
        match &self.parent {
            Parent::Base(fd) => *fd,
            Parent::Opened(fd) => fd.as_fd(),
        }
    }

    /// The path beneath the base this names, without `.`, `..` or symlinks
    /// (but for a final one left unfollowed); `""` for the base itself.
    pub fn rel_path(&self) -> String {
        let mut parts: Vec<&str> = self.walked.iter().map(String::as_str).collect();
        if self.name != "." {
            parts.push(&self.name);
        }
        parts.join("/")
    }
}

fn open_dir(at: BorrowedFd<'_>, name: &str) -> rustix::io::Result<OwnedFd> {
    openat(at, name, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC, Mode::empty())
}

/// Reads `name` in `at` as a symlink; `None` if it is not one.
fn read_link(at: BorrowedFd<'_>, name: &str) -> Option<String> {
    let target = readlinkat(at, name, Vec::new()).ok()?;
    Some(String::from_utf8_lossy(target.as_bytes()).into_owned())
}

fn components(path: &str) -> impl Iterator<Item = String> + '_ {
    path.split('/').filter(|c| !c.is_empty()).map(str::to_string)
}

/// Resolves `path` beneath `base`. With `follow`, a symlink in the last
/// component is followed too (it must then stay beneath `base` as well).
pub(crate) fn resolve<'a>(base: BorrowedFd<'a>, path: &str, follow: bool) -> Result<Resolved<'a>, Errno> {
    if path.is_empty() {
        return Err(Errno::NOENT);
    }
    if path.starts_with('/') {
        return Err(Errno::NOTCAPABLE);
    }
    if path.contains('\0') {
        return Err(Errno::INVAL);
    }
    let mut must_be_dir = path.ends_with('/');
    let mut pending: VecDeque<String> = components(path).collect();
    let mut stack: Vec<OwnedFd> = Vec::new();
    let mut walked: Vec<String> = Vec::new();
    let mut links = 0;

    while let Some(comp) = pending.pop_front() {
        let last = pending.is_empty();
        if comp == "." {
            if last {
                return Ok(finish(base, stack, walked, ".".into(), true));
            }
            continue;
        }
        if comp == ".." {
            if stack.pop().is_none() {
                return Err(Errno::NOTCAPABLE);
            }
            walked.pop();
            if last {
                return Ok(finish(base, stack, walked, ".".into(), true));
            }
            continue;
        }
        if last && !follow {
            return Ok(finish(base, stack, walked, comp, must_be_dir));
        }
        let dir = match stack.last() {
            Some(fd) => fd.as_fd(),
            None => base,
        };
        if let Some(target) = read_link(dir, &comp) {
            links += 1;
            if links > MAX_SYMLINKS {
                return Err(Errno::LOOP);
            }
            if target.starts_with('/') {
                return Err(Errno::NOTCAPABLE);
            }
            if last && target.ends_with('/') {
                must_be_dir = true;
            }
            for c in components(&target).collect::<Vec<_>>().into_iter().rev() {
                pending.push_front(c);
            }
            if pending.is_empty() {
                // A link to "" or "/": name the directory it is in.
                return Ok(finish(base, stack, walked, ".".into(), true));
            }
            continue;
        }
        if last {
            return Ok(finish(base, stack, walked, comp, must_be_dir));
        }
        match open_dir(dir, &comp) {
            Ok(fd) => {
                stack.push(fd);
                walked.push(comp);
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(finish(base, stack, walked, ".".into(), true))
}

fn finish(base: BorrowedFd<'_>, mut stack: Vec<OwnedFd>, walked: Vec<String>, name: String, must_be_dir: bool) -> Resolved<'_> {
    let parent = match stack.pop() {
        Some(fd) => Parent::Opened(fd),
        None => Parent::Base(base),
    };
    Resolved { parent, name, must_be_dir, walked }
}

/// A name for a new directory entry: one component, not `.` or `..`.
pub(crate) fn check_new_name(r: &Resolved<'_>) -> Result<(), Errno> {
    match r.name.as_str() {
        "." | ".." => Err(Errno::EXIST),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A directory with a `mount/sub/f` inside and a `secret` beside the
    /// mount; removed when dropped.
    struct Tmp(std::path::PathBuf);

    impl std::ops::Deref for Tmp {
        type Target = std::path::Path;
        fn deref(&self) -> &std::path::Path {
            &self.0
        }
    }

    impl Drop for Tmp {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn tmp(name: &str) -> Tmp {
        let d = std::env::temp_dir().join(format!("porta-resolve-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("mount/sub")).unwrap();
        std::fs::write(d.join("secret"), "outside").unwrap();
        std::fs::write(d.join("mount/sub/f"), "inside").unwrap();
        Tmp(d)
    }

    fn base(d: &std::path::Path) -> OwnedFd {
        open_dir(rustix::fs::CWD, d.join("mount").to_str().unwrap()).unwrap()
    }

    #[test]
    fn stays_beneath_the_base() {
        let d = tmp("escape");
        let b = base(&d);
        for p in ["..", "../secret", "sub/../../secret", "/etc/passwd", "sub/../.."] {
            assert_eq!(resolve(b.as_fd(), p, true).err(), Some(Errno::NOTCAPABLE), "{p}");
        }
        let r = resolve(b.as_fd(), "sub/../sub/f", true).unwrap();
        assert_eq!(r.name, "f");
    }

    #[test]
    fn symlinks_are_checked_like_paths() {
        let d = tmp("links");
        symlink("../secret", d.join("mount/up")).unwrap();
        symlink("/etc", d.join("mount/abs")).unwrap();
        symlink("sub", d.join("mount/in")).unwrap();
        symlink("loop", d.join("mount/loop")).unwrap();
        let b = base(&d);
        assert_eq!(resolve(b.as_fd(), "up", true).err(), Some(Errno::NOTCAPABLE));
        assert_eq!(resolve(b.as_fd(), "abs/passwd", true).err(), Some(Errno::NOTCAPABLE));
        assert_eq!(resolve(b.as_fd(), "loop", true).err(), Some(Errno::LOOP));
        assert_eq!(resolve(b.as_fd(), "in/f", true).unwrap().name, "f");
        assert_eq!(resolve(b.as_fd(), "./in/../in/f", true).unwrap().rel_path(), "sub/f");
        assert_eq!(resolve(b.as_fd(), "in", true).unwrap().rel_path(), "sub");
        // Not following the last component leaves the link itself.
        assert_eq!(resolve(b.as_fd(), "up", false).unwrap().name, "up");
    }

    #[test]
    fn trailing_slash_and_dot() {
        let d = tmp("slash");
        let b = base(&d);
        assert!(resolve(b.as_fd(), "sub/", false).unwrap().must_be_dir);
        assert_eq!(resolve(b.as_fd(), ".", false).unwrap().name, ".");
        assert_eq!(resolve(b.as_fd(), "", false).err(), Some(Errno::NOENT));
    }
}
