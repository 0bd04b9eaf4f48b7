//! Arbitrary bytes through our decoder: it never panics, and it accepts or
//! rejects as wasmparser's validator (the reference for validity) does for
//! every module the validator accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let ours = porta_interp::decode::decode(bytes);
    let features = wasmparser::WasmFeatures::WASM2.difference(wasmparser::WasmFeatures::SIMD);
    let valid = wasmparser::Validator::new_with_features(features).validate_all(bytes).is_ok();
    if valid {
        assert!(ours.is_ok(), "the validator accepts a module our decoder rejects: {:?}", ours.err());
    }
});
