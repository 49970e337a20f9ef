//! Needs: nothing beyond std
//!
//! The pool in steps, step 4 of 5: callbacks, `map`, timed waits. Adds to step 3
//! (`pool_step3_lifecycle.rs`) Python's `callback=` and `error_callback=`, run one at a time
//! on a result-handler thread of the pool's own; `map` and `map_async`, which split the items
//! into chunks and settle once every chunk is in; and `wait_timeout` and `join_timeout`.
//!
//! Map. Threads: `size` workers and one result handler. State, under one mutex: the phase,
//! the queue, the callbacks handed over, the workers still running and whether the handler
//! runs; a slot per task as in step 2. Who wakes whom: a queued job wakes an idle worker; a
//! finished task with callbacks wakes the handler, and so does a worker that leaves; a
//! settled slot wakes its waiters; `close` and `terminate` wake everyone; each thread that
//! leaves wakes `join`.
//!
//! New here: a task's `Completer` no longer settles its slot itself when the task has
//! callbacks: it hands a job to the result handler, which calls the callback and only then
//! settles, so `wait` returns after the callback, as in Python. A map is one result whose
//! `Completer` the chunks share; the last chunk in settles it, and if `terminate` throws
//! chunks away, the `Completer` is dropped with the last of them and settles as
//! `Terminated`. A callback `terminate` throws away settles its result as `Terminated` too.
//!
//! Step 5 (`pool_step5_imap.rs`) adds `imap` and `starmap`. `src/pool.rs` is this step
//! grown into the production pool: the rest of Python's API (`apply`, `get` with a timeout,
//! an initializer, ...), a thrown-away callback's result settled with the task's own
//! outcome, a failed thread start cleaned up, a `join` from the pool's own threads refused,
//! and a notify only when someone sleeps.
//!
//! Run its tests alone: `cargo test -p lesson06 --test pool_step4_callbacks`.

// This workspace asks every public type for `Debug`; a pool in steps does without.
#![allow(missing_debug_implementations)]

use std::any::Any;
use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// A pool of worker threads, and a result-handler thread that runs their callbacks.
pub struct ThreadPool {
    shared: Arc<Shared>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    size: usize,
}

/// Python's `AsyncResult`: the outcome of one task (or one map), once it is done.
pub struct AsyncResult<T> {
    slot: Arc<Slot<T>>,
}

/// What the pool reports where Python raises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolError {
    /// The task panicked; the text of its panic.
    Panicked(String),
    /// `terminate` threw the task (or its callback) away.
    Terminated,
    /// The pool no longer takes tasks (Python: `ValueError: Pool not running`).
    NotRunning,
    /// A timed wait ran out (Python: `multiprocessing.TimeoutError`).
    Timeout,
}

impl ThreadPool {
    /// Starts `size` workers and the result handler. Panics if `size` is 0 or a thread
    /// cannot be started.
    pub fn new(size: usize) -> ThreadPool {
        assert!(size > 0, "a pool needs at least one worker");
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                phase: Phase::Running,
                queue: VecDeque::new(),
                live_workers: size,
                handoffs: VecDeque::new(),
                handler_alive: true,
            }),
            work: Condvar::new(),
            handed: Condvar::new(),
            exited: Condvar::new(),
        });
        let start = |name: String, body: fn(&Shared)| {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name(name)
                .spawn(move || body(&shared))
                .expect("cannot start a pool thread")
        };
        let mut threads: Vec<_> = (0..size)
            .map(|index| start(format!("pool-worker-{index}"), worker_loop))
            .collect();
        threads.push(start("pool-result-handler".into(), handler_loop));
        ThreadPool {
            shared,
            threads: Mutex::new(threads),
            size,
        }
    }

    /// Python: `apply_async(f)`. `Err(NotRunning)` once the pool is closed or terminated.
    pub fn apply_async<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<AsyncResult<T>, PoolError> {
        self.apply_inner(f, None)
    }

    /// Python: `apply_async(f, callback=..., error_callback=...)`. Once `f` is done, the
    /// result handler calls `callback` with its value or `error_callback` with its error,
    /// one callback at a time, and only then is the result ready.
    pub fn apply_async_with<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
        callback: impl FnOnce(&T) + Send + 'static,
        error_callback: impl FnOnce(&PoolError) + Send + 'static,
    ) -> Result<AsyncResult<T>, PoolError> {
        self.apply_inner(f, Some((Box::new(callback), Box::new(error_callback))))
    }

    /// Python: `map(f, items)`. The values in the items' order, or the first panic, once
    /// every chunk is done.
    pub fn map<A: Send + 'static, T: Send + 'static>(
        &self,
        f: impl Fn(A) -> T + Send + Sync + 'static,
        items: impl IntoIterator<Item = A>,
    ) -> Result<Vec<T>, PoolError> {
        self.map_async(f, items)?.get()
    }

    /// Python: `map_async(f, items)`: returns at once with the map's one result.
    pub fn map_async<A: Send + 'static, T: Send + 'static>(
        &self,
        f: impl Fn(A) -> T + Send + Sync + 'static,
        items: impl IntoIterator<Item = A>,
    ) -> Result<AsyncResult<Vec<T>>, PoolError> {
        self.map_inner(f, items, None)
    }

    /// Python: `map_async(f, items, callback=..., error_callback=...)`: `callback` gets the
    /// whole `Vec`, `error_callback` the first error, once every chunk is done.
    pub fn map_async_with<A: Send + 'static, T: Send + 'static>(
        &self,
        f: impl Fn(A) -> T + Send + Sync + 'static,
        items: impl IntoIterator<Item = A>,
        callback: impl FnOnce(&Vec<T>) + Send + 'static,
        error_callback: impl FnOnce(&PoolError) + Send + 'static,
    ) -> Result<AsyncResult<Vec<T>>, PoolError> {
        let callbacks: Callbacks<Vec<T>> = (Box::new(callback), Box::new(error_callback));
        self.map_inner(f, items, Some(callbacks))
    }

    /// Python: `close()`. No new tasks; the queued ones and their callbacks still run, then
    /// the threads leave.
    pub fn close(&self) {
        let mut state = self.shared.state.lock().unwrap();
        if state.phase == Phase::Running {
            state.phase = Phase::Closed;
        }
        drop(state);
        self.shared.work.notify_all();
    }

    /// Python: `terminate()`. No new tasks; the queued ones and the callbacks not yet run
    /// are thrown away, and their results settle as `Err(Terminated)` (each `Completer` is
    /// dropped with its job). A running task ends when it ends.
    pub fn terminate(&self) {
        let thrown_away = {
            let mut state = self.shared.state.lock().unwrap();
            state.phase = Phase::Terminated;
            (
                std::mem::take(&mut state.queue),
                std::mem::take(&mut state.handoffs),
            )
        };
        self.shared.work.notify_all();
        self.shared.handed.notify_all();
        drop(thrown_away); // outside the lock: each settles its slot
    }

    /// Python: `join()`. Waits until every worker and the result handler have left; the
    /// pool must be closed or terminated first, or it would wait for good.
    pub fn join(&self) -> Result<(), PoolError> {
        self.join_inner(None)
    }

    /// `join`, giving up after `timeout` with `Err(Timeout)`.
    pub fn join_timeout(&self, timeout: Duration) -> Result<(), PoolError> {
        self.join_inner(Some(timeout))
    }
}

impl<T> AsyncResult<T> {
    /// Python: `wait(timeout)`: waits at most `timeout`; whether the result is ready.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let outcome = self.slot.outcome.lock().unwrap();
        let waited = self
            .slot
            .settled
            .wait_timeout_while(outcome, timeout, |o| o.is_none());
        waited.unwrap().0.is_some()
    }

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
    /// Close, then join: every task submitted runs, and every callback.
    fn drop(&mut self) {
        self.close();
        let _ = self.join();
    }
}

/// Python's default `chunksize` for `map`: about four chunks per worker, rounded up.
pub fn default_chunksize(items: usize, workers: usize) -> usize {
    items.div_ceil(workers * 4).max(1)
}

// The internals.

type Job = Box<dyn FnOnce() + Send>;
type Callbacks<T> = (
    Box<dyn FnOnce(&T) + Send>,
    Box<dyn FnOnce(&PoolError) + Send>,
);

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
    /// Finished tasks' callbacks, in the order the tasks finished.
    handoffs: VecDeque<Job>,
    handler_alive: bool,
}

struct Shared {
    state: Mutex<State>,
    /// Signalled when a job is queued or the phase changes: wakes idle workers.
    work: Condvar,
    /// Signalled when a callback is handed over, a worker leaves or the pool terminates:
    /// wakes the result handler.
    handed: Condvar,
    /// Signalled when a worker or the handler leaves: wakes `join`.
    exited: Condvar,
}

impl Shared {
    /// Queues a callback for the result handler, or drops it (which settles its result as
    /// `Terminated`) once the handler runs no more.
    fn hand_over(&self, handoff: Job) {
        let mut state = self.state.lock().unwrap();
        if state.phase == Phase::Terminated || !state.handler_alive {
            return; // `handoff` is dropped: its result settles as Terminated
        }
        state.handoffs.push_back(handoff);
        drop(state);
        self.handed.notify_one();
    }
}

impl ThreadPool {
    fn apply_inner<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
        callbacks: Option<Callbacks<T>>,
    ) -> Result<AsyncResult<T>, PoolError> {
        let (result, completer) = self.async_result(callbacks);
        self.submit(vec![Box::new(move || completer.complete(catching(f)))])?;
        Ok(result)
    }

    fn map_inner<A: Send + 'static, T: Send + 'static>(
        &self,
        f: impl Fn(A) -> T + Send + Sync + 'static,
        items: impl IntoIterator<Item = A>,
        callbacks: Option<Callbacks<Vec<T>>>,
    ) -> Result<AsyncResult<Vec<T>>, PoolError> {
        let items: Vec<A> = items.into_iter().collect();
        let total = items.len();
        let chunksize = default_chunksize(total, self.size);
        let (result, completer) = self.async_result(callbacks);
        let collector = Arc::new(Mutex::new(Collector {
            values: (0..total).map(|_| None).collect(),
            chunks_left: total.div_ceil(chunksize),
            first_error: None,
            completer: Some(completer),
        }));
        let f = Arc::new(f);
        let mut items = items.into_iter();
        let mut jobs: Vec<Job> = Vec::new();
        for start in (0..total).step_by(chunksize) {
            let chunk: Vec<A> = items.by_ref().take(chunksize).collect();
            let (f, collector) = (Arc::clone(&f), Arc::clone(&collector));
            jobs.push(Box::new(move || {
                // A chunk is one task: a panic ends it, as in Python's `list(map(f, chunk))`.
                let outcome = catching(|| chunk.into_iter().map(|item| f(item)).collect());
                deliver(&collector, start, outcome);
            }));
        }
        self.submit(jobs)?;
        if total == 0 {
            // No chunk will deliver: the empty map settles now (its callback on the handler).
            let completer = collector.lock().unwrap().completer.take();
            if let Some(completer) = completer {
                completer.complete(Ok(Vec::new()));
            }
        }
        Ok(result)
    }

    fn async_result<T>(&self, callbacks: Option<Callbacks<T>>) -> (AsyncResult<T>, Completer<T>) {
        let slot = Arc::new(Slot {
            outcome: Mutex::new(None),
            settled: Condvar::new(),
        });
        let completer = Completer {
            slot: Arc::clone(&slot),
            callbacks,
            pool: Arc::downgrade(&self.shared),
        };
        (AsyncResult { slot }, completer)
    }

    /// Queues `jobs` all at once, or none if the pool no longer runs.
    fn submit(&self, jobs: Vec<Job>) -> Result<(), PoolError> {
        let mut state = self.shared.state.lock().unwrap();
        if state.phase != Phase::Running {
            return Err(PoolError::NotRunning); // the jobs are dropped, and no callback runs
        }
        let queued = jobs.len();
        state.queue.extend(jobs);
        drop(state);
        for _ in 0..queued {
            self.shared.work.notify_one();
        }
        Ok(())
    }

    fn join_inner(&self, timeout: Option<Duration>) -> Result<(), PoolError> {
        let state = self.shared.state.lock().unwrap();
        if state.phase == Phase::Running {
            return Err(PoolError::NotRunning);
        }
        let still_there = |s: &mut State| s.live_workers > 0 || s.handler_alive;
        let exited = &self.shared.exited;
        match timeout {
            None => drop(exited.wait_while(state, still_there).unwrap()),
            Some(timeout) => {
                let (state, waited) = exited
                    .wait_timeout_while(state, timeout, still_there)
                    .unwrap();
                drop(state);
                if waited.timed_out() {
                    return Err(PoolError::Timeout);
                }
            }
        }
        for thread in self.threads.lock().unwrap().drain(..) {
            let _ = thread.join();
        }
        Ok(())
    }
}

struct Slot<T> {
    outcome: Mutex<Option<Result<T, PoolError>>>,
    settled: Condvar,
}

impl<T> Slot<T> {
    fn settle(&self, outcome: Result<T, PoolError>) {
        let mut slot = self.outcome.lock().unwrap();
        if slot.is_none() {
            *slot = Some(outcome);
            self.settled.notify_all();
        }
    }
}

/// The task's end of its slot, as in step 3, now with the callbacks. Dropped unsettled (its
/// job or its callback thrown away), it settles the slot as `Err(Terminated)`.
struct Completer<T> {
    slot: Arc<Slot<T>>,
    callbacks: Option<Callbacks<T>>,
    /// Whose result handler runs the callbacks. `Weak`, not `Arc`: a queued job holds its
    /// completer and the pool holds the queue, so an `Arc` would make a cycle.
    pool: Weak<Shared>,
}

impl<T: Send + 'static> Completer<T> {
    /// Settles with `outcome`: at once without callbacks; with them, on the result handler,
    /// after the callback that fits.
    fn complete(mut self, outcome: Result<T, PoolError>) {
        let (Some((on_value, on_error)), Some(pool)) = (self.callbacks.take(), self.pool.upgrade())
        else {
            return self.slot.settle(outcome);
        };
        // The job owns `self`: thrown away unrun, it drops it, which settles as Terminated.
        pool.hand_over(Box::new(move || {
            // A panicking callback must not end the handler; its report goes to stderr.
            let _ = match &outcome {
                Ok(value) => catching(|| on_value(value)),
                Err(error) => catching(|| on_error(error)),
            };
            self.slot.settle(outcome);
        }));
    }
}

impl<T> Drop for Completer<T> {
    fn drop(&mut self) {
        self.slot.settle(Err(PoolError::Terminated)); // no effect once settled
    }
}

/// One map's chunks, gathered in the items' order. The chunks' jobs share it: when the last
/// of them is gone, delivered or thrown away, so is the `Completer` if no chunk took it.
struct Collector<T> {
    values: Vec<Option<T>>,
    chunks_left: usize,
    first_error: Option<PoolError>,
    completer: Option<Completer<Vec<T>>>,
}

/// A chunk's outcome into its map; the last chunk in settles the map.
fn deliver<T: Send + 'static>(
    collector: &Mutex<Collector<T>>,
    start: usize,
    outcome: Result<Vec<T>, PoolError>,
) {
    let mut this = collector.lock().unwrap();
    match outcome {
        Ok(values) => {
            for (offset, value) in values.into_iter().enumerate() {
                this.values[start + offset] = Some(value);
            }
        }
        Err(error) => {
            this.first_error.get_or_insert(error);
        }
    }
    this.chunks_left -= 1;
    if this.chunks_left > 0 {
        return;
    }
    let outcome = match this.first_error.take() {
        Some(error) => Err(error),
        None => Ok(this
            .values
            .drain(..)
            .map(|v| v.expect("delivered"))
            .collect()),
    };
    let completer = this.completer.take();
    drop(this);
    if let Some(completer) = completer {
        completer.complete(outcome);
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
    shared.handed.notify_all(); // the handler leaves after the last worker
    shared.exited.notify_all();
}

/// Runs the callbacks one at a time, in the order the tasks finished, until the workers
/// are gone and nothing is left, or the pool is terminated.
fn handler_loop(shared: &Shared) {
    loop {
        let handoff = {
            let state = shared.state.lock().unwrap();
            let mut state = shared
                .handed
                .wait_while(state, |s| {
                    s.phase != Phase::Terminated && s.handoffs.is_empty() && s.live_workers > 0
                })
                .unwrap();
            if state.phase == Phase::Terminated {
                break; // `terminate` took the waiting callbacks away
            }
            match state.handoffs.pop_front() {
                Some(handoff) => handoff,
                None => break, // the workers are gone and nothing is left
            }
        };
        handoff();
    }
    shared.state.lock().unwrap().handler_alive = false;
    shared.exited.notify_all();
}

/// Runs `f`, turning a panic into `Err(Panicked)` with its text.
fn catching<T>(f: impl FnOnce() -> T) -> Result<T, PoolError> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|p| PoolError::Panicked(panic_message(p)))
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
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::mpsc;

    /// How long a test waits for what should come at once.
    const PATIENCE: Duration = Duration::from_secs(5);

    /// Runs a test's body on a thread of its own, and fails the test if the body has not
    /// finished within twice [`PATIENCE`]: a broken pool fails instead of hanging.
    fn bounded(body: impl FnOnce() + Send + 'static) {
        let (done, finished) = mpsc::channel();
        thread::spawn(move || {
            body();
            let _ = done.send(());
        });
        match finished.recv_timeout(2 * PATIENCE) {
            Ok(()) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the test panicked (above)"),
            Err(mpsc::RecvTimeoutError::Timeout) => panic!("the test hung: probably deadlocked"),
        }
    }

    /// A closed pool's `join`, bounded: the test fails rather than waits for good.
    fn close_and_join(pool: &ThreadPool) {
        pool.close();
        assert_eq!(pool.join_timeout(PATIENCE), Ok(()));
    }

    #[test]
    fn callbacks_run_one_at_a_time_on_the_result_handler_before_the_result_is_ready() {
        bounded(|| {
            let pool = ThreadPool::new(4);
            let inside = Arc::new(AtomicUsize::new(0));
            // per callback: its value, its thread's name, and whether another was running
            let log = Arc::new(Mutex::new(Vec::new()));
            let results: Vec<_> = (0..16)
                .map(|i| {
                    let (inside, log) = (Arc::clone(&inside), Arc::clone(&log));
                    let callback = move |value: &i32| {
                        let overlapped = inside.fetch_add(1, Ordering::SeqCst) != 0;
                        thread::sleep(Duration::from_millis(2));
                        let name = thread::current().name().map(String::from);
                        log.lock().unwrap().push((*value, name, overlapped));
                        inside.fetch_sub(1, Ordering::SeqCst);
                    };
                    pool.apply_async_with(move || i, callback, |_| {}).unwrap()
                })
                .collect();
            for (i, result) in (0..).zip(results) {
                assert!(result.wait_timeout(PATIENCE));
                let logged = log.lock().unwrap().iter().any(|(value, ..)| *value == i);
                assert!(logged, "result {i} was ready before its callback ran");
                assert_eq!(result.get(), Ok(i));
            }
            let log = log.lock().unwrap();
            assert_eq!(log.len(), 16);
            for (value, name, overlapped) in log.iter() {
                assert_eq!(name.as_deref(), Some("pool-result-handler"), "{value}");
                assert!(!overlapped, "callback {value} ran beside another");
            }
            drop(log);
            close_and_join(&pool);
        });
    }

    #[test]
    fn a_panic_goes_to_the_error_callback_and_to_get_and_the_worker_lives_on() {
        bounded(|| {
            let pool = ThreadPool::new(1);
            let (tx, rx) = mpsc::channel();
            let on_value = tx.clone();
            let result = pool
                .apply_async_with(
                    || -> i32 { panic!("boom") },
                    move |value| on_value.send(Ok(*value)).unwrap(),
                    move |error| tx.send(Err(error.clone())).unwrap(),
                )
                .unwrap();
            let boom = PoolError::Panicked("boom".into());
            assert_eq!(rx.recv_timeout(PATIENCE), Ok(Err(boom.clone())));
            assert!(result.wait_timeout(PATIENCE));
            assert_eq!(result.get(), Err(boom));
            let next = pool.apply_async(|| 7).unwrap();
            assert!(next.wait_timeout(PATIENCE));
            assert_eq!(next.get(), Ok(7));
            close_and_join(&pool);
        });
    }

    #[test]
    fn map_keeps_the_items_order_and_reports_the_first_panic_once_all_is_done() {
        bounded(|| {
            let pool = ThreadPool::new(3);
            let doubled = pool.map_async(|x: u64| x * 2, 0..100).unwrap();
            assert!(doubled.wait_timeout(PATIENCE));
            assert_eq!(doubled.get(), Ok((0..100).map(|x| x * 2).collect()));
            let ran = Arc::new(AtomicUsize::new(0));
            let counted = Arc::clone(&ran);
            let failing = pool
                .map_async(
                    move |x: u64| {
                        if x == 0 {
                            panic!("item 0");
                        }
                        counted.fetch_add(1, Ordering::SeqCst);
                    },
                    0..100,
                )
                .unwrap();
            assert!(failing.wait_timeout(PATIENCE));
            // every chunk ran but the rest of the first, which item 0's panic ended
            assert_eq!(ran.load(Ordering::SeqCst), 100 - default_chunksize(100, 3));
            assert_eq!(failing.get(), Err(PoolError::Panicked("item 0".into())));
            let empty = pool.map_async(|x: u64| x, 0..0).unwrap();
            assert!(empty.wait_timeout(PATIENCE));
            assert_eq!(empty.get(), Ok(vec![]));
            close_and_join(&pool);
            assert_eq!(pool.map(|x: u64| x, 0..1), Err(PoolError::NotRunning));
        });
    }

    #[test]
    fn a_map_callback_gets_the_whole_list_once() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            let (tx, rx) = mpsc::channel();
            let on_list = move |all: &Vec<i32>| tx.send(all.clone()).unwrap();
            let result = pool
                .map_async_with(|x: i32| x + 1, 0..10, on_list, |_| {})
                .unwrap();
            assert_eq!(rx.recv_timeout(PATIENCE), Ok((1..11).collect()));
            assert!(result.wait_timeout(PATIENCE));
            close_and_join(&pool);
            assert!(rx.try_recv().is_err(), "the callback ran twice");
        });
    }

    #[test]
    fn timed_waits_give_up_and_terminate_settles_the_tasks_it_throws_away() {
        bounded(|| {
            let pool = ThreadPool::new(1);
            let (release, gate) = mpsc::channel::<()>();
            let (started_tx, started) = mpsc::channel();
            let running = pool
                .apply_async(move || {
                    started_tx.send(()).unwrap();
                    gate.recv_timeout(PATIENCE).is_ok()
                })
                .unwrap();
            started.recv_timeout(PATIENCE).unwrap(); // the one worker is busy with it
            let queued = pool.apply_async(|| 1).unwrap();
            let mapped = pool.map_async(|x: i32| x, 0..8).unwrap();
            assert!(!running.wait_timeout(Duration::from_millis(20)));
            pool.close();
            let short = Duration::from_millis(20);
            assert_eq!(pool.join_timeout(short), Err(PoolError::Timeout));
            pool.terminate();
            assert_eq!(queued.get(), Err(PoolError::Terminated));
            assert_eq!(mapped.get(), Err(PoolError::Terminated));
            release.send(()).unwrap();
            assert!(running.wait_timeout(PATIENCE));
            assert_eq!(running.get(), Ok(true));
            assert_eq!(pool.join_timeout(PATIENCE), Ok(()));
            assert_eq!(pool.apply_async(|| 0).err(), Some(PoolError::NotRunning));
        });
    }

    #[test]
    fn terminate_throws_away_the_callbacks_still_waiting() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            let (release, gate) = mpsc::channel::<()>();
            let (started_tx, started) = mpsc::channel();
            // the first callback holds the result handler until released
            let first = pool
                .apply_async_with(
                    || 1,
                    move |_| {
                        started_tx.send(()).unwrap();
                        let _ = gate.recv_timeout(PATIENCE);
                    },
                    |_| {},
                )
                .unwrap();
            started.recv_timeout(PATIENCE).unwrap();
            let called = Arc::new(AtomicBool::new(false));
            let flag = Arc::clone(&called);
            let on_value = move |_: &i32| flag.store(true, Ordering::SeqCst);
            let second = pool.apply_async_with(|| 2, on_value, |_| {}).unwrap();
            // wait until the second callback waits behind the first
            let begun = std::time::Instant::now();
            while pool.shared.state.lock().unwrap().handoffs.is_empty() {
                assert!(begun.elapsed() < PATIENCE, "the second callback never came");
                thread::yield_now();
            }
            pool.terminate();
            assert!(second.wait_timeout(PATIENCE));
            assert_eq!(second.get(), Err(PoolError::Terminated));
            release.send(()).unwrap();
            assert!(first.wait_timeout(PATIENCE));
            assert_eq!(first.get(), Ok(1));
            assert_eq!(pool.join_timeout(PATIENCE), Ok(()));
            assert!(
                !called.load(Ordering::SeqCst),
                "a callback ran after terminate"
            );
        });
    }
}
