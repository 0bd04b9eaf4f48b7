//! Exact step counts: eager against lazy, and a limit stops after exactly N.
//! The property is `porta_fuzz_checks::steps`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| porta_fuzz_checks::steps::check(data));
