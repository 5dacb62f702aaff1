//! mdBook as the reader of a book: of its links (RD401), and of the code
//! blocks `mdbook test` hands rustdoc (which documents are chapters, the
//! book's edition) and its `{{#include}}` directives.
//!
//! Links: a document under a book's source
//! folder is rendered to HTML, and a browser follows its links there, so
//! `chapter.html` is the page `chapter.md` becomes. The rules are those of
//! mdBook's guide: "Relative links that end with `.md` will be converted to
//! the `.html` extension" and "Links to `README.md` will be converted to
//! `index.html`" (`guide/src/format/markdown.md`), and the built-in `index`
//! preprocessor, on by default, turns every chapter named `README.md` into
//! `index.md` (`guide/src/format/configuration/preprocessors.md`).

use std::path::{Path, PathBuf};

use crate::load::read_text;
use crate::paths::normalize_from;

/// The book a document is a chapter source of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Book {
    /// The folder that holds `book.toml`, absolute: `{{#include}}` reads
    /// nothing outside it.
    pub(crate) root: PathBuf,
    /// The source folder (`[book] src` in `book.toml`, `src` by default),
    /// absolute.
    pub(crate) src: PathBuf,
    /// `[rust] edition` in `book.toml`, as written (`"2021"`): the edition
    /// `mdbook test` gives rustdoc.
    pub(crate) edition: Option<String>,
    /// Whether the `index` preprocessor runs: on unless `[build]
    /// use-default-preprocessors = false` turns it off and no
    /// `[preprocessor.index]` turns it back on.
    readme_is_index: bool,
}

impl Book {
    /// The book whose source folder holds `doc` (absolute): the nearest
    /// folder above it with a `book.toml`. A document beside `book.toml` but
    /// outside the source folder (a README for GitHub) is in no book.
    pub(crate) fn of(doc: &Path) -> Option<Book> {
        let root = doc
            .ancestors()
            .skip(1)
            .find(|dir| dir.join("book.toml").is_file())?;
        let book = Book::read(root);
        doc.starts_with(&book.src).then_some(book)
    }

    fn read(root: &Path) -> Book {
        // A `book.toml` mdBook cannot read either leaves the defaults.
        let config: toml::Table = read_text(&root.join("book.toml"))
            .ok()
            .and_then(|text| text.parse().ok())
            .unwrap_or_default();
        let get = |table: &str, key: &str| config.get(table).and_then(|t| t.get(key));
        let src = get("book", "src").and_then(|v| v.as_str()).unwrap_or("src");
        let defaults = get("build", "use-default-preprocessors")
            .and_then(toml::Value::as_bool)
            .unwrap_or(true);
        let edition = get("rust", "edition")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        Book {
            root: root.to_path_buf(),
            src: normalize_from(root, Path::new(src)),
            edition,
            readme_is_index: defaults || get("preprocessor", "index").is_some(),
        }
    }

    /// The chapter source of `page`, a `.html` path that is no file: `x.md`
    /// for `x.html`; for `index.html`, `index.md` or else a `README.md` (the
    /// `index` preprocessor matches the name in any case). `README.html` is
    /// no page while that preprocessor runs: the chapter became `index.html`.
    pub(crate) fn chapter_of(&self, page: &Path) -> Option<PathBuf> {
        let stem = page.file_name()?.to_str()?.strip_suffix(".html")?;
        let dir = page.parent()?;
        if self.readme_is_index && stem.eq_ignore_ascii_case("readme") {
            return None;
        }
        let md = dir.join(format!("{stem}.md"));
        if md.is_file() {
            return Some(md);
        }
        if stem != "index" || !self.readme_is_index {
            return None;
        }
        let mut readmes: Vec<PathBuf> = std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .map(|e| e.path())
            .filter(|p| is_readme(p) && p.is_file())
            .collect();
        readmes.sort();
        readmes.into_iter().next()
    }
}

/// `README.md` in any case, as mdBook's `index` preprocessor matches it
/// (`(?i)^readme$` on the file stem).
fn is_readme(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "md")
        && path
            .file_stem()
            .and_then(|s| s.to_str())
            .is_some_and(|s| s.eq_ignore_ascii_case("readme"))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::write;

    #[test]
    fn a_chapter_is_a_document_under_the_source_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "book.toml", "[book]\ntitle = \"B\"\n");
        write(root, "src/a.md", "# A\n");
        write(root, "README.md", "# Repo\n");
        let book = Book::of(&root.join("src/sub/b.md")).expect("in the book");
        assert_eq!(book.src, root.join("src"));
        assert_eq!(Book::of(&root.join("README.md")), None);
        assert_eq!(Book::of(&root.join("../elsewhere.md")), None);
        assert_eq!(book.edition, None);
        write(
            root,
            "book.toml",
            "[book]\nsrc = \"pages\"\n[rust]\nedition = \"2024\"\n",
        );
        assert_eq!(
            Book::of(&root.join("pages/a.md")).and_then(|b| b.edition),
            Some("2024".to_string())
        );
        assert_eq!(Book::of(&root.join("src/a.md")), None);
        assert!(Book::of(&root.join("pages/a.md")).is_some());
    }

    #[test]
    fn an_html_page_is_rendered_from_its_markdown_chapter() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "book.toml", "");
        write(root, "src/a.md", "# A\n");
        write(root, "src/sub/readme.md", "# Sub\n");
        write(root, "src/other/index.md", "# Other\n");
        let book = Book::of(&root.join("src/a.md")).unwrap();
        let page = |p: &str| book.chapter_of(&root.join("src").join(p));
        assert_eq!(page("a.html"), Some(root.join("src/a.md")));
        assert_eq!(page("sub/index.html"), Some(root.join("src/sub/readme.md")));
        assert_eq!(
            page("other/index.html"),
            Some(root.join("src/other/index.md"))
        );
        assert_eq!(page("sub/readme.html"), None);
        assert_eq!(page("b.html"), None);
        assert_eq!(page("a.htm"), None);

        write(
            root,
            "book.toml",
            "[build]\nuse-default-preprocessors = false\n",
        );
        let plain = Book::of(&root.join("src/a.md")).unwrap();
        assert_eq!(plain.chapter_of(&root.join("src/sub/index.html")), None);
        assert_eq!(
            plain.chapter_of(&root.join("src/sub/readme.html")),
            Some(root.join("src/sub/readme.md"))
        );
    }
}
