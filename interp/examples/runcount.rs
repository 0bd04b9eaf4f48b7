fn main() {
    let a: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&a[1]).unwrap();
    let mut config = porta_interp::Config::default();
    config.count_steps = std::env::var_os("NOCOUNT").is_none();
    let engine = porta_interp::Engine::new(config);
    let module = porta_interp::Module::new(&engine, &bytes).unwrap();
    let mut store = porta_interp::Store::new(&engine, ());
    let inst = porta_interp::Linker::new().instantiate(&mut store, &module).unwrap();
    let f = inst.get_func(&store, &a[2]).unwrap();
    let mut out = [porta_interp::Val::I32(0)];
    f.call(&mut store, &[porta_interp::Val::I32(a[3].parse().unwrap())], &mut out).unwrap();
    println!("{:?}", out);
}
