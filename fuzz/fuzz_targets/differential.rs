//! wasm-smith modules run on porta and on wasmi 2.0: same results, traps and state.
//! The property is `porta_fuzz_checks::differential`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| porta_fuzz_checks::differential::check(data));
