//! Needs: nothing beyond std
//!
//! [`Event`]: a thread-safe boolean flag that threads can wait on.
//!
//! Map. Threads: none of its own. State, under one mutex: the flag, a count of `set` calls (the
//! generation) and the threads waiting. Who wakes whom: `set` wakes every waiter, only if one
//! is counted; `clear` wakes no one.
//!
//! Copying it: the `#[cfg(all(test, shuttle))]` lines switch to the shuttle model checker's
//! primitives for `cargo xtask models` only. In a project of your own cargo warns of an
//! unexpected `cfg` condition name `shuttle`: delete those lines, or declare the name in your
//! Cargo.toml: `[lints.rust] unexpected_cfgs = { level = "warn", check-cfg = ["cfg(shuttle)"] }`.
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
        if waiters != 0 {
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

// The shuttle models (`cargo xtask models`) live in `event_models.rs`: a module whose `cfg`
// is off is never read, so a copy of this file builds without that file.
#[cfg(all(test, shuttle))]
#[path = "event_models.rs"]
mod models;
