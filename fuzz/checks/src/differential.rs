//! `differential`: a wasm-smith module run on porta and on wasmi 2.0 with
//! the same arguments and a bounded budget. Every exported function is
//! called in export order; after each call the results (or the trap) and
//! the exported memories, globals and tables must be the same on both.
//! A run that ends for a reason the engines may legitimately differ on
//! (budget, call depth, resource limits) ends the comparison.

use crate::generate::{self, MAX_PAGES, MAX_TABLE};
use arbitrary::Unstructured;
use porta_interp as porta;

/// Steps per call on porta; wasmi gets more fuel (its costs differ), so
/// that a call porta finishes, wasmi finishes too.
const STEPS: u64 = 100_000;
const FUEL: u64 = 10 * STEPS;
/// Call depth on both engines.
const DEPTH: usize = 1_000;

/// A value as both engines can show it: references by null-ness only.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    V128(u128),
    Ref { null: bool },
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Values(Vec<Value>),
    /// A trap, by the spec's message.
    Trap(&'static str),
    /// Budget, depth or a resource limit: the engines may differ here.
    Stopped,
}

/// The exported state after a call, by export name.
#[derive(Debug, PartialEq)]
enum State {
    Memory(Vec<u8>),
    Global(Value),
    Table(Vec<bool>),
}

pub fn check(data: &[u8]) {
    crate::on_guest_stack(|| compare(data));
}

/// Runs the comparison; returns how many calls were compared.
fn compare(data: &[u8]) -> usize {
    let mut u = Unstructured::new(data);
    let Ok(bytes) = generate::runnable(&mut u) else { return 0 };
    let Some(mut ours) = Porta::new(&bytes) else { return 0 };
    let Some(mut theirs) = Wasmi::new(&bytes) else { return 0 };
    match (ours.instantiate(), theirs.instantiate()) {
        (Ok(()), Ok(())) => {}
        (a, b) => {
            let (a, b) = (a.err().unwrap_or(Outcome::Values(vec![])), b.err().unwrap_or(Outcome::Values(vec![])));
            if a != Outcome::Stopped && b != Outcome::Stopped {
                assert_eq!(a, b, "instantiation differs (left porta, right wasmi)");
            }
            return 0;
        }
    }
    let names = generate::exported_funcs(&bytes);
    compare_state(&names, &ours, &theirs, "after instantiation");
    let mut compared = 0;
    for name in &names {
        let params = ours.params(name);
        let args: Vec<Value> = params.iter().map(|t| arbitrary_value(&mut u, *t)).collect();
        let a = ours.call(name, &args);
        let b = theirs.call(name, &args);
        if a == Outcome::Stopped || b == Outcome::Stopped {
            break;
        }
        assert_eq!(a, b, "calling {name}{args:?} differs (left porta, right wasmi)");
        compare_state(&names, &ours, &theirs, &format!("after {name}{args:?}"));
        compared += 1;
    }
    compared
}

fn compare_state(funcs: &[String], ours: &Porta, theirs: &Wasmi, when: &str) {
    let a = ours.state(funcs);
    let b = theirs.state(funcs);
    assert_eq!(a.len(), b.len(), "exports differ {when}");
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "export {name} differs {when}: porta {x:?}, wasmi {y:?}");
    }
}

/// Arguments: any bits, references null (the only reference the embedder
/// has for both engines).
fn arbitrary_value(u: &mut Unstructured<'_>, ty: porta::ValType) -> Value {
    match ty {
        porta::ValType::I32 => Value::I32(u.arbitrary().unwrap_or(0)),
        porta::ValType::I64 => Value::I64(u.arbitrary().unwrap_or(0)),
        porta::ValType::F32 => Value::F32(u.arbitrary().unwrap_or(0)),
        porta::ValType::F64 => Value::F64(u.arbitrary().unwrap_or(0)),
        porta::ValType::V128 => Value::V128(u.arbitrary().unwrap_or(0)),
        porta::ValType::Ref(_) => Value::Ref { null: true },
    }
}

struct Porta {
    store: porta::Store<()>,
    module: porta::Module,
    instance: Option<porta::Instance>,
}

impl Porta {
    fn new(bytes: &[u8]) -> Option<Porta> {
        let config = porta::Config { max_call_depth: DEPTH, ..Default::default() };
        let engine = porta::Engine::new(config);
        let module = porta::Module::new(&engine, bytes).ok()?;
        let mut store = porta::Store::new(&engine, ());
        store.set_limits(porta::StoreLimits { max_memory_pages: MAX_PAGES, max_table_elements: MAX_TABLE, ..Default::default() });
        Some(Porta { store, module, instance: None })
    }

    fn instantiate(&mut self) -> Result<(), Outcome> {
        self.store.set_step_limit(Some(self.store.steps() + STEPS));
        let linker = porta::Linker::new();
        match linker.instantiate(&mut self.store, &self.module) {
            Ok(i) => {
                self.instance = Some(i);
                Ok(())
            }
            Err(e) => Err(Self::failure(e)),
        }
    }

    fn failure(e: porta::Error) -> Outcome {
        use porta::TrapCode as C;
        match e {
            porta::Error::Trap(porta::Trap::Code(code)) => match code {
                C::CallStackExhausted | C::StepLimitExceeded | C::Interrupted => Outcome::Stopped,
                // wasmi names an index past the table's end this way.
                C::UndefinedElement => Outcome::Trap(C::TableOutOfBounds.message()),
                c => Outcome::Trap(c.message()),
            },
            porta::Error::Instantiate(_) => Outcome::Stopped,
            e => panic!("porta failed with something other than a trap: {e}"),
        }
    }

    fn func(&self, name: &str) -> porta::Func {
        self.instance.as_ref().and_then(|i| i.get_func(&self.store, name)).expect("an exported function")
    }

    fn params(&self, name: &str) -> Vec<porta::ValType> {
        self.func(name).ty(&self.store).params().to_vec()
    }

    fn call(&mut self, name: &str, args: &[Value]) -> Outcome {
        let func = self.func(name);
        let ty = func.ty(&self.store);
        let args: Vec<porta::Val> = args.iter().zip(ty.params()).map(|(v, t)| Self::val(v, *t)).collect();
        let mut results: Vec<porta::Val> = ty.results().iter().map(|t| porta::Val::default_for(*t)).collect();
        self.store.set_step_limit(Some(self.store.steps() + STEPS));
        match func.call(&mut self.store, &args, &mut results) {
            Ok(()) => Outcome::Values(results.iter().map(Self::value).collect()),
            Err(e) => Self::failure(e),
        }
    }

    fn val(v: &Value, ty: porta::ValType) -> porta::Val {
        match (v, ty) {
            (Value::I32(x), _) => porta::Val::I32(*x),
            (Value::I64(x), _) => porta::Val::I64(*x),
            (Value::F32(x), _) => porta::Val::F32(*x),
            (Value::F64(x), _) => porta::Val::F64(*x),
            (Value::V128(x), _) => porta::Val::V128(*x),
            (Value::Ref { .. }, porta::ValType::Ref(porta::RefType::EXTERNREF)) => porta::Val::ExternRef(None),
            (Value::Ref { .. }, _) => porta::Val::FuncRef(None),
        }
    }

    fn value(v: &porta::Val) -> Value {
        match v {
            porta::Val::I32(x) => Value::I32(*x),
            porta::Val::I64(x) => Value::I64(*x),
            porta::Val::F32(x) => Value::F32(*x),
            porta::Val::F64(x) => Value::F64(*x),
            porta::Val::V128(x) => Value::V128(*x),
            porta::Val::FuncRef(r) => Value::Ref { null: r.is_none() },
            porta::Val::ExternRef(r) => Value::Ref { null: r.is_none() },
            porta::Val::ExnRef(r) => Value::Ref { null: r.is_none() },
        }
    }

    fn state(&self, funcs: &[String]) -> Vec<(String, State)> {
        let instance = self.instance.as_ref().expect("instantiated");
        let mut out: Vec<(String, State)> = instance
            .exports(&self.store)
            .filter(|(name, _)| !funcs.iter().any(|f| f == name))
            .filter_map(|(name, ext)| {
                let state = match ext {
                    porta::Extern::Memory(m) => State::Memory(m.data(&self.store).to_vec()),
                    porta::Extern::Global(g) => State::Global(Self::value(&g.get(&self.store))),
                    porta::Extern::Table(t) => State::Table(
                        (0..t.size(&self.store)).map(|i| t.get(&self.store, i).is_some_and(|v| Self::value(&v) == Value::Ref { null: true })).collect(),
                    ),
                    porta::Extern::Func(_) | porta::Extern::Tag(_) => return None,
                };
                Some((name.to_string(), state))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

struct Wasmi {
    store: wasmi::Store<wasmi::StoreLimits>,
    module: wasmi::Module,
    instance: Option<wasmi::Instance>,
}

impl Wasmi {
    fn new(bytes: &[u8]) -> Option<Wasmi> {
        let mut config = wasmi::Config::default();
        config.consume_fuel(true).set_max_recursion_depth(DEPTH);
        let engine = wasmi::Engine::new(&config);
        let module = wasmi::Module::new(&engine, bytes).ok()?;
        let limits = wasmi::StoreLimitsBuilder::new()
            .memory_size(MAX_PAGES as usize * 65536)
            .table_elements(MAX_TABLE as usize)
            .build();
        let mut store = wasmi::Store::new(&engine, limits);
        store.limiter(|l| l);
        Some(Wasmi { store, module, instance: None })
    }

    fn instantiate(&mut self) -> Result<(), Outcome> {
        self.store.set_fuel(FUEL).expect("fuel is on");
        let linker = wasmi::Linker::new(self.store.engine());
        match linker.instantiate_and_start(&mut self.store, &self.module) {
            Ok(i) => {
                self.instance = Some(i);
                Ok(())
            }
            Err(e) => Err(Self::failure(&e)),
        }
    }

    fn failure(e: &wasmi::Error) -> Outcome {
        use wasmi::TrapCode as C;
        let Some(code) = e.as_trap_code() else { return Outcome::Stopped };
        Outcome::Trap(match code {
            C::UnreachableCodeReached => "unreachable",
            C::MemoryOutOfBounds => "out of bounds memory access",
            C::TableOutOfBounds => "out of bounds table access",
            C::IndirectCallToNull => "uninitialized element",
            C::IntegerDivisionByZero => "integer divide by zero",
            C::IntegerOverflow => "integer overflow",
            C::BadConversionToInteger => "invalid conversion to integer",
            C::BadSignature => "indirect call type mismatch",
            _ => return Outcome::Stopped,
        })
    }

    fn call(&mut self, name: &str, args: &[Value]) -> Outcome {
        let instance = self.instance.expect("instantiated");
        let func = instance.get_func(&self.store, name).expect("an exported function");
        let ty = func.ty(&self.store);
        let args: Vec<wasmi::Val> = args.iter().zip(ty.params()).map(|(v, t)| Self::val(v, *t)).collect();
        let mut results: Vec<wasmi::Val> = ty.results().iter().map(|t| wasmi::Val::default_for_ty(*t)).collect();
        self.store.set_fuel(FUEL).expect("fuel is on");
        match func.call(&mut self.store, &args, &mut results) {
            Ok(()) => Outcome::Values(results.iter().map(Self::value).collect()),
            Err(e) => Self::failure(&e),
        }
    }

    fn val(v: &Value, ty: wasmi::ValType) -> wasmi::Val {
        match (v, ty) {
            (Value::I32(x), _) => wasmi::Val::I32(*x),
            (Value::I64(x), _) => wasmi::Val::I64(*x),
            (Value::F32(x), _) => wasmi::Val::F32(wasmi::F32::from_bits(*x)),
            (Value::F64(x), _) => wasmi::Val::F64(wasmi::F64::from_bits(*x)),
            (Value::V128(x), _) => wasmi::Val::V128(wasmi::V128::from(*x)),
            (Value::Ref { .. }, wasmi::ValType::ExternRef) => wasmi::Val::ExternRef(wasmi::Nullable::Null),
            (Value::Ref { .. }, _) => wasmi::Val::FuncRef(wasmi::Nullable::Null),
        }
    }

    fn value(v: &wasmi::Val) -> Value {
        match v {
            wasmi::Val::I32(x) => Value::I32(*x),
            wasmi::Val::I64(x) => Value::I64(*x),
            wasmi::Val::F32(x) => Value::F32(x.to_bits()),
            wasmi::Val::F64(x) => Value::F64(x.to_bits()),
            wasmi::Val::FuncRef(r) => Value::Ref { null: r.is_null() },
            wasmi::Val::ExternRef(r) => Value::Ref { null: r.is_null() },
            wasmi::Val::V128(x) => Value::V128(x.as_u128()),
        }
    }

    fn state(&self, funcs: &[String]) -> Vec<(String, State)> {
        let instance = self.instance.expect("instantiated");
        let mut out: Vec<(String, State)> = instance
            .exports(&self.store)
            .filter(|e| !funcs.iter().any(|f| f == e.name()))
            .filter_map(|e| {
                let name = e.name().to_string();
                let state = match e.into_extern() {
                    wasmi::Extern::Memory(m) => State::Memory(m.data(&self.store).to_vec()),
                    wasmi::Extern::Global(g) => State::Global(Self::value(&g.get(&self.store))),
                    wasmi::Extern::Table(t) => State::Table(
                        (0..t.size(&self.store))
                            .map(|i| match t.get(&self.store, i) {
                                Some(wasmi::Ref::Func(f)) => f.is_null(),
                                Some(wasmi::Ref::Extern(x)) => x.is_null(),
                                None => false,
                            })
                            .collect(),
                    ),
                    wasmi::Extern::Func(_) => return None,
                };
                Some((name, state))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

#[cfg(test)]
mod tests {
    /// The target is worth running: random inputs give modules whose calls
    /// both engines finish and that are compared.
    #[test]
    fn random_inputs_compare_calls() {
        let compared: usize = crate::random_inputs(200, 2048).map(|d| super::compare(&d)).sum();
        assert!(compared >= 50, "only {compared} calls compared");
    }
}
