//! # `imap`: each result as soon as it and those before it are done
//!
//! Ports `pool_imap.py` (book L06, the `imap()` snippet and the lesson's exercise).
//!
//! Ten tasks each pick a random time under a second, sleep that long and return it. The main
//! thread prints each result as it comes, in the order the tasks were issued: a slow task 3
//! holds back the result of a fast task 4 until task 3 is done, while the workers go on
//! starting new tasks. Two workers, as `ThreadPool()` had on the course's machine.
//! The Rust twist: each item `imap` yields is a `Result`, so a panicking task would show up
//! in its place instead of ending the loop.
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
    // create the thread pool. Two workers, fixed: Python's `ThreadPool()` had two on the
    // course's 2-CPU machine, and with more workers than tasks there is nothing to wait for.
    let pool = ThreadPool::new(2);
    // iterates results as tasks are completed in order
    for result in pool.imap(task, 0..10)? {
        println!("Result: {}", result?);
    }
    Ok(())
}
