//! # Wait for a thread with a timeout, then ask whether it is still alive
//!
//! Ports book L07 "Wait for Thread to Finish" (its `join(timeout=...)` and `is_alive()`
//! snippets, made into a program) and guide "Controlling Threads".
//!
//! A task takes 3 s. Main waits for it with a 1 s timeout: the wait gives up and the thread is
//! still running. Main waits again, this time for up to 5 s: the task finishes after 3 s and the
//! wait returns at once, so the second report says the thread has terminated.
//!
//! The Rust twist: `JoinHandle::join` has no timeout. The port waits by polling
//! `JoinHandle::is_finished` (Python's `is_alive`, negated) until a deadline, then still joins
//! the thread at the end, as every thread must be joined.
//!
//! Run it: `cargo run -p lesson07 --bin join_timeout`

use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The new thread: three seconds of work, then it reports.
fn task() {
    thread::sleep(Duration::from_secs(3));
    println!("Task finished");
}

/// Python's `thread.join(timeout=...)`: wait until the thread ends or the timeout passes,
/// whichever comes first, without saying which (ask `is_finished` afterwards, as Python asks
/// `is_alive()`). std has no timed join, so we look every 10 ms; a thread that ends is
/// noticed within those 10 ms.
fn join_with_timeout<T>(handle: &JoinHandle<T>, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while !handle.is_finished() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
}

/// Report whether the wait returned because of the timeout or because the thread ended.
fn report<T>(handle: &JoinHandle<T>) {
    // Python's `thread.is_alive()` is `!is_finished()`
    if !handle.is_finished() {
        println!("Timeout expired, thread is still running");
    } else {
        println!("Thread has terminated");
    }
}

fn main() {
    let handle = thread::spawn(task);
    // Python: `thread.join(timeout=1)`
    join_with_timeout(&handle, Duration::from_secs(1));
    report(&handle);
    // Python: `thread.join(timeout=5)`
    join_with_timeout(&handle, Duration::from_secs(5));
    report(&handle);
    // The thread has finished, so this real join returns at once: it makes sure that nothing
    // is left behind.
    handle.join().expect("the task thread panicked");
}
