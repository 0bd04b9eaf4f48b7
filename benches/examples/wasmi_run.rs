//! Runs one export of a module on wasmi 2.0 (eager translation, fuel off,
//! as the `exec` bench does) with i32 arguments, and prints its results:
//! the wasmi side of `benches/icount.sh`.
//!
//! `cargo run --release -p porta-bench --features wasmi-run --example wasmi_run -- file.wasm export [i32 ...]`
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [path, export, params @ ..] = args.as_slice() else {
        return Err("usage: wasmi_run <file.wasm> <export> [i32 ...]".into());
    };
    let mut config = wasmi::Config::default();
    config.compilation_mode(wasmi::CompilationMode::Eager);
    let engine = wasmi::Engine::new(&config);
    let module = wasmi::Module::new(&engine, &std::fs::read(path)?[..])?;
    let mut store = wasmi::Store::new(&engine, ());
    let instance = wasmi::Linker::<()>::new(&engine).instantiate_and_start(&mut store, &module)?;
    let func = instance.get_func(&store, export).ok_or("no such export")?;
    let params: Vec<wasmi::Val> = params.iter().map(|p| p.parse().map(wasmi::Val::I32)).collect::<Result<_, _>>()?;
    let mut results: Vec<wasmi::Val> = func.ty(&store).results().iter().map(|t| wasmi::Val::default_for_ty(*t)).collect();
    func.call(&mut store, &params, &mut results)?;
    println!("{results:?}");
    Ok(())
}
