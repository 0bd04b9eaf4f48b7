//! Counts of the ops that run one after the other, by handler, for
//! choosing the pairs that `handlers::pairs!` runs as one (see
//! `benches/pairs.sh`). Only in a build made for it: the build script
//! turns it on, with portable dispatch (whose loop sees every op), when
//! `PORTA_COUNT_OP_PAIRS` is set; the counts go to the file that the
//! `PORTA_OP_PAIRS` variable names when a run leaves the handlers.

use super::code::Handler;
use super::handlers;
use std::cell::RefCell;
use std::collections::HashMap;

#[derive(Default)]
struct Counts {
    last: usize,
    pairs: HashMap<(usize, usize), u64>,
    since_written: u64,
}

thread_local! {
    static COUNTS: RefCell<Counts> = RefCell::default();
}

/// The op with handler `h` runs next.
pub(super) fn note(h: Handler) {
    COUNTS.with_borrow_mut(|c| {
        let h = h as usize;
        *c.pairs.entry((c.last, h)).or_default() += 1;
        c.last = h;
        c.since_written += 1;
    });
}

/// Writes the counts when a run left the handlers, at most once per
/// million ops unless `done`: `count first second` per line, a handler
/// named by its variant module and instruction (`n0::I32Load`).
pub(super) fn write(done: bool) {
    let Some(path) = std::env::var_os("PORTA_OP_PAIRS") else { return };
    COUNTS.with_borrow_mut(|c| {
        if !done && c.since_written < 1 << 20 {
            return;
        }
        c.since_written = 0;
        let mut out = String::new();
        for (&(a, b), n) in &c.pairs {
            if let (Some(a), Some(b)) = (name(a), name(b)) {
                out.push_str(&format!("{n} {a} {b}\n"));
            }
        }
        if let Err(e) = std::fs::write(&path, out) {
            eprintln!("porta: cannot write the op pair counts to {}: {e}", path.to_string_lossy());
        }
    });
}

/// A narrow handler's variant module and instruction; `None` for wide,
/// fused and SIMD handlers, which no pair can start or continue.
fn name(h: usize) -> Option<String> {
    if h == 0 {
        return None;
    }
    // SAFETY: every value noted is a handler's address.
    let h: Handler = unsafe { std::mem::transmute::<usize, Handler>(h) };
    if handlers::unfuse(h) as usize != h as usize {
        return None;
    }
    let (name, acc, write, layout) = handlers::name_of(h);
    (layout.is_some() && name != "?").then(|| format!("{}{acc}::{name}", if write { 'v' } else { 'n' }))
}
