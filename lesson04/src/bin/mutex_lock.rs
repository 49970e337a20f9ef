//! # Mutex lock: ten threads take turns in a critical section
//!
//! Ports book L04 "How to Protect Critical Sections with a Mutex Lock".
//!
//! Ten threads each try to enter the same critical section, which reports a message and sleeps
//! a random fraction of a second. The lock lets one thread in at a time, so the whole run lasts
//! at least the sum of the sleeps.
//!
//! The Rust twist: a `Mutex` protects data, not a block of code, and the guard that `lock()`
//! returns is Python's `with lock:` block, released when it goes out of scope, on every path
//! out (a return, a `?`, a panic).
//!
//! Run it: `cargo run -p lesson04 --bin mutex_lock`

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// The work each thread does: Python's `task(shared_lock, ident, value)`.
fn task(shared_lock: &Mutex<()>, ident: usize, value: f64) {
    // Python: `with shared_lock:`. The Mutex here guards no data (`()`), only the right to run this
    // section, exactly like Python's Lock. `lock()` returns `Err` only if a thread panicked
    // while holding the lock ("poisoned"); none does here, so `expect` is safe.
    let _guard = shared_lock
        .lock()
        .expect("no thread panics while holding the lock");
    println!(">{ident} got lock, sleeping {value}");
    thread::sleep(Duration::from_secs_f64(value));
    // `_guard` is dropped here, at the end of the block: that releases the lock.
}

fn main() {
    // `Arc` lets every thread own a handle to the same lock: `thread::spawn` wants closures
    // that own what they use (`'static`, lesson 02), so each thread moves in its own clone.
    // `mutex_lock_scoped` lends the lock inside `thread::scope` instead, with no `Arc`. The
    // Mutex guards no data here (`()`), only a section of code, as Python's Lock does;
    // `race_condition` shows a Mutex that owns its data.
    let lock = Arc::new(Mutex::new(()));
    // The random values are drawn here, in the main thread, as Python draws `random()` while
    // building the argument tuples.
    let args: Vec<(usize, f64)> = (0..10).map(|i| (i, rand::random::<f64>())).collect();
    // Python creates the Thread objects first, then starts them; a Rust thread starts as soon
    // as it is spawned.
    let threads: Vec<_> = args
        .into_iter()
        .map(|(i, value)| {
            let lock = Arc::clone(&lock);
            thread::spawn(move || task(&lock, i, value))
        })
        .collect();
    for thread in threads {
        thread.join().expect("the task does not panic");
    }
}
