//! Needs: pool.rs
//! Adds methods: imap, imap_with_chunksize, imap_unordered, imap_unordered_with_chunksize
//!
//! [`ThreadPool::imap`] and [`ThreadPool::imap_unordered`], added to the core pool of
//! `pool.rs`, and the [`IMapIterator`] they return.
//!
//! Map. Threads: a feeder per `imap` call (it reads the items and queues a task per chunk)
//! besides the pool's. State, under the call's mutex: the chunks' outcomes in order, how many
//! were issued and taken, the pool's phase as the pool told it, and whether the consumer or
//! the feeder sleeps. Who wakes whom: a finished chunk wakes the consumer if it waits; the
//! consumer wakes the feeder once half the window has been taken; the pool's `close` and
//! `terminate`, and dropping the iterator, wake the feeder. The pool knows of the call only
//! through the hook `pool.rs` lends it (`start_feed`): it keeps a closed pool's workers until
//! the batch is fed, and tells the call of `close` and `terminate`.
//!
//! Copying it: the `#[cfg(all(test, shuttle))]` lines switch to the shuttle model checker's
//! primitives for `cargo xtask models` only. In a project of your own cargo warns of an
//! unexpected `cfg` condition name `shuttle`: delete those lines, or declare the name in your
//! Cargo.toml: `[lints.rust] unexpected_cfgs = { level = "warn", check-cfg = ["cfg(shuttle)"] }`.
//!
//! Python twin: `Pool.imap`, `Pool.imap_unordered` and `multiprocessing.pool.IMapIterator`.
//! As in CPython, `imap` returns at once and another thread reads the items and queues the
//! tasks: here a feeder thread of the call's own, in CPython the pool's one task-handler
//! thread. Unlike CPython's task handler, which reads the whole iterable as soon as it takes
//! the call, the feeder stays at most a window of tasks ahead of the consumer
//! ([`WINDOW_PER_WORKER`] per worker), so an endless iterator works and memory stays flat
//! however many items there are.

use std::collections::VecDeque;
use std::sync::{Arc, PoisonError};
use std::time::Duration;

#[cfg(all(test, shuttle))]
use shuttle::sync::{Condvar, Mutex};
#[cfg(all(test, shuttle))]
use shuttle::thread;
#[cfg(not(all(test, shuttle)))]
use std::sync::{Condvar, Mutex};
#[cfg(not(all(test, shuttle)))]
use std::thread;

use super::pool::{
    FeedHook, Job, Phase, PoolError, SPINS, ThreadPool, lock, run_catching, wait_until,
};

/// How many tasks (chunks) per worker an `imap` keeps in flight: issued to the pool but not
/// yet taken by the consumer. Enough to keep every worker busy while the consumer takes the
/// results; small enough that a huge or endless input costs no memory to speak of.
#[cfg(not(all(test, shuttle)))]
pub const WINDOW_PER_WORKER: usize = 32;
/// The models (`cargo xtask models`) use a window of 4, so that a few items fill it.
#[cfg(all(test, shuttle))]
pub const WINDOW_PER_WORKER: usize = 4;

impl ThreadPool {
    /// Python: `imap(func, iterable)`. Returns at once with an iterator that yields each value
    /// in the items' order, as soon as that task and all before it are done: task 0's value
    /// first, even if task 5 finished long before it. A panicking task yields its
    /// [`PoolError`] in its place and the iteration goes on. The items are read lazily by a
    /// feeder thread, at most a window of tasks ahead of the consumer (see the module docs);
    /// a panic of the items' iterator itself yields its error in its place and ends the
    /// iteration, as CPython's does.
    ///
    /// After [`close`](Self::close), an `imap` already issued is fed to its end without
    /// waiting for its consumer (CPython's task handler does the same), so `close` then
    /// `join` works before the results are read; over an endless iterator that join never
    /// returns, as in Python. [`terminate`](Self::terminate) stops the feeding: the iterator
    /// then yields [`PoolError::Terminated`] for each task thrown away (and once for the
    /// items not read yet) and ends. (A feeder blocked inside the items' own `next`, say on a
    /// channel, notices only when that `next` returns: no one can interrupt it.)
    pub fn imap<A, T, F, I>(&self, f: F, items: I) -> Result<IMapIterator<T>, PoolError>
    where
        F: Fn(A) -> T + Send + Sync + 'static,
        A: Send + 'static,
        T: Send + 'static,
        I: IntoIterator<Item = A>,
        I::IntoIter: Send + 'static,
    {
        self.imap_inner(f, items.into_iter(), 1, true)
    }

    /// Python: `imap(func, iterable, chunksize)`. As [`imap`](Self::imap), but each task
    /// takes `chunksize` items: fewer trips through the queue. A panic ends its chunk, which
    /// yields one [`PoolError`] in place of the chunk's values.
    ///
    /// # Panics
    /// If `chunksize` is 0.
    pub fn imap_with_chunksize<A, T, F, I>(
        &self,
        f: F,
        items: I,
        chunksize: usize,
    ) -> Result<IMapIterator<T>, PoolError>
    where
        F: Fn(A) -> T + Send + Sync + 'static,
        A: Send + 'static,
        T: Send + 'static,
        I: IntoIterator<Item = A>,
        I::IntoIter: Send + 'static,
    {
        self.imap_inner(f, items.into_iter(), chunksize, true)
    }

    /// Python: `imap_unordered(func, iterable)`. As [`imap`](Self::imap), but yields values in
    /// the order the tasks finish: a fast task's value comes before a slow one's.
    pub fn imap_unordered<A, T, F, I>(&self, f: F, items: I) -> Result<IMapIterator<T>, PoolError>
    where
        F: Fn(A) -> T + Send + Sync + 'static,
        A: Send + 'static,
        T: Send + 'static,
        I: IntoIterator<Item = A>,
        I::IntoIter: Send + 'static,
    {
        self.imap_inner(f, items.into_iter(), 1, false)
    }

    /// Python: `imap_unordered(func, iterable, chunksize)`.
    ///
    /// # Panics
    /// If `chunksize` is 0.
    pub fn imap_unordered_with_chunksize<A, T, F, I>(
        &self,
        f: F,
        items: I,
        chunksize: usize,
    ) -> Result<IMapIterator<T>, PoolError>
    where
        F: Fn(A) -> T + Send + Sync + 'static,
        A: Send + 'static,
        T: Send + 'static,
        I: IntoIterator<Item = A>,
        I::IntoIter: Send + 'static,
    {
        self.imap_inner(f, items.into_iter(), chunksize, false)
    }
}

/// The iterator `imap` and `imap_unordered` return: Python's `IMapIterator`. Each item is
/// `Ok(value)` or the task's [`PoolError`]; `next` blocks until the next value is there.
/// Dropping it stops the feeding (the tasks already issued still run).
pub struct IMapIterator<T> {
    shared: Arc<IMapShared<T>>,
    /// The values of the chunk being yielded.
    current: std::vec::IntoIter<T>,
}

impl<T> std::fmt::Debug for IMapIterator<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let progress = lock(&self.shared.progress);
        f.debug_struct("IMapIterator")
            .field("ordered", &progress.ordered)
            .field("issued", &progress.issued)
            .field("taken", &progress.taken)
            .field("fed_all", &progress.fed_all)
            .finish()
    }
}

impl<T> IMapIterator<T> {
    /// Python: `next(timeout)`. `None` when every value has been yielded;
    /// `Some(Err(PoolError::Timeout))` if the next one did not come within `timeout`
    /// (`Duration::MAX` waits as long as it takes).
    pub fn next_timeout(&mut self, timeout: Duration) -> Option<Result<T, PoolError>> {
        self.next_inner(Some(timeout))
    }

    fn next_inner(&mut self, timeout: Option<Duration>) -> Option<Result<T, PoolError>> {
        loop {
            if let Some(value) = self.current.next() {
                return Some(Ok(value));
            }
            let mut progress = lock(&self.shared.progress);
            let mut came = progress.ready();
            // As an idle worker does (`SPINS` in pool.rs): yield a few times before sleeping.
            for _ in 0..SPINS {
                if came {
                    break;
                }
                drop(progress);
                thread::yield_now();
                progress = lock(&self.shared.progress);
                came = progress.ready();
            }
            if !came {
                progress.consumer_waiting = true;
                (progress, came) =
                    wait_until(&self.shared.arrived, progress, timeout, Progress::ready);
                progress.consumer_waiting = false;
            }
            if !came {
                return Some(Err(PoolError::Timeout));
            }
            let Some(Some(chunk)) = progress.chunks.pop_front() else {
                return None; // finished: every chunk taken
            };
            progress.taken += 1;
            // Half the window taken: wake the feeder, which set `feeder_waiting` under this
            // lock and slept in the same step (so it either saw this `taken` or is woken now).
            let wake = progress.feeder_waiting && progress.half_taken();
            if wake {
                progress.feeder_waiting = false;
            }
            drop(progress);
            if wake {
                self.shared.room.notify_one();
            }
            match chunk {
                Ok(values) => self.current = values.into_iter(),
                Err(error) => return Some(Err(error)),
            }
        }
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
            let mut progress = lock(&self.shared.progress);
            progress.consumer_gone = true;
            std::mem::take(&mut progress.chunks)
        };
        self.shared.room.notify_one();
        drop(unread); // the values no one will read, dropped outside the lock
    }
}

// The internals: the call's shared state, its feeder, and how a chunk's outcome lands.

impl ThreadPool {
    fn imap_inner<A, T, F, I>(
        &self,
        f: F,
        items: I,
        chunksize: usize,
        ordered: bool,
    ) -> Result<IMapIterator<T>, PoolError>
    where
        F: Fn(A) -> T + Send + Sync + 'static,
        A: Send + 'static,
        T: Send + 'static,
        I: Iterator<Item = A> + Send + 'static,
    {
        assert!(chunksize >= 1, "chunksize must be at least 1");
        let shared = Arc::new(IMapShared {
            progress: Mutex::new(Progress {
                ordered,
                chunks: VecDeque::new(),
                issued: 0,
                taken: 0,
                fed_all: false,
                consumer_gone: false,
                consumer_waiting: false,
                feeder_waiting: false,
                window: WINDOW_PER_WORKER * self.workers(),
                pool: Phase::Running,
            }),
            arrived: Condvar::new(),
            room: Condvar::new(),
        });
        let told = {
            let shared = Arc::clone(&shared);
            Arc::new(move |phase| shared.told(phase))
        };
        let hook = self.start_feed(told)?;
        let feeder = Feeder {
            hook,
            f: Arc::new(f),
            items,
            chunksize,
            shared: Arc::clone(&shared),
        };
        // Refused, the feeder is dropped, and with it the hook: the pool forgets the batch.
        thread::Builder::new()
            .name("pool-imap-feeder".to_string())
            .spawn(move || feeder.run())
            .map_err(|error| PoolError::Spawn(error.to_string()))?;
        Ok(IMapIterator {
            shared,
            current: Vec::new().into_iter(),
        })
    }
}

/// What the feeder and the consumer share, under one lock.
struct Progress<T> {
    ordered: bool,
    /// The outcomes not yet taken, one per chunk. Ordered: chunk `taken + i` at `i`, `None`
    /// until it arrives. Unordered: in the order they arrived (all `Some`).
    chunks: VecDeque<Option<Result<Vec<T>, PoolError>>>,
    /// Chunks issued so far (including an error that stands for one).
    issued: usize,
    /// Chunks the consumer has taken.
    taken: usize,
    /// No more chunks will be issued.
    fed_all: bool,
    /// The iterator was dropped: stop feeding.
    consumer_gone: bool,
    /// The consumer sleeps (or is about to) on `arrived`: a delivery notifies only then.
    consumer_waiting: bool,
    /// The feeder filled the window and sleeps until half of it has been taken: the consumer
    /// wakes it (once) when that happens.
    feeder_waiting: bool,
    /// How many chunks may be in flight (issued, not yet taken).
    window: usize,
    /// The pool's phase, as the pool told it (`Running` until `close` or `terminate`).
    pool: Phase,
}

impl<T> Progress<T> {
    /// Whether the next chunk in the iterator's order is there to take.
    fn next_is_there(&self) -> bool {
        matches!(self.chunks.front(), Some(Some(_)))
    }

    fn finished(&self) -> bool {
        self.fed_all && self.taken == self.issued
    }

    /// What the consumer waits for: the next chunk, or the end.
    fn ready(&self) -> bool {
        self.next_is_there() || self.finished()
    }

    /// Whether a feeder that filled the window may fill it again: half of it is taken.
    fn half_taken(&self) -> bool {
        self.issued - self.taken <= self.window / 2
    }
}

struct IMapShared<T> {
    progress: Mutex<Progress<T>>,
    /// Signalled when a chunk arrives or the feeding ends: wakes the consumer.
    arrived: Condvar,
    /// Signalled when half the window has been taken, the consumer is gone or the pool's
    /// phase changes: wakes the feeder (only it waits here).
    room: Condvar,
}

impl<T> IMapShared<T> {
    /// Issues the next chunk: returns its delivery, which must be delivered or dropped.
    fn issue(self: &Arc<Self>) -> Delivery<T> {
        let mut progress = lock(&self.progress);
        let index = progress.issued;
        progress.issued += 1;
        if progress.ordered {
            progress.chunks.push_back(None);
        }
        Delivery {
            shared: Arc::clone(self),
            index,
            delivered: false,
        }
    }

    /// Blocks the feeder while the window is full (then until half of it has been taken), as
    /// long as the consumer is there and the pool runs. Once the pool is closed it stops
    /// waiting: the rest of an issued batch is fed without waiting for its consumer, as
    /// CPython's task handler feeds it, so `close` then `join` cannot wait on a consumer that
    /// has not started. Returns the pool's phase and whether the consumer is gone.
    fn wait_for_room(&self) -> (Phase, bool) {
        let mut progress = lock(&self.progress);
        loop {
            let in_flight = progress.issued - progress.taken;
            // Full: start waiting; once waiting, go on until half the window is free.
            let wait = progress.pool == Phase::Running
                && !progress.consumer_gone
                && (in_flight >= progress.window || progress.feeder_waiting)
                && !progress.half_taken();
            // Set under the lock the consumer takes to look at it: see `next_inner`.
            progress.feeder_waiting = wait;
            if !wait {
                return (progress.pool, progress.consumer_gone);
            }
            progress = self
                .room
                .wait(progress)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// What the pool tells of `close` and `terminate`, under its lock (this one is taken
    /// inside it, never the other way round).
    fn told(&self, phase: Phase) {
        lock(&self.progress).pool = phase;
        self.room.notify_one();
    }

    fn end_feeding(&self) {
        lock(&self.progress).fed_all = true;
        self.arrived.notify_all();
    }
}

/// A chunk's way to hand its outcome to an [`IMapIterator`]; dropped undelivered (the task was
/// thrown away by `terminate`), it delivers [`PoolError::Terminated`], so the iterator ends.
struct Delivery<T> {
    shared: Arc<IMapShared<T>>,
    index: usize,
    delivered: bool,
}

impl<T> Delivery<T> {
    fn deliver(mut self, outcome: Result<Vec<T>, PoolError>) {
        self.send(outcome);
    }

    fn send(&mut self, outcome: Result<Vec<T>, PoolError>) {
        self.delivered = true;
        let mut progress = lock(&self.shared.progress);
        if progress.consumer_gone {
            drop(progress);
            return; // no one will read it (dropped here, outside the lock)
        }
        if progress.ordered {
            let at = self.index - progress.taken;
            progress.chunks[at] = Some(outcome);
        } else {
            progress.chunks.push_back(Some(outcome));
        }
        let wake = progress.consumer_waiting;
        drop(progress);
        if wake {
            self.shared.arrived.notify_all();
        }
    }
}

impl<T> Drop for Delivery<T> {
    fn drop(&mut self) {
        if !self.delivered {
            self.send(Err(PoolError::Terminated));
        }
    }
}

/// CPython's task handler for one `imap`: reads the items a chunk at a time and queues a task
/// per chunk, waiting while a window of tasks is in flight.
struct Feeder<T, F, I> {
    hook: FeedHook,
    f: Arc<F>,
    items: I,
    chunksize: usize,
    shared: Arc<IMapShared<T>>,
}

impl<T, F, I> Feeder<T, F, I>
where
    I: Iterator,
    I::Item: Send + 'static,
    F: Fn(I::Item) -> T + Send + Sync + 'static,
    T: Send + 'static,
{
    fn run(mut self) {
        // The window refills in batches: once `window` tasks are in flight, the feeder sleeps
        // until the consumer has taken half of them, then issues the next half in a row. A
        // wake-up per half window, not per result taken.
        loop {
            let (pool, consumer_gone) = self.shared.wait_for_room();
            if consumer_gone {
                break;
            }
            if pool == Phase::Terminated {
                // What was not fed yet will never run: one error says so, and the end.
                self.shared.issue().deliver(Err(PoolError::Terminated));
                break;
            }
            let mut chunk = Vec::with_capacity(self.chunksize);
            let items = &mut self.items;
            let more = run_catching(|| {
                while chunk.len() < self.chunksize {
                    match items.next() {
                        Some(item) => chunk.push(item),
                        None => return false,
                    }
                }
                true
            });
            if !chunk.is_empty() {
                let delivery = self.shared.issue();
                let f = Arc::clone(&self.f);
                let job: Job = Box::new(move || {
                    let outcome = run_catching(|| chunk.into_iter().map(|item| f(item)).collect());
                    delivery.deliver(outcome);
                });
                if self.hook.submit(job).is_err() {
                    break; // terminated: the dropped job delivered Terminated in its place
                }
            }
            match more {
                Ok(true) => {}
                Ok(false) => break,
                Err(panicked) => {
                    // The items' own iterator panicked (CPython: `_guarded_task_generation`):
                    // its error takes the next place, and the feeding ends.
                    self.shared.issue().deliver(Err(panicked));
                    break;
                }
            }
        }
        self.shared.end_feeding();
        // `self.hook` drops here: a closed pool's workers may now exit.
    }
}

// The shuttle models (`cargo xtask models`) live in `imap_models.rs`: a module whose `cfg`
// is off is never read, so a copy of this file builds without that file.
#[cfg(all(test, shuttle))]
#[path = "imap_models.rs"]
mod models;
