//! wasm-smith modules through validation and eager translation.
//! The property is `porta_fuzz_checks::translate`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| porta_fuzz_checks::translate::check(data));
