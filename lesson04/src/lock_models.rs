//! Shuttle models of the lock's own state: exclusion through every door, and a release that
//! wakes a waiter (a lost wakeup is a deadlock, which shuttle reports). Shuttle's
//! `wait_timeout` never times out, so `acquire_timeout` is modelled as a wait that a release
//! must end; the timeout itself is tested with real time above.
//!
//! Loaded by `lock.rs` only under `--cfg shuttle` (`cargo xtask models`): a copy of
//! `lock.rs` never reads this file.

use super::*;
use shuttle::sync::Arc;
use shuttle::sync::atomic::{AtomicUsize, Ordering};
use shuttle::thread;

/// In and out once, counting holders: never two, `locked()` true while one holds.
fn enter(guard: LockGuard<'_, i32>, inside: &AtomicUsize, lock: &Lock<i32>) {
    let mut guard = guard;
    assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0, "two holders");
    assert!(lock.locked());
    *guard += 1;
    inside.fetch_sub(1, Ordering::SeqCst);
}

/// The count of timed waiters against a release, in every interleaving: a timed acquire
/// that counts itself while the holder unlocks and reads the count is never left asleep
/// on a free lock (that lost wakeup would be a deadlock, which shuttle reports).
#[test]
fn release_against_a_counting_timed_waiter() {
    shuttle::check_dfs(
        || {
            let lock = Arc::new(Lock::new(0));
            let guard = lock.acquire();
            let waiter = {
                let lock = Arc::clone(&lock);
                thread::spawn(move || {
                    let guard = lock.acquire_timeout(Duration::from_secs(3600));
                    *guard.expect("shuttle never times out") += 1;
                })
            };
            drop(guard);
            waiter.join().unwrap();
            assert!(!lock.locked());
            assert_eq!(*lock.acquire(), 1);
        },
        None,
    );
}

/// Two timed waiters and a holder that takes the lock again at once (random and PCT):
/// while one waiter is counted every release wakes one, so both get in.
#[test]
fn two_timed_waiters_and_a_returning_holder() {
    let model = || {
        let lock = Arc::new(Lock::new(0));
        let inside = Arc::new(AtomicUsize::new(0));
        let guard = lock.acquire();
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let (lock, inside) = (Arc::clone(&lock), Arc::clone(&inside));
                thread::spawn(move || {
                    let guard = lock.acquire_timeout(Duration::from_secs(3600));
                    enter(guard.expect("shuttle never times out"), &inside, &lock);
                })
            })
            .collect();
        drop(guard);
        enter(lock.acquire(), &inside, &lock);
        for waiter in waiters {
            waiter.join().unwrap();
        }
        assert_eq!(*lock.acquire(), 3);
    };
    shuttle::check_random(model, 2_000);
    shuttle::check_pct(model, 2_000, 3);
}

/// An `acquire` against an `acquire_timeout`, in every interleaving (exhaustive): both get
/// in, one after the other, and the lock ends free.
#[test]
fn acquire_against_timed_acquire() {
    shuttle::check_dfs(
        || {
            let lock = Arc::new(Lock::new(0));
            let inside = Arc::new(AtomicUsize::new(0));
            let blocking = {
                let (lock, inside) = (Arc::clone(&lock), Arc::clone(&inside));
                thread::spawn(move || enter(lock.acquire(), &inside, &lock))
            };
            let guard = lock.acquire_timeout(Duration::from_secs(1));
            enter(guard.expect("shuttle never times out"), &inside, &lock);
            blocking.join().unwrap();
            assert!(!lock.locked());
            assert_eq!(*lock.acquire(), 2);
        },
        None,
    );
}

/// Three threads, one per door (`acquire`, `acquire_timeout`, `try_acquire`), each in and
/// out once (random and PCT schedules: the exhaustive search is too large): never two
/// holders, and every update to the data kept.
#[test]
fn three_doors_exclude() {
    let model = || {
        let lock = Arc::new(Lock::new(0));
        let inside = Arc::new(AtomicUsize::new(0));
        let blocking = {
            let (lock, inside) = (Arc::clone(&lock), Arc::clone(&inside));
            thread::spawn(move || enter(lock.acquire(), &inside, &lock))
        };
        let timed = {
            let (lock, inside) = (Arc::clone(&lock), Arc::clone(&inside));
            thread::spawn(move || {
                let guard = lock.acquire_timeout(Duration::from_secs(1));
                enter(guard.expect("shuttle never times out"), &inside, &lock);
            })
        };
        let tried = lock
            .try_acquire()
            .map(|g| enter(g, &inside, &lock))
            .is_some();
        blocking.join().unwrap();
        timed.join().unwrap();
        assert!(!lock.locked());
        assert_eq!(*lock.acquire(), 2 + i32::from(tried));
    };
    shuttle::check_random(model, 2_000);
    shuttle::check_pct(model, 2_000, 3);
}
