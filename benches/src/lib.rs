//! Workloads of porta's benchmarks, their reference results, and the
//! porta-interp side of running them.
//!
//! Every workload is a module in `workloads/` (WebAssembly text assembled at
//! bench start, or `coremark.wasm` built from C by `workloads/build.sh`)
//! with one exported function taking one `i32`. Each has a reference result
//! computed here in Rust (or, for CoreMark, by a native build of the same C),
//! and every engine must return it before it is measured.
//!
//! The wasmi side lives in `benches/common/mod.rs`: wasmi is a
//! dev-dependency, so that the library stays light.

use porta_interp::{Config, Engine, Func, Linker, Module, Store, Val};
use std::path::PathBuf;

/// A result, independent of any engine's value type (floats as bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    I32(i32),
    I64(i64),
    F64(u64),
}

impl Workload {
    /// The result every engine must return (computed on each call: some
    /// references take a moment, so only benches that run the workload ask).
    pub fn expected(&self) -> Value {
        (self.reference)(self.arg)
    }

    /// A value of the result's type (the reference at 0, which is instant).
    pub fn result_type(&self) -> Value {
        (self.reference)(0)
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Value::I32(v) => write!(f, "{v}_i32"),
            Value::I64(v) => write!(f, "{v}_i64"),
            Value::F64(v) => write!(f, "{}_f64", f64::from_bits(v)),
        }
    }
}

/// One benchmark workload.
pub struct Workload {
    /// The criterion group name.
    pub name: &'static str,
    /// File under `workloads/`: `.wat` (assembled here) or `.wasm`.
    pub file: &'static str,
    /// The measured export.
    pub export: &'static str,
    /// Its argument.
    pub arg: i32,
    /// Exports called once after instantiation, before measuring (with
    /// their `i32` arguments and no results).
    pub setup: &'static [(&'static str, &'static [i32])],
    /// Computes the expected result of `export(arg)` (natively, in Rust).
    pub reference: fn(i32) -> Value,
    /// What the workload does, for the report.
    pub about: &'static str,
    /// Whether it is SIMD code: reported on its own, outside the geomean
    /// of the scalar workloads.
    pub simd: bool,
}

/// `crc32` checksums this many bytes...
const CRC_LEN: i32 = 4 << 20;
/// ...filled by xorshift32 from this seed.
const CRC_SEED: i32 = 0x1234_5678;

/// CoreMark-like iterations per call, and the result the native build of
/// `coremark.c` gives for them (`COREMARK_ITERATIONS=N workloads/build.sh`).
const COREMARK_ITERATIONS: i32 = 50;
const COREMARK_EXPECT: u32 = 0x0000_9490;

/// The workloads, sized so that one call takes 20–200 ms on porta.
pub fn workloads() -> Vec<Workload> {
    let fib_n = 28;
    let loop_n = 6_000_000;
    let sieve_n = 2_000_000;
    let matmul_n = 160;
    let calls_n = 1_500_000;
    vec![
        Workload {
            name: "fib",
            file: "fib.wat",
            export: "fib",
            arg: fib_n,
            setup: &[],
            reference: |n| Value::I32(fib(n)),
            about: "recursive fib(n): calls and returns",
            simd: false,
        },
        Workload {
            name: "loop_sum",
            file: "loop_sum.wat",
            export: "loop_sum",
            arg: loop_n,
            setup: &[],
            reference: |n| Value::I64(loop_sum(n)),
            about: "tight i64 loop over locals",
            simd: false,
        },
        Workload {
            name: "sieve",
            file: "sieve.wat",
            export: "sieve",
            arg: sieve_n,
            setup: &[],
            reference: |n| Value::I32(sieve(n)),
            about: "sieve of Eratosthenes, byte loads/stores",
            simd: false,
        },
        Workload {
            name: "matmul",
            file: "matmul.wat",
            export: "matmul",
            arg: matmul_n,
            setup: &[],
            reference: |n| Value::F64(matmul(n).to_bits()),
            about: "f64 matrix multiply, i-k-j",
            simd: false,
        },
        Workload {
            name: "crc32",
            file: "crc32.wat",
            export: "crc32",
            arg: CRC_LEN,
            setup: &[("init", &[]), ("fill", &[CRC_LEN, CRC_SEED])],
            reference: |n| Value::I32(crc32(&xorshift_bytes(n as usize, CRC_SEED as u32)) as i32),
            about: "table-driven CRC-32 over 4 MiB",
            simd: false,
        },
        Workload {
            name: "calls",
            file: "calls.wat",
            export: "calls",
            arg: calls_n,
            setup: &[],
            reference: |n| Value::I32(calls(n)),
            about: "small direct calls and call_indirect",
            simd: false,
        },
        Workload {
            name: "coremark",
            file: "coremark.wasm",
            export: "coremark",
            arg: COREMARK_ITERATIONS,
            setup: &[],
            reference: |_| Value::I32(COREMARK_EXPECT as i32),
            about: "CoreMark-like C (lists, matrix, state machine, CRC)",
            simd: false,
        },
        Workload {
            name: "simd_dot",
            file: "simd_dot.wat",
            export: "simd_dot",
            arg: SIMD_DOT_REPS,
            setup: &[("fill", &[SIMD_DOT_LEN])],
            reference: |n| Value::I32(simd_dot(n)),
            about: "SIMD i16 dot products, i32x4 and f32x4 accumulators",
            simd: true,
        },
    ]
}

/// Elements of each vector of `simd_dot`...
const SIMD_DOT_LEN: i32 = 4096;
/// ...and passes over them.
const SIMD_DOT_REPS: i32 = 4000;

/// `simd_dot` natively: four lanes, each summing the products of its two
/// adjacent i16 pairs per 8-element chunk, in the module's order.
pub fn simd_dot(reps: i32) -> i32 {
    let n = SIMD_DOT_LEN as usize;
    let a: Vec<i32> = (0..n).map(|i| (i * 7 % 201) as i32 - 100).collect();
    let b: Vec<i32> = (0..n).map(|i| (i * 13 % 211) as i32 - 105).collect();
    let (mut iacc, mut facc) = ([0i32; 4], [0f32; 4]);
    for _ in 0..reps {
        for chunk in 0..n / 8 {
            for lane in 0..4 {
                let k = chunk * 8 + lane * 2;
                let d = a[k].wrapping_mul(b[k]).wrapping_add(a[k + 1].wrapping_mul(b[k + 1]));
                iacc[lane] = iacc[lane].wrapping_add(d);
                facc[lane] += d as f32 * 0.5;
            }
        }
    }
    let i = iacc[0].wrapping_add(iacc[1]).wrapping_add(iacc[2].wrapping_add(iacc[3]));
    let f = (facc[0] + facc[1]) + (facc[2] + facc[3]);
    i.wrapping_add(f as i32)
}

/// The directory of the workload sources.
pub fn workloads_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("workloads")
}

/// The binary module of a workload file (`.wat` files are assembled).
pub fn wasm_bytes(file: &str) -> Vec<u8> {
    let path = workloads_dir().join(file);
    if file.ends_with(".wat") {
        wat::parse_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    } else {
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run workloads/build.sh)", path.display()))
    }
}

/// Where the benches leave figures that are not criterion timings (memory
/// per instance, module sizes, step counts) for `report`: `$PORTA_BENCH_OUT`,
/// else `porta-bench/` in the Cargo target directory.
pub fn facts_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PORTA_BENCH_OUT") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("porta-bench")
}

/// Writes `facts_dir()/name.json`, merging the top-level keys of `value`
/// into what is there (so a filtered run keeps the other figures).
pub fn write_facts(name: &str, value: &serde_json::Value) {
    let dir = facts_dir();
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let path = dir.join(format!("{name}.json"));
    let old = std::fs::read_to_string(&path).ok().and_then(|t| serde_json::from_str(&t).ok());
    let merged = match (old, value) {
        (Some(serde_json::Value::Object(mut old)), serde_json::Value::Object(new)) => {
            old.extend(new.clone());
            serde_json::Value::Object(old)
        }
        _ => value.clone(),
    };
    let text = serde_json::to_string_pretty(&merged).expect("JSON");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Whether any of these benchmark ids passes the filter given on the
/// command line (criterion's positional argument), so a bench can skip the
/// set-up of benchmarks that will not run. A filter is matched as a plain
/// substring; one that looks like a regular expression selects everything.
pub fn wanted<I: IntoIterator<Item = String>>(ids: I) -> bool {
    // Criterion options that take a value.
    const VALUED: [&str; 16] = [
        "--save-baseline", "-s", "--baseline", "-b", "--baseline-lenient", "--load-baseline",
        "--profile-time", "--sample-size", "--warm-up-time", "--measurement-time", "--nresamples",
        "--noise-threshold", "--confidence-level", "--significance-level", "--output-format", "--color",
    ];
    let mut filter = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if VALUED.contains(&a.as_str()) {
            args.next();
        } else if !a.starts_with('-') {
            filter = Some(a);
            break;
        }
    }
    match filter {
        None => true,
        Some(f) if f.contains(|c: char| "^$.*+?()[]{}|\\".contains(c)) => true,
        Some(f) => ids.into_iter().any(|id| id.contains(&f)),
    }
}

/// The path of CPython 3.12 for wasm32-wasip1, fetched (once) by the
/// project's `tests/fetch-cpython.sh`.
pub fn cpython_wasm() -> PathBuf {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fetch-cpython.sh");
    let out = std::process::Command::new("sh").arg(&script).output().expect("sh runs");
    assert!(out.status.success(), "fetch-cpython.sh failed: {}", String::from_utf8_lossy(&out.stderr));
    PathBuf::from(String::from_utf8(out.stdout).expect("UTF-8 path").trim())
}

// ------------------------------------------------------------ porta side

/// porta-interp's configuration for a measurement: steps counted or not;
/// translation eager, so the measured calls run translated code only.
pub fn porta_config(count_steps: bool) -> Config {
    Config { count_steps, eager_translation: true, ..Config::default() }
}

/// A workload instantiated in porta, ready to be called repeatedly.
pub struct PortaRun {
    pub store: Store<()>,
    func: Func,
    args: [Val; 1],
    results: [Val; 1],
}

impl PortaRun {
    pub fn new(w: &Workload, bytes: &[u8], count_steps: bool) -> PortaRun {
        let engine = Engine::new(porta_config(count_steps));
        let module = Module::new(&engine, bytes).unwrap_or_else(|e| panic!("{}: {e}", w.file));
        let mut store = Store::new(&engine, ());
        let instance = Linker::new().instantiate(&mut store, &module).unwrap_or_else(|e| panic!("{}: {e}", w.file));
        for (name, args) in w.setup {
            let f = instance.get_func(&store, name).unwrap_or_else(|| panic!("{}: no export {name}", w.file));
            let args: Vec<Val> = args.iter().map(|&a| Val::I32(a)).collect();
            f.call(&mut store, &args, &mut []).unwrap_or_else(|e| panic!("{}: {name}: {e}", w.file));
        }
        let func = instance.get_func(&store, w.export).unwrap_or_else(|| panic!("{}: no export {}", w.file, w.export));
        let results = [match w.result_type() {
            Value::I32(_) => Val::I32(0),
            Value::I64(_) => Val::I64(0),
            Value::F64(_) => Val::F64(0),
        }];
        PortaRun { store, func, args: [Val::I32(w.arg)], results }
    }

    /// One call of the workload.
    #[inline]
    pub fn call(&mut self) -> Value {
        self.func.call(&mut self.store, &self.args, &mut self.results).expect("porta call");
        match self.results[0] {
            Val::I32(v) => Value::I32(v),
            Val::I64(v) => Value::I64(v),
            Val::F64(v) => Value::F64(v),
            other => panic!("unexpected result {other:?}"),
        }
    }
}

// ----------------------------------------------- reference implementations
// The same computations as the .wat workloads, in Rust, with the same
// operation order (so even the f64 sum is bit-for-bit the same).

pub fn fib(n: i32) -> i32 {
    if n < 2 {
        n
    } else {
        fib(n - 1).wrapping_add(fib(n - 2))
    }
}

pub fn loop_sum(n: i32) -> i64 {
    let mut acc: u64 = 0;
    for i in 0..n as u32 {
        acc = acc.wrapping_add(u64::from(i) ^ (acc >> 3));
    }
    acc as i64
}

pub fn sieve(n: i32) -> i32 {
    let n = n as usize;
    let mut crossed = vec![false; n + 1];
    let mut count = 0;
    for i in 2..=n {
        if !crossed[i] {
            count += 1;
            let mut j = i * i;
            while j <= n {
                crossed[j] = true;
                j += i;
            }
        }
    }
    count
}

pub fn matmul(n: i32) -> f64 {
    let n = n as usize;
    let mut a = vec![0f64; n * n];
    let mut b = vec![0f64; n * n];
    let mut c = vec![0f64; n * n];
    for i in 0..n {
        for j in 0..n {
            a[i * n + j] = ((i + 2 * j) % 13) as f64 * 0.25;
            b[i * n + j] = (((3 * i + j) % 11) as i32 - 5) as f64;
        }
    }
    for i in 0..n {
        for k in 0..n {
            let aik = a[i * n + k];
            for j in 0..n {
                c[i * n + j] += aik * b[k * n + j];
            }
        }
    }
    c.iter().fold(0.0, |s, &x| s + x)
}

pub fn xorshift_bytes(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

pub fn crc32(bytes: &[u8]) -> u32 {
    let table: Vec<u32> = (0..256u32)
        .map(|n| (0..8).fold(n, |c, _| if c & 1 != 0 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 }))
        .collect();
    !bytes.iter().fold(!0u32, |crc, &b| table[((crc ^ u32::from(b)) & 0xff) as usize] ^ (crc >> 8))
}

pub fn calls(n: i32) -> i32 {
    let mut acc: i32 = 0;
    for i in 0..n {
        acc = match i & 3 {
            0 => acc.wrapping_add(i),
            1 => acc.wrapping_sub(i),
            2 => acc ^ i,
            _ => acc.wrapping_mul(31).wrapping_add(i),
        };
        acc = acc.rotate_left(5).wrapping_add(i);
    }
    acc
}
