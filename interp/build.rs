//! Chooses how handlers dispatch (see `src/exec/vm.rs`): by tail calls,
//! which LLVM turns into jumps only when it optimises, or, in unoptimised
//! builds, by returning to a loop, which keeps the native stack flat.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(porta_portable_dispatch)");
    println!("cargo::rustc-check-cfg=cfg(porta_op_pairs)");
    println!("cargo::rerun-if-env-changed=PORTA_PORTABLE_DISPATCH");
    println!("cargo::rerun-if-env-changed=PORTA_COUNT_OP_PAIRS");
    // Counting op pairs (`src/exec/op_pairs.rs`) needs the dispatch loop.
    let count_pairs = std::env::var_os("PORTA_COUNT_OP_PAIRS").is_some();
    if count_pairs {
        println!("cargo::rustc-cfg=porta_op_pairs");
    }
    let optimised = matches!(std::env::var("OPT_LEVEL").as_deref(), Ok("2" | "3" | "s" | "z"));
    if !optimised || count_pairs || std::env::var_os("PORTA_PORTABLE_DISPATCH").is_some() {
        println!("cargo::rustc-cfg=porta_portable_dispatch");
    }
}
