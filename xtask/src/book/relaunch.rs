//! `cargo xtask book` in the xtask that verify builds, which lacks the book's parsers
//! (`crates/booktools`, behind xtask's `book` feature, so that verify's build never compiles
//! them): it checks that mdBook is installed, then becomes xtask built with that feature
//! (`cargo run --features book`), so the book runs as if called directly: same arguments,
//! same terminal, same exit status, and Ctrl-C reaches it alone.

#[path = "request.rs"]
mod request;

use crate::error::Error;
use crate::project::{self, Project};
use crate::session::Status;
use std::os::unix::process::CommandExt;
use std::process::Command;

pub use request::After;

/// Set in the relaunched xtask, which must have the feature: it never relaunches again.
const RELAUNCHED: &str = "XTASK_BOOK_RELAUNCHED";

pub fn book(project: &Project, after: After, _workers: usize) -> Result<Status, Error> {
    request::require_mdbook()?;
    if std::env::var_os(RELAUNCHED).is_some() {
        return Err(Error::failed(
            "xtask was relaunched for the book without its `book` feature",
        ));
    }
    let mut cargo = Command::new(project::cargo());
    // From the workspace root, so cargo reads the same configuration (a `build.target-dir`).
    cargo.current_dir(project.root()).args([
        "run",
        "--quiet",
        "--package",
        "xtask",
        "--features",
        "book",
    ]);
    if project::profile() == "release" {
        cargo.arg("--release");
    }
    cargo.args(["--", "book"]);
    match after {
        After::Nothing => {}
        After::Open => {
            cargo.arg("--open");
        }
        After::Check => {
            cargo.arg("--check");
        }
    }
    // `exec` returns only when it could not replace this process.
    let error = cargo.env(RELAUNCHED, "1").exec();
    Err(Error::failed(format!(
        "cannot run cargo to build the book: {error}"
    )))
}
