//! Models: the races of put, get, task_done and join, explored by shuttle (`cargo xtask models`;
//! 7 s in a debug build, 20 s on a busy machine): the smallest ones exhaustively (`check_dfs`),
//! the others under random and PCT schedules. Shuttle's `wait_timeout` never times out, so a
//! timeout that fires cannot be modelled (a model that needs one would report a deadlock): the
//! models use the untimed and `_nowait` forms, whose races are the same, and a timed call only
//! as an untimed wait (`join_timeout` in `task_done_races_join`); the tests above check the
//! timeouts against the real clock. A deadlock (a lost wakeup) fails a model, as does a broken
//! assertion.
//!
//! Loaded by `queue.rs` only under `--cfg shuttle` (`cargo xtask models`): a copy of
//! `queue.rs` never reads this file.

use super::*;
use shuttle::sync::Arc;
use shuttle::sync::atomic::{AtomicUsize, Ordering};
use shuttle::thread;

/// Schedules tried per model by each of the two schedulers of `explore`.
const ITERATIONS: usize = 5_000;

/// Runs `f` under `ITERATIONS` random schedules, then `ITERATIONS` PCT schedules (which
/// find bugs that need up to 3 well-placed preemptions with a known probability). Used
/// where an exhaustive search (`check_dfs`) would take minutes.
fn explore(f: impl Fn() + Send + Sync + 'static, random: usize) {
    let f = std::sync::Arc::new(f);
    let g = std::sync::Arc::clone(&f);
    shuttle::check_random(move || g(), random);
    shuttle::check_pct(move || f(), random, 3);
}

/// Exhaustively: a get blocked on an empty queue is woken by a put, whichever runs first.
#[test]
fn get_waits_for_put() {
    shuttle::check_dfs(
        || {
            let q = Arc::new(Queue::new(1));
            let getter = {
                let q = Arc::clone(&q);
                thread::spawn(move || q.get())
            };
            q.put(1);
            assert_eq!(getter.join().unwrap(), 1);
            assert!(q.empty());
        },
        None,
    );
}

/// Exhaustively: a put blocked on a full queue is woken by a get, whichever runs first.
#[test]
fn put_waits_for_get() {
    shuttle::check_dfs(
        || {
            let q = Arc::new(Queue::new(1));
            q.put(0);
            let putter = {
                let q = Arc::clone(&q);
                thread::spawn(move || q.put(1))
            };
            assert_eq!(q.get(), 0);
            putter.join().unwrap();
            assert_eq!(q.get_nowait(), Ok(1));
        },
        None,
    );
}

/// Exhaustively: a join blocked on an unfinished task is woken by the task_done, and
/// returns only after it.
#[test]
fn join_waits_for_task_done() {
    shuttle::check_dfs(
        || {
            let q = Arc::new(Queue::new(0));
            let processed = Arc::new(AtomicUsize::new(0));
            q.put(1);
            let worker = {
                let (q, processed) = (Arc::clone(&q), Arc::clone(&processed));
                thread::spawn(move || {
                    q.get();
                    processed.fetch_add(1, Ordering::SeqCst);
                    q.task_done().unwrap();
                })
            };
            q.join();
            assert_eq!(processed.load(Ordering::SeqCst), 1, "joined too early");
            worker.join().unwrap();
        },
        None,
    );
}

/// A get racing a put on an empty one-slot queue, with a `get_nowait` racing both, and
/// a second put that must wait for room: no item is lost or got twice, the bound holds,
/// and a blocked get is woken.
#[test]
fn get_races_put_on_an_empty_queue() {
    explore(
        || {
            let q = Arc::new(Queue::new(1));
            let getter = {
                let q = Arc::clone(&q);
                thread::spawn(move || {
                    let item = q.get();
                    assert!(q.qsize() <= 1);
                    item
                })
            };
            let poller = {
                let q = Arc::clone(&q);
                thread::spawn(move || q.get_nowait().ok())
            };
            q.put(1);
            assert!(q.qsize() <= 1);
            q.put(2);
            let mut got = vec![getter.join().unwrap()];
            got.extend(poller.join().unwrap());
            got.extend(q.get_nowait().ok());
            got.sort_unstable();
            assert_eq!(got, [1, 2], "an item lost or got twice");
            assert!(q.empty());
        },
        ITERATIONS,
    );
}

/// A put racing a get on a full one-slot queue, with a `put_nowait` racing both: the
/// blocked put is woken by the get, the item in the queue comes out first, and a refused
/// item comes back in `Full`.
#[test]
fn put_races_get_on_a_full_queue() {
    explore(
        || {
            let q = Arc::new(Queue::new(1));
            q.put(0);
            let putter = {
                let q = Arc::clone(&q);
                thread::spawn(move || q.put(1))
            };
            let poller = {
                let q = Arc::clone(&q);
                thread::spawn(move || q.put_nowait(2))
            };
            assert_eq!(q.get(), 0, "not first in, first out");
            let mut got = vec![q.get()];
            putter.join().unwrap();
            match poller.join().unwrap() {
                Ok(()) => {}
                Err(Full(item)) => got.push(item),
            }
            got.extend(q.get_nowait().ok());
            got.sort_unstable();
            assert_eq!(got, [1, 2], "an item lost or got twice");
            assert!(q.empty());
        },
        ITERATIONS,
    );
}

/// `task_done` racing `join`: two joiners (one timed, which shuttle waits on without a
/// deadline) return only after both items were processed, and both do return.
#[test]
fn task_done_races_join() {
    explore(
        || {
            let q = Arc::new(Queue::new(0));
            let processed = Arc::new(AtomicUsize::new(0));
            q.put('a');
            q.put('b');
            let worker = {
                let (q, processed) = (Arc::clone(&q), Arc::clone(&processed));
                thread::spawn(move || {
                    for _ in 0..2 {
                        q.get();
                        processed.fetch_add(1, Ordering::SeqCst);
                        q.task_done().unwrap();
                    }
                })
            };
            let joiner = {
                let (q, processed) = (Arc::clone(&q), Arc::clone(&processed));
                thread::spawn(move || {
                    assert!(q.join_timeout(Duration::from_secs(1)));
                    assert_eq!(processed.load(Ordering::SeqCst), 2, "joined too early");
                })
            };
            q.join();
            assert_eq!(processed.load(Ordering::SeqCst), 2, "joined too early");
            joiner.join().unwrap();
            worker.join().unwrap();
            assert_eq!(q.task_done(), Err(TaskDoneError));
        },
        ITERATIONS,
    );
}

/// Two `task_done`s racing for one unfinished task: exactly one is accepted, and the
/// join that waits on it returns.
#[test]
fn task_done_races_task_done() {
    shuttle::check_dfs(
        || {
            let q = Arc::new(Queue::new(0));
            q.put(());
            let doers: Vec<_> = (0..2)
                .map(|_| {
                    let q = Arc::clone(&q);
                    thread::spawn(move || q.task_done().is_ok())
                })
                .collect();
            q.join();
            let accepted = doers
                .into_iter()
                .map(|d| d.join().unwrap())
                .filter(|&ok| ok)
                .count();
            assert_eq!(accepted, 1);
        },
        None,
    );
}

/// Two producers and two consumers on a one-slot queue, and a join: every item is got
/// exactly once, each consumer sees each producer's items in order, the bound holds,
/// and the join returns only once every item was processed.
#[test]
fn several_producers_and_consumers() {
    explore(
        || {
            const PER_PRODUCER: usize = 2;
            let q = Arc::new(Queue::new(1));
            let processed = Arc::new(AtomicUsize::new(0));
            let producers: Vec<_> = (0..2)
                .map(|p| {
                    let q = Arc::clone(&q);
                    thread::spawn(move || {
                        for i in 0..PER_PRODUCER {
                            q.put(p * 10 + i);
                            assert!(q.qsize() <= 1, "past the bound");
                        }
                    })
                })
                .collect();
            let consumers: Vec<_> = (0..2)
                .map(|_| {
                    let (q, processed) = (Arc::clone(&q), Arc::clone(&processed));
                    thread::spawn(move || {
                        let mut got = Vec::new();
                        for _ in 0..PER_PRODUCER {
                            got.push(q.get());
                            processed.fetch_add(1, Ordering::SeqCst);
                            q.task_done().unwrap();
                        }
                        got
                    })
                })
                .collect();
            for producer in producers {
                producer.join().unwrap();
            }
            q.join();
            assert_eq!(processed.load(Ordering::SeqCst), 4, "joined too early");
            let mut all = Vec::new();
            for consumer in consumers {
                let got = consumer.join().unwrap();
                for p in 0..2 {
                    let from_p: Vec<_> = got.iter().filter(|&&x| x / 10 == p).collect();
                    assert!(from_p.windows(2).all(|w| w[0] < w[1]), "not FIFO");
                }
                all.extend(got);
            }
            all.sort_unstable();
            assert_eq!(all, [0, 1, 10, 11], "an item lost or got twice");
            assert!(q.empty());
        },
        ITERATIONS,
    );
}
