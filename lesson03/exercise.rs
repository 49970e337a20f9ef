//! # Exercise 03: ask your threads how they are doing, then busy-wait for the last one
//!
//! `main` starts four workers. Worker n sleeps `SLEEPS[n - 1]` seconds (0.25, 0.5, 2 and 2.5)
//! and then prints `Worker n: done`. Your part, in `main`, between the start and the joins:
//!
//! 1. Wait one second, then ask each worker's handle whether its thread has finished, and
//!    print one line per worker: `Main: worker n has finished` or `Main: worker n is running`.
//!    By then workers 1 and 2 have finished, and 3 and 4 are still running.
//! 2. Then wait for worker 4 in a busy loop: a loop that asks worker 4's status on each
//!    iteration and ends when it has finished. Count the times it asked, the last one (the
//!    one that found it finished) included, and print `Main: worker 4 finished after N checks`.
//!
//! The checks: the status lines come after the one-second wait and are true (a worker reported
//! finished had printed its `done` line, one reported running had not yet); the busy loop
//! ends only after worker 4's `done` line, at least 2.5 s after the start, and asks more than
//! once.
//!
//! Run it: `cargo run -p lesson03 --bin lesson03_exercise`
//! Check it: `cargo xtask check lesson03`

use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How long each worker sleeps, in seconds: worker 1 the first, worker 4 the last.
const SLEEPS: [f64; 4] = [0.25, 0.5, 2.0, 2.5];

/// A worker's task: sleep, then say it is done.
fn work(number: usize, seconds: f64) {
    thread::sleep(Duration::from_secs_f64(seconds));
    println!("Worker {number}: done");
}

fn main() {
    // Start the four workers: `workers[0]` is worker 1, `workers[3]` is worker 4.
    let workers: Vec<JoinHandle<()>> = SLEEPS
        .iter()
        .enumerate()
        .map(|(index, &seconds)| {
            let number = index + 1;
            thread::Builder::new()
                .name(format!("worker {number}"))
                .spawn(move || work(number, seconds))
                .expect("failed to spawn a worker")
        })
        .collect();

    // TODO: wait one second, then print each worker's status, asked of its handle.

    // TODO: wait for worker 4 in a busy loop that asks its status on every iteration, then
    // print how many times it asked.

    // Collect every worker's result (and its panic, if it had one).
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
}
