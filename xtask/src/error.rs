//! How a command fails, which decides xtask's exit status: 2 for bad use, 1 when the work
//! could not be done. A check that ran and failed is not an error: it is
//! [`crate::session::Status::Failed`], also exit status 1.

use std::fmt;
use std::process::ExitCode;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Bad use: a command, option or name the user typed, or a file they wrote (an expected
    /// file, a break file, a lesson's list), must change. Exit status 2.
    Usage(String),
    /// The work could not be done: a file could not be read or written, cargo or a program
    /// could not be started. Exit status 1.
    Failed(String),
}

impl Error {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Usage(_) => ExitCode::from(2),
            Error::Failed(_) => ExitCode::FAILURE,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(message) | Error::Failed(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

/// The error of a function that still returns `Result<_, String>`, classified by the house's
/// wording until each says its kind itself: what the system refused reads `cannot <verb> ...`
/// (`cannot read lesson04/examples.txt: ...`, `cannot start cargo: ...`), and so does a failed
/// `cargo metadata`; every other message names something the user typed or wrote.
impl From<String> for Error {
    fn from(message: String) -> Error {
        if message.starts_with("cannot ") || message.starts_with("`cargo metadata`") {
            Error::Failed(message)
        } else {
            Error::Usage(message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_system_refused_fails_and_the_rest_is_bad_use() {
        let kind = |message: &str| match Error::from(message.to_string()) {
            Error::Usage(_) => "usage",
            Error::Failed(_) => "failed",
        };
        assert_eq!(kind("cannot read lesson04/examples.txt: denied"), "failed");
        assert_eq!(kind("cannot start cargo: not found"), "failed");
        assert_eq!(kind("`cargo metadata` failed: no Cargo.toml"), "failed");
        assert_eq!(kind("no lesson or example named `x`; ..."), "usage");
        assert_eq!(
            kind("lesson04/expected/semaphore.txt is missing: ..."),
            "usage"
        );
        // A break file's line that names a missing source is the break file's fault.
        assert_eq!(
            kind("lesson04/breaks/x.txt:3: cannot read y.rs: gone"),
            "usage"
        );
        assert_eq!(Error::Usage("x".into()).exit_code(), ExitCode::from(2));
        assert_eq!(Error::Failed("x".into()).exit_code(), ExitCode::FAILURE);
    }
}
