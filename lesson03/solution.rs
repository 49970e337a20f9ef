//! # Solution to exercise 03: ask your threads how they are doing, then busy-wait for the last one
//!
//! After its one-second sleep, main asks each `JoinHandle` `is_finished()` and prints what it
//! says: workers 1 and 2 (0.25 and 0.5 s) have finished, 3 and 4 (2 and 2.5 s) are running.
//! Then it loops on worker 4's `is_finished()`, counting each question, until the answer is
//! `true`. Between questions it sleeps 10 ms: a loop that only asks would keep a whole core
//! busy for the 1.5 s, while a short pause still notices the end within 10 ms and leaves the
//! CPU to the others (about 150 checks). The Rust twist: `is_finished()` borrows the handle,
//! never blocks, and can be asked any number of times, while `join()` consumes the handle; so
//! every question comes first and the joins come last, and a thread that has finished is still
//! joined, to collect its result.
//!
//! Run it: `cargo run -p lesson03 --bin lesson03_solution`

use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How long each worker sleeps, in seconds: worker 1 the first, worker 4 the last.
const SLEEPS: [f64; 4] = [0.25, 0.5, 2.0, 2.5];

/// How long main waits before it asks the workers for their status.
const WAIT: Duration = Duration::from_secs(1);

/// The pause between two questions of the busy loop.
const POLL: Duration = Duration::from_millis(10);

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

    // Wait, then ask every worker's handle: `is_finished()` answers at once.
    thread::sleep(WAIT);
    for (index, worker) in workers.iter().enumerate() {
        let status = if worker.is_finished() {
            "has finished"
        } else {
            "is running"
        };
        println!("Main: worker {} {status}", index + 1);
    }

    // The busy loop: ask worker 4 on every iteration until it has finished. Its sleep is
    // bounded (2.5 s), so the loop ends.
    let last = workers.last().expect("there are four workers");
    let mut checks = 0;
    loop {
        checks += 1;
        if last.is_finished() {
            break;
        }
        thread::sleep(POLL);
    }
    println!(
        "Main: worker {} finished after {checks} checks",
        workers.len()
    );

    // Collect every worker's result (and its panic, if it had one).
    for worker in workers {
        worker.join().expect("a worker panicked");
    }
}
