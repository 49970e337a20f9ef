//! # An error callback: a task that fails, and a pool that goes on
//!
//! Ports the `error_callback` snippet of book L06 "How to Use Callbacks to Handle Results and
//! Errors" (`apply_async(..., error_callback=custom_callback)`), completed in the style of the
//! section's result-callback example.
//!
//! Task 0 sleeps a random moment and fails; the pool hands the failure to `custom_callback`.
//! Then task 1 runs on the same single worker and succeeds, its value going to
//! `result_callback`: the failure did not take the worker down.
//!
//! The Rust twist: a Python task fails by raising; a Rust task fails by panicking. The pool
//! catches the panic (`catch_unwind`) at the edge of the task, so the worker thread lives on,
//! and the callback gets the panic's message. Rust's panic hook still reports the panic on
//! stderr, the three lines you see there: it runs as the panic starts, before the pool can
//! catch it. Python's pool prints nothing for a task that raises.
//!
//! Run it: `cargo run -p lesson06 --bin pool_error_callback`

use std::thread;
use std::time::Duration;

use lesson06::{PoolError, ThreadPool};

/// The error callback: the pool calls it with the failed task's error.
fn custom_callback(error: &PoolError) {
    // a `PoolError` displays as the panic's message, as a Python exception prints as its
    // message
    println!("Error callback got: {error}");
}

/// The result callback: the pool calls it with a task's return value.
fn result_callback(return_value: &f64) {
    println!("Callback got: {return_value}");
}

/// A task that fails: the same work as `task`, then a panic where Python raises.
fn failing_task(ident: i32) -> f64 {
    task(ident);
    // Python: `raise Exception('Something bad happened')`
    panic!("Something bad happened");
}

/// The task: pick a random value, report it, sleep that long and return it.
fn task(ident: i32) -> f64 {
    let value: f64 = rand::random();
    println!("Task {ident} with {value}");
    thread::sleep(Duration::from_secs_f64(value));
    value
}

fn main() -> Result<(), PoolError> {
    // One worker, so that task 1 can only run if the worker survived task 0's panic.
    let pool = ThreadPool::new(1);
    // with an error callback, and a result callback that is never called: there is no result
    let _failed = pool.apply_async_with(move || failing_task(0), |_| {}, custom_callback)?;
    // a task that succeeds, on the same worker
    let _succeeded = pool.apply_async_with(move || task(1), result_callback, |_| {})?;
    pool.close();
    pool.join()?;
    Ok(())
}
