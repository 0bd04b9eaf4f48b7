//! Arbitrary bytes into porta serve: one well-formed reply per request.
//! The property is `porta_fuzz_checks::mcp_line`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| porta_fuzz_checks::mcp_line::check(data));
