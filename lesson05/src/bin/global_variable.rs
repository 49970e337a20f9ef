//! # A thread stores into a global; main reads it after join
//!
//! Ports book L05 "Example of Sharing Data via Global Variables".
//!
//! A new thread sleeps a second, then stores `Hello from a new thread` in a global variable;
//! main joins the thread and prints the global.
//!
//! The Rust twist: a global is a `static`, and a `static` that threads change must be
//! thread-safe, so it is wrapped in a `Mutex` (or is an atomic, or a `OnceLock` when it is
//! written once). Python's `global data` has no twin: a `static` is visible throughout the
//! scope it is declared in (here the whole module), above its declaration as well as below, and
//! a function changes it through the `Mutex` without declaring anything.
//!
//! Run it: `cargo run -p lesson05 --bin global_variable`

use std::sync::Mutex;
use std::thread;
use std::time::Duration;

/// Python: `data = None`, defined in main before the thread starts. A Rust `static` exists for
/// the whole run of the program, with a first value fixed at compile time: here it is declared
/// at module level, with that value. A plain `static` is read-only, and every read or write of
/// a `static mut`, from any thread, needs `unsafe` (the compiler cannot rule out a data race).
/// So the global lives inside a `Mutex`, the book's advice to protect a global variable with a
/// `Lock`: every read and write goes through the lock, and safe code has no other way in.
static DATA: Mutex<Option<String>> = Mutex::new(None);

/// The new thread: a second of work, then it stores its result in the global.
fn task() {
    thread::sleep(Duration::from_secs(1));
    // the lock is released at the end of the statement
    *DATA.lock().expect("no thread panicked holding the lock") =
        Some("Hello from a new thread".to_string());
}

fn main() {
    let thread = thread::spawn(task);
    thread.join().expect("the thread panicked");
    // Copy the value out first: the guard is a temporary of this statement, so the lock is
    // released at its `;`. Locked inside the `match` below, it would be held through every arm.
    let data = DATA
        .lock()
        .expect("no thread panicked holding the lock")
        .clone();
    // Python prints `None` if the thread stored nothing.
    match data.as_deref() {
        Some(data) => println!("{data}"),
        None => println!("None"),
    }
}
