//! # Thread-local storage: each thread sees its own value
//!
//! Ports book L02 "Thread-Local Storage".
//!
//! Main stores 100 in a thread-local, a new thread stores 33 in the same thread-local a
//! second later, and main still sees 100: each thread has its own copy.
//!
//! The Rust twist: Python creates a `local()` object and passes it to the thread; Rust's
//! `thread_local!` declares a static that every thread gets a fresh copy of, so there is
//! nothing to pass.
//!
//! Run it: `cargo run -p lesson02 --bin thread_local_storage`

use std::cell::Cell;
use std::thread;
use std::time::Duration;

thread_local! {
    /// Python's `local_storage.value`. Each thread starts with its own `None`: reading
    /// `value` before storing it is an `AttributeError` in Python, a `None` here.
    /// `Cell` gives interior mutability: only the owning thread can reach this copy, so no
    /// lock is needed.
    static VALUE: Cell<Option<i32>> = const { Cell::new(None) };
}

/// The function executed in the new thread.
fn task() {
    thread::sleep(Duration::from_secs(1));
    VALUE.set(Some(33));
    println!("Thread stored: {}", show(VALUE.get()));
}

/// Prints a stored value; `None` means this thread never stored one.
fn show(value: Option<i32>) -> String {
    value.map_or_else(|| "nothing".to_string(), |v| v.to_string())
}

fn main() {
    VALUE.set(Some(100));
    println!("Main stored: {}", show(VALUE.get()));
    let thread = thread::spawn(task);
    thread.join().expect("the thread panicked");
    // Still main's own 100: the thread's 33 went into the thread's own copy.
    println!("Main sees: {}", show(VALUE.get()));
}
