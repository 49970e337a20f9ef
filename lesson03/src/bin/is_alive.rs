//! # Is it alive? A thread before, during and after its run
//!
//! Ports book L03 "Query If Thread Is Alive".
//!
//! A thread is alive from the moment it starts until its function returns. The book's program
//! asks a thread that has not been started (`false`); the port goes on to ask the same question
//! while the thread sleeps half a second (`true`) and once it has ended (`false`).
//!
//! The Rust twist: `JoinHandle::is_finished()` plays `is_alive()` (negated). There is no handle
//! before `spawn`, so "not started" is an `Option` that is still `None`. Python asks after
//! `join()`; a Rust `join` consumes the handle and leaves nothing to ask, so main first waits for
//! the end by asking the handle itself, prints its answer, and only then joins.
//!
//! Run it: `cargo run -p lesson03 --bin is_alive`

use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How often main asks the thread whether it has finished.
const POLL: Duration = Duration::from_millis(10);

/// Python's `thread.is_alive()`: a thread is alive once started and until its function returns.
fn is_alive(thread: &Option<JoinHandle<()>>) -> bool {
    thread.as_ref().is_some_and(|handle| !handle.is_finished())
}

/// Blocks until the thread's function has returned, as `join` would, but by asking the handle,
/// so the handle is still there afterwards. The thread sleeps a bounded half second, so this
/// ends.
fn wait_until_finished(handle: &JoinHandle<()>) {
    while !handle.is_finished() {
        thread::sleep(POLL);
    }
}

fn main() {
    // Python: `thread = Thread()` creates a thread object that has not started. Rust has no such
    // object, so the handle we will get from `spawn` starts out as `None`.
    let mut thread: Option<JoinHandle<()>> = None;
    // Rust prints booleans as `true` / `false` (Python: `True` / `False`).
    println!("{}", is_alive(&thread));

    // Started, and busy for half a second: alive.
    thread = Some(thread::spawn(|| thread::sleep(Duration::from_millis(500))));
    println!("while it sleeps: {}", is_alive(&thread));

    // The same question once the thread has ended: the `false` printed is the handle's answer.
    if let Some(handle) = &thread {
        wait_until_finished(handle);
    }
    println!("after it ended: {}", is_alive(&thread));

    // A finished thread is still joined, to collect its result (here `()`, or its panic).
    if let Some(handle) = thread.take() {
        handle.join().expect("the thread panicked");
    }
}
