//! `snippets extract`: one file per snippet, as the checker sees it (Rust
//! with rustdoc's expansion applied), and a manifest back to the sources.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::attributes::{is_rust, rust_attributes};
use super::rust::expand::expand;
use crate::error::{Error, Result};
use crate::model::{Marker, RuleDoc};
use crate::paths::display_path;

/// One extracted file and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The file, relative to the output folder.
    pub file: String,
    /// The document it came from.
    pub source: String,
    /// The opening fence's line.
    pub line: usize,
    /// The line of the snippet's first line of code.
    pub code_line: usize,
    pub lang: String,
    pub attributes: Vec<String>,
    pub label: Option<String>,
    pub marker: Option<Marker>,
    /// Whether the file holds rustdoc's expansion (`fn main` wrapper, hidden
    /// lines shown) rather than the code as written.
    pub expanded: bool,
}

/// The manifest's file name in the output folder.
pub const MANIFEST: &str = "manifest.json";

/// A file name for a snippet: its document's path with separators replaced,
/// its line, and its language's extension.
pub fn file_name(doc_path: &str, line: usize, lang: &str) -> String {
    let stem: String = doc_path
        .trim_start_matches("./")
        .trim_end_matches(".mdc")
        .trim_end_matches(".md")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{stem}_L{line}.{}", extension(lang))
}

fn extension(lang: &str) -> &str {
    match lang {
        "rust" | "rs" => "rs",
        "python" | "py" | "python3" | "pycon" => "py",
        "javascript" | "js" => "js",
        "typescript" | "ts" => "ts",
        "bash" | "sh" | "shell" => "sh",
        "yaml" | "yml" => "yaml",
        "json" => "json",
        "toml" => "toml",
        "" => "txt",
        other if other.chars().all(|c| c.is_ascii_alphanumeric()) => other,
        _ => "txt",
    }
}

/// The files and manifest entries for the snippets of `doc`.
pub fn entries(doc: &RuleDoc) -> Vec<(Entry, String)> {
    doc.snippets
        .iter()
        .filter(|s| s.closed)
        .map(|s| {
            let rust = is_rust(s) && !rust_attributes(s).ignore;
            let lang = if is_rust(s) { "rust" } else { s.lang.as_str() };
            let text = if rust {
                expand(s).text()
            } else {
                s.code.clone()
            };
            let entry = Entry {
                file: file_name(&doc.path, s.line, lang),
                source: doc.path.clone(),
                line: s.line,
                code_line: s.code_line,
                lang: lang.to_string(),
                attributes: s.attributes.clone(),
                label: s.label.clone(),
                marker: s.marker,
                expanded: rust,
            };
            (entry, text)
        })
        .collect()
}

/// Write `files` into `out` with a manifest. A file already there is replaced
/// only if an earlier extract wrote it (it is in the old manifest).
pub fn write(out: &Path, files: &[(Entry, String)]) -> Result<PathBuf> {
    let manifest_path = out.join(MANIFEST);
    let previous: Vec<Entry> = std::fs::read(&manifest_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let ours = |name: &str| previous.iter().any(|e| e.file == name);
    let clashes: Vec<String> = files
        .iter()
        .map(|(e, _)| out.join(&e.file))
        .filter(|p| {
            p.exists()
                && !ours(
                    &p.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                )
        })
        .map(|p| display_path(&p))
        .collect();
    if !clashes.is_empty() || (manifest_path.exists() && previous.is_empty()) {
        let mut list = clashes;
        if list.is_empty() {
            list.push(display_path(&manifest_path));
        }
        return Err(Error::WouldOverwrite(list));
    }
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    for old in &previous {
        if !files.iter().any(|(e, _)| e.file == old.file) {
            let _ = std::fs::remove_file(out.join(&old.file));
        }
    }
    for (entry, text) in files {
        crate::fsutil::write_atomic(&out.join(&entry.file), text.as_bytes())?;
    }
    let manifest: Vec<&Entry> = files.iter().map(|(e, _)| e).collect();
    let bytes = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    crate::fsutil::write_atomic(&manifest_path, &bytes)?;
    Ok(manifest_path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_follow_document_and_line() {
        assert_eq!(
            super::file_name("rules/sub/async.md", 42, "python"),
            "rules_sub_async_L42.py"
        );
        assert_eq!(super::file_name("a b.mdc", 3, "rust"), "a_b_L3.rs");
    }
}
