//! What each fuzz target checks, on stable Rust. Every check takes the raw
//! fuzzer input and panics when the property it states is broken; inputs it
//! cannot use return quietly. `fuzz/fuzz_targets/` calls these under
//! libFuzzer, and `tests/corpus.rs` replays `fuzz/corpus/<target>/` through
//! them in `cargo test`.

pub mod decode;
pub mod differential;
pub mod generate;
pub mod manifest;
pub mod mcp_line;
pub mod project;
pub mod snapshot;
pub mod steps;
pub mod translate;
pub mod wasi_paths;

/// A property: panics when `data` breaks it.
pub type Check = fn(data: &[u8]);

/// Every target by name, as `cargo fuzz list` shows them.
pub const TARGETS: &[(&str, Check)] = &[
    ("decode", decode::check),
    ("translate", translate::check),
    ("differential", differential::check),
    ("steps", steps::check),
    ("wasi_paths", wasi_paths::check),
    ("mcp_line", mcp_line::check),
    ("manifest", manifest::check),
    ("project", project::check),
    ("snapshot", snapshot::check),
];

/// Native stack for checks that run guest code. Under AddressSanitizer the
/// executor's handlers do not compile to tail calls (in the release build
/// they do, as `interp/tests/dispatch.rs` checks), so the stack grows with
/// every op run; some of wasmi's handlers recurse in any build (a loop of
/// `memory.grow` grows its stack per iteration).
pub(crate) const GUEST_STACK: usize = 512 << 20;

/// Runs `f` on a thread with [`GUEST_STACK`]; its panic is the caller's.
pub(crate) fn on_guest_stack<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new().stack_size(GUEST_STACK).spawn_scoped(scope, f).expect("a thread");
        thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Pseudo-random inputs (xorshift, fixed seed) for the tests that show a
/// check exercises what it claims to.
#[cfg(test)]
pub(crate) fn random_inputs(count: usize, len: usize) -> impl Iterator<Item = Vec<u8>> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..count).map(move |_| {
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    })
}
