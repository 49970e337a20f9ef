//! # A thread closes itself by returning
//!
//! Ports book L07 "Close Thread By Returning", which gives only the snippet
//! `if condition: return`; the program around it is written in the style of `close_by_exit`.
//!
//! The task works through up to ten steps of half a second each, reporting each one. After the
//! third step a condition is met and the task simply returns: the thread ends there, the steps
//! after it never run, and main, which was joining the thread, carries on.
//!
//! The Rust twist: none, and that is the point. Returning from the function a thread runs is the
//! normal way for any thread to end, in Python and in Rust alike. The condition could as well
//! come from another thread (a shared flag: see `stop_with_event`).
//!
//! Run it: `cargo run -p lesson07 --bin close_by_return`

use std::thread;
use std::time::Duration;

/// The new thread: up to ten half-second steps, until the condition is met after the third.
fn task() {
    for step in 0..10 {
        thread::sleep(Duration::from_millis(500));
        println!("Task step {step} done");
        // Python: `if condition: return`
        if step == 2 {
            println!("Condition met, returning early");
            // this ends the thread: nothing below runs
            return;
        }
    }
    // never reached
    println!("Task finished all its steps");
}

fn main() {
    let handle = thread::spawn(task);
    // main waits here until the thread has closed itself
    handle.join().expect("the task thread panicked");
    println!("Main all done");
}
