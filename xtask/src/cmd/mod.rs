//! The commands: each decides what to run and how to report it; the running and judging
//! are the `checker` crate's, the shared build and worker pool `session`'s.

pub mod breaks;
pub mod exercises;
pub mod explain;
pub mod libraries;
pub mod lint;
pub mod readme;
pub mod reset;
pub mod timeline;
pub mod verify;
pub mod watch;
