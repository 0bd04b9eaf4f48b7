//! The `porta.http` builtin tool: HTTP(S) requests to the hosts and ports
//! of `--allow-net`, offered only when the `net` capability is granted.
//! Redirects are followed by porta, not the client library, so every hop is
//! checked against the list; proxies from the environment are never used.

use crate::netlist::NetList;
use serde_json::{json, Map, Value};
use std::time::Duration;
use ureq::http::{Method, Request, Uri};

pub const NAME: &str = "porta.http";
const MAX_REDIRECTS: usize = 5;
/// Most bytes of a response body returned to the client.
const MAX_BODY: u64 = 1 << 20;

pub struct HttpTool {
    allow: NetList,
    agent: ureq::Agent,
}

impl HttpTool {
    /// `list` is `--allow-net` (see [`NetList`] for its forms).
    pub fn new(list: &[String], timeout: Option<Duration>) -> Result<HttpTool, String> {
        let allow = NetList::parse(list)?;
        let config = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .proxy(None)
            .timeout_global(Some(timeout.unwrap_or(Duration::from_secs(30))))
            .build();
        Ok(HttpTool { allow, agent: config.into() })
    }

    pub fn definition() -> Value {
        json!({
            "name": NAME,
            "description": "Make an HTTP(S) request to an allowed host; returns status, headers and body.",
            "inputSchema": {
                "type": "object",
                "properties": {
                    "url": { "type": "string", "description": "http:// or https:// URL" },
                    "method": { "type": "string", "enum": ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] },
                    "headers": { "type": "object", "additionalProperties": { "type": "string" } },
                    "body": { "type": "string" }
                },
                "required": ["url"]
            }
        })
    }

    /// Whether `uri` goes to an allowed host and port.
    fn allowed(&self, uri: &Uri) -> Result<(), String> {
        let scheme = uri.scheme_str().unwrap_or("");
        let default = match scheme {
            "http" => 80,
            "https" => 443,
            other => return Err(format!("scheme `{other}` is not allowed (http or https)")),
        };
        let host = uri.host().ok_or("the URL has no host")?.to_ascii_lowercase();
        let port = uri.port_u16().unwrap_or(default);
        if self.allow.allows(&host, port, default) {
            Ok(())
        } else {
            Err(format!("{host}:{port} is not in --allow-net"))
        }
    }

    /// Runs the request; the result is a tool result (errors included).
    pub fn call(&self, args: &Value) -> Value {
        match self.fetch(args) {
            Ok(v) => json!({ "content": [{ "type": "text", "text": v.to_string() }], "structuredContent": v, "isError": false }),
            Err(e) => json!({ "content": [{ "type": "text", "text": format!("porta.http: {e}") }], "isError": true }),
        }
    }

    fn fetch(&self, args: &Value) -> Result<Value, String> {
        let mut url = args["url"].as_str().ok_or("`url` must be a string")?.to_string();
        let method = args["method"].as_str().unwrap_or("GET").to_ascii_uppercase();
        let method = Method::from_bytes(method.as_bytes()).map_err(|_| format!("bad method `{method}`"))?;
        let body = args["body"].as_str().unwrap_or("").as_bytes().to_vec();
        for hop in 0..=MAX_REDIRECTS {
            let uri: Uri = url.parse().map_err(|e| format!("bad URL `{url}`: {e}"))?;
            self.allowed(&uri).map_err(|e| if hop == 0 { e } else { format!("redirect refused: {e}") })?;
            let mut request = Request::builder().method(method.clone()).uri(uri.clone());
            if let Some(headers) = args["headers"].as_object() {
                for (k, v) in headers {
                    request = request.header(k, v.as_str().ok_or(format!("header `{k}` must be a string"))?);
                }
            }
            let request = request.body(body.clone()).map_err(|e| e.to_string())?;
            let mut response = self.agent.run(request).map_err(|e| e.to_string())?;
            let status = response.status();
            if status.is_redirection() {
                if let Some(location) = response.headers().get("location").and_then(|l| l.to_str().ok()) {
                    url = resolve(&uri, location);
                    continue;
                }
            }
            let headers: Map<String, Value> = response
                .headers()
                .iter()
                .map(|(k, v)| (k.to_string(), json!(String::from_utf8_lossy(v.as_bytes()))))
                .collect();
            let bytes = response
                .body_mut()
                .with_config()
                .limit(MAX_BODY)
                .read_to_vec()
                .map_err(|e| format!("reading the body: {e}"))?;
            return Ok(json!({
                "status": status.as_u16(),
                "headers": headers,
                "body": String::from_utf8_lossy(&bytes),
                "url": url,
            }));
        }
        Err(format!("more than {MAX_REDIRECTS} redirects"))
    }
}

/// A redirect target relative to the URL that gave it.
fn resolve(base: &Uri, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    let origin = format!("{}://{}", base.scheme_str().unwrap_or("http"), base.authority().map_or("", |a| a.as_str()));
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    let path = base.path();
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    format!("{origin}{dir}{location}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allow_list_decides() {
        let t = HttpTool::new(&["api.example.com".into(), "localhost:8080".into()], None).unwrap();
        assert!(t.allowed(&"https://api.example.com/x".parse().unwrap()).is_ok());
        assert!(t.allowed(&"http://API.example.com/x".parse().unwrap()).is_ok());
        assert!(t.allowed(&"https://api.example.com:8443/".parse().unwrap()).is_err());
        assert!(t.allowed(&"http://localhost:8080/".parse().unwrap()).is_ok());
        assert!(t.allowed(&"http://localhost/".parse().unwrap()).is_err());
        assert!(t.allowed(&"ftp://api.example.com/".parse().unwrap()).is_err());
        assert!(HttpTool::new(&["host:port".into()], None).is_err());
        let any = HttpTool::new(&["*:443".into()], None).unwrap();
        assert!(any.allowed(&"https://anything.example/".parse().unwrap()).is_ok());
        assert!(any.allowed(&"http://anything.example/".parse().unwrap()).is_err());
    }

    #[test]
    fn redirects_resolve_against_their_base() {
        let base: Uri = "http://a.test:81/dir/page?q=1".parse().unwrap();
        assert_eq!(resolve(&base, "/root"), "http://a.test:81/root");
        assert_eq!(resolve(&base, "next"), "http://a.test:81/dir/next");
        assert_eq!(resolve(&base, "https://b.test/"), "https://b.test/");
    }
}
