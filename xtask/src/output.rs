//! What a run printed, as the judging sees it: each line with the time verify read it, and
//! the values the expected file's placeholders captured from those lines.

use std::time::Duration;

/// One output line as verify read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// When verify read it, from the example's start.
    pub at: Duration,
}

/// A value captured by a named placeholder (`{float:sleep}`): its name, its text, and the
/// time of the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Capture {
    pub name: String,
    pub value: String,
    pub at: Duration,
}
