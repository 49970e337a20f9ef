//! # A thread closes itself by returning
//!
//! Ports book L07 "Close Thread By Returning" (the book gives only the snippet
//! `if condition: return`; this program is written around it, as `close_by_exit` is).
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

// custom function to be executed in a new thread
fn task() {
    // execute the task in steps
    for step in 0..10 {
        // block for a moment
        thread::sleep(Duration::from_millis(500));
        // report progress
        println!("Task step {step} done");
        // determine if the thread should be closed
        if step == 2 {
            println!("Condition met, returning early");
            // this ends the thread: nothing below runs
            return;
        }
    }
    // this is never reached
    println!("Task finished all its steps");
}

fn main() {
    // create and start a new thread
    let handle = thread::spawn(task);
    // wait for the thread to close itself
    handle.join().expect("the task thread panicked");
    // report a message
    println!("Main all done");
}
