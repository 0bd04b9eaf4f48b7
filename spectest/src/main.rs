//! `cargo run -p spectest -- DIR...`: runs every `.wast` file under the
//! given folders (recursively) and prints the report. Exits with status 1 if
//! any directive failed, 2 on a usage error.

use spectest::{run_scripts, Script};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "wast") {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let roots: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if roots.is_empty() {
        eprintln!("usage: spectest DIR...   (runs every .wast file under each DIR)");
        return ExitCode::from(2);
    }
    let mut scripts = Vec::new();
    for root in &roots {
        let mut files = Vec::new();
        let listed = if root.is_file() {
            files.push(root.clone());
            Ok(())
        } else {
            collect(root, &mut files)
        };
        if let Err(e) = listed {
            eprintln!("cannot read {}: {e}", root.display());
            return ExitCode::from(2);
        }
        files.sort();
        // Files are labelled by their path below the root's parent, so that
        // `.../data/wasm-v1` gives `wasm-v1/address.wast`.
        let base = root.parent().unwrap_or(Path::new(""));
        for file in files {
            let rel = file.strip_prefix(base).unwrap_or(&file);
            let set = rel
                .parent()
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            let name = rel
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match std::fs::read_to_string(&file) {
                Ok(text) => scripts.push(Script::new(&set, &name, text)),
                Err(e) => {
                    eprintln!("cannot read {}: {e}", file.display());
                    return ExitCode::from(2);
                }
            }
        }
    }
    if scripts.is_empty() {
        eprintln!("no .wast files found");
        return ExitCode::from(2);
    }
    let report = run_scripts(&scripts);
    print!("{report}");
    if report.totals().failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
