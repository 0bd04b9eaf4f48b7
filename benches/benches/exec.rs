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

use common::WasmiRun;
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use porta_bench::{wanted, wasm_bytes, workloads, write_facts, PortaRun};
use std::hint::black_box;
use std::time::Duration;

const ENGINES: [&str; 9] =
    ["porta", "porta-nocount", "wasmi", "wasmi-fuel", "stitch", "wasm3", "wamr", "pulley", "cranelift"];

/// Measures a peer, when its feature is on and `when` holds, after
/// checking its result.
macro_rules! peer {
    ($g:ident, $w:ident, $expected:ident, $name:literal, $when:expr, $run:expr) => {
        #[cfg(feature = $name)]
        if $when {
            let mut run = $run;
            assert_eq!(run.call(), $expected, concat!($name, ": wrong result for {}"), $w.name);
            $g.bench_function($name, |b| b.iter(|| black_box(run.call())));
        }
    };
}

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
        // porta and wasmi, each with and without metering, in the order
        // A B C D here and D C B A after the peers (ids ending in `-2`):
        // the report takes the geometric mean of the two, so that a drift
        // of the machine's speed over the group, or a cost to whichever
        // runs first, weighs on all four alike.
        g.bench_function("porta", |b| b.iter(|| black_box(porta.call())));
        g.bench_function("porta-nocount", |b| b.iter(|| black_box(porta_nocount.call())));
        g.bench_function("wasmi", |b| b.iter(|| black_box(wasmi.call())));
        g.bench_function("wasmi-fuel", |b| b.iter(|| black_box(wasmi_fuel.call())));
        // Stitch, WAMR and Wasm3 do not run SIMD: their cells stay empty.
        peer!(g, w, expected, "stitch", !w.simd, common::peers::stitch::Run::new(&w, &bytes));
        peer!(g, w, expected, "wamr", !w.simd, common::peers::wamr::Run::new(&w, &bytes));
        peer!(g, w, expected, "wasm3", !w.simd, common::peers::wasm3::Run::new(&w, &bytes));
        peer!(g, w, expected, "pulley", true, common::peers::wasmtime_run::Run::new(&w, &bytes, true));
        peer!(g, w, expected, "cranelift", true, common::peers::wasmtime_run::Run::new(&w, &bytes, false));
        g.bench_function("wasmi-fuel-2", |b| b.iter(|| black_box(wasmi_fuel.call())));
        g.bench_function("wasmi-2", |b| b.iter(|| black_box(wasmi.call())));
        g.bench_function("porta-nocount-2", |b| b.iter(|| black_box(porta_nocount.call())));
        g.bench_function("porta-2", |b| b.iter(|| black_box(porta.call())));
        g.finish();
    }
    write_facts("exec", &serde_json::Value::Object(facts));
}

criterion_group!(benches, exec);
criterion_main!(benches);
