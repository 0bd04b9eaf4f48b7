//! Snapshots: a call paused at a step boundary ([`Paused`]) and everything
//! its store holds, as bytes another process turns back into the same
//! paused call. The promise (SPEC §2.1, §9): resumed, it ends exactly as
//! if it had never stopped, with the same total step count.
//!
//! A snapshot covers a store with one instance (what `porta run` makes):
//! its memories (sparse, compressed), tables, globals, dropped segments,
//! held exceptions, the executor's frames and value stack, and the step
//! count; the embedder adds its own sections (the WASI context, its run
//! record). Restoring instantiates the same module (checked by SHA-256)
//! without its start function and overwrites every state with the file's,
//! after checking each value against the module: a hostile file can give
//! the guest any state the guest could have reached itself, and no more.

pub(crate) mod codec;
mod format;
mod memory;

use crate::exception::{Exception, Exceptions};
use crate::exec::{ExecState, FrameState, PauseReason, Paused};
use crate::instance::Instance;
#[cfg(target_os = "linux")]
use crate::linear::Template;
use crate::linker::Linker;
use crate::module::Module;
use crate::store::{zeroed, Store, StoreInner, PAGE_SIZE};
use crate::types::{HeapType, ValType};
use crate::value::{cells_for, exn_index, ref_index};
use codec::{CodecError, CodecResult, Reader, Writer};
use format::Section;
use sha2::{Digest, Sha256};
use std::sync::Arc;

pub use format::VERSION;

/// Why a snapshot could not be taken, read or restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotError {
    /// Not a snapshot, damaged, or holding a state the module cannot have.
    Invalid(String),
    /// Taken of another module (SHA-256s, hex).
    OtherModule { snapshot: String, module: String },
    /// The store holds what a snapshot cannot carry yet.
    Unsupported(String),
}

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapshotError::Invalid(m) => write!(f, "invalid snapshot: {m}"),
            SnapshotError::OtherModule { snapshot, module } => write!(
                f,
                "the snapshot was taken of another module (sha256 {snapshot}, this one is {module}): resume it with the module it was taken of"
            ),
            SnapshotError::Unsupported(m) => write!(f, "cannot snapshot this guest: {m}"),
        }
    }
}

impl std::error::Error for SnapshotError {}

impl From<CodecError> for SnapshotError {
    fn from(e: CodecError) -> Self {
        SnapshotError::Invalid(e.0)
    }
}

fn invalid(m: impl Into<String>) -> SnapshotError {
    SnapshotError::Invalid(m.into())
}

/// The SHA-256 of a module's bytes, which binds a snapshot to its module.
pub fn module_sha256(module: &Module) -> [u8; 32] {
    facts(module).0
}

/// The module's SHA-256 and whether it uses `call_ref`, computed once per
/// module (a prewarmed server restores from a snapshot on every call).
fn facts(module: &Module) -> ([u8; 32], bool) {
    *module.inner.snapshot_facts.get_or_init(|| (Sha256::digest(module.bytes()).into(), uses_call_ref(module)))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A snapshot: its sections as bytes, with the header read.
pub struct Snapshot {
    sections: [Option<Vec<u8>>; 9],
    module_sha256: [u8; 32],
    steps: u64,
}

impl Snapshot {
    /// Takes the state of `paused`'s store (one instance, no call running).
    pub fn capture<T>(store: &Store<T>, paused: &Paused) -> Result<Snapshot, SnapshotError> {
        let s = &store.inner;
        if paused.store_id != s.id {
            return Err(SnapshotError::Unsupported("the paused call belongs to another store".into()));
        }
        let [instance] = &s.instances[..] else {
            return Err(SnapshotError::Unsupported(format!("{} instances in the store; a snapshot holds one", s.instances.len())));
        };
        let module = Module { inner: instance.module.clone() };
        refuse_typed_calls(&module)?;
        let sha = module_sha256(&module);

        let mut w = Writer::default();
        w.bytes.extend_from_slice(&sha);
        w.u64(s.steps);
        let header = w.bytes;

        let mut w = Writer::default();
        write_exec(&mut w, &paused.state(store));
        let exec = w.bytes;

        let mut w = Writer::default();
        w.len(s.memories.len());
        s.memories.iter().for_each(|m| memory::write(&mut w, &m.data));
        let memories = w.bytes;

        let no_host_refs = |what: String, ty: ValType, cell: u64| match ty {
            ValType::Ref(r) if r.top() == HeapType::Extern && cell != 0 => Err(SnapshotError::Unsupported(format!(
                "{what} holds a host reference (externref), which another process could not give back"
            ))),
            _ => Ok(()),
        };
        let mut w = Writer::default();
        w.len(s.tables.len());
        for (i, t) in s.tables.iter().enumerate() {
            if let Some(&cell) = t.elems.iter().find(|&&c| c != 0) {
                no_host_refs(format!("table {i}"), ValType::Ref(t.ty.element), cell)?;
            }
            w.u64s(&t.elems);
        }
        let tables = w.bytes;

        let mut w = Writer::default();
        w.len(s.globals.len());
        for (i, g) in s.globals.iter().enumerate() {
            no_host_refs(format!("global {i}"), g.ty.content, g.value[0])?;
            w.u64(g.value[0]);
            w.u64(g.value[1]);
        }
        let globals = w.bytes;

        let mut w = Writer::default();
        w.len(instance.dropped_data.len());
        instance.dropped_data.iter().for_each(|&d| w.bool(d));
        w.len(instance.elems.len());
        instance.elems.iter().for_each(|e| w.bool(e.is_empty()));
        let segments = w.bytes;

        let mut w = Writer::default();
        let (slots, free) = s.exceptions.parts();
        w.len(slots.len());
        for slot in slots {
            w.bool(slot.is_some());
            if let Some(e) = slot {
                let params = s.tags[e.tag as usize].ty.params().to_vec();
                let mut at = 0;
                for ty in params {
                    no_host_refs("an exception".into(), ty, e.values[at])?;
                    at += cells_for(&[ty]);
                }
                w.u32(e.tag);
                w.u64s(&e.values);
                w.bool(e.referenced);
                w.bool(e.pinned.get());
            }
        }
        w.len(free.len());
        free.iter().for_each(|&i| w.u32(i));
        let exceptions = w.bytes;

        let mut sections: [Option<Vec<u8>>; 9] = Default::default();
        let parts = [header, exec, memories, tables, globals, segments, exceptions];
        for (slot, bytes) in sections.iter_mut().zip(parts) {
            *slot = Some(bytes);
        }
        Ok(Snapshot { sections, module_sha256: sha, steps: s.steps })
    }

    /// The WASI context's state (`wasi::WasiState::encode`).
    pub fn set_wasi(&mut self, bytes: Vec<u8>) {
        self.sections[Section::Wasi as usize - 1] = Some(bytes);
    }
    pub fn wasi(&self) -> Option<&[u8]> {
        self.sections[Section::Wasi as usize - 1].as_deref()
    }
    /// The embedder's own record, which the engine does not read.
    pub fn set_embedder(&mut self, bytes: Vec<u8>) {
        self.sections[Section::Embedder as usize - 1] = Some(bytes);
    }
    pub fn embedder(&self) -> Option<&[u8]> {
        self.sections[Section::Embedder as usize - 1].as_deref()
    }

    pub fn module_sha256(&self) -> [u8; 32] {
        self.module_sha256
    }
    /// Steps executed since the original start.
    pub fn steps(&self) -> u64 {
        self.steps
    }
    /// Why the call was stopped.
    pub fn reason(&self) -> Result<PauseReason, SnapshotError> {
        let mut r = Reader::new(self.section(Section::Exec), "exec section");
        Ok(read_exec(&mut r)?.reason)
    }
    /// The size of each memory, in pages, and how many of them were written
    /// (held a non-zero byte).
    pub fn memories(&self) -> Result<Vec<(u64, u64)>, SnapshotError> {
        let mut r = Reader::new(self.section(Section::Memories), "memories section");
        let n = r.count(16)?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let pages = r.u64()?;
            let used = r.count(9)?;
            for _ in 0..used {
                r.u64()?;
                r.bytes()?;
            }
            out.push((pages, used as u64));
        }
        Ok(out)
    }

    fn section(&self, s: Section) -> &[u8] {
        self.sections[s as usize - 1].as_deref().unwrap_or_default()
    }

    /// The file's bytes: a checksum over versioned, typed sections.
    pub fn to_bytes(&self) -> Vec<u8> {
        let parts: Vec<(Section, Vec<u8>)> =
            format::ALL.iter().filter_map(|&k| self.sections[k as usize - 1].clone().map(|b| (k, b))).collect();
        format::write(&parts)
    }

    /// Reads a file: its format, checksum and header. The state itself is
    /// checked against the module by [`Snapshot::restore`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
        let found = format::read(bytes)?;
        let mut r = Reader::new(found[0].unwrap_or_default(), "header section");
        let sha: [u8; 32] = r.take(32)?.try_into().expect("32 bytes");
        let steps = r.u64()?;
        r.finish()?;
        Ok(Snapshot { sections: found.map(|s| s.map(<[u8]>::to_vec)), module_sha256: sha, steps })
    }

    /// Instantiates `module` in `store` (fresh: no instance yet) through
    /// `linker`, without running its start function, and gives it the
    /// snapshot's state; returns the instance and the paused call, which
    /// [`Paused::resume`] runs on. The store's step count becomes the
    /// snapshot's; its limits apply to what the snapshot holds.
    pub fn restore<T>(&self, linker: &Linker<T>, store: &mut Store<T>, module: &Module) -> Result<(Instance, Paused), SnapshotError> {
        self.restore_from(linker, store, module, Memories::Section(self.section(Section::Memories)))
    }

    /// Makes this snapshot ready to restore many times: on Linux its
    /// memories go to memfds, and each restore maps them copy-on-write, so
    /// a restored call pays for the pages it writes, not for the whole
    /// memory. Elsewhere each restore decompresses them.
    pub fn prepare(self) -> Result<Prepared, SnapshotError> {
        #[cfg(target_os = "linux")]
        {
            let mut r = Reader::new(self.section(Section::Memories), "memories section");
            let n = r.count(16)?;
            let mut templates = Vec::with_capacity(n);
            for i in 0..n {
                let data = memory::read(&mut r, |pages| {
                    let bytes = usize::try_from(pages).ok().and_then(|p| p.checked_mul(PAGE_SIZE));
                    bytes.and_then(zeroed).ok_or_else(|| format!("cannot allocate memory {i} ({pages} pages)"))
                })?;
                templates.push(Template::new(&data).map_err(|e| SnapshotError::Unsupported(format!("cannot keep memory {i}: {e}")))?);
            }
            r.finish()?;
            Ok(Prepared { snapshot: self, templates })
        }
        #[cfg(not(target_os = "linux"))]
        Ok(Prepared { snapshot: self })
    }

    fn restore_from<T>(
        &self,
        linker: &Linker<T>,
        store: &mut Store<T>,
        module: &Module,
        memories: Memories<'_>,
    ) -> Result<(Instance, Paused), SnapshotError> {
        let sha = module_sha256(module);
        if sha != self.module_sha256 {
            return Err(SnapshotError::OtherModule { snapshot: hex(&self.module_sha256), module: hex(&sha) });
        }
        if !store.inner.instances.is_empty() {
            return Err(SnapshotError::Unsupported("a snapshot restores into a store with no instance yet".into()));
        }
        refuse_typed_calls(module)?;
        let instance = linker
            .instantiate_with(store, module, false)
            .map_err(|e| invalid(format!("the module cannot be instantiated to restore into: {e}")))?;
        let s = &mut store.inner;
        restore_memories(s, memories)?;
        restore_exceptions(s, &mut Reader::new(self.section(Section::Exceptions), "exceptions section"))?;
        restore_tables(s, &mut Reader::new(self.section(Section::Tables), "tables section"))?;
        restore_globals(s, &mut Reader::new(self.section(Section::Globals), "globals section"))?;
        restore_segments(s, &mut Reader::new(self.section(Section::Segments), "segments section"))?;
        let mut r = Reader::new(self.section(Section::Exec), "exec section");
        let mut state = read_exec(&mut r)?;
        r.finish()?;
        let inst = &store.inner.instances[0];
        let outer = state.frames.first().map_or(state.func, |f| f.func);
        let imported = inst.module.func_types.len() - inst.module.num_defined_funcs();
        let sig = (outer as usize).checked_add(imported).filter(|&i| i < inst.module.func_types.len());
        let sig = sig.ok_or_else(|| invalid("the exec section names a function the module lacks"))?;
        state.results = inst.module.func_sig(sig as u32).results().to_vec();
        let paused = Paused::from_state(store, state).map_err(|m| invalid(format!("the paused call {m}")))?;
        store.inner.steps = self.steps;
        Ok((instance, paused))
    }
}

/// A snapshot ready to restore many times ([`Snapshot::prepare`]).
pub struct Prepared {
    snapshot: Snapshot,
    #[cfg(target_os = "linux")]
    templates: Vec<Template>,
}

impl Prepared {
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// As [`Snapshot::restore`], with the memories mapped copy-on-write
    /// from the prepared ones (Linux) or decompressed (elsewhere).
    pub fn restore<T>(&self, linker: &Linker<T>, store: &mut Store<T>, module: &Module) -> Result<(Instance, Paused), SnapshotError> {
        #[cfg(target_os = "linux")]
        let memories = Memories::Templates(&self.templates);
        #[cfg(not(target_os = "linux"))]
        let memories = Memories::Section(self.snapshot.section(Section::Memories));
        self.snapshot.restore_from(linker, store, module, memories)
    }
}

/// `call_ref` trusts its operand's type, which validation proves for code
/// but nothing proves for a value stack read from a file.
fn refuse_typed_calls(module: &Module) -> Result<(), SnapshotError> {
    match facts(module).1 {
        true => Err(SnapshotError::Unsupported("the module uses call_ref (typed function references)".into())),
        false => Ok(()),
    }
}

fn uses_call_ref(module: &Module) -> bool {
    use crate::decode::{Op, OpReader};
    module.decoded().bodies.iter().any(|body| {
        let mut ops = OpReader::new(&module.bytes()[body.code.clone()], body.code.start);
        while !ops.is_empty() {
            match ops.read() {
                Ok(Op::CallRef(_) | Op::ReturnCallRef(_)) => return true,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        false
    })
}

fn write_exec(w: &mut Writer, s: &ExecState) {
    w.u8(match s.reason {
        PauseReason::StepLimit => 0,
        PauseReason::Interrupted => 1,
        PauseReason::HostCall => 2,
    });
    w.u32(s.instance);
    w.u32(s.func);
    w.u32(s.pc);
    w.opt_u64(s.owed);
    w.u64(s.acc);
    w.u32(s.memory_index);
    w.u64(s.base);
    w.len(s.frames.len());
    for f in &s.frames {
        w.u32(f.instance);
        w.u32(f.func);
        w.u32(f.ret);
        w.u32(f.cost);
        w.u64(f.base);
    }
    w.u64s(&s.cells);
}

fn read_exec(r: &mut Reader<'_>) -> CodecResult<ExecState> {
    let reason = match r.u8()? {
        0 => PauseReason::StepLimit,
        1 => PauseReason::Interrupted,
        2 => PauseReason::HostCall,
        b => return Err(r.error(format!("unknown pause reason {b}"))),
    };
    let (instance, func, pc, owed, acc, memory_index, base) = (r.u32()?, r.u32()?, r.u32()?, r.opt_u64()?, r.u64()?, r.u32()?, r.u64()?);
    let n = r.count(24)?;
    let mut frames = Vec::with_capacity(n);
    for _ in 0..n {
        frames.push(FrameState { instance: r.u32()?, func: r.u32()?, ret: r.u32()?, cost: r.u32()?, base: r.u64()? });
    }
    let cells = r.u64s()?;
    Ok(ExecState { reason, results: Vec::new(), instance, func, pc, owed, acc, memory_index, base, frames, cells })
}

fn expect_count(r: &mut Reader<'_>, item: usize, want: usize, what: &str) -> CodecResult<()> {
    match r.count(item)? {
        n if n == want => Ok(()),
        n => Err(r.error(format!("{n} {what}, the module has {want}"))),
    }
}

/// Where restored memories come from.
enum Memories<'a> {
    /// The memories section, decompressed into fresh memories.
    Section(&'a [u8]),
    /// Copy-on-write mappings of templates ([`Prepared`]).
    #[cfg(target_os = "linux")]
    Templates(&'a [Template]),
}

/// Checks a restored memory's size against its type and the store's
/// limit; returns how many bytes to reserve for it (what it may grow to,
/// at most 4 GiB beyond its size).
fn memory_room(s: &StoreInner, i: usize, pages: u64) -> Result<usize, String> {
    let ty = s.memories[i].ty;
    let limit = s.limits.max_memory_pages;
    let max = ty.limits.max.unwrap_or(u64::MAX).min(ty.max_pages());
    if pages < ty.limits.min || pages > max {
        return Err(format!("memory {i} has {pages} pages, which its type does not allow"));
    }
    if pages > limit {
        return Err(format!("memory {i} has {pages} pages, more than the limit of {limit} (raise --max-memory)"));
    }
    let bytes = |p: u64| usize::try_from(p).ok().and_then(|p| p.checked_mul(PAGE_SIZE));
    let size = bytes(pages).ok_or_else(|| format!("memory {i} ({pages} pages) does not fit this machine"))?;
    Ok(bytes(max.min(limit).min(pages + 65536)).unwrap_or(size).max(size))
}

fn restore_memories(s: &mut StoreInner, from: Memories<'_>) -> Result<(), SnapshotError> {
    match from {
        Memories::Section(bytes) => {
            let r = &mut Reader::new(bytes, "memories section");
            expect_count(r, 16, s.memories.len(), "memories")?;
            for i in 0..s.memories.len() {
                let data = memory::read(r, |pages| {
                    memory_room(s, i, pages)?;
                    let bytes = pages as usize * PAGE_SIZE;
                    zeroed(bytes).ok_or_else(|| format!("cannot allocate memory {i} ({pages} pages)"))
                })?;
                s.memories[i].data = data;
            }
            Ok(r.finish()?)
        }
        #[cfg(target_os = "linux")]
        Memories::Templates(templates) => {
            if templates.len() != s.memories.len() {
                return Err(invalid("the prepared memories do not fit the module"));
            }
            for (i, t) in templates.iter().enumerate() {
                let room = memory_room(s, i, (t.len() / PAGE_SIZE) as u64).map_err(invalid)?;
                let data = t.instantiate(room).ok_or_else(|| invalid(format!("cannot map memory {i}")))?;
                s.memories[i].data = data;
            }
            Ok(())
        }
    }
}

/// Whether `cell` (and `hi`, a v128's high half) is a value of type `ty`
/// in this store.
fn value_ok(s: &StoreInner, ty: ValType, cell: u64) -> bool {
    let ValType::Ref(r) = ty else { return true };
    if cell == 0 {
        return r.nullable;
    }
    match r.heap {
        HeapType::Func => ref_index(cell).is_some_and(|f| (f as usize) < s.funcs.len()),
        HeapType::Concrete(id) => ref_index(cell).and_then(|f| s.funcs.get(f as usize)).is_some_and(|f| f.type_id() == id),
        HeapType::Exn => exn_index(cell).is_some_and(|i| s.exceptions.get(i).is_some()),
        // A snapshot never holds a host reference (see `capture`).
        _ => false,
    }
}

fn restore_exceptions(s: &mut StoreInner, r: &mut Reader<'_>) -> Result<(), SnapshotError> {
    let n = r.count(1)?;
    let mut slots = Vec::with_capacity(n.min(crate::exception::MAX_LIVE));
    for _ in 0..n {
        if !r.bool()? {
            slots.push(None);
            continue;
        }
        let tag = r.u32()?;
        let values = r.u64s()?;
        let ty = s.tags.get(tag as usize).map(|t| t.ty.params()).ok_or_else(|| r.error("an exception of a tag the store lacks"))?;
        if values.len() != cells_for(ty) {
            return Err(r.error("an exception whose values do not fit its tag").into());
        }
        slots.push(Some(Exception { tag, values: values.into(), referenced: r.bool()?, pinned: r.bool()?.into() }));
    }
    let free = (0..r.count(4)?).map(|_| r.u32()).collect::<CodecResult<Vec<u32>>>()?;
    r.finish()?;
    s.exceptions = Exceptions::from_parts(slots, free).ok_or_else(|| invalid("exceptions section: inconsistent free slots"))?;
    // Exceptions may carry references, also to each other.
    for slot in s.exceptions.parts().0.iter().flatten() {
        let mut at = 0;
        for &ty in s.tags[slot.tag as usize].ty.params() {
            if !value_ok(s, ty, slot.values[at]) {
                return Err(invalid("exceptions section: a value that is not of its tag's type"));
            }
            at += cells_for(&[ty]);
        }
    }
    Ok(())
}

fn restore_tables(s: &mut StoreInner, r: &mut Reader<'_>) -> Result<(), SnapshotError> {
    expect_count(r, 8, s.tables.len(), "tables")?;
    for i in 0..s.tables.len() {
        let elems = r.u64s()?;
        let ty = s.tables[i].ty;
        let max = ty.limits.max.unwrap_or(u64::MAX).min(s.limits.max_table_elements).min(crate::store::MAX_TABLE_SIZE);
        if (elems.len() as u64) < ty.limits.min || elems.len() as u64 > max {
            return Err(invalid(format!("table {i} has {} elements, which its type or the limits do not allow", elems.len())));
        }
        if elems.iter().any(|&c| !value_ok(s, ValType::Ref(ty.element), c)) {
            return Err(invalid(format!("table {i} holds a reference that is not of its type")));
        }
        s.tables[i].elems = elems;
    }
    Ok(r.finish()?)
}

fn restore_globals(s: &mut StoreInner, r: &mut Reader<'_>) -> Result<(), SnapshotError> {
    expect_count(r, 16, s.globals.len(), "globals")?;
    for i in 0..s.globals.len() {
        let value = [r.u64()?, r.u64()?];
        let g = &s.globals[i];
        if !g.ty.mutable && g.value != value {
            return Err(invalid(format!("global {i} is immutable and holds another value than the module gives it")));
        }
        if !value_ok(s, g.ty.content, value[0]) {
            return Err(invalid(format!("global {i} holds a reference that is not of its type")));
        }
        s.globals[i].value = value;
    }
    Ok(r.finish()?)
}

fn restore_segments(s: &mut StoreInner, r: &mut Reader<'_>) -> Result<(), SnapshotError> {
    let inst = &mut s.instances[0];
    expect_count(r, 1, inst.dropped_data.len(), "data segments")?;
    for d in inst.dropped_data.iter_mut() {
        *d = r.bool()?;
    }
    expect_count(r, 1, inst.elems.len(), "element segments")?;
    for e in inst.elems.iter_mut() {
        if r.bool()? {
            *e = Arc::from([]);
        }
    }
    Ok(r.finish()?)
}
