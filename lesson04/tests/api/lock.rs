//! The tests of `lesson04/src/lock.rs` that use its public API only (moved here so that the
//! file a reader copies is the implementation).
//!
//! Every test that could block runs under a watchdog (`course::watchdog`): a hang fails that test
//! within seconds, with a message, instead of hanging the test binary.

use course::watchdog::watchdog;
use lesson04::lock::*;
use std::panic;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;
use std::time::Instant;

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
