//! # Mutex lock, scoped: the same critical section, no explicit joins
//!
//! Ports cc L3 "Thread-Safe Code With A Mutex" and org "example of using mutex lock".
//!
//! Ten threads take turns in one critical section, as in `mutex_lock`. The crash course starts
//! them and never joins them: Python waits for every non-daemon thread before it exits.
//!
//! The Rust twist: a Rust program ends when `main` returns, killing any thread still running,
//! so the port uses `thread::scope`: the scope does not end until every thread spawned in it
//! has finished, which is Python's wait-at-exit made visible. A scoped thread may also borrow
//! the lock (`&lock`), so no `Arc` is needed.
//!
//! Run it: `cargo run -p lesson04 --bin mutex_lock_scoped`

use std::sync::Mutex;
use std::thread;
use std::time::Duration;

/// One thread's turn in the critical section: report, then sleep while holding the lock.
fn task(lock: &Mutex<()>, identifier: usize, value: f64) {
    // Python: `with lock:`. The guard releases the lock when it is dropped, at the end of the
    // function.
    let _guard = lock
        .lock()
        .expect("no thread panics while holding the lock");
    println!(">thread {identifier} got the lock, sleeping for {value}");
    thread::sleep(Duration::from_secs_f64(value));
}

fn main() {
    let lock = Mutex::new(());
    thread::scope(|s| {
        for i in 0..10 {
            let value = rand::random::<f64>();
            let lock = &lock;
            s.spawn(move || task(lock, i, value));
        }
        // Python's "wait for all threads to finish...": the scope does it here, at its
        // closing brace.
    });
}
