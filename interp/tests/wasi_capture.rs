//! Captured stdout: what fits the cap is kept, and a write past it fails
//! (EFBIG to the guest) and is reported to the embedder, never silently cut.

use porta_interp::wasi::{self, Capabilities, WasiCtx};
use porta_interp::{Engine, Linker, Module, Store, Val};

const WRITER: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "0123456789")
  ;; Writes the 10 bytes at 100 to stdout; returns the errno.
  (func (export "write10") (result i32)
    (i32.store (i32.const 0) (i32.const 100))
    (i32.store (i32.const 4) (i32.const 10))
    (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))"#;

#[test]
fn a_capture_keeps_what_fits_and_reports_the_rest() {
    let engine = Engine::default();
    let module = Module::new(&engine, &wat::parse_str(WRITER).unwrap()).unwrap();
    let (builder, captured) = WasiCtx::builder().capabilities(Capabilities::IO).capture_stdout(25);
    let mut store = Store::new(&engine, builder.build());
    let mut linker = Linker::new();
    wasi::add_to_linker(&mut linker);
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let write = instance.get_func(&store, "write10").unwrap();
    let mut errno = [Val::I32(-1)];
    for _ in 0..2 {
        write.call(&mut store, &[], &mut errno).unwrap();
        assert_eq!(errno[0], Val::I32(0));
    }
    assert!(!captured.overflowed());
    write.call(&mut store, &[], &mut errno).unwrap();
    assert_eq!(errno[0], Val::I32(wasi::Errno::FBIG.0 as i32), "the third write passes the cap of 25");
    assert!(captured.overflowed());
    assert_eq!(captured.contents(), b"01234567890123456789");
}
