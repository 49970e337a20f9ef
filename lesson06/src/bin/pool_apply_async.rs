//! # Issue one task to a thread pool asynchronously, then wait for it
//!
//! Ports `pool_apply_async.py` (book L06 "How to Execute Tasks Synchronously and
//! Asynchronously", the `apply_async()` example).
//!
//! The main thread hands one call of `task` to the pool and gets an `AsyncResult` back at
//! once; `wait()` blocks until a worker has run it. The Rust twist: std has no thread pool,
//! so `ThreadPool` comes from this lesson's library, with Python's method names.
//!
//! Run it: `cargo run -p lesson06 --bin pool_apply_async`

use lesson06::{PoolError, ThreadPool};

// custom function to be executed in a worker thread
fn task() {
    // report a message
    println!("This is a worker thread");
}

// Python's `if __name__ == '__main__':` is simply `main`. It returns a `Result` so that `?`
// can pass on a `PoolError` (submitting to a closed pool is an error, where Python raises).
fn main() -> Result<(), PoolError> {
    // create the thread pool: `ThreadPool()` has one worker per logical CPU
    // (`available_parallelism()`), as Python's has `os.cpu_count()`.
    let pool = ThreadPool::default();
    // issue a task asynchronously: the function itself is passed, no `args=()` needed
    let async_result = pool.apply_async(task)?;
    // wait for the task to complete
    async_result.wait();
    // Python's `with ThreadPool() as pool:` block ends here. Dropping `pool` closes it and
    // joins its workers, so no worker outlives `main`.
    Ok(())
}
