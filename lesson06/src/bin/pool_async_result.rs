//! # Interacting with asynchronous tasks: `ready`, `successful`, `wait`, `get`
//!
//! Ports book L06 "How to Interact with Asynchronous Tasks", with the `error_callback` snippet
//! of book L06 "How to Use Callbacks to Handle Results and Errors".
//!
//! `map_async` issues four one-second tasks and returns at once: not ready, and asking
//! whether it succeeded is an error until it is. Half a second of `wait_timeout` is not
//! enough; `get` blocks until all four are done and returns `[0, 2, 4, 6]`. Then a task that
//! fails: the error callback reports it, `successful` says false, and `get` returns it.
//!
//! The Rust twist: Python raises (`ValueError` from `successful()`, the task's exception from
//! `get()`); Rust returns `Err`, so the two lines that said "raised" say "returned Err" here.
//! The failing task panics, so Rust's panic hook reports it on stderr, although the pool
//! catches the panic; Python's pool prints nothing there (its stderr stays empty).
//!
//! Run it: `cargo run -p lesson06 --bin pool_async_result`

use std::thread;
use std::time::Duration;

use lesson06::{PoolError, ThreadPool};

/// The task: a second of work, then it returns its argument doubled.
fn task(arg: i32) -> i32 {
    thread::sleep(Duration::from_secs(1));
    arg * 2
}

/// A task that fails: Python raises, Rust panics.
fn failing_task() {
    thread::sleep(Duration::from_millis(500));
    panic!("Something bad happened");
}

/// The error callback: the pool calls it with the failed task's error.
fn custom_callback(error: &PoolError) {
    println!("Error callback got: {error}");
}

fn main() -> Result<(), PoolError> {
    // one worker per CPU: with two, the four tasks take 2 s
    let pool = ThreadPool::default();
    // returns at once, before any task has run
    let async_result = pool.map_async(task, 0..4)?;
    println!("Ready: {}", async_result.ready());
    // an error while the tasks still run (Python raises `ValueError`)
    match async_result.successful() {
        Ok(successful) => println!("Successful: {successful}"),
        Err(error) => println!("successful() returned Err: {error}"),
    }
    // Python: `wait(timeout=0.5)`, too short for one-second tasks
    async_result.wait_timeout(Duration::from_secs_f64(0.5));
    println!("Ready after wait(timeout=0.5): {}", async_result.ready());
    // blocks until all four are done
    let result = async_result.get()?;
    println!("Ready: {}", async_result.ready());
    println!("Successful: {}", async_result.successful()?);
    // `{:?}` prints a Vec the way Python prints a list
    println!("Result: {result:?}");
    let async_result = pool.apply_async_with(failing_task, |_| {}, custom_callback)?;
    async_result.wait();
    println!("Ready: {}", async_result.ready());
    println!("Successful: {}", async_result.successful()?);
    // the panic comes back from get() as an Err, where Python re-raises the exception
    if let Err(error) = async_result.get() {
        println!("get() returned Err: {error}");
    }
    Ok(())
}
