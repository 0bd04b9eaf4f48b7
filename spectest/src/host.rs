//! The `spectest` host module that the official scripts import from.
//!
//! The spec's reference interpreter defines it; every engine that runs the
//! suite has to provide the same names and types:
//!
//! | name            | kind                                   |
//! |-----------------|----------------------------------------|
//! | `print`, `print_i32`, `print_i64`, `print_f32`, `print_f64`, `print_i32_f32`, `print_f64_f64` | functions that do nothing |
//! | `global_i32`, `global_i64` | immutable globals holding 666 |
//! | `global_f32`, `global_f64` | immutable globals holding 666.6 |
//! | `table`         | `funcref` table, 10 elements, at most 20 |
//! | `memory`        | memory of 1 page, at most 2 |
//!
//! Functions live in the linker (they belong to no store); the globals, the
//! table and the memory are objects of the store the script runs in, so every
//! script gets fresh ones.

use porta_interp::{
    Error, Extern, FuncType, Global, GlobalType, Limits, Linker, Memory, MemoryType, RefType,
    Store, Table, TableType, Val, ValType,
};

/// The module name the scripts import from.
pub const MODULE: &str = "spectest";

/// Defines every export of the `spectest` module in `linker`, creating its
/// globals, table and memory in `store`.
pub fn define<T: 'static>(linker: &mut Linker<T>, store: &mut Store<T>) -> Result<(), Error> {
    use ValType::{F32, F64, I32, I64};
    let printers: [(&str, &[ValType]); 7] = [
        ("print", &[]),
        ("print_i32", &[I32]),
        ("print_i64", &[I64]),
        ("print_f32", &[F32]),
        ("print_f64", &[F64]),
        ("print_i32_f32", &[I32, F32]),
        ("print_f64_f64", &[F64, F64]),
    ];
    for (name, params) in printers {
        linker.func_new(
            MODULE,
            name,
            FuncType::new(params.iter().copied(), []),
            |_caller, _args, _results| Ok(()),
        );
    }

    let globals = [
        ("global_i32", Val::I32(666)),
        ("global_i64", Val::I64(666)),
        ("global_f32", Val::f32(666.6)),
        ("global_f64", Val::f64(666.6)),
    ];
    for (name, value) in globals {
        let global = Global::new(
            store,
            GlobalType {
                content: value.ty(),
                mutable: false,
            },
            value,
        )?;
        linker.define(MODULE, name, Extern::Global(global));
    }

    let table_ty = TableType {
        element: RefType::FUNCREF,
        limits: Limits {
            min: 10,
            max: Some(20),
        },
        table64: false,
    };
    let table = Table::new(store, table_ty, Val::FuncRef(None))?;
    linker.define(MODULE, "table", Extern::Table(table));

    let memory_ty = MemoryType {
        limits: Limits {
            min: 1,
            max: Some(2),
        },
        memory64: false,
        shared: false,
    };
    let memory = Memory::new(store, memory_ty)?;
    linker.define(MODULE, "memory", Extern::Memory(memory));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use porta_interp::Engine;

    #[test]
    fn defines_the_reference_interpreter_names() {
        let engine = Engine::default();
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new();
        define(&mut linker, &mut store).unwrap();
        for name in [
            "print",
            "print_i32",
            "print_i64",
            "print_f32",
            "print_f64",
            "print_i32_f32",
            "print_f64_f64",
            "global_i32",
            "global_i64",
            "global_f32",
            "global_f64",
            "table",
            "memory",
        ] {
            assert!(linker.contains(MODULE, name), "{name}");
        }
    }
}
