//! Prints the benchmark tables (Markdown) from criterion's estimates and the
//! figures the benches left in the facts directory.
//!
//! ```sh
//! report [CRITERION_DIR] [FACTS_DIR]
//! ```
//!
//! Defaults: `criterion/` and `porta-bench/` in the Cargo target directory.
//! A cell whose estimate is missing (benchmark not run, or filtered out) is
//! shown as `—`; the geomean covers the workloads every engine has.

use porta_bench::{facts_dir, workloads};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

/// Output is collected and written at the end, so a closed pipe (`| head`)
/// ends the program quietly instead of panicking in `println!`.
static OUT: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

macro_rules! out {
    ($($t:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!(OUT.lock().unwrap(), $($t)*);
    }};
}
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!(OUT.lock().unwrap(), $($t)*);
    }};
}

/// The execution engines, in column order; the baseline is `wasmi`.
const ENGINES: [&str; 4] = ["porta", "porta-nocount", "wasmi", "wasmi-fuel"];
const BASELINE: &str = "wasmi";
/// Peers measured with `compare.sh --peers` (benches' features).
const PEERS: [&str; 7] = ["porta", "wasmi", "stitch", "wasm3", "wamr", "pulley", "cranelift"];

fn main() {
    let mut args = std::env::args().skip(1);
    let criterion = args.next().map(PathBuf::from).unwrap_or_else(|| facts_dir().with_file_name("criterion"));
    let facts = args.next().map(PathBuf::from).unwrap_or_else(facts_dir);
    let r = Report { criterion, facts };
    r.execution();
    r.peers();
    r.startup();
    r.footprint();
    r.cpython();
    r.mcp();
    use std::io::Write as _;
    let _ = std::io::stdout().write_all(OUT.lock().unwrap().as_bytes());
}

struct Report {
    criterion: PathBuf,
    facts: PathBuf,
}

impl Report {
    /// Criterion's median estimate of `group/func`, in nanoseconds; for a
    /// configuration measured twice in the same run (`func` and `func-2`,
    /// see `benches/exec.rs`), the geometric mean of the two.
    fn median(&self, group: &str, func: &str) -> Option<f64> {
        let estimate = |func: &str| {
            let path = self.criterion.join(group).join(func).join("new/estimates.json");
            let written = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
            Some((read_json(&path)?["median"]["point_estimate"].as_f64()?, written))
        };
        let (first, at) = estimate(func)?;
        // A second measurement from another run (a filtered one) is not
        // paired with this one.
        let apart = |then: std::time::SystemTime| then.duration_since(at).unwrap_or_else(|e| e.duration());
        Some(match estimate(&format!("{func}-2")) {
            Some((second, then)) if apart(then).as_secs() < 600 => (first * second).sqrt(),
            _ => first,
        })
    }

    fn facts(&self, name: &str) -> Json {
        read_json(&self.facts.join(format!("{name}.json"))).unwrap_or(Json::Null)
    }

    fn execution(&self) {
        let exec = self.facts("exec");
        outln!("## Execution: median time per call (× = ratio to wasmi, fuel off)\n");
        out!("| workload |");
        for e in ENGINES {
            out!(" {e} |");
        }
        outln!(" cost of counting (porta) | cost of fuel (wasmi) | porta steps/call | porta steps/ns | wasmi fuel/call |");
        outln!("|---|{}---|---|---|---|---|", "---|".repeat(ENGINES.len()));

        let mut geomean = Geomean::new(ENGINES.len());
        let mut suspicious = Vec::new();
        for w in workloads() {
            let times: Vec<Option<f64>> = ENGINES.iter().map(|e| self.median(w.name, e)).collect();
            // Metering cannot make code faster: a metered run >10 % faster
            // than the same engine unmetered means noise or a code-layout
            // effect in that engine's measurement.
            for (metered, plain) in [(0, 1), (3, 2)] {
                if let (Some(m), Some(p)) = (times[metered], times[plain]) {
                    if m < 0.9 * p {
                        suspicious.push(format!(
                            "`{}`: {} ({}) is {:.0} % faster than {} ({})",
                            w.name, ENGINES[metered], time(m), (1.0 - m / p) * 100.0, ENGINES[plain], time(p)
                        ));
                    }
                }
            }
            let base = self.median(w.name, BASELINE);
            out!("| {} {} |", w.name, w.arg);
            times.iter().for_each(|&t| out!(" {} |", cell(t, base)));
            let steps = exec[w.name]["steps"].as_f64();
            let per_ns = match (steps, times[0]) {
                (Some(s), Some(t)) => format!("{:.2}", s / t),
                _ => "—".into(),
            };
            let fuel = exec[w.name]["wasmi_fuel"].as_f64();
            out!(" {} | {} |", overhead(times[0], times[1]), overhead(times[3], times[2]));
            outln!(" {} | {per_ns} | {} |", count(steps), count(fuel));
            geomean.add(w.simd, base, &times);
        }
        if geomean.row() {
            let cost = |with: usize, without: usize| {
                format!("{:+.1} %", (geomean.ratio(with) / geomean.ratio(without)) * 100.0 - 100.0)
            };
            outln!(" {} | {} | | | |", cost(0, 1), cost(3, 2));
        }
        outln!();
        outln!("Cost of counting = porta / porta-nocount − 1; cost of fuel = wasmi-fuel / wasmi − 1 (geomean row:");
        outln!("geomean of the ratios). Steps = exact WebAssembly instructions executed by one call. porta, porta-nocount,");
        outln!("wasmi and wasmi-fuel are measured twice, in that order and in reverse after the peers: each cell is");
        outln!("the geometric mean of the two medians.\n");
        if !suspicious.is_empty() {
            outln!("**Check these:** a metered configuration beat its unmetered twin, so one of the two");
            outln!("measurements is off (noise, or a code-layout effect: rebuilding can move it):");
            for s in &suspicious {
                outln!("- {s}");
            }
            outln!();
        }
        for w in workloads() {
            outln!("- `{}` ({}): {}", w.name, w.file, w.about);
        }
        outln!();
    }

    fn startup(&self) {
        let sizes = self.facts("startup");
        outln!("## Start-up: compile (decode + validate [+ translate]) and instantiate\n");
        outln!("| module | porta-eager | porta-lazy | wasmi-eager | wasmi-lazy |");
        outln!("|---|---|---|---|---|");
        for (label, key) in [("small", "small_bytes"), ("cpython", "cpython_bytes")] {
            let bytes = sizes[key].as_f64();
            let name = match bytes {
                Some(b) => format!("compile {label} ({})", size(b)),
                None => format!("compile {label}"),
            };
            out!("| {name} |");
            for e in ["porta-eager", "porta-lazy", "wasmi-eager", "wasmi-lazy"] {
                match (self.median(&format!("compile_{label}"), e), bytes) {
                    (Some(t), Some(b)) => out!(" {} ({:.1} MB/s) |", time(t), b / 1e6 / (t / 1e9)),
                    (Some(t), None) => out!(" {} |", time(t)),
                    _ => out!(" — |"),
                }
            }
            outln!();
        }
        outln!();
        outln!("| instantiate | porta | wasmi |");
        outln!("|---|---|---|");
        for label in ["small", "cpython"] {
            let group = format!("instantiate_{label}");
            let cell = |e| self.median(&group, e).map_or("—".to_string(), time);
            outln!("| {label} | {} | {} |", cell("porta"), cell("wasmi"));
        }
        outln!();
        outln!("eager = every function translated by `Module::new`; lazy = porta's default (translate on first");
        outln!("call) and wasmi's default `LazyTranslation` (validates eagerly, translates on first call).");
        outln!("Instantiation = new store + instance of a compiled module (CPython: porta's WASI, wasmi stubs).\n");
    }

    fn footprint(&self) {
        let f = self.facts("footprint");
        if f.is_null() {
            return;
        }
        outln!(
            "## Memory per instance ({} instances of {}, one store each)\n",
            f["instances"], f["module"].as_str().unwrap_or("?")
        );
        outln!("| engine | heap, instantiated | RSS, instantiated | heap, after a call | RSS, after a call |");
        outln!("|---|---|---|---|---|");
        for e in ["porta", "wasmi"] {
            let g = |stage: &str, k: &str| f[e][stage][k].as_f64().map_or("—".into(), size);
            outln!(
                "| {e} | {} | {} | {} | {} |",
                g("instantiated", "heap_bytes"),
                g("instantiated", "rss_bytes"),
                g("after_call", "heap_bytes"),
                g("after_call", "rss_bytes")
            );
        }
        outln!("\nheap = bytes live in the allocator (includes the 128 KiB linear memory, committed or not);");
        outln!("RSS = resident-set growth (pages actually touched).\n");
    }

    fn cpython(&self) {
        let f = self.facts("cpython");
        outln!("## CPython 3.12 under porta (fresh instance per run, module compiled once, lazy translation)\n");
        outln!("| run | median | steps | steps/ns |");
        outln!("|---|---|---|---|");
        for (name, label, key) in [("pass", "`python -c pass`", "pass_steps"), ("fib", "`fib(22)` in pure Python", "fib_steps")] {
            let t = self.median("cpython", name);
            let steps = f[key].as_f64();
            let rate = match (steps, t) {
                (Some(s), Some(t)) => format!("{:.2}", s / t),
                _ => "—".into(),
            };
            outln!("| {label} | {} | {} | {rate} |", t.map_or("—".into(), time), count(steps));
        }
        outln!();
    }
}

impl Report {
    /// porta, wasmi and the peers that were run (`compare.sh --peers`).
    fn peers(&self) {
        let measured = |e: &&str| workloads().iter().any(|w| self.median(w.name, e).is_some());
        let shown: Vec<&str> = PEERS.iter().copied().filter(measured).collect();
        if shown.len() <= 2 {
            return;
        }
        outln!("## Peers: median time per call (× = ratio to wasmi)\n");
        outln!("| workload | {} |", shown.join(" | "));
        outln!("|---|{}", "---|".repeat(shown.len()));
        let mut geomean = Geomean::new(shown.len());
        for w in workloads() {
            let times: Vec<Option<f64>> = shown.iter().map(|e| self.median(w.name, e)).collect();
            let base = self.median(w.name, BASELINE);
            out!("| {} {} |", w.name, w.arg);
            times.iter().for_each(|&t| out!(" {} |", cell(t, base)));
            outln!();
            geomean.add(w.simd, base, &times);
        }
        if geomean.row() {
            outln!();
        }
        outln!();
    }

    fn mcp(&self) {
        outln!("## porta serve: a trivial tool, fresh instance per call\n");
        outln!("| measure | median | calls per second |");
        outln!("|---|---|---|");
        let seq = self.median("mcp", "sequential");
        let batch = self.median("mcp", "batch64");
        let rate = |t: Option<f64>, n: f64| t.map_or("—".into(), |t| format!("{:.0}", n * 1e9 / t));
        outln!("| one call at a time (latency) | {} | {} |", seq.map_or("—".into(), time), rate(seq, 1.0));
        outln!("| 64 calls in flight | {} per call | {} |", batch.map_or("—".into(), |t| time(t / 64.0)), rate(batch, 64.0));
        outln!();
        let (cold, warm) = (self.median("mcp", "cpython_cold"), self.median("mcp", "cpython_prewarm"));
        if cold.is_none() && warm.is_none() {
            return;
        }
        outln!("## porta serve --prewarm: a trivial call of a CPython agent (tests/python/agent.py)\n");
        outln!("| server | median per call | speed-up |");
        outln!("|---|---|---|");
        outln!("| from `_start` | {} | 1 |", cold.map_or("—".into(), time));
        let ratio = match (cold, warm) {
            (Some(c), Some(w)) => format!("{:.1}×", c / w),
            _ => "—".into(),
        };
        outln!("| `--prewarm` | {} | {ratio} |", warm.map_or("—".into(), time));
        outln!();
    }
}

/// How much slower `with` is than `without`, in percent.
/// A time and its ratio to the baseline's.
fn cell(t: Option<f64>, base: Option<f64>) -> String {
    match (t, base) {
        (Some(t), Some(b)) => format!("{} ×{:.2}", time(t), t / b),
        (Some(t), None) => time(t),
        _ => "—".into(),
    }
}

/// The geomean of each engine's ratios to the baseline, over the scalar
/// workloads every engine ran (SIMD is kept apart).
struct Geomean {
    logs: Vec<f64>,
    complete: usize,
}

impl Geomean {
    fn new(engines: usize) -> Geomean {
        Geomean { logs: vec![0.0; engines], complete: 0 }
    }

    fn add(&mut self, simd: bool, base: Option<f64>, times: &[Option<f64>]) {
        if let (Some(b), true, false) = (base, times.iter().all(Option::is_some), simd) {
            self.complete += 1;
            for (l, t) in self.logs.iter_mut().zip(times) {
                *l += (t.unwrap() / b).ln();
            }
        }
    }

    fn ratio(&self, engine: usize) -> f64 {
        (self.logs[engine] / self.complete as f64).exp()
    }

    /// Prints the row's cells, unless no workload was complete; the
    /// caller ends the line.
    fn row(&self) -> bool {
        if self.complete == 0 {
            return false;
        }
        out!("| **geomean** ({} scalar workloads) |", self.complete);
        (0..self.logs.len()).for_each(|e| out!(" **×{:.2}** |", self.ratio(e)));
        true
    }
}

fn overhead(with: Option<f64>, without: Option<f64>) -> String {
    match (with, without) {
        (Some(a), Some(b)) => format!("{:+.1} %", (a / b - 1.0) * 100.0),
        _ => "—".into(),
    }
}

fn read_json(path: &Path) -> Option<Json> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

/// A duration in nanoseconds, in a readable unit.
fn time(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.1} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn size(bytes: f64) -> String {
    if bytes >= 1e6 {
        format!("{:.1} MB", bytes / 1e6)
    } else if bytes >= 1e3 {
        format!("{:.1} KB", bytes / 1e3)
    } else {
        format!("{bytes:.0} B")
    }
}

fn count(n: Option<f64>) -> String {
    match n {
        Some(n) if n >= 1e6 => format!("{:.1} M", n / 1e6),
        Some(n) => format!("{n:.0}"),
        None => "—".into(),
    }
}
