//! Needs: nothing beyond std
//! [`AsyncResult`], the handle on a task issued with `apply_async` or `map_async`, and
//! [`PoolError`], what a pool reports instead of raising.
//!
//! Python twin: `multiprocessing.pool.AsyncResult` (`ApplyResult`, `MapResult`).

use std::any::Any;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Everything a pool call can report instead of a value.
///
/// Python raises these as exceptions; Rust returns them in a `Result`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolError {
    /// The task panicked; the panic message is kept. Python's `get()` re-raises the task's
    /// exception; here `get` returns this, and its `Display` is the message alone, as
    /// `print(exception)` shows only the message.
    Panicked(String),
    /// The pool was closed or terminated before the task was submitted. Python raises
    /// `ValueError("Pool not running")`.
    NotRunning,
    /// `join` was called on a pool that is neither closed nor terminated. Python raises
    /// `ValueError("Pool is still running")`.
    StillRunning,
    /// `terminate` discarded the task before a worker started it. Python never settles such
    /// a result (a later `get()` blocks forever); here it settles with this error.
    Terminated,
    /// A timed wait (`get_timeout`, `join_timeout`, `next_timeout`) ran out. Python raises
    /// `multiprocessing.TimeoutError`.
    Timeout,
    /// `successful` was asked before the task finished. Python raises `ValueError`.
    NotReady,
}

impl fmt::Display for PoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PoolError::Panicked(message) => f.write_str(message),
            PoolError::NotRunning => f.write_str("Pool not running"),
            PoolError::StillRunning => f.write_str("Pool is still running"),
            PoolError::Terminated => f.write_str("the pool was terminated before the task ran"),
            PoolError::Timeout => f.write_str("timed out"),
            PoolError::NotReady => f.write_str("not ready"),
        }
    }
}

impl std::error::Error for PoolError {}

/// Runs `f`, turning a panic into [`PoolError::Panicked`] with the panic's message. This is
/// the Rust side of "a task that raises does not kill its worker": `catch_unwind` stops the
/// unwinding at the task's edge. (Rust's panic hook still reports the panic on stderr: the
/// hook runs when the panic starts, before `catch_unwind` stops it. Python's pool prints
/// nothing for a task that raises; its exception only goes to the error callback and `get`.)
pub(crate) fn run_catching<T>(f: impl FnOnce() -> T) -> Result<T, PoolError> {
    panic::catch_unwind(AssertUnwindSafe(f))
        .map_err(|payload| PoolError::Panicked(panic_message(payload)))
}

/// The text of a panic: `panic!("literal")` carries a `&str`, `panic!("{x}")` a `String`.
fn panic_message(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => match payload.downcast::<&'static str>() {
            Ok(text) => (*text).to_string(),
            Err(_) => "a task panicked with a non-text payload".to_string(),
        },
    }
}

/// Locks a mutex, ignoring poisoning: the pool's own code never panics while holding a lock
/// (user code runs outside them), so the data behind a poisoned lock is still consistent.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits on `cond` until `done` holds, for at most `timeout` (`None`: no limit). Returns the
/// guard and whether `done` holds.
pub(crate) fn wait_until<'a, S>(
    cond: &Condvar,
    mut guard: MutexGuard<'a, S>,
    timeout: Option<Duration>,
    mut done: impl FnMut(&S) -> bool,
) -> (MutexGuard<'a, S>, bool) {
    let deadline = timeout.map(|t| Instant::now() + t);
    while !done(&guard) {
        match deadline {
            None => guard = cond.wait(guard).unwrap_or_else(PoisonError::into_inner),
            Some(deadline) => {
                let now = Instant::now();
                if now >= deadline {
                    return (guard, false);
                }
                guard = cond
                    .wait_timeout(guard, deadline - now)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
        }
    }
    (guard, true)
}

/// Where a task's outcome lands: empty until the task settles.
#[derive(Debug)]
pub(crate) struct Slot<T> {
    outcome: Mutex<Option<Result<T, PoolError>>>,
    settled: Condvar,
}

impl<T> Slot<T> {
    fn new() -> Self {
        Slot {
            outcome: Mutex::new(None),
            settled: Condvar::new(),
        }
    }

    /// Stores the outcome unless one is already there; wakes every waiter.
    fn settle(&self, outcome: Result<T, PoolError>) {
        let mut slot = lock(&self.outcome);
        if slot.is_none() {
            *slot = Some(outcome);
            self.settled.notify_all();
        }
    }

    fn wait(
        &self,
        timeout: Option<Duration>,
    ) -> (MutexGuard<'_, Option<Result<T, PoolError>>>, bool) {
        wait_until(&self.settled, lock(&self.outcome), timeout, Option::is_some)
    }
}

/// A result callback: Python's `callback=`, called with the task's value.
pub(crate) type Callback<T> = Box<dyn FnOnce(&T) + Send>;
/// An error callback: Python's `error_callback=`, called with the task's error.
pub(crate) type ErrorCallback = Box<dyn FnOnce(&PoolError) + Send>;

/// The worker's end of an [`AsyncResult`]: it settles the slot exactly once, calling the
/// callbacks first (as Python calls them before `wait()` returns). If it is dropped unsettled,
/// because `terminate` threw its task away, it settles the slot with
/// [`PoolError::Terminated`] so no one waits forever.
pub(crate) struct Completer<T> {
    slot: Arc<Slot<T>>,
    callback: Option<Callback<T>>,
    error_callback: Option<ErrorCallback>,
}

impl<T> Completer<T> {
    pub(crate) fn complete(mut self, outcome: Result<T, PoolError>) {
        // A panicking callback must not kill the worker either; its report goes to stderr.
        match &outcome {
            Ok(value) => {
                if let Some(callback) = self.callback.take() {
                    let _ = run_catching(|| callback(value));
                }
            }
            Err(error) => {
                if let Some(callback) = self.error_callback.take() {
                    let _ = run_catching(|| callback(error));
                }
            }
        }
        self.slot.settle(outcome);
    }
}

impl<T> Drop for Completer<T> {
    fn drop(&mut self) {
        // No effect when `complete` already settled the slot.
        self.slot.settle(Err(PoolError::Terminated));
    }
}

/// A handle on a task issued asynchronously: Python's `AsyncResult`.
///
/// `apply_async` and `map_async` return it at once; the task runs on a worker meanwhile.
#[derive(Debug)]
pub struct AsyncResult<T> {
    slot: Arc<Slot<T>>,
}

impl<T> AsyncResult<T> {
    pub(crate) fn new(
        callback: Option<Callback<T>>,
        error_callback: Option<ErrorCallback>,
    ) -> (Self, Completer<T>) {
        let slot = Arc::new(Slot::new());
        (
            AsyncResult {
                slot: Arc::clone(&slot),
            },
            Completer {
                slot,
                callback,
                error_callback,
            },
        )
    }

    /// Python: `ready()`. Whether the task has finished, successfully or not.
    pub fn ready(&self) -> bool {
        lock(&self.slot.outcome).is_some()
    }

    /// Python: `successful()`. Whether the task finished without panicking; like Python's
    /// `ValueError`, asking before it finished is an error ([`PoolError::NotReady`]).
    pub fn successful(&self) -> Result<bool, PoolError> {
        match &*lock(&self.slot.outcome) {
            None => Err(PoolError::NotReady),
            Some(outcome) => Ok(outcome.is_ok()),
        }
    }

    /// Python: `wait()`. Blocks until the task has finished.
    pub fn wait(&self) {
        let _ = self.slot.wait(None);
    }

    /// Python: `wait(timeout)`. Blocks for at most `timeout`; returns whether the task has
    /// finished (Python returns `None` and leaves you to call `ready()`).
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        self.slot.wait(Some(timeout)).1
    }

    /// Python: `get()`. Waits for the task and returns its value, or its panic as
    /// [`PoolError::Panicked`] where Python re-raises the exception. Like Python's, it may be
    /// called again and returns the same outcome, hence `T: Clone`; see
    /// [`into_result`](Self::into_result) to take a value that is not `Clone`.
    pub fn get(&self) -> Result<T, PoolError>
    where
        T: Clone,
    {
        let (slot, _) = self.slot.wait(None);
        slot.clone().expect("a settled slot holds an outcome")
    }

    /// Python: `get(timeout)`. As [`get`](Self::get), but gives up after `timeout` with
    /// [`PoolError::Timeout`] (Python raises `multiprocessing.TimeoutError`).
    pub fn get_timeout(&self, timeout: Duration) -> Result<T, PoolError>
    where
        T: Clone,
    {
        match self.slot.wait(Some(timeout)) {
            (slot, true) => slot.clone().expect("a settled slot holds an outcome"),
            (_, false) => Err(PoolError::Timeout),
        }
    }

    /// No Python twin: waits for the task and moves its outcome out, for values that are not
    /// `Clone`. The handle is consumed, so the value is taken exactly once.
    pub fn into_result(self) -> Result<T, PoolError> {
        let (mut slot, _) = self.slot.wait(None);
        slot.take().expect("a settled slot holds an outcome")
    }
}
