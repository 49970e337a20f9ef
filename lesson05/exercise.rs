//! # Exercise 05: one job in eight subtasks, the results gathered three ways
//!
//! The job is the sum of the numbers 1 to 1,000,000. `subtask(i)` does one eighth of it: it
//! blocks for a quarter of a second, as if its numbers came from somewhere slow, then returns
//! the sum of its 125,000 numbers. `main` already runs the eight subtasks one after another
//! and prints `Serial: total=500000500000 in <seconds> s` (about 2 s).
//!
//! Your part: do the job three more times, each time with one thread per subtask, all eight
//! running at the same time, and gather their sums in the main thread a different way each
//! time. Main waits for every sum, adds them up and reports the total with `report`, which
//! prints the line and the seconds since the `Instant` you give it:
//!
//! - through a global variable (a `static` every subtask thread adds its sum to, read by main
//!   once all eight have finished): `Global variable: total=<sum> in <seconds> s`;
//! - through `join`, which hands main each thread's return value: `Join values: total=...`;
//! - through a channel each thread sends its sum on: `Channel: total=<sum> in <seconds> s`.
//!
//! The checks: every total is 500000500000; each way takes at most 1 s (its eight subtasks
//! overlap: about 0.25 s, not the serial 2 s); the whole run takes at most 4 s.
//!
//! Run it: `cargo run -p lesson05 --bin lesson05_exercise`
//! Check it: `cargo xtask check lesson05`

use std::thread;
use std::time::{Duration, Instant};

/// The job: the sum of 1..=N.
const N: u64 = 1_000_000;

/// How many subtasks share the job: each way starts this many threads.
const SUBTASKS: u64 = 8;

/// How long one subtask blocks before it returns its sum.
const BLOCK: Duration = Duration::from_millis(250);

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

    // Way 1: a global variable.
    // TODO: start one thread per subtask, each adding its sum to a global that main reads
    // once every thread has finished; report it as "Global variable".

    // Way 2: the values `join` hands back.
    // TODO: start one thread per subtask, each returning its sum; gather the sums from the
    // threads' handles and report their total as "Join values".

    // Way 3: a channel.
    // TODO: start one thread per subtask, each sending its sum on a channel; receive all
    // eight in main and report their total as "Channel".
}
