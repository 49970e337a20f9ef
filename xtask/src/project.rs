//! Where things are: the workspace xtask runs in, its lessons (`lessonNN/examples.txt`), each
//! example's source and expected file, and what cargo says of the workspace (`cargo
//! metadata`): its packages, their targets, the target directory.

use cargo_metadata::{Metadata, MetadataCommand, Package};
use course::Lesson;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

/// The workspace root, found when xtask runs (never a path compiled into it, which would
/// judge the tree xtask was built in when two clones share one target directory):
/// `$XTASK_WORKSPACE` when set (xtask's own tests point it at a small workspace of their
/// making); else the parent of xtask's package directory, which `cargo run` (the `cargo xtask`
/// alias) passes in `CARGO_MANIFEST_DIR`; else the workspace around the current directory,
/// as `cargo locate-project` finds it. Outside any workspace it says so and exits with
/// status 2.
pub fn root() -> PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| match find_root() {
        Ok(root) => root,
        Err(why) => {
            eprintln!("xtask: {why}");
            std::process::exit(2);
        }
    })
    .clone()
}

fn find_root() -> Result<PathBuf, String> {
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
        .map_err(|e| format!("cannot run `cargo locate-project`: {e}"))?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "cannot find the workspace to work on: {}; run `cargo xtask` inside the course's clone",
            said.trim().trim_start_matches("error: ")
        ));
    }
    let manifest = String::from_utf8(output.stdout)
        .map_err(|_| "`cargo locate-project` gave a path that is not UTF-8".to_string())?;
    Path::new(manifest.trim_end())
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| format!("`cargo locate-project` gave no directory: {manifest}"))
}

/// What `cargo metadata --no-deps` says of the workspace at `root`: its members, their
/// targets and declared dependencies, the target directory (so that `CARGO_TARGET_DIR` and
/// a `build.target-dir` in a cargo config both count). Asked once per workspace per run.
pub fn metadata(root: &Path) -> Result<Arc<Metadata>, String> {
    static ASKED: OnceLock<Mutex<HashMap<PathBuf, Arc<Metadata>>>> = OnceLock::new();
    let mut asked = ASKED
        .get_or_init(Default::default)
        .lock()
        .expect("no thread panics while it holds the metadata");
    if let Some(metadata) = asked.get(root) {
        return Ok(Arc::clone(metadata));
    }
    let metadata = MetadataCommand::new()
        .cargo_path(cargo())
        .manifest_path(root.join("Cargo.toml"))
        .no_deps()
        .exec()
        .map_err(|e| match e {
            cargo_metadata::Error::CargoMetadata { stderr } => {
                format!("`cargo metadata` failed: {}", stderr.trim())
            }
            other => format!("cannot read `cargo metadata`: {other}"),
        })?;
    let metadata = Arc::new(metadata);
    asked.insert(root.to_path_buf(), Arc::clone(&metadata));
    Ok(metadata)
}

/// The workspace member named `package`.
fn member<'a>(metadata: &'a Metadata, package: &str) -> Result<&'a Package, String> {
    metadata
        .workspace_packages()
        .into_iter()
        .find(|p| p.name == package)
        .ok_or_else(|| {
            format!("{package} is not a member of the workspace: add it to the root Cargo.toml's `members`")
        })
}

/// Every lesson of the workspace, in order, each parsed from its `examples.txt`.
pub fn lessons(root: &Path) -> Result<Vec<Lesson>, String> {
    let entries =
        std::fs::read_dir(root).map_err(|e| format!("cannot read {}: {e}", root.display()))?;
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
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Lesson::parse(package, &text)
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

/// The package's binary targets, as cargo sees them: each one's name and its main source
/// file, relative to the workspace root (`lesson04/src/bin/semaphore.rs`,
/// `lesson04/exercise.rs`).
pub fn bin_targets(root: &Path, package: &str) -> Result<Vec<(String, String)>, String> {
    let metadata = metadata(root)?;
    let package = member(&metadata, package)?;
    Ok(package
        .targets
        .iter()
        .filter(|t| t.is_bin())
        .map(|t| {
            let source = t
                .src_path
                .strip_prefix(&metadata.workspace_root)
                .unwrap_or(&t.src_path);
            (t.name.clone(), source.as_str().replace('\\', "/"))
        })
        .collect())
}

/// The package's examples: its binaries whose source is in `lessonNN/src/bin` (a `.rs` file,
/// or a directory with a `main.rs`), the lesson runner excluded; sorted.
pub fn binaries(root: &Path, package: &str) -> Result<Vec<String>, String> {
    let examples = format!("{package}/src/bin/");
    let mut names: Vec<String> = bin_targets(root, package)?
        .into_iter()
        .filter(|(name, source)| source.starts_with(&examples) && name != package)
        .map(|(name, _)| name)
        .collect();
    names.sort();
    Ok(names)
}

/// The lesson libraries: the workspace's lesson packages (`lessonNN`) with a library target.
/// A lesson's library holds the primitives std lacks (lesson04, lesson05, lesson06); the
/// other lessons are examples only, and have none.
pub fn libraries(root: &Path) -> Result<Vec<String>, String> {
    let metadata = metadata(root)?;
    let mut names: Vec<String> = metadata
        .workspace_packages()
        .into_iter()
        .filter(|p| is_lesson_name(&p.name) && p.targets.iter().any(|t| t.is_lib()))
        .map(|p| p.name.to_string())
        .collect();
    names.sort();
    Ok(names)
}

/// The names of the files in `lessonNN/<dir>` (`expected`, `breaks`), without `.txt`.
pub fn text_files(root: &Path, package: &str, dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join(package).join(dir))
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

/// The directory cargo builds into, as cargo itself reports it (`cargo metadata`), so that
/// `CARGO_TARGET_DIR` and a `build.target-dir` in a cargo config both count.
pub fn target_dir(root: &Path) -> Result<PathBuf, String> {
    Ok(metadata(root)?.target_directory.clone().into_std_path_buf())
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

    #[test]
    fn finds_the_seven_lessons_of_this_workspace() {
        let lessons = lessons(&root()).unwrap();
        let names: Vec<&str> = lessons.iter().map(|l| l.package.as_str()).collect();
        assert_eq!(
            names,
            [
                "lesson01", "lesson02", "lesson03", "lesson04", "lesson05", "lesson06", "lesson07"
            ]
        );
    }

    #[test]
    fn the_examples_are_the_binaries_in_src_bin_without_the_runner() {
        let examples = binaries(&root(), "lesson02").unwrap();
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
        let targets = bin_targets(&root(), "lesson02").unwrap();
        assert!(
            targets.contains(&("lesson02_exercise".into(), "lesson02/exercise.rs".into())),
            "{targets:?}"
        );
        assert!(binaries(&root(), "lesson99").is_err());
    }

    #[test]
    fn the_libraries_are_the_lessons_with_a_library_target() {
        assert_eq!(
            libraries(&root()).unwrap(),
            ["lesson04", "lesson05", "lesson06"]
        );
    }

    #[test]
    fn the_root_is_the_tree_cargo_runs_xtask_in() {
        // `cargo test` sets CARGO_MANIFEST_DIR for this test as `cargo run` does for xtask.
        let here = Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").unwrap()).to_path_buf();
        assert_eq!(root(), here.parent().unwrap());
        assert_eq!(
            Path::new(metadata(&root()).unwrap().workspace_root.as_str()),
            root()
        );
    }

    #[test]
    fn the_target_directory_is_cargos() {
        let dir = target_dir(&root()).unwrap();
        assert!(dir.is_absolute(), "{}", dir.display());
    }

    #[test]
    fn lesson_names_are_lesson_and_two_digits() {
        assert!(is_lesson_name("lesson04"));
        assert!(!is_lesson_name("lesson4"));
        assert!(!is_lesson_name("lessons"));
        assert!(!is_lesson_name("xtask"));
    }
}
