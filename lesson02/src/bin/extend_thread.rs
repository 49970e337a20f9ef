//! # A custom "thread class": a struct with a `run` method
//!
//! Ports `extend_thread.py` (book L02 "How to Extend the Thread Class"; also cc L2, org
//! "extend the thread class").
//!
//! Python subclasses `Thread` and overrides `run()`. Rust has no classes and no inheritance,
//! so there is nothing to extend: the idiom is a struct that holds the thread's data, a
//! `run(self)` method with the work, and a `start` method that moves the struct into a new
//! thread and returns the `JoinHandle`.
//!
//! Run it: `cargo run -p lesson02 --bin extend_thread`

// Variants folded in here: cc L2 prints `This is coming from another thread`; org prints
// `waitin for thread finish` and `this is coming from another thread`. Same program.

use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Python's `class CustomThread(Thread)`. Data the thread needs would be fields here
/// (Python's instance variables set in `__init__`); this one needs none.
#[derive(Debug)]
struct CustomThread;

impl CustomThread {
    /// The overridden `run()`: the code that executes in the new thread.
    fn run(self) {
        // block for a moment
        thread::sleep(Duration::from_secs(1));
        // report a message
        println!("This is another thread");
    }

    /// The inherited `start()`: runs `run` in a new thread. `self` is moved into the
    /// closure, so the thread owns the struct and nobody else can touch it meanwhile.
    fn start(self) -> JoinHandle<()> {
        thread::spawn(move || self.run())
    }
}

fn main() {
    // create the thread
    let thread = CustomThread;
    // start the thread
    let handle = thread.start();
    // wait for the thread to finish
    println!("Waiting for the thread to finish");
    handle.join().expect("the thread panicked");
}
