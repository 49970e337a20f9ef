//! # Deadlock: two locks taken in opposite orders, detected with a timeout; then one order
//!
//! Ports guide "Avoiding Deadlocks" and org "threading best practices", tip 4 (acquire locks in
//! order).
//!
//! `worker_1` takes `lock_1` then `lock_2`; `worker_2` takes `lock_2` then `lock_1`. Each
//! holds its first lock when it asks for the second: a deadlock, in which the guide's workers
//! would wait forever. Here the second acquire has a timeout (org tip 2, "use timeouts when
//! waiting"), so `worker_1` gives up after 1 s, releases `lock_1`, and `worker_2` (which waits
//! up to 3 s) then gets it and does its work. Then the same two workers run again taking the
//! locks in one order, `lock_1` then `lock_2`, and both finish.
//!
//! Each worker pauses 0.1 s after its first acquire, so that the other takes its own first lock
//! meanwhile. On a busy machine a thread can start later than that, so each part also has a
//! `Barrier` for its two workers: in part 1 both hold their first lock before either asks for
//! its second, and the deadlock happens on every run; in part 2 both start together, and one
//! of them waits for `lock_1`.
//!
//! The Rust twist: std's `Mutex` has no timed lock (`lock()` would wait forever, `try_lock()`
//! not at all), so this uses `lesson04::Lock` and its `acquire_timeout`.
//!
//! Run it: `cargo run -p lesson04 --bin deadlock`

use std::sync::Barrier;
use std::thread;
use std::time::Duration;

use lesson04::Lock;

/// Part 1, `worker_1`: `lock_1` then `lock_2`, giving up on `lock_2` after 1 s.
fn worker_1(lock_1: &Lock, lock_2: &Lock, both_hold_one: &Barrier) {
    let guard_1 = lock_1.acquire();
    println!("worker_1: acquired lock_1");
    both_hold_one.wait();
    thread::sleep(Duration::from_secs_f64(0.1));
    let Some(guard_2) = lock_2.acquire_timeout(Duration::from_secs(1)) else {
        println!("worker_1: timed out waiting for lock_2 -> deadlock detected, releasing lock_1");
        drop(guard_1); // Python: lock_1.release()
        return;
    };

    println!("worker_1: acquired lock_2, doing work");

    // release in reverse order, as the guide does: lock_2, then lock_1
    drop(guard_2);
    drop(guard_1);
}

/// Part 1, `worker_2`: `lock_2` then `lock_1` (the opposite order), giving up after 3 s.
fn worker_2(lock_1: &Lock, lock_2: &Lock, both_hold_one: &Barrier) {
    let guard_2 = lock_2.acquire();
    println!("worker_2: acquired lock_2");
    both_hold_one.wait();
    thread::sleep(Duration::from_secs_f64(0.1));
    let Some(guard_1) = lock_1.acquire_timeout(Duration::from_secs(3)) else {
        println!("worker_2: timed out waiting for lock_1 -> deadlock detected, releasing lock_2");
        drop(guard_2);
        return;
    };

    println!("worker_2: acquired lock_1, doing work");

    drop(guard_1);
    drop(guard_2);
}

/// Part 2: every worker takes `lock_1` first, then `lock_2`. No cycle, no deadlock; the
/// timeouts stay, as tip 2 asks, and never expire.
fn ordered_worker(name: &str, lock_1: &Lock, lock_2: &Lock, start: &Barrier) {
    start.wait();
    let Some(guard_1) = lock_1.acquire_timeout(Duration::from_secs(3)) else {
        println!("{name}: timed out waiting for lock_1");
        return;
    };
    println!("{name}: acquired lock_1");
    thread::sleep(Duration::from_secs_f64(0.1));
    let Some(guard_2) = lock_2.acquire_timeout(Duration::from_secs(3)) else {
        println!("{name}: timed out waiting for lock_2");
        return;
    };
    println!("{name}: acquired lock_2, doing work");
    drop(guard_2);
    drop(guard_1);
}

fn main() {
    let lock_1 = Lock::new(());
    let lock_2 = Lock::new(());
    let both_hold_one = Barrier::new(2);
    thread::scope(|s| {
        s.spawn(|| worker_1(&lock_1, &lock_2, &both_hold_one));
        s.spawn(|| worker_2(&lock_1, &lock_2, &both_hold_one));
    });
    println!("Done");

    println!("Now both workers take lock_1, then lock_2:");
    let start = Barrier::new(2);
    thread::scope(|s| {
        s.spawn(|| ordered_worker("worker_1", &lock_1, &lock_2, &start));
        s.spawn(|| ordered_worker("worker_2", &lock_1, &lock_2, &start));
    });
    println!("Done");
}
