//! `cargo xtask book --check`: every page opened in headless Chromium and checked
//! (`booktools::browser`); this says what the check found.

use crate::session::Status;
use course::Lesson;
use std::path::Path;
use std::time::Instant;

pub fn check(html: &Path, pages: &[String], lessons: &[Lesson]) -> Result<Status, String> {
    let started = Instant::now();
    let checked = booktools::browser::check(html, pages, lessons)?;
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
