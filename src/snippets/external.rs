//! Checkers configured per language in `ruledoc.toml`: a command with a
//! `{file}` placeholder, fed each snippet as a file; output in
//! `file:line:col: message` form is mapped back to the Markdown.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::hash::content_hash as key;

/// One finding of an external checker, in the snippet's coordinates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Finding {
    /// 1-based line of the snippet file.
    pub line: usize,
    /// 1-based column as the checker prints it (1 when it prints none).
    pub column: usize,
    /// The rest of the checker's line.
    pub message: String,
}

/// What running the checker on one snippet gave: cached as JSON under
/// `external-results/KEY.json` in the cache dir.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CheckerOutput {
    /// Its findings, in output order; empty when the snippet passed.
    pub findings: Vec<Finding>,
}

/// The checker could not be started, and why (RD306).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unavailable(pub String);

/// The cache key of a snippet under a command: lowercase hex SHA-256 of
/// ruledoc's version, the command, the language and the code.
pub(crate) fn job_key(command: &str, lang: &str, code: &str) -> String {
    key(&[crate::VERSION, "external", command, lang, code])
}

/// Run `command` on `code`, written to `s_<key prefix>.<extension>` under
/// `dir`. The command is split as a POSIX shell would (no shell runs); each
/// `{file}` becomes the file's path, which is appended when there is none.
/// A failing exit with no finding in the output is one finding at 1:1.
pub(crate) fn run(
    runner: &dyn super::runner::CommandRunner,
    command: &str,
    code: &str,
    key: &str,
    extension: &str,
    dir: &Path,
) -> Result<CheckerOutput, Unavailable> {
    let file = dir.join(format!("s_{}.{extension}", &key[..16]));
    if let Err(e) = std::fs::create_dir_all(dir).and_then(|_| std::fs::write(&file, code)) {
        return Err(Unavailable(format!("cannot write {}: {e}", file.display())));
    }
    let words = shlex::split(command)
        .ok_or_else(|| Unavailable(format!("cannot split the command `{command}`")))?;
    let file_arg = file.to_string_lossy();
    let mut args: Vec<String> = words
        .iter()
        .map(|w| w.replace("{file}", &file_arg))
        .collect();
    if !words.iter().any(|w| w.contains("{file}")) {
        args.push(file_arg.to_string());
    }
    let Some((program, rest)) = args.split_first() else {
        return Err(Unavailable("the command is empty".into()));
    };
    let out = runner
        .command(program)
        .args(rest)
        .current_dir(dir)
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                Unavailable(format!("`{program}` was not found on PATH"))
            }
            _ => Unavailable(format!("cannot run `{program}`: {e}")),
        })?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut findings = parse_output(&text, &file);
    if !out.status.success() && findings.is_empty() {
        let first = text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no output")
            .trim();
        findings.push(Finding {
            line: 1,
            column: 1,
            message: format!("`{program}` failed: {first}"),
        });
    }
    Ok(CheckerOutput { findings })
}

/// `path:line:col: message` and `path:line: message` lines about `file`.
fn parse_output(text: &str, file: &Path) -> Vec<Finding> {
    let full = file.to_string_lossy();
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut out = Vec::new();
    for line in text.lines() {
        let rest = if let Some(at) = line.find(full.as_ref()) {
            &line[at + full.len()..]
        } else if let Some(at) = line.find(&name) {
            &line[at + name.len()..]
        } else {
            continue;
        };
        let mut parts = rest.strip_prefix(':').unwrap_or("").splitn(3, ':');
        let Some(Ok(l)) = parts.next().map(|p| p.trim().parse::<usize>()) else {
            continue;
        };
        let (column, message) = match (parts.next(), parts.next()) {
            (Some(c), Some(m)) => match c.trim().parse::<usize>() {
                Ok(c) => (c, m.trim().to_string()),
                Err(_) => (1, format!("{c}:{m}").trim().to_string()),
            },
            (Some(m), None) => (1, m.trim().to_string()),
            _ => (1, String::new()),
        };
        out.push(Finding {
            line: l,
            column,
            message,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_line_col_output_is_read() {
        let file = std::path::PathBuf::from("/c/external/python/s_0123.py");
        let text = "/c/external/python/s_0123.py:12:5: F821 Undefined name `datetime`\nFound 1 error.\ns_0123.py:3: E501 line too long\n";
        let f = parse_output(text, &file);
        assert_eq!(
            f,
            [
                Finding {
                    line: 12,
                    column: 5,
                    message: "F821 Undefined name `datetime`".into()
                },
                Finding {
                    line: 3,
                    column: 1,
                    message: "E501 line too long".into()
                }
            ]
        );
    }
}
