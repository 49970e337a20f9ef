//! Model checks (shuttle): schedules a stress test rarely hits. The three `AsyncResult` models
//! try every interleaving (`check_dfs`); the other five are sampled (1,000 random or PCT
//! schedules each). Run with
//! `RUSTFLAGS="--cfg shuttle" CARGO_TARGET_DIR=target/shuttle cargo test -p lesson06 --lib models`.
//! shuttle's `Condvar::wait_timeout` never times out and its clock does not move, so the
//! timed waits are not modelled here (the tests above cover them); the models are the untimed
//! races. A deadlock in any schedule tried fails the model.
//!
//! Loaded by `pool.rs` only under `--cfg shuttle` (`cargo xtask models`): a copy of
//! `pool.rs` never reads this file.

use super::*;
use shuttle::sync::atomic::{AtomicUsize, Ordering};

/// A result and its completer, with no pool behind them. (A macro, not a function:
/// cargo-mutants would mutate a function here, in code that only `--cfg shuttle` builds.)
macro_rules! bare {
    () => {{
        let slot = Arc::new(Slot::new());
        let completer = Completer::<i32> {
            slot: Arc::clone(&slot),
            callbacks: None,
            pool: Weak::new(),
        };
        (AsyncResult { slot }, completer)
    }};
}

/// The counted waits (`wait_counted`): a task queued against a worker going idle, and its
/// result settled against a `get` counting itself. A submit or settle that skipped its
/// notify while someone was about to sleep would leave that thread asleep for good.
#[test]
fn counted_waits_against_submit_and_settle() {
    let model = || {
        let pool = ThreadPool::new(2);
        let first = pool.apply_async(|| 1).unwrap();
        let second = pool.apply_async(|| 2).unwrap();
        let getter = thread::spawn(move || second.get());
        assert_eq!(first.get(), Ok(1));
        assert_eq!(getter.join().unwrap(), Ok(2));
        assert_eq!(pool.apply(|| 3), Ok(3));
    };
    shuttle::check_random(model, 1000);
    shuttle::check_pct(model, 1000, 3);
}

/// AsyncResult: settle against wait, every interleaving. Whatever the order, `get`
/// returns the settled value, and `ready` and `successful` agree with each other.
#[test]
fn settle_against_wait() {
    shuttle::check_dfs(
        || {
            let (result, completer) = bare!();
            let settler = thread::spawn(move || completer.complete(Ok(5)));
            let ready = result.ready();
            let successful = result.successful();
            assert!(successful == Ok(true) || (!ready && successful == Err(PoolError::NotReady)));
            assert_eq!(result.get(), Ok(5));
            assert!(result.ready());
            settler.join().unwrap();
        },
        None,
    );
}

/// AsyncResult: a timed wait against settle. shuttle's timed waits never time out, so
/// this checks only that one returns true once the value is there, whatever the order.
#[test]
fn settle_against_timed_wait() {
    shuttle::check_dfs(
        || {
            let (result, completer) = bare!();
            let settler = thread::spawn(move || completer.complete(Ok(5)));
            assert!(result.wait_timeout(Duration::from_secs(1)));
            assert_eq!(result.get_timeout(Duration::from_secs(1)), Ok(5));
            settler.join().unwrap();
        },
        None,
    );
}

/// AsyncResult: two settlers race (in a map, the last chunk and a discarded one's drop;
/// for a task, its completion and `terminate`): the slot keeps the first outcome, and
/// every waiter sees that one.
#[test]
fn first_settle_wins() {
    shuttle::check_dfs(
        || {
            let (result, completer) = bare!();
            let slot = Arc::clone(&completer.slot);
            let a = thread::spawn(move || completer.complete(Ok(1)));
            let b = thread::spawn(move || slot.settle(Err(PoolError::Terminated)));
            let first = result.get();
            a.join().unwrap();
            b.join().unwrap();
            assert_eq!(result.get(), first);
        },
        None,
    );
}

/// A task with a callback on a pool of one worker: the callback runs (on the handler)
/// before the result is ready, and close + join waits for both.
#[test]
fn callback_before_ready_and_join_waits_for_it() {
    shuttle::check_random(
        || {
            let pool = ThreadPool::new(1);
            let called = Arc::new(AtomicUsize::new(0));
            let c = Arc::clone(&called);
            let result = pool
                .apply_async_with(
                    || 3,
                    move |_| {
                        c.fetch_add(1, Ordering::SeqCst);
                    },
                    |_| {},
                )
                .unwrap();
            let watcher = thread::spawn(move || {
                result.wait();
                called.load(Ordering::SeqCst)
            });
            pool.close();
            pool.join().unwrap();
            assert_eq!(watcher.join().unwrap(), 1);
        },
        1000,
    );
}

/// A finished task's callback handed to the result handler against `terminate`: the
/// result settles either way (with or without its callback), and join returns.
#[test]
fn callback_handoff_against_terminate() {
    shuttle::check_pct(
        || {
            let pool = Arc::new(ThreadPool::new(1));
            let called = Arc::new(AtomicUsize::new(0));
            let c = Arc::clone(&called);
            let result = pool
                .apply_async_with(
                    || 3,
                    move |_| {
                        c.fetch_add(1, Ordering::SeqCst);
                    },
                    |_| {},
                )
                .unwrap();
            let p = Arc::clone(&pool);
            let terminator = thread::spawn(move || p.terminate());
            match result.get() {
                Ok(3) => assert!(called.load(Ordering::SeqCst) <= 1),
                Err(PoolError::Terminated) => assert_eq!(called.load(Ordering::SeqCst), 0),
                other => panic!("{other:?}"),
            }
            terminator.join().unwrap();
            pool.join().unwrap();
        },
        1000,
        3,
    );
}

/// Submitting against close, join and terminate: a submission either is refused or its
/// result settles; join always returns; nothing deadlocks.
#[test]
fn submit_against_close_and_terminate() {
    shuttle::check_random(
        || {
            let pool = Arc::new(ThreadPool::new(2));
            let p = Arc::clone(&pool);
            let submitter = thread::spawn(move || {
                let a = p.apply_async(|| 1);
                let b = p.map_async(|i: i32| i, 0..3);
                (a, b)
            });
            let q = Arc::clone(&pool);
            let terminator = thread::spawn(move || q.terminate());
            pool.close();
            let (a, b) = submitter.join().unwrap();
            terminator.join().unwrap();
            pool.join().unwrap();
            if let Ok(a) = a {
                assert!(matches!(a.get(), Ok(1) | Err(PoolError::Terminated)));
            }
            if let Ok(b) = b {
                assert!(matches!(b.get(), Ok(_) | Err(PoolError::Terminated)));
            }
        },
        1000,
    );
}

/// A map over several chunks on two workers settles once, with every value in place,
/// whatever order the chunks finish in; its callback sees the same.
#[test]
fn map_chunks_settle_once() {
    shuttle::check_random(
        || {
            let pool = ThreadPool::new(2);
            let seen = Arc::new(Mutex::new(None));
            let s = Arc::clone(&seen);
            let result = pool
                .map_async_with(
                    |i: i32| i * 2,
                    0..4,
                    move |values| *lock(&s) = Some(values.clone()),
                    |_| {},
                )
                .unwrap();
            assert_eq!(result.get(), Ok(vec![0, 2, 4, 6]));
            assert_eq!(*lock(&seen), Some(vec![0, 2, 4, 6]));
        },
        1000,
    );
}

/// Two tasks that join their own pool (defect 9) get an error in every schedule tried.
#[test]
fn join_from_own_workers() {
    shuttle::check_random(
        || {
            let pool = Arc::new(ThreadPool::new(2));
            let closed = Arc::new(shuttle::sync::Barrier::new(3));
            let results: Vec<_> = (0..2)
                .map(|_| {
                    let (p, closed) = (Arc::clone(&pool), Arc::clone(&closed));
                    pool.apply_async(move || {
                        closed.wait();
                        p.join()
                    })
                    .unwrap()
                })
                .collect();
            pool.close();
            closed.wait();
            for result in results {
                assert_eq!(result.get(), Ok(Err(PoolError::JoinFromOwnThread)));
            }
            pool.join().unwrap();
        },
        1000,
    );
}
