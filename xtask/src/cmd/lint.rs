//! `cargo xtask lint`: each lesson's list (`examples.txt`), its `src/bin`, its expected and
//! break files and its README agree; every example opens with a `//!` header; every expected
//! file parses; every break file parses and fits the source it changes; the root README names
//! every example.

use crate::cmd::{breaks as breaking, readme};
use crate::error::Error;
use crate::project::{self, Project};
use crate::session::{Job, Status};
use checker::judge::Reason;
use checker::{breaks, spec};
use course::sources;
use std::path::Path;

/// `cargo xtask lint`: prints every problem found, and passes when there is none.
pub fn lint(project: &Project) -> Result<Status, Error> {
    let problems = problems(project)?;
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
pub fn problems(project: &Project) -> Result<Vec<String>, Error> {
    let root = project.root();
    let lessons = project.lessons()?;
    let mut found: Vec<String> = readme::index_problem(root, lessons).into_iter().collect();
    found.extend(empty_test_harnesses(project)?);
    for lesson in lessons {
        let package = lesson.package.as_str();
        let listed: Vec<&str> = lesson.examples.iter().map(|e| e.name.as_str()).collect();
        found.extend(readme::problem(root, lesson));
        found.extend(exercise_problems(project, package));
        found.extend(teaching_problems(root, package));
        found.extend(library_problems(root, package));
        for (file, text) in lesson_texts(project, package) {
            found.extend(python_file_names(&file, &text));
        }
        for example in &lesson.examples {
            if sources::cited(&[example.origin.as_str()]).is_empty() {
                found.push(format!(
                    "{package}/examples.txt: `{}` cites no known source ({}); start its source with one",
                    example.name,
                    known_sources()
                ));
            }
        }
        for name in project.binaries(package)? {
            if !listed.contains(&name.as_str()) {
                found.push(format!(
                    "{} is not in {package}/examples.txt: add a line for it",
                    project::source_file(package, &name)
                ));
            }
        }
        for (dir, file_of) in [
            (
                "expected",
                project::expected_file as fn(&str, &str) -> String,
            ),
            ("breaks", breaks::file_of),
        ] {
            for name in project.text_files(package, dir) {
                let exercise = dir == "expected" && name == EXERCISE;
                if !listed.contains(&name.as_str()) && !exercise {
                    found.push(format!(
                        "{} belongs to no example of {package}/examples.txt",
                        file_of(package, &name)
                    ));
                }
            }
        }
        for name in &listed {
            let source = project::source_file(package, name);
            match std::fs::read_to_string(root.join(&source)) {
                Ok(text) => found.extend(header_problems(&source, package, name, &text)),
                Err(_) => found.push(format!(
                    "{source} is missing, but {package}/examples.txt lists `{name}`"
                )),
            }
            let expected = project::expected_file(package, name);
            match std::fs::read_to_string(root.join(&expected)) {
                Ok(text) => match spec::parse(&expected, &text) {
                    Ok(spec) => {
                        found.extend(leaning_problems(&expected, &text, &spec));
                        let job = Job {
                            package: package.into(),
                            name: name.to_string(),
                            file: expected,
                            spec,
                        };
                        found.extend(break_problems(root, &job));
                    }
                    Err(e) => found.push(e.to_string()),
                },
                Err(_) => found.push(format!("{expected} is missing: every example needs one")),
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
    let source = project::source_file(&job.package, &job.name);
    match breaks::parse(&file, &text, &source) {
        Ok(found) => found
            .iter()
            .filter_map(|b| breaking::check_break(root, job, &file, b).err())
            .map(|e| e.to_string())
            .chain(unnamed_checks(job, &file, &found))
            .collect(),
        Err(e) => vec![e.to_string()],
    }
}

/// The checks of the example's expected file that no break names in a `caught by: check`
/// line: a check no break proves red may be one that cannot fail (xtask/README.md).
fn unnamed_checks(job: &Job, file: &str, found: &[breaks::Break]) -> Vec<String> {
    job.spec
        .checks
        .iter()
        .filter(|check| {
            !found
                .iter()
                .flat_map(|b| &b.caught_by)
                .any(|reason| matches!(reason, Reason::Check(named) if named == check.item.id()))
        })
        .map(|check| {
            format!(
                "{}:{}: `{}` is named by no break of {file}: add a break that turns it red every time, or remove the check and say why in a comment where it stood",
                job.file, check.line, check.item
            )
        })
        .collect()
}

/// The comment line that says why a check measures from the example's start: only where no
/// line of the run marks the moment its timing starts, or where a later mark could hide
/// what it catches (xtask/README.md).
const FROM_THE_START: &str = "from the start:";

/// The comment line that says why a check whose bound is built from captured values, which
/// the example may draw at random, holds and catches its breaks whatever values are drawn.
const WORST_CASE: &str = "worst case:";

/// The checks of an expected file that lean on the example's start, or on values it drew,
/// without a `#` comment line right above them that says why (`# from the start: ...`,
/// `# worst case: ...`). A late start, or small random draws, can hide what such a check
/// exists to catch: the comment is where its author shows that they cannot.
fn leaning_problems(file: &str, text: &str, spec: &spec::Spec) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for check in &spec.checks {
        let leans = check.item.leans_on();
        // The comment lines right above the check, nearest first.
        let above: Vec<&str> = lines[..check.line - 1]
            .iter()
            .rev()
            .map_while(|l| l.trim_start().strip_prefix('#'))
            .map(str::trim_start)
            .collect();
        let says = |start: &str| above.iter().any(|l| l.starts_with(start));
        if leans.start && !says(FROM_THE_START) {
            found.push(format!(
                "{file}:{}: `{}` measures from the example's start, which a late start moves: measure between two lines (gap_at_least, end_at_most, ...), or say why the start is the point in a comment line above it, `# {FROM_THE_START} ...`",
                check.line, check.item
            ));
        }
        if leans.values && !says(WORST_CASE) {
            found.push(format!(
                "{file}:{}: `{}` builds its bound from captured values, which may be drawn at random: say in a comment line above it, `# {WORST_CASE} ...`, why it holds and catches its breaks whatever the draws",
                check.line, check.item
            ));
        }
    }
    found
}

/// The headings a lesson README is built on: what the reader will learn and the main example
/// first, the examples table after them, the takeaways last.
const LEARN: &str = "**You will learn to:**";
const MAIN_EXAMPLE: &str = "## The main example, read slowly";
const EXAMPLES: &str = "## The examples";
const PROVENANCE: &str = "## Where the Python variants went";
const TAKEAWAYS: &str = "## Takeaways";

/// What keeps a lesson README from teaching before it lists (see [`readme_shape_problems`]),
/// and the compile-fail listings of `lessonNN/refused/`: each must parse, and be named in
/// its lesson's README.
fn teaching_problems(root: &Path, package: &str) -> Vec<String> {
    let file = format!("{package}/README.md");
    // A missing README is reported with the examples table it lacks.
    let Ok(text) = std::fs::read_to_string(root.join(&file)) else {
        return Vec::new();
    };
    let mut found = readme_shape_problems(&file, &text);
    let dir = root.join(package);
    if dir.join("refused").is_dir() {
        match course::refused::listings(&dir) {
            Ok(listings) => {
                for listing in listings {
                    if !text.contains(&listing.name) {
                        found.push(format!(
                            "{file} does not name {}: say what it refuses where the lesson teaches it",
                            listing.path.display()
                        ));
                    }
                }
            }
            Err(e) => found.push(e.to_string()),
        }
    }
    found
}

/// A lesson README opens with `**You will learn to:**` and then the main example, read slowly
/// (with its code in a `rust` block), before the examples table; where the Python variants
/// went comes after the table; it ends with the takeaways; and it carries no test figures
/// (`177 mutants`, `2,000 schedules`), which live in TESTING.md.
fn readme_shape_problems(file: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let headings: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("## "))
        .collect();
    let at = |heading: &str| headings.iter().position(|(_, h)| h.trim_end() == heading);
    let first_heading = headings.first().map_or(usize::MAX, |(n, _)| *n);
    match text.lines().position(|l| l.trim() == LEARN) {
        Some(n) if n < first_heading => {}
        _ => found.push(format!(
            "{file}: open with `{LEARN}` and the lesson's objectives, before the first `## ` heading"
        )),
    }
    match at(MAIN_EXAMPLE) {
        Some(0) => {
            let start = headings[0].0;
            let end = headings.get(1).map_or(usize::MAX, |(n, _)| *n);
            let has_code = text
                .lines()
                .enumerate()
                .any(|(n, l)| n > start && n < end && l.trim_start().starts_with("```rust"));
            if !has_code {
                found.push(format!(
                    "{file}: `{MAIN_EXAMPLE}` shows the example's code in a ```rust block"
                ));
            }
        }
        _ => found.push(format!(
            "{file}: the first section is `{MAIN_EXAMPLE}`, a walk through the main example"
        )),
    }
    match (at(EXAMPLES), at(PROVENANCE)) {
        (None, _) => found.push(format!("{file}: `{EXAMPLES}` (the table) is missing")),
        (Some(table), Some(provenance)) if provenance < table => found.push(format!(
            "{file}: `{PROVENANCE}` comes after `{EXAMPLES}`: teach first, then say where things came from"
        )),
        _ => {}
    }
    if headings.last().map(|(_, h)| h.trim_end()) != Some(TAKEAWAYS) {
        found.push(format!("{file}: end with `{TAKEAWAYS}`"));
    }
    for (number, line) in text.lines().enumerate() {
        if let Some(figure) = test_figure(line) {
            found.push(format!(
                "{file}:{}: `{figure}` is a test figure: it belongs in TESTING.md",
                number + 1
            ));
        }
    }
    found
}

/// A number followed by a word that counts tests (`177 mutants`, `2,000 schedules`), if the
/// line has one.
fn test_figure(line: &str) -> Option<String> {
    const COUNTED: [&str; 6] = [
        "mutants",
        "mutant",
        "schedules",
        "caught",
        "missed",
        "models",
    ];
    let words: Vec<&str> = line.split_whitespace().collect();
    words.windows(2).find_map(|pair| {
        let number = pair[0].trim_start_matches(['(', '`']);
        let word = pair[1].trim_end_matches(|c: char| !c.is_alphanumeric());
        let is_number = !number.is_empty()
            && number.chars().all(|c| c.is_ascii_digit() || c == ',')
            && number.starts_with(|c: char| c.is_ascii_digit());
        (is_number && COUNTED.contains(&word)).then(|| format!("{number} {word}"))
    })
}

/// Each library file a reader may copy (`lessonNN/src/*.rs` but `lib.rs` and the shuttle
/// models, and `lessonNN/steps/*.rs`) says on its first line what else it needs, and, if it
/// has `cfg(shuttle)` lines, what a copy does about the warning they give.
fn library_problems(root: &Path, package: &str) -> Vec<String> {
    let mut found = Vec::new();
    for dir in ["src", "steps"] {
        let Ok(entries) = std::fs::read_dir(root.join(package).join(dir)) else {
            continue;
        };
        let mut files: Vec<String> = entries
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(String::from))
            .filter(|n| n.ends_with(".rs") && n != "lib.rs" && !n.ends_with("_models.rs"))
            .collect();
        files.sort();
        for name in files {
            let file = format!("{package}/{dir}/{name}");
            let text = std::fs::read_to_string(root.join(&file)).unwrap_or_default();
            found.extend(library_file_problems(&file, &text));
        }
    }
    found
}

/// What a library file lacks: its `//! Needs:` line first, and the note on `cfg(shuttle)`
/// when it has such lines.
fn library_file_problems(file: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    if !text.starts_with("//! Needs:") {
        found.push(format!(
            "{file}: open with `//! Needs:`, the other files a copy of it needs (or `nothing beyond std`)"
        ));
    }
    let has_cfg = text
        .lines()
        .any(|l| l.trim_start().starts_with("#[cfg") && l.contains("shuttle"));
    if has_cfg && !text.contains("unexpected `cfg` condition name `shuttle`") {
        found.push(format!(
            "{file}: its `cfg(shuttle)` lines warn in a copy (unexpected `cfg` condition name `shuttle`): say in its header what to do about it"
        ));
    }
    found
}

/// The name of a lesson's exercise: `lessonNN/exercise.rs`, `lessonNN/solution.rs` and
/// `lessonNN/expected/exercise.txt`.
const EXERCISE: &str = "exercise";

/// What is wrong with an example's `//!` header and comments: the header opens the file with
/// `//! # <title>` and ends with the line saying how to run the example, the twist is named
/// one way, and an item's comment is a `///` doc.
fn header_problems(source: &str, package: &str, name: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let header: Vec<&str> = text.lines().take_while(|l| l.starts_with("//!")).collect();
    if !header.first().is_some_and(|l| l.starts_with("//! # ")) {
        found.push(format!(
            "{source} does not open with its `//! # <title>` header line"
        ));
    }
    let run_it = format!("//! Run it: `cargo run -p {package} --bin {name}`");
    if header.last() != Some(&run_it.as_str()) {
        found.push(format!(
            "{source}: the header's last line must be `{run_it}`"
        ));
    }
    let lines: Vec<&str> = text.lines().collect();
    for (number, pair) in lines.windows(2).enumerate() {
        let (above, item) = (pair[0].trim_start(), pair[1].trim_start());
        let plain_comment = above.starts_with("// ") || above == "//";
        let is_item = [
            "fn ", "struct ", "enum ", "const ", "static ", "type ", "trait ",
        ]
        .iter()
        .any(|start| item.strip_prefix("pub ").unwrap_or(item).starts_with(start));
        if plain_comment && is_item {
            found.push(format!(
                "{source}:{}: an item's comment is its doc: write `///`, not `//`",
                number + 1
            ));
        }
    }
    for (number, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("Rust twist") {
            if !rest[..at].ends_with("The ") {
                found.push(format!(
                    "{source}:{}: write `The Rust twist` (or `The Rust twists`), the one form",
                    number + 1
                ));
            }
            rest = &rest[at + 1..];
        }
    }
    found
}

/// The lesson's files a reader sees (sources, expected and break files, README, list), with
/// their text.
fn lesson_texts(project: &Project, package: &str) -> Vec<(String, String)> {
    let root = project.root();
    let mut files = vec![
        format!("{package}/README.md"),
        format!("{package}/examples.txt"),
    ];
    // A package cargo cannot read is reported by `problems`.
    for name in project.binaries(package).unwrap_or_default() {
        files.push(project::source_file(package, &name));
    }
    for dir in ["expected", "breaks"] {
        for name in project.text_files(package, dir) {
            files.push(format!("{package}/{dir}/{name}.txt"));
        }
    }
    for extra in ["exercise.rs", "solution.rs"] {
        files.push(format!("{package}/{extra}"));
    }
    files
        .into_iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(root.join(&f)).ok()?;
            Some((f, text))
        })
        .collect()
}

/// A Python file name (`semaphore.py`) where a reader, who does not have the Python files,
/// needs the source's text and section instead.
fn python_file_names(file: &str, text: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            line.match_indices(".py").any(|(at, _)| {
                let after = line[at + 3..].chars().next();
                let before = line[..at].chars().next_back();
                before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        })
        .map(|(number, _)| {
            format!(
                "{file}:{}: names a Python file; name the source by its text and section (e.g. book L04 \"How to ...\")",
                number + 1
            )
        })
        .collect()
}

fn known_sources() -> String {
    let names: Vec<&str> = sources::SOURCES.iter().map(|(n, _)| *n).collect();
    names.join(", ")
}

/// What is wrong with the lesson's exercise, if it has one: its solution, expected file and
/// binaries must all be there, and each check must carry the comment shown as its hint.
fn exercise_problems(project: &Project, package: &str) -> Vec<String> {
    let root = project.root();
    let source = format!("{package}/{EXERCISE}.rs");
    let Ok(text) = std::fs::read_to_string(root.join(&source)) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if !text.starts_with("//! # Exercise ") {
        found.push(format!(
            "{source} does not open with its `//! # Exercise NN: <title>` header line"
        ));
    }
    let solution = format!("{package}/solution.rs");
    if !root.join(&solution).is_file() {
        found.push(format!(
            "{solution} is missing: every exercise has a worked solution"
        ));
    }
    // The binaries as cargo reads the manifest; a package it cannot read is reported by
    // `problems`.
    let targets = project.bin_targets(package).unwrap_or_default();
    for (bin, path) in [("exercise", "exercise.rs"), ("solution", "solution.rs")] {
        let (name, source) = (format!("{package}_{bin}"), format!("{package}/{path}"));
        if !targets.contains(&(name.clone(), source)) {
            found.push(format!(
                "{package}/Cargo.toml lacks the `[[bin]]` entry `name = \"{name}\" path = \"{path}\"`"
            ));
        }
    }
    let expected = project::expected_file(package, EXERCISE);
    match std::fs::read_to_string(root.join(&expected)) {
        Ok(text) => match spec::parse(&expected, &text) {
            Ok(spec) => {
                found.extend(leaning_problems(&expected, &text, &spec));
                for check in spec.checks.iter().filter(|c| c.comment.is_empty()) {
                    found.push(format!(
                        "{expected}:{}: a check of an exercise needs a `#` comment above it: the hint a learner sees when it fails",
                        check.line
                    ));
                }
            }
            Err(e) => found.push(e.to_string()),
        },
        Err(_) => found.push(format!("{expected} is missing: every exercise needs one")),
    }
    found
}

/// Binaries that `cargo test` would build a test harness for although their source holds no
/// test: each prints an empty run among the suites' results, so each must say `test = false`.
fn empty_test_harnesses(project: &Project) -> Result<Vec<String>, Error> {
    let metadata = project.metadata()?;
    let mut found = Vec::new();
    for package in &metadata.packages {
        for target in package.targets.iter().filter(|t| t.is_bin() && t.test) {
            let source = std::fs::read_to_string(&target.src_path).unwrap_or_default();
            if !source.contains("#[test]") {
                let manifest = metadata.relative(&package.manifest_path).display();
                found.push(format!(
                    "{manifest}: binary `{}` holds no test; declare it `[[bin]] name = \"{}\" test = false`, so that `cargo test` runs no empty harness for it",
                    target.name, target.name
                ));
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `found` holds one problem per line of `wanted`, in order, each opening with that line.
    fn assert_problems(found: &[String], wanted: &[&str]) {
        assert_eq!(found.len(), wanted.len(), "{found:#?}");
        for (problem, start) in found.iter().zip(wanted) {
            assert!(
                problem.starts_with(start),
                "{problem:?} should start with {start:?}"
            );
        }
    }

    #[test]
    fn a_lesson_out_of_step_is_reported() {
        let dir = std::env::temp_dir().join(format!("xtask-lint-{}", std::process::id()));
        let lesson = dir.join("lesson09");
        std::fs::create_dir_all(lesson.join("src/bin")).unwrap();
        // A workspace cargo can read, whose lesson lacks its exercise's `[[bin]]` entries.
        std::fs::write(
            dir.join("Cargo.toml"),
            "[workspace]\nresolver = \"3\"\nmembers = [\"lesson09\"]\n",
        )
        .unwrap();
        std::fs::write(
            lesson.join("Cargo.toml"),
            "[package]\nname = \"lesson09\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(lesson.join("expected")).unwrap();
        std::fs::write(
            lesson.join("examples.txt"),
            "title: t\nteaches: t\nlisted | book | watch\n",
        )
        .unwrap();
        std::fs::write(lesson.join("src/bin/lesson09.rs"), "//! runner\n").unwrap();
        std::fs::write(
            lesson.join("src/bin/listed.rs"),
            "// the entry point\nfn main() {} // Rust twist: none\n",
        )
        .unwrap();
        std::fs::write(lesson.join("src/bin/unlisted.rs"), "//! x, from x_org.py\n").unwrap();
        std::fs::write(lesson.join("exercise.rs"), "//! # Exercise 09: x\n").unwrap();
        std::fs::write(lesson.join("expected/listed.txt"), "[bogus]\n").unwrap();
        std::fs::write(lesson.join("expected/stray.txt"), "").unwrap();
        std::fs::create_dir_all(lesson.join("breaks")).unwrap();
        std::fs::write(lesson.join("breaks/gone.txt"), "").unwrap();
        let found = problems(&Project::at(&dir)).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let wanted = [
            "README.md is missing",
            "lesson09/Cargo.toml: binary `lesson09` holds no test",
            "lesson09/Cargo.toml: binary `listed` holds no test",
            "lesson09/Cargo.toml: binary `unlisted` holds no test",
            "lesson09/README.md is missing",
            "lesson09/solution.rs is missing",
            "lesson09/Cargo.toml lacks the `[[bin]]` entry `name = \"lesson09_exercise\" path = \"exercise.rs\"`",
            "lesson09/Cargo.toml lacks the `[[bin]]` entry `name = \"lesson09_solution\"",
            "lesson09/expected/exercise.txt is missing",
            "lesson09/src/bin/unlisted.rs:1: names a Python file",
            "lesson09/src/bin/unlisted.rs is not in lesson09/examples.txt",
            "lesson09/expected/stray.txt belongs to no example",
            "lesson09/breaks/gone.txt belongs to no example",
            "lesson09/src/bin/listed.rs does not open with its `//! # <title>` header line",
            "lesson09/src/bin/listed.rs: the header's last line must be `//! Run it: `cargo run -p lesson09 --bin listed``",
            "lesson09/src/bin/listed.rs:1: an item's comment is its doc",
            "lesson09/src/bin/listed.rs:2: write `The Rust twist`",
            "lesson09/expected/listed.txt:1: unknown section `[bogus]`",
        ];
        assert_problems(&found, &wanted);
    }

    #[test]
    fn a_check_that_leans_on_the_start_or_on_drawn_values_says_why() {
        let text = "\
[stdout]
Waiting
{float:v}
Done
[checks]
# the thread slept its second
line_at_least \"Done\" 1.0
# from the start: nothing is printed before the sleep
line_at_most \"Done\" 3.0
gap_at_least \"Waiting\" \"Done\" 0.8
# from the start: nothing is printed before the sleep
# (a sentence that opens a comment line elsewhere does not count)
elapsed_at_least_sum v
# each value's own sleep
# worst case: the last value is above 0.9
each_gap_at_least \"{float:v}\" \"Done\" -0.2 v
# worst case: a blank line ends the comment above a check

overlap_at_most \"{float:v}\" v 1 0.2
";
        let spec = spec::parse("x.txt", text).unwrap();
        let found = leaning_problems("x.txt", text, &spec);
        let wanted = [
            "x.txt:7: `line_at_least \"Done\" 1.0` measures from the example's start",
            "x.txt:13: `elapsed_at_least_sum v` builds its bound from captured values",
            "x.txt:19: `overlap_at_most \"{float:v}\" v 1 0.2` builds its bound",
        ];
        assert_problems(&found, &wanted);
    }

    #[test]
    fn a_lesson_readme_teaches_before_it_lists() {
        let good = "# Lesson 09\n\n**You will learn to:**\n\n- x\n\n## The main example, read slowly\n\n```rust\nfn main() {}\n```\n\n## The examples\n\n## Where the Python variants went\n\n## Takeaways\n\n- y\n";
        assert_eq!(readme_shape_problems("R", good), Vec::<String>::new());
        let bad = "# Lesson 09\n\n## The examples\n\n## Where the Python variants went\n\nIt had 177 mutants, 2,000 schedules.\n\n## The main example, read slowly\n\nno code\n\n## Exercise\n";
        let found = readme_shape_problems("R", bad);
        let starts = [
            "R: open with `**You will learn to:**`",
            "R: the first section is `## The main example, read slowly`",
            "R: end with `## Takeaways`",
            "R:7: `177 mutants` is a test figure",
        ];
        assert_problems(&found, &starts);
        let late = good.replace(
            "## The examples\n\n## Where the Python variants went",
            "## Where the Python variants went\n\n## The examples",
        );
        assert!(readme_shape_problems("R", &late)[0].contains("comes after `## The examples`"));
        let no_code = good.replace("```rust", "```text");
        assert!(readme_shape_problems("R", &no_code)[0].contains("```rust block"));
        assert_eq!(
            test_figure("in (2,000 schedules)"),
            Some("2,000 schedules".into())
        );
        assert_eq!(test_figure("the 2 threads caught up"), None);
    }

    #[test]
    fn a_library_file_says_what_it_needs_and_what_to_do_about_shuttle() {
        let good = "//! Needs: nothing beyond std\n//! unexpected `cfg` condition name `shuttle`: delete them\n#[cfg(all(test, shuttle))]\nuse shuttle::sync::Mutex;\n";
        assert_eq!(library_file_problems("f.rs", good), Vec::<String>::new());
        let found = library_file_problems(
            "f.rs",
            "//! A pool\n#[cfg(all(test, shuttle))]\nmod models;\n",
        );
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].contains("open with `//! Needs:`"));
        assert!(found[1].contains("say in its header"));
        assert_eq!(
            library_file_problems("f.rs", "//! Needs: pool.rs\nfn f() {}\n"),
            Vec::<String>::new()
        );
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

    #[test]
    fn every_check_is_named_by_a_break() {
        let dir = std::env::temp_dir().join(format!("xtask-lint-named-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("lesson09/src/bin")).unwrap();
        std::fs::create_dir_all(dir.join("lesson09/breaks")).unwrap();
        std::fs::write(
            dir.join("lesson09/src/bin/x.rs"),
            "fn main() {\n    go();\n}\n",
        )
        .unwrap();
        let expected = "[stdout]\n{int:n}\n[checks]\nall n > 0\n# a comment\ncount n 1\n";
        let job = Job {
            package: "lesson09".into(),
            name: "x".into(),
            file: "lesson09/expected/x.txt".into(),
            spec: spec::parse("x.txt", expected).unwrap(),
        };
        let problems = |text: &str| {
            std::fs::write(dir.join("lesson09/breaks/x.txt"), text).unwrap();
            break_problems(&dir, &job)
        };
        let both = "[break b]\nwhy: w\nline: go();\ncaught by: check all n > 0\n\n[break c]\nwhy: w\nline: go();\nbecomes: go(); go();\ncaught by: stdout\ncaught by: check count n 1\n";
        assert_eq!(problems(both), Vec::<String>::new());
        // Named by no break: only `stdout` and the other check are.
        let one = problems(
            "[break b]\nwhy: w\nline: go();\ncaught by: stdout\ncaught by: check count n 1\n",
        );
        assert_eq!(one.len(), 1, "{one:?}");
        assert!(
            one[0].starts_with("lesson09/expected/x.txt:4: `all n > 0` is named by no break of lesson09/breaks/x.txt"),
            "{one:?}"
        );
        // Each check unnamed is reported on its own line.
        let none = problems("[break b]\nwhy: w\nline: go();\ncaught by: stdout\n");
        assert_eq!(none.len(), 2, "{none:?}");
        assert!(
            none[1].starts_with("lesson09/expected/x.txt:6: `count n 1`"),
            "{none:?}"
        );
        std::fs::remove_file(dir.join("lesson09/breaks/x.txt")).unwrap();
        let gone = break_problems(&dir, &job);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(gone[0].contains("is missing"), "{gone:?}");
    }
}
