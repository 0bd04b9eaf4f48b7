//! `porta inspect`: what a module imports, exports and needs, and its
//! manifest (secret-looking values redacted).

use crate::output::outln;
use crate::analysis::{self, Analysis};
use crate::cli::InspectArgs;
use crate::{exit, manifest};
use porta_interp::Engine;
use serde_json::{json, Value};

pub fn run(args: InspectArgs) -> u8 {
    if crate::snapshot::is_snapshot(&args.module) {
        return snapshot(&args);
    }
    let module = match super::load_module(&Engine::default(), &args.module) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("porta: {e}");
            return exit::REFUSED;
        }
    };
    let manifest = match manifest::find(&args.module, args.manifest.as_deref()) {
        Ok(m) => m.map(|(_, m)| {
            let mut v = serde_json::to_value(&m).expect("manifests serialize");
            redact(&mut v);
            v
        }),
        Err(e) => {
            eprintln!("porta: {e}");
            return exit::REFUSED;
        }
    };
    let a = analysis::analyze(&module);
    if args.json {
        let report = json!({ "module": args.module.display().to_string(), "analysis": a, "manifest": manifest });
        outln!("{}", serde_json::to_string_pretty(&report).expect("reports serialize"));
    } else {
        print_text(&args.module.display().to_string(), &a, manifest.as_ref());
    }
    0
}

fn print_text(name: &str, a: &Analysis, manifest: Option<&Value>) {
    outln!("{name}: {} functions, {} bytes of code", a.functions, a.code_bytes);
    let section = |title: &str, rows: Vec<String>| {
        outln!("{title} ({}):", rows.len());
        for r in rows {
            outln!("  {r}");
        }
    };
    section("imports", a.imports.iter().map(|i| format!("{}.{}: {}", i.module, i.name, i.ty)).collect());
    section("exports", a.exports.iter().map(|e| format!("{}: {}", e.name, e.ty)).collect());
    section("memories", a.memories.clone());
    section("tables", a.tables.clone());
    section("globals", a.globals.clone());
    section("custom sections", a.custom_sections.iter().map(|c| format!("{} ({} bytes)", c.name, c.bytes)).collect());
    outln!("proposals: {}", if a.proposals.is_empty() { "none (MVP)".into() } else { a.proposals.join(", ") });
    section("capabilities needed", a.capabilities_needed.clone());
    match manifest {
        Some(m) => outln!("manifest:\n{}", serde_json::to_string_pretty(m).expect("serializes")),
        None => outln!("manifest: none"),
    }
}

/// Hides values whose key names a secret (secret, token, password, key...).
fn redact(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                let k = k.to_ascii_lowercase();
                let secret = ["secret", "token", "password", "passwd", "apikey", "api_key", "credential", "private"]
                    .iter()
                    .any(|s| k.contains(s));
                if secret && !val.is_object() && !val.is_array() {
                    *val = Value::String("***".into());
                } else if secret {
                    redact_all(val);
                } else {
                    redact(val);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

fn redact_all(v: &mut Value) {
    match v {
        Value::Object(map) => map.values_mut().for_each(redact_all),
        Value::Array(items) => items.iter_mut().for_each(redact_all),
        other => *other = Value::String("***".into()),
    }
}

/// A snapshot: its module, where it stopped, its memories and descriptors,
/// and what a resume must give again.
fn snapshot(args: &InspectArgs) -> u8 {
    let loaded = match crate::snapshot::read(&args.module) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("porta: {e}");
            return exit::REFUSED;
        }
    };
    let (s, record, wasi) = (&loaded.snapshot, &loaded.record, &loaded.wasi);
    let (reason, memories) = match (s.reason(), s.memories()) {
        (Ok(r), Ok(m)) => (r, m),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("porta: {}: {e}", args.module.display());
            return exit::REFUSED;
        }
    };
    let reason = match reason {
        porta_interp::PauseReason::StepLimit => "step limit",
        porta_interp::PauseReason::Interrupted => "interrupted (timeout or SIGTERM)",
        porta_interp::PauseReason::HostCall => "a host call (prewarm)",
    };
    let sha = porta_interp::snapshot::hex(&s.module_sha256());
    let memory_rows: Vec<Value> = memories.iter().map(|(pages, written)| json!({ "pages": pages, "written_pages": written })).collect();
    let report = json!({
        "snapshot": args.module.display().to_string(),
        "format_version": porta_interp::snapshot::VERSION,
        "module": record.module.display().to_string(),
        "module_sha256": sha,
        "steps": s.steps(),
        "stopped_by": reason,
        "entry": record.entry,
        "in_initialize": record.in_initialize,
        "memories": memory_rows,
        "descriptors": wasi.describe(),
        "capabilities": wasi.capabilities().names(),
        "secrets_to_give_again": wasi.secret_keys(),
        "args": wasi.args(),
    });
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report).expect("reports serialize"));
        return 0;
    }
    outln!("{}: porta snapshot, format {}", args.module.display(), porta_interp::snapshot::VERSION);
    outln!("module: {} (sha256 {sha})", record.module.display());
    outln!("steps: {} (stopped by {reason}) in `{}`{}", s.steps(), record.entry, if record.in_initialize { ", inside _initialize" } else { "" });
    for (i, (pages, written)) in memories.iter().enumerate() {
        outln!("memory {i}: {pages} pages ({written} written)");
    }
    outln!("capabilities: {}", wasi.capabilities());
    outln!("descriptors ({}):", wasi.describe().len());
    for d in wasi.describe() {
        outln!("  {d}");
    }
    let secrets = wasi.secret_keys();
    if !secrets.is_empty() {
        outln!("secrets to give again with --secret: {}", secrets.join(", "));
    }
    0
}

#[cfg(test)]
mod tests {
    #[test]
    fn secret_values_are_redacted() {
        let mut v = serde_json::json!({
            "name": "a",
            "env": {"API_TOKEN": "abc", "HOME": "/x"},
            "secrets": {"db": "pw", "list": ["x"]},
            "tools": [{"name": "t", "password": 5}]
        });
        super::redact(&mut v);
        let s = v.to_string();
        for hidden in ["abc", "\"pw\"", "\"x\"", "5"] {
            assert!(!s.contains(hidden), "{hidden} leaked: {s}");
        }
        assert!(s.contains("/x") && s.contains("\"t\""));
    }
}
