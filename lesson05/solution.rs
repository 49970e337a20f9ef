//! # Solution to exercise 05: one job in eight subtasks, the results gathered three ways
//!
//! Each way starts all eight threads before it waits for any, so the subtasks' quarter
//! seconds overlap and a way takes about 0.25 s. The global is a `static AtomicU64`: a plain
//! `static mut` would need `unsafe` for every read and write (since Rust 1.82 only taking its
//! address, with `&raw const` or `&raw mut`, is safe), and `fetch_add` adds in one indivisible
//! step, so no sum is lost the way lesson 04's separate load and store lost updates. Main
//! reads it only after joining every thread, and `join` orders each thread's writes before
//! that read, so `Relaxed` is enough. The second way needs no shared state at all: the
//! closure's return value comes back from `join`. The third gives each thread a clone of the
//! `Sender` and drops main's own, so the receiver's iterator ends once all eight sums are in
//! and every sender is gone: `receiver.iter().sum()` is the whole gathering loop.
//!
//! Run it: `cargo run -p lesson05 --bin lesson05_solution`

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// The job: the sum of 1..=N.
const N: u64 = 1_000_000;

/// How many subtasks share the job: each way starts this many threads.
const SUBTASKS: u64 = 8;

/// How long one subtask blocks before it returns its sum.
const BLOCK: Duration = Duration::from_millis(250);

/// Way 1's global: every subtask thread adds its sum here.
static GATHERED: AtomicU64 = AtomicU64::new(0);

/// Subtask `index` (0 to 7): blocks for `BLOCK`, then returns the sum of its eighth of 1..=N.
fn subtask(index: u64) -> u64 {
    let size = N / SUBTASKS;
    let first = index * size + 1;
    thread::sleep(BLOCK);
    (first..first + size).sum()
}

/// Prints one way's line: its name, the total it gathered, and the seconds since `start`.
fn report(way: &str, total: u64, start: Instant) {
    println!(
        "{way}: total={total} in {:.3} s",
        start.elapsed().as_secs_f64()
    );
}

fn main() {
    println!(
        "Job: the sum of 1..={N} in {SUBTASKS} subtasks of {} s each",
        BLOCK.as_secs_f64()
    );

    // The serial version: main calls the subtasks itself, one after another.
    let start = Instant::now();
    let total: u64 = (0..SUBTASKS).map(subtask).sum();
    report("Serial", total, start);

    // Way 1: a global variable. Start all eight, then join all eight, then read.
    let start = Instant::now();
    let threads: Vec<_> = (0..SUBTASKS)
        .map(|index| {
            thread::spawn(move || {
                GATHERED.fetch_add(subtask(index), Ordering::Relaxed);
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("a subtask panicked");
    }
    report("Global variable", GATHERED.load(Ordering::Relaxed), start);

    // Way 2: the values `join` hands back. The `collect` in the middle matters: iterators
    // are lazy, and without it each thread would be joined before the next one is spawned.
    let start = Instant::now();
    let total: u64 = (0..SUBTASKS)
        .map(|index| thread::spawn(move || subtask(index)))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|thread| thread.join().expect("a subtask panicked"))
        .sum();
    report("Join values", total, start);

    // Way 3: a channel, one `Sender` clone per thread.
    let start = Instant::now();
    let (sender, receiver) = mpsc::channel();
    let threads: Vec<_> = (0..SUBTASKS)
        .map(|index| {
            let sender = sender.clone();
            thread::spawn(move || {
                sender
                    .send(subtask(index))
                    .expect("main receives until every sum is in");
            })
        })
        .collect();
    // Main's own sender goes now: the channel then closes when the last thread's does.
    drop(sender);
    let total: u64 = receiver.iter().sum();
    for thread in threads {
        thread.join().expect("a subtask panicked");
    }
    report("Channel", total, start);
}
