//! What the pool's test modules share: a watchdog for each test body, and how long to wait.

use std::time::Duration;

/// How long a test may wait for something that should come at once; a broken pool
/// fails instead of hanging.
pub const PATIENCE: Duration = Duration::from_secs(2);

/// The lessons' watchdog for a test body (`course::watchdog`): a broken pool (a lost result,
/// a dead worker, a deadlock) fails the test within its limit instead of hanging `cargo
/// test`, and once one test has hung the others fail at once. Every test module of the pool
/// (`pool.rs`, `imap.rs`, `starmap.rs`) uses it.
pub use course::watchdog::watchdog as bounded;
