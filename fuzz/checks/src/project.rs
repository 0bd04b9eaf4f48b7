//! `project`: arbitrary text through the `porta.toml` parser never panics,
//! and a rejection is one line that starts with `:LINE` (or `: ` when toml
//! gives no position). The same bytes, split at NUL into a target and its
//! arguments, go through the file `porta init` writes: it parses back to
//! exactly that target and those arguments, for both kinds.

use porta::project::{self, Kind};

pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(e) = project::parse(text) {
        assert!(!e.contains('\n'), "not a one-line error: {e:?}");
        let line = e.strip_prefix(':').map(|r| r.split(|c: char| !c.is_ascii_digit()).next().unwrap_or(""));
        assert!(line.is_some_and(|l| !l.is_empty()) || e.starts_with(": "), "an error without its line: {e:?}");
    }
    let mut parts = text.split('\0');
    let target = parts.next().unwrap_or_default();
    let args: Vec<String> = parts.map(str::to_string).collect();
    for kind in [Kind::Wasm, Kind::Native] {
        let written = project::template(kind, target, &args);
        let p = project::parse(&written).unwrap_or_else(|e| panic!("init's file does not parse: {e}\n{written}"));
        assert_eq!(p.kind(), kind);
        let got = if kind == Kind::Wasm { &p.runtime.wasm } else { &p.runtime.command };
        assert_eq!((got.as_deref(), &p.runtime.args), (Some(target), &args), "{written}");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn random_text_and_targets_hold() {
        for input in crate::random_inputs(300, 64) {
            super::check(&input);
        }
        super::check(b"odd \"target\"\\\0arg\n1\0\0\x7f");
    }
}
