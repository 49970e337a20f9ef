//! # CPU-bound work does speed up with threads in Rust
//!
//! Ports `cpu_bound_threads.py` (book L01 "What is the Global Interpreter Lock" and "Don't Use
//! Threads for CPU-Bound Tasks"; the book has no code here, the Python comparison script
//! was written from its text).
//!
//! The same pure computation runs twice: first its tasks one after another on the main
//! thread, then one task per core, each on its own thread. In CPython the Global
//! Interpreter Lock lets only one thread run Python code at a time, so the threaded run is
//! no faster (1.04-1.15x on 2 cores). Rust has no GIL: each thread runs on its own core, so
//! the speedup approaches the number of cores.
//!
//! Run it: `cargo run -p lesson01 --bin cpu_bound_threads` (and with `--release`: both show it)

use std::hint::black_box;
use std::thread;
use std::time::{Duration, Instant};

/// Iterations of one task. Python's script does 10 million per task; a Rust loop is far
/// faster, so this is larger: about a second for the serial run in a debug build. An
/// optimised (`--release`) build runs the loop some fifteen times faster still, so it gets
/// more iterations, or its timings would be too short to measure well.
const N: u64 = if cfg!(debug_assertions) {
    40_000_000
} else {
    600_000_000
};

/// Trials of each way: at least `MIN_TRIALS`, and more while they take less than
/// `MIN_TOTAL` in all (a release build is much faster, so it gets more, shorter trials).
/// The speedup printed is the median of the trials' speedups, since one trial on a busy
/// machine can be slowed by anything else that runs.
const MIN_TRIALS: usize = 5;
const MAX_TRIALS: usize = 25;
const MIN_TOTAL: Duration = Duration::from_secs(2);

/// Python's `task(n)`: the sum of squares below `n`, a pure computation with no IO.
///
/// `black_box` hides the value of `i` from the optimiser: without it a release build could
/// replace the loop with a formula and finish in no time. Sums wrap at 2^64 (Python's
/// integers grow instead), which changes nothing here: both runs compute the same thing.
fn task(n: u64) -> u64 {
    let mut total: u64 = 0;
    for i in 0..n {
        let i = black_box(i);
        total = total.wrapping_add(i.wrapping_mul(i));
    }
    total
}

/// Runs `tasks` tasks one after the other on this thread; returns the time and results.
fn serial(tasks: usize) -> (Duration, Vec<u64>) {
    let start = Instant::now();
    let results = (0..tasks).map(|_| task(N)).collect();
    (start.elapsed(), results)
}

/// Runs `tasks` tasks, one per thread, all at once; returns the time and results.
fn threaded(tasks: usize) -> (Duration, Vec<u64>) {
    let start = Instant::now();
    // `thread::scope` joins every thread spawned inside it before it returns. And unlike
    // Python's `results[index] = total`, each thread hands its result back through `join`:
    // no shared list, no lock.
    let results = thread::scope(|s| {
        let handles: Vec<_> = (0..tasks).map(|_| s.spawn(|| task(N))).collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a task panicked"))
            .collect()
    });
    (start.elapsed(), results)
}

/// The middle value (the mean of the two middle ones for an even count).
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

fn main() {
    // One task per core: the most threads that can run at the same moment.
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    println!("Cores: {cores} (std::thread::available_parallelism)");

    let mut serial_times = Vec::new();
    let mut threaded_times = Vec::new();
    let mut speedups = Vec::new();
    let mut serial_result = Vec::new();
    let mut threaded_result = Vec::new();
    let started = Instant::now();
    while speedups.len() < MIN_TRIALS
        || (started.elapsed() < MIN_TOTAL && speedups.len() < MAX_TRIALS)
    {
        let (s, s_results) = serial(cores);
        let (t, t_results) = threaded(cores);
        serial_times.push(s.as_secs_f64());
        threaded_times.push(t.as_secs_f64());
        speedups.push(s.as_secs_f64() / t.as_secs_f64());
        serial_result = s_results;
        threaded_result = t_results;
    }
    let trials = speedups.len();
    let (s, t) = (median(serial_times), median(threaded_times));
    let speedup = median(speedups);

    println!(
        "Serial: {cores} tasks took {s:.3} seconds (median; result {})",
        serial_result[0]
    );
    println!(
        "Threads: {cores} tasks took {t:.3} seconds (median; result {})",
        threaded_result[0]
    );
    println!("Results equal: {}", serial_result == threaded_result);
    println!("Speedup: {speedup:.2}x (serial / threaded, median of {trials} trials)");
    println!(
        "Python (CPython 3.11, 2 cores, 2 tasks): serial 2.13-2.24 s, threads 1.85-2.15 s, speedup 1.04-1.15x"
    );
    if cores > 1 && speedup < 1.4 {
        // Rust has no lock that makes threads take turns; if they still gained little,
        // something else was using the cores (another program, another virtual machine).
        println!(
            "Conclusion: the threads gained little this time although Rust has no GIL: other work kept the cores busy; on a quiet machine the speedup approaches {cores}x."
        );
    } else if cores > 1 {
        println!(
            "Conclusion: with no GIL, {cores} threads run the work on {cores} cores at once, so it finishes up to {cores}x sooner, where Python's threads take turns and gain nothing."
        );
    } else {
        println!(
            "Conclusion: with one core there is nothing to run the threads side by side, so no speedup here; on more cores Rust's threads, having no GIL, would share out the work."
        );
    }
}
