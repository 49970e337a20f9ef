//! The tests of `lesson04/src/event.rs` that use its public API only (moved here so that the
//! file a reader copies is the implementation).
//!
//! Every test that could block runs under a watchdog (`course::watchdog`): a hang fails that test
//! within seconds, with a message, instead of hanging the test binary.

use lesson04::event::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

/// The count of waiting threads an `Event` shows in its `Debug` output.
fn waiting(event: &Event) -> usize {
    let text = format!("{event:?}");
    let count = text
        .split("waiters: ")
        .nth(1)
        .expect("Debug shows the waiters");
    count.trim_end_matches([' ', '}']).parse().expect("a count")
}
use course::watchdog::watchdog;
use std::time::Instant;

/// Waits until `n` threads wait on `event` (CPython's `wait_threads_blocked` sleeps and
/// hopes; the count makes it certain), then a little longer, so that they are asleep in
/// the kernel: a `set` then has to wake them, and a `clear` right after it runs before
/// they do (the pulse a waiter must not miss).
fn until_waiting(event: &Event, n: usize) {
    while waiting(event) < n {
        thread::sleep(Duration::from_millis(1));
    }
    thread::sleep(Duration::from_millis(50));
}

#[test]
fn every_waiter_of_an_event_wakes() {
    watchdog(|| {
        for round in 0..30 {
            let event = Event::new();
            let woken = AtomicUsize::new(0);
            let waiters = 16;
            thread::scope(|s| {
                for id in 0..waiters {
                    let (event, woken) = (&event, &woken);
                    s.spawn(move || {
                        // Half wait without a bound (the watchdog), half with one.
                        if (id + round) % 2 == 0 {
                            event.wait();
                        } else {
                            assert!(event.wait_timeout(Duration::from_secs(5)));
                        }
                        woken.fetch_add(1, Ordering::SeqCst);
                    });
                }
                if round % 2 == 0 {
                    thread::yield_now();
                }
                event.set();
            });
            assert_eq!(woken.load(Ordering::SeqCst), waiters);
            assert_eq!(waiting(&event), 0, "every waiter left");
        }
    });
}

#[test]
fn wait_timeout_waits_its_bound_and_no_longer() {
    watchdog(|| {
        let event = Event::new();
        thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    let timeout = Duration::from_millis(200);
                    let start = Instant::now();
                    assert!(!event.wait_timeout(timeout));
                    let waited = start.elapsed();
                    assert!(waited >= timeout, "gave up early: {waited:?}");
                    assert!(
                        waited < timeout + Duration::from_secs(1),
                        "too late: {waited:?}"
                    );
                });
            }
        });
        assert_eq!(waiting(&event), 0, "every waiter left");
    });
}

#[test]
fn wait_timeout_returns_soon_after_set() {
    watchdog(|| {
        let event = Event::new();
        thread::scope(|s| {
            let waiter = s.spawn(|| {
                let start = Instant::now();
                (event.wait_timeout(Duration::from_secs(5)), start.elapsed())
            });
            until_waiting(&event, 1);
            event.set();
            let (set, waited) = waiter.join().unwrap();
            assert!(set);
            assert!(waited < Duration::from_secs(2), "waited {waited:?}");
        });
    });
}

#[test]
fn a_pulse_wakes_an_unbounded_wait_too() {
    // Issue 11, defect 1, for `wait()`: a `set()` then `clear()` while a thread sleeps in
    // `wait()` must end that wait (it used to sleep on for good). Three rounds, since a
    // waiter that happens to run between the two calls would see the flag up.
    watchdog(|| {
        let event = Event::new();
        for _ in 0..3 {
            thread::scope(|s| {
                let waiter = s.spawn(|| event.wait());
                until_waiting(&event, 1);
                event.set();
                event.clear();
                waiter.join().unwrap();
            });
            assert!(!event.is_set());
        }
    });
}

#[test]
fn a_huge_timeout_means_no_deadline() {
    watchdog(|| {
        let event = Event::new();
        thread::scope(|s| {
            let waiter = s.spawn(|| event.wait_timeout(Duration::MAX));
            until_waiting(&event, 1);
            event.set();
            assert!(waiter.join().unwrap());
        });
        assert!(event.wait_timeout(Duration::MAX), "set: returns at once");
    });
}

/// The intent of CPython's `Lib/test/lock_tests.py`, `EventTests`, test by test (named
/// after the originals). Not ported: `test_at_fork_reinit` (CPython's internal reset of
/// an event's lock in a forked child; a Rust program that forks runs only async-signal-safe
/// code in the child).
mod cpython {
    use super::*;

    #[test]
    fn test_is_set() {
        watchdog(|| {
            let evt = Event::new();
            assert!(!evt.is_set());
            evt.set();
            assert!(evt.is_set());
            evt.set();
            assert!(evt.is_set());
            evt.clear();
            assert!(!evt.is_set());
            evt.clear();
            assert!(!evt.is_set());
        });
    }

    /// CPython's `_check_notify`: five threads wait twice; none returns before `set`, and
    /// then every wait returns `true`. (Here some wait with `wait()`, some with
    /// `wait_timeout`, the two ways Python's one `wait` is spelled.)
    fn check_notify(evt: &Arc<Event>) {
        let n = 5;
        let returned = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..n)
            .map(|id| {
                let (evt, returned) = (Arc::clone(evt), Arc::clone(&returned));
                thread::spawn(move || {
                    let first = if id % 2 == 0 {
                        evt.wait();
                        true
                    } else {
                        evt.wait_timeout(Duration::from_secs(5))
                    };
                    returned.fetch_add(1, Ordering::SeqCst);
                    let second = evt.wait_timeout(Duration::ZERO); // set: true at once
                    evt.wait();
                    first && second
                })
            })
            .collect();
        until_waiting(evt, n);
        assert_eq!(
            returned.load(Ordering::SeqCst),
            0,
            "a wait returned before set"
        );
        evt.set();
        for thread in threads {
            assert!(thread.join().unwrap());
        }
    }

    #[test]
    fn test_notify() {
        watchdog(|| {
            let evt = Arc::new(Event::new());
            check_notify(&evt);
            // Another time, after an explicit clear()
            evt.set();
            evt.clear();
            check_notify(&evt);
        });
    }

    #[test]
    fn test_timeout() {
        watchdog(|| {
            let evt = Event::new();
            let n = 5;
            let run = |evt: &Event| {
                thread::scope(|s| {
                    let threads: Vec<_> = (0..n)
                        .map(|_| {
                            s.spawn(|| {
                                let first = evt.wait_timeout(Duration::ZERO);
                                let start = Instant::now();
                                let second = evt.wait_timeout(Duration::from_millis(500));
                                (first, second, start.elapsed())
                            })
                        })
                        .collect();
                    threads
                        .into_iter()
                        .map(|t| t.join().unwrap())
                        .collect::<Vec<_>>()
                })
            };
            for (first, second, waited) in run(&evt) {
                assert!(!first && !second);
                // CPython's assertTimeout: at least 0.6 times the timeout, under 10 times.
                assert!(waited >= Duration::from_millis(300), "early: {waited:?}");
                assert!(waited < Duration::from_secs(5), "late: {waited:?}");
            }
            // The event is set
            evt.set();
            for (first, second, _) in run(&evt) {
                assert!(first && second);
            }
        });
    }

    #[test]
    fn test_set_and_clear() {
        // gh-57711 (issue 11, defect 1): wait() returns true even when the event is
        // cleared before the waiting thread is woken up.
        watchdog(|| {
            let event = Arc::new(Event::new());
            let n = 5;
            let threads: Vec<_> = (0..n)
                .map(|_| {
                    let event = Arc::clone(&event);
                    thread::spawn(move || event.wait_timeout(Duration::from_secs(5)))
                })
                .collect();
            until_waiting(&event, n);
            let start = Instant::now();
            event.set();
            event.clear();
            let results: Vec<bool> = threads.into_iter().map(|t| t.join().unwrap()).collect();
            assert_eq!(results, [true; 5]);
            // Woken by the set, not by their timeouts.
            let waited = start.elapsed();
            assert!(waited < Duration::from_secs(2), "woke after {waited:?}");
            assert_eq!(waiting(&event), 0, "every waiter left");
        });
    }

    #[test]
    fn test_repr() {
        watchdog(|| {
            let evt = Event::new();
            assert_eq!(format!("{evt:?}"), "Event { set: false, waiters: 0 }");
            evt.set();
            assert_eq!(format!("{evt:?}"), "Event { set: true, waiters: 0 }");
        });
    }
}
