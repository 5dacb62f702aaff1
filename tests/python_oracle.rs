//! Python snippets against CPython: every `python`, `py`, `python3` and
//! `pycon` snippet of every corpus (`tests/corpus/*`) and of
//! `tests/fixtures/`, plus the hard cases below, is judged by ruledoc (its
//! target version set to the interpreter's) and by the interpreter's own
//! `compile(code, name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)` (a
//! `pycon` session: each doctest example in `single` mode); the two must
//! agree on every one. `python3` runs once, for all snippets.
//! Without `python3` on PATH it fails, unless `RULEDOC_SKIP_ORACLES=1`
//! says to skip it.
//! `RULEDOC_ORACLE_PYTHON=/path/to/python3.13` compares with another
//! interpreter (3.8 or later: `PyCF_ALLOW_TOP_LEVEL_AWAIT`).

// Each test crate sees every dependency of the package; the library is where
// `unused_crate_dependencies` means something.
#![allow(unused_crate_dependencies)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ruledoc::config::{Config, LoadedConfig};
use ruledoc::load::map_documents;
use ruledoc::settings::Settings;
use ruledoc::snippets::{RunMode, Status, Verifier, python_source};

/// Compiles each `{"name", "code", "session"}` of the JSON array on stdin;
/// prints a JSON array of the errors (`null` when it compiles), in order.
/// A session (`pycon`) is read as doctest reads it, each example compiled
/// on its own in `single` mode, as the REPL compiles an input. Warnings are
/// not errors.
const COMPILE: &str = r#"
import ast, doctest, json, sys, warnings
warnings.simplefilter("ignore")
flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
out = []
for s in json.load(sys.stdin):
    try:
        if s["session"]:
            for example in doctest.DocTestParser().get_examples(s["code"]):
                compile(example.source, s["name"], "single", flags=flags, dont_inherit=True)
        else:
            compile(s["code"], s["name"], "exec", flags=flags, dont_inherit=True)
        out.append(None)
    except Exception as e:
        out.append(f"{type(e).__name__}: {e}")
json.dump(out, sys.stdout)
"#;

/// `pycon` sessions the corpora may not hold.
const SESSIONS: &[&str] = &[
    ">>> import os\n>>> from __future__ import annotations\n",
    ">>> x = 1\n>>> global x\n",
    ">>> await f()\n",
    ">>> x = 1; y = 2\n",
    ">>> if x:\n...     y = 1\n... z = 2\n",
    ">>> if x:\n...     y = 1\n...\n>>> y\n1\n",
    ">>> return 1\n",
    ">>> x = (\n>>> y = 1\n",
    ">>> def f():\n...     return 1\n>>> f()\n1\n",
    ">>> for x in y:\n...     break\n>>> break\n",
];

/// Cases the corpora may not hold: each side of every check ruledoc makes
/// after parsing, and of every version-gated construct.
const CASES: &[&str] = &[
    "return 5\n",
    "def f(a, a): pass\n",
    "def f():\n    await g()\n",
    "await g()\n",
    "async for x in y:\n    pass\n",
    "async with a as b:\n    pass\n",
    "[await x for x in y]\n",
    "[x async for x in y]\n",
    "[[await x for x in y] for y in z]\n",
    "async def f():\n    return [[await x for x in y] for y in z]\n",
    "async def f():\n    return ([await x for x in y] for y in z)\n",
    "async def f():\n    return [(await x for x in y) for y in z]\n",
    "async def f():\n    return [[x async for x in y] for z in w]\n",
    "async def f():\n    return ([x async for x in y] for z in w)\n",
    "async def f():\n    return [{x: 1 async for x in y} for z in w]\n",
    "x[a := 1, b]\n",
    "x[a := 1:2]\n",
    "x[(a := 1)]\n",
    "{a := 1}\n",
    "lambda: await x\n",
    "lambda: (await x for x in y)\n",
    "class C:\n    await x\n",
    "class C:\n    [await x for x in y]\n",
    "def f():\n    return [await x for x in y]\n",
    "def f():\n    return (await x for x in y)\n",
    "def f():\n    return [x async for x in y]\n",
    "def f():\n    return (x async for x in y)\n",
    "async def f():\n    return [[x async for x in y] for y in z]\n",
    "def f(x=await y): pass\n",
    "async def f():\n    def g(x=await y): pass\n",
    "break\n",
    "continue\n",
    "for x in y:\n    break\nelse:\n    continue\n",
    "while x:\n    class C:\n        break\n",
    "while x:\n    try:\n        pass\n    finally:\n        continue\n",
    "yield 1\n",
    "class C:\n    yield 1\n",
    "def f():\n    [(yield x) for x in y]\n",
    "def f():\n    lambda: (yield)\n",
    "def f(x=(yield)): pass\n",
    "def f():\n    def g(x=(yield)): pass\n",
    "nonlocal x\n",
    "class C:\n    nonlocal x\n",
    "def f():\n    nonlocal x\n",
    "def f():\n    x = 1\n    def g():\n        nonlocal x\n",
    "def f():\n    def g():\n        nonlocal x\n    x = 1\n",
    "def f():\n    global x\n    def g():\n        nonlocal x\n",
    "def f():\n    [x := 1 for y in z]\n    def g():\n        nonlocal x\n",
    "def f():\n    [x for x in z]\n    def g():\n        nonlocal x\n",
    "def f(x):\n    def g():\n        nonlocal x\n",
    "def f():\n    x = 1\n    class C:\n        def g(self):\n            nonlocal x\n",
    "def f(x):\n    nonlocal x\n",
    "def f(x):\n    global x\n",
    "def f():\n    x = 1\n    global x\n",
    "def f():\n    print(x)\n    global x\n",
    "x = 1\nglobal x\n",
    "global x\nx = 1\n",
    "def x(): pass\nglobal x\n",
    "import x\nglobal x\n",
    "def f():\n    global x\n    x: int = 1\n",
    "def f():\n    x = 1\n    nonlocal x\n",
    "f(a=1, a=2)\n",
    "f(a=1, **{'a': 2})\n",
    "class C(a=1, a=2): pass\n",
    "async def f():\n    yield 1\n    return 2\n",
    "async def f():\n    yield 1\n    return\n",
    "async def f():\n    yield from g()\n",
    "def f():\n    from os import *\n",
    "class C:\n    from os import *\n",
    "import os\nfrom __future__ import annotations\n",
    "'''doc'''\nfrom __future__ import annotations\n",
    "from __future__ import braces\n",
    "from __future__ import nested_scopes, generators\n",
    "__debug__ = 1\n",
    "del __debug__\n",
    "def __debug__(): pass\n",
    "f(__debug__=1)\n",
    "*a = b\n",
    "a, *b, *c = d\n",
    "x = *a\n",
    "x = *a,\n",
    "for *x in y: pass\n",
    "[y := 1 for y in z]\n",
    "[x for x in (y := z)]\n",
    "class C:\n    [(y := 1) for x in z]\n",
    "match x:\n    case y: pass\n    case z: pass\n",
    "match x:\n    case _: pass\n    case 1: pass\n",
    "match x:\n    case [a, a]: pass\n",
    "match x:\n    case [a] | [b]: pass\n",
    "match x:\n    case {'a': 1, 'a': 2}: pass\n",
    "match x:\n    case C(a=1, a=2): pass\n",
    "match x:\n    case [*a, *b]: pass\n",
    "(y := 1)\n",
    "x[y := 1]\n",
    "{y := 1, 2}\n",
    "with (open(a) as b, open(c) as d):\n    pass\n",
    "match x:\n    case 1:\n        pass\n",
    "try:\n    pass\nexcept* ValueError:\n    pass\n",
    "try:\n    pass\nexcept* ValueError:\n    break\n",
    "type X = int\n",
    "def f[T](x: T) -> T:\n    return x\n",
    "class C[T]: pass\n",
    "f'{'a'}'\n",
    "f\"{'\\n'.join(x)}\"\n",
    "f'{x # c\n}'\n",
    "try:\n    pass\nexcept A, B:\n    pass\n",
    "def f(*, **k): pass\n",
    "print 'x'\n",
    "if x:\n\tpass\n        pass\n",
    "x = 1\n  y = 2\n",
    "def f():\n    x = yield\n    return x\n",
    "@(yield)\ndef f(): pass\n",
    "def f() -> (yield): pass\n",
    "def f(x: (yield)): pass\n",
    "from __future__ import annotations\ndef f(x: (yield)): pass\n",
    "x: (yield) = 1\n",
    "def f():\n    x: (yield) = 1\n",
    "a = 0777\n",
    "a = 1_000_\n",
    "b'é'\n",
    "'\\N{NO SUCH NAME}'\n",
    "x = 1 if y else\n",
    "del f()\n",
    "f() = 1\n",
    "(a, b) += 1\n",
    "None = 1\n",
    "def f(None): pass\n",
    "import a.b as c.d\n",
    "from . import *\n",
    "assert(x, 'msg')\n",
    "x is 1\n",
    "'\\d'\n",
    "f(x for x in y, 1)\n",
    "f(**a, *b)\n",
    "f(a=1, b)\n",
    "class C:\n    def f(self):\n        super().__class__\n        __class__ = 1\n",
    "x.__debug__ = 1\n",
    "del x.__debug__\n",
    "x.__debug__ += 1\n",
    "for x.__debug__ in y: pass\n",
    "(__debug__ := 1)\n",
    "for __debug__ in x: pass\n",
    "with a as __debug__: pass\n",
    "class __debug__: pass\n",
    "try: pass\nexcept E as __debug__: pass\n",
    "__debug__ += 1\n",
    "class C(__debug__=1): pass\n",
    "import __debug__\n",
    "from x import y as __debug__\n",
    "x[__debug__] = 1\n",
    "def f(a, /, a): pass\n",
    "def f(**a, b): pass\n",
    "f(a for a in b for c in d, )\n",
    "async def f():\n    async def g(): yield from x\n",
    "def f():\n    class C:\n        return 1\n",
    "class C:\n    return\n",
    "'''\n",
    "u'x' b'y'\n",
    "f'{x!z}'\n",
    "f'{}'\n",
    "f'{x=!r:>10}'\n",
    "f'{lambda x: 1}'\n",
    "f'{yield}'\n",
    "def f():\n    f'{yield}'\n",
    "f'{await x}'\n",
    "def f():\n    f'{await x}'\n",
];

/// The interpreter compared with.
fn python() -> String {
    std::env::var("RULEDOC_ORACLE_PYTHON").unwrap_or_else(|_| "python3".into())
}

fn python_version() -> Option<String> {
    let out = Command::new(python())
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// One snippet: where it is, what ruledoc said (`None`: no error), and the
/// code it judged.
struct Judged {
    place: String,
    ruledoc: Option<String>,
    code: String,
    /// A `pycon` session, read as doctest reads it.
    session: bool,
}

fn corpus_snippets(version: &str) -> Vec<Judged> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut config = Config::default();
    config.snippets.python.target_version = version.to_string();
    let cache = tempfile::tempdir().unwrap();
    let verifier = Verifier::new(
        &config.snippets,
        cache.path().to_path_buf(),
        root.clone(),
        RunMode::Never,
    )
    .unwrap();
    let loaded = LoadedConfig { config, path: None };
    let settings = Settings::new(loaded, &root).unwrap();
    let folders = [
        "tests/corpus/cursor-mdc",
        "tests/corpus/rust-patterns",
        "tests/corpus/agent-rules",
        "tests/corpus/rust-books",
        "tests/fixtures",
    ];
    let mut judged = Vec::new();
    for folder in folders {
        let walk = settings.walk(&[root.join(folder)]).unwrap();
        map_documents(
            walk,
            &settings,
            |document, _| {
                let verdicts = verifier.check_document(&document).verdicts;
                let mut out = Vec::new();
                for s in &document.doc.snippets {
                    let session = s.lang.eq_ignore_ascii_case("pycon");
                    let Some(code) = python_source(&s.lang, &s.code) else {
                        continue;
                    };
                    // The REPL reads the session itself.
                    let code = if session { s.code.clone() } else { code };
                    let Some(v) = verdicts.iter().find(|v| v.outcome.line == s.line) else {
                        continue;
                    };
                    let ruledoc = match v.outcome.status {
                        Status::Passed => None,
                        Status::Failed => Some(v.outcome.detail.clone().unwrap_or_default()),
                        // Skipped (`ignore`, an unclosed fence): not judged.
                        _ => continue,
                    };
                    out.push(Judged {
                        place: format!("{}:{} ({})", document.doc.path, s.line, s.lang),
                        ruledoc,
                        code,
                        session,
                    });
                }
                out
            },
            |found| judged.extend(found),
        );
    }
    judged
}

fn case_snippets(version: &str) -> Vec<Judged> {
    let config = ruledoc::config::SnippetsConfig {
        python: ruledoc::config::PythonSnippetsConfig {
            target_version: version.to_string(),
        },
        ..Default::default()
    };
    let tmp = tempfile::tempdir().unwrap();
    let verifier = Verifier::new(
        &config,
        tmp.path().to_path_buf(),
        tmp.path().to_path_buf(),
        RunMode::Never,
    )
    .unwrap();
    // CPython's tokenizer refuses the 201st nested bracket: both sides of it.
    let nested = |n: usize| format!("x = {}1{}\n", "[".repeat(n), "]".repeat(n));
    let generated = [
        nested(200),
        nested(201),
        format!("x = ({})\n", "(".repeat(199) + &")".repeat(199)),
    ];
    let cases = CASES
        .iter()
        .map(|c| ("python", *c))
        .chain(generated.iter().map(|c| ("python", c.as_str())));
    let sessions = SESSIONS.iter().map(|c| ("pycon", *c));
    cases
        .chain(sessions)
        .enumerate()
        .map(|(i, (lang, code))| {
            // A fence longer than any backtick run in the cases.
            let md = format!("# Case\n\n````{lang}\n{code}````\n");
            let path = tmp.path().join(format!("case{i}.md"));
            std::fs::write(&path, &md).unwrap();
            let document = load(&path, tmp.path());
            let verdict = verifier.check_document(&document).verdicts.remove(0);
            let snippet = &document.doc.snippets[0];
            let session = lang == "pycon";
            Judged {
                place: format!("case {i} ({lang}) {code:?}"),
                ruledoc: match verdict.outcome.status {
                    Status::Passed => None,
                    _ => Some(verdict.outcome.detail.unwrap_or_default()),
                },
                code: if session {
                    snippet.code.clone()
                } else {
                    python_source(lang, &snippet.code).unwrap()
                },
                session,
            }
        })
        .collect()
}

fn load(path: &Path, cwd: &Path) -> ruledoc::load::Document {
    let settings = Settings::new(LoadedConfig::default(), cwd).unwrap();
    let mut documents = Vec::new();
    map_documents(
        settings.walk(&[path.to_path_buf()]).unwrap(),
        &settings,
        |d, _| d,
        |d| documents.push(d),
    );
    assert_eq!(documents.len(), 1, "{} was not read", path.display());
    documents.remove(0)
}

/// CPython's verdict on each code, in order.
fn cpython(codes: &[&Judged]) -> Vec<Option<String>> {
    let input: Vec<serde_json::Value> = codes
        .iter()
        .map(|j| serde_json::json!({"name": j.place, "code": j.code, "session": j.session}))
        .collect();
    let mut child = Command::new(python())
        .args(["-c", COMPILE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let bytes = serde_json::to_vec(&input).unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&bytes));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "{} failed", python());
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_python_snippet_is_judged_as_cpython_compiles_it() {
    let Some(version) = python_version() else {
        if std::env::var_os("RULEDOC_SKIP_ORACLES").is_some_and(|v| v == "1") {
            eprintln!(
                "skipped (RULEDOC_SKIP_ORACLES=1): no {} to compare with",
                python()
            );
            return;
        }
        panic!(
            "no {} on PATH: CPython is the reference this test compares with \
             (or set RULEDOC_SKIP_ORACLES=1 to skip it)",
            python()
        );
    };
    let corpus = corpus_snippets(&version);
    let cases = case_snippets(&version);
    assert!(
        corpus.len() > 100,
        "only {} Python snippets found in the corpora",
        corpus.len()
    );
    let all: Vec<&Judged> = corpus.iter().chain(&cases).collect();
    let verdicts = cpython(&all);
    assert_eq!(verdicts.len(), all.len());
    let mut disagree = Vec::new();
    for (j, cpython) in all.iter().zip(&verdicts) {
        if j.ruledoc.is_some() != cpython.is_some() {
            let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "compiles".into());
            disagree.push(format!(
                "{}\n    ruledoc: {}\n    CPython {version}: {}",
                j.place,
                show(&j.ruledoc),
                show(cpython)
            ));
        }
    }
    let rejected = |from: usize, to: usize| verdicts[from..to].iter().flatten().count();
    println!(
        "CPython {version} rejects {} of {} corpus snippets and {} of {} cases",
        rejected(0, corpus.len()),
        corpus.len(),
        rejected(corpus.len(), all.len()),
        cases.len()
    );
    assert!(
        disagree.is_empty(),
        "{} disagreements with CPython {version}:\n{}",
        disagree.len(),
        disagree.join("\n")
    );
}
