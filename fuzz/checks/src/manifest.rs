//! `manifest`: arbitrary text through the manifest parser. It never
//! panics; a rejection is one line that names the field at fault or, for
//! text that is not JSON, the line and column; an accepted manifest writes
//! out and reads back as itself.

use porta::manifest::Manifest;

pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Manifest::parse(text) {
        Ok(m) => {
            let again = Manifest::parse(&m.to_json()).expect("a manifest porta wrote reads back");
            assert_eq!(again, m, "a manifest changed through writing and reading");
        }
        Err(e) => {
            assert!(!e.is_empty() && !e.contains('\n'), "not a one-line error: {e:?}");
            let json = serde_json::from_str::<serde_json::Value>(text).is_ok();
            if json {
                // "field `x`", "missing field `x`", or the whole text is
                // of the wrong type.
                assert!(e.contains("field `") || e.starts_with("a manifest is a JSON object"), "an error that names no field: {e}");
            } else {
                assert!(e.contains("(line ") || e.contains(" at line "), "a JSON error without its position: {e}");
            }
        }
    }
}
