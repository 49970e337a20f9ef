//! # Is it alive? A thread before, during and after its run
//!
//! Ports `is_alive.py` (book L03 "Query If Thread Is Alive").
//!
//! A thread is alive from the moment it starts until its function returns. Before it is
//! started (`false`), while it sleeps half a second (`true`), and after `join` (`false`).
//!
//! Rust twist: `JoinHandle::is_finished()` plays `is_alive()` (negated). There is no handle
//! before `spawn`, so "not started" is an `Option` that is still `None`; after `join` the handle
//! is used up, so "joined" is `None` again.
//!
//! Run it: `cargo run -p lesson03 --bin is_alive`

use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Python's `thread.is_alive()`: a thread is alive once started and until its function returns.
fn is_alive(thread: &Option<JoinHandle<()>>) -> bool {
    thread.as_ref().is_some_and(|handle| !handle.is_finished())
}

fn main() {
    // Python: `thread = Thread()` creates a thread object that has not started. Rust has no such
    // object, so the handle we will get from `spawn` starts out as `None`.
    let mut thread: Option<JoinHandle<()>> = None;
    // Rust prints booleans as `true` / `false` (Python: `True` / `False`).
    println!("{}", is_alive(&thread));

    // Started, and busy for half a second: alive.
    thread = Some(thread::spawn(|| thread::sleep(Duration::from_millis(500))));
    println!("{}", is_alive(&thread));

    // `join` waits for the end and consumes the handle (`take` leaves `None` behind).
    if let Some(handle) = thread.take() {
        handle.join().expect("the thread panicked");
    }
    println!("{}", is_alive(&thread));
}
