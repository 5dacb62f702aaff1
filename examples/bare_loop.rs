//! The floor for benchmarks: read every `.md`/`.mdc` file under the given
//! folders and run pulldown-cmark over it, one thread, nothing else.
//!
//! `cargo run --release --example bare_loop -- DIR...` prints files, bytes and events.

// Each test crate sees every dependency of the package; the library is where
// `unused_crate_dependencies` means something.
#![allow(unused_crate_dependencies)]

use std::path::{Path, PathBuf};

use pulldown_cmark::{Options, Parser};

fn main() {
    let mut files = Vec::new();
    for dir in std::env::args().skip(1) {
        collect(Path::new(&dir), &mut files);
    }
    files.sort();
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let (mut bytes, mut events) = (0usize, 0usize);
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        bytes += text.len();
        events += Parser::new_ext(&text, opts).into_offset_iter().count();
    }
    println!("{} files, {bytes} bytes, {events} events", files.len());
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        if dir.is_file() {
            out.push(dir.to_path_buf());
        }
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "mdc")) {
            out.push(p);
        }
    }
}
