//! # Configure a thread pool: how many workers, and an initializer for each
//!
//! Ports the book's lesson 06 "How to Configure the `ThreadPool` Class" (which shows only
//! fragments: `ThreadPool()` with one worker per logical CPU by default, `ThreadPool(100)` with
//! a worker count, and a sentence on the `initializer` argument). The program around them is
//! this course's own, in the style of the lesson's examples.
//!
//! First main builds a pool with the default configuration and reports its size beside the
//! CPU count it comes from. Then it builds a pool of three workers with an initializer and
//! maps six tasks over it. Watch the "Initializing" lines: three of them, one per worker and
//! not one per task, each before the first task that worker runs; the initializer and task
//! lines interleave, since a worker starts on tasks as soon as its own initializer is done.
//! Six half-second tasks on three workers take two rounds: about a second in all.
//!
//! The Rust twist: the initializer is one closure shared by every worker, each calling it
//! once, possibly at the same moment as another: so it must be `Fn` (called more than once,
//! never consuming what it captured) and `Send + Sync` (called from several threads). Python's
//! `initargs=(...)` tuple becomes whatever the closure captures.
//!
//! Run it: `cargo run -p lesson06 --bin pool_configure`

use std::thread;
use std::time::Duration;

use lesson06::{PoolError, ThreadPool};

/// The configured pool's size: fewer workers than tasks, so that the initializer visibly runs
/// once per worker rather than once per task.
const WORKERS: usize = 3;

/// The name the pool gave the calling thread. Python: `current_thread().name`, which for a
/// `ThreadPool` worker reads like `Thread-6 (worker)`; this lesson's pool names its workers
/// `pool-worker-0`, `pool-worker-1`, ...
fn worker_name() -> String {
    thread::current().name().unwrap_or("unnamed").to_string()
}

/// The initializer: each worker runs it once, before its first task.
fn initializer() {
    println!("Initializing {}", worker_name());
}

/// The task, run on a worker.
fn task(ident: i32) {
    // Long enough that every worker gets some of the tasks.
    thread::sleep(Duration::from_millis(500));
    // Python's `print` sometimes splices two workers' lines;
    // `println!` holds stdout's lock for the whole line.
    println!("Task {ident} ran on {}", worker_name());
}

fn main() -> Result<(), PoolError> {
    // Rust's counterpart of `os.cpu_count()`: the number of CPUs this program may use, which
    // on Linux also honours CPU affinity and a cgroup's CPU quota. (Python's pool counts
    // `os.cpu_count()`, every CPU of the machine, up to 3.12; from 3.13 it counts
    // `os.process_cpu_count()`, which honours the affinity too.)
    let cpus = thread::available_parallelism().map_or(1, |n| n.get());
    // A pool with the default configuration, only to ask its size (Python keeps it in the
    // private `_processes`). Dropping it at the end of the line closes and joins it.
    let default_workers = ThreadPool::default().workers();
    println!("Default pool: {default_workers} workers; available_parallelism(): {cpus}");
    // Python:
    // `ThreadPool(3, initializer=initializer)`; `ThreadPool::new(3)` alone is `ThreadPool(3)`.
    let pool = ThreadPool::with_initializer(WORKERS, initializer);
    pool.map(task, 0..6)?;
    // `pool` is dropped here: closed and joined, so no worker outlives `main`
    Ok(())
}
