//! Where things are: the workspace xtask runs in, its lessons (`lessonNN/examples.txt`), each
//! example's source and expected file, and what cargo says of the workspace (`cargo
//! metadata`): its packages, their targets, the target directory.

use crate::cargo_json::{Metadata, Package};
use crate::error::{Error, OrFailed};
use course::Lesson;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace xtask works on, found once in `main` and lent to every command: its root,
/// and, read when first asked for and kept, what cargo says of it and its lessons.
#[derive(Debug)]
pub struct Project {
    root: PathBuf,
    metadata: OnceLock<Metadata>,
    lessons: OnceLock<Vec<Lesson>>,
}

impl Project {
    /// The workspace found when xtask runs (never a path compiled into it, which would judge
    /// the tree xtask was built in when two clones share one target directory):
    /// `$XTASK_WORKSPACE` when set (xtask's own tests point it at a small workspace of their
    /// making); else the parent of xtask's package directory, which `cargo run` (the `cargo
    /// xtask` alias) passes in `CARGO_MANIFEST_DIR`; else the workspace around the current
    /// directory, as `cargo locate-project` finds it. Outside any workspace: bad use.
    pub fn find() -> Result<Project, Error> {
        Ok(Project::at(find_root()?))
    }

    /// The workspace at `root`; nothing is read until asked for.
    pub fn at(root: impl Into<PathBuf>) -> Project {
        Project {
            root: root.into(),
            metadata: OnceLock::new(),
            lessons: OnceLock::new(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What `cargo metadata --no-deps` says of the workspace: its members, their targets and
    /// declared dependencies, the target directory (so that `CARGO_TARGET_DIR` and a
    /// `build.target-dir` in a cargo config both count). Asked once.
    pub fn metadata(&self) -> Result<&Metadata, Error> {
        if let Some(metadata) = self.metadata.get() {
            return Ok(metadata);
        }
        let output = Command::new(cargo())
            .args([
                "metadata",
                "--format-version",
                "1",
                "--no-deps",
                "--manifest-path",
            ])
            .arg(self.root.join("Cargo.toml"))
            .output()
            .or_failed(|| "cannot start `cargo metadata`".into())?;
        if !output.status.success() {
            return Err(Error::failed(format!(
                "`cargo metadata` failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        let metadata = Metadata::parse(&String::from_utf8_lossy(&output.stdout))
            .map_err(|why| Error::failed(format!("cannot read `cargo metadata`: {why}")))?;
        Ok(self.metadata.get_or_init(|| metadata))
    }

    /// Every lesson of the workspace, in order, each parsed from its `examples.txt`. Read
    /// once.
    pub fn lessons(&self) -> Result<&[Lesson], Error> {
        if let Some(lessons) = self.lessons.get() {
            return Ok(lessons);
        }
        let lessons = read_lessons(&self.root)?;
        Ok(self.lessons.get_or_init(|| lessons))
    }

    /// The workspace member named `package`.
    fn member(&self, package: &str) -> Result<&Package, Error> {
        self.metadata()?
            .packages
            .iter()
            .find(|p| p.name == package)
            .ok_or_else(|| {
                Error::usage(format!("{package} is not a member of the workspace: add it to the root Cargo.toml's `members`"))
            })
    }

    /// The package's binary targets, as cargo sees them: each one's name and its main
    /// source file, relative to the workspace root (`lesson04/src/bin/semaphore.rs`,
    /// `lesson04/exercise.rs`).
    pub fn bin_targets(&self, package: &str) -> Result<Vec<(String, String)>, Error> {
        let metadata = self.metadata()?;
        Ok(self
            .member(package)?
            .targets
            .iter()
            .filter(|t| t.is_bin())
            .map(|t| {
                let source = metadata.relative(&t.src_path);
                (t.name.clone(), source.to_string_lossy().replace('\\', "/"))
            })
            .collect())
    }

    /// The package's examples: its binaries whose source is in `lessonNN/src/bin` (a `.rs`
    /// file, or a directory with a `main.rs`), the lesson runner excluded; sorted.
    pub fn binaries(&self, package: &str) -> Result<Vec<String>, Error> {
        let examples = format!("{package}/src/bin/");
        let mut names: Vec<String> = self
            .bin_targets(package)?
            .into_iter()
            .filter(|(name, source)| source.starts_with(&examples) && name != package)
            .map(|(name, _)| name)
            .collect();
        names.sort();
        Ok(names)
    }

    /// The lesson libraries: the workspace's lesson packages (`lessonNN`) with a library
    /// target. A lesson's library holds the primitives std lacks (lesson04, lesson05,
    /// lesson06); the other lessons are examples only, and have none.
    pub fn libraries(&self) -> Result<Vec<String>, Error> {
        let mut names: Vec<String> = self
            .metadata()?
            .packages
            .iter()
            .filter(|p| is_lesson_name(&p.name) && p.targets.iter().any(|t| t.is_lib()))
            .map(|p| p.name.clone())
            .collect();
        names.sort();
        Ok(names)
    }

    /// The names of the files in `lessonNN/<dir>` (`expected`, `breaks`), without `.txt`.
    pub fn text_files(&self, package: &str, dir: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.root.join(package).join(dir))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|n| n.strip_suffix(".txt").map(String::from).unwrap_or(n))
            .collect()
    }

    /// The directory cargo builds into, as cargo itself reports it (`cargo metadata`), so
    /// that `CARGO_TARGET_DIR` and a `build.target-dir` in a cargo config both count.
    pub fn target_dir(&self) -> Result<&Path, Error> {
        Ok(&self.metadata()?.target_directory)
    }
}

fn find_root() -> Result<PathBuf, Error> {
    if let Some(dir) = std::env::var_os("XTASK_WORKSPACE") {
        return Ok(PathBuf::from(dir));
    }
    // cargo sets both for the program `cargo run` starts (the Cargo book, "Environment
    // variables Cargo sets for crates"); checking the name keeps another package's from
    // counting when xtask is started some other way.
    if std::env::var_os("CARGO_PKG_NAME").is_some_and(|name| name == "xtask")
        && let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR")
        && let Some(parent) = Path::new(&dir).parent()
    {
        return Ok(parent.to_path_buf());
    }
    let output = Command::new(cargo())
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .output()
        .or_failed(|| "cannot run `cargo locate-project`".into())?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        return Err(Error::usage(format!(
            "cannot find the workspace to work on: {}; run `cargo xtask` inside the course's clone",
            said.trim().trim_start_matches("error: ")
        )));
    }
    let manifest = String::from_utf8(output.stdout)
        .map_err(|_| Error::failed("`cargo locate-project` gave a path that is not UTF-8"))?;
    Path::new(manifest.trim_end())
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            Error::failed(format!(
                "`cargo locate-project` gave no directory: {manifest}"
            ))
        })
}

/// Every lesson of the workspace at `root`, in order, each parsed from its `examples.txt`
/// (a list the user writes: one that does not parse is bad use).
fn read_lessons(root: &Path) -> Result<Vec<Lesson>, Error> {
    let entries =
        std::fs::read_dir(root).or_failed(|| format!("cannot read {}", root.display()))?;
    let mut packages: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| is_lesson_name(name) && root.join(name).join("examples.txt").is_file())
        .collect();
    packages.sort();
    packages
        .iter()
        .map(|package| {
            let path = root.join(package).join("examples.txt");
            let text = std::fs::read_to_string(&path)
                .or_failed(|| format!("cannot read {}", path.display()))?;
            Lesson::parse(package, &text).map_err(Error::from)
        })
        .collect()
}

fn is_lesson_name(name: &str) -> bool {
    name.strip_prefix("lesson")
        .is_some_and(|n| n.len() == 2 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `lessonNN/expected/<example>.txt`, relative to the root (as messages show it).
pub fn expected_file(package: &str, example: &str) -> String {
    format!("{package}/expected/{example}.txt")
}

/// `lessonNN/src/bin/<example>.rs`, relative to the root.
pub fn source_file(package: &str, example: &str) -> String {
    format!("{package}/src/bin/{example}.rs")
}

/// The cargo that runs xtask (`$CARGO`), else the one on the path.
pub fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// The profile xtask itself was built with, so that the examples are built the same way:
/// `release` when xtask runs from a `release` directory (`cargo run --release -p xtask`),
/// else `debug`. Where each binary is, cargo says when it builds it.
pub fn profile() -> &'static str {
    let exe = std::env::current_exe().unwrap_or_default();
    let dir = exe.parent().and_then(Path::file_name);
    if dir.is_some_and(|name| name == "release") {
        "release"
    } else {
        "debug"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn here() -> Project {
        Project::find().unwrap()
    }

    #[test]
    fn finds_the_seven_lessons_of_this_workspace() {
        let project = here();
        let names: Vec<&str> = project
            .lessons()
            .unwrap()
            .iter()
            .map(|l| l.package.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "lesson01", "lesson02", "lesson03", "lesson04", "lesson05", "lesson06", "lesson07"
            ]
        );
    }

    #[test]
    fn the_examples_are_the_binaries_in_src_bin_without_the_runner() {
        let project = here();
        let examples = project.binaries("lesson02").unwrap();
        assert!(
            examples.contains(&"run_function".to_string()),
            "{examples:?}"
        );
        for not_an_example in ["lesson02", "lesson02_exercise", "lesson02_solution"] {
            assert!(
                !examples.contains(&not_an_example.to_string()),
                "{not_an_example} in {examples:?}"
            );
        }
        let targets = project.bin_targets("lesson02").unwrap();
        assert!(
            targets.contains(&("lesson02_exercise".into(), "lesson02/exercise.rs".into())),
            "{targets:?}"
        );
        // A package the root Cargo.toml lacks is the user's to add.
        assert!(matches!(
            project.binaries("lesson99"),
            Err(Error::Usage(message)) if message.starts_with("lesson99 is not a member")
        ));
    }

    #[test]
    fn the_libraries_are_the_lessons_with_a_library_target() {
        assert_eq!(
            here().libraries().unwrap(),
            ["lesson04", "lesson05", "lesson06"]
        );
    }

    #[test]
    fn the_root_is_the_tree_cargo_runs_xtask_in() {
        // `cargo test` sets CARGO_MANIFEST_DIR for this test as `cargo run` does for xtask.
        let here_dir = Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").unwrap()).to_path_buf();
        let project = here();
        assert_eq!(project.root(), here_dir.parent().unwrap());
        assert_eq!(
            project.metadata().unwrap().workspace_root.as_path(),
            project.root()
        );
    }

    #[test]
    fn the_target_directory_is_cargos() {
        let project = here();
        let dir = project.target_dir().unwrap();
        assert!(dir.is_absolute(), "{}", dir.display());
    }

    #[test]
    fn a_workspace_that_cannot_be_read_is_a_failure() {
        let project = Project::at("/nonexistent/xtask-project-test");
        assert_eq!(
            project.lessons().unwrap_err(),
            Error::failed(
                "cannot read /nonexistent/xtask-project-test: No such file or directory (os error 2)"
            )
        );
        assert!(matches!(project.metadata(), Err(Error::Failed(_))));
    }

    #[test]
    fn lesson_names_are_lesson_and_two_digits() {
        assert!(is_lesson_name("lesson04"));
        assert!(!is_lesson_name("lesson4"));
        assert!(!is_lesson_name("lessons"));
        assert!(!is_lesson_name("xtask"));
    }
}
