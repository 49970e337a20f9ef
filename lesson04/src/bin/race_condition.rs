//! # Race condition: a lost update, then three fixes
//!
//! Ports `race_condition.py` (book L04 exercise: add and subtract from one balance; also guide
//! "Thread Synchronization" `race_condition_guide.py`, the same with `increment()` /
//! `decrement()` on a `counter`, unlocked then with a lock).
//!
//! One thread adds 1 to a shared balance 1,000,000 times while another subtracts 1 as often.
//! The right answer is 0. Done as a separate read and write, updates get lost and the balance
//! ends anywhere; with a mutex, with a semaphore of 1, or with one atomic `fetch_add`, it ends
//! at 0. (CPython 3.11 printed 0 even without the lock: its GIL rarely switches threads in the
//! middle of `balance += 1`. Rust threads run truly in parallel, so the race shows.)
//!
//! The Rust twist: safe Rust will not compile a *data race* (two threads touching a plain
//! `i64` at once, one writing). But a *race condition* is a logic error the compiler cannot
//! see: here each load and each store is a single atomic operation, perfectly legal, yet
//! between one thread's load and its store the other thread's store lands and is overwritten.
//!
//! Run it: `cargo run -p lesson04 --bin race_condition`

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Barrier, Mutex};
use std::thread;

use lesson04::Semaphore;

const TIMES: usize = 1_000_000;

/// Runs `adder` and `subtractor` in two threads that start together, as Python's `run()` does.
fn run(adder: impl Fn() + Sync, subtractor: impl Fn() + Sync) {
    // A start line: both threads begin their loops at the same moment, so they overlap (one
    // thread could otherwise finish its million steps before the other even starts).
    let start = Barrier::new(2);
    thread::scope(|s| {
        s.spawn(|| {
            start.wait();
            adder();
        });
        s.spawn(|| {
            start.wait();
            subtractor();
        });
    });
}

fn main() {
    // Without any protection: `balance += 1` split into its two steps, read then write. Each
    // step is atomic, the pair is not: the lost update is the race condition.
    let balance = AtomicI64::new(0);
    let add = || {
        for _ in 0..TIMES {
            let read = balance.load(Ordering::Relaxed);
            balance.store(read + 1, Ordering::Relaxed);
        }
    };
    let subtract = || {
        for _ in 0..TIMES {
            let read = balance.load(Ordering::Relaxed);
            balance.store(read - 1, Ordering::Relaxed);
        }
    };
    run(add, subtract);
    println!("Without lock: balance={}", balance.load(Ordering::Relaxed));

    // Thread-safe with a mutex lock: the Mutex owns the balance, so the read and the write
    // both happen through one guard, inside one critical section.
    let balance = Mutex::new(0i64);
    let add_safe = || {
        for _ in 0..TIMES {
            *balance.lock().expect("no thread panics holding it") += 1;
        }
    };
    let subtract_safe = || {
        for _ in 0..TIMES {
            *balance.lock().expect("no thread panics holding it") -= 1;
        }
    };
    run(add_safe, subtract_safe);
    let balance = balance.into_inner().expect("no thread panicked holding it");
    println!("With lock: balance={balance}");

    // Thread-safe with a semaphore of 1: the same racy read-then-write as the first version,
    // now inside a section that only one thread may enter at a time.
    let guard = Semaphore::new(1);
    let balance = AtomicI64::new(0);
    let add_safe = || {
        for _ in 0..TIMES {
            let _permit = guard.acquire();
            let read = balance.load(Ordering::Relaxed);
            balance.store(read + 1, Ordering::Relaxed);
        }
    };
    let subtract_safe = || {
        for _ in 0..TIMES {
            let _permit = guard.acquire();
            let read = balance.load(Ordering::Relaxed);
            balance.store(read - 1, Ordering::Relaxed);
        }
    };
    run(add_safe, subtract_safe);
    println!(
        "With semaphore: balance={}",
        balance.load(Ordering::Relaxed)
    );

    // The Rust way for a lone counter: one atomic read-modify-write, no lock at all.
    let balance = AtomicI64::new(0);
    let add_atomic = || {
        for _ in 0..TIMES {
            balance.fetch_add(1, Ordering::Relaxed);
        }
    };
    let subtract_atomic = || {
        for _ in 0..TIMES {
            balance.fetch_sub(1, Ordering::Relaxed);
        }
    };
    run(add_atomic, subtract_atomic);
    println!("With atomic: balance={}", balance.load(Ordering::Relaxed));
}
