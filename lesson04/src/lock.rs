//! Needs: nothing beyond std
//!
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

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::{PoisonError, TryLockError};
use std::time::{Duration, Instant};
// Model checking (`cargo xtask models`) swaps std's primitives for shuttle's; a copied file
// builds without shuttle, since `cfg(shuttle)` is never set there. Cargo warns there of an
// unexpected `cfg` condition name `shuttle`: delete the `cfg(all(test, shuttle))` lines, or
// declare the name in your Cargo.toml
// (`[lints.rust] unexpected_cfgs = { level = "warn", check-cfg = ["cfg(shuttle)"] }`).
#[cfg(all(test, shuttle))]
use shuttle::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
#[cfg(all(test, shuttle))]
use shuttle::sync::{Condvar, Mutex, MutexGuard};
#[cfg(not(all(test, shuttle)))]
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
#[cfg(not(all(test, shuttle)))]
use std::sync::{Condvar, Mutex, MutexGuard};

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
        if self.lock.timed.fetch_add(0, Ordering::AcqRel) > 0 {
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
// Every test that could block runs under a watchdog (`watchdog` below): a hang fails that test
// within seconds, with a message, instead of hanging the test binary.
// (Two `cfg`s rather than `cfg(all(test, not(shuttle)))`: cargo-mutants skips code under a
// plain `#[cfg(test)]` only.)
#[cfg(test)]
#[cfg(not(shuttle))]
mod tests {
    use super::*;
    use std::panic;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Arc, mpsc};
    use std::thread;
    use std::time::Instant;

    /// How long a test body may run before its watchdog calls it deadlocked. Every body here
    /// finishes in about a second at most.
    const LIMIT: Duration = Duration::from_secs(10);

    /// Set by the first watchdog that fires. Later ones then give up after `GRACE`, so a lock
    /// that deadlocks everywhere fails the whole run in about `LIMIT`, not in `LIMIT` per test
    /// (cargo-mutants must see a failure, not a timeout).
    static DEADLOCK_SEEN: AtomicBool = AtomicBool::new(false);
    const GRACE: Duration = Duration::from_millis(200);

    /// Runs `body` on a thread of its own and fails the calling test if the body has not
    /// finished within `LIMIT`; a panic in the body fails the test as it is.
    fn watchdog(body: impl FnOnce() + Send + 'static) {
        let name = thread::current().name().unwrap_or("test").to_string();
        let (done, finished) = mpsc::channel::<()>();
        let runner = thread::Builder::new()
            .name(name.clone())
            .spawn(move || {
                body();
                let _ = done.send(());
            })
            .expect("cannot spawn the test body's thread");
        let start = Instant::now();
        loop {
            match finished.recv_timeout(Duration::from_millis(20)) {
                // Finished, or panicked (the sender was dropped unsent): join tells which.
                Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                    if let Err(payload) = runner.join() {
                        panic::resume_unwind(payload);
                    }
                    return;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let waited = start.elapsed();
                    if waited >= LIMIT {
                        DEADLOCK_SEEN.store(true, Ordering::SeqCst);
                        panic!("{name} did not finish within {LIMIT:?}: probably deadlocked");
                    }
                    if waited >= GRACE && DEADLOCK_SEEN.load(Ordering::SeqCst) {
                        panic!("{name} gave up after {waited:?}: another test deadlocked");
                    }
                }
            }
        }
    }

    /// Gives threads that were just started time to block (CPython's `wait_threads_blocked`).
    fn let_them_block() {
        thread::sleep(Duration::from_millis(50));
    }

    #[test]
    fn excludes_under_contention() {
        // A split read-modify-write on the guarded data: any overlap would lose an update.
        watchdog(|| {
            let lock = Lock::new(0usize);
            let inside = AtomicUsize::new(0);
            let (threads, rounds) = (8, 2_000);
            thread::scope(|s| {
                for _ in 0..threads {
                    s.spawn(|| {
                        for round in 0..rounds {
                            let mut guard = lock.acquire();
                            assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0, "two holders");
                            assert!(lock.locked(), "held, yet not locked()");
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
            assert!(!lock.locked());
            assert_eq!(lock.into_inner(), threads * rounds);
        });
    }

    #[test]
    fn timed_and_try_acquire_exclude_too() {
        watchdog(|| {
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
        });
    }

    #[test]
    fn the_flag_is_the_lock_across_a_hand_off() {
        // The lock's own state, not just its data mutex: while a thread that waited for the
        // lock holds it, `locked()` says so and no other acquire gets in, by any of the doors.
        watchdog(|| {
            let lock = Arc::new(Lock::new(()));
            let first = lock.acquire();
            let (got_it, holding) = mpsc::channel();
            let (release, released) = mpsc::channel::<()>();
            let waiter = {
                let lock = Arc::clone(&lock);
                thread::spawn(move || {
                    let _guard = lock.acquire();
                    got_it.send(()).unwrap();
                    released.recv().unwrap();
                })
            };
            let_them_block();
            assert!(holding.try_recv().is_err(), "got a lock someone holds");
            drop(first);
            holding.recv().unwrap();
            assert!(lock.locked(), "handed off, yet not locked()");
            assert!(
                lock.try_acquire().is_none(),
                "try_acquire entered a held lock"
            );
            assert!(lock.acquire_timeout(Duration::from_millis(20)).is_none());
            release.send(()).unwrap();
            waiter.join().unwrap();
            assert!(!lock.locked());
            assert!(lock.try_acquire().is_some());
        });
    }

    #[test]
    fn acquire_timeout_waits_its_bound_and_no_longer() {
        watchdog(|| {
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
        });
    }

    #[test]
    fn acquire_timeout_succeeds_when_released_in_time() {
        watchdog(|| {
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
        });
    }

    #[test]
    fn a_panicking_holder_releases_the_lock() {
        watchdog(|| {
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
        });
    }

    #[test]
    fn a_guard_shows_and_changes_the_data() {
        watchdog(|| {
            let lock = Lock::<i32>::default();
            let mut guard = lock.acquire();
            *guard += 5;
            assert_eq!(format!("{guard:?}"), "LockGuard { data: 5 }");
            drop(guard);
            assert_eq!(lock.into_inner(), 5);
        });
    }

    /// The intent of CPython's `Lib/test/lock_tests.py`, `BaseLockTests` and `LockTests`, test
    /// by test (named after the originals). Not ported, and why:
    /// - `test_thread_leak`, `test_weakref_exists`, `test_weakref_deleted`: CPython's object
    ///   model (a `Thread` object per foreign thread, weak references); a Rust lock is a plain
    ///   value that ends with its scope.
    /// - `test_different_thread` (a Lock released by another thread): a `LockGuard` cannot
    ///   move to another thread, so this does not compile; use a `Semaphore` of 1.
    /// - `test_at_fork_reinit`: CPython's internal reset of a lock in a forked child.
    /// - In `test_timeout`, the `ValueError`s for `acquire(False, 1)` and a negative timeout:
    ///   `try_acquire` takes no timeout and a `Duration` cannot be negative, so neither call
    ///   can be written; the `OverflowError` for a huge timeout: here it means no deadline.
    mod cpython {
        use super::*;

        #[test]
        fn test_constructor() {
            watchdog(|| {
                let lock = Lock::new(());
                assert!(!lock.locked());
            });
        }

        #[test]
        fn test_repr() {
            watchdog(|| {
                let lock = Lock::new(());
                assert_eq!(format!("{lock:?}"), "Lock { locked: false, .. }");
            });
        }

        #[test]
        fn test_locked_repr() {
            watchdog(|| {
                let lock = Lock::new(());
                let _guard = lock.acquire();
                assert_eq!(format!("{lock:?}"), "Lock { locked: true, .. }");
            });
        }

        #[test]
        fn test_acquire_destroy() {
            watchdog(|| {
                let lock = Lock::new(String::from("data"));
                std::mem::forget(lock.acquire()); // held for good: dropping the lock is fine
                drop(lock);
            });
        }

        #[test]
        fn test_acquire_release() {
            watchdog(|| {
                let lock = Lock::new(());
                let guard = lock.acquire();
                assert!(lock.locked());
                drop(guard);
                assert!(!lock.locked());
            });
        }

        #[test]
        fn test_try_acquire() {
            watchdog(|| {
                let lock = Lock::new(());
                let guard = lock.try_acquire();
                assert!(guard.is_some());
                assert!(lock.locked());
                drop(guard);
                assert!(!lock.locked());
            });
        }

        #[test]
        fn test_try_acquire_contended() {
            watchdog(|| {
                let lock = Lock::new(());
                let _guard = lock.acquire();
                let result = thread::scope(|s| s.spawn(|| lock.try_acquire().is_some()).join());
                assert!(!result.unwrap());
            });
        }

        #[test]
        fn test_acquire_contended() {
            watchdog(|| {
                let lock = Lock::new(());
                let finished = AtomicUsize::new(0);
                let n = 5;
                let guard = lock.acquire();
                thread::scope(|s| {
                    for _ in 0..n {
                        s.spawn(|| {
                            drop(lock.acquire());
                            finished.fetch_add(1, Ordering::SeqCst);
                        });
                    }
                    // Threads block on lock.acquire()
                    let_them_block();
                    assert_eq!(finished.load(Ordering::SeqCst), 0);
                    // Threads unblocked
                    drop(guard);
                });
                assert_eq!(finished.load(Ordering::SeqCst), n);
                assert!(!lock.locked());
            });
        }

        #[test]
        fn test_with() {
            watchdog(|| {
                let lock = Lock::new(());
                let f = |lock: &Lock| thread::scope(|s| s.spawn(|| drop(lock.acquire())).join());
                // Acquire the lock, do nothing, the guard's scope releases it
                {
                    let _guard = lock.acquire();
                }
                // Check that the lock is unacquired
                f(&lock).unwrap();
                // Acquire the lock, panic (Python: raise), the unwinding releases it
                let raised = panic::catch_unwind(|| {
                    let _guard = lock.acquire();
                    panic!("TypeError");
                });
                assert!(raised.is_err());
                // Check that the lock is unacquired even after the panic
                assert!(!lock.locked());
                f(&lock).unwrap();
            });
        }

        #[test]
        fn test_timeout() {
            watchdog(|| {
                let lock = Lock::new(());
                // TIMEOUT_MAX is ok (and so is anything longer: no deadline)
                drop(lock.acquire_timeout(Duration::MAX).expect("free"));
                let start = Instant::now();
                let guard = lock.acquire_timeout(Duration::from_secs(5));
                // Just a sanity test that it didn't actually wait for the timeout.
                assert!(guard.is_some());
                assert!(start.elapsed() < Duration::from_secs(5));
                let (got, waited) = thread::scope(|s| {
                    s.spawn(|| {
                        let start = Instant::now();
                        let got = lock.acquire_timeout(Duration::from_millis(500)).is_some();
                        (got, start.elapsed())
                    })
                    .join()
                    .unwrap()
                });
                assert!(!got);
                // CPython's assertTimeout: at least 0.6 times the timeout, under 10 times.
                assert!(waited >= Duration::from_millis(300), "early: {waited:?}");
                assert!(waited < Duration::from_secs(5), "late: {waited:?}");
            });
        }

        #[test]
        fn test_reacquire() {
            // Lock needs to be released before re-acquiring: the holder's own second acquire
            // does not get in (Python's would block until another thread released the lock,
            // which cannot happen here, so it is tried by the two doors that give up).
            watchdog(|| {
                let lock = Lock::new(());
                let _guard = lock.acquire();
                assert!(lock.try_acquire().is_none());
                assert!(lock.acquire_timeout(Duration::from_millis(20)).is_none());
                assert!(lock.locked());
            });
        }

        #[test]
        fn test_state_after_timeout() {
            // Issue #11618: check that lock is in a proper state after a (non-zero) timeout.
            watchdog(|| {
                let lock = Lock::new(());
                let guard = lock.acquire();
                assert!(lock.acquire_timeout(Duration::from_millis(10)).is_none());
                drop(guard);
                assert!(!lock.locked());
                assert!(lock.try_acquire().is_some());
            });
        }
    }
}

/// Shuttle models of the lock's own state: exclusion through every door, and a release that
/// wakes a waiter (a lost wakeup is a deadlock, which shuttle reports). Shuttle's
/// `wait_timeout` never times out, so `acquire_timeout` is modelled as a wait that a release
/// must end; the timeout itself is tested with real time above.
#[cfg(test)]
#[cfg(shuttle)]
mod models {
    use super::*;
    use shuttle::sync::Arc;
    use shuttle::sync::atomic::{AtomicUsize, Ordering};
    use shuttle::thread;

    /// In and out once, counting holders: never two, `locked()` true while one holds.
    fn enter(guard: LockGuard<'_, i32>, inside: &AtomicUsize, lock: &Lock<i32>) {
        let mut guard = guard;
        assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0, "two holders");
        assert!(lock.locked());
        *guard += 1;
        inside.fetch_sub(1, Ordering::SeqCst);
    }

    /// The count of timed waiters against a release, in every interleaving: a timed acquire
    /// that counts itself while the holder unlocks and reads the count is never left asleep
    /// on a free lock (that lost wakeup would be a deadlock, which shuttle reports).
    #[test]
    fn release_against_a_counting_timed_waiter() {
        shuttle::check_dfs(
            || {
                let lock = Arc::new(Lock::new(0));
                let guard = lock.acquire();
                let waiter = {
                    let lock = Arc::clone(&lock);
                    thread::spawn(move || {
                        let guard = lock.acquire_timeout(Duration::from_secs(3600));
                        *guard.expect("shuttle never times out") += 1;
                    })
                };
                drop(guard);
                waiter.join().unwrap();
                assert!(!lock.locked());
                assert_eq!(*lock.acquire(), 1);
            },
            None,
        );
    }

    /// Two timed waiters and a holder that takes the lock again at once (random and PCT):
    /// while one waiter is counted every release wakes one, so both get in.
    #[test]
    fn two_timed_waiters_and_a_returning_holder() {
        let model = || {
            let lock = Arc::new(Lock::new(0));
            let inside = Arc::new(AtomicUsize::new(0));
            let guard = lock.acquire();
            let waiters: Vec<_> = (0..2)
                .map(|_| {
                    let (lock, inside) = (Arc::clone(&lock), Arc::clone(&inside));
                    thread::spawn(move || {
                        let guard = lock.acquire_timeout(Duration::from_secs(3600));
                        enter(guard.expect("shuttle never times out"), &inside, &lock);
                    })
                })
                .collect();
            drop(guard);
            enter(lock.acquire(), &inside, &lock);
            for waiter in waiters {
                waiter.join().unwrap();
            }
            assert_eq!(*lock.acquire(), 3);
        };
        shuttle::check_random(model, 2_000);
        shuttle::check_pct(model, 2_000, 3);
    }

    /// An `acquire` against an `acquire_timeout`, in every interleaving (exhaustive): both get
    /// in, one after the other, and the lock ends free.
    #[test]
    fn acquire_against_timed_acquire() {
        shuttle::check_dfs(
            || {
                let lock = Arc::new(Lock::new(0));
                let inside = Arc::new(AtomicUsize::new(0));
                let blocking = {
                    let (lock, inside) = (Arc::clone(&lock), Arc::clone(&inside));
                    thread::spawn(move || enter(lock.acquire(), &inside, &lock))
                };
                let guard = lock.acquire_timeout(Duration::from_secs(1));
                enter(guard.expect("shuttle never times out"), &inside, &lock);
                blocking.join().unwrap();
                assert!(!lock.locked());
                assert_eq!(*lock.acquire(), 2);
            },
            None,
        );
    }

    /// Three threads, one per door (`acquire`, `acquire_timeout`, `try_acquire`), each in and
    /// out once (random and PCT schedules: the exhaustive search is too large): never two
    /// holders, and every update to the data kept.
    #[test]
    fn three_doors_exclude() {
        let model = || {
            let lock = Arc::new(Lock::new(0));
            let inside = Arc::new(AtomicUsize::new(0));
            let blocking = {
                let (lock, inside) = (Arc::clone(&lock), Arc::clone(&inside));
                thread::spawn(move || enter(lock.acquire(), &inside, &lock))
            };
            let timed = {
                let (lock, inside) = (Arc::clone(&lock), Arc::clone(&inside));
                thread::spawn(move || {
                    let guard = lock.acquire_timeout(Duration::from_secs(1));
                    enter(guard.expect("shuttle never times out"), &inside, &lock);
                })
            };
            let tried = lock
                .try_acquire()
                .map(|g| enter(g, &inside, &lock))
                .is_some();
            blocking.join().unwrap();
            timed.join().unwrap();
            assert!(!lock.locked());
            assert_eq!(*lock.acquire(), 2 + i32::from(tried));
        };
        shuttle::check_random(model, 2_000);
        shuttle::check_pct(model, 2_000, 3);
    }
}
