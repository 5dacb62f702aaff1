//! DESIGN.md §9: every bad input gets a message with its path, never a panic.
//! The inputs a repository can hold as files (a missing path, non-UTF-8,
//! binary and empty files, front matter that never closes) are cases in
//! tests/cmd/bad-input-*; these are the ones it cannot: generated megabytes,
//! symbolic-link loops, a file without read permission.

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
