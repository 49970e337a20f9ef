//! The examples table of each lesson README, generated from the lesson's `examples.txt`
//! between two markers: `cargo xtask readme` writes it, `cargo xtask lint` fails when it is
//! stale (edited by hand, or `examples.txt` changed since).

use crate::verify::Status;
use crate::workspace;
use course::{Lesson, sources};
use std::path::Path;

pub const BEGIN: &str = "<!-- examples: generated from examples.txt by `cargo xtask readme`; edit that file, not this table -->";
pub const END: &str = "<!-- end of examples -->";

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
    out.push_str("\nSources:\n\n");
    for line in sources::legend(&origins) {
        let (name, what) = line.split_once(": ").unwrap_or((&line, ""));
        out.push_str(&format!("- `{name}`: {what}\n"));
    }
    out.push_str(END);
    out
}

/// The README with its table replaced by `table`; `Err` when the markers are missing or out
/// of order.
pub fn with_table(readme: &str, table: &str, path: &str) -> Result<String, String> {
    let (Some(begin), Some(end)) = (readme.find(BEGIN), readme.find(END)) else {
        return Err(format!(
            "{path} has no generated examples table: put the lines `{BEGIN}` and `{END}` where it goes, then run `cargo xtask readme`"
        ));
    };
    if end < begin || readme.matches(BEGIN).count() > 1 || readme.matches(END).count() > 1 {
        return Err(format!(
            "{path}: the examples table markers must appear once each, begin before end"
        ));
    }
    Ok(format!(
        "{}{table}{}",
        &readme[..begin],
        &readme[end + END.len()..]
    ))
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
        Err(e) => Some(e),
    }
}

/// `cargo xtask readme`: writes every lesson README's table.
pub fn write_all() -> Result<Status, String> {
    let root = workspace::root();
    for lesson in workspace::lessons(&root)? {
        let path = format!("{}/README.md", lesson.package);
        let readme = std::fs::read_to_string(root.join(&path))
            .map_err(|e| format!("cannot read {path}: {e}"))?;
        let fresh = with_table(&readme, &table(&lesson), &path)?;
        if fresh != readme {
            std::fs::write(root.join(&path), fresh)
                .map_err(|e| format!("cannot write {path}: {e}"))?;
            println!("readme: wrote the examples table of {path}");
        }
    }
    println!("readme: every lesson README's table matches its examples.txt");
    Ok(Status::Passed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson() -> Lesson {
        Lesson::parse("lesson09", "title: t\nrun | book L02 \"Run\" | it waits\n").unwrap()
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
        assert!(
            with_table("# no markers\n", "t", "r.md")
                .unwrap_err()
                .contains("no generated examples table")
        );
        let twice = format!("{BEGIN}\n{END}\n{BEGIN}\n{END}\n");
        assert!(
            with_table(&twice, "t", "r.md")
                .unwrap_err()
                .contains("once each")
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
