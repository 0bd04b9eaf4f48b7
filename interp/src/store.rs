//! The store: owner of every runtime object (functions, instances, memories,
//! tables, globals), of the embedder's data `T`, and of the step counter.
//! Handles ([`Func`], [`Memory`], ...) are indices into a store; a store only
//! grows, so a handle stays valid as long as its store lives.

use crate::engine::Engine;
use crate::exec::Stack;
use crate::func::HostFunc;
use crate::instance::InstanceEntity;
use crate::linear::Bytes;
use crate::types::{GlobalType, MemoryType, TableType};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// Resource bounds a store enforces, whatever the module declares.
#[derive(Debug, Clone)]
pub struct StoreLimits {
    /// Largest memory, in 64 KiB pages; growth past it returns -1. The
    /// default, 65536 (4 GiB), is all a 32-bit memory can address: raise it
    /// for 64-bit memories.
    pub max_memory_pages: u64,
    /// Largest table, in elements.
    pub max_table_elements: u64,
    /// Most instances a store may hold.
    pub max_instances: usize,
}

impl Default for StoreLimits {
    fn default() -> Self {
        StoreLimits { max_memory_pages: 65536, max_table_elements: 10_000_000, max_instances: 10_000 }
    }
}

pub(crate) enum FuncEntity {
    Wasm { instance: u32, index: u32, type_id: u32 },
    /// `host` indexes the store's host functions.
    Host { host: u32, type_id: u32 },
}

impl FuncEntity {
    pub(crate) fn type_id(&self) -> u32 {
        match self {
            FuncEntity::Wasm { type_id, .. } | FuncEntity::Host { type_id, .. } => *type_id,
        }
    }
}

pub(crate) struct MemoryEntity {
    /// Always from [`zeroed`] or a template, and nothing writes past its
    /// length, so its spare capacity is zero: growth only moves the length.
    pub data: Bytes,
    pub ty: MemoryType,
}

pub(crate) const PAGE_SIZE: usize = 65536;

/// The most elements a table holds, whatever its type allows.
pub(crate) const MAX_TABLE_SIZE: u64 = u32::MAX as u64 - 1;

impl MemoryEntity {
    pub(crate) fn pages(&self) -> u64 {
        (self.data.len() / PAGE_SIZE) as u64
    }

    /// Grows by `delta` pages within `limit`; returns the old size in pages.
    pub(crate) fn grow(&mut self, delta: u64, limit: u64) -> Option<u64> {
        let old = self.pages();
        let max = self.ty.limits.max.unwrap_or(u64::MAX).min(limit).min(self.ty.max_pages());
        let new = old.checked_add(delta).filter(|&n| n <= max)?;
        let bytes = usize::try_from(new).ok()?.checked_mul(PAGE_SIZE)?;
        if bytes > self.data.capacity() {
            // Double the reservation so repeated small growths copy rarely;
            // the spare part stays uncommitted until it is used.
            let max_bytes = usize::try_from(max).ok()?.saturating_mul(PAGE_SIZE);
            let cap = bytes.max(self.data.len().saturating_mul(2)).min(max_bytes).max(bytes);
            let mut grown = zeroed(cap)?;
            grown.truncate(self.data.len());
            // Only the parts the guest made non-zero are copied: writing the
            // rest would commit pages that read as zero anyway.
            for (to, from) in grown.chunks_mut(4096).zip(self.data.chunks(4096)) {
                if from.iter().any(|&b| b != 0) {
                    to.copy_from_slice(from);
                }
            }
            self.data = grown;
        }
        // SAFETY: `bytes` is within the capacity (reserved above), and the
        // bytes between the length and the capacity are initialised zeros
        // (see `data`): the new pages read as zero, as the spec requires,
        // without being written, so the system commits them only when the
        // guest touches them.
        unsafe { self.data.set_len(bytes) };
        Some(old)
    }
}

/// A zero-filled buffer from the allocator's zeroed path, so the operating
/// system commits pages only when they are touched: declaring a large memory
/// costs nothing until the guest uses it. `None` if it cannot be allocated.
pub(crate) fn zeroed(bytes: usize) -> Option<Bytes> {
    Bytes::zeroed(bytes)
}

pub(crate) struct TableEntity {
    pub elems: Vec<u64>,
    pub ty: TableType,
}

impl TableEntity {
    /// Grows by `delta` elements set to `init`; returns the old size.
    pub(crate) fn grow(&mut self, delta: u64, init: u64, limit: u64) -> Option<u64> {
        let old = self.elems.len() as u64;
        // Below u32::MAX, so that a 64-bit index clamped to it is out of
        // bounds (see `Instr::ClampIndex`).
        let max = self.ty.limits.max.unwrap_or(u64::MAX).min(limit).min(MAX_TABLE_SIZE);
        let new = old.checked_add(delta).filter(|&n| n <= max)?;
        let new = usize::try_from(new).ok()?;
        self.elems.try_reserve_exact(new - self.elems.len()).ok()?;
        self.elems.resize(new, init);
        Some(old)
    }
}

pub(crate) struct TagEntity {
    /// Engine type id of the tag's function type.
    pub type_id: u32,
    pub ty: crate::types::FuncType,
}

pub(crate) struct GlobalEntity {
    /// The value's cells (the second only for a v128).
    pub value: [u64; 2],
    pub ty: GlobalType,
}

static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Everything a running program can touch, plus the embedder's data.
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    pub(crate) hosts: Vec<Arc<HostFunc<T>>>,
    data: T,
}

/// The part of a store that does not depend on the embedder's data type, so
/// the executor is compiled once, in this crate, whatever `T` is.
pub(crate) struct StoreInner {
    /// Unique in the process: what a paused call checks it resumes in.
    pub(crate) id: u64,
    pub(crate) engine: Engine,
    pub(crate) funcs: Vec<FuncEntity>,
    pub(crate) instances: Vec<InstanceEntity>,
    pub(crate) memories: Vec<MemoryEntity>,
    pub(crate) tables: Vec<TableEntity>,
    /// Boxed, so that a global stays where it is while globals are added:
    /// instances keep pointers to theirs (`InstanceEntity::global_cells`).
    pub(crate) globals: Vec<Box<GlobalEntity>>,
    pub(crate) tags: Vec<TagEntity>,
    pub(crate) exceptions: crate::exception::Exceptions,
    /// Calls into WebAssembly under way (more than one: a host function
    /// called WebAssembly again).
    pub(crate) running: u32,
    pub(crate) limits: StoreLimits,
    pub(crate) steps: u64,
    pub(crate) step_limit: Option<u64>,
    pub(crate) interrupt: Arc<AtomicBool>,
    pub(crate) stack: Stack,
}

impl StoreInner {
    /// A name for tag `tag`: the first, in order, of the names instances
    /// export it under.
    pub(crate) fn tag_name(&self, tag: u32) -> Option<String> {
        let names = self.instances.iter().flat_map(|i| &i.exports);
        names.filter(|(_, e)| matches!(e, crate::Extern::Tag(t) if t.0 == tag)).map(|(n, _)| n).min().cloned()
    }

    /// A value handed to the embedder: an exception it names is kept.
    pub(crate) fn pin(&self, v: crate::Val) {
        if let crate::Val::ExnRef(Some(r)) = v {
            self.exceptions.pin(r.0);
        }
    }

    /// Whether a value the embedder hands in has type `ty`: a function
    /// reference matches a signature when its function has that signature.
    pub(crate) fn val_matches(&self, v: crate::Val, ty: crate::ValType) -> bool {
        use crate::types::{HeapType, ValType};
        use crate::Val;
        let ValType::Ref(r) = ty else { return v.ty() == ty };
        let (heap, present) = match v {
            Val::FuncRef(Some(f)) => {
                return match r.heap {
                    HeapType::Func => true,
                    HeapType::Concrete(id) => self.funcs.get(f.0 as usize).is_some_and(|e| e.type_id() == id),
                    _ => false,
                }
            }
            Val::FuncRef(None) => (HeapType::Func, false),
            Val::ExternRef(x) => (HeapType::Extern, x.is_some()),
            Val::ExnRef(x) => (HeapType::Exn, x.is_some()),
            _ => return false,
        };
        // Nothing but null is a `noexn`.
        r.top() == heap && (present || r.nullable) && !(present && r.heap == HeapType::NoExn)
    }
}

impl<T> Store<T> {
    pub fn new(engine: &Engine, data: T) -> Self {
        Store {
            inner: StoreInner {
                id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
                engine: engine.clone(),
                funcs: Vec::new(),
                instances: Vec::new(),
                memories: Vec::new(),
                tables: Vec::new(),
                globals: Vec::new(),
                tags: Vec::new(),
                exceptions: Default::default(),
                running: 0,
                limits: StoreLimits::default(),
                steps: 0,
                step_limit: None,
                interrupt: Arc::new(AtomicBool::new(false)),
                stack: Stack::default(),
            },
            hosts: Vec::new(),
            data,
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }
    pub fn data(&self) -> &T {
        &self.data
    }
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }
    /// A memory's bytes (empty for `None`) and the store's data at once.
    pub fn memory_and_data_mut(&mut self, memory: Option<crate::Memory>) -> (&mut [u8], &mut T) {
        let bytes: &mut [u8] = match memory {
            Some(m) => &mut self.inner.memories[m.0 as usize].data,
            None => &mut [],
        };
        (bytes, &mut self.data)
    }
    pub fn into_data(self) -> T {
        self.data
    }

    pub fn set_limits(&mut self, limits: StoreLimits) {
        self.inner.limits = limits;
    }
    pub fn limits(&self) -> &StoreLimits {
        &self.inner.limits
    }

    /// WebAssembly instructions executed in this store so far (SPEC §2.1).
    pub fn steps(&self) -> u64 {
        self.inner.steps
    }

    /// Stops execution with [`TrapCode::StepLimitExceeded`](crate::TrapCode)
    /// once the store's step count would pass `limit`: exactly `limit`
    /// instructions run in total.
    pub fn set_step_limit(&mut self, limit: Option<u64>) {
        self.inner.step_limit = limit;
    }
    pub fn step_limit(&self) -> Option<u64> {
        self.inner.step_limit
    }

    /// A flag another thread can set to stop the running code with
    /// [`TrapCode::Interrupted`](crate::TrapCode) (timeouts, cancellation).
    /// The executor notices it at the next basic block.
    pub fn interrupt_handle(&self) -> Arc<AtomicBool> {
        self.inner.interrupt.clone()
    }

    /// Uses `flag` as the interrupt flag, so one made before the store
    /// (say, by a request registry) can stop it.
    pub fn set_interrupt_handle(&mut self, flag: Arc<AtomicBool>) {
        self.inner.interrupt = flag;
    }
}
