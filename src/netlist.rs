//! The `--allow-net` list: where a guest's network traffic may go. One
//! parser for `run` and `serve`, so an entry that `serve` refuses is refused
//! by `run` too, and one matcher for whoever makes a connection
//! (`porta.http` today).
//!
//! Forms: `HOST` (the scheme's default port: 80 for http, 443 for https),
//! `HOST:PORT`, `HOST:*` (any port), and `*` for any host in any of them
//! (`*:443`, `*`, `*:*`). HOST is a name, an IPv4 address or a bracketed
//! IPv6 address (`[::1]:8080`); names compare case-insensitively.

/// What a malformed entry is told, after the entry itself.
const FORMS: &str = "expected HOST, HOST:PORT, HOST:*, *:PORT or * (PORT 1-65535; * is any host or port)";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Host {
    Any,
    /// Lower case; IPv6 addresses keep their brackets, as URLs write them.
    Named(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Port {
    /// No port given: the default port of the scheme in use.
    Default,
    Any,
    Exactly(u16),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    host: Host,
    port: Port,
}

/// A parsed `--allow-net` list; empty allows nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetList {
    entries: Vec<Entry>,
}

impl NetList {
    /// Parses every entry; the error names the first malformed one and
    /// shows the accepted forms.
    pub fn parse(list: &[String]) -> Result<NetList, String> {
        let entries = list
            .iter()
            .map(|e| parse_entry(e).ok_or_else(|| format!("bad --allow-net `{e}`: {FORMS}")))
            .collect::<Result<_, _>>()?;
        Ok(NetList { entries })
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// For a native command, where the kernel checks TCP ports only: the
    /// ports the list allows (`None`: any port), and the hosts named in it,
    /// which cannot be enforced. An entry without a port has no scheme to
    /// take a default from, so it is refused.
    pub fn native_ports(&self) -> Result<(Option<Vec<u16>>, Vec<String>), String> {
        let mut ports = Some(Vec::new());
        let mut hosts = Vec::new();
        for e in &self.entries {
            if let Host::Named(h) = &e.host {
                hosts.push(h.clone());
            }
            match e.port {
                Port::Default => {
                    let host = match &e.host {
                        Host::Any => "*",
                        Host::Named(h) => h.as_str(),
                    };
                    return Err(format!(
                        "bad --allow-net `{host}` for a native command: give the port (`{host}:443`), there is no scheme to take a default from"
                    ));
                }
                Port::Any => ports = None,
                Port::Exactly(p) => {
                    if let Some(list) = ports.as_mut() {
                        if !list.contains(&p) {
                            list.push(p);
                        }
                    }
                }
            }
        }
        Ok((ports, hosts))
    }

    /// Whether a connection to `host:port` may go ahead; `default_port` is
    /// the port of the scheme in use, which entries without a port allow.
    pub fn allows(&self, host: &str, port: u16, default_port: u16) -> bool {
        let host = host.to_ascii_lowercase();
        self.entries.iter().any(|e| {
            let host_ok = match &e.host {
                Host::Any => true,
                Host::Named(h) => *h == host,
            };
            let port_ok = match e.port {
                Port::Default => port == default_port,
                Port::Any => true,
                Port::Exactly(p) => p == port,
            };
            host_ok && port_ok
        })
    }
}

fn parse_entry(entry: &str) -> Option<Entry> {
    let (host, port) = split_host_port(entry)?;
    let port = match port {
        None => Port::Default,
        Some("*") => Port::Any,
        Some(p) => Port::Exactly(p.parse::<u16>().ok().filter(|&p| p != 0)?),
    };
    let host = match host {
        "*" => Host::Any,
        h if is_host(h) => Host::Named(h.to_ascii_lowercase()),
        _ => return None,
    };
    Some(Entry { host, port })
}

/// `HOST[:PORT]`, where a bracketed IPv6 host keeps its colons.
fn split_host_port(entry: &str) -> Option<(&str, Option<&str>)> {
    if entry.starts_with('[') {
        let close = entry.find(']')?;
        let (host, rest) = entry.split_at(close + 1);
        return match rest {
            "" => Some((host, None)),
            _ => Some((host, Some(rest.strip_prefix(':')?))),
        };
    }
    Some(match entry.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (entry, None),
    })
}

/// A DNS name or IPv4 address (letters, digits, `-`, `.`, `_`), or an IPv6
/// address in brackets. Anything else (a URL, a path, a wildcard inside a
/// name) would never match what it looks like, so it is refused.
fn is_host(h: &str) -> bool {
    if let Some(inner) = h.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.parse::<std::net::Ipv6Addr>().is_ok();
    }
    !h.is_empty() && h.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(entries: &[&str]) -> NetList {
        NetList::parse(&entries.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn every_form_matches_what_it_says() {
        let l = list(&["api.example.com", "localhost:8080"]);
        assert!(l.allows("api.example.com", 443, 443));
        assert!(l.allows("API.example.com", 80, 80));
        assert!(!l.allows("api.example.com", 8443, 443));
        assert!(l.allows("localhost", 8080, 80));
        assert!(!l.allows("localhost", 80, 80));

        let any_host = list(&["*:443"]);
        assert!(any_host.allows("anything.test", 443, 443));
        assert!(any_host.allows("10.0.0.1", 443, 80));
        assert!(!any_host.allows("anything.test", 80, 80));

        let any_port = list(&["db.internal:*"]);
        assert!(any_port.allows("db.internal", 5432, 80));
        assert!(!any_port.allows("other.internal", 5432, 80));

        let star = list(&["*"]);
        assert!(star.allows("a.test", 80, 80) && star.allows("b.test", 443, 443));
        assert!(!star.allows("a.test", 8080, 80), "* alone is any host on the default port");
        assert!(list(&["*:*"]).allows("a.test", 1, 80));

        let v6 = list(&["[::1]:8080", "[2001:db8::1]"]);
        assert!(v6.allows("[::1]", 8080, 80));
        assert!(v6.allows("[2001:db8::1]", 443, 443));
        assert!(NetList::default().is_empty() && !NetList::default().allows("a", 80, 80));
    }

    #[test]
    fn malformed_entries_show_the_accepted_forms() {
        for bad in ["", ":443", "host:", "host:port", "host:0", "host:65536", "https://x.test", "a/b", "*.example.com",
            "::1", "[::1", "[::1]8080", "[nothost]:80", "a b"]
        {
            let e = NetList::parse(&[bad.to_string()]).unwrap_err();
            assert!(e.starts_with(&format!("bad --allow-net `{bad}`")), "{e}");
            assert!(e.contains("HOST:PORT") && e.contains("*:PORT"), "{e}");
        }
    }
}
