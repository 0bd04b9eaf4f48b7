//! Bounds checks of scalar loads and stores at the edges: an access that
//! ends on the last byte of memory runs, one a byte further traps, and so
//! do offsets near 4 GiB, whose sum with the address or the access's size
//! must not wrap in the check. A store that traps writes nothing.

use porta_interp::{Engine, Error, Linker, Memory, Module, Store, Trap, TrapCode, Val};

/// (instruction, bytes it accesses, whether it stores).
const ACCESSES: &[(&str, u32, bool)] = &[
    ("i32.load8_u", 1, false),
    ("i32.load16_s", 2, false),
    ("i32.load", 4, false),
    ("i64.load", 8, false),
    ("f32.load", 4, false),
    ("f64.load", 8, false),
    ("i64.load32_u", 4, false),
    ("i32.store8", 1, true),
    ("i32.store16", 2, true),
    ("i32.store", 4, true),
    ("i64.store", 8, true),
    ("i64.store32", 4, true),
];

/// One function per access and offset, `(param addr)`: a load's value is
/// dropped; a store writes a non-zero constant (of the form with an
/// immediate when the value is an i32 constant).
fn module(offsets: &[u64]) -> String {
    let mut funcs = String::new();
    for (i, (op, _, store)) in ACCESSES.iter().enumerate() {
        for (j, offset) in offsets.iter().enumerate() {
            let ty = op.split('.').next().expect("a type");
            let body = match store {
                true => format!("(local.get 0) ({ty}.const -1) ({op} offset={offset})"),
                false => format!("(local.get 0) ({op} offset={offset}) drop"),
            };
            funcs += &format!("(func (export \"f{i}_{j}\") (param i32) {body})\n");
        }
    }
    format!("(module (memory (export \"mem\") 1) {funcs})")
}

#[test]
fn accesses_run_to_the_last_byte_and_trap_past_it() {
    const PAGE: u64 = 65536;
    let offsets = [0, 100, PAGE - 16, u32::MAX as u64 - 8, u32::MAX as u64 - 1, u32::MAX as u64];
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(module(&offsets)).expect("assembles")).expect("valid");
    let mut store = Store::new(&engine, ());
    let instance = Linker::new().instantiate(&mut store, &module).expect("instantiates");
    let mem: Memory = instance.get_memory(&store, "mem").expect("memory");
    for (i, &(op, size, is_store)) in ACCESSES.iter().enumerate() {
        for (j, &offset) in offsets.iter().enumerate() {
            let f = instance.get_func(&store, &format!("f{i}_{j}")).expect("export");
            // Addresses around the last one at which the access fits.
            let last_fit = (PAGE - size as u64).checked_sub(offset);
            let candidates = [0, 1, 7, 8, PAGE - 9, PAGE - 8, PAGE - 4, PAGE - 1, PAGE, u32::MAX as u64 - 3, u32::MAX as u64];
            for addr in candidates.into_iter().chain(last_fit).chain(last_fit.map(|a| a + 1)) {
                let fits = addr + offset + size as u64 <= PAGE;
                let before = mem.data(&store).to_vec();
                let result = f.call(&mut store, &[Val::I32(addr as u32 as i32)], &mut []);
                let what = format!("{op} offset={offset} at {addr}");
                match result {
                    Ok(()) => assert!(fits, "{what}: ran past the end of memory"),
                    Err(Error::Trap(Trap::Code(TrapCode::MemoryOutOfBounds))) => {
                        assert!(!fits, "{what}: trapped inside memory");
                        assert!(mem.data(&store) == &before[..], "{what}: a trapping store wrote");
                    }
                    Err(e) => panic!("{what}: {e}"),
                }
                if fits && is_store {
                    let at = (addr + offset) as usize;
                    assert!(mem.data(&store)[at..at + size as usize].iter().all(|&b| b == 0xff), "{what}: not written");
                    mem.data_mut(&mut store)[at..at + size as usize].fill(0);
                }
            }
        }
    }
}
