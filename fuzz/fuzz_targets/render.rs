//! Render two documents made of the input through every target: never a
//! panic, every output stays inside the output folder, and the revised copy
//! renders back the same.
#![no_main]

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ruledoc::discover::Found;
use ruledoc::load::Document;
use ruledoc::parse::parse;
use ruledoc::render::{self, DocValues, Engine, Input, Target};
use ruledoc::settings::Settings;
use ruledoc::source::SourceFile;

fn settings() -> &'static Settings {
    static S: OnceLock<Settings> = OnceLock::new();
    S.get_or_init(|| Settings::defaults(Path::new("/nonexistent-fuzz-root")))
}

fn input(rel: &str, text: &str) -> Input {
    let found = Found {
        path: PathBuf::from("/nonexistent-fuzz-root/rules").join(rel),
        root: Some(PathBuf::from("/nonexistent-fuzz-root/rules")),
        rel_path: Some(rel.into()),
        explicit: false,
    };
    let source = SourceFile::new(found.path.clone(), text.to_string());
    let doc = parse(&source, &settings().parse_options(&found));
    Input {
        document: Document { source, doc },
        found,
    }
}

fn render_all(inputs: &[Input]) -> Vec<(PathBuf, String)> {
    let settings = settings();
    let refs: Vec<&Input> = inputs.iter().collect();
    let docs: Vec<&Document> = refs.iter().map(|i| &i.document).collect();
    let graph = ruledoc::graph::build(&docs, &settings.cwd);
    let values: Vec<DocValues> = refs.iter().map(|i| DocValues::of(i)).collect();
    let values: Vec<&DocValues> = values.iter().collect();
    let mut ctx = render::shared_context(&values, &graph, "2026-01-01T00:00:00Z");
    let mut engine = Engine::new(None).expect("built-in templates");
    engine.set_locations(Path::new("/nonexistent-fuzz-root/out"), &settings.cwd);
    let mut all = Vec::new();
    for target in Target::ALL {
        let rendered = render::render(target, &refs, &mut ctx, &mut engine, settings)
            .expect("the built-in templates render any document");
        for o in rendered.outputs {
            assert!(
                o.path.components().all(|c| matches!(c, Component::Normal(_))),
                "{target:?} output outside the folder: {}",
                o.path.display()
            );
            all.push((o.path, o.content));
        }
    }
    all
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Two documents: the input split at its first NUL, or it twice.
    let (a, b) = text.split_once('\0').unwrap_or((text, text));
    let inputs = [input("a.md", a), input("sub/b.md", b)];
    let first = render_all(&inputs);
    // Deterministic: the same inputs render the same outputs.
    assert_eq!(first, render_all(&inputs));
});
