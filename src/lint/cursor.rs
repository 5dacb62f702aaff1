//! Cursor as the reader of its rules' `mdc:` links. Cursor's documentation
//! says nothing of `[text](mdc:path)`; the rules people write show how it is
//! read: every one of the 113 `mdc:` links in the agent-rules corpus names a
//! path from the repository root, never from the rule's folder (langfuse's
//! `.cursor/rules/frontend-features.mdc` links
//! `mdc:.cursor/rules/entitlements.mdc` and `mdc:web/src/server/api/root.ts`).

use std::path::{Component, Path, PathBuf};

/// Whether `path` is a Cursor rule: an `.mdc` file, or any file under
/// `.cursor/rules/`.
pub(crate) fn is_rule(path: &Path) -> bool {
    if path.extension().is_some_and(|e| e == "mdc") {
        return true;
    }
    let names: Vec<Component> = path.components().collect();
    names.windows(2).any(|w| {
        w[0] == Component::Normal(".cursor".as_ref()) && w[1] == Component::Normal("rules".as_ref())
    })
}

/// The repository `path` (absolute) lies in: the nearest folder above it
/// with a `.git` entry (a folder, or the file a worktree or submodule has).
pub(crate) fn repository_root(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .find(|dir| std::fs::symlink_metadata(dir.join(".git")).is_ok())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_rules_are_mdc_files_and_whatever_is_under_cursor_rules() {
        assert!(is_rule(Path::new("/r/rules/a.mdc")));
        assert!(is_rule(Path::new("/r/.cursor/rules/sub/a.md")));
        assert!(!is_rule(Path::new("/r/.cursor/a.md")));
        assert!(!is_rule(Path::new("/r/.windsurf/rules/a.md")));
        assert!(!is_rule(Path::new("/r/rules/a.mdc.md")));
    }

    #[test]
    fn the_repository_is_the_nearest_folder_with_a_git_entry() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join("sub/.cursor/rules")).unwrap();
        std::fs::write(repo.join(".git"), "gitdir: elsewhere\n").unwrap();
        let rule = repo.join("sub/.cursor/rules/a.mdc");
        assert_eq!(repository_root(&rule), Some(repo.clone()));
        std::fs::create_dir(repo.join("sub/.git")).unwrap();
        assert_eq!(repository_root(&rule), Some(repo.join("sub")));
    }
}
