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

/// The effective set (SPEC §3): `--profile` if given, else the manifest's
/// capabilities if there is a manifest, else the default profile; plus what
/// `--allow` lists and what other flags imply.
pub fn effective(
    profile: Option<&str>,
    manifest: Option<&crate::manifest::Manifest>,
    allow: &[String],
    implied: Capabilities,
) -> Result<Capabilities, String> {
    let mut caps = match (profile, manifest) {
        (Some(p), _) => named(p)?,
        (None, Some(m)) => Capabilities::parse_list(&m.capabilities.join(","))?,
        (None, None) => named(DEFAULT)?,
    };
    for list in allow {
        caps |= Capabilities::parse_list(list)?;
    }
    Ok(caps | implied)
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
