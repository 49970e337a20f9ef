//! # Solution to exercise 02: the same task five times, serially and then one thread each
//!
//! The threaded run spawns one thread per task inside `thread::scope`; the scope's closing
//! brace joins them all, so the time taken after it covers every task. The five sleeps
//! overlap, so the run lasts about one task's half second instead of 2.5 s: some 5 times
//! faster, 2 seconds saved. The Rust twist: starting and waiting must be two separate steps.
//! `(1..=5).map(|n| thread::spawn(move || task(n))).for_each(|h| h.join().unwrap())` reads
//! like "start them all, then wait", but iterators are lazy: `for_each` pulls one handle at a
//! time, so each thread is joined before the next one is even spawned, and the run is serial
//! again. A scope, or handles collected into a `Vec` before the first `join`, starts all five
//! first.
//!
//! Run it: `cargo run -p lesson02 --bin lesson02_solution`

use std::thread;
use std::time::{Duration, Instant};

/// How many times the task runs in each version.
const TASKS: u32 = 5;

/// How long one task blocks.
const TASK_TIME: Duration = Duration::from_millis(500);

/// The repetitive task: it blocks for half a second, then says it is done.
fn task(number: u32) {
    thread::sleep(TASK_TIME);
    println!("Task {number} done");
}

fn main() {
    // The serial version: each task starts once the one before it has finished.
    let start = Instant::now();
    for number in 1..=TASKS {
        task(number);
    }
    let serial = start.elapsed().as_secs_f64();
    println!("Serial: {serial:.3} seconds");

    // The concurrent version: one thread per task, all started before any is waited for.
    // The scope joins every thread it spawned before it returns.
    let start = Instant::now();
    thread::scope(|s| {
        for number in 1..=TASKS {
            s.spawn(move || task(number));
        }
    });
    let threaded = start.elapsed().as_secs_f64();
    println!("Threaded: {threaded:.3} seconds");

    // How much faster: in seconds saved, and as a factor.
    let difference = serial - threaded;
    let ratio = serial / threaded;
    println!("Difference: {difference:.3} seconds faster");
    println!("Ratio: {ratio:.2}x faster");
}
