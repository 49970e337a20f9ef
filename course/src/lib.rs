//! What every lesson shares: the format of its list of examples (`lessonNN/examples.txt`)
//! and the lesson runner that walks a reader through them (`cargo run -p lessonNN`).
//!
//! `cargo xtask verify` and `cargo xtask lint` read the same list through [`Lesson::parse`],
//! so the tour, the checks and the README cannot drift apart.

mod lesson;
mod tour;

pub use lesson::{Example, Lesson};
pub use tour::tour;
