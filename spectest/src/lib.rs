//! `spectest`: runs WebAssembly `.wast` spec scripts through `porta-interp`.
//!
//! A script is parsed with the `wast` crate; every module in it is encoded to
//! the binary format and handed to the engine, so the engine is exercised the
//! way an embedder uses it (binary in, [`Module::new`], [`Linker`]).
//!
//! Each script runs in its own [`Store`] with its own [`Linker`], which holds
//! the `spectest` host module ([`host`]) and every instance the script
//! `register`s. Each directive is counted once as passed, failed or skipped:
//!
//! * `module` (text, `binary` and `quote` forms, named or not), `module
//!   definition` and `module instance`: pass when the module compiles and
//!   instantiates.
//! * `register`, `invoke`, `get`, `assert_return`, `assert_trap` (on an
//!   invocation or on instantiation), `assert_exhaustion`,
//!   `assert_unlinkable`: as the spec interpreter defines them.
//! * `assert_invalid`, `assert_malformed`: any error from [`Module::new`]
//!   passes (the message is not compared: our decoder and validator word
//!   errors differently from the reference interpreter); a module that
//!   compiles fails. A `quote` module whose text `wast` itself cannot parse
//!   passes `assert_malformed` (the text is malformed).
//! * Skipped, with a reason: threads, stack switching, components,
//!   custom-section assertions, GC references. A module expected to work that the engine
//!   rejects is skipped if it needs a proposal the engine does not implement
//!   (an independent validator, `wasmparser`, rejects it with the engine's
//!   feature set and accepts it with every feature; the reason says GC when
//!   adding GC alone is what makes it valid). Directives that use a module that was skipped
//!   are skipped for the same reason.
//!
//! **Message rule** for traps and link errors (see [`message_matches`]): our
//! message passes when it contains the expected text (the suite sometimes
//! abbreviates, e.g. `"out of bounds"` for `"out of bounds memory access"`),
//! or when the expected text is our message followed by a space and more
//! detail (e.g. `"uninitialized element 2"` for `"uninitialized element"`).
//! `assert_exhaustion` needs a trap whose message matches the script's
//! (`"call stack exhausted"`); a step-limit trap is not exhaustion.
//!
//! **Values**: integers and floats compare by bits; `nan:canonical` accepts
//! exactly the canonical NaN of either sign, `nan:arithmetic` any NaN with
//! the top mantissa bit set. `ref.null` compares nullness and, if the script
//! names one, the reference type; `ref.extern N` is [`ExternRef`]`(N)`;
//! `ref.func` (with or without an index) asks for a non-null funcref (the
//! function's identity is not checked); `either` passes if any alternative
//! does. A `v128` compares lane by lane in the shape the script gives, with
//! the NaN patterns above for float lanes.
//!
//! Every invocation and instantiation runs with a budget of [`STEP_BUDGET`]
//! executed instructions so that a looping engine cannot hang the run (the
//! budget is far above what any official script needs); a panic inside the
//! engine is caught and counted as a failure of its directive.

pub mod host;

use porta_interp::{Config, Engine, Error, ExternRef, Instance, Linker, Module, Store, Val};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::token::{Id, Span};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

/// Instructions one invocation or instantiation may execute before it is
/// stopped (and reported as a failure).
pub const STEP_BUDGET: u64 = 200_000_000;

/// Failures listed per file in the report; the rest are counted.
pub const MAX_FAILURES_SHOWN: usize = 20;

/// One script to run: `set` names its group (`wasm-v1`, `proposals/...`).
#[derive(Debug, Clone)]
pub struct Script {
    pub set: String,
    pub name: String,
    pub text: String,
    /// Directives (by line) not to run, with the reason: expectations that
    /// a later version of the spec replaced.
    pub superseded: Vec<(usize, String)>,
    /// The features the script's modules are held to (the engine's
    /// `Config::features`): a 2.0 script asserts that a second memory is
    /// invalid, which 3.0 allows.
    pub features: wasmparser::WasmFeatures,
}

impl Script {
    /// A script held to every feature the engine implements.
    pub fn new(set: &str, name: &str, text: String) -> Script {
        Script { set: set.into(), name: name.into(), text, superseded: Vec::new(), features: porta_interp::features() }
    }
}

/// A directive that failed.
#[derive(Debug, Clone)]
pub struct Failure {
    /// 1-based line of the directive in its script.
    pub line: usize,
    /// The directive, abbreviated (`assert_return (invoke "f" i32:1)`).
    pub directive: String,
    pub expected: String,
    pub actual: String,
}

/// A directive that was not run.
#[derive(Debug, Clone)]
pub struct Skip {
    pub line: usize,
    pub reason: String,
}

/// The outcome of one script.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    pub set: String,
    pub name: String,
    pub passed: usize,
    pub failures: Vec<Failure>,
    pub skips: Vec<Skip>,
}

impl FileReport {
    /// `set/name`, as the report prints it.
    pub fn label(&self) -> String {
        if self.set.is_empty() {
            self.name.clone()
        } else {
            format!("{}/{}", self.set, self.name)
        }
    }
    pub fn failed(&self) -> usize {
        self.failures.len()
    }
    pub fn skipped(&self) -> usize {
        self.skips.len()
    }
}

/// Directive counts over a whole run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl fmt::Display for Totals {
    /// The summary line: `spectest: N passed, M failed, K skipped`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "spectest: {} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }
}

/// The outcome of a run: one [`FileReport`] per script, in script order.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files: Vec<FileReport>,
}

impl Report {
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for f in &self.files {
            t.passed += f.passed;
            t.failed += f.failed();
            t.skipped += f.skipped();
        }
        t
    }
}

impl fmt::Display for Report {
    /// The table of files, the failures (at most [`MAX_FAILURES_SHOWN`] per
    /// file), the skip reasons with counts and lines, and the summary line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .files
            .iter()
            .map(|r| r.label().len())
            .max()
            .unwrap_or(4)
            .max(4);
        writeln!(
            f,
            "{:<width$}  {:>7}  {:>7}  {:>7}",
            "file", "passed", "failed", "skipped"
        )?;
        for r in &self.files {
            writeln!(
                f,
                "{:<width$}  {:>7}  {:>7}  {:>7}",
                r.label(),
                r.passed,
                r.failed(),
                r.skipped()
            )?;
        }

        if self.files.iter().any(|r| r.failed() > 0) {
            writeln!(f, "\nfailures:")?;
            for r in self.files.iter().filter(|r| r.failed() > 0) {
                let label = r.label();
                for fail in r.failures.iter().take(MAX_FAILURES_SHOWN) {
                    writeln!(
                        f,
                        "  {label}:{}: {}: expected {}, got {}",
                        fail.line,
                        clip(&fail.directive, 120),
                        clip(&fail.expected, 160),
                        clip(&fail.actual, 200)
                    )?;
                }
                if r.failed() > MAX_FAILURES_SHOWN {
                    writeln!(
                        f,
                        "  {label}: ... and {} more failures",
                        r.failed() - MAX_FAILURES_SHOWN
                    )?;
                }
            }
        }

        // reason -> file label -> lines
        let mut reasons: BTreeMap<&str, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
        for r in &self.files {
            for s in &r.skips {
                reasons
                    .entry(&s.reason)
                    .or_default()
                    .entry(r.label())
                    .or_default()
                    .push(s.line);
            }
        }
        if !reasons.is_empty() {
            writeln!(f, "\nskipped, by reason:")?;
            for (reason, files) in &reasons {
                let count: usize = files.values().map(Vec::len).sum();
                writeln!(f, "  {count:>6}  {reason}")?;
                for (label, lines) in files {
                    const SHOWN: usize = 12;
                    let mut list = lines
                        .iter()
                        .take(SHOWN)
                        .map(|l| l.to_string())
                        .collect::<Vec<_>>()
                        .join(", ");
                    if lines.len() > SHOWN {
                        let _ = write!(list, ", ... ({} more)", lines.len() - SHOWN);
                    }
                    writeln!(f, "          {label}: line {list}")?;
                }
            }
        }
        writeln!(f)?;
        writeln!(f, "{}", self.totals())
    }
}

fn clip(s: &str, max: usize) -> String {
    let s = s.replace('\n', " ");
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max).collect();
    out.push_str("...");
    out
}

/// Whether a trap or link error message `actual` satisfies the message
/// `expected` by the script: `actual` contains `expected`, or `expected` is
/// `actual` plus a space and further detail.
pub fn message_matches(actual: &str, expected: &str) -> bool {
    let actual = actual.trim();
    let expected = expected.trim();
    if actual.contains(expected) {
        return true;
    }
    !actual.is_empty()
        && expected
            .strip_prefix(actual)
            .is_some_and(|rest| rest.starts_with(' '))
}

// ---------------------------------------------------------------------------
// Running scripts

/// Runs scripts in parallel (one worker per core), keeping their order in
/// the report.
pub fn run_scripts(scripts: &[Script]) -> Report {
    install_panic_hook();
    let slots: Mutex<Vec<Option<FileReport>>> = Mutex::new(vec![None; scripts.len()]);
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(4, |n| n.get())
        .min(scripts.len())
        .max(1);
    std::thread::scope(|scope| {
        for w in 0..workers {
            let (slots, next) = (&slots, &next);
            std::thread::Builder::new()
                .name(format!("spectest-{w}"))
                // Deeply nested scripts and engine recursion get room.
                .stack_size(64 << 20)
                .spawn_scoped(scope, move || loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(s) = scripts.get(k) else { break };
                    let report = run_one(s);
                    slots.lock().unwrap_or_else(|e| e.into_inner())[k] = Some(report);
                })
                .expect("spawn a spectest worker");
        }
    });
    let files = slots
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("ran"))
        .collect();
    Report { files }
}

/// Runs one script in a fresh store.
pub fn run_script(set: &str, name: &str, text: &str) -> FileReport {
    run_one(&Script::new(set, name, text.to_string()))
}

/// Runs one script in a fresh store, held to its features and skipping
/// its superseded directives.
pub fn run_one(script: &Script) -> FileReport {
    install_panic_hook();
    let was_capturing = CAPTURE_PANICS.with(|c| c.replace(true));
    let mut report = FileReport {
        set: script.set.clone(),
        name: script.name.clone(),
        ..Default::default()
    };
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        run_script_inner(&script.text, &script.superseded, script.features, &mut report)
    }));
    if let Err(payload) = outcome {
        report.failures.push(Failure {
            line: 0,
            directive: "(runner)".into(),
            expected: "the script to run to its end".into(),
            actual: format!("panic: {}", take_panic_message(payload)),
        });
    }
    CAPTURE_PANICS.with(|c| c.set(was_capturing));
    report
}

fn run_script_inner(
    text: &str,
    superseded: &[(usize, String)],
    features: wasmparser::WasmFeatures,
    report: &mut FileReport,
) {
    let mut lexer = Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let parse_failure = |e: wast::Error, report: &mut FileReport| {
        let line = line_of(text, e.span());
        let mut e = e;
        e.set_text(text);
        report.failures.push(Failure {
            line,
            directive: "(script)".into(),
            expected: "a script wast can parse".into(),
            actual: e.message(),
        });
    };
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(b) => b,
        Err(e) => return parse_failure(e, report),
    };
    let script = match parser::parse::<Wast>(&buf) {
        Ok(w) => w,
        Err(e) => return parse_failure(e, report),
    };
    let mut runner = match Runner::new(features) {
        Ok(r) => r,
        Err(e) => {
            report.failures.push(Failure {
                line: 0,
                directive: "(setup)".into(),
                expected: "the spectest host module".into(),
                actual: e.to_string(),
            });
            return;
        }
    };
    for directive in script.directives {
        let line = line_of(text, directive.span());
        if let Some((_, reason)) = superseded.iter().find(|(l, _)| *l == line) {
            report.skips.push(Skip { line, reason: reason.clone() });
            continue;
        }
        let summary = describe(&directive);
        let module_names = defined_module(&directive);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| runner.run(directive, line)));
        let verdict = match outcome {
            Ok(v) => v,
            Err(payload) => {
                if let Some(name) = module_names {
                    runner.forget_module(name, Why::Failed(line));
                }
                Verdict::fail(
                    "no panic",
                    format!("engine panicked: {}", take_panic_message(payload)),
                )
            }
        };
        match verdict {
            Verdict::Pass => report.passed += 1,
            Verdict::Skip(reason) => report.skips.push(Skip { line, reason }),
            Verdict::Fail { expected, actual } => report.failures.push(Failure {
                line,
                directive: summary,
                expected,
                actual,
            }),
        }
    }
}

fn line_of(text: &str, span: Span) -> usize {
    span.linecol_in(text).0 + 1
}

/// For a directive that defines the current module: its name, if any.
fn defined_module(d: &WastDirective<'_>) -> Option<Option<String>> {
    match d {
        WastDirective::Module(q) => Some(q.name().map(|id| id.name().to_string())),
        WastDirective::ModuleInstance { instance, .. } => {
            Some(instance.map(|id| id.name().to_string()))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Panic capture: panics on runner threads are recorded, not printed.

thread_local! {
    static CAPTURE_PANICS: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURE_PANICS.with(Cell::get) {
                let msg = payload_text(info.payload());
                let text = match info.location() {
                    Some(l) => format!("{msg} (at {}:{})", l.file(), l.line()),
                    None => msg,
                };
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(text));
            } else {
                previous(info);
            }
        }));
    });
}

fn payload_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".to_string()
    }
}

fn take_panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    LAST_PANIC
        .with(|p| p.borrow_mut().take())
        .unwrap_or_else(|| payload_text(&*payload))
}

// ---------------------------------------------------------------------------
// The interpreter of directives

enum Verdict {
    Pass,
    Fail { expected: String, actual: String },
    Skip(String),
}

impl Verdict {
    fn fail(expected: impl Into<String>, actual: impl Into<String>) -> Verdict {
        Verdict::Fail {
            expected: expected.into(),
            actual: actual.into(),
        }
    }
}

/// Why a module a later directive refers to does not exist.
#[derive(Clone)]
enum Why {
    Skipped(String),
    Failed(usize),
}

impl Why {
    fn from_verdict(v: &Verdict, line: usize) -> Why {
        match v {
            Verdict::Skip(r) => Why::Skipped(r.clone()),
            _ => Why::Failed(line),
        }
    }
    fn verdict(&self) -> Verdict {
        match self {
            Why::Skipped(r) => Verdict::Skip(r.clone()),
            Why::Failed(line) => Verdict::fail(
                "a module to use",
                format!("the module of line {line} was not created"),
            ),
        }
    }
}

#[derive(Clone)]
enum Slot<T> {
    Live(T),
    Missing(Why),
}

#[derive(Clone, Copy, PartialEq)]
enum Bad {
    Malformed,
    Invalid,
}

struct Runner {
    engine: Engine,
    store: Store<()>,
    linker: Linker<()>,
    current: Option<Slot<Instance>>,
    instances: HashMap<String, Slot<Instance>>,
    last_definition: Option<Slot<Module>>,
    definitions: HashMap<String, Slot<Module>>,
    /// Registered names whose module was skipped, with the reason.
    skipped_registrations: HashMap<String, String>,
}

impl Runner {
    fn new(features: wasmparser::WasmFeatures) -> Result<Runner, Error> {
        let engine = Engine::new(Config {
            eager_translation: true,
            features,
            ..Default::default()
        });
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new();
        host::define(&mut linker, &mut store)?;
        Ok(Runner {
            engine,
            store,
            linker,
            current: None,
            instances: HashMap::new(),
            last_definition: None,
            definitions: HashMap::new(),
            skipped_registrations: HashMap::new(),
        })
    }

    fn forget_module(&mut self, name: Option<String>, why: Why) {
        if let Some(name) = name {
            self.instances.insert(name, Slot::Missing(why.clone()));
        }
        self.current = Some(Slot::Missing(why));
    }

    fn run(&mut self, directive: WastDirective<'_>, line: usize) -> Verdict {
        match directive {
            WastDirective::Module(mut module) => {
                let name = module.name().map(|id| id.name().to_string());
                let result = self.compile(&mut module).and_then(|m| self.instantiate(&m));
                self.bind_instance(name, result, line)
            }
            WastDirective::ModuleDefinition(mut module) => {
                let name = module.name().map(|id| id.name().to_string());
                let (slot, verdict) = match self.compile(&mut module) {
                    Ok(m) => (Slot::Live(m), Verdict::Pass),
                    Err(v) => (Slot::Missing(Why::from_verdict(&v, line)), v),
                };
                if let Some(name) = name {
                    self.definitions.insert(name, slot.clone());
                }
                self.last_definition = Some(slot);
                verdict
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                let def = match module {
                    Some(id) => self.definitions.get(id.name()).cloned(),
                    None => self.last_definition.clone(),
                };
                let result = match def {
                    Some(Slot::Live(m)) => self.instantiate(&m),
                    Some(Slot::Missing(why)) => Err(why.verdict()),
                    None => Err(Verdict::fail(
                        "a module definition",
                        "no such module definition",
                    )),
                };
                self.bind_instance(instance.map(|id| id.name().to_string()), result, line)
            }
            WastDirective::AssertMalformed { module, .. } => {
                self.assert_rejected(module, Bad::Malformed)
            }
            WastDirective::AssertInvalid { module, .. } => {
                self.assert_rejected(module, Bad::Invalid)
            }
            WastDirective::AssertMalformedCustom { .. }
            | WastDirective::AssertInvalidCustom { .. } => {
                Verdict::Skip("custom-section assertions are not checked".into())
            }
            WastDirective::Register { name, module, .. } => match self.instance_slot(module) {
                Ok(Slot::Live(inst)) => {
                    self.linker.instance(&self.store, name.to_string(), inst);
                    self.skipped_registrations.remove(name);
                    Verdict::Pass
                }
                Ok(Slot::Missing(why)) => {
                    if let Why::Skipped(reason) = &why {
                        self.skipped_registrations
                            .insert(name.to_string(), reason.clone());
                    }
                    why.verdict()
                }
                Err(v) => v,
            },
            WastDirective::Invoke(invoke) => match self.invoke(&invoke) {
                Ok(Ok(_)) => Verdict::Pass,
                Ok(Err(e)) => Verdict::fail("the call to return", describe_error(&e)),
                Err(v) => v,
            },
            WastDirective::AssertTrap { exec, message, .. } => self.assert_trap(exec, message),
            WastDirective::AssertReturn { exec, results, .. } => self.assert_return(exec, &results),
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call) {
                Ok(Ok(vals)) => Verdict::fail(
                    format!("trap {message:?}"),
                    format!("returned {}", fmt_vals(&vals)),
                ),
                Ok(Err(e)) => check_trap(&e, message),
                Err(v) => v,
            },
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => self.assert_unlinkable(module, message),
            WastDirective::AssertException { exec, .. } => self.assert_trap(exec, "uncaught exception"),
            WastDirective::AssertSuspension { .. } => {
                Verdict::Skip("stack switching not supported".into())
            }
            WastDirective::Thread(_) | WastDirective::Wait { .. } => {
                Verdict::Skip("threads not supported".into())
            }
        }
    }

    fn bind_instance(
        &mut self,
        name: Option<String>,
        result: Result<Instance, Verdict>,
        line: usize,
    ) -> Verdict {
        match result {
            Ok(inst) => {
                if let Some(name) = name {
                    self.instances.insert(name, Slot::Live(inst));
                }
                self.current = Some(Slot::Live(inst));
                Verdict::Pass
            }
            Err(v) => {
                self.forget_module(name, Why::from_verdict(&v, line));
                v
            }
        }
    }

    /// Encodes and compiles a module that is expected to be valid.
    fn compile(&mut self, module: &mut QuoteWat<'_>) -> Result<Module, Verdict> {
        if is_component(module) {
            return Err(Verdict::Skip("components not supported".into()));
        }
        let bytes = module.encode().map_err(|e| {
            Verdict::fail("a module wast can encode", format!("wast: {}", e.message()))
        })?;
        Module::new(&self.engine, &bytes).map_err(|e| {
            beyond_v2_skip(&bytes)
                .unwrap_or_else(|| Verdict::fail("the module to compile", describe_error(&e)))
        })
    }

    /// Instantiates with the script's linker; errors are returned as is.
    fn try_instantiate(&mut self, module: &Module) -> Result<Result<Instance, Error>, Verdict> {
        for (m, _, _) in module.imports() {
            if let Some(reason) = self.skipped_registrations.get(m) {
                return Err(Verdict::Skip(reason.clone()));
            }
        }
        self.set_budget();
        Ok(self.linker.instantiate(&mut self.store, module))
    }

    fn instantiate(&mut self, module: &Module) -> Result<Instance, Verdict> {
        self.try_instantiate(module)?
            .map_err(|e| Verdict::fail("the module to instantiate", describe_error(&e)))
    }

    fn set_budget(&mut self) {
        let limit = self.store.steps().saturating_add(STEP_BUDGET);
        self.store.set_step_limit(Some(limit));
    }

    fn instance_slot(&self, id: Option<Id<'_>>) -> Result<Slot<Instance>, Verdict> {
        match id {
            Some(id) => self.instances.get(id.name()).cloned().ok_or_else(|| {
                Verdict::fail("a module to use", format!("no module named ${}", id.name()))
            }),
            None => self
                .current
                .clone()
                .ok_or_else(|| Verdict::fail("a module to use", "no module defined yet")),
        }
    }

    fn instance(&self, id: Option<Id<'_>>) -> Result<Instance, Verdict> {
        match self.instance_slot(id)? {
            Slot::Live(i) => Ok(i),
            Slot::Missing(why) => Err(why.verdict()),
        }
    }

    /// Calls an export. The outer error is a verdict reached before the call
    /// (skip, missing module or export); the inner result is the call's.
    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Result<Result<Vec<Val>, Error>, Verdict> {
        let mut args = Vec::with_capacity(invoke.args.len());
        for a in &invoke.args {
            args.push(arg_val(a).map_err(Verdict::Skip)?);
        }
        let inst = self.instance(invoke.module)?;
        let func = inst.get_func(&self.store, invoke.name).ok_or_else(|| {
            Verdict::fail(
                format!("an exported function {:?}", invoke.name),
                "no such function export",
            )
        })?;
        let ty = func.ty(&self.store);
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
        self.set_budget();
        Ok(func
            .call(&mut self.store, &args, &mut results)
            .map(|()| results))
    }

    fn get(&self, module: Option<Id<'_>>, name: &str) -> Result<Val, Verdict> {
        let inst = self.instance(module)?;
        let global = inst.get_global(&self.store, name).ok_or_else(|| {
            Verdict::fail(
                format!("an exported global {name:?}"),
                "no such global export",
            )
        })?;
        Ok(global.get(&self.store))
    }

    fn assert_return(&mut self, exec: WastExecute<'_>, expected: &[WastRet<'_>]) -> Verdict {
        if let Some(reason) = expected.iter().find_map(ret_skip) {
            return Verdict::Skip(reason);
        }
        let actual = match exec {
            WastExecute::Invoke(invoke) => match self.invoke(&invoke) {
                Ok(Ok(vals)) => vals,
                Ok(Err(e)) => return Verdict::fail(fmt_rets(expected), describe_error(&e)),
                Err(v) => return v,
            },
            WastExecute::Get { module, global, .. } => match self.get(module, global) {
                Ok(v) => vec![v],
                Err(v) => return v,
            },
            WastExecute::Wat(wat) => {
                let mut module = QuoteWat::Wat(wat);
                match self.compile(&mut module).and_then(|m| self.instantiate(&m)) {
                    Ok(_) => Vec::new(),
                    Err(v) => return v,
                }
            }
        };
        let matches = actual.len() == expected.len()
            && expected.iter().zip(&actual).all(|(e, a)| match e {
                WastRet::Core(e) => ret_matches(e, a),
                _ => false,
            });
        if matches {
            Verdict::Pass
        } else {
            Verdict::fail(fmt_rets(expected), fmt_vals(&actual))
        }
    }

    fn assert_trap(&mut self, exec: WastExecute<'_>, message: &str) -> Verdict {
        match exec {
            WastExecute::Invoke(invoke) => match self.invoke(&invoke) {
                Ok(Ok(vals)) => Verdict::fail(
                    format!("trap {message:?}"),
                    format!("returned {}", fmt_vals(&vals)),
                ),
                Ok(Err(e)) => check_trap(&e, message),
                Err(v) => v,
            },
            WastExecute::Wat(wat) => {
                let mut module = QuoteWat::Wat(wat);
                let module = match self.compile(&mut module) {
                    Ok(m) => m,
                    Err(v) => return v,
                };
                match self.try_instantiate(&module) {
                    Ok(Ok(_)) => {
                        Verdict::fail(format!("instantiation to trap {message:?}"), "instantiated")
                    }
                    Ok(Err(e)) => check_trap(&e, message),
                    Err(v) => v,
                }
            }
            WastExecute::Get { .. } => {
                Verdict::fail(format!("trap {message:?}"), "a global read cannot trap")
            }
        }
    }

    fn assert_unlinkable(&mut self, wat: Wat<'_>, message: &str) -> Verdict {
        let mut module = QuoteWat::Wat(wat);
        let module = match self.compile(&mut module) {
            Ok(m) => m,
            Err(v) => return v,
        };
        let expected = format!("link error {message:?}");
        match self.try_instantiate(&module) {
            Ok(Ok(_)) => Verdict::fail(expected, "instantiated"),
            Ok(Err(Error::Link(m))) if message_matches(&m, message) => Verdict::Pass,
            Ok(Err(e)) => Verdict::fail(expected, describe_error(&e)),
            Err(v) => v,
        }
    }

    fn assert_rejected(&mut self, mut module: QuoteWat<'_>, bad: Bad) -> Verdict {
        if is_component(&module) {
            return Verdict::Skip("components not supported".into());
        }
        let quoted = matches!(module, QuoteWat::QuoteModule(..));
        let bytes = match module.encode() {
            Ok(bytes) => bytes,
            // wast cannot parse the quoted text: it is malformed indeed.
            Err(_) if quoted && bad == Bad::Malformed => return Verdict::Pass,
            Err(_) => {
                return Verdict::Skip(
                    "wast itself rejects the module text (engine not exercised)".into(),
                )
            }
        };
        match Module::new(&self.engine, &bytes) {
            Ok(_) => Verdict::fail(
                match bad {
                    Bad::Malformed => "a malformed-module error",
                    Bad::Invalid => "a validation error",
                },
                "the module compiled",
            ),
            Err(_) => Verdict::Pass,
        }
    }
}

fn is_component(module: &QuoteWat<'_>) -> bool {
    matches!(
        module,
        QuoteWat::QuoteComponent(..) | QuoteWat::Wat(Wat::Component(_))
    )
}

/// A skip verdict for a module that needs a feature the engine does not
/// implement ([`porta_interp::features`]): `wasmparser` with exactly that
/// feature set
/// rejects it, and with every feature enabled accepts it. (The proposal
/// folders of the suite have picked up modules that need function
/// references or GC.) Only used where a module is expected to compile.
fn beyond_v2_skip(bytes: &[u8]) -> Option<Verdict> {
    use wasmparser::{Validator, WasmFeatures};
    let Err(e) = Validator::new_with_features(porta_interp::features()).validate_all(bytes) else {
        return None;
    };
    if Validator::new_with_features(WasmFeatures::all())
        .validate_all(bytes)
        .is_err()
    {
        return None;
    }
    let with_gc = porta_interp::features() | WasmFeatures::GC;
    let what = match Validator::new_with_features(with_gc).validate_all(bytes) {
        Ok(_) => "GC",
        Err(_) => "a proposal",
    };
    Some(Verdict::Skip(format!(
        "needs {what}, which the engine does not implement (wasmparser: {})",
        e.message()
    )))
}

fn check_trap(e: &Error, expected: &str) -> Verdict {
    match e {
        Error::Trap(t) if message_matches(&t.to_string(), expected) => Verdict::Pass,
        _ => Verdict::fail(format!("trap {expected:?}"), describe_error(e)),
    }
}

fn describe_error(e: &Error) -> String {
    let kind = match e {
        Error::Decode(_) => "decode error",
        Error::Invalid(_) => "validation error",
        Error::Unsupported(_) => "unsupported",
        Error::Link(_) => "link error",
        Error::Instantiate(_) => "instantiation error",
        Error::Trap(_) => "trap",
        Error::Usage(_) => "usage error",
    };
    match e {
        Error::Trap(t) => format!("trap {:?}", t.to_string()),
        _ => format!("{kind}: {e}"),
    }
}

// ---------------------------------------------------------------------------
// Values

fn null_of(ht: &HeapType<'_>) -> Option<Val> {
    match ht {
        HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Func | AbstractHeapType::NoFunc,
        } => Some(Val::FuncRef(None)),
        HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern,
        } => Some(Val::ExternRef(None)),
        HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Exn | AbstractHeapType::NoExn,
        } => Some(Val::ExnRef(None)),
        _ => None,
    }
}

const GC_REASON: &str = "needs GC reference values, which the engine does not implement";

/// The engine value of an argument, or the reason it cannot be passed.
fn arg_val(arg: &WastArg<'_>) -> Result<Val, String> {
    let WastArg::Core(arg) = arg else {
        return Err("component values not supported".into());
    };
    Ok(match arg {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(f) => Val::F32(f.bits),
        WastArgCore::F64(f) => Val::F64(f.bits),
        WastArgCore::V128(v) => Val::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(ht) => null_of(ht).ok_or(GC_REASON)?,
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(ExternRef(*n))),
        WastArgCore::RefHost(_) => return Err(GC_REASON.into()),
    })
}

/// Why an expected result cannot be checked, if it cannot.
fn ret_skip(ret: &WastRet<'_>) -> Option<String> {
    let WastRet::Core(ret) = ret else {
        return Some("component values not supported".into());
    };
    core_ret_skip(ret)
}

fn core_ret_skip(ret: &WastRetCore<'_>) -> Option<String> {
    match ret {
        WastRetCore::RefNull(Some(ht)) if null_of(ht).is_none() => Some(GC_REASON.into()),
        WastRetCore::RefHost(_)
        | WastRetCore::RefAny
        | WastRetCore::RefEq
        | WastRetCore::RefArray
        | WastRetCore::RefStruct
        | WastRetCore::RefI31
        | WastRetCore::RefI31Shared => Some(GC_REASON.into()),
        WastRetCore::Either(alts) => alts.iter().find_map(core_ret_skip),
        _ => None,
    }
}

/// `nan:canonical` for f32: exponent all ones, only the top mantissa bit.
pub fn is_canonical_nan32(bits: u32) -> bool {
    bits & 0x7fff_ffff == 0x7fc0_0000
}
/// `nan:arithmetic` for f32: a NaN with the top mantissa bit set.
pub fn is_arithmetic_nan32(bits: u32) -> bool {
    bits & 0x7fc0_0000 == 0x7fc0_0000
}
pub fn is_canonical_nan64(bits: u64) -> bool {
    bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000
}
pub fn is_arithmetic_nan64(bits: u64) -> bool {
    bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000
}

fn ret_matches(expected: &WastRetCore<'_>, actual: &Val) -> bool {
    match (expected, actual) {
        (WastRetCore::I32(e), Val::I32(a)) => e == a,
        (WastRetCore::I64(e), Val::I64(a)) => e == a,
        (WastRetCore::F32(p), Val::F32(a)) => f32_matches(p, *a),
        (WastRetCore::F64(p), Val::F64(a)) => f64_matches(p, *a),
        (WastRetCore::V128(p), Val::V128(a)) => v128_matches(p, *a),
        (WastRetCore::RefNull(None), Val::FuncRef(r)) => r.is_none(),
        (WastRetCore::RefNull(None), Val::ExternRef(r)) => r.is_none(),
        (WastRetCore::RefNull(None), Val::ExnRef(r)) => r.is_none(),
        (WastRetCore::RefNull(Some(ht)), a) => null_of(ht).is_some_and(|null| null == *a),
        (WastRetCore::RefExtern(None), Val::ExternRef(r)) => r.is_some(),
        (WastRetCore::RefExtern(Some(n)), Val::ExternRef(r)) => *r == Some(ExternRef(*n)),
        (WastRetCore::RefFunc(_), Val::FuncRef(r)) => r.is_some(),
        (WastRetCore::Either(alts), a) => alts.iter().any(|e| ret_matches(e, a)),
        _ => false,
    }
}

fn f32_matches(p: &NanPattern<wast::token::F32>, bits: u32) -> bool {
    match p {
        NanPattern::CanonicalNan => is_canonical_nan32(bits),
        NanPattern::ArithmeticNan => is_arithmetic_nan32(bits),
        NanPattern::Value(e) => e.bits == bits,
    }
}

fn f64_matches(p: &NanPattern<wast::token::F64>, bits: u64) -> bool {
    match p {
        NanPattern::CanonicalNan => is_canonical_nan64(bits),
        NanPattern::ArithmeticNan => is_arithmetic_nan64(bits),
        NanPattern::Value(e) => e.bits == bits,
    }
}

/// Lane `i` of `v`, `bits` wide.
fn lane(v: u128, bits: u32, i: usize) -> u128 {
    (v >> (bits as usize * i)) & (u128::MAX >> (128 - bits))
}

fn v128_matches(p: &V128Pattern, v: u128) -> bool {
    match p {
        V128Pattern::I8x16(e) => e.iter().enumerate().all(|(i, x)| lane(v, 8, i) == *x as u8 as u128),
        V128Pattern::I16x8(e) => e.iter().enumerate().all(|(i, x)| lane(v, 16, i) == *x as u16 as u128),
        V128Pattern::I32x4(e) => e.iter().enumerate().all(|(i, x)| lane(v, 32, i) == *x as u32 as u128),
        V128Pattern::I64x2(e) => e.iter().enumerate().all(|(i, x)| lane(v, 64, i) == *x as u64 as u128),
        V128Pattern::F32x4(e) => e.iter().enumerate().all(|(i, p)| f32_matches(p, lane(v, 32, i) as u32)),
        V128Pattern::F64x2(e) => e.iter().enumerate().all(|(i, p)| f64_matches(p, lane(v, 64, i) as u64)),
    }
}

fn fmt_val(v: &Val) -> String {
    match v {
        Val::I32(x) => format!("i32:{x}"),
        Val::I64(x) => format!("i64:{x}"),
        Val::F32(b) => format!("f32:{} (0x{b:08x})", f32::from_bits(*b)),
        Val::F64(b) => format!("f64:{} (0x{b:016x})", f64::from_bits(*b)),
        Val::V128(v) => format!("v128:0x{v:032x}"),
        Val::FuncRef(None) => "ref.null func".into(),
        Val::FuncRef(Some(f)) => format!("ref.func {f:?}"),
        Val::ExternRef(None) => "ref.null extern".into(),
        Val::ExternRef(Some(r)) => format!("ref.extern {}", r.0),
        Val::ExnRef(None) => "ref.null exn".into(),
        Val::ExnRef(Some(_)) => "ref.exn".into(),
    }
}

fn fmt_vals(vals: &[Val]) -> String {
    format!(
        "[{}]",
        vals.iter().map(fmt_val).collect::<Vec<_>>().join(", ")
    )
}

fn fmt_heap(ht: &HeapType<'_>) -> String {
    match ht {
        HeapType::Abstract { ty, .. } => format!("{ty:?}").to_lowercase(),
        other => format!("{other:?}"),
    }
}

fn fmt_nan<T>(p: &NanPattern<T>, value: impl Fn(&T) -> String) -> String {
    match p {
        NanPattern::CanonicalNan => "nan:canonical".into(),
        NanPattern::ArithmeticNan => "nan:arithmetic".into(),
        NanPattern::Value(v) => value(v),
    }
}

fn fmt_ret(r: &WastRetCore<'_>) -> String {
    match r {
        WastRetCore::I32(x) => format!("i32:{x}"),
        WastRetCore::I64(x) => format!("i64:{x}"),
        WastRetCore::F32(p) => {
            format!(
                "f32:{}",
                fmt_nan(p, |f| format!(
                    "{} (0x{:08x})",
                    f32::from_bits(f.bits),
                    f.bits
                ))
            )
        }
        WastRetCore::F64(p) => {
            format!(
                "f64:{}",
                fmt_nan(p, |f| format!(
                    "{} (0x{:016x})",
                    f64::from_bits(f.bits),
                    f.bits
                ))
            )
        }
        WastRetCore::V128(p) => format!("v128:{p:?}"),
        WastRetCore::RefNull(None) => "ref.null".into(),
        WastRetCore::RefNull(Some(ht)) => format!("ref.null {}", fmt_heap(ht)),
        WastRetCore::RefExtern(None) => "ref.extern".into(),
        WastRetCore::RefExtern(Some(n)) => format!("ref.extern {n}"),
        WastRetCore::RefFunc(_) => "ref.func (non-null)".into(),
        WastRetCore::Either(alts) => format!(
            "either({})",
            alts.iter().map(fmt_ret).collect::<Vec<_>>().join(" | ")
        ),
        other => format!("{other:?}"),
    }
}

fn fmt_rets(rets: &[WastRet<'_>]) -> String {
    let items: Vec<String> = rets
        .iter()
        .map(|r| match r {
            WastRet::Core(c) => fmt_ret(c),
            _ => "(component value)".into(),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn fmt_arg(a: &WastArg<'_>) -> String {
    match a {
        WastArg::Core(WastArgCore::I32(x)) => format!("i32:{x}"),
        WastArg::Core(WastArgCore::I64(x)) => format!("i64:{x}"),
        WastArg::Core(WastArgCore::F32(f)) => format!("f32:0x{:08x}", f.bits),
        WastArg::Core(WastArgCore::F64(f)) => format!("f64:0x{:016x}", f.bits),
        WastArg::Core(WastArgCore::V128(v)) => {
            format!("v128:0x{:032x}", u128::from_le_bytes(v.to_le_bytes()))
        }
        WastArg::Core(WastArgCore::RefNull(ht)) => format!("ref.null {}", fmt_heap(ht)),
        WastArg::Core(WastArgCore::RefExtern(n)) => format!("ref.extern {n}"),
        WastArg::Core(WastArgCore::RefHost(n)) => format!("ref.host {n}"),
        _ => "(component value)".into(),
    }
}

fn fmt_invoke(i: &WastInvoke<'_>) -> String {
    let module = i
        .module
        .map(|m| format!("${} ", m.name()))
        .unwrap_or_default();
    let args: Vec<String> = i.args.iter().map(fmt_arg).collect();
    if args.is_empty() {
        format!("(invoke {module}{:?})", i.name)
    } else {
        format!("(invoke {module}{:?} {})", i.name, args.join(" "))
    }
}

fn fmt_exec(e: &WastExecute<'_>) -> String {
    match e {
        WastExecute::Invoke(i) => fmt_invoke(i),
        WastExecute::Get { module, global, .. } => {
            let module = module
                .map(|m| format!("${} ", m.name()))
                .unwrap_or_default();
            format!("(get {module}{global:?})")
        }
        WastExecute::Wat(_) => "(module ...)".into(),
    }
}

/// A one-line summary of a directive for the failure list.
fn describe(d: &WastDirective<'_>) -> String {
    match d {
        WastDirective::Module(q) => match q.name() {
            Some(id) => format!("module ${}", id.name()),
            None => "module".into(),
        },
        WastDirective::ModuleDefinition(_) => "module definition".into(),
        WastDirective::ModuleInstance { .. } => "module instance".into(),
        WastDirective::AssertMalformed { message, .. } => format!("assert_malformed {message:?}"),
        WastDirective::AssertInvalid { message, .. } => format!("assert_invalid {message:?}"),
        WastDirective::AssertInvalidCustom { .. } => "assert_invalid_custom".into(),
        WastDirective::AssertMalformedCustom { .. } => "assert_malformed_custom".into(),
        WastDirective::Register { name, .. } => format!("register {name:?}"),
        WastDirective::Invoke(i) => fmt_invoke(i),
        WastDirective::AssertTrap { exec, .. } => format!("assert_trap {}", fmt_exec(exec)),
        WastDirective::AssertReturn { exec, .. } => format!("assert_return {}", fmt_exec(exec)),
        WastDirective::AssertExhaustion { call, .. } => {
            format!("assert_exhaustion {}", fmt_invoke(call))
        }
        WastDirective::AssertUnlinkable { message, .. } => format!("assert_unlinkable {message:?}"),
        WastDirective::AssertException { .. } => "assert_exception".into(),
        WastDirective::AssertSuspension { .. } => "assert_suspension".into(),
        WastDirective::Thread(_) => "thread".into(),
        WastDirective::Wait { .. } => "wait".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> FileReport {
        run_script("unit", "t.wast", text)
    }

    #[test]
    fn message_rule() {
        assert!(message_matches(
            "out of bounds memory access",
            "out of bounds"
        ));
        assert!(message_matches(
            "uninitialized element",
            "uninitialized element 2"
        ));
        assert!(message_matches(
            "indirect call type mismatch",
            "indirect call type mismatch"
        ));
        assert!(!message_matches(
            "uninitialized element",
            "uninitialized elements"
        ));
        assert!(!message_matches("", "unreachable"));
        assert!(!message_matches(
            "step limit exceeded",
            "call stack exhausted"
        ));
    }

    #[test]
    fn nan_patterns() {
        assert!(is_canonical_nan32(0x7fc0_0000) && is_canonical_nan32(0xffc0_0000));
        assert!(!is_canonical_nan32(0x7fc0_0001) && is_arithmetic_nan32(0x7fc0_0001));
        assert!(!is_arithmetic_nan32(0x7fa0_0000));
        assert!(
            is_canonical_nan64(0xfff8_0000_0000_0000) && !is_canonical_nan64(0x7ff8_0000_0000_0001)
        );
        assert!(
            is_arithmetic_nan64(0x7fff_ffff_ffff_ffff)
                && !is_arithmetic_nan64(0x7ff4_0000_0000_0000)
        );
    }

    #[test]
    fn counts_passes_failures_and_skips() {
        let r = run(r#"
            (module
              (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
              (func (export "trap") unreachable))
            (assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
            (assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 4))
            (assert_trap (invoke "trap") "unreachable")
            (assert_return (invoke "add" (i32.const 1) (i32.const 2)) (ref.array))
            (assert_invalid (module (func (result i32))) "type mismatch")
            (assert_malformed (module quote "(func") "unexpected end")
        "#);
        assert_eq!(r.passed, 5, "{r:?}");
        assert_eq!(r.failed(), 1);
        assert_eq!(r.failures[0].line, 6);
        assert_eq!(r.skips.len(), 1);
        assert_eq!(r.skips[0].reason, GC_REASON);
    }

    #[test]
    fn v128_compares_lane_by_lane() {
        let r = run(r#"
            (module
              (func (export "id") (param v128) (result v128) local.get 0)
              (func (export "nan") (result v128) (v128.const i32x4 0x7fc00000 0xffc00000 0x7fe00000 0)))
            (assert_return (invoke "id" (v128.const i16x8 1 2 3 4 5 6 7 -1)) (v128.const i16x8 1 2 3 4 5 6 7 -1))
            (assert_return (invoke "id" (v128.const i16x8 1 2 3 4 5 6 7 -1)) (v128.const i32x4 0x20001 0x40003 0x60005 0xffff0007))
            (assert_return (invoke "id" (v128.const i16x8 1 2 3 4 5 6 7 -1)) (v128.const i16x8 1 2 3 4 5 6 7 8))
            (assert_return (invoke "nan") (v128.const f32x4 nan:canonical nan:canonical nan:arithmetic 0))
            (assert_return (invoke "nan") (v128.const f32x4 nan:canonical nan:canonical nan:canonical 0))
        "#);
        assert_eq!((r.passed, r.failed(), r.skipped()), (4, 2, 0), "{r:?}");
        assert_eq!(r.failures.iter().map(|f| f.line).collect::<Vec<_>>(), [7, 9]);
    }

    #[test]
    fn registration_and_host_module() {
        let r = run(r#"
            (module $A
              (import "spectest" "global_i32" (global i32))
              (import "spectest" "print_i32" (func $p (param i32)))
              (func (export "get") (result i32) global.get 0)
              (func (export "print") (call $p (i32.const 1))))
            (register "A" $A)
            (module (import "A" "get" (func $g (result i32)))
              (func (export "twice") (result i32) call $g call $g i32.add))
            (assert_return (invoke "twice") (i32.const 1332))
            (assert_return (invoke $A "get") (i32.const 666))
            (invoke $A "print")
            (assert_unlinkable (module (import "A" "nope" (func))) "unknown import")
        "#);
        assert_eq!((r.passed, r.failed(), r.skipped()), (7, 0, 0), "{r:?}");
    }

    #[test]
    fn skipped_modules_propagate() {
        let r = run(r#"
            (module (func (export "f") (result i32) i32.const 0))
            (module $S (type (struct)) (func $v (export "v")))
            (invoke "v")
            (register "S" $S)
            (module (import "S" "v" (func)))
        "#);
        assert_eq!(r.passed, 1, "{r:?}");
        assert_eq!(r.skipped(), 4, "{r:?}");
        assert!(r.skips.iter().all(|s| s.reason.contains("which the engine does not implement")), "{r:?}");
    }

    #[test]
    fn report_ends_with_the_summary_line() {
        let report = Report {
            files: vec![run("(module) (assert_return (invoke \"x\"))")],
        };
        let text = report.to_string();
        let last = text.lines().last().unwrap();
        assert_eq!(last, "spectest: 1 passed, 1 failed, 0 skipped");
        assert_eq!(
            text.lines().filter(|l| l.starts_with("spectest:")).count(),
            1
        );
    }
}
