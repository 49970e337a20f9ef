//! `cargo xtask book --check`: every page opened in headless Chromium and checked
//! (`booktools::browser`); this says what the check found.

use crate::error::Error;
use crate::session::Status;
use course::Lesson;
use std::path::Path;
use std::time::Instant;

/// Checks `pages` of the book in `html`: the examples of `lessons` with their runs, and the
/// pages in `cpython` with CPython's drawing too.
pub fn check(
    html: &Path,
    pages: &[String],
    lessons: &[Lesson],
    cpython: &[String],
) -> Result<Status, Error> {
    let started = Instant::now();
    // Its errors are all the browser's: none installed, one that would not start or answer.
    let checked = booktools::browser::check(html, pages, lessons, cpython)
        .map_err(|e| Error::failed(e.to_string()))?;
    for problem in &checked.problems {
        println!("  {problem}");
    }
    println!(
        "book: {} page(s) opened in {} in {:.1} s, {} problem(s)",
        pages.len(),
        checked.browser,
        started.elapsed().as_secs_f64(),
        checked.problems.len()
    );
    Ok(if checked.problems.is_empty() {
        Status::Passed
    } else {
        Status::Failed
    })
}
