//! Lesson 06's library: a thread pool with the API of Python's
//! `multiprocessing.pool.ThreadPool`, because Rust's standard library has none.
//!
//! ```no_run
//! // (compiled, not run, by `cargo test`: each file's tests run the pool, under a watchdog
//! // that fails a broken pool instead of hanging)
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
//!
//! The library is built in steps, each a file a reader can copy, each saying on its first
//! line which other files it needs:
//!
//! | file | adds | needs |
//! | --- | --- | --- |
//! | `pool.rs` | [`ThreadPool`] (`new`, `apply`, `apply_async`, `map`, `map_async`, `close`, `join`, `terminate`), [`AsyncResult`], [`PoolError`] | nothing beyond std |
//! | `imap.rs` | `imap`, `imap_unordered` and their [`IMapIterator`] | `pool.rs` |
//! | `starmap.rs` | `starmap`, `starmap_async` and [`StarFn`] | `pool.rs` |

mod imap;
mod pool;
mod starmap;

pub use imap::{IMapIterator, WINDOW_PER_WORKER};
pub use pool::{AsyncResult, PoolError, ThreadPool, default_chunksize};
pub use starmap::StarFn;
