//! Translation ahead of calls: when a function is translated, the functions
//! its code calls directly are queued, and a background thread translates
//! them, so that a first call more often finds its callee ready instead of
//! stopping to translate it. For large modules translated lazily on a
//! machine with a core to spare (CPython: about 60 % of the functions its
//! start-up runs are ready when first called).
//!
//! What a function translates to does not depend on which thread
//! translates it or when, so results and step counts are the same either
//! way. Bounded: each function is queued at most once, and a module has at
//! most one such thread, which ends when the queue is empty or the module
//! is gone.

use crate::module::ModuleInner;
use crate::translate::{Instr, TranslatedFunc};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Weak};

pub(crate) struct Ahead {
    module: Weak<ModuleInner>,
    /// By defined function index: queued once (translated or not since).
    queued: Box<[AtomicBool]>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Functions to translate, the last queued first: the callees of the
    /// function translated last are the likeliest to run next.
    stack: Vec<u32>,
    /// Whether the thread is running.
    working: bool,
}

impl Ahead {
    pub fn new(module: Weak<ModuleInner>, functions: usize) -> Ahead {
        Ahead { module, queued: (0..functions).map(|_| AtomicBool::new(false)).collect(), state: Mutex::default() }
    }

    /// Queues the functions `t` calls directly that were never queued, the
    /// first call site on top, and starts the thread if it is not running.
    pub fn queue_callees(&self, t: &TranslatedFunc) {
        let mut callees = Vec::new();
        for instr in t.code.iter().rev() {
            if let Instr::Call { func, .. } | Instr::ReturnCall { func, .. } = *instr {
                if !self.queued[func as usize].swap(true, Ordering::Relaxed) {
                    callees.push(func);
                }
            }
        }
        if callees.is_empty() {
            return;
        }
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.stack.extend(callees);
        if !state.working {
            let module = self.module.clone();
            state.working =
                std::thread::Builder::new().name("porta-translate".into()).spawn(move || work(module)).is_ok();
        }
    }

    /// The next function to translate; `None`, with the thread marked
    /// stopped, when there is none.
    fn next(&self) -> Option<u32> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let next = state.stack.pop();
        state.working = next.is_some();
        next
    }
}

/// The thread: translates what is queued while the module lives. An
/// error is kept for the call that meets it, as on the calling thread.
fn work(module: Weak<ModuleInner>) {
    while let Some(m) = module.upgrade() {
        match m.ahead.as_ref().and_then(Ahead::next) {
            Some(func) => drop(m.compiled(func)),
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Config, Engine, Linker, Module, Store, Val};

    /// `run` calls `$a` only when asked, `$a` calls `$b`, `$b` calls `$c`;
    /// `$d` is called by nothing. A 1 MiB data segment makes the module
    /// large enough to be translated ahead.
    fn chain(engine: &Engine) -> Module {
        let wat = format!(
            r#"(module
              (memory 17)
              (data (i32.const 0) "{}")
              (func $a (result i32) (i32.add (call $b) (i32.const 1)))
              (func $b (result i32) (i32.mul (call $c) (i32.const 2)))
              (func $c (result i32) (i32.const 20))
              (func $d)
              (func (export "run") (param i32) (result i32)
                (if (result i32) (local.get 0) (then (call $a)) (else (i32.const 0)))))"#,
            "\\01".repeat(1 << 20)
        );
        Module::from_wat(engine, &wat).expect("valid")
    }

    fn run(engine: &Engine, module: &Module, arg: i32) -> (i32, u64) {
        let mut store = Store::new(engine, ());
        let instance = Linker::new().instantiate(&mut store, module).expect("instantiates");
        let mut out = [Val::I32(0)];
        instance.get_func(&store, "run").expect("export").call(&mut store, &[Val::I32(arg)], &mut out).expect("runs");
        let Val::I32(result) = out[0] else { panic!("an i32") };
        (result, store.steps())
    }

    #[test]
    fn callees_are_translated_before_they_are_called() {
        let engine = Engine::default();
        let module = chain(&engine);
        let inner = &module.inner;
        assert!(!(0..5).any(|f| inner.is_translated(f)), "nothing is translated before a call");
        assert_eq!(run(&engine, &module, 0).0, 0);
        if std::thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
            assert!(inner.ahead.is_none(), "one core: no thread to translate ahead on");
            return;
        }
        // `run` never called `$a`, yet `$a`, and the functions it calls in
        // turn, are translated by the thread; `$d`, which nothing calls, is
        // not.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !(0..3).all(|f| inner.is_translated(f)) {
            assert!(std::time::Instant::now() < deadline, "$a, $b and $c were not translated ahead");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert!(!inner.is_translated(3), "$d is called by nothing");
        // And they run as if translated on their first call. Without
        // translation ahead, `$a` waits for its call.
        let off = Engine::new(Config { translate_ahead: false, ..Config::default() });
        let lazy = chain(&off);
        assert_eq!(run(&off, &lazy, 0).0, 0);
        assert!(lazy.inner.ahead.is_none() && !lazy.inner.is_translated(0));
        assert_eq!(run(&engine, &module, 1), run(&off, &lazy, 1));
        assert_eq!(run(&engine, &module, 1).0, 41);
    }
}
