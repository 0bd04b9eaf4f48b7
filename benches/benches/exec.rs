//! Time per call of each workload, measured in the same run on four
//! configurations:
//!
//! | id              | engine                                            |
//! | --------------- | ------------------------------------------------- |
//! | `porta`         | porta-interp, exact step counting on (default)    |
//! | `porta-nocount` | porta-interp, `count_steps: false`                |
//! | `wasmi`         | wasmi 2.0, eager translation, fuel off            |
//! | `wasmi-fuel`    | wasmi 2.0, eager translation, fuel on (huge tank) |
//!
//! With the features `stitch`, `wasm3`, `wamr`, `pulley` and `cranelift`,
//! Stitch, Wasm3, WAMR's fast interpreter, Wasmtime's Pulley interpreter
//! and Wasmtime's Cranelift JIT are measured beside them
//! (`common/peers.rs`).
//!
//! Each engine's result is checked against the reference before it is
//! measured. Criterion groups are named after the workloads, functions after
//! the engines: `target/criterion/<workload>/<engine>/new/estimates.json`.
//! Steps per call (porta) and fuel per call (wasmi) go to
//! `<facts>/exec.json` for the report.

mod common;

use common::peers;
use common::WasmiRun;
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use porta_bench::{wanted, wasm_bytes, workloads, write_facts, PortaRun};
use std::hint::black_box;
use std::time::Duration;

const ENGINES: [&str; 9] =
    ["porta", "porta-nocount", "wasmi", "wasmi-fuel", "stitch", "wasm3", "wamr", "pulley", "cranelift"];

fn exec(c: &mut Criterion) {
    let mut facts = serde_json::Map::new();
    for w in workloads() {
        if !wanted(ENGINES.iter().map(|e| format!("{}/{e}", w.name))) {
            continue;
        }
        let bytes = wasm_bytes(w.file);
        let mut porta = PortaRun::new(&w, &bytes, true);
        let mut porta_nocount = PortaRun::new(&w, &bytes, false);
        let mut wasmi = WasmiRun::new(&w, &bytes, false);
        let mut wasmi_fuel = WasmiRun::new(&w, &bytes, true);

        // Every engine must compute the reference result first.
        let expected = w.expected();
        let steps_before = porta.store.steps();
        assert_eq!(porta.call(), expected, "porta: wrong result for {}", w.name);
        let steps = porta.store.steps() - steps_before;
        assert_eq!(porta_nocount.call(), expected, "porta-nocount: wrong result for {}", w.name);
        assert_eq!(wasmi.call(), expected, "wasmi: wrong result for {}", w.name);
        let fuel_before = wasmi_fuel.fuel_used().unwrap_or(0);
        assert_eq!(wasmi_fuel.call(), expected, "wasmi-fuel: wrong result for {}", w.name);
        let fuel = wasmi_fuel.fuel_used().unwrap_or(0) - fuel_before;
        facts.insert(
            w.name.to_string(),
            serde_json::json!({ "arg": w.arg, "about": w.about, "steps": steps, "wasmi_fuel": fuel }),
        );

        let mut g = c.benchmark_group(w.name);
        // Calls take tens of milliseconds: few samples, one or a few calls each.
        g.sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_millis(400))
            .measurement_time(Duration::from_secs(1));
        g.bench_function("porta", |b| b.iter(|| black_box(porta.call())));
        g.bench_function("porta-nocount", |b| b.iter(|| black_box(porta_nocount.call())));
        g.bench_function("wasmi", |b| b.iter(|| black_box(wasmi.call())));
        g.bench_function("wasmi-fuel", |b| b.iter(|| black_box(wasmi_fuel.call())));
        // Neither peer runs SIMD: their columns stay empty for it.
        #[cfg(feature = "stitch")]
        if !w.simd {
            let mut stitch = peers::stitch::Run::new(&w, &bytes);
            assert_eq!(stitch.call(), expected, "stitch: wrong result for {}", w.name);
            g.bench_function("stitch", |b| b.iter(|| black_box(stitch.call())));
        }
        // Wasmtime runs SIMD too.
        #[cfg(feature = "pulley")]
        {
            let mut pulley = peers::wasmtime_run::Run::new(&w, &bytes, true);
            assert_eq!(pulley.call(), expected, "pulley: wrong result for {}", w.name);
            g.bench_function("pulley", |b| b.iter(|| black_box(pulley.call())));
        }
        #[cfg(feature = "cranelift")]
        {
            let mut cranelift = peers::wasmtime_run::Run::new(&w, &bytes, false);
            assert_eq!(cranelift.call(), expected, "cranelift: wrong result for {}", w.name);
            g.bench_function("cranelift", |b| b.iter(|| black_box(cranelift.call())));
        }
        #[cfg(feature = "wamr")]
        if !w.simd {
            let mut wamr = peers::wamr::Run::new(&w, &bytes);
            assert_eq!(wamr.call(), expected, "wamr: wrong result for {}", w.name);
            g.bench_function("wamr", |b| b.iter(|| black_box(wamr.call())));
        }
        #[cfg(feature = "wasm3")]
        if !w.simd {
            let mut wasm3 = peers::wasm3::Run::new(&w, &bytes);
            assert_eq!(wasm3.call(), expected, "wasm3: wrong result for {}", w.name);
            g.bench_function("wasm3", |b| b.iter(|| black_box(wasm3.call())));
        }
        g.finish();
    }
    write_facts("exec", &serde_json::Value::Object(facts));
}

criterion_group!(benches, exec);
criterion_main!(benches);
