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
use std::collections::HashMap;
use std::sync::Arc;

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

pub struct Linker<T> {
    defs: HashMap<(String, String), Definition<T>>,
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

    /// Defines `module.name` as an object of a store.
    pub fn define(&mut self, module: &str, name: &str, item: Extern) -> &mut Self {
        self.defs.insert((module.into(), name.into()), Definition::Extern(item));
        self
    }

    /// Defines `module.name` as a host function, usable from any store.
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        callback: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> &mut Self {
        let host = Arc::new(HostFunc::new(ty, callback));
        self.defs.insert((module.into(), name.into()), Definition::Host(host));
        self
    }

    /// Defines every export of `instance` under the module name `module`.
    pub fn instance(&mut self, store: &Store<T>, module: &str, instance: Instance) -> &mut Self {
        let exports: Vec<(String, Extern)> =
            instance.exports(store).map(|(n, e)| (n.to_string(), e)).collect();
        for (name, ext) in exports {
            self.define(module, &name, ext);
        }
        self
    }

    pub fn contains(&self, module: &str, name: &str) -> bool {
        self.defs.contains_key(&(module.to_string(), name.to_string()))
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
            let ext = match self.defs.get(&(m.to_string(), n.to_string())) {
                Some(Definition::Extern(e)) => *e,
                Some(Definition::Host(h)) => Extern::Func(Func::from_host(store, h.clone())),
                None => return Err(Error::Link(format!("unknown import: {m}.{n} is not defined"))),
            };
            imports.push(ext);
        }
        instance::instantiate(store, module, &imports, fresh)
    }
}
