//! Peer interpreters beside wasmi, each behind its cargo feature so the
//! default build stays quick: Stitch (`stitch`, makepad-stitch, pure Rust),
//! Wasm3 (`wasm3`, wasm3x, built from C), WAMR's fast interpreter (`wamr`,
//! wamrx, built from C with cmake), and Wasmtime 48 compiling to its Pulley
//! interpreter (`pulley`) or, as the JIT reference, to native code through
//! Cranelift (`cranelift`). Each runs a workload the way
//! `WasmiRun` does: instantiated once, the setup exports called, then one
//! export called repeatedly.

#![allow(dead_code)]

/// A peer's result as the workloads' reference type.
#[allow(unused_macros)]
macro_rules! value_of {
    ($val:ident, $v:expr) => {
        match $v {
            $val::I32(v) => Value::I32(v),
            $val::I64(v) => Value::I64(v),
            $val::F64(v) => Value::F64(f64::from(v).to_bits()),
            other => panic!("unexpected result {other:?}"),
        }
    };
}

/// A peer's value of the workload's result type, to call into.
#[allow(unused_macros)]
macro_rules! zero_of {
    ($val:ident, $w:expr) => {
        match $w.result_type() {
            Value::I32(_) => $val::I32(0),
            Value::I64(_) => $val::I64(0),
            Value::F64(_) => $val::F64(0.0),
        }
    };
}

#[cfg(feature = "stitch")]
pub mod stitch {
    use porta_bench::{Value, Workload};
    use makepad_stitch::{Engine, Func, Linker, Module, Store, Val};

    pub struct Run {
        store: Store,
        func: Func,
        arg: i32,
        results: [Val; 1],
    }

    impl Run {
        pub fn new(w: &Workload, bytes: &[u8]) -> Run {
            let engine = Engine::new();
            let module = Module::new(&engine, bytes).unwrap_or_else(|e| panic!("stitch: {}: {e:?}", w.file));
            let mut store = Store::new(engine);
            let instance = Linker::new().instantiate(&mut store, &module).unwrap_or_else(|e| panic!("stitch: {}: {e:?}", w.file));
            for (name, args) in w.setup {
                let f = instance.exported_func(name).unwrap_or_else(|| panic!("stitch: {}: no export {name}", w.file));
                let args: Vec<Val> = args.iter().map(|&a| Val::I32(a)).collect();
                f.call(&mut store, &args, &mut []).unwrap_or_else(|e| panic!("stitch: {}: {name}: {e:?}", w.file));
            }
            let func = instance.exported_func(w.export).unwrap_or_else(|| panic!("stitch: {}: no {}", w.file, w.export));
            let results = [zero_of!(Val, w)];
            Run { store, func, arg: w.arg, results }
        }

        #[inline]
        pub fn call(&mut self) -> Value {
            self.func.call(&mut self.store, &[Val::I32(self.arg)], &mut self.results).expect("stitch call");
            value_of!(Val, self.results[0])
        }
    }
}

#[cfg(feature = "wasm3")]
pub mod wasm3 {
    use porta_bench::{Value, Workload};
    use wasm3x::{CompilationMode, Config, Engine, Func, Linker, Module, Store, Val};

    pub struct Run {
        store: Store<()>,
        func: Func,
        args: [Val; 1],
        results: [Val; 1],
    }

    impl Run {
        pub fn new(w: &Workload, bytes: &[u8]) -> Run {
            let mut config = Config::new();
            config.compilation_mode(CompilationMode::Eager);
            let engine = Engine::new(&config);
            let module = Module::new(&engine, bytes).unwrap_or_else(|e| panic!("wasm3: {}: {e}", w.file));
            let mut store = Store::new(&engine, ());
            let instance = Linker::<()>::new(&engine)
                .instantiate_and_start(&mut store, &module)
                .unwrap_or_else(|e| panic!("wasm3: {}: {e}", w.file));
            for (name, args) in w.setup {
                let f = instance.get_func(&store, name).unwrap_or_else(|| panic!("wasm3: {}: no export {name}", w.file));
                let args: Vec<Val> = args.iter().map(|&a| Val::I32(a)).collect();
                f.call(&mut store, &args, &mut []).unwrap_or_else(|e| panic!("wasm3: {}: {name}: {e}", w.file));
            }
            let func = instance.get_func(&store, w.export).unwrap_or_else(|| panic!("wasm3: {}: no {}", w.file, w.export));
            let results = [zero_of!(Val, w)];
            Run { store, func, args: [Val::I32(w.arg)], results }
        }

        #[inline]
        pub fn call(&mut self) -> Value {
            self.func.call(&mut self.store, &self.args, &mut self.results).expect("wasm3 call");
            value_of!(Val, self.results[0])
        }
    }
}

#[cfg(feature = "wamr")]
pub mod wamr {
    use porta_bench::{Value, Workload};
    use wamrx::{Engine, Func, Instance, Linker, Module, Val};

    pub struct Run {
        // Declared before `instance`: dropped first, as it borrows it.
        func: Func<'static>,
        instance: Box<Instance>,
        _engine: Engine,
        args: [Val; 1],
        results: [Val; 1],
    }

    impl Run {
        pub fn new(w: &Workload, bytes: &[u8]) -> Run {
            let engine = Engine::new().unwrap_or_else(|e| panic!("wamr: {e}"));
            let module = Module::new(&engine, bytes).unwrap_or_else(|e| panic!("wamr: {}: {e}", w.file));
            let instance = Box::new(Linker::new(&engine).instantiate(module).unwrap_or_else(|e| panic!("wamr: {}: {e}", w.file)));
            for (name, args) in w.setup {
                let f = instance.get_func(name).unwrap_or_else(|e| panic!("wamr: {}: {name}: {e}", w.file));
                let args: Vec<Val> = args.iter().map(|&a| Val::I32(a)).collect();
                f.call(&args, &mut []).unwrap_or_else(|e| panic!("wamr: {}: {name}: {e}", w.file));
            }
            let func = instance.get_func(w.export).unwrap_or_else(|e| panic!("wamr: {}: {e}", w.file));
            // SAFETY: the instance is boxed (it never moves) and outlives
            // `func`, which is dropped first (field order).
            let func: Func<'static> = unsafe { std::mem::transmute(func) };
            let results = [zero_of!(Val, w)];
            Run { func, instance, _engine: engine, args: [Val::I32(w.arg)], results }
        }

        #[inline]
        pub fn call(&mut self) -> Value {
            self.func.call(&self.args, &mut self.results).expect("wamr call");
            value_of!(Val, self.results[0])
        }
    }
}

#[cfg(any(feature = "pulley", feature = "cranelift"))]
pub mod wasmtime_run {
    use porta_bench::{Value, Workload};
    use ::wasmtime::{Config, Engine, Func, Linker, Module, Store, Val};

    pub struct Run {
        store: Store<()>,
        func: Func,
        args: [Val; 1],
        results: [Val; 1],
    }

    impl Run {
        /// Compiled for the Pulley interpreter, or for this machine.
        pub fn new(w: &Workload, bytes: &[u8], pulley: bool) -> Run {
            let mut config = Config::new();
            if pulley {
                config.target("pulley64").expect("wasmtime built with Pulley");
            }
            let engine = Engine::new(&config).unwrap_or_else(|e| panic!("wasmtime: {e}"));
            let module = Module::new(&engine, bytes).unwrap_or_else(|e| panic!("wasmtime: {}: {e}", w.file));
            let mut store = Store::new(&engine, ());
            let instance = Linker::<()>::new(&engine)
                .instantiate(&mut store, &module)
                .unwrap_or_else(|e| panic!("wasmtime: {}: {e}", w.file));
            for (name, args) in w.setup {
                let f = instance.get_func(&mut store, name).unwrap_or_else(|| panic!("wasmtime: {}: no export {name}", w.file));
                let args: Vec<Val> = args.iter().map(|&a| Val::I32(a)).collect();
                f.call(&mut store, &args, &mut []).unwrap_or_else(|e| panic!("wasmtime: {}: {name}: {e}", w.file));
            }
            let func = instance.get_func(&mut store, w.export).unwrap_or_else(|| panic!("wasmtime: {}: no {}", w.file, w.export));
            let results = [match w.result_type() {
                Value::I32(_) => Val::I32(0),
                Value::I64(_) => Val::I64(0),
                Value::F64(_) => Val::F64(0),
            }];
            Run { store, func, args: [Val::I32(w.arg)], results }
        }

        #[inline]
        pub fn call(&mut self) -> Value {
            self.func.call(&mut self.store, &self.args, &mut self.results).expect("wasmtime call");
            match self.results[0] {
                Val::I32(v) => Value::I32(v),
                Val::I64(v) => Value::I64(v),
                Val::F64(bits) => Value::F64(bits),
                ref other => panic!("unexpected result {other:?}"),
            }
        }
    }
}
