//! # `imap_unordered`: results in the order the tasks finish
//!
//! Ports the `imap_unordered()` description of book L06 "How to Execute Tasks Synchronously
//! and Asynchronously", and the lesson's exercise.
//!
//! The same ten tasks as `pool_imap`, each sleeping a random time under a second, but the
//! main thread gets each result the moment its task is done, whichever was issued first.
//! Here every task has its own worker, so all ten start together and the results come out
//! sorted by sleep time: the shortest first.
//!
//! The Rust twist: none in the pool's behaviour; the iterator yields `Result`s, as `imap`'s,
//! so a panicking task would show up as an `Err` among the results.
//!
//! Run it: `cargo run -p lesson06 --bin pool_imap_unordered`

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
    // One worker per task: with every task started at once, completion order is simply
    // "shortest sleep first", which makes the point plain (and checkable).
    let pool = ThreadPool::new(10);
    // each result as soon as its task is done
    for result in pool.imap_unordered(task, 0..10)? {
        match result {
            Ok(value) => println!("Result: {value}"),
            // not reached here: no task panics
            Err(error) => println!("Task failed: {error}"),
        }
    }
    Ok(())
}
