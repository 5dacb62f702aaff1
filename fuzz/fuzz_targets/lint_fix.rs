//! `lint --fix`'s oracle: a second run changes nothing.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use ruledoc::discover::Found;
use ruledoc::lint::{Plan, fix_document};
use ruledoc::load::Document;
use ruledoc::parse::parse;
use ruledoc::settings::Settings;
use ruledoc::source::SourceFile;

fn settings() -> &'static Settings {
    static S: OnceLock<Settings> = OnceLock::new();
    S.get_or_init(|| Settings::defaults(Path::new("/nonexistent-fuzz-root")))
}

fn load(text: String, found: &Found) -> Document {
    let source = SourceFile::new(found.path.clone(), text);
    let doc = parse(&source, &settings().parse_options(found));
    Document { source, doc }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let found = Found {
        path: PathBuf::from("/nonexistent-fuzz-root/rules/sub/doc.md"),
        root: Some(PathBuf::from("/nonexistent-fuzz-root/rules")),
        rel_path: Some("sub/doc.md".into()),
        explicit: false,
    };
    let plan = Plan::all();
    let once = fix_document(load(text.to_string(), &found), &found, &plan, settings());
    let fixed = once.document.source.text.clone();
    let twice = fix_document(load(fixed.clone(), &found), &found, &plan, settings());
    assert_eq!(twice.applied, 0, "a second --fix applied fixes to {fixed:?}");
    assert_eq!(twice.document.source.text, fixed);
});
