//! What every lesson shares: the format of its list of examples (`lessonNN/examples.txt`),
//! the legend of the sources it cites, the lesson runner that walks a reader through the
//! examples (`cargo run -p lessonNN`), and what the lessons' tests share: the compile-fail
//! listings ([`refused`]) and a watchdog for test bodies ([`watchdog`]).
//!
//! `cargo xtask verify` and `cargo xtask lint` read the same list through [`Lesson::parse`],
//! so the tour, the checks and the README cannot drift apart.

mod error;
mod lesson;
pub mod refused;
pub mod sources;
mod tour;
pub mod watchdog;

pub use error::Error;
pub use lesson::{Example, Lesson};
pub use tour::tour;
