//! Arbitrary text through the porta.toml parser, and arbitrary targets and
//! arguments through the file `porta init` writes.
//! The property is `porta_fuzz_checks::project`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| porta_fuzz_checks::project::check(data));
