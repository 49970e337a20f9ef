//! Where things are: the workspace root, its lessons (`lessonNN/examples.txt`), each
//! example's source, expected file and built binary.

use course::Lesson;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The workspace root: xtask's parent directory, or `$XTASK_WORKSPACE` when set (xtask's own
/// tests point it at a small workspace of their making).
pub fn root() -> PathBuf {
    if let Some(dir) = std::env::var_os("XTASK_WORKSPACE") {
        return PathBuf::from(dir);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
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

/// The names of the `.rs` files (or directories with a `main.rs`) in `lessonNN/src/bin`,
/// the lesson runner excluded.
pub fn binaries(root: &Path, package: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join(package).join("src/bin"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            match name.strip_suffix(".rs") {
                Some(stem) => Some(stem.to_string()),
                None => e.path().join("main.rs").is_file().then_some(name),
            }
        })
        .filter(|name| name != package)
        .collect();
    names.sort();
    names
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
/// `CARGO_TARGET_DIR` and a `build.target-dir` in a cargo config both count. Asked once.
pub fn target_dir(root: &Path) -> Result<PathBuf, String> {
    static ASKED: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    ASKED.get_or_init(|| ask_target_dir(root)).clone()
}

fn ask_target_dir(root: &Path) -> Result<PathBuf, String> {
    let output = Command::new(cargo())
        .current_dir(root)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .output()
        .map_err(|e| format!("cannot run `cargo metadata`: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo metadata` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    json_string(&text, "target_directory")
        .map(PathBuf::from)
        .ok_or_else(|| "`cargo metadata` names no target directory".to_string())
}

/// The cargo that runs xtask (`$CARGO`), else the one on the path.
pub fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// The profile xtask itself was built with, so examples are built and found the same way:
/// `release` when xtask runs from a `release` directory, else `debug`.
pub fn profile() -> &'static str {
    let exe = std::env::current_exe().unwrap_or_default();
    let dir = exe.parent().and_then(Path::file_name);
    if dir.is_some_and(|name| name == "release") {
        "release"
    } else {
        "debug"
    }
}

/// Where the workspace's binaries are: the target directory's profile directory.
pub fn bin_dir(root: &Path) -> Result<PathBuf, String> {
    Ok(target_dir(root)?.join(profile()))
}

/// The string value of the first `"key":"..."` in JSON text, unescaped (cargo metadata's
/// output has no space after the colon).
fn json_string(json: &str, key: &str) -> Option<String> {
    let start = json.find(&format!("\"{key}\":\""))? + key.len() + 4;
    let mut value = String::new();
    let mut chars = json[start..].chars();
    loop {
        match chars.next()? {
            '"' => return Some(value),
            '\\' => match chars.next()? {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'u' => {
                    let code: String = chars.by_ref().take(4).collect();
                    value.push(char::from_u32(u32::from_str_radix(&code, 16).ok()?)?);
                }
                other => value.push(other),
            },
            c => value.push(c),
        }
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
        assert!(
            !binaries(&root(), "lesson02").contains(&"lesson02".to_string()),
            "the runner is no example"
        );
    }

    #[test]
    fn reads_a_string_from_json() {
        let json = r#"{"packages":[],"target_directory":"/a \"b\"/c\\d\u00e9","version":1}"#;
        assert_eq!(
            json_string(json, "target_directory").unwrap(),
            "/a \"b\"/c\\dé"
        );
        assert_eq!(json_string(json, "workspace_root"), None);
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
