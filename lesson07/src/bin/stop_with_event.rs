//! # Ask a thread to stop: a shared flag it checks at every step
//!
//! Ports book L07 "Example of Using an Event to Stop a Thread" and cc L7 "Stop New Thread".
//!
//! The worker runs five steps of one second, checking a shared stop flag after each sleep.
//! Main sleeps three seconds, sets the flag and joins the worker. The worker finishes the step
//! it is in, sees the flag, breaks out of its loop and reports that it is closing down.
//!
//! Main and the worker both act at the three-second mark. Usually main sets the flag just
//! before the worker's third check (two "running" lines, as in the book); on a busy machine the
//! worker may check first, print a third line and stop one step later. CPython showed both.
//!
//! The Rust twist: Rust's std has no way to kill a thread either; stopping is cooperative.
//! Python's `Event`, used here only through `set()` and `is_set()`, becomes an `AtomicBool`
//! shared through an `Arc`: setting and reading it is safe from any thread without a lock. (To
//! also *wait* on it, as `Event.wait()` does, pair a `Mutex<bool>` with a `Condvar`: see
//! `ctrlc_graceful`. A closed channel works too: `recv_timeout` returns `Disconnected`.)
//!
//! Run it: `cargo run -p lesson07 --bin stop_with_event`

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

/// The worker: up to five one-second steps, checking the stop flag after each.
fn task(shared_event: &AtomicBool) {
    for _ in 0..5 {
        thread::sleep(Duration::from_secs(1));
        // Python: `if shared_event.is_set(): break`
        if shared_event.load(Ordering::SeqCst) {
            break;
        }
        println!("Worker thread running...");
    }
    println!("Worker closing down");
}

fn main() {
    // Python: `Event()`, created not set
    let event = Arc::new(AtomicBool::new(false));
    // the worker gets its own handle on the event
    let worker_event = Arc::clone(&event);
    let handle = thread::spawn(move || task(&worker_event));
    thread::sleep(Duration::from_secs(3));
    println!("Main stopping thread");
    // Python: `event.set()`
    event.store(true, Ordering::SeqCst);
    handle.join().expect("the worker thread panicked");
}
