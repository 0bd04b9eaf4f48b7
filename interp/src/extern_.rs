//! Memories, tables and globals as the embedder sees them, and [`Extern`],
//! anything a module can import or export.

use crate::error::Error;
use crate::func::Func;
use crate::store::{GlobalEntity, MemoryEntity, Store, TableEntity, TagEntity, PAGE_SIZE};
use crate::types::{ExternType, FuncType, GlobalType, MemoryType, TableType};
use crate::value::Val;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Memory(pub(crate) u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Table(pub(crate) u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Global(pub(crate) u32);
/// An exception tag: exceptions thrown with it are caught by the handlers
/// that name it, in whichever instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag(pub(crate) u32);

/// Anything that can be imported or exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Extern {
    Func(Func),
    Table(Table),
    Memory(Memory),
    Global(Global),
    Tag(Tag),
}

impl Extern {
    pub fn ty<T>(&self, store: &Store<T>) -> ExternType {
        match self {
            Extern::Func(f) => ExternType::Func(f.ty(store)),
            Extern::Table(t) => ExternType::Table(t.ty(store)),
            Extern::Memory(m) => ExternType::Memory(m.ty(store)),
            Extern::Global(g) => ExternType::Global(g.ty(store)),
            Extern::Tag(t) => ExternType::Tag(t.ty(store)),
        }
    }
    pub fn into_func(self) -> Option<Func> {
        if let Extern::Func(f) = self { Some(f) } else { None }
    }
    pub fn into_memory(self) -> Option<Memory> {
        if let Extern::Memory(m) = self { Some(m) } else { None }
    }
    pub fn into_table(self) -> Option<Table> {
        if let Extern::Table(t) = self { Some(t) } else { None }
    }
    pub fn into_global(self) -> Option<Global> {
        if let Extern::Global(g) = self { Some(g) } else { None }
    }
    pub fn into_tag(self) -> Option<Tag> {
        if let Extern::Tag(t) = self { Some(t) } else { None }
    }
}

impl Memory {
    pub fn new<T>(store: &mut Store<T>, ty: MemoryType) -> Result<Memory, Error> {
        let pages = ty.limits.min;
        if pages > store.inner.limits.max_memory_pages.min(ty.max_pages()) {
            return Err(Error::Instantiate(format!(
                "memory of {pages} pages exceeds the limit of {} pages",
                store.inner.limits.max_memory_pages
            )));
        }
        let data = crate::store::zeroed(pages as usize * PAGE_SIZE)
            .ok_or_else(|| Error::Instantiate(format!("cannot allocate a memory of {pages} pages")))?;
        store.inner.memories.push(MemoryEntity { data, ty });
        Ok(Memory(store.inner.memories.len() as u32 - 1))
    }
    pub fn ty<T>(&self, store: &Store<T>) -> MemoryType {
        let m = &store.inner.memories[self.0 as usize];
        let mut ty = m.ty;
        ty.limits.min = m.pages();
        ty
    }
    /// Size in 64 KiB pages.
    pub fn size<T>(&self, store: &Store<T>) -> u64 {
        store.inner.memories[self.0 as usize].pages()
    }
    pub fn data<'a, T>(&self, store: &'a Store<T>) -> &'a [u8] {
        &store.inner.memories[self.0 as usize].data
    }
    pub fn data_mut<'a, T>(&self, store: &'a mut Store<T>) -> &'a mut [u8] {
        &mut store.inner.memories[self.0 as usize].data
    }
    /// Grows by `delta` pages; returns the old size, or `None` past the limit.
    pub fn grow<T>(&self, store: &mut Store<T>, delta: u64) -> Option<u64> {
        let limit = store.inner.limits.max_memory_pages;
        store.inner.memories[self.0 as usize].grow(delta, limit)
    }
}

impl Table {
    pub fn new<T>(store: &mut Store<T>, ty: TableType, init: Val) -> Result<Table, Error> {
        if ty.limits.min > store.inner.limits.max_table_elements.min(crate::store::MAX_TABLE_SIZE) {
            return Err(Error::Instantiate(format!(
                "table of {} elements exceeds the limit of {}",
                ty.limits.min, store.inner.limits.max_table_elements
            )));
        }
        if !store.inner.val_matches(init, crate::ValType::Ref(ty.element)) {
            return Err(Error::Usage(format!("table of {} given a {} to fill it", ty.element, init.ty())));
        }
        let elems = vec![init.to_cell(); ty.limits.min as usize];
        store.inner.tables.push(TableEntity { elems, ty });
        Ok(Table(store.inner.tables.len() as u32 - 1))
    }
    pub fn ty<T>(&self, store: &Store<T>) -> TableType {
        let t = &store.inner.tables[self.0 as usize];
        let mut ty = t.ty;
        ty.limits.min = t.elems.len() as u64;
        ty
    }
    pub fn size<T>(&self, store: &Store<T>) -> u64 {
        store.inner.tables[self.0 as usize].elems.len() as u64
    }
    pub fn get<T>(&self, store: &Store<T>, index: u64) -> Option<Val> {
        let t = &store.inner.tables[self.0 as usize];
        let cell = *t.elems.get(usize::try_from(index).ok()?)?;
        let v = Val::from_cell(cell, crate::types::ValType::Ref(t.ty.element));
        store.inner.pin(v);
        Some(v)
    }
}

impl Tag {
    /// A new tag whose exceptions carry values of `ty`'s params (its
    /// results must be empty).
    pub fn new<T>(store: &mut Store<T>, ty: FuncType) -> Result<Tag, Error> {
        if !ty.results().is_empty() {
            return Err(Error::Usage(format!("a tag's type has no results, {ty} has")));
        }
        let type_id = store.inner.engine.intern(&ty);
        store.inner.tags.push(TagEntity { type_id, ty });
        Ok(Tag(store.inner.tags.len() as u32 - 1))
    }
    pub fn ty<T>(&self, store: &Store<T>) -> FuncType {
        store.inner.tags[self.0 as usize].ty.clone()
    }
}

impl Global {
    pub fn new<T>(store: &mut Store<T>, ty: GlobalType, value: Val) -> Result<Global, Error> {
        if !store.inner.val_matches(value, ty.content) {
            return Err(Error::Usage(format!("global of type {} given a {}", ty.content, value.ty())));
        }
        store.inner.globals.push(Box::new(GlobalEntity { value: value.to_cells(), ty }));
        Ok(Global(store.inner.globals.len() as u32 - 1))
    }
    pub fn ty<T>(&self, store: &Store<T>) -> GlobalType {
        store.inner.globals[self.0 as usize].ty
    }
    pub fn get<T>(&self, store: &Store<T>) -> Val {
        let g = &store.inner.globals[self.0 as usize];
        let v = Val::from_cells(&g.value, g.ty.content);
        store.inner.pin(v);
        v
    }
    pub fn set<T>(&self, store: &mut Store<T>, value: Val) -> Result<(), Error> {
        let ty = store.inner.globals[self.0 as usize].ty;
        if !ty.mutable || !store.inner.val_matches(value, ty.content) {
            return Err(Error::Usage("cannot set an immutable global or change its type".into()));
        }
        store.inner.globals[self.0 as usize].value = value.to_cells();
        Ok(())
    }
}
