//! The book's pages, as markdown: each written from the project's own files, so the book
//! cannot drift from them. Sources are included from the real files (`{{#include}}`),
//! READMEs are copied at build time with their links turned into links between pages.

use booktools::markdown::Relink;
use course::Lesson;

/// Where a repository path is in the book, if it has a page there: the root README is the
/// introduction, a lesson README the lesson's chapter, an example's source its page, and
/// xtask's README and the checker's (the file languages) the page on verify.
pub fn page_of(repo_path: &str, lessons: &[Lesson]) -> Option<String> {
    match repo_path {
        "README.md" => return Some("introduction.md".into()),
        "xtask/README.md" => return Some("verify.md".into()),
        "crates/checker/README.md" => {
            return Some("verify.md#the-expected-file-language".into());
        }
        _ => {}
    }
    let (package, rest) = repo_path.split_once('/')?;
    let lesson = lessons.iter().find(|l| l.package == package)?;
    if rest == "README.md" {
        return Some(format!("{package}/index.md"));
    }
    // The programs the compiler refuses all live on one page, each under its own name.
    if rest == "refused" || rest == "refused/" {
        return Some("refused.md".into());
    }
    if let Some(file) = rest.strip_prefix("refused/") {
        let name = file.strip_suffix(".rs")?;
        return Some(format!("refused.md#{name}"));
    }
    let name = rest.strip_prefix("src/bin/")?.strip_suffix(".rs")?;
    lesson
        .example(name)
        .map(|example| format!("{package}/{}.md", example.name))
}

/// `path` (from the book's source root) as seen from a page in `page_dir`.
fn relative(path: &str, page_dir: &str) -> String {
    let from: Vec<&str> = page_dir.split('/').filter(|p| !p.is_empty()).collect();
    let to: Vec<&str> = path.split('/').collect();
    let common = from
        .iter()
        .zip(&to[..to.len() - 1])
        .take_while(|(a, b)| a == b)
        .count();
    format!(
        "{}{}",
        "../".repeat(from.len() - common),
        to[common..].join("/")
    )
}

/// `target`, written in a file of the repository directory `from_dir`, as a path from the
/// repository root (`..` and `.` resolved); `None` when it leaves the repository.
fn resolve(from_dir: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = from_dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The markdown of a file of the repository directory `from_dir`, for a page in the book
/// directory `page_dir`: each relative link to a file with a page becomes a link to that
/// page; a link to a file with none keeps its text only. Web links and links within the
/// page stay, and so does code. mdBook's own `{{#` commands are escaped, so that a README
/// that names one shows it rather than runs it.
pub fn rewrite_links(markdown: &str, from_dir: &str, page_dir: &str, lessons: &[Lesson]) -> String {
    let markdown = markdown.replace("{{#", "\\{{#");
    booktools::markdown::rewrite_links(&markdown, |target| {
        relink(target, from_dir, page_dir, lessons)
    })
}

fn relink(target: &str, from_dir: &str, page_dir: &str, lessons: &[Lesson]) -> Relink {
    let web = target.contains("://") || target.starts_with("mailto:");
    if web || target.starts_with('#') {
        return Relink::Keep;
    }
    let (path, fragment) = match target.split_once('#') {
        Some((path, fragment)) => (path, format!("#{fragment}")),
        None => (target, String::new()),
    };
    match resolve(from_dir, path).and_then(|p| page_of(&p, lessons)) {
        Some(page) => Relink::To(format!("{}{fragment}", relative(&page, page_dir))),
        None => Relink::TextOnly,
    }
}

/// The book's table of contents.
pub fn summary(lessons: &[Lesson]) -> String {
    let mut out = String::from("# Summary\n\n[Introduction](introduction.md)\n\n");
    for lesson in lessons {
        out.push_str(&format!(
            "- [{}: {}]({}/index.md)\n",
            lesson_number(&lesson.package),
            lesson.title,
            lesson.package
        ));
        for example in &lesson.examples {
            out.push_str(&format!(
                "  - [{}]({}/{}.md)\n",
                example.name, lesson.package, example.name
            ));
        }
    }
    out.push_str("- [Exercises](exercises.md)\n");
    out.push_str("- [What the compiler refuses](refused.md)\n");
    out.push_str("- [Build the pool yourself](pool_steps.md)\n");
    out.push_str("- [Python → Rust](python-to-rust.md)\n");
    out.push_str("- [Common pitfalls](pitfalls.md)\n");
    out.push_str("- [How verify works](verify.md)\n");
    out
}

/// `Lesson 04` for `lesson04`.
fn lesson_number(package: &str) -> String {
    format!("Lesson {}", package.trim_start_matches("lesson"))
}

/// What an example's page shows beside its source: everything the book build measured.
#[derive(Debug)]
pub struct ExamplePage<'a> {
    pub lesson: &'a Lesson,
    pub name: &'a str,
    /// The title from the source's `//! # ` line.
    pub title: String,
    /// stdout, then stderr, as a real run printed them when the book was built.
    pub stdout: Vec<String>,
    pub stderr: Vec<String>,
    /// How that run was judged: `passed in 2.9 s`, or the failures.
    pub verdict: String,
    /// That run's timeline, drawn as inline SVG (`timeline::svg`: a `<figure>` holding no
    /// blank line, so Markdown passes it as one HTML block).
    pub timeline: String,
    /// Whether the timeline draws lanes (else it is the figure saying there is nothing to
    /// draw, and the page does not explain how to read one).
    pub drawn: bool,
    /// CPython's shape for the same claim, drawn the same way from the course's figures,
    /// where the course has them.
    pub cpython: Option<String>,
    /// `verify --explain`'s text.
    pub explain: String,
    pub breaks: Vec<BreakView>,
    /// The repository root as seen from the page's directory (`../../../../`, or an absolute
    /// path when the book is built outside the repository), for `{{#include}}`.
    pub root_from_page: String,
}

/// One break as its page shows it.
#[derive(Debug)]
pub struct BreakView {
    pub name: String,
    pub why: String,
    pub file: String,
    /// Each changed line and what it becomes.
    pub edits: Vec<(String, Vec<String>)>,
    pub caught_by: Vec<String>,
    /// The verdict verify printed when the book was built, and what it reported.
    pub verdict: String,
    pub reported: Vec<String>,
}

/// How many output lines a page shows; a longer run shows its start and says how many more.
const OUTPUT_LINES_SHOWN: usize = 120;

impl ExamplePage<'_> {
    pub fn markdown(&self) -> String {
        let package = &self.lesson.package;
        let example = self
            .lesson
            .example(self.name)
            .expect("the page of a listed example");
        let mut out = format!("# {}\n\n", self.title);
        out.push_str(&format!(
            "`{}` · {} · `cargo run -p {package} --bin {}`\n\n",
            self.name, example.origin, self.name
        ));
        out.push_str(&course::sources::legend_markdown(&[example
            .origin
            .as_str()]));
        out.push('\n');
        out.push_str(&format!("**Watch for:** {}\n\n", example.watch));
        out.push_str(&format!(
            "## The source\n\n`{package}/src/bin/{}.rs`, included from the file itself:\n\n```rust,noplayground\n{{{{#include {}{package}/src/bin/{}.rs}}}}\n```\n\n",
            self.name, self.root_from_page, self.name
        ));
        out.push_str("## Its output\n\nA real run, made when this book was built.");
        if self.drawn {
            out.push_str(
                " Each thread and process it started is a row, running (tall, dark) or waiting (thin, light) as `/proc` showed it every few milliseconds. Each orange tick is an output line, on the process's row: a pipe does not say which thread wrote it. Hover over a tick for its text; every line is listed below.",
            );
        }
        out.push_str("\n\n");
        out.push_str(&self.timeline);
        out.push('\n');
        if let Some(cpython) = &self.cpython {
            out.push_str(
                "Below it, the same claim in CPython 3.11: not a recording, but a drawing made from the figures in the lesson's README, on a time axis of its own.\n\n",
            );
            out.push_str(cpython);
            out.push('\n');
        }
        out.push_str("What the run printed:\n\n");
        out.push_str(&fenced("text", &self.stdout));
        if !self.stderr.is_empty() {
            out.push_str("\nOn stderr:\n\n");
            out.push_str(&fenced("text", &self.stderr));
        }
        out.push_str(&format!("\nverify judged this run: {}\n\n", self.verdict));
        out.push_str("## What verify checks\n\n");
        out.push_str(&fenced("text", &lines(&self.explain)));
        out.push_str("\n## The mistakes verify catches\n\n");
        out.push_str(
            "Each break is a careless-port mistake, made in a scratch copy of the workspace; verify must turn red for every reason it names.\n\n",
        );
        for brk in &self.breaks {
            out.push_str(&brk.markdown());
        }
        out
    }
}

impl BreakView {
    fn markdown(&self) -> String {
        let mut out = format!(
            "### `{}`\n\n{}\n\nIn `{}`:\n\n",
            self.name, self.why, self.file
        );
        let mut diff = Vec::new();
        for (line, becomes) in &self.edits {
            diff.push(format!("- {line}"));
            diff.extend(becomes.iter().map(|b| format!("+ {b}")));
        }
        out.push_str(&fenced("diff", &diff));
        let named: Vec<String> = self.caught_by.iter().map(|r| format!("`{r}`")).collect();
        out.push_str(&format!("\nMust be caught by: {}.\n\n", named.join(", ")));
        out.push_str(&format!(
            "When this book was built, verify said: **{}**\n\n",
            self.verdict
        ));
        if !self.reported.is_empty() {
            out.push_str(&fenced("text", &self.reported));
            out.push('\n');
        }
        out
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(String::from).collect()
}

/// A fenced code block of `lines`, at most [`OUTPUT_LINES_SHOWN`] of them, that no line of
/// the text can close early.
fn fenced(language: &str, lines: &[String]) -> String {
    let ticks = "`".repeat(backtick_run(lines).max(2) + 1);
    let mut out = format!("{ticks}{language}\n");
    for line in lines.iter().take(OUTPUT_LINES_SHOWN) {
        out.push_str(line);
        out.push('\n');
    }
    if lines.len() > OUTPUT_LINES_SHOWN {
        out.push_str(&format!(
            "... and {} more lines\n",
            lines.len() - OUTPUT_LINES_SHOWN
        ));
    }
    if lines.is_empty() {
        out.push_str("(nothing)\n");
    }
    out.push_str(&ticks);
    out.push('\n');
    out
}

/// The longest run of backticks in any of the lines.
fn backtick_run(lines: &[String]) -> usize {
    lines
        .iter()
        .flat_map(|l| l.split(|c| c != '`').map(str::len))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lessons() -> Vec<Lesson> {
        vec![
            Lesson::parse(
                "lesson04",
                "title: Sync\nteaches: locks\nsemaphore | book L04 | two at once\n",
            )
            .unwrap(),
        ]
    }

    #[test]
    fn repository_files_map_to_their_pages() {
        let lessons = lessons();
        assert_eq!(page_of("README.md", &lessons).unwrap(), "introduction.md");
        assert_eq!(
            page_of("crates/checker/README.md", &lessons).unwrap(),
            "verify.md#the-expected-file-language"
        );
        assert_eq!(
            page_of("lesson04/README.md", &lessons).unwrap(),
            "lesson04/index.md"
        );
        assert_eq!(
            page_of("lesson04/src/bin/semaphore.rs", &lessons).unwrap(),
            "lesson04/semaphore.md"
        );
        assert_eq!(page_of("lesson04/src/semaphore.rs", &lessons), None);
        assert_eq!(page_of("lesson04/src/bin/nosuch.rs", &lessons), None);
        assert_eq!(page_of("xtask/README.md", &lessons).unwrap(), "verify.md");
        assert_eq!(
            page_of("lesson04/refused/rc_not_send.rs", &lessons).unwrap(),
            "refused.md#rc_not_send"
        );
        assert_eq!(page_of("lesson04/refused", &lessons).unwrap(), "refused.md");
    }

    #[test]
    fn links_between_files_become_links_between_pages() {
        let lessons = lessons();
        let readme = "See [`semaphore`](src/bin/semaphore.rs), [the course](../README.md#exercises), [its library](src/semaphore.rs), [docs](https://docs.rs/nix) and [below](#run-it).\n```sh\n[not](a/link.md)\n```\nCode `[x](y)` stays.\n";
        let page = rewrite_links(readme, "lesson04", "lesson04", &lessons);
        assert!(page.contains("[`semaphore`](semaphore.md)"), "{page}");
        assert!(
            page.contains("[the course](../introduction.md#exercises)"),
            "{page}"
        );
        assert!(page.contains(", its library, "), "{page}");
        assert!(page.contains("[docs](https://docs.rs/nix)"), "{page}");
        assert!(page.contains("[below](#run-it)"), "{page}");
        assert!(page.contains("[not](a/link.md)"), "{page}");
        assert!(page.contains("Code `[x](y)` stays."), "{page}");
        let named = rewrite_links("an include: `{{#include x.rs}}`", "", "", &lessons);
        assert_eq!(named, "an include: `\\{{#include x.rs}}`");
        let spanning = rewrite_links(
            "`a\nb` [root](../README.md)",
            "lesson04",
            "lesson04",
            &lessons,
        );
        assert_eq!(spanning, "`a\nb` [root](../introduction.md)");
        let root = rewrite_links("[lesson04](lesson04/README.md)", "", "", &lessons);
        assert_eq!(root, "[lesson04](lesson04/index.md)");
    }

    #[test]
    fn only_links_outside_code_change_and_every_other_byte_stays() {
        let lessons = lessons();
        let readme = concat!(
            "~~~text\n[not](../README.md)\n~~~\n\n",
            "A ``double `backtick` [span](../README.md)`` stays.\n\n",
            "See [x][r], <https://docs.rs/nix> and ![a diagram](diagram.png).\n\n",
            "[r]: ../lesson04/README.md#run-it\n",
        );
        let page = rewrite_links(readme, "lesson04", "lesson04", &lessons);
        assert_eq!(
            page,
            concat!(
                "~~~text\n[not](../README.md)\n~~~\n\n",
                "A ``double `backtick` [span](../README.md)`` stays.\n\n",
                "See [x][r], <https://docs.rs/nix> and a diagram.\n\n",
                "[r]: index.md#run-it\n",
            )
        );
    }

    #[test]
    fn the_summary_lists_every_lesson_and_example() {
        let summary = summary(&lessons());
        assert!(summary.contains("- [Lesson 04: Sync](lesson04/index.md)\n"));
        assert!(summary.contains("  - [semaphore](lesson04/semaphore.md)\n"));
        assert!(summary.contains("[Build the pool yourself](pool_steps.md)"));
        assert!(summary.contains("[How verify works](verify.md)"));
    }

    #[test]
    fn an_example_page_includes_its_source_and_shows_its_run_and_breaks() {
        let lessons = lessons();
        let page = ExamplePage {
            lesson: &lessons[0],
            name: "semaphore",
            title: "Semaphore: two at once".into(),
            stdout: vec!["Thread 0 got 0.5".into()],
            stderr: vec![],
            verdict: "passed in 2.9 s".into(),
            timeline: "<figure class=\"timeline-figure\">\n<svg class=\"timeline\" data-lanes=\"3\"></svg>\n</figure>\n".into(),
            drawn: true,
            cpython: None,
            explain: "Always checked:\n  - exit 0".into(),
            breaks: vec![BreakView {
                name: "no_permit".into(),
                why: "No permit, no limit.".into(),
                file: "lesson04/src/bin/semaphore.rs".into(),
                edits: vec![("let _permit = s.acquire();".into(), vec![])],
                caught_by: vec!["check elapsed_at_least_sum sleep 2".into()],
                verdict: "caught".into(),
                reported: vec!["check `elapsed_at_least_sum sleep 2`: the run took 1 s".into()],
            }],
            root_from_page: "../../../../".into(),
        }
        .markdown();
        assert!(page.starts_with("# Semaphore: two at once\n"));
        assert!(
            page.contains("Sources:\n\n- `book`: \"Python Threading Jump-Start\""),
            "{page}"
        );
        assert!(page.contains("{{#include ../../../../lesson04/src/bin/semaphore.rs}}"));
        assert!(page.contains("```text\nThread 0 got 0.5\n```"));
        // The figure is a block of its own, before the output it draws.
        let figure = page
            .find("\n\n<figure class=\"timeline-figure\">\n<svg class=\"timeline\" data-lanes=\"3\"></svg>\n</figure>\n\n")
            .expect("the timeline, with a blank line on each side");
        assert!(figure > page.find("## Its output").unwrap());
        assert!(figure < page.find("Thread 0 got 0.5").unwrap());
        assert!(!page.contains("CPython"), "{page}");
        assert!(page.contains("Each thread and process it started is a row"));

        assert!(page.contains("- let _permit = s.acquire();"));
        assert!(page.contains("verify said: **caught**"));

        // CPython's drawing comes right under the run's; a run with nothing to draw is not
        // explained as if it had lanes.
        let other = ExamplePage {
            lesson: &lessons[0],
            name: "semaphore",
            title: "Semaphore".into(),
            stdout: vec!["Thread 0 got 0.5".into()],
            stderr: vec![],
            verdict: "passed in 0.0 s".into(),
            timeline: "<figure class=\"timeline-figure\">run</figure>\n".into(),
            drawn: false,
            cpython: Some("<figure class=\"timeline-figure\">cpython</figure>\n".into()),
            explain: String::new(),
            breaks: vec![],
            root_from_page: "../../../../".into(),
        }
        .markdown();
        let run = other.find(">run</figure>\n\n").unwrap();
        let cpython = other.find("\n\n<figure class=\"timeline-figure\">cpython</figure>\n\n");
        assert!(cpython.is_some_and(|at| at > run), "{other}");
        assert!(cpython.unwrap() < other.find("Thread 0 got 0.5").unwrap());
        assert!(!other.contains("Each thread and process it started is a row"));
    }

    #[test]
    fn a_fence_is_longer_than_any_run_of_backticks_inside() {
        let block = fenced("text", &["a ``` b".to_string()]);
        assert!(block.starts_with("````text\n"), "{block}");
        assert!(block.ends_with("````\n"), "{block}");
    }
}
