//! `cargo xtask verify --explain EXAMPLE`: what verify proves about one example, in words:
//! what it always checks, what each line of `[checks]` proves (with the expected file's own
//! comment on why), and each break with the checks that catch it.

use crate::error::Error;
use crate::project::{self, Project};
use crate::session;
use checker::breaks::{self, Break};
use checker::judge::Reason;
use checker::spec::{Item, Spec};

/// Prints the explanation of `example`; `Err` for an unknown example or a malformed file.
pub fn explain(project: &Project, example: &str) -> Result<(), Error> {
    let lessons = project.lessons()?;
    let Some((lesson, entry)) = lessons
        .iter()
        .find_map(|l| l.example(example).map(|e| (l, e)))
    else {
        return Err(Error::usage(format!(
            "no example named `{example}`; `cargo xtask verify --list` lists them"
        )));
    };
    let jobs = session::select(project, &[example.to_string()])?;
    // select has made sure the example has one, or said why not.
    let job = jobs
        .first()
        .ok_or_else(|| Error::failed("the example has no expected file"))?;
    let break_file = breaks::file_of(&job.package, &job.name);
    let found = match std::fs::read_to_string(project.root().join(&break_file)) {
        Ok(text) => breaks::parse(
            &break_file,
            &text,
            &project::source_file(&job.package, &job.name),
        )?,
        Err(_) => Vec::new(),
    };
    print!(
        "{}",
        text(
            &lesson.package,
            example,
            &entry.watch,
            &job.file,
            &job.spec,
            &break_file,
            &found
        )
    );
    Ok(())
}

/// The explanation as text.
pub fn text(
    package: &str,
    example: &str,
    watch: &str,
    expected: &str,
    spec: &Spec,
    break_file: &str,
    found: &[Break],
) -> String {
    let mut out = format!(
        "{package} {example}: {watch}\n  source:   {}\n  expected: {expected}\n  breaks:   {break_file}\n\n",
        project::source_file(package, example)
    );
    out.push_str("Always checked:\n");
    out.push_str(&format!(
        "  - it ends with exit status {} within {:.0} s (else its processes are killed), and leaves no process running\n",
        spec.run.exit,
        spec.run.deadline.as_secs_f64()
    ));
    if let Some(signal) = &spec.run.signal {
        out.push_str(&format!(
            "  - verify sends it {} as the expected file's [run] says\n",
            signal.signal
        ));
    }
    for (name, items) in [("stdout", &spec.stdout), ("stderr", &spec.stderr)] {
        out.push_str(&format!("  - {name}: {}\n", stream_words(items)));
    }
    if !spec.never.is_empty() {
        let lines: Vec<String> = spec.never.iter().map(|n| format!("`{}`", n.item)).collect();
        out.push_str(&format!("  - no line reads {}\n", lines.join(" or ")));
    }
    let caught_by = |reason: &Reason| -> Vec<&str> {
        found
            .iter()
            .filter(|b| b.caught_by.contains(reason))
            .map(|b| b.name.as_str())
            .collect()
    };
    out.push_str("\nChecks:\n");
    if spec.checks.is_empty() {
        out.push_str("  (none: the lines themselves are the proof)\n");
    }
    for check in &spec.checks {
        out.push_str(&format!("  {} ({expected}:{})\n", check.item, check.line));
        out.push_str(&format!("    proves: {}\n", check.item.sentence()));
        if !check.comment.is_empty() {
            out.push_str(&format!("    why:    {}\n", check.comment));
        }
        let catches = caught_by(&Reason::Check(check.item.id().clone()));
        if catches.is_empty() {
            out.push_str("    catches: no break names it\n");
        } else {
            out.push_str(&format!("    catches: {}\n", catches.join(", ")));
        }
    }
    out.push_str("\nBreaks (each must turn verify red: `cargo xtask verify --breaks");
    out.push_str(&format!(" {example}`):\n"));
    if found.is_empty() {
        out.push_str("  (none yet)\n");
    }
    for b in found {
        out.push_str(&format!("  {}: {}\n", b.name, b.why));
        for edit in &b.edits {
            let becomes = if edit.becomes.is_empty() {
                "(deleted)".to_string()
            } else {
                edit.becomes
                    .iter()
                    .map(|l| format!("`{}`", l.trim()))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            out.push_str(&format!(
                "    in {}: `{}` -> {becomes}\n",
                b.file, edit.line
            ));
        }
        let reasons: Vec<String> = b.caught_by.iter().map(|r| format!("`{r}`")).collect();
        out.push_str(&format!("    caught by: {}\n", reasons.join(", ")));
    }
    out
}

fn stream_words(items: &[Item]) -> String {
    if items.is_empty() {
        return "empty".into();
    }
    let blocks = items
        .iter()
        .filter(|i| matches!(i, Item::AnyOrder { .. }))
        .count();
    let patterns: usize = items
        .iter()
        .map(|i| match i {
            Item::Line(_) => 1,
            Item::AnyOrder { entries, .. } => entries.len(),
        })
        .sum();
    let order = if blocks == 0 {
        "in order".to_string()
    } else {
        format!("in order, except {blocks} block(s) whose lines may come in any order")
    };
    format!("{patterns} expected line pattern(s), {order}, and nothing else")
}

#[cfg(test)]
mod tests {
    use super::*;
    use checker::spec;

    #[test]
    fn explains_each_check_with_its_comment_and_the_breaks_it_catches() {
        let spec = spec::parse(
            "lesson04/expected/mutex_lock.txt",
            "[stdout]\n@any-order\n@x3 >{int:id} got lock, sleeping {float:sleep}\n@end\n[checks]\n# one at a time\nelapsed_at_least_sum sleep\ncount id 3\n",
        )
        .unwrap();
        let found = breaks::parse(
            "b.txt",
            "[break guard_dropped]\nwhy: It guards nothing.\nline: let g = m.lock();\nbecomes: drop(m.lock());\ncaught by: check elapsed_at_least_sum sleep\n",
            "lesson04/src/bin/mutex_lock.rs",
        )
        .unwrap();
        let text = text(
            "lesson04",
            "mutex_lock",
            "one thread at a time",
            "lesson04/expected/mutex_lock.txt",
            &spec,
            "lesson04/breaks/mutex_lock.txt",
            &found,
        );
        assert!(
            text.contains("elapsed_at_least_sum sleep (lesson04/expected/mutex_lock.txt:7)"),
            "{text}"
        );
        assert!(text.contains("did not overlap"), "{text}");
        assert!(text.contains("why:    one at a time"), "{text}");
        assert!(text.contains("catches: guard_dropped"), "{text}");
        assert!(text.contains("count id 3"), "{text}");
        assert!(text.contains("catches: no break names it"), "{text}");
        assert!(
            text.contains("`let g = m.lock();` -> `drop(m.lock());`"),
            "{text}"
        );
        assert!(
            text.contains("1 expected line pattern(s), in order, except 1 block(s)"),
            "{text}"
        );
    }
}
