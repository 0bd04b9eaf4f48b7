//! CPython 3.12 (wasm32-wasip1) under porta-interp, as `porta run` runs it:
//! the default engine (lazy translation, steps counted), WASI with every
//! capability. Each iteration is a fresh store and instance of a module
//! compiled once, then `_start`:
//!
//! - `cpython/pass`: `python -c pass` (interpreter start-up and shutdown);
//! - `cpython/fib`: a CPU-bound script, pure-Python `fib(22)`.
//!
//! Output and exit status are checked first; steps per run go to
//! `<facts>/cpython.json`. (wasmi is not measured here: its WASI crate
//! pulls in wasmtime's wasi-common.)

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use porta_bench::{cpython_wasm, wanted, write_facts};
use porta_interp::wasi::{self, Capabilities, WasiCtx};
use porta_interp::{Engine, Error, Linker, Module, Store, Trap};
use std::time::Duration;

const FIB: &str = "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nprint(fib(22))\n";

struct Python {
    engine: Engine,
    module: Module,
    linker: Linker<WasiCtx>,
}

impl Python {
    /// Runs `python ARGS...`; returns stdout and the steps executed.
    fn run(&self, args: &[&str]) -> (String, u64) {
        let argv = std::iter::once("python").chain(args.iter().copied());
        let (builder, stdout) =
            WasiCtx::builder().capabilities(Capabilities::all()).args(argv).capture_stdout(1 << 20);
        let mut store = Store::new(&self.engine, builder.build());
        let instance = self.linker.instantiate(&mut store, &self.module).expect("instantiate CPython");
        let start = instance.get_func(&store, "_start").expect("_start");
        match start.call(&mut store, &[], &mut []) {
            Ok(()) | Err(Error::Trap(Trap::Exit(0))) => {}
            Err(e) => panic!("python {args:?}: {e}"),
        }
        (String::from_utf8_lossy(&stdout.contents()).into_owned(), store.steps())
    }
}

fn cpython(c: &mut Criterion) {
    if !wanted(["cpython/pass".to_string(), "cpython/fib".to_string()]) {
        return;
    }
    let bytes = std::fs::read(cpython_wasm()).expect("read CPython");
    let engine = Engine::default();
    let module = Module::new(&engine, &bytes).expect("compile CPython");
    let mut linker = Linker::new();
    wasi::add_to_linker(&mut linker);
    let py = Python { engine, module, linker };

    let (out, pass_steps) = py.run(&["-c", "pass"]);
    assert_eq!(out, "");
    let (out, fib_steps) = py.run(&["-c", FIB]);
    assert_eq!(out, "17711\n");
    write_facts("cpython", &serde_json::json!({ "pass_steps": pass_steps, "fib_steps": fib_steps }));

    let mut g = c.benchmark_group("cpython");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    g.bench_function("pass", |b| b.iter(|| py.run(&["-c", "pass"])));
    g.bench_function("fib", |b| b.iter(|| py.run(&["-c", FIB])));
    g.finish();
}

criterion_group!(benches, cpython);
criterion_main!(benches);
