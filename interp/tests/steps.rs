//! Exact step counting (SPEC §2.1), checked against counts computed by hand:
//! every executed instruction counts 1, `else`/`end` count 0, a trap counts
//! the trapping instruction, and a limit of N stops after exactly N.

use porta_interp::{Config, Engine, Error, FuncType, Linker, Module, Store, TrapCode, Val, ValType};

fn setup(wat: &str) -> (Store<()>, porta_interp::Instance) {
    setup_with(Config::default(), wat)
}

fn setup_with(config: Config, wat: &str) -> (Store<()>, porta_interp::Instance) {
    let engine = Engine::new(config);
    let bytes = wat::parse_str(wat).expect("test module parses");
    let module = Module::new(&engine, &bytes).expect("test module is valid");
    let mut linker = Linker::new();
    linker.func_new("host", "id", FuncType::new([ValType::I32], [ValType::I32]), |_, a, r| {
        r[0] = a[0];
        Ok(())
    });
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &module).expect("instantiates");
    (store, instance)
}

/// Calls `name`, returning its i32 results (or the error) and the steps used.
fn run(store: &mut Store<()>, inst: porta_interp::Instance, name: &str, args: &[Val]) -> (Result<Vec<Val>, Error>, u64) {
    let f = inst.get_func(store, name).expect("export exists");
    let n = f.ty(store).results().len();
    let mut results = vec![Val::I32(0); n];
    let before = store.steps();
    let out = f.call(store, args, &mut results).map(|_| results);
    (out, store.steps() - before)
}

fn trap_code(r: &Result<Vec<Val>, Error>) -> Option<TrapCode> {
    r.as_ref().err().and_then(|e| e.as_trap()).and_then(|t| t.code())
}

const LOOP: &str = r#"(module
  (func (export "count") (param $n i32) (result i32) (local $i i32)
    block
      loop
        local.get $i
        local.get $n
        i32.ge_s
        br_if 1
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br 0
      end
    end
    local.get $i))"#;

/// block + loop, 9 per full iteration, 4 for the exiting check, local.get.
fn loop_steps(n: u64) -> u64 {
    2 + 9 * n + 4 + 1
}

#[test]
fn straight_line_code() {
    let (mut s, i) = setup(r#"(module (func (export "f") (result i32)
        i32.const 1 i32.const 2 i32.add nop i32.const 3 drop))"#);
    let (r, steps) = run(&mut s, i, "f", &[]);
    assert_eq!(r.unwrap(), vec![Val::I32(3)]);
    assert_eq!(steps, 6);
}

#[test]
fn loops_and_br_if() {
    let (mut s, i) = setup(LOOP);
    for n in [0, 1, 10, 1000] {
        let (r, steps) = run(&mut s, i, "count", &[Val::I32(n)]);
        assert_eq!(r.unwrap(), vec![Val::I32(n)]);
        assert_eq!(steps, loop_steps(n as u64), "n = {n}");
    }
}

#[test]
fn if_else_counts_the_taken_arm() {
    let (mut s, i) = setup(r#"(module (func (export "f") (param i32) (result i32)
        local.get 0
        if (result i32)
          i32.const 10
          i32.const 1
          i32.add
        else
          i32.const 20
        end))"#);
    // local.get, if, then-arm 3 (else and end count 0).
    assert_eq!(run(&mut s, i, "f", &[Val::I32(1)]).1, 5);
    // local.get, if, else-arm 1.
    assert_eq!(run(&mut s, i, "f", &[Val::I32(0)]).1, 3);
}

#[test]
fn br_table_counts_one_and_lands_after_the_label() {
    let (mut s, i) = setup(r#"(module (func (export "f") (param i32) (result i32)
        block
          block
            block
              local.get 0
              br_table 0 1 2
            end
            i32.const 100
            return
          end
          i32.const 101
          return
        end
        i32.const 102))"#);
    // 3 blocks + local.get + br_table, then const + return (or const).
    assert_eq!(run(&mut s, i, "f", &[Val::I32(0)]), (Ok(vec![Val::I32(100)]), 7));
    assert_eq!(run(&mut s, i, "f", &[Val::I32(1)]), (Ok(vec![Val::I32(101)]), 7));
    assert_eq!(run(&mut s, i, "f", &[Val::I32(7)]), (Ok(vec![Val::I32(102)]), 6));
}

#[test]
fn calls_and_host_calls() {
    let (mut s, i) = setup(r#"(module
        (import "host" "id" (func $id (param i32) (result i32)))
        (func $one (result i32) i32.const 1)
        (func (export "f") (result i32)
          call $one
          call $one
          i32.add
          call $id))"#);
    // call + 1, call + 1, add, host call = 6 (host code counts nothing).
    assert_eq!(run(&mut s, i, "f", &[]), (Ok(vec![Val::I32(2)]), 6));
}

#[test]
fn a_trap_counts_the_trapping_instruction_only() {
    let (mut s, i) = setup(r#"(module (func (export "f") (param i32) (result i32) (local i32)
        i32.const 10
        local.get 0
        i32.div_u
        local.set 1
        local.get 1
        i32.const 5
        i32.add))"#);
    assert_eq!(run(&mut s, i, "f", &[Val::I32(2)]), (Ok(vec![Val::I32(10)]), 7));
    let (r, steps) = run(&mut s, i, "f", &[Val::I32(0)]);
    assert_eq!(trap_code(&r), Some(TrapCode::IntegerDivideByZero));
    assert_eq!(steps, 3);
}

#[test]
fn unreachable_and_deep_recursion_trap() {
    let (mut s, i) = setup(r#"(module
        (func (export "u") nop nop unreachable nop)
        (func $r (export "r") (param i32) (result i32) local.get 0 call $r))"#);
    let (r, steps) = run(&mut s, i, "u", &[]);
    assert_eq!(trap_code(&r), Some(TrapCode::Unreachable));
    assert_eq!(steps, 3);
    let (r, _) = run(&mut s, i, "r", &[Val::I32(0)]);
    assert_eq!(trap_code(&r), Some(TrapCode::CallStackExhausted));
}

#[test]
fn a_limit_stops_after_exactly_n_steps() {
    let (mut s, i) = setup(LOOP);
    let total = loop_steps(5);
    for limit in 0..=total + 2 {
        s.set_step_limit(Some(s.steps() + limit));
        let (r, steps) = run(&mut s, i, "count", &[Val::I32(5)]);
        if limit < total {
            assert_eq!(trap_code(&r), Some(TrapCode::StepLimitExceeded), "limit {limit}");
            assert_eq!(steps, limit, "limit {limit}");
        } else {
            assert_eq!(r.unwrap(), vec![Val::I32(5)], "limit {limit}");
            assert_eq!(steps, total);
        }
    }
}

#[test]
fn effects_before_the_limit_happen_and_none_after() {
    // Each iteration: local.get, i32.const, i32.store8, local.get, i32.const,
    // i32.add, local.tee, local.get, i32.lt_u, br_if = 10 steps. The store of
    // iteration k is step 1 + 10k + 3 (after the `loop` itself).
    let (mut s, i) = setup(r#"(module (memory (export "mem") 1)
        (func (export "fill") (param $n i32) (local $i i32)
          loop
            local.get $i
            i32.const 0xAA
            i32.store8
            local.get $i
            i32.const 1
            i32.add
            local.tee $i
            local.get $n
            i32.lt_u
            br_if 0
          end))"#);
    let mem = i.get_memory(&s, "mem").unwrap();
    for limit in 0..=45u64 {
        mem.data_mut(&mut s)[..16].fill(0);
        s.set_step_limit(Some(s.steps() + limit));
        let (r, steps) = run(&mut s, i, "fill", &[Val::I32(8)]);
        assert_eq!(trap_code(&r), Some(TrapCode::StepLimitExceeded));
        assert_eq!(steps, limit);
        let stored = mem.data(&s)[..16].iter().filter(|&&b| b == 0xAA).count() as u64;
        let expected = if limit < 4 { 0 } else { (limit - 4) / 10 + 1 };
        assert_eq!(stored, expected, "limit {limit}");
    }
}

#[test]
fn a_limit_inside_a_callee_is_exact() {
    let (mut s, i) = setup(r#"(module
        (import "host" "id" (func $id (param i32) (result i32)))
        (func $inc (param i32) (result i32) local.get 0 i32.const 1 i32.add)
        (func (export "f") (result i32)
          i32.const 0
          call $inc
          call $id
          call $inc))"#);
    // const, call, 3, host call, call, 3 = 10.
    let total = 10;
    assert_eq!(run(&mut s, i, "f", &[]), (Ok(vec![Val::I32(2)]), total));
    for limit in 0..total {
        s.set_step_limit(Some(s.steps() + limit));
        let (r, steps) = run(&mut s, i, "f", &[]);
        assert_eq!(trap_code(&r), Some(TrapCode::StepLimitExceeded), "limit {limit}");
        assert_eq!(steps, limit);
    }
}

#[test]
fn a_trap_under_a_limit_still_counts_exactly() {
    let (mut s, i) = setup(r#"(module (func (export "f") (param i32) (result i32)
        i32.const 1 i32.const 2 i32.add local.get 0 i32.div_s i32.const 9 i32.add))"#);
    // The trap is step 5. A limit of 10 (more than the block) and of 5
    // (exactly enough) both see the trap with 5 steps; 4 stops before it.
    for (limit, code, steps) in [
        (10, TrapCode::IntegerDivideByZero, 5),
        (5, TrapCode::IntegerDivideByZero, 5),
        (4, TrapCode::StepLimitExceeded, 4),
    ] {
        s.set_step_limit(Some(s.steps() + limit));
        let (r, n) = run(&mut s, i, "f", &[Val::I32(0)]);
        assert_eq!((trap_code(&r), n), (Some(code), steps), "limit {limit}");
    }
}

#[test]
fn counting_off_runs_the_same_code() {
    let config = Config { count_steps: false, ..Config::default() };
    let (mut s, i) = setup_with(config, LOOP);
    let (r, steps) = run(&mut s, i, "count", &[Val::I32(100)]);
    assert_eq!(r.unwrap(), vec![Val::I32(100)]);
    assert_eq!(steps, 0);
}

/// Fusions apply at a block's first instruction too, which with counting
/// off has no `Charge` before it: a compare into the loop's exit branch, a
/// shift into the add after it, an f32 product into its sum. Both configs
/// give the same results.
#[test]
fn counting_off_fuses_at_a_block_start_with_the_same_results() {
    let wat = r#"(module
      (memory 1)
      (func (export "f") (param $n i32) (result i32) (local $i i32) (local $acc i32)
        (block $done
          (loop $top
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $acc (i32.xor (local.get $acc) (i32.shr_u (local.get $i) (i32.const 1))))
            (local.set $acc (i32.add (i32.shl (local.get $acc) (i32.const 3)) (local.get $i)))
            (i32.store (i32.shl (i32.and (local.get $i) (i32.const 255)) (i32.const 2)) (local.get $acc))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $top)))
        (i32.add (local.get $acc) (i32.load offset=8 (i32.shl (i32.const 1) (i32.const 2)))))
      (func (export "g") (param f32 f32 f32) (result f32)
        (if (result f32) (f32.gt (local.get 0) (local.get 1))
          (then (f32.add (f32.mul (local.get 0) (local.get 1)) (local.get 2)))
          (else (f32.add (local.get 2) (f32.mul (local.get 1) (local.get 1)))))))"#;
    let (mut on, i_on) = setup_with(Config::default(), wat);
    let (mut off, i_off) = setup_with(Config { count_steps: false, ..Config::default() }, wat);
    for n in [0, 1, 2, 7, 300, 1000] {
        let (a, _) = run(&mut on, i_on, "f", &[Val::I32(n)]);
        let (b, _) = run(&mut off, i_off, "f", &[Val::I32(n)]);
        assert_eq!(a.unwrap(), b.unwrap(), "f({n})");
    }
    for args in [[1.5f32, 2.0, 0.25], [2.0, 1.5, -3.0], [1.0 / 3.0, 3.0, -1.0]] {
        let args = args.map(|x| Val::F32(x.to_bits()));
        let (a, _) = run(&mut on, i_on, "g", &args);
        let (b, _) = run(&mut off, i_off, "g", &args);
        assert_eq!(a.unwrap(), b.unwrap(), "g({args:?})");
    }
}

/// Every limit below the total stops after exactly that many steps, across
/// calls, returns, `br_table`, host calls and blocks that cost nothing; and
/// the side effects seen at limit N+1 are those at N plus at most one.
#[test]
fn every_limit_is_exact_across_calls_and_returns() {
    let (mut s, i) = setup(r#"(module
        (import "host" "id" (func $id (param i32) (result i32)))
        (global $g (mut i32) (i32.const 0))
        (func $bump (global.set $g (i32.add (global.get $g) (i32.const 1))))
        (func $f (export "f") (param $n i32) (result i32)
          call $bump
          (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
            (then (call $id (local.get $n)))
            (else
              (block $b (block $a
                (br_table $a $b (i32.and (local.get $n) (i32.const 1))))
                call $bump)
              (block (block (block)))
              (i32.add (call $f (i32.sub (local.get $n) (i32.const 1)))
                       (call $f (i32.sub (local.get $n) (i32.const 2)))))))
        (func (export "g") (result i32) global.get $g)
        (func (export "reset") i32.const 0 global.set $g))"#);
    // A leaf: bump (call + 4), the `if` test (4), `call $id` (2). Otherwise:
    // bump (5), the test (4), two blocks and `br_table`'s operands (6), a
    // bump for even n (5), three empty blocks (3), and the two calls with
    // the add (9).
    fn expected(n: u32) -> u64 {
        match n {
            0 | 1 => 11,
            _ => 27 + if n.is_multiple_of(2) { 5 } else { 0 } + expected(n - 1) + expected(n - 2),
        }
    }
    let (r, total) = run(&mut s, i, "f", &[Val::I32(7)]);
    assert_eq!(r.unwrap(), vec![Val::I32(13)]);
    assert_eq!(total, expected(7));
    let bumps = |s: &mut Store<()>| match run(s, i, "g", &[]).0.unwrap()[0] {
        Val::I32(n) => n,
        ref v => panic!("{v:?}"),
    };
    let final_bumps = bumps(&mut s);
    let mut last = 0;
    for limit in 0..=total {
        s.set_step_limit(None);
        run(&mut s, i, "reset", &[]).0.unwrap();
        s.set_step_limit(Some(s.steps() + limit));
        let (r, steps) = run(&mut s, i, "f", &[Val::I32(7)]);
        if limit < total {
            assert_eq!(trap_code(&r), Some(TrapCode::StepLimitExceeded), "limit {limit}");
        } else {
            assert_eq!(r.unwrap(), vec![Val::I32(13)]);
        }
        assert_eq!(steps, limit);
        s.set_step_limit(None);
        let now = bumps(&mut s);
        assert!(now == last || now == last + 1, "limit {limit}: {last} then {now} bumps");
        last = now;
    }
    assert_eq!(last, final_bumps);
}

/// The interrupt flag stops a guest that does not return: a loop, a loop
/// that calls the host on every turn (each return from the host starts a
/// new slice of the budget), and recursion too wide to finish, with or
/// without a distant step limit. Steps stay counted up to the stop.
#[test]
fn an_interrupt_stops_endless_code() {
    let (mut s, i) = setup(r#"(module
        (import "host" "id" (func $id (param i32) (result i32)))
        (func (export "spin") (loop $l (br $l)))
        (func (export "spin_host") (loop $l (br_if $l (call $id (i32.const 1)))))
        (func $deep (export "deep") (param i32)
          (if (i32.eqz (local.get 0)) (then (return)))
          (call $deep (i32.sub (local.get 0) (i32.const 1)))
          (call $deep (i32.sub (local.get 0) (i32.const 1)))))"#);
    for (name, args, limit) in
        [("spin", vec![], None), ("spin", vec![], Some(u64::MAX / 2)), ("spin_host", vec![], None), ("deep", vec![Val::I32(60)], None)]
    {
        s.set_step_limit(limit);
        let flag = s.interrupt_handle();
        flag.store(false, std::sync::atomic::Ordering::Relaxed);
        let setter = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(30));
            flag.store(true, std::sync::atomic::Ordering::Relaxed);
        });
        let (r, steps) = run(&mut s, i, name, &args);
        setter.join().unwrap();
        assert_eq!(trap_code(&r), Some(TrapCode::Interrupted), "{name}");
        assert!(steps > 1000, "{name}: {steps} steps");
    }
}
