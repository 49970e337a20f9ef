//! Needs: nothing beyond std
//!
//! [`Timer`]: run a function in a new thread after a delay, unless cancelled first.
//!
//! std has no timer thread. This is Python's `threading.Timer`, std-only; copy this file into a
//! project as it is.
//!
//! | Python | here |
//! | --- | --- |
//! | `t = threading.Timer(3, task, args=(x,))`, `t.start()` | `let t = Timer::start(Duration::from_secs(3), move \|\| task(x))` |
//! | `t.cancel()` | [`Timer::cancel`] → `true` if the function will never run |
//! | `t.join()` | [`Timer::join`] |
//! | `t.join(timeout=s)` | [`Timer::join_timeout`] → `true` if the timer thread is done |
//! | `t.finished.is_set()` | [`Timer::is_finished`] |
//!
//! Python's `cancel()` returns nothing, and when it races the deadline you cannot tell whether
//! the function ran. Here the timer thread and `cancel` decide under one mutex: whichever comes
//! first wins, and `cancel` says which. A timer that `cancel` won never runs its function.
//!
//! Python waits at exit for a timer that was started (it is a non-daemon thread). A Rust program
//! ends when `main` returns, so `join` the timer if its function must run.
//!
//! Differences from Python: a timer starts when it is made (Rust has no unstarted thread
//! object), and `Timer::start` panics if the thread cannot be spawned, as `thread::spawn` does.
//! When the function panics, `is_finished` still turns `true` (Python's `finished` stays unset
//! after an exception) and [`Timer::join`] returns the panic; an interval too long to add to the
//! clock (`Duration::MAX`) means never, where CPython raises `OverflowError`.

use std::fmt;
use std::sync::{Arc, PoisonError};
use std::time::{Duration, Instant};
// Model checking (`cargo xtask models`) swaps std's primitives for shuttle's; a copied file
// builds without shuttle, since `cfg(shuttle)` is never set there.
#[cfg(all(test, shuttle))]
use shuttle::sync::{Condvar, Mutex, MutexGuard};
#[cfg(all(test, shuttle))]
use shuttle::thread::{self, JoinHandle};
#[cfg(not(all(test, shuttle)))]
use std::sync::{Condvar, Mutex, MutexGuard};
#[cfg(not(all(test, shuttle)))]
use std::thread::{self, JoinHandle};

/// Python: `threading.Timer`, already started.
pub struct Timer {
    shared: Arc<Shared>,
    thread: JoinHandle<()>,
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug)]
struct State {
    phase: Phase,
    /// Python's `timer.finished` flag: set by `cancel` at once, or by the timer thread once
    /// the function has run.
    finished: bool,
    /// The timer thread is done: it ran the function, or saw the cancel.
    ended: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Waiting,
    Cancelled,
    Fired,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Marks the timer finished when the timer thread ends, even by a panic in the function.
struct FinishOnDrop(Arc<Shared>);

impl Drop for FinishOnDrop {
    fn drop(&mut self) {
        let mut state = self.0.state();
        state.finished = true;
        state.ended = true;
        drop(state);
        self.0.changed.notify_all();
    }
}

impl Timer {
    /// Python: `threading.Timer(interval, function).start()`. Starts a thread that waits
    /// `interval`, then runs `function` unless [`cancel`](Timer::cancel) came first.
    pub fn start<F>(interval: Duration, function: F) -> Timer
    where
        F: FnOnce() + Send + 'static,
    {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                phase: Phase::Waiting,
                finished: false,
                ended: false,
            }),
            changed: Condvar::new(),
        });
        let deadline = Instant::now().checked_add(interval);
        let for_thread = Arc::clone(&shared);
        let thread = thread::spawn(move || {
            let finish = FinishOnDrop(for_thread);
            let shared = &finish.0;
            let mut state = shared.state();
            // Wait for the deadline or a cancel, whichever comes first; re-check after every
            // wakeup, since a condition variable may wake for no reason.
            while state.phase == Phase::Waiting {
                let left = match deadline {
                    Some(deadline) => deadline.saturating_duration_since(Instant::now()),
                    None => Duration::MAX, // an interval too long to add: effectively never
                };
                if left.is_zero() {
                    // The deadline passed while we held the mutex: we win the race.
                    state.phase = Phase::Fired;
                    break;
                }
                state = shared
                    .changed
                    .wait_timeout(state, left)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
            let fired = state.phase == Phase::Fired;
            drop(state);
            if fired {
                function();
            }
        });
        Timer { shared, thread }
    }

    /// Python: `timer.cancel()`. Stops the timer if its function has not started. Returns `true`
    /// if the function will never run (now, or an earlier cancel, won), `false` if it already
    /// started (the deadline won the race). Either way, as in Python,
    /// [`is_finished`](Timer::is_finished) is `true` from now on.
    pub fn cancel(&self) -> bool {
        let mut state = self.shared.state();
        state.finished = true;
        let won = match state.phase {
            Phase::Waiting => {
                state.phase = Phase::Cancelled;
                true
            }
            Phase::Cancelled => true,
            Phase::Fired => false,
        };
        drop(state);
        self.shared.changed.notify_all();
        won
    }

    /// Python: `timer.finished.is_set()`: the timer is cancelled (at once, by any `cancel`,
    /// even one that lost the race to a function still running) or its function has returned
    /// (or panicked). To wait for the timer thread itself, use [`join`](Timer::join) or
    /// [`join_timeout`](Timer::join_timeout).
    pub fn is_finished(&self) -> bool {
        self.shared.state().finished
    }

    /// Python: `timer.join()`. Waits for the timer thread to end; `Err` carries a panic from the
    /// function, as `JoinHandle::join` does.
    pub fn join(self) -> thread::Result<()> {
        self.thread.join()
    }

    /// Python: `timer.join(timeout=t)` then `not timer.is_alive()`. Waits at most `timeout` for
    /// the timer thread to end; returns whether it did.
    pub fn join_timeout(&self, timeout: Duration) -> bool {
        let state = self.shared.state();
        let (state, _) = self
            .shared
            .changed
            .wait_timeout_while(state, timeout, |s| !s.ended)
            .unwrap_or_else(PoisonError::into_inner);
        state.ended
    }
}

impl fmt::Debug for Timer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.shared.state();
        f.debug_struct("Timer")
            .field("phase", &state.phase)
            .field("finished", &state.finished)
            .finish_non_exhaustive()
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
    use std::sync::mpsc;

    /// How long a test body may run before its watchdog calls it deadlocked. Every body here
    /// finishes in about a second at most.
    const LIMIT: Duration = Duration::from_secs(10);

    /// Set by the first watchdog that fires. Later ones then give up after `GRACE`, so a timer
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

    #[test]
    fn a_cancelled_timer_never_runs_even_when_cancel_races_the_deadline() {
        // Many rounds where cancel lands around the deadline: each time, `cancel` says who won,
        // and the function ran exactly when the deadline won.
        watchdog(|| {
            let (mut won, mut lost) = (0, 0);
            for round in 0..400u64 {
                let ran = Arc::new(AtomicUsize::new(0));
                let counter = Arc::clone(&ran);
                let delay = Duration::from_micros(round % 20 * 50);
                let timer = Timer::start(delay, move || {
                    counter.fetch_add(1, Ordering::SeqCst);
                });
                thread::sleep(Duration::from_micros((round * 7) % 20 * 50));
                let cancelled = timer.cancel();
                assert!(
                    timer.is_finished(),
                    "round {round}: cancelled, yet not finished"
                );
                timer.join().unwrap();
                let runs = ran.load(Ordering::SeqCst);
                if cancelled {
                    won += 1;
                    assert_eq!(runs, 0, "round {round}: cancelled, yet the function ran");
                } else {
                    lost += 1;
                    assert_eq!(
                        runs, 1,
                        "round {round}: fired, yet the function did not run"
                    );
                }
            }
            assert!(
                won > 0 && lost > 0,
                "the race was not exercised: {won} won, {lost} lost"
            );
        });
    }

    #[test]
    fn many_cancelled_timers_never_run() {
        watchdog(|| {
            let ran = Arc::new(AtomicUsize::new(0));
            let timers: Vec<Timer> = (0..50)
                .map(|_| {
                    let ran = Arc::clone(&ran);
                    Timer::start(Duration::from_millis(200), move || {
                        ran.fetch_add(1, Ordering::SeqCst);
                    })
                })
                .collect();
            thread::scope(|s| {
                for timer in &timers {
                    s.spawn(move || assert!(timer.cancel()));
                }
            });
            for timer in &timers {
                assert!(timer.cancel(), "a second cancel still reports the win");
            }
            for timer in timers {
                timer.join().unwrap();
            }
            thread::sleep(Duration::from_millis(300));
            assert_eq!(ran.load(Ordering::SeqCst), 0);
        });
    }

    #[test]
    fn is_finished_at_once_after_cancel() {
        // Python's `cancel()` sets `finished` itself; this one used to leave it to the timer
        // thread, so `is_finished()` stayed false until that thread woke.
        watchdog(|| {
            for round in 0..50 {
                let timer = Timer::start(Duration::from_secs(30), || {});
                assert!(
                    !timer.is_finished(),
                    "round {round}: finished before anything"
                );
                assert!(timer.cancel());
                assert!(
                    timer.is_finished(),
                    "round {round}: cancelled, yet not finished"
                );
                assert!(timer.join_timeout(Duration::from_secs(5)));
                timer.join().unwrap();
            }
        });
    }

    #[test]
    fn a_lost_cancel_finishes_the_timer_too() {
        // As in Python, `finished` is set by any cancel, even one that comes while the function
        // runs; the timer thread is still alive, as `join_timeout` shows.
        watchdog(|| {
            let (started, running) = mpsc::channel();
            let (finish, finished) = mpsc::channel::<()>();
            let timer = Timer::start(Duration::ZERO, move || {
                started.send(()).unwrap();
                finished.recv().unwrap();
            });
            running.recv().unwrap();
            assert!(!timer.is_finished(), "the function still runs");
            assert!(!timer.cancel(), "too late to cancel");
            assert!(timer.is_finished());
            assert!(!timer.join_timeout(Duration::from_millis(50)));
            finish.send(()).unwrap();
            assert!(timer.join_timeout(Duration::from_secs(5)));
            timer.join().unwrap();
        });
    }

    #[test]
    fn a_timer_fires_after_its_delay_and_not_before() {
        watchdog(|| {
            let start = Instant::now();
            let fired_at = Arc::new(Mutex::new(None));
            let slot = Arc::clone(&fired_at);
            let delay = Duration::from_millis(200);
            let timer = Timer::start(delay, move || {
                *slot.lock().unwrap() = Some(start.elapsed());
            });
            assert!(!timer.is_finished());
            assert!(!timer.join_timeout(Duration::from_millis(50)));
            assert!(!timer.is_finished());
            assert!(timer.join_timeout(Duration::from_secs(5)));
            assert!(timer.is_finished());
            assert!(!timer.cancel(), "too late to cancel");
            timer.join().unwrap();
            let at = fired_at.lock().unwrap().expect("the function ran");
            assert!(at >= delay, "fired early: {at:?}");
            assert!(at < delay + Duration::from_secs(1), "fired late: {at:?}");
        });
    }

    #[test]
    fn join_timeout_waits_its_bound_and_no_longer() {
        watchdog(|| {
            let timer = Timer::start(Duration::from_secs(30), || {});
            let timeout = Duration::from_millis(200);
            let start = Instant::now();
            assert!(!timer.join_timeout(timeout));
            let waited = start.elapsed();
            assert!(waited >= timeout, "gave up early: {waited:?}");
            assert!(
                waited < timeout + Duration::from_secs(1),
                "too late: {waited:?}"
            );
            assert!(timer.cancel());
            assert!(
                timer.join_timeout(Duration::from_secs(5)),
                "a cancel ends the thread at once"
            );
            timer.join().unwrap();
        });
    }

    #[test]
    fn a_panicking_function_still_finishes_the_timer() {
        watchdog(|| {
            let timer = Timer::start(Duration::ZERO, || panic!("boom"));
            assert!(timer.join_timeout(Duration::from_secs(5)));
            assert!(timer.is_finished());
            assert!(timer.join().is_err());
        });
    }

    #[test]
    fn an_interval_too_long_for_the_clock_means_never() {
        watchdog(|| {
            let timer = Timer::start(Duration::MAX, || panic!("must not run"));
            assert!(!timer.join_timeout(Duration::from_millis(20)));
            assert!(timer.cancel());
            timer.join().unwrap();
        });
    }

    #[test]
    fn a_timer_shows_its_phase() {
        watchdog(|| {
            let timer = Timer::start(Duration::from_secs(30), || {});
            assert_eq!(
                format!("{timer:?}"),
                "Timer { phase: Waiting, finished: false, .. }"
            );
            timer.cancel();
            assert_eq!(
                format!("{timer:?}"),
                "Timer { phase: Cancelled, finished: true, .. }"
            );
            timer.join().unwrap();
        });
    }
}

/// Shuttle models: `cancel` against the deadline and against a waiting timer thread, in every
/// interleaving. Shuttle's `wait_timeout` never times out, so a timer with a real interval
/// never fires under shuttle: it is modelled as one that a cancel must end, and the deadline
/// race uses a zero interval, which the timer thread sees as passed at once. (The interval
/// itself is tested with real time above.)
#[cfg(test)]
#[cfg(shuttle)]
mod models {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A zero interval: the timer thread and `cancel` race for the decision. The function runs
    /// exactly when `cancel` says it lost, `is_finished` is true as soon as `cancel` returns,
    /// and the thread ends.
    #[test]
    fn cancel_against_the_deadline() {
        shuttle::check_dfs(
            || {
                let ran = Arc::new(AtomicUsize::new(0));
                let counter = Arc::clone(&ran);
                let timer = Timer::start(Duration::ZERO, move || {
                    counter.fetch_add(1, Ordering::SeqCst);
                });
                let won = timer.cancel();
                assert!(timer.is_finished());
                assert!(timer.join_timeout(Duration::from_secs(1)));
                timer.join().unwrap();
                assert_eq!(ran.load(Ordering::SeqCst), usize::from(!won));
            },
            None,
        );
    }

    /// A timer still waiting: `cancel` always wins, and wakes the timer thread, whichever of
    /// the two runs first.
    #[test]
    fn cancel_against_a_waiting_timer() {
        shuttle::check_dfs(
            || {
                let timer = Timer::start(Duration::from_secs(60), || panic!("cancelled"));
                assert!(timer.cancel());
                assert!(timer.is_finished());
                timer.join().unwrap();
            },
            None,
        );
    }
}
