//! Needs: nothing beyond std
//!
//! [`Timer`]: run a function in a new thread after a delay, unless cancelled first.
//!
//! Map. Threads: one timer thread per [`Timer`]. State, under one mutex: waiting, cancelled or
//! fired, `finished`, `ended`. Who wakes whom: `cancel` wakes the timer thread out of its wait
//! for the deadline; the timer thread's end wakes `join`.
//!
//! Copying it: the `#[cfg(all(test, shuttle))]` lines switch to the shuttle model checker's
//! primitives for `cargo xtask models` only. In a project of your own cargo warns of an
//! unexpected `cfg` condition name `shuttle`: delete those lines, or declare the name in your
//! Cargo.toml: `[lints.rust] unexpected_cfgs = { level = "warn", check-cfg = ["cfg(shuttle)"] }`.
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

// The shuttle models (`cargo xtask models`) live in `timer_models.rs`: a module whose `cfg`
// is off is never read, so a copy of this file builds without that file.
#[cfg(all(test, shuttle))]
#[path = "timer_models.rs"]
mod models;
