//! Prints the translated code of every function of a module:
//! `cargo run --release -p porta-interp --example dump -- file.wat`;
//! with `PORTA_DUMP_NOCOUNT` set, as translated with step counting off.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: dump <file.wasm|file.wat>")?;
    let bytes = std::fs::read(&path)?;
    let mut config = porta_interp::Config::default();
    config.count_steps = std::env::var_os("PORTA_DUMP_NOCOUNT").is_none();
    let engine = porta_interp::Engine::new(config);
    let bytes = if path.ends_with(".wat") { wat::parse_bytes(&bytes)?.into_owned() } else { bytes };
    let module = porta_interp::Module::new(&engine, &bytes)?;
    for i in 0..module.decoded().bodies.len() as u32 {
        println!("func {i}:\n{}", module.dump_translation(i)?);
    }
    Ok(())
}
