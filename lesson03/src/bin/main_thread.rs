//! # Main thread: reach the main thread's handle from any thread
//!
//! Ports book L03 "Get the Main Thread".
//!
//! A worker thread looks up the main thread's handle and reports it: name `main`, and main's
//! `ThreadId`. Python's `threading.main_thread()` does that lookup; the point is that it works
//! from any thread, not just from main.
//!
//! The Rust twist: std has no `main_thread()`. The usual answer is to save the handle yourself:
//! `main` stores `thread::current()` in a `static OnceLock` as its first act, and any thread
//! reads it from there. A `Thread` handle is cheap to clone and can be sent anywhere; with it
//! another thread can, for example, `unpark()` main.
//!
//! Run it: `cargo run -p lesson03 --bin main_thread`

use std::sync::OnceLock;
use std::thread::{self, Thread};

/// The main thread's handle, set once at the start of `main`. `OnceLock` is a cell that can be
/// written once and then read from any thread without a lock.
static MAIN_THREAD: OnceLock<Thread> = OnceLock::new();

/// Python's `threading.main_thread()`: the handle `main` saved for everyone.
fn main_thread() -> &'static Thread {
    MAIN_THREAD
        .get()
        .expect("main() saves its handle before starting any thread")
}

fn main() {
    // Before any other thread exists, so every thread finds the handle already saved.
    MAIN_THREAD.set(thread::current()).expect("set only once");

    // Python calls `main_thread()` from the main thread itself. Asking from another thread is
    // where the function earns its keep (from main, `thread::current()` would do).
    let worker = thread::spawn(|| {
        let thread = main_thread();
        println!("{thread:?}");
    });
    worker.join().expect("the worker panicked");
}
