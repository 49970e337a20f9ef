//! # Issue one task to a thread pool asynchronously, then wait for it
//!
//! Ports book L06 "How to Execute Tasks Synchronously and Asynchronously" (its `apply_async()`
//! example).
//!
//! The main thread hands one call of `task` to the pool and gets an `AsyncResult` back at
//! once; `wait()` blocks until a worker has run it, and only then does main go on and say so.
//!
//! Two lines are not in the Python. Leaving Python's `with ThreadPool()` block calls
//! `terminate()`, which throws away a task no worker has started yet: there the `wait()` is
//! what makes sure `This is a worker thread` appears (without it, a worker takes the task
//! before `terminate()` or not, a race that goes either way from run to run). Dropping a
//! `lesson06::ThreadPool` waits for every task instead, so the line would appear with or
//! without the `wait()`. What still
//! shows the wait is the order: main's own line, printed after `wait()` returns, comes after
//! the worker's. For that order to depend on the wait alone, the task first blocks for a
//! moment; without it a worker often prints before main even when main does not wait.
//!
//! The Rust twist: std has no thread pool, so `ThreadPool` comes from this lesson's library,
//! with Python's method names.
//!
//! Run it: `cargo run -p lesson06 --bin pool_apply_async`

use std::thread;
use std::time::Duration;

use lesson06::{PoolError, ThreadPool};

/// The task: a second of work (not in the Python: see the header), then it reports.
fn task() {
    thread::sleep(Duration::from_secs(1));
    println!("This is a worker thread");
}

/// Python's `if __name__ == '__main__':` is simply `main`. It returns a `Result` so that `?`
/// can pass on a `PoolError` (submitting to a closed pool is an error, where Python raises).
fn main() -> Result<(), PoolError> {
    // One worker per CPU the program may use (`available_parallelism()`), as Python's
    // `ThreadPool()` has one per `os.process_cpu_count()` from 3.13 (per `os.cpu_count()`
    // up to 3.12).
    let pool = ThreadPool::default();
    // The function itself is passed: no `args=()` needed.
    let async_result = pool.apply_async(task)?;
    async_result.wait();
    // not in the Python: main goes on only once the task is complete
    println!("Main: the task is complete");
    // Python's `with ThreadPool() as pool:` block ends here. Dropping `pool` closes it and
    // joins its workers, so no worker outlives `main`.
    Ok(())
}
