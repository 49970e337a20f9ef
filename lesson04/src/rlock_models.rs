//! Shuttle model: two threads, each entering twice (by `acquire`, then `try_acquire` or
//! `acquire_timeout`), in every interleaving: never two owners, a re-entry never waits for
//! itself, and the last release wakes the other thread (a lost wakeup is a deadlock, which
//! shuttle reports). Shuttle's `wait_timeout` never times out; the timeout itself is tested with
//! real time above.
//!
//! Loaded by `rlock.rs` only under `--cfg shuttle` (`cargo xtask models`): a copy of
//! `rlock.rs` never reads this file.

use super::*;
use shuttle::sync::Arc;
use shuttle::sync::atomic::{AtomicUsize, Ordering};

fn twice(lock: &RLock<AtomicUsize>, timed: bool) {
    let outer = lock.acquire();
    assert_eq!(outer.fetch_add(1, Ordering::SeqCst), 0, "two owners");
    let inner = if timed {
        lock.acquire_timeout(Duration::from_secs(1))
    } else {
        lock.try_acquire()
    };
    assert!(inner.is_some(), "the owner did not re-enter");
    drop(inner);
    assert!(lock.is_owned());
    outer.fetch_sub(1, Ordering::SeqCst);
}

#[test]
fn two_owners_in_turn() {
    shuttle::check_dfs(
        || {
            let lock = Arc::new(RLock::new(AtomicUsize::new(0)));
            let other = {
                let lock = Arc::clone(&lock);
                thread::spawn(move || twice(&lock, true))
            };
            twice(&lock, false);
            other.join().unwrap();
            assert!(!lock.locked());
        },
        None,
    );
}
