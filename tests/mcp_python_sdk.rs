//! The official MCP Python SDK against `porta serve`: mcp<2 `ClientSession`
//! and mcp>=2 `Client` in auto, legacy and 2026-07-28 modes, each listing
//! and calling tools, reading a resource, getting a prompt, calling while
//! another call runs, and cancelling a long call (tests/mcp-sdk.sh installs
//! the SDKs into venvs under target/ on first use).

use std::process::Command;

#[test]
fn official_python_sdk_clients() {
    let out = Command::new("sh")
        .args(["tests/mcp-sdk.sh", env!("CARGO_BIN_EXE_porta")])
        .output()
        .expect("sh runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "SDK clients failed:\n{stdout}\n{stderr}");
    for mode in ["session", "auto", "legacy", "2026-07-28"] {
        assert!(stdout.contains(&format!("ok {mode}: cancel stops the guest")), "{mode} did not finish:\n{stdout}");
    }
    assert!(!stdout.contains("FAIL"), "{stdout}");
}
