//! The agent manifest (SPEC §4): what a `.wasm` agent offers as MCP tools,
//! resources and prompts, and the capabilities it asks for. Read from
//! `<name>.manifest.json` beside the module or from `--manifest`; unknown
//! fields are kept (and written back) but otherwise ignored; an error names
//! the field that is wrong.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

pub const SCHEMA_VERSION: &str = "1";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    #[serde(default = "schema_version")]
    pub schema_version: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    #[serde(default)]
    pub capabilities: Vec<String>,
    #[serde(default)]
    pub tools: Vec<Tool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<Resource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prompts: Vec<Prompt>,
    #[serde(default)]
    pub wasi_imports: Vec<String>,
    /// Fields this version does not know, kept as they were.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn schema_version() -> String {
    SCHEMA_VERSION.to_string()
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Tool {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(rename = "inputSchema", default = "empty_object_schema")]
    pub input_schema: Value,
    #[serde(rename = "outputSchema", default, skip_serializing_if = "Option::is_none")]
    pub output_schema: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

pub fn empty_object_schema() -> Value {
    serde_json::json!({ "type": "object" })
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Resource {
    pub uri: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(rename = "mimeType", default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Prompt {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub arguments: Vec<PromptArgument>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PromptArgument {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub required: bool,
}

impl Manifest {
    /// Parses a manifest; the error names the field at fault, or, when the
    /// text is not JSON at all, the line and column (there is no field to
    /// name: serde_path_to_error would say `?`).
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let m: Manifest = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if !inner.is_data() {
                format!("not valid JSON: {} (line {}, column {})", bare_message(&inner), inner.line(), inner.column())
            } else if path == "." && inner.to_string().starts_with("invalid type") {
                let found = bare_message(&inner);
                let found = found.strip_prefix("invalid type: ").unwrap_or(&found);
                let found = match found.split(", expected").next().unwrap_or(found) {
                    "sequence" => "an array",
                    other => other,
                };
                format!("a manifest is a JSON object, not {found} (line {}, column {})", inner.line(), inner.column().max(1))
            } else if path == "." {
                format!("{inner}")
            } else {
                format!("field `{path}`: {inner}")
            }
        })?;
        // Text after the object is not ignored: it may be half of a second
        // manifest pasted in by mistake.
        de.end().map_err(|e| format!("not valid JSON: {} (line {}, column {})", bare_message(&e), e.line(), e.column()))?;
        m.check()?;
        Ok(m)
    }

    /// Checks what the types alone do not.
    fn check(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("field `name`: must not be empty".into());
        }
        for (i, t) in self.tools.iter().enumerate() {
            if t.name.trim().is_empty() {
                return Err(format!("field `tools[{i}].name`: must not be empty"));
            }
            if !t.input_schema.is_object() {
                return Err(format!("field `tools[{i}].inputSchema`: must be a JSON object"));
            }
        }
        for (i, c) in self.capabilities.iter().enumerate() {
            if porta_interp::wasi::Capabilities::named(c).is_none() {
                return Err(format!(
                    "field `capabilities[{i}]`: unknown capability `{c}` (valid: {})",
                    porta_interp::wasi::Capabilities::valid_names()
                ));
            }
        }
        Ok(())
    }

    /// Reads and parses a manifest file.
    pub fn load(path: &Path) -> Result<Manifest, String> {
        let text = std::fs::read_to_string(path).map_err(|e| crate::commands::io_error("read", path, &e))?;
        Manifest::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a manifest always serializes")
    }
}

/// A serde_json message without the ` at line L column C` it ends with.
fn bare_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let location = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&location).unwrap_or(&text).to_string()
}

/// The manifest that goes with `module`: `<name>.manifest.json` beside it.
pub fn beside(module: &Path) -> PathBuf {
    let stem = module.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    module.with_file_name(format!("{stem}.manifest.json"))
}

/// The manifest to use: `--manifest` if given (it must exist), else the one
/// beside the module if there is one.
pub fn find(module: &Path, explicit: Option<&Path>) -> Result<Option<(PathBuf, Manifest)>, String> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = beside(module);
            if !p.exists() {
                return Ok(None);
            }
            p
        }
    };
    Manifest::load(&path).map(|m| Some((path, m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_field() {
        let e = Manifest::parse(r#"{"name": "a", "tools": [{"name": "t"}, {"name": 5}]}"#).unwrap_err();
        assert!(e.contains("tools[1].name"), "{e}");
        let e = Manifest::parse(r#"{"tools": []}"#).unwrap_err();
        assert!(e.contains("name"), "{e}");
        let e = Manifest::parse(r#"{"name": "a", "capabilities": ["io", "root"]}"#).unwrap_err();
        assert!(e.contains("capabilities[1]") && e.contains("fs.write"), "{e}");
        let e = Manifest::parse("{\n  \"name\": \"a\",\n  \"tools\": [}\n").unwrap_err();
        assert_eq!(e, "not valid JSON: expected value (line 3, column 13)");
        let e = Manifest::parse("{\"name\": \"a\",").unwrap_err();
        assert!(e.starts_with("not valid JSON: EOF while parsing") && e.contains("(line 1, column 13)"), "{e}");
        // Found by the manifest fuzz target: serde's "expected struct
        // Manifest" says nothing to a user.
        let e = Manifest::parse("2 x").unwrap_err();
        assert_eq!(e, "a manifest is a JSON object, not integer `2` (line 1, column 1)");
        let e = Manifest::parse("[]").unwrap_err();
        assert_eq!(e, "a manifest is a JSON object, not an array (line 1, column 1)");
        // Found by the manifest fuzz target: text after the object was
        // ignored.
        let e = Manifest::parse("{\"name\": \"a\"}\n{\"name\": \"b\"}").unwrap_err();
        assert_eq!(e, "not valid JSON: trailing characters (line 2, column 1)");
    }

    #[test]
    fn unknown_fields_are_kept() {
        let m = Manifest::parse(r#"{"name": "a", "future": {"x": 1}, "tools": [{"name": "t", "color": "red"}]}"#)
            .unwrap();
        assert_eq!(m.extra["future"]["x"], 1);
        let again = Manifest::parse(&m.to_json()).unwrap();
        assert_eq!(again, m);
        assert_eq!(m.tools[0].input_schema, empty_object_schema());
    }
}
