//! # Current thread: the handle of the thread running this code
//!
//! Ports book L03 "Get the Current Thread" (also org "whats main thread").
//!
//! Called from `main`, `thread::current()` returns the main thread's handle: its name is `main`
//! (Python's `MainThread`), and it has a `ThreadId`. The org variant prints the same attributes
//! one by one.
//!
//! The Rust twist: `thread::current()` is Python's `threading.current_thread()`; its `Debug`
//! output plays the part of Python's `<_MainThread(MainThread, started 1401...)>`. The id is a
//! `ThreadId` (Python's `ident`): an opaque number that no other thread of the process ever
//! gets, where Python may give an ended thread's `ident` to a new one. std does not say which
//! number the main thread gets, so do not count on a particular one.
//!
//! Run it: `cargo run -p lesson03 --bin current_thread`

use std::thread;

fn main() {
    // The book's part: the handle's `Debug` output.
    let thread = thread::current();
    println!("{thread:?}");

    // The org notes' part prints `name`, `daemon` and `ident`. Python's `f'{x=}'` writes the
    // expression for you; Rust's `format!` does not, so the labels are spelled out. A Rust
    // thread has no `daemon` flag (see `daemon_thread`), so that one is left out.
    println!(
        "thread;\nthread.name()={:?},thread.id()={:?}",
        thread.name(),
        thread.id()
    );
}
