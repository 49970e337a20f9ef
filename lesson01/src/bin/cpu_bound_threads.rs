//! # CPU-bound work does speed up with threads in Rust
//!
//! Ports book L01 "What is the Global Interpreter Lock" and "Don't Use Threads for CPU-Bound
//! Tasks" (the book has no code there; the Python figures it prints come from a script
//! written from its text).
//!
//! The same pure computation runs three ways, one task per core: its tasks one after another
//! on the main thread, each task on its own thread, and each task in its own forked process.
//! In CPython 3.11 the Global Interpreter Lock lets only one thread run Python code at a
//! time, so its threads are hardly faster than the serial run (1.04-1.15x on 2 cores); only
//! separate processes, each with its own interpreter and its own GIL, run Python code in
//! parallel.
//!
//! The three ways take turns in every trial, so whatever else the machine runs slows them
//! alike: the threads' time against the processes' holds on a busy machine too, where the
//! speedup over the serial run shrinks for want of free cores. Each thread also notes when
//! it started and ended computing, which shows whether the threads ran at once or took
//! turns, however busy the machine. A release build (`--release`) shows the same.
//!
//! The Rust twist: there is no GIL. Rust's threads compute at the same time on different
//! cores, and take no longer than the processes.
//!
//! New to threads? `two_cpu_threads` makes the same point in thirty lines. Most of this file
//! is measuring machinery (trials, forked processes, medians), which a first reading can skip:
//! `main` at the end says what is measured.
//!
//! Run it: `cargo run -p lesson01 --bin cpu_bound_threads`

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork, pipe};
use std::fs::File;
use std::hint::black_box;
use std::io::{Read, Write};
use std::thread;
use std::time::Instant;

/// Iterations of one task. Python's script does 10 million per task; a Rust loop is far
/// faster, so this is larger: about 0.15 s per task in a debug build. An optimised
/// (`--release`) build runs the loop many times faster still, so it gets more iterations,
/// or its timings would be too short to measure well.
const N: u64 = if cfg!(debug_assertions) {
    22_000_000
} else {
    500_000_000
};

/// Trials of the three ways; each figure printed is the median over the trials, since one
/// trial on a busy machine can be slowed by anything else that runs.
const TRIALS: usize = 7;

/// Python's `task(n)`: the sum of squares below `n`, a pure computation with no IO.
///
/// `black_box` keeps the optimiser from removing the loop: without it a release build could
/// replace the loop with a formula and finish in no time. It is best-effort: std does not
/// promise that it blocks every optimisation. Sums wrap at 2^64 (Python's integers grow
/// instead), which changes nothing here: every run computes the same thing.
///
/// `inline(never)` asks for one copy of the loop, so that the three ways run the same machine
/// code (a hint: the compiler may ignore it). An optimised build would otherwise put a copy
/// of the loop into each caller, and copies at different addresses can run at different
/// speeds, as a CPU fetches and caches code in aligned blocks: the serial run, the threads
/// and the processes would not be compared like with like.
#[inline(never)]
fn task(n: u64) -> u64 {
    let mut total: u64 = 0;
    for i in 0..n {
        let i = black_box(i);
        total = total.wrapping_add(i.wrapping_mul(i));
    }
    total
}

/// What one way of running the tasks took, and what its tasks computed.
struct Run {
    seconds: f64,
    results: Vec<u64>,
}

/// Runs `tasks` tasks one after the other on this thread.
fn serial(tasks: usize) -> Run {
    let start = Instant::now();
    let results = (0..tasks).map(|_| task(N)).collect();
    Run {
        seconds: start.elapsed().as_secs_f64(),
        results,
    }
}

/// A thread's task, with the moments it started and ended computing.
fn timed_task() -> (Instant, Instant, u64) {
    let started = Instant::now();
    let result = task(N);
    (started, Instant::now(), result)
}

/// Runs `tasks` tasks, one per thread, all at once. Also returns how long every thread was
/// computing at once, as a share of the quickest thread's computing time: 1.0 when they ran
/// side by side from start to end, even if a busy machine gave one of them less of a core
/// than the others; 0 when they ran one after another.
fn threaded(tasks: usize) -> (Run, f64) {
    let start = Instant::now();
    // Unlike Python's `results[index] = total`, each thread hands its result back through
    // `join`: no shared list, no lock. `collect` starts every thread before the first
    // `join`; each `join` waits until its thread has ended, so none is left when the scope
    // returns (which `processes` relies on).
    let ran: Vec<(Instant, Instant, u64)> = thread::scope(|s| {
        let handles: Vec<_> = (0..tasks).map(|_| s.spawn(timed_task)).collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a task panicked"))
            .collect()
    });
    let seconds = start.elapsed().as_secs_f64();
    let last_start = ran.iter().map(|r| r.0).max().expect("a thread");
    let first_end = ran.iter().map(|r| r.1).min().expect("a thread");
    let quickest = ran.iter().map(|r| r.1 - r.0).min().expect("a thread");
    let together = first_end.saturating_duration_since(last_start);
    let overlap = together.as_secs_f64() / quickest.as_secs_f64();
    let results = ran.into_iter().map(|r| r.2).collect();
    (Run { seconds, results }, overlap)
}

/// Runs `tasks` tasks, one per forked child process, all at once; each child sends its
/// result back through a pipe. This is Python's `multiprocessing` with the `fork` start
/// method.
fn processes(tasks: usize) -> Run {
    // A child gets a copy of the parent's memory, unwritten output included: flush stdout
    // first, or a child that flushed its copy (say, a panic unwinding out of `main`) would
    // print the parent's lines a second time.
    std::io::stdout().flush().expect("stdout");
    let start = Instant::now();
    let mut children: Vec<(Pid, File)> = Vec::with_capacity(tasks);
    for _ in 0..tasks {
        let (from_child, to_parent) = pipe().expect("pipe");
        // SAFETY: fork only while no other thread is alive. A child gets a copy of the
        // forking thread alone, so a lock another thread held at that moment would stay
        // locked forever in the child. This process has a single thread whenever it gets
        // here: `threaded` joins every thread it starts before it returns, and the child
        // only computes, writes to a pipe and leaves.
        match unsafe { fork() }.expect("fork failed") {
            ForkResult::Child => {
                drop(from_child);
                let sent = File::from(to_parent)
                    .write_all(&task(N).to_le_bytes())
                    .is_ok();
                // `_exit` ends the child at once. `std::process::exit` would first flush
                // the child's copy of the parent's stdout buffer and run the `atexit`
                // handlers the parent registered (C's `exit`), work that belongs to the
                // parent alone.
                // SAFETY: `_exit` only ends the process; no code of this program runs after it.
                unsafe { nix::libc::_exit(if sent { 0 } else { 1 }) };
            }
            ForkResult::Parent { child } => {
                // The child's end is closed here, so a child that dies unheard makes the
                // read below fail instead of waiting forever.
                drop(to_parent);
                children.push((child, File::from(from_child)));
            }
        }
    }
    let mut results = Vec::with_capacity(tasks);
    for (child, mut from_child) in children {
        let mut answer = [0u8; 8];
        from_child
            .read_exact(&mut answer)
            .expect("a child died before sending its result");
        results.push(u64::from_le_bytes(answer));
        // Python's `process.join()`: the child has sent its result and leaves right after,
        // so this wait is short, and it reaps the child (no zombie left behind).
        match waitpid(child, None).expect("waitpid failed") {
            WaitStatus::Exited(_, 0) => {}
            other => panic!("child {child} ended oddly: {other:?}"),
        }
    }
    Run {
        seconds: start.elapsed().as_secs_f64(),
        results,
    }
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

    let mut serial_runs = Vec::new();
    let mut thread_runs = Vec::new();
    let mut process_runs = Vec::new();
    let mut overlaps = Vec::new();
    for trial in 0..TRIALS {
        // Within a trial the threads and the processes swap places every time, so neither
        // always runs in the other's wake.
        serial_runs.push(serial(cores));
        if trial % 2 == 0 {
            let (run, overlap) = threaded(cores);
            thread_runs.push(run);
            overlaps.push(overlap);
            process_runs.push(processes(cores));
        } else {
            process_runs.push(processes(cores));
            let (run, overlap) = threaded(cores);
            thread_runs.push(run);
            overlaps.push(overlap);
        }
    }
    let seconds = |runs: &[Run]| median(runs.iter().map(|r| r.seconds).collect());
    // Each ratio is taken within a trial, between runs a moment apart, then the median.
    let ratio = |num: &[Run], den: &[Run]| {
        median(
            num.iter()
                .zip(den)
                .map(|(n, d)| n.seconds / d.seconds)
                .collect(),
        )
    };
    let (s, t, p) = (
        seconds(&serial_runs),
        seconds(&thread_runs),
        seconds(&process_runs),
    );
    let thread_speedup = ratio(&serial_runs, &thread_runs);
    let process_speedup = ratio(&serial_runs, &process_runs);
    let threads_vs_processes = ratio(&thread_runs, &process_runs);
    let overlap = median(overlaps) * 100.0;
    let result = |runs: &[Run]| runs[0].results[0];
    let kept_up = threads_vs_processes <= 1.5 && overlap >= 50.0;

    println!(
        "Serial: {cores} tasks took {s:.3} seconds (median; result {})",
        result(&serial_runs)
    );
    println!(
        "Threads: {cores} tasks took {t:.3} seconds (median; result {})",
        result(&thread_runs)
    );
    println!(
        "Processes: {cores} tasks took {p:.3} seconds (median; result {})",
        result(&process_runs)
    );
    let all_equal = [&serial_runs, &thread_runs, &process_runs]
        .iter()
        .flat_map(|runs| runs.iter().flat_map(|r| &r.results))
        .all(|&r| r == result(&serial_runs));
    println!("Results equal: {all_equal}");
    println!(
        "Side by side: the {cores} threads were all computing at once for {overlap:.0}% of the quickest one's run (median)"
    );
    println!(
        "Speedup: threads {thread_speedup:.2}x, processes {process_speedup:.2}x (serial / parallel, median of {TRIALS} trials)"
    );
    println!(
        "Threads vs processes: {threads_vs_processes:.2}x (threads' time / processes' time, median of {TRIALS} trials)"
    );
    println!(
        "Python (CPython 3.11, 2 cores, 2 tasks): serial 2.13-2.24 s, threads 1.85-2.15 s, speedup 1.04-1.15x"
    );
    if cores == 1 {
        println!(
            "Conclusion: with one core there is nothing to run the tasks side by side, so no speedup here; on more cores Rust's threads, having no GIL, would share out the work."
        );
    } else if !kept_up {
        println!(
            "Conclusion: this time the threads fell behind the processes or took turns; Rust has no GIL, so something else held them back: a lock of the program's own, or a busy machine sharing its cores out unevenly."
        );
    } else if process_speedup < 1.4 {
        // The processes gained little too: the cores were busy with other work.
        println!(
            "Conclusion: other work kept the cores busy, so neither the threads nor the processes gained much over the serial run this time; the threads still computed at once and kept up with the processes."
        );
    } else {
        println!(
            "Conclusion: with no GIL, {cores} threads run the work on {cores} cores at once, as fast as {cores} processes, where Python's threads take turns and gain almost nothing."
        );
    }
}
