//! The wasmi 2.0 side of the benchmarks (wasmi is a dev-dependency, so it
//! lives here rather than in the library).

#![allow(dead_code)]

pub mod peers;

use porta_bench::{Value, Workload};
use wasmi::{CompilationMode, Config, Engine, Func, Linker, Module, Store, Val};

/// Fuel given to a store with metering on: enough for any run, so fuel
/// never runs out but is still checked on every block.
pub const FUEL: u64 = 1 << 60;

/// wasmi's configuration: eager translation (steady-state code, like
/// porta's eager mode), fuel metering on or off.
pub fn wasmi_config(fuel: bool) -> Config {
    let mut config = Config::default();
    config.compilation_mode(CompilationMode::Eager);
    config.consume_fuel(fuel);
    config
}

/// A workload instantiated in wasmi, ready to be called repeatedly.
pub struct WasmiRun {
    pub store: Store<()>,
    func: Func,
    args: [Val; 1],
    results: [Val; 1],
    fuel: bool,
}

impl WasmiRun {
    pub fn new(w: &Workload, bytes: &[u8], fuel: bool) -> WasmiRun {
        let engine = Engine::new(&wasmi_config(fuel));
        let module = Module::new(&engine, bytes).unwrap_or_else(|e| panic!("{}: {e}", w.file));
        let mut store = Store::new(&engine, ());
        if fuel {
            store.set_fuel(FUEL).expect("fuel metering is on");
        }
        let instance = Linker::<()>::new(&engine)
            .instantiate_and_start(&mut store, &module)
            .unwrap_or_else(|e| panic!("{}: {e}", w.file));
        for (name, args) in w.setup {
            let f = instance.get_func(&store, name).unwrap_or_else(|| panic!("{}: no export {name}", w.file));
            let args: Vec<Val> = args.iter().map(|&a| Val::I32(a)).collect();
            f.call(&mut store, &args, &mut []).unwrap_or_else(|e| panic!("{}: {name}: {e}", w.file));
        }
        let func = instance.get_func(&store, w.export).unwrap_or_else(|| panic!("{}: no export {}", w.file, w.export));
        let results = [match w.result_type() {
            Value::I32(_) => Val::I32(0),
            Value::I64(_) => Val::I64(0),
            Value::F64(_) => Val::F64(0f64.into()),
        }];
        WasmiRun { store, func, args: [Val::I32(w.arg)], results, fuel }
    }

    /// One call of the workload.
    #[inline]
    pub fn call(&mut self) -> Value {
        self.func.call(&mut self.store, &self.args, &mut self.results).expect("wasmi call");
        match &self.results[0] {
            Val::I32(v) => Value::I32(*v),
            Val::I64(v) => Value::I64(*v),
            Val::F64(v) => Value::F64(v.to_bits()),
            other => panic!("unexpected result {other:?}"),
        }
    }

    /// Fuel consumed so far (metering on), for the record.
    pub fn fuel_used(&self) -> Option<u64> {
        if self.fuel {
            self.store.get_fuel().ok().map(|left| FUEL - left)
        } else {
            None
        }
    }
}
