//! The tests of `lesson05/src/queue.rs` that use its public API only (moved here so that the
//! file a reader copies is the implementation).
//!
//! What the tests below port from CPython's `Lib/test/test_queue.py` (3.11, plus the
//! shutdown tests of 3.13), named after the original:
//!
//! - `QueueTest` (`BaseQueueTestMixin` on `queue.Queue`): `test_basic`, `test_queue_task_done`,
//!   `test_queue_join`, `test_nowait`; `FailingQueueTest.test_failing_queue` (its intent: a
//!   failure inside the queue's critical section leaves the queue undamaged).
//! - `BaseSimpleQueueTest`, run on an unbounded `Queue` (which has all of `SimpleQueue`'s put
//!   and get): `test_basic` (as `test_basic_simple_queue`), `test_order`, `test_many_threads`,
//!   `test_many_threads_nonblock`, `test_many_threads_timeout`, `test_references`.
//!
//! Not ported, because they cannot apply:
//! - `test_negative_timeout_raises_exception` (both classes): a `Duration` cannot be negative.
//! - `test_shrinking_queue`: `maxsize` cannot be changed after `Queue::new` (see the module
//!   documentation).
//! - `LifoQueueTest`, `PriorityQueueTest` (their orders in `test_basic`): there is no LIFO or
//!   priority queue here; the `Queue` runs of the same tests are ported.
//! - `CSimpleQueueTest.test_is_default`: about which module CPython picked.
//! - `CSimpleQueueTest.test_reentrancy` (bpo-14976: a `__del__` run by the garbage collector
//!   in the middle of `put` calls `put` again): Rust runs a `Drop` only where a value is
//!   dropped, and this file never drops a `T` (nor runs any code of `T`) while it holds the
//!   lock, so nothing can re-enter the queue in the middle of an operation.
//! - The `test_shutdown_*` tests of Python 3.13: there is no `shutdown()` (see the module
//!   documentation).
//!
//! Every test body runs under `watchdog`, so a deadlock (a lost wakeup, a broken counter)
//! fails that test within seconds, with a message, instead of hanging the test binary.

use course::watchdog::watchdog;
use lesson05::queue::*;
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;
use std::time::Instant;

/// CPython's `do_blocking_test`: runs `block` while another thread waits 100 ms, notes
/// that it has started, and runs `trigger`, which must be what lets `block` return.
/// Fails if `block` returned before the trigger started: it did not block.
fn do_blocking_test<R>(block: impl FnOnce() -> R, trigger: impl FnOnce() + Send) -> R {
    let started = AtomicBool::new(false);
    thread::scope(|s| {
        s.spawn(|| {
            thread::sleep(Duration::from_millis(100));
            started.store(true, Ordering::SeqCst);
            trigger();
        });
        let result = block();
        assert!(
            started.load(Ordering::SeqCst),
            "the blocking call appeared not to block"
        );
        result
    })
}

/// Runs `f` on a thread and reports whether it is still blocked after `wait`; the thread
/// is handed back so the caller can release and join it.
fn still_blocked_after<'scope>(
    s: &'scope thread::Scope<'scope, '_>,
    wait: Duration,
    f: impl FnOnce() + Send + 'scope,
) -> (bool, thread::ScopedJoinHandle<'scope, ()>) {
    let handle = s.spawn(f);
    thread::sleep(wait);
    (!handle.is_finished(), handle)
}

const QUEUE_SIZE: usize = 5;

/// CPython's `qfull`: the size reached the bound.
fn qfull<T>(q: &Queue<T>) -> bool {
    q.maxsize() > 0 && q.qsize() == q.maxsize()
}

/// CPython's `basic_queue_test`, for a `Queue`.
fn basic_queue_test(q: &Queue<i32>) {
    assert_eq!(q.qsize(), 0, "call this with an empty queue");
    assert!(q.empty());
    assert!(!q.full());
    q.put(111);
    q.put(333);
    q.put(222);
    let actual_order = [q.get(), q.get(), q.get()];
    assert_eq!(
        actual_order,
        [111, 333, 222],
        "didn't seem to queue the correct data"
    );
    for i in 0..QUEUE_SIZE - 1 {
        q.put(i as i32);
        assert!(q.qsize() > 0, "queue should not be empty");
    }
    assert!(!qfull(q), "queue should not be full");
    let last = 2 * QUEUE_SIZE as i32;
    let full = 3 * 2 * QUEUE_SIZE as i32;
    q.put(last);
    assert!(qfull(q), "queue should be full");
    assert!(!q.empty());
    assert!(q.full());
    assert_eq!(
        q.put_nowait(full),
        Err(Full(full)),
        "a full queue took a put"
    );
    assert_eq!(
        q.put_timeout(full, Duration::from_millis(10)),
        Err(Full(full)),
        "a full queue did not time out"
    );
    // A blocking put, untimed then timed: it waits until a get makes room.
    do_blocking_test(
        || q.put(full),
        || {
            q.get();
        },
    );
    let put = do_blocking_test(
        || q.put_timeout(full, Duration::from_secs(10)),
        || {
            q.get();
        },
    );
    assert_eq!(put, Ok(()));
    // Empty it.
    for _ in 0..QUEUE_SIZE {
        q.get();
    }
    assert_eq!(q.qsize(), 0, "queue should be empty");
    assert_eq!(q.get_nowait(), Err(Empty), "an empty queue gave an item");
    assert_eq!(
        q.get_timeout(Duration::from_millis(10)),
        Err(Empty),
        "an empty queue did not time out"
    );
    // A blocking get, untimed then timed: it waits until a put brings an item.
    assert_eq!(do_blocking_test(|| q.get(), || q.put(-1)), -1);
    assert_eq!(
        do_blocking_test(|| q.get_timeout(Duration::from_secs(10)), || q.put(-2)),
        Ok(-2)
    );
}

/// CPython's `test_basic`: twice on the same queue, to show it is reusable.
#[test]
fn test_basic() {
    watchdog(|| {
        let q = Queue::new(QUEUE_SIZE);
        basic_queue_test(&q);
        basic_queue_test(&q);
    });
}

/// CPython's `test_queue_task_done`: `task_done` with nothing put is an error.
#[test]
fn test_queue_task_done() {
    watchdog(|| {
        let q: Queue<i32> = Queue::default();
        assert_eq!(q.task_done(), Err(TaskDoneError));
    });
}

/// CPython's `queue_join_test`: two workers sum 0..100; `join` returns only once every
/// item was added, then again after the workers' stop items.
fn queue_join_test(q: &Queue<i32>) {
    let cum = Mutex::new(0);
    thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    loop {
                        let x = q.get();
                        if x < 0 {
                            q.task_done().unwrap();
                            return;
                        }
                        *cum.lock().unwrap() += x;
                        q.task_done().unwrap();
                    }
                })
            })
            .collect();
        for i in 0..100 {
            q.put(i);
        }
        q.join();
        assert_eq!(
            *cum.lock().unwrap(),
            (0..100).sum::<i32>(),
            "join did not block until all tasks were done"
        );
        for _ in 0..2 {
            q.put(-1); // tell the workers to stop
        }
        q.join(); // joining twice works
        for worker in workers {
            worker.join().unwrap();
        }
    });
}

/// CPython's `test_queue_join`: twice on the same queue, then one `task_done` too many.
#[test]
fn test_queue_join() {
    watchdog(|| {
        let q = Queue::new(0);
        queue_join_test(&q);
        queue_join_test(&q);
        assert_eq!(q.task_done(), Err(TaskDoneError));
    });
}

/// CPython's `test_nowait`.
#[test]
fn test_nowait() {
    watchdog(|| {
        let q = Queue::new(QUEUE_SIZE);
        for _ in 0..QUEUE_SIZE {
            q.put_nowait(1).unwrap();
        }
        assert_eq!(q.put_nowait(1), Err(Full(1)));
        for _ in 0..QUEUE_SIZE {
            q.get_nowait().unwrap();
        }
        assert_eq!(q.get_nowait(), Err(Empty));
    });
}

// CPython's `test_failing_queue` needs the queue's lock (to poison it): it is the one test
// left in `src/queue.rs`.

#[test]
fn test_basic_simple_queue() {
    watchdog(|| {
        let q = Queue::new(0);
        assert!(q.empty());
        assert_eq!(q.qsize(), 0);
        q.put(1);
        assert!(!q.empty());
        assert_eq!(q.qsize(), 1);
        q.put(2);
        q.put_nowait(3).unwrap();
        q.put(4);
        assert!(!q.empty());
        assert_eq!(q.qsize(), 4);

        assert_eq!(q.get(), 1);
        assert_eq!(q.qsize(), 3);
        assert_eq!(q.get_nowait(), Ok(2));
        assert_eq!(q.qsize(), 2);
        assert_eq!(q.get_timeout(Duration::ZERO), Ok(3));
        assert!(!q.empty());
        assert_eq!(q.qsize(), 1);
        assert_eq!(q.get_timeout(Duration::from_millis(100)), Ok(4));
        assert!(q.empty());
        assert_eq!(q.qsize(), 0);

        assert_eq!(q.get_timeout(Duration::ZERO), Err(Empty));
        assert_eq!(q.get_timeout(Duration::from_millis(1)), Err(Empty));
        assert_eq!(q.get_nowait(), Err(Empty));
        assert!(q.empty());
        assert_eq!(q.qsize(), 0);
    });
}

/// How a consumer of `run_threads` gets an item: CPython's `consume`,
/// `consume_nonblock` and `consume_timeout`.
#[derive(Clone, Copy)]
enum Consume {
    Blocking,
    Nonblock,
    Timeout,
}

/// CPython's `run_threads`: `n` feeders share the inputs, each puts a stop item (`None`)
/// when they run out and now and then sleeps up to 1 ms; `n` consumers get until they
/// see a stop item. Returns every value the consumers got.
fn run_threads(n: usize, inputs: &[u32], consume: Consume) -> Vec<u32> {
    let q: Queue<Option<u32>> = Queue::new(0);
    let seq = Mutex::new(inputs.iter().rev().copied().collect::<Vec<_>>());
    let results = Mutex::new(Vec::new());
    thread::scope(|s| {
        for feeder in 0..n {
            let (q, seq) = (&q, &seq);
            s.spawn(move || {
                // A small xorshift, seeded per feeder: CPython's `rnd.random() > 0.5`.
                let mut rnd = 0x9E37_79B9_7F4A_7C15_u64 ^ (feeder as u64 + 1);
                loop {
                    let val = seq.lock().unwrap().pop();
                    let Some(val) = val else {
                        q.put(None);
                        return;
                    };
                    q.put(Some(val));
                    rnd ^= rnd << 13;
                    rnd ^= rnd >> 7;
                    rnd ^= rnd << 17;
                    if rnd.is_multiple_of(2) {
                        thread::sleep(Duration::from_micros(rnd % 1000));
                    }
                }
            });
        }
        for _ in 0..n {
            let (q, results) = (&q, &results);
            s.spawn(move || {
                loop {
                    let val = match consume {
                        Consume::Blocking => q.get(),
                        Consume::Nonblock => loop {
                            match q.get_nowait() {
                                Ok(val) => break val,
                                Err(Empty) => thread::sleep(Duration::from_micros(10)),
                            }
                        },
                        Consume::Timeout => loop {
                            if let Ok(val) = q.get_timeout(Duration::from_micros(10)) {
                                break val;
                            }
                        },
                    };
                    let Some(val) = val else { return };
                    results.lock().unwrap().push(val);
                }
            });
        }
    });
    assert!(q.empty());
    assert_eq!(q.qsize(), 0);
    results.into_inner().unwrap()
}

/// CPython's `test_order`: one feeder, one consumer: the values come in order.
#[test]
fn test_order() {
    watchdog(|| {
        let inputs: Vec<u32> = (0..100).collect();
        assert_eq!(run_threads(1, &inputs, Consume::Blocking), inputs);
    });
}

/// CPython's `test_many_threads`: 50 feeders, 50 blocking consumers, 10,000 values.
#[test]
fn test_many_threads() {
    watchdog(|| {
        let inputs: Vec<u32> = (0..10_000).collect();
        let mut results = run_threads(50, &inputs, Consume::Blocking);
        results.sort_unstable();
        assert_eq!(results, inputs);
    });
}

/// CPython's `test_many_threads_nonblock`: consumers poll with `get_nowait`.
#[test]
fn test_many_threads_nonblock() {
    watchdog(|| {
        let inputs: Vec<u32> = (0..10_000).collect();
        let mut results = run_threads(50, &inputs, Consume::Nonblock);
        results.sort_unstable();
        assert_eq!(results, inputs);
    });
}

/// CPython's `test_many_threads_timeout`: consumers wait 10 µs at a time.
#[test]
fn test_many_threads_timeout() {
    watchdog(|| {
        let inputs: Vec<u32> = (0..1_000).collect();
        let mut results = run_threads(50, &inputs, Consume::Timeout);
        results.sort_unstable();
        assert_eq!(results, inputs);
    });
}

/// CPython's `test_references`: the queue keeps no reference to an item once it has
/// been got; and (Rust's half) it drops the items still waiting when it is dropped.
#[test]
fn test_references() {
    watchdog(|| {
        let q = Queue::new(0);
        let items: Vec<Arc<u32>> = (0..20).map(Arc::new).collect();
        for item in &items {
            q.put(Arc::clone(item));
        }
        for item in &items {
            let got = q.get();
            assert!(Arc::ptr_eq(&got, item));
            drop(got);
            assert_eq!(Arc::strong_count(item), 1, "the queue kept a reference");
        }
        for item in &items {
            q.put(Arc::clone(item));
        }
        drop(q);
        assert!(items.iter().all(|item| Arc::strong_count(item) == 1));
    });
}

const PRODUCERS: usize = 4;
const CONSUMERS: usize = 4;
const PER_PRODUCER: usize = 5_000;

/// Many producers and consumers on a small bounded queue: the size never passes the
/// bound, and every item put is got exactly once.
#[test]
fn bound_holds_and_every_item_is_got_once() {
    watchdog(|| {
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
                            for _ in 0..PRODUCERS * PER_PRODUCER / CONSUMERS {
                                let item = queue.get();
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
    });
}

/// A bounded queue refuses a put past its bound; this is the test a queue that ignores
/// its bound fails even without contention.
#[test]
fn full_queue_refuses_put() {
    watchdog(|| {
        let queue = Queue::new(2);
        assert_eq!(queue.maxsize(), 2);
        assert!(!queue.full());
        queue.put(1);
        assert!(!queue.full(), "one of two is not full");
        queue.put(2);
        assert!(queue.full());
        assert_eq!(queue.qsize(), 2);
        assert_eq!(queue.put_nowait(3), Err(Full(3)));
        assert_eq!(
            queue.put_timeout(4, Duration::from_millis(20)),
            Err(Full(4))
        );
        assert_eq!(queue.put_timeout(4, Duration::ZERO), Err(Full(4)));
        assert_eq!(queue.qsize(), 2);
        assert_eq!(queue.get(), 1);
        assert!(!queue.full());
        assert_eq!(queue.put_nowait(3), Ok(()));
        assert_eq!(queue.get(), 2);
        assert_eq!(queue.put_timeout(4, Duration::ZERO), Ok(()));
        assert_eq!(queue.get(), 3);
        assert_eq!(queue.get(), 4);
        assert!(queue.empty());
    });
}

/// Python's `Queue(maxsize=0)` is unbounded: many items, no blocking, never full.
#[test]
fn maxsize_zero_is_unbounded() {
    watchdog(|| {
        let queue = Queue::new(0);
        for i in 0..10_000 {
            queue
                .put_nowait(i)
                .expect("an unbounded queue is never full");
        }
        assert_eq!(queue.put_timeout(-1, Duration::ZERO), Ok(()));
        assert!(!queue.full());
        assert_eq!(queue.qsize(), 10_001);
        assert_eq!(queue.maxsize(), 0);
        assert_eq!(Queue::<u8>::default().maxsize(), 0);
        assert_eq!(Queue::<u8>::new(7).maxsize(), 7);
    });
}

/// `qsize`, `empty` and `full` follow every put and get, whichever form.
#[test]
fn size_reports_follow_every_put_and_get() {
    watchdog(|| {
        let queue = Queue::new(3);
        let check = |size: usize| {
            assert_eq!(queue.qsize(), size);
            assert_eq!(queue.empty(), size == 0, "empty() at size {size}");
            assert_eq!(queue.full(), size == 3, "full() at size {size}");
        };
        check(0);
        queue.put('a');
        check(1);
        queue.put_nowait('b').unwrap();
        check(2);
        queue.put_timeout('c', Duration::from_secs(1)).unwrap();
        check(3);
        assert_eq!(queue.get(), 'a');
        check(2);
        assert_eq!(queue.get_nowait(), Ok('b'));
        check(1);
        assert_eq!(queue.get_timeout(Duration::from_secs(1)), Ok('c'));
        check(0);
    });
}

/// A put on a full queue blocks until a get makes room, then goes through.
#[test]
fn put_blocks_until_there_is_room() {
    watchdog(|| {
        let queue = Queue::new(1);
        queue.put("first");
        thread::scope(|s| {
            let (blocked, putter) =
                still_blocked_after(s, Duration::from_millis(100), || queue.put("second"));
            assert!(blocked, "put did not wait for room");
            assert_eq!(queue.get(), "first");
            putter.join().unwrap();
        });
        assert_eq!(queue.get(), "second");
    });
}

/// A get on an empty queue blocks until a put brings an item.
#[test]
fn get_blocks_until_there_is_an_item() {
    watchdog(|| {
        let queue = Queue::new(0);
        thread::scope(|s| {
            let getter = s.spawn(|| queue.get());
            thread::sleep(Duration::from_millis(100));
            assert!(!getter.is_finished(), "get did not wait for an item");
            queue.put(5);
            assert_eq!(getter.join().unwrap(), 5);
        });
    });
}

/// Timed put and get return within their bound (plus honest slack) and report the
/// timeout, also while other threads hammer the queue.
#[test]
fn timed_put_and_get_report_the_timeout_in_time() {
    watchdog(|| {
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

        // Under contention: eight threads each time out on the full queue and on an
        // empty one while other threads keep the locks busy.
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
    });
}

/// A timed get that is waiting receives an item put before its timeout.
#[test]
fn timed_get_receives_an_item_that_comes_in_time() {
    watchdog(|| {
        let queue = Queue::new(0);
        let got = do_blocking_test(
            || queue.get_timeout(Duration::from_secs(10)),
            || queue.put(42),
        );
        assert_eq!(got, Ok(42));
    });
}

/// A timeout too long for a deadline waits without one (lesson06's defect 2 was a
/// panic there): each timed call blocks until the other side comes, then succeeds.
#[test]
fn huge_timeouts_wait_without_a_deadline() {
    watchdog(|| {
        let queue = Queue::new(1);
        assert!(queue.join_timeout(Duration::MAX), "nothing to wait for");
        assert_eq!(
            do_blocking_test(|| queue.get_timeout(Duration::MAX), || queue.put(1)),
            Ok(1)
        );
        queue.put(2);
        let put = do_blocking_test(
            || queue.put_timeout(3, Duration::MAX),
            || assert_eq!(queue.get(), 2),
        );
        assert_eq!(put, Ok(()));
        assert_eq!(queue.get(), 3);
        // Three tasks put, three got; none done yet.
        queue.task_done().unwrap();
        queue.task_done().unwrap();
        let done = do_blocking_test(
            || queue.join_timeout(Duration::MAX),
            || queue.task_done().unwrap(),
        );
        assert!(done);
    });
}

/// `join` returns only after every `task_done`, over many rounds with several workers.
#[test]
fn join_waits_for_every_task_done() {
    watchdog(|| {
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
    });
}

/// Threads blocked in `join` and `join_timeout` stay blocked while any task is
/// unfinished, and all wake when the last `task_done` comes.
#[test]
fn join_wakes_every_joiner_at_the_last_task_done() {
    watchdog(|| {
        let queue = Queue::new(0);
        queue.put(1);
        queue.put(2);
        thread::scope(|s| {
            let wait = Duration::from_millis(100);
            let (blocked, joiner) = still_blocked_after(s, wait, || queue.join());
            assert!(blocked, "join returned with two tasks unfinished");
            let timed = s.spawn(|| queue.join_timeout(Duration::from_secs(10)));
            assert_eq!(queue.get(), 1);
            queue.task_done().unwrap();
            thread::sleep(wait);
            assert!(
                !joiner.is_finished(),
                "join returned with a task unfinished"
            );
            assert!(!timed.is_finished(), "join_timeout returned too early");
            // The count is of items put, not got: item 2 is still queued.
            queue.task_done().unwrap();
            joiner.join().unwrap();
            assert!(
                timed.join().unwrap(),
                "join_timeout missed the last task_done"
            );
        });
        assert_eq!(queue.qsize(), 1);
        assert!(queue.join_timeout(Duration::ZERO));
    });
}

/// `join` on a queue with unfinished tasks blocks; its timed form says so.
#[test]
fn join_timeout_reports_unfinished_tasks() {
    watchdog(|| {
        let queue = Queue::new(0);
        assert!(
            queue.join_timeout(Duration::ZERO),
            "nothing put: nothing to wait for"
        );
        let start = Instant::now();
        assert!(queue.join_timeout(Duration::from_secs(5)));
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "join_timeout waited with nothing to wait for"
        );
        queue.join();
        queue.put(1);
        assert_eq!(queue.get(), 1);
        // Got but not marked done: still unfinished.
        assert!(!queue.join_timeout(Duration::ZERO));
        let start = Instant::now();
        assert!(!queue.join_timeout(Duration::from_millis(50)));
        assert!(start.elapsed() >= Duration::from_millis(50));
        queue.task_done().unwrap();
        assert!(queue.join_timeout(Duration::ZERO));
    });
}

/// Python raises `ValueError` when `task_done` is called more times than items were put.
#[test]
fn task_done_too_often_is_an_error() {
    watchdog(|| {
        let queue = Queue::new(0);
        assert_eq!(queue.task_done(), Err(TaskDoneError));
        queue.put('a');
        queue.put('b');
        let _ = queue.get();
        let _ = queue.get();
        assert_eq!(queue.task_done(), Ok(()));
        assert_eq!(queue.task_done(), Ok(()));
        assert_eq!(queue.task_done(), Err(TaskDoneError));
        // The error left the count alone: join still returns at once, and a new task
        // is counted from zero.
        assert!(queue.join_timeout(Duration::ZERO));
        queue.put('c');
        assert!(!queue.join_timeout(Duration::ZERO));
        assert_eq!(queue.task_done(), Ok(()));
        assert!(queue.join_timeout(Duration::ZERO));
    });
}

/// The errors print what happened; `Debug` of a queue shows its counts.
#[test]
fn errors_and_debug_say_what_they_are() {
    assert_eq!(Full(1).to_string(), "the queue is full");
    assert_eq!(Empty.to_string(), "the queue is empty");
    assert_eq!(
        TaskDoneError.to_string(),
        "task_done() called too many times"
    );
    let queue = Queue::new(2);
    queue.put_nowait("item").unwrap();
    queue.put_nowait("other").unwrap();
    queue.get_nowait().unwrap();
    assert_eq!(
        format!("{queue:?}"),
        "Queue { maxsize: 2, qsize: 1, unfinished_tasks: 2, .. }"
    );
}
