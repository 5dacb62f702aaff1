//! CLI cases as data, a folder per subject (`tests/cmd/lint/`, `bad-input/`,
//! `config/`, `rules/`). Each `NAME.toml` there runs the real binary
//! (`args`, expected `status.code`) and pins its whole stdout and stderr in
//! `NAME.stdout` and `NAME.stderr`; its input is `NAME.in/`, or a shared
//! folder named by `fs.base`. A case that writes runs in a copy (a sandbox),
//! and `NAME.out/` holds the files it must leave there (`...` on a line of
//! its own elides lines). `NAME.trycmd` runs several commands in one
//! sandbox, each followed by its output (stdout and stderr together).
//!
//! Update the expected outputs with `TRYCMD=overwrite cargo test --test cmd`.

// Each test crate sees every dependency of the package; the library is where
// `unused_crate_dependencies` means something.
#![allow(unused_crate_dependencies)]

use std::path::Path;

const CASES: &str = "tests/cmd";

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .register_bin("ruledoc", Path::new(env!("CARGO_BIN_EXE_ruledoc")))
        .default_bin_name("ruledoc")
        // No colour, whatever the caller's terminal settings (stdout is a
        // pipe here, and NO_COLOR would lose to CLICOLOR_FORCE).
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "0")
        .env("RULEDOC_CACHE_DIR", "")
        .insert_var("[VERSION]", env!("CARGO_PKG_VERSION"))
        .unwrap()
        // One level down only: the fixtures inside hold `.toml` files too.
        .case(format!("{CASES}/*/*.toml"))
        .case(format!("{CASES}/*/*.trycmd"));
}

/// trycmd checks a stream only when its file exists, so a case without one
/// would pass whatever the command printed there.
#[test]
fn every_case_pins_stdout_and_stderr() {
    let mut cases = 0;
    let subjects = std::fs::read_dir(CASES).unwrap().map(|e| e.unwrap().path());
    for entry in subjects
        .filter(|p| p.is_dir())
        .flat_map(|d| std::fs::read_dir(d).unwrap())
    {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            cases += 1;
            for stream in ["stdout", "stderr"] {
                assert!(
                    path.with_extension(stream).is_file(),
                    "{} has no .{stream} file (an empty file pins an empty stream)",
                    path.display()
                );
            }
        }
    }
    assert!(cases > 0, "no case found in {CASES}");
}
