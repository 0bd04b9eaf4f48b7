//! `wasi_paths`: generated directory layouts (files, directories, symlinks
//! with `..`, absolute and looping targets) in a temporary mount, and
//! generated WASI path calls on it from a guest. Whatever a call resolves
//! to is inside the mount (checked by device and inode against a walk of
//! the mount that follows no symlink), and nothing outside the mount ever
//! changes.

use arbitrary::{Arbitrary, Unstructured};
use porta_interp::wasi::{self, Capabilities, WasiCtx};
use porta_interp::{Engine, Instance, Linker, Module, Store, Val};
use std::collections::{BTreeMap, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// The WASI calls the guest re-exports, with their parameter types
/// (`l` for i64, else i32); all return an errno.
const CALLS: &[(&str, &str)] = &[
    ("path_open", "iiiiillii"),
    ("path_filestat_get", "iiiii"),
    ("fd_filestat_get", "ii"),
    ("path_create_directory", "iii"),
    ("path_remove_directory", "iii"),
    ("path_unlink_file", "iii"),
    ("path_symlink", "iiiii"),
    ("path_rename", "iiiiii"),
    ("path_link", "iiiiiii"),
];
/// Where the guest's arguments live in its memory.
const RESULT: i32 = 0;
const PATH1: i32 = 1024;
const PATH2: i32 = 4096;
const MAX_PATH: usize = 2048;
const MAX_OPS: usize = 24;
const MAX_ENTRIES: usize = 16;

/// The guest: each call re-exported under its own name, and a memory.
fn guest() -> &'static [u8] {
    static WASM: OnceLock<Vec<u8>> = OnceLock::new();
    WASM.get_or_init(|| {
        let types = |params: &str| params.chars().map(|c| if c == 'l' { "i64" } else { "i32" }).collect::<Vec<_>>().join(" ");
        let mut text = String::from("(module\n");
        for (name, params) in CALLS {
            text += &format!(
                "(import \"wasi_snapshot_preview1\" \"{name}\" (func ${name} (param {}) (result i32)))\n",
                types(params)
            );
        }
        text += "(memory (export \"memory\") 1)\n";
        for (name, params) in CALLS {
            let gets: String = (0..params.len()).map(|i| format!("local.get {i} ")).collect();
            text += &format!("(func (export \"{name}\") (param {}) (result i32) {gets} call ${name})\n", types(params));
        }
        text += ")";
        wat::parse_str(&text).expect("the guest assembles")
    })
}

#[derive(Arbitrary, Debug, Clone)]
enum Comp {
    A,
    B,
    Link,
    Outside,
    Dot,
    DotDot,
    Empty,
    Raw(String),
}

#[derive(Arbitrary, Debug, Clone)]
struct GuestPath {
    /// Absolute (always refused) one time in eight.
    lead: u8,
    comps: Vec<Comp>,
    /// A trailing slash one time in four.
    end: u8,
}

impl GuestPath {
    fn text(&self) -> String {
        let comps: Vec<String> = self
            .comps
            .iter()
            .take(12)
            .map(|c| match c {
                Comp::A => "a".into(),
                Comp::B => "b".into(),
                Comp::Link => "l".into(),
                Comp::Outside => "outside".into(),
                Comp::Dot => ".".into(),
                Comp::DotDot => "..".into(),
                Comp::Empty => String::new(),
                Comp::Raw(s) => s.chars().take(64).collect(),
            })
            .collect();
        let mut text = comps.join("/");
        if self.lead % 8 == 0 {
            text.insert(0, '/');
        }
        if self.end % 4 == 0 {
            text.push('/');
        }
        text
    }
}

/// Names used to build the layout on the host: plain names only, so the
/// setup itself never leaves the mount.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Name {
    A,
    B,
    Link,
}

impl Name {
    fn text(self) -> &'static str {
        match self {
            Name::A => "a",
            Name::B => "b",
            Name::Link => "l",
        }
    }
}

#[derive(Arbitrary, Debug, Clone)]
enum Target {
    Relative(GuestPath),
    OutsideDir,
    OutsideSecret,
    Root,
    MountItself,
    Etc,
}

impl Target {
    fn text(&self, world: &World) -> String {
        match self {
            Target::Relative(p) => p.text(),
            Target::OutsideDir => world.root.join("outside").display().to_string(),
            Target::OutsideSecret => world.root.join("outside/secret").display().to_string(),
            Target::Root => "/".into(),
            Target::MountItself => world.mount.display().to_string(),
            Target::Etc => "/etc/passwd".into(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Entry {
    Dir(Vec<Name>),
    File(Vec<Name>),
    Symlink(Vec<Name>, Target),
}

#[derive(Arbitrary, Debug)]
enum Op {
    Open { base: u8, path: GuestPath, follow: bool, oflags: u8 },
    Stat { base: u8, path: GuestPath, follow: bool },
    Mkdir { base: u8, path: GuestPath },
    Rmdir { base: u8, path: GuestPath },
    Unlink { base: u8, path: GuestPath },
    Symlink { base: u8, target: Target, path: GuestPath },
    Rename { base: u8, from: GuestPath, to: GuestPath },
    Link { base: u8, from: GuestPath, follow: bool, to: GuestPath },
}

#[derive(Arbitrary, Debug)]
struct Input {
    entries: Vec<Entry>,
    ops: Vec<Op>,
}

/// The temporary tree: `root/mount` is mounted; `root/outside` and
/// `root/top-secret` must never be reached or changed.
struct World {
    root: PathBuf,
    mount: PathBuf,
}

impl World {
    fn new() -> World {
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        let root = std::env::temp_dir().join(format!("porta-fuzz-wasi-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let mount = root.join("mount");
        std::fs::create_dir_all(&mount).expect("create the mount");
        std::fs::create_dir_all(root.join("outside/dir")).expect("create outside");
        std::fs::write(root.join("outside/secret"), "SECRET").expect("write the secret");
        std::fs::write(root.join("top-secret"), "SECRET").expect("write the secret");
        World { root, mount }
    }

    /// Everything outside the mount: names, kinds, contents, link targets.
    fn outside(&self) -> BTreeMap<PathBuf, String> {
        let mut seen = BTreeMap::new();
        walk(&self.root, &mut |path, meta| {
            if path.starts_with(&self.mount) && path != self.mount {
                return false;
            }
            let what = if meta.file_type().is_symlink() {
                format!("link {:?}", std::fs::read_link(path).ok())
            } else if meta.is_file() {
                format!("file {:?}", std::fs::read(path).ok())
            } else {
                format!("dir {:o}", meta.mode())
            };
            seen.insert(path.to_path_buf(), what);
            true
        });
        seen
    }

    /// Device and inode of every object in the mount, the mount included.
    fn inside(&self) -> HashSet<(u64, u64)> {
        let mut ids = HashSet::new();
        walk(&self.mount, &mut |_, meta| {
            ids.insert((meta.dev(), meta.ino()));
            true
        });
        ids
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// Visits `path` and, where `visit` says so, what a directory holds;
/// symlinks are visited, never followed.
fn walk(path: &Path, visit: &mut dyn FnMut(&Path, &std::fs::Metadata) -> bool) {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return };
    if !visit(path, &meta) || !meta.is_dir() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else { return };
    for entry in entries.flatten() {
        walk(&entry.path(), visit);
    }
}

struct Guest {
    store: Store<WasiCtx>,
    instance: Instance,
    /// Directory descriptors the ops may start from: the mount first.
    bases: Vec<i32>,
}

impl Guest {
    fn new(world: &World) -> Guest {
        let engine = Engine::default();
        let module = Module::new(&engine, guest()).expect("the guest compiles");
        let mut linker = Linker::new();
        wasi::add_to_linker(&mut linker);
        let ctx = WasiCtx::builder()
            .capabilities(Capabilities::FS | Capabilities::FS_WRITE)
            .mount(&world.mount, "/mnt", true)
            .expect("mount")
            .build();
        let mut store = Store::new(&engine, ctx);
        let instance = linker.instantiate(&mut store, &module).expect("the guest instantiates");
        Guest { store, instance, bases: vec![3] }
    }

    fn base(&self, pick: u8) -> i32 {
        self.bases[pick as usize % self.bases.len()]
    }

    /// Puts `text` at `at` in guest memory; returns its length.
    fn put(&mut self, at: i32, text: &str) -> i32 {
        let bytes = &text.as_bytes()[..text.len().min(MAX_PATH)];
        let memory = self.instance.get_memory(&self.store, "memory").expect("memory");
        memory.data_mut(&mut self.store)[at as usize..][..bytes.len()].copy_from_slice(bytes);
        bytes.len() as i32
    }

    fn u64_at(&self, at: usize) -> u64 {
        let memory = self.instance.get_memory(&self.store, "memory").expect("memory");
        u64::from_le_bytes(memory.data(&self.store)[at..at + 8].try_into().expect("8 bytes"))
    }

    /// Calls a WASI function; returns its errno.
    fn call(&mut self, name: &str, args: &[i64]) -> i32 {
        let func = self.instance.get_func(&self.store, name).expect("re-exported");
        let params = func.ty(&self.store).params().to_vec();
        let args: Vec<Val> = args
            .iter()
            .zip(&params)
            .map(|(v, t)| if *t == porta_interp::ValType::I64 { Val::I64(*v) } else { Val::I32(*v as i32) })
            .collect();
        let mut result = [Val::I32(0)];
        match func.call(&mut self.store, &args, &mut result) {
            Ok(()) => match result[0] {
                Val::I32(errno) => errno,
                v => panic!("{name} returned {v:?}"),
            },
            Err(e) => panic!("{name} trapped: {e}"),
        }
    }

    /// The device and inode of the filestat the last call wrote.
    fn stat_id(&self) -> (u64, u64) {
        (self.u64_at(RESULT as usize), self.u64_at(RESULT as usize + 8))
    }
}

pub fn check(data: &[u8]) {
    compare(data);
}

/// Runs the ops; returns how many opened or stat-ed something (each one
/// checked to be inside the mount).
fn compare(data: &[u8]) -> usize {
    match Input::arbitrary_take_rest(Unstructured::new(data)) {
        Ok(input) => run(&input),
        Err(_) => 0,
    }
}

fn run(input: &Input) -> usize {
    let world = World::new();
    // A base layout, so that most paths lead somewhere, then the input's.
    std::fs::create_dir(world.mount.join("a")).expect("mkdir a");
    std::fs::write(world.mount.join("a/b"), "inside").expect("write a/b");
    std::os::unix::fs::symlink("a", world.mount.join("l")).expect("symlink l");
    for entry in input.entries.iter().take(MAX_ENTRIES) {
        let at = |names: &[Name]| names.iter().take(4).fold(world.mount.clone(), |p, n| p.join(n.text()));
        // Setup failures (a parent missing, a name taken) leave the layout
        // as it is: the layout is whatever the entries managed to build.
        let _ = match entry {
            Entry::Dir(names) => std::fs::create_dir_all(at(names)),
            Entry::File(names) => std::fs::write(at(names), "inside"),
            Entry::Symlink(names, target) => std::os::unix::fs::symlink(target.text(&world), at(names)),
        };
    }
    let outside = world.outside();
    let mut guest = Guest::new(&world);
    const LOOKUP_FOLLOW: i64 = 1;
    const OFLAGS_DIRECTORY: u8 = 2;
    let mut resolved = 0;
    for op in input.ops.iter().take(MAX_OPS) {
        let follow = |f: bool| if f { LOOKUP_FOLLOW } else { 0 };
        let errno = match op {
            Op::Open { base, path, follow: f, oflags } => {
                let len = guest.put(PATH1, &path.text());
                let fd_at = RESULT as i64;
                let all = -1i64;
                let errno = guest.call("path_open", &[guest.base(*base) as i64, follow(*f), PATH1 as i64, len as i64, (*oflags & 0xf) as i64, all, all, 0, fd_at]);
                if errno == 0 {
                    let fd = guest.u64_at(0) as u32 as i32;
                    assert_eq!(guest.call("fd_filestat_get", &[fd as i64, RESULT as i64]), 0, "fdstat of an open fd");
                    let id = guest.stat_id();
                    assert!(world.inside().contains(&id), "{:?} opened something outside the mount", path.text());
                    resolved += 1;
                    if oflags & OFLAGS_DIRECTORY != 0 && guest.bases.len() < 8 {
                        guest.bases.push(fd);
                    }
                }
                errno
            }
            Op::Stat { base, path, follow: f } => {
                let len = guest.put(PATH1, &path.text());
                let errno = guest.call("path_filestat_get", &[guest.base(*base) as i64, follow(*f), PATH1 as i64, len as i64, RESULT as i64]);
                if errno == 0 {
                    let id = guest.stat_id();
                    assert!(world.inside().contains(&id), "{:?} has a filestat from outside the mount", path.text());
                    resolved += 1;
                }
                errno
            }
            Op::Mkdir { base, path } | Op::Rmdir { base, path } | Op::Unlink { base, path } => {
                let name = match op {
                    Op::Mkdir { .. } => "path_create_directory",
                    Op::Rmdir { .. } => "path_remove_directory",
                    _ => "path_unlink_file",
                };
                let len = guest.put(PATH1, &path.text());
                guest.call(name, &[guest.base(*base) as i64, PATH1 as i64, len as i64])
            }
            Op::Symlink { base, target, path } => {
                let old = guest.put(PATH1, &target.text(&world));
                let new = guest.put(PATH2, &path.text());
                guest.call("path_symlink", &[PATH1 as i64, old as i64, guest.base(*base) as i64, PATH2 as i64, new as i64])
            }
            Op::Rename { base, from, to } => {
                let old = guest.put(PATH1, &from.text());
                let new = guest.put(PATH2, &to.text());
                let fd = guest.base(*base) as i64;
                guest.call("path_rename", &[fd, PATH1 as i64, old as i64, fd, PATH2 as i64, new as i64])
            }
            Op::Link { base, from, follow: f, to } => {
                let old = guest.put(PATH1, &from.text());
                let new = guest.put(PATH2, &to.text());
                let fd = guest.base(*base) as i64;
                guest.call("path_link", &[fd, follow(*f), PATH1 as i64, old as i64, fd, PATH2 as i64, new as i64])
            }
        };
        assert!((0..=76).contains(&errno), "{op:?} returned errno {errno}, not a WASI errno");
        assert_eq!(world.outside(), outside, "{op:?} changed something outside the mount");
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::{Comp, GuestPath, Input, Op, Target};

    fn path(comps: &[Comp]) -> GuestPath {
        GuestPath { lead: 1, comps: comps.to_vec(), end: 1 }
    }

    /// Paths inside resolve and are checked; a symlink the guest points
    /// outside, and `..` past the mount, do not resolve.
    #[test]
    fn inside_resolves_and_outside_does_not() {
        use Comp::*;
        let ops = vec![
            Op::Open { base: 0, path: path(&[A, B]), follow: true, oflags: 0 },
            Op::Stat { base: 0, path: path(&[Link]), follow: true },
            Op::Stat { base: 0, path: path(&[Link, DotDot, A, Dot]), follow: false },
            Op::Symlink { base: 0, target: Target::OutsideSecret, path: path(&[B]) },
            Op::Stat { base: 0, path: path(&[B]), follow: true },
            Op::Open { base: 0, path: path(&[B]), follow: true, oflags: 0 },
            Op::Symlink { base: 0, target: Target::Relative(path(&[DotDot, Outside])), path: path(&[A, Outside]) },
            Op::Stat { base: 0, path: path(&[A, Outside, Dot]), follow: true },
            Op::Stat { base: 0, path: path(&[DotDot, Outside]), follow: true },
            Op::Mkdir { base: 0, path: path(&[DotDot, B]) },
        ];
        assert_eq!(super::run(&Input { entries: vec![], ops }), 3);
    }

    /// The checks catch an escape: a filestat of the secret outside is not
    /// inside the mount, and the outside snapshot sees a change.
    #[test]
    fn the_checks_see_outside() {
        let world = super::World::new();
        let before = world.outside();
        let secret = std::fs::metadata(world.root.join("outside/secret")).unwrap();
        use std::os::unix::fs::MetadataExt;
        assert!(!world.inside().contains(&(secret.dev(), secret.ino())));
        std::fs::write(world.root.join("outside/new"), "x").unwrap();
        assert_ne!(world.outside(), before);
    }
}
