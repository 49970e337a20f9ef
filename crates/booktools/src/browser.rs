//! Every page of the built book opened in headless Chromium, and read as the browser built
//! it. A page fails when an include was left unresolved, a link leads nowhere (a missing
//! page, or an anchor the page lacks), an example's page lacks its source, its output or the
//! timeline of its run (and, where asked, CPython's beside it), it has no search bar, or the
//! search index does not hold it under its title.

use crate::html::Page;
use crate::search::Index;
use course::Lesson;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// How long one page may take to load before the check gives up on it.
const PAGE_DEADLINE: Duration = Duration::from_secs(60);

/// How a timeline drawn from CPython's figures, not recorded, is titled: its title starts so,
/// and the run's own does not.
pub const CPYTHON_TITLE_START: &str = "CPython ";

/// How the timeline of a run too short to draw (a few milliseconds, less than two looks of
/// the sampler) ends its title: the one timeline of a run allowed to draw no lane.
pub const TOO_SHORT_TITLE_END: &str = ", too short to draw";

/// Pages opened at once.
const BROWSERS: usize = 2;

/// What the check found.
#[derive(Debug)]
pub struct Checked {
    /// The browser that opened the pages.
    pub browser: &'static str,
    /// Each problem, as one line naming its page; sorted.
    pub problems: Vec<String>,
}

/// Why the pages could not be checked at all.
#[derive(Debug)]
pub enum CheckError {
    /// No Chromium on the `PATH`.
    NoBrowser,
    /// The directory for the browsers' profiles could not be made.
    Profiles(std::io::Error),
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckError::NoBrowser => f.write_str(
                "Chromium is not installed; install it with `apt-get update && apt-get install -y chromium`",
            ),
            CheckError::Profiles(e) => {
                write!(f, "cannot create a directory for Chromium's profiles: {e}")
            }
        }
    }
}

impl std::error::Error for CheckError {}

/// Why one page could not be read from the browser: a problem of that page.
#[derive(Debug)]
enum PageError {
    /// The browser could not be started.
    Start(&'static str, std::io::Error),
    /// The browser could not be waited for.
    Wait(&'static str, std::io::Error),
    /// The page did not load within [`PAGE_DEADLINE`].
    Deadline,
    /// The thread reading the browser's output panicked.
    Reader,
    /// The browser printed no DOM.
    Empty,
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageError::Start(browser, e) => write!(f, "cannot start {browser}: {e}"),
            PageError::Wait(browser, e) => write!(f, "cannot wait for {browser}: {e}"),
            PageError::Deadline => write!(
                f,
                "the page did not load within {} s",
                PAGE_DEADLINE.as_secs()
            ),
            PageError::Reader => f.write_str("the DOM reader panicked"),
            PageError::Empty => f.write_str("the browser returned an empty page"),
        }
    }
}

/// Opens each of `pages` (markdown paths, `lesson04/semaphore.md`) of the book built in
/// `html`, and checks it; the pages of `lessons`' examples must show their source, output and
/// run's timeline, and those of `cpython` CPython's timeline too.
pub fn check(
    html: &Path,
    pages: &[String],
    lessons: &[Lesson],
    cpython: &[String],
) -> Result<Checked, CheckError> {
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .ok_or(CheckError::NoBrowser)?;
    // Each browser's profile, in a directory removed when this returns, or unwinds.
    let profiles = tempfile::Builder::new()
        .prefix("xtask-chromium-")
        .tempdir()
        .map_err(CheckError::Profiles)?;
    let queue = Mutex::new(pages.iter());
    let found = Mutex::new(Vec::new());
    thread::scope(|s| {
        for worker in 0..BROWSERS {
            let (queue, found) = (&queue, &found);
            let profile = profiles.path().join(format!("profile-{worker}"));
            s.spawn(move || {
                loop {
                    let Some(page) = queue.lock().expect("never poisoned").next() else {
                        break;
                    };
                    let wanted = Wanted { lessons, cpython };
                    let seen = check_page(browser, &profile, html, page, &wanted);
                    found.lock().expect("never poisoned").push((page, seen));
                }
            });
        }
    });
    let mut problems = Vec::new();
    let mut loaded = Vec::new();
    for (page, seen) in found.into_inner().expect("never poisoned") {
        problems.extend(seen.problems);
        if let Some(title) = seen.title {
            loaded.push((page.as_str(), title));
        }
    }
    match Index::read(html) {
        Ok(index) => problems.extend(unindexed(&index, &loaded)),
        Err(why) => problems.push(why.to_string()),
    }
    problems.sort();
    Ok(Checked { browser, problems })
}

/// The HTML file of a markdown page, from the book's root.
fn html_of(page: &str) -> String {
    match page.strip_suffix(".md") {
        Some(stem) => format!("{stem}.html"),
        None => page.to_string(),
    }
}

/// What the pages must show: the examples of `lessons` their run, and the pages in
/// `cpython` CPython's shape too.
#[derive(Debug, Clone, Copy)]
struct Wanted<'a> {
    lessons: &'a [Lesson],
    cpython: &'a [String],
}

/// What the browser showed of one page.
#[derive(Debug, Default)]
struct Seen {
    problems: Vec<String>,
    /// When the page loaded, its title (the first `<h1>` of its content), if it has one.
    title: Option<Option<String>>,
}

fn check_page(
    browser: &'static str,
    profile: &Path,
    html: &Path,
    page: &str,
    wanted: &Wanted,
) -> Seen {
    let file = html.join(html_of(page));
    if !file.is_file() {
        return Seen {
            problems: vec![format!("{page}: no page was built ({})", file.display())],
            title: None,
        };
    }
    match dump_dom(browser, profile, &file) {
        Ok(dom) => {
            let dom = Page::parse(&dom);
            Seen {
                problems: problems_in(html, page, &dom, wanted),
                title: Some(dom.title),
            }
        }
        Err(why) => Seen {
            problems: vec![format!("{page}: {why}")],
            title: None,
        },
    }
}

/// What is wrong with the page `page`, whose DOM the browser built as `dom`.
fn problems_in(html: &Path, page: &str, dom: &Page, wanted: &Wanted) -> Vec<String> {
    let file = html.join(html_of(page));
    let mut found = Vec::new();
    // An include mdBook could not resolve stays as written, with its path (a page that only
    // names the command, `{{#include}}`, has none).
    if dom.text.contains("{{#include ") {
        found.push(format!("{page}: an include was not resolved"));
    }
    // mdBook 0.5 names it `mdbook-searchbar`, 0.4 `searchbar`.
    if !dom.has_id("mdbook-searchbar") && !dom.has_id("searchbar") {
        found.push(format!("{page}: the page has no search bar"));
    }
    if let Some((package, name)) = example_of(page, wanted.lessons) {
        let run_it = format!("cargo run -p {package} --bin {name}");
        if !dom
            .codes_with_class("language-rust")
            .any(|code| code.text.contains(&run_it))
        {
            found.push(format!("{page}: the example's source is not on the page"));
        }
        let printed = dom
            .code_after("its-output", "language-text")
            .is_some_and(|code| !code.text.contains("(nothing)"));
        if !printed {
            found.push(format!("{page}: the example's output is not on the page"));
        }
        found.extend(timeline_problem(page, dom, "the run's", false));
    }
    if wanted.cpython.iter().any(|p| p == page) {
        found.extend(timeline_problem(page, dom, "CPython's", true));
    }
    let mut targets = HashMap::new();
    for target in &dom.links {
        if let Some(why) = broken_link(html, &file, dom, target, &mut targets) {
            found.push(format!("{page}: link `{target}`: {why}"));
        }
    }
    found
}

/// What is wrong with the page's timeline of one kind (CPython's, or the run's own), if
/// anything: none drawn, or none that draws a lane (`data-lanes="0"`: nothing to draw) and
/// says the run was too short to draw.
fn timeline_problem(page: &str, dom: &Page, whose: &str, cpython: bool) -> Option<String> {
    let mut drawn = dom
        .timelines
        .iter()
        .filter(|t| t.title.starts_with(CPYTHON_TITLE_START) == cpython)
        .peekable();
    if drawn.peek().is_none() {
        return Some(format!("{page}: {whose} timeline is not on the page"));
    }
    let shown = |t: &crate::html::Drawn| {
        t.lanes.is_some_and(|n| n > 0) || (!cpython && t.title.ends_with(TOO_SHORT_TITLE_END))
    };
    if !drawn.any(shown) {
        return Some(format!("{page}: {whose} timeline draws no lane"));
    }
    None
}

/// The lesson and example a page is for, if it is an example's page.
fn example_of<'a>(page: &'a str, lessons: &[Lesson]) -> Option<(&'a str, &'a str)> {
    let (package, file) = page.split_once('/')?;
    let name = file.strip_suffix(".md")?;
    lessons
        .iter()
        .any(|l| l.package == package && l.example(name).is_some())
        .then_some((package, name))
}

/// The pages the search index does not hold, of those that loaded: each must be the address
/// of an indexed section, and when it has a title, of one whose heading is that title
/// (compared without white space, which mdBook's index adds around inline elements such as
/// `<code>`).
fn unindexed(index: &Index, loaded: &[(&str, Option<String>)]) -> Vec<String> {
    if index.docs.is_empty() {
        return vec![format!(
            "the search index {} does not index the pages",
            index.file.display()
        )];
    }
    let bare = |text: &str| -> String { text.split_whitespace().collect() };
    let mut found = Vec::new();
    for (page, title) in loaded {
        let address = html_of(page);
        let mut docs = index.docs_of_page(&address).peekable();
        match title {
            _ if docs.peek().is_none() => {
                found.push(format!("{page}: the search index does not hold the page"));
            }
            Some(title) if !docs.any(|doc| bare(&doc.title) == bare(title)) => {
                found.push(format!(
                    "{page}: the search index does not hold the page under its title `{title}`"
                ));
            }
            _ => {}
        }
    }
    found
}

/// Loads the page in headless Chromium and returns the DOM it built, serialized.
fn dump_dom(browser: &'static str, profile: &Path, file: &Path) -> Result<String, PageError> {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| PageError::Start(browser, e))?;
    let mut stdout = child.stdout.take().expect("piped");
    let reader = thread::spawn(move || {
        let mut dom = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut dom);
        dom
    });
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > PAGE_DEADLINE => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PageError::Deadline);
            }
            Ok(None) => thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(PageError::Wait(browser, e)),
        }
    }
    let dom = reader.join().map_err(|_| PageError::Reader)?;
    if dom.trim().is_empty() {
        return Err(PageError::Empty);
    }
    Ok(dom)
}

/// Why the link `target` on the page in `page_file` leads nowhere, if it does: a local file
/// that is not there, or an anchor its page lacks. Paths and fragments are percent-decoded,
/// as the browser does. Web links are not followed (the machine may be offline). `targets`
/// keeps the pages already read.
fn broken_link(
    html: &Path,
    page_file: &Path,
    page: &Page,
    target: &str,
    targets: &mut HashMap<PathBuf, Option<Page>>,
) -> Option<String> {
    let web = target.contains("://") || target.starts_with("mailto:");
    if web || target.starts_with("javascript:") {
        return None;
    }
    let (path, fragment) = match target.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (target, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let fragment = fragment.filter(|f| !f.is_empty());
    if path.is_empty() {
        let fragment = fragment?;
        return (!page.has_fragment(fragment)).then(|| format!("this page has no `#{fragment}`"));
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let file = page_file.parent().unwrap_or(html).join(&*decoded);
    if !file.exists() {
        return Some("no such file in the book".into());
    }
    let fragment = fragment?;
    let there = targets.entry(file).or_insert_with_key(|file| {
        std::fs::read_to_string(file)
            .ok()
            .map(|text| Page::parse(&text))
    });
    (!there.as_ref().is_some_and(|p| p.has_fragment(fragment)))
        .then(|| format!("{path} has no `#{fragment}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lessons() -> Vec<Lesson> {
        vec![
            Lesson::parse(
                "lesson04",
                "title: t\nteaches: t\nsemaphore | book L04 | w\n",
            )
            .unwrap(),
        ]
    }

    #[test]
    fn links_to_missing_pages_and_anchors_are_broken() {
        let html = tempfile::tempdir().unwrap();
        let html = html.path();
        std::fs::create_dir_all(html.join("lesson04")).unwrap();
        std::fs::write(
            html.join("lesson04/semaphore.html"),
            "<h2 id=\"its-output\"></h2><h2 id=\"python-→-rust\"></h2>",
        )
        .unwrap();
        std::fs::write(html.join("lesson04/a b.html"), "").unwrap();
        let page = html.join("lesson04/index.html");
        let dom =
            Page::parse("<a href=\"#run-it\"></a><h2 id=\"run-it\"></h2><h2 id=\"über\"></h2>");
        let mut targets = HashMap::new();
        let mut broken = |target: &str| broken_link(html, &page, &dom, target, &mut targets);
        assert_eq!(broken("semaphore.html"), None);
        assert_eq!(broken("semaphore.html#its-output"), None);
        assert_eq!(broken("semaphore.html#python-%E2%86%92-rust"), None);
        assert_eq!(broken("a%20b.html"), None);
        assert_eq!(
            broken("semaphore.html#nowhere").unwrap(),
            "semaphore.html has no `#nowhere`"
        );
        assert_eq!(broken("barrier.html").unwrap(), "no such file in the book");
        assert_eq!(broken("#run-it"), None);
        assert_eq!(broken("#%C3%BCber"), None);
        assert_eq!(
            broken("#elsewhere").unwrap(),
            "this page has no `#elsewhere`"
        );
        assert_eq!(broken("https://docs.rs/nix"), None);
        assert_eq!(broken("semaphore.html?q=1#its-output"), None);
    }

    #[test]
    fn an_example_page_needs_its_source_its_output_and_resolved_includes() {
        let lessons = lessons();
        let html = Path::new("/nonexistent");
        let good = format!(
            "<div id=\"mdbook-searchbar\"></div><pre><code class=\"language-rust hljs\"><span>//! Run it: `cargo run -p lesson04 --bin semaphore`</span></code></pre><h2 id=\"its-output\"></h2>{RUN}<pre><code class=\"language-text\">Thread 0</code></pre>"
        );
        let good = good.as_str();
        let wanted = Wanted {
            lessons: &lessons,
            cpython: &[],
        };
        let problems =
            |dom: &str| problems_in(html, "lesson04/semaphore.md", &Page::parse(dom), &wanted);
        assert_eq!(problems(good), Vec::<String>::new());
        let no_output = good.replace("Thread 0", "(nothing)");
        assert_eq!(
            problems(&no_output),
            ["lesson04/semaphore.md: the example's output is not on the page"]
        );
        let output_before = good.replace("its-output", "elsewhere");
        assert!(problems(&output_before)[0].contains("output is not on the page"));
        let no_source = good.replace("--bin semaphore", "--bin other");
        assert_eq!(
            problems(&no_source),
            ["lesson04/semaphore.md: the example's source is not on the page"]
        );
        let source_as_text = good.replace("language-rust", "language-text");
        assert!(problems(&source_as_text)[0].contains("source is not on the page"));
        let unresolved = good.replace("//! Run it", "{{#include ../x.rs}} //! Run it");
        assert_eq!(
            problems(&unresolved),
            ["lesson04/semaphore.md: an include was not resolved"]
        );
        let no_search = good.replace("mdbook-searchbar", "mdbook-searchbar-outer");
        assert_eq!(
            problems(&no_search),
            ["lesson04/semaphore.md: the page has no search bar"]
        );
        let named_only = format!("{good}<code>{{{{#include}}}}</code>");
        assert_eq!(problems(&named_only), Vec::<String>::new());
        let broken = format!("{good}<a href=\"#nowhere\">x</a>");
        assert_eq!(
            problems(&broken),
            ["lesson04/semaphore.md: link `#nowhere`: this page has no `#nowhere`"]
        );
        let other_page = problems_in(
            html,
            "pitfalls.md",
            &Page::parse("<p id=\"searchbar\"></p>"),
            &wanted,
        );
        assert_eq!(other_page, Vec::<String>::new());
    }

    /// A run's timeline as `timeline::svg` draws it, cut to what the check reads.
    const RUN: &str = "<figure class=\"timeline-figure\"><svg class=\"timeline\" data-lanes=\"11\"><title>lesson04 semaphore: the run this book was built from</title><rect><title>0.04 s: Thread 0</title></rect></svg><figcaption>Look for: two at once</figcaption></figure>";

    #[test]
    fn an_example_page_needs_a_timeline_of_its_run_that_draws_a_lane() {
        let lessons = lessons();
        let html = Path::new("/nonexistent");
        let page = "lesson04/semaphore.md";
        let rest = "<div id=\"mdbook-searchbar\"></div><pre><code class=\"language-rust\">`cargo run -p lesson04 --bin semaphore`</code></pre><h2 id=\"its-output\"></h2><pre><code class=\"language-text\">Thread 0</code></pre>";
        let problems = |timelines: &str, cpython: &[String]| {
            let wanted = Wanted {
                lessons: &lessons,
                cpython,
            };
            problems_in(
                html,
                page,
                &Page::parse(&format!("{rest}{timelines}")),
                &wanted,
            )
        };
        assert_eq!(problems(RUN, &[]), Vec::<String>::new());
        assert_eq!(
            problems("", &[]),
            ["lesson04/semaphore.md: the run's timeline is not on the page"]
        );
        let empty = RUN.replace("data-lanes=\"11\"", "data-lanes=\"0\"");
        assert_eq!(
            problems(&empty, &[]),
            ["lesson04/semaphore.md: the run's timeline draws no lane"]
        );
        // A run of a few milliseconds leaves nothing to draw, and its figure says so.
        let too_short = empty.replace(
            "built from</title>",
            &format!("built from{TOO_SHORT_TITLE_END}</title>"),
        );
        assert_eq!(problems(&too_short, &[]), Vec::<String>::new());
        let uncounted = RUN.replace(" data-lanes=\"11\"", "");
        assert_eq!(problems(&uncounted, &[]).len(), 1);
        let not_a_timeline = RUN.replace("class=\"timeline\"", "class=\"icon\"");
        assert_eq!(problems(&not_a_timeline, &[]).len(), 1);

        // Where CPython's shape is asked for, it is needed too, and does not stand for the
        // run's own.
        let asked = [page.to_string()];
        let cpython = RUN.replace(
            "lesson04 semaphore: the run this book was built from",
            "CPython 3.11, drawn from the figures in lesson01's README, not recorded",
        );
        assert_eq!(
            problems(&format!("{RUN}{cpython}"), &asked),
            Vec::<String>::new()
        );
        assert_eq!(
            problems(RUN, &asked),
            ["lesson04/semaphore.md: CPython's timeline is not on the page"]
        );
        assert_eq!(
            problems(&cpython, &asked),
            ["lesson04/semaphore.md: the run's timeline is not on the page"]
        );
        let cpython_empty = cpython.replace("data-lanes=\"11\"", "data-lanes=\"0\"");
        assert_eq!(
            problems(&format!("{RUN}{cpython_empty}"), &asked),
            ["lesson04/semaphore.md: CPython's timeline draws no lane"]
        );
        // A page that is not an example's needs no run, but CPython's shape where asked.
        let wanted = Wanted {
            lessons: &lessons,
            cpython: &["lesson01/index.md".to_string()],
        };
        let index = |dom: &str| problems_in(html, "lesson01/index.md", &Page::parse(dom), &wanted);
        assert_eq!(
            index("<p id=\"searchbar\"></p>"),
            ["lesson01/index.md: CPython's timeline is not on the page"]
        );
        assert_eq!(
            index(&format!("<p id=\"searchbar\"></p>{cpython}")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn each_page_must_be_indexed_under_its_title() {
        let index = Index {
            file: PathBuf::from("html/searchindex.js"),
            docs: vec![
                crate::search::Doc {
                    url: "lesson04/semaphore.html#semaphore-two-at-once".into(),
                    title: "Semaphore:  two  at once".into(),
                },
                crate::search::Doc {
                    url: "introduction.html#intro".into(),
                    title: "Intro".into(),
                },
            ],
        };
        let titles = [
            (
                "lesson04/semaphore.md",
                Some("Semaphore: two at once".to_string()),
            ),
            ("introduction.md", Some("Introduction".to_string())),
            ("introduction.md", None),
            ("lesson04/barrier.md", Some("Barrier".to_string())),
            ("pitfalls.md", None),
        ];
        assert_eq!(
            unindexed(&index, &titles),
            [
                "introduction.md: the search index does not hold the page under its title `Introduction`",
                "lesson04/barrier.md: the search index does not hold the page",
                "pitfalls.md: the search index does not hold the page",
            ]
        );
        let empty = Index {
            file: PathBuf::from("html/searchindex.js"),
            docs: Vec::new(),
        };
        assert_eq!(
            unindexed(&empty, &titles),
            ["the search index html/searchindex.js does not index the pages"]
        );
    }
}
