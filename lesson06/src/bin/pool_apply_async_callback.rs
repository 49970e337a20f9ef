//! # A result callback for a one-off task
//!
//! Ports book L06 "How to Use Callbacks to Handle Results and Errors" (its result-callback
//! example).
//!
//! The task picks a random value, reports it, sleeps that long and returns it; the pool then
//! calls `result_callback` with that same value. The main thread closes the pool and joins it,
//! which waits for the task and its callback.
//!
//! The Rust twist: the callback is any closure, and it borrows the value (`&f64`) because the
//! value also goes to the `AsyncResult`; as in Python, it runs on the pool's result-handler
//! thread, after the task and before the result is ready.
//!
//! Run it: `cargo run -p lesson06 --bin pool_apply_async_callback`

use std::thread;
use std::time::Duration;

use lesson06::{PoolError, ThreadPool};

/// The result callback: the pool calls it with the task's return value.
fn result_callback(return_value: &f64) {
    println!("Callback got: {return_value}");
}

/// The task: pick a random value, report it, sleep that long and return it.
fn task(ident: i32) -> f64 {
    let value: f64 = rand::random();
    println!("Task {ident} with {value}");
    thread::sleep(Duration::from_secs_f64(value));
    value
}

fn main() -> Result<(), PoolError> {
    let pool = ThreadPool::default();
    // `args=(0,)` becomes a closure capturing the 0; Python's optional `callback=` and
    // `error_callback=` become `apply_async_with`'s two closures (this example needs no error
    // callback, so it passes one that does nothing).
    let _result = pool.apply_async_with(move || task(0), result_callback, |_| {})?;
    pool.close();
    // waits for the task and its callback
    pool.join()?;
    Ok(())
}
