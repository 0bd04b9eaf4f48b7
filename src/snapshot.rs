//! porta's side of snapshots: the run record it keeps in a snapshot's
//! embedder section (which module, which function, where in the run), the
//! atomic write of a snapshot file, and reading one back.

use porta_interp::wasi::{WasiCtx, WasiState};
use porta_interp::{Paused, Snapshot, Store, Val};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `porta resume` needs besides the engine's state.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRecord {
    /// The module, as an absolute path (`resume --module` overrides it).
    pub module: PathBuf,
    /// The function the run calls after `_initialize`.
    pub entry: String,
    /// Its parameters (`--invoke`), each as its type and bits in hex.
    pub params: Vec<(String, String)>,
    /// Stopped inside a reactor's `_initialize`: the entry is still to run.
    pub in_initialize: bool,
    pub deterministic: bool,
}

impl RunRecord {
    pub fn new(module: &Path, entry: &str, params: &[Val], in_initialize: bool, deterministic: bool) -> RunRecord {
        let module = std::path::absolute(module).unwrap_or_else(|_| module.to_path_buf());
        let params = params.iter().map(|v| (v.ty().to_string(), format!("{:x}", bits(v)))).collect();
        RunRecord { module, entry: entry.to_string(), params, in_initialize, deterministic }
    }

    pub fn params(&self) -> Result<Vec<Val>, String> {
        let bad = || "invalid snapshot: its run record holds a malformed parameter".to_string();
        self.params
            .iter()
            .map(|(ty, hex)| {
                let b = u128::from_str_radix(hex, 16).map_err(|_| bad())?;
                Ok(match ty.as_str() {
                    "i32" => Val::I32(b as i32),
                    "i64" => Val::I64(b as i64),
                    "f32" => Val::F32(b as u32),
                    "f64" => Val::F64(b as u64),
                    "v128" => Val::V128(b),
                    _ => return Err(bad()),
                })
            })
            .collect()
    }
}

fn bits(v: &Val) -> u128 {
    match *v {
        Val::I32(x) => x as u32 as u128,
        Val::I64(x) => x as u64 as u128,
        Val::F32(x) => x as u128,
        Val::F64(x) => x as u128,
        Val::V128(x) => x,
        // `--invoke` takes numbers only (see `run::parse_val`).
        _ => 0,
    }
}

/// Writes the snapshot of `paused` to `path`: whole or not at all (a
/// temporary file beside it, synced, then renamed over it).
pub fn write(path: &Path, store: &Store<WasiCtx>, paused: &Paused, record: &RunRecord, secret_keys: &[String]) -> Result<(), String> {
    let mut snapshot = Snapshot::capture(store, paused).map_err(|e| e.to_string())?;
    let keys: Vec<&str> = secret_keys.iter().map(String::as_str).collect();
    let wasi = store.data().save_state(&keys).map_err(|e| format!("cannot snapshot this guest: {e}"))?;
    snapshot.set_wasi(wasi.encode());
    snapshot.set_embedder(serde_json::to_vec(record).expect("records serialize"));
    let bytes = snapshot.to_bytes();
    let name = path.file_name().ok_or_else(|| format!("--snapshot {}: not a file name", path.display()))?;
    let tmp = path.with_file_name(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        crate::commands::io_error("write", path, &e)
    })
}

/// A snapshot file, read and checked as far as it can be without its
/// module: format, checksum, run record, WASI state.
pub struct Loaded {
    pub snapshot: Snapshot,
    pub record: RunRecord,
    pub wasi: WasiState,
}

pub fn is_snapshot(path: &Path) -> bool {
    let mut magic = [0u8; 8];
    std::fs::File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic)).is_ok() && &magic == b"PORTASNP"
}

pub fn read(path: &Path) -> Result<Loaded, String> {
    let bytes = std::fs::read(path).map_err(|e| crate::commands::io_error("read", path, &e))?;
    let at = |e: String| format!("{}: {e}", path.display());
    let snapshot = Snapshot::from_bytes(&bytes).map_err(|e| at(e.to_string()))?;
    let record = snapshot.embedder().ok_or_else(|| at("invalid snapshot: no run record (not written by porta run)".into()))?;
    let record: RunRecord =
        serde_json::from_slice(record).map_err(|e| at(format!("invalid snapshot: its run record: {e}")))?;
    let wasi = snapshot.wasi().ok_or_else(|| at("invalid snapshot: no WASI state".into()))?;
    let wasi = WasiState::decode(wasi).map_err(|e| at(format!("invalid snapshot: {e}")))?;
    Ok(Loaded { snapshot, record, wasi })
}
