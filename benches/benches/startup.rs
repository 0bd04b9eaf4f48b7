//! Start-up costs, porta-interp and wasmi 2.0 side by side:
//!
//! - `compile_small`, `compile_cpython`: `Module::new` on the CoreMark-like
//!   module (5 KB) and on CPython 3.12 (26 MB): decode + validate, plus
//!   translation of every function in the eager modes. Ids: `porta-eager`
//!   (`eager_translation: true`), `porta-lazy` (the default: translation on
//!   first call), `wasmi-eager` (`CompilationMode::Eager`), `wasmi-lazy`
//!   (wasmi's default `LazyTranslation`: validates eagerly).
//! - `instantiate_small`, `instantiate_cpython`: a new store and an
//!   instance of an already compiled module (CPython's WASI imports: porta's
//!   real WASI for porta, do-nothing stubs for wasmi — nothing runs).
//!
//! Module sizes go to `<facts>/startup.json` so the report can give MB/s.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use porta_bench::{cpython_wasm, porta_config, wanted, wasm_bytes, write_facts};
use porta_interp::wasi::{self, Capabilities, WasiCtx};
use std::time::Duration;

fn porta_engine(eager: bool) -> porta_interp::Engine {
    porta_interp::Engine::new(porta_interp::Config { eager_translation: eager, ..porta_config(true) })
}

fn wasmi_engine(eager: bool) -> wasmi::Engine {
    let mut config = common::wasmi_config(false);
    if !eager {
        config.compilation_mode(wasmi::CompilationMode::LazyTranslation);
    }
    wasmi::Engine::new(&config)
}

/// A wasmi linker defining every import of `module` as a host function that
/// does nothing (enough to instantiate; never called).
fn wasmi_stub_linker(engine: &wasmi::Engine, module: &wasmi::Module) -> wasmi::Linker<()> {
    let mut linker = wasmi::Linker::new(engine);
    for import in module.imports() {
        if let wasmi::ExternType::Func(ty) = import.ty() {
            linker
                .func_new(import.module(), import.name(), ty.clone(), |_, _, _| Ok(()))
                .expect("define stub");
        }
    }
    linker
}

/// Whether any benchmark of `group` (engine ids `engines`) is selected.
fn group_wanted(group: &str, engines: &[&str]) -> bool {
    wanted(engines.iter().map(|e| format!("{group}/{e}")))
}

const COMPILERS: [&str; 4] = ["porta-eager", "wasmi-eager", "porta-lazy", "wasmi-lazy"];

fn startup(c: &mut Criterion) {
    let small = wasm_bytes("coremark.wasm");
    let need_cpython = group_wanted("compile_cpython", &COMPILERS)
        || group_wanted("instantiate_cpython", &["porta", "wasmi"]);
    let cpython = if need_cpython { std::fs::read(cpython_wasm()).expect("read CPython") } else { Vec::new() };
    let mut sizes = serde_json::json!({ "small_bytes": small.len() });
    if need_cpython {
        sizes["cpython_bytes"] = cpython.len().into();
    }
    write_facts("startup", &sizes);

    for (label, bytes, secs) in [("small", &small, 1), ("cpython", &cpython, 4)] {
        if !group_wanted(&format!("compile_{label}"), &COMPILERS) {
            continue;
        }
        let mut g = c.benchmark_group(format!("compile_{label}"));
        g.sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(secs))
            .throughput(Throughput::Bytes(bytes.len() as u64));
        for eager in [true, false] {
            let mode = if eager { "eager" } else { "lazy" };
            let engine = porta_engine(eager);
            g.bench_function(format!("porta-{mode}"), |b| {
                b.iter_with_large_drop(|| porta_interp::Module::new(&engine, bytes).expect("porta compiles"))
            });
            let engine = wasmi_engine(eager);
            g.bench_function(format!("wasmi-{mode}"), |b| {
                b.iter_with_large_drop(|| wasmi::Module::new(&engine, bytes).expect("wasmi compiles"))
            });
        }
        g.finish();
    }

    // Instantiation of compiled modules.
    if group_wanted("instantiate_small", &["porta", "wasmi"]) {
        instantiate_small(c, &small);
    }
    if group_wanted("instantiate_cpython", &["porta", "wasmi"]) {
        instantiate_cpython(c, &cpython);
    }
}

fn instantiate_small(c: &mut Criterion, small: &[u8]) {
    let mut g = c.benchmark_group("instantiate_small");
    g.sample_size(20).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(1));
    let engine = porta_engine(true);
    let module = porta_interp::Module::new(&engine, small).unwrap();
    let linker = porta_interp::Linker::<()>::new();
    g.bench_function("porta", |b| {
        b.iter_with_large_drop(|| {
            let mut store = porta_interp::Store::new(&engine, ());
            linker.instantiate(&mut store, &module).expect("porta instantiates");
            store
        })
    });
    let engine = wasmi_engine(true);
    let module = wasmi::Module::new(&engine, small).unwrap();
    let linker = wasmi::Linker::<()>::new(&engine);
    g.bench_function("wasmi", |b| {
        b.iter_with_large_drop(|| {
            let mut store = wasmi::Store::new(&engine, ());
            linker.instantiate_and_start(&mut store, &module).expect("wasmi instantiates");
            store
        })
    });
    g.finish();
}

fn instantiate_cpython(c: &mut Criterion, cpython: &[u8]) {
    let mut g = c.benchmark_group("instantiate_cpython");
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    let engine = porta_engine(false);
    let module = porta_interp::Module::new(&engine, cpython).unwrap();
    let mut linker = porta_interp::Linker::<WasiCtx>::new();
    wasi::add_to_linker(&mut linker);
    g.bench_function("porta", |b| {
        b.iter_with_large_drop(|| {
            let ctx = WasiCtx::builder().capabilities(Capabilities::all()).args(["python"]).build();
            let mut store = porta_interp::Store::new(&engine, ctx);
            linker.instantiate(&mut store, &module).expect("porta instantiates CPython");
            store
        })
    });
    let engine = wasmi_engine(false);
    let module = wasmi::Module::new(&engine, cpython).unwrap();
    let linker = wasmi_stub_linker(&engine, &module);
    g.bench_function("wasmi", |b| {
        b.iter_with_large_drop(|| {
            let mut store = wasmi::Store::new(&engine, ());
            linker.instantiate_and_start(&mut store, &module).expect("wasmi instantiates CPython");
            store
        })
    });
    g.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
