//! # Run a function in a new thread
//!
//! Ports `run_function.py` (book L02 "How to Run a Function in a New Thread"; also cc L1,
//! org "run a func in thread", guide "Starting a Thread").
//!
//! Main starts a thread that sleeps for a second and prints a message, says it is waiting,
//! then joins the thread. `thread::spawn` both creates and starts the thread: Rust has no
//! "created but not started" `Thread` object, so there is no separate `start()` call.
//!
//! Run it: `cargo run -p lesson02 --bin run_function`

// Variants folded in here:
// - cc L1 is the same program, without the `if __name__ == '__main__':` guard (Rust has no
//   such guard: `main` is always the entry point).
// - org "run a func in thread" is the same program with other words: it prints
//   `waiting fo the thread ..` then `this is from another thread`.
// - guide "Starting a Thread" does not join, and lets main print `Main thread` while the
//   thread prints numbers; that interleaving is the first part of `combine_threads`.

use std::thread;
use std::time::Duration;

/// The function executed in the new thread (Python's `task`).
fn task() {
    // block for a moment
    thread::sleep(Duration::from_secs(1));
    // report a message
    println!("This is from another thread");
}

fn main() {
    // Python: `thread = Thread(target=task)` then `thread.start()`.
    // In Rust `spawn` does both at once and hands back a `JoinHandle`: the only way to
    // wait for the thread later.
    let thread = thread::spawn(task);
    // wait for the thread to finish
    println!("Waiting for the thread...");
    // `join` blocks until `task` returns. It gives back a `Result`: `Err` if the thread
    // panicked. Python's `join()` returns `None` whatever happened in the thread.
    thread.join().expect("the thread panicked");
}
