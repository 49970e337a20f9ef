//! # IO-bound tasks: serial vs one thread per task
//!
//! Ports book L01 "Use Threads for IO-Bound Tasks" and the book L02 exercise (time a serial
//! program against a threaded one, then compute the difference and the ratio; the book has no
//! code there, and the Python figures printed come from a script written from its text).
//!
//! Ten tasks each block for 0.2 s, as a read from a slow disk or a network would. Serially
//! they take 10 x 0.2 = 2 s. With one thread per task they all wait at the same time, so
//! the whole batch takes about 0.2 s: the threads overlap their waiting, whatever the number
//! of cores. This is the one case where Python's threads and Rust's behave alike.
//!
//! Run it: `cargo run -p lesson01 --bin io_bound_serial_vs_threads`

use std::thread;
use std::time::{Duration, Instant};

const N_TASKS: usize = 10;
const DELAY: Duration = Duration::from_millis(200);

/// Runs of the threaded batch; it is short, so one run on a busy machine can be slowed by
/// anything else that runs. The time printed is the median.
const TRIALS: usize = 3;

/// A simulated blocking IO task. While a thread sleeps (or waits for a disk or a socket)
/// the operating system runs other threads: the waiting costs no CPU.
fn task() {
    thread::sleep(DELAY);
}

fn main() {
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    println!("Cores: {cores} (std::thread::available_parallelism)");

    let start = Instant::now();
    for _ in 0..N_TASKS {
        task();
    }
    let serial = start.elapsed().as_secs_f64();
    let delay = DELAY.as_secs_f64();
    println!("Serial: {N_TASKS} tasks x {delay}s took {serial:.3} seconds");

    // `collect` spawns all ten threads before the first `join`: joining each one as it is
    // spawned would run the waits one after another, as the serial loop does.
    let mut times = Vec::new();
    for _ in 0..TRIALS {
        let start = Instant::now();
        let threads: Vec<_> = (0..N_TASKS).map(|_| thread::spawn(task)).collect();
        for thread in threads {
            thread.join().expect("a task panicked");
        }
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let concurrent = times[TRIALS / 2];
    println!(
        "Threads: {N_TASKS} tasks x {delay}s took {concurrent:.3} seconds (median of {TRIALS} runs)"
    );

    println!("Difference: {:.3} seconds", serial - concurrent);
    println!("Ratio: {:.2}x faster", serial / concurrent);
    println!(
        "Python (CPython 3.11, 2 cores): serial 2.017 s, threads 0.217 s, ratio 9.29x (9.3-9.7x over three runs)"
    );
    println!(
        "Conclusion: the {N_TASKS} waits overlap, so the threads finish close to {N_TASKS}x sooner even on {cores} core(s), in Rust as in Python: waiting needs no CPU and no GIL."
    );
}
