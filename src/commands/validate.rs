//! `porta validate`: is the module valid WebAssembly, and is each of its WASI
//! imports allowed by the capability set? Exit 0 on pass, 1 on fail; a file
//! that cannot be read is an error (125), never a pass.

use crate::output::outln;
use crate::cli::ValidateArgs;
use crate::{exit, manifest, profile};
use porta_interp::wasi::{self, Capabilities};
use porta_interp::Engine;
use serde_json::json;

pub fn run(args: ValidateArgs) -> u8 {
    if let Err(e) = std::fs::metadata(&args.module) {
        eprintln!("porta: cannot read {}: {e}", args.module.display());
        return exit::REFUSED;
    }
    let module = match super::load_module(&Engine::default(), &args.module) {
        Ok(m) => m,
        Err(e) => return verdict(&args, false, &e, &[]),
    };
    let manifest = match manifest::find(&args.module, args.manifest.as_deref()) {
        Ok(m) => m.map(|(_, m)| m),
        Err(e) => return verdict(&args, false, &e, &[]),
    };
    let caps = match profile::effective(args.profile.as_deref(), manifest.as_ref(), &args.allow, Capabilities::empty()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("porta: {e}");
            return exit::REFUSED;
        }
    };
    let mut rows = Vec::new();
    let mut ok = true;
    for (m, name, _) in module.imports() {
        let status = if m != wasi::MODULE {
            "NOT PROVIDED (porta links only wasi_snapshot_preview1)".to_string()
        } else {
            match Capabilities::for_wasi_import(name) {
                None => "NOT PROVIDED (not a WASI preview 1 function)".to_string(),
                Some(needs) if caps.allows(needs) => "ok".to_string(),
                Some(needs) => format!("DENIED (needs {})", needs.names().join(" or ")),
            }
        };
        ok &= status == "ok";
        rows.push((format!("{m}.{name}"), status));
    }
    let summary = format!("valid WebAssembly; capabilities: {caps}");
    verdict(&args, ok, &summary, &rows)
}

fn verdict(args: &ValidateArgs, ok: bool, summary: &str, rows: &[(String, String)]) -> u8 {
    let result = if ok { "PASS" } else { "FAIL" };
    if args.json {
        let imports: Vec<_> = rows.iter().map(|(i, s)| json!({"import": i, "status": s})).collect();
        let report = json!({"module": args.module.display().to_string(), "result": result, "detail": summary, "imports": imports});
        outln!("{}", serde_json::to_string_pretty(&report).expect("serializes"));
    } else {
        outln!("{}: {summary}", args.module.display());
        for (i, s) in rows {
            outln!("  {i:<45} {s}");
        }
        outln!("{result}");
    }
    if ok { 0 } else { 1 }
}
