//! Needs: nothing beyond std
//!
//! The pool in steps, step 2 of 5: results. Adds to step 1 (`pool_step1_basic.rs`) an
//! [`AsyncResult`] per task, Python's `apply_async(f).get()`, and a panicking task reported
//! to whoever waits for its result instead of killing its worker.
//!
//! Map. Threads: `size` workers. State: the pool's queue and shutdown flag under one mutex (as
//! in step 1), and a slot per task, empty until the task settles it, under a mutex of its own.
//! Who wakes whom: `apply_async` wakes one idle worker; a worker settling a slot wakes whoever
//! waits in `get`; `drop` wakes the workers and joins them.
//!
//! New here: `catch_unwind` around each task, so a panic becomes an `Err` in its slot; and
//! the slot itself, a `Mutex<Option<...>>` and a `Condvar`, which is all a one-shot result
//! needs. Step 3 adds `close`, `join` and `terminate`.
//!
//! Run its tests alone: `cargo test -p lesson06 --test pool_step2_results`.

// This workspace asks every public type for `Debug`; a first pool does without.
#![allow(missing_debug_implementations)]

use std::any::Any;
use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};

/// A pool of worker threads; [`apply_async`](Self::apply_async) returns each task's result.
pub struct ThreadPool {
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
}

/// Python's `AsyncResult`: the outcome of one task, once it is done.
pub struct AsyncResult<T> {
    slot: Arc<Slot<T>>,
}

impl ThreadPool {
    /// Starts `size` workers. Panics if `size` is 0 or a thread cannot be started.
    pub fn new(size: usize) -> ThreadPool {
        assert!(size > 0, "a pool needs at least one worker");
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                shutting_down: false,
            }),
            work: Condvar::new(),
        });
        let workers = (0..size)
            .map(|index| {
                let shared = Arc::clone(&shared);
                thread::Builder::new()
                    .name(format!("pool-worker-{index}"))
                    .spawn(move || worker_loop(&shared))
                    .expect("cannot start a worker thread")
            })
            .collect();
        ThreadPool { shared, workers }
    }

    /// Python: `apply_async(f)`. Queues `f`; its value (or its panic, as `Err`) lands in the
    /// returned result.
    pub fn apply_async<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> AsyncResult<T> {
        let slot = Arc::new(Slot {
            outcome: Mutex::new(None),
            settled: Condvar::new(),
        });
        let theirs = Arc::clone(&slot);
        let job: Job = Box::new(move || {
            let outcome = panic::catch_unwind(AssertUnwindSafe(f)).map_err(panic_message);
            *theirs.outcome.lock().unwrap() = Some(outcome);
            theirs.settled.notify_all();
        });
        self.shared.state.lock().unwrap().queue.push_back(job);
        self.shared.work.notify_one();
        AsyncResult { slot }
    }
}

impl<T> AsyncResult<T> {
    /// Python: `get()`. Waits for the task; its value, or the text of its panic.
    pub fn get(self) -> Result<T, String> {
        let outcome = self.slot.outcome.lock().unwrap();
        let mut outcome = self
            .slot
            .settled
            .wait_while(outcome, |o| o.is_none())
            .unwrap();
        outcome.take().expect("settled")
    }

    /// Python: `ready()`.
    pub fn ready(&self) -> bool {
        self.slot.outcome.lock().unwrap().is_some()
    }
}

impl Drop for ThreadPool {
    /// Lets the workers finish every queued job, then joins them.
    fn drop(&mut self) {
        self.shared.state.lock().unwrap().shutting_down = true;
        self.shared.work.notify_all();
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

type Job = Box<dyn FnOnce() + Send>;

struct State {
    queue: VecDeque<Job>,
    shutting_down: bool,
}

struct Shared {
    state: Mutex<State>,
    work: Condvar,
}

/// Where a task's outcome lands: `None` until it settles.
struct Slot<T> {
    outcome: Mutex<Option<Result<T, String>>>,
    settled: Condvar,
}

fn worker_loop(shared: &Shared) {
    loop {
        let job = {
            let state = shared.state.lock().unwrap();
            let mut state = shared
                .work
                .wait_while(state, |s| s.queue.is_empty() && !s.shutting_down)
                .unwrap();
            match state.queue.pop_front() {
                Some(job) => job,
                None => return,
            }
        };
        job(); // catches its task's panic itself: the worker lives on
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_result_comes_back() {
        let pool = ThreadPool::new(3);
        let results: Vec<_> = (0..100).map(|i| pool.apply_async(move || i * 2)).collect();
        let values: Vec<i32> = results.into_iter().map(|r| r.get().unwrap()).collect();
        assert_eq!(values, (0..100).map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn a_panicking_task_is_reported_and_its_worker_lives_on() {
        let pool = ThreadPool::new(1);
        let failed = pool.apply_async(|| -> i32 { panic!("boom") });
        assert_eq!(failed.get(), Err("boom".to_string()));
        // the one worker is still there
        assert_eq!(pool.apply_async(|| 7).get(), Ok(7));
    }
}
