//! A watchdog for the lesson libraries' tests: a test whose body hangs (a lost wakeup, a
//! deadlock) fails within seconds with a message, instead of hanging the test binary.

use std::panic;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// How long a test body may run before its watchdog calls it deadlocked. Every body here
/// finishes in about a second at most.
pub const LIMIT: Duration = Duration::from_secs(10);

/// Set by the first watchdog that fires. Later ones then give up after `GRACE`, so a library
/// that deadlocks everywhere fails the whole run in about `LIMIT`, not in `LIMIT` per test
/// (cargo-mutants must see a failure, not a timeout).
static DEADLOCK_SEEN: AtomicBool = AtomicBool::new(false);
const GRACE: Duration = Duration::from_millis(200);

/// Runs `body` on a thread of its own and fails the calling test if the body has not
/// finished within `LIMIT`; a panic in the body fails the test as it is.
pub fn watchdog(body: impl FnOnce() + Send + 'static) {
    let name = thread::current().name().unwrap_or("test").to_string();
    let (done, finished) = mpsc::channel::<()>();
    let runner = thread::Builder::new()
        .name(name.clone())
        .spawn(move || {
            body();
            let _ = done.send(());
        })
        .expect("cannot spawn the test body's thread");
    let start = Instant::now();
    loop {
        match finished.recv_timeout(Duration::from_millis(20)) {
            // Finished, or panicked (the sender was dropped unsent): join tells which.
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                if let Err(payload) = runner.join() {
                    panic::resume_unwind(payload);
                }
                return;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let waited = start.elapsed();
                if waited >= LIMIT {
                    DEADLOCK_SEEN.store(true, Ordering::SeqCst);
                    panic!("{name} did not finish within {LIMIT:?}: probably deadlocked");
                }
                if waited >= GRACE && DEADLOCK_SEEN.load(Ordering::SeqCst) {
                    panic!("{name} gave up after {waited:?}: another test deadlocked");
                }
            }
        }
    }
}
