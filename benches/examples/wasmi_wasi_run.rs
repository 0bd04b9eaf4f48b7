//! Runs a WASI command on wasmi 2.0 with `wasmi_wasi`, as a user of wasmi
//! would (default lazy translation, fuel off): the wasmi side of the
//! real-program group of `benches/programs.rs`.
//!
//! `wasmi_wasi_run [--dir HOST::GUEST]... file.wasm [ARGS...]`

use wasmi_wasi::sync::{ambient_authority, Dir};
use wasmi_wasi::WasiCtx;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut dirs = Vec::new();
    while args.first().map(String::as_str) == Some("--dir") {
        let spec = args.get(1).ok_or("--dir HOST::GUEST")?.clone();
        let (host, guest) = spec.split_once("::").ok_or("--dir HOST::GUEST")?;
        dirs.push((host.to_string(), guest.to_string()));
        args.drain(..2);
    }
    let path = args.first().ok_or("usage: wasmi_wasi_run [--dir HOST::GUEST]... file.wasm [ARGS...]")?.clone();
    let engine = wasmi::Engine::default();
    let module = wasmi::Module::new(&engine, &std::fs::read(&path)?[..])?;
    let mut builder = wasmi_wasi::WasiCtxBuilder::new();
    builder.inherit_stdio().args(&args)?;
    for (host, guest) in &dirs {
        builder.preopened_dir(Dir::open_ambient_dir(host, ambient_authority())?, guest)?;
    }
    let mut store = wasmi::Store::new(&engine, builder.build());
    let mut linker = wasmi::Linker::<WasiCtx>::new(&engine);
    wasmi_wasi::add_to_linker(&mut linker, |ctx| ctx)?;
    let instance = linker.instantiate_and_start(&mut store, &module)?;
    let start = instance.get_typed_func::<(), ()>(&store, "_start")?;
    match start.call(&mut store, ()) {
        Ok(()) => Ok(()),
        Err(e) => match e.i32_exit_status() {
            Some(code) => std::process::exit(code),
            None => Err(e.into()),
        },
    }
}
