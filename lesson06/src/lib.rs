//! Lesson 06's library: a thread pool with the API of Python's
//! `multiprocessing.pool.ThreadPool`, because Rust's standard library has none.
//!
//! ```
//! use lesson06::ThreadPool;
//!
//! let pool = ThreadPool::new(2);
//! let doubled = pool.map(|x: i32| x * 2, 0..5).unwrap();
//! assert_eq!(doubled, vec![0, 2, 4, 6, 8]);
//! let result = pool.apply_async(|| "done").unwrap();
//! assert_eq!(result.get(), Ok("done"));
//! // Dropping the pool closes it and waits for its tasks (see `ThreadPool`'s docs).
//! ```
//!
//! Std only: threads, a `Mutex`-guarded queue, `Condvar`s to wait on, and `catch_unwind` so
//! a panicking task is reported to whoever waits for it instead of killing its worker.

mod async_result;
mod pool;

pub use async_result::{AsyncResult, PoolError};
pub use pool::{IMapIterator, StarFn, ThreadPool, default_chunksize};
