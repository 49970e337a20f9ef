//! # Mutex lock, scoped: the same critical section, no explicit joins
//!
//! Ports `mutex_lock_scoped.py` (cc L3 "Thread-Safe Code With A Mutex"; also org "example of
//! using mutex lock", `mutex_lock_org.py`, the same program with the text `got the
//! lock,sleepin for`).
//!
//! The crash course starts ten threads and never joins them: Python waits for every
//! non-daemon thread before it exits. A Rust program ends when `main` returns, killing any
//! thread still running, so the port uses `thread::scope`: the scope does not end until every
//! thread spawned in it has finished, which is Python's wait-at-exit made visible. A scoped
//! thread may also borrow the lock (`&lock`), so no `Arc` is needed.
//!
//! Run it: `cargo run -p lesson04 --bin mutex_lock_scoped`

use std::sync::Mutex;
use std::thread;
use std::time::Duration;

// work function
fn task(lock: &Mutex<()>, identifier: usize, value: f64) {
    // acquire the lock: the guard is the `with lock:` block and releases it when dropped
    let _guard = lock
        .lock()
        .expect("no thread panics while holding the lock");
    println!(">thread {identifier} got the lock, sleeping for {value}");
    thread::sleep(Duration::from_secs_f64(value));
}

fn main() {
    // create a shared lock
    let lock = Mutex::new(());
    // start a few threads that attempt to execute the same critical section
    thread::scope(|s| {
        for i in 0..10 {
            let value = rand::random::<f64>();
            let lock = &lock;
            // start a thread
            s.spawn(move || task(lock, i, value));
        }
        // wait for all threads to finish... the scope does it here, at its closing brace
    });
}
