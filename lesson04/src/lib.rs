//! Lesson 04's library: the synchronization primitives Python's `threading` module has and
//! Rust's std lacks, one small file each, std-only, so that any one can be copied on its own.
//!
//! | Python | here | file |
//! | --- | --- | --- |
//! | `threading.Lock` with `acquire(blocking, timeout)` and `locked()` | [`Lock`] | `lock.rs` |
//! | `threading.RLock` | [`RLock`] | `rlock.rs` |
//! | `threading.Semaphore`, `threading.BoundedSemaphore` | [`Semaphore`], [`BoundedSemaphore`] | `semaphore.rs` |
//! | `threading.Event` | [`Event`] | `event.rs` |
//! | `threading.Timer` | [`Timer`] | `timer.rs` |
//!
//! What std already has is used as it is: `Mutex` (Python's `Lock` when it guards data),
//! `Condvar` (`Condition`), `Barrier` (`Barrier`, without its timeout, action, abort and reset).

pub mod event;
pub mod lock;
pub mod rlock;
pub mod semaphore;
pub mod timer;

pub use event::Event;
pub use lock::{Lock, LockGuard};
pub use rlock::{RLock, RLockGuard};
pub use semaphore::{BoundedSemaphore, Semaphore, SemaphorePermit, TooManyReleases};
pub use timer::Timer;
