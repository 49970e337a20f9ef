//! The engine's errors, typed where they are made: the caller (xtask) decides what each means
//! to its user and prints it; the engine prints nothing.

use std::fmt;

/// A malformed expected file or break file: where, and what to change. Its text is
/// `FILE:LINE: MESSAGE`, or `FILE: MESSAGE` for the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The file, as messages name it (relative to the workspace root).
    pub file: String,
    /// The line (from 1), when one is to blame.
    pub line: Option<usize>,
    pub message: String,
}

impl ParseError {
    /// A mistake on line `line` of `file`.
    pub fn at(file: &str, line: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            file: file.into(),
            line: Some(line),
            message: message.into(),
        }
    }

    /// A mistake of the file as a whole.
    pub fn of(file: &str, message: impl Into<String>) -> ParseError {
        ParseError {
            file: file.into(),
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ParseError {}

/// What the system refused: a pipe, a program that would not start, a signal handler, a file
/// of the scratch copy. Nothing the user wrote is to blame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemError(String);

impl SystemError {
    pub fn new(message: impl Into<String>) -> SystemError {
        SystemError(message.into())
    }
}

impl fmt::Display for SystemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SystemError {}
