//! Needs: nothing beyond std
//!
//! [`Event`]: a thread-safe boolean flag that threads can wait on.
//!
//! std has no event. This is Python's `threading.Event`, std-only (a `Mutex` around the flag
//! and a `Condvar`); copy this file into a project as it is.
//!
//! | Python | here |
//! | --- | --- |
//! | `event = threading.Event()` | `let event = Event::new()` (not set) |
//! | `event.set()` | [`Event::set`]: wakes every waiter |
//! | `event.clear()` | [`Event::clear`]: wakes no one |
//! | `event.is_set()` | [`Event::is_set`] |
//! | `event.wait()` | [`Event::wait`] |
//! | `event.wait(timeout=t)` → `True`/`False` | [`Event::wait_timeout`] → `true`/`false` |
//! | `repr(event)`: `<threading.Event at 0x...: set>` | `{:?}`: `Event { set: true, waiters: 0 }` |
//!
//! As in CPython, a wait that was under way when `set()` came returns `true`, even if another
//! thread `clear()`s the flag before the waiter gets to run: every `set()` counts a new
//! *generation*, and a waiter that sees the generation change knows the flag was set while it
//! waited. (A waiter that only re-checked the flag would miss a `set()` followed at once by a
//! `clear()`, a pulse, and sleep on.)
//!
//! Differences from Python: a timeout is a [`Duration`], so it cannot be negative, and one too
//! long for a deadline (`Duration::MAX`) simply means no deadline, where CPython raises
//! `OverflowError`. A panic cannot damage the event (no code of yours runs under its lock), so
//! it ignores lock poisoning.

// Model checking (`cargo xtask models`) swaps std's primitives for shuttle's; a copied file
// builds without shuttle, since `cfg(shuttle)` is never set there.
#[cfg(all(test, shuttle))]
use shuttle::sync::{Condvar, Mutex, MutexGuard};
use std::fmt;
use std::sync::PoisonError;
#[cfg(not(all(test, shuttle)))]
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// Python: `threading.Event`. A flag, initially not set.
#[derive(Default)]
pub struct Event {
    state: Mutex<State>,
    /// Signalled by every `set`.
    changed: Condvar,
}

#[derive(Debug, Default)]
struct State {
    /// The flag `is_set` reports.
    set: bool,
    /// How many times `set` was called (wrapping): a waiter that sees it change knows the flag
    /// was set while it waited, even if it was cleared again before the waiter woke.
    generation: u64,
    /// How many threads are blocked in `wait` or `wait_timeout` (shown by `{:?}`).
    waiters: usize,
}

impl Event {
    /// Python: `threading.Event()`. A new event, not set.
    pub fn new() -> Self {
        Event::default()
    }

    /// Python: `event.set()`. Sets the flag and wakes every thread waiting on it: each of their
    /// waits returns `true`, even if the flag is cleared again before they run.
    pub fn set(&self) {
        let mut state = self.state();
        state.set = true;
        state.generation = state.generation.wrapping_add(1);
        // Waiters count themselves under the lock before they sleep: none counted, none to wake
        // (and no futex call for a `set` nobody waits on).
        let waiters = state.waiters;
        drop(state);
        if waiters > 0 {
            self.changed.notify_all();
        }
    }

    /// Python: `event.clear()`. Resets the flag; later waits block until the next `set`. It
    /// wakes no one, and does not undo a `set` for the threads that were waiting then.
    pub fn clear(&self) {
        self.state().set = false;
    }

    /// Python: `event.is_set()`.
    pub fn is_set(&self) -> bool {
        self.state().set
    }

    /// Python: `event.wait()`. Returns at once if the flag is set, else waits until the next
    /// `set`.
    pub fn wait(&self) {
        let mut state = self.state();
        let start = state.generation;
        state.waiters += 1;
        // The predicate makes a spurious wakeup go back to sleep: only a `set` ends the wait.
        let mut state = self
            .changed
            .wait_while(state, |s| !s.set && s.generation == start)
            .unwrap_or_else(PoisonError::into_inner);
        state.waiters -= 1;
    }

    /// Python: `event.wait(timeout=t)`. Waits at most `timeout` for the flag; returns `true` if
    /// it was set on entry or was set while waiting (even if cleared since), `false` if the
    /// timeout passed first.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let mut state = self.state();
        let start = state.generation;
        state.waiters += 1;
        // Re-checks after every wakeup, spurious or not, until the whole timeout has passed.
        let (mut state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |s| !s.set && s.generation == start)
            .unwrap_or_else(PoisonError::into_inner);
        state.waiters -= 1;
        state.set || state.generation != start
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("Event")
            .field("set", &state.set)
            .field("waiters", &state.waiters)
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

    /// Set by the first watchdog that fires. Later ones then give up after `GRACE`, so an event
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

    /// Waits until `n` threads wait on `event` (CPython's `wait_threads_blocked` sleeps and
    /// hopes; the count makes it certain), then a little longer, so that they are asleep in
    /// the kernel: a `set` then has to wake them, and a `clear` right after it runs before
    /// they do (the pulse a waiter must not miss).
    fn until_waiting(event: &Event, n: usize) {
        while event.state().waiters < n {
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
                assert_eq!(event.state().waiters, 0, "every waiter left");
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
            assert_eq!(event.state().waiters, 0, "every waiter left");
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
                assert_eq!(event.state().waiters, 0, "every waiter left");
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
}

/// Shuttle models of `set`/`clear` against `wait`: a `set` against two waiters in every
/// interleaving (`check_dfs`), and a pulse in 2,000 random and 2,000 PCT schedules. Shuttle's
/// `wait_timeout` never times out, so a timed wait is modelled as one that must be ended by a
/// `set` (the timeout itself is tested with real time above).
#[cfg(test)]
#[cfg(shuttle)]
mod models {
    use super::*;
    use shuttle::sync::Arc;
    use shuttle::thread;

    /// A `set` against two waiters, one of each kind, in every order (exhaustive): each wait
    /// ends and says `true`, whether it began before or after the `set`.
    #[test]
    fn set_against_waiters() {
        shuttle::check_dfs(
            || {
                let event = Arc::new(Event::new());
                let bounded = {
                    let event = Arc::clone(&event);
                    thread::spawn(move || event.wait_timeout(Duration::from_secs(1)))
                };
                let unbounded = {
                    let event = Arc::clone(&event);
                    thread::spawn(move || event.wait())
                };
                event.set();
                assert!(bounded.join().unwrap());
                unbounded.join().unwrap();
                assert!(event.is_set());
                assert_eq!(event.state().waiters, 0);
            },
            None,
        );
    }

    /// Defect 1: a `set` then at once a `clear` against two waiters already blocked, one of
    /// each kind. Each wait must end (a lost pulse is a deadlock, which shuttle reports), and
    /// the timed one says `true`. Main spins (yielding) until both block, so the search is
    /// random and PCT rather than exhaustive: DFS would explore the spin without end.
    #[test]
    fn a_pulse_against_blocked_waiters() {
        let model = || {
            let event = Arc::new(Event::new());
            let bounded = {
                let event = Arc::clone(&event);
                thread::spawn(move || event.wait_timeout(Duration::from_secs(1)))
            };
            let unbounded = {
                let event = Arc::clone(&event);
                thread::spawn(move || event.wait())
            };
            while event.state().waiters < 2 {
                thread::yield_now();
            }
            event.set();
            event.clear();
            assert!(bounded.join().unwrap(), "a timed wait missed the pulse");
            unbounded.join().unwrap();
            assert!(!event.is_set());
            assert_eq!(event.state().waiters, 0);
        };
        shuttle::check_random(model, 2_000);
        shuttle::check_pct(model, 2_000, 3);
    }
}
