//! The handlers of SIMD instructions, one per [`SimdCode`], generated from
//! the decoder's table by shape (see `translate::simd` for what each
//! shape's slots mean). They read and write v128 values as two cells and
//! never use the accumulator: scalar code keeps its handlers and their
//! variants unchanged, and the linker does not pass values to or from the
//! accumulator across a SIMD op.

#![allow(non_snake_case)]

use super::code::{ExecRef, Exit, Handler, Linked, Op};
use super::vm::Vm;
use crate::decode::{for_each_simd, SimdCode};
use crate::simd;
use crate::translate::Instr;
use crate::trap::TrapCode;

impl Vm<'_> {
    /// A frame cell an op names (never the accumulator here).
    #[inline(always)]
    fn cell(&self, slot: u32) -> u64 {
        unsafe { *self.regs.add(slot as usize) }
    }

    #[inline(always)]
    fn set_cell(&mut self, slot: u32, v: u64) {
        unsafe { *self.regs.add(slot as usize) = v };
    }

    /// The v128 in cells `slot` (low half) and `slot + 1`, read as one
    /// 16-byte value so that LLVM can keep it in a vector register.
    #[inline(always)]
    fn v128(&self, slot: u32) -> u128 {
        let [lo, hi] = unsafe { self.regs.add(slot as usize).cast::<[u64; 2]>().read() };
        lo as u128 | (hi as u128) << 64
    }

    #[inline(always)]
    fn set_v128(&mut self, slot: u32, v: u128) {
        unsafe { self.regs.add(slot as usize).cast::<[u64; 2]>().write([v as u64, (v >> 64) as u64]) };
    }

    /// The v128 global `index` of the running instance, through the
    /// executor's map of its globals, as the scalar ops reach theirs.
    fn global(&self, index: u32) -> &mut [u64; 2] {
        &mut self.st.global(index).value
    }
}

/// `N` bytes at `addr + offset`, zero-extended, or a trap.
macro_rules! read {
    ($s:ident, $addr:expr, $offset:expr, $n:literal) => {{
        match $s.addr::<$n>($addr, $offset) {
            Some(p) => zext(unsafe { p.cast::<[u8; $n]>().read() }),
            None => return $s.trap(TrapCode::MemoryOutOfBounds),
        }
    }};
}

/// Little-endian bytes as a number (one load, once optimised).
#[inline(always)]
fn zext<const N: usize>(bytes: [u8; N]) -> u128 {
    let mut v = 0;
    for (i, b) in bytes.into_iter().enumerate() {
        v |= (b as u128) << (8 * i);
    }
    v
}

// Calls of the lane functions. A handler must keep no stack frame across
// its tail call to the next op, and so must not pass the address of a local
// to anything; with debug assertions, the checks inside inlined lane code
// do (on `copy_nonoverlapping`, slice indexing), which would grow the
// native stack with every SIMD op executed. In such builds (tests, `cargo
// run`) the lane function runs in its own frame instead; optimised builds
// inline it.
macro_rules! lane_calls {
    ($( $name:ident($($a:ident: $t:ty),*) -> $r:ty; )*) => {$(
        #[cfg_attr(debug_assertions, inline(never))]
        #[cfg_attr(not(debug_assertions), inline(always))]
        fn $name(f: fn($($t),*) -> $r, $($a: $t),*) -> $r {
            f($($a),*)
        }
    )*};
}
lane_calls! {
    call1(a: u128) -> u128;
    call2(a: u128, b: u128) -> u128;
    call3(a: u128, b: u128, c: u128) -> u128;
    call_test(a: u128) -> u32;
    call_shift(a: u128, s: u32) -> u128;
    call_cell(x: u64) -> u128;
    call_extract(a: u128, lane: u32) -> u64;
    call_replace(a: u128, lane: u32, x: u64) -> u128;
}

/// One handler: `$body` works on `s` (the VM) and `f` (the op's fields)
/// and falls through to the next op, unless it returns.
macro_rules! handler {
    ($v:ident |$s:ident, $f:ident| $body:expr) => {
        #[inline(never)]
        pub(super) unsafe fn $v(
            ip: *const Op, regs: *mut u64, fuel: u64, acc: u64, len: usize, mem: *mut u8, st: ExecRef,
        ) -> Exit {
            #[allow(unused_mut)]
            let mut $s = Vm { ip, regs, fuel, mem, len, acc, st: unsafe { st.get() } };
            let $f = unsafe { (*ip).wide() };
            $body;
            $s.next()
        }
    };
}

/// The handler of one row of the table, by its shape.
macro_rules! simd_handler {
    (Unary $v:ident $f:ident $n:literal) => {
        handler!($v |s, f| s.set_v128(f[0], call1(simd::$f, s.v128(f[1]))));
    };
    (Binary $v:ident $f:ident $n:literal) => {
        handler!($v |s, f| s.set_v128(f[0], call2(simd::$f, s.v128(f[1]), s.v128(f[2]))));
    };
    (Ternary $v:ident $f:ident $n:literal) => {
        handler!($v |s, f| s.set_v128(f[0], call3(simd::$f, s.v128(f[1]), s.v128(f[2]), s.v128(f[0] + 4))));
    };
    (Test $v:ident $f:ident $n:literal) => {
        handler!($v |s, f| s.set_cell(f[0], call_test(simd::$f, s.v128(f[1])) as u64));
    };
    (Shift $v:ident $f:ident $n:literal) => {
        handler!($v |s, f| s.set_v128(f[0], call_shift(simd::$f, s.v128(f[1]), s.cell(f[2]) as u32)));
    };
    (Splat $v:ident $f:ident $n:literal) => {
        handler!($v |s, f| s.set_v128(f[0], call_cell(simd::$f, s.cell(f[1]))));
    };
    // A lane store's first half: the lane's bits into a cell.
    (Extract $v:ident $f:ident $n:literal) => {
        handler!($v |s, f| s.set_cell(f[0], call_extract(simd::$f, s.v128(f[1]), f[3])));
    };
    (StoreLane $v:ident $f:ident $n:literal) => {
        simd_handler!(Extract $v $f $n);
    };
    // A lane load's second half: the loaded cell into the lane.
    (Replace $v:ident $f:ident $n:literal) => {
        handler!($v |s, f| s.set_v128(f[0], call_replace(simd::$f, s.v128(f[1]), f[3], s.cell(f[2]))));
    };
    (LoadLane $v:ident $f:ident $n:literal) => {
        simd_handler!(Replace $v $f $n);
    };
    (Load $v:ident $f:ident $n:literal) => {
        handler!($v |s, f| {
            let x = read!(s, f[1], f[2], $n) as u64;
            s.set_v128(f[0], call_cell(simd::$f, x))
        });
    };
    (Load128 $v:ident $f:ident $n:literal) => {
        handler!($v |s, f| {
            let x = read!(s, f[1], f[2], 16);
            s.set_v128(f[0], x)
        });
    };
    (Store128 $v:ident $f:ident $n:literal) => {
        handler!($v |s, f| match s.addr::<16>(f[1], f[0]) {
            Some(p) => unsafe { p.cast::<[u8; 16]>().write(s.v128(f[2]).to_le_bytes()) },
            None => return s.trap(TrapCode::MemoryOutOfBounds),
        });
    };
    // The lanes are in the two data ops that follow.
    (Shuffle $v:ident $f:ident $n:literal) => {
        #[inline(never)]
        pub(super) unsafe fn $v(
            ip: *const Op, regs: *mut u64, fuel: u64, acc: u64, len: usize, mem: *mut u8, st: ExecRef,
        ) -> Exit {
            let mut s = Vm { ip, regs, fuel, mem, len, acc, st: unsafe { st.get() } };
            let (f, d0, d1) = unsafe { ((*ip).wide(), (*ip.add(1)).wide(), (*ip.add(2)).wide()) };
            let lanes = d0[0] as u128 | (d0[1] as u128) << 32 | (d0[2] as u128) << 64 | (d1[0] as u128) << 96;
            s.set_v128(f[0], call3(simd::$f, s.v128(f[1]), s.v128(f[2]), lanes));
            s.go(unsafe { ip.add(3) })
        }
    };
    (Copy $v:ident $f:ident $n:literal) => {
        handler!($v |s, f| s.set_v128(f[0], s.v128(f[1])));
    };
    (SelectElse $v:ident $f:ident $n:literal) => {
        handler!($v |s, f| if s.cell(f[1]) as u32 == 0 { s.set_v128(f[0], s.v128(f[2])) });
    };
    (GlobalGet $v:ident $f:ident $n:literal) => {
        handler!($v |s, f| {
            let [lo, hi] = *s.global(f[1]);
            s.set_cell(f[0], lo);
            s.set_cell(f[0] + 1, hi);
        });
    };
    (GlobalSet $v:ident $f:ident $n:literal) => {
        handler!($v |s, f| *s.global(f[1]) = [s.cell(f[2]), s.cell(f[2] + 1)]);
    };
    // Translated into cell constants, or data that the op before skips.
    (Const $v:ident $f:ident $n:literal) => {
        simd_handler!(@never $v);
    };
    (Data $v:ident $f:ident $n:literal) => {
        simd_handler!(@never $v);
    };
    (@never $v:ident) => {
        pub(super) unsafe fn $v(_: *const Op, _: *mut u64, _: u64, _: u64, _: usize, _: *mut u8, _: ExecRef) -> Exit {
            unreachable!("v128 constants and shuffle lanes are not run as ops")
        }
    };
}

macro_rules! define_handlers {
    ($( $opcode:literal $v:ident $f:ident $imm:ident $shape:ident $n:literal; )*) => {
        mod h {
            use super::*;
            $( simd_handler!($shape $v $f $n); )*
        }

        /// The handler of each code, in the order of [`SimdCode`].
        const HANDLERS: &[Handler] = &[ $( h::$v, )* ];
    };
}
for_each_simd!(define_handlers);

/// The op that runs a SIMD instruction, always a wide one (its fields, a
/// slot or an offset each, rarely all fit 2 bytes): it reads every operand
/// from the frame and writes its result there (`handlers::make_op` has no
/// narrow form of it).
pub(super) fn wide_op(instr: Instr) -> Linked {
    let Instr::Simd { code, lane, dst, a, b } = instr else {
        unreachable!("not a SIMD instruction: {instr:?}")
    };
    (Op::new(HANDLERS[code as usize], [0; 4]), Some([dst, a, b, lane as u32]))
}

/// The instruction a SIMD handler runs, for printing ops.
pub(super) fn name_of(h: Handler) -> Option<String> {
    let i = HANDLERS.iter().position(|&x| x as usize == h as usize)?;
    Some(SimdCode::all()[i].name())
}
