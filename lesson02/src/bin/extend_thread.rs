//! # A custom "thread class": a struct with a `run` method
//!
//! Ports book L02 "How to Extend the Thread Class" (also cc L2 "Extend The Thread Class" and
//! org "extend the thread class").
//!
//! A custom thread type whose work sleeps a second and prints a line is started; main says
//! it is waiting and joins it. Python subclasses `Thread` and overrides `run()`, and the
//! inherited `start()` runs it in a new thread.
//!
//! The Rust twist: Rust has no classes and no inheritance, so there is nothing to extend. The
//! idiom is a struct that holds the thread's data, a `run(self)` method with the work, and a
//! `start` method that moves the struct into a new thread and returns the `JoinHandle`.
//!
//! Run it: `cargo run -p lesson02 --bin extend_thread`

use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Python's `class CustomThread(Thread)`. Data the thread needs would be fields here
/// (Python's instance variables set in `__init__`); this one needs none.
#[derive(Debug)]
struct CustomThread;

impl CustomThread {
    /// The overridden `run()`: the code that executes in the new thread.
    fn run(self) {
        thread::sleep(Duration::from_secs(1));
        println!("This is another thread");
    }

    /// The inherited `start()`: runs `run` in a new thread. `self` is moved into the
    /// closure, so the thread owns the struct and nobody else can touch it meanwhile.
    fn start(self) -> JoinHandle<()> {
        thread::spawn(move || self.run())
    }
}

fn main() {
    let thread = CustomThread;
    // Calling `thread.run()` here instead would do the work in main, before the next line:
    // only `start` puts it in a new thread.
    let handle = thread.start();
    println!("Waiting for the thread to finish");
    handle.join().expect("the thread panicked");
}
