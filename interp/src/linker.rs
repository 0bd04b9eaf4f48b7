//! The linker: named definitions (`module.name`) that satisfy a module's
//! imports. Host functions are kept store-independent, so one linker serves
//! any number of stores (one per call, for example).

use crate::error::Error;
use crate::extern_::Extern;
use crate::func::{Caller, Func, HostFunc};
use crate::instance::{self, Instance};
use crate::module::Module;
use crate::store::Store;
use crate::trap::Trap;
use crate::types::FuncType;
use crate::value::Val;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

/// A module or field name: host code mostly names its definitions with
/// `&'static str`, which costs no allocation to define or to free.
pub type Name = Cow<'static, str>;

enum Definition<T> {
    Extern(Extern),
    Host(Arc<HostFunc<T>>),
}

impl<T> Clone for Definition<T> {
    fn clone(&self) -> Self {
        match self {
            Definition::Extern(e) => Definition::Extern(*e),
            Definition::Host(h) => Definition::Host(h.clone()),
        }
    }
}

/// Definitions by module name, then by field name: a two-level map, so a
/// lookup borrows the import's names instead of allocating a key.
pub struct Linker<T> {
    defs: HashMap<Name, HashMap<Name, Definition<T>>>,
}

impl<T> Default for Linker<T> {
    fn default() -> Self {
        Linker { defs: HashMap::new() }
    }
}

impl<T> Clone for Linker<T> {
    fn clone(&self) -> Self {
        Linker { defs: self.defs.clone() }
    }
}

impl<T> Linker<T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes room for `additional` more definitions in `module` at once.
    pub fn reserve(&mut self, module: impl Into<Name>, additional: usize) {
        self.defs.entry(module.into()).or_default().reserve(additional);
    }

    fn insert(&mut self, module: Name, name: Name, def: Definition<T>) {
        self.defs.entry(module).or_default().insert(name, def);
    }

    /// Defines `module.name` as an object of a store.
    pub fn define(&mut self, module: impl Into<Name>, name: impl Into<Name>, item: Extern) -> &mut Self {
        self.insert(module.into(), name.into(), Definition::Extern(item));
        self
    }

    /// Defines `module.name` as a host function, usable from any store.
    pub fn func_new(
        &mut self,
        module: impl Into<Name>,
        name: impl Into<Name>,
        ty: FuncType,
        callback: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> &mut Self {
        let host = Arc::new(HostFunc::new(ty, callback));
        self.insert(module.into(), name.into(), Definition::Host(host));
        self
    }

    /// Defines every export of `instance` under the module name `module`.
    pub fn instance(&mut self, store: &Store<T>, module: impl Into<Name>, instance: Instance) -> &mut Self {
        let module = module.into();
        for (name, ext) in instance.exports(store) {
            self.insert(module.clone(), name.to_string().into(), Definition::Extern(ext));
        }
        self
    }

    fn get(&self, module: &str, name: &str) -> Option<&Definition<T>> {
        self.defs.get(module)?.get(name)
    }

    pub fn contains(&self, module: &str, name: &str) -> bool {
        self.get(module, name).is_some()
    }

    /// Resolves the module's imports and instantiates it, running its start
    /// function.
    pub fn instantiate(&self, store: &mut Store<T>, module: &Module) -> Result<Instance, Error> {
        self.instantiate_with(store, module, true)
    }

    /// Instantiates `fresh` (segments applied, start function run) or for a
    /// snapshot's restore, which sets every state itself.
    pub(crate) fn instantiate_with(&self, store: &mut Store<T>, module: &Module, fresh: bool) -> Result<Instance, Error> {
        let mut imports = Vec::new();
        for (m, n, _) in module.imports() {
            let ext = match self.get(m, n) {
                Some(Definition::Extern(e)) => *e,
                Some(Definition::Host(h)) => Extern::Func(Func::from_host(store, h.clone())),
                None => return Err(Error::Link(format!("unknown import: {m}.{n} is not defined"))),
            };
            imports.push(ext);
        }
        instance::instantiate(store, module, &imports, fresh)
    }
}
