//! `snippets extract`: one file per snippet, as the checker sees it (Rust
//! with rustdoc's expansion applied: hidden `# ` lines shown, crate
//! attributes first, the `fn main` wrapper), and a manifest back to the
//! sources.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::attributes::rust_in;
use super::include::expand_includes;
use super::rust::expand::{expand, expand_lines};
use crate::error::{Error, Result};
use crate::load::Document;
use crate::mdbook::Book;
use crate::model::{Marker, RuleDoc, Snippet};
use crate::paths::display_path;

/// One extracted file and where it came from: an element of the manifest's
/// JSON array.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The file's name, in the output folder (see [`file_name`]).
    pub file: String,
    /// The document it came from, as users see its path.
    pub source: String,
    /// 1-based line of the opening fence.
    pub line: usize,
    /// 1-based line of the snippet's first line of code.
    pub code_line: usize,
    /// `rust` for every block rustdoc would test (```` ```no_run ```` too),
    /// else the fence's language as written.
    pub lang: String,
    /// The info string's other words, as written.
    pub attributes: Vec<String>,
    /// The bold line just above the fence, if any.
    pub label: Option<String>,
    /// ✅ or ❌ (or their words), if the snippet carries one.
    pub marker: Option<Marker>,
    /// Whether the file holds rustdoc's expansion (`fn main` wrapper, hidden
    /// lines shown) rather than the code as written.
    pub expanded: bool,
}

/// The manifest's file name in the output folder.
pub const MANIFEST: &str = "manifest.json";

/// A file name for a snippet: its document's path without `.md`/`.mdc`,
/// every character but ASCII letters, digits, `-` and `_` turned into `_`,
/// then `_L` and the 1-based line of its opening fence, then its language's
/// extension (`rules/sub/async.md`, 42, `python` → `rules_sub_async_L42.py`).
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
        "jsx" => "jsx",
        "tsx" => "tsx",
        "mjs" => "mjs",
        "cjs" => "cjs",
        "bash" | "sh" | "shell" => "sh",
        "yaml" | "yml" => "yaml",
        "json" => "json",
        "toml" => "toml",
        "" => "txt",
        other if other.chars().all(|c| c.is_ascii_alphanumeric()) => other,
        _ => "txt",
    }
}

/// The manifest entries and file texts for the snippets of `doc`, one per
/// closed block (a fence that never closes is left out), in document order.
/// Rust blocks are expanded unless `ignore`d; other blocks are as written.
/// Blocks are read as outside an mdBook; see [`document_entries`].
pub fn entries(doc: &RuleDoc) -> Vec<(Entry, String)> {
    entries_in(doc, None)
}

/// [`entries`] for a loaded document: in an mdBook chapter (see
/// [`crate::snippets::Verifier::check_document`]) fences with no info string
/// and indented code blocks are Rust, and `{{#include}}` directives in Rust
/// blocks are expanded (a directive whose file cannot be read stays as
/// written).
pub fn document_entries(document: &Document) -> Vec<(Entry, String)> {
    let path = crate::paths::normalize_from(
        &std::env::current_dir().unwrap_or_default(),
        &document.source.path,
    );
    let book = Book::of(&path).map(|book| {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        (dir, book.root)
    });
    entries_in(
        &document.doc,
        book.as_ref().map(|(d, r)| (d.as_path(), r.as_path())),
    )
}

/// The entries of `doc`; `chapter_dir` is the chapter's folder and the
/// book's folder when the document is an mdBook chapter.
fn entries_in(doc: &RuleDoc, chapter_dir: Option<(&Path, &Path)>) -> Vec<(Entry, String)> {
    let mut blocks: Vec<&Snippet> = doc.snippets.iter().collect();
    if chapter_dir.is_some() {
        blocks.extend(&doc.indented);
        blocks.sort_by_key(|s| s.line);
    }
    blocks
        .into_iter()
        .filter(|s| s.closed)
        .map(|s| {
            let attrs = rust_in(s, chapter_dir.is_some());
            let lang = if attrs.is_some() {
                "rust"
            } else {
                s.lang.as_str()
            };
            let rust = attrs.filter(|a| !a.ignore);
            let expanded_rust = rust.is_some();
            let text = if let Some(attrs) = rust {
                let expanded = match chapter_dir {
                    Some((dir, root)) => {
                        expand_lines(&expand_includes(&s.code, s.code_line, dir, root).lines)
                    }
                    None => expand(s),
                };
                expanded.for_attributes(&attrs).program()
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
                expanded: expanded_rust,
            };
            (entry, text)
        })
        .collect()
}

/// Write `files` into `out` with a manifest ([`MANIFEST`]). A file already
/// there is replaced only if an earlier extract wrote it (it is in the old
/// manifest); files of the old manifest that are no longer produced are
/// removed. Each file is written atomically. Returns the manifest's path.
///
/// # Errors
///
/// [`Error::WouldOverwrite`], before anything is written, when a file to
/// write exists and the old manifest does not list it, or when `out` holds a
/// manifest that is not a list of entries; [`Error::Io`] when the
/// folder cannot be made or a file cannot be written.
pub fn write(out: &Path, files: &[(Entry, String)]) -> Result<PathBuf> {
    let manifest_path = out.join(MANIFEST);
    // An empty list is an earlier extract of a set without snippets; a
    // manifest that is not a list of entries is someone else's file.
    let read: Option<Vec<Entry>> = std::fs::read(&manifest_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let foreign_manifest = manifest_path.exists() && read.is_none();
    let previous = read.unwrap_or_default();
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
    if !clashes.is_empty() || foreign_manifest {
        let mut list = clashes;
        if list.is_empty() {
            list.push(display_path(&manifest_path));
        }
        return Err(Error::WouldOverwrite(list));
    }
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    for old in &previous {
        // Only a plain file name, as extract writes them: a manifest that
        // names `../x` or `/x` never removes anything outside `out`.
        let plain = matches!(
            Path::new(&old.file)
                .components()
                .collect::<Vec<_>>()
                .as_slice(),
            [std::path::Component::Normal(_)]
        );
        if plain && !files.iter().any(|(e, _)| e.file == old.file) {
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
    fn an_empty_manifest_is_ours_and_a_manifest_never_reaches_outside() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        super::write(&out, &[]).unwrap();
        super::write(&out, &[]).expect("a second extract of no snippets");
        // A manifest naming a file outside `out` does not remove it.
        let victim = dir.path().join("keep.txt");
        std::fs::write(&victim, "x").unwrap();
        std::fs::write(
            out.join(super::MANIFEST),
            r#"[{"file":"../keep.txt","source":"a.md","line":1,"code_line":2,"lang":"py","attributes":[],"label":null,"marker":null,"expanded":false}]"#,
        )
        .unwrap();
        super::write(&out, &[]).unwrap();
        assert!(victim.exists());
    }

    #[test]
    fn names_follow_document_and_line() {
        assert_eq!(
            super::file_name("rules/sub/async.md", 42, "python"),
            "rules_sub_async_L42.py"
        );
        assert_eq!(super::file_name("a b.mdc", 3, "rust"), "a_b_L3.rs");
    }
}
