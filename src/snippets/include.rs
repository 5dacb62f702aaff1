//! mdBook's `links` preprocessor, applied to the code of one block of a
//! chapter: `{{#include file}}` and `{{#rustdoc_include file}}` (with a
//! line range or an anchor), `{{#title …}}` and `\{{#…}}` escapes, as
//! `crates/mdbook-driver/src/builtin_preprocessors/links.rs` (mdBook,
//! commit 641d06a) expands them:
//!
//! - a directive is `{{`, optional whitespace, `#`, a type of ASCII letters,
//!   digits and `_`, whitespace, then anything but `}` up to `}}`; its first
//!   whitespace-separated word after the type is the file, relative to the
//!   folder of the file holding the directive;
//! - `file:N` is line N, `file:N:M` lines N to M, `file::M` lines 1 to M,
//!   `file:N:` lines N to the end (1-based, inclusive; an end that is no
//!   number reads as no end); `file:name` the lines between `ANCHOR: name`
//!   and `ANCHOR_END: name`, other anchor lines left out;
//! - `rustdoc_include` keeps the whole file, the lines outside the range or
//!   anchor hidden as rustdoc `# ` lines;
//! - an included file's own directives are expanded, relative to its folder,
//!   up to 10 levels deep (deeper ones are dropped, as mdBook does);
//! - each line of an included text after the first gets the text that comes
//!   before the directive on its line;
//! - a directive whose file cannot be read stays in the text as written
//!   (mdBook prints an error): ruledoc reports it (see [`Included::missing`]).
//!
//! mdBook expands directives in the whole chapter before Markdown is read;
//! ruledoc expands them inside a code block only, so a directive in prose
//! (`{{#playground}}`, an include that brings in a whole fence) makes no
//! block.

use std::path::{Path, PathBuf};

use super::{Problem, SnippetOutcome, Status, SyntaxFinding, Verdict};

/// mdBook's `MAX_LINK_NESTED_DEPTH`.
const MAX_DEPTH: usize = 10;

/// A block's code after mdBook's expansion.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Included {
    /// Each line of the expanded code (no line ending) and the 1-based
    /// Markdown line it comes from: its own, or the line of the directive
    /// that brought it in.
    pub(crate) lines: Vec<(String, usize)>,
    /// Directives whose file could not be read: the 1-based Markdown line of
    /// the directive (of the top-level one, for a nested include), the
    /// directive as written, and why.
    pub(crate) missing: Vec<(usize, String, String)>,
    /// Whether any directive was expanded (or escaped).
    pub(crate) changed: bool,
}

/// What a directive asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// `\{{#…}}`: the text without its backslash.
    Escaped,
    /// `{{#include file…}}`.
    Include(String, Part),
    /// `{{#rustdoc_include file…}}`.
    RustdocInclude(String, Part),
    /// `{{#title …}}`: removed.
    Title,
}

/// Which lines of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// 0-based start, exclusive end (`None`: to the end).
    Range(usize, Option<usize>),
    /// Between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
}

/// A directive found in a text: its byte range and what it asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Link {
    start: usize,
    end: usize,
    kind: Kind,
}

/// Expand the directives in `code`, a block whose first line is Markdown
/// line `code_line`, with paths relative to `base` (the chapter's folder).
/// A file outside `root` (the book's folder, symbolic links resolved) is
/// not read: rule files are untrusted input, and mdBook's own freedom to
/// include any file is not ruledoc's. It is reported as a file that cannot
/// be read.
pub(crate) fn expand_includes(code: &str, code_line: usize, base: &Path, root: &Path) -> Included {
    let mut out = Included::default();
    let mut text = String::with_capacity(code.len());
    // The Markdown line of each line of `text`, the last one still open, and
    // the Markdown line of the original text being copied.
    let mut origins = vec![code_line];
    let mut counting = code_line;
    let mut previous = 0;
    for link in find_links(code) {
        copy(
            &code[previous..link.start],
            &mut text,
            &mut origins,
            &mut counting,
        );
        let at = counting;
        let mut nested = Vec::new();
        match expand_link(&link, code, (base, root), 0, &mut nested) {
            Ok(new) => {
                out.changed = true;
                let prefix = text.rsplit('\n').next().unwrap_or("").to_string();
                let joined = new.lines().collect::<Vec<_>>().join(&format!("\n{prefix}"));
                for c in joined.chars() {
                    text.push(c);
                    if c == '\n' {
                        origins.push(at);
                    }
                }
                // The original text goes on where the directive ends.
                counting = at + code[link.start..link.end].matches('\n').count();
            }
            Err(why) => {
                out.missing
                    .push((at, code[link.start..link.end].to_string(), why));
                copy(
                    &code[link.start..link.end],
                    &mut text,
                    &mut origins,
                    &mut counting,
                );
            }
        }
        for why in nested {
            out.missing
                .push((at, code[link.start..link.end].to_string(), why));
        }
        previous = link.end;
    }
    copy(&code[previous..], &mut text, &mut origins, &mut counting);
    out.lines = text
        .lines()
        .zip(origins)
        .map(|(l, o)| (l.to_string(), o))
        .collect();
    out
}

/// Copy original text, counting its lines.
fn copy(piece: &str, text: &mut String, origins: &mut Vec<usize>, counting: &mut usize) {
    for c in piece.chars() {
        text.push(c);
        if c == '\n' {
            *counting += 1;
            origins.push(*counting);
        }
    }
}

/// The text a directive found at nesting `depth` becomes, its own
/// directives expanded (relative to the included file's folder), or why its
/// file cannot be read. Files nested directives cannot read go to `missing`.
fn expand_link(
    link: &Link,
    text: &str,
    (base, root): (&Path, &Path),
    depth: usize,
    missing: &mut Vec<String>,
) -> Result<String, String> {
    let (file, part, rustdoc) = match &link.kind {
        Kind::Escaped => (None, None, false),
        Kind::Title => return Ok(String::new()),
        Kind::Include(file, part) => (Some(file), Some(part), false),
        Kind::RustdocInclude(file, part) => (Some(file), Some(part), true),
    };
    let (Some(file), Some(part)) = (file, part) else {
        // `\{{#…}}`: the text without its backslash, never expanded again.
        return Ok(if depth < MAX_DEPTH {
            text[link.start + 1..link.end].to_string()
        } else {
            String::new()
        });
    };
    let target = base.join(file);
    let inside = match (std::fs::canonicalize(&target), std::fs::canonicalize(root)) {
        (Ok(t), Ok(r)) => t.starts_with(r),
        // A file that does not exist fails below, with the OS's reason.
        _ => true,
    };
    if !inside {
        return Err(format!(
            "`{file}` ({}) is outside the book's folder {}, and ruledoc reads no file outside it",
            target.display(),
            root.display()
        ));
    }
    let content = std::fs::read_to_string(&target)
        .map_err(|e| format!("cannot read `{file}` ({}): {e}", target.display()))?;
    let new = match (part, rustdoc) {
        (Part::Range(start, end), false) => take_lines(&content, *start, *end),
        (Part::Anchor(name), false) => take_anchored_lines(&content, name),
        (Part::Range(start, end), true) => take_rustdoc_include_lines(&content, *start, *end),
        (Part::Anchor(name), true) => take_rustdoc_include_anchored_lines(&content, name),
    };
    if depth >= MAX_DEPTH {
        // mdBook: "Stack depth exceeded … Check for cyclic includes"; the
        // directive is dropped.
        return Ok(String::new());
    }
    let dir: PathBuf = target.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(replace_nested(&new, (&dir, root), depth + 1, missing))
}

/// mdBook's `replace_all` on an included text, at nesting `depth`.
fn replace_nested(
    s: &str,
    (base, root): (&Path, &Path),
    depth: usize,
    missing: &mut Vec<String>,
) -> String {
    let mut replaced = String::with_capacity(s.len());
    let mut previous = 0;
    for link in find_links(s) {
        replaced.push_str(&s[previous..link.start]);
        match expand_link(&link, s, (base, root), depth, missing) {
            Ok(new) => {
                let prefix = replaced.rsplit('\n').next().unwrap_or("").to_string();
                replaced.push_str(&new.lines().collect::<Vec<_>>().join(&format!("\n{prefix}")));
                previous = link.end;
            }
            Err(why) => {
                missing.push(why);
                previous = link.start;
            }
        }
    }
    replaced.push_str(&s[previous..]);
    replaced
}

/// A failed verdict when an `{{#include}}` of the block names a file mdBook
/// cannot read: mdBook prints an error and leaves the directive in the
/// block, which rustdoc then compiles as code. Reported at the first such
/// directive (RD303), never compiled.
pub(crate) fn missing_verdict(
    source: &crate::source::SourceFile,
    s: &crate::model::Snippet,
    inc: &Included,
    lang: &str,
) -> Option<Verdict> {
    let (md_line, directive, why) = inc.missing.first()?;
    let index = md_line.saturating_sub(s.code_line);
    let column = s
        .code
        .lines()
        .nth(index)
        .and_then(|l| {
            l.find(directive.lines().next().unwrap_or(""))
                .map(|b| l[..b].chars().count() + 1)
        })
        .unwrap_or(1);
    let outside = why.contains("outside the book");
    let message = if outside {
        format!(
            "{lang} snippet: `{}`: {why}, so the block is not checked as mdBook would build it",
            directive.lines().next().unwrap_or(""),
        )
    } else {
        format!(
            "{lang} snippet: `{}`: {why}; mdBook leaves the directive in the block, which rustdoc then compiles as code",
            directive.lines().next().unwrap_or(""),
        )
    };
    let help = if outside {
        "keep the included file inside the book's folder (the one holding book.toml)"
    } else {
        "give the path relative to the chapter's folder"
    };
    Some(Verdict {
        outcome: SnippetOutcome {
            path: source.display.clone(),
            line: s.line,
            lang: lang.to_string(),
            status: Status::Failed,
            detail: Some(message.clone()),
            cached: false,
        },
        problem: Some(Problem::Syntax(vec![SyntaxFinding {
            range: {
                // The directive's own line: an indented block's last line
                // is code too, so no clamping to the block.
                let start = source.offset_of(*md_line, column + s.fence.indent);
                let end = source
                    .lines
                    .line_span(&source.text, *md_line)
                    .end
                    .max(start);
                source.finding_range(crate::source::Span::new(start, end))
            },
            message,
            help: Some(help.into()),
        }])),
    })
}

/// mdBook's `find_links`: the directives of `s`, in order, without overlap.
/// The pattern is `\\\{\{#.*\}\}` (an escape, to the last `}}` of its line)
/// or `\{\{\s*#([a-zA-Z0-9_]+)\s+([^}]+)\}\}`; a match that is no directive
/// mdBook knows (another type, or no file) is passed over.
fn find_links(s: &str) -> Vec<Link> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && s[i..].starts_with("\\{{#") {
            let line_end = s[i..].find('\n').map_or(s.len(), |n| i + n);
            if let Some(close) = s[i + 4..line_end].rfind("}}") {
                let end = i + 4 + close + 2;
                out.push(Link {
                    start: i,
                    end,
                    kind: Kind::Escaped,
                });
                i = end;
                continue;
            }
        }
        if b[i] == b'{'
            && let Some((end, typ, rest)) = directive_at(s, i)
        {
            if let Some(kind) = kind_of(typ, rest) {
                out.push(Link {
                    start: i,
                    end,
                    kind,
                });
            }
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

/// The directive pattern at byte `i`: its end, type and the text after the
/// type.
fn directive_at(s: &str, i: usize) -> Option<(usize, &str, &str)> {
    let rest = s[i..].strip_prefix("{{")?;
    let after_ws = rest.trim_start();
    let typ_start = s.len() - after_ws.strip_prefix('#')?.len();
    let typ_len = s[typ_start..]
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
        .count();
    if typ_len == 0 {
        return None;
    }
    let typ = &s[typ_start..typ_start + typ_len];
    let body_start = typ_start + typ_len;
    let body = &s[body_start..];
    if !body.starts_with(char::is_whitespace) {
        return None;
    }
    // `\s+([^}]+)\}\}`: everything up to the first `}`, which must open `}}`.
    let close = body.find('}')?;
    if !body[close..].starts_with("}}") {
        return None;
    }
    let inner = &body[..close];
    // `\s+` then at least one character of `[^}]+`.
    if inner.chars().count() < 2 {
        return None;
    }
    Some((body_start + close + 2, typ, inner))
}

/// What a matched directive asks for (mdBook's `Link::from_capture`).
fn kind_of(typ: &str, rest: &str) -> Option<Kind> {
    if typ == "title" {
        return Some(Kind::Title);
    }
    let file_arg = rest.split_whitespace().next()?;
    let (file, part) = match file_arg.split_once(':') {
        Some((f, p)) => (f, parse_part(Some(p))),
        None => (file_arg, parse_part(None)),
    };
    match typ {
        "include" => Some(Kind::Include(file.to_string(), part)),
        "rustdoc_include" => Some(Kind::RustdocInclude(file.to_string(), part)),
        // `playground`/`playpen` make a fence of their own: not inside a
        // code block.
        _ => None,
    }
}

/// mdBook's `parse_range_or_anchor`.
fn parse_part(parts: Option<&str>) -> Part {
    let mut parts = parts.unwrap_or("").splitn(3, ':');
    let first = parts.next();
    let start = match first {
        Some(v) if v.parse::<usize>().is_ok() => {
            v.parse::<usize>().ok().map(|n| n.saturating_sub(1))
        }
        Some("") | None => None,
        Some(anchor) => return Part::Anchor(anchor.to_string()),
    };
    let end = parts.next().map(|s| s.parse::<usize>());
    match (start, end) {
        (Some(s), Some(Ok(e))) => Part::Range(s, Some(e)),
        (Some(s), Some(Err(_))) => Part::Range(s, None),
        (Some(s), None) => Part::Range(s, Some(s + 1)),
        (None, Some(Ok(e))) => Part::Range(0, Some(e)),
        (None, None) | (None, Some(Err(_))) => Part::Range(0, None),
    }
}

/// mdBook's `take_lines`.
fn take_lines(s: &str, start: usize, end: Option<usize>) -> String {
    let lines = s.lines().skip(start);
    match end {
        Some(end) => lines
            .take(end.saturating_sub(start))
            .collect::<Vec<_>>()
            .join("\n"),
        None => lines.collect::<Vec<_>>().join("\n"),
    }
}

/// `ANCHOR: name` (mdBook's `ANCHOR:\s*([\w_-]+)`): the name, if the line
/// holds one.
fn anchor_start(line: &str) -> Option<&str> {
    anchor_after(line, "ANCHOR:")
}

/// `ANCHOR_END: name`.
fn anchor_end(line: &str) -> Option<&str> {
    anchor_after(line, "ANCHOR_END:")
}

fn anchor_after<'a>(line: &'a str, mark: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(at) = line[from..].find(mark) {
        let rest = line[from + at + mark.len()..].trim_start();
        let len: usize = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .map(char::len_utf8)
            .sum();
        if len > 0 {
            return Some(&rest[..len]);
        }
        from += at + mark.len();
    }
    None
}

/// mdBook's `take_anchored_lines`.
fn take_anchored_lines(s: &str, anchor: &str) -> String {
    let mut retained = Vec::new();
    let mut found = false;
    for l in s.lines() {
        if found {
            match anchor_end(l) {
                Some(name) if name == anchor => break,
                Some(_) => {}
                None if anchor_start(l).is_none() => retained.push(l),
                None => {}
            }
        } else if anchor_start(l) == Some(anchor) {
            found = true;
        }
    }
    retained.join("\n")
}

/// mdBook's `take_rustdoc_include_lines`.
fn take_rustdoc_include_lines(s: &str, start: usize, end: Option<usize>) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.lines().enumerate() {
        if i < start || end.is_some_and(|e| i >= e) {
            out.push_str("# ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out.pop();
    out
}

/// mdBook's `take_rustdoc_include_anchored_lines`.
fn take_rustdoc_include_anchored_lines(s: &str, anchor: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut within = false;
    for l in s.lines() {
        if within {
            match anchor_end(l) {
                Some(name) if name == anchor => within = false,
                Some(_) => {}
                None if anchor_start(l).is_none() => {
                    out.push_str(l);
                    out.push('\n');
                }
                None => {}
            }
        } else if anchor_start(l).is_some() {
            within = anchor_start(l) == Some(anchor);
        } else if anchor_end(l).is_none() {
            out.push_str("# ");
            out.push_str(l);
            out.push('\n');
        }
    }
    out.pop();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::write;

    fn text(inc: &Included) -> String {
        inc.lines.iter().map(|(l, _)| format!("{l}\n")).collect()
    }

    /// mdBook's own `take_lines` and anchor tests (`take_lines.rs`).
    #[test]
    fn lines_and_anchors_are_taken_as_mdbook_takes_them() {
        let s = "Lorem\nipsum\ndolor\nsit\namet";
        assert_eq!(take_lines(s, 1, Some(3)), "ipsum\ndolor");
        assert_eq!(take_lines(s, 3, None), "sit\namet");
        assert_eq!(take_lines(s, 0, Some(3)), "Lorem\nipsum\ndolor");
        assert_eq!(take_lines(s, 0, None), s);
        assert_eq!(take_lines(s, 4, Some(3)), "");
        assert_eq!(take_lines(s, 0, Some(100)), s);
        let s = "Lorem\nipsum\nANCHOR: test\ndolor\nANCHOR: other\nsit\nANCHOR_END: other\nANCHOR_END: test\namet";
        assert_eq!(take_anchored_lines(s, "test"), "dolor\nsit");
        assert_eq!(take_anchored_lines(s, "other"), "sit");
        assert_eq!(take_anchored_lines(s, "none"), "");
        assert_eq!(
            take_rustdoc_include_anchored_lines(s, "other"),
            "# Lorem\n# ipsum\n# dolor\nsit\n# amet"
        );
        assert_eq!(
            take_rustdoc_include_lines("a\nb\nc", 1, Some(2)),
            "# a\nb\n# c"
        );
        assert_eq!(parse_part(Some("2")), Part::Range(1, Some(2)));
        assert_eq!(parse_part(Some("2:4")), Part::Range(1, Some(4)));
        assert_eq!(parse_part(Some(":4")), Part::Range(0, Some(4)));
        assert_eq!(parse_part(Some("2:")), Part::Range(1, None));
        assert_eq!(parse_part(Some("name")), Part::Anchor("name".into()));
        assert_eq!(parse_part(None), Part::Range(0, None));
    }

    #[test]
    fn directives_are_expanded_and_lines_map_to_the_directive() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "src/ch/f.rs", "fn a() {}\nfn b() {}\nfn c() {}\n");
        write(root, "src/ch/nest.rs", "// top\n{{#include f.rs:2}}\n");
        let base = root.join("src/ch");
        let code = "let x = 1;\n{{#include f.rs:2:3}}\nlet y = 2;\n    {{#include f.rs::1}}\n";
        let inc = expand_includes(code, 10, &base, root);
        assert!(inc.changed && inc.missing.is_empty());
        assert_eq!(
            text(&inc),
            "let x = 1;\nfn b() {}\nfn c() {}\nlet y = 2;\n    fn a() {}\n"
        );
        let lines: Vec<usize> = inc.lines.iter().map(|(_, l)| *l).collect();
        assert_eq!(lines, [10, 11, 11, 12, 13]);

        // The prefix before the directive goes before each included line.
        let inc = expand_includes("// {{#include f.rs:1:2}}\n", 1, &base, root);
        assert_eq!(text(&inc), "// fn a() {}\n// fn b() {}\n");
        // Nested includes, relative to the included file.
        let inc = expand_includes("{{#include nest.rs}}\n", 1, &base, root);
        assert_eq!(text(&inc), "// top\nfn b() {}\n");
        // rustdoc_include hides what is outside the range.
        let inc = expand_includes("{{#rustdoc_include f.rs:2}}\n", 1, &base, root);
        assert_eq!(text(&inc), "# fn a() {}\nfn b() {}\n# fn c() {}\n");
        // An escape loses its backslash and is not expanded.
        let inc = expand_includes("\\{{#include f.rs}}\n", 1, &base, root);
        assert_eq!(text(&inc), "{{#include f.rs}}\n");
        // Other directives and non-directives stay.
        let code = "{{#playground f.rs}}\n{{ #include }}\nlet s = \"{{x}}\";\n";
        let inc = expand_includes(code, 1, &base, root);
        assert!(!inc.changed);
        assert_eq!(text(&inc), code);
    }

    #[test]
    fn a_file_that_cannot_be_read_stays_and_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let inc = expand_includes("a\n{{#include nope.rs}}\nb\n", 4, dir.path(), dir.path());
        assert_eq!(text(&inc), "a\n{{#include nope.rs}}\nb\n");
        assert_eq!(inc.missing.len(), 1);
        assert_eq!(inc.missing[0].0, 5);
        assert_eq!(inc.missing[0].1, "{{#include nope.rs}}");
        assert!(inc.missing[0].2.contains("nope.rs"), "{:?}", inc.missing);
        // A cycle stops at mdBook's depth (10 levels), without error.
        write(dir.path(), "self.rs", "x\n{{#include self.rs}}\n");
        let inc = expand_includes("{{#include self.rs}}\n", 1, dir.path(), dir.path());
        assert!(inc.missing.is_empty());
        assert_eq!(inc.lines.len(), 10);
    }

    #[test]
    fn a_file_outside_the_book_is_never_read() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("book");
        write(&book, "src/ch.rs", "fn inside() {}\n");
        write(dir.path(), "secret.txt", "password\n");
        let src = book.join("src");
        let inc = expand_includes("{{#include ../../secret.txt}}\n", 1, &src, &book);
        assert_eq!(text(&inc), "{{#include ../../secret.txt}}\n");
        assert!(
            inc.missing[0].2.contains("outside the book"),
            "{:?}",
            inc.missing
        );
        // An absolute path.
        let absolute = dir.path().join("secret.txt").display().to_string();
        let inc = expand_includes(&format!("{{{{#include {absolute}}}}}\n"), 1, &src, &book);
        assert!(!inc.changed);
        assert!(
            inc.missing[0].2.contains("outside the book"),
            "{:?}",
            inc.missing
        );
        // Through a symbolic link too.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), src.join("link.txt"))
                .unwrap();
            let inc = expand_includes("{{#include link.txt}}\n", 1, &src, &book);
            assert!(
                inc.missing[0].2.contains("outside the book"),
                "{:?}",
                inc.missing
            );
        }
        let inc = expand_includes("{{#include ch.rs}}\n", 1, &src, &book);
        assert_eq!(text(&inc), "fn inside() {}\n");
    }
}
