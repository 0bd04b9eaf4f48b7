//! Generated layouts and WASI path calls: nothing resolves outside the mount.
//! The property is `porta_fuzz_checks::wasi_paths`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| porta_fuzz_checks::wasi_paths::check(data));
