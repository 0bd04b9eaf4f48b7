//! Replays every committed fuzz input (`fuzz/corpus/<target>/`) through
//! its target's check, so a bug a fuzzer once found stays fixed without a
//! nightly toolchain.

use std::path::Path;

#[test]
fn corpus_replays_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
    let mut replayed = 0;
    for (target, check) in porta_fuzz_checks::TARGETS {
        let dir = root.join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            eprintln!("replaying {}", file.display());
            check(&data);
            replayed += 1;
        }
    }
    eprintln!("replayed {replayed} inputs");
    assert!(replayed > 0, "no corpus found under {}", root.display());
}

#[test]
fn every_target_has_a_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
    for (target, _) in porta_fuzz_checks::TARGETS {
        let n = std::fs::read_dir(root.join(target)).map(|d| d.count()).unwrap_or(0);
        assert!(n > 0, "fuzz/corpus/{target} is empty: commit at least a seed");
    }
}
