//! # Run a function in a new thread
//!
//! Ports book L02 "How to Run a Function in a New Thread" (also cc L1 "Run A Function In A New
//! Thread" and org "run a func in thread").
//!
//! Main starts a thread that sleeps for a second and prints a message, says it is waiting,
//! then joins the thread: `Waiting for the thread...` comes at once, the thread's line a
//! second later.
//!
//! The Rust twist: `thread::spawn` both creates and starts the thread. Rust has no "created
//! but not started" `Thread` object, so there is no separate `start()` call.
//!
//! Run it: `cargo run -p lesson02 --bin run_function`

use std::thread;
use std::time::Duration;

/// The function executed in the new thread (Python's `task`).
fn task() {
    thread::sleep(Duration::from_secs(1));
    println!("This is from another thread");
}

fn main() {
    // Python: `thread = Thread(target=task)` then `thread.start()`.
    // In Rust `spawn` does both at once and hands back a `JoinHandle`: the only way to
    // wait for the thread later.
    let thread = thread::spawn(task);
    println!("Waiting for the thread...");
    // `join` blocks until `task` returns. It gives back a `Result`: `Err` if the thread
    // panicked. Python's `join()` returns `None` whatever happened in the thread. Without
    // it, `main` would return and end the process, thread and all: Rust does not wait for
    // threads at exit.
    thread.join().expect("the thread panicked");
}
