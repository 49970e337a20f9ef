//! The tables generated from the lessons' `examples.txt`, each between two markers: each
//! lesson README's examples table, and the root README's course index. `cargo xtask readme`
//! writes them; `cargo xtask lint` fails when one is stale (edited by hand, or a list changed
//! since).

use crate::error::{Error, OrFailed};
use crate::project::Project;
use crate::session::Status;
use course::{Lesson, sources};
use std::path::Path;

pub const BEGIN: &str = "<!-- examples: generated from examples.txt by `cargo xtask readme`; edit that file, not this table -->";
pub const END: &str = "<!-- end of examples -->";
const INDEX_BEGIN: &str = "<!-- course index: generated from each lesson's examples.txt by `cargo xtask readme`; edit those files, not this table -->";
const INDEX_END: &str = "<!-- end of course index -->";

/// The table and the legend of the sources it cites, markers included.
pub fn table(lesson: &Lesson) -> String {
    let mut out =
        format!("{BEGIN}\n| binary | Python original | what to watch for |\n| --- | --- | --- |\n");
    for example in &lesson.examples {
        out.push_str(&format!(
            "| [`{name}`](src/bin/{name}.rs) | {} | {} |\n",
            example.origin,
            example.watch,
            name = example.name
        ));
    }
    let origins: Vec<&str> = lesson.examples.iter().map(|e| e.origin.as_str()).collect();
    out.push('\n');
    out.push_str(&sources::legend_markdown(&origins));
    out.push_str(END);
    out
}

/// The root README's course index: each lesson, what it teaches, its examples.
pub fn index(lessons: &[Lesson]) -> String {
    let mut out =
        format!("{INDEX_BEGIN}\n| lesson | what it teaches | examples |\n| --- | --- | --- |\n");
    for lesson in lessons {
        let names: Vec<String> = lesson
            .examples
            .iter()
            .map(|e| format!("`{}`", e.name))
            .collect();
        out.push_str(&format!(
            "| [{package}]({package}/README.md) {} | {} | {}: {} |\n",
            lesson.title,
            lesson.teaches,
            names.len(),
            names.join(", "),
            package = lesson.package
        ));
    }
    out.push_str(INDEX_END);
    out
}

/// The README with its examples table replaced by `table`; bad use when the markers are
/// missing or out of order (the README is the user's to mend).
pub fn with_table(readme: &str, table: &str, path: &str) -> Result<String, Error> {
    replace_between(readme, table, path, (BEGIN, END), "examples table")
}

fn replace_between(
    readme: &str,
    table: &str,
    path: &str,
    (begin_marker, end_marker): (&str, &str),
    what: &str,
) -> Result<String, Error> {
    let (Some(begin), Some(end)) = (readme.find(begin_marker), readme.find(end_marker)) else {
        return Err(Error::usage(format!(
            "{path} has no generated {what}: put the lines `{begin_marker}` and `{end_marker}` where it goes, then run `cargo xtask readme`"
        )));
    };
    let once = readme.matches(begin_marker).count() == 1 && readme.matches(end_marker).count() == 1;
    if end < begin || !once {
        return Err(Error::usage(format!(
            "{path}: the {what} markers must appear once each, begin before end"
        )));
    }
    Ok(format!(
        "{}{table}{}",
        &readme[..begin],
        &readme[end + end_marker.len()..]
    ))
}

/// What is wrong with the root README's course index, if anything.
pub fn index_problem(root: &Path, lessons: &[Lesson]) -> Option<String> {
    let Ok(readme) = std::fs::read_to_string(root.join("README.md")) else {
        return Some("README.md is missing: it holds the course index".into());
    };
    match replace_between(&readme, &index(lessons), "README.md", (INDEX_BEGIN, INDEX_END), "course index") {
        Ok(fresh) if fresh == readme => None,
        Ok(_) => Some(
            "README.md: the course index differs from the lessons' examples.txt; run `cargo xtask readme` (edit examples.txt, not the table)".into(),
        ),
        Err(e) => Some(e.to_string()),
    }
}

/// What is wrong with the lesson README's table, if anything.
pub fn problem(root: &Path, lesson: &Lesson) -> Option<String> {
    let path = format!("{}/README.md", lesson.package);
    let Ok(readme) = std::fs::read_to_string(root.join(&path)) else {
        return Some(format!(
            "{path} is missing: each lesson has a README with its examples table"
        ));
    };
    match with_table(&readme, &table(lesson), &path) {
        Ok(fresh) if fresh == readme => None,
        Ok(_) => Some(format!(
            "{path}: the examples table differs from {}/examples.txt; run `cargo xtask readme` (edit examples.txt, not the table)",
            lesson.package
        )),
        Err(e) => Some(e.to_string()),
    }
}

/// `cargo xtask readme`: writes every lesson README's table and the course index.
pub fn write_all(project: &Project) -> Result<Status, Error> {
    let root = project.root();
    let lessons = project.lessons()?;
    for lesson in lessons {
        let path = format!("{}/README.md", lesson.package);
        rewrite(root, &path, |readme| {
            with_table(readme, &table(lesson), &path)
        })?;
    }
    rewrite(root, "README.md", |readme| {
        replace_between(
            readme,
            &index(lessons),
            "README.md",
            (INDEX_BEGIN, INDEX_END),
            "course index",
        )
    })?;
    println!("readme: every generated table matches the lessons' examples.txt");
    Ok(Status::Passed)
}

/// Rewrites the file at `path` with `fresh`'s result, when that differs.
fn rewrite(
    root: &Path,
    path: &str,
    fresh: impl Fn(&str) -> Result<String, Error>,
) -> Result<(), Error> {
    let old =
        std::fs::read_to_string(root.join(path)).or_failed(|| format!("cannot read {path}"))?;
    let new = fresh(&old)?;
    if new != old {
        std::fs::write(root.join(path), new).or_failed(|| format!("cannot write {path}"))?;
        println!("readme: wrote {path}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson() -> Lesson {
        Lesson::parse(
            "lesson09",
            "title: t\nteaches: waiting\nrun | book L02 \"Run\" | it waits\n",
        )
        .unwrap()
    }

    #[test]
    fn the_table_lists_each_example_and_the_sources_it_cites() {
        let table = table(&lesson());
        assert!(table.starts_with(BEGIN));
        assert!(table.ends_with(END));
        assert!(table.contains("| [`run`](src/bin/run.rs) | book L02 \"Run\" | it waits |"));
        assert!(table.contains("- `book`: "), "{table}");
        assert!(!table.contains("- `cc`"), "{table}");
    }

    #[test]
    fn only_the_part_between_the_markers_is_replaced() {
        let readme = format!("# L\n\nbefore\n{BEGIN}\nold\n{END}\nafter\n");
        let fresh = with_table(&readme, &table(&lesson()), "r.md").unwrap();
        assert!(fresh.starts_with("# L\n\nbefore\n"));
        assert!(fresh.ends_with(&format!("{END}\nafter\n")));
        assert!(!fresh.contains("old"));
        assert!(matches!(with_table("# no markers\n", "t", "r.md"),
                Err(Error::Usage(message)) if message.contains("no generated examples table")));
        let twice = format!("{BEGIN}\n{END}\n{BEGIN}\n{END}\n");
        assert!(matches!(with_table(&twice, "t", "r.md"),
                Err(Error::Usage(message)) if message.contains("once each")));
    }

    #[test]
    fn the_index_names_every_example_of_every_lesson() {
        let index = index(&[lesson()]);
        assert!(
            index.contains("| [lesson09](lesson09/README.md) t | waiting | 1: `run` |"),
            "{index}"
        );
    }

    #[test]
    fn a_hand_edited_table_is_stale() {
        let dir = std::env::temp_dir().join(format!("xtask-readme-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("lesson09")).unwrap();
        let good = format!("# L\n{}\n", table(&lesson()));
        std::fs::write(dir.join("lesson09/README.md"), &good).unwrap();
        assert_eq!(problem(&dir, &lesson()), None);
        std::fs::write(
            dir.join("lesson09/README.md"),
            good.replace("it waits", "it sleeps"),
        )
        .unwrap();
        let stale = problem(&dir, &lesson());
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(stale.unwrap().contains("run `cargo xtask readme`"));
    }
}
