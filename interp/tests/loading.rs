//! Loading a module: our decoder reads the sections, the validator every
//! function body (a large module's on two threads), and a module that fails
//! either gets our decoder's error when it has one, else the validator's
//! first error in the bytes.

use porta_interp::{Engine, Error, Module};
use wasm_encoder::{CodeSection, Function, FunctionSection, Instruction as I, Module as Encoder, TypeSection, ValType};

/// A module of `count` functions `() -> i32`, each about `size` bytes of
/// valid code, with the raw bytes of `bodies[i]` (instructions, without the
/// final `end`) in place of function `i`'s where given.
fn module(count: u32, size: usize, bodies: &[(u32, &[u8])]) -> Vec<u8> {
    let mut types = TypeSection::new();
    types.ty().function([], [ValType::I32]);
    let mut funcs = FunctionSection::new();
    let mut code = CodeSection::new();
    for i in 0..count {
        funcs.function(0);
        let mut f = Function::new([]);
        match bodies.iter().find(|(at, _)| *at == i) {
            Some((_, raw)) => {
                f.raw(raw.iter().copied());
            }
            None => {
                for _ in 0..size / 3 {
                    f.instruction(&I::I32Const(1)).instruction(&I::Drop);
                }
                f.instruction(&I::I32Const(i as i32));
            }
        }
        f.instruction(&I::End);
        code.function(&f);
    }
    let mut m = Encoder::new();
    m.section(&types).section(&funcs).section(&code);
    m.finish()
}

fn load(bytes: &[u8]) -> Result<Module, Error> {
    Module::new(&Engine::default(), bytes)
}

/// `i64.const 0`, where the function returns an i32.
const WRONG_TYPE: &[u8] = &[0x42, 0x00];
/// `local.get 7` in a function without locals.
const NO_LOCAL: &[u8] = &[0x20, 0x07];
/// An opcode that does not exist.
const NO_OPCODE: &[u8] = &[0x41, 0x00, 0xd7];

#[test]
fn a_large_module_loads_and_runs() {
    let bytes = module(2000, 600, &[]);
    assert!(bytes.len() > 1 << 20, "large enough to be validated on two threads");
    let m = load(&bytes).expect("valid");
    assert_eq!(m.exports().count(), 0);
}

#[test]
fn an_invalid_body_is_found_in_either_half_of_a_large_module() {
    for at in [0, 999, 1000, 1999] {
        let err = load(&module(2000, 600, &[(at, WRONG_TYPE)])).expect_err("invalid");
        assert!(matches!(&err, Error::Invalid(m) if m.contains("type mismatch")), "function {at}: {err}");
    }
}

#[test]
fn the_first_error_in_the_bytes_is_the_one_reported() {
    for size in [10, 600] {
        let err = load(&module(2000, size, &[(3, NO_LOCAL), (1990, WRONG_TYPE)])).expect_err("invalid");
        assert!(matches!(&err, Error::Invalid(m) if m.contains("unknown local")), "{size}: {err}");
        let err = load(&module(2000, size, &[(3, WRONG_TYPE), (1990, NO_LOCAL)])).expect_err("invalid");
        assert!(matches!(&err, Error::Invalid(m) if m.contains("type mismatch")), "{size}: {err}");
    }
}

#[test]
fn a_malformed_body_gets_our_decoders_error() {
    for (count, size) in [(3, 10), (2000, 600)] {
        let err = load(&module(count, size, &[(count - 1, NO_OPCODE)])).expect_err("malformed");
        assert!(matches!(&err, Error::Decode(_)), "{count} functions: {err}");
        // Even after an invalid body: the decoder's error comes first.
        let err = load(&module(count, size, &[(0, WRONG_TYPE), (count - 1, NO_OPCODE)])).expect_err("malformed");
        assert!(matches!(&err, Error::Decode(_)), "{count} functions: {err}");
    }
}

#[test]
fn data_drop_without_a_data_count_is_our_decoders_error() {
    // data.drop 0 (0xfc 9 0), then an i32 result.
    let err = load(&module(1, 0, &[(0, &[0xfc, 0x09, 0x00, 0x41, 0x00])])).expect_err("malformed");
    assert!(err.to_string().contains("data count section required"), "{err}");
}
