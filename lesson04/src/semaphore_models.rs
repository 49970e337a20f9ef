//! Shuttle models: `release` against a timed acquire and a stray release against a `forget`,
//! in every interleaving (`check_dfs`); `release_n` against two waiters, and guards against a
//! stray release, in sampled schedules (2,000 and 1,000 random, as many PCT). Shuttle's
//! `wait_timeout` never times out, so `acquire_timeout` is modelled as a wait that a release
//! must end (a lost wakeup is a deadlock, which shuttle reports); the timeout itself is tested
//! with real time above.
//!
//! Loaded by `semaphore.rs` only under `--cfg shuttle` (`cargo xtask models`): a copy of
//! `semaphore.rs` never reads this file.

use super::*;
use shuttle::sync::Arc;
use shuttle::thread;

/// A permit given back (its guard dropped) against a waiter counting itself, in every
/// interleaving: the drop notifies only when it finds a waiter counted, so a waiter that
/// counted itself too late to be seen must see the permit instead.
#[test]
fn permit_drop_against_a_counting_waiter() {
    shuttle::check_dfs(
        || {
            let sem = Arc::new(Semaphore::new(1));
            let permit = sem.acquire();
            let waiter = {
                let sem = Arc::clone(&sem);
                thread::spawn(move || drop(sem.acquire()))
            };
            drop(permit);
            waiter.join().unwrap();
            assert_eq!(sem.available(), 1);
        },
        None,
    );
}

/// A `release` against an `acquire_timeout` on an empty semaphore, for both kinds: the
/// waiter gets the permit, whichever comes first.
#[test]
fn release_against_timed_acquire() {
    shuttle::check_dfs(
        || {
            let sem = Arc::new(Semaphore::new(0));
            let waiter = {
                let sem = Arc::clone(&sem);
                thread::spawn(move || sem.acquire_timeout(Duration::from_secs(1)).is_some())
            };
            sem.release();
            assert!(waiter.join().unwrap());
            assert_eq!(sem.available(), 1);
        },
        None,
    );
    shuttle::check_dfs(
        || {
            let sem = Arc::new(BoundedSemaphore::new(1));
            sem.acquire().forget();
            let waiter = {
                let sem = Arc::clone(&sem);
                thread::spawn(move || sem.acquire_timeout(Duration::from_secs(1)).is_some())
            };
            assert_eq!(sem.release(), Ok(()));
            assert!(waiter.join().unwrap());
            assert_eq!(sem.available(), 1);
        },
        None,
    );
}

/// `release_n(2)` against two waiters, one timed: both get in, whatever the order (random
/// and PCT schedules: the exhaustive search of three threads takes over half a minute).
#[test]
fn release_n_wakes_every_waiter_it_can() {
    let model = || {
        let sem = Arc::new(Semaphore::new(0));
        // Each waiter keeps its permit (forgets it), so no drop wakes the other one: the
        // release alone must wake both.
        let timed = {
            let sem = Arc::clone(&sem);
            thread::spawn(move || {
                let permit = sem.acquire_timeout(Duration::from_secs(1));
                permit.map(SemaphorePermit::forget).is_some()
            })
        };
        let blocking = {
            let sem = Arc::clone(&sem);
            thread::spawn(move || sem.acquire().forget())
        };
        sem.release_n(2);
        assert!(timed.join().unwrap());
        blocking.join().unwrap();
        assert_eq!(sem.available(), 0);
    };
    shuttle::check_random(model, 2_000);
    shuttle::check_pct(model, 2_000, 3);
}

/// A bounded semaphore of 1: a stray release races a thread that takes the permit and
/// forgets it. The release is accepted exactly when the permit was out by then, and the
/// count never passes the bound.
#[test]
fn a_stray_release_against_a_forget() {
    shuttle::check_dfs(
        || {
            let sem = Arc::new(BoundedSemaphore::new(1));
            let taker = {
                let sem = Arc::clone(&sem);
                thread::spawn(move || sem.acquire().forget())
            };
            let released = sem.release().is_ok();
            assert!(sem.available() <= 1);
            taker.join().unwrap();
            assert_eq!(sem.available(), usize::from(released));
        },
        None,
    );
}

/// Guards in and out against a stray release (random and PCT schedules): the release is
/// always refused, since no permit is ever out without a guard.
#[test]
fn guards_against_a_stray_release() {
    let model = || {
        let sem = Arc::new(BoundedSemaphore::new(1));
        let worker = {
            let sem = Arc::clone(&sem);
            thread::spawn(move || {
                drop(sem.acquire());
                drop(
                    sem.acquire_timeout(Duration::from_secs(1))
                        .expect("never times out"),
                );
            })
        };
        assert!(sem.release().is_err());
        worker.join().unwrap();
        assert_eq!(sem.available(), 1);
    };
    shuttle::check_random(model, 1_000);
    shuttle::check_pct(model, 1_000, 3);
}
