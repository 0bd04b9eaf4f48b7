//! Arbitrary bytes through our decoder, against wasmparser's validator.
//! The property is `porta_fuzz_checks::decode`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| porta_fuzz_checks::decode::check(data));
