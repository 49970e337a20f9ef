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

use std::fmt;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Python: `threading.Timer`, already started.
pub struct Timer {
    shared: Arc<Shared>,
    thread: JoinHandle<()>,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug)]
struct State {
    phase: Phase,
    /// The timer thread is done: it ran the function, or saw the cancel.
    finished: bool,
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
        self.0.state().finished = true;
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
    /// started (the deadline won the race).
    pub fn cancel(&self) -> bool {
        let mut state = self.shared.state();
        match state.phase {
            Phase::Waiting => {
                state.phase = Phase::Cancelled;
                drop(state);
                self.shared.changed.notify_all();
                true
            }
            Phase::Cancelled => true,
            Phase::Fired => false,
        }
    }

    /// Python: `timer.finished.is_set()`, roughly: the timer thread is done (the function ran,
    /// or the timer was cancelled and its thread has seen it).
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
            .wait_timeout_while(state, timeout, |s| !s.finished)
            .unwrap_or_else(PoisonError::into_inner);
        state.finished
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_cancelled_timer_never_runs_even_when_cancel_races_the_deadline() {
        // Many rounds where cancel lands around the deadline: each time, `cancel` says who won,
        // and the function ran exactly when the deadline won.
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
    }

    #[test]
    fn many_cancelled_timers_never_run() {
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
    }

    #[test]
    fn a_timer_fires_after_its_delay_and_not_before() {
        let start = Instant::now();
        let fired_at = Arc::new(Mutex::new(None));
        let slot = Arc::clone(&fired_at);
        let delay = Duration::from_millis(200);
        let timer = Timer::start(delay, move || {
            *slot.lock().unwrap() = Some(start.elapsed());
        });
        assert!(!timer.join_timeout(Duration::from_millis(50)));
        assert!(timer.join_timeout(Duration::from_secs(5)));
        assert!(timer.is_finished());
        assert!(!timer.cancel(), "too late to cancel");
        timer.join().unwrap();
        let at = fired_at.lock().unwrap().expect("the function ran");
        assert!(at >= delay, "fired early: {at:?}");
        assert!(at < delay + Duration::from_secs(1), "fired late: {at:?}");
    }

    #[test]
    fn join_timeout_waits_its_bound_and_no_longer() {
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
    }

    #[test]
    fn a_panicking_function_still_finishes_the_timer() {
        let timer = Timer::start(Duration::ZERO, || panic!("boom"));
        assert!(timer.join_timeout(Duration::from_secs(5)));
        assert!(timer.join().is_err());
    }
}
