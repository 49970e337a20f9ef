//! Needs: nothing beyond std
//!
//! [`Queue`]: a thread-safe FIFO queue with a bound, a size, and task accounting.
//!
//! Map. Threads: none of its own. State, under one mutex: the items, the count of unfinished
//! tasks, and how many getters, putters and joiners wait. Who wakes whom: a put wakes one
//! getter, a get one putter, the last `task_done` every joiner, each only if one is counted.
//!
//! Copying it: the `#[cfg(all(test, shuttle))]` lines switch to the shuttle model checker's
//! primitives for `cargo xtask models` only. In a project of your own cargo warns of an
//! unexpected `cfg` condition name `shuttle`: delete those lines, or declare the name in your
//! Cargo.toml: `[lints.rust] unexpected_cfgs = { level = "warn", check-cfg = ["cfg(shuttle)"] }`.
//!
//! std's channels (`mpsc::channel`, `mpsc::sync_channel`) pass items between threads, and
//! most programs need nothing more. What they lack is the rest of Python's `queue.Queue`:
//! asking how many items wait (`qsize`, `empty`, `full`), and counting finished tasks so a
//! thread can wait until every item has been processed (`task_done`, `join`). This file is
//! `queue.Queue` with those, std-only (one `Mutex` and three `Condvar`s, as in CPython's own
//! `queue.py`); copy it into a project as it is: it needs no other file.
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
//!
//! # Differences from Python, and why
//!
//! - **`maxsize` is fixed** when the queue is made. Python's is a plain attribute that a
//!   program may reassign (CPython's `test_shrinking_queue` shrinks a full queue); here
//!   changing it would need a lock of its own for a use no example has. It is a `usize`, so
//!   Python's "0 or negative means unbounded" is just 0.
//! - **A timeout is a [`Duration`]**, so it cannot be negative (Python raises `ValueError` for
//!   `timeout=-1`). `Duration::ZERO` behaves as Python's `timeout=0`: the same answer as the
//!   `_nowait` form. A timeout too long for a deadline (`Duration::MAX`) means no deadline,
//!   where CPython raises `OverflowError` once such a call has to wait.
//! - **No `shutdown()`.** Python 3.13 added `q.shutdown(immediate=False)` and
//!   `queue.ShutDown`: puts raise `ShutDown` from then on, gets once the queue is empty, and
//!   every blocked `put` and `get` wakes to check; `immediate=True` makes gets raise at once
//!   and drops the items still waiting, marking a task done for each (which may release
//!   `join`). Here, tell consumers to stop with one sentinel each (a `Queue<Option<T>>` and
//!   `None`), as the lesson's examples do, or use `mpsc`, whose `recv` fails once every
//!   `Sender` is dropped.
//! - **No `SimpleQueue`, `LifoQueue` or `PriorityQueue`**, and no `_put`/`_get` hooks to
//!   override: swap the `VecDeque` for a `Vec` (LIFO) or a `BinaryHeap` (priority) in a copy.
//! - **A panic cannot damage the queue.** No code of yours runs while the queue's lock is held
//!   (items only move in and out; `Debug` shows counts, not items), so the state is always
//!   consistent: the queue ignores lock poisoning and keeps working after a thread that used
//!   it panicked, as a Python queue keeps working after an exception.
//! - [`Full`] and [`Empty`] print a message (`str(queue.Full())` is empty in Python), and
//!   `{:?}` of a queue shows `maxsize`, `qsize` and `unfinished_tasks` (Python's `repr` shows
//!   only the object's address).

#[cfg(all(test, shuttle))]
use shuttle::sync::{Condvar, Mutex, MutexGuard};
use std::collections::VecDeque;
use std::fmt;
use std::sync::PoisonError;
#[cfg(not(all(test, shuttle)))]
use std::sync::{Condvar, Mutex, MutexGuard};
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

struct State<T> {
    items: VecDeque<T>,
    /// Python's `unfinished_tasks`: items put and not yet marked done.
    unfinished_tasks: usize,
    /// Threads asleep (or about to be) on `not_empty`, `not_full` and `all_tasks_done`: each
    /// counts itself under the lock before its wait releases it, so a `put`, `get` or
    /// `task_done` that finds a count at 0 knows no one sleeps there and skips the notify
    /// (a futex system call on Linux, even with no one to wake).
    getters: usize,
    putters: usize,
    joiners: usize,
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

impl<T> fmt::Debug for Queue<T> {
    /// `Queue { maxsize: 2, qsize: 1, unfinished_tasks: 1, .. }`: the counts, read together
    /// under the lock; not the items, so that no code of `T` runs under the queue's lock.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (qsize, unfinished_tasks) = {
            let state = self.lock();
            (state.items.len(), state.unfinished_tasks)
        };
        f.debug_struct("Queue")
            .field("maxsize", &self.maxsize)
            .field("qsize", &qsize)
            .field("unfinished_tasks", &unfinished_tasks)
            .finish_non_exhaustive()
    }
}

impl<T> Queue<T> {
    /// Python: `queue.Queue(maxsize)`. At most `maxsize` items wait in the queue; 0 means
    /// no bound, as in Python (a bounded queue of size 0 would be a rendezvous, which is
    /// `mpsc::sync_channel(0)`, not this). Unlike Python's, the bound cannot be changed later.
    pub fn new(maxsize: usize) -> Self {
        Queue {
            maxsize,
            state: Mutex::new(State {
                items: VecDeque::new(),
                unfinished_tasks: 0,
                getters: 0,
                putters: 0,
                joiners: 0,
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

    /// Python: `q.qsize()`. How many items wait right now (a snapshot: Python's docstring
    /// calls it "approximate", "not reliable!").
    pub fn qsize(&self) -> usize {
        self.lock().items.len()
    }

    /// Python: `q.empty()`. Whether no item waits right now (a snapshot).
    pub fn empty(&self) -> bool {
        self.lock().items.is_empty()
    }

    /// Python: `q.full()`. Whether `maxsize` items wait right now, so that a `put` would
    /// block (a snapshot); never true for an unbounded queue.
    pub fn full(&self) -> bool {
        self.is_full(&self.lock())
    }

    /// Python: `q.put(item)`. Adds `item` at the back, first waiting as long as it takes
    /// for room if the queue is bounded and full. Counts one more unfinished task.
    pub fn put(&self, item: T) {
        let mut state = self.lock();
        if self.is_full(&state) {
            state.putters += 1;
            state = self
                .not_full
                .wait_while(state, |state| self.is_full(state))
                .unwrap_or_else(PoisonError::into_inner);
            state.putters -= 1;
        }
        self.push(state, item);
    }

    /// Python: `q.put(item, timeout=t)`. Like [`Queue::put`], but waits at most `timeout`
    /// for room; then gives the item back as `Err(Full(item))` (Python raises `queue.Full`).
    /// An unbounded queue never waits. `Duration::ZERO` is [`Queue::put_nowait`], and a
    /// timeout too long for a deadline (`Duration::MAX`) waits as long as [`Queue::put`].
    pub fn put_timeout(&self, item: T, timeout: Duration) -> Result<(), Full<T>> {
        // `wait_timeout_while` re-checks the predicate after every wakeup (spurious ones
        // included), keeps track of the time left across them, and waits without a deadline
        // when `now + timeout` cannot be represented.
        let mut state = self.lock();
        if self.is_full(&state) {
            state.putters += 1;
            state = self
                .not_full
                .wait_timeout_while(state, timeout, |state| self.is_full(state))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            state.putters -= 1;
        }
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
        let mut state = self.lock();
        if state.items.is_empty() {
            state.getters += 1;
            state = self
                .not_empty
                .wait_while(state, |state| state.items.is_empty())
                .unwrap_or_else(PoisonError::into_inner);
            state.getters -= 1;
        }
        self.pop(state)
            .expect("wait_while returned, so an item is there")
    }

    /// Python: `q.get(timeout=t)`. Like [`Queue::get`], but waits at most `timeout` for an
    /// item; then returns `Err(Empty)` (Python raises `queue.Empty`). `Duration::ZERO` is
    /// [`Queue::get_nowait`], and a timeout too long for a deadline (`Duration::MAX`) waits
    /// as long as [`Queue::get`].
    pub fn get_timeout(&self, timeout: Duration) -> Result<T, Empty> {
        let mut state = self.lock();
        if state.items.is_empty() {
            state.getters += 1;
            state = self
                .not_empty
                .wait_timeout_while(state, timeout, |state| state.items.is_empty())
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            state.getters -= 1;
        }
        self.pop(state).ok_or(Empty)
    }

    /// Python: `q.get_nowait()`. Removes and returns the front item if there is one now,
    /// else `Err(Empty)` without waiting.
    pub fn get_nowait(&self) -> Result<T, Empty> {
        self.pop(self.lock()).ok_or(Empty)
    }

    /// Python: `q.task_done()`. Says that one task is complete: the usual use is one call
    /// for each item got, once it has been fully processed. When the count of unfinished
    /// tasks (items put, minus calls to `task_done`) drops to zero, every thread in
    /// [`Queue::join`] wakes. As in Python the count is of items *put*, not got: a
    /// `task_done` for an item still waiting is accepted, and lets `join` return before that
    /// item is processed. Calling it more times than items were put is an error, as in
    /// Python (`ValueError`); the count is left unchanged then.
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        let mut state = self.lock();
        if state.unfinished_tasks == 0 {
            return Err(TaskDoneError);
        }
        state.unfinished_tasks -= 1;
        if state.unfinished_tasks == 0 && state.joiners != 0 {
            self.all_tasks_done.notify_all();
        }
        Ok(())
    }

    /// Python: `q.join()`. Waits until every item ever put has been marked done with
    /// [`Queue::task_done`]; returns at once if there is nothing unfinished. It may be
    /// called any number of times, by any number of threads.
    pub fn join(&self) {
        let mut state = self.lock();
        if state.unfinished_tasks != 0 {
            state.joiners += 1;
            state = self
                .all_tasks_done
                .wait_while(state, |state| state.unfinished_tasks > 0)
                .unwrap_or_else(PoisonError::into_inner);
            state.joiners -= 1;
        }
    }

    /// Like [`Queue::join`], but waits at most `timeout`; returns whether every task was
    /// done. Python's `join` has no timeout; a program that must not hang needs one. A
    /// timeout too long for a deadline (`Duration::MAX`) waits as long as [`Queue::join`].
    pub fn join_timeout(&self, timeout: Duration) -> bool {
        let mut state = self.lock();
        if state.unfinished_tasks != 0 {
            state.joiners += 1;
            state = self
                .all_tasks_done
                .wait_timeout_while(state, timeout, |state| state.unfinished_tasks > 0)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            state.joiners -= 1;
        }
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

    /// Adds an item under the lock, counts it as an unfinished task, wakes one getter if
    /// one waits.
    fn push(&self, mut state: MutexGuard<'_, State<T>>, item: T) {
        state.items.push_back(item);
        state.unfinished_tasks += 1;
        let wake = state.getters != 0;
        drop(state);
        if wake {
            self.not_empty.notify_one();
        }
    }

    /// Removes the front item under the lock, if any, and wakes one putter if one waits.
    fn pop(&self, mut state: MutexGuard<'_, State<T>>) -> Option<T> {
        let item = state.items.pop_front();
        // Putters wait only on a full queue, never an empty one: if one waits, `item` is there.
        let wake = state.putters != 0;
        drop(state);
        if wake {
            self.not_full.notify_one();
        }
        item
    }
}

// The tests of the public API (CPython's ported, stress, timing) are in `tests/queue.rs`.
// This one needs the queue's lock itself. (Two `cfg`s: cargo-mutants skips a module marked
// with a plain `#[cfg(test)]`.)
#[cfg(test)]
#[cfg(not(shuttle))]
mod tests {
    use super::*;

    /// CPython's `test_failing_queue`, its intent: a failure in the middle of an operation
    /// leaves the queue working. No code of the caller runs under this queue's lock, so the
    /// only failure to inject is a panic while the lock is held, which poisons it. Twice, as
    /// in CPython.
    #[test]
    fn test_failing_queue() {
        bounded(|| {
            let q = Queue::new(2);
            for round in 0..2 {
                std::thread::scope(|s| {
                    let poisoner = s.spawn(|| {
                        let _held = q.state.lock();
                        panic!("a panic while the queue's lock is held");
                    });
                    assert!(poisoner.join().is_err());
                });
                assert!(q.state.is_poisoned(), "round {round}: the lock is poisoned");
                q.put(1);
                assert_eq!(q.put_nowait(2), Ok(()));
                assert!(q.full() && !q.empty() && q.qsize() == 2);
                assert_eq!(q.put_timeout(3, Duration::from_millis(10)), Err(Full(3)));
                assert_eq!(q.get(), 1);
                assert_eq!(q.get_timeout(Duration::from_millis(10)), Ok(2));
                assert_eq!(q.get_nowait(), Err(Empty));
                q.task_done().unwrap();
                assert!(!q.join_timeout(Duration::from_millis(10)));
                q.task_done().unwrap();
                assert!(q.join_timeout(Duration::from_secs(5)));
                assert_eq!(q.task_done(), Err(TaskDoneError));
            }
        });
    }

    /// Runs `body` on a thread of its own and fails if it has not finished within 10 s: a
    /// lost wakeup then fails the test instead of hanging it.
    fn bounded(body: impl FnOnce() + Send + 'static) {
        let (done, finished) = std::sync::mpsc::channel();
        let runner = std::thread::spawn(move || {
            body();
            let _ = done.send(());
        });
        if finished.recv_timeout(Duration::from_secs(10)).is_err() && !runner.is_finished() {
            panic!("the test did not finish within 10 s: a lost wakeup?");
        }
        if let Err(panic) = runner.join() {
            std::panic::resume_unwind(panic);
        }
    }

    /// Spins until `done` holds, for at most 5 s.
    fn until(mut done: impl FnMut() -> bool) {
        let begun = std::time::Instant::now();
        while !done() {
            assert!(begun.elapsed() < Duration::from_secs(5), "waited 5 s");
            std::thread::yield_now();
        }
    }

    /// Getters, putters and joiners are counted while they wait, and no longer once they
    /// stop, woken or timed out: the counts decide whether a put, get or task_done notifies.
    #[test]
    fn waiters_are_counted_only_while_they_wait() {
        bounded(|| {
            let q = Queue::new(1);
            let counts = |q: &Queue<i32>| {
                let state = q.lock();
                (state.getters, state.putters, state.joiners)
            };
            std::thread::scope(|s| {
                assert_eq!(q.get_timeout(Duration::from_millis(20)), Err(Empty));
                q.put(1);
                assert_eq!(q.put_timeout(2, Duration::from_millis(20)), Err(Full(2)));
                assert!(!q.join_timeout(Duration::from_millis(20)));
                assert_eq!(counts(&q), (0, 0, 0), "a timed-out wait is still counted");
                let putter = s.spawn(|| q.put(2));
                let timed_putter = s.spawn(|| q.put_timeout(3, Duration::from_secs(5)));
                let joiner = s.spawn(|| q.join());
                let timed_joiner = s.spawn(|| q.join_timeout(Duration::from_secs(5)));
                until(|| counts(&q) == (0, 2, 2));
                for _ in 0..3 {
                    q.get();
                    q.task_done().unwrap();
                }
                putter.join().unwrap();
                assert_eq!(timed_putter.join().unwrap(), Ok(()));
                joiner.join().unwrap();
                assert!(timed_joiner.join().unwrap());
                let getter = s.spawn(|| q.get());
                let timed_getter = s.spawn(|| q.get_timeout(Duration::from_secs(5)));
                until(|| counts(&q) == (2, 0, 0));
                q.put(4);
                q.put(5);
                let mut got = [
                    getter.join().unwrap(),
                    timed_getter.join().unwrap().unwrap(),
                ];
                got.sort_unstable();
                assert_eq!(got, [4, 5]);
            });
            assert_eq!(counts(&q), (0, 0, 0), "a woken wait is still counted");
        });
    }
}

// The shuttle models (`cargo xtask models`) live in `queue_models.rs`: a module whose `cfg`
// is off is never read, so a copy of this file builds without that file.
#[cfg(all(test, shuttle))]
#[path = "queue_models.rs"]
mod models;
