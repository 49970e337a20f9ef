//! The tests of `lesson04/src/rlock.rs` that use its public API only (moved here so that the
//! file a reader copies is the implementation).
//!
//! Every test that could block runs under a watchdog (`course::watchdog`): a hang fails that test
//! within seconds, with a message, instead of hanging the test binary.

use course::watchdog::watchdog;
use lesson04::rlock::*;
use std::cell::Cell;
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

/// The lock's own recursion count (CPython's private `_recursion_count()`), as its `Debug`
/// output shows it.
fn depth<T>(lock: &RLock<T>) -> usize {
    let text = format!("{lock:?}");
    let depth = text.split("depth: ").nth(1).expect("Debug shows the depth");
    depth
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|d| d.parse().ok())
        .expect("a depth")
}

#[test]
fn held_several_times_by_one_thread_it_excludes_every_other() {
    // `inside` counts the threads inside the outermost section; `total` is updated with a
    // split read-modify-write that only exclusion keeps exact.
    watchdog(|| {
        let lock = RLock::new((AtomicUsize::new(0), AtomicUsize::new(0)));
        let (threads, rounds, levels) = (8, 300, 3);
        thread::scope(|s| {
            for id in 0..threads {
                let lock = &lock;
                s.spawn(move || {
                    for round in 0..rounds {
                        let mut guards = Vec::new();
                        let outer = lock.acquire();
                        let (inside, total) = &*outer;
                        assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0, "two owners");
                        for level in 1..levels {
                            // Re-enter by all three doors; none may wait for ourselves.
                            let guard = match (id + level) % 3 {
                                0 => lock.acquire(),
                                1 => lock.try_acquire().expect("the owner re-enters"),
                                _ => lock
                                    .acquire_timeout(Duration::ZERO)
                                    .expect("the owner re-enters"),
                            };
                            guards.push(guard);
                        }
                        assert_eq!(depth(lock), levels);
                        let read = total.load(Ordering::SeqCst);
                        if round % 16 == 0 {
                            thread::yield_now();
                        }
                        total.store(read + 1, Ordering::SeqCst);
                        // Release the inner levels first: the lock must stay ours until the
                        // last.
                        guards.clear();
                        assert!(lock.is_owned());
                        assert!(lock.locked());
                        let read = total.load(Ordering::SeqCst);
                        thread::yield_now();
                        total.store(read + 1, Ordering::SeqCst);
                        inside.fetch_sub(1, Ordering::SeqCst);
                        drop(outer);
                    }
                });
            }
        });
        assert_eq!(
            lock.acquire().1.load(Ordering::SeqCst),
            2 * threads * rounds
        );
        assert!(!lock.locked());
    });
}

#[test]
fn other_threads_cannot_enter_until_the_last_release() {
    watchdog(|| {
        let lock = RLock::new(());
        let first = lock.acquire();
        let second = lock.acquire();
        let other_gets_in =
            |lock: &RLock| thread::scope(|s| s.spawn(|| lock.try_acquire().is_some()).join());
        assert!(!other_gets_in(&lock).unwrap());
        drop(first);
        assert!(lock.is_owned());
        assert!(lock.locked());
        assert!(!other_gets_in(&lock).unwrap());
        let timed_out = thread::scope(|s| {
            s.spawn(|| lock.acquire_timeout(Duration::from_millis(20)).is_none())
                .join()
        });
        assert!(timed_out.unwrap());
        drop(second);
        assert!(!lock.locked());
        assert!(other_gets_in(&lock).unwrap());
    });
}

#[test]
fn acquire_timeout_waits_its_bound_and_no_longer() {
    watchdog(|| {
        let lock = RLock::new(());
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
        let lock = RLock::new(());
        let lock = &lock;
        let (held, taken) = mpsc::channel();
        let (release, released) = mpsc::channel::<()>();
        thread::scope(|s| {
            s.spawn(move || {
                let _guard = lock.acquire();
                held.send(()).unwrap();
                released.recv().unwrap();
            });
            taken.recv().unwrap();
            let waiter = s.spawn(|| {
                let start = Instant::now();
                let got = lock.acquire_timeout(Duration::from_secs(5)).is_some();
                (got, start.elapsed())
            });
            let_them_block();
            release.send(()).unwrap();
            let (got, waited) = waiter.join().unwrap();
            assert!(got);
            assert!(waited < Duration::from_secs(2), "waited {waited:?}");
        });
    });
}

#[test]
fn an_rlock_of_send_data_is_shared_between_threads() {
    // `Cell` is `Send` but not `Sync`: std's `ReentrantLock<Cell<_>>` can be shared, and so
    // can this one. The split read-modify-write through the cell is exact only if the lock
    // excludes.
    fn shared<T: Sync>(_: &T) {}
    watchdog(|| {
        let lock = RLock::new(Cell::new(0usize));
        shared(&lock);
        let (threads, rounds) = (4, 500);
        thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    for _ in 0..rounds {
                        let outer = lock.acquire();
                        let inner = lock.acquire(); // re-entered: the same cell
                        let read = outer.get();
                        thread::yield_now();
                        inner.set(read + 1);
                    }
                });
            }
        });
        assert_eq!(lock.acquire().get(), threads * rounds);
    });
}

#[test]
fn a_guard_shows_the_data() {
    watchdog(|| {
        let lock = RLock::<i32>::default();
        let guard = lock.acquire();
        assert_eq!(*guard, 0);
        assert_eq!(format!("{guard:?}"), "RLockGuard { data: 0 }");
    });
}

/// The intent of CPython's `Lib/test/lock_tests.py`, `BaseLockTests` and `RLockTests`, test
/// by test (named after the originals). Not ported, and why:
/// - `test_thread_leak`, `test_weakref_exists`, `test_weakref_deleted`: CPython's object
///   model (a `Thread` object per foreign thread, weak references).
/// - `test_release_unacquired`, `test_different_thread` (a release by a thread that does
///   not hold the lock must raise): only a guard releases, a guard exists only on the
///   owning thread and cannot move to another, so neither mistake compiles.
/// - `test_release_save_unacquired`: `_release_save` is the private hook `Condition` uses;
///   this lesson's condition is std's `Condvar`, which takes a `Mutex`.
/// - In `test_timeout`, the `ValueError`s for `acquire(False, 1)` and a negative timeout
///   cannot be written here (`try_acquire` takes no timeout, a `Duration` is never
///   negative); a huge timeout means no deadline instead of `OverflowError`.
mod cpython {
    use super::*;

    #[test]
    fn test_constructor() {
        watchdog(|| {
            let lock = RLock::new(());
            assert!(!lock.locked());
            assert_eq!(depth(&lock), 0);
        });
    }

    #[test]
    fn test_repr() {
        watchdog(|| {
            let lock = RLock::new(());
            assert_eq!(format!("{lock:?}"), "RLock { owner: None, depth: 0, .. }");
        });
    }

    #[test]
    fn test_locked_repr() {
        watchdog(|| {
            let lock = RLock::new(());
            let _guard = lock.acquire();
            let me = thread::current().id();
            assert_eq!(
                format!("{lock:?}"),
                format!("RLock {{ owner: Some({me:?}), depth: 1, .. }}")
            );
        });
    }

    #[test]
    fn test_acquire_destroy() {
        watchdog(|| {
            let lock = RLock::new(String::from("data"));
            std::mem::forget(lock.acquire()); // held for good: dropping the lock is fine
            drop(lock);
        });
    }

    #[test]
    fn test_acquire_release() {
        watchdog(|| {
            let lock = RLock::new(());
            let guard = lock.acquire();
            assert!(lock.locked());
            drop(guard);
            assert!(!lock.locked());
        });
    }

    #[test]
    fn test_try_acquire() {
        watchdog(|| {
            let lock = RLock::new(());
            let guard = lock.try_acquire();
            assert!(guard.is_some());
            assert!(lock.is_owned());
            drop(guard);
            assert!(!lock.locked());
        });
    }

    #[test]
    fn test_try_acquire_contended() {
        watchdog(|| {
            let lock = RLock::new(());
            let _guard = lock.acquire();
            let result = thread::scope(|s| s.spawn(|| lock.try_acquire().is_some()).join());
            assert!(!result.unwrap());
        });
    }

    #[test]
    fn test_acquire_contended() {
        watchdog(|| {
            let lock = RLock::new(());
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
            let lock = RLock::new(());
            let f = |lock: &RLock| thread::scope(|s| s.spawn(|| drop(lock.acquire())).join());
            {
                let _guard = lock.acquire();
            }
            f(&lock).unwrap();
            let raised = panic::catch_unwind(|| {
                let _outer = lock.acquire();
                let _inner = lock.acquire();
                panic!("TypeError");
            });
            assert!(raised.is_err());
            // Both levels were released by the unwinding.
            assert!(!lock.locked());
            f(&lock).unwrap();
        });
    }

    #[test]
    fn test_timeout() {
        watchdog(|| {
            let lock = RLock::new(());
            drop(lock.acquire_timeout(Duration::MAX).expect("free"));
            let start = Instant::now();
            let guard = lock.acquire_timeout(Duration::from_secs(5));
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
            assert!(waited >= Duration::from_millis(300), "early: {waited:?}");
            assert!(waited < Duration::from_secs(5), "late: {waited:?}");
        });
    }

    #[test]
    fn test_reacquire() {
        watchdog(|| {
            let lock = RLock::new(());
            let a = lock.acquire();
            let b = lock.acquire();
            drop(b);
            let c = lock.acquire();
            drop(c);
            drop(a);
            assert!(!lock.locked());
        });
    }

    #[test]
    fn test_recursion_count() {
        watchdog(|| {
            let lock = Arc::new(RLock::new(()));
            assert_eq!(depth(&lock), 0);
            let a = lock.acquire();
            assert_eq!(depth(&lock), 1);
            let b = lock.acquire();
            let c = lock.acquire();
            assert_eq!(depth(&lock), 3);
            drop(c);
            assert_eq!(depth(&lock), 2);
            drop(b);
            drop(a);
            assert_eq!(depth(&lock), 0);

            // Another thread's level is its own: held elsewhere, our view is "not ours".
            let (held, taken) = mpsc::channel();
            let (release, released) = mpsc::channel::<()>();
            let other = {
                let lock = Arc::clone(&lock);
                thread::spawn(move || {
                    let _guard = lock.acquire();
                    held.send(()).unwrap();
                    released.recv().unwrap();
                })
            };
            taken.recv().unwrap();
            assert!(!lock.is_owned());
            assert_eq!(depth(&lock), 1);
            release.send(()).unwrap();
            other.join().unwrap();
            assert_eq!(depth(&lock), 0);
        });
    }

    /// CPython's `test__is_owned` (Rust names are snake case, without the double `_`).
    #[test]
    fn test_is_owned() {
        watchdog(|| {
            let lock = RLock::new(());
            assert!(!lock.is_owned());
            let a = lock.acquire();
            assert!(lock.is_owned());
            let b = lock.acquire();
            assert!(lock.is_owned());
            let result = thread::scope(|s| s.spawn(|| lock.is_owned()).join());
            assert!(!result.unwrap());
            drop(b);
            assert!(lock.is_owned());
            drop(a);
            assert!(!lock.is_owned());
        });
    }
}
