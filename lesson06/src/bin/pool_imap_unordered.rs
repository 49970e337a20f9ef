//! # `imap_unordered`: results in the order the tasks finish
//!
//! Ports `pool_imap_unordered.py` (book L06, the `imap_unordered()` description and the
//! lesson's exercise).
//!
//! The same ten tasks as `pool_imap`, each sleeping a random time under a second, but the
//! main thread gets each result the moment its task is done, whichever was issued first.
//! Here every task has its own worker, so all ten start together and the results come out
//! sorted by sleep time: the shortest first.
//! The Rust twist: none in the pool's behaviour; the iterator yields `Result`s, as `imap`'s,
//! so a panicking task would show up as an `Err` among the results.
//!
//! Run it: `cargo run -p lesson06 --bin pool_imap_unordered`

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
    // create the thread pool: one worker per task. The Python original used `ThreadPool()`
    // (two workers there), where the completion order mixes when a task started with how
    // long it slept; with every task started at once, completion order is simply
    // "shortest sleep first", which makes the point plain (and checkable).
    let pool = ThreadPool::new(10);
    // iterates results in the order tasks complete
    for result in pool.imap_unordered(task, 0..10)? {
        match result {
            Ok(value) => println!("Result: {value}"),
            // not reached here: no task panics
            Err(error) => println!("Task failed: {error}"),
        }
    }
    Ok(())
}
