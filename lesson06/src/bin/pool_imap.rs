//! # `imap`: each result as soon as it and those before it are done
//!
//! Ports `pool_imap.py` (book L06, the `imap()` snippet and the lesson's exercise).
//!
//! Ten tasks each pick a random time under a second, sleep that long and return it. The main
//! thread prints each result in the order the tasks were issued, as soon as that task and all
//! before it are done: if task 3 sleeps longer than task 4, task 4's result waits for task 3's.
//! The number of workers does not change that order. Here every task has its own worker, so
//! all ten start together, as in `pool_imap_unordered`, and the two examples differ only in
//! the order their results come in.
//! The Rust twist: each item `imap` yields is a `Result`, so a panicking task shows up in its
//! place as an `Err` and the loop goes on to the next result (Python's `next()` re-raises the
//! task's exception in the loop instead).
//!
//! Run it: `cargo run -p lesson06 --bin pool_imap`

use std::thread;
use std::time::Duration;

use lesson06::{PoolError, ThreadPool};

// custom function to be executed in a worker thread
fn task(ident: i32) -> f64 {
    // generate a value
    let value: f64 = rand::random();
    // report a message
    println!("Task {ident} with {value}");
    // block for a moment
    thread::sleep(Duration::from_secs_f64(value));
    // return the generated value
    value
}

fn main() -> Result<(), PoolError> {
    // create the thread pool: one worker per task. The Python original used `ThreadPool()`,
    // two workers on the course's machine, where the tasks also queue for a worker; with all
    // ten started at once the results still come in issue order, and a careless port that
    // yields them in completion order shows it at once.
    let pool = ThreadPool::new(10);
    // iterates results as tasks are completed in order
    for result in pool.imap(task, 0..10)? {
        match result {
            Ok(value) => println!("Result: {value}"),
            // not reached here: no task panics
            Err(error) => println!("Task failed: {error}"),
        }
    }
    Ok(())
}
