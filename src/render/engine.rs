//! Tera with ruledoc's templates embedded, a user folder that overrides them
//! by file name, the filters templates use, and errors that name the
//! template and the line.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;
use tera::{Context, Tera};

use crate::error::{Error, Result};
use crate::paths::relative;

/// The built-in templates, by file name.
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    (
        "index.md.tera",
        include_str!("../../templates/index.md.tera"),
    ),
    (
        "agents.md.tera",
        include_str!("../../templates/agents.md.tera"),
    ),
    (
        "joined.md.tera",
        include_str!("../../templates/joined.md.tera"),
    ),
    (
        "claude.md.tera",
        include_str!("../../templates/claude.md.tera"),
    ),
    (
        "claude-rule.md.tera",
        include_str!("../../templates/claude-rule.md.tera"),
    ),
    (
        "cursor.md.tera",
        include_str!("../../templates/cursor.md.tera"),
    ),
    (
        "copilot.md.tera",
        include_str!("../../templates/copilot.md.tera"),
    ),
    (
        "windsurf.md.tera",
        include_str!("../../templates/windsurf.md.tera"),
    ),
    ("kiro.md.tera", include_str!("../../templates/kiro.md.tera")),
    (
        "cline.md.tera",
        include_str!("../../templates/cline.md.tera"),
    ),
    (
        "continue.md.tera",
        include_str!("../../templates/continue.md.tera"),
    ),
    (
        "augment.md.tera",
        include_str!("../../templates/augment.md.tera"),
    ),
    (
        "plain.md.tera",
        include_str!("../../templates/plain.md.tera"),
    ),
    (
        "applies.md.tera",
        include_str!("../../templates/applies.md.tera"),
    ),
    (
        "revised.md.tera",
        include_str!("../../templates/revised.md.tera"),
    ),
];

/// The templates in use.
pub struct Engine {
    tera: Tera,
    /// The output folder, absolute.
    out_dir: PathBuf,
    /// Where the output being rendered sits, for the filters that compute
    /// relative paths.
    places: SharedPlaces,
    /// Each template's text, for error lines and the trailing-newline rule.
    sources: HashMap<String, String>,
    /// Where each template came from, for messages.
    origins: HashMap<String, String>,
}

impl Engine {
    /// The built-ins, with files of the same name in `overrides` taking their place.
    ///
    /// # Errors
    ///
    /// The overrides folder cannot be read, or a template does not parse
    /// (named with its origin, line and column where Tera gives them).
    pub fn new(overrides: Option<&Path>) -> Result<Self> {
        let mut sources: HashMap<String, String> = BUILTIN
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let mut origins: HashMap<String, String> = BUILTIN
            .iter()
            .map(|(n, _)| (n.to_string(), format!("built-in template {n}")))
            .collect();
        if let Some(dir) = overrides {
            let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
            for entry in entries.flatten() {
                let path = entry.path();
                let Some(name) = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .map(str::to_string)
                else {
                    continue;
                };
                if !name.ends_with(".tera") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
                origins.insert(name.clone(), crate::paths::display_path(&path));
                sources.insert(name, text);
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![]);
        let mut names: Vec<&String> = sources.keys().collect();
        names.sort();
        for name in names {
            tera.add_raw_template(name, &sources[name])
                .map_err(|e| template_error(&origins[name], &sources[name], &e))?;
        }
        let places = SharedPlaces::default();
        register_filters(&mut tera, &places);
        Ok(Engine {
            tera,
            sources,
            origins,
            out_dir: PathBuf::new(),
            places,
        })
    }

    /// Where outputs go and where document paths start from.
    pub fn set_locations(&mut self, out_dir: &Path, cwd: &Path) {
        self.places.lock().cwd = cwd.to_path_buf();
        self.out_dir = crate::paths::normalize_from(cwd, out_dir);
    }

    /// The output folder, absolute and lexically normalised.
    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// Whether a template named `name` (`cursor.mdc.tera`) exists, built-in
    /// or overriding.
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Render `name`; `output` is the file it becomes, relative to the output
    /// folder (for `relpath` and `rebase`).
    ///
    /// # Errors
    ///
    /// Tera fails to render (an unknown variable or filter, a filter error),
    /// named with the template and, where Tera gives it, its line.
    pub fn render(&mut self, name: &str, context: &Context, output: &Path) -> Result<String> {
        self.places.lock().mdc = output.extension().is_some_and(|e| e == "mdc");
        self.places.lock().from = self
            .out_dir
            .join(output)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let Some(source) = self.sources.get(name) else {
            return Err(Error::Usage(format!(
                "no template named {name}: neither built in nor in the templates folder"
            )));
        };
        let mut out = self
            .tera
            .render(name, context)
            .map_err(|e| template_error(&self.origins[name], source, &e))?;
        // A template file's own last newline is not part of the output.
        if source.ends_with('\n') && out.ends_with('\n') {
            out.pop();
        }
        Ok(out)
    }
}

/// Every filter templates use, registered once, when the engine is built.
/// `relpath` and `rebase` read the output's place from `places`, which
/// `render` sets for each output.
fn register_filters(tera: &mut Tera, places: &SharedPlaces) {
    tera.register_filter("relpath", relpath(places.clone()));
    tera.register_filter("rebase", rebase(places.clone()));
    tera.register_filter("strip_title", strip_title);
    tera.register_filter("demote", demote);
    tera.register_filter("yaml_string", yaml_string);
    tera.register_filter("yaml_quoted", yaml_quoted);
}

/// Where paths in an output are computed from: the current directory
/// (document paths start there) and the folder of the output being
/// rendered, both absolute.
#[derive(Debug, Default)]
struct Places {
    cwd: PathBuf,
    from: PathBuf,
    /// The output is a Cursor rule, where Cursor's `mdc:` links hold.
    mdc: bool,
}

/// `Places` shared between the engine and its filters (Tera wants filters
/// `Send + Sync`).
#[derive(Debug, Default, Clone)]
struct SharedPlaces(Arc<Mutex<Places>>);

impl SharedPlaces {
    /// The places, even after a panic elsewhere: they are plain paths, never
    /// left half-set.
    fn lock(&self) -> std::sync::MutexGuard<'_, Places> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The `relpath` filter: a document path relative to the output file.
fn relpath(places: SharedPlaces) -> impl tera::Filter {
    move |v: &Value, _: &HashMap<String, Value>| -> tera::Result<Value> {
        let to = v
            .as_str()
            .ok_or_else(|| tera::Error::msg("relpath takes a path"))?;
        let places = places.lock();
        let to = crate::paths::normalize_from(&places.cwd, Path::new(to));
        Ok(Value::String(relative(&places.from, &to)))
    }
}

/// The `rebase(from=path)` filter: relative links in a document's body
/// rewritten for the output's place.
fn rebase(places: SharedPlaces) -> impl tera::Filter {
    move |v: &Value, args: &HashMap<String, Value>| -> tera::Result<Value> {
        let text = v
            .as_str()
            .ok_or_else(|| tera::Error::msg("rebase takes text"))?;
        let doc = args
            .get("from")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("rebase needs from=<the document's path>"))?;
        let places = places.lock();
        let doc_dir = crate::paths::normalize_from(&places.cwd, Path::new(doc))
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        // Cursor's `mdc:` links (from the repository's top, here the
        // current folder) mean nothing to other agents: plain relative links
        // instead, but in a Cursor rule.
        let mdc_top = (!places.mdc).then_some(places.cwd.as_path());
        let text = rebase_links(text, &doc_dir, &places.from, mdc_top);
        Ok(Value::String(text))
    }
}

/// A template error with the template's name and, where it can be told, the line.
fn template_error(origin: &str, source: &str, e: &tera::Error) -> Error {
    let mut chain = vec![e.to_string()];
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        chain.push(c.to_string());
        cause = c.source();
    }
    let text = chain.join(": ");
    let line = line_of(&text, source);
    Error::Usage(match line {
        Some(l) => format!("{origin}:{l}: {}", clean(&text)),
        None => format!("{origin}: {}", clean(&text)),
    })
}

/// The line a Tera message points at: its own `--> N:M`, else the first line
/// of the template that holds the name the message quotes in backticks.
fn line_of(message: &str, source: &str) -> Option<usize> {
    if let Some(at) = message.find("--> ") {
        let digits: String = message[at + 4..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(n) = digits.parse() {
            return Some(n);
        }
    }
    let quoted = message.split('`').nth(1)?;
    let needle = quoted.split(['.', '[']).next().filter(|n| !n.is_empty())?;
    source
        .lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
}

fn clean(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Relative link destinations in `text`, written for a document in `doc_dir`,
/// rewritten for a file in `out_dir` (both absolute): inline links and
/// images, and reference definitions (`[ref]: ../guide.md`, CommonMark
/// §4.7). Web links, anchors and absolute paths are left alone. With
/// `mdc_top`, Cursor's `mdc:path` links (paths from that folder, the
/// repository's top) become plain relative links too. One parse serves all.
pub(crate) fn rebase_links(
    text: &str,
    doc_dir: &Path,
    out_dir: &Path,
    mdc_top: Option<&Path>,
) -> String {
    use pulldown_cmark::{Event, LinkType, Tag};
    let relative_link = |url: &str| {
        !(url.is_empty() || url.starts_with('#') || url.starts_with('/') || url.contains(':'))
    };
    // `url`'s path part (before `#` or `?`) read from `from`, written from
    // `out_dir`, with the rest kept.
    let moved = |url: &str, from: &Path| {
        let (path, rest) = url.split_at(url.find(['#', '?']).unwrap_or(url.len()));
        let target = crate::paths::normalize_from(from, Path::new(path));
        format!("{}{rest}", relative(out_dir, &target))
    };
    let rebase = doc_dir != out_dir;
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut parser =
        pulldown_cmark::Parser::new_ext(text, crate::parse::markdown_options()).into_offset_iter();
    for (event, range) in parser.by_ref() {
        let (Event::Start(Tag::Link {
            link_type,
            dest_url,
            ..
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            ..
        })) = event
        else {
            continue;
        };
        let url = dest_url.as_ref();
        let new = match (url.strip_prefix("mdc:"), mdc_top) {
            (Some(path), Some(top)) => moved(path, top),
            (None, _) if rebase && link_type == LinkType::Inline && relative_link(url) => {
                moved(url, doc_dir)
            }
            _ => continue,
        };
        // The destination sits after the last `](` of the link's source.
        let src = &text[range.clone()];
        let Some(open) = src.rfind("](") else {
            continue;
        };
        let start = range.start + open + 2;
        let Some(len) = text[start..].find(url) else {
            continue;
        };
        let at = start + len;
        edits.push((at..at + url.len(), new));
    }
    if rebase {
        for (_, def) in parser.reference_definitions().iter() {
            let url = def.dest.as_ref();
            if !relative_link(url) {
                continue;
            }
            let span = def.span.clone();
            let Some(colon) = text[span.clone()].find("]:") else {
                continue;
            };
            let from = span.start + colon + 2;
            let Some(len) = text[from..span.end].find(url) else {
                continue;
            };
            let at = from + len;
            edits.push((at..at + url.len(), moved(url, doc_dir)));
        }
    }
    edits.sort_by_key(|(r, _)| r.start);
    edits.dedup_by_key(|(r, _)| r.start);
    let mut out = text.to_string();
    for (range, new) in edits.into_iter().rev() {
        out.replace_range(range, &new);
    }
    out
}

/// Drop a document's first H1 line (its title): the output gives its own.
fn strip_title(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = v
        .as_str()
        .ok_or_else(|| tera::Error::msg("strip_title takes text"))?;
    let mut out = String::with_capacity(text.len());
    let mut done = false;
    for line in text.split_inclusive('\n') {
        if !done && line.starts_with("# ") {
            done = true;
            continue;
        }
        out.push_str(line);
    }
    Ok(Value::String(out))
}

/// Move every ATX heading outside code one level down (`by` levels), so a
/// document fits under a heading of the output.
fn demote(v: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = v
        .as_str()
        .ok_or_else(|| tera::Error::msg("demote takes text"))?;
    let by = args.get("by").and_then(Value::as_u64).unwrap_or(1) as usize;
    let mut starts: Vec<usize> = Vec::new();
    let parser =
        pulldown_cmark::Parser::new_ext(text, crate::parse::markdown_options()).into_offset_iter();
    for (event, range) in parser {
        if let pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading { .. }) = event
            && text[range.start..].starts_with('#')
        {
            starts.push(range.start);
        }
    }
    let mut out = String::with_capacity(text.len() + starts.len() * by);
    let mut at = 0;
    for s in starts {
        out.push_str(&text[at..s]);
        let level = text[s..].chars().take_while(|&c| c == '#').count();
        out.push_str(&"#".repeat((level + by).min(6) - level));
        at = s;
    }
    out.push_str(&text[at..]);
    Ok(Value::String(out))
}

/// A YAML scalar: plain when that reads back as the same string, else
/// double-quoted (JSON's quoting is valid YAML).
fn yaml_string(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let plain = !s.is_empty()
        && !s.starts_with(|c: char| "!&*{}[]|>'\"%@`#,?:-".contains(c) || c.is_whitespace())
        && !s.ends_with(char::is_whitespace)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.contains('\n')
        && serde_saphyr::from_str::<Value>(&s).is_ok_and(|back| back == Value::String(s.clone()));
    Ok(Value::String(if plain {
        s
    } else {
        serde_json::to_string(&s).unwrap_or_default()
    }))
}

/// A YAML double-quoted scalar, always (globs read best quoted, and every
/// agent's YAML reader agrees on them).
fn yaml_quoted(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Ok(Value::String(serde_json::to_string(&s).unwrap_or_default()))
}

/// Tera wants a context; build one from a JSON object (moved, not copied).
pub(crate) fn context(values: BTreeMap<&str, Value>) -> Context {
    let map: serde_json::Map<String, Value> = values
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    Context::from_value(Value::Object(map)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_follow_the_text_to_its_new_place() {
        let text = "See [a](../a.md#x), [web](https://x.y), [here](#top) and ![i](img/p.png).\n";
        let out = rebase_links(text, Path::new("/p/rules/sub"), Path::new("/p"), None);
        assert_eq!(
            out,
            "See [a](rules/a.md#x), [web](https://x.y), [here](#top) and ![i](rules/sub/img/p.png).\n"
        );
    }

    #[test]
    fn demote_leaves_code_alone() {
        let v = demote(
            &Value::from("## A\n```md\n# not a heading\n```\n### B\n"),
            &HashMap::new(),
        )
        .unwrap();
        assert_eq!(v, "### A\n```md\n# not a heading\n```\n#### B\n");
    }

    #[test]
    fn yaml_strings_are_quoted_only_when_needed() {
        let q = |s: &str| yaml_string(&Value::from(s), &HashMap::new()).unwrap();
        assert_eq!(q("TypeScript conventions"), "TypeScript conventions");
        assert_eq!(q("*.ts"), "\"*.ts\"");
        assert_eq!(q("a: b"), "\"a: b\"");
        assert_eq!(q("true"), "\"true\"");
    }

    #[test]
    fn relative_paths_follow_each_output() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("index.md.tera"),
            "{{ \"rules/a.md\" | relpath }} {{ \"[b](b.md)\" | rebase(from=\"rules/a.md\") }}",
        )
        .unwrap();
        let mut engine = Engine::new(Some(dir.path())).unwrap();
        engine.set_locations(Path::new("out"), Path::new("/p"));
        let mut render = |output: &str| {
            engine
                .render("index.md.tera", &Context::new(), Path::new(output))
                .unwrap()
        };
        assert_eq!(render("RULES.md"), "../rules/a.md [b](../rules/b.md)");
        assert_eq!(
            render("a/b/X.md"),
            "../../../rules/a.md [b](../../../rules/b.md)"
        );
        assert_eq!(render("RULES.md"), "../rules/a.md [b](../rules/b.md)");
    }

    #[test]
    fn errors_name_the_template_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("index.md.tera"),
            "# x\n{% for d in documents %}\n{{ d.name }\n",
        )
        .unwrap();
        let err = Engine::new(Some(dir.path())).err().unwrap().to_string();
        assert!(err.contains("index.md.tera:3"), "{err}");
        std::fs::write(
            dir.path().join("index.md.tera"),
            "# x\n\n{{ nowhere.name }}\n",
        )
        .unwrap();
        let mut engine = Engine::new(Some(dir.path())).unwrap();
        engine.set_locations(Path::new("out"), Path::new("/p"));
        let err = engine
            .render("index.md.tera", &Context::new(), Path::new("RULES.md"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("index.md.tera:3"), "{err}");
    }
}

#[cfg(test)]
mod target_templates {
    #[test]
    fn every_target_names_a_built_in_template() {
        for t in crate::targets::Target::all() {
            for f in &t.spec().files {
                assert!(
                    super::BUILTIN.iter().any(|(n, _)| *n == f.template),
                    "{}: template {} is not built in",
                    t.name(),
                    f.template
                );
            }
        }
    }
}
