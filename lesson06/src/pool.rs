//! Needs: async_result.rs
//! [`ThreadPool`]: a fixed set of worker threads that run the tasks you hand them.
//!
//! Python twin: `multiprocessing.pool.ThreadPool`. Where Python has optional arguments, this
//! has one method per combination (`map`, `map_with_chunksize`; `apply_async`,
//! `apply_async_with` for callbacks), and where Python raises, these return a
//! [`PoolError`].

use std::collections::VecDeque;
use std::num::NonZeroUsize;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crate::async_result::{AsyncResult, Completer, PoolError, lock, run_catching, wait_until};

/// One queued task: a boxed closure that settles its own result (and catches its own panic).
type Job = Box<dyn FnOnce() + Send>;

/// Python's pool states `RUN`, `CLOSE`, `TERMINATE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Running,
    Closed,
    Terminated,
}

struct State {
    phase: Phase,
    queue: VecDeque<Job>,
    /// Workers whose loop has not ended yet.
    live_workers: usize,
}

struct Shared {
    state: Mutex<State>,
    /// Signalled when a job is queued or the phase changes: wakes idle workers.
    work: Condvar,
    /// Signalled when a worker's loop ends: wakes `join`.
    worker_exited: Condvar,
}

/// A pool of worker threads: Python's `multiprocessing.pool.ThreadPool`.
///
/// Every method takes `&self`, so the pool can be shared (behind an `Arc`, or borrowed by
/// scoped threads) the way a Python pool object is shared.
///
/// Dropping the pool does what `concurrent.futures.ThreadPoolExecutor`'s `with` block does
/// (`shutdown(wait=True)`): [`close`](Self::close), then [`join`](Self::join), so every task
/// already submitted runs and every [`AsyncResult`] settles. Python's `ThreadPool.__exit__`
/// calls `terminate()` instead, which throws away the tasks still queued and leaves their
/// `AsyncResult`s unsettled forever. In Rust a value is dropped on every ordinary way out of
/// its scope, early returns included (not `std::process::exit`, which runs no destructor),
/// so a drop that quietly discarded work would lose results; call
/// [`terminate`](Self::terminate) yourself when that is what you want.
pub struct ThreadPool {
    shared: Arc<Shared>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    size: usize,
}

impl std::fmt::Debug for ThreadPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = lock(&self.shared.state);
        f.debug_struct("ThreadPool")
            .field("workers", &self.size)
            .field("phase", &state.phase)
            .field("queued", &state.queue.len())
            .finish()
    }
}

impl Default for ThreadPool {
    /// Python: `ThreadPool()`: one worker per logical CPU there (`os.cpu_count()`), one per
    /// CPU the program may use here ([`thread::available_parallelism`], which on Linux also
    /// honours CPU affinity and cgroup quotas).
    fn default() -> Self {
        ThreadPool::new(thread::available_parallelism().map_or(1, NonZeroUsize::get))
    }
}

impl ThreadPool {
    /// Python: `ThreadPool(processes=workers)`. Starts `workers` threads at once.
    ///
    /// # Panics
    /// If `workers` is 0 (Python raises `ValueError("Number of processes must be at least 1")`).
    pub fn new(workers: usize) -> Self {
        Self::build(workers, None)
    }

    /// Python: `ThreadPool(workers, initializer=init)`: each worker runs `init` once, before its
    /// first task. A panicking initializer is reported on stderr and the worker goes on.
    ///
    /// # Panics
    /// If `workers` is 0.
    pub fn with_initializer(workers: usize, init: impl Fn() + Send + Sync + 'static) -> Self {
        Self::build(workers, Some(Arc::new(init)))
    }

    fn build(workers: usize, init: Option<Arc<dyn Fn() + Send + Sync>>) -> Self {
        assert!(workers >= 1, "Number of processes must be at least 1");
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                phase: Phase::Running,
                queue: VecDeque::new(),
                live_workers: workers,
            }),
            work: Condvar::new(),
            worker_exited: Condvar::new(),
        });
        let handles = (0..workers)
            .map(|index| {
                let shared = Arc::clone(&shared);
                let init = init.clone();
                thread::Builder::new()
                    .name(format!("pool-worker-{index}"))
                    .spawn(move || worker_loop(&shared, init.as_deref()))
                    .expect("failed to spawn a pool worker thread")
            })
            .collect();
        ThreadPool {
            shared,
            workers: Mutex::new(handles),
            size: workers,
        }
    }

    /// The number of worker threads (Python keeps it in the private `_processes`).
    pub fn workers(&self) -> usize {
        self.size
    }

    /// Queues one job, or refuses it if the pool no longer runs.
    fn submit(&self, job: Job) -> Result<(), PoolError> {
        self.submit_all(vec![job])
    }

    /// Queues jobs all at once (under one lock, so a concurrent `close` sees all or none).
    fn submit_all(&self, jobs: Vec<Job>) -> Result<(), PoolError> {
        let mut state = lock(&self.shared.state);
        if state.phase != Phase::Running {
            return Err(PoolError::NotRunning);
        }
        state.queue.extend(jobs);
        drop(state);
        self.shared.work.notify_all();
        Ok(())
    }

    /// Python: `apply(func, args)`. Runs `f` on a worker and blocks until it is done; a panic
    /// comes back as [`PoolError::Panicked`].
    pub fn apply<T, F>(&self, f: F) -> Result<T, PoolError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        self.apply_async(f)?.into_result()
    }

    /// Python: `apply_async(func, args)`. Queues `f` and returns at once with its
    /// [`AsyncResult`]. Arguments are captured by the closure (`move || task(0)`), not passed
    /// as a tuple.
    pub fn apply_async<T, F>(&self, f: F) -> Result<AsyncResult<T>, PoolError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (result, completer) = AsyncResult::new(None, None);
        self.submit(Box::new(move || completer.complete(run_catching(f))))?;
        Ok(result)
    }

    /// Python: `apply_async(func, args, callback=..., error_callback=...)`. On a worker,
    /// once `f` is done and before the result is ready, `callback` gets the value or
    /// `error_callback` the error (pass `|_| {}` for one you do not need).
    pub fn apply_async_with<T, F, C, E>(
        &self,
        f: F,
        callback: C,
        error_callback: E,
    ) -> Result<AsyncResult<T>, PoolError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
        C: FnOnce(&T) + Send + 'static,
        E: FnOnce(&PoolError) + Send + 'static,
    {
        let (result, completer) =
            AsyncResult::new(Some(Box::new(callback)), Some(Box::new(error_callback)));
        self.submit(Box::new(move || completer.complete(run_catching(f))))?;
        Ok(result)
    }

    /// Python: `map(func, iterable)`. Calls `f` on every item, on the workers, and blocks until
    /// all are done; the values come back in the items' order. Items go to the workers in
    /// chunks of Python's default size (see [`default_chunksize`]). If a task panics, the
    /// result is the first panic, as Python's `map` raises the first exception.
    pub fn map<A, T, F>(
        &self,
        f: F,
        items: impl IntoIterator<Item = A>,
    ) -> Result<Vec<T>, PoolError>
    where
        F: Fn(A) -> T + Send + Sync + 'static,
        A: Send + 'static,
        T: Send + 'static,
    {
        self.map_async(f, items)?.into_result()
    }

    /// Python: `map(func, iterable, chunksize)`. As [`map`](Self::map), but each worker takes
    /// `chunksize` items at a time: fewer trips through the queue, coarser sharing of work.
    ///
    /// # Panics
    /// If `chunksize` is 0.
    pub fn map_with_chunksize<A, T, F>(
        &self,
        f: F,
        items: impl IntoIterator<Item = A>,
        chunksize: usize,
    ) -> Result<Vec<T>, PoolError>
    where
        F: Fn(A) -> T + Send + Sync + 'static,
        A: Send + 'static,
        T: Send + 'static,
    {
        let items: Vec<A> = items.into_iter().collect();
        self.map_chunks(f, items, Some(chunksize), None)?
            .into_result()
    }

    /// Python: `map_async(func, iterable)`. As [`map`](Self::map) but returns at once with an
    /// [`AsyncResult`] holding the `Vec` of values.
    pub fn map_async<A, T, F>(
        &self,
        f: F,
        items: impl IntoIterator<Item = A>,
    ) -> Result<AsyncResult<Vec<T>>, PoolError>
    where
        F: Fn(A) -> T + Send + Sync + 'static,
        A: Send + 'static,
        T: Send + 'static,
    {
        self.map_chunks(f, items.into_iter().collect(), None, None)
    }

    /// Python: `map_async(func, iterable, callback=..., error_callback=...)`. `callback` gets
    /// the whole `Vec` of values; `error_callback` gets the first error only (the book's
    /// note: "the first task to raise an error will be called, not all").
    pub fn map_async_with<A, T, F, C, E>(
        &self,
        f: F,
        items: impl IntoIterator<Item = A>,
        callback: C,
        error_callback: E,
    ) -> Result<AsyncResult<Vec<T>>, PoolError>
    where
        F: Fn(A) -> T + Send + Sync + 'static,
        A: Send + 'static,
        T: Send + 'static,
        C: FnOnce(&Vec<T>) + Send + 'static,
        E: FnOnce(&PoolError) + Send + 'static,
    {
        let callbacks = (Box::new(callback) as _, Box::new(error_callback) as _);
        self.map_chunks(f, items.into_iter().collect(), None, Some(callbacks))
    }

    /// Python: `starmap(func, iterable_of_tuples)`. Each item is a tuple whose fields are the
    /// arguments of one call: `pool.starmap(task, [(1, 2), (3, 4)])` calls `task(1, 2)` and
    /// `task(3, 4)`. Rust cannot unpack a tuple into arguments at run time, so [`StarFn`] does
    /// it for functions of one to four arguments.
    pub fn starmap<Args, F>(
        &self,
        f: F,
        items: impl IntoIterator<Item = Args>,
    ) -> Result<Vec<F::Output>, PoolError>
    where
        F: StarFn<Args>,
        Args: Send + 'static,
    {
        self.starmap_async(f, items)?.into_result()
    }

    /// Python: `starmap_async(func, iterable_of_tuples)`.
    pub fn starmap_async<Args, F>(
        &self,
        f: F,
        items: impl IntoIterator<Item = Args>,
    ) -> Result<AsyncResult<Vec<F::Output>>, PoolError>
    where
        F: StarFn<Args>,
        Args: Send + 'static,
    {
        self.map_async(move |args| f.call_with(args), items)
    }

    /// The engine of every map: splits `items` into chunks, queues one job per chunk, and
    /// settles one [`AsyncResult`] when the last chunk is in (or at the first panic, as
    /// Python's `MapResult` does).
    fn map_chunks<A, T, F>(
        &self,
        f: F,
        items: Vec<A>,
        chunksize: Option<usize>,
        callbacks: Option<(
            crate::async_result::Callback<Vec<T>>,
            crate::async_result::ErrorCallback,
        )>,
    ) -> Result<AsyncResult<Vec<T>>, PoolError>
    where
        F: Fn(A) -> T + Send + Sync + 'static,
        A: Send + 'static,
        T: Send + 'static,
    {
        let chunksize = chunksize.unwrap_or_else(|| default_chunksize(items.len(), self.size));
        assert!(chunksize >= 1, "chunksize must be at least 1");
        let (callback, error_callback) =
            callbacks.map_or((None, None), |(c, e)| (Some(c), Some(e)));
        let (result, completer) = AsyncResult::new(callback, error_callback);
        let total = items.len();
        if total == 0 {
            completer.complete(Ok(Vec::new()));
            return Ok(result);
        }
        let f = Arc::new(f);
        let collector = Arc::new(Mutex::new(MapCollector {
            values: (0..total).map(|_| None).collect(),
            chunks_left: total.div_ceil(chunksize),
            completer: Some(completer),
        }));
        let mut jobs: Vec<Job> = Vec::new();
        let mut items = items.into_iter();
        let mut start = 0;
        while start < total {
            let chunk: Vec<A> = items.by_ref().take(chunksize).collect();
            let (f, collector) = (Arc::clone(&f), Arc::clone(&collector));
            jobs.push(Box::new(move || {
                // A chunk runs as one unit, like Python's `list(map(func, chunk))`: a panic
                // ends the chunk.
                let outcome =
                    run_catching(|| chunk.into_iter().map(|item| f(item)).collect::<Vec<T>>());
                MapCollector::deliver(&collector, start, outcome);
            }));
            start += chunksize;
        }
        self.submit_all(jobs)?;
        Ok(result)
    }

    /// Python: `imap(func, iterable)`. Returns at once with an iterator that yields each value
    /// in the items' order, as soon as that task and all before it are done: task 0's value
    /// first, even if task 5 finished long before it. A panicking task yields its
    /// [`PoolError`] in its place and the iteration goes on. The items are read and queued
    /// right away, one task each (Python feeds them from a background thread).
    pub fn imap<A, T, F>(
        &self,
        f: F,
        items: impl IntoIterator<Item = A>,
    ) -> Result<IMapIterator<T>, PoolError>
    where
        F: Fn(A) -> T + Send + Sync + 'static,
        A: Send + 'static,
        T: Send + 'static,
    {
        self.imap_inner(f, items, true)
    }

    /// Python: `imap_unordered(func, iterable)`. As [`imap`](Self::imap), but yields values in
    /// the order the tasks finish: a fast task's value comes before a slow one's.
    pub fn imap_unordered<A, T, F>(
        &self,
        f: F,
        items: impl IntoIterator<Item = A>,
    ) -> Result<IMapIterator<T>, PoolError>
    where
        F: Fn(A) -> T + Send + Sync + 'static,
        A: Send + 'static,
        T: Send + 'static,
    {
        self.imap_inner(f, items, false)
    }

    fn imap_inner<A, T, F>(
        &self,
        f: F,
        items: impl IntoIterator<Item = A>,
        ordered: bool,
    ) -> Result<IMapIterator<T>, PoolError>
    where
        F: Fn(A) -> T + Send + Sync + 'static,
        A: Send + 'static,
        T: Send + 'static,
    {
        let items: Vec<A> = items.into_iter().collect();
        let total = items.len();
        let shared = Arc::new(IMapShared {
            state: Mutex::new(IMapState {
                ordered,
                by_index: (0..total).map(|_| None).collect(),
                arrived: VecDeque::new(),
                yielded: 0,
                total,
            }),
            arrived: Condvar::new(),
        });
        let f = Arc::new(f);
        let jobs = items
            .into_iter()
            .enumerate()
            .map(|(index, item)| {
                let f = Arc::clone(&f);
                let delivery = Delivery {
                    shared: Arc::clone(&shared),
                    index,
                    done: false,
                };
                Box::new(move || delivery.deliver(run_catching(|| f(item)))) as Job
            })
            .collect();
        self.submit_all(jobs)?;
        Ok(IMapIterator { shared })
    }

    /// Python: `close()`. Refuses new tasks; the workers finish every task already queued, then
    /// exit. Submitting afterwards returns [`PoolError::NotRunning`].
    pub fn close(&self) {
        let mut state = lock(&self.shared.state);
        if state.phase == Phase::Running {
            state.phase = Phase::Closed;
        }
        drop(state);
        self.shared.work.notify_all();
    }

    /// Python: `terminate()`. Refuses new tasks and throws away the queued ones (their results
    /// settle as [`PoolError::Terminated`]); each worker exits after the task it is running.
    /// It does not wait: a thread cannot be killed, in Rust or in Python, so a running task
    /// ends when it ends. Call [`join`](Self::join) to wait for that.
    pub fn terminate(&self) {
        let discarded = {
            let mut state = lock(&self.shared.state);
            state.phase = Phase::Terminated;
            std::mem::take(&mut state.queue)
        };
        self.shared.work.notify_all();
        // Dropped outside the lock: each dropped job settles its result as Terminated.
        drop(discarded);
    }

    /// Python: `join()`. Waits for every worker to exit, which happens once the pool is closed
    /// and the queue is empty (or terminated and the running tasks are done). Like Python,
    /// it refuses a pool that still runs ([`PoolError::StillRunning`]): it would wait forever.
    pub fn join(&self) -> Result<(), PoolError> {
        self.join_inner(None)
    }

    /// Python has no timed `join` on a pool; this one gives up after `timeout` with
    /// [`PoolError::Timeout`], leaving the pool as it was.
    pub fn join_timeout(&self, timeout: Duration) -> Result<(), PoolError> {
        self.join_inner(Some(timeout))
    }

    fn join_inner(&self, timeout: Option<Duration>) -> Result<(), PoolError> {
        let state = lock(&self.shared.state);
        if state.phase == Phase::Running {
            return Err(PoolError::StillRunning);
        }
        // A worker never waits for itself: if a task drops or joins its own pool, count this
        // worker as already gone.
        let me = thread::current().id();
        let own = lock(&self.workers)
            .iter()
            .filter(|h| h.thread().id() == me)
            .count();
        let (state, all_gone) = wait_until(&self.shared.worker_exited, state, timeout, |s| {
            s.live_workers <= own
        });
        drop(state);
        if !all_gone {
            return Err(PoolError::Timeout);
        }
        // Every loop has ended, so these joins return at once.
        let handles: Vec<JoinHandle<()>> = lock(&self.workers).drain(..).collect();
        for handle in handles {
            if handle.thread().id() != me {
                let _ = handle.join();
            }
        }
        Ok(())
    }
}

impl Drop for ThreadPool {
    /// What `with ThreadPoolExecutor() as executor:` does on exit: close, then wait for every
    /// submitted task. (Not what `with ThreadPool()` does, `terminate()`; see the type's docs.)
    fn drop(&mut self) {
        self.close();
        let _ = self.join();
    }
}

/// One worker: run the initializer, then take jobs until the pool is closed and empty, or
/// terminated.
fn worker_loop(shared: &Shared, init: Option<&(dyn Fn() + Send + Sync)>) {
    if let Some(init) = init {
        let _ = run_catching(init);
    }
    loop {
        let job = {
            let state = lock(&shared.state);
            let (mut state, _) = wait_until(&shared.work, state, None, |s| {
                s.phase == Phase::Terminated || !s.queue.is_empty() || s.phase == Phase::Closed
            });
            if state.phase == Phase::Terminated {
                break;
            }
            match state.queue.pop_front() {
                Some(job) => job,
                None => break, // closed and nothing left
            }
        };
        // Jobs catch their task's panic themselves; this catch is a second net, so that
        // nothing a task does can end the worker.
        let _ = run_catching(job);
    }
    let mut state = lock(&shared.state);
    state.live_workers -= 1;
    drop(state);
    shared.worker_exited.notify_all();
}

/// Python's default `chunksize` for `map`: the items split into about four chunks per worker,
/// rounded up (`divmod(len(iterable), len(pool) * 4)`, plus one if there is a remainder).
/// For 10 items and 2 workers that is 2.
pub fn default_chunksize(items: usize, workers: usize) -> usize {
    items.div_ceil(workers * 4).max(1)
}

/// Gathers the chunks of one map into one `Vec`, in the items' order.
struct MapCollector<T> {
    values: Vec<Option<T>>,
    chunks_left: usize,
    /// Taken by whoever settles the result (the last chunk, or the first to panic).
    completer: Option<Completer<Vec<T>>>,
}

impl<T> MapCollector<T> {
    fn deliver(collector: &Mutex<Self>, start: usize, outcome: Result<Vec<T>, PoolError>) {
        let mut this = lock(collector);
        let settle = match outcome {
            Err(error) => this.completer.take().map(|c| (c, Err(error))),
            Ok(values) => {
                for (offset, value) in values.into_iter().enumerate() {
                    this.values[start + offset] = Some(value);
                }
                this.chunks_left -= 1;
                if this.chunks_left == 0 {
                    let values = this
                        .values
                        .drain(..)
                        .map(|v| v.expect("every chunk delivered"))
                        .collect();
                    this.completer.take().map(|c| (c, Ok(values)))
                } else {
                    None
                }
            }
        };
        drop(this);
        // Callbacks run outside the lock.
        if let Some((completer, outcome)) = settle {
            completer.complete(outcome);
        }
    }
}

struct IMapState<T> {
    ordered: bool,
    /// For `imap`: each task's outcome at its index, until yielded.
    by_index: Vec<Option<Result<T, PoolError>>>,
    /// For `imap_unordered`: outcomes in the order they arrived.
    arrived: VecDeque<Result<T, PoolError>>,
    yielded: usize,
    total: usize,
}

struct IMapShared<T> {
    state: Mutex<IMapState<T>>,
    arrived: Condvar,
}

/// A task's way to hand its outcome to an [`IMapIterator`]; dropped undelivered (the task was
/// thrown away by `terminate`), it delivers [`PoolError::Terminated`], so the iterator ends.
struct Delivery<T> {
    shared: Arc<IMapShared<T>>,
    index: usize,
    done: bool,
}

impl<T> Delivery<T> {
    fn deliver(mut self, outcome: Result<T, PoolError>) {
        self.send(outcome);
    }

    fn send(&mut self, outcome: Result<T, PoolError>) {
        self.done = true;
        let mut state = lock(&self.shared.state);
        if state.ordered {
            state.by_index[self.index] = Some(outcome);
        } else {
            state.arrived.push_back(outcome);
        }
        drop(state);
        self.shared.arrived.notify_all();
    }
}

impl<T> Drop for Delivery<T> {
    fn drop(&mut self) {
        if !self.done {
            self.send(Err(PoolError::Terminated));
        }
    }
}

/// The iterator `imap` and `imap_unordered` return: Python's `IMapIterator`. Each item is
/// `Ok(value)` or the task's [`PoolError`]; `next` blocks until the next value is there.
pub struct IMapIterator<T> {
    shared: Arc<IMapShared<T>>,
}

impl<T> std::fmt::Debug for IMapIterator<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = lock(&self.shared.state);
        f.debug_struct("IMapIterator")
            .field("ordered", &state.ordered)
            .field("yielded", &state.yielded)
            .field("total", &state.total)
            .finish()
    }
}

impl<T> IMapIterator<T> {
    /// Python: `next(timeout)`. `None` when every value has been yielded;
    /// `Some(Err(PoolError::Timeout))` if the next one did not come within `timeout`.
    pub fn next_timeout(&mut self, timeout: Duration) -> Option<Result<T, PoolError>> {
        self.next_inner(Some(timeout))
    }

    fn next_inner(&mut self, timeout: Option<Duration>) -> Option<Result<T, PoolError>> {
        let state = lock(&self.shared.state);
        if state.yielded == state.total {
            return None;
        }
        let (mut state, came) = wait_until(&self.shared.arrived, state, timeout, |s| {
            if s.ordered {
                s.by_index[s.yielded].is_some()
            } else {
                !s.arrived.is_empty()
            }
        });
        if !came {
            return Some(Err(PoolError::Timeout));
        }
        let next = if state.ordered {
            let index = state.yielded;
            state.by_index[index].take()
        } else {
            state.arrived.pop_front()
        };
        state.yielded += 1;
        next
    }
}

impl<T> Iterator for IMapIterator<T> {
    type Item = Result<T, PoolError>;

    /// Python: `next(it)`. Blocks until the next value is there.
    fn next(&mut self) -> Option<Self::Item> {
        self.next_inner(None)
    }
}

/// A function that [`ThreadPool::starmap`] can call with a tuple of arguments, the way
/// Python's `starmap` calls `func(*args)`. Implemented for every `Fn` of one to four
/// arguments (with a tuple of the same types).
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::time::Instant;

    /// Long enough for any of these tests on a loaded machine; a broken pool fails instead
    /// of hanging.
    const PATIENCE: Duration = Duration::from_secs(10);

    /// Runs a test's body on its own thread and fails the test if it has not finished
    /// within a generous bound: a broken pool (a lost result, a dead worker) then fails
    /// instead of hanging `cargo test`.
    fn bounded(body: impl FnOnce() + Send + 'static) {
        let (tx, rx) = mpsc::channel();
        let runner = thread::spawn(move || {
            body();
            let _ = tx.send(());
        });
        match rx.recv_timeout(PATIENCE * 2) {
            Ok(()) => runner.join().unwrap(),
            // the body panicked: join returns its panic, which fails the test with its message
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                if let Err(panic) = runner.join() {
                    std::panic::resume_unwind(panic);
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("the test hung: no result within {:?}", PATIENCE * 2)
            }
        }
    }

    #[test]
    fn every_result_returned_exactly_once_under_contention() {
        bounded(|| {
            let pool = ThreadPool::new(4);
            for round in 0..40 {
                let runs: Arc<Vec<AtomicUsize>> =
                    Arc::new((0..200).map(|_| AtomicUsize::new(0)).collect());
                // one-off tasks, collected in issue order
                let handles: Vec<_> = (0..200)
                    .map(|i| {
                        let runs = Arc::clone(&runs);
                        pool.apply_async(move || {
                            runs[i].fetch_add(1, Ordering::SeqCst);
                            i * round
                        })
                        .unwrap()
                    })
                    .collect();
                for (i, handle) in handles.iter().enumerate() {
                    assert_eq!(handle.get_timeout(PATIENCE), Ok(i * round));
                }
                assert!(
                    runs.iter().all(|r| r.load(Ordering::SeqCst) == 1),
                    "a task ran twice or never"
                );
                // map, with the default chunk size and with awkward ones
                let expected: Vec<usize> = (0..301).map(|i| i + round).collect();
                assert_eq!(pool.map(move |i| i + round, 0..301).unwrap(), expected);
                for chunksize in [1, 7, 1000] {
                    assert_eq!(
                        pool.map_with_chunksize(move |i| i + round, 0..301, chunksize)
                            .unwrap(),
                        expected
                    );
                }
                // imap_unordered: every value once, in some order
                let mut seen: Vec<usize> = pool
                    .imap_unordered(|i: usize| i, 0..100)
                    .unwrap()
                    .map(Result::unwrap)
                    .collect();
                seen.sort_unstable();
                assert_eq!(seen, (0..100).collect::<Vec<_>>());
            }
        });
    }

    #[test]
    fn many_submitting_threads_share_one_pool() {
        bounded(|| {
            let pool = ThreadPool::new(3);
            thread::scope(|scope| {
                for t in 0..6 {
                    let pool = &pool;
                    scope.spawn(move || {
                        for round in 0..50 {
                            let values = pool.map(move |i: usize| i * t + round, 0..20).unwrap();
                            assert_eq!(values, (0..20).map(|i| i * t + round).collect::<Vec<_>>());
                        }
                    });
                }
            });
        });
    }

    #[test]
    fn imap_yields_in_issue_order_even_when_later_tasks_finish_first() {
        bounded(|| {
            let pool = ThreadPool::new(4);
            // item 0 sleeps longest: its result must still come first
            let results: Vec<usize> = pool
                .imap(
                    |i: usize| {
                        thread::sleep(Duration::from_millis(10 * (8 - i as u64)));
                        i
                    },
                    0..8,
                )
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert_eq!(results, (0..8).collect::<Vec<_>>());
        });
    }

    #[test]
    fn imap_unordered_yields_a_fast_task_before_a_slow_one() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            let mut results = pool
                .imap_unordered(
                    |ms: u64| {
                        thread::sleep(Duration::from_millis(ms));
                        ms
                    },
                    [400, 5],
                )
                .unwrap();
            assert_eq!(results.next_timeout(PATIENCE), Some(Ok(5)));
            assert_eq!(results.next_timeout(PATIENCE), Some(Ok(400)));
            assert_eq!(results.next_timeout(PATIENCE), None);
        });
    }

    #[test]
    fn a_panicking_task_is_reported_by_get_and_error_callback_and_the_worker_lives_on() {
        bounded(|| {
            // one worker: if the panic killed it, nothing after it would run
            let pool = ThreadPool::new(1);
            let (tx, rx) = mpsc::channel();
            for round in 0..20 {
                let tx = tx.clone();
                let failed = pool
                    .apply_async_with(
                        move || -> i32 { panic!("boom {round}") },
                        |_| {},
                        move |e| tx.send(e.clone()).unwrap(),
                    )
                    .unwrap();
                assert_eq!(
                    failed.get_timeout(PATIENCE),
                    Err(PoolError::Panicked(format!("boom {round}")))
                );
                assert_eq!(failed.successful(), Ok(false));
                assert_eq!(
                    rx.recv_timeout(PATIENCE),
                    Ok(PoolError::Panicked(format!("boom {round}")))
                );
                // the same worker goes on working
                assert_eq!(
                    pool.apply_async(move || round * 2)
                        .unwrap()
                        .get_timeout(PATIENCE),
                    Ok(round * 2)
                );
            }
            // in a map, the panic is the map's error; in imap, it takes its item's place
            let result = pool.map(|i: i32| if i == 3 { panic!("three") } else { i }, 0..6);
            assert_eq!(result, Err(PoolError::Panicked("three".into())));
            let items: Vec<_> = pool
                .imap(|i: i32| if i == 1 { panic!("one") } else { i }, 0..3)
                .unwrap()
                .collect();
            assert_eq!(
                items,
                vec![Ok(0), Err(PoolError::Panicked("one".into())), Ok(2)]
            );
            assert_eq!(pool.apply(|| "still here"), Ok("still here"));
        });
    }

    #[test]
    fn join_after_close_returns_once_all_work_is_done() {
        bounded(|| {
            let pool = ThreadPool::new(3);
            let done = Arc::new(AtomicUsize::new(0));
            for _ in 0..30 {
                let done = Arc::clone(&done);
                pool.apply_async(move || {
                    thread::sleep(Duration::from_millis(10));
                    done.fetch_add(1, Ordering::SeqCst);
                })
                .unwrap();
            }
            assert_eq!(
                pool.join(),
                Err(PoolError::StillRunning),
                "join on a running pool would wait forever"
            );
            pool.close();
            pool.join_timeout(PATIENCE).unwrap();
            assert_eq!(done.load(Ordering::SeqCst), 30);
        });
    }

    #[test]
    fn join_timeout_gives_up_while_a_task_still_runs() {
        bounded(|| {
            let pool = ThreadPool::new(1);
            let slow = pool
                .apply_async(|| thread::sleep(Duration::from_secs(1)))
                .unwrap();
            pool.close();
            assert_eq!(
                pool.join_timeout(Duration::from_millis(20)),
                Err(PoolError::Timeout)
            );
            assert!(!slow.wait_timeout(Duration::from_millis(1)));
            assert_eq!(
                slow.get_timeout(Duration::from_millis(1)),
                Err(PoolError::Timeout)
            );
            assert_eq!(slow.successful(), Err(PoolError::NotReady));
            pool.join_timeout(PATIENCE).unwrap();
            assert_eq!(slow.successful(), Ok(true));
        });
    }

    #[test]
    fn terminate_discards_queued_tasks_and_stops_workers_without_hanging() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            let started = Arc::new(AtomicUsize::new(0));
            let handles: Vec<_> = (0..100)
                .map(|_| {
                    let started = Arc::clone(&started);
                    pool.apply_async(move || {
                        started.fetch_add(1, Ordering::SeqCst);
                        thread::sleep(Duration::from_millis(300));
                    })
                    .unwrap()
                })
                .collect();
            let mut pending = pool.imap(|i: i32| i, 0..5).unwrap();
            thread::sleep(Duration::from_millis(20));
            let begun = Instant::now();
            pool.terminate();
            assert!(
                begun.elapsed() < Duration::from_millis(200),
                "terminate waited for the running tasks"
            );
            pool.join_timeout(PATIENCE).unwrap();
            // the two running tasks finished; the rest never started, and their results say so
            let ran = started.load(Ordering::SeqCst);
            assert!(ran <= 4, "{ran} tasks started after terminate");
            let terminated = handles
                .iter()
                .filter(|h| h.get_timeout(PATIENCE) == Err(PoolError::Terminated))
                .count();
            assert_eq!(ran + terminated, 100);
            // an iterator whose tasks were thrown away ends instead of hanging
            for _ in 0..5 {
                assert_eq!(
                    pending.next_timeout(PATIENCE),
                    Some(Err(PoolError::Terminated))
                );
            }
            assert_eq!(pending.next_timeout(PATIENCE), None);
        });
    }

    #[test]
    fn submitting_to_a_closed_pool_is_an_error_not_a_hang() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            pool.close();
            assert_eq!(pool.apply_async(|| 1).unwrap_err(), PoolError::NotRunning);
            assert_eq!(pool.apply(|| 1), Err(PoolError::NotRunning));
            assert_eq!(pool.map(|i: i32| i, 0..3), Err(PoolError::NotRunning));
            assert_eq!(
                pool.starmap(|a: i32, b: i32| a + b, [(1, 2)]),
                Err(PoolError::NotRunning)
            );
            assert_eq!(
                pool.imap(|i: i32| i, 0..3).unwrap_err(),
                PoolError::NotRunning
            );
            pool.join_timeout(PATIENCE).unwrap();
            let terminated = ThreadPool::new(1);
            terminated.terminate();
            assert_eq!(terminated.apply(|| 1), Err(PoolError::NotRunning));
        });
    }

    #[test]
    fn callbacks_get_the_value_before_the_result_is_ready() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            let (tx, rx) = mpsc::channel();
            let result = pool
                .map_async_with(
                    |i: i32| i * 10,
                    0..5,
                    move |values| tx.send(values.clone()).unwrap(),
                    |_| {},
                )
                .unwrap();
            assert_eq!(result.get_timeout(PATIENCE), Ok(vec![0, 10, 20, 30, 40]));
            // the callback ran before `get` could return
            assert_eq!(rx.try_recv(), Ok(vec![0, 10, 20, 30, 40]));
        });
    }

    #[test]
    fn initializer_runs_once_in_each_worker() {
        bounded(|| {
            let count = Arc::new(AtomicUsize::new(0));
            let counter = Arc::clone(&count);
            let pool = ThreadPool::with_initializer(3, move || {
                counter.fetch_add(1, Ordering::SeqCst);
            });
            pool.map(|i: i32| i, 0..30).unwrap();
            pool.close();
            pool.join_timeout(PATIENCE).unwrap();
            assert_eq!(count.load(Ordering::SeqCst), 3);
        });
    }

    #[test]
    fn starmap_unpacks_tuples_of_several_arities() {
        bounded(|| {
            let pool = ThreadPool::default();
            assert!(pool.workers() >= 1);
            assert_eq!(
                pool.starmap(|a: i32, b: i32| a + b, [(1, 2), (3, 4), (5, 6)]),
                Ok(vec![3, 7, 11])
            );
            assert_eq!(
                pool.starmap(|a: i32, b: i32, c: i32| a * b * c, [(1, 2, 3), (2, 3, 4)]),
                Ok(vec![6, 24])
            );
            assert_eq!(pool.starmap(|s: &str| s.len(), [("abc",)]), Ok(vec![3]));
        });
    }

    #[test]
    fn python_default_chunksize() {
        bounded(|| {
            assert_eq!(default_chunksize(10, 2), 2);
            assert_eq!(default_chunksize(3, 3), 1);
            assert_eq!(default_chunksize(100, 4), 7);
            assert_eq!(default_chunksize(0, 4), 1);
        });
    }

    #[test]
    fn dropping_the_pool_waits_for_every_submitted_task() {
        bounded(|| {
            let done = Arc::new(AtomicUsize::new(0));
            let begun = Instant::now();
            {
                let pool = ThreadPool::new(2);
                for _ in 0..6 {
                    let done = Arc::clone(&done);
                    pool.apply_async(move || {
                        thread::sleep(Duration::from_millis(20));
                        done.fetch_add(1, Ordering::SeqCst);
                    })
                    .unwrap();
                }
            } // drop: close + join
            assert_eq!(done.load(Ordering::SeqCst), 6);
            assert!(
                begun.elapsed() >= Duration::from_millis(60),
                "three rounds of 20 ms on two workers"
            );
        });
    }
}
