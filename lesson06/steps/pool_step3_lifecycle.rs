//! Needs: nothing beyond std
//!
//! The pool in steps, step 3 of 5: `close`, `join` and `terminate`. Adds to step 2
//! (`pool_step2_results.rs`) Python's pool life cycle: running, closed (no new tasks, the
//! queued ones still run), terminated (the queued ones are thrown away, and their results say
//! so instead of leaving `get` waiting for good).
//!
//! Map. Threads: `size` workers. State, under one mutex: the phase, the queue, and the
//! workers still running; a slot per task as in step 2. Who wakes whom: `apply_async` wakes
//! one idle worker; `close` and `terminate` wake them all; the last worker to leave wakes
//! `join`; a settled slot wakes its `get`.
//!
//! New here: the phase; a worker that leaves once the pool is closed and empty (or
//! terminated); `join` waiting for the last one; and the `Completer`, a task's end of its
//! slot that settles it as terminated if the task is dropped unrun. Step 4
//! (`pool_step4_callbacks.rs`) adds callbacks and their result-handler thread, `map` and
//! timed waits.
//!
//! Run its tests alone: `cargo test -p lesson06 --test pool_step3_lifecycle`.

// This workspace asks every public type for `Debug`; a pool in steps does without.
#![allow(missing_debug_implementations)]

use std::any::Any;
use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};

/// A pool of worker threads with Python's life cycle: `close`, `join`, `terminate`.
pub struct ThreadPool {
    shared: Arc<Shared>,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

/// Python's `AsyncResult`: the outcome of one task, once it is done.
pub struct AsyncResult<T> {
    slot: Arc<Slot<T>>,
}

/// What the pool reports where Python raises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolError {
    /// The task panicked; the text of its panic.
    Panicked(String),
    /// `terminate` threw the task away before it ran.
    Terminated,
    /// The pool no longer takes tasks (Python: `ValueError: Pool not running`).
    NotRunning,
}

impl ThreadPool {
    /// Starts `size` workers. Panics if `size` is 0 or a thread cannot be started.
    pub fn new(size: usize) -> ThreadPool {
        assert!(size > 0, "a pool needs at least one worker");
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                phase: Phase::Running,
                queue: VecDeque::new(),
                live_workers: size,
            }),
            work: Condvar::new(),
            exited: Condvar::new(),
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
        ThreadPool {
            shared,
            workers: Mutex::new(workers),
        }
    }

    /// Python: `apply_async(f)`. `Err(NotRunning)` once the pool is closed or terminated.
    pub fn apply_async<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<AsyncResult<T>, PoolError> {
        let slot = Arc::new(Slot {
            outcome: Mutex::new(None),
            settled: Condvar::new(),
        });
        let completer = Completer(Arc::clone(&slot));
        let job: Job = Box::new(move || {
            let outcome = panic::catch_unwind(AssertUnwindSafe(f));
            completer.settle(outcome.map_err(|p| PoolError::Panicked(panic_message(p))));
        });
        let mut state = self.shared.state.lock().unwrap();
        if state.phase != Phase::Running {
            return Err(PoolError::NotRunning);
        }
        state.queue.push_back(job);
        drop(state);
        self.shared.work.notify_one();
        Ok(AsyncResult { slot })
    }

    /// Python: `close()`. No new tasks; the queued ones still run, then the workers leave.
    pub fn close(&self) {
        let mut state = self.shared.state.lock().unwrap();
        if state.phase == Phase::Running {
            state.phase = Phase::Closed;
        }
        drop(state);
        self.shared.work.notify_all();
    }

    /// Python: `terminate()`. No new tasks, and the queued ones are thrown away: dropping a
    /// job drops its `Completer`, which settles its result as `Err(Terminated)`. A running
    /// task ends when it ends (no thread can be killed); its worker leaves after it.
    pub fn terminate(&self) {
        let thrown_away = {
            let mut state = self.shared.state.lock().unwrap();
            state.phase = Phase::Terminated;
            std::mem::take(&mut state.queue)
        };
        self.shared.work.notify_all();
        drop(thrown_away); // outside the lock: each settles its slot
    }

    /// Python: `join()`. Waits until every worker has left; the pool must be closed or
    /// terminated first (Python: `ValueError`), or it would wait for good.
    pub fn join(&self) -> Result<(), PoolError> {
        let state = self.shared.state.lock().unwrap();
        if state.phase == Phase::Running {
            return Err(PoolError::NotRunning);
        }
        let state = self.shared.exited.wait_while(state, |s| s.live_workers > 0);
        drop(state.unwrap());
        for worker in self.workers.lock().unwrap().drain(..) {
            let _ = worker.join();
        }
        Ok(())
    }
}

impl<T> AsyncResult<T> {
    /// Python: `get()`. Waits for the task: its value, or why there is none.
    pub fn get(self) -> Result<T, PoolError> {
        let outcome = self.slot.outcome.lock().unwrap();
        let mut outcome = self
            .slot
            .settled
            .wait_while(outcome, |o| o.is_none())
            .unwrap();
        outcome.take().expect("settled")
    }
}

impl Drop for ThreadPool {
    /// Close, then join: every task submitted runs (Python's `with` would terminate).
    fn drop(&mut self) {
        self.close();
        let _ = self.join();
    }
}

type Job = Box<dyn FnOnce() + Send>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Running,
    Closed,
    Terminated,
}

struct State {
    phase: Phase,
    queue: VecDeque<Job>,
    live_workers: usize,
}

struct Shared {
    state: Mutex<State>,
    /// Signalled when a job is queued or the phase changes: wakes idle workers.
    work: Condvar,
    /// Signalled when a worker leaves: wakes `join`.
    exited: Condvar,
}

struct Slot<T> {
    outcome: Mutex<Option<Result<T, PoolError>>>,
    settled: Condvar,
}

/// The task's end of its slot. Settles it once; dropped unsettled (its job thrown away by
/// `terminate`), settles it as `Err(Terminated)`.
struct Completer<T>(Arc<Slot<T>>);

impl<T> Completer<T> {
    fn settle(&self, outcome: Result<T, PoolError>) {
        let mut slot = self.0.outcome.lock().unwrap();
        if slot.is_none() {
            *slot = Some(outcome);
            self.0.settled.notify_all();
        }
    }
}

impl<T> Drop for Completer<T> {
    fn drop(&mut self) {
        self.settle(Err(PoolError::Terminated)); // no effect once settled
    }
}

fn worker_loop(shared: &Shared) {
    loop {
        let job = {
            let state = shared.state.lock().unwrap();
            let mut state = shared
                .work
                .wait_while(state, |s| s.phase == Phase::Running && s.queue.is_empty())
                .unwrap();
            if state.phase == Phase::Terminated {
                break;
            }
            match state.queue.pop_front() {
                Some(job) => job,
                None => break, // closed and empty
            }
        };
        job();
    }
    shared.state.lock().unwrap().live_workers -= 1;
    shared.exited.notify_all();
}

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
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn close_runs_what_is_queued_then_join_returns() {
        let pool = ThreadPool::new(2);
        let results: Vec<_> = (0..20)
            .map(|i| pool.apply_async(move || i).unwrap())
            .collect();
        pool.close();
        assert_eq!(pool.apply_async(|| 0).err(), Some(PoolError::NotRunning));
        pool.join().unwrap();
        let values: Vec<i32> = results.into_iter().map(|r| r.get().unwrap()).collect();
        assert_eq!(values, (0..20).collect::<Vec<_>>());
    }

    #[test]
    fn terminate_settles_the_tasks_it_throws_away() {
        let pool = ThreadPool::new(1);
        let (release, gate) = mpsc::channel::<()>();
        let (started_tx, started) = mpsc::channel::<()>();
        let running = pool
            .apply_async(move || {
                started_tx.send(()).unwrap();
                gate.recv_timeout(Duration::from_secs(5)).is_ok()
            })
            .unwrap();
        started.recv_timeout(Duration::from_secs(5)).unwrap(); // the worker is busy with it
        let queued = pool.apply_async(|| 1).unwrap();
        pool.terminate();
        assert_eq!(queued.get(), Err(PoolError::Terminated));
        release.send(()).unwrap();
        assert_eq!(running.get(), Ok(true));
        pool.join().unwrap();
    }

    #[test]
    fn join_refuses_a_running_pool_and_panics_are_reported() {
        let pool = ThreadPool::new(1);
        assert_eq!(pool.join(), Err(PoolError::NotRunning));
        let failed = pool.apply_async(|| -> i32 { panic!("boom") }).unwrap();
        assert_eq!(failed.get(), Err(PoolError::Panicked("boom".to_string())));
    }
}
