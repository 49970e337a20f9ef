//! Needs: nothing beyond std
//!
//! [`RLock`]: a re-entrant lock, which the thread holding it may acquire again.
//!
//! Map. Threads: none of its own. State, under one mutex: the owner thread, its depth, and the
//! threads waiting. Who wakes whom: the owner's last release (depth back to 0) wakes one
//! waiter, only if one is counted.
//!
//! Copying it: the `#[cfg(all(test, shuttle))]` lines switch to the shuttle model checker's
//! primitives for `cargo xtask models` only. In a project of your own cargo warns of an
//! unexpected `cfg` condition name `shuttle`: delete those lines, or declare the name in your
//! Cargo.toml: `[lints.rust] unexpected_cfgs = { level = "warn", check-cfg = ["cfg(shuttle)"] }`.
//!
//! Python's `threading.RLock` lets a thread that already holds the lock acquire it again (a
//! plain `Lock` would wait for itself forever); it must release it as many times as it acquired
//! it. std has `ReentrantLock`, but it is still unstable, so here is one, std-only; copy this
//! file into a project as it is.
//!
//! | Python | here |
//! | --- | --- |
//! | `lock = threading.RLock()` | `let lock = RLock::new(())` |
//! | `lock.acquire()` | [`RLock::acquire`] → an [`RLockGuard`] |
//! | `lock.acquire(blocking=False)` | [`RLock::try_acquire`] → `Option<RLockGuard>` |
//! | `lock.acquire(timeout=t)` | [`RLock::acquire_timeout`] → `Option<RLockGuard>` |
//! | `lock.release()` | drop the guard; each guard releases one level |
//! | `with lock:` | `{ let _guard = lock.acquire(); ... }` |
//! | `lock.locked()` (3.14) | [`RLock::locked`] |
//! | `lock._is_owned()` | [`RLock::is_owned`] |
//! | `repr(lock)`: `<unlocked _thread.RLock object owner=0 count=0 at ...>` | `{:?}`: `RLock { owner: None, depth: 0, .. }` |
//!
//! The guards hand out shared references only (`&T`): the owning thread may hold several guards
//! at once, and two `&mut T` to the same data would break Rust's aliasing rule. To change the
//! data, put an interior-mutable type in it (a `Cell`, a `RefCell`, an atomic), as with std's
//! `ReentrantLock`. A guard cannot move to another thread: only the owner may release the lock.
//!
//! Like std's `ReentrantLock<T>`, an `RLock<T>` can be shared between threads whenever `T` can
//! be sent to another thread (`T: Send`), even if `T` itself is not thread-safe (`Cell`,
//! `RefCell`): only the owning thread ever reaches the data. That takes one `unsafe impl`,
//! whose argument is written next to it.
//!
//! Differences from Python: releasing a lock one does not hold (`RuntimeError` in Python) cannot
//! be written, since only a guard releases; a timeout is a [`Duration`], so it cannot be
//! negative, and `Duration::MAX` means no deadline, where CPython raises `OverflowError`.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::sync::PoisonError;
use std::time::Duration;
// Model checking (`cargo xtask models`) swaps std's primitives for shuttle's; a copied file
// builds without shuttle, since `cfg(shuttle)` is never set there.
#[cfg(all(test, shuttle))]
use shuttle::sync::{Condvar, Mutex, MutexGuard};
#[cfg(all(test, shuttle))]
use shuttle::thread::{self, ThreadId};
#[cfg(not(all(test, shuttle)))]
use std::sync::{Condvar, Mutex, MutexGuard};
#[cfg(not(all(test, shuttle)))]
use std::thread::{self, ThreadId};

/// Who holds the lock, and how many times over.
#[derive(Debug)]
struct Owner {
    thread: Option<ThreadId>,
    depth: usize,
    /// Threads waiting for the lock: the last release notifies only if some wait.
    waiters: usize,
}

/// A re-entrant mutual exclusion lock: Python's `threading.RLock`.
pub struct RLock<T = ()> {
    owner: Mutex<Owner>,
    /// Signalled when the lock becomes free, to wake one waiter.
    released: Condvar,
    data: T,
}

impl<T> RLock<T> {
    /// Python: `threading.RLock()`. A new, unlocked re-entrant lock guarding `data`.
    pub fn new(data: T) -> Self {
        RLock {
            owner: Mutex::new(Owner {
                thread: None,
                depth: 0,
                waiters: 0,
            }),
            released: Condvar::new(),
            data,
        }
    }

    /// Python: `lock.acquire()`. Returns at once if this thread already holds the lock (one
    /// level deeper); otherwise waits until no thread holds it.
    pub fn acquire(&self) -> RLockGuard<'_, T> {
        let me = thread::current().id();
        let mut owner = self.owner();
        if owner.thread.is_some_and(|t| t != me) {
            // Counted under the lock before the wait releases it (see `Drop for RLockGuard`).
            owner.waiters += 1;
            owner = self
                .released
                .wait_while(owner, |o| o.thread.is_some_and(|t| t != me))
                .unwrap_or_else(PoisonError::into_inner);
            owner.waiters -= 1;
        }
        self.enter(owner, me)
    }

    /// Python: `lock.acquire(blocking=False)`. `None` at once if another thread holds the lock.
    pub fn try_acquire(&self) -> Option<RLockGuard<'_, T>> {
        let me = thread::current().id();
        let owner = self.owner();
        if owner.thread.is_some_and(|t| t != me) {
            return None;
        }
        Some(self.enter(owner, me))
    }

    /// Python: `lock.acquire(timeout=t)`. Waits at most `timeout`; `None` if another thread
    /// still holds the lock by then (Python returns `False`).
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<RLockGuard<'_, T>> {
        let me = thread::current().id();
        let mut owner = self.owner();
        if owner.thread.is_some_and(|t| t != me) {
            owner.waiters += 1;
            owner = self
                .released
                .wait_timeout_while(owner, timeout, |o| o.thread.is_some_and(|t| t != me))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            owner.waiters -= 1;
        }
        if owner.thread.is_some_and(|t| t != me) {
            return None;
        }
        Some(self.enter(owner, me))
    }

    /// Python 3.14: `lock.locked()`. Whether any thread holds the lock right now.
    pub fn locked(&self) -> bool {
        self.owner().thread.is_some()
    }

    /// Python: `lock._is_owned()`. Whether the calling thread holds the lock.
    pub fn is_owned(&self) -> bool {
        self.owner().thread == Some(thread::current().id())
    }

    fn owner(&self) -> MutexGuard<'_, Owner> {
        self.owner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn enter(&self, mut owner: MutexGuard<'_, Owner>, me: ThreadId) -> RLockGuard<'_, T> {
        owner.thread = Some(me);
        owner.depth += 1;
        RLockGuard {
            lock: self,
            _not_send: PhantomData,
        }
    }
}

// SAFETY: sharing an `RLock<T>` between threads (`&RLock<T>` on several threads) gives them
// `locked`, `is_owned`, the acquires and `Debug`, which touch only `owner` (a `Mutex`) and
// `released` (a `Condvar`), both `Sync`. The data is reached only through an `RLockGuard`, and a
// guard exists only on the thread recorded in `owner` (`enter` records the calling thread;
// `ThreadId`s are never reused) and never leaves it (the guard is neither `Send` nor `Sync`). So
// at any moment every `&T` in existence lives on one thread, the owner, which is what `T: Send`
// allows (as with std's `ReentrantLock<T>`, `Sync` for `T: Send`). When ownership passes from
// one thread to the next, the `owner` mutex orders the last release before the next acquire, so
// the new owner sees everything the old one did to the data. A `&T` that leaves the owner's
// thread needs `&T: Send`, that is `T: Sync`, so the compiler still checks that case.
unsafe impl<T: Send> Sync for RLock<T> {}

impl<T: Default> Default for RLock<T> {
    fn default() -> Self {
        RLock::new(T::default())
    }
}

impl<T> fmt::Debug for RLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let owner = self.owner();
        f.debug_struct("RLock")
            .field("owner", &owner.thread)
            .field("depth", &owner.depth)
            .finish_non_exhaustive()
    }
}

/// One level of ownership of an [`RLock`]. Dropping it is one Python `lock.release()`; the lock
/// is free again when the owner's last guard is dropped.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct RLockGuard<'a, T> {
    lock: &'a RLock<T>,
    /// A raw pointer is neither `Send` nor `Sync`: the guard stays on the owning thread.
    _not_send: PhantomData<*const ()>,
}

impl<T> Deref for RLockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.lock.data
    }
}

impl<T> Drop for RLockGuard<'_, T> {
    fn drop(&mut self) {
        let mut owner = self.lock.owner();
        owner.depth -= 1;
        if owner.depth == 0 {
            owner.thread = None;
            let waiters = owner.waiters;
            drop(owner);
            if waiters != 0 {
                self.lock.released.notify_one();
            }
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for RLockGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RLockGuard")
            .field("data", &self.lock.data)
            .finish()
    }
}

// The tests of the public API are in `tests/api/rlock.rs`. This one needs the count of
// waiters, which decides whether a release notifies. (Two `cfg`s: cargo-mutants skips a
// module marked with a plain `#[cfg(test)]`.)
#[cfg(test)]
#[cfg(not(shuttle))]
mod tests {
    use super::*;

    /// Runs `body` on a thread of its own and fails if it has not finished within 10 s: a
    /// lost wakeup then fails the test instead of hanging it.
    fn bounded(body: impl FnOnce() + Send + 'static) {
        let (done, finished) = std::sync::mpsc::channel();
        let runner = std::thread::spawn(move || {
            body();
            let _ = done.send(());
        });
        if finished.recv_timeout(Duration::from_secs(10)).is_err() && !runner.is_finished() {
            panic!("the test did not finish within 10 s: a lost wakeup?");
        }
        if let Err(panic) = runner.join() {
            std::panic::resume_unwind(panic);
        }
    }

    /// Spins until `done` holds, for at most 5 s.
    fn until(mut done: impl FnMut() -> bool) {
        let begun = std::time::Instant::now();
        while !done() {
            assert!(begun.elapsed() < Duration::from_secs(5), "waited 5 s");
            std::thread::yield_now();
        }
    }

    /// A waiter is counted while it waits, and no longer once it stops, woken or timed out.
    #[test]
    fn waiters_are_counted_only_while_they_wait() {
        bounded(|| {
            let lock = RLock::new(());
            let guard = lock.acquire();
            std::thread::scope(|s| {
                let timed_out =
                    s.spawn(|| lock.acquire_timeout(Duration::from_millis(20)).is_none());
                assert!(timed_out.join().unwrap());
                assert_eq!(lock.owner().waiters, 0, "a timed-out wait is still counted");
                let blocking = s.spawn(|| drop(lock.acquire()));
                let timed = s.spawn(|| lock.acquire_timeout(Duration::from_secs(5)).is_some());
                until(|| lock.owner().waiters == 2);
                drop(guard);
                blocking.join().unwrap();
                assert!(timed.join().unwrap());
            });
            assert_eq!(lock.owner().waiters, 0, "a woken wait is still counted");
        });
    }
}

// The shuttle models (`cargo xtask models`) live in `rlock_models.rs`: a module whose `cfg`
// is off is never read, so a copy of this file builds without that file.
#[cfg(all(test, shuttle))]
#[path = "rlock_models.rs"]
mod models;
