//! `porta-interp`: a pure-Rust WebAssembly interpreter with exact,
//! deterministic step counting.
//!
//! The pipeline: our own [`decode`]r reads the binary format, `wasmparser`'s
//! validator checks it, and each function is translated on first call into a
//! compact register-style code that the executor runs. Every executed
//! WebAssembly instruction counts one step (`else` and `end` count zero), and
//! a step limit stops after exactly that many.
//!
//! The embedder API follows the usual split: an [`Engine`] (configuration),
//! a [`Module`] (validated code, shareable), a [`Store`] (all runtime state
//! plus the embedder's data), a [`Linker`] (imports by name), and handles
//! ([`Instance`], [`Func`], [`Memory`], [`Table`], [`Global`]) into a store.
//!
//! ```
//! use porta_interp::{Engine, Linker, Module, Store, Val, FuncType, ValType};
//!
//! // (module
//! //   (import "host" "double" (func $double (param i32) (result i32)))
//! //   (func (export "run") (param i32) (result i32)
//! //     local.get 0
//! //     call $double
//! //     i32.const 1
//! //     i32.add))
//! let wasm = [
//!     0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
//!     0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, // type: (i32) -> i32
//!     0x02, 0x0f, 0x01, 0x04, b'h', b'o', b's', b't', 0x06, b'd', b'o', b'u', b'b', b'l', b'e', 0x00, 0x00,
//!     0x03, 0x02, 0x01, 0x00, // function section
//!     0x07, 0x07, 0x01, 0x03, b'r', b'u', b'n', 0x00, 0x01, // export "run"
//!     0x0a, 0x0b, 0x01, 0x09, 0x00, 0x20, 0x00, 0x10, 0x00, 0x41, 0x01, 0x6a, 0x0b,
//! ];
//! let engine = Engine::default();
//! let module = Module::new(&engine, &wasm)?;
//! let mut linker = Linker::<()>::new();
//! linker.func_new("host", "double", FuncType::new([ValType::I32], [ValType::I32]), |_caller, args, results| {
//!     let Val::I32(x) = args[0] else { unreachable!() };
//!     results[0] = Val::I32(x * 2);
//!     Ok(())
//! });
//! let mut store = Store::new(&engine, ());
//! let instance = linker.instantiate(&mut store, &module)?;
//! let run = instance.get_func(&store, "run").unwrap();
//! let mut results = [Val::I32(0)];
//! run.call(&mut store, &[Val::I32(20)], &mut results)?;
//! assert_eq!(results[0], Val::I32(41));
//! // local.get, call, i32.const, i32.add: four instructions.
//! assert_eq!(store.steps(), 4);
//! # Ok::<(), porta_interp::Error>(())
//! ```

mod ahead;
pub mod decode;
mod engine;
mod error;
mod exec;
mod extern_;
mod exception;
mod func;
mod instance;
mod linear;
mod linker;
mod module;
mod simd;
pub mod snapshot;
mod store;
mod translate;
mod trap;
mod types;
mod value;
pub mod wasi;

pub use engine::{Config, Engine};
pub use error::Error;
pub use exec::{PauseReason, Paused, Resumable};
pub use snapshot::{Prepared, Snapshot, SnapshotError};
pub use extern_::{Extern, Global, Memory, Table, Tag};
pub use func::{Caller, Func, HostCallback, HostFunc};
pub use instance::Instance;
pub use linker::Linker;
pub use module::{features, Module};
pub use store::{Store, StoreLimits};
pub use trap::{Trap, TrapCode};
pub use types::{HeapType, SELF_TYPE, 
    BlockType, ExternType, FuncType, GlobalType, Limits, MemoryType, RefType, TableType, ValType,
};
pub use value::{ExnRef, ExternRef, Val};

/// Instantiates a module with imports given in the module's import order,
/// without a [`Linker`].
pub fn instantiate<T>(store: &mut Store<T>, module: &Module, imports: &[Extern]) -> Result<Instance, Error> {
    instance::instantiate(store, module, imports, true)
}
