//! The checker: runs a program it did not write and judges what it did. It prints nothing
//! and knows nothing of lessons; xtask's commands decide what to run and how to report.
//!
//! The flow, one module each:
//!
//! - [`spec`]: the expected-file language, parsed into a [`spec::Spec`] (its line
//!   [`spec::pattern`]s, its [`spec::words`], its named [`spec::checks`]);
//! - [`run`]: one bounded run under a reaper of its own, giving an [`run::Outcome`];
//! - [`output`]: what a run printed (lines, their times, what was cut), shared by all;
//! - [`judge`]: the verdict on an outcome against its spec (the [`judge::matcher`] aligns
//!   lines);
//! - [`report`]: the verdict as text: progress lines, reasons, a diff, the summary;
//! - [`breaks`]: the break-file language, and the [`breaks::scratch`] copy a break is
//!   applied in;
//! - [`error`]: a file that does not parse ([`ParseError`]), or what the system refused
//!   ([`SystemError`]).

pub mod breaks;
pub mod error;
pub mod judge;
pub mod output;
pub mod report;
pub mod run;
pub mod spec;

pub use error::{ParseError, SystemError};
