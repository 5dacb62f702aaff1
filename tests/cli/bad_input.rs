//! DESIGN.md §9: every bad input gets a message with its path, never a panic.

use serde_json::Value;

use crate::{rule, ruledoc, stderr_of, stdout_of, temp, write};

fn parse_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    ruledoc()
        .current_dir(dir)
        .args(["--no-config", "parse"])
        .args(args)
        .output()
        .unwrap()
}

fn assert_no_panic(out: &std::process::Output) {
    let err = stderr_of(out);
    assert!(
        !err.contains("panicked") && !err.contains("overflow"),
        "{err}"
    );
    assert!(out.status.code().is_some(), "killed by a signal");
}

#[test]
fn a_missing_path_is_exit_2_with_the_path() {
    let dir = temp();
    let out = parse_in(dir.path(), &["nope.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("nope.md: no such file"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn a_non_utf8_file_is_an_error_when_named_and_skipped_when_found() {
    let dir = temp();
    write(
        dir.path(),
        "rules/bad.md",
        b"# Title\nok\ncaf\xe9\n".as_slice(),
    );
    write(dir.path(), "rules/good.md", rule("Good"));
    let out = parse_in(dir.path(), &["rules/bad.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("rules/bad.md:3:4: not UTF-8"),
        "{}",
        stderr_of(&out)
    );

    let out = parse_in(dir.path(), &["rules"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr_of(&out).contains("warning: rules/bad.md:3: skipped: not UTF-8"),
        "{}",
        stderr_of(&out)
    );
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(
        v[0]["name"], "Good",
        "a folder prints an array even when a file is skipped"
    );
}

#[test]
fn a_binary_file_is_skipped_with_a_warning() {
    let dir = temp();
    write(
        dir.path(),
        "rules/img.md",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice(),
    );
    let out = parse_in(dir.path(), &["rules/img.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("rules/img.md: binary file"),
        "{}",
        stderr_of(&out)
    );
    let out = parse_in(dir.path(), &["rules"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr_of(&out).contains("rules/img.md: skipped: binary file"));
}

#[test]
fn an_empty_file_is_a_document_with_nothing_in_it() {
    let dir = temp();
    write(dir.path(), "empty.md", "");
    let out = parse_in(dir.path(), &["empty.md"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(v["title"], Value::Null);
    assert_eq!(v["sections"], Value::Array(vec![]));
}

#[test]
fn a_ten_megabyte_file_parses() {
    let dir = temp();
    let mut text = rule("Big Rule (Tier 2)");
    let para = "A line of prose that goes on for a while, with `code` and **bold**.\n\n";
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(para);
    }
    text.push_str("```rust\nfn main() {}\n```\n");
    write(dir.path(), "big.md", &text);
    let out = parse_in(dir.path(), &["big.md"]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(v["snippets"].as_array().unwrap().len(), 1);
}

#[test]
fn deep_nesting_neither_overflows_nor_hangs() {
    let dir = temp();
    write(
        dir.path(),
        "quotes.md",
        format!("# Q\n{} deep\n", ">".repeat(5_000)),
    );
    let lists: String = (0..20_000).map(|_| "- ").collect::<String>() + "item\n";
    write(dir.path(), "lists.md", format!("# L\n{lists}"));
    let staircase: String = (0..20_000)
        .map(|i| format!("{}- item\n", " ".repeat(i % 400 * 2)))
        .collect();
    write(dir.path(), "stairs.md", format!("# S\n{staircase}"));
    for f in ["quotes.md", "lists.md", "stairs.md"] {
        let out = parse_in(dir.path(), &[f]);
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(0), "{f}: {}", stderr_of(&out));
        let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
        assert!(v["title"].is_string(), "{f}");
    }
}

#[test]
fn front_matter_that_never_closes_is_reported_at_line_1() {
    let dir = temp();
    write(dir.path(), "open.md", "---\ntier: 2\n# Title\n\nBody.\n");
    let out = parse_in(dir.path(), &["open.md"]);
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let err = &v["front_matter"]["error"];
    assert_eq!(err["line"], 1);
    assert!(err["message"].as_str().unwrap().contains("never closed"));
    assert_eq!(v["title"], "Title", "the body is still read");
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_skipped_with_a_warning() {
    let dir = temp();
    write(dir.path(), "rules/a.md", rule("A"));
    std::os::unix::fs::symlink("..", dir.path().join("rules/loop")).unwrap();
    let out = parse_in(dir.path(), &["rules"]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("rules/loop: skipped: symbolic link loop"),
        "{}",
        stderr_of(&out)
    );

    std::os::unix::fs::symlink("b.md", dir.path().join("a.md")).unwrap();
    std::os::unix::fs::symlink("a.md", dir.path().join("b.md")).unwrap();
    let out = parse_in(dir.path(), &["a.md"]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("a.md"), "{}", stderr_of(&out));
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_exit_2_with_the_path() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp();
    let path = write(dir.path(), "rules/secret.md", rule("S"));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        return; // running as root: permissions do not stop reads, nothing to test
    }
    let out = parse_in(dir.path(), &["rules"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("rules/secret.md"),
        "{}",
        stderr_of(&out)
    );
}
