//! The tests of `lesson06/src/imap.rs` that use its public API only (moved here so that the
//! file a reader copies is the implementation).

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

use crate::support::{PATIENCE, bounded};
use lesson06::*;
use std::panic;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use std::time::Instant;

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

/// The window refills by halves: once it is full, the feeder reads nothing more until the
/// consumer has taken half of it, then fills it again.
#[test]
fn imap_refills_its_window_by_halves() {
    bounded(|| {
        let workers = 2;
        let window = WINDOW_PER_WORKER * workers;
        let pool = ThreadPool::new(workers);
        let read = Arc::new(AtomicUsize::new(0));
        let mut it = pool.imap(|i: u64| i, counted(&read)).unwrap();
        let reaches = |want: usize| {
            let begun = Instant::now();
            while read.load(Ordering::SeqCst) != want {
                assert!(begun.elapsed() < PATIENCE, "read {read:?}, want {want}");
                std::thread::yield_now();
            }
            // and stays there
            std::thread::sleep(Duration::from_millis(50));
            assert_eq!(read.load(Ordering::SeqCst), want);
        };
        reaches(window);
        for _ in 0..window / 2 - 1 {
            assert!(matches!(it.next_timeout(PATIENCE), Some(Ok(_))));
        }
        reaches(window); // fewer than half taken: no refill yet
        assert!(matches!(it.next_timeout(PATIENCE), Some(Ok(_))));
        reaches(window + window / 2); // half taken: the window is full again
    });
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
                    let _ = gate.lock().unwrap().recv_timeout(PATIENCE);
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
                    let _ = gate.lock().unwrap().recv_timeout(PATIENCE);
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
        while !format!("{pending:?}").contains("fed_all: true") {
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
