//! `porta.toml`: a project file that says what to run and how it is
//! sandboxed, read by `porta up` and written by `porta init`. Parsing is
//! strict: an unknown key is an error with a suggestion, since a typo
//! (`mount` for `mounts`) must never quietly run a weaker sandbox. Paths in
//! the file are relative to its directory.

use crate::cli::{Restart, RunArgs, SandboxArgs};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const FILE_NAME: &str = "porta.toml";
/// Largest project file porta reads.
const MAX_BYTES: u64 = 1 << 20;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub runtime: Runtime,
    #[serde(default)]
    pub sandbox: Sandbox,
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    #[serde(default)]
    pub secrets: BTreeMap<String, Spanned<toml::Value>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Wasm,
    Native,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Runtime {
    #[serde(rename = "type")]
    pub kind: Option<Kind>,
    pub wasm: Option<String>,
    pub command: Option<String>,
    #[serde(default)]
    pub args: Vec<String>,
    pub entry: Option<String>,
    pub profile: Option<String>,
    pub step_limit: Option<u64>,
    pub timeout: Option<f64>,
    pub max_memory: Option<u64>,
    pub restart: Option<Restart>,
    pub max_restarts: Option<u32>,
    #[serde(default)]
    pub deterministic: bool,
    #[serde(default)]
    pub strict_imports: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sandbox {
    #[serde(default)]
    pub mounts: Vec<String>,
    #[serde(default)]
    pub network: Vec<String>,
    #[serde(default)]
    pub no_net: bool,
    #[serde(default)]
    pub allow_exec: Vec<String>,
    #[serde(default)]
    pub capabilities: Vec<String>,
    #[serde(default)]
    pub strict: bool,
}

/// Reads and checks a project file; the error is one line naming the file,
/// the line and the key.
pub fn load(path: &Path) -> Result<Project, String> {
    use std::io::Read;
    let mut text = String::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(MAX_BYTES + 1).read_to_string(&mut text));
    read.map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            format!("{} does not exist; write one with `porta init wasm FILE` or `porta init native COMMAND`", path.display())
        } else {
            crate::commands::io_error("read", path, &e)
        }
    })?;
    if text.len() as u64 > MAX_BYTES {
        return Err(format!("{} is larger than {} KiB: a project file is a few lines", path.display(), MAX_BYTES / 1024));
    }
    parse(&text).map_err(|e| format!("{}{e}", path.display()))
}

/// Parses the text of a project file; the error starts with `:LINE: ` so the
/// caller puts the file name in front.
pub fn parse(text: &str) -> Result<Project, String> {
    let project: Project = toml::from_str(text).map_err(|e| describe(text, &e))?;
    let at = |span: std::ops::Range<usize>| line_of(text, span.start);
    match (project.runtime.kind, &project.runtime.wasm, &project.runtime.command) {
        (_, Some(_), Some(_)) => return Err(":1: [runtime] has both `wasm` and `command`: keep the one to run".into()),
        (Some(Kind::Native) | None, None, None) | (Some(Kind::Wasm), None, _) => {
            let want = if project.runtime.kind == Some(Kind::Native) { "command = \"CMD\"" } else { "wasm = \"FILE.wasm\"" };
            return Err(format!(":1: [runtime] says nothing to run: add {want}"));
        }
        (Some(Kind::Native), Some(_), None) => {
            return Err(":1: [runtime] type = \"native\" runs a `command`, not `wasm`: use type = \"wasm\"".into())
        }
        _ => {}
    }
    for (key, value) in &project.secrets {
        secret_source(key, value.get_ref()).map_err(|e| format!(":{}: [secrets] {key}: {e}", at(value.span())))?;
    }
    Ok(project)
}

/// Where a secret's value comes from.
enum SecretSource<'a> {
    Value(&'a str),
    Env,
    File(&'a str),
}

const SECRET_FORMS: &str = "expected \"VALUE\", { from-env = true } or { from-file = \"PATH\" }";

fn secret_source<'a>(key: &str, value: &'a toml::Value) -> Result<SecretSource<'a>, String> {
    let table = match value {
        toml::Value::String(s) => return Ok(SecretSource::Value(s)),
        toml::Value::Table(t) if t.len() == 1 => t,
        _ => return Err(SECRET_FORMS.into()),
    };
    match table.iter().next() {
        Some((k, toml::Value::Boolean(true))) if k == "from-env" => Ok(SecretSource::Env),
        Some((k, toml::Value::String(p))) if k == "from-file" => Ok(SecretSource::File(p)),
        Some((k, _)) if k != "from-env" && k != "from-file" => {
            Err(format!("unknown key `{k}`{}; {SECRET_FORMS}", suggestion(k, &["from-env", "from-file"])))
        }
        _ => Err(format!("{SECRET_FORMS} (for {key})")),
    }
}

impl Project {
    pub fn kind(&self) -> Kind {
        self.runtime.kind.unwrap_or(if self.runtime.command.is_some() { Kind::Native } else { Kind::Wasm })
    }

    /// What `porta run` would be given for this project; `dir` is the
    /// file's directory. Secrets are read here (from the environment or
    /// files), so a missing one stops the run before it starts.
    pub fn run_args(&self, dir: &Path) -> Result<RunArgs, String> {
        let rt = &self.runtime;
        let sb = &self.sandbox;
        let module = match (&rt.wasm, &rt.command) {
            (Some(w), _) => dir.join(w),
            // A bare name is looked up on PATH; a path is the file's.
            (None, Some(c)) if c.contains('/') => dir.join(c),
            (None, Some(c)) => PathBuf::from(c),
            (None, None) => unreachable!("parse requires one"),
        };
        let mut secret = Vec::new();
        for (key, value) in &self.secrets {
            let v = match secret_source(key, value.get_ref())? {
                SecretSource::Value(v) => v.to_string(),
                SecretSource::Env => std::env::var(key)
                    .map_err(|_| format!("secret {key} is {{ from-env = true }} but ${key} is not set in porta's environment"))?,
                SecretSource::File(p) => {
                    let path = dir.join(p);
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| format!("secret {key}: {}", crate::commands::io_error("read", &path, &e)))?;
                    text.strip_suffix('\n').unwrap_or(&text).to_string()
                }
            };
            secret.push(format!("{key}={v}"));
        }
        let volumes = sb.mounts.iter().map(|m| relative_mount(dir, m)).collect();
        Ok(RunArgs {
            module,
            strict: sb.strict,
            no_net: sb.no_net,
            invoke: None,
            entry: rt.entry.clone(),
            sandbox: SandboxArgs {
                step_limit: rt.step_limit,
                timeout: rt.timeout,
                max_memory: rt.max_memory,
                profile: rt.profile.clone(),
                allow: sb.capabilities.clone(),
                volumes,
                env: self.env.iter().map(|(k, v)| format!("{k}={v}")).collect(),
                env_file: Vec::new(),
                secret,
                manifest: None,
                deterministic: rt.deterministic,
                allow_net: sb.network.clone(),
                allow_exec: sb.allow_exec.clone(),
            },
            strict_imports: rt.strict_imports,
            restart: rt.restart.unwrap_or(Restart::No),
            max_restarts: rt.max_restarts.unwrap_or(5),
            quiet: false,
            detach: false,
            snapshot: None,
            args: rt.args.clone(),
        })
    }
}

/// A mount's host side, relative to the project's directory.
fn relative_mount(dir: &Path, spec: &str) -> String {
    if spec.starts_with('/') {
        return spec.to_string();
    }
    format!("{}/{spec}", dir.display())
}

/// One line from toml's error: the line, the table and key, the message,
/// and for an unknown key the accepted name it is closest to.
fn describe(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim().replace('\n', " ");
    let Some(span) = e.span() else { return format!(": {message}") };
    let line = line_of(text, span.start);
    let table = text[..span.start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.split(']').next().unwrap_or(l).trim_start_matches('[').to_string());
    let key = text.lines().nth(line - 1).and_then(|l| l.split_once('=')).map(|(k, _)| k.trim().to_string());
    let place = match (table, key) {
        (Some(t), Some(k)) => format!(" [{t}] {k}:"),
        (Some(t), None) => format!(" [{t}]:"),
        (None, Some(k)) => format!(" {k}:"),
        (None, None) => String::new(),
    };
    let hint = match message.strip_prefix("unknown field `").and_then(|m| m.split_once('`')) {
        Some((unknown, rest)) => suggestion(unknown, &rest.split('`').skip(1).step_by(2).collect::<Vec<_>>()),
        None => String::new(),
    };
    format!(":{line}:{place} {message}{hint}")
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// ` (did you mean `X`?)` for the accepted name closest to `given`, if any
/// is close.
fn suggestion(given: &str, accepted: &[&str]) -> String {
    accepted
        .iter()
        .map(|a| (edit_distance(given, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 3))
        .min()
        .map_or(String::new(), |(_, a)| format!(" (did you mean `{a}`?)"))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The commented file `porta init` writes.
pub fn template(kind: Kind, target: &str, args: &[String]) -> String {
    // A JSON string is a TOML basic string (same escapes), except that
    // TOML also forbids a raw DEL.
    let quote = |s: &str| serde_json::Value::from(s).to_string().replace('\u{7f}', "\\u007f");
    let args = args.iter().map(|a| quote(a)).collect::<Vec<_>>().join(", ");
    let (what, target_line, sandbox) = match kind {
        Kind::Wasm => (
            "wasm",
            format!("wasm = {}", quote(target)),
            "# Capabilities beyond the profile's: io fs fs.write process env clock random net exec.\n\
             # capabilities = [\"clock\", \"random\"]\n\
             # Commands porta.exec may run (grants exec).\n\
             # allow_exec = [\"git\"]\n",
        ),
        Kind::Native => (
            "native",
            format!("command = {}", quote(target)),
            "# Read only the system directories and the mounts, not the whole disk.\n\
             # strict = true\n\
             # No network at all (network below limits TCP to its ports instead).\n\
             # no_net = true\n",
        ),
    };
    format!(
        "# porta.toml: what `porta up` runs and how it is sandboxed.\n\
         # Paths are relative to this file. Flags given to `porta up` override it.\n\
         \n\
         [runtime]\n\
         type = \"{what}\"\n\
         {target_line}\n\
         args = [{args}]\n\
         # entry = \"_start\"\n\
         # profile = \"ai-agent\"        # ai-agent, worker or full\n\
         # step_limit = 100000000\n\
         # timeout = 60                # seconds\n\
         # max_memory = 4096           # 64 KiB pages\n\
         # restart = \"on-failure\"      # no, on-failure or always\n\
         # max_restarts = 5\n\
         # deterministic = true\n\
         \n\
         [sandbox]\n\
         # Host directories: \"HOST[:GUEST][:ro]\"; writes go only here.\n\
         mounts = []\n\
         # Outbound TCP allowed: \"HOST:PORT\".\n\
         network = []\n\
         {sandbox}\
         \n\
         [env]\n\
         # KEY = \"value\"\n\
         \n\
         [secrets]\n\
         # Never printed, logged or shown by `porta ps`.\n\
         # API_KEY = {{ from-env = true }}\n\
         # TOKEN = {{ from-file = \"token.txt\" }}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text).unwrap_err()
    }

    #[test]
    fn both_templates_parse_back() {
        for kind in [Kind::Wasm, Kind::Native] {
            let p = parse(&template(kind, "x \"y\"", &["a b".into(), "--c".into()])).unwrap();
            assert_eq!(p.kind(), kind);
            assert_eq!(p.runtime.args, ["a b", "--c"]);
            assert_eq!(p.runtime.wasm.as_deref().or(p.runtime.command.as_deref()), Some("x \"y\""));
        }
    }

    #[test]
    fn an_unknown_key_names_line_table_and_the_likely_key() {
        let e = err("[runtime]\nwasm = \"a.wasm\"\n[sandbox]\nmount = [\"/tmp\"]\n");
        assert!(e.starts_with(":4: [sandbox] mount: unknown field `mount`"), "{e}");
        assert!(e.contains("(did you mean `mounts`?)") && e.contains("`network`"), "{e}");
        let e = err("[runtime]\nwasm = \"a.wasm\"\nsteplimit = 5\n");
        assert!(e.contains(":3: [runtime] steplimit:") && e.contains("did you mean `step_limit`"), "{e}");
        let e = err("[runtim]\nwasm = \"a.wasm\"\n");
        assert!(e.contains("did you mean `runtime`"), "{e}");
    }

    #[test]
    fn wrong_types_and_values_say_what_is_accepted() {
        let e = err("[runtime]\nwasm = \"a.wasm\"\nstep_limit = \"many\"\n");
        assert!(e.starts_with(":3: [runtime] step_limit:") && e.contains("u64"), "{e}");
        let e = err("[runtime]\nwasm = \"a.wasm\"\nrestart = \"sometimes\"\n");
        assert!(e.contains("on-failure") && e.contains("always"), "{e}");
        let e = err("[runtime]\ntype = \"docker\"\n");
        assert!(e.contains("wasm") && e.contains("native"), "{e}");
        let e = err("[runtime]\nwasm = \"a.wasm\"\n[secrets]\nK = { from_env = true }\n");
        assert!(e.starts_with(":4: [secrets] K: unknown key `from_env` (did you mean `from-env`?)"), "{e}");
        let e = err("[runtime]\nwasm = \"a.wasm\"\n[secrets]\nK = 5\n");
        assert!(e.contains(SECRET_FORMS), "{e}");
        assert!(err("[runtime]\n").contains("nothing to run"));
        assert!(err("[runtime]\nwasm = \"a\"\ncommand = \"b\"\n").contains("both"));
        assert!(err("[runtime]\ntype = \"native\"\nwasm = \"a\"\n").contains("type = \"wasm\""));
        assert!(err("[runtime\n").starts_with(":1:"));
        assert!(err("").contains("runtime"));
    }

    #[test]
    fn run_args_resolve_paths_and_secrets() {
        let dir = std::env::temp_dir().join(format!("porta-project-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("tok"), "s3cret\n").unwrap();
        std::env::set_var("PORTA_TEST_PROJECT_SECRET", "from-env-value");
        let p = parse(
            "[runtime]\nwasm = \"app.wasm\"\nargs = [\"x\"]\nrestart = \"on-failure\"\n\
             [sandbox]\nmounts = [\"data:/data:ro\", \"/abs\"]\n[env]\nA = \"1\"\n\
             [secrets]\nPORTA_TEST_PROJECT_SECRET = { from-env = true }\nT = { from-file = \"tok\" }\nV = \"v\"\n",
        )
        .unwrap();
        let r = p.run_args(&dir).unwrap();
        assert_eq!(r.module, dir.join("app.wasm"));
        assert_eq!(r.sandbox.volumes, [format!("{}/data:/data:ro", dir.display()), "/abs".into()]);
        assert_eq!(r.sandbox.secret, ["PORTA_TEST_PROJECT_SECRET=from-env-value", "T=s3cret", "V=v"]);
        assert_eq!((r.restart, r.args.as_slice(), r.sandbox.env.as_slice()), (Restart::OnFailure, &["x".to_string()][..], &["A=1".to_string()][..]));
        let missing = parse("[runtime]\nwasm = \"a\"\n[secrets]\nPORTA_TEST_UNSET_9 = { from-env = true }\n").unwrap();
        assert!(missing.run_args(&dir).unwrap_err().contains("$PORTA_TEST_UNSET_9 is not set"));
        let native = parse("[runtime]\ncommand = \"python3\"\n").unwrap();
        assert_eq!((native.kind(), native.run_args(&dir).unwrap().module), (Kind::Native, PathBuf::from("python3")));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
