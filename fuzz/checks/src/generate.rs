//! Modules from wasm-smith, limited to what porta-interp implements, and
//! the validator settings that say which modules are valid for it.

use arbitrary::{Result, Unstructured};
use wasmparser::{Validator, WasmFeatures};

/// What the engine implements today.
pub fn features() -> WasmFeatures {
    porta_interp::features()
}

/// Whether wasmparser's validator accepts `bytes` under [`features`].
pub fn valid(bytes: &[u8]) -> bool {
    Validator::new_with_features(features()).validate_all(bytes).is_ok()
}

/// An arbitrary wasm-smith configuration cut to the engine's features.
pub fn config(u: &mut Unstructured<'_>) -> Result<wasm_smith::Config> {
    let mut config: wasm_smith::Config = u.arbitrary()?;
    config.gc_enabled = false;
    config.custom_page_sizes_enabled = false;
    config.wide_arithmetic_enabled = false;
    config.threads_enabled = false;
    config.max_memories = config.max_memories.min(4);
    config.max_tables = config.max_tables.min(8);
    Ok(config)
}

/// Any module wasm-smith makes within the engine's features.
pub fn any(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let config = config(u)?;
    Ok(wasm_smith::Module::new(config, u)?.to_bytes())
}

/// Largest memory the executing targets allow, in pages.
pub const MAX_PAGES: u64 = 64;
/// Largest table the executing targets allow, in elements.
pub const MAX_TABLE: u64 = 10_000;

/// A module to run: no imports, every item exported, NaNs canonicalised
/// after every float operation (so results compare bit for bit), memories
/// and tables small enough that growth hits our limits, not the host's.
pub fn runnable(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let mut config = config(u)?;
    config.max_imports = 0;
    config.min_funcs = 1;
    config.max_funcs = config.max_funcs.max(1);
    config.export_everything = true;
    config.canonicalize_nans = true;
    // wasmi's relaxed-SIMD choices need not be porta's (both are allowed).
    config.relaxed_simd_enabled = false;
    // wasm-smith's guards against traps (`select(1, x, eqz x)` before a
    // division) hit a wasmi 2.0 miscompilation that makes the divisor 0:
    // see fuzz/known/. Without them, divisions may trap, on both engines.
    config.disallow_traps = false;
    config.max_memory32_bytes = config.max_memory32_bytes.min(MAX_PAGES * 65536);
    config.max_table_elements = config.max_table_elements.min(1000);
    Ok(wasm_smith::Module::new(config, u)?.to_bytes())
}

/// The exported functions of a module, in export order.
pub fn exported_funcs(bytes: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        if let Ok(wasmparser::Payload::ExportSection(reader)) = payload {
            for export in reader.into_iter().flatten() {
                if export.kind == wasmparser::ExternalKind::Func {
                    names.push(export.name.to_string());
                }
            }
        }
    }
    names
}
