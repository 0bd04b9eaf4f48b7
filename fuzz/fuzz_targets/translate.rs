//! wasm-smith modules limited to what the engine runs, through validation
//! and eager translation of every function: no panic, and a module valid
//! under those features always compiles.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

fn module(u: &mut Unstructured<'_>) -> Result<Vec<u8>> {
    let mut config: wasm_smith::Config = u.arbitrary()?;
    // WebAssembly 2.0 without SIMD: what the engine implements today.
    config.simd_enabled = false;
    config.relaxed_simd_enabled = false;
    config.tail_call_enabled = false;
    config.exceptions_enabled = false;
    config.memory64_enabled = false;
    config.gc_enabled = false;
    config.custom_page_sizes_enabled = false;
    config.wide_arithmetic_enabled = false;
    config.threads_enabled = false;
    config.extended_const_enabled = false;
    config.max_memories = 1;
    config.max_tables = config.max_tables.min(8);
    Ok(wasm_smith::Module::new(config, u)?.to_bytes())
}

fuzz_target!(|data: &[u8]| {
    let Ok(bytes) = module(&mut Unstructured::new(data)) else { return };
    let mut config = porta_interp::Config::default();
    config.eager_translation = true;
    let engine = porta_interp::Engine::new(config);
    if let Err(e) = porta_interp::Module::new(&engine, &bytes) {
        let features = wasmparser::WasmFeatures::WASM2.difference(wasmparser::WasmFeatures::SIMD);
        let valid = wasmparser::Validator::new_with_features(features).validate_all(&bytes).is_ok();
        assert!(!valid, "a valid module failed to compile: {e}");
    }
});
