//! # Exercise 04: add and subtract on one balance, without and then with protection
//!
//! Two adders each add 1 to a shared balance a million times, and two subtractors each
//! subtract 1 as often, so the balance must end at 0. `Worker::work` is one worker's part: it
//! prints `<run>: adder n started` (or `subtractor n`), waits at the start line, applies its
//! step a million times, and prints `<run>: adder n finished after 1000000 updates`. Your part:
//!
//! 1. `run` calls the four workers one after another. Make it run each worker in a thread of
//!    its own, all four at the same time (every worker starts before any finishes), and
//!    return once all have finished. The unprotected run then loses updates: its read and
//!    its write are two steps, and another worker's write lands between them.
//!    `Unprotected: balance=N` shows a number other than 0.
//!    Two things to change here. The workers borrow `step` and the start line, and
//!    `thread::spawn` refuses a closure that borrows (it wants `'static`, see lesson 02's
//!    "Giving a thread its data"): spawn them inside `thread::scope`, whose threads may
//!    borrow. And the start line, `Barrier::new(1)`, lets each worker through alone: make it
//!    count every worker, so that all of them start together.
//! 2. The protected run's step is still the unprotected read-then-write. Make it thread-safe,
//!    with a mutex (std's `Mutex`, or `lesson04::Lock`) or a semaphore of 1
//!    (`lesson04::Semaphore`), so that it prints `Protected: balance=0` while its four workers
//!    still run at the same time.
//!
//! Keep the printed lines as they are. The checks: in both runs every worker starts before
//! any finishes and applies at least a million updates; the unprotected balance is not 0, the
//! protected one is 0.
//!
//! Run it: `cargo run -p lesson04 --bin lesson04_exercise`
//! Check it: `cargo xtask check lesson04`

use std::sync::Barrier;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

/// How many times each worker updates the balance.
const UPDATES: usize = 1_000_000;

/// How many adders, and as many subtractors.
const PAIRS: usize = 2;

/// How long working out the new balance takes: the gap between a worker's read of the
/// balance and its write. A fraction of a microsecond, but wide enough that another worker's
/// write lands inside it again and again when workers run at the same time.
const WORK: Duration = Duration::from_nanos(100);

/// `read + delta`, worked out in `WORK`.
fn new_balance(read: i64, delta: i64) -> i64 {
    let start = Instant::now();
    while start.elapsed() < WORK {
        std::hint::spin_loop();
    }
    read + delta
}

/// `balance += delta` as two steps, a read and then a write. Each step is atomic on its own;
/// the pair is not.
fn unprotected_step(balance: &AtomicI64, delta: i64) {
    let read = balance.load(Ordering::Relaxed);
    balance.store(new_balance(read, delta), Ordering::Relaxed);
}

/// One adder or subtractor.
#[derive(Debug)]
struct Worker {
    /// `adder` or `subtractor`.
    kind: &'static str,
    /// 1, 2, ... within its kind.
    number: usize,
    /// What each of its updates adds: 1 or -1.
    delta: i64,
}

impl Worker {
    /// The worker's part of a run: announce, wait at the start line until as many workers as
    /// it counts have arrived, apply `step` UPDATES times, report.
    fn work(&self, run: &str, start_line: &Barrier, step: &(impl Fn(i64) + Sync)) {
        println!("{run}: {} {} started", self.kind, self.number);
        start_line.wait();
        let mut updates = 0;
        for _ in 0..UPDATES {
            step(self.delta);
            updates += 1;
        }
        println!(
            "{run}: {} {} finished after {updates} updates",
            self.kind, self.number
        );
    }
}

/// The adders, then the subtractors.
fn workers() -> Vec<Worker> {
    let adders = (1..=PAIRS).map(|number| Worker {
        kind: "adder",
        number,
        delta: 1,
    });
    let subtractors = (1..=PAIRS).map(|number| Worker {
        kind: "subtractor",
        number,
        delta: -1,
    });
    adders.chain(subtractors).collect()
}

/// Runs every worker with the same `step`, the one update each of them applies.
fn run(name: &str, step: impl Fn(i64) + Sync) {
    // The start line holds each worker until as many workers as it counts have arrived. As
    // shipped it counts one: each worker goes straight through.
    // TODO: once the workers run in threads, make the start line count all of them.
    let start_line = Barrier::new(1);
    // TODO: run each worker in a thread of its own, all of them at the same time, and return
    // only once every one has finished. As shipped, they run one after another.
    for worker in workers() {
        worker.work(name, &start_line, &step);
    }
}

fn main() {
    // Unprotected: a read, then a write.
    let balance = AtomicI64::new(0);
    run("Unprotected", |delta| unprotected_step(&balance, delta));
    println!("Unprotected: balance={}", balance.load(Ordering::Relaxed));

    // Protected.
    let balance = AtomicI64::new(0);
    // TODO: make this step thread-safe: no other worker may come between a read of the
    // balance and its write. As shipped, it is the unprotected step.
    run("Protected", |delta| unprotected_step(&balance, delta));
    println!("Protected: balance={}", balance.load(Ordering::Relaxed));
}
