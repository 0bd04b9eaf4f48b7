//! `porta validate`: is the module valid WebAssembly, and is each of its WASI
//! imports allowed by the capability set? Exit 0 on pass, 1 on fail; a file
//! that cannot be read is an error (125), never a pass. File-system imports
//! that no mount makes reachable are reported as unused, not denied (see
//! `imports`).

use crate::cli::ValidateArgs;
use crate::imports::{self, Status};
use crate::output::outln;
use crate::{exit, manifest, profile, sandbox};
use porta_interp::wasi::Capabilities;
use porta_interp::Engine;
use serde_json::json;

pub fn run(args: ValidateArgs) -> u8 {
    if let Err(e) = std::fs::metadata(&args.module) {
        eprintln!("porta: {}", super::io_error("read", &args.module, &e));
        return exit::REFUSED;
    }
    let module = match super::load_module(&Engine::default(), &args.module) {
        Ok(m) => m,
        Err(e) => return verdict(&args, false, Err(&e), &[]),
    };
    let manifest = match manifest::find(&args.module, args.manifest.as_deref()) {
        Ok(m) => m.map(|(_, m)| m),
        Err(e) => return verdict(&args, false, Err(&e), &[]),
    };
    let (caps, mounts) = match capabilities(&args, manifest.as_ref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("porta: {e}");
            return exit::REFUSED;
        }
    };
    let rows: Vec<(String, Status)> = module
        .imports()
        .map(|(m, name, _)| (format!("{m}.{name}"), imports::check(m, name, caps, mounts)))
        .collect();
    let ok = rows.iter().all(|(_, s)| s.passes());
    verdict(&args, ok, Ok(&format!("valid WebAssembly; capabilities: {caps}")), &rows)
}

/// The effective set as `run` would compute it from the same flags, and
/// whether any mount exists.
fn capabilities(args: &ValidateArgs, manifest: Option<&manifest::Manifest>) -> Result<(Capabilities, bool), String> {
    let mounts = args
        .volumes
        .iter()
        .map(|v| sandbox::parse_volume(v).map(|(host, guest, ro)| (host, guest, !ro)))
        .collect::<Result<Vec<_>, _>>()?;
    let caps = profile::effective(args.profile.as_deref(), manifest, &args.allow, sandbox::mount_caps(&mounts))?;
    Ok((caps, !mounts.is_empty()))
}

/// Prints the report: what the module is, or why it could not be checked
/// (an error, which already names its file).
fn verdict(args: &ValidateArgs, ok: bool, summary: Result<&str, &str>, rows: &[(String, Status)]) -> u8 {
    let result = if ok { "PASS" } else { "FAIL" };
    let mut unused = Vec::new();
    let mut needs = Capabilities::empty();
    for (import, status) in rows {
        if let Status::Unused(c) = status {
            unused.push(import.split_once('.').map_or(import.as_str(), |(_, name)| name));
            needs |= *c;
        }
    }
    let note = (!unused.is_empty()).then(|| imports::unused_note(&unused, needs));
    if args.json {
        let imports: Vec<_> = rows
            .iter()
            .map(|(i, s)| json!({"import": i, "status": s.keyword(), "needs": s.needs(), "detail": s.to_string()}))
            .collect();
        let report = json!({
            "module": args.module.display().to_string(),
            "result": result,
            "detail": summary.unwrap_or_else(|e| e),
            "imports": imports,
            "note": note,
        });
        outln!("{}", serde_json::to_string_pretty(&report).expect("serializes"));
    } else {
        match summary {
            Ok(s) => outln!("{}: {s}", args.module.display()),
            Err(e) => outln!("{e}"),
        }
        for (i, s) in rows {
            outln!("  {i:<45} {s}");
        }
        if let Some(note) = note {
            outln!("{note}");
        }
        outln!("{result}");
    }
    if ok { 0 } else { 1 }
}
