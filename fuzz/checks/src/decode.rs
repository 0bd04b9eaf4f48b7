//! `decode`: arbitrary bytes through our decoder. It never panics, and a
//! module wasmparser's validator accepts, our decoder accepts too.

pub fn check(bytes: &[u8]) {
    let ours = porta_interp::decode::decode(bytes);
    if crate::generate::valid(bytes) {
        assert!(ours.is_ok(), "the validator accepts a module our decoder rejects: {:?}", ours.err());
    }
}
