//! # Solution to exercise 06: one task, five arguments, a thread pool three ways
//!
//! One pool with a worker per task serves all three runs, so in each run the five tasks start
//! together and the slowest (1.7 s) sets the pace. `map` hands back a `Vec` only once every
//! task is done, in the order of the arguments. `imap` and `imap_unordered` return at once
//! with an iterator, and the loop prints each result as the iterator yields it: `imap` in
//! argument order (task 0 after 0.5 s, then task 1 holds the rest back until 1.7 s),
//! `imap_unordered` in the order the tasks finish. The Rust twist: each item of those
//! iterators is a `Result`, because a task that panics shows up in its place as an `Err`
//! where Python's `next()` would raise; `?` hands such an error up to `main`, whose own
//! `Result` then reports it.
//!
//! Run it: `cargo run -p lesson06 --bin lesson06_solution`

use std::thread;
use std::time::Duration;

use lesson06::{PoolError, ThreadPool};

/// How long each task blocks, in seconds: task `id` blocks for `SLEEPS[id]`.
const SLEEPS: [f64; 5] = [0.5, 1.7, 0.1, 1.3, 0.9];

/// The task: blocks for its own time, then returns its id and that time.
fn task(id: usize) -> (usize, f64) {
    let seconds = SLEEPS[id];
    thread::sleep(Duration::from_secs_f64(seconds));
    (id, seconds)
}

fn main() -> Result<(), PoolError> {
    // One worker per task: every task of a run starts at once.
    let pool = ThreadPool::new(SLEEPS.len());

    // map: blocks until all five are done, then the results in argument order.
    for (id, seconds) in pool.map(task, 0..SLEEPS.len())? {
        println!("map: task {id} slept {seconds}");
    }

    // imap: each result as soon as it and every one before it are done.
    for result in pool.imap(task, 0..SLEEPS.len())? {
        let (id, seconds) = result?;
        println!("imap: task {id} slept {seconds}");
    }

    // imap_unordered: each result the moment its task is done.
    for result in pool.imap_unordered(task, 0..SLEEPS.len())? {
        let (id, seconds) = result?;
        println!("imap_unordered: task {id} slept {seconds}");
    }
    Ok(())
}
