//! Model checks (shuttle) of the feeder, the consumer and the pool's life cycle racing. Run
//! with `RUSTFLAGS="--cfg shuttle" CARGO_TARGET_DIR=target/shuttle cargo test -p lesson06
//! --lib models`. Each model is sampled (1,000 random or PCT schedules), and a deadlock in
//! any schedule tried fails it.
//!
//! Loaded by `imap.rs` only under `--cfg shuttle` (`cargo xtask models`): a copy of
//! `imap.rs` never reads this file.

use super::*;
use shuttle::sync::atomic::{AtomicUsize, Ordering};

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

/// `close` while the feeder sleeps on a full window (or is about to) and no one reads yet:
/// only the pool's word can wake it, and it must then feed the rest, or `join` never returns.
#[test]
fn close_against_a_full_window() {
    let model = || {
        let read = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&read);
        let pool = ThreadPool::new(1);
        let items = (0..7).inspect(move |_| {
            counted.fetch_add(1, Ordering::SeqCst);
        });
        let it = pool.imap(|i: i32| i, items).unwrap();
        // the feeder has read the window (4 items)
        while read.load(Ordering::SeqCst) < 4 {
            thread::yield_now();
        }
        drop(pool);
        let values: Vec<i32> = it.map(Result::unwrap).collect();
        assert_eq!(values, (0..7).collect::<Vec<_>>());
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
