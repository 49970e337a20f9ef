//! What the pool's test modules share: a watchdog for each test body, and how long to wait.

use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Duration;

/// How long a test may wait for something that should come at once; a broken pool
/// fails instead of hanging.
pub const PATIENCE: Duration = Duration::from_secs(2);
/// How long a whole test may take before the watchdog calls it deadlocked.
const WATCHDOG: Duration = Duration::from_secs(5);

/// Runs a test's body on a thread of its own and fails the test if the body has not
/// finished within [`WATCHDOG`]: a broken pool (a lost result, a dead worker, a deadlock)
/// then fails with a message instead of hanging `cargo test`. Once one test of the library
/// has hung, the others fail at once instead of waiting their own `WATCHDOG` out, so that
/// a library broken everywhere (as cargo-mutants breaks it) fails in seconds, not minutes.
/// Every test module of the pool (`pool.rs`, `imap.rs`, `starmap.rs`) uses it.
pub fn bounded(body: impl FnOnce() + Send + 'static) {
    static HUNG: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        // The outcome is sent, never joined: a body stuck in a drop must not hang us.
        let _ = tx.send(panic::catch_unwind(AssertUnwindSafe(body)));
    });
    let begun = std::time::Instant::now();
    loop {
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok(Ok(())) => return,
            // the body panicked: fail the test with its panic
            Ok(Err(panic)) => panic::resume_unwind(panic),
            Err(mpsc::RecvTimeoutError::Disconnected) => unreachable!("the runner sends"),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if HUNG.load(std::sync::atomic::Ordering::SeqCst) {
            panic!("another test of the library deadlocked; not waiting for this one");
        }
        if begun.elapsed() > WATCHDOG {
            HUNG.store(true, std::sync::atomic::Ordering::SeqCst);
            panic!("the test did not finish within {WATCHDOG:?}: probably deadlocked");
        }
    }
}
