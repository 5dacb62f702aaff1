use crate::{ruledoc, stderr_of, temp};

#[test]
fn init_writes_a_config_and_a_tiered_rule_set_that_checks_clean() {
    let dir = temp();
    let out = ruledoc()
        .current_dir(dir.path())
        .arg("init")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    for f in [
        "ruledoc.toml",
        "rules/core/code-review.md",
        "rules/sub/error-handling.md",
    ] {
        assert!(dir.path().join(f).is_file(), "{f} missing");
    }
    let out = ruledoc()
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("checked 2 documents"));
}

#[test]
fn init_refuses_to_overwrite_anything() {
    let dir = temp();
    std::fs::write(dir.path().join("ruledoc.toml"), "# mine\n").unwrap();
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["init", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("ruledoc.toml"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ruledoc.toml")).unwrap(),
        "# mine\n"
    );
    assert!(
        !dir.path().join("rules").exists(),
        "nothing is written when anything exists"
    );
}

#[test]
fn init_writes_into_a_named_folder() {
    let dir = temp();
    let out = ruledoc()
        .current_dir(dir.path())
        .args(["init", "new/place"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        dir.path()
            .join("new/place/rules/sub/error-handling.md")
            .is_file()
    );
}
