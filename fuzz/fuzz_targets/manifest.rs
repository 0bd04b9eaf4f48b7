//! Arbitrary text through the manifest parser: errors name a field or a position.
//! The property is `porta_fuzz_checks::manifest`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| porta_fuzz_checks::manifest::check(data));
