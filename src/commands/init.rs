//! `porta init [wasm|native] TARGET [-- ARGS]`: writes a commented
//! `porta.toml` for a module or a command. An existing file is kept unless
//! `--force`; the new file appears whole or not at all.

use crate::cli::InitArgs;
use crate::project::{self, Kind};
use crate::exit;
use std::path::Path;

pub fn run(args: InitArgs) -> u8 {
    match init(&args) {
        Ok(kind) => {
            let what = if kind == Kind::Wasm { "module" } else { "command" };
            eprintln!("porta: wrote {} for the {what}; run it with `porta up`", args.file.display());
            0
        }
        Err(e) => {
            eprintln!("porta: {e}");
            exit::REFUSED
        }
    }
}

fn init(args: &InitArgs) -> Result<Kind, String> {
    let (kind, target) = match args.target.as_slice() {
        [k, t] => match k.as_str() {
            "wasm" => (Kind::Wasm, t),
            "native" => (Kind::Native, t),
            other => return Err(format!("unknown kind `{other}`: use `porta init wasm FILE` or `porta init native COMMAND`")),
        },
        [t] if t == "wasm" || t == "native" => return Err(format!("`porta init {t}` needs a target: porta init {t} {}", if t == "wasm" { "FILE.wasm" } else { "COMMAND" })),
        [t] => (if crate::native::is_native(Path::new(t)) { Kind::Native } else { Kind::Wasm }, t),
        _ => unreachable!("clap takes one or two"),
    };
    // Paths in the file are relative to its directory, as `up` reads them.
    let dir = args.file.parent().unwrap_or(Path::new(""));
    if kind == Kind::Wasm && !dir.join(target).is_file() {
        let from = if dir.as_os_str().is_empty() { String::new() } else { format!(" in {}", dir.display()) };
        return Err(format!("{target} does not exist{from}: give the module's path relative to the project file"));
    }
    let text = project::template(kind, target, &args.args);
    // What init writes, up must read.
    project::parse(&text).map_err(|e| format!("internal: the written file does not parse{e}"))?;
    if args.file.exists() && !args.force {
        return Err(format!("{} exists; keep it, or overwrite it with --force", args.file.display()));
    }
    crate::commands::write_whole(&args.file, text.as_bytes()).map_err(|e| super::io_error("write", &args.file, &e))?;
    Ok(kind)
}
