//! A compiled module: decoded by our parser, validated by `wasmparser`'s
//! validator, and translated function by function on first call (and, for a
//! large module, ahead of it on another thread: `ahead`), or all at once
//! with [`Config::eager_translation`](crate::Config). A module is
//! immutable and shareable across threads and stores.

use crate::ahead::Ahead;
use crate::decode::{self, DecodedModule, ExportKind, ImportKind};
use crate::engine::Engine;
use crate::error::Error;
use crate::exec::{self, Callee, CompiledFunc};
use crate::translate::{self, FuncContext, TranslatedFunc};
use crate::types::{ExternType, FuncType, HeapType, ValType, SELF_TYPE};
use std::sync::{Arc, OnceLock};

/// The WebAssembly features this engine implements: 2.0, relaxed SIMD,
/// extended constant expressions, tail calls, multi-memory and memory64
/// (with table64). A module `wasmparser` validates with these is one the
/// engine runs.
pub fn features() -> wasmparser::WasmFeatures {
    use wasmparser::WasmFeatures as F;
    F::WASM2
        | F::RELAXED_SIMD
        | F::EXTENDED_CONST
        | F::TAIL_CALL
        | F::MULTI_MEMORY
        | F::MEMORY64
        | F::EXCEPTIONS
        | F::FUNCTION_REFERENCES
        | F::LEGACY_EXCEPTIONS
}

/// Interns the module's signatures in the engine and rewrites every
/// concrete heap type the module hands out (in signatures, imports,
/// tables, globals and element segments) from a module type index to the
/// engine's id, so that types compare across modules. Returns the engine
/// id of each module type.
fn canonicalize(engine: &Engine, d: &mut DecodedModule) -> Box<[u32]> {
    // Types are interned in order, so a signature can only name earlier
    // ones or itself (validation allows no forward reference without GC).
    fn canon(v: ValType, ids: &[u32]) -> ValType {
        match v {
            ValType::Ref(mut r) => {
                if let HeapType::Concrete(t) = r.heap {
                    r.heap = HeapType::Concrete(ids.get(t as usize).copied().unwrap_or(SELF_TYPE));
                }
                ValType::Ref(r)
            }
            other => other,
        }
    }
    let mut ids: Vec<u32> = Vec::with_capacity(d.types.len());
    for i in 0..d.types.len() {
        let t = &d.types[i];
        let canonical = FuncType::new(
            t.params().iter().map(|&v| canon(v, &ids)),
            t.results().iter().map(|&v| canon(v, &ids)),
        );
        ids.push(engine.intern(&canonical));
        d.types[i] = canonical;
    }
    let r = |e: &mut crate::types::RefType| {
        if let ValType::Ref(c) = canon(ValType::Ref(*e), &ids) {
            *e = c;
        }
    };
    for import in &mut d.imports {
        match &mut import.kind {
            ImportKind::Table(t) => r(&mut t.element),
            ImportKind::Global(g) => g.content = canon(g.content, &ids),
            _ => {}
        }
    }
    d.tables.iter_mut().for_each(|t| r(&mut t.element));
    d.elements.iter_mut().for_each(|e| r(&mut e.ty));
    for g in &mut d.globals {
        g.ty.content = canon(g.ty.content, &ids);
    }
    ids.into()
}

/// Modules at least this large have their function bodies validated, and
/// translated (when eager), in parallel.
const PARALLEL_VALIDATION_BYTES: usize = 1 << 20;

/// Validates a module with wasmparser: the sections in order, then the
/// function bodies, on two threads for a large module. The error reported
/// is the first in the bytes, as a validator going through them in order
/// would find it.
fn validate(features: wasmparser::WasmFeatures, bytes: &[u8]) -> Result<(), Error> {
    use wasmparser::{FuncToValidate, FunctionBody, ValidPayload, ValidatorResources};
    type Func<'a> = (FuncToValidate<ValidatorResources>, FunctionBody<'a>);
    let invalid = |e: wasmparser::BinaryReaderError| Error::Invalid(e.message().to_string());
    let bodies = |funcs: Vec<Func<'_>>| {
        let mut allocations = Default::default();
        for (func, body) in funcs {
            let mut v = func.into_validator(allocations);
            v.validate(&body).map_err(invalid)?;
            allocations = v.into_allocations();
        }
        Ok(())
    };
    let mut validator = wasmparser::Validator::new_with_features(features);
    let mut funcs: Vec<Func<'_>> = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload.and_then(|p| validator.payload(&p)) {
            Ok(ValidPayload::Func(func, body)) => funcs.push((func, body)),
            Ok(_) => {}
            // The code section comes before any section left to read.
            Err(e) => return bodies(funcs).and(Err(invalid(e))),
        }
    }
    if bytes.len() < PARALLEL_VALIDATION_BYTES {
        return bodies(funcs);
    }
    // Halves of about the same size in bytes.
    let size = |b: &FunctionBody<'_>| b.range().end - b.range().start;
    let total: u64 = funcs.iter().map(|(_, b)| size(b)).sum();
    let mut seen = 0;
    let half = funcs.iter().position(|(_, b)| {
        seen += size(b);
        seen >= total / 2
    });
    let second = funcs.split_off(half.map_or(0, |i| i + 1).min(funcs.len()));
    let (first, second) = std::thread::scope(|s| {
        let second = s.spawn(|| bodies(second));
        (bodies(funcs), second.join())
    });
    first?;
    second.unwrap_or_else(|_| Err(Error::Invalid("the validator failed".into())))
}

/// A validated module, ready to instantiate.
#[derive(Clone)]
pub struct Module {
    pub(crate) inner: Arc<ModuleInner>,
}

pub(crate) struct ModuleInner {
    pub engine: Engine,
    pub bytes: Box<[u8]>,
    pub decoded: DecodedModule,
    /// Engine type id of each module type.
    pub type_ids: Box<[u32]>,
    /// Module type index of every function, imports first.
    pub func_types: Box<[u32]>,
    /// Value type of every global, imports first.
    pub global_types: Box<[ValType]>,
    /// Whether each memory, then each table, is 64-bit, imports first.
    pub memory64: Box<[bool]>,
    pub table64: Box<[bool]>,
    /// Module type index of every tag, imports first.
    pub tag_types: Box<[u32]>,
    pub num_imported_funcs: u32,
    compiled: Box<[OnceLock<Result<CompiledFunc, Error>>]>,
    /// What a direct call needs of each defined function, once translated
    /// (the executor keeps the running module's table at hand).
    callees: Box<[Callee]>,
    /// What snapshots ask of a module, worked out once: its SHA-256 and
    /// whether its code uses `call_ref`.
    pub(crate) snapshot_facts: OnceLock<([u8; 32], bool)>,
    /// Translation ahead of calls, for a large module translated lazily.
    pub(crate) ahead: Option<Ahead>,
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module")
            .field("functions", &self.inner.func_types.len())
            .field("imports", &self.inner.decoded.imports.len())
            .field("exports", &self.inner.decoded.exports.len())
            .finish()
    }
}

impl Module {
    /// Decodes and validates a binary module.
    pub fn new(engine: &Engine, bytes: &[u8]) -> Result<Module, Error> {
        Module::from_vec(engine, bytes.to_vec())
    }

    /// [`Module::new`] on bytes the module may keep without a copy (26 MB
    /// for CPython).
    pub fn from_vec(engine: &Engine, bytes: Vec<u8>) -> Result<Module, Error> {
        let bytes = bytes.into_boxed_slice();
        // Our decoder reads the sections and delimits the function bodies;
        // the validator reads every body, and translation decodes each one
        // it runs (tests/decode_agrees.rs and the `decode` fuzz target hold
        // our decoder and the validator to the same verdict). A module that
        // fails either is decoded in full, so that the error is our
        // decoder's whenever it has one, as before.
        //
        // Our decoder goes first: wasmparser's validator reserves room for
        // the counts a section claims (up to 1 M imports, ~69 MB) before it
        // reads them, so it sees only what ours, which checks counts
        // against the bytes left, accepted.
        let full_error = |other: Error| decode::decode(&bytes).err().map_or(other, Error::Decode);
        let mut decoded = decode::decode_sections(&bytes).map_err(|e| full_error(e.into()))?;
        validate(engine.config().features & features(), &bytes).map_err(full_error)?;

        let type_ids = canonicalize(engine, &mut decoded);
        let mut func_types: Vec<u32> = decoded
            .imports
            .iter()
            .filter_map(|i| match i.kind {
                ImportKind::Func(t) => Some(t),
                _ => None,
            })
            .collect();
        let num_imported_funcs = func_types.len() as u32;
        func_types.extend_from_slice(&decoded.functions);
        let global_types = decoded
            .imports
            .iter()
            .filter_map(|i| match i.kind {
                ImportKind::Global(g) => Some(g.content),
                _ => None,
            })
            .chain(decoded.globals.iter().map(|g| g.ty.content))
            .collect();
        let memory64 = decoded
            .imports
            .iter()
            .filter_map(|i| match i.kind {
                ImportKind::Memory(m) => Some(m.memory64),
                _ => None,
            })
            .chain(decoded.memories.iter().map(|m| m.memory64))
            .collect();
        let table64 = decoded
            .imports
            .iter()
            .filter_map(|i| match i.kind {
                ImportKind::Table(t) => Some(t.table64),
                _ => None,
            })
            .chain(decoded.tables.iter().map(|t| t.table64))
            .collect();
        let tag_types = decoded
            .imports
            .iter()
            .filter_map(|i| match i.kind {
                ImportKind::Tag(t) => Some(t),
                _ => None,
            })
            .chain(decoded.tags.iter().copied())
            .collect();
        let compiled = (0..decoded.functions.len()).map(|_| OnceLock::new()).collect();
        let callees = (0..decoded.functions.len()).map(|_| Callee::default()).collect();
        let eager = engine.config().eager_translation;
        let ahead = !eager
            && engine.config().translate_ahead
            && bytes.len() >= PARALLEL_VALIDATION_BYTES
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
        let functions = decoded.functions.len();
        let inner = Arc::new_cyclic(|this| ModuleInner {
            engine: engine.clone(),
            bytes,
            decoded,
            type_ids,
            func_types: func_types.into(),
            global_types,
            memory64,
            table64,
            tag_types,
            num_imported_funcs,
            compiled,
            callees,
            snapshot_facts: OnceLock::new(),
            ahead: ahead.then(|| Ahead::new(this.clone(), functions)),
        });
        if eager {
            inner.translate_all();
            // The first failure in function order, whichever thread met it.
            for i in 0..inner.compiled.len() {
                inner.compiled(i as u32)?;
            }
        }
        Ok(Module { inner })
    }

    /// Parses the text format (`.wat`) and compiles the result.
    pub fn from_wat(engine: &Engine, text: &str) -> Result<Module, Error> {
        let bytes = wat_to_binary(text)?;
        Module::new(engine, &bytes)
    }

    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// The module's imports: (module, name, type).
    pub fn imports(&self) -> impl Iterator<Item = (&str, &str, ExternType)> + '_ {
        self.inner.decoded.imports.iter().map(|i| {
            let ty = match &i.kind {
                ImportKind::Func(t) => ExternType::Func(self.inner.func_type(*t).clone()),
                ImportKind::Table(t) => ExternType::Table(*t),
                ImportKind::Memory(m) => ExternType::Memory(*m),
                ImportKind::Global(g) => ExternType::Global(*g),
                ImportKind::Tag(t) => ExternType::Tag(self.inner.func_type(*t).clone()),
            };
            (i.module.as_str(), i.name.as_str(), ty)
        })
    }

    /// The module's exports: (name, type).
    pub fn exports(&self) -> impl Iterator<Item = (&str, ExternType)> + '_ {
        self.inner.decoded.exports.iter().map(|e| (e.name.as_str(), self.inner.export_type(e.kind, e.index)))
    }

    /// Custom sections: (name, contents).
    pub fn custom_sections(&self) -> impl Iterator<Item = (&str, &[u8])> + '_ {
        self.inner.decoded.customs.iter().map(|c| (c.name.as_str(), &self.inner.bytes[c.data.clone()]))
    }

    /// The decoded structure, for tools that report on modules.
    pub fn decoded(&self) -> &DecodedModule {
        &self.inner.decoded
    }

    /// The module's bytes (the ranges in [`decoded`](Module::decoded) point
    /// into them).
    pub fn bytes(&self) -> &[u8] {
        &self.inner.bytes
    }

    /// The executable code of defined function `index`, one op a
    /// line with its step cost: for studying the translator and linker, not a stable
    /// format.
    #[doc(hidden)]
    pub fn dump_translation(&self, index: u32) -> Result<String, Error> {
        let f = self.inner.link(self.inner.translate(index)?);
        let mut out = String::new();
        for (pc, (op, c)) in f.ops.iter().zip(&f.costs).enumerate() {
            out += &format!("{pc:4} {:>2}+{:<2} {op:?}\n", c.pre, c.post);
        }
        Ok(out)
    }
}

#[cfg(any(test, feature = "wat"))]
fn wat_to_binary(text: &str) -> Result<Vec<u8>, Error> {
    wat::parse_str(text).map_err(|e| Error::Usage(e.to_string()))
}

#[cfg(not(any(test, feature = "wat")))]
fn wat_to_binary(_text: &str) -> Result<Vec<u8>, Error> {
    Err(Error::Usage("this build of porta-interp reads binary modules only (enable the `wat` feature)".into()))
}

impl ModuleInner {
    pub(crate) fn func_type(&self, type_index: u32) -> &FuncType {
        &self.decoded.types[type_index as usize]
    }

    /// Signature of function `index` (imports first).
    pub(crate) fn func_sig(&self, index: u32) -> &FuncType {
        self.func_type(self.func_types[index as usize])
    }

    pub(crate) fn export_type(&self, kind: ExportKind, index: u32) -> ExternType {
        let d = &self.decoded;
        let imported = d.imports.iter().map(|i| &i.kind);
        let i = index as usize;
        let found = match kind {
            ExportKind::Func => Some(ExternType::Func(self.func_sig(index).clone())),
            ExportKind::Table => imported
                .filter_map(|k| if let ImportKind::Table(t) = k { Some(*t) } else { None })
                .chain(d.tables.iter().copied())
                .nth(i)
                .map(ExternType::Table),
            ExportKind::Memory => imported
                .filter_map(|k| if let ImportKind::Memory(m) = k { Some(*m) } else { None })
                .chain(d.memories.iter().copied())
                .nth(i)
                .map(ExternType::Memory),
            ExportKind::Global => imported
                .filter_map(|k| if let ImportKind::Global(g) = k { Some(*g) } else { None })
                .chain(d.globals.iter().map(|g| g.ty))
                .nth(i)
                .map(ExternType::Global),
            ExportKind::Tag => self.tag_types.get(i).map(|&t| ExternType::Tag(self.func_type(t).clone())),
        };
        found.expect("validated export index")
    }

    /// The translated code of defined function `index` (not counting
    /// imports), translating it on first use.
    #[inline]
    pub(crate) fn num_defined_funcs(&self) -> usize {
        self.compiled.len()
    }

    /// The defined-function index of translated code `f`.
    pub(crate) fn index_of(&self, f: *const CompiledFunc) -> Option<u32> {
        let same = |c: &OnceLock<Result<CompiledFunc, Error>>| matches!(c.get(), Some(Ok(c)) if std::ptr::eq(c, f));
        self.compiled.iter().position(same).map(|i| i as u32)
    }

    pub(crate) fn compiled(&self, index: u32) -> Result<&CompiledFunc, Error> {
        match self.compiled.get(index as usize).and_then(OnceLock::get) {
            Some(Ok(f)) => Ok(f),
            _ => self.translate_now(index),
        }
    }

    /// Translates every function: on large modules, on every core, each
    /// thread taking the next function not yet taken.
    fn translate_all(&self) {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = || loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if i >= self.compiled.len() {
                break;
            }
            let _ = self.compiled(i as u32);
        };
        if threads > 1 && self.bytes.len() >= PARALLEL_VALIDATION_BYTES {
            std::thread::scope(|s| {
                for _ in 1..threads {
                    s.spawn(work);
                }
                work();
            });
        } else {
            work();
        }
    }

    /// The table of [`Callee`]s, by defined function index: it lives as
    /// long as the module and never moves.
    pub(crate) fn callees(&self) -> *const Callee {
        self.callees.as_ptr()
    }

    /// [`compiled`](Self::compiled) for the executor's call path: no error
    /// value to build or drop (the caller asks `compiled` for it), so the
    /// calling handler keeps no stack state.
    #[inline(always)]
    pub(crate) fn compiled_for_call(&self, index: u32) -> Option<&CompiledFunc> {
        match self.compiled.get(index as usize).and_then(OnceLock::get) {
            Some(Ok(f)) => Some(f),
            _ => self.translate_for_call(index),
        }
    }

    #[cold]
    #[inline(never)]
    fn translate_for_call(&self, index: u32) -> Option<&CompiledFunc> {
        self.translate_now(index).ok()
    }

    /// Whether defined function `index` has been translated.
    #[cfg(test)]
    pub(crate) fn is_translated(&self, index: u32) -> bool {
        self.compiled[index as usize].get().is_some()
    }

    #[cold]
    #[inline(never)]
    fn translate_now(&self, index: u32) -> Result<&CompiledFunc, Error> {
        let slot = &self.compiled[index as usize];
        let f = slot
            .get_or_init(|| {
                self.translate(index).map(|t| {
                    if let Some(ahead) = &self.ahead {
                        ahead.queue_callees(&t);
                    }
                    self.link(t)
                })
            })
            .as_ref()
            .map_err(Clone::clone)?;
        self.callees[index as usize].publish(f);
        Ok(f)
    }

    fn link(&self, t: TranslatedFunc) -> CompiledFunc {
        exec::link(t, &self.type_ids)
    }

    fn translate(&self, index: u32) -> Result<TranslatedFunc, Error> {
        let ctx = FuncContext {
            types: &self.decoded.types,
            func_types: &self.func_types,
            global_types: &self.global_types,
            memory64: &self.memory64,
            table64: &self.table64,
            tag_types: &self.tag_types,
            num_imported_funcs: self.num_imported_funcs,
            count_steps: self.engine.config().count_steps,
            canonical_nans: self.engine.config().canonical_nans,
        };
        let body = &self.decoded.bodies[index as usize];
        translate::translate(&ctx, index + self.num_imported_funcs, body, &self.bytes)
    }
}
