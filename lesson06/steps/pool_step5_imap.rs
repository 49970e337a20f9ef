//! Needs: nothing beyond std
//!
//! The pool in steps, step 5 of 5: `imap` and `starmap`. Adds to step 4
//! (`pool_step4_callbacks.rs`) Python's `imap` and `imap_unordered`, whose iterator yields
//! each value as soon as it may (in the items' order, or as the tasks finish), and
//! `starmap`, a `map` whose items are tuples of arguments.
//!
//! Map. Threads: the pool's, and a feeder per `imap` call, which reads the items and queues
//! a task per item. State: the pool's as in step 4, plus the `imap` calls still being fed;
//! per call, under a mutex of its own, the outcomes not yet taken, how many tasks were
//! issued and taken, and the pool's phase as the pool told it. Who wakes whom, besides step
//! 4's: a finished `imap` task wakes its consumer; the consumer, taking a value or leaving,
//! wakes the feeder; the pool's `close` and `terminate` wake every feeder; a feeder that is
//! done wakes the consumer, and the workers of a closed pool, which wait for it.
//!
//! New here: laziness. `imap` returns at once and its feeder reads the items one at a time,
//! at most a window of tasks ahead of the consumer ([`WINDOW_PER_WORKER`] per worker), so an
//! endless iterator works and memory stays flat. CPython's task handler reads the whole
//! iterable instead. The pool tells each feeder of `close` (from then on it feeds without
//! waiting, so that `close` then `join` works before anyone reads) and of `terminate` (it
//! stops, and the iterator yields `Terminated` in place of what was thrown away). And
//! `StarFn`, a trait that unpacks a tuple into a function's arguments.
//!
//! `src/imap.rs` and `src/starmap.rs` are this step in production, beside `src/pool.rs`:
//! chunks, a window refilled by halves (one wake-up per half window, not per value taken),
//! a panicking items iterator reported in place (here it ends the feeder, and the iterator
//! ends early), and a spawn failure returned as an error.
//!
//! Run its tests alone: `cargo test -p lesson06 --test pool_step5_imap`.

// This workspace asks every public type for `Debug`; a pool in steps does without.
#![allow(missing_debug_implementations)]

use std::any::Any;
use std::collections::VecDeque;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// A pool of worker threads, a result-handler thread that runs their callbacks, and a feeder
/// thread per `imap`.
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

/// How many tasks per worker an `imap` keeps in flight: issued, their values not yet taken.
pub const WINDOW_PER_WORKER: usize = 32;

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
                feeds: Vec::new(),
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

    /// Python: `close()`. No new tasks; the queued ones and their callbacks still run, every
    /// `imap` already issued is fed to its end, then the threads leave.
    pub fn close(&self) {
        let mut state = self.shared.state.lock().unwrap();
        if state.phase == Phase::Running {
            state.phase = Phase::Closed;
            for told in &state.feeds {
                told(Phase::Closed);
            }
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
            for told in &state.feeds {
                told(Phase::Terminated);
            }
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

    /// Python: `imap(f, items)`. Returns at once with an iterator that yields each value in
    /// the items' order, as soon as that task and all before it are done; a panicking task
    /// yields its error in its place. A feeder thread reads the items lazily.
    pub fn imap<A: Send + 'static, T: Send + 'static>(
        &self,
        f: impl Fn(A) -> T + Send + Sync + 'static,
        items: impl IntoIterator<Item = A, IntoIter: Send + 'static>,
    ) -> Result<IMapIterator<T>, PoolError> {
        self.imap_inner(f, items.into_iter(), true)
    }

    /// Python: `imap_unordered(f, items)`. As `imap`, but yields the values in the order the
    /// tasks finish.
    pub fn imap_unordered<A: Send + 'static, T: Send + 'static>(
        &self,
        f: impl Fn(A) -> T + Send + Sync + 'static,
        items: impl IntoIterator<Item = A, IntoIter: Send + 'static>,
    ) -> Result<IMapIterator<T>, PoolError> {
        self.imap_inner(f, items.into_iter(), false)
    }

    /// Python: `starmap(f, [(1, 2), (3, 4)])`, which calls `f(1, 2)` and `f(3, 4)`: a `map`
    /// whose items are tuples, each unpacked into the arguments of one call by [`StarFn`].
    pub fn starmap<Args: Send + 'static, F: StarFn<Args>>(
        &self,
        f: F,
        items: impl IntoIterator<Item = Args>,
    ) -> Result<Vec<F::Output>, PoolError> {
        self.map(move |args| f.call_with(args), items)
    }

    /// Python: `starmap_async(f, items)`: returns at once with the map's one result.
    pub fn starmap_async<Args: Send + 'static, F: StarFn<Args>>(
        &self,
        f: F,
        items: impl IntoIterator<Item = Args>,
    ) -> Result<AsyncResult<Vec<F::Output>>, PoolError> {
        self.map_async(move |args| f.call_with(args), items)
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

/// The iterator `imap` and `imap_unordered` return: Python's `IMapIterator`. Each item is a
/// task's value or its error. Dropping it stops the feeding.
pub struct IMapIterator<T> {
    call: Arc<IMapCall<T>>,
}

impl<T> IMapIterator<T> {
    /// Python: `next(timeout)`. `None` once every value has been yielded;
    /// `Some(Err(Timeout))` if the next one did not come within `timeout`.
    pub fn next_timeout(&mut self, timeout: Duration) -> Option<Result<T, PoolError>> {
        self.next_inner(Some(timeout))
    }

    fn next_inner(&mut self, timeout: Option<Duration>) -> Option<Result<T, PoolError>> {
        let progress = self.call.progress.lock().unwrap();
        let not_ready = |p: &mut Progress<T>| !p.ready();
        let arrived = &self.call.arrived;
        let mut progress = match timeout {
            None => arrived.wait_while(progress, not_ready).unwrap(),
            Some(timeout) => {
                let (progress, waited) = arrived
                    .wait_timeout_while(progress, timeout, not_ready)
                    .unwrap();
                if waited.timed_out() {
                    return Some(Err(PoolError::Timeout));
                }
                progress
            }
        };
        // Ready, and nothing there: every value has been taken.
        let outcome = progress
            .outcomes
            .pop_front()?
            .expect("the next outcome is there");
        progress.taken += 1;
        drop(progress);
        self.call.room.notify_one(); // the feeder may issue one more task
        Some(outcome)
    }
}

impl<T> Iterator for IMapIterator<T> {
    type Item = Result<T, PoolError>;

    /// Python: `next(it)`. Blocks until the next value is there.
    fn next(&mut self) -> Option<Self::Item> {
        self.next_inner(None)
    }
}

impl<T> Drop for IMapIterator<T> {
    fn drop(&mut self) {
        let unread = {
            let mut progress = self.call.progress.lock().unwrap();
            progress.consumer_gone = true;
            std::mem::take(&mut progress.outcomes)
        };
        self.call.room.notify_one();
        drop(unread); // the values no one will read, dropped outside the lock
    }
}

/// A function that `starmap` can call with a tuple of arguments, as Python's `starmap`
/// calls `f(*args)`: every `Fn` of one to four arguments.
pub trait StarFn<Args>: Send + Sync + 'static {
    /// What the function returns.
    type Output: Send + 'static;
    /// Calls the function with the tuple's fields as its arguments.
    fn call_with(&self, args: Args) -> Self::Output;
}

macro_rules! star_fn {
    ($($arg:ident),+) => {
        impl<Func, Out, $($arg),+> StarFn<($($arg,)+)> for Func
        where
            Func: Fn($($arg),+) -> Out + Send + Sync + 'static,
            Out: Send + 'static,
        {
            type Output = Out;
            #[allow(non_snake_case)]
            fn call_with(&self, ($($arg,)+): ($($arg,)+)) -> Out {
                self($($arg),+)
            }
        }
    };
}

star_fn!(A);
star_fn!(A, B);
star_fn!(A, B, C);
star_fn!(A, B, C, D);

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
/// How an `imap`'s feeder hears of `close` and `terminate`: called with the new phase, under
/// the pool's lock.
type Told = Arc<dyn Fn(Phase) + Send + Sync>;
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
    /// The `imap` calls still being fed: a closed pool's workers wait for them.
    feeds: Vec<Told>,
}

struct Shared {
    state: Mutex<State>,
    /// Signalled when a job is queued, the phase changes or a feed ends: wakes idle workers.
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

    /// Queues a task of an `imap` issued before `close`: taken until the pool terminates.
    fn submit_fed(&self, job: Job) -> Result<(), PoolError> {
        let mut state = self.state.lock().unwrap();
        if state.phase == Phase::Terminated {
            return Err(PoolError::Terminated); // `job` is dropped: it delivers Terminated
        }
        state.queue.push_back(job);
        drop(state);
        self.work.notify_one();
        Ok(())
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

    fn imap_inner<A: Send + 'static, T: Send + 'static>(
        &self,
        f: impl Fn(A) -> T + Send + Sync + 'static,
        items: impl Iterator<Item = A> + Send + 'static,
        ordered: bool,
    ) -> Result<IMapIterator<T>, PoolError> {
        let call = Arc::new(IMapCall {
            progress: Mutex::new(Progress {
                ordered,
                outcomes: VecDeque::new(),
                issued: 0,
                taken: 0,
                window: WINDOW_PER_WORKER * self.size,
                fed_all: false,
                consumer_gone: false,
                pool: Phase::Running,
            }),
            arrived: Condvar::new(),
            room: Condvar::new(),
        });
        let told: Told = {
            let call = Arc::clone(&call);
            Arc::new(move |phase| call.told(phase))
        };
        let mut state = self.shared.state.lock().unwrap();
        if state.phase != Phase::Running {
            return Err(PoolError::NotRunning);
        }
        state.feeds.push(Arc::clone(&told));
        drop(state);
        let feeder = Feeder {
            pool: Arc::clone(&self.shared),
            told,
            call: Arc::clone(&call),
            f: Arc::new(f),
            items,
        };
        thread::Builder::new()
            .name("pool-imap-feeder".into())
            .spawn(move || feeder.run())
            .expect("cannot start an imap feeder thread");
        Ok(IMapIterator { call })
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

/// What an `imap`'s feeder, its tasks and its consumer share.
struct IMapCall<T> {
    progress: Mutex<Progress<T>>,
    /// Signalled when an outcome arrives or the feeding ends: wakes the consumer.
    arrived: Condvar,
    /// Signalled when the consumer takes a value or leaves, or the pool's phase changes:
    /// wakes the feeder.
    room: Condvar,
}

struct Progress<T> {
    ordered: bool,
    /// The outcomes not yet taken. Ordered: task `taken + i`'s at `i`, `None` until it
    /// arrives. Unordered: in the order they arrived.
    outcomes: VecDeque<Option<Result<T, PoolError>>>,
    issued: usize,
    taken: usize,
    /// How many tasks may be in flight: issued, not yet taken.
    window: usize,
    /// No more tasks will be issued.
    fed_all: bool,
    consumer_gone: bool,
    /// The pool's phase, as the pool told it.
    pool: Phase,
}

impl<T> Progress<T> {
    /// Whether the consumer can go on: the next outcome is there, or the end is.
    fn ready(&self) -> bool {
        matches!(self.outcomes.front(), Some(Some(_)))
            || (self.fed_all && self.taken == self.issued)
    }
}

impl<T> IMapCall<T> {
    /// The next task's place in the iterator: the task delivers its outcome through it.
    fn issue(self: &Arc<Self>) -> Delivery<T> {
        let mut progress = self.progress.lock().unwrap();
        let index = progress.issued;
        progress.issued += 1;
        if progress.ordered {
            progress.outcomes.push_back(None);
        }
        Delivery {
            call: Arc::clone(self),
            index,
            delivered: false,
        }
    }

    /// Blocks the feeder while the window is full, the consumer is there and the pool runs.
    /// After `close` it does not wait: the rest of an issued `imap` is fed at once, as
    /// CPython's task handler feeds it, so `close` then `join` works before anyone reads.
    /// Returns the pool's phase and whether the consumer is gone.
    fn wait_for_room(&self) -> (Phase, bool) {
        let progress = self.progress.lock().unwrap();
        let progress = self
            .room
            .wait_while(progress, |p| {
                p.pool == Phase::Running && !p.consumer_gone && p.issued - p.taken >= p.window
            })
            .unwrap();
        (progress.pool, progress.consumer_gone)
    }

    /// What the pool tells of `close` and `terminate`, under its lock (so the pool's lock is
    /// taken before this one, never after).
    fn told(&self, phase: Phase) {
        self.progress.lock().unwrap().pool = phase;
        self.room.notify_one();
    }
}

/// A task's way to hand its outcome to its `imap`. Dropped undelivered (`terminate` threw
/// the task away), it delivers `Err(Terminated)`, so the consumer does not wait for good.
struct Delivery<T> {
    call: Arc<IMapCall<T>>,
    index: usize,
    delivered: bool,
}

impl<T> Delivery<T> {
    fn deliver(mut self, outcome: Result<T, PoolError>) {
        self.send(outcome);
    }

    fn send(&mut self, outcome: Result<T, PoolError>) {
        self.delivered = true;
        let mut progress = self.call.progress.lock().unwrap();
        if progress.consumer_gone {
            return; // no one will read it
        }
        if progress.ordered {
            let at = self.index - progress.taken;
            progress.outcomes[at] = Some(outcome);
        } else {
            progress.outcomes.push_back(Some(outcome));
        }
        drop(progress);
        self.call.arrived.notify_one();
    }
}

impl<T> Drop for Delivery<T> {
    fn drop(&mut self) {
        if !self.delivered {
            self.send(Err(PoolError::Terminated));
        }
    }
}

/// CPython's task handler, for one `imap`: reads the items one at a time and queues a task
/// per item, at most a window ahead of the consumer.
struct Feeder<T, F, I> {
    pool: Arc<Shared>,
    /// How the pool tells this feeder of its phase; the pool's list of feeds holds it too.
    told: Told,
    call: Arc<IMapCall<T>>,
    f: Arc<F>,
    items: I,
}

impl<A, T, F, I> Feeder<T, F, I>
where
    A: Send + 'static,
    T: Send + 'static,
    F: Fn(A) -> T + Send + Sync + 'static,
    I: Iterator<Item = A>,
{
    fn run(mut self) {
        loop {
            let (pool, consumer_gone) = self.call.wait_for_room();
            if consumer_gone {
                break;
            }
            if pool == Phase::Terminated {
                // What was not fed will never run: one error says so, and the end.
                self.call.issue().deliver(Err(PoolError::Terminated));
                break;
            }
            let Some(item) = self.items.next() else {
                break;
            };
            let delivery = self.call.issue();
            let f = Arc::clone(&self.f);
            let job: Job = Box::new(move || delivery.deliver(catching(|| f(item))));
            if self.pool.submit_fed(job).is_err() {
                break; // terminated: the dropped job delivered Terminated in its place
            }
        }
    }
}

impl<T, F, I> Drop for Feeder<T, F, I> {
    /// Fed to its end or stopped (or its items' iterator panicked): the consumer may finish,
    /// and a closed pool's workers may leave.
    fn drop(&mut self) {
        self.call.progress.lock().unwrap().fed_all = true;
        self.call.arrived.notify_one();
        let mut state = self.pool.state.lock().unwrap();
        state.feeds.retain(|told| !Arc::ptr_eq(told, &self.told));
        drop(state);
        self.pool.work.notify_all();
    }
}

fn worker_loop(shared: &Shared) {
    loop {
        let job = {
            let state = shared.state.lock().unwrap();
            let mut state = shared
                .work
                .wait_while(state, |s| {
                    let open = s.phase == Phase::Running
                        || (s.phase == Phase::Closed && !s.feeds.is_empty());
                    open && s.queue.is_empty()
                })
                .unwrap();
            if state.phase == Phase::Terminated {
                break;
            }
            match state.queue.pop_front() {
                Some(job) => job,
                None => break, // closed, empty, and no `imap` still feeding
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
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::time::Instant;

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

    /// Takes every value left, each wait bounded.
    fn rest<T>(it: &mut IMapIterator<T>) -> Vec<Result<T, PoolError>> {
        std::iter::from_fn(|| it.next_timeout(PATIENCE)).collect()
    }

    /// `0..`, counting how many items the feeder has read.
    fn counted(read: &Arc<AtomicUsize>) -> impl Iterator<Item = usize> + Send + 'static {
        let read = Arc::clone(read);
        (0..).inspect(move |_| {
            read.fetch_add(1, Ordering::SeqCst);
        })
    }

    /// Waits, bounded, until `read` is `want`.
    fn until_read(read: &AtomicUsize, want: usize) {
        let begun = Instant::now();
        while read.load(Ordering::SeqCst) != want {
            assert!(begun.elapsed() < PATIENCE, "read {read:?}, want {want}");
            thread::yield_now();
        }
    }

    /// Item 0 blocks until the returned sender is dropped; the others return at once.
    fn first_held_back() -> (mpsc::Sender<()>, impl Fn(usize) -> usize + Send + Sync) {
        let (release, gate) = mpsc::channel::<()>();
        let gate = Mutex::new(gate);
        let task = move |i: usize| {
            if i == 0 {
                let _ = gate.lock().unwrap().recv_timeout(PATIENCE);
            }
            i
        };
        (release, task)
    }

    #[test]
    fn imap_yields_in_the_items_order_and_imap_unordered_as_the_tasks_finish() {
        bounded(|| {
            let pool = ThreadPool::new(3);
            let (release, task) = first_held_back();
            let mut ordered = pool.imap(task, 0..3).unwrap();
            // items 1 and 2 are done, but item 0 holds them back
            let short = Duration::from_millis(50);
            assert_eq!(ordered.next_timeout(short), Some(Err(PoolError::Timeout)));
            drop(release);
            assert_eq!(rest(&mut ordered), [Ok(0), Ok(1), Ok(2)]);

            let (release, task) = first_held_back();
            let mut unordered = pool.imap_unordered(task, 0..3).unwrap();
            let mut first_two = [0, 1].map(|_| unordered.next_timeout(PATIENCE).unwrap().unwrap());
            first_two.sort();
            assert_eq!(first_two, [1, 2]);
            drop(release);
            assert_eq!(rest(&mut unordered), [Ok(0)]);
            pool.close();
            assert_eq!(pool.join_timeout(PATIENCE), Ok(()));
        });
    }

    #[test]
    fn a_panicking_task_yields_its_error_in_its_place_and_a_panicking_input_ends_it() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            let task = |i: i32| {
                if i == 1 {
                    panic!("item 1");
                }
                i
            };
            let mut it = pool.imap(task, 0..3).unwrap();
            let failed = Err(PoolError::Panicked("item 1".into()));
            assert_eq!(rest(&mut it), [Ok(0), failed, Ok(2)]);
            // a panic of the items' own iterator ends its feeder: the iterator ends there
            let items = (0..5).inspect(|&i| assert_ne!(i, 2, "the items' iterator panics"));
            let mut it = pool.imap(|i: i32| i, items).unwrap();
            assert_eq!(rest(&mut it), [Ok(0), Ok(1)]);
        });
    }

    #[test]
    fn the_feeder_stays_a_window_ahead_of_the_consumer_of_an_endless_input() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            let window = WINDOW_PER_WORKER * 2;
            let read = Arc::new(AtomicUsize::new(0));
            let mut it = pool.imap(|i: usize| i, counted(&read)).unwrap();
            until_read(&read, window);
            // and no further, while no one takes a value
            thread::sleep(Duration::from_millis(50));
            assert_eq!(read.load(Ordering::SeqCst), window);
            assert_eq!(it.next_timeout(PATIENCE), Some(Ok(0)));
            until_read(&read, window + 1);
            drop(it); // stops the feeding, so the closed pool's workers may leave
            pool.close();
            assert_eq!(pool.join_timeout(PATIENCE), Ok(()));
        });
    }

    #[test]
    fn close_then_join_before_reading_feeds_the_whole_input() {
        bounded(|| {
            let pool = ThreadPool::new(1);
            let items = 0..3 * WINDOW_PER_WORKER;
            let mut it = pool.imap(|i: usize| i * 2, items.clone()).unwrap();
            pool.close();
            assert_eq!(pool.join_timeout(PATIENCE), Ok(()));
            let values: Vec<_> = rest(&mut it).into_iter().map(Result::unwrap).collect();
            assert_eq!(values, items.map(|i| i * 2).collect::<Vec<_>>());
            assert_eq!(
                pool.imap(|i: usize| i, 0..1).err(),
                Some(PoolError::NotRunning)
            );
        });
    }

    #[test]
    fn terminate_stops_the_feeding_of_an_endless_input() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            let read = Arc::new(AtomicUsize::new(0));
            let mut it = pool.imap(|i: usize| i, counted(&read)).unwrap();
            assert_eq!(it.next_timeout(PATIENCE), Some(Ok(0)));
            pool.terminate();
            let rest = rest(&mut it); // ends: an endless input would not
            let values: Vec<usize> = rest.iter().map_while(|r| r.clone().ok()).collect();
            assert_eq!(values, (1..=values.len()).collect::<Vec<_>>(), "in order");
            assert_eq!(
                rest[values.len()..].first(),
                Some(&Err(PoolError::Terminated))
            );
            assert!(
                rest[values.len()..]
                    .iter()
                    .all(|r| *r == Err(PoolError::Terminated))
            );
            assert_eq!(pool.join_timeout(PATIENCE), Ok(()));
        });
    }

    #[test]
    fn starmap_unpacks_each_tuple_into_the_arguments_of_one_call() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            let sums = pool.starmap(|a: i32, b: i32| a + b, [(1, 2), (3, 4)]);
            assert_eq!(sums, Ok(vec![3, 7]));
            let three = |a: u8, b: char, c: bool| format!("{a}{b}{c}");
            let joined = pool.starmap_async(three, [(1, 'x', true)]).unwrap();
            assert!(joined.wait_timeout(PATIENCE));
            assert_eq!(joined.get(), Ok(vec!["1xtrue".to_string()]));
            pool.close();
            assert_eq!(pool.join_timeout(PATIENCE), Ok(()));
        });
    }
}
