//! Needs: nothing beyond std
//!
//! [`ThreadPool`]: a fixed set of worker threads that run the tasks you hand them; the
//! [`AsyncResult`] a task issued asynchronously returns; [`PoolError`], what the pool reports
//! where Python raises.
//!
//! Map. Threads: the workers, and one result handler that runs callbacks. State, under one
//! mutex: the phase (running, closed, terminated), the job queue, the callbacks handed over,
//! the live threads, the `imap` batches still being fed, and who sleeps (idle workers, the
//! handler). Who wakes whom: a queued job wakes an idle worker, a finished task with callbacks
//! the handler, a settled result its waiters, each only if one sleeps there; `close` and
//! `terminate` wake everyone (and tell each `imap` feed); a worker's or the handler's end
//! wakes `join`.
//!
//! Copying it: the `#[cfg(all(test, shuttle))]` lines switch to the shuttle model checker's
//! primitives for `cargo xtask models` only. In a project of your own cargo warns of an
//! unexpected `cfg` condition name `shuttle`: delete those lines, or declare the name in your
//! Cargo.toml: `[lints.rust] unexpected_cfgs = { level = "warn", check-cfg = ["cfg(shuttle)"] }`.
//!
//! Python twin: `multiprocessing.pool.ThreadPool`, with `AsyncResult` (`ApplyResult`,
//! `MapResult`). Where Python has optional arguments, this has one method per combination
//! (`map`, `map_with_chunksize`; `apply_async`, `apply_async_with` for callbacks), and where
//! Python raises, these return a [`PoolError`].
//!
//! This file is the core and stands alone: the pool's life cycle (`new`, `close`, `join`,
//! `terminate`, the worker loop, the result-handler thread that runs callbacks), `apply`,
//! `apply_async` and `map`. Two files add to it, each needing only this one: `imap.rs`
//! (`imap`, `imap_unordered`) and `starmap.rs` (`starmap`, `starmap_async`).
//!
//! Std only: threads, a `Mutex`-guarded queue, `Condvar`s to wait on, and `catch_unwind` so a
//! panicking task is reported to whoever waits for it instead of killing its worker.

use std::any::Any;
use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, PoisonError, Weak};
use std::time::Duration;

#[cfg(all(test, shuttle))]
use shuttle::sync::{Condvar, Mutex, MutexGuard};
#[cfg(all(test, shuttle))]
use shuttle::thread::{self, JoinHandle, ThreadId};
#[cfg(not(all(test, shuttle)))]
use std::sync::{Condvar, Mutex, MutexGuard};
#[cfg(not(all(test, shuttle)))]
use std::thread::{self, JoinHandle, ThreadId};

/// A pool of worker threads: Python's `multiprocessing.pool.ThreadPool`.
///
/// Every method takes `&self`, so the pool can be shared (behind an `Arc`, or borrowed by
/// scoped threads) the way a Python pool object is shared.
///
/// Besides its workers, the pool has one result-handler thread, as CPython's has: it runs
/// the callbacks of `apply_async_with` and `map_async_with`, one at a time, in the order the
/// tasks finished, so a callback that is not thread-safe is safe here as it is in Python. A
/// callback should be quick: the next one waits for it. It must not wait for another result
/// that has a callback (that result waits for the handler, which is busy waiting for it).
///
/// Dropping the pool does what `concurrent.futures.ThreadPoolExecutor`'s `with` block does
/// (`shutdown(wait=True)`): [`close`](Self::close), then [`join`](Self::join), so every task
/// already submitted runs and every [`AsyncResult`] settles. Python's `ThreadPool.__exit__`
/// calls `terminate()` instead, which throws away the tasks still queued and leaves their
/// `AsyncResult`s unsettled forever. In Rust a value is dropped on every ordinary way out of
/// its scope, early returns included (not `std::process::exit`, which runs no destructor),
/// so a drop that quietly discarded work would lose results; call
/// [`terminate`](Self::terminate) yourself when that is what you want. There is one
/// exception: dropped while its thread panics, the pool terminates and does not wait, as
/// Python's `with` block does when it exits on an exception (waiting there could hang for
/// good on a task that waits for something the panicking code would have done). Dropped on
/// one of its own threads (a task holding the last `Arc` to it), it closes and does not wait
/// for itself.
pub struct ThreadPool {
    shared: Arc<Shared>,
    handles: Mutex<Vec<JoinHandle<()>>>,
    /// The workers' and the result handler's ids: they must not join the pool.
    own_threads: Vec<ThreadId>,
    size: usize,
}

impl fmt::Debug for ThreadPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.shared.state);
        f.debug_struct("ThreadPool")
            .field("workers", &self.size)
            .field("phase", &state.phase)
            .field("queued", &state.queue.len())
            .finish()
    }
}

impl Default for ThreadPool {
    /// Python: `ThreadPool()`: one worker per CPU there (`os.cpu_count()`, every CPU of the
    /// machine, up to 3.12; `os.process_cpu_count()`, which honours the CPU affinity, from
    /// 3.13), one per CPU the program may use here ([`thread::available_parallelism`], which
    /// on Linux honours CPU affinity and cgroup quotas).
    fn default() -> Self {
        ThreadPool::new(std::thread::available_parallelism().map_or(1, NonZeroUsize::get))
    }
}

impl ThreadPool {
    /// Python: `ThreadPool(processes=workers)`. Starts `workers` threads at once, and the
    /// result-handler thread.
    ///
    /// # Panics
    /// If `workers` is 0 (Python raises `ValueError("Number of processes must be at least
    /// 1")`), or if a thread cannot be started; [`try_new`](Self::try_new) returns those as
    /// errors instead, the way `thread::Builder::spawn` does for `thread::spawn`.
    pub fn new(workers: usize) -> Self {
        Self::try_new(workers).unwrap_or_else(|error| panic!("{error}"))
    }

    /// Python: `ThreadPool(processes=workers)`, which raises `ValueError` for 0 workers. When
    /// a worker cannot start, CPython's `Thread.start` raises `RuntimeError: can't start new
    /// thread`, and `ThreadPool`'s clean-up then fails with `AttributeError` (it calls
    /// `terminate()`, which a `DummyProcess` lacks), leaving the workers already started
    /// alive. This returns an `io::Error` for both (kind `InvalidInput` for 0 workers; the OS
    /// error when a thread cannot start). The threads started before a failure are shut down
    /// and joined first, so none is left running.
    pub fn try_new(workers: usize) -> io::Result<Self> {
        Self::build(workers, None, &mut |builder, body| builder.spawn(body))
    }

    /// Python: `ThreadPool(workers, initializer=init)`: each worker runs `init` once, before its
    /// first task. A panicking initializer is reported on stderr and the worker goes on.
    ///
    /// # Panics
    /// As [`new`](Self::new); [`try_with_initializer`](Self::try_with_initializer) returns the
    /// error instead.
    pub fn with_initializer(workers: usize, init: impl Fn() + Send + Sync + 'static) -> Self {
        Self::try_with_initializer(workers, init).unwrap_or_else(|error| panic!("{error}"))
    }

    /// As [`with_initializer`](Self::with_initializer), returning the errors of
    /// [`try_new`](Self::try_new).
    pub fn try_with_initializer(
        workers: usize,
        init: impl Fn() + Send + Sync + 'static,
    ) -> io::Result<Self> {
        Self::build(workers, Some(Arc::new(init)), &mut |builder, body| {
            builder.spawn(body)
        })
    }

    /// The number of worker threads (Python keeps it in the private `_processes`).
    pub fn workers(&self) -> usize {
        self.size
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
        self.apply_inner(f, None)
    }

    /// Python: `apply_async(func, args, callback=..., error_callback=...)`. Once `f` is done,
    /// the pool's result-handler thread calls `callback` with the value or `error_callback`
    /// with the error (pass `|_| {}` for one you do not need), and only then is the result
    /// ready. Callbacks run one at a time, as in Python (see [`ThreadPool`]).
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
        self.apply_inner(f, Some((Box::new(callback), Box::new(error_callback))))
    }

    /// Python: `map(func, iterable)`. Calls `f` on every item, on the workers, and blocks until
    /// all are done; the values come back in the items' order. Items go to the workers in
    /// chunks of Python's default size (see [`default_chunksize`]). If a task panics, the
    /// map still waits for every other chunk, then returns the first panic to arrive, as
    /// Python's `MapResult` is ready only once every chunk is done and raises the first
    /// exception. The items are collected on the caller's thread first (a panicking iterator
    /// panics there, as Python's `map` raises its iterable's exception in the caller).
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
        self.map_chunks(f, items.into_iter().collect(), Some(chunksize), None)?
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
    /// note: "the first task to raise an error will be called, not all"), once every chunk is
    /// done. Both run on the result-handler thread, never on the caller's. On no items,
    /// `callback` gets the empty `Vec` (CPython calls no callback at all there, which leaves
    /// a program that waits for its callback waiting).
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

    /// Python: `close()`. Refuses new tasks; the workers finish every task already queued (and
    /// every `imap` already issued is fed to its end), then exit. Submitting afterwards
    /// returns [`PoolError::NotRunning`].
    pub fn close(&self) {
        let mut state = lock(&self.shared.state);
        if state.phase == Phase::Running {
            state.phase = Phase::Closed;
            for told in &state.feeds {
                told(Phase::Closed);
            }
        }
        drop(state);
        self.shared.work.notify_all();
    }

    /// Python: `terminate()`. Refuses new tasks and throws away the queued ones (their results
    /// settle as [`PoolError::Terminated`]); each worker exits after the task it is running.
    /// Callbacks not yet run are not run (their results settle without them), as CPython's
    /// result handler stops. It does not wait: a thread cannot be killed, in Rust or in
    /// Python, so a running task ends when it ends. Call [`join`](Self::join) to wait for that.
    pub fn terminate(&self) {
        self.shared.terminate();
    }

    /// Python: `join()`. Waits for every worker and the result handler to exit, which happens
    /// once the pool is closed and the queue is empty (or terminated and the running tasks
    /// are done). Like Python, it refuses a pool that still runs
    /// ([`PoolError::StillRunning`]): it would wait forever. Called from one of the pool's own
    /// threads (a task, a callback), it returns [`PoolError::JoinFromOwnThread`] at once,
    /// where Python deadlocks.
    pub fn join(&self) -> Result<(), PoolError> {
        self.join_inner(None)
    }

    /// Python has no timed `join` on a pool; this one gives up after `timeout` with
    /// [`PoolError::Timeout`], leaving the pool as it was. `Duration::MAX` waits as long as
    /// it takes.
    pub fn join_timeout(&self, timeout: Duration) -> Result<(), PoolError> {
        self.join_inner(Some(timeout))
    }
}

impl Drop for ThreadPool {
    /// What `with ThreadPoolExecutor() as executor:` does on exit: close, then wait for every
    /// submitted task; but while panicking, terminate without waiting, as `with ThreadPool()`
    /// does on an exception. (See the type's docs.)
    fn drop(&mut self) {
        if thread::panicking() {
            self.terminate();
        } else {
            self.close();
            // Err only on one of the pool's own threads, which must not wait for itself.
            let _ = self.join();
        }
    }
}

/// A handle on a task issued asynchronously: Python's `AsyncResult`.
///
/// `apply_async` and `map_async` return it at once; the task runs on a worker meanwhile.
pub struct AsyncResult<T> {
    slot: Arc<Slot<T>>,
}

impl<T> fmt::Debug for AsyncResult<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncResult")
            .field("ready", &self.ready())
            .finish()
    }
}

impl<T> AsyncResult<T> {
    /// Python: `ready()`. Whether the task has finished, successfully or not.
    pub fn ready(&self) -> bool {
        lock(&self.slot.outcome).value.is_some()
    }

    /// Python: `successful()`. Whether the task finished without panicking; like Python's
    /// `ValueError`, asking before it finished is an error ([`PoolError::NotReady`]).
    pub fn successful(&self) -> Result<bool, PoolError> {
        match &lock(&self.slot.outcome).value {
            None => Err(PoolError::NotReady),
            Some(outcome) => Ok(outcome.is_ok()),
        }
    }

    /// Python: `wait()`. Blocks until the task has finished (and its callback has run).
    pub fn wait(&self) {
        let _ = self.slot.wait(None);
    }

    /// Python: `wait(timeout)`. Blocks for at most `timeout`; returns whether the task has
    /// finished (Python returns `None` and leaves you to call `ready()`). `Duration::MAX`
    /// waits as long as it takes.
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
        slot.value.clone().expect("a settled slot holds an outcome")
    }

    /// Python: `get(timeout)`. As [`get`](Self::get), but gives up after `timeout` with
    /// [`PoolError::Timeout`] (Python raises `multiprocessing.TimeoutError`).
    pub fn get_timeout(&self, timeout: Duration) -> Result<T, PoolError>
    where
        T: Clone,
    {
        match self.slot.wait(Some(timeout)) {
            (slot, true) => slot.value.clone().expect("a settled slot holds an outcome"),
            (_, false) => Err(PoolError::Timeout),
        }
    }

    /// No Python twin: waits for the task and moves its outcome out, for values that are not
    /// `Clone`. The handle is consumed, so the value is taken exactly once.
    pub fn into_result(self) -> Result<T, PoolError> {
        let (mut slot, _) = self.slot.wait(None);
        slot.value.take().expect("a settled slot holds an outcome")
    }
}

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
    /// `join` was called from one of the pool's own threads (a task, or a callback), which
    /// would wait for itself. Python's `join` deadlocks there; this returns at once instead.
    JoinFromOwnThread,
    /// `terminate` discarded the task before a worker started it. Python never settles such
    /// a result (a later `get()` blocks forever); here it settles with this error.
    Terminated,
    /// A timed wait (`get_timeout`, `join_timeout`, `next_timeout`) ran out. Python raises
    /// `multiprocessing.TimeoutError`.
    Timeout,
    /// `successful` was asked before the task finished. Python raises `ValueError`.
    NotReady,
    /// The operating system could not start a thread the call needed (`imap`'s feeder
    /// thread); the message is the OS error's. Python has no such error: CPython's `imap`
    /// starts no thread, since the pool's task-handler thread, started with the pool, reads
    /// the items.
    Spawn(String),
}

impl fmt::Display for PoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PoolError::Panicked(message) => f.write_str(message),
            PoolError::NotRunning => f.write_str("Pool not running"),
            PoolError::StillRunning => f.write_str("Pool is still running"),
            PoolError::JoinFromOwnThread => {
                f.write_str("cannot join a pool from one of its own threads")
            }
            PoolError::Terminated => f.write_str("the pool was terminated before the task ran"),
            PoolError::Timeout => f.write_str("timed out"),
            PoolError::NotReady => f.write_str("not ready"),
            PoolError::Spawn(message) => write!(f, "cannot start a thread: {message}"),
        }
    }
}

impl std::error::Error for PoolError {}

/// Python's default `chunksize` for `map`: the items split into about four chunks per worker,
/// rounded up (`divmod(len(iterable), len(pool) * 4)`, plus one if there is a remainder).
/// For 10 items and 2 workers that is 2.
pub fn default_chunksize(items: usize, workers: usize) -> usize {
    items.div_ceil(workers * 4).max(1)
}

// The internals: the shared state, the pool's threads, and how a result settles.

/// One queued piece of work: a boxed closure that settles its own result (and catches its
/// own panic). The result handler's queue holds the same kind.
pub(crate) type Job = Box<dyn FnOnce() + Send>;

/// Python's pool states `RUN`, `CLOSE`, `TERMINATE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Running,
    Closed,
    Terminated,
}

struct State {
    phase: Phase,
    /// Tasks waiting for a worker.
    queue: VecDeque<Job>,
    /// Workers whose loop has not ended yet.
    live_workers: usize,
    /// Finished tasks whose callbacks wait for the result handler, in the order they finished.
    handoffs: VecDeque<Job>,
    /// Whether the result handler's loop has not ended yet.
    handler_alive: bool,
    /// The `imap` batches still being fed (see [`ThreadPool::start_feed`]): after `close`,
    /// the workers wait for them before they exit, as CPython's workers wait for its task
    /// handler.
    feeds: Vec<Told>,
    /// Workers asleep on `work`, and the result handler asleep on `handed` (0 or 1): a job or
    /// a callback queued notifies only if someone sleeps there (see [`wait_counted`]).
    idle_workers: usize,
    handler_waiting: usize,
}

struct Shared {
    state: Mutex<State>,
    /// Signalled when a job is queued, the phase changes or a feed ends: wakes idle workers.
    work: Condvar,
    /// Signalled when a callback is handed over, a worker exits or the phase changes: wakes
    /// the result handler.
    handed: Condvar,
    /// Signalled when a worker's or the handler's loop ends: wakes `join`.
    exited: Condvar,
}

impl Shared {
    /// Queues a callback for the result handler; if the handler no longer runs them (the pool
    /// was terminated), drops it, which settles its result without the callback.
    fn hand_over(&self, handoff: Job) {
        let mut state = lock(&self.state);
        if state.phase == Phase::Terminated || !state.handler_alive {
            drop(state);
            drop(handoff);
            return;
        }
        state.handoffs.push_back(handoff);
        let wake = state.handler_waiting != 0;
        drop(state);
        if wake {
            self.handed.notify_one();
        }
    }

    /// Wakes as many idle workers as there are new jobs (`idle` counted under the lock that
    /// queued them): none if none sleeps.
    fn wake_workers(&self, jobs: usize, idle: usize) {
        for _ in 0..jobs.min(idle) {
            self.work.notify_one();
        }
    }

    /// Python: `terminate()`'s work, shared with a failed start.
    fn terminate(&self) {
        let (discarded, handoffs) = {
            let mut state = lock(&self.state);
            state.phase = Phase::Terminated;
            for told in &state.feeds {
                told(Phase::Terminated);
            }
            (
                std::mem::take(&mut state.queue),
                std::mem::take(&mut state.handoffs),
            )
        };
        self.work.notify_all();
        self.handed.notify_all();
        // Dropped outside the lock: each dropped job settles its result (as Terminated, or,
        // for a finished task whose callback was waiting, as its outcome without the callback).
        drop(discarded);
        drop(handoffs);
    }
}

/// How the pool starts a thread: `thread::Builder::spawn` (tests put a failing one in).
type Spawner<'a> = &'a mut dyn FnMut(thread::Builder, Job) -> io::Result<JoinHandle<()>>;

impl ThreadPool {
    fn build(
        workers: usize,
        init: Option<Arc<dyn Fn() + Send + Sync>>,
        spawn: Spawner<'_>,
    ) -> io::Result<Self> {
        if workers == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "Number of processes must be at least 1",
            ));
        }
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                phase: Phase::Running,
                queue: VecDeque::new(),
                live_workers: 0,
                handoffs: VecDeque::new(),
                handler_alive: false,
                feeds: Vec::new(),
                idle_workers: 0,
                handler_waiting: 0,
            }),
            work: Condvar::new(),
            handed: Condvar::new(),
            exited: Condvar::new(),
        });
        let mut handles = Vec::with_capacity(workers + 1);
        let mut failure = None;
        // The workers, then the result handler (index `workers`).
        for index in 0..=workers {
            let is_worker = index < workers;
            let name = if is_worker {
                format!("pool-worker-{index}")
            } else {
                "pool-result-handler".to_string()
            };
            let body: Job = {
                let shared = Arc::clone(&shared);
                let init = init.clone();
                if is_worker {
                    Box::new(move || worker_loop(&shared, init.as_deref()))
                } else {
                    Box::new(move || handler_loop(&shared))
                }
            };
            // Counted before it starts, so that no one sees it gone before it came. (After a
            // failure the counts no longer matter: the pool is terminated and never used.)
            {
                let mut state = lock(&shared.state);
                if is_worker {
                    state.live_workers += 1;
                } else {
                    state.handler_alive = true;
                }
            }
            match spawn(thread::Builder::new().name(name), body) {
                Ok(handle) => handles.push(handle),
                Err(error) => {
                    failure = Some(error);
                    break;
                }
            }
        }
        if let Some(error) = failure {
            // CPython's `Pool` tries the same since bpo-19675: it calls `terminate()` on each
            // worker started, then joins them. That works for worker processes, but a
            // `ThreadPool` worker is a `DummyProcess`, which has no `terminate`: the clean-up
            // raises `AttributeError` and the started workers stay alive. Here nothing was
            // queued, so every thread started ends at once.
            shared.terminate();
            for handle in handles {
                let _ = handle.join();
            }
            return Err(error);
        }
        Ok(ThreadPool {
            own_threads: handles.iter().map(|h| h.thread().id()).collect(),
            handles: Mutex::new(handles),
            shared,
            size: workers,
        })
    }

    /// A new result, whose callbacks (if any) this pool's result handler will run.
    fn async_result<T>(
        &self,
        callbacks: Option<(Callback<T>, ErrorCallback)>,
    ) -> (AsyncResult<T>, Completer<T>) {
        let slot = Arc::new(Slot::new());
        let completer = Completer {
            slot: Arc::clone(&slot),
            callbacks,
            pool: Arc::downgrade(&self.shared),
        };
        (AsyncResult { slot }, completer)
    }

    /// Queues jobs all at once (under one lock, so a concurrent `close` sees all or none). If
    /// the pool no longer runs, queues none and leaves them in `jobs`.
    fn submit_all(&self, jobs: &mut Vec<Job>) -> Result<(), PoolError> {
        let mut state = lock(&self.shared.state);
        if state.phase != Phase::Running {
            return Err(PoolError::NotRunning);
        }
        let queued = jobs.len();
        state.queue.extend(jobs.drain(..));
        let idle = state.idle_workers;
        drop(state);
        self.shared.wake_workers(queued, idle);
        Ok(())
    }

    fn apply_inner<T, F>(
        &self,
        f: F,
        callbacks: Option<(Callback<T>, ErrorCallback)>,
    ) -> Result<AsyncResult<T>, PoolError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (result, completer) = self.async_result(callbacks);
        // Refused, the job is dropped, and with it the completer: no callback runs.
        let job: Job = Box::new(move || completer.complete(run_catching(f)));
        self.submit_all(&mut vec![job])?;
        Ok(result)
    }

    /// The engine of every map: splits `items` into chunks, queues one job per chunk, and
    /// settles one [`AsyncResult`] once every chunk is in, as Python's `MapResult` does.
    fn map_chunks<A, T, F>(
        &self,
        f: F,
        items: Vec<A>,
        chunksize: Option<usize>,
        callbacks: Option<(Callback<Vec<T>>, ErrorCallback)>,
    ) -> Result<AsyncResult<Vec<T>>, PoolError>
    where
        F: Fn(A) -> T + Send + Sync + 'static,
        A: Send + 'static,
        T: Send + 'static,
    {
        let chunksize = chunksize.unwrap_or_else(|| default_chunksize(items.len(), self.size));
        assert!(chunksize >= 1, "chunksize must be at least 1");
        let (result, completer) = self.async_result(callbacks);
        let total = items.len();
        if total == 0 {
            // No task to run, but, as in Python, the pool must be running; and the callback
            // runs on the result handler, as every callback does, not on the caller's thread.
            if lock(&self.shared.state).phase != Phase::Running {
                return Err(PoolError::NotRunning);
            }
            let handoff = Handoff {
                completer,
                outcome: Some(Ok(Vec::new())),
            };
            if handoff.completer.callbacks.is_none() {
                drop(handoff); // settles at once: nothing to call
            } else {
                // (A `terminate` since the check above drops it: it settles without the call.)
                self.shared.hand_over(Box::new(move || handoff.run()));
            }
            return Ok(result);
        }
        let f = Arc::new(f);
        let collector = Arc::new(Mutex::new(MapCollector {
            values: (0..total).map(|_| None).collect(),
            chunks_left: total.div_ceil(chunksize),
            first_error: None,
            completer: Some(completer),
        }));
        let mut jobs: Vec<Job> = Vec::new();
        let mut items = items.into_iter();
        let mut start = 0;
        // Loops on the items themselves, so that it ends when they do, whatever `start` says.
        while !items.as_slice().is_empty() {
            let chunk: Vec<A> = items.by_ref().take(chunksize).collect();
            let f = Arc::clone(&f);
            let delivery = ChunkDelivery {
                collector: Arc::clone(&collector),
                start,
                delivered: false,
            };
            jobs.push(Box::new(move || {
                // A chunk runs as one unit, like Python's `list(map(func, chunk))`: a panic
                // ends the chunk.
                let outcome =
                    run_catching(|| chunk.into_iter().map(|item| f(item)).collect::<Vec<T>>());
                delivery.deliver(outcome);
            }));
            start += chunksize;
        }
        if let Err(error) = self.submit_all(&mut jobs) {
            // Refused: the caller gets the error, so no callback may run for this map.
            if let Some(completer) = lock(&collector).completer.as_mut() {
                completer.callbacks = None;
            }
            return Err(error);
        }
        Ok(result)
    }

    fn join_inner(&self, timeout: Option<Duration>) -> Result<(), PoolError> {
        let state = lock(&self.shared.state);
        if state.phase == Phase::Running {
            return Err(PoolError::StillRunning);
        }
        if self.own_threads.contains(&thread::current().id()) {
            return Err(PoolError::JoinFromOwnThread);
        }
        let (state, all_gone) = wait_until(&self.shared.exited, state, timeout, |s| {
            s.live_workers == 0 && !s.handler_alive
        });
        drop(state);
        if !all_gone {
            return Err(PoolError::Timeout);
        }
        // Every loop has ended, so these joins return at once.
        let handles: Vec<JoinHandle<()>> = lock(&self.handles).drain(..).collect();
        for handle in handles {
            let _ = handle.join();
        }
        Ok(())
    }
}

/// How a feed hears of `close` and `terminate`: called with the new phase, under the pool's
/// lock (so it must not take that lock itself).
pub(crate) type Told = Arc<dyn Fn(Phase) + Send + Sync>;

impl ThreadPool {
    /// For `imap.rs`, whose feeder thread queues a batch's jobs after the call returned
    /// (CPython's task handler does that for every call). Until the [`FeedHook`] is dropped,
    /// a closed pool keeps its workers for the batch, and `told` hears of `close` and
    /// `terminate`.
    pub(crate) fn start_feed(&self, told: Told) -> Result<FeedHook, PoolError> {
        let mut state = lock(&self.shared.state);
        if state.phase != Phase::Running {
            return Err(PoolError::NotRunning);
        }
        state.feeds.push(Arc::clone(&told));
        Ok(FeedHook {
            shared: Arc::clone(&self.shared),
            told,
        })
    }
}

/// The pool's end of a batch being fed (see [`ThreadPool::start_feed`]). Dropping it tells
/// the pool that the batch is fed.
pub(crate) struct FeedHook {
    shared: Arc<Shared>,
    told: Told,
}

impl FeedHook {
    /// Queues one job, even after `close` (the batch was issued before it). Once the pool is
    /// terminated it refuses with [`PoolError::Terminated`] and drops the job, which settles
    /// whatever the job would have settled.
    pub(crate) fn submit(&self, job: Job) -> Result<(), PoolError> {
        let mut state = lock(&self.shared.state);
        if state.phase == Phase::Terminated {
            drop(state);
            drop(job);
            return Err(PoolError::Terminated);
        }
        state.queue.push_back(job);
        let idle = state.idle_workers;
        drop(state);
        self.shared.wake_workers(1, idle);
        Ok(())
    }
}

impl Drop for FeedHook {
    fn drop(&mut self) {
        let mut state = lock(&self.shared.state);
        state.feeds.retain(|told| !Arc::ptr_eq(told, &self.told));
        drop(state);
        self.shared.work.notify_all();
    }
}

/// How many times an idle worker yields before it sleeps (see `worker_loop`).
pub(crate) const SPINS: usize = 4;

/// One worker: run the initializer, then take jobs until the pool is closed, empty and has no
/// batch still feeding, or terminated.
fn worker_loop(shared: &Shared, init: Option<&(dyn Fn() + Send + Sync)>) {
    if let Some(init) = init {
        let _ = run_catching(init);
    }
    loop {
        let job = {
            let ready = |s: &State| {
                s.phase == Phase::Terminated
                    || !s.queue.is_empty()
                    || (s.phase == Phase::Closed && s.feeds.is_empty())
            };
            let mut state = lock(&shared.state);
            // Before it sleeps, a worker yields its CPU a few times: a feeder about to queue
            // the next job gets to run, and a yield costs less than a futex wait and its wake.
            for _ in 0..SPINS {
                if ready(&state) {
                    break;
                }
                drop(state);
                thread::yield_now();
                state = lock(&shared.state);
            }
            let (mut state, _) =
                wait_counted(&shared.work, state, None, |s| &mut s.idle_workers, ready);
            if state.phase == Phase::Terminated {
                break;
            }
            match state.queue.pop_front() {
                Some(job) => job,
                None => break, // closed, nothing left, nothing more coming
            }
        };
        // Jobs catch their task's panic themselves; this catch is a second net, so that
        // nothing a task does can end the worker.
        let _ = run_catching(job);
    }
    let mut state = lock(&shared.state);
    state.live_workers -= 1;
    drop(state);
    shared.handed.notify_all();
    shared.exited.notify_all();
}

/// The result handler: runs the handed-over callbacks one at a time, in the order their tasks
/// finished, until the workers are gone and nothing is left, or the pool is terminated.
fn handler_loop(shared: &Shared) {
    loop {
        let handoff = {
            let state = lock(&shared.state);
            let (mut state, _) = wait_counted(
                &shared.handed,
                state,
                None,
                |s| &mut s.handler_waiting,
                |s| s.phase == Phase::Terminated || !s.handoffs.is_empty() || s.live_workers == 0,
            );
            if state.phase == Phase::Terminated {
                break; // `terminate` took the waiting callbacks away
            }
            match state.handoffs.pop_front() {
                Some(handoff) => handoff,
                None => break, // the workers are gone and nothing is left
            }
        };
        let _ = run_catching(handoff);
    }
    let mut state = lock(&shared.state);
    state.handler_alive = false;
    drop(state);
    shared.exited.notify_all();
}

/// Where a task's outcome lands: empty until the task settles.
struct Slot<T> {
    outcome: Mutex<Outcome<T>>,
    settled: Condvar,
}

/// A slot's contents: the outcome once settled, and who waits for it.
struct Outcome<T> {
    value: Option<Result<T, PoolError>>,
    /// Threads waiting in `wait`: `settle` notifies only if some do.
    waiters: usize,
}

impl<T> Slot<T> {
    fn new() -> Self {
        Slot {
            outcome: Mutex::new(Outcome {
                value: None,
                waiters: 0,
            }),
            settled: Condvar::new(),
        }
    }
}

impl<T> Slot<T> {
    /// Stores the outcome unless one is already there; wakes every waiter.
    fn settle(&self, outcome: Result<T, PoolError>) {
        let mut slot = lock(&self.outcome);
        if slot.value.is_none() {
            slot.value = Some(outcome);
            if slot.waiters != 0 {
                self.settled.notify_all();
            }
        }
    }

    fn wait(&self, timeout: Option<Duration>) -> (MutexGuard<'_, Outcome<T>>, bool) {
        wait_counted(
            &self.settled,
            lock(&self.outcome),
            timeout,
            |o| &mut o.waiters,
            |o| o.value.is_some(),
        )
    }
}

/// A result callback: Python's `callback=`, called with the task's value.
type Callback<T> = Box<dyn FnOnce(&T) + Send>;
/// An error callback: Python's `error_callback=`, called with the task's error.
type ErrorCallback = Box<dyn FnOnce(&PoolError) + Send>;

/// The worker's end of an [`AsyncResult`]: it settles the slot once. If it has callbacks,
/// the result-handler thread calls them first (see [`Completer::complete`]). If it is dropped
/// unsettled, because `terminate` threw its task away, it settles the slot with
/// [`PoolError::Terminated`] so no one waits forever (and calls no callback).
struct Completer<T> {
    slot: Arc<Slot<T>>,
    callbacks: Option<(Callback<T>, ErrorCallback)>,
    /// Whose result handler runs the callbacks.
    pool: Weak<Shared>,
}

impl<T: Send + 'static> Completer<T> {
    /// Settles with `outcome`. Without callbacks, at once, on this thread. With callbacks,
    /// the pool's single result-handler thread calls them and then settles, one result at a
    /// time, as CPython's result handler does; so `wait()` returns only after the callback.
    /// A pool that was terminated runs no more callbacks: the outcome settles without them.
    fn complete(self, outcome: Result<T, PoolError>) {
        let pool = self.pool.upgrade();
        let handoff = Handoff {
            completer: self,
            outcome: Some(outcome),
        };
        match pool {
            Some(pool) if handoff.completer.callbacks.is_some() => {
                pool.hand_over(Box::new(move || handoff.run()));
            }
            // dropped here: settles at once, without callbacks
            _ => drop(handoff),
        }
    }

    /// Calls the callback that fits `outcome` (if `call_back`), then settles.
    fn finish(&mut self, outcome: Result<T, PoolError>, call_back: bool) {
        if let Some((on_value, on_error)) = self.callbacks.take()
            && call_back
        {
            // A panicking callback must not kill the thread either; its report goes to stderr.
            let _ = match &outcome {
                Ok(value) => run_catching(|| on_value(value)),
                Err(error) => run_catching(|| on_error(error)),
            };
        }
        self.slot.settle(outcome);
    }
}

impl<T> Drop for Completer<T> {
    fn drop(&mut self) {
        // No effect when the slot is already settled.
        self.slot.settle(Err(PoolError::Terminated));
    }
}

/// An outcome on its way to the result handler. Run, it calls the callback and settles;
/// dropped unrun (the pool was terminated first), it settles without the callback.
struct Handoff<T: Send + 'static> {
    completer: Completer<T>,
    outcome: Option<Result<T, PoolError>>,
}

impl<T: Send + 'static> Handoff<T> {
    fn run(mut self) {
        if let Some(outcome) = self.outcome.take() {
            self.completer.finish(outcome, true);
        }
    }
}

impl<T: Send + 'static> Drop for Handoff<T> {
    fn drop(&mut self) {
        if let Some(outcome) = self.outcome.take() {
            self.completer.finish(outcome, false);
        }
    }
}

/// Gathers the chunks of one map into one `Vec`, in the items' order.
struct MapCollector<T> {
    values: Vec<Option<T>>,
    chunks_left: usize,
    /// The first error to arrive, kept until every chunk is in.
    first_error: Option<PoolError>,
    /// Taken by the last chunk to arrive; dropped unused if chunks go missing, which settles
    /// the result as [`PoolError::Terminated`].
    completer: Option<Completer<Vec<T>>>,
}

/// A chunk's way to hand its values to its map; dropped undelivered (`terminate` threw the
/// chunk away), it delivers [`PoolError::Terminated`].
struct ChunkDelivery<T: Send + 'static> {
    collector: Arc<Mutex<MapCollector<T>>>,
    start: usize,
    delivered: bool,
}

impl<T: Send + 'static> ChunkDelivery<T> {
    fn deliver(mut self, outcome: Result<Vec<T>, PoolError>) {
        self.send(outcome);
    }

    fn send(&mut self, outcome: Result<Vec<T>, PoolError>) {
        self.delivered = true;
        let mut this = lock(&self.collector);
        match outcome {
            Ok(values) => {
                for (offset, value) in values.into_iter().enumerate() {
                    this.values[self.start + offset] = Some(value);
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
                .map(|v| v.expect("every chunk delivered"))
                .collect()),
        };
        let completer = this.completer.take();
        drop(this);
        // Settled (and its callback handed over) outside the lock.
        if let Some(completer) = completer {
            completer.complete(outcome);
        }
    }
}

impl<T: Send + 'static> Drop for ChunkDelivery<T> {
    fn drop(&mut self) {
        if !self.delivered {
            self.send(Err(PoolError::Terminated));
        }
    }
}

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

/// Waits on `cond` until `done` holds, for at most `timeout` (`None`: no limit): std's
/// `Condvar::wait_while` and `wait_timeout_while`. Returns the guard and whether `done` holds.
/// A timeout too long to add to the clock (`Duration::MAX`) is no limit at all, as in lesson
/// 04's and 05's timed waits.
pub(crate) fn wait_until<'a, S>(
    cond: &Condvar,
    guard: MutexGuard<'a, S>,
    timeout: Option<Duration>,
    mut done: impl FnMut(&S) -> bool,
) -> (MutexGuard<'a, S>, bool) {
    let guard = match timeout {
        None => cond
            .wait_while(guard, |s| !done(s))
            .unwrap_or_else(PoisonError::into_inner),
        Some(timeout) => {
            cond.wait_timeout_while(guard, timeout, |s| !done(s))
                .unwrap_or_else(PoisonError::into_inner)
                .0
        }
    };
    let holds = done(&guard);
    (guard, holds)
}

/// [`wait_until`], counted: the waiter adds itself to the count `waiters` picks out of the
/// state while it waits. The count changes only under the lock, and the wait releases the lock
/// only once the waiter is counted, so a thread that changes the state and finds the count at
/// 0 knows that no one sleeps on `cond` and can skip the notify (a futex system call on Linux
/// even when no one waits). A waiter whose `done` holds at once is never counted.
pub(crate) fn wait_counted<'a, S>(
    cond: &Condvar,
    mut guard: MutexGuard<'a, S>,
    timeout: Option<Duration>,
    waiters: fn(&mut S) -> &mut usize,
    mut done: impl FnMut(&S) -> bool,
) -> (MutexGuard<'a, S>, bool) {
    if done(&guard) {
        return (guard, true);
    }
    *waiters(&mut guard) += 1;
    let (mut guard, holds) = wait_until(cond, guard, timeout, done);
    *waiters(&mut guard) -= 1;
    (guard, holds)
}

// The tests of the public API (the pool's own, one per defect, CPython's ported) are in
// `tests/api/pool.rs`. These need the pool's insides: its state, its threads' ids, the spawn
// seam.
// (Two `cfg`s: cargo-mutants skips a module marked with a plain `#[cfg(test)]`.)
#[cfg(test)]
#[cfg(not(shuttle))]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::panic::AssertUnwindSafe;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::time::Instant;

    /// How long a test may wait for something that should come at once; a broken pool
    /// fails instead of hanging.
    const PATIENCE: Duration = Duration::from_secs(2);
    /// How long a whole test may take before the watchdog calls it deadlocked.
    const WATCHDOG: Duration = Duration::from_secs(5);

    /// Runs a test's body on a thread of its own and fails the test if the body has not
    /// finished within [`WATCHDOG`]: a broken pool (a lost result, a dead worker, a deadlock)
    /// then fails with a message instead of hanging `cargo test`. Once one test of the library
    /// has hung, the others fail at once instead of waiting their own `WATCHDOG` out, so that
    /// a library broken everywhere (as cargo-mutants breaks it) fails in seconds, not minutes.
    fn bounded(body: impl FnOnce() + Send + 'static) {
        static HUNG: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // The outcome is sent, never joined: a body stuck in a drop must not hang us.
            let _ = tx.send(panic::catch_unwind(AssertUnwindSafe(body)));
        });
        let begun = std::time::Instant::now();
        loop {
            match rx.recv_timeout(Duration::from_millis(20)) {
                Ok(Ok(())) => return,
                // the body panicked: fail the test with its panic
                Ok(Err(panic)) => panic::resume_unwind(panic),
                Err(mpsc::RecvTimeoutError::Disconnected) => unreachable!("the runner sends"),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            if HUNG.load(std::sync::atomic::Ordering::SeqCst) {
                panic!("another test of this file deadlocked; not waiting for this one");
            }
            if begun.elapsed() > WATCHDOG {
                HUNG.store(true, std::sync::atomic::Ordering::SeqCst);
                panic!("the test did not finish within {WATCHDOG:?}: probably deadlocked");
            }
        }
    }

    /// Idle workers, the result handler and a result's waiters are counted while they sleep,
    /// and no longer once they stop: the counts decide whether a job, a callback or a settle
    /// notifies.
    #[test]
    fn sleepers_are_counted_only_while_they_sleep() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            let sleepers = |pool: &ThreadPool| {
                let state = lock(&pool.shared.state);
                (state.idle_workers, state.handler_waiting)
            };
            let begun = Instant::now();
            while sleepers(&pool) != (2, 1) {
                assert!(begun.elapsed() < PATIENCE, "{:?}", sleepers(&pool));
                thread::yield_now();
            }
            let (release, gate) = mpsc::channel::<()>();
            let result = pool
                .apply_async(move || {
                    let _ = gate.recv_timeout(PATIENCE);
                })
                .unwrap();
            assert!(!result.wait_timeout(Duration::from_millis(20)));
            assert_eq!(lock(&result.slot.outcome).waiters, 0, "a timed-out wait");
            let waiter = {
                let slot = Arc::clone(&result.slot);
                thread::spawn(move || drop(slot.wait(None)))
            };
            let begun = Instant::now();
            while lock(&result.slot.outcome).waiters != 1 {
                assert!(begun.elapsed() < PATIENCE);
                thread::yield_now();
            }
            drop(release);
            waiter.join().unwrap();
            assert_eq!(lock(&result.slot.outcome).waiters, 0, "a woken wait");
            assert_eq!(result.get_timeout(PATIENCE), Ok(()));
            pool.close();
            pool.join_timeout(PATIENCE).unwrap();
            assert_eq!(sleepers(&pool), (0, 0), "the threads left, still counted");
        });
    }

    /// A closure that counts its calls, for tests that need to know how much ran.
    fn counter() -> (Arc<AtomicUsize>, impl Fn() + Send + Sync + Clone + 'static) {
        let count = Arc::new(AtomicUsize::new(0));
        let c = Arc::clone(&count);
        (count, move || {
            c.fetch_add(1, Ordering::SeqCst);
        })
    }

    #[test]
    fn join_timeout_gives_up_while_a_callback_still_runs() {
        bounded(|| {
            let pool = ThreadPool::new(1);
            let (release, gate) = mpsc::channel::<()>();
            let (started_tx, started) = mpsc::channel::<()>();
            let result = pool
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
            pool.close();
            // the worker is gone; only the result handler still runs, in the callback
            let begun = Instant::now();
            while lock(&pool.shared.state).live_workers > 0 {
                assert!(begun.elapsed() < PATIENCE, "the worker did not exit");
                std::thread::yield_now();
            }
            let begun = Instant::now();
            assert_eq!(
                pool.join_timeout(Duration::from_millis(50)),
                Err(PoolError::Timeout)
            );
            assert!(
                begun.elapsed() < PATIENCE,
                "join_timeout waited for the callback"
            );
            assert!(!result.ready());
            drop(release);
            pool.join_timeout(PATIENCE).unwrap();
            assert_eq!(result.get_timeout(PATIENCE), Ok(1));
        });
    }

    #[test]
    fn terminate_settles_a_finished_result_whose_callback_waits_without_calling_it() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            let (release, gate) = mpsc::channel::<()>();
            let (started_tx, started) = mpsc::channel::<()>();
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
            let c = Arc::clone(&called);
            let second = pool
                .apply_async_with(|| 2, move |_| c.store(true, Ordering::SeqCst), |_| {})
                .unwrap();
            // wait until the second task's callback waits behind the first
            let begun = Instant::now();
            while lock(&pool.shared.state).handoffs.is_empty() {
                assert!(begun.elapsed() < PATIENCE, "the second callback never came");
                std::thread::yield_now();
            }
            pool.terminate();
            assert_eq!(second.get_timeout(PATIENCE), Ok(2));
            drop(release);
            assert_eq!(first.get_timeout(PATIENCE), Ok(1));
            pool.join_timeout(PATIENCE).unwrap();
            assert!(
                !called.load(Ordering::SeqCst),
                "a callback ran after terminate"
            );
        });
    }

    /// Issue 11, defect 4 (and CPython's `TestPoolNotLeakOnFailure.test_release_unused_processes`,
    /// bpo-19675): a failed thread start panicked and left the started workers blocked for
    /// good. Now the started threads are shut down and joined, and the error comes back.
    #[test]
    fn a_failed_spawn_shuts_down_the_started_threads_and_returns_the_error() {
        bounded(|| {
            for fail_at in 0..=3 {
                let running = Arc::new(AtomicUsize::new(0));
                let mut spawned = 0;
                let mut spawn = |builder: thread::Builder, body: Job| {
                    if spawned == fail_at {
                        return Err(io::Error::other("Manually induced OSError"));
                    }
                    spawned += 1;
                    let running = Arc::clone(&running);
                    running.fetch_add(1, Ordering::SeqCst);
                    builder.spawn(move || {
                        body();
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                };
                // 3 workers and the result handler: index 3 is the handler
                let error = ThreadPool::build(3, None, &mut spawn).unwrap_err();
                assert_eq!(error.to_string(), "Manually induced OSError");
                assert_eq!(
                    running.load(Ordering::SeqCst),
                    0,
                    "a thread started before the failure still runs (failing at {fail_at})"
                );
            }
            let error = ThreadPool::try_new(0).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
            assert_eq!(error.to_string(), "Number of processes must be at least 1");
            assert!(ThreadPool::try_new(2).is_ok());
        });
    }

    /// Issue 11, defect 8: dropping the pool while its owner panicked joined it, and a task
    /// waiting for something the owner would have released (here: the channel's sender,
    /// dropped after the pool) never ended. Now the drop terminates instead.
    #[test]
    fn dropping_the_pool_while_panicking_terminates_instead_of_joining() {
        bounded(|| {
            let (ran, count) = counter();
            let owner = std::thread::spawn(move || {
                let (tx, rx) = mpsc::channel::<()>();
                let pool = ThreadPool::new(1);
                pool.apply_async(move || {
                    let _ = rx.recv();
                })
                .unwrap();
                let queued = pool.apply_async(count).unwrap();
                let _sender = tx; // dropped after the pool: only then does the task end
                let _pool = pool;
                let _queued = queued;
                panic!("the owner panics");
            });
            assert!(owner.join().is_err());
            // the task queued behind the blocked one was thrown away, not run
            assert_eq!(ran.load(Ordering::SeqCst), 0);
        });
    }

    /// Issue 11, "differences from Python": callbacks ran concurrently on the workers; CPython
    /// runs them one at a time on its one result-handler thread.
    #[test]
    fn callbacks_run_one_at_a_time_on_one_result_handler_thread() {
        bounded(|| {
            let pool = ThreadPool::new(4);
            let inside = Arc::new(AtomicUsize::new(0));
            let overlaps = Arc::new(AtomicUsize::new(0));
            let threads = Arc::new(Mutex::new(HashSet::new()));
            let results: Vec<_> = (0..16)
                .map(|i| {
                    let (inside, overlaps, threads) = (
                        Arc::clone(&inside),
                        Arc::clone(&overlaps),
                        Arc::clone(&threads),
                    );
                    let on_value = move |_: &i32| {
                        if inside.fetch_add(1, Ordering::SeqCst) != 0 {
                            overlaps.fetch_add(1, Ordering::SeqCst);
                        }
                        lock(&threads).insert(thread::current().id());
                        std::thread::sleep(Duration::from_millis(5));
                        inside.fetch_sub(1, Ordering::SeqCst);
                    };
                    pool.apply_async_with(move || i, on_value, |_| {}).unwrap()
                })
                .collect();
            for result in results {
                assert!(result.wait_timeout(PATIENCE));
            }
            assert_eq!(overlaps.load(Ordering::SeqCst), 0, "callbacks overlapped");
            let threads = lock(&threads);
            assert_eq!(threads.len(), 1, "callbacks ran on several threads");
            let handler = *threads.iter().next().unwrap();
            assert_eq!(pool.own_threads.last(), Some(&handler));
        });
    }

    #[test]
    fn test_make_pool() {
        bounded(|| {
            assert!(panic::catch_unwind(|| ThreadPool::new(0)).is_err());
            assert!(ThreadPool::try_new(0).is_err());
            let pool = ThreadPool::new(3);
            assert_eq!(pool.workers(), 3);
            assert_eq!(
                pool.own_threads.len(),
                4,
                "three workers and the result handler"
            );
            pool.close();
            pool.join().unwrap();
        });
    }
}

// The shuttle models (`cargo xtask models`) live in `pool_models.rs`: a module whose `cfg`
// is off is never read, so a copy of this file builds without that file.
#[cfg(all(test, shuttle))]
#[path = "pool_models.rs"]
mod models;
