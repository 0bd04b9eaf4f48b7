//! One handler per instruction, and the table that links a translated
//! instruction to its handler.
//!
//! Each entry names an instruction with its fields in the order the op
//! stores them, and the handler's body. A `simple` body does its work and
//! falls through to the next op; a `control` body decides where control goes
//! and evaluates to the handler's result.
//!
//! Every handler comes in variants by a const `M`: 0 reads all operands
//! from the frame, 1 to 3 reads field `M` from the accumulator instead.
//! Fields named `a`, `b`, `src`, `cond`, `addr` or `value` are the slots an
//! instruction reads (instructions name them so, and nothing else), and
//! only they can. And by a const `W`: without it, the result (`dst`) goes
//! to the accumulator only, for an op whose result only the next op reads.
//! And by a const `WIDE`: the fields of a wide op (see `code::Op`), whose
//! one variant reads every operand from the frame and writes its result.
//! A narrow op's fields are where its instruction's `layout` says, which
//! the names tell too: slots take a word, `imm` and `target` are signed.
//! And by a type `T` that says where a simple handler goes next: to the
//! handler the next op names, or, in a pair (`pairs!`), straight to the
//! handler the next op is known to have.

#![allow(non_snake_case)]

use super::code::{ExecRef, Exit, Handler, Kind, Layout, Linked, Op, OpParts};
use super::numeric::*;
use super::vm::{Vm, ACC};
use super::CallTarget;
use crate::store::FuncEntity;
use crate::store::PAGE_SIZE;
use crate::translate::Instr;
use crate::trap::TrapCode;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

macro_rules! handlers {
    (
        simple { $( $name:ident { $($f:ident),* } => |$s:ident| $body:expr; )* }
        control { $( $cname:ident { $($cf:ident),* } => |$cs:ident| $cbody:expr; )* }
    ) => {
        $( handlers!(@handler $name { $($f),* } |$s| { $body; unsafe { T::then($s) } }); )*
        $( handlers!(@handler $cname { $($cf),* } |$cs| $cbody); )*
        handlers!(@variants v0 0 true false { $($name)* $($cname)* });
        handlers!(@variants v1 1 true false { $($name)* $($cname)* });
        handlers!(@variants v2 2 true false { $($name)* $($cname)* });
        handlers!(@variants v3 3 true false { $($name)* $($cname)* });
        handlers!(@variants n0 0 false false { $($name)* });
        handlers!(@variants n1 1 false false { $($name)* });
        handlers!(@variants n2 2 false false { $($name)* });
        handlers!(@variants n3 3 false false { $($name)* });
        handlers!(@variants w0 0 true true { $($name)* $($cname)* });

        /// Where each instruction keeps its fields in a narrow op.
        #[allow(non_upper_case_globals)]
        pub(super) mod layout {
            use super::*;
            $( pub const $name: Layout = Layout::of(&[$(kind!($f)),*], has_extra!($name $($f)*)); )*
            $( pub const $cname: Layout = Layout::of(&[$(kind!($cf)),*], has_extra!($cname $($cf)*)); )*
        }

        /// An instruction's fields in order (branch targets already
        /// resolved).
        fn values(instr: Instr) -> [u32; 4] {
            match instr {
                $( Instr::$name { $($f),* } => fields(&[$($f),*]), )*
                $( Instr::$cname { $($cf),* } => fields(&[$($cf),*]), )*
                Instr::Simd { .. } => unreachable!("SIMD ops are made in `exec::simd`"),
            }
        }

        /// The narrow op that runs `instr` (branch targets already
        /// resolved): with the operand that names slot `acc` read from the
        /// accumulator, if given (`None` when no operand does), and writing
        /// its result only to the accumulator unless `write`. `None` when
        /// there is no such handler or the fields do not fit (see
        /// [`wide_op`]). In parts, which return in registers.
        pub(super) fn make_op(instr: Instr, acc: Option<u32>, write: bool) -> Option<OpParts> {
            // Each arm encodes with its own layout, a constant there.
            let (narrow, encoded): (Option<Handler>, Option<[u16; 4]>) = match instr {
                $( Instr::$name { $($f),* } => (
                    (|| Some(handlers!(@variant $name, acc.map_or(0, |slot| acc_field!(slot; $($f),*)), acc.is_some(), write)))(),
                    layout::$name.encode(fields(&[$($f),*])),
                ), )*
                $( Instr::$cname { $($cf),* } => (
                    (|| Some(handlers!(@control $cname, acc.map_or(0, |slot| acc_field!(slot; $($cf),*)), acc.is_some())))(),
                    layout::$cname.encode(fields(&[$($cf),*])),
                ), )*
                Instr::Simd { .. } => return None,
            };
            Some(Op::parts(narrow?, encoded?))
        }

        /// The wide op that runs `instr`, for fields that do not fit a
        /// narrow one: it reads every operand from the frame and writes its
        /// result there.
        pub(super) fn wide_op(instr: Instr) -> Linked {
            let wide = match instr {
                $( Instr::$name { .. } => w0::$name, )*
                $( Instr::$cname { .. } => w0::$cname, )*
                Instr::Simd { .. } => return super::simd::wide_op(instr),
            };
            (Op::new(wide, [0; 4]), Some(values(instr)))
        }

        /// The instruction a handler runs, which operand it reads from the
        /// accumulator (0: none), whether it writes its result to the
        /// frame, and its fields' layout (`None`: a wide op), for printing
        /// ops.
        pub(super) fn name_of(h: Handler) -> (&'static str, usize, bool, Option<Layout>) {
            let at = |v: [Handler; 4]| v.iter().position(|&v| v as usize == h as usize);
            $(
                if let Some(m) = at([v0::$name, v1::$name, v2::$name, v3::$name]) { return (stringify!($name), m, true, Some(layout::$name)); }
                if let Some(m) = at([n0::$name, n1::$name, n2::$name, n3::$name]) { return (stringify!($name), m, false, Some(layout::$name)); }
                if h as usize == w0::$name as Handler as usize { return (stringify!($name), 0, true, None); }
            )*
            $(
                if let Some(m) = at([v0::$cname, v1::$cname, v2::$cname, v3::$cname]) { return (stringify!($cname), m, true, Some(layout::$cname)); }
                if h as usize == w0::$cname as Handler as usize { return (stringify!($cname), 0, true, None); }
            )*
            if h as usize == StepLimit as Handler as usize { return ("StepLimit", 0, true, Some(Layout::of(&[], false))); }
            ("?", 0, true, Some(Layout::of(&[], false)))
        }
    };
    (@variant $name:ident, $m:expr, $acc:expr, $write:expr) => {
        match ($m, $write) {
            (0, _) if $acc => return None,
            (0, true) => v0::$name,
            (1, true) => v1::$name,
            (2, true) => v2::$name,
            (3, true) => v3::$name,
            (0, false) => n0::$name,
            (1, false) => n1::$name,
            (2, false) => n2::$name,
            (_, false) => n3::$name,
            _ => unreachable!("an op has at most three fields"),
        }
    };
    (@control $name:ident, $m:expr, $acc:expr) => {
        match $m {
            0 if $acc => return None,
            0 => v0::$name,
            1 => v1::$name,
            2 => v2::$name,
            _ => v3::$name,
        }
    };
    // The handlers proper are the non-generic instances in modules `v0` to
    // `v3`, `n0` to `n3` for the variants that do not write their result
    // to the frame, and `w0` for wide ops. Ops compare handlers by
    // address, so a handler must exist once:
    // a generic one, or one small enough for rustc to inline across crates,
    // could be copied into (and unoptimised in) a crate that uses this one.
    (@variants $module:ident $m:literal $w:literal $wide:literal { $($name:ident)* }) => {
        pub(super) mod $module {
            use super::*;
            $(
                #[inline(never)]
                pub(in super::super) unsafe fn $name(
                    ip: *const Op, regs: *mut u64, fuel: u64, acc: u64, len: usize, mem: *mut u8, st: ExecRef,
                ) -> Exit {
                    unsafe { super::$name::<$m, $w, $wide, Next>(ip, regs, fuel, acc, len, mem, st) }
                }
            )*
        }
    };
    (@handler $name:ident { $($f:ident),* } |$s:ident| $body:expr) => {
        #[allow(unused_mut, unused_assignments, unused_variables)]
        #[inline(always)]
        unsafe fn $name<const M: usize, const W: bool, const WIDE: bool, T: Then>(
            ip: *const Op, regs: *mut u64, fuel: u64, acc: u64, len: usize, mem: *mut u8, st: ExecRef,
        ) -> Exit {
            let mut $s = Vm { ip, regs, fuel, mem, len, acc, st: unsafe { st.get() } };
            let fields = if WIDE { unsafe { (*ip).wide() } } else { unsafe { (*ip).fields(&layout::$name) } };
            let mut i = 0;
            $( let $f = operand!($f, M == i + 1, W, fields[i]); i += 1; )*
            $body
        }
    };
}

/// How a field is kept in a narrow op (see [`Layout`]).
macro_rules! kind {
    (target) => { Kind::Signed };
    (imm) => { Kind::Signed };
    (dst) => { Kind::Slot };
    (args) => { Kind::Slot };
    (start) => { Kind::Slot };
    (count) => { Kind::Slot };
    (slot) => { Kind::Slot };
    (delta) => { Kind::Slot };
    ($f:ident) => { if is_operand!($f) { Kind::Slot } else { Kind::Value } };
}

/// Whether an instruction's op has an extra field (see [`Op`]): branches
/// (which have a `target`), calls that return to their caller, and
/// `ZeroLocals`.
macro_rules! has_extra {
    (Call $($f:ident)*) => { true };
    (CallImported $($f:ident)*) => { true };
    (CallIndirect $($f:ident)*) => { true };
    (CallIndirect0 $($f:ident)*) => { true };
    (CallRef $($f:ident)*) => { true };
    (ZeroLocals $($f:ident)*) => { true };
    ($name:ident $($f:ident)*) => { false $(|| is_target!($f))* };
}

macro_rules! is_target {
    (target) => { true };
    ($other:ident) => { false };
}

/// The layout of a `Charge`, whose cost branches read.
pub(super) const CHARGE: Layout = layout::Charge;

/// Whether a field names a slot the instruction reads.
macro_rules! is_operand {
    (a) => { true };
    (b) => { true };
    (src) => { true };
    (cond) => { true };
    (addr) => { true };
    (value) => { true };
    (index) => { true };
    ($other:ident) => { false };
}

/// A field's value in a handler: [`ACC`] for the operand the variant reads
/// from the accumulator, and for the other operands a slot the compiler
/// knows is not [`ACC`]; the same for the result, `dst`, which is [`ACC`]
/// when the variant does not write it to the frame.
macro_rules! operand {
    (dst, $acc:expr, $write:expr, $v:expr) => {{
        let v = $v;
        if $write {
            // SAFETY: every slot is below the frame size, a `u32`.
            unsafe { std::hint::assert_unchecked(v != ACC) };
            v
        } else {
            ACC
        }
    }};
    ($f:ident, $acc:expr, $write:expr, $v:expr) => {{
        let v = $v;
        if !is_operand!($f) {
            v
        } else if $acc {
            ACC
        } else {
            // SAFETY: every slot is below the frame size, a `u32`.
            unsafe { std::hint::assert_unchecked(v != ACC) };
            v
        }
    }};
}

/// The position (1-based) of the first operand field that names `slot`, or
/// 0.
macro_rules! acc_field {
    ($slot:ident; $($f:ident),*) => {{
        let _ = $slot;
        #[allow(unused_mut, unused_variables, unused_assignments)]
        let mut i = 0;
        #[allow(unused_mut)]
        let mut found = 0;
        $(
            i += 1;
            if found == 0 && is_operand!($f) && $f == $slot {
                found = i;
            }
        )*
        found
    }};
}

fn fields(values: &[u32]) -> [u32; 4] {
    let mut f = [0; 4];
    f[..values.len()].copy_from_slice(values);
    f
}

/// Where a simple handler goes after its work: `Next` reads the next op's
/// handler from the op; a pair (see `pairs!`) jumps to the handler it knows
/// the next op has.
pub(super) trait Then {
    unsafe fn then(s: Vm<'_>) -> Exit;
}

pub(super) struct Next;

impl Then for Next {
    #[inline(always)]
    unsafe fn then(s: Vm<'_>) -> Exit {
        s.next()
    }
}

/// Ends precise mode: the op it replaces would exceed the step limit.
#[inline(never)]
pub(super) unsafe fn StepLimit(
    ip: *const Op, _regs: *mut u64, _fuel: u64, acc: u64, _len: usize, _mem: *mut u8, st: ExecRef,
) -> Exit {
    let st = unsafe { st.get() };
    // Where a resume would go on (see `Executor::pause`).
    (st.ip, st.resume_acc) = (ip, acc);
    st.fuel = 0;
    st.trap = Some(TrapCode::StepLimitExceeded.into());
    Exit::Trap
}

macro_rules! load {
    ($s:ident, $dst:ident, $addr:ident, $offset:ident, $n:literal, $conv:expr) => {
        load!($s, $dst, at $s.r($addr) as u32, $offset, $n, $conv)
    };
    // At the address `base` (a u32) plus `offset`.
    ($s:ident, $dst:ident, at $base:expr, $offset:ident, $n:literal, $conv:expr) => {{
        match $s.addr_at::<$n>($base, $offset) {
            Some(p) => {
                let bytes: [u8; $n] = unsafe { p.cast::<[u8; $n]>().read() };
                $s.w($dst, $conv(bytes))
            }
            None => return $s.trap(TrapCode::MemoryOutOfBounds),
        }
    }};
}
macro_rules! store {
    ($s:ident, $addr:ident, $offset:ident, $value:expr, $t:ty) => {
        store!($s, at $s.r($addr) as u32, $offset, $value, $t)
    };
    // At the address `base` (a u32) plus `offset`.
    ($s:ident, at $base:expr, $offset:ident, $value:expr, $t:ty) => {{
        let bytes = ($value as $t).to_le_bytes();
        const N: usize = std::mem::size_of::<$t>();
        match $s.addr_at::<N>($base, $offset) {
            Some(p) => unsafe { p.cast::<[u8; N]>().write(bytes) },
            None => return $s.trap(TrapCode::MemoryOutOfBounds),
        }
    }};
}
/// `a + (b << k)` (i32, wrapping): an element's address in an array.
macro_rules! indexed {
    ($s:ident, $a:ident, $b:ident, $k:literal) => {
        ($s.r($a) as u32).wrapping_add(($s.r($b) as u32) << $k)
    };
}
macro_rules! un {
    ($s:ident, $dst:expr, $src:expr, |$x:ident| $e:expr) => {{
        let $x = $s.r($src);
        $s.w($dst, $e)
    }};
}
macro_rules! i32op {
    ($s:ident, $dst:ident, $a:expr, $b:expr, |$x:ident, $y:ident| $e:expr) => {{
        let $x = $s.r($a) as u32;
        let $y = $b;
        $s.w($dst, ($e) as u32 as u64)
    }};
}
macro_rules! i64op {
    ($s:ident, $dst:ident, $a:expr, $b:expr, |$x:ident, $y:ident| $e:expr) => {{
        let $x = $s.r($a);
        let $y = $b;
        $s.w($dst, ($e) as u64)
    }};
}
macro_rules! f32op {
    ($s:ident, $dst:ident, $a:ident, $b:ident, |$x:ident, $y:ident| $e:expr) => {{
        let $x = f32::from_bits($s.r($a) as u32);
        let $y = f32::from_bits($s.r($b) as u32);
        $s.w($dst, ($e).to_bits() as u64)
    }};
}
macro_rules! f64op {
    ($s:ident, $dst:ident, $a:ident, $b:ident, |$x:ident, $y:ident| $e:expr) => {{
        let $x = f64::from_bits($s.r($a));
        let $y = f64::from_bits($s.r($b));
        $s.w($dst, ($e).to_bits())
    }};
}
macro_rules! f32imm {
    ($s:ident, $dst:ident, $a:ident, $imm:ident, |$x:ident, $y:ident| $e:expr) => {{
        let $x = f32::from_bits($s.r($a) as u32);
        let $y = f32::from_bits($imm);
        $s.w($dst, $e)
    }};
}
macro_rules! f32cmp {
    ($s:ident, $dst:ident, $a:ident, $b:ident, $op:tt) => {{
        let x = f32::from_bits($s.r($a) as u32);
        let y = f32::from_bits($s.r($b) as u32);
        $s.w($dst, (x $op y) as u64)
    }};
}
macro_rules! f64cmp {
    ($s:ident, $dst:ident, $a:ident, $b:ident, $op:tt) => {{
        let x = f64::from_bits($s.r($a));
        let y = f64::from_bits($s.r($b));
        $s.w($dst, (x $op y) as u64)
    }};
}
macro_rules! f32un {
    ($s:ident, $dst:ident, $src:ident, |$x:ident| $e:expr) => {{
        let $x = f32::from_bits($s.r($src) as u32);
        $s.w($dst, ($e).to_bits() as u64)
    }};
}
macro_rules! f64un {
    ($s:ident, $dst:ident, $src:ident, |$x:ident| $e:expr) => {{
        let $x = f64::from_bits($s.r($src));
        $s.w($dst, ($e).to_bits())
    }};
}
macro_rules! checked {
    ($s:ident, $dst:ident, $v:expr, $conv:ty) => {{
        match $v {
            Ok(v) => $s.w($dst, v as $conv as u64),
            Err(code) => return $s.trap(code),
        }
    }};
}
/// Integer division and remainder: trap on a zero divisor, and on overflow
/// (`MIN / -1`) where `$overflow` says so.
macro_rules! div {
    ($s:ident, $dst:ident, $a:ident, $b:ident, $t:ty, $ut:ty, $overflow:expr, |$x:ident, $y:ident| $e:expr) => {{
        let $x = $s.r($a) as $t;
        let $y = $s.r($b) as $t;
        if $y == 0 {
            return $s.trap(TrapCode::IntegerDivideByZero);
        }
        if $overflow && $x == <$t>::MIN && $y == (-1i64 as $t) {
            return $s.trap(TrapCode::IntegerOverflow);
        }
        $s.w($dst, ($e) as $ut as u64)
    }};
}
/// A conditional branch.
macro_rules! br_if {
    ($s:ident, $cond:expr, $target:ident) => {{
        let cond = $cond;
        $s.branch_if(cond, $target)
    }};
}
/// Three operands in consecutive cells from `args`, as memory or table
/// indices and lengths.
/// The start of `n` bytes at `at` if they lie within `len` bytes.
#[inline(always)]
fn within(at: u64, n: u64, len: usize) -> Option<usize> {
    at.checked_add(n).is_some_and(|end| end <= len as u64).then_some(at as usize)
}

/// What `memory.grow` and `table.grow` return: the old size, or -1 as an
/// i32 or, when `wide`, an i64.
fn grown(old: Option<u64>, wide: u32) -> u64 {
    match (old, wide) {
        (Some(old), _) => old,
        (None, 0) => u32::MAX as u64,
        (None, _) => u64::MAX,
    }
}

macro_rules! args3 {
    ($s:ident, $args:ident) => {
        ($s.r($args) as u32 as usize, $s.r($args + 1) as u32 as usize, $s.r($args + 2) as u32 as usize)
    };
}

handlers! {
    simple {
        Copy { dst, src } => |s| un!(s, dst, src, |x| x);
        Const32 { dst, imm } => |s| s.w(dst, imm as u64);
        Const64 { dst, lo, hi } => |s| s.w(dst, (hi as u64) << 32 | lo as u64);
        // Without a branch: a select's condition is data, which predicts
        // badly (CoreMark's selects missed a third of the time).
        Select { cond, a, b, dst } => |s| {
            let (x, y) = (s.r(a), s.r(b));
            s.w(dst, if s.r(cond) as u32 != 0 { x } else { y })
        };
        SelectElseImm { dst, cond, imm } => |s| {
            let keep = s.r(dst);
            s.w(dst, if s.r(cond) as u32 != 0 { keep } else { imm as u64 })
        };
        SelectImm { dst, cond, b, imm } => |s| {
            let other = s.r(b);
            s.w(dst, if s.r(cond) as u32 != 0 { imm as u64 } else { other })
        };
        GlobalGet { dst, global } => |s| {
            let g = s.st.global(global);
            s.w(dst, g.value[0])
        };
        GlobalAddImm { dst, global, imm } => |s| {
            let g = s.st.global(global);
            s.w(dst, (g.value[0] as u32).wrapping_add(imm) as u64)
        };
        GlobalSet { global, src } => |s| {
            // Also to the accumulator, which no op reads after this one:
            // its register is then free here, and no other is saved.
            let v = s.r(src);
            s.acc = v;
            s.st.global(global).value[0] = v
        };
        GlobalSetAddImm { global, src, imm } => |s| {
            let v = (s.r(src) as u32).wrapping_add(imm) as u64;
            s.acc = v;
            s.st.global(global).value[0] = v
        };
        RefFunc { dst, func } => |s| {
            let f = s.store().instances[s.st.instance as usize].funcs[func as usize];
            s.w(dst, f as u64 + 1)
        };
        RefIsNull { dst, src } => |s| un!(s, dst, src, |x| (x == 0) as u64);
        TableGet { dst, table, index } => |s| {
            let store = s.store();
            let t = store.instances[s.st.instance as usize].tables[table as usize] as usize;
            match store.tables[t].elems.get(s.r(index) as u32 as usize) {
                Some(&v) => s.w(dst, v),
                None => return s.trap(TrapCode::TableOutOfBounds),
            }
        };
        TableSet { table, index, value } => |s| {
            let store = s.store();
            let t = store.instances[s.st.instance as usize].tables[table as usize] as usize;
            let v = s.r(value);
            match store.tables[t].elems.get_mut(s.r(index) as u32 as usize) {
                Some(e) => *e = v,
                None => return s.trap(TrapCode::TableOutOfBounds),
            }
        };
        TableSize { dst, table } => |s| {
            let store = s.store();
            let t = store.instances[s.st.instance as usize].tables[table as usize] as usize;
            s.w(dst, store.tables[t].elems.len() as u64)
        };
        TableGrow { table, args, wide } => |s| {
            let store = s.store();
            let t = store.instances[s.st.instance as usize].tables[table as usize] as usize;
            let limit = store.limits.max_table_elements;
            let (init, delta) = (s.r(args), s.r(args + 1) as u32 as u64);
            let old = store.tables[t].grow(delta, init, limit);
            s.w(args, grown(old, wide))
        };
        TableFill { table, args } => |s| {
            let store = s.store();
            let t = store.instances[s.st.instance as usize].tables[table as usize] as usize;
            let (i, v, n) = (s.r(args) as u32 as usize, s.r(args + 1), s.r(args + 2) as u32 as usize);
            match store.tables[t].elems.get_mut(i..i + n) {
                Some(e) => e.fill(v),
                None => return s.trap(TrapCode::TableOutOfBounds),
            }
        };
        TableCopy { dst_table, src_table, args } => |s| {
            let (d, from, n) = args3!(s, args);
            let store = s.store();
            let inst = &store.instances[s.st.instance as usize];
            let (dt, st) = (inst.tables[dst_table as usize] as usize, inst.tables[src_table as usize] as usize);
            let tables = &mut store.tables;
            if from + n > tables[st].elems.len() || d + n > tables[dt].elems.len() {
                return s.trap(TrapCode::TableOutOfBounds);
            }
            if dt == st {
                tables[dt].elems.copy_within(from..from + n, d);
            } else {
                let src: Vec<u64> = tables[st].elems[from..from + n].to_vec();
                tables[dt].elems[d..d + n].copy_from_slice(&src);
            }
        };
        TableInit { elem, table, args } => |s| {
            let (d, from, n) = args3!(s, args);
            let store = s.store();
            let inst = &store.instances[s.st.instance as usize];
            let t = inst.tables[table as usize] as usize;
            let seg = &inst.elems[elem as usize];
            let dst = &mut s.store().tables[t].elems;
            if from + n > seg.len() || d + n > dst.len() {
                return s.trap(TrapCode::TableOutOfBounds);
            }
            dst[d..d + n].copy_from_slice(&seg[from..from + n]);
        };
        ElemDrop { elem } => |s| {
            s.store().instances[s.st.instance as usize].elems[elem as usize] = Arc::from([]);
        };

        I32Load { dst, addr, offset } => |s| load!(s, dst, addr, offset, 4, |b| u32::from_le_bytes(b) as u64);
        I32LoadShl { dst, addr, offset, imm } => |s| load!(s, dst, at (s.r(addr) as u32).wrapping_shl(imm), offset, 4, |b| u32::from_le_bytes(b) as u64);
        I32LoadAdd { dst, a, b, offset } => |s| load!(s, dst, at indexed!(s, a, b, 0), offset, 4, |x| u32::from_le_bytes(x) as u64);
        I32LoadIdx { dst, a, b, offset } => |s| load!(s, dst, at indexed!(s, a, b, 2), offset, 4, |x| u32::from_le_bytes(x) as u64);
        I64LoadIdx { dst, a, b, offset } => |s| load!(s, dst, at indexed!(s, a, b, 3), offset, 8, u64::from_le_bytes);
        I32Load16UIdx { dst, a, b, offset } => |s| load!(s, dst, at indexed!(s, a, b, 1), offset, 2, |x| u16::from_le_bytes(x) as u64);
        I64Load { dst, addr, offset } => |s| load!(s, dst, addr, offset, 8, u64::from_le_bytes);
        F32Load { dst, addr, offset } => |s| load!(s, dst, addr, offset, 4, |b| u32::from_le_bytes(b) as u64);
        F64Load { dst, addr, offset } => |s| load!(s, dst, addr, offset, 8, u64::from_le_bytes);
        I32Load8S { dst, addr, offset } => |s| load!(s, dst, addr, offset, 1, |b| i8::from_le_bytes(b) as i32 as u32 as u64);
        I32Load8U { dst, addr, offset } => |s| load!(s, dst, addr, offset, 1, |b| u8::from_le_bytes(b) as u64);
        I32Load16S { dst, addr, offset } => |s| load!(s, dst, addr, offset, 2, |b| i16::from_le_bytes(b) as i32 as u32 as u64);
        I32Load16U { dst, addr, offset } => |s| load!(s, dst, addr, offset, 2, |b| u16::from_le_bytes(b) as u64);
        I64Load8S { dst, addr, offset } => |s| load!(s, dst, addr, offset, 1, |b| i8::from_le_bytes(b) as i64 as u64);
        I64Load8U { dst, addr, offset } => |s| load!(s, dst, addr, offset, 1, |b| u8::from_le_bytes(b) as u64);
        I64Load16S { dst, addr, offset } => |s| load!(s, dst, addr, offset, 2, |b| i16::from_le_bytes(b) as i64 as u64);
        I64Load16U { dst, addr, offset } => |s| load!(s, dst, addr, offset, 2, |b| u16::from_le_bytes(b) as u64);
        I64Load32S { dst, addr, offset } => |s| load!(s, dst, addr, offset, 4, |b| i32::from_le_bytes(b) as i64 as u64);
        I64Load32U { dst, addr, offset } => |s| load!(s, dst, addr, offset, 4, |b| u32::from_le_bytes(b) as u64);
        I32Store { addr, value, offset } => |s| store!(s, addr, offset, s.r(value), u32);
        I32StoreIdx { a, b, value, offset } => |s| store!(s, at indexed!(s, a, b, 2), offset, s.r(value), u32);
        I64Store { addr, value, offset } => |s| store!(s, addr, offset, s.r(value), u64);
        F32Store { addr, value, offset } => |s| store!(s, addr, offset, s.r(value), u32);
        F64Store { addr, value, offset } => |s| store!(s, addr, offset, s.r(value), u64);
        I32Store8 { addr, value, offset } => |s| store!(s, addr, offset, s.r(value), u8);
        I32Store16 { addr, value, offset } => |s| store!(s, addr, offset, s.r(value), u16);
        I64Store8 { addr, value, offset } => |s| store!(s, addr, offset, s.r(value), u8);
        I64Store16 { addr, value, offset } => |s| store!(s, addr, offset, s.r(value), u16);
        I64Store32 { addr, value, offset } => |s| store!(s, addr, offset, s.r(value), u32);
        I32StoreImm { addr, imm, offset } => |s| store!(s, addr, offset, imm, u32);
        I32Store8Imm { addr, imm, offset } => |s| store!(s, addr, offset, imm, u8);
        I32Store16Imm { addr, imm, offset } => |s| store!(s, addr, offset, imm, u16);
        I64StoreImm { addr, imm, offset } => |s| store!(s, addr, offset, imm as i32 as i64, u64);
        MemorySize { dst } => |s| s.w(dst, (s.len / PAGE_SIZE) as u64);
        MemoryGrow { dst, delta, wide } => |s| {
            let delta = s.index(delta, wide);
            let store = s.store();
            let m = store.instances[s.st.instance as usize].memories[s.st.memory_index as usize] as usize;
            let limit = store.limits.max_memory_pages;
            let old = store.memories[m].grow(delta, limit);
            (s.mem, s.len) = s.st.memory();
            s.w(dst, grown(old, wide))
        };
        MemoryFill { args, wide } => |s| {
            let (d, v, n) = (s.index(args, wide), s.r(args + 1) as u8, s.index(args + 2, wide));
            let Some(d) = within(d, n, s.len) else { return s.trap(TrapCode::MemoryOutOfBounds) };
            s.memory()[d..d + n as usize].fill(v);
        };
        MemoryCopy { args, wide } => |s| {
            let (d, from, n) = (s.index(args, wide), s.index(args + 1, wide), s.index(args + 2, wide));
            let (Some(d), Some(from)) = (within(d, n, s.len), within(from, n, s.len)) else {
                return s.trap(TrapCode::MemoryOutOfBounds);
            };
            s.memory().copy_within(from..from + n as usize, d);
        };
        MemoryCopyAcross { dst_mem, src_mem, args } => |s| {
            let store = s.store();
            let ids = &store.instances[s.st.instance as usize].memories;
            let (to, src) = (ids[dst_mem as usize] as usize, ids[src_mem as usize] as usize);
            let (to64, src64) = (store.memories[to].ty.memory64, store.memories[src].ty.memory64);
            let (to_len, src_len) = (store.memories[to].data.len(), store.memories[src].data.len());
            let n = s.index(args + 2, (to64 && src64) as u32);
            let (d, from) = (s.index(args, to64 as u32), s.index(args + 1, src64 as u32));
            let (Some(d), Some(from)) = (within(d, n, to_len), within(from, n, src_len)) else {
                return s.trap(TrapCode::MemoryOutOfBounds);
            };
            let n = n as usize;
            match store.memories.get_disjoint_mut([to, src]) {
                Ok([to, src]) => to.data[d..d + n].copy_from_slice(&src.data[from..from + n]),
                // Both indices name one imported memory.
                Err(_) => store.memories[to].data.copy_within(from..from + n, d),
            }
        };
        UseMemory { memory } => |s| {
            s.st.memory_index = memory;
            (s.mem, s.len) = s.st.memory();
        };
        MemWindow { slot, lo, hi } => |s| {
            let offset = (hi as u64) << 32 | lo as u64;
            let Some(at) = s.r(slot).checked_add(offset).and_then(|at| within(at, 0, s.len)) else {
                return s.trap(TrapCode::MemoryOutOfBounds);
            };
            s.mem = unsafe { s.mem.add(at) };
            s.len -= at;
            s.w(slot, 0);
        };
        ClampIndex { slot } => |s| s.w(slot, s.r(slot).min(u32::MAX as u64));
        MemoryInit { data, args, wide } => |s| {
            let (d, from, n) = (s.index(args, wide), s.r(args + 1) as u32 as usize, s.r(args + 2) as u32 as usize);
            let seg = s.store().instances[s.st.instance as usize].data_segment(data);
            let Some(d) = within(d, n as u64, s.len).filter(|_| from + n <= seg.len()) else {
                return s.trap(TrapCode::MemoryOutOfBounds);
            };
            s.memory()[d..d + n].copy_from_slice(&seg[from..from + n]);
        };
        DataDrop { data } => |s| {
            s.store().instances[s.st.instance as usize].dropped_data[data as usize] = true;
        };

        I32Eqz { dst, src } => |s| un!(s, dst, src, |x| (x as u32 == 0) as u64);
        I64Eqz { dst, src } => |s| un!(s, dst, src, |x| (x == 0) as u64);
        I32Clz { dst, src } => |s| un!(s, dst, src, |x| (x as u32).leading_zeros() as u64);
        I32Ctz { dst, src } => |s| un!(s, dst, src, |x| (x as u32).trailing_zeros() as u64);
        I32Popcnt { dst, src } => |s| un!(s, dst, src, |x| (x as u32).count_ones() as u64);
        I64Clz { dst, src } => |s| un!(s, dst, src, |x| x.leading_zeros() as u64);
        I64Ctz { dst, src } => |s| un!(s, dst, src, |x| x.trailing_zeros() as u64);
        I64Popcnt { dst, src } => |s| un!(s, dst, src, |x| x.count_ones() as u64);
        F32Abs { dst, src } => |s| un!(s, dst, src, |x| x & 0x7fff_ffff);
        F32Neg { dst, src } => |s| un!(s, dst, src, |x| (x as u32 ^ 0x8000_0000) as u64);
        F32Ceil { dst, src } => |s| f32un!(s, dst, src, |x| f32_round(x, f32::ceil));
        F32Floor { dst, src } => |s| f32un!(s, dst, src, |x| f32_round(x, f32::floor));
        F32Trunc { dst, src } => |s| f32un!(s, dst, src, |x| f32_round(x, f32::trunc));
        F32Nearest { dst, src } => |s| f32un!(s, dst, src, |x| f32_round(x, f32::round_ties_even));
        F32Sqrt { dst, src } => |s| f32un!(s, dst, src, |x| x.sqrt());
        F64Abs { dst, src } => |s| un!(s, dst, src, |x| x & 0x7fff_ffff_ffff_ffff);
        F64Neg { dst, src } => |s| un!(s, dst, src, |x| x ^ 0x8000_0000_0000_0000);
        F64Ceil { dst, src } => |s| f64un!(s, dst, src, |x| f64_round(x, f64::ceil));
        F64Floor { dst, src } => |s| f64un!(s, dst, src, |x| f64_round(x, f64::floor));
        F64Trunc { dst, src } => |s| f64un!(s, dst, src, |x| f64_round(x, f64::trunc));
        F64Nearest { dst, src } => |s| f64un!(s, dst, src, |x| f64_round(x, f64::round_ties_even));
        F64Sqrt { dst, src } => |s| f64un!(s, dst, src, |x| x.sqrt());
        I32WrapI64 { dst, src } => |s| un!(s, dst, src, |x| x as u32 as u64);
        I32TruncF32S { dst, src } => |s| checked!(s, dst, i32_trunc_f32_s(f32::from_bits(s.r(src) as u32)), u32);
        I32TruncF32U { dst, src } => |s| checked!(s, dst, i32_trunc_f32_u(f32::from_bits(s.r(src) as u32)), u32);
        I32TruncF64S { dst, src } => |s| checked!(s, dst, i32_trunc_f64_s(f64::from_bits(s.r(src))), u32);
        I32TruncF64U { dst, src } => |s| checked!(s, dst, i32_trunc_f64_u(f64::from_bits(s.r(src))), u32);
        I64ExtendI32S { dst, src } => |s| un!(s, dst, src, |x| x as u32 as i32 as i64 as u64);
        I64TruncF32S { dst, src } => |s| checked!(s, dst, i64_trunc_f32_s(f32::from_bits(s.r(src) as u32)), u64);
        I64TruncF32U { dst, src } => |s| checked!(s, dst, i64_trunc_f32_u(f32::from_bits(s.r(src) as u32)), u64);
        I64TruncF64S { dst, src } => |s| checked!(s, dst, i64_trunc_f64_s(f64::from_bits(s.r(src))), u64);
        I64TruncF64U { dst, src } => |s| checked!(s, dst, i64_trunc_f64_u(f64::from_bits(s.r(src))), u64);
        F32ConvertI32S { dst, src } => |s| un!(s, dst, src, |x| (x as u32 as i32 as f32).to_bits() as u64);
        F32ConvertI32U { dst, src } => |s| un!(s, dst, src, |x| (x as u32 as f32).to_bits() as u64);
        F32ConvertI64S { dst, src } => |s| un!(s, dst, src, |x| (x as i64 as f32).to_bits() as u64);
        F32ConvertI64U { dst, src } => |s| un!(s, dst, src, |x| (x as f32).to_bits() as u64);
        F32Canon { dst, src } => |s| un!(s, dst, src, |x| if f32::from_bits(x as u32).is_nan() { 0x7fc0_0000 } else { x });
        F64Canon { dst, src } => |s| un!(s, dst, src, |x| if f64::from_bits(x).is_nan() { 0x7ff8_0000_0000_0000 } else { x });
        F32DemoteF64 { dst, src } => |s| un!(s, dst, src, |x| (f64::from_bits(x) as f32).to_bits() as u64);
        F64ConvertI32S { dst, src } => |s| un!(s, dst, src, |x| (x as u32 as i32 as f64).to_bits());
        F64ConvertI32U { dst, src } => |s| un!(s, dst, src, |x| (x as u32 as f64).to_bits());
        F64ConvertI64S { dst, src } => |s| un!(s, dst, src, |x| (x as i64 as f64).to_bits());
        F64ConvertI64U { dst, src } => |s| un!(s, dst, src, |x| (x as f64).to_bits());
        F64PromoteF32 { dst, src } => |s| un!(s, dst, src, |x| (f32::from_bits(x as u32) as f64).to_bits());
        I32Extend8S { dst, src } => |s| un!(s, dst, src, |x| x as i8 as i32 as u32 as u64);
        I32Extend16S { dst, src } => |s| un!(s, dst, src, |x| x as i16 as i32 as u32 as u64);
        I64Extend8S { dst, src } => |s| un!(s, dst, src, |x| x as i8 as i64 as u64);
        I64Extend16S { dst, src } => |s| un!(s, dst, src, |x| x as i16 as i64 as u64);
        I64Extend32S { dst, src } => |s| un!(s, dst, src, |x| x as i32 as i64 as u64);
        I32TruncSatF32S { dst, src } => |s| un!(s, dst, src, |x| f32::from_bits(x as u32) as i32 as u32 as u64);
        I32TruncSatF32U { dst, src } => |s| un!(s, dst, src, |x| f32::from_bits(x as u32) as u32 as u64);
        I32TruncSatF64S { dst, src } => |s| un!(s, dst, src, |x| f64::from_bits(x) as i32 as u32 as u64);
        I32TruncSatF64U { dst, src } => |s| un!(s, dst, src, |x| f64::from_bits(x) as u32 as u64);
        I64TruncSatF32S { dst, src } => |s| un!(s, dst, src, |x| f32::from_bits(x as u32) as i64 as u64);
        I64TruncSatF32U { dst, src } => |s| un!(s, dst, src, |x| f32::from_bits(x as u32) as u64);
        I64TruncSatF64S { dst, src } => |s| un!(s, dst, src, |x| f64::from_bits(x) as i64 as u64);
        I64TruncSatF64U { dst, src } => |s| un!(s, dst, src, |x| f64::from_bits(x) as u64);

        I32Eq { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x == y);
        I32Ne { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x != y);
        I32LtS { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| (x as i32) < (y as i32));
        I32LtU { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x < y);
        I32GtS { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| (x as i32) > (y as i32));
        I32GtU { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x > y);
        I32LeS { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| (x as i32) <= (y as i32));
        I32LeU { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x <= y);
        I32GeS { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| (x as i32) >= (y as i32));
        I32GeU { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x >= y);
        I64Eq { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| x == y);
        I64Ne { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| x != y);
        I64LtS { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| (x as i64) < (y as i64));
        I64LtU { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| x < y);
        I64GtS { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| (x as i64) > (y as i64));
        I64GtU { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| x > y);
        I64LeS { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| (x as i64) <= (y as i64));
        I64LeU { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| x <= y);
        I64GeS { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| (x as i64) >= (y as i64));
        I64GeU { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| x >= y);
        F32Eq { dst, a, b } => |s| f32cmp!(s, dst, a, b, ==);
        F32Ne { dst, a, b } => |s| f32cmp!(s, dst, a, b, !=);
        F32Lt { dst, a, b } => |s| f32cmp!(s, dst, a, b, <);
        F32Gt { dst, a, b } => |s| f32cmp!(s, dst, a, b, >);
        F32Le { dst, a, b } => |s| f32cmp!(s, dst, a, b, <=);
        F32Ge { dst, a, b } => |s| f32cmp!(s, dst, a, b, >=);
        F64Eq { dst, a, b } => |s| f64cmp!(s, dst, a, b, ==);
        F64Ne { dst, a, b } => |s| f64cmp!(s, dst, a, b, !=);
        F64Lt { dst, a, b } => |s| f64cmp!(s, dst, a, b, <);
        F64Gt { dst, a, b } => |s| f64cmp!(s, dst, a, b, >);
        F64Le { dst, a, b } => |s| f64cmp!(s, dst, a, b, <=);
        F64Ge { dst, a, b } => |s| f64cmp!(s, dst, a, b, >=);

        I32Add { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x.wrapping_add(y));
        I32Sub { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x.wrapping_sub(y));
        I32Mul { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x.wrapping_mul(y));
        I32DivS { dst, a, b } => |s| div!(s, dst, a, b, i32, u32, true, |x, y| x / y);
        I32DivU { dst, a, b } => |s| div!(s, dst, a, b, u32, u32, false, |x, y| x / y);
        I32RemS { dst, a, b } => |s| div!(s, dst, a, b, i32, u32, false, |x, y| x.wrapping_rem(y));
        I32RemU { dst, a, b } => |s| div!(s, dst, a, b, u32, u32, false, |x, y| x % y);
        I32And { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x & y);
        I32Or { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x | y);
        I32Xor { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x ^ y);
        I32Shl { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x.wrapping_shl(y));
        I32ShrS { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| (x as i32).wrapping_shr(y));
        I32ShrU { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x.wrapping_shr(y));
        I32Rotl { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x.rotate_left(y % 32));
        I32Rotr { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x.rotate_right(y % 32));
        I64Add { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| x.wrapping_add(y));
        I64Sub { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| x.wrapping_sub(y));
        I64Mul { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| x.wrapping_mul(y));
        I64DivS { dst, a, b } => |s| div!(s, dst, a, b, i64, u64, true, |x, y| x / y);
        I64DivU { dst, a, b } => |s| div!(s, dst, a, b, u64, u64, false, |x, y| x / y);
        I64RemS { dst, a, b } => |s| div!(s, dst, a, b, i64, u64, false, |x, y| x.wrapping_rem(y));
        I64RemU { dst, a, b } => |s| div!(s, dst, a, b, u64, u64, false, |x, y| x % y);
        I64And { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| x & y);
        I64Or { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| x | y);
        I64Xor { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| x ^ y);
        I64Shl { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| x.wrapping_shl(y as u32));
        I64ShrS { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| (x as i64).wrapping_shr(y as u32));
        I64ShrU { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| x.wrapping_shr(y as u32));
        I64Rotl { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| x.rotate_left((y % 64) as u32));
        I64Rotr { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| x.rotate_right((y % 64) as u32));
        F32Add { dst, a, b } => |s| f32op!(s, dst, a, b, |x, y| x + y);
        F32Sub { dst, a, b } => |s| f32op!(s, dst, a, b, |x, y| x - y);
        F32Mul { dst, a, b } => |s| f32op!(s, dst, a, b, |x, y| x * y);
        F32Div { dst, a, b } => |s| f32op!(s, dst, a, b, |x, y| x / y);
        F32Min { dst, a, b } => |s| f32op!(s, dst, a, b, |x, y| f32_min(x, y));
        F32Max { dst, a, b } => |s| f32op!(s, dst, a, b, |x, y| f32_max(x, y));
        F32Copysign { dst, a, b } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| (x & 0x7fff_ffff) | (y & 0x8000_0000));
        F64Add { dst, a, b } => |s| f64op!(s, dst, a, b, |x, y| x + y);
        F64Sub { dst, a, b } => |s| f64op!(s, dst, a, b, |x, y| x - y);
        F64Mul { dst, a, b } => |s| f64op!(s, dst, a, b, |x, y| x * y);
        F64Div { dst, a, b } => |s| f64op!(s, dst, a, b, |x, y| x / y);
        F64Min { dst, a, b } => |s| f64op!(s, dst, a, b, |x, y| f64_min(x, y));
        F64Max { dst, a, b } => |s| f64op!(s, dst, a, b, |x, y| f64_max(x, y));
        F64Copysign { dst, a, b } => |s| i64op!(s, dst, a, s.r(b), |x, y| (x & !(1 << 63)) | (y & (1 << 63)));

        I32AddImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| x.wrapping_add(y));
        I32AddShl { dst, a, b, imm } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x.wrapping_add(y << imm));
        I32AddShrU { dst, a, b, imm } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x.wrapping_add(y >> imm));
        I32XorShl { dst, a, b, imm } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x ^ (y << imm));
        I32XorShrU { dst, a, b, imm } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x ^ (y >> imm));
        I32OrShl { dst, a, b, imm } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x | (y << imm));
        I32OrShrU { dst, a, b, imm } => |s| i32op!(s, dst, a, s.r(b) as u32, |x, y| x | (y >> imm));
        I64AddShl { dst, a, b, imm } => |s| i64op!(s, dst, a, s.r(b), |x, y| x.wrapping_add(y << imm));
        I64AddShrU { dst, a, b, imm } => |s| i64op!(s, dst, a, s.r(b), |x, y| x.wrapping_add(y >> imm));
        I64XorShl { dst, a, b, imm } => |s| i64op!(s, dst, a, s.r(b), |x, y| x ^ (y << imm));
        I64XorShrU { dst, a, b, imm } => |s| i64op!(s, dst, a, s.r(b), |x, y| x ^ (y >> imm));
        I64OrShl { dst, a, b, imm } => |s| i64op!(s, dst, a, s.r(b), |x, y| x | (y << imm));
        I64OrShrU { dst, a, b, imm } => |s| i64op!(s, dst, a, s.r(b), |x, y| x | (y >> imm));
        F32AddImm { dst, a, imm } => |s| f32imm!(s, dst, a, imm, |x, y| (x + y).to_bits() as u64);
        F32SubImm { dst, a, imm } => |s| f32imm!(s, dst, a, imm, |x, y| (x - y).to_bits() as u64);
        F32MulImm { dst, a, imm } => |s| f32imm!(s, dst, a, imm, |x, y| (x * y).to_bits() as u64);
        F32LtImm { dst, a, imm } => |s| f32imm!(s, dst, a, imm, |x, y| (x < y) as u64);
        F32GtImm { dst, a, imm } => |s| f32imm!(s, dst, a, imm, |x, y| (x > y) as u64);
        F32LeImm { dst, a, imm } => |s| f32imm!(s, dst, a, imm, |x, y| (x <= y) as u64);
        F32GeImm { dst, a, imm } => |s| f32imm!(s, dst, a, imm, |x, y| (x >= y) as u64);
        I32MulImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| x.wrapping_mul(y));
        F32MulAdd { dst, a, b, c } => |s| f32op!(s, dst, a, b, |x, y| x * y + f32::from_bits(s.r(c) as u32));
        I32AndImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| x & y);
        I32OrImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| x | y);
        I32XorImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| x ^ y);
        I32ShlImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| x.wrapping_shl(y));
        I32ShrSImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| (x as i32).wrapping_shr(y));
        I32ShrUImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| x.wrapping_shr(y));
        I32EqImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| x == y);
        I32NeImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| x != y);
        I32LtSImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| (x as i32) < (y as i32));
        I32LtUImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| x < y);
        I32GtSImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| (x as i32) > (y as i32));
        I32GtUImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| x > y);
        I32LeSImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| (x as i32) <= (y as i32));
        I32LeUImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| x <= y);
        I32GeSImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| (x as i32) >= (y as i32));
        I32GeUImm { dst, a, imm } => |s| i32op!(s, dst, a, imm, |x, y| x >= y);
        // i64 immediates are sign-extended from 32 bits.
        I64AddImm { dst, a, imm } => |s| i64op!(s, dst, a, imm as i32 as i64 as u64, |x, y| x.wrapping_add(y));
        I64MulImm { dst, a, imm } => |s| i64op!(s, dst, a, imm as i32 as i64 as u64, |x, y| x.wrapping_mul(y));
        I64AndImm { dst, a, imm } => |s| i64op!(s, dst, a, imm as i32 as i64 as u64, |x, y| x & y);
        I64OrImm { dst, a, imm } => |s| i64op!(s, dst, a, imm as i32 as i64 as u64, |x, y| x | y);
        I64XorImm { dst, a, imm } => |s| i64op!(s, dst, a, imm as i32 as i64 as u64, |x, y| x ^ y);
        I64ShlImm { dst, a, imm } => |s| i64op!(s, dst, a, imm, |x, y| x.wrapping_shl(y));
        I64ShrSImm { dst, a, imm } => |s| i64op!(s, dst, a, imm, |x, y| (x as i64).wrapping_shr(y));
        I64ShrUImm { dst, a, imm } => |s| i64op!(s, dst, a, imm, |x, y| x.wrapping_shr(y));
    }
    control {
        Charge { cost } => |s| s.charge(cost);
        ZeroLocals { start, count } => |s| {
            zero_cells(unsafe { s.regs.add(start as usize) }, count as usize);
            s.next_block()
        };
        Unreachable {} => |s| s.trap(TrapCode::Unreachable);
        RefAsNonNull { src } => |s| if s.r(src) == 0 { s.trap(TrapCode::NullReference) } else { s.next() };
        Br { target } => |s| s.branch(target);
        BrIfNez { cond, target } => |s| br_if!(s, s.r(cond) as u32 != 0, target);
        BrIfEqz { cond, target } => |s| br_if!(s, s.r(cond) as u32 == 0, target);
        BrI32Eq { a, b, target } => |s| br_if!(s, s.r(a) as u32 == s.r(b) as u32, target);
        BrI32Ne { a, b, target } => |s| br_if!(s, s.r(a) as u32 != s.r(b) as u32, target);
        BrI32LtS { a, b, target } => |s| br_if!(s, (s.r(a) as i32) < s.r(b) as i32, target);
        BrI32LtU { a, b, target } => |s| br_if!(s, (s.r(a) as u32) < s.r(b) as u32, target);
        BrI32GtS { a, b, target } => |s| br_if!(s, s.r(a) as i32 > s.r(b) as i32, target);
        BrI32GtU { a, b, target } => |s| br_if!(s, s.r(a) as u32 > s.r(b) as u32, target);
        BrI32LeS { a, b, target } => |s| br_if!(s, s.r(a) as i32 <= s.r(b) as i32, target);
        BrI32LeU { a, b, target } => |s| br_if!(s, s.r(a) as u32 <= s.r(b) as u32, target);
        BrI32GeS { a, b, target } => |s| br_if!(s, s.r(a) as i32 >= s.r(b) as i32, target);
        BrI32GeU { a, b, target } => |s| br_if!(s, s.r(a) as u32 >= s.r(b) as u32, target);
        BrI32EqImm { a, imm, target } => |s| br_if!(s, s.r(a) as u32 == imm, target);
        BrI32NeImm { a, imm, target } => |s| br_if!(s, s.r(a) as u32 != imm, target);
        BrI32LtSImm { a, imm, target } => |s| br_if!(s, (s.r(a) as i32) < imm as i32, target);
        BrI32LtUImm { a, imm, target } => |s| br_if!(s, (s.r(a) as u32) < imm, target);
        BrI32GtSImm { a, imm, target } => |s| br_if!(s, s.r(a) as i32 > imm as i32, target);
        BrI32GtUImm { a, imm, target } => |s| br_if!(s, s.r(a) as u32 > imm, target);
        BrI32LeSImm { a, imm, target } => |s| br_if!(s, s.r(a) as i32 <= imm as i32, target);
        BrI32LeUImm { a, imm, target } => |s| br_if!(s, s.r(a) as u32 <= imm, target);
        BrI32GeSImm { a, imm, target } => |s| br_if!(s, s.r(a) as i32 >= imm as i32, target);
        BrI32GeUImm { a, imm, target } => |s| br_if!(s, s.r(a) as u32 >= imm, target);
        BrI32AndImmNez { a, imm, target } => |s| br_if!(s, s.r(a) as u32 & imm != 0, target);
        BrI32AndImmEqz { a, imm, target } => |s| br_if!(s, s.r(a) as u32 & imm == 0, target);
        // Lands on the target's `Charge`, which pays for its block.
        BrTable { index, start, len } => |s| {
            let f = unsafe { &*s.st.code };
            let i = (s.r(index) as u32).min(len - 1);
            // SAFETY: the translator made `len` (at least 1) entries from
            // `start`; unchecked, the handler has no panic path to save
            // registers for.
            let to = unsafe { *f.br_tables.get_unchecked((start + i) as usize) } as usize;
            let ip = unsafe { f.ops.as_ptr().add(to) };
            s.go(ip)
        };
        Throw { tag, args } => |s| {
            let pc = s.st.pc_of(s.ip);
            s.st.throw(pc, s.fuel, tag, args)
        };
        ThrowRef { slot } => |s| {
            let (pc, cell) = (s.st.pc_of(s.ip), s.r(slot));
            s.st.throw_ref(pc, s.fuel, cell)
        };
        Return0 {} => |s| s.ret();
        Return1 { src } => |s| {
            un!(s, 0, src, |x| x);
            s.ret()
        };
        ReturnN { start, count } => |s| {
            for i in 0..count {
                un!(s, i, start + i, |x| x);
            }
            s.ret()
        };
        Call { func, args } => |s| call_wasm(s, None, func, args);
        CallImported { func, args } => |s| {
            let f = s.store().instances[s.st.instance as usize].funcs[func as usize];
            let target = s.st.call_target(f);
            call(s, target, args)
        };
        CallIndirect { site, index, args } => |s| {
            let target = indirect_target(&s, site, s.r(index));
            call_indirect(s, target, args)
        };
        CallIndirect0 { ty, index, args } => |s| {
            let target = table_target(&s, ty, 0, s.r(index));
            call_indirect(s, target, args)
        };
        CallRef { func, args } => |s| {
            match crate::value::ref_index(s.r(func)) {
                Some(f) => {
                    let target = s.st.call_target(f);
                    call(s, target, args)
                }
                None => s.trap(TrapCode::NullFunctionReference),
            }
        };
        ReturnCallRef { func, args } => |s| {
            match crate::value::ref_index(s.r(func)) {
                Some(f) => {
                    let target = s.st.call_target(f);
                    tail_call(s, target, args)
                }
                None => s.trap(TrapCode::NullFunctionReference),
            }
        };
        ReturnCall { func, args } => |s| {
            let instance = s.st.instance;
            let replaced = s.st.replace_frame(instance, func, args);
            s.enter(replaced, instance)
        };
        ReturnCallImported { func, args } => |s| {
            let f = s.store().instances[s.st.instance as usize].funcs[func as usize];
            let target = s.st.call_target(f);
            tail_call(s, target, args)
        };
        ReturnCallIndirect { site, index, args } => |s| {
            match indirect_target(&s, site, s.r(index)) {
                Ok(target) => tail_call(s, target, args),
                Err(code) => s.trap(code),
            }
        };
    }
}

/// Calls WebAssembly function `func` of `instance` (`None`: the running
/// one, from a `Call` op): within the running instance, by the fast path of
/// [`Executor::direct_call`] when it can.
#[inline(always)]
fn call_wasm(s: Vm<'_>, instance: Option<u32>, func: u32, args: u32) -> Exit {
    if instance.is_none_or(|i| i == s.st.instance) {
        if let Some(entered) = s.st.direct_call(s.ip, func, args) {
            return s.enter_direct(entered);
        }
    }
    match instance {
        // The slow path reads the op again: `func` and `args` then need
        // no register across the fast path (one saved register fewer).
        None => unsafe { call_op_slow(s.ip, s.regs, s.fuel, s.acc, s.len, s.mem, ExecRef::new(s.st)) },
        Some(instance) => {
            s.st.slow_call = (instance, func, args);
            unsafe { call_slow(s.ip, s.regs, s.fuel, s.acc, s.len, s.mem, ExecRef::new(s.st)) }
        }
    }
}

/// The `Call` op at `ip`, which the fast path left, in the running
/// instance.
#[inline(never)]
unsafe fn call_op_slow(ip: *const Op, regs: *mut u64, fuel: u64, acc: u64, len: usize, mem: *mut u8, st: ExecRef) -> Exit {
    let op = unsafe { &*ip };
    let [func, args, ..] = match op.h as usize == w0::Call as Handler as usize {
        true => unsafe { op.wide() },
        false => op.fields(&layout::Call),
    };
    let st = unsafe { st.get() };
    st.slow_call = (st.instance, func, args);
    unsafe { call_slow(ip, regs, fuel, acc, len, mem, ExecRef::new(st)) }
}

/// The call in [`Executor::slow_call`], which the fast path left: to
/// another instance, to code not translated yet, or with a stack to grow
/// (or full). A handler of its own, reached by a tail call, so that the
/// call handlers' fast path saves no registers for the calls out here.
#[inline(never)]
unsafe fn call_slow(ip: *const Op, regs: *mut u64, fuel: u64, acc: u64, len: usize, mem: *mut u8, st: ExecRef) -> Exit {
    let s = Vm { ip, regs, fuel, mem, len, acc, st: unsafe { st.get() } };
    let (instance, func, args) = s.st.slow_call;
    let from = s.st.instance;
    let pushed = s.st.push_frame(ip, instance, func, args);
    s.enter(pushed, from)
}

/// Zeroes `count` cells from `at`. Up to 16 cells (most functions' locals)
/// take two runs of fixed-size stores, which may overlap: no loop and no
/// `memset` call, which would make the handler save its registers.
#[inline(always)]
fn zero_cells(at: *mut u64, count: usize) {
    // Cell by cell: an array value would be built on the stack when debug
    // assertions check the pointer, which would keep the handler from
    // dispatching by a jump.
    #[inline(always)]
    fn zero<const N: usize>(at: *mut u64, count: usize) {
        // SAFETY: N <= count, so both runs are inside the `count` cells.
        unsafe {
            let end = at.add(count - N);
            for i in 0..N {
                at.add(i).write(0);
                end.add(i).write(0);
            }
        }
    }
    match count {
        0 => {}
        1 => unsafe { at.write(0) },
        2..=3 => zero::<2>(at, count),
        4..=7 => zero::<4>(at, count),
        8..=16 => zero::<8>(at, count),
        _ => zero_many(at, count),
    }
}

#[inline(never)]
fn zero_many(at: *mut u64, count: usize) {
    unsafe { at.write_bytes(0, count) };
}

/// A tail call: a WebAssembly callee takes over the running frame; a host
/// callee is called, and the return after the op returns its results.
#[inline(always)]
fn tail_call(s: Vm<'_>, target: CallTarget, args: u32) -> Exit {
    match target {
        CallTarget::Host(host) => s.host(host, args),
        CallTarget::Wasm(instance, index) => {
            let from = s.st.instance;
            let replaced = s.st.replace_frame(instance, index, args);
            s.enter(replaced, from)
        }
    }
}

/// Calls what a `call_indirect` found in its table, or traps.
#[inline(always)]
fn call_indirect(s: Vm<'_>, target: Result<CallTarget, TrapCode>, args: u32) -> Exit {
    match target {
        Ok(CallTarget::Wasm(instance, func)) => call_wasm(s, Some(instance), func, args),
        Ok(CallTarget::Host(host)) => s.host(host, args),
        Err(code) => s.trap(code),
    }
}

/// The function an indirect call at `site` reaches through table element
/// `elem`, checked against the site's type.
#[inline(always)]
fn indirect_target(s: &Vm<'_>, site: u32, elem: u64) -> Result<CallTarget, TrapCode> {
    // SAFETY: the linker made one entry per `call_indirect` site.
    let code = unsafe { &*s.st.code };
    let (expected, table) = unsafe { *code.indirect_sites.get_unchecked(site as usize) };
    table_target(s, expected, table, elem)
}

/// The function at `elem` in the instance's table `table`, if it has type
/// id `expected`.
#[inline(always)]
fn table_target(s: &Vm<'_>, expected: u32, table: u32, elem: u64) -> Result<CallTarget, TrapCode> {
    let store = s.store();
    let &cell = s.st.table(table).elems.get(elem as u32 as usize).ok_or(TrapCode::UndefinedElement)?;
    let func = crate::value::ref_index(cell).ok_or(TrapCode::UninitializedElement)?;
    // A checked look-up costs what indexing does, and a cell from a
    // snapshot file then traps rather than panics.
    match store.funcs.get(func as usize) {
        Some(&FuncEntity::Wasm { instance, index, type_id }) if type_id == expected => Ok(CallTarget::Wasm(instance, index)),
        Some(&FuncEntity::Host { host, type_id }) if type_id == expected => Ok(CallTarget::Host(host)),
        _ => Err(TrapCode::IndirectCallTypeMismatch),
    }
}

/// Calls a function, which may belong to another instance or to the host.
#[inline(always)]
fn call(s: Vm<'_>, target: CallTarget, args: u32) -> Exit {
    match target {
        CallTarget::Host(host) => s.host(host, args),
        CallTarget::Wasm(instance, index) => {
            let from = s.st.instance;
            let pushed = s.st.push_frame(s.ip, instance, index, args);
            s.enter(pushed, from)
        }
    }
}

/// Handlers for an op and the conditional branch right after it, run as
/// one: the first op's work, then a direct jump into the branch's handler
/// with the branch op, which stays in place (so a branch to it, and precise
/// mode, still find it). Loop counters are the case: add, compare, branch.
/// The branch tests the value the first op wrote, which it takes from the
/// accumulator.
macro_rules! fused {
    ($( $module:ident: $first:ident |$f:ident, $regs:ident| $work:expr => [$($br:ident),*]; )*) => {
        $( mod $module {
            use super::*;
            $(
                #[inline(never)]
                pub(in super::super) unsafe fn $br(
                    ip: *const Op, regs: *mut u64, fuel: u64, _acc: u64, len: usize, mem: *mut u8, st: ExecRef,
                ) -> Exit {
                    let $f = unsafe { (*ip).fields(&layout::$first) };
                    let $regs = regs;
                    let x: u64 = unsafe { $work };
                    unsafe { *regs.add($f[0] as usize) = x };
                    unsafe { super::v1::$br(ip.add(1), regs, fuel, x, len, mem, st) }
                }
            )*
        } )*

        /// The fused handler for `first` followed by `next`, if there is
        /// one: when `next` tests the slot `first` writes.
        pub(super) fn fuse(first: &Instr, next: &Instr) -> Option<Handler> {
            let h = match (first, next) {
                $( $( (Instr::$first { .. }, Instr::$br { .. }) => $module::$br, )* )*
                _ => return None,
            };
            (first.dst().is_some() && first.dst() == Some(values(*next)[0])).then_some(h)
        }

        /// The handler of the first op of a fused pair (any other handler
        /// unchanged).
        pub(super) fn unfuse(h: Handler) -> Handler {
            $( $( if h as usize == $module::$br as Handler as usize { return v0::$first; } )* )*
            pair_table().first.get(&(h as usize)).copied().unwrap_or(h)
        }
    };
}

fused! {
    add_imm: I32AddImm |f, regs| (*regs.add(f[1] as usize) as u32).wrapping_add(f[2]) as u64
        => [BrI32Eq, BrI32Ne, BrI32LtS, BrI32LtU, BrI32GtS, BrI32GtU, BrI32LeS, BrI32LeU, BrI32GeS, BrI32GeU,
          BrI32EqImm, BrI32NeImm, BrI32LtSImm, BrI32LtUImm, BrI32GtSImm, BrI32GtUImm, BrI32LeSImm, BrI32LeUImm,
          BrI32GeSImm, BrI32GeUImm, BrIfNez, BrIfEqz];
    add: I32Add |f, regs| (*regs.add(f[1] as usize) as u32).wrapping_add(*regs.add(f[2] as usize) as u32) as u64
        => [BrI32Eq, BrI32Ne, BrI32LtS, BrI32LtU, BrI32GtS, BrI32GtU, BrI32LeS, BrI32LeU, BrI32GeS, BrI32GeU,
          BrI32EqImm, BrI32NeImm, BrI32LtSImm, BrI32LtUImm, BrI32GtSImm, BrI32GtUImm, BrI32LeSImm, BrI32LeUImm,
          BrI32GeSImm, BrI32GeUImm, BrIfNez, BrIfEqz];
}

/// Pairs of ops that follow each other often in real programs (counted
/// over CPython, resvg and splr by `benches/pairs.sh`, which prints this
/// table), by handler: the pair's handler does the first op's work and
/// then jumps straight into the second's handler, rather than through the
/// handler address in the next op. The second op stays in place, as with
/// `fused!`: a branch to it, a trap in it and precise mode (which runs the
/// first op's own handler) all find it. The gain is an indirect jump fewer
/// to predict (5 to 9 % of real programs' time); a second pair chained
/// after the first (three ops, two jumps saved) measured nothing more.
macro_rules! pairs {
    ($( $name:ident: $fm:ident::$first:ident => $sm:ident::$second:ident; )*) => {
        #[allow(non_camel_case_types, non_snake_case)]
        mod pairs {
            use super::*;
            $(
                /// Goes on into the second op's handler. (Not marked
                /// `#[inline(always)]`, which made rustc export the second
                /// handlers, and the jumps to them then went through the
                /// GOT; LLVM inlines it anyway.)
                pub(super) enum $name {}
                impl Then for $name {
                    unsafe fn then(s: Vm<'_>) -> Exit {
                        let ip = unsafe { s.ip.add(1) };
                        unsafe { $sm::$second(ip, s.regs, s.fuel, s.acc, s.len, s.mem, ExecRef::new(s.st)) }
                    }
                }
                #[inline(never)]
                pub(super) unsafe fn $name(
                    ip: *const Op, regs: *mut u64, fuel: u64, acc: u64, len: usize, mem: *mut u8, st: ExecRef,
                ) -> Exit {
                    unsafe { $first::<{ variant!(acc $fm) }, { variant!(write $fm) }, false, $name>(ip, regs, fuel, acc, len, mem, st) }
                }
            )*
        }

        /// Every pair: the two handlers, and the one that runs both.
        fn pair_list() -> Vec<(Handler, Handler, Handler)> {
            vec![ $( ($fm::$first as Handler, $sm::$second as Handler, pairs::$name as Handler), )* ]
        }
    };
}

/// The const parameters of a handler variant's module.
macro_rules! variant {
    (acc v0) => { 0 }; (acc v1) => { 1 }; (acc v2) => { 2 }; (acc v3) => { 3 };
    (acc n0) => { 0 }; (acc n1) => { 1 }; (acc n2) => { 2 }; (acc n3) => { 3 };
    (write v0) => { true }; (write v1) => { true }; (write v2) => { true }; (write v3) => { true };
    (write n0) => { false }; (write n1) => { false }; (write n2) => { false }; (write n3) => { false };
}

// Made by `benches/pairs.sh 0.35`: 195 pairs, after loads and stores took
// in the add of their address (`I32LoadIdx` and kin).
pairs! {
    Const32_n0_F32Sub_n2: n0::Const32 => n2::F32Sub;
    Const32_n0_I32Sub_n2: n0::Const32 => n2::I32Sub;
    F32Add_n0_I32Store_v2: n0::F32Add => v2::I32Store;
    F32ConvertI32U_n0_F32MulImm_n2: n0::F32ConvertI32U => n2::F32MulImm;
    F32GeImm_n0_SelectElseImm_v2: n0::F32GeImm => v2::SelectElseImm;
    F32GtImm_n0_SelectImm_n2: n0::F32GtImm => n2::SelectImm;
    F32Mul_n0_I32Store_v2: n0::F32Mul => v2::I32Store;
    I32Add_n0_I32Load8U_v2: n0::I32Add => v2::I32Load8U;
    I32AddImm_n0_I32Load_n2: n0::I32AddImm => n2::I32Load;
    I32AddImm_n0_I32Load8U_n2: n0::I32AddImm => n2::I32Load8U;
    I32AddImm_n0_I32Load8U_v2: n0::I32AddImm => v2::I32Load8U;
    I32AddImm_n0_I32Store_v2: n0::I32AddImm => v2::I32Store;
    I32And_n0_I32Xor_v2: n0::I32And => v2::I32Xor;
    I32AndImm_n0_BrI32NeImm_v1: n0::I32AndImm => v1::BrI32NeImm;
    I32AndImm_n0_BrIfEqz_v1: n0::I32AndImm => v1::BrIfEqz;
    I32AndImm_n0_Select_v1: n0::I32AndImm => v1::Select;
    I32GtUImm_n0_Select_n1: n0::I32GtUImm => n1::Select;
    I32Load_n0_I32Add_n2: n0::I32Load => n2::I32Add;
    I32Load_n0_I32AddImm_n2: n0::I32Load => n2::I32AddImm;
    I32Load_n0_I32Load_n2: n0::I32Load => n2::I32Load;
    I32Load_n0_I32Load16U_n2: n0::I32Load => n2::I32Load16U;
    I32Load_n0_BrIfEqz_v1: n0::I32Load => v1::BrIfEqz;
    I32Load_n0_I32Store_v1: n0::I32Load => v1::I32Store;
    I32Load_n0_Return1_v1: n0::I32Load => v1::Return1;
    I32Load_n0_BrI32Ne_v2: n0::I32Load => v2::BrI32Ne;
    I32Load_n0_I32AddImm_v2: n0::I32Load => v2::I32AddImm;
    I32Load_n0_I32AddShl_v2: n0::I32Load => v2::I32AddShl;
    I32Load_n0_I32Load_v2: n0::I32Load => v2::I32Load;
    I32Load_n0_I32ShrUImm_v2: n0::I32Load => v2::I32ShrUImm;
    I32Load_n0_I32Store_v2: n0::I32Load => v2::I32Store;
    I32Load8U_n0_I32AddImm_n2: n0::I32Load8U => n2::I32AddImm;
    I32Load8U_n0_I32Store_v2: n0::I32Load8U => v2::I32Store;
    I32Load8U_n0_I32Store8_v2: n0::I32Load8U => v2::I32Store8;
    I32Mul_n0_I32AddImm_n2: n0::I32Mul => n2::I32AddImm;
    I32NeImm_n0_Select_v1: n0::I32NeImm => v1::Select;
    I32Sub_n0_I32ShrUImm_n2: n0::I32Sub => n2::I32ShrUImm;
    I32Sub_n0_I32Add_v2: n0::I32Sub => v2::I32Add;
    I32Sub_n0_I32AndImm_v2: n0::I32Sub => v2::I32AndImm;
    Select_n1_I32Store_v2: n1::Select => v2::I32Store;
    F32AddImm_n2_F32AddImm_n2: n2::F32AddImm => n2::F32AddImm;
    F32AddImm_n2_F32AddImm_v2: n2::F32AddImm => v2::F32AddImm;
    F32AddImm_n2_F32Sub_v2: n2::F32AddImm => v2::F32Sub;
    F32ConvertI32S_n2_F32Mul_n3: n2::F32ConvertI32S => n3::F32Mul;
    F32ConvertI32U_n2_F32MulImm_n2: n2::F32ConvertI32U => n2::F32MulImm;
    F32LtImm_n2_SelectImm_v2: n2::F32LtImm => v2::SelectImm;
    F32MulImm_n2_I32Store_v2: n2::F32MulImm => v2::I32Store;
    F32Sub_n2_I32Xor_n3: n2::F32Sub => n3::I32Xor;
    F32Sub_n2_I32Xor_v3: n2::F32Sub => v3::I32Xor;
    I32AddImm_n2_I32AndImm_n2: n2::I32AddImm => n2::I32AndImm;
    I32AddImm_n2_I32Load_n2: n2::I32AddImm => n2::I32Load;
    I32AddImm_n2_I32Load16U_n2: n2::I32AddImm => n2::I32Load16U;
    I32AddImm_n2_BrTable_v1: n2::I32AddImm => v1::BrTable;
    I32AddImm_n2_I32Load16U_v2: n2::I32AddImm => v2::I32Load16U;
    I32AddImm_n2_I32Load8U_v2: n2::I32AddImm => v2::I32Load8U;
    I32AddImm_n2_I32Store_v2: n2::I32AddImm => v2::I32Store;
    I32And_n2_I32Xor_v2: n2::I32And => v2::I32Xor;
    I32Load_n2_I32AddImm_n2: n2::I32Load => n2::I32AddImm;
    I32Load_n2_BrI32Eq_v1: n2::I32Load => v1::BrI32Eq;
    I32Load_n2_BrIfEqz_v1: n2::I32Load => v1::BrIfEqz;
    I32Load_n2_Return1_v1: n2::I32Load => v1::Return1;
    I32Load_n2_I32Store_v2: n2::I32Load => v2::I32Store;
    I32Load16U_n2_I32Store16_v2: n2::I32Load16U => v2::I32Store16;
    I32LtUImm_n2_Select_v1: n2::I32LtUImm => v1::Select;
    I32MulImm_n2_I32Add_v3: n2::I32MulImm => v3::I32Add;
    I32ShrUImm_n2_BrI32LtU_v2: n2::I32ShrUImm => v2::BrI32LtU;
    I32XorImm_n2_I32AndImm_v2: n2::I32XorImm => v2::I32AndImm;
    SelectImm_n2_I32Store8_v2: n2::SelectImm => v2::I32Store8;
    F32Mul_n3_F32AddImm_n2: n3::F32Mul => n2::F32AddImm;
    I32Add_n3_I32AddImm_n2: n3::I32Add => n2::I32AddImm;
    I32AddShl_n3_I32Store_v2: n3::I32AddShl => v2::I32Store;
    I32AddShrU_n3_I32Load8U_v2: n3::I32AddShrU => v2::I32Load8U;
    I32And_n3_I32Xor_v3: n3::I32And => v3::I32Xor;
    I32LoadIdx_n3_I32Store_v2: n3::I32LoadIdx => v2::I32Store;
    I32Sub_n3_I32Store8_v2: n3::I32Sub => v2::I32Store8;
    I32Xor_n3_I32And_n2: n3::I32Xor => n2::I32And;
    Const32_v0_Br_v0: v0::Const32 => v0::Br;
    Const32_v0_Call_v0: v0::Const32 => v0::Call;
    Const32_v0_Charge_v0: v0::Const32 => v0::Charge;
    Const32_v0_Const32_v0: v0::Const32 => v0::Const32;
    Const32_v0_Copy_v0: v0::Const32 => v0::Copy;
    Const32_v0_I32AddShl_v0: v0::Const32 => v0::I32AddShl;
    Const32_v0_I32Load_v0: v0::Const32 => v0::I32Load;
    Const32_v0_SelectElseImm_v0: v0::Const32 => v0::SelectElseImm;
    Copy_v0_Call_v0: v0::Copy => v0::Call;
    Copy_v0_Charge_v0: v0::Copy => v0::Charge;
    Copy_v0_Const32_v0: v0::Copy => v0::Const32;
    Copy_v0_Copy_v0: v0::Copy => v0::Copy;
    Copy_v0_I32AndImm_v0: v0::Copy => v0::I32AndImm;
    Copy_v0_I32Xor_v3: v0::Copy => v3::I32Xor;
    F32GtImm_v0_Const32_v0: v0::F32GtImm => v0::Const32;
    F32LtImm_v0_Const32_v0: v0::F32LtImm => v0::Const32;
    GlobalAddImm_v0_I32Store_v1: v0::GlobalAddImm => v1::I32Store;
    GlobalAddImm_v0_GlobalSet_v2: v0::GlobalAddImm => v2::GlobalSet;
    GlobalSetAddImm_v0_Return0_v0: v0::GlobalSetAddImm => v0::Return0;
    GlobalSetAddImm_v0_Return1_v0: v0::GlobalSetAddImm => v0::Return1;
    I32Add_v0_I32AddImm_n2: v0::I32Add => n2::I32AddImm;
    I32Add_v0_I32AddImm_v2: v0::I32Add => v2::I32AddImm;
    I32AddImm_v0_I32Sub_n0: v0::I32AddImm => n0::I32Sub;
    I32AddImm_v0_Br_v0: v0::I32AddImm => v0::Br;
    I32AddImm_v0_I32AddImm_v0: v0::I32AddImm => v0::I32AddImm;
    I32AddImm_v0_I32Load_v0: v0::I32AddImm => v0::I32Load;
    I32AddImm_v0_I32Store_v2: v0::I32AddImm => v2::I32Store;
    I32AddShl_v0_Copy_v0: v0::I32AddShl => v0::Copy;
    I32AddShl_v0_I32AddImm_v2: v0::I32AddShl => v2::I32AddImm;
    I32AndImm_v0_I32LtUImm_n2: v0::I32AndImm => n2::I32LtUImm;
    I32AndImm_v0_I32Add_n3: v0::I32AndImm => n3::I32Add;
    I32AndImm_v0_BrI32Eq_v2: v0::I32AndImm => v2::BrI32Eq;
    I32Load_v0_I32Load_n0: v0::I32Load => n0::I32Load;
    I32Load_v0_F32LtImm_n2: v0::I32Load => n2::F32LtImm;
    I32Load_v0_I32AddImm_n2: v0::I32Load => n2::I32AddImm;
    I32Load_v0_I32Load_n2: v0::I32Load => n2::I32Load;
    I32Load_v0_I32AddShrU_n3: v0::I32Load => n3::I32AddShrU;
    I32Load_v0_Call_v0: v0::I32Load => v0::Call;
    I32Load_v0_GlobalSetAddImm_v0: v0::I32Load => v0::GlobalSetAddImm;
    I32Load_v0_I32Load_v0: v0::I32Load => v0::I32Load;
    I32Load_v0_I32ShlImm_v0: v0::I32Load => v0::I32ShlImm;
    I32Load_v0_BrI32GeU_v2: v0::I32Load => v2::BrI32GeU;
    I32Load_v0_Copy_v2: v0::I32Load => v2::Copy;
    I32Load_v0_I32AddShl_v2: v0::I32Load => v2::I32AddShl;
    I32Load_v0_I32Load_v2: v0::I32Load => v2::I32Load;
    I32Load_v0_I32LoadIdx_v2: v0::I32Load => v2::I32LoadIdx;
    I32Load_v0_I32MulImm_v2: v0::I32Load => v2::I32MulImm;
    I32Load_v0_I32Eq_v3: v0::I32Load => v3::I32Eq;
    I32Load16U_v0_I32Load16U_v0: v0::I32Load16U => v0::I32Load16U;
    I32Load16U_v0_I32AddImm_v2: v0::I32Load16U => v2::I32AddImm;
    I32Load16UIdx_v0_BrIfEqz_v1: v0::I32Load16UIdx => v1::BrIfEqz;
    I32Load8U_v0_I32Load8U_v0: v0::I32Load8U => v0::I32Load8U;
    I32LoadIdx_v0_BrI32GeU_v1: v0::I32LoadIdx => v1::BrI32GeU;
    I32ShlImm_v0_I32Add_v3: v0::I32ShlImm => v3::I32Add;
    I32ShrSImm_v0_I32And_n3: v0::I32ShrSImm => n3::I32And;
    I32ShrSImm_v0_I32Xor_n3: v0::I32ShrSImm => n3::I32Xor;
    I32ShrUImm_v0_Copy_v0: v0::I32ShrUImm => v0::Copy;
    I32Store_v0_I32Load_n0: v0::I32Store => n0::I32Load;
    I32Store_v0_I32Load_v0: v0::I32Store => v0::I32Load;
    I32Store_v0_I32Store_v0: v0::I32Store => v0::I32Store;
    I32Store16_v0_I32Store16_v0: v0::I32Store16 => v0::I32Store16;
    I64StoreImm_v0_I64StoreImm_v0: v0::I64StoreImm => v0::I64StoreImm;
    SelectElseImm_v0_I32And_n0: v0::SelectElseImm => n0::I32And;
    I32Store_v1_I32Load_n0: v1::I32Store => n0::I32Load;
    I32Store_v1_I32Store_v0: v1::I32Store => v0::I32Store;
    Select_v1_I32AndImm_n0: v1::Select => n0::I32AndImm;
    Select_v1_I32GtUImm_n0: v1::Select => n0::I32GtUImm;
    Select_v1_BrI32AndImmNez_v1: v1::Select => v1::BrI32AndImmNez;
    Select_v1_BrI32Eq_v2: v1::Select => v2::BrI32Eq;
    Copy_v2_I32ShrSImm_v0: v2::Copy => v0::I32ShrSImm;
    Copy_v2_F32MulImm_v2: v2::Copy => v2::F32MulImm;
    F32Add_v2_F32AddImm_v2: v2::F32Add => v2::F32AddImm;
    F32AddImm_v2_Copy_v0: v2::F32AddImm => v0::Copy;
    F32AddImm_v2_I32TruncSatF32U_v2: v2::F32AddImm => v2::I32TruncSatF32U;
    F32MulImm_v2_Const32_n0: v2::F32MulImm => n0::Const32;
    F32Sub_v2_F32Add_v2: v2::F32Sub => v2::F32Add;
    GlobalSet_v2_I32Store_v0: v2::GlobalSet => v0::I32Store;
    I32Add_v2_F32ConvertI32S_n2: v2::I32Add => n2::F32ConvertI32S;
    I32AddImm_v2_I32Load_n0: v2::I32AddImm => n0::I32Load;
    I32AddImm_v2_Const32_v0: v2::I32AddImm => v0::Const32;
    I32AddImm_v2_I32AddShl_v0: v2::I32AddImm => v0::I32AddShl;
    I32AddShl_v2_I32Store_v1: v2::I32AddShl => v1::I32Store;
    I32AddShl_v2_I32Load_v2: v2::I32AddShl => v2::I32Load;
    I32AndImm_v2_I32NeImm_n0: v2::I32AndImm => n0::I32NeImm;
    I32AndImm_v2_BrI32GtU_v1: v2::I32AndImm => v1::BrI32GtU;
    I32Load_v2_I32Load_n0: v2::I32Load => n0::I32Load;
    I32Load_v2_I32AddShrU_n3: v2::I32Load => n3::I32AddShrU;
    I32Load_v2_Const32_v0: v2::I32Load => v0::Const32;
    I32Load_v2_I32Load_v0: v2::I32Load => v0::I32Load;
    I32Load16U_v2_I32AndImm_v0: v2::I32Load16U => v0::I32AndImm;
    I32Load8U_v2_I32AddImm_n0: v2::I32Load8U => n0::I32AddImm;
    I32Load8U_v2_I32XorImm_n2: v2::I32Load8U => n2::I32XorImm;
    I32Load8U_v2_BrI32AndImmNez_v0: v2::I32Load8U => v0::BrI32AndImmNez;
    I32Load8U_v2_I32Add_v0: v2::I32Load8U => v0::I32Add;
    I32LoadIdx_v2_I32Load_v0: v2::I32LoadIdx => v0::I32Load;
    I32MulImm_v2_I32Add_v3: v2::I32MulImm => v3::I32Add;
    I32Store_v2_F32Add_n0: v2::I32Store => n0::F32Add;
    I32Store_v2_F32ConvertI32U_n0: v2::I32Store => n0::F32ConvertI32U;
    I32Store_v2_F32Mul_n0: v2::I32Store => n0::F32Mul;
    I32Store_v2_I32Load_n0: v2::I32Store => n0::I32Load;
    I32Store_v2_Br_v0: v2::I32Store => v0::Br;
    I32Store_v2_Charge_v0: v2::I32Store => v0::Charge;
    I32Store_v2_I32Load_v0: v2::I32Store => v0::I32Load;
    I32Store_v2_I32Store_v0: v2::I32Store => v0::I32Store;
    I32Store16_v2_I32Load8U_n0: v2::I32Store16 => n0::I32Load8U;
    I32Store16_v2_I32Mul_n0: v2::I32Store16 => n0::I32Mul;
    I32Store8_v2_I32Load8U_n0: v2::I32Store8 => n0::I32Load8U;
    I32Store8_v2_I32AddImm_v0: v2::I32Store8 => v0::I32AddImm;
    I32TruncSatF32U_v2_F32GeImm_n0: v2::I32TruncSatF32U => n0::F32GeImm;
    I32Xor_v2_Const32_n0: v2::I32Xor => n0::Const32;
    I32Xor_v2_F32GtImm_v0: v2::I32Xor => v0::F32GtImm;
    I32Xor_v2_I32ShrUImm_v0: v2::I32Xor => v0::I32ShrUImm;
    I32Xor_v2_I32Xor_v2: v2::I32Xor => v2::I32Xor;
    SelectElseImm_v2_F32GtImm_n0: v2::SelectElseImm => n0::F32GtImm;
    SelectImm_v2_F32GtImm_v2: v2::SelectImm => v2::F32GtImm;
    I32Add_v3_I32Load_v2: v3::I32Add => v2::I32Load;
    I32Eq_v3_Select_v1: v3::I32Eq => v1::Select;
    I32Xor_v3_F32AddImm_n2: v3::I32Xor => n2::F32AddImm;
    I32Xor_v3_F32LtImm_v0: v3::I32Xor => v0::F32LtImm;
    I32Xor_v3_I32ShrSImm_v0: v3::I32Xor => v0::I32ShrSImm;
}

/// Pairs by their handlers' addresses.
struct PairTable {
    both: HashMap<(usize, usize), Handler, BuildHasherDefault<AddressHasher>>,
    first: HashMap<usize, Handler, BuildHasherDefault<AddressHasher>>,
}

/// Hashes handler addresses by multiplying. Linking looks a pair up for
/// every op it makes (CPython: 360 000 of them, 0.8 % of `cpu.py`'s time
/// with SipHash), and the keys are our own handlers: no input chooses them.
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn write(&mut self, bytes: &[u8]) {
        bytes.iter().for_each(|&b| self.write_usize(b as usize));
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(26) ^ n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn pair_table() -> &'static PairTable {
    static TABLE: std::sync::OnceLock<PairTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let list = pair_list();
        PairTable {
            both: list.iter().map(|&(a, b, both)| ((a as usize, b as usize), both)).collect(),
            first: list.iter().map(|&(a, _, both)| (both as usize, a)).collect(),
        }
    })
}

/// The handler that runs an op with handler `first` and the op after it,
/// with handler `second`, as one, if there is one.
pub(super) fn pair(first: Handler, second: Handler) -> Option<Handler> {
    pair_table().both.get(&(first as usize, second as usize)).copied()
}
