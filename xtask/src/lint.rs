//! `cargo xtask lint`: each lesson's list (`examples.txt`), its `src/bin`, its expected and
//! break files and its README agree; every example opens with a `//!` header; every expected
//! file parses; every break file parses and fits the source it changes; the root README names
//! every example.

use crate::verify::{Job, Status};
use crate::{breaking, breaks, spec, workspace};
use std::path::Path;

/// `cargo xtask lint`: prints every problem found, and passes when there is none.
pub fn lint() -> Result<Status, String> {
    let problems = problems(&workspace::root())?;
    for problem in &problems {
        println!("{problem}");
    }
    if problems.is_empty() {
        println!("lint: every lesson's list, binaries, expected files and READMEs agree");
        Ok(Status::Passed)
    } else {
        println!("lint: {} problem(s)", problems.len());
        Ok(Status::Failed)
    }
}

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
        for (dir, file_of) in [
            (
                "expected",
                workspace::expected_file as fn(&str, &str) -> String,
            ),
            ("breaks", breaks::file_of),
        ] {
            for name in workspace::text_files(root, package, dir) {
                if !listed.contains(&name.as_str()) {
                    found.push(format!(
                        "{} belongs to no example of {package}/examples.txt",
                        file_of(package, &name)
                    ));
                }
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
                Ok(text) => match spec::parse(&expected, &text) {
                    Ok(spec) => {
                        let job = Job {
                            package: package.into(),
                            name: name.to_string(),
                            file: expected,
                            spec,
                        };
                        found.extend(break_problems(root, &job));
                    }
                    Err(e) => found.push(e),
                },
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

/// What is wrong with the example's break file: missing, malformed, or a break that does not
/// fit its source or names a check the expected file lacks.
fn break_problems(root: &Path, job: &Job) -> Vec<String> {
    let file = breaks::file_of(&job.package, &job.name);
    let Ok(text) = std::fs::read_to_string(root.join(&file)) else {
        return vec![format!(
            "{file} is missing: every example needs at least one break (xtask/README.md)"
        )];
    };
    let source = workspace::source_file(&job.package, &job.name);
    match breaks::parse(&file, &text, &source) {
        Ok(found) => found
            .iter()
            .filter_map(|b| breaking::check_break(root, job, &file, b).err())
            .collect(),
        Err(e) => vec![e],
    }
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
        std::fs::create_dir_all(lesson.join("breaks")).unwrap();
        std::fs::write(lesson.join("breaks/gone.txt"), "").unwrap();
        let found = problems(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let wanted = [
            "lesson09/README.md is missing",
            "lesson09/src/bin/unlisted.rs is not in lesson09/examples.txt",
            "lesson09/expected/stray.txt belongs to no example",
            "lesson09/breaks/gone.txt belongs to no example",
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

    #[test]
    fn a_break_file_must_exist_and_fit_its_source_and_checks() {
        let dir = std::env::temp_dir().join(format!("xtask-lint-breaks-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("lesson09/src/bin")).unwrap();
        std::fs::create_dir_all(dir.join("lesson09/breaks")).unwrap();
        std::fs::write(
            dir.join("lesson09/src/bin/x.rs"),
            "fn main() {\n    go();\n}\n",
        )
        .unwrap();
        let job = Job {
            package: "lesson09".into(),
            name: "x".into(),
            file: "lesson09/expected/x.txt".into(),
            spec: spec::parse("x.txt", "[stdout]\n{int:n}\n[checks]\nall n > 0\n").unwrap(),
        };
        let problems = |text: &str| {
            std::fs::write(dir.join("lesson09/breaks/x.txt"), text).unwrap();
            break_problems(&dir, &job)
        };
        let good = "[break b]\nwhy: w\nline: go();\ncaught by: check all n > 0\n";
        assert_eq!(problems(good), Vec::<String>::new());
        let missing_line = problems("[break b]\nwhy: w\nline: stop();\ncaught by: stdout\n");
        assert!(
            missing_line[0].contains("no line reads `stop();`"),
            "{missing_line:?}"
        );
        let no_check = problems("[break b]\nwhy: w\nline: go();\ncaught by: check all n > 1\n");
        assert!(no_check[0].contains("names no check"), "{no_check:?}");
        let other = problems(
            "[break b]\nwhy: w\nfile: lesson09/src/bin/y.rs\nline: go();\ncaught by: stdout\n",
        );
        assert!(other[0].contains("another example's source"), "{other:?}");
        std::fs::remove_file(dir.join("lesson09/breaks/x.txt")).unwrap();
        let gone = break_problems(&dir, &job);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(gone[0].contains("is missing"), "{gone:?}");
    }
}
