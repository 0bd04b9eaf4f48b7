//! Loops that start with their exit test, as a `while` loop compiles: a
//! jump back to such a loop runs the test itself, negated, and goes straight
//! into the body (`Translator::emit_jump`); the block that jumps back pays
//! for the loop's test, and a loop that ends goes to its test past the
//! loop's `Charge`. Checked here in every shape the translator meets: each
//! compare form, `i32.eqz`, a plain value, a constant operand, loop
//! parameters, nested loops, a `br_table` back, a test after a block
//! entry and an exit that carries a value (neither rewritten), and a loop
//! whose test costs 70 000 steps. For each, the results with counting on
//! and off agree, the total steps are those the instructions add up to,
//! and every step limit stops after exactly that many steps with the
//! effects up to that step done and none after.

use porta_interp::{Config, Engine, Error, Instance, Linker, Module, Store, TrapCode, Val};

fn setup(config: Config, wat: &str) -> (Store<()>, Instance) {
    let engine = Engine::new(config);
    let module = Module::new(&engine, &wat::parse_str(wat).expect("parses")).expect("valid");
    let mut store = Store::new(&engine, ());
    let instance = Linker::new().instantiate(&mut store, &module).expect("instantiates");
    (store, instance)
}

fn run(store: &mut Store<()>, instance: Instance, name: &str, arg: i32) -> (Result<i32, Error>, u64) {
    let f = instance.get_func(store, name).expect("export");
    let mut out = [Val::I32(0)];
    let before = store.steps();
    let result = f.call(store, &[Val::I32(arg)], &mut out).map(|_| match out[0] {
        Val::I32(v) => v,
        ref v => panic!("unexpected result {v:?}"),
    });
    (result, store.steps() - before)
}

fn bumps(store: &mut Store<()>, instance: Instance) -> i32 {
    let g = instance.get_global(store, "bumps").expect("export");
    match g.get(store) {
        Val::I32(v) => v,
        v => panic!("unexpected global {v:?}"),
    }
}

/// Each function bumps `$bumps` in its loop's turns and returns a value the
/// loop computed.
const WAT: &str = r#"(module
  (global $bumps (export "bumps") (mut i32) (i32.const 0))
  (func $bump (global.set $bumps (i32.add (global.get $bumps) (i32.const 1))))
  (func (export "cmp") (param $n i32) (result i32) (local $i i32)
    (block $done
      (loop $top
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (global.set $bumps (i32.add (global.get $bumps) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (local.get $i))
  (func (export "eqz") (param $n i32) (result i32) (local $sum i32)
    (block $done
      (loop $top
        (br_if $done (i32.eqz (local.get $n)))
        (call $bump)
        (local.set $sum (i32.add (local.get $sum) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $top)))
    (local.get $sum))
  (func (export "nez") (param $n i32) (result i32) (local $k i32)
    (block $done
      (loop $top
        (br_if $done (local.get $n))
        (call $bump)
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (local.set $n (i32.ge_u (local.get $k) (i32.const 5)))
        (br $top)))
    (local.get $k))
  (func (export "imm") (param $n i32) (result i32) (local $i i32)
    (local.set $i (local.get $n))
    (block $done
      (loop $top
        (br_if $done (i32.gt_u (local.get $i) (i32.const 20)))
        (call $bump)
        (local.set $i (i32.add (local.get $i) (i32.const 3)))
        (br $top)))
    (local.get $i))
  (func (export "params") (param $n i32) (result i32) (local $i i32)
    (block $done (result i32)
      (i32.const 100)
      (loop $top (param i32) (result i32)
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $bump)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (i32.add (i32.const 7))
        (br $top))))
  (func (export "nested") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $s i32)
    (block $out
      (loop $rows
        (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $j (i32.const 0))
        (block $in
          (loop $cols
            (br_if $in (i32.gt_u (local.get $j) (local.get $i)))
            (call $bump)
            (local.set $s (i32.add (local.get $s) (i32.mul (local.get $i) (local.get $j))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (local.get $s))
  (func (export "table") (param $n i32) (result i32) (local $i i32)
    (block $done
      (loop $top
        (br_if $done (i32.eq (local.get $i) (local.get $n)))
        (call $bump)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_table $top $top $done (i32.and (local.get $i) (i32.const 1)))))
    (local.get $i))
  (func (export "inner_block") (param $n i32) (result i32) (local $i i32)
    (block $done
      (loop $top
        (block $skip
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (br_if $skip (i32.and (local.get $i) (i32.const 1)))
          (call $bump))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (local.get $i))
  (func (export "exit_with_value") (param $n i32) (result i32) (local $i i32)
    (block $done (result i32)
      (loop $top
        (br_if $done (local.get $i) (i32.ge_u (local.get $i) (local.get $n)))
        (call $bump)
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $top))
      (i32.const -1)))
  BIG)"#;

/// A loop whose first block costs more than a branch's 16-bit field.
fn big_loop() -> String {
    let nops = "nop ".repeat(70_000);
    format!(
        r#"(func (export "big") (param $n i32) (result i32) (local $i i32)
    (block $done
      (loop $top
        {nops}
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $bump)
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (local.get $i))"#
    )
}

const CASES: &[(&str, i32, i32)] = &[
    ("cmp", 6, 6),
    ("cmp", 0, 0),
    ("eqz", 5, 15),
    ("nez", 0, 5),
    ("imm", 2, 23),
    ("params", 4, 128),
    ("nested", 4, 25),
    ("table", 5, 5),
    ("inner_block", 6, 6),
    ("exit_with_value", 7, 8),
    ("big", 2, 2),
];

fn wat() -> String {
    WAT.replace("BIG", &big_loop())
}

#[test]
fn while_loops_give_the_same_results_with_counting_on_and_off() {
    let wat = wat();
    let (mut on, i_on) = setup(Config::default(), &wat);
    let (mut off, i_off) = setup(Config { count_steps: false, ..Config::default() }, &wat);
    for &(name, arg, expected) in CASES {
        assert_eq!(run(&mut on, i_on, name, arg).0.unwrap(), expected, "{name}({arg})");
        assert_eq!(run(&mut off, i_off, name, arg).0.unwrap(), expected, "{name}({arg}), counting off");
    }
    assert_eq!(bumps(&mut on, i_on), bumps(&mut off, i_off));
}

#[test]
fn a_while_loop_counts_every_instruction_once() {
    let (mut s, i) = setup(Config::default(), &wat());
    // block, loop; per turn: the test (4), the bump (4), `$i + 1` (4), br;
    // the exiting test (4); local.get.
    for n in [0, 1, 2, 10, 1000] {
        assert_eq!(run(&mut s, i, "cmp", n), (Ok(n), 2 + 13 * n as u64 + 4 + 1), "cmp({n})");
    }
    // Under a limit, the bumps done are those whose `global.set` (step
    // 2 + 13k + 8 of turn k) fits in it: no more, no fewer.
    for limit in 0..=2 + 13 * 6 + 5 {
        s.set_step_limit(None);
        let before = bumps(&mut s, i);
        s.set_step_limit(Some(s.steps() + limit));
        let (_, steps) = run(&mut s, i, "cmp", 6);
        s.set_step_limit(None);
        let expected = (0..6).filter(|k| 2 + 13 * k + 8 <= limit).count() as i32;
        assert_eq!((steps, bumps(&mut s, i) - before), (limit, expected), "cmp(6) under a limit of {limit}");
    }
    // With 70 000 nops at the loop's start, in each turn and in the one
    // that leaves; a turn calls `$bump` (5).
    for n in [0, 1, 3] {
        let turn = 70_000 + 4 + 5 + 4 + 1;
        assert_eq!(run(&mut s, i, "big", n), (Ok(n), 2 + turn * n as u64 + 70_000 + 4 + 1), "big({n})");
    }
}

#[test]
fn every_limit_stops_a_while_loop_exactly() {
    let (mut s, i) = setup(Config::default(), &wat());
    for &(name, arg, expected) in CASES.iter().filter(|c| c.0 != "big") {
        s.set_step_limit(None);
        let before = bumps(&mut s, i);
        let (r, total) = run(&mut s, i, name, arg);
        assert_eq!(r.unwrap(), expected);
        let all = bumps(&mut s, i) - before;
        let mut last = 0;
        for limit in 0..=total {
            s.set_step_limit(None);
            let before = bumps(&mut s, i);
            s.set_step_limit(Some(s.steps() + limit));
            let (r, steps) = run(&mut s, i, name, arg);
            match limit < total {
                true => assert_eq!(r.unwrap_err().as_trap().and_then(|t| t.code()), Some(TrapCode::StepLimitExceeded)),
                false => assert_eq!(r.unwrap(), expected),
            }
            assert_eq!(steps, limit, "{name}({arg}) under a limit of {limit}");
            s.set_step_limit(None);
            let done = bumps(&mut s, i) - before;
            assert!(done == last || done == last + 1, "{name}: limit {limit}: {last} then {done} bumps");
            last = done;
        }
        assert_eq!(last, all, "{name}");
    }
    // The big loop: limits around each of its blocks' edges.
    let (r, total) = run(&mut s, i, "big", 2);
    assert_eq!(r.unwrap(), 2);
    let edges = [0, 1, 70_000, 70_003, 70_004, 70_005, 70_010, 70_011, 70_012, 140_020, 140_022, 140_023];
    for limit in edges.into_iter().chain(total - 3..total) {
        s.set_step_limit(Some(s.steps() + limit));
        let (r, steps) = run(&mut s, i, "big", 2);
        assert!(r.is_err(), "big under a limit of {limit}");
        assert_eq!(steps, limit, "big under a limit of {limit}");
    }
}
