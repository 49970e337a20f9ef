//! The lesson libraries' deeper tests: `cargo xtask models` runs their shuttle models (every
//! interleaving of the small ones, a thousand or more random and PCT schedules of each of the
//! others: schedules a stress test rarely hits), and
//! `cargo xtask mutants` runs cargo-mutants over the library files, to show that the tests
//! catch a broken library, and `cargo xtask bench` measures them.

use crate::error::{Error, OrFailed};
use crate::project::{self, Project};
use crate::session::Status;
use checker::run::interrupt;
use std::path::Path;
use std::process::Command;

/// `cargo xtask models`: the `models` tests of each lesson library ([`Project::libraries`]),
/// built with `--cfg shuttle` into a target directory of their own (so the normal build's
/// cache stays valid).
pub fn models(project: &Project) -> Result<Status, Error> {
    let target = project.target_dir()?.join("shuttle");
    let mut command = cargo(project.root());
    command.args(["test", "--quiet", "--lib"]);
    for library in project.libraries()? {
        command.args(["--package", &library]);
    }
    command
        .args(["models"])
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", with_cfg_shuttle());
    finish(command, "models")
}

/// `RUSTFLAGS` plus `--cfg shuttle`.
fn with_cfg_shuttle() -> String {
    let flags = std::env::var("RUSTFLAGS").unwrap_or_default();
    format!("{flags} --cfg shuttle").trim().to_string()
}

/// `cargo xtask mutants [ARGS...]`: cargo-mutants over the files of the lesson libraries
/// ([`Project::libraries`]: lesson04, 05 and 06), each mutant given 30 s before it counts as
/// a timeout; extra arguments go to cargo-mutants (e.g. `--file lesson05/src/queue.rs`,
/// `--list`).
pub fn mutants(project: &Project, extra: &[String]) -> Result<Status, Error> {
    let root = project.root();
    let installed = cargo(root)
        .args(["mutants", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        // A tool not installed is work that cannot be done, not bad use of xtask.
        return Err(Error::failed(
            "cargo-mutants is not installed; install it with `cargo install cargo-mutants --locked`",
        ));
    }
    let mut command = cargo(root);
    command.args(["mutants", "--timeout", "30", "--no-shuffle"]);
    for library in project.libraries()? {
        command.args(["--package", &library]);
    }
    // The library files only: not the examples (verify checks them), nor the exercise and
    // its solution (binaries no unit test runs), nor the shuttle models (built only under
    // `--cfg shuttle`, so no mutant of theirs could be caught).
    for excluded in [
        "**/src/bin/**",
        "**/exercise.rs",
        "**/solution.rs",
        "**/*_models.rs",
    ] {
        command.args(["--exclude", excluded]);
    }
    let output = project.target_dir()?.join("mutants");
    command.arg("--output").arg(&output);
    // Each copy cargo-mutants builds gets its own target directory: a shared
    // `CARGO_TARGET_DIR` would let one mutant's build overwrite another's under `--jobs`.
    command.env_remove("CARGO_TARGET_DIR");
    // Each mutant changes one file of a crate built just before: the lessons' profile turns
    // incremental caches off for a fresh build (the root Cargo.toml), but here they pay.
    command.env("CARGO_INCREMENTAL", "1");
    command.args(extra);
    finish(command, "mutants")
}

/// `cargo xtask bench [SECTION...] [--quick]`: the `bench` crate, built in release and run;
/// its words pick sections (`lock`, `queue`, `imap`, ...), `--quick` does a tenth of the work.
pub fn bench(project: &Project, extra: &[String]) -> Result<Status, Error> {
    let mut command = cargo(project.root());
    command.args(["run", "--quiet", "--release", "--package", "bench", "--"]);
    command.args(extra);
    finish(command, "bench")
}

fn cargo(root: &Path) -> Command {
    let mut command = Command::new(project::cargo());
    command.current_dir(root);
    command
}

/// Runs the command to its end (it gets Ctrl-C itself, from the terminal) and reports.
fn finish(mut command: Command, what: &str) -> Result<Status, Error> {
    interrupt::install()?;
    let status = command
        .status()
        .or_failed(|| format!("cannot start cargo for {what}"))?;
    Ok(
        if interrupt::flag().load(std::sync::atomic::Ordering::SeqCst) {
            Status::Interrupted
        } else if status.success() {
            Status::Passed
        } else {
            Status::Failed
        },
    )
}
