//! The MCP server: JSON-RPC 2.0 dispatch for both protocol eras (the
//! `initialize` handshake up to 2025-11-25, and the stateless 2026-07-28 with
//! `server/discover` and per-request `_meta`), tools/resources/prompts backed
//! by the agent, concurrent guest calls with cancellation and progress.
//! Quick methods are answered on the reading thread; guest calls go to the
//! call table (`calls.rs`), so a long call never blocks `ping`, a cancel or
//! another call.

use super::agent::{self, Outcome};
use super::calls::{self, Calls, Control, Refused};
use super::catalog::{check_object, Catalog};
use super::transport::{Framing, Writer};
use crate::sandbox::Sandbox;
use porta_interp::wasi::WasiCtx;
use porta_interp::Linker;
use serde_json::{json, Map, Value};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub const LEGACY_VERSIONS: [&str; 4] = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];
pub const MODERN_VERSION: &str = "2026-07-28";

const PARSE_ERROR: i64 = -32700;
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const INTERNAL_ERROR: i64 = -32603;
/// JSON-RPC's implementation-defined server error: retry later.
const SERVER_BUSY: i64 = -32000;
const RESOURCE_NOT_FOUND_LEGACY: i64 = -32002;
const UNSUPPORTED_VERSION: i64 = -32022;

const META_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
const META_CAPS: &str = "io.modelcontextprotocol/clientCapabilities";
const META_SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";
const META_SUBSCRIPTION: &str = "io.modelcontextprotocol/subscriptionId";

pub struct Server {
    sandbox: Sandbox,
    linker: Linker<WasiCtx>,
    catalog: Catalog,
    writer: Writer,
    /// Guest calls accepted and not yet answered.
    calls: Arc<Calls>,
    page_size: usize,
    audit: Option<Mutex<std::fs::File>>,
    http: Option<super::http::HttpTool>,
    exec: Option<crate::native::exec::ExecTool>,
    prewarm: Option<super::prewarm::Prewarm>,
}

/// How the server runs, from the command line.
pub struct Options {
    pub page_size: usize,
    pub max_concurrent: u32,
    pub max_queue: u32,
    pub audit: Option<std::fs::File>,
    pub http: Option<super::http::HttpTool>,
    pub exec: Option<crate::native::exec::ExecTool>,
    pub prewarm: Option<super::prewarm::Prewarm>,
}

/// Which protocol era a request speaks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Era {
    Legacy,
    Modern,
}

/// A request being answered: where replies go and how to shape them.
#[derive(Clone)]
struct Ctx {
    id: Value,
    framing: Framing,
    era: Era,
}

/// A JSON-RPC error.
struct RpcError {
    code: i64,
    message: String,
    data: Option<Value>,
}

fn err(code: i64, message: impl Into<String>) -> RpcError {
    RpcError { code, message: message.into(), data: None }
}

type Reply = Result<Value, RpcError>;

impl Server {
    pub fn new(sandbox: Sandbox, linker: Linker<WasiCtx>, catalog: Catalog, writer: Writer, options: Options) -> Result<Self, String> {
        let calls = Calls::start(options.max_concurrent as usize, options.max_queue as usize, sandbox.timeout)
            .map_err(|e| format!("cannot start the watchdog thread: {e}"))?;
        Ok(Server {
            sandbox,
            linker,
            catalog,
            writer,
            calls,
            page_size: options.page_size,
            audit: options.audit.map(Mutex::new),
            http: options.http,
            exec: options.exec,
            prewarm: options.prewarm,
        })
    }

    /// Handles one incoming message (already split from the stream).
    pub fn handle(self: &Arc<Self>, bytes: &[u8], framing: Framing) {
        let msg: Value = match serde_json::from_slice(bytes) {
            Ok(v) => v,
            Err(e) => return self.error_reply(Value::Null, framing, err(PARSE_ERROR, format!("Parse error: {e}"))),
        };
        let Value::Object(obj) = &msg else {
            let what = if msg.is_array() { "batches are not supported" } else { "a message must be a JSON object" };
            return self.error_reply(Value::Null, framing, err(INVALID_REQUEST, format!("Invalid request: {what}")));
        };
        let id = obj.get("id").cloned();
        let valid_id = match &id {
            None => true,
            Some(v) => v.is_string() || v.is_i64() || v.is_u64(),
        };
        if obj.get("jsonrpc").and_then(Value::as_str) != Some("2.0") || !valid_id {
            let id = id.filter(|_| valid_id).unwrap_or(Value::Null);
            return self.error_reply(id, framing, err(INVALID_REQUEST, "Invalid request: not JSON-RPC 2.0"));
        }
        let Some(method) = obj.get("method").and_then(Value::as_str) else {
            // A response to a request porta never sends, or garbage.
            if obj.contains_key("result") || obj.contains_key("error") {
                return;
            }
            let id = id.unwrap_or(Value::Null);
            return self.error_reply(id, framing, err(INVALID_REQUEST, "Invalid request: no method"));
        };
        let params = obj.get("params").cloned().unwrap_or(Value::Object(Map::new()));
        let Some(id) = id else {
            return self.notification(method, &params);
        };
        if !params.is_object() {
            return self.error_reply(id, framing, err(INVALID_PARAMS, "Invalid params: must be an object"));
        }
        let meta = params.get("_meta");
        let era = if meta.and_then(|m| m.get(META_VERSION)).is_some() { Era::Modern } else { Era::Legacy };
        let ctx = Ctx { id, framing, era };
        if era == Era::Modern {
            if let Err(e) = check_modern_meta(meta) {
                return self.reply(&ctx, Err(e));
            }
        }
        match method {
            "tools/call" | "resources/read" | "prompts/get" => self.submit_call(ctx, method.to_string(), params, bytes.len()),
            "subscriptions/listen" if era == Era::Modern => self.listen(&ctx, &params),
            _ => {
                let reply = self.quick(&ctx, method, &params);
                self.reply(&ctx, reply);
            }
        }
    }

    /// A message past the size limit was skipped unread.
    pub fn too_large(&self, framing: Framing) {
        let limit = super::transport::MAX_MESSAGE;
        self.error_reply(Value::Null, framing, err(INVALID_REQUEST, format!("Invalid request: larger than {limit} bytes")));
    }

    /// A `Content-Length` header porta could not read: the client hears
    /// of it, not only the log.
    pub fn bad_framing(&self, why: &str) {
        eprintln!("[porta] unreadable message: {why}");
        self.error_reply(Value::Null, Framing::ContentLength, err(PARSE_ERROR, format!("Parse error: {why}")));
    }

    /// Methods answered at once, on the reading thread.
    fn quick(&self, ctx: &Ctx, method: &str, params: &Value) -> Reply {
        match (method, ctx.era) {
            ("initialize", _) => Ok(self.initialize(params)),
            // 2026-07-28 removed ping, but clients still send it to check
            // the server is alive: an answer costs nothing.
            ("ping", _) => Ok(json!({})),
            ("server/discover", _) => Ok(json!({
                "supportedVersions": [MODERN_VERSION],
                "capabilities": self.capabilities(),
                "instructions": self.catalog.description,
            })),
            ("tools/list", _) => self.page(params, "tools", &self.catalog.tools),
            ("resources/list", _) => self.page(params, "resources", &self.catalog.resources),
            ("resources/templates/list", _) => Ok(json!({ "resourceTemplates": [] })),
            ("prompts/list", _) => self.page(params, "prompts", &self.catalog.prompts),
            _ => Err(err(METHOD_NOT_FOUND, format!("Method not found: {method}"))),
        }
    }

    fn capabilities(&self) -> Value {
        json!({
            "tools": { "listChanged": false },
            "resources": { "listChanged": false, "subscribe": false },
            "prompts": { "listChanged": false },
        })
    }

    fn initialize(&self, params: &Value) -> Value {
        let asked = params.get("protocolVersion").and_then(Value::as_str).unwrap_or("");
        let version = if LEGACY_VERSIONS.contains(&asked) { asked } else { LEGACY_VERSIONS[LEGACY_VERSIONS.len() - 1] };
        let mut result = json!({
            "protocolVersion": version,
            "capabilities": self.capabilities(),
            "serverInfo": server_info(),
        });
        if !self.catalog.description.is_empty() {
            result["instructions"] = json!(self.catalog.description);
        }
        result
    }

    /// One page of a list, with an opaque cursor (an offset).
    fn page(&self, params: &Value, key: &str, items: &[Value]) -> Reply {
        let start = match params.get("cursor") {
            None | Some(Value::Null) => 0,
            Some(Value::String(c)) => c
                .strip_prefix("offset:")
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|&n| n <= items.len())
                .ok_or_else(|| err(INVALID_PARAMS, format!("Invalid params: unknown cursor `{c}`")))?,
            Some(_) => return Err(err(INVALID_PARAMS, "Invalid params: cursor must be a string")),
        };
        let end = (start + self.page_size).min(items.len());
        let mut result = json!({ key: &items[start..end] });
        if end < items.len() {
            result["nextCursor"] = json!(format!("offset:{end}"));
        }
        Ok(result)
    }

    fn notification(&self, method: &str, params: &Value) {
        if method == "notifications/cancelled" {
            if let Some(id) = params.get("requestId") {
                self.calls.cancel(&calls::key(id));
            }
        }
        // Every other notification (initialized, roots changes...) needs
        // nothing from porta, and notifications never get a reply.
    }

    /// `subscriptions/listen`: acknowledge and keep the stream open. The
    /// agent's lists never change, so nothing else is ever sent on it.
    fn listen(&self, ctx: &Ctx, params: &Value) {
        let wanted = params.get("notifications").cloned().unwrap_or(json!({}));
        let ack = json!({
            "jsonrpc": "2.0",
            "method": "notifications/subscriptions/acknowledged",
            "params": {
                "_meta": { META_SUBSCRIPTION: ctx.id },
                "notifications": wanted,
            },
        });
        self.writer.send(&ack, ctx.framing);
    }

    /// Queues a guest call (`size`: its message's bytes); it replies when it
    /// has run. A call the queue cannot take is answered at once.
    fn submit_call(self: &Arc<Self>, ctx: Ctx, method: String, params: Value, size: usize) {
        let token = params.get("_meta").and_then(|m| m.get("progressToken")).cloned();
        let progress = token.map(|t| self.progress_sender(ctx.framing, t));
        let server = self.clone();
        let call = ctx.clone();
        let job: calls::Job = Box::new(move |control: &Control| {
            // A bug in porta's side of a call still answers the call.
            let run = std::panic::AssertUnwindSafe(|| server.guest_method(&call, &method, &params, control));
            let reply = std::panic::catch_unwind(run).unwrap_or_else(|_| Err(err(INTERNAL_ERROR, "internal error in porta while running the call")));
            // A cancelled request gets no reply.
            if server.calls.finish(control) {
                server.reply(&call, reply);
            }
        });
        let refused = match self.calls.submit(calls::key(&ctx.id), size, progress, job) {
            Ok(()) => return,
            Err(Refused::Duplicate) => err(INVALID_REQUEST, format!("Invalid request: id {} is already in use by a call in flight", ctx.id)),
            Err(Refused::Busy(n)) => err(SERVER_BUSY, format!("server busy: {n} calls queued, retry later")),
            Err(Refused::NoThread(e)) => err(INTERNAL_ERROR, format!("server cannot start a call now ({e}), retry later")),
        };
        self.reply(&ctx, Err(refused));
    }

    /// Sends `notifications/progress` for one call: the elapsed
    /// milliseconds, which only grow.
    fn progress_sender(&self, framing: Framing, token: Value) -> calls::Progress {
        let writer = self.writer.clone();
        Box::new(move |ms| {
            let note = json!({
                "jsonrpc": "2.0",
                "method": "notifications/progress",
                "params": { "progressToken": token, "progress": ms, "message": format!("running for {ms} ms") },
            });
            writer.send(&note, framing);
        })
    }

    /// Ends the session (the client went away): see [`Calls::close`].
    pub fn close(&self) {
        self.calls.close();
    }

    pub fn idle(&self) -> bool {
        self.calls.idle()
    }

    fn guest_method(&self, ctx: &Ctx, method: &str, params: &Value, control: &Control) -> Reply {
        match method {
            "tools/call" => self.tools_call(params, control),
            "resources/read" => self.resources_read(ctx, params, control),
            _ => self.prompts_get(params, control),
        }
    }

    fn tools_call(&self, params: &Value, control: &Control) -> Reply {
        let name = params.get("name").and_then(Value::as_str).ok_or_else(|| err(INVALID_PARAMS, "Invalid params: `name` is required"))?;
        let tool = self.catalog.tool(name).ok_or_else(|| err(INVALID_PARAMS, format!("Unknown tool: {name}")))?;
        let arguments = params.get("arguments").cloned().unwrap_or(json!({}));
        // Bad arguments are the model's to fix: a tool error, not a protocol one.
        if let Err(why) = check_object(&tool["inputSchema"], &arguments) {
            self.log_call(name, &arguments, 0, 0, 0, false);
            return Ok(tool_error(format!("invalid arguments: {why}")));
        }
        if let (super::http::NAME, Some(http)) = (name, &self.http) {
            let start = Instant::now();
            let result = http.call(&arguments);
            let ok = result["isError"] != json!(true);
            self.log_call(name, &arguments, 0, 0, start.elapsed().as_millis(), ok);
            return Ok(result);
        }
        if let (crate::native::exec::NAME, Some(exec)) = (name, &self.exec) {
            let start = Instant::now();
            let result = exec.call(&arguments);
            let ok = result["isError"] != json!(true);
            self.log_call(name, &arguments, 0, 0, start.elapsed().as_millis(), ok);
            return Ok(result);
        }
        let call = agent::run(&self.sandbox, &self.linker, self.prewarm.as_ref(), name, &arguments, control);
        let result = match &call.outcome {
            Outcome::Finished(stdout) => abi_result(stdout),
            Outcome::Returned(values) => {
                let v = agent::results_json(values);
                json!({ "content": [{ "type": "text", "text": v.to_string() }], "isError": false })
            }
            Outcome::Failed(reason) => {
                let mut text = reason.clone();
                if !call.denials.is_empty() {
                    text.push_str(&format!(" (denied: {})", call.denials.join(", ")));
                }
                tool_error(text)
            }
        };
        let result = check_output(tool, result);
        let ok = result["isError"] != json!(true);
        self.log_call(name, &arguments, call.steps, call.pages, call.millis, ok);
        Ok(result)
    }

    fn resources_read(&self, ctx: &Ctx, params: &Value, control: &Control) -> Reply {
        let uri = params.get("uri").and_then(Value::as_str).ok_or_else(|| err(INVALID_PARAMS, "Invalid params: `uri` is required"))?;
        let Some(resource) = self.catalog.resource(uri) else {
            let code = if ctx.era == Era::Modern { INVALID_PARAMS } else { RESOURCE_NOT_FOUND_LEGACY };
            return Err(RpcError { code, message: format!("Resource not found: {uri}"), data: Some(json!({ "uri": uri })) });
        };
        let text = self.guest_text("_resource_read", &json!({ "uri": uri }), control)?;
        let mut content = json!({ "uri": uri, "text": text });
        if let Some(mime) = resource.get("mimeType") {
            content["mimeType"] = mime.clone();
        }
        Ok(json!({ "contents": [content] }))
    }

    fn prompts_get(&self, params: &Value, control: &Control) -> Reply {
        let name = params.get("name").and_then(Value::as_str).ok_or_else(|| err(INVALID_PARAMS, "Invalid params: `name` is required"))?;
        let prompt = self.catalog.prompt(name).ok_or_else(|| err(INVALID_PARAMS, format!("Unknown prompt: {name}")))?;
        let arguments = params.get("arguments").cloned().unwrap_or(json!({}));
        for arg in prompt["arguments"].as_array().into_iter().flatten() {
            let arg_name = arg["name"].as_str().unwrap_or("");
            if arg["required"] == json!(true) && arguments.get(arg_name).is_none() {
                return Err(err(INVALID_PARAMS, format!("Invalid params: prompt argument `{arg_name}` is required")));
            }
        }
        let text = self.guest_text("_prompt_get", &json!({ "prompt": name, "arguments": arguments }), control)?;
        Ok(json!({
            "description": prompt["description"],
            "messages": [{ "role": "user", "content": { "type": "text", "text": text } }],
        }))
    }

    /// Runs a pseudo-tool; its answer, unwrapped as a tool's is, is the
    /// text. The agent's `{"err": ...}` is an error reply, like a failure.
    fn guest_text(&self, tool: &str, arguments: &Value, control: &Control) -> Result<String, RpcError> {
        let call = agent::run(&self.sandbox, &self.linker, self.prewarm.as_ref(), tool, arguments, control);
        let text = match call.outcome {
            Outcome::Finished(stdout) => match parse_abi(&stdout) {
                Abi { is_error: false, text, .. } => Ok(text),
                Abi { text, .. } => Err(text),
            },
            Outcome::Returned(v) => Ok(agent::results_json(&v).to_string()),
            Outcome::Failed(reason) => Err(reason),
        };
        self.log_call(tool, arguments, call.steps, call.pages, call.millis, text.is_ok());
        text.map_err(|why| err(INTERNAL_ERROR, format!("the agent failed: {why}")))
    }

    /// The log line of SPEC §5 on stderr, and the audit record.
    fn log_call(&self, tool: &str, arguments: &Value, steps: u64, pages: u64, millis: u128, ok: bool) {
        let outcome = if ok { "ok" } else { "error" };
        eprintln!("[porta] tool={tool} steps={steps} memory={pages} time={millis}ms {outcome}");
        if let Some(audit) = &self.audit {
            let time = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
            let record = json!({
                "time": time,
                "tool": tool,
                "arguments": self.redact_value(arguments),
                "outcome": outcome,
                "steps": steps,
                "memory_pages": pages,
                "duration_ms": millis as u64,
            });
            // One write per record: a reader never sees half a line.
            let line = format!("{record}\n");
            let mut file = audit.lock().unwrap_or_else(|e| e.into_inner());
            let _ = file.write_all(line.as_bytes());
        }
    }

    /// Arguments with every secret value replaced.
    fn redact_value(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.sandbox.redact(s)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.redact_value(x)).collect()),
            Value::Object(o) => Value::Object(o.iter().map(|(k, x)| (k.clone(), self.redact_value(x))).collect()),
            other => other.clone(),
        }
    }

    fn reply(&self, ctx: &Ctx, reply: Reply) {
        match reply {
            Ok(mut result) => {
                if ctx.era == Era::Modern {
                    result["resultType"] = json!("complete");
                    result["_meta"] = json!({ META_SERVER_INFO: server_info() });
                    if result.get("tools").is_some()
                        || result.get("resources").is_some()
                        || result.get("prompts").is_some()
                        || result.get("contents").is_some()
                        || result.get("supportedVersions").is_some()
                        || result.get("resourceTemplates").is_some()
                    {
                        result["ttlMs"] = json!(0);
                        result["cacheScope"] = json!("private");
                    }
                }
                self.writer.send(&json!({ "jsonrpc": "2.0", "id": ctx.id, "result": result }), ctx.framing);
            }
            Err(e) => self.error_reply(ctx.id.clone(), ctx.framing, e),
        }
    }

    fn error_reply(&self, id: Value, framing: Framing, e: RpcError) {
        let mut error = json!({ "code": e.code, "message": e.message });
        if let Some(data) = e.data {
            error["data"] = data;
        }
        self.writer.send(&json!({ "jsonrpc": "2.0", "id": id, "error": error }), framing);
    }
}

/// A modern request must carry a supported version and the client's
/// capabilities in `_meta`.
fn check_modern_meta(meta: Option<&Value>) -> Result<(), RpcError> {
    let meta = meta.ok_or_else(|| err(INVALID_PARAMS, "Invalid params: `_meta` is required"))?;
    let version = meta.get(META_VERSION).and_then(Value::as_str).ok_or_else(|| {
        err(INVALID_PARAMS, format!("Invalid params: `_meta.{META_VERSION}` must be a string"))
    })?;
    if version != MODERN_VERSION {
        return Err(RpcError {
            code: UNSUPPORTED_VERSION,
            message: "Unsupported protocol version".into(),
            data: Some(json!({ "supported": [MODERN_VERSION], "requested": version })),
        });
    }
    if !meta.get(META_CAPS).is_some_and(Value::is_object) {
        return Err(err(INVALID_PARAMS, format!("Invalid params: `_meta.{META_CAPS}` is required")));
    }
    Ok(())
}

fn server_info() -> Value {
    json!({ "name": "porta", "version": env!("CARGO_PKG_VERSION") })
}

fn tool_error(text: String) -> Value {
    json!({ "content": [{ "type": "text", "text": text }], "isError": true })
}

/// Stdout of the agent ABI (SPEC §4), unwrapped.
struct Abi {
    /// It was `{"err": V}`.
    is_error: bool,
    /// `V` when a string, else its JSON; or stdout as it is.
    text: String,
    /// `V` when an object.
    structured: Option<Value>,
}

fn parse_abi(stdout: &[u8]) -> Abi {
    let text = String::from_utf8_lossy(stdout).into_owned();
    let parsed: Option<Map<String, Value>> = serde_json::from_str::<Value>(text.trim()).ok().and_then(|v| match v {
        Value::Object(m) if m.len() == 1 && (m.contains_key("ok") || m.contains_key("err")) => Some(m),
        _ => None,
    });
    let Some((key, v)) = parsed.and_then(|m| m.into_iter().next()) else {
        return Abi { is_error: false, text, structured: None };
    };
    let text = match &v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Abi { is_error: key == "err", text, structured: Some(v).filter(Value::is_object) }
}

/// Stdout of the agent ABI as a tool result.
pub fn abi_result(stdout: &[u8]) -> Value {
    let abi = parse_abi(stdout);
    let mut result = json!({ "content": [{ "type": "text", "text": abi.text }], "isError": abi.is_error });
    if let Some(v) = abi.structured {
        result["structuredContent"] = v;
    }
    result
}

/// A successful result of a tool that declares an `outputSchema` must carry
/// structured content that matches it: clients check, and reject the whole
/// call otherwise (`{"sum": null}` from an overflow to infinity). A mismatch
/// becomes the tool's error, which they pass on to the model.
fn check_output(tool: &Value, result: Value) -> Value {
    let Some(schema) = tool.get("outputSchema") else {
        return result;
    };
    if result["isError"] == json!(true) {
        return result;
    }
    let why = match result.get("structuredContent") {
        None => "no structured content (the agent's `ok` value must be an object)".to_string(),
        Some(v) => match check_object(schema, v) {
            Ok(()) => return result,
            Err(why) => why,
        },
    };
    tool_error(format!("the result does not match the tool's outputSchema: {why}"))
}

#[cfg(test)]
mod tests {
    use super::{abi_result, check_output};
    use serde_json::json;

    #[test]
    fn the_abi_maps_to_results() {
        assert_eq!(abi_result(br#"{"ok": "hi"}"#), json!({"content": [{"type": "text", "text": "hi"}], "isError": false}));
        let r = abi_result(br#"{"ok": {"sum": 3}}"#);
        assert_eq!(r["structuredContent"], json!({"sum": 3}));
        assert_eq!(r["content"][0]["text"], "{\"sum\":3}");
        let r = abi_result(br#"{"err": [1, 2]}"#);
        assert_eq!((r["isError"].clone(), r["content"][0]["text"].clone()), (json!(true), json!("[1,2]")));
        assert!(r.get("structuredContent").is_none());
        assert_eq!(abi_result(b"plain text")["content"][0]["text"], "plain text");
        assert_eq!(abi_result(br#"{"ok": 1, "extra": 2}"#)["content"][0]["text"], "{\"ok\": 1, \"extra\": 2}");
        // Integers stay integers.
        assert_eq!(abi_result(br#"{"ok": {"n": 42, "big": 18446744073709551615}}"#)["content"][0]["text"], r#"{"n":42,"big":18446744073709551615}"#);
    }

    #[test]
    fn structured_results_follow_the_output_schema() {
        let tool = json!({"outputSchema": {"type": "object", "properties": {"sum": {"type": "number"}}, "required": ["sum"]}});
        let good = abi_result(br#"{"ok": {"sum": 3}}"#);
        assert_eq!(check_output(&tool, good.clone()), good);
        let bad = check_output(&tool, abi_result(br#"{"ok": {"sum": null}}"#));
        assert_eq!(bad["isError"], true);
        assert!(bad.get("structuredContent").is_none());
        assert_eq!(bad["content"][0]["text"], "the result does not match the tool's outputSchema: `sum` must be of type \"number\", not null");
        let text = check_output(&tool, abi_result(br#"{"ok": "three"}"#));
        assert_eq!(text["content"][0]["text"], "the result does not match the tool's outputSchema: no structured content (the agent's `ok` value must be an object)");
        let failed = abi_result(br#"{"err": "no"}"#);
        assert_eq!(check_output(&tool, failed.clone()), failed, "errors are not checked");
        assert_eq!(check_output(&json!({}), abi_result(b"{\"ok\": {\"sum\": null}}"))["isError"], false);
    }
}
