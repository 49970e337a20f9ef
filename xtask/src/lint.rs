//! `cargo xtask lint`: each lesson's list (`examples.txt`), its `src/bin`, its expected files
//! and its README agree; every example opens with a `//!` header; every expected file parses;
//! the root README names every example.

use crate::{spec, workspace};
use std::path::Path;

/// Every disagreement found, one sentence each; empty when all agree.
pub fn problems(root: &Path) -> Result<Vec<String>, String> {
    let lessons = workspace::lessons(root)?;
    let root_readme = std::fs::read_to_string(root.join("README.md")).unwrap_or_default();
    let mut found = Vec::new();
    for lesson in &lessons {
        let package = lesson.package.as_str();
        let listed: Vec<&str> = lesson.examples.iter().map(|e| e.name.as_str()).collect();
        let readme_path = format!("{package}/README.md");
        let readme = std::fs::read_to_string(root.join(&readme_path));
        if readme.is_err() {
            found.push(format!(
                "{readme_path} is missing: each lesson has a README with its examples table"
            ));
        }
        for name in workspace::binaries(root, package) {
            if !listed.contains(&name.as_str()) {
                found.push(format!(
                    "{} is not in {package}/examples.txt: add a line for it",
                    workspace::source_file(package, &name)
                ));
            }
        }
        for name in workspace::expected_files(root, package) {
            if !listed.contains(&name.as_str()) {
                found.push(format!(
                    "{} belongs to no example of {package}/examples.txt",
                    workspace::expected_file(package, &name)
                ));
            }
        }
        for name in &listed {
            let source = workspace::source_file(package, name);
            match std::fs::read_to_string(root.join(&source)) {
                Ok(text) if !text.starts_with("//!") => {
                    found.push(format!("{source} does not open with its `//!` header"));
                }
                Ok(_) => {}
                Err(_) => found.push(format!(
                    "{source} is missing, but {package}/examples.txt lists `{name}`"
                )),
            }
            let expected = workspace::expected_file(package, name);
            match std::fs::read_to_string(root.join(&expected)) {
                Ok(text) => {
                    if let Err(e) = spec::parse(&expected, &text) {
                        found.push(e);
                    }
                }
                Err(_) => found.push(format!("{expected} is missing: every example needs one")),
            }
            if let Ok(readme) = &readme
                && !in_table(readme, name)
            {
                found.push(format!("{readme_path} has no table row for `{name}`"));
            }
            if !root_readme.contains(&format!("`{name}`")) {
                found.push(format!(
                    "README.md does not name `{name}` in the course index"
                ));
            }
        }
    }
    Ok(found)
}

/// Whether a markdown table row of `readme` names `` `name` ``.
fn in_table(readme: &str, name: &str) -> bool {
    let quoted = format!("`{name}`");
    readme
        .lines()
        .any(|l| l.trim_start().starts_with('|') && l.contains(&quoted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_row_must_name_the_example_in_backticks() {
        let readme = "# lesson\n\n| binary | x |\n| --- | --- |\n| [`run_function`](src/bin/run_function.rs) | y |\n";
        assert!(in_table(readme, "run_function"));
        assert!(!in_table(readme, "run"));
        assert!(!in_table("`extend_thread` in prose only", "extend_thread"));
    }

    #[test]
    fn a_lesson_out_of_step_is_reported() {
        let dir = std::env::temp_dir().join(format!("xtask-lint-{}", std::process::id()));
        let lesson = dir.join("lesson09");
        std::fs::create_dir_all(lesson.join("src/bin")).unwrap();
        std::fs::create_dir_all(lesson.join("expected")).unwrap();
        std::fs::write(
            lesson.join("examples.txt"),
            "title: t\nlisted | book | watch\n",
        )
        .unwrap();
        std::fs::write(lesson.join("src/bin/lesson09.rs"), "//! runner\n").unwrap();
        std::fs::write(lesson.join("src/bin/listed.rs"), "fn main() {}\n").unwrap();
        std::fs::write(lesson.join("src/bin/unlisted.rs"), "//! x\n").unwrap();
        std::fs::write(lesson.join("expected/listed.txt"), "[bogus]\n").unwrap();
        std::fs::write(lesson.join("expected/stray.txt"), "").unwrap();
        let found = problems(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let wanted = [
            "lesson09/README.md is missing",
            "lesson09/src/bin/unlisted.rs is not in lesson09/examples.txt",
            "lesson09/expected/stray.txt belongs to no example",
            "lesson09/src/bin/listed.rs does not open with its `//!` header",
            "lesson09/expected/listed.txt:1: unknown section `[bogus]`",
            "README.md does not name `listed`",
        ];
        assert_eq!(found.len(), wanted.len(), "{found:#?}");
        for (problem, start) in found.iter().zip(wanted) {
            assert!(
                problem.starts_with(start),
                "{problem:?} should start with {start:?}"
            );
        }
    }
}
