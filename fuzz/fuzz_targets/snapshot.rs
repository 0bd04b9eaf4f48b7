//! Arbitrary snapshot sections (signed, so they pass the checksum) read,
//! restored against a fixed module and run for a bounded number of steps.
//! The property is `porta_fuzz_checks::snapshot`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| porta_fuzz_checks::snapshot::check(data));
