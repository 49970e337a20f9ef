//! # Thread name: give a thread a name when you create it
//!
//! Ports book L03 "Configure Thread Name" (also guide "Determining and Naming Threads").
//!
//! A thread named `MyThread` is spawned and its name read back from its handle; then main
//! prints its own `ThreadId`, and a thread named `printer` prints its own name from inside.
//! Python passes `name='MyThread'` to the `Thread` constructor and reads it back from
//! `thread.name`.
//!
//! The Rust twist: the name goes on a `thread::Builder` before spawning, and is read back
//! from the `Thread` handle (`handle.thread().name()`) or, inside the thread, from
//! `thread::current().name()`. The name also shows in a panic report and, on Linux, in
//! `ps -L` and `/proc/<pid>/task/<tid>/comm`.
//!
//! Run it: `cargo run -p lesson03 --bin thread_name`

use std::thread;

fn main() {
    // Python: `thread = Thread(name='MyThread')` builds a thread object that is not running yet.
    // Rust has no "created but not started" thread: a `Builder` holds the settings (the name,
    // the stack size) and `spawn` creates and starts the thread in one step. The name is fixed
    // from then on; unlike Python's `thread.name = ...`, std cannot rename a thread later.
    let handle = thread::Builder::new()
        .name("MyThread".to_string())
        .spawn(|| {
            // This thread has nothing to do: the example is about its name.
        })
        .expect("failed to spawn a thread");

    // `name()` returns `Option<&str>`: `None` for a thread spawned without a name (Python would
    // have invented one, `Thread-1`).
    println!("{}", handle.thread().name().unwrap_or("<unnamed>"));
    handle.join().expect("the thread panicked");

    // The guide's part: the main thread's identifier, then a thread named 'printer'.
    // `thread::current().id()` is a `ThreadId`, Rust's counterpart of `threading.get_ident()`:
    // unique within the process and never reused (Python may reuse an ended thread's ident),
    // opaque (std does not say which number main gets), and not the operating system's id.
    println!("{:?}", thread::current().id());
    let printer = thread::Builder::new()
        .name("printer".to_string())
        .spawn(|| {
            // Inside the thread, its own name comes from `thread::current()`.
            println!("{}", thread::current().name().unwrap_or("<unnamed>"));
        })
        .expect("failed to spawn a thread");
    printer.join().expect("the thread panicked");
}
