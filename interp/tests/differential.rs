//! Random programs against a reference evaluator written in plain Rust.
//!
//! The translator and linker rewrite code heavily: operands fold into
//! instructions, results pass between ops in the accumulator (and some
//! never reach the frame), compares fuse into branches, adds into the
//! branches after them. Each of those is only sound for some shapes of
//! code; this runs many random shapes (nested expressions, `local.tee`,
//! `select`, `if` with results, `br_if` carrying a value, loads, i64
//! arithmetic, loops) and checks every result against the evaluator.

use porta_interp::{Engine, Linker, Module, Store, Val};
use proptest::prelude::*;

#[derive(Debug, Clone, Copy)]
enum Bin {
    Add,
    Sub,
    Mul,
    And,
    Or,
    Xor,
    Shl,
    ShrS,
    ShrU,
    Rotl,
    Eq,
    Ne,
    LtS,
    LtU,
    GtU,
    GeS,
}

#[derive(Debug, Clone, Copy)]
enum Un {
    Eqz,
    Clz,
    Popcnt,
    Extend8S,
}

#[derive(Debug, Clone)]
enum E {
    Const(i32),
    Get(u8),
    Tee(u8, Box<E>),
    Bin(Bin, Box<E>, Box<E>),
    Un(Un, Box<E>),
    /// `select(a, b, c)`: `c != 0 ? a : b`, all three evaluated.
    Select(Box<E>, Box<E>, Box<E>),
    /// `if (result i32) c then a else b`.
    If(Box<E>, Box<E>, Box<E>),
    /// `block (result i32) a c br_if 0 drop b end`: `a` if `c != 0`, else `b`.
    BrIf(Box<E>, Box<E>, Box<E>),
    /// A word from a table in memory, indexed by the low six bits.
    Load(Box<E>),
    /// i64 arithmetic on the two values, wrapped back to i32.
    Wide(Box<E>, Box<E>),
}

#[derive(Debug, Clone)]
enum Stmt {
    Set(u8, E),
    /// A loop of 1 to 4 iterations over the statements (counter: local 4).
    Loop(u8, Vec<Stmt>),
}

/// Locals 0 and 1 are the parameters; 2 and 3 are declared; 4 counts loops.
const SETTABLE: u8 = 4;

fn word(i: u32) -> i32 {
    i.wrapping_mul(0x9e37_79b9) as i32
}

fn eval(e: &E, l: &mut [i32; 5]) -> i32 {
    match e {
        E::Const(c) => *c,
        E::Get(k) => l[*k as usize],
        E::Tee(k, v) => {
            let v = eval(v, l);
            l[*k as usize] = v;
            v
        }
        E::Bin(op, a, b) => {
            let (x, y) = (eval(a, l), eval(b, l));
            let (ux, uy) = (x as u32, y as u32);
            match op {
                Bin::Add => x.wrapping_add(y),
                Bin::Sub => x.wrapping_sub(y),
                Bin::Mul => x.wrapping_mul(y),
                Bin::And => x & y,
                Bin::Or => x | y,
                Bin::Xor => x ^ y,
                Bin::Shl => x.wrapping_shl(uy),
                Bin::ShrS => x.wrapping_shr(uy),
                Bin::ShrU => ux.wrapping_shr(uy) as i32,
                Bin::Rotl => ux.rotate_left(uy % 32) as i32,
                Bin::Eq => (x == y) as i32,
                Bin::Ne => (x != y) as i32,
                Bin::LtS => (x < y) as i32,
                Bin::LtU => (ux < uy) as i32,
                Bin::GtU => (ux > uy) as i32,
                Bin::GeS => (x >= y) as i32,
            }
        }
        E::Un(op, a) => {
            let x = eval(a, l);
            match op {
                Un::Eqz => (x == 0) as i32,
                Un::Clz => x.leading_zeros() as i32,
                Un::Popcnt => x.count_ones() as i32,
                Un::Extend8S => x as i8 as i32,
            }
        }
        E::Select(a, b, c) => {
            let (x, y, z) = (eval(a, l), eval(b, l), eval(c, l));
            if z != 0 { x } else { y }
        }
        E::If(c, a, b) => {
            if eval(c, l) != 0 {
                eval(a, l)
            } else {
                eval(b, l)
            }
        }
        E::BrIf(a, c, b) => {
            let x = eval(a, l);
            if eval(c, l) != 0 { x } else { eval(b, l) }
        }
        E::Load(a) => word(eval(a, l) as u32 & 63),
        E::Wide(a, b) => {
            let (x, y) = (eval(a, l) as i64, eval(b, l) as u32 as i64);
            x.wrapping_add(y.wrapping_mul(3)).rotate_left(7) as i32
        }
    }
}

fn run(stmts: &[Stmt], l: &mut [i32; 5]) {
    for s in stmts {
        match s {
            Stmt::Set(k, e) => l[*k as usize] = eval(e, l),
            Stmt::Loop(n, body) => {
                l[4] = 0;
                loop {
                    run(body, l);
                    l[4] += 1;
                    if l[4] as u32 >= *n as u32 {
                        break;
                    }
                }
            }
        }
    }
}

fn wat(e: &E, out: &mut String) {
    let bin = |op: &Bin| match op {
        Bin::Add => "i32.add",
        Bin::Sub => "i32.sub",
        Bin::Mul => "i32.mul",
        Bin::And => "i32.and",
        Bin::Or => "i32.or",
        Bin::Xor => "i32.xor",
        Bin::Shl => "i32.shl",
        Bin::ShrS => "i32.shr_s",
        Bin::ShrU => "i32.shr_u",
        Bin::Rotl => "i32.rotl",
        Bin::Eq => "i32.eq",
        Bin::Ne => "i32.ne",
        Bin::LtS => "i32.lt_s",
        Bin::LtU => "i32.lt_u",
        Bin::GtU => "i32.gt_u",
        Bin::GeS => "i32.ge_s",
    };
    match e {
        E::Const(c) => out.push_str(&format!("(i32.const {c})")),
        E::Get(k) => out.push_str(&format!("(local.get {k})")),
        E::Tee(k, v) => {
            out.push_str(&format!("(local.tee {k} "));
            wat(v, out);
            out.push(')');
        }
        E::Bin(op, a, b) => {
            out.push_str(&format!("({} ", bin(op)));
            wat(a, out);
            wat(b, out);
            out.push(')');
        }
        E::Un(op, a) => {
            let name = match op {
                Un::Eqz => "i32.eqz",
                Un::Clz => "i32.clz",
                Un::Popcnt => "i32.popcnt",
                Un::Extend8S => "i32.extend8_s",
            };
            out.push_str(&format!("({name} "));
            wat(a, out);
            out.push(')');
        }
        E::Select(a, b, c) => {
            out.push_str("(select ");
            wat(a, out);
            wat(b, out);
            wat(c, out);
            out.push(')');
        }
        E::If(c, a, b) => {
            out.push_str("(if (result i32) ");
            wat(c, out);
            out.push_str(" (then ");
            wat(a, out);
            out.push_str(") (else ");
            wat(b, out);
            out.push_str("))");
        }
        E::BrIf(a, c, b) => {
            out.push_str("(block (result i32) ");
            wat(a, out);
            wat(c, out);
            out.push_str(" br_if 0 drop ");
            wat(b, out);
            out.push(')');
        }
        E::Load(a) => {
            out.push_str("(i32.load (i32.shl (i32.and ");
            wat(a, out);
            out.push_str(" (i32.const 63)) (i32.const 2)))");
        }
        E::Wide(a, b) => {
            out.push_str("(i32.wrap_i64 (i64.rotl (i64.add (i64.extend_i32_s ");
            wat(a, out);
            out.push_str(") (i64.mul (i64.extend_i32_u ");
            wat(b, out);
            out.push_str(") (i64.const 3))) (i64.const 7)))");
        }
    }
}

fn wat_stmts(stmts: &[Stmt], out: &mut String) {
    for s in stmts {
        match s {
            Stmt::Set(k, e) => {
                out.push_str(&format!("(local.set {k} "));
                wat(e, out);
                out.push_str(")\n");
            }
            Stmt::Loop(n, body) => {
                out.push_str("(local.set 4 (i32.const 0))\n(loop $l\n");
                wat_stmts(body, out);
                out.push_str(&format!(
                    "(br_if $l (i32.lt_u (local.tee 4 (i32.add (local.get 4) (i32.const 1))) (i32.const {n}))))\n"
                ));
            }
        }
    }
}

fn module(stmts: &[Stmt], result: &E) -> String {
    let mut body = String::new();
    wat_stmts(stmts, &mut body);
    let mut ret = String::new();
    wat(result, &mut ret);
    let data: String = (0..64u32).flat_map(|i| word(i).to_le_bytes()).map(|b| format!("\\{b:02x}")).collect();
    format!(
        r#"(module (memory 1) (data (i32.const 0) "{data}")
  (func (export "f") (param i32 i32) (result i32) (local i32 i32 i32)
    {body}
    (i32.add {ret}
      (i32.xor (local.get 0) (i32.xor (local.get 1) (i32.xor (local.get 2) (local.get 3)))))))"#
    )
}

fn expr() -> impl Strategy<Value = E> {
    let leaf = prop_oneof![
        any::<i32>().prop_map(E::Const),
        (-8i32..8).prop_map(E::Const),
        (0..5u8).prop_map(E::Get),
    ];
    leaf.prop_recursive(5, 48, 3, |inner| {
        let bin = prop_oneof![
            Just(Bin::Add), Just(Bin::Sub), Just(Bin::Mul), Just(Bin::And), Just(Bin::Or), Just(Bin::Xor),
            Just(Bin::Shl), Just(Bin::ShrS), Just(Bin::ShrU), Just(Bin::Rotl), Just(Bin::Eq), Just(Bin::Ne),
            Just(Bin::LtS), Just(Bin::LtU), Just(Bin::GtU), Just(Bin::GeS),
        ];
        let un = prop_oneof![Just(Un::Eqz), Just(Un::Clz), Just(Un::Popcnt), Just(Un::Extend8S)];
        let b = |e: E| Box::new(e);
        prop_oneof![
            4 => (bin, inner.clone(), inner.clone()).prop_map(move |(op, x, y)| E::Bin(op, b(x), b(y))),
            1 => (un, inner.clone()).prop_map(move |(op, x)| E::Un(op, b(x))),
            1 => (0..SETTABLE, inner.clone()).prop_map(move |(k, x)| E::Tee(k, b(x))),
            1 => (inner.clone(), inner.clone(), inner.clone()).prop_map(move |(x, y, z)| E::Select(b(x), b(y), b(z))),
            1 => (inner.clone(), inner.clone(), inner.clone()).prop_map(move |(x, y, z)| E::If(b(x), b(y), b(z))),
            1 => (inner.clone(), inner.clone(), inner.clone()).prop_map(move |(x, y, z)| E::BrIf(b(x), b(y), b(z))),
            1 => inner.clone().prop_map(move |x| E::Load(b(x))),
            1 => (inner.clone(), inner).prop_map(move |(x, y)| E::Wide(b(x), b(y))),
        ]
    })
}

fn set() -> impl Strategy<Value = Stmt> {
    (0..SETTABLE, expr()).prop_map(|(k, e)| Stmt::Set(k, e))
}

fn stmts() -> impl Strategy<Value = Vec<Stmt>> {
    let set = set();
    let sets = prop::collection::vec(self::set(), 1..4);
    let stmt = prop_oneof![3 => set, 1 => (1..5u8, sets).prop_map(|(n, body)| Stmt::Loop(n, body))];
    prop::collection::vec(stmt, 0..5)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_programs_compute_what_the_reference_computes(
        stmts in stmts(), result in expr(), a in any::<i32>(), b in any::<i32>(),
    ) {
        let mut locals = [a, b, 0, 0, 0];
        run(&stmts, &mut locals);
        let value = eval(&result, &mut locals);
        let expected = value.wrapping_add(locals[0] ^ locals[1] ^ locals[2] ^ locals[3]);

        let text = module(&stmts, &result);
        let engine = Engine::default();
        let module = Module::new(&engine, &wat::parse_str(&text).unwrap()).unwrap();
        let mut store = Store::new(&engine, ());
        let instance = Linker::<()>::new().instantiate(&mut store, &module).unwrap();
        let f = instance.get_func(&store, "f").unwrap();
        let mut results = [Val::I32(0)];
        f.call(&mut store, &[Val::I32(a), Val::I32(b)], &mut results).unwrap();
        prop_assert_eq!(results[0], Val::I32(expected), "{}\n{}", text, module.dump_translation(0).unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The same programs, stopped at a random step, written to a snapshot
    /// and restored into a new store: the same result and total steps as
    /// one uninterrupted call (the accumulator, fused ops and precise-mode
    /// blocks all meet a stop somewhere).
    #[test]
    fn random_programs_resume_from_a_snapshot_to_the_same_result(
        stmts in stmts(), result in expr(), a in any::<i32>(), b in any::<i32>(), at in 0.0f64..1.0,
    ) {
        use porta_interp::{Resumable, Snapshot};
        let text = module(&stmts, &result);
        let wasm = wat::parse_str(&text).unwrap();
        let args = [Val::I32(a), Val::I32(b)];
        let start = |stop: Option<u64>| {
            let engine = Engine::default();
            let module = Module::new(&engine, &wasm).unwrap();
            let mut store = Store::new(&engine, ());
            let instance = Linker::<()>::new().instantiate(&mut store, &module).unwrap();
            store.set_step_limit(stop);
            let outcome = instance.get_func(&store, "f").unwrap().call_resumable(&mut store, &args).unwrap();
            (store, outcome)
        };
        let (store, whole) = start(None);
        let Resumable::Finished(want) = whole else { panic!("no limit, no pause") };
        let total = store.steps();
        prop_assume!(total > 1);
        let n = 1 + ((total - 1) as f64 * at) as u64;
        let (store, outcome) = start(Some(n));
        let Resumable::Paused(p) = outcome else { panic!("not paused at {n} of {total}") };
        let bytes = Snapshot::capture(&store, &p).unwrap().to_bytes();
        let engine = Engine::default();
        let module = Module::new(&engine, &wasm).unwrap();
        let mut store = Store::new(&engine, ());
        let (_, paused) = Snapshot::from_bytes(&bytes).unwrap().restore(&Linker::new(), &mut store, &module).unwrap();
        let Resumable::Finished(got) = paused.resume(&mut store).unwrap() else { panic!("paused again") };
        prop_assert_eq!((got, store.steps()), (want, total), "stopped at {} of {}\n{}", n, total, text);
    }
}
