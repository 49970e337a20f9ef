//! [`Queue`]: a thread-safe FIFO queue with a bound, a size, and task accounting.
//!
//! std's channels (`mpsc::channel`, `mpsc::sync_channel`) pass items between threads, and
//! most programs need nothing more. What they lack is the rest of Python's `queue.Queue`:
//! asking how many items wait (`qsize`, `empty`, `full`), and counting finished tasks so a
//! thread can wait until every item has been processed (`task_done`, `join`). This file is
//! `queue.Queue` with those, std-only (one `Mutex` and three `Condvar`s, as in CPython's own
//! `queue.py`); copy it into a project as it is.
//!
//! | Python | here |
//! | --- | --- |
//! | `q = queue.Queue()` / `queue.Queue(maxsize=0)` | `Queue::new(0)`: unbounded (also `Queue::default()`) |
//! | `q = queue.Queue(maxsize=10)` | `Queue::new(10)`: `put` blocks while 10 items wait |
//! | `q.maxsize` | [`Queue::maxsize`] |
//! | `q.put(item)` | [`Queue::put`] |
//! | `q.put(item, timeout=t)`, raises `queue.Full` | [`Queue::put_timeout`] → `Err(Full(item))` |
//! | `q.put_nowait(item)` / `q.put(item, block=False)` | [`Queue::put_nowait`] → `Err(Full(item))` |
//! | `q.get()` | [`Queue::get`] |
//! | `q.get(timeout=t)`, raises `queue.Empty` | [`Queue::get_timeout`] → `Err(Empty)` |
//! | `q.get_nowait()` / `q.get(block=False)` | [`Queue::get_nowait`] → `Err(Empty)` |
//! | `q.qsize()`, `q.empty()`, `q.full()` | [`Queue::qsize`], [`Queue::empty`], [`Queue::full`] |
//! | `q.task_done()`, raises `ValueError` if called too often | [`Queue::task_done`] → `Err(TaskDoneError)` |
//! | `q.join()` | [`Queue::join`] |
//! | (none: `join` has no timeout in Python) | [`Queue::join_timeout`] → `false` on timeout |
//!
//! As in Python, `qsize`, `empty` and `full` are a snapshot: another thread may change the
//! queue before you act on the answer, so use them to report, not to decide whether a `get`
//! will block (use `get_nowait` or `get_timeout` for that).
//!
//! Unlike Python, a failed `put` hands the item back inside [`Full`], so nothing is lost, and
//! the queue is shared as `&Queue<T>` (inside `thread::scope`) or `Arc<Queue<T>>`: any number
//! of threads may put and get, where std's `Receiver` has a single consumer.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// Python: `queue.Queue`. A first-in, first-out queue that many threads may share.
///
/// ```
/// use lesson05::Queue;
/// use std::thread;
///
/// let q = Queue::new(2); // Python: Queue(maxsize=2)
/// thread::scope(|s| {
///     s.spawn(|| {
///         for i in 0..5 {
///             q.put(i); // waits while two items are queued
///         }
///     });
///     for want in 0..5 {
///         assert_eq!(q.get(), want);
///         assert!(q.qsize() <= 2);
///         q.task_done().unwrap();
///     }
/// });
/// q.join(); // every item put was marked done: returns at once
/// ```
#[derive(Debug)]
pub struct Queue<T> {
    /// Python's `maxsize`: 0 means no bound.
    maxsize: usize,
    state: Mutex<State<T>>,
    /// Signalled by `put`: an item is there to get.
    not_empty: Condvar,
    /// Signalled by `get`: there is room to put.
    not_full: Condvar,
    /// Signalled by `task_done` when the count of unfinished tasks reaches zero.
    all_tasks_done: Condvar,
}

#[derive(Debug)]
struct State<T> {
    items: VecDeque<T>,
    /// Python's `unfinished_tasks`: items put and not yet marked done.
    unfinished_tasks: usize,
}

/// Python: `queue.Full`. A `put` that timed out (or would have blocked) on a full queue;
/// it gives the item back.
#[derive(Debug, PartialEq, Eq)]
pub struct Full<T>(pub T);

/// Python: `queue.Empty`. A `get` that timed out (or would have blocked) on an empty queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Empty;

/// Python: the `ValueError('task_done() called too many times')` of `Queue.task_done`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskDoneError;

impl<T> fmt::Display for Full<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the queue is full")
    }
}

impl fmt::Display for Empty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the queue is empty")
    }
}

impl fmt::Display for TaskDoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("task_done() called too many times")
    }
}

impl<T: fmt::Debug> std::error::Error for Full<T> {}
impl std::error::Error for Empty {}
impl std::error::Error for TaskDoneError {}

impl<T> Default for Queue<T> {
    /// Python: `queue.Queue()`. An unbounded queue.
    fn default() -> Self {
        Queue::new(0)
    }
}

impl<T> Queue<T> {
    /// Python: `queue.Queue(maxsize)`. At most `maxsize` items wait in the queue; 0 means
    /// no bound, as in Python (a bounded queue of size 0 would be a rendezvous, which is
    /// `mpsc::sync_channel(0)`, not this).
    pub fn new(maxsize: usize) -> Self {
        Queue {
            maxsize,
            state: Mutex::new(State {
                items: VecDeque::new(),
                unfinished_tasks: 0,
            }),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            all_tasks_done: Condvar::new(),
        }
    }

    /// Python: `q.maxsize`. The bound given to [`Queue::new`]; 0 for unbounded.
    pub fn maxsize(&self) -> usize {
        self.maxsize
    }

    /// Python: `q.qsize()`. How many items wait right now (a snapshot).
    pub fn qsize(&self) -> usize {
        self.lock().items.len()
    }

    /// Python: `q.empty()`. Whether no item waits right now (a snapshot).
    pub fn empty(&self) -> bool {
        self.lock().items.is_empty()
    }

    /// Python: `q.full()`. Whether a `put` would block right now (a snapshot); never true
    /// for an unbounded queue.
    pub fn full(&self) -> bool {
        self.is_full(&self.lock())
    }

    /// Python: `q.put(item)`. Adds `item` at the back, first waiting as long as it takes
    /// for room if the queue is bounded and full.
    pub fn put(&self, item: T) {
        let state = self
            .not_full
            .wait_while(self.lock(), |state| self.is_full(state))
            .unwrap_or_else(PoisonError::into_inner);
        self.push(state, item);
    }

    /// Python: `q.put(item, timeout=t)`. Like [`Queue::put`], but waits at most `timeout`
    /// for room; then gives the item back as `Err(Full(item))` (Python raises `queue.Full`).
    pub fn put_timeout(&self, item: T, timeout: Duration) -> Result<(), Full<T>> {
        // `wait_timeout_while` re-checks the predicate after every wakeup (spurious ones
        // included) and keeps track of the time left across them.
        let (state, _) = self
            .not_full
            .wait_timeout_while(self.lock(), timeout, |state| self.is_full(state))
            .unwrap_or_else(PoisonError::into_inner);
        // Decide on the state, not on the timed-out flag: room may have come at the last moment.
        if self.is_full(&state) {
            return Err(Full(item));
        }
        self.push(state, item);
        Ok(())
    }

    /// Python: `q.put_nowait(item)`. Adds `item` if there is room now, else gives it back
    /// as `Err(Full(item))` without waiting.
    pub fn put_nowait(&self, item: T) -> Result<(), Full<T>> {
        let state = self.lock();
        if self.is_full(&state) {
            return Err(Full(item));
        }
        self.push(state, item);
        Ok(())
    }

    /// Python: `q.get()`. Removes and returns the item at the front, first waiting as long
    /// as it takes for one if the queue is empty.
    pub fn get(&self) -> T {
        let state = self
            .not_empty
            .wait_while(self.lock(), |state| state.items.is_empty())
            .unwrap_or_else(PoisonError::into_inner);
        self.pop(state)
            .expect("wait_while returned, so an item is there")
    }

    /// Python: `q.get(timeout=t)`. Like [`Queue::get`], but waits at most `timeout` for an
    /// item; then returns `Err(Empty)` (Python raises `queue.Empty`).
    pub fn get_timeout(&self, timeout: Duration) -> Result<T, Empty> {
        let (state, _) = self
            .not_empty
            .wait_timeout_while(self.lock(), timeout, |state| state.items.is_empty())
            .unwrap_or_else(PoisonError::into_inner);
        self.pop(state).ok_or(Empty)
    }

    /// Python: `q.get_nowait()`. Removes and returns the front item if there is one now,
    /// else `Err(Empty)` without waiting.
    pub fn get_nowait(&self) -> Result<T, Empty> {
        self.pop(self.lock()).ok_or(Empty)
    }

    /// Python: `q.task_done()`. Says that one item got earlier has been fully processed.
    /// When every item ever put has been marked done, every thread in [`Queue::join`]
    /// wakes. Calling it more times than items were put is an error, as in Python
    /// (`ValueError`); the count is left unchanged then.
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        let mut state = self.lock();
        if state.unfinished_tasks == 0 {
            return Err(TaskDoneError);
        }
        state.unfinished_tasks -= 1;
        if state.unfinished_tasks == 0 {
            self.all_tasks_done.notify_all();
        }
        Ok(())
    }

    /// Python: `q.join()`. Waits until every item ever put has been marked done with
    /// [`Queue::task_done`]; returns at once if there is nothing unfinished.
    pub fn join(&self) {
        let _state = self
            .all_tasks_done
            .wait_while(self.lock(), |state| state.unfinished_tasks > 0)
            .unwrap_or_else(PoisonError::into_inner);
    }

    /// Like [`Queue::join`], but waits at most `timeout`; returns whether every task was
    /// done. Python's `join` has no timeout; a program that must not hang needs one.
    pub fn join_timeout(&self, timeout: Duration) -> bool {
        let (state, _) = self
            .all_tasks_done
            .wait_timeout_while(self.lock(), timeout, |state| state.unfinished_tasks > 0)
            .unwrap_or_else(PoisonError::into_inner);
        state.unfinished_tasks == 0
    }

    /// The state, even if a thread panicked while holding the lock: no user code runs under
    /// this lock, so the state is always consistent and the poison flag can be ignored.
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn is_full(&self, state: &State<T>) -> bool {
        self.maxsize > 0 && state.items.len() >= self.maxsize
    }

    /// Adds an item under the lock, counts it as an unfinished task, wakes one getter.
    fn push(&self, mut state: MutexGuard<'_, State<T>>, item: T) {
        state.items.push_back(item);
        state.unfinished_tasks += 1;
        drop(state);
        self.not_empty.notify_one();
    }

    /// Removes the front item under the lock, if any, and wakes one putter.
    fn pop(&self, mut state: MutexGuard<'_, State<T>>) -> Option<T> {
        let item = state.items.pop_front();
        drop(state);
        if item.is_some() {
            self.not_full.notify_one();
        }
        item
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::thread;
    use std::time::Instant;

    const PRODUCERS: usize = 4;
    const CONSUMERS: usize = 4;
    const PER_PRODUCER: usize = 5_000;

    /// Many producers and consumers on a small bounded queue: the size never passes the
    /// bound, and every item put is got exactly once.
    #[test]
    fn bound_holds_and_every_item_is_got_once() {
        for maxsize in [1, 3, 10] {
            let queue = Queue::new(maxsize);
            let seen_over_bound = AtomicBool::new(false);
            let got: Vec<Vec<usize>> = thread::scope(|s| {
                for p in 0..PRODUCERS {
                    let queue = &queue;
                    let seen_over_bound = &seen_over_bound;
                    s.spawn(move || {
                        for i in 0..PER_PRODUCER {
                            queue.put(p * PER_PRODUCER + i);
                            if queue.qsize() > maxsize {
                                seen_over_bound.store(true, Ordering::Relaxed);
                            }
                        }
                    });
                }
                let consumers: Vec<_> = (0..CONSUMERS)
                    .map(|_| {
                        let queue = &queue;
                        let seen_over_bound = &seen_over_bound;
                        s.spawn(move || {
                            let mut got = Vec::new();
                            // Each consumer takes its share; a timeout turns a lost item into
                            // a failure instead of a hang.
                            for _ in 0..PRODUCERS * PER_PRODUCER / CONSUMERS {
                                let item = queue
                                    .get_timeout(Duration::from_secs(10))
                                    .expect("an item was lost: get timed out");
                                if queue.qsize() > maxsize {
                                    seen_over_bound.store(true, Ordering::Relaxed);
                                }
                                got.push(item);
                            }
                            got
                        })
                    })
                    .collect();
                consumers.into_iter().map(|c| c.join().unwrap()).collect()
            });
            assert!(
                !seen_over_bound.load(Ordering::Relaxed),
                "maxsize {maxsize}: the queue held more than its bound"
            );
            let all: Vec<usize> = got.iter().flatten().copied().collect();
            let distinct: HashSet<usize> = all.iter().copied().collect();
            assert_eq!(all.len(), PRODUCERS * PER_PRODUCER, "maxsize {maxsize}");
            assert_eq!(
                distinct.len(),
                all.len(),
                "maxsize {maxsize}: an item got twice"
            );
            assert!(queue.empty());
            // FIFO: what one consumer got from one producer comes in the producer's order.
            for consumer in &got {
                for p in 0..PRODUCERS {
                    let from_p: Vec<_> = consumer
                        .iter()
                        .filter(|&&x| x / PER_PRODUCER == p)
                        .collect();
                    assert!(from_p.windows(2).all(|w| w[0] < w[1]), "not FIFO");
                }
            }
        }
    }

    /// A bounded queue refuses a put past its bound; this is the test a queue that ignores
    /// its bound fails even without contention.
    #[test]
    fn full_queue_refuses_put() {
        let queue = Queue::new(2);
        assert!(!queue.full());
        queue.put(1);
        queue.put(2);
        assert!(queue.full());
        assert_eq!(queue.qsize(), 2);
        assert_eq!(queue.put_nowait(3), Err(Full(3)));
        assert_eq!(
            queue.put_timeout(4, Duration::from_millis(20)),
            Err(Full(4))
        );
        assert_eq!(queue.qsize(), 2);
        assert_eq!(queue.get(), 1);
        assert!(!queue.full());
        assert_eq!(queue.put_nowait(3), Ok(()));
        assert_eq!(queue.get(), 2);
        assert_eq!(queue.get(), 3);
        assert!(queue.empty());
    }

    /// Python's `Queue(maxsize=0)` is unbounded: many items, no blocking, never full.
    #[test]
    fn maxsize_zero_is_unbounded() {
        let queue = Queue::new(0);
        for i in 0..10_000 {
            queue
                .put_nowait(i)
                .expect("an unbounded queue is never full");
        }
        assert!(!queue.full());
        assert_eq!(queue.qsize(), 10_000);
        assert_eq!(Queue::<u8>::default().maxsize(), 0);
    }

    /// A put on a full queue blocks until a get makes room, then goes through.
    #[test]
    fn put_blocks_until_there_is_room() {
        let queue = Queue::new(1);
        queue.put("first");
        let put_done = AtomicBool::new(false);
        thread::scope(|s| {
            s.spawn(|| {
                queue.put("second");
                put_done.store(true, Ordering::SeqCst);
            });
            thread::sleep(Duration::from_millis(100));
            assert!(
                !put_done.load(Ordering::SeqCst),
                "put did not wait for room"
            );
            assert_eq!(queue.get(), "first");
        });
        assert!(put_done.load(Ordering::SeqCst));
        assert_eq!(queue.get(), "second");
    }

    /// Timed put and get return within their bound (plus honest slack) and report the
    /// timeout, also while other threads hammer the queue.
    #[test]
    fn timed_put_and_get_report_the_timeout_in_time() {
        let timeout = Duration::from_millis(100);
        let empty: Queue<u32> = Queue::new(1);
        let start = Instant::now();
        assert_eq!(empty.get_timeout(timeout), Err(Empty));
        let waited = start.elapsed();
        assert!(waited >= timeout, "get_timeout returned early: {waited:?}");
        assert!(
            waited < timeout + Duration::from_secs(1),
            "get_timeout overran: {waited:?}"
        );
        assert_eq!(empty.get_nowait(), Err(Empty));

        let full = Queue::new(1);
        full.put(0u32);
        let start = Instant::now();
        assert_eq!(full.put_timeout(7, timeout), Err(Full(7)));
        let waited = start.elapsed();
        assert!(waited >= timeout, "put_timeout returned early: {waited:?}");
        assert!(
            waited < timeout + Duration::from_secs(1),
            "put_timeout overran: {waited:?}"
        );

        // Under contention: eight threads each time out on the full queue and on an empty one
        // while other threads keep the locks busy.
        let stop = AtomicBool::new(false);
        let busy: Queue<u32> = Queue::new(0);
        thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    while !stop.load(Ordering::Relaxed) {
                        busy.put(1);
                        let _ = busy.get_nowait();
                        let _ = full.qsize();
                        let _ = empty.qsize();
                    }
                });
            }
            let waiters: Vec<_> = (0..8)
                .map(|i| {
                    let (full, empty) = (&full, &empty);
                    s.spawn(move || {
                        let start = Instant::now();
                        if i % 2 == 0 {
                            assert_eq!(full.put_timeout(i, timeout), Err(Full(i)));
                        } else {
                            assert_eq!(empty.get_timeout(timeout), Err(Empty));
                        }
                        start.elapsed()
                    })
                })
                .collect();
            for waiter in waiters {
                let waited = waiter.join().unwrap();
                assert!(waited >= timeout, "returned early: {waited:?}");
                assert!(
                    waited < timeout + Duration::from_secs(2),
                    "overran: {waited:?}"
                );
            }
            stop.store(true, Ordering::Relaxed);
        });
    }

    /// A timed get that is waiting receives an item put before its timeout.
    #[test]
    fn timed_get_receives_an_item_that_comes_in_time() {
        let queue = Queue::new(0);
        thread::scope(|s| {
            s.spawn(|| {
                thread::sleep(Duration::from_millis(50));
                queue.put(42);
            });
            assert_eq!(queue.get_timeout(Duration::from_secs(10)), Ok(42));
        });
    }

    /// `join` returns only after every `task_done`, over many rounds with several workers.
    #[test]
    fn join_waits_for_every_task_done() {
        const WORKERS: usize = 4;
        const ITEMS: usize = 200;
        for _round in 0..20 {
            let queue: Queue<Option<usize>> = Queue::new(5);
            let done = AtomicUsize::new(0);
            thread::scope(|s| {
                for _ in 0..WORKERS {
                    s.spawn(|| {
                        while let Some(_item) = queue.get() {
                            // Count the item as processed *before* saying so.
                            done.fetch_add(1, Ordering::SeqCst);
                            queue.task_done().unwrap();
                        }
                        queue.task_done().unwrap();
                    });
                }
                for i in 0..ITEMS {
                    queue.put(Some(i));
                }
                assert!(
                    queue.join_timeout(Duration::from_secs(10)),
                    "join timed out"
                );
                queue.join();
                assert_eq!(
                    done.load(Ordering::SeqCst),
                    ITEMS,
                    "join returned before every item was processed"
                );
                for _ in 0..WORKERS {
                    queue.put(None);
                }
            });
            // The None items were marked done as well: nothing unfinished is left.
            assert!(queue.join_timeout(Duration::ZERO));
        }
    }

    /// `join` on a queue with unfinished tasks blocks; its timed form says so.
    #[test]
    fn join_timeout_reports_unfinished_tasks() {
        let queue = Queue::new(0);
        assert!(
            queue.join_timeout(Duration::ZERO),
            "nothing put: nothing to wait for"
        );
        queue.put(1);
        assert_eq!(queue.get(), 1);
        // Got but not marked done: still unfinished.
        let start = Instant::now();
        assert!(!queue.join_timeout(Duration::from_millis(50)));
        assert!(start.elapsed() >= Duration::from_millis(50));
        queue.task_done().unwrap();
        assert!(queue.join_timeout(Duration::ZERO));
    }

    /// Python raises `ValueError` when `task_done` is called more times than items were put.
    #[test]
    fn task_done_too_often_is_an_error() {
        let queue = Queue::new(0);
        assert_eq!(queue.task_done(), Err(TaskDoneError));
        queue.put('a');
        queue.put('b');
        let _ = queue.get();
        let _ = queue.get();
        assert_eq!(queue.task_done(), Ok(()));
        assert_eq!(queue.task_done(), Ok(()));
        assert_eq!(queue.task_done(), Err(TaskDoneError));
        assert_eq!(
            TaskDoneError.to_string(),
            "task_done() called too many times"
        );
        // The error left the count alone: join still returns at once.
        assert!(queue.join_timeout(Duration::ZERO));
    }
}
