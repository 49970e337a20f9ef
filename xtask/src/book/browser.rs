//! `cargo xtask book --check`: opens every page of the built book in headless Chromium and
//! reads the page as the browser built it. A page fails when an include was left
//! unresolved, a link leads nowhere (a missing page, or an anchor the page lacks), an
//! example's page lacks its source or its output, or the search is missing.

use crate::session::Status;
use course::Lesson;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

/// How long one page may take to load before the check gives up on it.
const PAGE_DEADLINE: Duration = Duration::from_secs(60);

/// Pages opened at once.
const BROWSERS: usize = 2;

pub fn check(html: &Path, pages: &[String], lessons: &[Lesson]) -> Result<Status, String> {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .ok_or(
            "Chromium is not installed; install it with `apt-get update && apt-get install -y chromium`",
        )?;
    let search = search_index(html);
    let started = Instant::now();
    let queue = Mutex::new(pages.iter());
    let problems = Mutex::new(Vec::new());
    thread::scope(|s| {
        for worker in 0..BROWSERS {
            let (queue, problems) = (&queue, &problems);
            s.spawn(move || {
                let profile = std::env::temp_dir()
                    .join(format!("xtask-chromium-{}-{worker}", std::process::id()));
                loop {
                    let Some(page) = queue.lock().expect("never poisoned").next() else {
                        break;
                    };
                    let found = check_page(chromium, &profile, html, page, lessons);
                    problems.lock().expect("never poisoned").extend(found);
                }
                let _ = std::fs::remove_dir_all(&profile);
            });
        }
    });
    let mut problems = problems.into_inner().expect("never poisoned");
    if let Err(why) = search {
        problems.push(why);
    }
    problems.sort();
    for problem in &problems {
        println!("  {problem}");
    }
    println!(
        "book: {} page(s) opened in {chromium} in {:.1} s, {} problem(s)",
        pages.len(),
        started.elapsed().as_secs_f64(),
        problems.len()
    );
    Ok(if problems.is_empty() {
        Status::Passed
    } else {
        Status::Failed
    })
}

/// The HTML file of a markdown page.
fn html_of(html: &Path, page: &str) -> PathBuf {
    html.join(page.replace(".md", ".html"))
}

/// What is wrong with one page, as the browser shows it.
fn check_page(
    chromium: &str,
    profile: &Path,
    html: &Path,
    page: &str,
    lessons: &[Lesson],
) -> Vec<String> {
    let file = html_of(html, page);
    if !file.is_file() {
        return vec![format!("{page}: no page was built ({})", file.display())];
    }
    match dump_dom(chromium, profile, &file) {
        Ok(dom) => problems_in(html, page, &dom, lessons),
        Err(why) => vec![format!("{page}: {why}")],
    }
}

/// What is wrong with the page `page`, whose DOM the browser built as `dom`.
fn problems_in(html: &Path, page: &str, dom: &str, lessons: &[Lesson]) -> Vec<String> {
    let file = html_of(html, page);
    let mut found = Vec::new();
    // An include mdBook could not resolve stays as written, with its path (a page that only
    // names the command, `{{#include}}`, has none).
    if dom.contains("{{#include ") {
        found.push(format!("{page}: an include was not resolved"));
    }
    // mdBook 0.5 names it `mdbook-searchbar`, 0.4 `searchbar`.
    if !dom.contains("searchbar\"") {
        found.push(format!("{page}: the page has no search bar"));
    }
    if let Some((package, name)) = example_of(page, lessons) {
        let run_it = format!("cargo run -p {package} --bin {name}");
        let code = dom.find("language-rust");
        if !code.is_some_and(|at| dom[at..].contains(&run_it)) {
            found.push(format!("{page}: the example's source is not on the page"));
        }
        let output = dom
            .find("id=\"its-output\"")
            .and_then(|at| dom[at..].find("language-text").map(|c| at + c));
        let printed = output.is_some_and(|at| {
            let block = &dom[at..];
            let end = block.find("</code>").unwrap_or(block.len());
            !block[..end].contains("(nothing)")
        });
        if !printed {
            found.push(format!("{page}: the example's output is not on the page"));
        }
    }
    for target in hrefs(dom) {
        if let Some(why) = broken_link(html, &file, dom, &target) {
            found.push(format!("{page}: link `{target}`: {why}"));
        }
    }
    found
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

/// Loads the page in headless Chromium and returns the DOM it built.
fn dump_dom(chromium: &str, profile: &Path, file: &Path) -> Result<String, String> {
    let mut child = Command::new(chromium)
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
        .map_err(|e| format!("cannot start {chromium}: {e}"))?;
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
                return Err(format!(
                    "the page did not load within {} s",
                    PAGE_DEADLINE.as_secs()
                ));
            }
            Ok(None) => thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("cannot wait for {chromium}: {e}")),
        }
    }
    let dom = reader.join().map_err(|_| "the DOM reader panicked")?;
    if dom.trim().is_empty() {
        return Err("the browser returned an empty page".into());
    }
    Ok(dom)
}

/// Every `href="..."` of the page, unescaped enough for paths (`&amp;`).
fn hrefs(dom: &str) -> Vec<String> {
    dom.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(target, _)| target))
        .map(|t| t.replace("&amp;", "&"))
        .collect()
}

/// Why the link leads nowhere, if it does: a local file that is not there, or an anchor
/// its page lacks. Web links are not followed (the machine may be offline).
fn broken_link(html: &Path, page: &Path, dom: &str, target: &str) -> Option<String> {
    let web = target.contains("://") || target.starts_with("mailto:");
    if web || target.starts_with("javascript:") {
        return None;
    }
    let (path, fragment) = match target.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (target, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() {
        let fragment = fragment.filter(|f| !f.is_empty())?;
        return (!dom.contains(&format!("id=\"{fragment}\"")))
            .then(|| format!("this page has no `#{fragment}`"));
    }
    let dir = page.parent().unwrap_or(html);
    let file = dir.join(path);
    if !file.exists() {
        return Some("no such file in the book".into());
    }
    let fragment = fragment.filter(|f| !f.is_empty())?;
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    (!text.contains(&format!("id=\"{fragment}\"")))
        .then(|| format!("{} has no `#{fragment}`", path))
}

/// The search index must be there and index the pages' words.
fn search_index(html: &Path) -> Result<(), String> {
    let index = std::fs::read_dir(html)
        .map_err(|e| format!("cannot read {}: {e}", html.display()))?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("searchindex") && n.ends_with(".js"))
        })
        .ok_or("the search index (searchindex*.js) is missing")?;
    let text = std::fs::read_to_string(&index).unwrap_or_default();
    if text.contains("semaphore") {
        Ok(())
    } else {
        Err(format!(
            "the search index {} does not index the pages",
            index.display()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_missing_pages_and_anchors_are_broken() {
        let html = std::env::temp_dir().join(format!("xtask-browser-{}", std::process::id()));
        std::fs::create_dir_all(html.join("lesson04")).unwrap();
        std::fs::write(
            html.join("lesson04/semaphore.html"),
            "<h2 id=\"its-output\">",
        )
        .unwrap();
        let page = html.join("lesson04/index.html");
        let dom = "<a href=\"#run-it\"></a><h2 id=\"run-it\"></h2>";
        let broken = |target: &str| broken_link(&html, &page, dom, target);
        let results = (
            broken("semaphore.html"),
            broken("semaphore.html#its-output"),
            broken("semaphore.html#nowhere"),
            broken("barrier.html"),
            broken("#run-it"),
            broken("#elsewhere"),
            broken("https://docs.rs/nix"),
        );
        std::fs::remove_dir_all(&html).unwrap();
        assert_eq!(results.0, None);
        assert_eq!(results.1, None);
        assert!(results.2.unwrap().contains("no `#nowhere`"));
        assert!(results.3.unwrap().contains("no such file"));
        assert_eq!(results.4, None);
        assert!(results.5.unwrap().contains("no `#elsewhere`"));
        assert_eq!(results.6, None);
    }

    #[test]
    fn an_example_page_needs_its_source_its_output_and_resolved_includes() {
        let lessons = vec![
            Lesson::parse(
                "lesson04",
                "title: t\nteaches: t\nsemaphore | book L04 | w\n",
            )
            .unwrap(),
        ];
        let html = Path::new("/nonexistent");
        let good = "<div id=\"mdbook-searchbar\"></div><pre><code class=\"language-rust\">//! Run it: `cargo run -p lesson04 --bin semaphore`</code></pre><h2 id=\"its-output\"></h2><pre><code class=\"language-text\">Thread 0</code></pre>";
        let problems = |dom: &str| problems_in(html, "lesson04/semaphore.md", dom, &lessons);
        assert_eq!(problems(good), Vec::<String>::new());
        let no_output = good.replace("Thread 0", "(nothing)");
        assert!(problems(&no_output)[0].contains("output is not on the page"));
        let no_source = good.replace("--bin semaphore", "--bin other");
        assert!(problems(&no_source)[0].contains("source is not on the page"));
        let unresolved = good.replace("//! Run it", "{{#include ../x.rs}} //! Run it");
        assert!(problems(&unresolved)[0].contains("include was not resolved"));
        let no_search = good.replace("mdbook-searchbar", "other");
        assert!(problems(&no_search)[0].contains("no search bar"));
        let named_only = format!("{good}<code>{{{{#include}}}}</code>");
        assert_eq!(problems(&named_only), Vec::<String>::new());
        let other_page = problems_in(
            html,
            "pitfalls.md",
            "<p id=\"mdbook-searchbar\"></p>",
            &lessons,
        );
        assert_eq!(other_page, Vec::<String>::new());
    }

    #[test]
    fn the_search_index_must_be_there_and_hold_the_words() {
        let html = std::env::temp_dir().join(format!("xtask-search-{}", std::process::id()));
        std::fs::create_dir_all(&html).unwrap();
        let missing = search_index(&html);
        std::fs::write(html.join("searchindex-ab12.js"), "window.search = {};").unwrap();
        let empty = search_index(&html);
        std::fs::write(html.join("searchindex-ab12.js"), "{\"semaphore\": 1}").unwrap();
        let full = search_index(&html);
        std::fs::remove_dir_all(&html).unwrap();
        assert!(missing.unwrap_err().contains("is missing"));
        assert!(empty.unwrap_err().contains("does not index"));
        assert_eq!(full, Ok(()));
    }

    #[test]
    fn hrefs_are_read_from_the_dom() {
        assert_eq!(
            hrefs("<a href=\"a.html#x\">a</a> <link href=\"css/b.css\">"),
            ["a.html#x", "css/b.css"]
        );
    }
}
