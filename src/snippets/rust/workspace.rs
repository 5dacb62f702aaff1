//! The generated Cargo workspace under the cache dir: one crate per edition
//! holding every snippet that can share a crate (one module each, named after
//! its content hash), and one crate for each snippet that cannot. Files are
//! rewritten only when their content changes, so cargo's fingerprints and
//! incremental caches stay warm.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::RustJob;
use super::expand::HEADER;
use crate::snippets::attributes::Edition;

/// The workspace's folder and what is in it.
#[derive(Debug, Default)]
pub(super) struct Workspace {
    /// `rust/` in the cache dir.
    pub root: PathBuf,
    /// Merged crates: edition → (package name, module names).
    pub merged: BTreeMap<Edition, (String, Vec<String>)>,
    /// Standalone crates: package names.
    pub standalone: Vec<String>,
    /// Every package: its folder (relative to the root), its edition, and
    /// whether it is a program (standalone crates, as rustdoc compiles a
    /// doctest) or a library (merged crates).
    pub packages: BTreeMap<String, Package>,
    /// The workspace's members: folders relative to the root.
    pub members: Vec<String>,
    /// File path as cargo reports it (relative to the root) → job key and the
    /// number of lines ruledoc put before the snippet's text.
    pub files: BTreeMap<String, (String, usize)>,
}

/// A generated package.
#[derive(Debug, Clone)]
pub(super) struct Package {
    /// Its folder, relative to the workspace root.
    pub dir: String,
    /// The edition it is compiled with.
    pub edition: Edition,
    /// A program (`src/rust_out.rs`, compiled as a binary) rather than a library
    /// of modules (`src/lib.rs`).
    pub bin: bool,
    /// A `test_harness` program: compiled with `--test` (a `[[test]]`
    /// target for cargo).
    pub test: bool,
}

impl Package {
    /// Its root source file, relative to the workspace root.
    pub(super) fn root_file(&self) -> String {
        let file = if self.bin { "rust_out.rs" } else { "lib.rs" };
        format!("{}/src/{file}", self.dir)
    }
}

/// `[dependencies]` for a generated Cargo.toml, from the configured table.
pub(super) fn dependencies_section(dependencies: &toml::Table) -> String {
    if dependencies.is_empty() {
        return String::new();
    }
    let mut doc = toml::Table::new();
    doc.insert(
        "dependencies".into(),
        toml::Value::Table(dependencies.clone()),
    );
    toml::to_string(&doc).unwrap_or_default()
}

/// The module (and standalone package) name of a job: `s_` and the first 16
/// hex digits (64 bits) of its key.
pub(crate) fn unit_name(key: &str) -> String {
    format!("s_{}", &key[..16])
}

/// Appended to each module of a merged crate: the module's `main` must be a
/// program's `main` (no arguments, no generics, not `async`, returning a
/// `Termination` type), which a library would not check. A module that
/// fails here is compiled again as a program of its own, which gives
/// rustc's own error for it.
const MAIN_CHECK: &str = "\n#[allow(dead_code)]\npub(crate) fn __ruledoc_main() -> impl ::std::process::Termination { main() }\n";

impl Workspace {
    /// Write the workspace for `jobs` (unique keys) into `root`.
    pub(super) fn write(
        root: &Path,
        jobs: &[&RustJob],
        dependencies: &toml::Table,
    ) -> std::io::Result<Self> {
        let mut ws = Workspace {
            root: root.to_path_buf(),
            ..Default::default()
        };
        let deps = dependencies_section(dependencies);
        let mut by_edition: BTreeMap<Edition, Vec<&RustJob>> = BTreeMap::new();
        for job in jobs {
            if job.standalone {
                ws.write_standalone(job, &deps)?;
            } else {
                by_edition.entry(job.edition).or_default().push(job);
            }
        }
        for (edition, jobs) in &by_edition {
            let dir = format!("merged-{}", edition.as_str());
            let package = format!("ruledoc-merged-{}", edition.as_str());
            write_if_changed(
                &root.join(&dir).join("Cargo.toml"),
                &manifest(&package, *edition, true, &deps, false),
            )?;
            let mut modules = Vec::new();
            for job in jobs {
                let name = unit_name(&job.key);
                write_if_changed(
                    &root.join(&dir).join(format!("src/{name}.rs")),
                    &format!("{}{MAIN_CHECK}", job.expanded.body_text()),
                )?;
                ws.files
                    .insert(format!("{dir}/src/{name}.rs"), (job.key.clone(), 0));
                modules.push(name);
            }
            write_lib(&root.join(&dir), &modules)?;
            prune(&root.join(&dir).join("src"), &modules)?;
            ws.packages.insert(
                package.clone(),
                Package {
                    dir: dir.clone(),
                    edition: *edition,
                    bin: false,
                    test: false,
                },
            );
            ws.merged.insert(*edition, (package, modules));
            ws.members.push(dir);
        }
        // Crates of modules that failed merged are kept too: they are
        // written again if those modules still fail.
        let also: Vec<String> = jobs
            .iter()
            .filter(|j| !j.standalone)
            .map(|j| format!("crates/{}", unit_name(&j.key)))
            .collect();
        prune_crates(
            &root.join("crates"),
            &[ws.members.as_slice(), &also].concat(),
        )?;
        ws.write_root()?;
        Ok(ws)
    }

    /// The workspace's `Cargo.toml`, listing its members.
    pub(super) fn write_root(&self) -> std::io::Result<()> {
        let list = self
            .members
            .iter()
            .map(|m| format!("    \"{m}\",\n"))
            .collect::<String>();
        write_if_changed(
            &self.root.join("Cargo.toml"),
            &format!(
                "# Generated by ruledoc for its snippet checks; rewritten on every run.\n[workspace]\nresolver = \"2\"\nmembers = [\n{list}]\n\n[profile.dev]\ndebug = 0\n"
            ),
        )
    }

    /// Write `job` as a program of its own (`crates/NAME/src/rust_out.rs`), as
    /// rustdoc compiles a doctest, and return its folder. Used for the
    /// snippets that cannot share a crate, and for the modules of a merged
    /// crate that failed there, whose errors only count if they fail alone.
    pub(super) fn write_standalone(
        &mut self,
        job: &RustJob,
        deps: &str,
    ) -> std::io::Result<String> {
        let name = unit_name(&job.key);
        let dir = format!("crates/{name}");
        write_if_changed(
            &self.root.join(&dir).join("Cargo.toml"),
            &manifest(&name, job.edition, false, deps, job.attrs.test_harness),
        )?;
        write_if_changed(
            &self.root.join(&dir).join("src/rust_out.rs"),
            &job.expanded.program(),
        )?;
        self.files
            .insert(format!("{dir}/src/rust_out.rs"), (job.key.clone(), 1));
        if !self.members.contains(&dir) {
            self.members.push(dir.clone());
        }
        let package = format!("ruledoc-{name}");
        if !self.standalone.contains(&package) {
            self.standalone.push(package.clone());
        }
        self.packages.insert(
            package,
            Package {
                dir: dir.clone(),
                edition: job.edition,
                bin: true,
                test: job.attrs.test_harness,
            },
        );
        Ok(dir)
    }

    /// Rewrite a merged crate's `lib.rs` with only `modules` (to compile again
    /// without the ones that failed).
    pub(super) fn set_modules(
        &mut self,
        edition: Edition,
        modules: Vec<String>,
    ) -> std::io::Result<()> {
        let dir = self.root.join(format!("merged-{}", edition.as_str()));
        write_lib(&dir, &modules)?;
        if let Some(entry) = self.merged.get_mut(&edition) {
            entry.1 = modules;
        }
        Ok(())
    }

    /// The job key and header length of the program in package folder
    /// `dir`: a program holds one snippet, so an error that points nowhere
    /// is about it. `None` for a shared crate.
    pub(super) fn program_in(&self, dir: &str) -> Option<&(String, usize)> {
        let package = self.packages.values().find(|p| p.bin && p.dir == dir)?;
        self.file(&package.root_file())
    }

    /// The job key and header length for a file name cargo reported.
    pub(super) fn file(&self, name: &str) -> Option<&(String, usize)> {
        let rel = Path::new(name)
            .strip_prefix(&self.root)
            .map(|p| p.to_string_lossy().into_owned());
        self.files.get(rel.as_deref().unwrap_or(name))
    }
}

fn manifest(name: &str, edition: Edition, merged: bool, deps: &str, test: bool) -> String {
    let (package, target) = if test {
        (
            format!("ruledoc-{name}"),
            format!("[[test]]\nname = \"{name}\"\npath = \"src/rust_out.rs\"\n"),
        )
    } else if merged {
        (
            name.to_string(),
            "[lib]\npath = \"src/lib.rs\"\ndoctest = false\ntest = false\n".to_string(),
        )
    } else {
        (
            format!("ruledoc-{name}"),
            format!("[[bin]]\nname = \"{name}\"\npath = \"src/rust_out.rs\"\ntest = false\n"),
        )
    };
    format!(
        "[package]\nname = \"{package}\"\nversion = \"0.0.0\"\nedition = \"{}\"\npublish = false\nautobins = false\n\n{target}\n{deps}",
        edition.as_str()
    )
}

fn write_lib(dir: &Path, modules: &[String]) -> std::io::Result<()> {
    let mut lib = String::from(HEADER);
    for m in modules {
        lib.push_str(&format!("#[path = \"{m}.rs\"]\nmod {m};\n"));
    }
    write_if_changed(&dir.join("src/lib.rs"), &lib)
}

/// Write `content` unless the file already holds exactly that.
pub(super) fn write_if_changed(path: &Path, content: &str) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == content.as_bytes()) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, content)
}

/// Remove module files no job uses any more.
fn prune(src: &Path, modules: &[String]) -> std::io::Result<()> {
    let keep: BTreeSet<String> = modules
        .iter()
        .map(|m| format!("{m}.rs"))
        .chain(["lib.rs".to_string()])
        .collect();
    for entry in std::fs::read_dir(src)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("s_") && !keep.contains(&name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// Remove standalone crates no job uses any more.
fn prune_crates(crates: &Path, members: &[String]) -> std::io::Result<()> {
    let Ok(entries) = std::fs::read_dir(crates) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = format!("crates/{}", entry.file_name().to_string_lossy());
        if !members.contains(&name) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_are_a_dependencies_table() {
        let deps: toml::Table =
            "serde = { version = \"1\", features = [\"derive\"] }\nanyhow = \"1\"\n"
                .parse()
                .unwrap();
        let section = dependencies_section(&deps);
        let parsed: toml::Table = section.parse().unwrap();
        assert_eq!(parsed["dependencies"]["anyhow"].as_str(), Some("1"));
        assert_eq!(
            parsed["dependencies"]["serde"]["version"].as_str(),
            Some("1")
        );
        assert_eq!(dependencies_section(&toml::Table::new()), "");
    }
}
