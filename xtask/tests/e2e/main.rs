//! xtask's end-to-end tests: the real binary (and cargo) run over workspaces of the tests'
//! making or over copies of this one, one module per subject. One test binary rather than one
//! per file: `cargo test` compiles and links one crate, not nine.
//!
//! libtest starts the tests in the order of their names, as many at a time as there are
//! cores: `copies` (a cargo build of some thirty small crates, the longest) starts among the
//! first, so the others run beside it rather than after it.

mod book;
mod cargo;
mod common;
mod copies;
mod exit_status;
mod hostile;
mod interrupt;
mod reset;
mod target_dir;
mod watch;
