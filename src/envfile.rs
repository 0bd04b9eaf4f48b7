//! `--env-file`: KEY=VALUE lines, with `#` comments, blank lines, an optional
//! `export ` prefix, and single quotes (literal) or double quotes (with `\n`,
//! `\"`, `\\` escapes) around values.

pub fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut vars = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").map(str::trim_start).unwrap_or(line);
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| format!("line {}: expected KEY=VALUE", i + 1))?;
        let key = key.trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("line {}: `{key}` is not a variable name", i + 1));
        }
        vars.push((key.to_string(), unquote(value.trim()).map_err(|e| format!("line {}: {e}", i + 1))?));
    }
    Ok(vars)
}

fn unquote(v: &str) -> Result<String, String> {
    if let Some(inner) = v.strip_prefix('\'') {
        return inner.strip_suffix('\'').map(str::to_string).ok_or_else(|| "unterminated ' quote".into());
    }
    if let Some(inner) = v.strip_prefix('"') {
        let inner = inner.strip_suffix('"').ok_or("unterminated \" quote")?;
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        }
        return Ok(out);
    }
    // An unquoted value ends at a ` #` comment.
    Ok(v.split(" #").next().unwrap_or(v).trim_end().to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_usual_forms() {
        let vars = super::parse(
            "# comment\n\nA=1\nexport B = two words # note\nC='lit $X \\n'\nD=\"x\\ny \\\"q\\\"\"\nE=\n",
        )
        .unwrap();
        let get = |k: &str| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("A"), Some("1"));
        assert_eq!(get("B"), Some("two words"));
        assert_eq!(get("C"), Some("lit $X \\n"));
        assert_eq!(get("D"), Some("x\ny \"q\""));
        assert_eq!(get("E"), Some(""));
        assert!(super::parse("NOEQUALS\n").unwrap_err().contains("line 1"));
        assert!(super::parse("A='open\n").is_err());
    }
}
