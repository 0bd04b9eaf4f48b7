//! `translate`: wasm-smith modules through validation and eager
//! translation of every function: no panic, and a module the validator
//! accepts always compiles.

use arbitrary::Unstructured;

pub fn check(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(bytes) = crate::generate::any(&mut u) else { return };
    let config = porta_interp::Config { eager_translation: true, ..Default::default() };
    let engine = porta_interp::Engine::new(config);
    if let Err(e) = porta_interp::Module::new(&engine, &bytes) {
        assert!(!crate::generate::valid(&bytes), "a valid module failed to compile: {e}");
    }
}
