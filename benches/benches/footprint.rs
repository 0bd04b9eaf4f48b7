//! Memory per instance: N instances of the CoreMark-like module, one store
//! each, kept alive together; porta-interp and wasmi 2.0 each measured in a
//! fresh child process. Two figures per engine and stage:
//!
//! - heap: bytes live in the global allocator (this binary counts them), so
//!   it includes each instance's whole linear memory (2 pages = 128 KiB) even
//!   where the OS has not committed it;
//! - RSS: growth of the resident set (`/proc/self/statm`), i.e. what the
//!   machine actually spent.
//!
//! Stages: `instantiated` (store + instance) and `after_call` (each instance
//! has also run `coremark(1)`, so stacks and touched memory are counted).
//! Not a criterion benchmark: it prints its figures and writes
//! `<facts>/footprint.json`.

mod common;

use porta_bench::{porta_config, wanted, wasm_bytes, write_facts};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Relaxed);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Relaxed);
            LIVE.fetch_add(new_size, Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const INSTANCES: usize = 1000;

fn rss() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: usize = statm.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    pages * 4096
}

#[derive(Clone, Copy)]
struct Mark {
    heap: usize,
    rss: usize,
}

fn mark() -> Mark {
    Mark { heap: LIVE.load(Relaxed), rss: rss() }
}

fn per_instance(from: Mark, to: Mark) -> serde_json::Value {
    let heap = to.heap.saturating_sub(from.heap) / INSTANCES;
    let rss = to.rss.saturating_sub(from.rss) / INSTANCES;
    serde_json::json!({ "heap_bytes": heap, "rss_bytes": rss })
}

fn porta(bytes: &[u8]) -> serde_json::Value {
    use porta_interp::{Engine, Linker, Module, Store, Val};
    let engine = Engine::new(porta_config(true));
    let module = Module::new(&engine, bytes).unwrap();
    let linker = Linker::<()>::new();
    let start = mark();
    let mut live = Vec::with_capacity(INSTANCES);
    for _ in 0..INSTANCES {
        let mut store = Store::new(&engine, ());
        let instance = linker.instantiate(&mut store, &module).unwrap();
        live.push((store, instance));
    }
    let instantiated = mark();
    for (store, instance) in &mut live {
        let f = instance.get_func(store, "coremark").unwrap();
        let mut r = [Val::I32(0)];
        f.call(store, &[Val::I32(1)], &mut r).unwrap();
        assert_eq!(r[0], Val::I32(0x915b));
    }
    let called = mark();
    drop(live);
    serde_json::json!({
        "instantiated": per_instance(start, instantiated),
        "after_call": per_instance(start, called),
    })
}

fn wasmi(bytes: &[u8]) -> serde_json::Value {
    use wasmi::{Engine, Linker, Module, Store, Val};
    let engine = Engine::new(&common::wasmi_config(false));
    let module = Module::new(&engine, bytes).unwrap();
    let linker = Linker::<()>::new(&engine);
    let start = mark();
    let mut live = Vec::with_capacity(INSTANCES);
    for _ in 0..INSTANCES {
        let mut store = Store::new(&engine, ());
        let instance = linker.instantiate_and_start(&mut store, &module).unwrap();
        live.push((store, instance));
    }
    let instantiated = mark();
    for (store, instance) in &mut live {
        let f = instance.get_func(&*store, "coremark").unwrap();
        let mut r = [Val::I32(0)];
        f.call(&mut *store, &[Val::I32(1)], &mut r).unwrap();
        assert!(matches!(r[0], Val::I32(0x915b)));
    }
    let called = mark();
    drop(live);
    serde_json::json!({
        "instantiated": per_instance(start, instantiated),
        "after_call": per_instance(start, called),
    })
}

fn main() {
    let bytes = wasm_bytes("coremark.wasm");
    // Child process: measure one engine, print its figures as JSON.
    if let Some(engine) = std::env::var_os("PORTA_FOOTPRINT_ENGINE") {
        let figures = if engine == "porta" { porta(&bytes) } else { wasmi(&bytes) };
        println!("{figures}");
        return;
    }
    // Honour a benchmark filter the way the criterion benches do.
    if !wanted(["footprint".to_string()]) {
        return;
    }
    // Each engine in a fresh process, so neither inherits the other's freed
    // heap (which would hide its page faults from the RSS figure).
    let exe = std::env::current_exe().expect("own path");
    let measure = |engine: &str| -> serde_json::Value {
        let out = std::process::Command::new(&exe)
            .env("PORTA_FOOTPRINT_ENGINE", engine)
            .output()
            .expect("run footprint child");
        assert!(out.status.success(), "{engine}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("child prints JSON")
    };
    let facts = serde_json::json!({
        "instances": INSTANCES,
        "module": "coremark.wasm",
        "porta": measure("porta"),
        "wasmi": measure("wasmi"),
    });
    println!("footprint (bytes per instance, {INSTANCES} instances of coremark.wasm, one store each):");
    for engine in ["porta", "wasmi"] {
        for stage in ["instantiated", "after_call"] {
            let f = &facts[engine][stage];
            println!("  {engine:6} {stage:13} heap {:>8}  rss {:>8}", f["heap_bytes"], f["rss_bytes"]);
        }
    }
    write_facts("footprint", &facts);
}
