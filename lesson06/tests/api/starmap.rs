//! The tests of `lesson06/src/starmap.rs` that use its public API only (moved here so that the
//! file a reader copies is the implementation).

//! `starmap`'s tests, with CPython's `test_starmap` and `test_starmap_async` ported.

use crate::support::bounded;
use lesson06::*;
use std::time::Duration;

fn mul(x: i64, y: i64) -> i64 {
    x * y
}

/// `list(zip(range(n), range(n - 1, -1, -1)))`
fn tuples(n: i64) -> Vec<(i64, i64)> {
    (0..n).zip((0..n).rev()).collect()
}

#[test]
fn starmap_unpacks_tuples_of_several_arities() {
    bounded(|| {
        let pool = ThreadPool::default();
        assert_eq!(
            pool.starmap(|a: i32, b: i32| a + b, [(1, 2), (3, 4), (5, 6)]),
            Ok(vec![3, 7, 11])
        );
        assert_eq!(
            pool.starmap(|a: i32, b: i32, c: i32| a * b * c, [(1, 2, 3), (2, 3, 4)]),
            Ok(vec![6, 24])
        );
        assert_eq!(
            pool.starmap(
                |a: i32, b: i32, c: i32, d: i32| a - b - c - d,
                [(10, 1, 2, 3)]
            ),
            Ok(vec![4])
        );
        assert_eq!(pool.starmap(|s: &str| s.len(), [("abc",)]), Ok(vec![3]));
    });
}

#[test]
fn starmap_on_a_closed_pool_is_an_error() {
    bounded(|| {
        let pool = ThreadPool::new(1);
        pool.close();
        assert_eq!(
            pool.starmap(|a: i32, b: i32| a + b, [(1, 2)]),
            Err(PoolError::NotRunning)
        );
        assert_eq!(
            pool.starmap(|a: i32, b: i32| a + b, Vec::new()),
            Err(PoolError::NotRunning)
        );
        assert_eq!(
            pool.starmap_with_chunksize(|a: i32, b: i32| a + b, [(1, 2)], 1),
            Err(PoolError::NotRunning)
        );
    });
}

#[test]
fn a_panicking_call_is_the_starmaps_error() {
    bounded(|| {
        let pool = ThreadPool::new(2);
        assert_eq!(
            pool.starmap(
                |a: i32, b: i32| if a == 3 { panic!("three") } else { a + b },
                [(1, 2), (3, 4)]
            ),
            Err(PoolError::Panicked("three".into()))
        );
    });
}

// ---- CPython's _TestPool (Lib/test/_test_multiprocessing.py) ----

#[test]
fn test_starmap() {
    bounded(|| {
        let pool = ThreadPool::new(4);
        let expected: Vec<i64> = tuples(10).into_iter().map(|(x, y)| mul(x, y)).collect();
        assert_eq!(pool.starmap(mul, tuples(10)), Ok(expected));
        let expected: Vec<i64> = tuples(100).into_iter().map(|(x, y)| mul(x, y)).collect();
        assert_eq!(
            pool.starmap_with_chunksize(mul, tuples(100), 20),
            Ok(expected)
        );
    });
}

#[test]
fn test_starmap_async() {
    bounded(|| {
        let pool = ThreadPool::new(4);
        let expected: Vec<i64> = tuples(100).into_iter().map(|(x, y)| mul(x, y)).collect();
        assert_eq!(
            pool.starmap_async(mul, tuples(100))
                .unwrap()
                .get_timeout(Duration::from_secs(5)),
            Ok(expected)
        );
    });
}
