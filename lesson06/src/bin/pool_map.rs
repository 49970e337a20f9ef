//! # Ten tasks through `map`: results in issue order
//!
//! Ports book L06 "How to Execute Tasks Synchronously and Asynchronously" (its `map()`
//! example).
//!
//! `map` issues one task per item and blocks until every task is done, so all ten
//! "Worker task got" lines come first, in whatever order the workers ran them, and only then
//! the doubled values, always in the order of the items: 0, 2, ... 18.
//!
//! The Rust twist: `map` returns a `Result<Vec<_>, PoolError>`, the first panic of any task
//! in place of Python's re-raised exception.
//!
//! Run it: `cargo run -p lesson06 --bin pool_map`

use lesson06::{PoolError, ThreadPool};

/// The task: report the item, return it doubled.
fn task(arg: i32) -> i32 {
    // `println!` locks stdout for the whole line, so two workers never splice their lines
    // together as Python's `print` sometimes does.
    println!("Worker task got {arg}");
    arg * 2
}

fn main() -> Result<(), PoolError> {
    // one worker per CPU the program may use (`available_parallelism()`), as `ThreadPool()`
    // has one per `os.process_cpu_count()` from Python 3.13 (per `os.cpu_count()` up to 3.12)
    let pool = ThreadPool::default();
    // As in Python, the items go to the workers in chunks: with 10 items and 2 workers, 2 at a
    // time (`chunksize` defaults to a quarter of each worker's share of the items, rounded up;
    // `map_with_chunksize` sets it).
    for result in pool.map(task, 0..10)? {
        println!("{result}");
    }
    Ok(())
}
