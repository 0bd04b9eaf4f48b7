//! What the server offers: tools, resources and prompts from the manifest,
//! or tools from the module's exports when there is none, in a fixed order;
//! and the check of a value against a tool's input or output schema.

use crate::manifest::Manifest;
use serde_json::{json, Value};

pub struct Catalog {
    pub description: String,
    pub tools: Vec<Value>,
    pub resources: Vec<Value>,
    pub prompts: Vec<Value>,
}

impl Catalog {
    pub fn new(manifest: &Manifest) -> Catalog {
        let to_values = |v: &dyn erased::ToValues| v.values();
        Catalog {
            description: manifest.description.clone(),
            tools: to_values(&manifest.tools),
            resources: to_values(&manifest.resources),
            prompts: to_values(&manifest.prompts),
        }
    }

    fn find<'a>(items: &'a [Value], key: &str, value: &str) -> Option<&'a Value> {
        items.iter().find(|t| t[key] == json!(value))
    }
    pub fn tool(&self, name: &str) -> Option<&Value> {
        Self::find(&self.tools, "name", name)
    }
    pub fn resource(&self, uri: &str) -> Option<&Value> {
        Self::find(&self.resources, "uri", uri)
    }
    pub fn prompt(&self, name: &str) -> Option<&Value> {
        Self::find(&self.prompts, "name", name)
    }
}

mod erased {
    use serde::Serialize;
    use serde_json::Value;

    /// Manifest entries as JSON, as MCP lists them.
    pub trait ToValues {
        fn values(&self) -> Vec<Value>;
    }
    impl<T: Serialize> ToValues for Vec<T> {
        fn values(&self) -> Vec<Value> {
            self.iter().map(|t| serde_json::to_value(t).expect("manifest entries serialize")).collect()
        }
    }
}

/// Checks a tool's arguments or structured result against the parts of a
/// JSON Schema that decide whether the other side can make sense of it: the
/// object shape, required properties, the declared types of properties and
/// `additionalProperties: false`. The error names the field and says why.
pub fn check_object(schema: &Value, value: &Value) -> Result<(), String> {
    let Value::Object(args) = value else {
        return Err(format!("must be a JSON object, not {}", type_name(value)));
    };
    for req in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if !args.contains_key(req) {
            return Err(format!("`{req}` is required"));
        }
    }
    let empty = serde_json::Map::new();
    let props = schema["properties"].as_object().unwrap_or(&empty);
    for (name, value) in args {
        match props.get(name).and_then(|p| p.get("type")) {
            Some(ty) if !type_matches(ty, value) => {
                return Err(format!("`{name}` must be of type {ty}, not {}", type_name(value)));
            }
            None if !props.contains_key(name) && schema["additionalProperties"] == json!(false) => {
                return Err(format!("`{name}` is not a known property"));
            }
            _ => {}
        }
    }
    Ok(())
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_matches(ty: &Value, v: &Value) -> bool {
    match ty {
        Value::Array(alternatives) => alternatives.iter().any(|t| type_matches(t, v)),
        Value::String(t) => match t.as_str() {
            "string" => v.is_string(),
            "number" => v.is_number(),
            "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
            "boolean" => v.is_boolean(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            "null" => v.is_null(),
            _ => true,
        },
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::check_object;
    use serde_json::json;

    #[test]
    fn values_follow_the_schema() {
        let s = json!({"type": "object", "properties": {"a": {"type": "number"}, "n": {"type": "integer"}}, "required": ["a"]});
        assert!(check_object(&s, &json!({"a": 1.5, "n": 3})).is_ok());
        assert!(check_object(&s, &json!({"n": 3})).unwrap_err().contains("`a` is required"));
        assert_eq!(check_object(&s, &json!({"a": "x"})).unwrap_err(), "`a` must be of type \"number\", not string");
        assert_eq!(check_object(&s, &json!({"a": null})).unwrap_err(), "`a` must be of type \"number\", not null");
        assert!(check_object(&s, &json!({"a": 1, "n": 1.5})).is_err());
        assert!(check_object(&s, &json!([1])).is_err());
        let closed = json!({"type": "object", "additionalProperties": false});
        assert!(check_object(&closed, &json!({"x": 1})).is_err());
    }
}
