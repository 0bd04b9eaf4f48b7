//! Tail calls (`return_call`, `return_call_indirect`): the callee takes over
//! the caller's frame, so a chain of any length runs in the same native
//! stack and frame stack; each tail call counts one step (SPEC §2.1).

use porta_interp::{Config, Engine, Error, FuncType, Linker, Module, Store, TrapCode, Val, ValType};

const MODULE: &str = r#"(module
  (import "host" "id" (func $id (param i32) (result i32)))
  (type $unary (func (param i32) (result i32)))
  (table funcref (elem $even $odd))
  (func $even (export "even") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))))))
  (func $odd (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call_indirect (type $unary) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0)))))
  (func $boom (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func (export "trap") (result i32) (return_call $boom (i32.const 0)))
  (func (export "host") (result i32) (return_call $id (i32.const 42))))"#;

fn setup(config: Config) -> (Store<()>, porta_interp::Instance) {
    let engine = Engine::new(config);
    let module = Module::new(&engine, &wat::parse_str(MODULE).unwrap()).unwrap();
    let mut linker = Linker::new();
    linker.func_new("host", "id", FuncType::new([ValType::I32], [ValType::I32]), |_, a, r| {
        r[0] = a[0];
        Ok(())
    });
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).unwrap();
    (store, instance)
}

fn run(s: &mut Store<()>, i: porta_interp::Instance, name: &str, args: &[Val]) -> (Result<i32, Error>, u64) {
    let f = i.get_func(s, name).unwrap();
    let mut out = [Val::I32(0)];
    let before = s.steps();
    let r = f.call(s, args, &mut out).map(|_| match out[0] {
        Val::I32(v) => v,
        ref v => panic!("{v:?}"),
    });
    (r, s.steps() - before)
}

fn trap_code(r: &Result<i32, Error>) -> Option<TrapCode> {
    r.as_ref().err().and_then(|e| e.as_trap()).and_then(|t| t.code())
}

#[test]
fn ten_million_mutual_tail_calls_run_in_a_small_stack() {
    // A frame stack of 16 frames and 4096 cells: ordinary calls would be
    // "call stack exhausted" after 16; on a 256 KiB native stack.
    let config = Config { max_call_depth: 16, max_stack_cells: 4096, ..Config::default() };
    let steps = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || {
            let (mut s, i) = setup(config);
            let (r, steps) = run(&mut s, i, "even", &[Val::I32(10_000_000)]);
            assert_eq!(r.unwrap(), 1);
            let (r, _) = run(&mut s, i, "even", &[Val::I32(7)]);
            assert_eq!(r.unwrap(), 0);
            steps
        })
        .unwrap()
        .join()
        .unwrap();
    // 7 steps per tail call (local.get, i32.eqz, if, local.get, i32.const,
    // i32.sub, the call; return_call_indirect's i32.const makes 8 on odd
    // steps), 4 for the last.
    assert_eq!(steps, 5_000_000 * 7 + 5_000_000 * 8 + 4);
}

#[test]
fn a_trap_in_a_tail_called_function_counts_exactly() {
    let (mut s, i) = setup(Config::default());
    // i32.const, return_call; then i32.const, local.get, i32.div_u.
    let (r, steps) = run(&mut s, i, "trap", &[]);
    assert_eq!(trap_code(&r), Some(TrapCode::IntegerDivideByZero));
    assert_eq!(steps, 5);
    for limit in 0..5 {
        s.set_step_limit(Some(s.steps() + limit));
        let (r, steps) = run(&mut s, i, "trap", &[]);
        assert_eq!(trap_code(&r), Some(TrapCode::StepLimitExceeded), "limit {limit}");
        assert_eq!(steps, limit);
    }
    s.set_step_limit(None);
    for limit in 0..30 {
        s.set_step_limit(Some(s.steps() + limit));
        let (r, steps) = run(&mut s, i, "even", &[Val::I32(3)]);
        let total = 7 + 8 + 7 + 4;
        if limit < total {
            assert_eq!(trap_code(&r), Some(TrapCode::StepLimitExceeded), "limit {limit}");
            assert_eq!(steps, limit);
        } else {
            assert_eq!((r.unwrap(), steps), (0, total));
        }
    }
}

#[test]
fn a_tail_call_to_the_host_returns_its_results() {
    let (mut s, i) = setup(Config::default());
    let (r, steps) = run(&mut s, i, "host", &[]);
    assert_eq!(r.unwrap(), 42);
    assert_eq!(steps, 2);
}
