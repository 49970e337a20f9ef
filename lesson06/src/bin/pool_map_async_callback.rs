//! # A result callback for `map_async`: one call, with every result
//!
//! Ports the book's lesson 06 "How to Use Callbacks to Handle Results and Errors" (its
//! `map_async(..., callback=result_callback)` fragment, whose callback iterates over the
//! results and prints each). The program around it is this course's own, in the style of the
//! lesson's result-callback example, `pool_apply_async_callback`.
//!
//! Five tasks each pick a random value, block for a moment and report and return the value.
//! Each has its own worker, and the later the item, the shorter its block, so they finish
//! in reverse order: task 4 first, task 0 last. The pool calls the callback once, after the
//! last task is done, with the whole list of values, in the order of the items, not the
//! order the tasks finished in.
//!
//! The Rust twist: the callback gets the whole list as a `&Vec<f64>`, borrowed because the
//! same `Vec` also goes to the `AsyncResult`; it runs on the pool's result-handler thread, as
//! in Python, never on main's.
//!
//! Run it: `cargo run -p lesson06 --bin pool_map_async_callback`

use std::thread;
use std::time::Duration;

use lesson06::{PoolError, ThreadPool};

/// How many tasks, each with its own worker.
const TASKS: i32 = 5;

/// The result callback: the pool calls it once, with every result.
fn result_callback(result: &[f64]) {
    // Not in the book's fragment: one line per call, so that the output shows it was called
    // once, with every value
    println!("Callback got {} values", result.len());
    for value in result {
        println!("{value}");
    }
}

/// The task, run on a worker.
fn task(ident: i32) -> f64 {
    let value: f64 = rand::random();
    // A quarter of a second less for each later item, so that the tasks finish in the
    // reverse of their order.
    thread::sleep(Duration::from_millis(250 * (TASKS - 1 - ident) as u64));
    println!("Task {ident} returns {value}");
    value
}

fn main() -> Result<(), PoolError> {
    // One worker per task, so that all of them block at once.
    let pool = ThreadPool::new(TASKS as usize);
    // Python's optional
    // `callback=` and `error_callback=` become `map_async_with`'s two closures (this example
    // needs no error callback, so it passes one that does nothing). The closure lends the
    // `&Vec<f64>` on as the `&[f64]` that `result_callback` takes.
    let _result = pool.map_async_with(
        task,
        0..TASKS,
        |values: &Vec<f64>| result_callback(values),
        |_| {},
    )?;
    pool.close();
    // Waits for every task, and for the callback.
    pool.join()?;
    Ok(())
}
