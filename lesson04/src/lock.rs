//! [`Lock`]: a mutual exclusion lock with Python's non-blocking and timed acquire.
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
//!
//! The guard is the `with` block: it releases the lock on every path out of the scope that holds
//! it (a `return`, a `?`, a panic). Like Python's lock and unlike std's `Mutex`, a `Lock` is never
//! poisoned: a thread that panics while holding it simply releases it.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// A mutual exclusion lock with Python's `acquire(blocking, timeout)` and `locked()`.
///
/// It can own the data it protects (`Lock::new(0)`, then `*lock.acquire() += 1`), as a Rust
/// `Mutex` does; `Lock::new(())` is Python's bare `threading.Lock()`.
pub struct Lock<T = ()> {
    /// `true` while some guard exists: the state `locked()` reports.
    held: Mutex<bool>,
    /// Signalled each time the lock is released, to wake one waiter.
    released: Condvar,
    /// The protected data. Only the holder of `held` ever locks it, so that never waits.
    data: Mutex<T>,
}

impl<T> Lock<T> {
    /// Python: `threading.Lock()`. A new, unlocked lock guarding `data`.
    pub fn new(data: T) -> Self {
        Lock {
            held: Mutex::new(false),
            released: Condvar::new(),
            data: Mutex::new(data),
        }
    }

    /// Python: `lock.acquire()`. Waits until the lock is free, takes it, and returns the guard
    /// that releases it when dropped.
    pub fn acquire(&self) -> LockGuard<'_, T> {
        let held = self.held_flag();
        let mut held = self
            .released
            .wait_while(held, |held| *held)
            .unwrap_or_else(PoisonError::into_inner);
        *held = true;
        drop(held);
        self.guard()
    }

    /// Python: `lock.acquire(blocking=False)`. Takes the lock if it is free, else returns `None`
    /// at once.
    pub fn try_acquire(&self) -> Option<LockGuard<'_, T>> {
        let mut held = self.held_flag();
        if *held {
            return None;
        }
        *held = true;
        drop(held);
        Some(self.guard())
    }

    /// Python: `lock.acquire(timeout=t)`. Waits at most `timeout` for the lock; `None` if it is
    /// still held by then (Python returns `False`).
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<LockGuard<'_, T>> {
        let held = self.held_flag();
        // `wait_timeout_while` re-checks the condition after every wakeup, spurious or not, and
        // keeps waiting until the whole timeout has passed.
        let (mut held, _) = self
            .released
            .wait_timeout_while(held, timeout, |held| *held)
            .unwrap_or_else(PoisonError::into_inner);
        if *held {
            return None;
        }
        *held = true;
        drop(held);
        Some(self.guard())
    }

    /// Python: `lock.locked()`. Whether some thread holds the lock right now (by the time you
    /// act on the answer it may have changed: use it for reports, not for decisions).
    pub fn locked(&self) -> bool {
        *self.held_flag()
    }

    /// Consumes the lock and returns the data it guarded.
    pub fn into_inner(self) -> T {
        self.data
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn held_flag(&self) -> MutexGuard<'_, bool> {
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Called with `held` already set: the data mutex is free, or freed in an instant by the
    /// previous guard (see `Drop for LockGuard`).
    fn guard(&self) -> LockGuard<'_, T> {
        LockGuard {
            lock: self,
            data: self.data.lock().unwrap_or_else(PoisonError::into_inner),
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
    lock: &'a Lock<T>,
    data: MutexGuard<'a, T>,
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
        // Python: `lock.release()`. The `data` field is dropped right after this function, so a
        // waiter woken here may wait an instant for the data mutex: it never waits longer.
        *self.lock.held_flag() = false;
        self.lock.released.notify_one();
    }
}

impl<T: fmt::Debug> fmt::Debug for LockGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockGuard")
            .field("data", &*self.data)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;
    use std::time::Instant;

    #[test]
    fn excludes_under_contention() {
        // A split read-modify-write on the guarded data: any overlap would lose an update.
        let lock = Lock::new(0usize);
        let inside = AtomicUsize::new(0);
        let (threads, rounds) = (8, 2_000);
        thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    for round in 0..rounds {
                        let mut guard = lock.acquire();
                        assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0, "two holders");
                        let read = *guard;
                        if round % 64 == 0 {
                            thread::yield_now();
                        }
                        *guard = read + 1;
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                });
            }
        });
        assert_eq!(lock.into_inner(), threads * rounds);
    }

    #[test]
    fn timed_and_try_acquire_exclude_too() {
        let lock = Lock::new(0usize);
        thread::scope(|s| {
            for id in 0..6 {
                let lock = &lock;
                s.spawn(move || {
                    let mut done = 0;
                    while done < 200 {
                        let guard = if id % 2 == 0 {
                            lock.try_acquire()
                        } else {
                            lock.acquire_timeout(Duration::from_millis(1))
                        };
                        if let Some(mut guard) = guard {
                            let read = *guard;
                            thread::yield_now();
                            *guard = read + 1;
                            done += 1;
                        } else {
                            // refused: let the holder run rather than spin on a busy core
                            thread::yield_now();
                        }
                    }
                });
            }
        });
        assert_eq!(lock.into_inner(), 6 * 200);
    }

    #[test]
    fn locked_and_try_acquire_see_a_holder() {
        let lock = Lock::new(());
        assert!(!lock.locked());
        let guard = lock.acquire();
        assert!(lock.locked());
        thread::scope(|s| {
            s.spawn(|| assert!(lock.try_acquire().is_none()));
        });
        drop(guard);
        assert!(!lock.locked());
        assert!(lock.try_acquire().is_some());
    }

    #[test]
    fn acquire_timeout_waits_its_bound_and_no_longer() {
        let lock = Lock::new(());
        let _held = lock.acquire();
        thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    let timeout = Duration::from_millis(200);
                    let start = Instant::now();
                    assert!(lock.acquire_timeout(timeout).is_none());
                    let waited = start.elapsed();
                    assert!(waited >= timeout, "gave up early: {waited:?}");
                    assert!(
                        waited < timeout + Duration::from_secs(1),
                        "too late: {waited:?}"
                    );
                });
            }
        });
    }

    #[test]
    fn acquire_timeout_succeeds_when_released_in_time() {
        let lock = Lock::new(());
        let guard = lock.acquire();
        thread::scope(|s| {
            let waiter = s.spawn(|| {
                let start = Instant::now();
                let got = lock.acquire_timeout(Duration::from_secs(5)).is_some();
                (got, start.elapsed())
            });
            thread::sleep(Duration::from_millis(100));
            drop(guard);
            let (got, waited) = waiter.join().unwrap();
            assert!(got);
            assert!(waited < Duration::from_secs(2), "waited {waited:?}");
        });
    }

    #[test]
    fn a_panicking_holder_releases_the_lock() {
        let lock = Lock::new(1);
        thread::scope(|s| {
            let result = s
                .spawn(|| {
                    let _guard = lock.acquire();
                    panic!("boom");
                })
                .join();
            assert!(result.is_err());
        });
        assert!(!lock.locked());
        assert_eq!(*lock.acquire(), 1);
    }
}
