//! A guest's sandbox as the user described it: the module (compiled once),
//! its manifest, the effective capabilities, environment, mounts and limits.
//! `run` and `serve` both build fresh stores from it.

use crate::cli::SandboxArgs;
use crate::manifest::{self, Manifest};
use crate::netlist::NetList;
use crate::{envfile, profile};
use porta_interp::wasi::{self, Capabilities, WasiCtxBuilder};
use porta_interp::{Engine, Module, Store, StoreLimits};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct Sandbox {
    pub engine: Engine,
    pub module: Module,
    pub manifest: Option<Manifest>,
    pub caps: Capabilities,
    pub env: Vec<(String, String)>,
    /// Values given with `--secret`, never to be printed.
    pub secrets: Vec<String>,
    /// Their keys: a snapshot records that they were set, not their values.
    pub secret_keys: Vec<String>,
    /// (host, guest, writable)
    pub mounts: Vec<(String, String, bool)>,
    pub step_limit: Option<u64>,
    pub max_memory: Option<u64>,
    pub timeout: Option<Duration>,
    pub deterministic: bool,
    /// The program name the guest sees as `argv[0]`.
    pub program: String,
    /// What `serve` gives every call as the arguments after `argv[0]`.
    pub guest_args: Vec<String>,
}

impl Sandbox {
    /// Checks everything before any guest starts; the error is one line.
    /// With `snapshot_file` (the run writes or resumes a snapshot file,
    /// which names its module by the SHA-256 of the whole file), the module
    /// is read whole; otherwise without the custom sections that end it.
    pub fn new(module_path: &Path, args: &SandboxArgs, snapshot_file: bool) -> Result<Sandbox, String> {
        let config = porta_interp::Config { canonical_nans: args.deterministic, ..Default::default() };
        let engine = Engine::new(config);
        let module = match snapshot_file {
            true => crate::commands::load_module(&engine, module_path)?,
            false => crate::commands::load_module_to_run(&engine, module_path)?,
        };
        let manifest = manifest::find(module_path, args.manifest.as_deref())?.map(|(_, m)| m);

        let mut env = Vec::new();
        for path in &args.env_file {
            let text = std::fs::read_to_string(path).map_err(|e| crate::commands::io_error("read", path, &e))?;
            env.extend(envfile::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?);
        }
        for kv in &args.env {
            let (k, v) = kv.split_once('=').ok_or_else(|| format!("bad --env `{kv}`: expected KEY=VALUE"))?;
            env.push((k.into(), v.into()));
        }
        let (mut secrets, mut secret_keys) = (Vec::new(), Vec::new());
        for kv in &args.secret {
            // The value never appears in a message.
            let (k, v) = kv.split_once('=').ok_or("bad --secret: expected KEY=VALUE")?;
            env.push((k.into(), v.into()));
            secrets.push(v.to_string());
            secret_keys.push(k.to_string());
        }
        let mut mounts = Vec::new();
        for spec in &args.volumes {
            let (host, guest, ro) = parse_volume(spec)?;
            if !Path::new(&host).is_dir() {
                return Err(format!("cannot mount `{host}`: not a directory"));
            }
            mounts.push((host, guest, !ro));
        }

        let mut implied = mount_caps(&mounts);
        if !env.is_empty() {
            implied |= Capabilities::ENV;
        }
        // Checked here, so `run` refuses a malformed entry as `serve` does.
        if !NetList::parse(&args.allow_net)?.is_empty() {
            implied |= Capabilities::NET;
        }
        if !args.allow_exec.is_empty() {
            implied |= Capabilities::EXEC;
        }
        let caps = profile::effective(args.profile.as_deref(), manifest.as_ref(), &args.allow, implied)?;

        for (m, name, _) in module.imports() {
            if m != wasi::MODULE {
                return Err(format!(
                    "the module imports `{m}.{name}`, which porta does not provide (only {} is linked)",
                    wasi::MODULE
                ));
            }
        }
        let timeout = match args.timeout {
            None => None,
            Some(0.0) => None,
            Some(t) if t > 0.0 && t.is_finite() && t < 1e9 => Some(Duration::from_secs_f64(t)),
            Some(t) => return Err(format!("bad --timeout `{t}`: expected a number of seconds (0: no limit)")),
        };
        let program = module_path.file_name().map_or("module.wasm".into(), |n| n.to_string_lossy().into_owned());
        Ok(Sandbox {
            engine,
            module,
            manifest,
            caps,
            env,
            secrets,
            secret_keys,
            mounts,
            step_limit: args.step_limit,
            max_memory: args.max_memory,
            timeout,
            deterministic: args.deterministic,
            program,
            guest_args: Vec::new(),
        })
    }

    /// The WASI context of one guest run, before its stdio is chosen.
    pub fn wasi(&self, args: Vec<String>) -> Result<WasiCtxBuilder, String> {
        let mut b = porta_interp::wasi::WasiCtx::builder().capabilities(self.caps).args(args);
        for (k, v) in &self.env {
            b = b.env(k, v);
        }
        for (host, guest, writable) in &self.mounts {
            b = b.mount(Path::new(host), guest, *writable)?;
        }
        if self.deterministic {
            b = b.deterministic(0);
        }
        Ok(b)
    }

    /// `argv` of a served call: the program, then `serve -- ARGS`.
    pub fn argv(&self) -> Vec<String> {
        std::iter::once(self.program.clone()).chain(self.guest_args.iter().cloned()).collect()
    }

    /// A fresh store with the sandbox's limits.
    pub fn store<T>(&self, data: T) -> Store<T> {
        let mut store = Store::new(&self.engine, data);
        store.set_step_limit(self.step_limit);
        // Without --max-memory, only each memory's own maximum bounds it
        // (the engine's default of 4 GiB would cap a 64-bit memory); a
        // growth the system cannot back fails as memory.grow fails.
        let pages = self.max_memory.unwrap_or(u64::MAX);
        store.set_limits(StoreLimits { max_memory_pages: pages, ..StoreLimits::default() });
        store
    }

    /// Replaces every secret value in `text` with `***`.
    pub fn redact(&self, text: &str) -> String {
        self.secrets.iter().filter(|s| !s.is_empty()).fold(text.to_string(), |t, s| t.replace(s.as_str(), "***"))
    }
}

/// What mounts imply: fs, and fs.write if one is writable.
pub fn mount_caps(mounts: &[(String, String, bool)]) -> Capabilities {
    mounts.iter().fold(Capabilities::empty(), |caps, (_, _, writable)| {
        caps | Capabilities::FS | if *writable { Capabilities::FS_WRITE } else { Capabilities::empty() }
    })
}

/// `HOST[:GUEST][:ro]` → (host, guest, read_only).
pub fn parse_volume(spec: &str) -> Result<(String, String, bool), String> {
    let (rest, ro) = match spec.strip_suffix(":ro") {
        Some(r) => (r, true),
        None => (spec.strip_suffix(":rw").unwrap_or(spec), false),
    };
    let (host, guest) = rest.split_once(':').unwrap_or((rest, rest));
    if host.is_empty() || guest.is_empty() {
        return Err(format!("bad volume `{spec}`: expected HOST[:GUEST][:ro]"));
    }
    Ok((host.to_string(), guest.to_string(), ro))
}

/// Interrupts a store after `limit` unless `done` is set first. Returns
/// the flag to set when the guest has finished.
pub fn arm_timeout(limit: Option<Duration>, interrupt: Arc<AtomicBool>) -> Arc<AtomicBool> {
    let done = Arc::new(AtomicBool::new(false));
    if let Some(limit) = limit {
        let done = done.clone();
        std::thread::spawn(move || {
            std::thread::sleep(limit);
            if !done.load(Ordering::Relaxed) {
                interrupt.store(true, Ordering::Relaxed);
            }
        });
    }
    done
}
