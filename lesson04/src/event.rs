//! [`Event`]: a thread-safe boolean flag that threads can wait on.
//!
//! std has no event. This is Python's `threading.Event`, std-only (a `Mutex<bool>` and a
//! `Condvar`); copy this file into a project as it is.
//!
//! | Python | here |
//! | --- | --- |
//! | `event = threading.Event()` | `let event = Event::new()` (not set) |
//! | `event.set()` | [`Event::set`]: wakes every waiter |
//! | `event.clear()` | [`Event::clear`]: wakes no one |
//! | `event.is_set()` | [`Event::is_set`] |
//! | `event.wait()` | [`Event::wait`] |
//! | `event.wait(timeout=t)` → `True`/`False` | [`Event::wait_timeout`] → `true`/`false` |

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// Python: `threading.Event`. A flag, initially not set.
#[derive(Debug, Default)]
pub struct Event {
    flag: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    /// Python: `threading.Event()`. A new event, not set.
    pub fn new() -> Self {
        Event::default()
    }

    /// Python: `event.set()`. Sets the flag and wakes every thread waiting on it.
    pub fn set(&self) {
        *self.flag() = true;
        self.changed.notify_all();
    }

    /// Python: `event.clear()`. Resets the flag; later waits block until the next `set`.
    pub fn clear(&self) {
        *self.flag() = false;
    }

    /// Python: `event.is_set()`.
    pub fn is_set(&self) -> bool {
        *self.flag()
    }

    /// Python: `event.wait()`. Returns at once if the flag is set, else waits until it is.
    pub fn wait(&self) {
        // The predicate makes a spurious wakeup go back to sleep.
        let _set = self
            .changed
            .wait_while(self.flag(), |set| !*set)
            .unwrap_or_else(PoisonError::into_inner);
    }

    /// Python: `event.wait(timeout=t)`. Waits at most `timeout`; returns whether the flag is set.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let (set, _) = self
            .changed
            .wait_timeout_while(self.flag(), timeout, |set| !*set)
            .unwrap_or_else(PoisonError::into_inner);
        *set
    }

    fn flag(&self) -> MutexGuard<'_, bool> {
        self.flag.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;
    use std::time::Instant;

    #[test]
    fn every_waiter_of_an_event_wakes() {
        // Some waiters use the unbounded `wait()`: if one never woke, the test would hang, so
        // a watchdog fails the whole run after 20 s instead.
        let (done, finished) = std::sync::mpsc::channel::<()>();
        thread::spawn(move || {
            if finished.recv_timeout(Duration::from_secs(20)).is_err() {
                // straight to the stderr handle: the test harness captures `eprintln!`
                let message = "every_waiter_of_an_event_wakes: a waiter still sleeps after 20 s\n";
                let _ = std::io::Write::write_all(&mut std::io::stderr(), message.as_bytes());
                std::process::exit(101);
            }
        });
        for round in 0..30 {
            let event = Event::new();
            let woken = AtomicUsize::new(0);
            let waiters = 16;
            thread::scope(|s| {
                for id in 0..waiters {
                    let (event, woken) = (&event, &woken);
                    s.spawn(move || {
                        // Half wait without a bound (the watchdog above), half with one.
                        if (id + round) % 2 == 0 {
                            event.wait();
                        } else {
                            assert!(event.wait_timeout(Duration::from_secs(10)));
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
        }
        done.send(()).expect("the watchdog waits");
    }

    #[test]
    fn set_clear_and_is_set() {
        let event = Event::new();
        assert!(!event.is_set());
        event.set();
        assert!(event.is_set());
        assert!(event.wait_timeout(Duration::ZERO));
        event.wait(); // set: returns at once
        event.clear();
        assert!(!event.is_set());
        assert!(!event.wait_timeout(Duration::from_millis(10)));
    }

    #[test]
    fn wait_timeout_waits_its_bound_and_no_longer() {
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
    }

    #[test]
    fn wait_timeout_returns_soon_after_set() {
        let event = Event::new();
        thread::scope(|s| {
            let waiter = s.spawn(|| {
                let start = Instant::now();
                (event.wait_timeout(Duration::from_secs(5)), start.elapsed())
            });
            thread::sleep(Duration::from_millis(50));
            event.set();
            let (set, waited) = waiter.join().unwrap();
            assert!(set);
            assert!(waited < Duration::from_secs(2), "waited {waited:?}");
        });
    }
}
