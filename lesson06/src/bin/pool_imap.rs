//! # `imap`: each result as soon as it and those before it are done
//!
//! Ports the `imap()` snippet of book L06 "How to Execute Tasks Synchronously and
//! Asynchronously", and the lesson's exercise.
//!
//! Ten tasks each pick a random time under a second, sleep that long and return it. The main
//! thread prints each result in the order the tasks were issued, as soon as that task and all
//! before it are done: if task 3 sleeps longer than task 4, task 4's result waits for task 3's.
//! The number of workers does not change that order. Here every task has its own worker, so
//! all ten start together, as in `pool_imap_unordered`, and the two examples differ only in
//! the order their results come in.
//!
//! The Rust twist: each item `imap` yields is a `Result`, so a panicking task shows up in its
//! place as an `Err` and the loop goes on to the next result (Python's `next()` re-raises the
//! task's exception in the loop instead).
//!
//! Run it: `cargo run -p lesson06 --bin pool_imap`

use std::thread;
use std::time::Duration;

use lesson06::{PoolError, ThreadPool};

/// The task: pick a random value under one, report it, sleep that many seconds, return it.
fn task(ident: i32) -> f64 {
    let value: f64 = rand::random();
    println!("Task {ident} with {value}");
    thread::sleep(Duration::from_secs_f64(value));
    value
}

fn main() -> Result<(), PoolError> {
    // One worker per task: with all ten started at once, the order of the results is imap's
    // alone, and a careless port that yields them in completion order shows it at once.
    let pool = ThreadPool::new(10);
    // each result in issue order, as soon as its task and all before it are done
    for result in pool.imap(task, 0..10)? {
        match result {
            Ok(value) => println!("Result: {value}"),
            // not reached here: no task panics
            Err(error) => println!("Task failed: {error}"),
        }
    }
    Ok(())
}
