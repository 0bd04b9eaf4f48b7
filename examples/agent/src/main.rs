//! An example porta agent. It speaks the agent ABI (SPEC §4): stdin holds a
//! 4-byte little-endian length and that much JSON
//! `{"tool": NAME, "arguments": {...}}`; it writes one JSON value,
//! `{"ok": V}` or `{"err": V}`, to stdout.

use serde_json::{json, Map, Value};
use std::io::{Read, Write};

fn main() {
    let reply = match read_request() {
        Ok((tool, args)) => dispatch(&tool, &args),
        Err(e) => Err(json!(e)),
    };
    let out = match reply {
        Ok(v) => json!({ "ok": v }),
        Err(v) => json!({ "err": v }),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.to_string().as_bytes());
    let _ = stdout.flush();
}

fn read_request() -> Result<(String, Map<String, Value>), String> {
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input).map_err(|e| format!("cannot read stdin: {e}"))?;
    let len = input.get(..4).ok_or("stdin holds no length prefix")?;
    let len = u32::from_le_bytes(len.try_into().unwrap()) as usize;
    let body = input.get(4..4 + len).ok_or("stdin is shorter than its length prefix")?;
    let request: Value = serde_json::from_slice(body).map_err(|e| format!("bad request JSON: {e}"))?;
    let tool = request["tool"].as_str().ok_or("the request names no tool")?.to_string();
    let args = request["arguments"].as_object().cloned().unwrap_or_default();
    Ok((tool, args))
}

fn dispatch(tool: &str, args: &Map<String, Value>) -> Result<Value, Value> {
    match tool {
        "add" => {
            // Integers add exactly and stay integers (2 + 40 is 42, not
            // 42.0); anything else adds as f64.
            let (a, b) = (&args.get("a"), &args.get("b"));
            if let Some(sum) = a.and_then(Value::as_i64).zip(b.and_then(Value::as_i64)).and_then(|(a, b)| a.checked_add(b)) {
                return Ok(json!({ "sum": sum }));
            }
            Ok(json!({ "sum": number(args, "a")? + number(args, "b")? }))
        }
        "reverse" => Ok(json!(text(args, "text")?.chars().rev().collect::<String>())),
        "word_count" => {
            let t = text(args, "text")?;
            Ok(json!({ "words": t.split_whitespace().count(), "chars": t.chars().count() }))
        }
        "fib" => {
            let n = number(args, "n")?;
            if !(0.0..=90.0).contains(&n) {
                return Err(json!("n must be between 0 and 90"));
            }
            let (mut a, mut b) = (0u64, 1u64);
            for _ in 0..n as u64 {
                (a, b) = (b, a + b);
            }
            Ok(json!(a))
        }
        "spin" => {
            // Burns steps, for trying --step-limit, --timeout and cancellation.
            let mut x = 0u64;
            loop {
                x = std::hint::black_box(x.wrapping_add(1));
            }
        }
        "_resource_read" => match text(args, "uri")? {
            "porta://example/readme" => Ok(json!("This agent adds numbers, reverses text and counts words.")),
            other => Err(json!(format!("no resource {other}"))),
        },
        "_prompt_get" => {
            let name = args.get("prompt").and_then(Value::as_str).unwrap_or("");
            let who = args.get("arguments").and_then(|a| a.get("name")).and_then(Value::as_str).unwrap_or("there");
            match name {
                "greet" => Ok(json!(format!("Say hello to {who} and offer to add two numbers."))),
                other => Err(json!(format!("no prompt {other}"))),
            }
        }
        other => Err(json!(format!("unknown tool {other}"))),
    }
}

fn number(args: &Map<String, Value>, key: &str) -> Result<f64, Value> {
    args.get(key).and_then(Value::as_f64).ok_or_else(|| json!(format!("argument `{key}` must be a number")))
}

fn text<'a>(args: &'a Map<String, Value>, key: &str) -> Result<&'a str, Value> {
    args.get(key).and_then(Value::as_str).ok_or_else(|| json!(format!("argument `{key}` must be a string")))
}
