//! Functions as the embedder sees them: handles to WebAssembly or host
//! functions in a store, host function definitions, and the [`Caller`] a host
//! function receives.

use crate::error::Error;
use crate::extern_::Extern;
use crate::instance::Instance;
use crate::store::{FuncEntity, Store};
use crate::trap::Trap;
use crate::types::FuncType;
use crate::value::Val;
use std::sync::Arc;

/// A function in a store (an index; cheap to copy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Func(pub(crate) u32);

/// The callback of a host function: arguments in, results out.
pub type HostCallback<T> =
    dyn Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap> + Send + Sync;

/// A host function: its signature and its callback.
pub struct HostFunc<T> {
    pub(crate) ty: FuncType,
    pub(crate) callback: Box<HostCallback<T>>,
}

impl<T> HostFunc<T> {
    pub fn new(
        ty: FuncType,
        callback: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> Self {
        HostFunc { ty, callback: Box::new(callback) }
    }
    pub fn ty(&self) -> &FuncType {
        &self.ty
    }
}

impl Func {
    /// Defines a host function in `store`.
    pub fn new<T>(
        store: &mut Store<T>,
        ty: FuncType,
        callback: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Trap> + Send + Sync + 'static,
    ) -> Func {
        Func::from_host(store, Arc::new(HostFunc::new(ty, callback)))
    }

    pub(crate) fn from_host<T>(store: &mut Store<T>, func: Arc<HostFunc<T>>) -> Func {
        let type_id = store.inner.engine.intern(&func.ty);
        store.hosts.push(func);
        let host = store.hosts.len() as u32 - 1;
        store.inner.funcs.push(FuncEntity::Host { host, type_id });
        Func(store.inner.funcs.len() as u32 - 1)
    }

    pub fn ty<T>(&self, store: &Store<T>) -> FuncType {
        match &store.inner.funcs[self.0 as usize] {
            FuncEntity::Host { host, .. } => store.hosts[*host as usize].ty.clone(),
            FuncEntity::Wasm { instance, index, .. } => {
                let module = &store.inner.instances[*instance as usize].module;
                module.func_sig(*index + module.num_imported_funcs).clone()
            }
        }
    }

    /// Calls the function. `results` must have room for every result.
    pub fn call<T>(&self, store: &mut Store<T>, args: &[Val], results: &mut [Val]) -> Result<(), Error> {
        let ty = self.ty(store);
        if args.len() != ty.params().len() || results.len() != ty.results().len() {
            return Err(Error::Usage(format!(
                "function of type {ty} called with {} arguments and room for {} results",
                args.len(),
                results.len()
            )));
        }
        for (i, (a, t)) in args.iter().zip(ty.params()).enumerate() {
            if !store.inner.val_matches(*a, *t) {
                return Err(Error::Usage(format!("argument {i} is {} but the function takes {t}", a.ty())));
            }
        }
        crate::exec::call(store, self.0, args, results, ty.results())
    }

    /// Calls the function, stopping instead of trapping at the step limit
    /// or an interrupt: the [`Paused`](crate::Paused) call runs on with
    /// [`Paused::resume`](crate::Paused::resume), to the same results and
    /// total step count as an uninterrupted call.
    pub fn call_resumable<T>(&self, store: &mut Store<T>, args: &[Val]) -> Result<crate::Resumable, Error> {
        let ty = self.ty(store);
        let mut results = vec![Val::I32(0); ty.results().len()];
        match store.inner.funcs[self.0 as usize] {
            FuncEntity::Wasm { instance, index, .. } => {
                if args.len() != ty.params().len() || args.iter().zip(ty.params()).any(|(a, t)| !store.inner.val_matches(*a, *t)) {
                    // The plain call reports what is wrong.
                    return self.call(store, args, &mut results).map(|_| crate::Resumable::Finished(results));
                }
                crate::exec::start(store, instance, index, args, ty.results().to_vec())
            }
            FuncEntity::Host { .. } => self.call(store, args, &mut results).map(|_| crate::Resumable::Finished(results)),
        }
    }
}

/// What a host function sees of its caller: the store and the calling
/// instance (for its exported memory).
pub struct Caller<'a, T> {
    store: &'a mut Store<T>,
    instance: Option<Instance>,
}

impl<'a, T> Caller<'a, T> {
    pub(crate) fn new(store: &'a mut Store<T>, instance: Option<Instance>) -> Self {
        Caller { store, instance }
    }
    pub fn data(&self) -> &T {
        self.store.data()
    }
    pub fn data_mut(&mut self) -> &mut T {
        self.store.data_mut()
    }
    pub fn store(&mut self) -> &mut Store<T> {
        self.store
    }
    /// The calling instance's exported memory `name` (empty if there is
    /// none) together with the store's data, borrowed at once.
    pub fn memory_and_data_mut(&mut self, name: &str) -> (&mut [u8], &mut T) {
        let mem = self.get_export(name).and_then(|e| e.into_memory());
        self.store.memory_and_data_mut(mem)
    }

    /// An export of the calling instance (e.g. its `memory`).
    pub fn get_export(&self, name: &str) -> Option<Extern> {
        self.instance.and_then(|i| i.get_export(self.store, name))
    }
}
