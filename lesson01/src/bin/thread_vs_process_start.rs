//! # Threads are cheap to start; processes are heavyweight
//!
//! Ports `thread_vs_process_start.py` (book L01 "Why Not Always Use Multiprocessing /
//! Processes are Heavyweight"; the book has no code here, the Python comparison script was
//! written from its text).
//!
//! Starts and waits for 200 units that do nothing, five times over: 200 processes (`fork`,
//! then `waitpid` for each), then 200 threads (`spawn`, then `join`). The medians give the
//! cost of one unit: a new process gets its own copy of the address space (its page tables,
//! file table, ...), a new thread only a stack in the same process. A bare Rust program is
//! small, so its forks are cheaper than CPython's (an interpreter is a big process); the
//! processes are timed a second time while the program holds 16 MiB of data, to show the
//! cost of a fork growing with the memory the process holds, while a thread's does not.
//!
//! Run it: `cargo run -p lesson01 --bin thread_vs_process_start`

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork};
use std::io::Write;
use std::thread;
use std::time::Instant;

const N: usize = 200;
const TRIALS: usize = 5;
/// The data the program holds for the second round of forks.
const DATA_MIB: usize = 16;

/// The empty task each unit runs.
fn task() {}

/// Starts `N` processes, then waits for each; returns the seconds it took.
fn start_join_processes() -> f64 {
    // Anything still in stdout's buffer would be copied into every child and could be
    // printed again by it; flush it first.
    std::io::stdout().flush().expect("stdout");
    let start = Instant::now();
    let mut children = Vec::with_capacity(N);
    for _ in 0..N {
        // SAFETY: `fork` is safe to call while the process has only one thread: the child
        // then gets a consistent copy of everything (a lock held by another thread would
        // stay locked forever in the child). This program forks only here, before it ever
        // starts a thread (`start_join_threads` runs after every process trial).
        match unsafe { fork() }.expect("fork failed") {
            ForkResult::Child => {
                task();
                // The child ends here: it must not go on to run the parent's loop.
                std::process::exit(0);
            }
            ForkResult::Parent { child } => children.push(child),
        }
    }
    for child in children {
        // Python's `process.join()`. Each child runs nothing but `exit(0)`, so this wait
        // is bounded: it ends as soon as the child has exited, and reaps it (no zombie).
        match waitpid(child, None).expect("waitpid failed") {
            WaitStatus::Exited(_, 0) => {}
            other => panic!("child {child} ended oddly: {other:?}"),
        }
    }
    start.elapsed().as_secs_f64()
}

/// Starts `N` threads, then joins each; returns the seconds it took.
fn start_join_threads() -> f64 {
    let start = Instant::now();
    let threads: Vec<_> = (0..N).map(|_| thread::spawn(task)).collect();
    for t in threads {
        t.join().expect("a thread panicked");
    }
    start.elapsed().as_secs_f64()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    println!("Cores: {cores} (std::thread::available_parallelism)");

    // Every process trial first, while this process still has a single thread.
    let bare: Vec<f64> = (0..TRIALS).map(|_| start_join_processes()).collect();
    // Data the program really uses: every page written, so each one is mapped and a fork
    // must copy its page-table entries (the pages themselves are shared copy-on-write).
    let data = vec![1u8; DATA_MIB << 20];
    let with_data: Vec<f64> = (0..TRIALS).map(|_| start_join_processes()).collect();
    drop(std::hint::black_box(data));
    let threads: Vec<f64> = (0..TRIALS).map(|_| start_join_threads()).collect();

    let bare_label = "Processes (fork, bare program)".to_string();
    let data_label = format!("Processes (fork, holding {DATA_MIB} MiB)");
    for (label, times) in [
        ("Threads", &threads),
        (bare_label.as_str(), &bare),
        (data_label.as_str(), &with_data),
    ] {
        let med = median(times.clone());
        let min = times.iter().copied().fold(f64::INFINITY, f64::min);
        println!(
            "{label}: start+join {N} took median {med:.4} s, min {min:.4} s ({:.1} us each, median)",
            med / N as f64 * 1e6
        );
    }
    let threads = median(threads);
    println!(
        "Ratio: bare processes are {:.1}x slower to start than threads (medians)",
        median(bare) / threads
    );
    println!(
        "Ratio: processes holding {DATA_MIB} MiB are {:.1}x slower to start than threads (medians)",
        median(with_data) / threads
    );
    println!(
        "Python (CPython 3.11, 2 cores, fork): threads 0.028-0.051 s (140-250 us each), processes 0.31-0.33 s (~1.5 ms each), ratio 6.5-11x"
    );
    println!(
        "Conclusion: a thread costs a fraction of a process to start, and the gap grows with the memory the process holds, so threads suit hundreds or thousands of concurrent tasks where processes do not."
    );
}
