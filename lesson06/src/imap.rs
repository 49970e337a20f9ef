//! Needs: pool.rs
//! Adds methods: imap, imap_with_chunksize, imap_unordered, imap_unordered_with_chunksize
//!
//! [`ThreadPool::imap`] and [`ThreadPool::imap_unordered`], added to the core pool of
//! `pool.rs`, and the [`IMapIterator`] they return.
//!
//! Python twin: `Pool.imap`, `Pool.imap_unordered` and `multiprocessing.pool.IMapIterator`.
//! As in CPython, `imap` returns at once and another thread reads the items and queues the
//! tasks: here a feeder thread of the call's own, in CPython the pool's one task-handler
//! thread. Unlike CPython's task handler, which reads the whole iterable as soon as it takes
//! the call, the feeder stays at most a window of tasks ahead of the consumer
//! ([`WINDOW_PER_WORKER`] per worker), so an endless iterator works and memory stays flat
//! however many items there are.

use std::collections::VecDeque;
use std::sync::Arc;
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
    Feed, FeedWaker, Job, PoolError, SPINS, ThreadPool, lock, run_catching, wait_until,
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
        let feed = self.start_feed()?;
        let waker = feed.waker();
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
            }),
            arrived: Condvar::new(),
        });
        let feeder = Feeder {
            feed,
            f: Arc::new(f),
            items,
            chunksize,
            window: WINDOW_PER_WORKER * self.workers(),
            shared: Arc::clone(&shared),
        };
        thread::Builder::new()
            .name("pool-imap-feeder".to_string())
            .spawn(move || feeder.run())
            .map_err(|error| PoolError::Spawn(error.to_string()))?;
        Ok(IMapIterator {
            shared,
            waker,
            low: WINDOW_PER_WORKER * self.workers() / 2,
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
}

impl<T> Progress<T> {
    /// Whether the next chunk in the iterator's order is there to take.
    fn next_is_there(&self) -> bool {
        matches!(self.chunks.front(), Some(Some(_)))
    }

    fn finished(&self) -> bool {
        self.fed_all && self.taken == self.issued
    }
}

struct IMapShared<T> {
    progress: Mutex<Progress<T>>,
    /// Signalled when a chunk arrives or the feeding ends: wakes the consumer.
    arrived: Condvar,
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
    feed: Feed,
    f: Arc<F>,
    items: I,
    chunksize: usize,
    window: usize,
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
        let low = self.window / 2;
        loop {
            let room = self.feed.wait_for_room(|| {
                let mut progress = lock(&self.shared.progress);
                let in_flight = progress.issued - progress.taken;
                // Full: start waiting; once waiting, go on until half the window is free.
                let wait = !progress.consumer_gone
                    && (in_flight >= self.window || (progress.feeder_waiting && in_flight > low));
                // Set under both locks, before the feeder sleeps: see `next_inner`.
                progress.feeder_waiting = wait;
                wait
            });
            if lock(&self.shared.progress).consumer_gone {
                break;
            }
            if let Err(terminated) = room {
                // What was not fed yet will never run: one error says so, and the end.
                self.shared.issue().deliver(Err(terminated));
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
                if self.feed.submit(job).is_err() {
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
        // `self.feed` drops here: a closed pool's workers may now exit.
    }
}

/// The iterator `imap` and `imap_unordered` return: Python's `IMapIterator`. Each item is
/// `Ok(value)` or the task's [`PoolError`]; `next` blocks until the next value is there.
/// Dropping it stops the feeding (the tasks already issued still run).
pub struct IMapIterator<T> {
    shared: Arc<IMapShared<T>>,
    waker: FeedWaker,
    /// Tasks in flight at which the feeder refills the window: half of it.
    low: usize,
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
            let mut came = progress.next_is_there() || progress.finished();
            // As an idle worker does (`SPINS` in pool.rs): yield a few times before sleeping.
            for _ in 0..SPINS {
                if came {
                    break;
                }
                drop(progress);
                thread::yield_now();
                progress = lock(&self.shared.progress);
                came = progress.next_is_there() || progress.finished();
            }
            if !came {
                progress.consumer_waiting = true;
                (progress, came) = wait_until(&self.shared.arrived, progress, timeout, |p| {
                    p.next_is_there() || p.finished()
                });
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
            // lock before it slept (so it either saw this `taken` or is woken now).
            let wake = progress.feeder_waiting && progress.issued - progress.taken <= self.low;
            if wake {
                progress.feeder_waiting = false;
            }
            drop(progress);
            if wake {
                self.waker.wake();
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
        self.waker.wake();
        drop(unread); // the values no one will read, dropped outside the lock
    }
}

#[cfg(test)]
mod tests {
    //! `imap`'s tests: order, laziness, the window, termination, one test per defect of
    //! issue 11 that is `imap`'s (each failed before its fix), and CPython's `test_imap`,
    //! `test_imap_handle_iterable_exception`, `test_imap_unordered`,
    //! `test_imap_unordered_handle_iterable_exception` and the `imap` half of
    //! `test_empty_iterable`, ported by intent.
    //!
    //! Where CPython differs: with `chunksize` > 1, CPython loses the items of the chunk the
    //! iterator panicked in (`exception_throwing_generator(20, 7)` with chunks of 2 yields 0..6
    //! and then the error); here the items read before the panic still run, so 0..7 come
    //! first.
    use super::*;
    use std::panic;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::time::Instant;

    use super::super::pool::tests::{PATIENCE, bounded};

    fn sqr(x: i64) -> i64 {
        x * x
    }

    /// CPython's `exception_throwing_generator(total, when)`: `0..total`, panicking at `when`
    /// (`None`: at once).
    fn exception_throwing_generator(
        total: i64,
        when: Option<i64>,
    ) -> impl Iterator<Item = i64> + Send + 'static {
        if when.is_none() {
            panic!("Somebody said when");
        }
        (0..total).inspect(move |&i| {
            if Some(i) == when {
                panic!("Somebody said when");
            }
        })
    }

    /// An iterator that panics on its first `next` (CPython's `when == -1`).
    fn panics_at_once() -> impl Iterator<Item = i64> + Send + 'static {
        (0..1).map(|_| -> i64 { panic!("Somebody said when") })
    }

    /// `0..`, counting how many items were read.
    fn counted(read: &Arc<AtomicUsize>) -> impl Iterator<Item = u64> + Send + 'static {
        let read = Arc::clone(read);
        (0..).inspect(move |_| {
            read.fetch_add(1, Ordering::SeqCst);
        })
    }

    fn said_when() -> PoolError {
        PoolError::Panicked("Somebody said when".into())
    }

    #[test]
    fn every_value_once_under_contention() {
        bounded(|| {
            let pool = ThreadPool::new(4);
            for _ in 0..40 {
                let mut seen: Vec<usize> = pool
                    .imap_unordered(|i: usize| i, 0..100)
                    .unwrap()
                    .map(Result::unwrap)
                    .collect();
                seen.sort_unstable();
                assert_eq!(seen, (0..100).collect::<Vec<_>>());
                let ordered: Vec<usize> = pool
                    .imap_with_chunksize(|i: usize| i, 0..100, 3)
                    .unwrap()
                    .map(Result::unwrap)
                    .collect();
                assert_eq!(ordered, (0..100).collect::<Vec<_>>());
            }
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
                        std::thread::sleep(Duration::from_millis(10 * (8 - i as u64)));
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
                        std::thread::sleep(Duration::from_millis(ms));
                        ms
                    },
                    [400, 5],
                )
                .unwrap();
            assert_eq!(results.next_timeout(PATIENCE), Some(Ok(5)));
            assert_eq!(results.next_timeout(PATIENCE), Some(Ok(400)));
            assert_eq!(results.next_timeout(PATIENCE), None);
            assert_eq!(results.next(), None, "the iterator stays ended");
        });
    }

    #[test]
    fn a_panicking_task_takes_its_place_and_the_iteration_goes_on() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            let items: Vec<_> = pool
                .imap(|i: i32| if i == 1 { panic!("one") } else { i }, 0..3)
                .unwrap()
                .collect();
            assert_eq!(
                items,
                vec![Ok(0), Err(PoolError::Panicked("one".into())), Ok(2)]
            );
            let mut items: Vec<_> = pool
                .imap_unordered(|i: i32| if i == 1 { panic!("one") } else { i }, 0..3)
                .unwrap()
                .map(|r| format!("{r:?}"))
                .collect();
            items.sort();
            assert_eq!(items, ["Err(Panicked(\"one\"))", "Ok(0)", "Ok(2)"]);
            // with chunks, the panic ends its chunk, which yields one error
            let items: Vec<_> = pool
                .imap_with_chunksize(|i: i32| if i == 2 { panic!("two") } else { i }, 0..6, 2)
                .unwrap()
                .collect();
            assert_eq!(
                items,
                vec![
                    Ok(0),
                    Ok(1),
                    Err(PoolError::Panicked("two".into())),
                    Ok(4),
                    Ok(5)
                ]
            );
        });
    }

    #[test]
    fn next_timeout_gives_up_then_gets_the_value() {
        bounded(|| {
            let pool = ThreadPool::new(1);
            let (release, gate) = mpsc::channel::<()>();
            let gate = Arc::new(Mutex::new(gate));
            let mut it = pool
                .imap(
                    move |i: i32| {
                        let _ = lock(&gate).recv_timeout(PATIENCE);
                        i
                    },
                    0..1,
                )
                .unwrap();
            let begun = Instant::now();
            assert_eq!(
                it.next_timeout(Duration::from_millis(50)),
                Some(Err(PoolError::Timeout))
            );
            assert!(begun.elapsed() >= Duration::from_millis(50));
            drop(release);
            assert_eq!(it.next_timeout(PATIENCE), Some(Ok(0)));
            assert_eq!(it.next_timeout(PATIENCE), None);
        });
    }

    #[test]
    fn terminate_ends_an_iterator_whose_tasks_were_thrown_away() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            let (release, gate) = mpsc::channel::<()>();
            let gate = Arc::new(Mutex::new(gate));
            // two tasks hold both workers
            let (started_tx, started) = mpsc::channel::<()>();
            let blockers: Vec<_> = (0..2)
                .map(|_| {
                    let (gate, started_tx) = (Arc::clone(&gate), started_tx.clone());
                    pool.apply_async(move || {
                        started_tx.send(()).unwrap();
                        let _ = lock(&gate).recv_timeout(PATIENCE);
                    })
                    .unwrap()
                })
                .collect();
            for _ in 0..2 {
                started.recv_timeout(PATIENCE).unwrap();
            }
            let mut pending = pool.imap(|i: i32| i, 0..5).unwrap();
            // wait until all five are fed
            let begun = Instant::now();
            while !lock(&pending.shared.progress).fed_all {
                assert!(begun.elapsed() < PATIENCE);
                std::thread::yield_now();
            }
            pool.terminate();
            drop(release);
            pool.join_timeout(PATIENCE).unwrap();
            for b in blockers {
                assert_eq!(b.get_timeout(PATIENCE), Ok(()));
            }
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
    fn terminate_stops_the_feeding_of_an_endless_input() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            let read = Arc::new(AtomicUsize::new(0));
            let mut it = pool.imap(|i: u64| i, counted(&read)).unwrap();
            assert_eq!(it.next_timeout(PATIENCE), Some(Ok(0)));
            pool.terminate();
            pool.join_timeout(PATIENCE).unwrap();
            // the values already computed, then Terminated (for the rest), then the end
            let mut rest = Vec::new();
            loop {
                match it.next_timeout(PATIENCE) {
                    Some(Ok(v)) => rest.push(v),
                    Some(Err(PoolError::Terminated)) => {}
                    Some(Err(other)) => panic!("{other:?}"),
                    None => break,
                }
            }
            assert!(rest.len() <= WINDOW_PER_WORKER * 2, "{rest:?}");
            assert!(read.load(Ordering::SeqCst) <= WINDOW_PER_WORKER * 2 + 2);
        });
    }

    #[test]
    fn imap_on_a_pool_that_no_longer_runs_is_an_error() {
        bounded(|| {
            let pool = ThreadPool::new(1);
            pool.close();
            assert_eq!(
                pool.imap(|i: i32| i, 0..3).unwrap_err(),
                PoolError::NotRunning
            );
            assert_eq!(
                pool.imap_unordered(|i: i32| i, Vec::new()).unwrap_err(),
                PoolError::NotRunning
            );
        });
    }

    #[test]
    fn close_then_join_before_reading_feeds_the_whole_input() {
        bounded(|| {
            let pool = ThreadPool::new(1);
            let n = WINDOW_PER_WORKER * 5; // more than one window
            let it = pool.imap(|i: usize| i * 2, 0..n).unwrap();
            pool.close();
            pool.join_timeout(PATIENCE).unwrap();
            let values: Vec<usize> = it.map(Result::unwrap).collect();
            assert_eq!(values, (0..n).map(|i| i * 2).collect::<Vec<_>>());
        });
    }

    #[test]
    fn a_pool_dropped_before_its_iterator_is_read_still_yields_everything() {
        bounded(|| {
            let it = {
                let pool = ThreadPool::new(2);
                pool.imap(|i: usize| i + 1, 0..50).unwrap()
            }; // the pool's drop: close, then join
            let values: Vec<usize> = it.map(Result::unwrap).collect();
            assert_eq!(values, (1..51).collect::<Vec<_>>());
        });
    }

    #[test]
    fn dropping_the_iterator_stops_the_feeding_and_lets_the_pool_close() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            let read = Arc::new(AtomicUsize::new(0));
            let mut it = pool.imap(|i: u64| i, counted(&read)).unwrap();
            assert_eq!(it.next_timeout(PATIENCE), Some(Ok(0)));
            drop(it);
            pool.close();
            // an endless input, but the consumer is gone: join returns
            pool.join_timeout(PATIENCE).unwrap();
            assert!(read.load(Ordering::SeqCst) <= WINDOW_PER_WORKER * 2 + 2);
        });
    }

    #[test]
    fn debug_shows_the_progress() {
        bounded(|| {
            let pool = ThreadPool::new(1);
            let mut it = pool.imap(|i: i32| i, 0..2).unwrap();
            assert_eq!(it.next_timeout(PATIENCE), Some(Ok(0)));
            assert_eq!(it.next_timeout(PATIENCE), Some(Ok(1)));
            assert_eq!(it.next_timeout(PATIENCE), None);
            assert_eq!(
                format!("{it:?}"),
                "IMapIterator { ordered: true, issued: 2, taken: 2, fed_all: true }"
            );
            let it = pool.imap_unordered(|i: i32| i, Vec::new()).unwrap();
            assert!(format!("{it:?}").starts_with("IMapIterator { ordered: false"));
        });
    }

    // ---- issue 11: imap's defects, each failing before its fix ----

    /// Issue 11, defect 2: `next_timeout(Duration::MAX)` panicked on the deadline's overflow.
    #[test]
    fn next_timeout_of_duration_max_waits_as_long_as_it_takes() {
        bounded(|| {
            let pool = ThreadPool::new(1);
            let mut it = pool
                .imap(
                    |i: i32| {
                        std::thread::sleep(Duration::from_millis(20));
                        i
                    },
                    0..1,
                )
                .unwrap();
            assert_eq!(it.next_timeout(Duration::MAX), Some(Ok(0)));
            assert_eq!(it.next_timeout(Duration::MAX), None);
        });
    }

    /// Issue 11, defect 7: `imap` read its whole input before returning; with a channel-fed
    /// input it returned only once the channel closed.
    #[test]
    fn imap_returns_before_reading_its_input() {
        bounded(|| {
            let pool = ThreadPool::new(2);
            let (tx, rx) = mpsc::channel::<i32>();
            let begun = Instant::now();
            let mut it = pool.imap(|i: i32| i * 2, rx).unwrap();
            assert!(
                begun.elapsed() < Duration::from_secs(1),
                "imap waited for its input"
            );
            tx.send(1).unwrap();
            assert_eq!(it.next_timeout(PATIENCE), Some(Ok(2)));
            tx.send(2).unwrap();
            assert_eq!(it.next_timeout(PATIENCE), Some(Ok(4)));
            drop(tx);
            assert_eq!(it.next_timeout(PATIENCE), None);
        });
    }

    /// Issue 11, defect 7: an endless iterator never returned from `imap`, and a long input
    /// was all read (and held) before the first result. Now the feeder stays within a window
    /// of the consumer.
    #[test]
    fn imap_reads_at_most_a_window_ahead_of_its_consumer() {
        bounded(|| {
            let workers = 2;
            let window = WINDOW_PER_WORKER * workers;
            let pool = ThreadPool::new(workers);
            for ordered in [true, false] {
                let read = Arc::new(AtomicUsize::new(0));
                let mut it = if ordered {
                    pool.imap(|i: u64| i, counted(&read)).unwrap()
                } else {
                    pool.imap_unordered(|i: u64| i, counted(&read)).unwrap()
                };
                for taken in 1..=100 {
                    assert!(matches!(it.next_timeout(PATIENCE), Some(Ok(_))));
                    // give the feeder time to run ahead, if it would
                    if taken % 25 == 0 {
                        std::thread::sleep(Duration::from_millis(50));
                        let ahead = read.load(Ordering::SeqCst) - taken;
                        assert!(ahead <= window, "read {ahead} items ahead of the consumer");
                        // The window refills by halves: at least half of it is in flight.
                        assert!(
                            ahead >= window / 2,
                            "read only {ahead} ahead: no parallelism"
                        );
                    }
                }
            }
            // the same with chunks: the window counts chunks
            let read = Arc::new(AtomicUsize::new(0));
            let mut it = pool
                .imap_with_chunksize(|i: u64| i, counted(&read), 3)
                .unwrap();
            assert_eq!(it.next_timeout(PATIENCE), Some(Ok(0)));
            std::thread::sleep(Duration::from_millis(50));
            let read = read.load(Ordering::SeqCst);
            assert!(read <= 3 * (window + 1), "read {read}");
            assert!(read >= 3 * window, "read {read}");
        });
    }

    // ---- CPython's _TestPool (Lib/test/_test_multiprocessing.py) ----

    #[test]
    fn test_imap() {
        bounded(|| {
            let pool = ThreadPool::new(4);
            let it = pool.imap(sqr, 0..10).unwrap();
            let expected: Vec<i64> = (0..10).map(sqr).collect();
            assert_eq!(it.map(Result::unwrap).collect::<Vec<_>>(), expected);
            let mut it = pool.imap(sqr, 0..10).unwrap();
            for i in 0..10 {
                assert_eq!(it.next(), Some(Ok(i * i)));
            }
            assert_eq!(it.next(), None);
            let mut it = pool.imap_with_chunksize(sqr, 0..1000, 100).unwrap();
            for i in 0..1000 {
                assert_eq!(it.next(), Some(Ok(i * i)));
            }
            assert_eq!(it.next(), None);
        });
    }

    #[test]
    fn test_imap_handle_iterable_exception() {
        bounded(|| {
            let pool = ThreadPool::new(4);
            // the error at the very first of the iterable, twice (reentrant)
            for _ in 0..2 {
                let mut it = pool.imap_with_chunksize(sqr, panics_at_once(), 1).unwrap();
                assert_eq!(it.next(), Some(Err(said_when())));
                assert_eq!(it.next(), None);
            }
            // CPython's generator raises when it is created with `when == -1`; so does this one
            let created = panic::catch_unwind(|| exception_throwing_generator(1, None).count());
            assert!(created.is_err());
            let mut it = pool
                .imap_with_chunksize(sqr, exception_throwing_generator(10, Some(3)), 1)
                .unwrap();
            for i in 0..3 {
                assert_eq!(it.next(), Some(Ok(i * i)));
            }
            assert_eq!(it.next(), Some(Err(said_when())));
            assert_eq!(it.next(), None);
            // the error is seen at the start of the problematic chunk's results (see the
            // module's note: the items read before it still run)
            for chunksize in [2, 4] {
                let mut it = pool
                    .imap_with_chunksize(sqr, exception_throwing_generator(20, Some(7)), chunksize)
                    .unwrap();
                for i in 0..7 {
                    assert_eq!(it.next(), Some(Ok(i * i)), "chunksize {chunksize}");
                }
                assert_eq!(it.next(), Some(Err(said_when())));
                assert_eq!(it.next(), None);
            }
        });
    }

    #[test]
    fn test_imap_unordered() {
        bounded(|| {
            let pool = ThreadPool::new(4);
            let expected: Vec<i64> = (0..10).map(sqr).collect();
            let mut got: Vec<i64> = pool
                .imap_unordered(sqr, 0..10)
                .unwrap()
                .map(Result::unwrap)
                .collect();
            got.sort_unstable();
            assert_eq!(got, expected);
            let expected: Vec<i64> = (0..1000).map(sqr).collect();
            let mut got: Vec<i64> = pool
                .imap_unordered_with_chunksize(sqr, 0..1000, 100)
                .unwrap()
                .map(Result::unwrap)
                .collect();
            got.sort_unstable();
            assert_eq!(got, expected);
        });
    }

    #[test]
    fn test_imap_unordered_handle_iterable_exception() {
        bounded(|| {
            let pool = ThreadPool::new(4);
            for _ in 0..2 {
                let mut it = pool
                    .imap_unordered_with_chunksize(sqr, panics_at_once(), 1)
                    .unwrap();
                assert_eq!(it.next(), Some(Err(said_when())));
                assert_eq!(it.next(), None);
            }
            for (total, when, chunksize) in [(10, 3, 1), (20, 7, 2)] {
                let it = pool
                    .imap_unordered_with_chunksize(
                        sqr,
                        exception_throwing_generator(total, Some(when)),
                        chunksize,
                    )
                    .unwrap();
                let mut values = Vec::new();
                let mut errors = 0;
                for item in it {
                    match item {
                        Ok(value) => values.push(value),
                        Err(error) => {
                            assert_eq!(error, said_when());
                            errors += 1;
                        }
                    }
                }
                values.sort_unstable();
                assert_eq!(values, (0..when).map(sqr).collect::<Vec<_>>());
                assert_eq!(errors, 1);
            }
        });
    }

    #[test]
    fn test_empty_iterable() {
        bounded(|| {
            let pool = ThreadPool::new(1);
            assert_eq!(pool.imap(sqr, Vec::new()).unwrap().count(), 0);
            assert_eq!(pool.imap_unordered(sqr, Vec::new()).unwrap().count(), 0);
            pool.close();
            pool.join().unwrap();
        });
    }
}

/// Model checks (shuttle) of the feeder, the consumer and the pool's life cycle racing. Run
/// with `RUSTFLAGS="--cfg shuttle" CARGO_TARGET_DIR=target/shuttle cargo test -p lesson06
/// --lib models`. Each model is sampled (1,000 random or PCT schedules), and a deadlock in
/// any schedule tried fails it.
#[cfg(all(test, shuttle))]
mod models {
    use super::*;

    /// More items than a window (4 on one worker), the pool dropped (close, join) before the
    /// consumer reads: the feeder must not wait on the consumer, and every value comes out.
    /// The batched refill, again and again: the feeder fills the window (4), sleeps until the
    /// consumer has taken half of it, and is woken then, once per half window. A wake-up lost
    /// between the feeder's look at the window and its sleep would leave both waiting.
    #[test]
    fn batched_refill_against_consumer() {
        let model = || {
            let pool = ThreadPool::new(1);
            let it = pool.imap(|i: i32| i, 0..13).unwrap();
            assert_eq!(
                it.map(Result::unwrap).collect::<Vec<_>>(),
                (0..13).collect::<Vec<_>>()
            );
        };
        shuttle::check_random(model, 1000);
        shuttle::check_pct(model, 1000, 3);
    }

    #[test]
    fn close_and_join_against_the_window() {
        shuttle::check_random(
            || {
                let pool = ThreadPool::new(1);
                let it = pool.imap(|i: i32| i * 2, 0..6).unwrap();
                drop(pool);
                let values: Vec<i32> = it.map(Result::unwrap).collect();
                assert_eq!(values, vec![0, 2, 4, 6, 8, 10]);
            },
            1000,
        );
    }

    /// The consumer making room against the feeder waiting for it, with the pool running (so
    /// nothing but the consumer's wake-up can let the feeder go on): a lost wake-up would
    /// leave both waiting for good.
    #[test]
    fn consumer_against_window() {
        shuttle::check_pct(
            || {
                let pool = ThreadPool::new(1);
                let it = pool.imap(|i: i32| i, 0..7).unwrap();
                assert_eq!(
                    it.map(Result::unwrap).collect::<Vec<_>>(),
                    (0..7).collect::<Vec<_>>()
                );
            },
            1000,
            3,
        );
    }

    /// A consumer reading on another thread while the feeder waits for room and the pool is
    /// closed: the order holds and nothing deadlocks.
    #[test]
    fn consumer_against_feeder_and_close() {
        shuttle::check_random(
            || {
                let pool = ThreadPool::new(1);
                let it = pool.imap(|i: i32| i, 0..6).unwrap();
                let consumer = thread::spawn(move || it.map(Result::unwrap).collect::<Vec<_>>());
                pool.close();
                pool.join().unwrap();
                assert_eq!(consumer.join().unwrap(), (0..6).collect::<Vec<_>>());
            },
            1000,
        );
    }

    /// The consumer dropping the iterator early while the feeder feeds an endless input: the
    /// feeding stops, and the closed pool's join returns.
    #[test]
    fn consumer_gone_against_feeder() {
        shuttle::check_random(
            || {
                let pool = ThreadPool::new(1);
                let mut it = pool.imap_unordered(|i: u32| i, 0..).unwrap();
                assert!(matches!(it.next(), Some(Ok(_))));
                drop(it);
                pool.close();
                pool.join().unwrap();
            },
            1000,
        );
    }

    /// terminate against the feeder and the consumer: the iterator always ends, its values
    /// in order up to the first error.
    #[test]
    fn terminate_against_feeder() {
        shuttle::check_random(
            || {
                let pool = std::sync::Arc::new(ThreadPool::new(1));
                let it = pool.imap(|i: u32| i, 0..12).unwrap();
                let p = std::sync::Arc::clone(&pool);
                let terminator = thread::spawn(move || p.terminate());
                let values: Vec<u32> = it.map_while(Result::ok).collect();
                assert_eq!(values, (0..values.len() as u32).collect::<Vec<_>>());
                terminator.join().unwrap();
                pool.join().unwrap();
            },
            1000,
        );
    }
}
