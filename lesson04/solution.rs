//! # Solution to exercise 04: add and subtract on one balance, without and then with protection
//!
//! `run` spawns each worker in a `thread::scope`, with a start line (a `Barrier`) that counts
//! all four: each worker prints `started` before it waits there, and none begins its updates
//! until all four have arrived, so every worker starts before any finishes, on every run. The
//! scope joins the four before `run` returns. Unprotected, so many updates are lost that the
//! balance ends far from 0, often hundreds of thousands away. The protected run puts the
//! balance inside a `Mutex`: the step locks it, then reads, works out the new value and writes
//! it through one guard, which unlocks when it is dropped at the end of the closure. The Rust
//! twist: the unprotected version is legal Rust only because each read and each write is
//! atomic on its own (four threads writing one plain `i64` does not compile), and it still
//! goes wrong: safe Rust rules out data races, not race conditions. With the `Mutex` there is
//! no way to reach the balance without holding the lock. `lesson04::Semaphore::new(1)` around
//! the unprotected step works too; so does one atomic `fetch_add`, the natural choice for a
//! lone counter.
//!
//! Run it: `cargo run -p lesson04 --bin lesson04_solution`

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Barrier, Mutex};
use std::thread;
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

/// Runs every worker with the same `step`, each in a thread of its own, all at once.
fn run(name: &str, step: impl Fn(i64) + Sync) {
    let workers = workers();
    // Every worker waits here until all of them have arrived, so their loops overlap.
    let start_line = Barrier::new(workers.len());
    thread::scope(|s| {
        for worker in &workers {
            let (start_line, step) = (&start_line, &step);
            s.spawn(move || worker.work(name, start_line, step));
        }
    });
}

fn main() {
    // Unprotected: a read, then a write.
    let balance = AtomicI64::new(0);
    run("Unprotected", |delta| unprotected_step(&balance, delta));
    println!("Unprotected: balance={}", balance.load(Ordering::Relaxed));

    // Protected: the Mutex owns the balance, and one guard covers the read and the write.
    let balance = Mutex::new(0i64);
    run("Protected", |delta| {
        let mut guarded = balance.lock().expect("no worker panics holding the lock");
        *guarded = new_balance(*guarded, delta);
    });
    let balance = balance
        .into_inner()
        .expect("no worker panicked holding the lock");
    println!("Protected: balance={balance}");
}
