//! Capability profiles (SPEC §3) and how the effective set is computed from
//! a profile, the manifest and the flags that imply capabilities.

use porta_interp::wasi::Capabilities;

type Profile = (&'static str, fn() -> Capabilities);

/// The named profiles.
const PROFILES: [Profile; 3] = [
    ("ai-agent", || Capabilities::IO | Capabilities::PROCESS),
    ("worker", || Capabilities::IO | Capabilities::PROCESS | Capabilities::CLOCK | Capabilities::RANDOM),
    ("full", Capabilities::all),
];

pub const DEFAULT: &str = "ai-agent";

pub fn named(name: &str) -> Result<Capabilities, String> {
    PROFILES.iter().find(|(n, _)| *n == name).map(|(_, caps)| caps()).ok_or_else(|| {
        let names: Vec<&str> = PROFILES.iter().map(|(n, _)| *n).collect();
        format!("unknown profile `{name}` (valid: {})", names.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_grant_what_the_spec_says() {
        assert_eq!(named("ai-agent").unwrap().to_string(), "io,process");
        assert_eq!(named("worker").unwrap().to_string(), "io,process,clock,random");
        assert_eq!(named("full").unwrap(), Capabilities::all());
        let err = named("admin").unwrap_err();
        assert!(err.contains("ai-agent, worker, full"), "{err}");
    }
}
