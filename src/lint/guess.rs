//! What a fenced block without a language holds: code in a language a
//! renderer would highlight (or ruledoc's snippet check would parse), or
//! plain text.
//!
//! Plain text (a directory tree, a box drawing, a commit-message template,
//! an example commit message, pseudo-code with arrows, output, a message to
//! paste, a numbered list) shows the same to every reader with or without a
//! language, so only code is worth naming. The signals are strong and
//! explainable, each found on one line that can be quoted: a keyword at the
//! start of a line (`def name(…):`, `fn name(`, `import {…} from '…'`), a
//! block that parses as a JSON object, a block whose every line is a shell
//! command, a `.gitignore` of glob patterns. When no signal is certain the
//! answer is `None`: a block left unnamed costs less than plain text called
//! code.

/// A language read from a block's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Guess {
    /// The info-string word for it (`python`, `sh`, `gitignore`).
    pub(crate) lang: &'static str,
    /// The line of the block (1-based) that gives it away.
    pub(crate) line: usize,
}

impl Guess {
    fn new(lang: &'static str, index: usize) -> Guess {
        Guess {
            lang,
            line: index + 1,
        }
    }

    /// The language as a person names it: `Python`, `shell`, `.gitignore`.
    pub(crate) fn name(&self) -> &'static str {
        match self.lang {
            "python" => "Python",
            "pycon" => "a Python session",
            "rust" => "Rust",
            "typescript" => "TypeScript",
            "tsx" => "TSX",
            "javascript" => "JavaScript",
            "jsx" => "JSX",
            "sh" => "shell",
            "json" => "JSON",
            "jsonc" => "JSON with comments",
            "gitignore" => ".gitignore patterns",
            "markdown" => "Markdown",
            "html" => "HTML",
            "xml" => "XML",
            "vue" => "a Vue component",
            "sql" => "SQL",
            "go" => "Go",
            "yaml" => "YAML",
            "toml" => "TOML",
            "csharp" => "C#",
            "java" => "Java",
            "kotlin" => "Kotlin",
            "c" => "C",
            "cpp" => "C++",
            "php" => "PHP",
            "ruby" => "Ruby",
            "elixir" => "Elixir",
            "lua" => "Lua",
            "css" => "CSS",
            "dockerfile" => "a Dockerfile",
            "makefile" => "a Makefile",
            "graphql" => "GraphQL",
            "solidity" => "Solidity",
            "dart" => "Dart",
            "swift" => "Swift",
            "zig" => "Zig",
            other => other,
        }
    }
}

/// The language `code` (a block's content) is written in, when a strong
/// signal says so; `None` for plain text and whenever unsure.
pub(crate) fn guess_language(code: &str) -> Option<Guess> {
    let lines: Vec<&str> = code.lines().collect();
    if lines.iter().all(|l| l.trim().is_empty()) {
        return None;
    }
    // A tree (`├── src/`), a box (`│ Services │`) or a flow of arrows
    // (`↓`, `→ Stop`) is a drawing, whatever words it holds.
    if lines.iter().any(|l| starts_with_drawing(l.trim_start())) {
        return None;
    }
    // Output that quotes code is output: a Python traceback shows the
    // failing line (`    import foo`) under `File "x.py", line 1`.
    if lines.iter().any(|l| {
        let t = l.trim_start();
        t.starts_with("Traceback (most recent call last)")
            || (t.starts_with("File \"") && t.contains("\", line "))
    }) {
        return None;
    }
    json(code, &lines)
        .or_else(|| shebang(&lines))
        .or_else(|| by_line(&lines))
        .or_else(|| shell(&lines))
        .or_else(|| gitignore(&lines))
        .or_else(|| dockerfile(&lines))
        .or_else(|| makefile(&lines))
        .or_else(|| toml_table(code, &lines))
        .or_else(|| yaml_mapping(code, &lines))
        .or_else(|| markdown(&lines))
}

/// Box-drawing characters and arrows: a line that starts with one belongs to
/// a tree, a box or a flow diagram.
fn starts_with_drawing(t: &str) -> bool {
    t.chars().next().is_some_and(|c| {
        ('\u{2500}'..='\u{257F}').contains(&c)
            || ('\u{2190}'..='\u{21FF}').contains(&c)
            || matches!(c, '▼' | '▲' | '►' | '◄' | '▶' | '◀')
    })
}

// ---------------------------------------------------------------------------
// Whole-block signals.

/// A JSON object or array (non-empty) that parses; with whole-line `//`
/// comments, one that parses once they are left out.
fn json(code: &str, lines: &[&str]) -> Option<Guess> {
    let first = first_text(lines)?;
    if !lines[first].trim_start().starts_with(['{', '[']) {
        return None;
    }
    let filled = |v: &serde_json::Value| match v {
        serde_json::Value::Object(m) => !m.is_empty(),
        serde_json::Value::Array(a) => !a.is_empty(),
        _ => false,
    };
    if serde_json::from_str::<serde_json::Value>(code).is_ok_and(|v| filled(&v)) {
        return Some(Guess::new("json", first));
    }
    if !lines.iter().any(|l| l.trim_start().starts_with("//")) {
        return None;
    }
    let uncommented: String = lines
        .iter()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| format!("{l}\n"))
        .collect();
    serde_json::from_str::<serde_json::Value>(&uncommented)
        .is_ok_and(|v| filled(&v))
        .then(|| Guess::new("jsonc", first))
}

/// `#!/bin/bash`, `#!/usr/bin/env python3` on the first line.
fn shebang(lines: &[&str]) -> Option<Guess> {
    let rest = lines.first()?.trim_end().strip_prefix("#!")?;
    let mut words = rest.split_whitespace();
    let mut program = words.next()?.rsplit('/').next()?;
    if program == "env" {
        program = words.find(|w| !w.starts_with('-'))?;
    }
    let lang = match program.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.') {
        "bash" | "sh" | "zsh" | "dash" | "ksh" => "sh",
        "python" => "python",
        "node" => "javascript",
        "ruby" => "ruby",
        _ => return None,
    };
    Some(Guess::new(lang, 0))
}

/// Every line a shell command (or a continuation, a comment, a variable
/// assignment), and at least one command, or two assignments (an `.env`
/// file).
fn shell(lines: &[&str]) -> Option<Guess> {
    let mut first_command = None;
    let mut first_assignment = None;
    let mut assignments = 0;
    let mut continued = false;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if continued {
            continued = t.ends_with('\\');
            continue;
        }
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if t.starts_with("&&") || t.starts_with("||") || t.starts_with('|') {
            // A continuation with no command before it is not a script.
            first_command?;
        } else if is_assignment_line(t) {
            assignments += 1;
            first_assignment.get_or_insert(i);
        } else if is_command_line(t) {
            first_command.get_or_insert(i);
        } else {
            return None;
        }
        continued = t.ends_with('\\');
    }
    match (first_command, first_assignment) {
        (Some(c), Some(a)) => Some(Guess::new("sh", c.min(a))),
        (Some(c), None) => Some(Guess::new("sh", c)),
        (None, Some(a)) if assignments >= 2 => Some(Guess::new("sh", a)),
        _ => None,
    }
}

/// Programs whose name at the start of a line, in lower case, makes the line
/// a command.
const COMMANDS: &[&str] = &[
    "apt",
    "apt-get",
    "aws",
    "az",
    "bash",
    "brew",
    "bun",
    "bunx",
    "bundle",
    "cargo",
    "cat",
    "cd",
    "chmod",
    "chown",
    "cmake",
    "composer",
    "conda",
    "corepack",
    "cp",
    "curl",
    "deno",
    "django-admin",
    "docker",
    "docker-compose",
    "dotnet",
    "echo",
    "export",
    "firebase",
    "flutter",
    "gcloud",
    "gem",
    "gh",
    "git",
    "go",
    "gradle",
    "grep",
    "helm",
    "heroku",
    "kubectl",
    "ln",
    "ls",
    "make",
    "mkdir",
    "mv",
    "mvn",
    "netlify",
    "node",
    "npm",
    "npx",
    "nvm",
    "pip",
    "pip3",
    "pipx",
    "pnpm",
    "pnpx",
    "podman",
    "poetry",
    "psql",
    "pytest",
    "python",
    "python3",
    "rails",
    "rake",
    "rg",
    "rm",
    "ruff",
    "rustup",
    "scp",
    "sed",
    "sh",
    "source",
    "ssh",
    "sudo",
    "supabase",
    "tar",
    "terraform",
    "touch",
    "tsc",
    "unzip",
    "uv",
    "uvx",
    "vercel",
    "wget",
    "yarn",
    "zsh",
];

/// `go`'s subcommands: `go to the settings` is a sentence.
const GO_COMMANDS: &[&str] = &[
    "build", "clean", "doc", "env", "fmt", "generate", "get", "install", "list", "mod", "run",
    "test", "tool", "version", "vet", "work",
];

/// Words that make a line that starts with a program's name a sentence
/// (`make sure…`, `git is…`).
const PROSE_WORDS: &[&str] = &[
    "a", "all", "an", "and", "any", "are", "as", "at", "be", "but", "by", "can", "could", "do",
    "does", "each", "every", "for", "from", "has", "have", "if", "in", "into", "is", "it", "its",
    "must", "my", "not", "of", "on", "or", "our", "should", "some", "sure", "that", "the", "their",
    "then", "these", "this", "those", "to", "was", "we", "were", "when", "will", "with", "would",
    "you", "your",
];

/// `NAME=value`: an environment variable, as a `.env` file or a shell sets it.
fn is_assignment_line(t: &str) -> bool {
    let t = t.strip_prefix("export ").unwrap_or(t);
    let Some((name, _)) = t.split_once('=') else {
        return false;
    };
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_uppercase() || c == '_')
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// A command: a known program (or `./script`) in lower case at the start,
/// optionally after a `$ ` prompt, `sudo` or `NAME=value` words, and no
/// sentence around it.
fn is_command_line(t: &str) -> bool {
    let t = t.strip_prefix("$ ").unwrap_or(t);
    let code = match t.find(" #") {
        Some(at) => t[..at].trim_end(),
        None => t,
    };
    if code.is_empty() || reads_as_sentence(code) {
        return false;
    }
    let mut words = code
        .split_whitespace()
        .skip_while(|w| *w == "sudo" || is_assignment_line(w));
    let Some(program) = words.next() else {
        return false;
    };
    let next = words.next();
    if next.is_some_and(|w| PROSE_WORDS.contains(&w.to_ascii_lowercase().as_str())) {
        return false;
    }
    if let Some(script) = program.strip_prefix("./") {
        return !script.is_empty()
            && script
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c));
    }
    if !COMMANDS.contains(&program) {
        return false;
    }
    // `cd` takes one folder; more bare words are a sentence that starts
    // with the word (`cd player and vinyl are both fine`).
    if program == "cd" && words.clone().count() > 0 {
        return false;
    }
    // `echo` followed only by bare words, four or more, is prose about
    // echoing, not a command: a command quotes or expands what it echoes.
    if program == "echo" {
        let rest: Vec<&str> = code.split_whitespace().skip(1).collect();
        let bare = rest
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphanumeric() || "',.".contains(c)));
        if rest.len() >= 4 && bare {
            return false;
        }
    }
    match program {
        "go" => next.is_some_and(|w| GO_COMMANDS.contains(&w)),
        "make" => next.is_none_or(|w| {
            w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_=./".contains(c))
        }),
        "export" => next.is_some_and(|w| w.contains('=')),
        _ => true,
    }
}

/// Sentence punctuation: a line that ends with a word and a full stop, a
/// colon, a question mark; or two sentences on one line.
fn reads_as_sentence(code: &str) -> bool {
    let mut rev = code.chars().rev();
    let last = rev.next();
    let before = rev.next();
    if matches!(last, Some(':' | '?' | '!')) {
        return true;
    }
    if last == Some('.') && before.is_some_and(char::is_alphanumeric) {
        return true;
    }
    code.split(". ")
        .skip(1)
        .any(|s| s.chars().next().is_some_and(char::is_uppercase))
}

/// At least three patterns (no whitespace, no code punctuation) with one glob
/// among them, and nothing but `#` comments around them; or a block whose
/// first line names it, `# .gitignore`, with one pattern or more.
fn gitignore(lines: &[&str]) -> Option<Guess> {
    let named = lines
        .iter()
        .position(|l| !l.trim().is_empty())
        .is_some_and(|i| {
            let t = lines[i].trim();
            matches!(
                t.strip_prefix('#').map(str::trim),
                Some(
                    ".gitignore"
                        | ".dockerignore"
                        | ".npmignore"
                        | ".prettierignore"
                        | ".eslintignore"
                )
            )
        });
    let mut patterns = 0;
    let mut glob = None;
    let mut first = None;
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !is_ignore_pattern(line) {
            return None;
        }
        patterns += 1;
        first.get_or_insert(i);
        if glob.is_none() && line.contains('*') {
            glob = Some(i);
        }
    }
    if named && patterns >= 1 {
        return Some(Guess::new("gitignore", first?));
    }
    (patterns >= 3).then_some(())?;
    Some(Guess::new("gitignore", glob?))
}

fn is_ignore_pattern(line: &str) -> bool {
    !line.is_empty()
        && !line.starts_with('-')
        && !line.contains(char::is_whitespace)
        && !line.contains([
            '=', '(', ')', '{', '}', ';', ':', ',', '"', '\'', '<', '>', '|', '`',
        ])
}

/// `FROM image` and another instruction line (`RUN`, `COPY`, …).
fn dockerfile(lines: &[&str]) -> Option<Guess> {
    const INSTRUCTIONS: &[&str] = &[
        "RUN ",
        "COPY ",
        "CMD ",
        "ENTRYPOINT ",
        "WORKDIR ",
        "ENV ",
        "EXPOSE ",
        "ARG ",
        "ADD ",
        "USER ",
        "LABEL ",
    ];
    let from = lines.iter().position(|l| {
        l.strip_prefix("FROM ").is_some_and(|rest| {
            let mut words = rest.split_whitespace();
            words.next().is_some_and(|image| {
                image
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "./_:@-${}".contains(c))
            }) && match (words.next(), words.next(), words.next()) {
                (None, _, _) => true,
                (Some(a), Some(_), None) => a.eq_ignore_ascii_case("as"),
                _ => false,
            }
        })
    })?;
    lines
        .iter()
        .any(|l| INSTRUCTIONS.iter().any(|i| l.starts_with(i)))
        .then(|| Guess::new("dockerfile", from))
}

/// A `target:` line followed by a tab-indented recipe.
fn makefile(lines: &[&str]) -> Option<Guess> {
    lines
        .windows(2)
        .position(|w| {
            let Some((target, rest)) = w[0].split_once(':') else {
                return false;
            };
            !target.is_empty()
                && target
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-/$()%".contains(c))
                && !rest.starts_with('=')
                && w[1].starts_with('\t')
                && !w[1].trim().is_empty()
        })
        .map(|i| Guess::new("makefile", i))
}

/// A `[table]` header and a `key = value` line, the whole parsing as TOML.
fn toml_table(code: &str, lines: &[&str]) -> Option<Guess> {
    let header = lines.iter().position(|l| {
        let t = l.trim();
        let inner = t
            .strip_prefix("[[")
            .and_then(|r| r.strip_suffix("]]"))
            .or_else(|| t.strip_prefix('[').and_then(|r| r.strip_suffix(']')));
        inner.is_some_and(|n| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.-\"".contains(c))
        })
    })?;
    let has_key = lines.iter().any(|l| {
        l.split_once(" = ").is_some_and(|(k, v)| {
            !k.is_empty()
                && !v.trim().is_empty()
                && k.trim()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.-\"".contains(c))
        })
    });
    (has_key && toml::from_str::<toml::Table>(code).is_ok()).then(|| Guess::new("toml", header))
}

/// A YAML mapping whose top-level keys are lower-case identifiers, one of
/// them holding a nested block (`nav:` then indented `- Home: index.md`):
/// flat `Key: value` lines are as often prose as YAML.
fn yaml_mapping(code: &str, lines: &[&str]) -> Option<Guess> {
    let text: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(i, l)| (i, *l))
        .collect();
    let mut nested = None;
    for (k, &(i, line)) in text.iter().enumerate() {
        if line.starts_with(' ') {
            continue;
        }
        if line == "---" {
            continue;
        }
        let (key, value) = line.split_once(':')?;
        let mut chars = key.chars();
        let key_ok = chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
        // `try:` … `except:` is Python, whatever YAML makes of it.
        let python = matches!(key, "try" | "except" | "finally" | "else");
        if !key_ok || python || !(value.is_empty() || value.starts_with(' ')) {
            return None;
        }
        let value = value.split(" #").next().unwrap_or("").trim();
        let next = text.get(k + 1).map(|&(_, l)| l);
        if value.is_empty() && next.is_some_and(|n| n.starts_with(' ')) {
            nested.get_or_insert(i);
        }
    }
    let at = nested?;
    let options = serde_saphyr::options! { with_snippet: false };
    serde_saphyr::from_str_with_options::<serde_json::Value>(code, options)
        .is_ok_and(|v| v.is_object())
        .then(|| Guess::new("yaml", at))
}

/// A Markdown template: a heading, and bold text (or, under an `##`
/// heading, a list).
fn markdown(lines: &[&str]) -> Option<Guess> {
    let heading = |l: &&str| {
        let hashes = l.chars().take_while(|&c| c == '#').count();
        (1..=6).contains(&hashes) && l[hashes..].starts_with(' ') && l[hashes..].trim().len() > 1
    };
    let at = lines.iter().position(heading)?;
    let deep = lines.iter().any(|l| heading(l) && l.starts_with("##"));
    let bold = lines.iter().any(|l| has_bold(l));
    let list = lines.iter().any(|l| {
        let t = l.trim_start();
        t.starts_with("- ")
            || t.starts_with("* ")
            || t.split_once(". ")
                .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    });
    (bold || (deep && list)).then(|| Guess::new("markdown", at))
}

/// `**text**`: two pairs of stars around text that neither starts nor ends
/// with a space.
fn has_bold(line: &str) -> bool {
    let mut rest = line;
    while let Some(open) = rest.find("**") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("**") else {
            return false;
        };
        let inner = &after[..close];
        if !inner.is_empty()
            && !inner.starts_with(char::is_whitespace)
            && !inner.ends_with(char::is_whitespace)
        {
            return true;
        }
        rest = &after[close + 2..];
    }
    false
}

// ---------------------------------------------------------------------------
// Line signals: a keyword at the start of a line.

/// How sure one line makes the guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    /// Only this language writes the line so.
    Strong,
    /// Other languages write it so too (`import os.path` is Python, and
    /// also Kotlin): taken when no strong line follows.
    Weak,
}

/// The first line that only one language writes so; else the first that
/// few do.
fn by_line(lines: &[&str]) -> Option<Guess> {
    let mut weak = None;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let Some((lang, strength)) = line_signal(t, i, lines) else {
            continue;
        };
        match strength {
            Strength::Strong => return Some(refine(lang, i, lines)),
            Strength::Weak => {
                weak.get_or_insert((lang, i));
            }
        }
    }
    weak.map(|(lang, i)| refine(lang, i, lines))
}

/// JavaScript's family read closer: TypeScript, JSX or both.
fn refine(lang: &'static str, i: usize, lines: &[&str]) -> Guess {
    if lang != "javascript" {
        return Guess::new(lang, i);
    }
    let typed = lines.iter().any(|l| typescript_only(l));
    let jsx = lines.iter().any(|l| has_jsx(l));
    let lang = match (typed, jsx) {
        (true, true) => "tsx",
        (true, false) => "typescript",
        (false, true) => "jsx",
        (false, false) => "javascript",
    };
    Guess::new(lang, i)
}

fn line_signal(t: &str, i: usize, lines: &[&str]) -> Option<(&'static str, Strength)> {
    use Strength::Strong;
    // Zig's builtins (`@import("std")`) before Rust's `pub fn`, which Zig
    // writes too.
    if t.contains("@import(\"") || t.contains("@cImport(") {
        return Some(("zig", Strong));
    }
    if let Some(s) = python(t) {
        return Some(("python", s));
    }
    if python_try(t, i, lines) {
        return Some(("python", Strong));
    }
    if t.starts_with(">>> ") && t.len() > 4 && python_ish(&t[4..]) {
        return Some(("pycon", Strong));
    }
    if rust(t) {
        return Some(("rust", Strong));
    }
    if let Some(lang) = javascript_lookalike(t, lines) {
        return Some((lang, Strong));
    }
    if let Some(s) = javascript(t, i, lines) {
        return Some(("javascript", s));
    }
    if let Some(lang) = go_or_swift(t, lines) {
        return Some((lang, Strong));
    }
    if let Some(lang) = jvm_or_dotnet(t) {
        return Some((lang, Strong));
    }
    if let Some(lang) = c_family(t, lines) {
        return Some((lang, Strong));
    }
    if let Some(lang) = scripting(t, lines) {
        return Some((lang, Strong));
    }
    if sql(t, i, lines) {
        return Some(("sql", Strong));
    }
    if let Some(lang) = markup(t, i, lines) {
        return Some((lang, Strong));
    }
    if css(t, i, lines) {
        return Some(("css", Strong));
    }
    if graphql(t) {
        return Some(("graphql", Strong));
    }
    None
}

/// An identifier at the start of `s`: the identifier and the rest.
fn ident(s: &str) -> Option<(&str, &str)> {
    let end = s
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .map_or(s.len(), |(i, _)| i);
    let (id, rest) = s.split_at(end);
    (!id.is_empty() && !id.starts_with(|c: char| c.is_ascii_digit())).then_some((id, rest))
}

/// A dotted name (`os.path`) at the start of `s`, and the rest.
fn dotted(s: &str) -> Option<(&str, &str)> {
    let mut end = 0;
    loop {
        let (id, rest) = ident(&s[end..])?;
        end += id.len();
        if rest.starts_with('.') && ident(&rest[1..]).is_some() {
            end += 1;
        } else {
            return Some((&s[..end], &s[end..]));
        }
    }
}

/// The line without a trailing ` # comment`.
fn before_hash_comment(t: &str) -> &str {
    t.split(" #").next().unwrap_or(t).trim_end()
}

fn python(t: &str) -> Option<Strength> {
    let code = before_hash_comment(t);
    let def = code
        .strip_prefix("async def ")
        .or_else(|| code.strip_prefix("def "));
    if let Some(rest) = def {
        let (_, rest) = ident(rest)?;
        return (rest.starts_with('(')
            && (code.ends_with(':') || code.ends_with('(') || code.contains(") -> ")))
        .then_some(Strength::Strong);
    }
    if let Some(rest) = code.strip_prefix("class ") {
        let (name, rest) = ident(rest)?;
        let upper = name.starts_with(|c: char| c.is_ascii_uppercase());
        return (upper && (rest == ":" || (rest.starts_with('(') && rest.ends_with("):"))))
            .then_some(Strength::Strong);
    }
    if let Some(rest) = code.strip_prefix("from ") {
        // `from . import views`: a relative import names no module.
        let relative = rest.trim_start_matches('.');
        let rest = if relative.len() < rest.len() && relative.starts_with(' ') {
            relative
        } else {
            dotted(relative)?.1
        };
        let names = rest.strip_prefix(" import ")?;
        return (names == "*" || names.starts_with('(') || names_list(names))
            .then_some(Strength::Strong);
    }
    if let Some(rest) = code.strip_prefix("import ") {
        // `import os, sys`, `import numpy as np`: lower-case modules, no
        // `;` (Java), no quotes or `from` (JavaScript).
        let lower = rest.starts_with(|c: char| c.is_ascii_lowercase());
        return (lower && names_list(rest)).then_some(Strength::Weak);
    }
    if code.starts_with("if __name__ == ") {
        return Some(Strength::Strong);
    }
    None
}

/// `try:` with an `except` line below it.
fn python_try(t: &str, i: usize, lines: &[&str]) -> bool {
    t == "try:"
        && lines[i + 1..].iter().any(|l| {
            let e = l.trim_start();
            e.starts_with("except:") || e.starts_with("except ")
        })
}

/// `a, b.c as d`: names (dotted), each optionally renamed, joined by commas.
fn names_list(s: &str) -> bool {
    s.split(',').all(|part| {
        let part = part.trim();
        let Some((_, rest)) = dotted(part) else {
            return false;
        };
        rest.is_empty()
            || rest
                .strip_prefix(" as ")
                .and_then(ident)
                .is_some_and(|(_, r)| r.is_empty())
    })
}

/// What follows `>>> ` in a Python session: a Python line, an assignment,
/// a call or an attribute.
fn python_ish(s: &str) -> bool {
    python(s).is_some()
        || ident(s).is_some_and(|(_, rest)| {
            rest.starts_with('(') || rest.starts_with(" = ") || rest.starts_with('.')
        })
}

fn rust(t: &str) -> bool {
    let mut s = t;
    if let Some(rest) = s.strip_prefix("pub") {
        s = match rest.strip_prefix('(') {
            Some(r) => match r.split_once(") ") {
                Some((_, after)) => after,
                None => return false,
            },
            None => match rest.strip_prefix(' ') {
                Some(after) => after,
                None => return false,
            },
        };
        let item = ident(s).map(|(w, _)| w);
        if matches!(
            item,
            Some(
                "struct"
                    | "enum"
                    | "trait"
                    | "mod"
                    | "type"
                    | "const"
                    | "static"
                    | "use"
                    | "fn"
                    | "async"
                    | "unsafe"
                    | "impl"
                    | "extern"
            )
        ) {
            return true;
        }
    }
    while let Some(rest) = ["const ", "async ", "unsafe ", "extern \"C\" "]
        .iter()
        .find_map(|q| s.strip_prefix(q))
    {
        s = rest;
    }
    if let Some(rest) = s.strip_prefix("fn ") {
        return ident(rest).is_some_and(|(_, r)| r.starts_with('(') || r.starts_with('<'));
    }
    if let Some(rest) = t.strip_prefix("impl") {
        return (rest.starts_with('<') || rest.starts_with(' '))
            && (t.ends_with('{') || t.contains(" for "));
    }
    if let Some(rest) = t.strip_prefix("use ") {
        return dotted_path(rest).is_some_and(|r| r.ends_with(';') || r.ends_with('{'));
    }
    if let Some(rest) = t.strip_prefix("#[").or_else(|| t.strip_prefix("#![")) {
        return ident(rest).is_some_and(|(_, r)| r.starts_with(['(', ']', ' ', ':']));
    }
    if t.starts_with("let mut ") {
        return true;
    }
    if let Some(rest) = t.strip_prefix("mod ") {
        return ident(rest).is_some_and(|(_, r)| r == ";" || r == " {");
    }
    // A macro call: `println!("…");`, `vec![…]`.
    if let Some((name, rest)) = ident(t) {
        return name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && !name.contains('$')
            && rest.starts_with('!')
            && rest[1..].starts_with(['(', '[', '{'])
            && (t.ends_with(';') || t.ends_with(['(', '[', '{', ',']));
    }
    false
}

/// `std::io::Write` (a path with `::`) at the start of `s`: the rest.
fn dotted_path(s: &str) -> Option<&str> {
    let (_, mut rest) = ident(s)?;
    let mut parts = 1;
    while let Some(r) = rest.strip_prefix("::") {
        if r.starts_with('{') || r.starts_with('*') {
            return (parts >= 1).then_some(r);
        }
        let (_, r) = ident(r)?;
        rest = r;
        parts += 1;
    }
    (parts >= 2).then_some(rest)
}

fn javascript(t: &str, i: usize, lines: &[&str]) -> Option<Strength> {
    use Strength::{Strong, Weak};
    if let Some(rest) = t.strip_prefix("import ") {
        if rest.starts_with("type ") || rest.starts_with("* as ") {
            return Some(Strong);
        }
        if let Some((_, source)) = rest.rsplit_once(" from ") {
            return source.starts_with(['\'', '"']).then_some(Strong);
        }
        if rest.starts_with('\'') || (rest.starts_with('"') && t.ends_with(';')) {
            return Some(Strong);
        }
        // `import {` opening a list that a later line closes with `} from '…'`.
        if rest.trim_end() == "{" {
            return lines[i + 1..]
                .iter()
                .find(|l| l.trim_start().starts_with('}'))
                .is_some_and(|l| l.contains(" from "))
                .then_some(Strong);
        }
        return None;
    }
    if let Some(rest) = t.strip_prefix("export ") {
        let word = ident(rest).map(|(w, _)| w);
        return (matches!(
            word,
            Some(
                "default"
                    | "const"
                    | "let"
                    | "var"
                    | "function"
                    | "async"
                    | "class"
                    | "interface"
                    | "type"
                    | "enum"
                    | "abstract"
                    | "declare"
            )
        ) || rest.starts_with("* ")
            || rest.starts_with('{'))
        .then_some(Strong);
    }
    if let Some(rest) = t.strip_prefix("const ") {
        let binds = match rest.chars().next()? {
            '{' | '[' => rest.contains("} = ") || rest.contains("] = "),
            _ => ident(rest).is_some_and(|(_, r)| r.starts_with(" = ")),
        };
        // `const X = 5` is GDScript too; a statement's end or a call says
        // JavaScript.
        let statement = t.ends_with([';', '{', '(', '[', ','])
            || ["=> ", "=>", "require(", "await ", "new "]
                .iter()
                .any(|m| t.contains(m));
        return (binds && statement).then_some(Weak);
    }
    let function = t
        .strip_prefix("async function")
        .or_else(|| t.strip_prefix("function"));
    if let Some(rest) = function {
        let rest = rest.trim_start_matches('*').trim_start();
        let named = ident(rest).map_or(rest, |(_, r)| r);
        return (named.starts_with('(')
            && !t.contains('$')
            && (t.ends_with('{') || t.ends_with('(')))
        .then_some(Strong);
    }
    if let Some(rest) = t.strip_prefix("interface ") {
        return ident(rest)
            .is_some_and(|(_, r)| r == " {" || r.starts_with(" extends ") || r.starts_with('<'))
            .then_some(Strong);
    }
    if let Some(rest) = t.strip_prefix("type ") {
        let (name, r) = ident(rest)?;
        let r = match r.strip_prefix('<') {
            Some(g) => g.split_once('>')?.1,
            None => r,
        };
        return (name.starts_with(|c: char| c.is_ascii_uppercase())
            && r.starts_with(" = ")
            && !t.contains("::"))
        .then_some(Strong);
    }
    for call in [
        "console.",
        "module.exports",
        "exports.",
        "document.",
        "window.",
    ] {
        if t.starts_with(call) {
            return Some(Strong);
        }
    }
    for test in ["describe(", "it(", "test(", "beforeEach(", "afterEach("] {
        if let Some(rest) = t.strip_prefix(test) {
            return (rest.starts_with(['\'', '"', '`']) && t.contains("=>")
                || rest.starts_with("() =>"))
            .then_some(Strong);
        }
    }
    None
}

/// Lines that read like JavaScript's but are another language's: Solidity's
/// `function f() public {`, Dart's `import 'package:…';`, a shell function.
fn javascript_lookalike(t: &str, lines: &[&str]) -> Option<&'static str> {
    if t.starts_with("pragma solidity ") {
        return Some("solidity");
    }
    if let Some(rest) = t.strip_prefix("contract ") {
        return ident(rest)
            .is_some_and(|(_, r)| r == " {" || r.starts_with(" is "))
            .then_some("solidity");
    }
    if let Some(source) = t.strip_prefix("import ") {
        if source.ends_with(".sol\";") || source.ends_with(".sol';") {
            return Some("solidity");
        }
        if source.starts_with("'package:") || source.starts_with("'dart:") {
            return Some("dart");
        }
        return None;
    }
    let rest = t.strip_prefix("function ")?;
    let (_, after) = ident(rest)?;
    let params_end = after.strip_prefix('(')?.find(')')? + 1;
    let tail = &after[params_end + 1..];
    let visibility = ["public", "external", "internal", "private"]
        .iter()
        .any(|v| tail.split_whitespace().any(|w| w == *v));
    if visibility {
        return Some("solidity");
    }
    let shell_body = lines.iter().any(|l| {
        let b = l.trim_start();
        b.starts_with("local ") || b.starts_with("echo ")
    });
    (after == "() {" && shell_body).then_some("sh")
}

/// Syntax only TypeScript has.
fn typescript_only(line: &str) -> bool {
    let t = line.trim_start();
    let starts = [
        "interface ",
        "export interface ",
        "export type ",
        "import type ",
        "declare ",
        "export declare ",
        "enum ",
        "export enum ",
        "abstract class ",
    ];
    if starts.iter().any(|s| t.starts_with(s)) {
        return true;
    }
    if t.starts_with("type ") && t.contains(" = ") {
        return true;
    }
    if t.starts_with("//") {
        // A comment naming the file: `// schemas/user.schema.ts`.
        return t.split_whitespace().any(|w| {
            let w = w.trim_end_matches([')', ',', ':']);
            w.ends_with(".ts") || w.ends_with(".tsx")
        });
    }
    const TYPES: &[&str] = &[
        ": string",
        ": number",
        ": boolean",
        ": any",
        ": unknown",
        ": void",
        ": never",
        ": Promise<",
        ": Record<",
        ": React.",
        "as const",
        " satisfies ",
        "): Promise<",
    ];
    TYPES.iter().any(|ty| t.contains(ty))
        || typed_parameter(t)
        || ["private ", "public ", "readonly "]
            .iter()
            .any(|m| t.starts_with(m) && t.contains(':'))
}

/// `function f(name: Type`: a parameter with a type, on a function's line.
fn typed_parameter(t: &str) -> bool {
    let t = t.strip_prefix("export ").unwrap_or(t);
    let t = t.strip_prefix("default ").unwrap_or(t);
    let t = t.strip_prefix("async ").unwrap_or(t);
    if !t.starts_with("function ") {
        return false;
    }
    let Some(open) = t.find('(') else {
        return false;
    };
    t[open + 1..]
        .split(',')
        .next()
        .and_then(|p| ident(p.trim_start().trim_start_matches(['{', ' '])))
        .is_some_and(|(_, r)| r.starts_with(": ") || r.starts_with("?: "))
}

/// A JSX element: `<Component`, `</div>`, `return <…`, `className=`.
fn has_jsx(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with("//") {
        return t
            .split_whitespace()
            .any(|w| w.trim_end_matches([')', ',']).ends_with(".tsx") || w.ends_with(".jsx"));
    }
    if t.contains("className=") || t.contains("return <") || t.contains("</") {
        return true;
    }
    t.match_indices('<').any(|(at, _)| {
        let before = t[..at].chars().next_back();
        let opens = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '$'));
        opens
            && ident(&t[at + 1..]).is_some_and(|(name, rest)| {
                name.starts_with(|c: char| c.is_ascii_uppercase())
                    && (rest.starts_with(' ') || rest.starts_with("/>") || rest.starts_with('>'))
                    && (rest.contains("/>") || rest.contains('='))
            })
    })
}

fn go_or_swift(t: &str, lines: &[&str]) -> Option<&'static str> {
    if let Some(rest) = t.strip_prefix("package ") {
        let go_elsewhere = lines
            .iter()
            .any(|l| l.starts_with("func ") || l.starts_with("import "));
        return (ident(rest)
            .is_some_and(|(n, r)| r.is_empty() && n.chars().all(|c| c.is_ascii_lowercase()))
            && go_elsewhere)
            .then_some("go");
    }
    if t == "import (" {
        return Some("go");
    }
    let rest = t.strip_prefix("func ")?;
    if rest.starts_with('(') {
        return t.ends_with('{').then_some("go");
    }
    let (_, r) = ident(rest)?;
    if !(r.starts_with('(') || r.starts_with('<')) || !t.ends_with('{') {
        return None;
    }
    Some(if t.contains(") -> ") { "swift" } else { "go" })
}

fn jvm_or_dotnet(t: &str) -> Option<&'static str> {
    if let Some(rest) = t.strip_prefix("package ") {
        return dotted(rest)
            .is_some_and(|(_, r)| r == ";")
            .then_some("java");
    }
    if let Some(rest) = t.strip_prefix("import ") {
        let rest = rest.strip_prefix("static ").unwrap_or(rest);
        return dotted(rest)
            .is_some_and(|(name, r)| name.contains('.') && (r == ";" || r == ".*;"))
            .then_some("java");
    }
    if let Some(rest) = t.strip_prefix("using ") {
        let rest = rest.strip_prefix("static ").unwrap_or(rest);
        if rest.starts_with("namespace ") {
            return Some("cpp");
        }
        return dotted(rest)
            .is_some_and(|(name, r)| r == ";" && name.starts_with(|c: char| c.is_ascii_uppercase()))
            .then_some("csharp");
    }
    if let Some(rest) = t.strip_prefix("namespace ") {
        return dotted(rest)
            .is_some_and(|(name, r)| name.contains('.') && (r == ";" || r == " {"))
            .then_some("csharp");
    }
    for call in ["System.out.print", "Console.Write"] {
        if t.starts_with(call) {
            return Some(if call.starts_with("System") {
                "java"
            } else {
                "csharp"
            });
        }
    }
    if let Some(rest) = t
        .strip_prefix("fun ")
        .or_else(|| t.strip_prefix("suspend fun "))
        .or_else(|| t.strip_prefix("private fun "))
        .or_else(|| t.strip_prefix("data class "))
    {
        return ident(rest)
            .is_some_and(|(_, r)| r.starts_with('('))
            .then_some("kotlin");
    }
    // `public class Enemy : MonoBehaviour {` (C#), `public class A extends B {` (Java).
    let mut words = t.split_whitespace().peekable();
    if !matches!(
        words.peek(),
        Some(&("public" | "private" | "protected" | "internal"))
    ) {
        return None;
    }
    while let Some(w) = words.next() {
        if matches!(w, "class" | "interface" | "record") {
            let name = words.next()?;
            ident(name)
                .filter(|(n, r)| r.is_empty() && n.starts_with(|c: char| c.is_ascii_uppercase()))?;
            return match words.next() {
                Some(":") => Some("csharp"),
                Some("extends" | "implements") => Some("java"),
                _ => None,
            };
        }
        if !matches!(
            w,
            "public"
                | "private"
                | "protected"
                | "internal"
                | "static"
                | "sealed"
                | "abstract"
                | "partial"
                | "final"
        ) {
            break;
        }
    }
    if t.starts_with("public static void main(") {
        return Some("java");
    }
    None
}

fn c_family(t: &str, lines: &[&str]) -> Option<&'static str> {
    let rest = t.strip_prefix("#include")?.trim_start();
    if !((rest.starts_with('<') && rest.ends_with('>'))
        || (rest.starts_with('"') && rest.ends_with('"')))
    {
        return None;
    }
    let cpp = lines.iter().any(|l| {
        [
            "std::",
            "<iostream>",
            "class ",
            "namespace ",
            "template<",
            "template <",
        ]
        .iter()
        .any(|m| l.contains(m))
    });
    Some(if cpp { "cpp" } else { "c" })
}

fn scripting(t: &str, lines: &[&str]) -> Option<&'static str> {
    if t.starts_with("<?php") {
        return Some("php");
    }
    // `$user = new User();`
    if let Some(rest) = t.strip_prefix('$')
        && ident(rest).is_some_and(|(_, r)| r.starts_with(" = ") || r.starts_with("->"))
        && t.ends_with(';')
    {
        return Some("php");
    }
    if t.starts_with("defmodule ") && t.ends_with(" do") {
        return Some("elixir");
    }
    if let Some(rest) = t.strip_prefix("local ") {
        let rest = rest.strip_prefix("function ").unwrap_or(rest);
        return ident(rest)
            .is_some_and(|(_, r)| r.starts_with(" = ") || r.starts_with('('))
            .then_some("lua");
    }
    if let Some(rest) = t
        .strip_prefix("require ")
        .or_else(|| t.strip_prefix("require_relative "))
    {
        return (rest.starts_with(['\'', '"']) && rest.ends_with(['\'', '"'])).then_some("ruby");
    }
    // `def name(args)` with no colon, closed by an `end` line.
    let rest = t.strip_prefix("def ")?;
    let (_, r) = ident(rest.strip_prefix("self.").unwrap_or(rest))?;
    let ruby_ending = lines.iter().any(|l| l.trim() == "end");
    (!t.ends_with(':')
        && !t.ends_with(" do")
        && (r.is_empty() || r.starts_with('('))
        && ruby_ending)
        .then_some("ruby")
}

fn sql(t: &str, i: usize, lines: &[&str]) -> bool {
    const STATEMENTS: &[&str] = &[
        "INSERT INTO ",
        "CREATE TABLE ",
        "CREATE INDEX ",
        "CREATE UNIQUE INDEX ",
        "CREATE VIEW ",
        "CREATE EXTENSION ",
        "CREATE OR REPLACE ",
        "ALTER TABLE ",
        "DROP TABLE ",
        "DELETE FROM ",
        "SELECT ",
        "UPDATE ",
        "WITH ",
    ];
    let upper_start = STATEMENTS.iter().find(|s| t.starts_with(**s));
    let lower_start = STATEMENTS
        .iter()
        .find(|s| t.starts_with(s.to_ascii_lowercase().as_str()))
        .filter(|_| t.ends_with(';'));
    let Some(statement) = upper_start.or(lower_start) else {
        return false;
    };
    let upper = upper_start.is_some();
    let from = if upper { " FROM " } else { " from " };
    let next = lines.get(i + 1).map_or("", |l| l.trim_start());
    match statement.trim_end() {
        "SELECT" => {
            t.contains(from)
                || next.starts_with(from.trim_start())
                || (upper && t.ends_with(','))
                || t.ends_with(';')
        }
        "UPDATE" => t.contains(if upper { " SET " } else { " set " }) || next.starts_with("SET "),
        "WITH" => t.ends_with("AS (") || t.ends_with("as ("),
        _ => true,
    }
}

/// HTML, XML, JSX or Vue: a declaration, or an element with attributes,
/// self-closed or closed later. `<type>(<scope>): <subject>` is none: no
/// attribute, no closing tag.
fn markup(t: &str, i: usize, lines: &[&str]) -> Option<&'static str> {
    if t.starts_with("<?xml") {
        return Some("xml");
    }
    if t.get(..9)
        .is_some_and(|d| d.eq_ignore_ascii_case("<!doctype"))
    {
        return Some("html");
    }
    let rest = t.strip_prefix('<')?;
    let end = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || "-_.:".contains(c)))
        .map_or(rest.len(), |(i, _)| i);
    let (name, after) = rest.split_at(end);
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let attribute = |s: &str| {
        ident(s.trim_start()).is_some_and(|(_, r)| {
            let r =
                r.trim_start_matches(|c: char| c == '-' || c == ':' || c.is_ascii_alphanumeric());
            r.starts_with("=\"") || r.starts_with("='") || r.starts_with("={")
        })
    };
    let element = if after.starts_with(char::is_whitespace) {
        attribute(after) || after.trim() == "/>"
    } else if after.is_empty() {
        // `<Trans` with its attributes on the lines below.
        lines
            .get(i + 1)
            .is_some_and(|next| attribute(next) && !next.trim_start().starts_with('<'))
    } else if after.starts_with("/>") {
        true
    } else if after.starts_with('>') {
        let close = format!("</{name}>");
        // `<example>`, `<Info>` around prose is a prompt's or a page's
        // wording; an element of elements (`<read_file><path>…`) is data.
        let known = HTML_TAGS.contains(&name) || name.contains('-');
        let data = lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .all(|l| l.trim_start().starts_with('<'));
        lines[i..].iter().any(|l| l.contains(&close)) && (known || data)
    } else {
        false
    };
    if !element {
        return None;
    }
    let jsx = name.starts_with(|c: char| c.is_ascii_uppercase())
        || lines
            .iter()
            .any(|l| l.contains("={") || l.contains("className="));
    Some(
        if name == "template" && i == first_text(lines).unwrap_or(0) {
            "vue"
        } else if jsx {
            "jsx"
        } else if HTML_TAGS.contains(&name) || name.contains('-') {
            // Custom elements (`<my-card>`) are HTML's too.
            "html"
        } else {
            // `<read_file>`, `<dependency>`: no HTML element.
            "xml"
        },
    )
}

const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "audio",
    "b",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "code",
    "details",
    "dialog",
    "div",
    "dl",
    "em",
    "fieldset",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "label",
    "li",
    "link",
    "main",
    "meta",
    "nav",
    "ol",
    "option",
    "p",
    "picture",
    "pre",
    "script",
    "section",
    "select",
    "slot",
    "source",
    "span",
    "strong",
    "style",
    "summary",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
    "video",
];

fn css(t: &str, i: usize, lines: &[&str]) -> bool {
    const TAGS: &[&str] = &[
        "a", "body", "button", "div", "footer", "form", "h1", "h2", "h3", "header", "html", "img",
        "input", "li", "main", "nav", "p", "section", "span", "table", "ul",
    ];
    let Some(selector) = t.strip_suffix(" {") else {
        return false;
    };
    let starts_ok = selector.starts_with(['.', '#', '*'])
        || selector.starts_with(":root")
        || ident(selector).is_some_and(|(n, r)| {
            TAGS.contains(&n) && (r.is_empty() || r.starts_with([' ', ',', ':', '.', '>']))
        });
    if !starts_ok || selector.contains(" = ") || (selector.contains('(') && !selector.contains(':'))
    {
        return false;
    }
    let Some(next) = lines.get(i + 1) else {
        return false;
    };
    let Some((prop, value)) = next.trim().split_once(':') else {
        return false;
    };
    next.starts_with(char::is_whitespace)
        && !prop.is_empty()
        && prop.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && value.trim_end().ends_with(';')
}

fn graphql(t: &str) -> bool {
    ["query ", "mutation ", "subscription ", "fragment "]
        .iter()
        .any(|k| {
            t.strip_prefix(k).is_some_and(|rest| {
                ident(rest).is_some_and(|(name, r)| {
                    name.starts_with(|c: char| c.is_ascii_uppercase())
                        && (r == " {" || r.starts_with('(') || r.starts_with(" on "))
                })
            })
        })
}

/// The index of the first line with text.
fn first_text(lines: &[&str]) -> Option<usize> {
    lines.iter().position(|l| !l.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(code: &str) -> Option<&'static str> {
        guess_language(code).map(|g| g.lang)
    }

    fn guess(code: &str) -> Option<(&'static str, usize)> {
        guess_language(code).map(|g| (g.lang, g.line))
    }

    // Code.

    #[test]
    fn python_by_def_class_and_imports() {
        let code = "# Good: validate once\ndef create_user(request: Request) -> User:\n    return service.create(request)\n";
        assert_eq!(guess(code), Some(("python", 2)));
        assert_eq!(
            lang("class User(BaseModel):\n    name: str\n"),
            Some("python")
        );
        assert_eq!(lang("class Config:\n    debug = True\n"), Some("python"));
        assert_eq!(
            lang("from fastapi import FastAPI, Depends\n"),
            Some("python")
        );
        assert_eq!(lang("from . import views\n"), Some("python"));
        assert_eq!(
            lang("import numpy as np\nx = np.zeros(3)\n"),
            Some("python")
        );
        assert_eq!(lang("async def main():\n    await run()\n"), Some("python"));
        assert_eq!(
            lang("if __name__ == \"__main__\":\n    main()\n"),
            Some("python")
        );
        assert_eq!(
            lang(">>> import os\n>>> os.getcwd()\n'/tmp'\n"),
            Some("pycon")
        );
        assert_eq!(lang(">>> x = 1 + 1\n>>> x\n2\n"), Some("pycon"));
    }

    #[test]
    fn python_try_except_is_no_yaml() {
        let code = "try:\n    # risky operation\nexcept: # all of them\n    print(\"x\")\n";
        assert_eq!(guess(code), Some(("python", 1)));
        // Without `except`, not Python for sure; never YAML.
        assert_eq!(lang("try:\n  foo\nfinally:\n  bar\n"), None);
    }

    #[test]
    fn javascript_lookalikes() {
        assert_eq!(lang("pragma solidity ^0.8.0;\n"), Some("solidity"));
        assert_eq!(
            lang("function withdraw(uint256 amount) public {\n}\n"),
            Some("solidity")
        );
        assert_eq!(
            lang("import \"@openzeppelin/contracts/Ownable.sol\";\n"),
            Some("solidity")
        );
        assert_eq!(
            lang("import 'package:riverpod/riverpod.dart';\n"),
            Some("dart")
        );
        assert_eq!(
            lang("function total() {\n  local sum=0\n  echo $sum\n}\n"),
            Some("sh")
        );
        // GDScript's constants are no JavaScript.
        assert_eq!(lang("var MyVariable = 10\nconst MY_CONSTANT = 5\n"), None);
    }

    #[test]
    fn python_import_gives_way_to_a_stronger_line() {
        // Kotlin imports read like Python's; its `fun` line says which.
        let code = "import kotlinx.coroutines.flow\n\nfun main() {\n}\n";
        assert_eq!(guess(code), Some(("kotlin", 3)));
    }

    #[test]
    fn rust_by_items_attributes_and_macros() {
        assert_eq!(lang("fn main() {\n    let x = 1;\n}\n"), Some("rust"));
        assert_eq!(
            lang("pub fn parse(s: &str) -> Result<()> {\n}\n"),
            Some("rust")
        );
        assert_eq!(lang("pub(crate) async fn run() {}\n"), Some("rust"));
        assert_eq!(
            lang("async fn handler() -> impl Responder {\n"),
            Some("rust")
        );
        assert_eq!(lang("use std::io::Write;\n"), Some("rust"));
        assert_eq!(lang("use serde::{Deserialize, Serialize};\n"), Some("rust"));
        assert_eq!(lang("#[derive(Debug, Clone)]\nstruct A;\n"), Some("rust"));
        assert_eq!(lang("impl Display for Error {\n"), Some("rust"));
        assert_eq!(lang("impl<T> Stack<T> {\n"), Some("rust"));
        assert_eq!(lang("let mut v = Vec::new();\n"), Some("rust"));
        assert_eq!(lang("info!(\"started\");\n"), Some("rust"));
        assert_eq!(lang("println!(\"{x}\");\n"), Some("rust"));
        assert_eq!(
            lang("pub struct Config {\n    port: u16,\n}\n"),
            Some("rust")
        );
    }

    #[test]
    fn javascript_family_by_imports_exports_and_consts() {
        let ts = "import { mockFetchForTesting } from \"@/shared/net\"\n\nlet f = 1\n";
        assert_eq!(guess(ts), Some(("javascript", 1)));
        assert_eq!(
            lang("import { z } from 'zod';\nexport const User = z.object({ name: z.string() });\n"),
            Some("javascript")
        );
        assert_eq!(
            lang("interface Props {\n  name: string;\n}\n"),
            Some("typescript")
        );
        assert_eq!(
            lang("export function add(a: number, b: number): number {\n  return a + b;\n}\n"),
            Some("typescript")
        );
        assert_eq!(
            lang(
                "import { Stack } from 'expo-router';\nexport default function Root() {\n  return <Stack />;\n}\n"
            ),
            Some("jsx")
        );
        assert_eq!(
            lang(
                "// app/page.tsx\nexport default function Page() {\n  return <main className=\"p-4\" />;\n}\n"
            ),
            Some("tsx")
        );
        assert_eq!(
            lang("const express = require('express');\n"),
            Some("javascript")
        );
        assert_eq!(lang("const { a, b } = props;\n"), Some("javascript"));
        assert_eq!(lang("function handle(req, res) {\n}\n"), Some("javascript"));
        assert_eq!(lang("console.log(result);\n"), Some("javascript"));
        assert_eq!(lang("type User = { id: string };\n"), Some("typescript"));
        assert_eq!(
            lang("async function createPost(formData: FormData) {\n}\n"),
            Some("typescript")
        );
        assert_eq!(
            lang("describe('Button', () => {\n  it('renders', () => {});\n});\n"),
            Some("javascript")
        );
        assert_eq!(
            lang("import {\n  a,\n  b,\n} from './x';\n"),
            Some("javascript")
        );
    }

    #[test]
    fn jsx_element_with_attributes_on_the_next_lines() {
        let code = "  <Trans\n    i18nKey=\"welcome:telemetry\"\n    components={{\n      link: <Link href=\"#\" />\n    }}\n  />\n";
        assert_eq!(guess(code), Some(("jsx", 1)));
    }

    #[test]
    fn shell_when_every_line_is_a_command() {
        assert_eq!(
            guess("git clone https://github.com/x/y.git\n"),
            Some(("sh", 1))
        );
        assert_eq!(lang("pnpm install\n"), Some("sh"));
        assert_eq!(
            lang("node scripts/find-missing-translations.js\n"),
            Some("sh")
        );
        assert_eq!(
            lang(
                "# Don't do this\nmkdir my_scraper\ncd my_scraper\ntouch scrapy.cfg items.py ...\n"
            ),
            Some("sh")
        );
        assert_eq!(lang("$ cargo test --all\n"), Some("sh"));
        assert_eq!(lang("sudo apt-get install -y curl\n"), Some("sh"));
        assert_eq!(lang("docker run \\\n  -p 80:80 \\\n  nginx\n"), Some("sh"));
        assert_eq!(lang("npm run build && npm test\n"), Some("sh"));
        assert_eq!(lang("./scripts/release.sh v1.2\n"), Some("sh"));
        assert_eq!(lang("go test ./...\n"), Some("sh"));
        assert_eq!(lang("make build  # compile\nmake test\n"), Some("sh"));
        assert_eq!(lang("#!/usr/bin/env bash\nset -e\nfoo\n"), Some("sh"));
        assert_eq!(lang("#!/usr/bin/env python3\nprint(1)\n"), Some("python"));
    }

    #[test]
    fn env_file_is_shell_assignments() {
        assert_eq!(
            guess("PORT=5000\nMONGO_URI=mongodb://localhost:27017/db\n"),
            Some(("sh", 1))
        );
        // One assignment alone is too little to tell.
        assert_eq!(lang("# .env\nAPI_KEY=abc\n"), None);
    }

    #[test]
    fn shell_needs_every_line() {
        // A command among prose lines, or arrows, is a description.
        assert_eq!(lang("make fast\n    ↓ (pass)\nmake test\n"), None);
        assert_eq!(lang("git status\nThen check the output.\n"), None);
        assert_eq!(lang("make sure the tests pass\n"), None);
        assert_eq!(lang("go to the settings page\n"), None);
        assert_eq!(lang("git is a version control system.\n"), None);
        assert_eq!(lang("Git clone the repo\n"), None);
    }

    #[test]
    fn json_when_it_parses() {
        assert_eq!(
            guess("{\n  \"name\": \"x\",\n  \"version\": 1\n}\n"),
            Some(("json", 1))
        );
        assert_eq!(lang("[1, 2, 3]\n"), Some("json"));
        assert_eq!(lang("{\n  // the port\n  \"port\": 80\n}\n"), Some("jsonc"));
        assert_eq!(lang("{}\n"), None);
        assert_eq!(lang("{ name: x }\n"), None);
        assert_eq!(lang("[optional body]\n"), None);
    }

    #[test]
    fn gitignore_patterns_with_a_glob() {
        let code = "# Environment\n.env\n.env.local\n*.local\n\n# IDE\n.idea/\n";
        assert_eq!(guess(code), Some(("gitignore", 4)));
        assert_eq!(guess("# .gitignore\n*.log\n"), Some(("gitignore", 2)));
        // No glob: a list of file names.
        assert_eq!(lang("pandas\nnumpy\nstreamlit\n"), None);
        assert_eq!(lang("my_script.py\ndata.csv\nREADME.md\n"), None);
        // Requirements, not patterns.
        assert_eq!(lang("pandas==2.2.3\nnumpy==1.26.4\n*.txt\n"), None);
    }

    #[test]
    fn markdown_template_by_heading_and_bold_or_list() {
        let code =
            "## Impact Analysis\n\n**Modified:** `src/utils.py`\n\n- `src/orders.py` - calls it\n";
        assert_eq!(guess(code), Some(("markdown", 1)));
        assert_eq!(lang("## Summary\n\n- one\n- two\n"), Some("markdown"));
        // A heading-like comment with a plain line is not a template.
        assert_eq!(
            lang("# Types:\nfeat:     New feature\nfix:      Bug fix\n"),
            None
        );
    }

    #[test]
    fn markup_by_attributes_or_closing_tags() {
        assert_eq!(
            lang("<div class=\"card\">\n  <p>Hi</p>\n</div>\n"),
            Some("html")
        );
        assert_eq!(lang("<!DOCTYPE html>\n<html>\n"), Some("html"));
        assert_eq!(lang("<?xml version=\"1.0\"?>\n<project/>\n"), Some("xml"));
        assert_eq!(lang("<section>\n  text\n</section>\n"), Some("html"));
        assert_eq!(
            lang("<template>\n  <div>{{ msg }}</div>\n</template>\n"),
            Some("vue")
        );
        assert_eq!(lang("<Button onClick={save} />\n"), Some("jsx"));
        // Tags around prose: a prompt's wording.
        assert_eq!(
            lang("<example>\nUser: fix the bug\nAssistant: done\n</example>\n"),
            None
        );
        assert_eq!(lang("<Info>\nThis needs a restart.\n</Info>\n"), None);
        assert_eq!(
            lang("<read_file>\n<path>src/main.rs</path>\n</read_file>\n"),
            Some("xml")
        );
    }

    #[test]
    fn sql_statements_in_capitals() {
        assert_eq!(
            lang("SELECT id, name FROM users WHERE id = 1;\n"),
            Some("sql")
        );
        assert_eq!(
            guess("statement ok\nCREATE TABLE t (id INT);\n"),
            Some(("sql", 2))
        );
        assert_eq!(lang("select * from users;\n"), Some("sql"));
        // A sentence that starts with the word.
        assert_eq!(lang("Select the file from the list\n"), None);
    }

    #[test]
    fn other_languages() {
        assert_eq!(
            lang("package main\n\nimport \"fmt\"\n\nfunc main() {\n}\n"),
            Some("go")
        );
        assert_eq!(lang("func (s *Server) Start() error {\n"), Some("go"));
        assert_eq!(
            lang("func greet(name: String) -> String {\n"),
            Some("swift")
        );
        assert_eq!(lang("using System.Linq;\n"), Some("csharp"));
        assert_eq!(
            lang(
                "// Assets/Enemy.cs\nnamespace Game {\n    public class EnemyAI : MonoBehaviour {\n    }\n}\n"
            ),
            Some("csharp")
        );
        assert_eq!(lang("package com.example.app;\n"), Some("java"));
        assert_eq!(lang("import java.util.List;\n"), Some("java"));
        assert_eq!(lang("public class A extends B {\n}\n"), Some("java"));
        assert_eq!(lang("fun main() {\n}\n"), Some("kotlin"));
        assert_eq!(lang("#include <stdio.h>\nint main() {}\n"), Some("c"));
        assert_eq!(lang("#include <iostream>\nstd::cout << 1;\n"), Some("cpp"));
        assert_eq!(lang("<?php\necho 1;\n"), Some("php"));
        assert_eq!(lang("$user = new User();\n"), Some("php"));
        assert_eq!(lang("def greet(name)\n  puts name\nend\n"), Some("ruby"));
        assert_eq!(lang("require 'rails_helper'\n"), Some("ruby"));
        assert_eq!(lang("defmodule App do\nend\n"), Some("elixir"));
        assert_eq!(lang("local x = 1\n"), Some("lua"));
        assert_eq!(lang(".card {\n  color: red;\n}\n"), Some("css"));
        assert_eq!(lang("query GetUser {\n  user { id }\n}\n"), Some("graphql"));
        assert_eq!(
            lang("FROM node:20-alpine AS build\nWORKDIR /app\nRUN npm ci\n"),
            Some("dockerfile")
        );
        assert_eq!(lang("build:\n\tcargo build\n"), Some("makefile"));
        assert_eq!(
            guess("[package]\nname = \"x\"\nversion = \"0.1.0\"\n"),
            Some(("toml", 1))
        );
        assert_eq!(
            guess("# mkdocs.yml\nnav:\n  - Home: index.md\n  - API: api.md\n"),
            Some(("yaml", 2))
        );
        assert_eq!(lang("services:\n  web:\n    image: nginx\n"), Some("yaml"));
    }

    // Plain text.

    #[test]
    fn trees_are_plain_text() {
        let tree = "src/\n├── lib/\n│   ├── config.ts          # Configuration\n│   └── utils/\n└── index.ts\n";
        assert_eq!(lang(tree), None);
        let indented = "src/\n  components/\n    Button.tsx\ntests/\n  Button.test.tsx\n";
        assert_eq!(lang(indented), None);
        let with_globs = "src/tests/\n├── conftest.py\n├── test_*.py\n└── functional/\n";
        assert_eq!(lang(with_globs), None);
        let gradle =
            "├── app\n│   └── build.gradle.kts\n└── settings.gradle.kts\n    include(\"app\")\n";
        assert_eq!(lang(gradle), None);
        let annotated = "src/<feature>/\n  <feature>.module.ts       @Module({ controllers })\n  dto/create-<x>.dto.ts     class CreateXDto implements CreateXData\n";
        assert_eq!(lang(annotated), None);
        let commented = "// components/Button.tsx\n// components/profile-card.tsx\n";
        assert_eq!(lang(commented), None);
        let hierarchy = "- Managers\n  - GameManager\n- UI\n  - Canvas\n";
        assert_eq!(lang(hierarchy), None);
    }

    #[test]
    fn box_drawings_and_arrow_diagrams_are_plain_text() {
        let boxed = "┌─────────────┐\n│ Controllers │  ← HTTP layer\n├─────────────┤\n│  Services   │\n└─────────────┘\n";
        assert_eq!(lang(boxed), None);
        let flow = "gemini.tsx\n         │  (dynamic import)\n         ▼\n  devtoolsService.ts\n";
        assert_eq!(lang(flow), None);
        let arrows = "Backlog Item\n    ↓\nIssue (technical task)\n    ↓\nMilestone\n";
        assert_eq!(lang(arrows), None);
    }

    #[test]
    fn commit_templates_and_messages_are_plain_text() {
        assert_eq!(
            lang("<type>(<scope>): <subject>\n\n<body>\n\n<footer>\n"),
            None
        );
        assert_eq!(
            lang(
                "<type>[optional scope]: <description>\n\n[optional body]\n\n[optional footer(s)]\n"
            ),
            None
        );
        assert_eq!(
            lang("<type>(<scope>): <subject>\n\nTypes: feat, fix, docs, style, refactor\n"),
            None
        );
        assert_eq!(
            lang(
                "feat(auth): add password reset\n\nUsers can now reset their password.\n\nCloses #42\n"
            ),
            None
        );
        assert_eq!(
            lang("type: short description\n\n# Types:\nfeat:     New feature\nfix:      Bug fix\n"),
            None
        );
    }

    #[test]
    fn pseudo_code_and_prose_are_plain_text() {
        assert_eq!(
            lang(
                "IF debugging_time > 10 minutes THEN\n  → Stop debugging\n  → Clarify the problem\n"
            ),
            None
        );
        assert_eq!(
            lang("1. Build the smallest thing\n2. Ship it to real users\n3. Learn from them\n"),
            None
        );
        assert_eq!(
            lang(
                "1. Read project_profile.md       → Understand context\n2. Read MASTER_RULES.md          → Load rules\n"
            ),
            None
        );
        assert_eq!(
            lang(
                "INPUT:  Task description + success criteria\nOUTPUT: Assumptions → Plan → Patch\n"
            ),
            None
        );
        assert_eq!(
            lang("We're in Vibe mode for this feature.\nPriorities: speed, working code.\n"),
            None
        );
        assert_eq!(
            lang("search_files(path=\"src/core\", regex=\"myFunction\", file_pattern=\"*.ts\")\n"),
            None
        );
        assert_eq!(
            lang(
                ".../Code.app/Contents/MacOS/Code: bad option: --x=...\nError: Process failed to launch!\n"
            ),
            None
        );
        assert_eq!(
            lang("Thank you for this PR! Here's my assessment:\n\n[Detailed assessment]\n"),
            None
        );
        assert_eq!(
            lang(
                "VS Code Hotfix v{VERSION} Published\n\n- Description of fix 1 https://x/pull/{PR}\n"
            ),
            None
        );
        assert_eq!(lang("# No Procfile\nweb: npm start\n"), None);
        assert_eq!(lang("# Bucket name\n# e.g., myorg-prod-datalake\n"), None);
        assert_eq!(lang("nginx: the configuration file syntax is ok\n"), None);
        assert_eq!(lang("GET /graphql?query={users{id}}\n"), None);
        assert_eq!(lang("pandas==2.2.3\nnumpy==1.26.4\n"), None);
        assert_eq!(lang(""), None);
        assert_eq!(lang("\n\n"), None);
    }

    #[test]
    fn output_quoting_code_and_prose_starting_with_a_command_are_not_code() {
        let traceback = "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n    import foo\nModuleNotFoundError: No module named 'foo'\n";
        assert_eq!(lang(traceback), None);
        let status = "On branch main\nChanges not staged for commit:\n\tmodified:   src/main.rs\n";
        assert_eq!(lang(status), None);
        assert_eq!(lang("echo what the user said back to them\n"), None);
        assert_eq!(lang("cd player and vinyl are both fine\n"), None);
        // Still commands.
        assert_eq!(lang("cd frontend\nnpm install\n"), Some("sh"));
        assert_eq!(lang("echo \"$HOME\"\n"), Some("sh"));
    }

    #[test]
    fn zig_is_not_rust() {
        assert_eq!(
            lang("const std = @import(\"std\");\npub fn main() void {}\n"),
            Some("zig")
        );
    }

    #[test]
    fn names_for_messages() {
        let g = guess_language("def f():\n    pass\n").unwrap();
        assert_eq!(g.name(), "Python");
        assert_eq!(Guess::new("sh", 0).name(), "shell");
    }
}
