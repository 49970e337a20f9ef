//! # A thread stores into a global; main reads it after join
//!
//! Ports `global_variable.py` (book L05 "Example of Sharing Data via Global Variables").
//!
//! A new thread sleeps a second, then stores `Hello from a new thread` in a global variable;
//! main joins the thread and prints the global. The Rust twist: a global is a `static`, and
//! a `static` that threads change must be thread-safe, so it is wrapped in a `Mutex` (or is an
//! atomic, or a `OnceLock` when it is written once). Python's `global data` has no twin: a
//! `static` is visible everywhere below its declaration.
//!
//! Run it: `cargo run -p lesson05 --bin global_variable`

use std::sync::Mutex;
use std::thread;
use std::time::Duration;

// Python: `data = None`, defined in main before the thread starts. A Rust `static` is
// created before `main` runs, so it is declared here, at the top, with its first value.
// Safe Rust does not let two threads touch a plain `static mut` (that would be a data race),
// so the global lives inside a `Mutex`: every read and write goes through its lock, which is
// the book's "protect the global variable with a Lock", enforced by the compiler.
// Alternatives: an atomic (`AtomicU64`, ...) for a number, a `OnceLock<String>` for a value
// set exactly once.
static DATA: Mutex<Option<String>> = Mutex::new(None);

// custom function to be executed in a new thread
fn task() {
    // block for a moment
    thread::sleep(Duration::from_secs(1));
    // store data in the global variable; the lock is released at the end of the statement
    *DATA.lock().expect("no thread panicked holding the lock") =
        Some("Hello from a new thread".to_string());
}

fn main() {
    // create and start a new thread
    let thread = thread::spawn(task);
    // wait for the thread to finish
    thread.join().expect("the thread panicked");
    // report the global variable (Python prints `None` if the thread stored nothing)
    match DATA
        .lock()
        .expect("no thread panicked holding the lock")
        .as_deref()
    {
        Some(data) => println!("{data}"),
        None => println!("None"),
    }
}
