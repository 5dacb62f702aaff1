//! Cursor as the reader of its rules' `mdc:` links (in documents of the
//! `cursor-mdc` format, [`crate::formats`]). Cursor's documentation
//! says nothing of `[text](mdc:path)`; the rules people write show how it is
//! read: every one of the 113 `mdc:` links in the agent-rules corpus names a
//! path from the repository root, never from the rule's folder (langfuse's
//! `.cursor/rules/frontend-features.mdc` links
//! `mdc:.cursor/rules/entitlements.mdc` and `mdc:web/src/server/api/root.ts`).

use std::path::{Path, PathBuf};

/// The folder `mdc:` paths of the Cursor rule at `path` (absolute) start
/// from: the repository's top (the nearest folder above it with a `.git`
/// entry: a folder, or the file a worktree or submodule has), else the
/// workspace the rule's `.cursor` folder sits in.
pub(crate) fn repository_root(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .find(|dir| std::fs::symlink_metadata(dir.join(".git")).is_ok())
        .or_else(|| {
            path.ancestors()
                .find(|dir| dir.file_name().is_some_and(|n| n == ".cursor"))
                .and_then(Path::parent)
        })
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_git_the_workspace_is_where_cursor_sits() {
        assert_eq!(
            repository_root(Path::new("/nowhere-a-repo/w/.cursor/rules/a.mdc")),
            Some(PathBuf::from("/nowhere-a-repo/w"))
        );
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
