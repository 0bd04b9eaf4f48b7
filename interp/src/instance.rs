//! Instances: a module's functions, tables, memories and globals bound to
//! imports in a store, and the instantiation procedure of the spec (imports
//! checked, globals and segments evaluated, active segments applied in order,
//! then the start function).

use crate::decode::{ConstExpr, ElementItems, ExportKind, Op, SegmentMode};
use crate::error::Error;
use crate::extern_::{Extern, Global, Memory, Table};
use crate::func::Func;
use crate::module::{Module, ModuleInner};
use crate::store::{FuncEntity, GlobalEntity, Store};
use crate::trap::{Trap, TrapCode};
use crate::types::{ExternType, Limits, ValType};
use crate::value::Val;
use std::collections::HashMap;
use std::sync::Arc;

/// An instance in a store (an index; cheap to copy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instance(pub(crate) u32);

pub(crate) struct InstanceEntity {
    pub module: Arc<ModuleInner>,
    pub funcs: Vec<u32>,
    pub tables: Vec<u32>,
    pub memories: Vec<u32>,
    pub globals: Vec<u32>,
    /// Where each of `globals` is, for the executor: one load fewer than
    /// through the store's list, on every `global.get` and `global.set`.
    pub global_cells: GlobalCells,
    pub tags: Vec<u32>,
    /// Element segments as reference cells; dropped ones are empty.
    pub elems: Vec<Arc<[u64]>>,
    pub dropped_data: Vec<bool>,
    pub exports: HashMap<String, Extern>,
}

/// Pointers to an instance's globals, which are boxed in their store and
/// live as long as it does (no global is ever removed).
pub(crate) struct GlobalCells(pub Box<[*mut GlobalEntity]>);

// SAFETY: the globals belong to the store that holds the instance; they
// move between threads together and are reached through `&mut` to it.
unsafe impl Send for GlobalCells {}
unsafe impl Sync for GlobalCells {}

impl InstanceEntity {
    pub(crate) fn data_segment(&self, index: u32) -> &[u8] {
        if self.dropped_data[index as usize] {
            return &[];
        }
        &self.module.bytes[self.module.decoded.data[index as usize].bytes.clone()]
    }
}

impl Instance {
    pub fn get_export<T>(&self, store: &Store<T>, name: &str) -> Option<Extern> {
        store.inner.instances[self.0 as usize].exports.get(name).copied()
    }
    pub fn get_func<T>(&self, store: &Store<T>, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }
    pub fn get_memory<T>(&self, store: &Store<T>, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }
    pub fn get_global<T>(&self, store: &Store<T>, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }
    pub fn get_table<T>(&self, store: &Store<T>, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }
    /// Every export, by name, in the module's order (the same on every run).
    pub fn exports<'a, T>(&self, store: &'a Store<T>) -> impl Iterator<Item = (&'a str, Extern)> + 'a {
        let inst = &store.inner.instances[self.0 as usize];
        inst.module.decoded.exports.iter().map(|e| (e.name.as_str(), inst.exports[&e.name]))
    }
    pub fn module<T>(&self, store: &Store<T>) -> Module {
        Module { inner: store.inner.instances[self.0 as usize].module.clone() }
    }
}

fn limits_match(actual: Limits, declared: Limits) -> bool {
    actual.min >= declared.min
        && match declared.max {
            None => true,
            Some(dmax) => actual.max.is_some_and(|amax| amax <= dmax),
        }
}

fn check_import<T>(store: &Store<T>, module: &ModuleInner, index: usize, ext: &Extern) -> Result<(), Error> {
    let import = &module.decoded.imports[index];
    let want = module.imports_type(index);
    let have = ext.ty(store);
    let ok = match (&want, &have) {
        (ExternType::Func(_), ExternType::Func(_)) => {
            let crate::decode::ImportKind::Func(t) = import.kind else { unreachable!() };
            let Extern::Func(f) = ext else { unreachable!() };
            store.inner.funcs[f.0 as usize].type_id() == module.type_ids[t as usize]
        }
        (ExternType::Table(w), ExternType::Table(h)) => {
            w.element == h.element && w.table64 == h.table64 && limits_match(h.limits, w.limits)
        }
        (ExternType::Memory(w), ExternType::Memory(h)) => {
            w.memory64 == h.memory64 && limits_match(h.limits, w.limits)
        }
        (ExternType::Global(w), ExternType::Global(h)) => {
            w.mutable == h.mutable && if w.mutable { w.content == h.content } else { h.content.matches(w.content) }
        }
        (ExternType::Tag(_), ExternType::Tag(_)) => {
            let crate::decode::ImportKind::Tag(t) = import.kind else { unreachable!() };
            let Extern::Tag(tag) = ext else { unreachable!() };
            store.inner.tags[tag.0 as usize].type_id == module.type_ids[t as usize]
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::Link(format!(
            "incompatible import type for {}.{}: expected {want:?}, found {have:?}",
            import.module, import.name
        )))
    }
}

impl ModuleInner {
    fn imports_type(&self, index: usize) -> ExternType {
        use crate::decode::ImportKind;
        match &self.decoded.imports[index].kind {
            ImportKind::Func(t) => ExternType::Func(self.func_type(*t).clone()),
            ImportKind::Table(t) => ExternType::Table(*t),
            ImportKind::Memory(m) => ExternType::Memory(*m),
            ImportKind::Global(g) => ExternType::Global(*g),
            ImportKind::Tag(t) => ExternType::Tag(self.func_type(*t).clone()),
        }
    }
}

/// Evaluates a constant expression in the context of a (partial) instance:
/// its value's cells as one number (a v128 in the high half too).
fn eval_const<T>(store: &Store<T>, inst: &InstanceEntity, expr: &ConstExpr) -> u128 {
    let mut stack: Vec<u128> = Vec::with_capacity(2);
    for op in &expr.ops {
        let v = match *op {
            Op::I32Const(v) => v as u32 as u128,
            Op::I64Const(v) => v as u64 as u128,
            Op::F32Const(b) => b as u128,
            Op::F64Const(b) => b as u128,
            Op::SimdBytes(_, bytes) => u128::from_le_bytes(bytes),
            Op::RefNull(_) => 0,
            Op::RefFunc(f) => inst.funcs[f as usize] as u128 + 1,
            Op::GlobalGet(g) => {
                let [lo, hi] = store.inner.globals[inst.globals[g as usize] as usize].value;
                lo as u128 | (hi as u128) << 64
            }
            // Extended constant expressions.
            Op::I32Add | Op::I32Sub | Op::I32Mul | Op::I64Add | Op::I64Sub | Op::I64Mul => {
                let b = stack.pop().unwrap_or(0);
                let a = stack.pop().unwrap_or(0);
                match op {
                    Op::I32Add => (a as u32).wrapping_add(b as u32) as u128,
                    Op::I32Sub => (a as u32).wrapping_sub(b as u32) as u128,
                    Op::I32Mul => (a as u32).wrapping_mul(b as u32) as u128,
                    Op::I64Add => (a as u64).wrapping_add(b as u64) as u128,
                    Op::I64Sub => (a as u64).wrapping_sub(b as u64) as u128,
                    _ => (a as u64).wrapping_mul(b as u64) as u128,
                }
            }
            _ => unreachable!("validated constant expression"),
        };
        stack.push(v);
    }
    stack.pop().unwrap_or(0)
}

/// Instantiates `module` with `imports` given in the module's import order.
/// A `fresh` instance has its active segments applied and its start
/// function run; one a snapshot restores gets all its state from there.
pub(crate) fn instantiate<T>(store: &mut Store<T>, module: &Module, imports: &[Extern], fresh: bool) -> Result<Instance, Error> {
    let m = module.inner.clone();
    if !m.engine.same(&store.inner.engine) {
        return Err(Error::Usage("module and store belong to different engines".into()));
    }
    if store.inner.instances.len() >= store.inner.limits.max_instances {
        return Err(Error::Instantiate(format!("more than {} instances in one store", store.inner.limits.max_instances)));
    }
    if imports.len() != m.decoded.imports.len() {
        return Err(Error::Usage(format!("module needs {} imports, {} given", m.decoded.imports.len(), imports.len())));
    }
    for (i, ext) in imports.iter().enumerate() {
        check_import(store, &m, i, ext)?;
    }
    let id = store.inner.instances.len() as u32;
    let mut inst = InstanceEntity {
        module: m.clone(),
        funcs: Vec::new(),
        tables: Vec::new(),
        memories: Vec::new(),
        globals: Vec::new(),
        global_cells: GlobalCells(Box::new([])),
        tags: Vec::new(),
        elems: Vec::new(),
        dropped_data: vec![false; m.decoded.data.len()],
        exports: HashMap::new(),
    };
    for ext in imports {
        match *ext {
            Extern::Func(f) => inst.funcs.push(f.0),
            Extern::Table(t) => inst.tables.push(t.0),
            Extern::Memory(mem) => inst.memories.push(mem.0),
            Extern::Global(g) => inst.globals.push(g.0),
            Extern::Tag(t) => inst.tags.push(t.0),
        }
    }
    for &t in &m.decoded.tags {
        let ty = m.func_type(t).clone();
        store.inner.tags.push(crate::store::TagEntity { type_id: m.type_ids[t as usize], ty });
        inst.tags.push(store.inner.tags.len() as u32 - 1);
    }
    for (i, &t) in m.decoded.functions.iter().enumerate() {
        let type_id = m.type_ids[t as usize];
        store.inner.funcs.push(FuncEntity::Wasm { instance: id, index: i as u32, type_id });
        inst.funcs.push(store.inner.funcs.len() as u32 - 1);
    }
    for (&ty, init) in m.decoded.tables.iter().zip(&m.decoded.table_inits) {
        let init = match init {
            Some(e) => Val::from_cell(eval_const(store, &inst, e) as u64, ValType::Ref(ty.element)),
            None => Val::default_for(ValType::Ref(ty.element)),
        };
        inst.tables.push(Table::new(store, ty, init)?.0);
    }
    for &ty in &m.decoded.memories {
        inst.memories.push(Memory::new(store, ty)?.0);
    }
    for g in &m.decoded.globals {
        let value = eval_const(store, &inst, &g.init);
        let cells = [value as u64, (value >> 64) as u64];
        inst.globals.push(Global::new(store, g.ty, Val::from_cells(&cells, g.ty.content))?.0);
    }
    let globals = &mut store.inner.globals;
    inst.global_cells = GlobalCells(inst.globals.iter().map(|&g| &mut *globals[g as usize] as *mut GlobalEntity).collect());
    for seg in &m.decoded.elements {
        let cells: Arc<[u64]> = match &seg.items {
            ElementItems::Functions(fs) => fs.iter().map(|&f| inst.funcs[f as usize] as u64 + 1).collect(),
            ElementItems::Exprs(es) => es.iter().map(|e| eval_const(store, &inst, e) as u64).collect(),
        };
        inst.elems.push(cells);
    }
    for e in &m.decoded.exports {
        let i = e.index as usize;
        let ext = match e.kind {
            ExportKind::Func => Extern::Func(Func(inst.funcs[i])),
            ExportKind::Table => Extern::Table(Table(inst.tables[i])),
            ExportKind::Memory => Extern::Memory(Memory(inst.memories[i])),
            ExportKind::Global => Extern::Global(Global(inst.globals[i])),
            ExportKind::Tag => Extern::Tag(crate::extern_::Tag(inst.tags[i])),
        };
        inst.exports.insert(e.name.clone(), ext);
    }
    store.inner.instances.push(inst);
    if !fresh {
        return Ok(Instance(id));
    }
    initialize(store, id)?;
    if let Some(start) = m.decoded.start {
        let func = Func(store.inner.instances[id as usize].funcs[start as usize]);
        func.call(store, &[], &mut [])?;
    }
    Ok(Instance(id))
}

/// Applies active segments in order and drops the ones that are done.
/// An active segment's offset: an i32, or an i64 for a 64-bit memory or
/// table (one past every index when it does not fit the host).
fn segment_offset(value: u128, wide: bool) -> usize {
    match wide {
        false => value as u32 as usize,
        true => usize::try_from(value as u64).unwrap_or(usize::MAX),
    }
}

fn initialize<T>(store: &mut Store<T>, id: u32) -> Result<(), Error> {
    let m = store.inner.instances[id as usize].module.clone();
    for (i, seg) in m.decoded.elements.iter().enumerate() {
        match &seg.mode {
            SegmentMode::Active { index, offset } => {
                let inst = &store.inner.instances[id as usize];
                let t = inst.tables[*index as usize] as usize;
                let offset = segment_offset(eval_const(store, inst, offset), store.inner.tables[t].ty.table64);
                let items = inst.elems[i].clone();
                let table = &mut store.inner.tables[t];
                let dst = table
                    .elems
                    .get_mut(offset..offset.saturating_add(items.len()))
                    .ok_or(Trap::Code(TrapCode::TableOutOfBounds))?;
                dst.copy_from_slice(&items);
                store.inner.instances[id as usize].elems[i] = Arc::from([]);
            }
            SegmentMode::Declared => store.inner.instances[id as usize].elems[i] = Arc::from([]),
            SegmentMode::Passive => {}
        }
    }
    for (i, seg) in m.decoded.data.iter().enumerate() {
        if let SegmentMode::Active { index, offset } = &seg.mode {
            let inst = &store.inner.instances[id as usize];
            let at = inst.memories[*index as usize] as usize;
            let offset = segment_offset(eval_const(store, inst, offset), store.inner.memories[at].ty.memory64);
            let bytes = &m.bytes[seg.bytes.clone()];
            let mem = &mut store.inner.memories[at];
            let dst = mem
                .data
                .get_mut(offset..offset.saturating_add(bytes.len()))
                .ok_or(Trap::Code(TrapCode::MemoryOutOfBounds))?;
            dst.copy_from_slice(bytes);
            store.inner.instances[id as usize].dropped_data[i] = true;
        }
    }
    Ok(())
}
