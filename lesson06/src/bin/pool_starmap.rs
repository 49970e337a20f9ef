//! # `starmap`: tasks that take several arguments each
//!
//! Ports the `starmap()` snippet of book L06 "How to Execute Tasks Synchronously and
//! Asynchronously" (`items = [(1,2), (3,4), (5,6)]`), completed in the style of the section's
//! `map()` example.
//!
//! Each item is a tuple holding the arguments of one call: `task(1, 2)`, `task(3, 4)`,
//! `task(5, 6)`. The worker lines come in any order, the sums 3, 7, 11 in the items' order.
//!
//! The Rust twist: Python unpacks the tuple with `func(*args)` at run time; Rust checks at
//! compile time that the tuple's types match the function's parameters.
//!
//! Run it: `cargo run -p lesson06 --bin pool_starmap`

use lesson06::{PoolError, ThreadPool};

/// The task, with two arguments: report them, return their sum.
fn task(arg1: i32, arg2: i32) -> i32 {
    println!("Worker task got {arg1} and {arg2}");
    arg1 + arg2
}

fn main() -> Result<(), PoolError> {
    let pool = ThreadPool::default();
    // Python's "iterable of iterables": a list of tuples, one per call
    let items = [(1, 2), (3, 4), (5, 6)];
    for result in pool.starmap(task, items)? {
        println!("{result}");
    }
    Ok(())
}
