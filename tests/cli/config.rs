use crate::{rule, ruledoc, stderr_of, stdout_of, temp, write};

#[test]
fn an_unknown_key_names_the_key_the_file_and_the_line() {
    let dir = temp();
    write(
        dir.path(),
        "ruledoc.toml",
        "root = \"rules\"\n\n[tiers]\nmaximum = 4\n",
    );
    write(dir.path(), "rules/a.md", rule("A"));
    let out = ruledoc()
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(err.contains("ruledoc.toml:4:1"), "{err}");
    assert!(err.contains("maximum"), "{err}");
}

#[test]
fn the_config_is_found_upward_from_the_current_directory() {
    let dir = temp();
    write(dir.path(), "ruledoc.toml", "root = \"handbook\"\n");
    write(dir.path(), "handbook/x.md", rule("X"));
    write(dir.path(), "sub/dir/.keep", "");
    let out = ruledoc()
        .current_dir(dir.path().join("sub/dir"))
        .args(["parse"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains("\"name\": \"X\""));
}

#[test]
fn config_flag_and_no_config_choose_the_configuration() {
    let dir = temp();
    write(dir.path(), "ruledoc.toml", "[tiers]\nmaxx = 1\n");
    write(
        dir.path(),
        "other.toml",
        "[document]\nkinds = [\"Policy\"]\n",
    );
    write(dir.path(), "a.md", rule("Naming Policy (Tier 2)"));

    let broken = ruledoc()
        .current_dir(dir.path())
        .args(["parse", "a.md"])
        .output()
        .unwrap();
    assert_eq!(broken.status.code(), Some(2));

    let out = ruledoc()
        .current_dir(dir.path())
        .args(["--config", "other.toml", "parse", "a.md"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains("\"kind\": \"Policy\""));

    let out = ruledoc()
        .current_dir(dir.path())
        .args(["--no-config", "parse", "a.md"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(stdout_of(&out).contains("\"kind\": null"));

    let out = ruledoc()
        .current_dir(dir.path())
        .args(["--config", "missing.toml", "parse", "a.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("missing.toml"));
}

#[test]
fn a_root_that_is_not_a_folder_is_an_error() {
    let dir = temp();
    write(dir.path(), "ruledoc.toml", "root = \"nowhere\"\n");
    let out = ruledoc()
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("nowhere"), "{}", stderr_of(&out));
}
