//! # Busy wait: poll a thread's status until it is done
//!
//! Ports the exercise of book L03's "Lesson Review" (poll a thread's status in a busy loop).
//!
//! A thread named `Worker` runs a 1.75 s task. Main checks its status before it starts, after
//! half a second, and then every half second in a loop ("still running", three times) until it
//! sees the thread has finished. This is a busy loop: main keeps waking up to ask. `join` would
//! wait without asking; polling lets main do other work between the checks.
//!
//! The Rust twist: `JoinHandle::is_finished()` is the status (Python's `not thread.is_alive()`); it
//! never blocks. A finished thread must still be joined to collect its result.
//!
//! Run it: `cargo run -p lesson03 --bin busy_wait_status`

use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How often the busy loop asks the worker for its status.
const POLL: Duration = Duration::from_millis(500);

/// The worker's task: a bounded 1.75 s of work, then its line.
fn task() {
    thread::sleep(Duration::from_millis(1750));
    println!("Worker: task done");
}

/// Python's `thread.is_alive()`: started, and its function has not returned yet.
fn is_alive(thread: &Option<JoinHandle<()>>) -> bool {
    thread.as_ref().is_some_and(|handle| !handle.is_finished())
}

fn main() {
    // Python has a `Thread` object before `start()`. Rust's `spawn` creates and starts in one
    // step, so until then the handle is an `Option` that is `None`: not alive.
    let mut thread: Option<JoinHandle<()>> = None;
    println!("Before start: alive={}", is_alive(&thread));
    let handle = thread::Builder::new()
        .name("Worker".to_string())
        .spawn(task)
        .expect("failed to spawn a thread");
    let name = handle.thread().name().unwrap_or("<unnamed>").to_string();
    thread = Some(handle);
    thread::sleep(Duration::from_millis(500));
    // Python also prints `daemon=False`; a Rust thread has no daemon flag (see `daemon_thread`).
    println!("After 0.5s: name={name}, alive={}", is_alive(&thread));
    // The busy loop. The task is bounded (1.75 s), so this loop ends; polling something that
    // may never finish would need a give-up time as well.
    while is_alive(&thread) {
        println!("Main: worker still running...");
        thread::sleep(POLL);
    }
    println!("Worker finished: alive={}", is_alive(&thread));
    // Finished is not joined: `join` collects the result (here `()`, or the panic).
    if let Some(handle) = thread.take() {
        handle.join().expect("the worker panicked");
    }
}
