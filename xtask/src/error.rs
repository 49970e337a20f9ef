//! How a command fails, which decides xtask's exit status: 2 for bad use, 1 when the work
//! could not be done. A check that ran and failed is not an error: it is
//! [`crate::session::Status::Failed`], also exit status 1. Each error says its kind where it
//! is made: [`Error::Usage`] and [`Error::Failed`] directly, [`OrFailed::or_failed`] for what
//! the system refused, and the checker's errors by their type (the `From` impls below).

use checker::{ParseError, SystemError};
use std::fmt;
use std::process::ExitCode;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Bad use: a command, option or name the user typed, or a file they wrote (an expected
    /// file, a break file, a lesson's list, a README's table), must change. Exit status 2.
    Usage(String),
    /// The work could not be done: a file could not be read or written, cargo or a program
    /// could not be started, a tool it needs is not installed. Exit status 1.
    Failed(String),
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage(message.into())
    }

    pub fn failed(message: impl Into<String>) -> Error {
        Error::Failed(message.into())
    }

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

/// A malformed expected file or break file is the user's to change.
impl From<ParseError> for Error {
    fn from(error: ParseError) -> Error {
        Error::Usage(error.to_string())
    }
}

/// A lesson's files are the user's to change when malformed; the rest is work not done.
impl From<course::Error> for Error {
    fn from(error: course::Error) -> Error {
        match error {
            course::Error::Usage(m) | course::Error::Malformed(m) => Error::Usage(m),
            course::Error::Failed(m) | course::Error::Unproved(m) => Error::Failed(m),
        }
    }
}

/// What the system refused is work that could not be done.
impl From<SystemError> for Error {
    fn from(error: SystemError) -> Error {
        Error::Failed(error.to_string())
    }
}

/// The error of something the system refused (an I/O call, a program started), as a
/// failure that says what was being done: `cannot read lesson04/examples.txt: <why>`.
pub trait OrFailed<T> {
    fn or_failed(self, doing: impl FnOnce() -> String) -> Result<T, Error>;
}

impl<T, E: fmt::Display> OrFailed<T> for Result<T, E> {
    fn or_failed(self, doing: impl FnOnce() -> String) -> Result<T, Error> {
        self.map_err(|e| Error::Failed(format!("{}: {e}", doing())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_its_exit_status_and_keeps_its_text() {
        assert_eq!(Error::usage("x").exit_code(), ExitCode::from(2));
        assert_eq!(Error::failed("x").exit_code(), ExitCode::FAILURE);
        let parse = ParseError::at("lesson04/breaks/x.txt", 3, "cannot read y.rs: gone");
        assert_eq!(
            Error::from(parse),
            Error::usage("lesson04/breaks/x.txt:3: cannot read y.rs: gone")
        );
        assert_eq!(
            Error::from(SystemError::new("cannot make a pipe: busy")),
            Error::failed("cannot make a pipe: busy")
        );
        assert_eq!(
            Error::from(course::Error::Malformed(
                "lesson04/examples.txt:3: bad".into()
            )),
            Error::usage("lesson04/examples.txt:3: bad")
        );
        assert_eq!(
            Error::from(course::Error::Failed("cannot run rustc: gone".into())),
            Error::failed("cannot run rustc: gone")
        );
        let refused: Result<(), &str> = Err("denied");
        assert_eq!(
            refused.or_failed(|| "cannot read lesson04/examples.txt".into()),
            Err(Error::failed("cannot read lesson04/examples.txt: denied"))
        );
    }
}
