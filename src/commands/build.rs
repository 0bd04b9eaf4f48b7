//! `porta build`: writes the manifest of a module: its exported functions as
//! tools, its WASI imports, and the smallest capability set that covers them.
//! Never overwrites the module, nor an existing manifest without `--force`;
//! the file appears whole or not at all.

use crate::output::outln;
use crate::cli::BuildArgs;
use crate::manifest::{self, Manifest, Tool};
use crate::exit;
use porta_interp::wasi::{self, Capabilities};
use porta_interp::{Engine, ExternType, Module, ValType};
use serde_json::json;
use std::path::Path;

pub fn run(args: BuildArgs) -> u8 {
    match build(&args) {
        Ok(path) => {
            outln!("wrote {}", path.display());
            0
        }
        Err(e) => {
            eprintln!("porta: {e}");
            exit::REFUSED
        }
    }
}

fn build(args: &BuildArgs) -> Result<std::path::PathBuf, String> {
    let module = super::load_module(&Engine::default(), &args.module)?;
    let out = args.output.clone().unwrap_or_else(|| manifest::beside(&args.module));
    if same_file(&out, &args.module) {
        return Err(format!("refusing to overwrite the module {} with its manifest", args.module.display()));
    }
    if out.exists() && !args.force {
        return Err(format!("{} exists; use --force to overwrite it", out.display()));
    }
    let name = args.module.file_stem().map_or("agent".into(), |s| s.to_string_lossy().into_owned());
    let m = manifest_for(&module, &name);
    super::write_whole(&out, m.to_json().as_bytes()).map_err(|e| super::io_error("write", &out, &e))?;
    Ok(out)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Exports that are plumbing, not tools.
fn is_tool(name: &str) -> bool {
    !name.starts_with('_')
        && !matches!(name, "malloc" | "free" | "calloc" | "realloc" | "cabi_realloc" | "memory")
        && !name.starts_with("cabi_")
}

pub fn manifest_for(module: &Module, name: &str) -> Manifest {
    let tools = module
        .exports()
        .filter_map(|(n, t)| match t {
            ExternType::Func(f) if is_tool(n) => Some(Tool {
                name: n.to_string(),
                description: format!("exported function {n}{f}"),
                input_schema: schema_for(f.params()),
                ..Tool::default()
            }),
            _ => None,
        })
        .collect();
    let wasi_imports: Vec<String> =
        module.imports().filter(|(m, _, _)| *m == wasi::MODULE).map(|(_, n, _)| n.to_string()).collect();
    Manifest {
        schema_version: manifest::SCHEMA_VERSION.into(),
        name: name.into(),
        version: "0.1.0".into(),
        capabilities: smallest_cover(&wasi_imports).names().iter().map(|s| s.to_string()).collect(),
        tools,
        wasi_imports,
        ..Manifest::default()
    }
}

fn schema_for(params: &[ValType]) -> serde_json::Value {
    let props: serde_json::Map<String, serde_json::Value> = params
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let ty = match t {
                ValType::I32 | ValType::I64 => "integer",
                ValType::F32 | ValType::F64 => "number",
                _ => "string",
            };
            (format!("arg{i}"), json!({ "type": ty }))
        })
        .collect();
    let required: Vec<String> = (0..params.len()).map(|i| format!("arg{i}")).collect();
    if params.is_empty() {
        manifest::empty_object_schema()
    } else {
        json!({ "type": "object", "properties": props, "required": required })
    }
}

/// The smallest capability set that covers the imports. Descriptor calls
/// (`fd_read`, `fd_write`, `poll_oneoff`...) could touch files or stdio; an
/// agent's are its stdio, so they count as needing `io`. Any other import
/// whose alternatives are not yet covered takes the first of them.
pub fn smallest_cover(imports: &[String]) -> Capabilities {
    let needs: Vec<Capabilities> = imports
        .iter()
        .filter_map(|n| Capabilities::for_wasi_import(n))
        .filter(|c| !c.is_empty())
        .map(|c| if c.contains(Capabilities::IO) { Capabilities::IO } else { c })
        .collect();
    let mut chosen = Capabilities::empty();
    for n in needs.iter().filter(|n| n.bits().count_ones() == 1) {
        chosen |= *n;
    }
    for n in needs {
        if !chosen.intersects(n) {
            chosen |= Capabilities::from_bits_truncate(1 << n.bits().trailing_zeros());
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_prefers_single_requirements_and_io() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let c = smallest_cover(&names(&["fd_write", "args_get", "proc_exit"]));
        assert_eq!(c.to_string(), "io,process");
        let c = smallest_cover(&names(&["fd_write", "path_open", "fd_read", "clock_time_get"]));
        assert_eq!(c.to_string(), "io,fs,clock");
        assert!(smallest_cover(&names(&["proc_exit", "fd_close"])).is_empty());
    }
}
