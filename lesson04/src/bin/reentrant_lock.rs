//! # Re-entrant lock: a thread takes again a lock it already holds
//!
//! Ports org "example of using reentrant lock".
//!
//! Ten threads run `task`, which holds the lock while it sleeps and then calls `report`, which
//! takes the same lock again. A plain lock would never let it in there: Python's `Lock` waits
//! for itself forever, and std's `Mutex` never returns from that second `lock()` (it may
//! deadlock or panic). A re-entrant lock lets its owner in, counting the levels, and frees the
//! lock when the owner has released every level. So each `sleeping` line is followed by the
//! same thread's `done`.
//!
//! The Rust twist: std's `ReentrantLock` is still unstable, so this uses `lesson04::RLock`.
//!
//! Run it: `cargo run -p lesson04 --bin reentrant_lock`

use std::thread;
use std::time::Duration;

use lesson04::RLock;

/// Called with `lock` held: it takes the lock again, one level deeper, to report.
fn report(lock: &RLock, identifier: usize) {
    let _inner = lock.acquire();
    println!(">thread {identifier} done");
}

/// One thread: sleep while holding the lock, then report through `report`.
fn task(lock: &RLock, identifier: usize, value: f64) {
    let _outer = lock.acquire();
    println!("> thread {identifier} sleeping for {value}");
    thread::sleep(Duration::from_secs_f64(value));
    report(lock, identifier);
    // the outer level is released here; only now can another thread enter
}

fn main() {
    let lock = RLock::new(());
    // Python starts the threads and lets the interpreter wait for them at exit; the scope
    // waits for them at its closing brace.
    thread::scope(|s| {
        for i in 0..10 {
            let value = rand::random::<f64>();
            let lock = &lock;
            s.spawn(move || task(lock, i, value));
        }
    });
}
