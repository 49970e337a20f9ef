//! Needs: nothing beyond std
//!
//! [`Lock`]: a mutual exclusion lock with Python's non-blocking and timed acquire.
//!
//! Map. Threads: none of its own. State: `data` (a std `Mutex<T>`, the lock itself), `held`
//! (what `locked()` reports), `timed` (timed acquires waiting). Who wakes whom: std's unlock
//! wakes a blocked `acquire`; a release wakes one timed acquire, through `released`, only if
//! `timed` counts one.
//!
//! Copying it: the `#[cfg(all(test, shuttle))]` lines switch to the shuttle model checker's
//! primitives for `cargo xtask models` only. In a project of your own cargo warns of an
//! unexpected `cfg` condition name `shuttle`: delete those lines, or declare the name in your
//! Cargo.toml: `[lints.rust] unexpected_cfgs = { level = "warn", check-cfg = ["cfg(shuttle)"] }`.
//!
//! Python's `threading.Lock` can be acquired three ways: `acquire()` waits as long as it takes,
//! `acquire(blocking=False)` gives up at once, `acquire(timeout=t)` gives up after `t` seconds.
//! std's `Mutex` has the first two (`lock`, `try_lock`) but no timed lock, and no `locked()`.
//! This file adds them, std-only; copy it into a project as it is.
//!
//! | Python | here |
//! | --- | --- |
//! | `lock = threading.Lock()` | `let lock = Lock::new(())` (or `Lock::new(data)` to guard data, as `Mutex` does) |
//! | `lock.acquire()` | [`Lock::acquire`] → a [`LockGuard`] |
//! | `lock.acquire(blocking=False)` | [`Lock::try_acquire`] → `Option<LockGuard>` |
//! | `lock.acquire(timeout=t)` | [`Lock::acquire_timeout`] → `Option<LockGuard>` |
//! | `lock.release()` | drop the guard (`drop(guard)`, or let it go out of scope) |
//! | `with lock:` | `{ let _guard = lock.acquire(); ... }` |
//! | `lock.locked()` | [`Lock::locked`] |
//! | `repr(lock)`: `<unlocked _thread.lock object at ...>` | `{:?}`: `Lock { locked: false, .. }` |
//!
//! The guard is the `with` block: it releases the lock on every path out of the scope that holds
//! it (a `return`, a `?`, a panic). Like Python's lock and unlike std's `Mutex`, a `Lock` is never
//! poisoned: a thread that panics while holding it simply releases it.
//!
//! Differences from Python: only the thread that acquired the lock can release it (the guard
//! cannot move to another thread, as std's `MutexGuard` cannot), where Python lets any thread
//! call `release()`; for that hand-off pattern use a `Semaphore` of 1 (`semaphore.rs`), whose
//! permit can be forgotten and released elsewhere. A timeout is a [`Duration`], so it cannot be
//! negative, and one too long for a deadline (`Duration::MAX`) means no deadline, where CPython
//! raises `OverflowError` past `threading.TIMEOUT_MAX`.

#[cfg(all(test, shuttle))]
use shuttle::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
#[cfg(all(test, shuttle))]
use shuttle::sync::{Condvar, Mutex, MutexGuard};
use std::fmt;
use std::ops::{Deref, DerefMut};
#[cfg(not(all(test, shuttle)))]
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
#[cfg(not(all(test, shuttle)))]
use std::sync::{Condvar, Mutex, MutexGuard};
use std::sync::{PoisonError, TryLockError};
use std::time::{Duration, Instant};

// How it works. The lock *is* a std `Mutex<T>` (`data`): `acquire` is `Mutex::lock` and
// `try_acquire` is `Mutex::try_lock`, so the common paths cost what std's do. Beside it:
// - `held`, set by each guard while it lives, is what `locked()` reports;
// - std has no timed lock, so `acquire_timeout` waits on a `Condvar` (`released`, with its
//   own small mutex `parked`), after counting itself in `timed`;
// - a release unlocks `data`, then looks at `timed`: only if some timed acquire waits does it
//   take `parked` and notify. With nobody timed waiting, a release is std's unlock plus a fence.
// The count is the whole trick, and its classic bug is a lost wakeup: a waiter that counts
// itself just after a release looked, then finds the lock still held, would sleep through the
// release. So the releaser unlocks first and then reads the count with a read-modify-write
// (`fetch_add(0)`), and the waiter counts itself (`fetch_add(1)`) before it tries the lock.
// Read-modify-writes of one atomic happen in one order, each seeing the one before: if the
// release's comes first, the waiter's `Acquire` sees it, and with it the unlock before it, so
// its try succeeds; if the waiter's comes first, the release sees the count and notifies. The
// waiter counts and tries while holding `parked`, which the releaser takes to notify, so the
// notify cannot fall between its try and its wait. `cargo xtask models` checks this.

/// A mutual exclusion lock with Python's `acquire(blocking, timeout)` and `locked()`.
///
/// It can own the data it protects (`Lock::new(0)`, then `*lock.acquire() += 1`), as a Rust
/// `Mutex` does; `Lock::new(())` is Python's bare `threading.Lock()`.
pub struct Lock<T = ()> {
    /// The lock itself, and the protected data.
    data: Mutex<T>,
    /// `true` while some guard exists: the state `locked()` reports.
    held: AtomicBool,
    /// How many `acquire_timeout` calls are waiting on `released`.
    timed: AtomicUsize,
    /// Held by a timed acquirer from its last try until it sleeps, and by a release to notify.
    parked: Mutex<()>,
    /// Signalled by a release when some timed acquire waits, to wake one.
    released: Condvar,
}

impl<T> Lock<T> {
    /// Python: `threading.Lock()`. A new, unlocked lock guarding `data`.
    pub fn new(data: T) -> Self {
        Lock {
            data: Mutex::new(data),
            held: AtomicBool::new(false),
            timed: AtomicUsize::new(0),
            parked: Mutex::new(()),
            released: Condvar::new(),
        }
    }

    /// Python: `lock.acquire()`. Waits until the lock is free, takes it, and returns the guard
    /// that releases it when dropped.
    pub fn acquire(&self) -> LockGuard<'_, T> {
        self.guard(self.data.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Python: `lock.acquire(blocking=False)`. Takes the lock if it is free, else returns `None`
    /// at once.
    pub fn try_acquire(&self) -> Option<LockGuard<'_, T>> {
        match self.data.try_lock() {
            Ok(data) => Some(self.guard(data)),
            Err(TryLockError::Poisoned(poisoned)) => Some(self.guard(poisoned.into_inner())),
            Err(TryLockError::WouldBlock) => None,
        }
    }

    /// Python: `lock.acquire(timeout=t)`. Waits at most `timeout` for the lock; `None` if it is
    /// still held by then (Python returns `False`).
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<LockGuard<'_, T>> {
        if let Some(guard) = self.try_acquire() {
            return Some(guard);
        }
        // `None`: too far to represent, so no deadline (as `Condvar::wait_timeout` does).
        let deadline = Instant::now().checked_add(timeout);
        let mut parked = self.parked.lock().unwrap_or_else(PoisonError::into_inner);
        self.timed.fetch_add(1, Ordering::AcqRel);
        let got = loop {
            if let Some(guard) = self.try_acquire() {
                break Some(guard);
            }
            let left = match deadline {
                Some(deadline) => deadline.saturating_duration_since(Instant::now()),
                None => Duration::MAX,
            };
            if left.is_zero() {
                break None;
            }
            // A wakeup, spurious or not, goes round to try the lock again.
            parked = self
                .released
                .wait_timeout(parked, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        };
        self.timed.fetch_sub(1, Ordering::Relaxed);
        got
    }

    /// Python: `lock.locked()`. Whether some thread holds the lock right now (by the time you
    /// act on the answer it may have changed: use it for reports, not for decisions).
    pub fn locked(&self) -> bool {
        self.held.load(Ordering::SeqCst)
    }

    /// Consumes the lock and returns the data it guarded.
    pub fn into_inner(self) -> T {
        self.data
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn guard<'a>(&'a self, data: MutexGuard<'a, T>) -> LockGuard<'a, T> {
        self.held.store(true, Ordering::Relaxed);
        LockGuard {
            data,
            wake: Wake { lock: self },
        }
    }
}

impl<T: Default> Default for Lock<T> {
    fn default() -> Self {
        Lock::new(T::default())
    }
}

impl<T> fmt::Debug for Lock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lock")
            .field("locked", &self.locked())
            .finish_non_exhaustive()
    }
}

/// Proof that the current thread holds a [`Lock`]; gives access to its data. Dropping it is
/// Python's `lock.release()`.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct LockGuard<'a, T> {
    // Fields drop in order, after `Drop::drop` below: first `data` (std's unlock), then `wake`.
    data: MutexGuard<'a, T>,
    wake: Wake<'a, T>,
}

/// The last step of a release, run once `data` is unlocked: wake a timed acquire if one waits.
struct Wake<'a, T> {
    lock: &'a Lock<T>,
}

impl<T> Deref for LockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.data
    }
}

impl<T> DerefMut for LockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.data
    }
}

impl<T> Drop for LockGuard<'_, T> {
    fn drop(&mut self) {
        // Python: `lock.release()`, in three steps: `held` goes down here, then the fields
        // drop: `data` unlocks, `wake` wakes a timed waiter.
        self.wake.lock.held.store(false, Ordering::Relaxed);
    }
}

impl<T> Drop for Wake<'_, T> {
    fn drop(&mut self) {
        // A read-modify-write, not a load: see the notes at the top of the file.
        if self.lock.timed.fetch_add(0, Ordering::AcqRel) != 0 {
            let _parked = self
                .lock
                .parked
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            self.lock.released.notify_one();
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for LockGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockGuard")
            .field("data", &*self.data)
            .finish()
    }
}

// The shuttle models (`cargo xtask models`) live in `lock_models.rs`: a module whose `cfg`
// is off is never read, so a copy of this file builds without that file.
#[cfg(all(test, shuttle))]
#[path = "lock_models.rs"]
mod models;
