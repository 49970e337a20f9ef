//! # Lock: non-blocking acquire, acquire with a timeout, `locked()`
//!
//! Ports org "how to use mutex lock" and tip 2 of org "threading best practices" (use timeouts
//! when waiting).
//!
//! A holder thread keeps a lock for one second. Meanwhile main tries to take it without
//! blocking (refused), with a 0.3 s timeout (refused after 0.3 s), and with a 10 s timeout
//! (granted as soon as the holder lets go, about 1 s in).
//!
//! The Rust twist: std's `Mutex` has `try_lock` but no timed lock and no `locked()`, so this
//! uses `lesson04::Lock`, whose `acquire_timeout` returns `Some(guard)` or `None` where Python
//! returns `True` or `False`.
//!
//! Run it: `cargo run -p lesson04 --bin lock_try_and_timeout`

use std::sync::Barrier;
use std::thread;
use std::time::Duration;

use lesson04::Lock;

/// Python's booleans print as `True` / `False`; Rust's as `true` / `false`. The port prints
/// the original's text.
fn py(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

/// The holder: takes the lock, tells main it has it, and keeps it for a second.
fn holder(lock: &Lock, holding: &Barrier) {
    let _guard = lock.acquire();
    println!("holder: got the lock, holding it for 1 second");
    holding.wait();
    thread::sleep(Duration::from_secs(1));
    println!("holder: releasing the lock");
    // `_guard` is dropped here: the lock is released
}

fn main() {
    // `Lock<()>` guards no data, as Python's Lock does not
    let lock = Lock::new(());
    let holding = Barrier::new(2);
    println!("lock.locked()={}", py(lock.locked()));
    thread::scope(|s| {
        let thread = s.spawn(|| holder(&lock, &holding));
        // A 0.1 s sleep alone would let the holder take the lock first only on an idle machine,
        // where a thread starts in far less time; so main first waits for the holder to say it
        // has the lock.
        holding.wait();
        thread::sleep(Duration::from_secs_f64(0.1));
        if lock.locked() {
            println!("lock is acquired by another thread");
        } else {
            println!("lock is not acquired");
        }
        // Python: `acquire(blocking=False)`
        let acquired = lock.try_acquire();
        println!("acquire(blocking=False) -> {}", py(acquired.is_some()));
        // (had it succeeded, dropping `acquired` here would release the lock)
        drop(acquired);
        // Python: `acquire(timeout=0.3)`, too short: the holder keeps the lock a second
        let acquired = lock.acquire_timeout(Duration::from_secs_f64(0.3));
        println!("acquire(timeout=0.3) -> {}", py(acquired.is_some()));
        drop(acquired);
        // tip 2: always use a timeout when waiting
        match lock.acquire_timeout(Duration::from_secs(10)) {
            None => println!("acquire(timeout=10) -> False (failure case)"),
            Some(guard) => {
                println!("acquire(timeout=10) -> True");
                println!("lock.locked()={}", py(lock.locked()));
                // Python: `lock.release()`
                drop(guard);
            }
        }
        thread.join().expect("the holder does not panic");
    });
    println!("lock.locked()={}", py(lock.locked()));
}
