//! The macOS Seatbelt profile of each native policy, against golden files
//! in `tests/native/seatbelt/` (the profile cannot run here, so its text is
//! what is tested). `PORTA_UPDATE_GOLDEN=1 cargo test --test native_seatbelt`
//! rewrites them; review the diff.

use porta::native::policy::{Net, Policy};
use porta::native::seatbelt::{profile, quote};
use std::path::{Path, PathBuf};

fn policy() -> Policy {
    Policy {
        program: "/usr/bin/python3".into(),
        argv0: "python3".into(),
        args: vec![],
        env: vec![],
        writable: vec!["/private/var/folders/xy/T/porta-native-1-2".into(), "/Users/ann/project".into()],
        read_only: vec!["/Users/ann/data".into()],
        blocked: ["/Users/ann/.ssh", "/Users/ann/.aws", "/Users/ann/.docker/config.json"].iter().map(PathBuf::from).collect(),
        strict: false,
        net: Net::Open,
        abi: 0,
        parent: 1,
        quiet: false,
        test_no_namespaces: false,
    }
}

fn golden(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/native/seatbelt").join(format!("{name}.sb"));
    if std::env::var_os("PORTA_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, text).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} missing: run with PORTA_UPDATE_GOLDEN=1", path.display()));
    assert_eq!(text, want, "{name}: the profile changed; if on purpose, PORTA_UPDATE_GOLDEN=1 and review");
}

#[test]
fn default_policy() {
    golden("default", &profile(&policy()).unwrap());
}

#[test]
fn strict_policy() {
    golden("strict", &profile(&Policy { strict: true, ..policy() }).unwrap());
}

#[test]
fn port_rule() {
    golden("ports", &profile(&Policy { net: Net::TcpPorts(vec![443, 53]), ..policy() }).unwrap());
}

#[test]
fn no_network() {
    golden("no-net", &profile(&Policy { net: Net::None, ..policy() }).unwrap());
}

#[test]
fn every_rule_kind_is_where_it_belongs() {
    let text = profile(&policy()).unwrap();
    let deny = text.find("(deny file-read*").unwrap();
    assert!(text.find("(allow file-read*)").unwrap() < deny, "a deny must follow the allow it narrows");
    assert!(text.starts_with("(version 1)\n(deny default)\n"));
    assert!(!text.contains("network-outbound"), "open network by default");
}

#[test]
fn paths_are_escaped_or_refused() {
    assert_eq!(quote(Path::new(r#"/tmp/a "b" \c"#)).unwrap(), r#""/tmp/a \"b\" \\c""#);
    let sneaky = Policy { writable: vec![PathBuf::from("/tmp/x\")\n(allow file-write* (subpath \"/")], ..policy() };
    let e = profile(&sneaky).unwrap_err();
    assert!(e.contains("control character"), "{e}");
    // A quote alone cannot close the string.
    let quoted = Policy { writable: vec![PathBuf::from("/tmp/x\") (allow file-write* (subpath \"/")], ..policy() };
    let text = profile(&quoted).unwrap();
    assert!(text.contains(r#"(subpath "/tmp/x\") (allow file-write* (subpath \"/")"#), "{text}");
    assert_eq!(text.lines().filter(|l| l.starts_with("(allow file-write*")).count(), 1, "{text}");
}
