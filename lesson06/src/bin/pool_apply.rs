//! # `apply` blocks, `apply_async` returns at once
//!
//! Ports the book's lesson 06 "How to Execute Tasks Synchronously and Asynchronously" (its
//! `result = pool.apply(task, args=(arg1, arg2))` and `pool.apply_async(task, args=(arg1,
//! arg2))` fragments). The program around them is this course's own, in the style of the
//! lesson's examples; `pool_apply_async` ports the section's complete `apply_async()` example.
//!
//! The same task, which blocks for a second and returns the sum of its two arguments, is
//! issued twice. Issued with `apply`, it holds main up: main's next line comes a second later,
//! after the task's own lines, and holds the task's value. Issued with `apply_async`, it
//! does not: main's next line comes at once, showing a handle that is not ready yet, while
//! the task runs on a worker; `get()` then waits for the value.
//!
//! The Rust twist: Python's `args=(1, 2)` tuple becomes a closure that captures the arguments
//! (`move || task(1, 2)`), and `apply` returns a `Result`: the task's value, or its panic as a
//! `PoolError` where Python's `apply` re-raises the task's exception.
//!
//! Run it: `cargo run -p lesson06 --bin pool_apply`

use std::thread;
use std::time::Duration;

use lesson06::{PoolError, ThreadPool};

/// The task, run on a worker: blocks for a second, then returns the sum of its arguments.
fn task(arg1: i32, arg2: i32) -> i32 {
    println!("Worker task got {arg1} and {arg2}");
    thread::sleep(Duration::from_secs(1));
    let sum = arg1 + arg2;
    println!("Worker task returns {sum}");
    sum
}

fn main() -> Result<(), PoolError> {
    let pool = ThreadPool::default();
    // Blocks until the task is done.
    let result = pool.apply(move || task(1, 2))?;
    println!("Main: apply() returned {result}");
    // Returns at once, while the task runs on a worker.
    let async_result = pool.apply_async(move || task(3, 4))?;
    // Python prints `<multiprocessing.pool.ApplyResult object at 0x...>` here; the Rust
    // handle's `Debug` shows whether the task has finished
    println!("Main: apply_async() returned {async_result:?}");
    let result = async_result.get()?;
    println!("Main: get() returned {result}");
    Ok(())
}
