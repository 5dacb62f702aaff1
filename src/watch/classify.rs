//! What a file-system event asks for: nothing, the documents or folders it
//! touched, or everything (the configuration, a template). Pure, so that each
//! case has a test.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use notify::EventKind;
use notify::event::{CreateKind, ModifyKind, RemoveKind};

/// What to do again after an event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Redo {
    /// The event is none of the session's business (its own outputs, the
    /// cache, unrelated files).
    #[default]
    Nothing,
    /// Look at these documents, or the documents under these folders, again:
    /// changed, created, removed or renamed.
    Documents(BTreeSet<PathBuf>),
    /// Reload the configuration and templates and redo everything.
    Everything,
}

impl Redo {
    /// Both `self` and `other`.
    pub fn and(self, other: Redo) -> Redo {
        match (self, other) {
            (Redo::Everything, _) | (_, Redo::Everything) => Redo::Everything,
            (Redo::Nothing, r) | (r, Redo::Nothing) => r,
            (Redo::Documents(mut a), Redo::Documents(b)) => {
                a.extend(b);
                Redo::Documents(a)
            }
        }
    }
}

/// What the watcher knows when it classifies (absolute paths).
#[derive(Debug, Clone, Default)]
pub struct Watched {
    /// The folders and files being checked.
    pub inputs: Vec<PathBuf>,
    /// The configuration file in use.
    pub config: Option<PathBuf>,
    /// The folders where a new `ruledoc.toml` would be found (from the
    /// current directory upwards).
    pub config_dirs: Vec<PathBuf>,
    /// The user's template folder.
    pub templates: Option<PathBuf>,
    /// Folders whose changes are ruledoc's own: the cache dir.
    pub own_dirs: Vec<PathBuf>,
    /// Files ruledoc writes (render outputs and their manifest).
    pub own_files: BTreeSet<PathBuf>,
}

/// The kinds of document ruledoc reads.
fn is_document(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "mdc")
    )
}

/// A file ruledoc writes on its way to another (`.ruledoc-….tmp`).
fn is_own_temp(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(".ruledoc-") && n.ends_with(".tmp"))
}

/// Classify one event.
pub fn classify(kind: &EventKind, paths: &[PathBuf], w: &Watched) -> Redo {
    if matches!(kind, EventKind::Access(_)) {
        return Redo::Nothing;
    }
    let mut redo = Redo::Nothing;
    for path in paths {
        redo = redo.and(classify_path(kind, path, w));
    }
    redo
}

fn classify_path(kind: &EventKind, path: &Path, w: &Watched) -> Redo {
    if is_own_temp(path)
        || w.own_files.contains(path)
        || w.own_dirs.iter().any(|d| path.starts_with(d))
    {
        return Redo::Nothing;
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if Some(path) == w.config.as_deref()
        || (name == crate::config::FILE_NAME
            && path
                .parent()
                .is_some_and(|p| w.config_dirs.iter().any(|d| d == p)))
    {
        return Redo::Everything;
    }
    let template =
        path.extension().is_some_and(|e| e == "tera") || Some(path) == w.templates.as_deref();
    if template && w.templates.as_ref().is_some_and(|t| path.starts_with(t)) {
        return Redo::Everything;
    }
    let inside = w.inputs.iter().any(|i| path.starts_with(i));
    if !inside || path.components().any(|c| c.as_os_str() == ".git") {
        return Redo::Nothing;
    }
    let touched = || Redo::Documents(BTreeSet::from([path.to_path_buf()]));
    if is_document(path) {
        return touched();
    }
    // Folders appear, vanish and move as a whole (a removed or renamed path
    // without an extension may have been one), and a `.gitignore` changes
    // which files of its folder count: look at what lies under them again.
    let folder = matches!(
        kind,
        EventKind::Create(CreateKind::Folder) | EventKind::Remove(RemoveKind::Folder)
    ) || (matches!(
        kind,
        EventKind::Modify(ModifyKind::Name(_)) | EventKind::Remove(RemoveKind::Any)
    ) && path.extension().is_none());
    if folder {
        return touched();
    }
    if name == ".gitignore"
        && let Some(dir) = path.parent()
    {
        return Redo::Documents(BTreeSet::from([dir.to_path_buf()]));
    }
    Redo::Nothing
}

/// Which folders to watch, and how: `recursive` ones with everything under
/// them, `flat` ones for their own entries. A folder already inside a
/// recursive one is left out (watching it again could narrow the watch).
pub fn watch_plan(recursive: &[PathBuf], flat: &[PathBuf]) -> Vec<(PathBuf, bool)> {
    let mut plan: Vec<(PathBuf, bool)> = Vec::new();
    let mut deep: Vec<&PathBuf> = recursive.iter().collect();
    deep.sort();
    deep.dedup();
    for d in &deep {
        if !deep.iter().any(|o| o != d && d.starts_with(o)) {
            plan.push(((*d).clone(), true));
        }
    }
    for f in flat {
        let covered = plan.iter().any(|(p, _)| f.starts_with(p));
        if !covered {
            plan.push((f.clone(), false));
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, DataChange, RenameMode};

    fn watched() -> Watched {
        Watched {
            inputs: vec![PathBuf::from("/p/rules")],
            config: Some(PathBuf::from("/p/ruledoc.toml")),
            config_dirs: vec![PathBuf::from("/p")],
            templates: Some(PathBuf::from("/p/templates")),
            own_dirs: vec![PathBuf::from("/p/.ruledoc-cache")],
            own_files: BTreeSet::from([PathBuf::from("/p/rules/AGENTS.md")]),
        }
    }

    fn docs(paths: &[&str]) -> Redo {
        Redo::Documents(paths.iter().map(PathBuf::from).collect())
    }

    fn modify() -> EventKind {
        EventKind::Modify(ModifyKind::Data(DataChange::Content))
    }

    #[test]
    fn an_edited_document_is_read_again() {
        assert_eq!(
            classify(&modify(), &[PathBuf::from("/p/rules/a.md")], &watched()),
            docs(&["/p/rules/a.md"])
        );
    }

    #[test]
    fn created_and_deleted_documents_are_read_again() {
        let w = watched();
        assert_eq!(
            classify(
                &EventKind::Create(CreateKind::File),
                &[PathBuf::from("/p/rules/sub/new.mdc")],
                &w
            ),
            docs(&["/p/rules/sub/new.mdc"])
        );
        assert_eq!(
            classify(
                &EventKind::Remove(RemoveKind::File),
                &[PathBuf::from("/p/rules/old.md")],
                &w
            ),
            docs(&["/p/rules/old.md"])
        );
    }

    #[test]
    fn an_editor_saving_by_rename_touches_only_the_document() {
        let w = watched();
        let tmp = [
            PathBuf::from("/p/rules/.a.md.swp"),
            PathBuf::from("/p/rules/a.md~"),
        ];
        for t in &tmp {
            assert_eq!(
                classify(
                    &EventKind::Create(CreateKind::File),
                    std::slice::from_ref(t),
                    &w
                ),
                Redo::Nothing
            );
        }
        let rename = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        assert_eq!(
            classify(
                &rename,
                &[
                    PathBuf::from("/p/rules/a.md.tmp.123"),
                    PathBuf::from("/p/rules/a.md")
                ],
                &w
            ),
            docs(&["/p/rules/a.md"])
        );
    }

    #[test]
    fn a_renamed_document_is_both_removed_and_added() {
        let rename = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        assert_eq!(
            classify(
                &rename,
                &[
                    PathBuf::from("/p/rules/a.md"),
                    PathBuf::from("/p/rules/b.md")
                ],
                &watched()
            ),
            docs(&["/p/rules/a.md", "/p/rules/b.md"])
        );
    }

    #[test]
    fn folders_created_deleted_or_moved_are_looked_at_again() {
        let w = watched();
        assert_eq!(
            classify(
                &EventKind::Create(CreateKind::Folder),
                &[PathBuf::from("/p/rules/new")],
                &w
            ),
            docs(&["/p/rules/new"])
        );
        assert_eq!(
            classify(
                &EventKind::Remove(RemoveKind::Folder),
                &[PathBuf::from("/p/rules/old")],
                &w
            ),
            docs(&["/p/rules/old"])
        );
        let rename = EventKind::Modify(ModifyKind::Name(RenameMode::From));
        assert_eq!(
            classify(&rename, &[PathBuf::from("/p/rules/moved")], &w),
            docs(&["/p/rules/moved"])
        );
        // A file without extension that is written is not a folder.
        assert_eq!(
            classify(&modify(), &[PathBuf::from("/p/rules/LICENSE")], &w),
            Redo::Nothing
        );
    }

    #[test]
    fn a_gitignore_change_looks_at_its_folder_again() {
        assert_eq!(
            classify(
                &modify(),
                &[PathBuf::from("/p/rules/sub/.gitignore")],
                &watched()
            ),
            docs(&["/p/rules/sub"])
        );
    }

    #[test]
    fn git_internals_are_nothing() {
        let w = Watched {
            inputs: vec![PathBuf::from("/p")],
            ..watched()
        };
        let rename = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        assert_eq!(
            classify(&rename, &[PathBuf::from("/p/.git/HEAD")], &w),
            Redo::Nothing
        );
        assert_eq!(
            classify(&modify(), &[PathBuf::from("/p/.git/x.md")], &w),
            Redo::Nothing
        );
    }

    #[test]
    fn watch_plans_never_watch_a_folder_twice() {
        let plan = watch_plan(
            &[
                PathBuf::from("/p/rules"),
                PathBuf::from("/p/rules/sub"),
                PathBuf::from("/p/templates"),
            ],
            &[PathBuf::from("/p"), PathBuf::from("/p/rules")],
        );
        assert_eq!(
            plan,
            vec![
                (PathBuf::from("/p/rules"), true),
                (PathBuf::from("/p/templates"), true),
                (PathBuf::from("/p"), false),
            ]
        );
    }

    #[test]
    fn the_configuration_and_templates_redo_everything() {
        let w = watched();
        assert_eq!(
            classify(&modify(), &[PathBuf::from("/p/ruledoc.toml")], &w),
            Redo::Everything
        );
        assert_eq!(
            classify(
                &modify(),
                &[PathBuf::from("/p/templates/index.md.tera")],
                &w
            ),
            Redo::Everything
        );
        assert_eq!(
            classify(
                &modify(),
                &[PathBuf::from("/p/templates/.index.md.tera.swp")],
                &w
            ),
            Redo::Nothing
        );
        // A configuration appearing where it would be found counts too.
        let w = Watched {
            config: None,
            ..watched()
        };
        assert_eq!(
            classify(
                &EventKind::Create(CreateKind::File),
                &[PathBuf::from("/p/ruledoc.toml")],
                &w
            ),
            Redo::Everything
        );
    }

    #[test]
    fn its_own_outputs_and_cache_never_trigger_it() {
        let w = watched();
        assert_eq!(
            classify(&modify(), &[PathBuf::from("/p/rules/AGENTS.md")], &w),
            Redo::Nothing
        );
        assert_eq!(
            classify(
                &modify(),
                &[PathBuf::from("/p/.ruledoc-cache/rust-results.json")],
                &w
            ),
            Redo::Nothing
        );
        assert_eq!(
            classify(
                &EventKind::Create(CreateKind::File),
                &[PathBuf::from("/p/rules/.ruledoc-x1y2.tmp")],
                &w
            ),
            Redo::Nothing
        );
    }

    #[test]
    fn other_files_and_reads_are_nothing() {
        let w = watched();
        assert_eq!(
            classify(&modify(), &[PathBuf::from("/p/rules/notes.txt")], &w),
            Redo::Nothing
        );
        assert_eq!(
            classify(&modify(), &[PathBuf::from("/p/src/main.rs")], &w),
            Redo::Nothing
        );
        assert_eq!(
            classify(
                &EventKind::Access(AccessKind::Any),
                &[PathBuf::from("/p/rules/a.md")],
                &w
            ),
            Redo::Nothing
        );
    }

    #[test]
    fn redo_combines() {
        assert_eq!(
            docs(&["/a.md"]).and(docs(&["/b.md"])),
            docs(&["/a.md", "/b.md"])
        );
        assert_eq!(docs(&["/a.md"]).and(Redo::Everything), Redo::Everything);
        assert_eq!(Redo::Nothing.and(Redo::Nothing), Redo::Nothing);
    }
}
