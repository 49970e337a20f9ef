//! # Thread-local storage: each thread sees its own value
//!
//! Ports `thread_local_storage.py` (book L02 "Thread-Local Storage").
//!
//! Main stores 100 in a thread-local, a new thread stores 33 in the same thread-local a
//! second later, and main still sees 100: each thread has its own copy. Python creates a
//! `local()` object and passes it to the thread; Rust's `thread_local!` declares a static
//! that every thread gets a fresh copy of, so there is nothing to pass.
//!
//! Run it: `cargo run -p lesson02 --bin thread_local_storage`

use std::cell::Cell;
use std::thread;
use std::time::Duration;

thread_local! {
    // Python's `local_storage.value`. Each thread starts with its own `None`: reading
    // `value` before storing it is an `AttributeError` in Python, a `None` here.
    // `Cell` gives interior mutability: only the owning thread can reach this copy, so no
    // lock is needed.
    static VALUE: Cell<Option<i32>> = const { Cell::new(None) };
}

/// The function executed in the new thread.
fn task() {
    // block for a moment to simulate work
    thread::sleep(Duration::from_secs(1));
    // store a private variable on the thread local
    VALUE.set(Some(33));
    // report the stored value
    println!("Thread stored: {}", show(VALUE.get()));
}

/// Prints a stored value; `None` means this thread never stored one.
fn show(value: Option<i32>) -> String {
    value.map_or_else(|| "nothing".to_string(), |v| v.to_string())
}

fn main() {
    // store a private variable on the thread local
    VALUE.set(Some(100));
    // report the stored value
    println!("Main stored: {}", show(VALUE.get()));
    // create and start a new thread to run the custom function
    let thread = thread::spawn(task);
    // wait for the thread to terminate
    thread.join().expect("the thread panicked");
    // report the stored value: still main's own 100
    println!("Main sees: {}", show(VALUE.get()));
}
