//! `Config::features` holds modules to an older version of the spec: what
//! 3.0 allows and 2.0 forbids is refused under `WASM2` with the message the
//! 2.0 spec tests expect, and asking for a feature the engine lacks (GC)
//! enables nothing.

use porta_interp::{features, Config, Engine, Error, Module};
use wasmparser::WasmFeatures;

fn compile(features: WasmFeatures, bytes: &[u8]) -> Result<Module, Error> {
    Module::new(&Engine::new(Config { features, ..Default::default() }), bytes)
}

fn message(r: Result<Module, Error>) -> String {
    r.expect_err("refused").to_string()
}

#[test]
fn two_memories_need_multi_memory() {
    let two = wat::parse_str("(module (memory 1) (memory 1))").unwrap();
    assert!(compile(features(), &two).is_ok());
    assert!(message(compile(WasmFeatures::WASM2, &two)).contains("multiple memories"));
}

#[test]
fn the_byte_after_memory_size_is_a_zero_byte_in_2_0() {
    // (func (result i32) memory.size) with the index 0 written in two bytes.
    let mut m = wat::parse_str("(module (memory 1) (func (result i32) (memory.size)))").unwrap();
    let at = m.windows(2).position(|w| w == [0x3f, 0x00]).expect("memory.size 0") + 1;
    m.splice(at..at + 1, [0x80, 0x00]);
    // The code section and the body grew by one byte.
    let body = at - 3;
    m[body] += 1;
    m[body - 2] += 1;
    assert!(compile(features(), &m).is_ok(), "3.0: a memory index of any LEB128 length");
    assert!(message(compile(WasmFeatures::WASM2, &m)).contains("zero byte expected"));
}

#[test]
fn a_64_bit_offset_needs_memory64() {
    let m = wat::parse_str("(module (memory i64 1) (func (drop (i32.load offset=0x100000000 (i64.const 0)))))").unwrap();
    assert!(compile(features(), &m).is_ok());
    assert!(compile(WasmFeatures::WASM2, &m).is_err());
}

#[test]
fn asking_for_gc_does_not_enable_it() {
    let gc = wat::parse_str("(module (type (struct (field i32))))").unwrap();
    assert!(compile(WasmFeatures::all(), &gc).is_err());
}
