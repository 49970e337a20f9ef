//! How the course's code fails, by kind, so that each caller picks its exit status from the
//! kind and not from where the error was met: the tour exits 2 for what its user must
//! change (the command line, a file of the course) and 1 for what could not be done.

use std::fmt;
use std::process::ExitCode;

#[derive(Debug)]
pub enum Error {
    /// The command line asks for what the lesson does not have: `no example named ...`.
    Usage(String),
    /// A file of the course breaks its format: a lesson's `examples.txt`, a refused listing's
    /// header or fix. The message names the file (and the line, when there is one).
    Malformed(String),
    /// The system refused: a file not read or written, cargo or rustc not started, a build
    /// that failed.
    Failed(String),
    /// The compiler did not do what a refused listing says: refuse it with its error, then
    /// accept its fix with no warning. The message holds what rustc said.
    Unproved(String),
}

impl Error {
    /// 2 for what the user must change (a usage or a malformed file), 1 for the rest.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Usage(_) | Error::Malformed(_) => ExitCode::from(2),
            Error::Failed(_) | Error::Unproved(_) => ExitCode::FAILURE,
        }
    }

    /// The message alone, whatever the kind.
    pub fn message(&self) -> &str {
        match self {
            Error::Usage(m) | Error::Malformed(m) | Error::Failed(m) | Error::Unproved(m) => m,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

/// What the system refused, as a [`Error::Failed`] that says what was being done:
/// `cannot read lesson04/refused/x.rs: <why>`.
pub(crate) fn failed(doing: impl fmt::Display, why: impl fmt::Display) -> Error {
    Error::Failed(format!("{doing}: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_decides_the_exit_status_and_the_message_is_kept() {
        let usage = Error::Usage("no example named `x`".into());
        assert_eq!(usage.exit_code(), ExitCode::from(2));
        assert_eq!(usage.to_string(), "no example named `x`");
        assert_eq!(
            Error::Malformed("a.txt:3: bad".into()).exit_code(),
            ExitCode::from(2)
        );
        let failed = failed("cannot read a.rs", "gone");
        assert_eq!(failed.exit_code(), ExitCode::FAILURE);
        assert_eq!(failed.message(), "cannot read a.rs: gone");
        assert_eq!(
            Error::Unproved("x: compiles".into()).exit_code(),
            ExitCode::FAILURE
        );
    }
}
