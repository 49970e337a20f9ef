//! The tests of `lesson06/src/pool.rs` that use its public API only (moved here so that the
//! file a reader copies is the implementation).

//! The pool's tests: its own behaviour under contention, one test per defect of issue 11
//! (each failed before its fix), and the pool tests of CPython's
//! `Lib/test/_test_multiprocessing.py` (`_TestPool` and friends) that apply to a thread
//! pool, ported by intent and named after the original (`test_...`).
//!
//! CPython tests not ported, and why:
//! - `test_map_unplicklable`, `test_unpickleable_result`, `test_traceback`,
//!   `test_pool_in_process`, `test_worker_finalization_via_atexit_handler_of_multiprocessing`:
//!   about pickling and processes; a thread pool passes values by move.
//! - `test_pool_worker_lifetime`, `test_pool_worker_lifetime_early_close`,
//!   `test_pool_maxtasksperchild_invalid`: `maxtasksperchild` is not part of this API.
//! - `test_resource_warning`: Python warns when a running pool is garbage-collected; here
//!   dropping a running pool closes and joins it (`dropping_the_pool_waits_...`).
//! - `test_enter` (bpo-35477, `with pool:` on a pool that no longer runs): there is no
//!   `with`; a pool's scope is its `with`, and a pool is dropped once.
//! - `test_context`: its intent (leaving the block shuts the pool down; the pool then
//!   refuses work) is `test_context` below, with `Drop` as the block's end.
//! - `test_map_handle_iterable_exception`: ported as such: `map` collects its items on the
//!   caller's thread, so the iterator's panic reaches the caller, and the pool goes on.
//! - `test_release_task_refs` is ported with `Arc` counts in place of `weakref`.
//!
//! The ones for `imap`, `imap_unordered` and `starmap` are in `imap.rs` and `starmap.rs`.

use crate::support::{PATIENCE, bounded};
use lesson06::*;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Barrier;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::sync::{MutexGuard, PoisonError, Weak};
use std::thread::{self, ThreadId};
use std::time::Duration;
use std::time::Instant;

/// Locks a mutex, ignoring poisoning (a test's panic must not hide the next test's result).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn sqr(x: i64) -> i64 {
    x * x
}

/// A closure that counts its calls, for tests that need to know how much ran.
fn counter() -> (Arc<AtomicUsize>, impl Fn() + Send + Sync + Clone + 'static) {
    let count = Arc::new(AtomicUsize::new(0));
    let c = Arc::clone(&count);
    (count, move || {
        c.fetch_add(1, Ordering::SeqCst);
    })
}

// ---- the pool's own behaviour ----

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
        }
    });
}

#[test]
fn many_submitting_threads_share_one_pool() {
    bounded(|| {
        let pool = ThreadPool::new(3);
        std::thread::scope(|scope| {
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
                    |_| panic!("the result callback ran for a failure"),
                    move |e| tx.send(e.clone()).unwrap(),
                )
                .unwrap();
            assert_eq!(
                failed.get_timeout(PATIENCE),
                Err(PoolError::Panicked(format!("boom {round}")))
            );
            assert_eq!(failed.successful(), Ok(false));
            // the error callback ran before the result was ready
            assert_eq!(
                rx.try_recv(),
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
        // in a map, the panic is the map's error
        let result = pool.map(|i: i32| if i == 3 { panic!("three") } else { i }, 0..6);
        assert_eq!(result, Err(PoolError::Panicked("three".into())));
        // a panic with a payload that is not text
        assert_eq!(
            pool.apply(|| panic::panic_any(7_u8)),
            Err(PoolError::Panicked(
                "a task panicked with a non-text payload".into()
            ))
        );
        assert_eq!(pool.apply(|| "still here"), Ok("still here"));
    });
}

#[test]
fn a_panicking_callback_does_not_stop_the_result_handler() {
    bounded(|| {
        let pool = ThreadPool::new(1);
        let first = pool
            .apply_async_with(|| 1, |_| panic!("callback"), |_| {})
            .unwrap();
        assert_eq!(first.get_timeout(PATIENCE), Ok(1));
        let (tx, rx) = mpsc::channel();
        let second = pool
            .apply_async_with(|| 2, move |v| tx.send(*v).unwrap(), |_| {})
            .unwrap();
        assert_eq!(second.get_timeout(PATIENCE), Ok(2));
        assert_eq!(rx.try_recv(), Ok(2));
    });
}

#[test]
fn wait_blocks_until_the_task_is_done() {
    bounded(|| {
        let pool = ThreadPool::new(1);
        let (release, gate) = mpsc::channel::<()>();
        let result = pool
            .apply_async(move || {
                let _ = gate.recv_timeout(PATIENCE);
            })
            .unwrap();
        let releaser = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            drop(release);
        });
        assert!(!result.ready());
        result.wait();
        assert!(result.ready(), "wait returned before the task was done");
        releaser.join().unwrap();
    });
}

#[test]
fn results_without_callbacks_do_not_wait_for_the_result_handler() {
    bounded(|| {
        let pool = ThreadPool::new(2);
        let (release, gate) = mpsc::channel::<()>();
        let (started_tx, started) = mpsc::channel::<()>();
        // a callback holds the result handler
        let held = pool
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
        // a result without callbacks settles on its worker all the same
        assert_eq!(pool.apply(|| 2), Ok(2));
        assert_eq!(pool.map(|i: i32| i, 0..3), Ok(vec![0, 1, 2]));
        assert!(!held.ready());
        drop(release);
        assert_eq!(held.get_timeout(PATIENCE), Ok(1));
    });
}

#[test]
fn a_result_finishing_after_terminate_settles_without_its_callback() {
    bounded(|| {
        let pool = ThreadPool::new(2);
        let (release_handler, handler_gate) = mpsc::channel::<()>();
        let (release_task, task_gate) = mpsc::channel::<()>();
        let (started_tx, started) = mpsc::channel::<()>();
        // a callback holds the result handler, alive, through the terminate
        let started_a = started_tx.clone();
        let first = pool
            .apply_async_with(
                || 1,
                move |_| {
                    started_a.send(()).unwrap();
                    let _ = handler_gate.recv_timeout(PATIENCE);
                },
                |_| {},
            )
            .unwrap();
        started.recv_timeout(PATIENCE).unwrap();
        // a task still running at terminate, whose callback must then not run
        let called = Arc::new(AtomicBool::new(false));
        let c = Arc::clone(&called);
        let late = pool
            .apply_async_with(
                move || {
                    started_tx.send(()).unwrap();
                    let _ = task_gate.recv_timeout(PATIENCE);
                    2
                },
                move |_| c.store(true, Ordering::SeqCst),
                |_| {},
            )
            .unwrap();
        started.recv_timeout(PATIENCE).unwrap();
        pool.terminate();
        drop(release_task);
        // settles at once, though the handler is still busy (and will not run it)
        assert_eq!(late.get_timeout(PATIENCE), Ok(2));
        drop(release_handler);
        assert_eq!(first.get_timeout(PATIENCE), Ok(1));
        pool.join_timeout(PATIENCE).unwrap();
        assert!(
            !called.load(Ordering::SeqCst),
            "a callback ran after terminate"
        );
    });
}

#[test]
fn a_map_keeps_its_first_error_when_terminate_discards_a_later_chunk() {
    bounded(|| {
        let pool = Arc::new(ThreadPool::new(1));
        let (release, gate) = mpsc::channel::<()>();
        let (started_tx, started) = mpsc::channel::<()>();
        let gate = Arc::new(Mutex::new(gate));
        // one worker, chunks of one: item 0 panics, item 1 holds the worker, item 2 waits
        let result = pool
            .map_async(
                move |i: i32| match i {
                    0 => panic!("zero"),
                    1 => {
                        started_tx.send(()).unwrap();
                        let _ = lock(&gate).recv_timeout(PATIENCE);
                    }
                    _ => {}
                },
                [0, 1, 2].into_iter().collect::<Vec<_>>(),
            )
            .unwrap();
        started.recv_timeout(PATIENCE).unwrap();
        pool.terminate(); // throws item 2's chunk away: it delivers Terminated
        drop(release);
        assert_eq!(
            result.get_timeout(PATIENCE),
            Err(PoolError::Panicked("zero".into())),
            "the first error to arrive is item 0's panic"
        );
    });
}

#[test]
fn join_after_close_returns_once_all_work_is_done() {
    bounded(|| {
        let pool = ThreadPool::new(3);
        let (done, count) = counter();
        for _ in 0..30 {
            let count = count.clone();
            pool.apply_async(move || {
                std::thread::sleep(Duration::from_millis(10));
                count();
            })
            .unwrap();
        }
        assert_eq!(
            pool.join(),
            Err(PoolError::StillRunning),
            "join on a running pool would wait forever"
        );
        assert_eq!(pool.join_timeout(PATIENCE), Err(PoolError::StillRunning));
        pool.close();
        pool.join_timeout(PATIENCE).unwrap();
        assert_eq!(done.load(Ordering::SeqCst), 30);
        // a second join has nothing left to wait for
        assert_eq!(pool.join(), Ok(()));
    });
}

#[test]
fn join_waits_for_the_callbacks_too() {
    bounded(|| {
        let pool = ThreadPool::new(2);
        let (called, count) = counter();
        for i in 0..10 {
            let count = count.clone();
            pool.apply_async_with(
                move || i,
                move |_| {
                    std::thread::sleep(Duration::from_millis(5));
                    count();
                },
                |_| {},
            )
            .unwrap();
        }
        pool.close();
        pool.join_timeout(PATIENCE).unwrap();
        assert_eq!(called.load(Ordering::SeqCst), 10);
    });
}

#[test]
fn join_timeout_gives_up_while_a_task_still_runs() {
    bounded(|| {
        let pool = ThreadPool::new(1);
        let (release, gate) = mpsc::channel::<()>();
        let slow = pool
            .apply_async(move || {
                let _ = gate.recv();
            })
            .unwrap();
        pool.close();
        let begun = Instant::now();
        assert_eq!(
            pool.join_timeout(Duration::from_millis(50)),
            Err(PoolError::Timeout)
        );
        assert!(begun.elapsed() >= Duration::from_millis(50));
        assert!(!slow.wait_timeout(Duration::from_millis(1)));
        assert!(!slow.ready());
        assert_eq!(
            slow.get_timeout(Duration::from_millis(1)),
            Err(PoolError::Timeout)
        );
        assert_eq!(slow.successful(), Err(PoolError::NotReady));
        drop(release);
        pool.join_timeout(PATIENCE).unwrap();
        assert!(slow.ready());
        assert!(slow.wait_timeout(Duration::from_millis(1)));
        assert_eq!(slow.successful(), Ok(true));
    });
}

#[test]
fn terminate_discards_queued_tasks_and_stops_workers_without_hanging() {
    bounded(|| {
        let pool = ThreadPool::new(2);
        let (started, count) = counter();
        let handles: Vec<_> = (0..100)
            .map(|_| {
                let count = count.clone();
                pool.apply_async(move || {
                    count();
                    std::thread::sleep(Duration::from_millis(300));
                })
                .unwrap()
            })
            .collect();
        let queued_map = pool.map_async(|i: i32| i, 0..5).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        let begun = Instant::now();
        pool.terminate();
        assert!(
            begun.elapsed() < Duration::from_millis(200),
            "terminate waited for the running tasks"
        );
        assert_eq!(pool.apply(|| 1), Err(PoolError::NotRunning));
        pool.join_timeout(PATIENCE).unwrap();
        // the two running tasks finished; the rest never started, and their results say so
        let ran = started.load(Ordering::SeqCst);
        assert!(ran <= 4, "{ran} tasks started after terminate");
        let terminated = handles
            .iter()
            .filter(|h| h.get_timeout(PATIENCE) == Err(PoolError::Terminated))
            .count();
        assert_eq!(ran + terminated, 100);
        assert_eq!(queued_map.get_timeout(PATIENCE), Err(PoolError::Terminated));
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
        // a refused map runs no callback: the caller has the error already
        let (called, count) = counter();
        let c2 = count.clone();
        assert_eq!(
            pool.map_async_with(|i: i32| i, 0..3, move |_| count(), move |_| c2())
                .unwrap_err(),
            PoolError::NotRunning
        );
        let c3 = counter().1;
        assert!(pool.apply_async_with(|| 1, move |_| c3(), |_| {}).is_err());
        pool.join_timeout(PATIENCE).unwrap();
        assert_eq!(called.load(Ordering::SeqCst), 0);
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
                |_| panic!("no error here"),
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
        let (count, init) = counter();
        let pool = ThreadPool::with_initializer(3, init);
        pool.map(|i: i32| i, 0..30).unwrap();
        pool.close();
        pool.join_timeout(PATIENCE).unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 3);
        let (count, init) = counter();
        let pool = ThreadPool::try_with_initializer(2, init).unwrap();
        pool.close();
        pool.join_timeout(PATIENCE).unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 2);
    });
}

#[test]
fn python_default_chunksize() {
    bounded(|| {
        assert_eq!(default_chunksize(10, 2), 2);
        assert_eq!(default_chunksize(3, 3), 1);
        assert_eq!(default_chunksize(100, 4), 7);
        assert_eq!(default_chunksize(0, 4), 1);
        assert_eq!(default_chunksize(8, 1), 2);
    });
}

#[test]
fn map_uses_the_default_chunksize() {
    bounded(|| {
        // 10 items on 2 workers: chunks of 2, so exactly 5 jobs go through the queue
        let pool = ThreadPool::new(2);
        let threads = Arc::new(Mutex::new(Vec::new()));
        let t = Arc::clone(&threads);
        pool.map(
            move |i: usize| {
                if i.is_multiple_of(2) {
                    // long enough that the idle worker would take the odd item next
                    std::thread::sleep(Duration::from_millis(20));
                }
                lock(&t).push((i, thread::current().id()));
            },
            0..10,
        )
        .unwrap();
        let seen = lock(&threads).clone();
        let by_item: std::collections::HashMap<usize, ThreadId> = seen.into_iter().collect();
        for pair in [0, 2, 4, 6, 8] {
            assert_eq!(by_item[&pair], by_item[&(pair + 1)], "a chunk was split");
        }
    });
}

#[test]
fn dropping_the_pool_waits_for_every_submitted_task() {
    bounded(|| {
        let (done, count) = counter();
        let begun = Instant::now();
        {
            let pool = ThreadPool::new(2);
            for _ in 0..6 {
                let count = count.clone();
                pool.apply_async(move || {
                    std::thread::sleep(Duration::from_millis(20));
                    count();
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

#[test]
fn a_pool_dropped_by_its_own_task_closes_without_waiting_for_itself() {
    bounded(|| {
        let pool = Arc::new(ThreadPool::new(1));
        let (tx, rx) = mpsc::channel();
        let (go, wait) = mpsc::channel::<()>();
        let inner = Arc::clone(&pool);
        pool.apply_async(move || {
            let _ = wait.recv_timeout(PATIENCE);
            drop(inner); // the last Arc: the pool drops here, on its own worker
            tx.send(()).unwrap();
        })
        .unwrap();
        drop(pool);
        go.send(()).unwrap();
        assert_eq!(rx.recv_timeout(PATIENCE), Ok(()));
    });
}

#[test]
fn debug_and_display_say_what_they_show() {
    bounded(|| {
        let pool = ThreadPool::new(2);
        let (release, gate) = mpsc::channel::<()>();
        let (started_tx, started) = mpsc::channel::<()>();
        let gate = Arc::new(Mutex::new(gate));
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
        let queued = pool.apply_async(|| 3).unwrap();
        assert_eq!(
            format!("{pool:?}"),
            "ThreadPool { workers: 2, phase: Running, queued: 1 }"
        );
        assert_eq!(format!("{queued:?}"), "AsyncResult { ready: false }");
        drop(release);
        assert_eq!(queued.get_timeout(PATIENCE), Ok(3));
        assert_eq!(format!("{queued:?}"), "AsyncResult { ready: true }");
        for b in blockers {
            b.wait();
        }
        pool.close();
        assert_eq!(
            format!("{pool:?}"),
            "ThreadPool { workers: 2, phase: Closed, queued: 0 }"
        );
        assert_eq!(pool.workers(), 2);
        assert!(ThreadPool::default().workers() >= 1);
        for (error, text) in [
            (PoolError::Panicked("boom".into()), "boom"),
            (PoolError::NotRunning, "Pool not running"),
            (PoolError::StillRunning, "Pool is still running"),
            (
                PoolError::JoinFromOwnThread,
                "cannot join a pool from one of its own threads",
            ),
            (
                PoolError::Terminated,
                "the pool was terminated before the task ran",
            ),
            (PoolError::Timeout, "timed out"),
            (PoolError::NotReady, "not ready"),
            (PoolError::Spawn("no".into()), "cannot start a thread: no"),
        ] {
            assert_eq!(error.to_string(), text);
        }
    });
}

// ---- issue 11: one test per defect, each failing before its fix ----

/// Issue 11, defect 2: `Instant::now() + Duration::MAX` panicked ("overflow when adding
/// duration to instant"); a deadline too far to represent is no deadline.
#[test]
fn huge_timeouts_mean_no_deadline() {
    bounded(|| {
        let pool = ThreadPool::new(1);
        let result = pool
            .apply_async(|| {
                std::thread::sleep(Duration::from_millis(20));
                7
            })
            .unwrap();
        assert!(result.wait_timeout(Duration::MAX));
        assert_eq!(result.get_timeout(Duration::MAX), Ok(7));
        pool.close();
        assert_eq!(pool.join_timeout(Duration::MAX), Ok(()));
    });
}

/// Issue 11, defect 3 (and CPython's `test_map_no_failfast`, Issue #23992): `map` returned
/// the first panic at once, while the other tasks still ran. Python's `MapResult` is
/// ready only once every chunk is done.
#[test]
fn map_reports_an_error_only_once_every_chunk_is_done() {
    bounded(|| {
        let pool = ThreadPool::new(6);
        let (done, count) = counter();
        let begun = Instant::now();
        let result = pool.map_with_chunksize(
            move |i: u32| {
                if i == 0 {
                    panic!("at once");
                }
                std::thread::sleep(Duration::from_millis(300));
                count();
            },
            0..6,
            1,
        );
        assert_eq!(result, Err(PoolError::Panicked("at once".into())));
        assert_eq!(
            done.load(Ordering::SeqCst),
            5,
            "map returned before the other tasks were done"
        );
        assert!(begun.elapsed() >= Duration::from_millis(300));
    });
}

/// The first error to arrive is the map's error, as in Python's `MapResult._set`.
#[test]
fn map_reports_the_first_error_to_arrive() {
    bounded(|| {
        let pool = ThreadPool::new(2);
        let result = pool.map_with_chunksize(
            |i: u64| {
                if i == 0 {
                    std::thread::sleep(Duration::from_millis(200));
                }
                panic!("task {i}");
            },
            0..2,
            1,
        );
        assert_eq!(result, Err(PoolError::Panicked("task 1".into())));
    });
}

/// Issue 11, defect 6: on no items, `map` skipped the pool's state check (Python raises
/// "Pool not running").
#[test]
fn map_of_nothing_on_a_closed_pool_is_not_running() {
    bounded(|| {
        let pool = ThreadPool::new(1);
        assert_eq!(pool.map(|i: i32| i, Vec::new()), Ok(Vec::new()));
        pool.close();
        assert_eq!(pool.map(|i: i32| i, Vec::new()), Err(PoolError::NotRunning));
        assert_eq!(
            pool.map_async_with(|i: i32| i, Vec::new(), |_| {}, |_| {})
                .unwrap_err(),
            PoolError::NotRunning
        );
    });
}

/// Issue 11, defect 6: `map_async`'s callback on no items ran on the caller's own thread
/// (a caller holding a lock the callback needs deadlocked).
#[test]
fn map_async_callback_on_no_items_runs_on_the_result_handler() {
    bounded(|| {
        let pool = ThreadPool::new(1);
        let held = Arc::new(Mutex::new(()));
        let guard = lock(&held);
        let (tx, rx) = mpsc::channel();
        let h = Arc::clone(&held);
        let result = pool
            .map_async_with(
                |i: i32| i,
                Vec::new(),
                move |values| {
                    let _lock = lock(&h); // the caller holds it: this waits, off its thread
                    let me = thread::current();
                    tx.send((values.clone(), me.id(), me.name().map(String::from)))
                        .unwrap();
                },
                |_| {},
            )
            .unwrap();
        assert!(
            !result.ready(),
            "the callback ran before map_async returned"
        );
        drop(guard);
        assert_eq!(result.get_timeout(PATIENCE), Ok(Vec::new()));
        let (values, on, name) = rx.try_recv().unwrap();
        assert_eq!(values, Vec::<i32>::new());
        assert_ne!(on, thread::current().id());
        assert_eq!(name.as_deref(), Some("pool-result-handler"));
    });
}

/// Issue 11, defect 9: two tasks that each joined their own pool waited for each other for
/// good. Joining from one of the pool's threads is now an error.
#[test]
fn joining_the_pool_from_its_own_threads_is_an_error_not_a_deadlock() {
    bounded(|| {
        let pool = Arc::new(ThreadPool::new(2));
        let barrier = Arc::new(Barrier::new(3));
        let joins: Vec<_> = (0..2)
            .map(|_| {
                let (pool2, barrier) = (Arc::clone(&pool), Arc::clone(&barrier));
                pool.apply_async(move || {
                    barrier.wait(); // both tasks run
                    barrier.wait(); // the pool is closed
                    pool2.join()
                })
                .unwrap()
            })
            .collect();
        barrier.wait();
        pool.close();
        barrier.wait();
        for join in joins {
            assert_eq!(
                join.get_timeout(PATIENCE),
                Ok(Err(PoolError::JoinFromOwnThread))
            );
        }
        // from a callback, on the result handler
        let pool = Arc::new(ThreadPool::new(1));
        let (tx, rx) = mpsc::channel();
        let pool2 = Arc::clone(&pool);
        let (go, wait) = mpsc::channel::<()>();
        pool.apply_async_with(
            move || {
                let _ = wait.recv_timeout(PATIENCE);
            },
            move |_| tx.send(pool2.join()).unwrap(),
            |_| {},
        )
        .unwrap();
        pool.close();
        go.send(()).unwrap();
        assert_eq!(
            rx.recv_timeout(PATIENCE),
            Ok(Err(PoolError::JoinFromOwnThread))
        );
        assert_eq!(pool.join_timeout(PATIENCE), Ok(()));
    });
}

// ---- CPython's _TestPool and friends (Lib/test/_test_multiprocessing.py) ----

#[test]
fn test_apply() {
    bounded(|| {
        let pool = ThreadPool::new(4);
        assert_eq!(pool.apply(|| sqr(5)), Ok(sqr(5)));
        assert_eq!(pool.apply(|| sqr(3)), Ok(sqr(3)));
    });
}

#[test]
fn test_map() {
    bounded(|| {
        let pool = ThreadPool::new(4);
        let expected: Vec<i64> = (0..10).map(sqr).collect();
        assert_eq!(pool.map(sqr, 0..10), Ok(expected));
        let expected: Vec<i64> = (0..100).map(sqr).collect();
        assert_eq!(pool.map_with_chunksize(sqr, 0..100, 20), Ok(expected));
    });
}

#[test]
fn test_map_async() {
    bounded(|| {
        let pool = ThreadPool::new(4);
        let expected: Vec<i64> = (0..10).map(sqr).collect();
        assert_eq!(
            pool.map_async(sqr, 0..10).unwrap().get_timeout(PATIENCE),
            Ok(expected)
        );
    });
}

/// `map_async(int, ['1'], callback=..., error_callback=...)`: exactly one of the two runs.
#[test]
fn test_map_async_callbacks() {
    bounded(|| {
        let pool = ThreadPool::new(4);
        let calls = Arc::new(Mutex::new(Vec::new()));
        let parse = |s: &'static str| s.parse::<i32>().unwrap();
        for (input, expected) in [("1", "Ok([1])"), ("a", "Err(")] {
            let (c1, c2) = (Arc::clone(&calls), Arc::clone(&calls));
            pool.map_async_with(
                parse,
                [input],
                move |values| lock(&c1).push(format!("Ok({values:?})")),
                move |error| lock(&c2).push(format!("Err({error})")),
            )
            .unwrap()
            .wait();
            let calls = lock(&calls);
            assert!(calls.last().unwrap().starts_with(expected), "{calls:?}");
        }
        assert_eq!(lock(&calls).len(), 2);
    });
}

/// `map_async(sqr, [], chunksize=1).get(timeout)` must not stall on an empty list.
#[test]
fn test_map_chunksize() {
    bounded(|| {
        let pool = ThreadPool::new(4);
        assert_eq!(pool.map_with_chunksize(sqr, Vec::new(), 1), Ok(Vec::new()));
        assert_eq!(
            pool.map_async(sqr, Vec::new())
                .unwrap()
                .get_timeout(PATIENCE),
            Ok(Vec::new())
        );
    });
}

#[test]
fn test_map_handle_iterable_exception() {
    bounded(|| {
        let pool = ThreadPool::new(4);
        for when in [0, 3] {
            let items = (0..10).inspect(move |&i| {
                if i == when {
                    panic!("Somebody said when");
                }
            });
            let caught = panic::catch_unwind(AssertUnwindSafe(|| pool.map(sqr, items)));
            assert!(caught.is_err(), "the iterator's panic reaches the caller");
        }
        assert_eq!(pool.map(sqr, 0..3), Ok(vec![0, 1, 4]), "the pool goes on");
    });
}

/// `apply_async(sqr, (7, TIMEOUT1))`: `get` waits about as long as the task.
#[test]
fn test_async() {
    bounded(|| {
        let pool = ThreadPool::new(4);
        let begun = Instant::now();
        let result = pool
            .apply_async(|| {
                std::thread::sleep(Duration::from_millis(100));
                sqr(7)
            })
            .unwrap();
        assert_eq!(result.get(), Ok(49));
        assert!(begun.elapsed() >= Duration::from_millis(100));
        assert_eq!(result.get(), Ok(49), "get may be called again");
    });
}

/// `get(timeout=TIMEOUT2)` on a task that takes longer raises `TimeoutError` after about
/// `TIMEOUT2`.
#[test]
fn test_async_timeout() {
    bounded(|| {
        let pool = ThreadPool::new(3);
        let (release, gate) = mpsc::channel::<()>();
        let result = pool
            .apply_async(move || {
                let _ = gate.recv_timeout(PATIENCE);
                sqr(6)
            })
            .unwrap();
        let begun = Instant::now();
        assert_eq!(
            result.get_timeout(Duration::from_millis(100)),
            Err(PoolError::Timeout)
        );
        let waited = begun.elapsed();
        assert!(waited >= Duration::from_millis(100), "{waited:?}");
        assert!(waited < PATIENCE, "{waited:?}");
        drop(release);
        assert_eq!(result.get_timeout(PATIENCE), Ok(36));
        pool.terminate();
        pool.join_timeout(PATIENCE).unwrap();
    });
}

/// 10 000 "forever" tasks, then terminate and join: both return at once.
#[test]
fn test_terminate() {
    bounded(|| {
        let pool = ThreadPool::new(3);
        let (release, gate) = mpsc::channel::<()>();
        let gate = Arc::new(Mutex::new(gate));
        let result = pool
            .map_async(
                move |_: i32| {
                    let _ = lock(&gate).recv_timeout(PATIENCE);
                },
                0..10_000,
            )
            .unwrap();
        pool.terminate();
        drop(release);
        pool.join_timeout(PATIENCE).unwrap();
        assert_eq!(result.get_timeout(PATIENCE), Err(PoolError::Terminated));
    });
}

#[test]
fn test_empty_iterable() {
    bounded(|| {
        let pool = ThreadPool::new(1);
        assert_eq!(pool.map(sqr, Vec::new()), Ok(Vec::new()));
        assert_eq!(
            pool.map_async(sqr, Vec::new()).unwrap().get(),
            Ok(Vec::new())
        );
        pool.close();
        pool.join().unwrap();
    });
}

/// `with Pool(2) as p: r = p.map_async(...); r.get()`, then the pool refuses work. Here
/// the block is the pool's scope and `Drop` its end (close and join; see `ThreadPool`).
#[test]
fn test_context() {
    bounded(|| {
        let expected: Vec<i64> = (0..10).map(sqr).collect();
        let result = {
            let pool = ThreadPool::new(2);
            let result = pool.map_async(sqr, 0..10).unwrap();
            assert_eq!(result.get(), Ok(expected.clone()));
            let pool2 = ThreadPool::new(2);
            pool2.close();
            assert_eq!(
                pool2.map_async(sqr, 0..10).unwrap_err(),
                PoolError::NotRunning
            );
            result
        };
        assert_eq!(result.get(), Ok(expected));
    });
}

/// Issue #20980: a thread pool hands back the task's own exception, not a wrapper: here
/// its own panic message.
#[test]
fn test_wrapped_exception() {
    bounded(|| {
        let pool = ThreadPool::new(1);
        assert_eq!(
            pool.apply(|| -> () { panic!("foo") }),
            Err(PoolError::Panicked("foo".into()))
        );
    });
}

/// Issue #29861: a task's arguments and results are not kept alive by the pool after it
/// is done with them.
#[test]
fn test_release_task_refs() {
    bounded(|| {
        let pool = ThreadPool::new(4);
        let objs: Vec<Arc<i32>> = (0..10).map(Arc::new).collect();
        let refs: Vec<Weak<i32>> = objs.iter().map(Arc::downgrade).collect();
        let back = pool.map(|o: Arc<i32>| *o, objs).unwrap();
        assert_eq!(back, (0..10).collect::<Vec<_>>());
        let result = pool.apply_async(|| Arc::new(5)).unwrap();
        let value = result.into_result().unwrap();
        let weak = Arc::downgrade(&value);
        drop(value);
        // the map's and apply's jobs may still be dropping on the workers for a moment
        let begun = Instant::now();
        while refs.iter().any(|r| r.upgrade().is_some()) || weak.upgrade().is_some() {
            assert!(begun.elapsed() < PATIENCE, "the pool kept a task's values");
            std::thread::yield_now();
        }
    });
}

/// `_TestPoolWorkerErrors.test_async_error_callback`.
#[test]
fn test_async_error_callback() {
    bounded(|| {
        let pool = ThreadPool::new(2);
        let scratchpad = Arc::new(Mutex::new(None));
        let s = Arc::clone(&scratchpad);
        let result = pool
            .apply_async_with(
                || -> i32 { panic!("key") },
                |_| {},
                move |error| *lock(&s) = Some(error.clone()),
            )
            .unwrap();
        assert_eq!(result.get(), Err(PoolError::Panicked("key".into())));
        assert_eq!(*lock(&scratchpad), Some(PoolError::Panicked("key".into())));
        pool.close();
        pool.join().unwrap();
    });
}

/// `TestInitializers.test_pool_initializer`.
#[test]
fn test_pool_initializer() {
    bounded(|| {
        let (count, init) = counter();
        let pool = ThreadPool::with_initializer(1, init);
        pool.close();
        pool.join().unwrap();
        assert_eq!(count.load(Ordering::SeqCst), 1);
    });
}
