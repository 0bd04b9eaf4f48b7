//! The engine: configuration shared by every module and store, and the
//! registry that gives each distinct function signature one small id, so that
//! `call_indirect` checks a signature with one integer comparison across
//! modules.

use crate::module::features;
use crate::types::FuncType;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Settings for an [`Engine`].
#[derive(Debug, Clone)]
pub struct Config {
    /// Count executed instructions (exact steps). On by default; turning it
    /// off removes the per-block charge from translated code, and with it
    /// the step limit and the interrupt checks (which ride on the charge).
    pub count_steps: bool,
    /// Translate every function when the module is created instead of on its
    /// first call.
    pub eager_translation: bool,
    /// When translating on first call, also translate the functions that
    /// translated code calls directly, on a background thread, before they
    /// are called: for modules of 1 MiB or more, on a machine with more
    /// than one core. On by default; it changes no result and no step
    /// count, only when translation happens and on which thread.
    pub translate_ahead: bool,
    /// Deepest call nesting before "call stack exhausted".
    pub max_call_depth: usize,
    /// Largest value stack, in 8-byte cells, before "call stack exhausted".
    pub max_stack_cells: usize,
    /// Make every NaN that a float operation computes (scalar or SIMD) the
    /// canonical one, positive, so results do not depend on the host's
    /// choice of NaN bits. Operations that only move bits (`abs`, `neg`,
    /// `copysign`, loads, reinterpretations, `pmin`/`pmax`) keep theirs.
    /// Off by default: it costs a step-free op after each such operation.
    pub canonical_nans: bool,
    /// The WebAssembly features a module may use: [`features`] (all the
    /// engine implements) by default, or fewer, to hold modules to an older
    /// version of the spec (`WasmFeatures::WASM2` refuses a second memory,
    /// a multi-byte memory index after `memory.size`, a 64-bit offset). A
    /// feature outside [`features`] is never enabled by asking for it.
    pub features: wasmparser::WasmFeatures,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            count_steps: true,
            eager_translation: false,
            translate_ahead: true,
            max_call_depth: 50_000,
            max_stack_cells: 16 * 1024 * 1024,
            canonical_nans: false,
            features: features(),
        }
    }
}

/// Shared engine state. Cheap to clone; all clones are the same engine.
#[derive(Debug, Clone, Default)]
pub struct Engine {
    inner: Arc<EngineInner>,
}

#[derive(Debug, Default)]
struct EngineInner {
    config: Config,
    types: Mutex<TypeRegistry>,
}

#[derive(Debug, Default)]
struct TypeRegistry {
    ids: HashMap<FuncType, u32>,
    types: Vec<FuncType>,
}

impl Engine {
    pub fn new(config: Config) -> Self {
        Engine { inner: Arc::new(EngineInner { config, types: Mutex::default() }) }
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The id of a signature; equal signatures get equal ids.
    pub(crate) fn intern(&self, ty: &FuncType) -> u32 {
        let mut reg = self.inner.types.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&id) = reg.ids.get(ty) {
            return id;
        }
        let id = reg.types.len() as u32;
        reg.types.push(ty.clone());
        reg.ids.insert(ty.clone(), id);
        id
    }

    pub(crate) fn same(&self, other: &Engine) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}
