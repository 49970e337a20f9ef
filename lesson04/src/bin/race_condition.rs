//! # Race condition: a lost update, then three fixes
//!
//! Ports the exercise of book L04 (add to and subtract from one balance) and guide "Thread
//! Synchronization".
//!
//! One thread adds 1 to a shared balance 1,000,000 times while another subtracts 1 as often.
//! The right answer is 0. Done as a separate read and write, updates get lost and the balance
//! ends away from 0; with a mutex, with a semaphore of 1, or with one atomic `fetch_add`, it
//! ends at 0. (CPython 3.11 printed 0 in every run even without the lock: its GIL passes to
//! another thread only at some instructions, such as a loop's jump back or a call, and
//! `balance += 1` has none between its read and its write. Rust threads run truly in
//! parallel.)
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
use std::time::{Duration, Instant};

use lesson04::Semaphore;

const TIMES: usize = 1_000_000;

/// How long working out the new balance takes: the gap between a thread's read of the balance
/// and its write.
const WORK: Duration = Duration::from_nanos(100);

/// `read + delta`, worked out in `WORK`. `fake_database` widens its window with a 0.1 s sleep;
/// this one is short, since it runs two million times, but wide enough that the other thread's
/// writes land inside it on every run: in parallel on two cores, or taking turns on one core of
/// a loaded machine, where a thread switched out inside it loses a whole time slice of the
/// other's updates. The unprotected, mutex and semaphore versions below all do this work: only
/// the protection differs.
fn new_balance(read: i64, delta: i64) -> i64 {
    let start = Instant::now();
    while start.elapsed() < WORK {
        std::hint::spin_loop();
    }
    read + delta
}

/// `balance += delta` split into its two steps, read then write. Each step is atomic, the pair
/// is not: another thread's write between them is overwritten, a lost update.
fn unprotected_step(balance: &AtomicI64, delta: i64) {
    let read = balance.load(Ordering::Relaxed);
    balance.store(new_balance(read, delta), Ordering::Relaxed);
}

/// One run of the exercise: one thread applies `step(1)` TIMES times (its `add()`) while
/// another applies `step(-1)` as often (its `subtract()`).
fn run(step: impl Fn(i64) + Sync) {
    // A start line: both threads begin their loops at the same moment, so they overlap (one
    // thread could otherwise finish its million steps before the other even starts).
    let start = Barrier::new(2);
    thread::scope(|s| {
        for delta in [1, -1] {
            let (start, step) = (&start, &step);
            s.spawn(move || {
                start.wait();
                for _ in 0..TIMES {
                    step(delta);
                }
            });
        }
    });
}

fn main() {
    // Without any protection: the lost updates are the race condition.
    let balance = AtomicI64::new(0);
    run(|delta| unprotected_step(&balance, delta));
    println!("Without lock: balance={}", balance.load(Ordering::Relaxed));

    // Thread-safe with a mutex lock: the Mutex owns the balance, so the read and the write
    // both happen through one guard, inside one critical section.
    let balance = Mutex::new(0i64);
    run(|delta| {
        let mut guarded = balance.lock().expect("no thread panics holding it");
        *guarded = new_balance(*guarded, delta);
    });
    let balance = balance.into_inner().expect("no thread panicked holding it");
    println!("With lock: balance={balance}");

    // Thread-safe with a semaphore of 1: the same racy read-then-write as the first version,
    // now inside a section that only one thread may enter at a time.
    let semaphore = Semaphore::new(1);
    let balance = AtomicI64::new(0);
    run(|delta| {
        let _permit = semaphore.acquire();
        unprotected_step(&balance, delta);
    });
    println!(
        "With semaphore: balance={}",
        balance.load(Ordering::Relaxed)
    );

    // The Rust way for a lone counter: one atomic read-modify-write, no lock at all, which no
    // other thread's write can split. It is one operation, not always one instruction: x86-64
    // has a `lock`ed add, while an AArch64 CPU without LSE retries a load-exclusive and
    // store-exclusive pair until no other write came between them.
    let balance = AtomicI64::new(0);
    run(|delta| {
        balance.fetch_add(delta, Ordering::Relaxed);
    });
    println!("With atomic: balance={}", balance.load(Ordering::Relaxed));
}
