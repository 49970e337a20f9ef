//! # Exercise 02: the same task five times, serially and then one thread each
//!
//! `task(n)` stands for a repetitive piece of work: it blocks for half a second, as a download
//! or a disk read would, then prints `Task n done`. `main` runs tasks 1 to 5 one after another
//! and times the run. Then it runs the five tasks again, and that second run is yours: give
//! each task a thread of its own, all five running at the same time, and take the time only
//! once every one of them has finished. Last, compare the two runs. The program prints:
//!
//! - `Task 1 done` to `Task 5 done` in order, then `Serial: <seconds> seconds` (shipped);
//! - the threaded run's five `Task n done` lines, in any order, then
//!   `Threaded: <seconds> seconds` (the line is shipped, the threads are not);
//! - `Difference: <serial - threaded>` and `Ratio: <serial / threaded>`: a number, then
//!   anything you like, such as `seconds faster` or `x`.
//!
//! The checks: the serial run takes at least 2.5 s, the threaded run at least one task's
//! 0.5 s, each task runs once in the threaded run, the ratio is at least 3, and the
//! difference at least 1.6 s.
//!
//! Run it: `cargo run -p lesson02 --bin lesson02_exercise`
//! Check it: `cargo xtask check lesson02`

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

    // The concurrent version.
    let start = Instant::now();
    // TODO: run each task in a thread of its own, all five at the same time, and let the
    // time below be taken only after every one of them has finished. As shipped, this is
    // still the serial loop.
    for number in 1..=TASKS {
        task(number);
    }
    let threaded = start.elapsed().as_secs_f64();
    println!("Threaded: {threaded:.3} seconds");

    // TODO: print the `Difference:` line (serial time minus threaded time) and the `Ratio:`
    // line (serial time divided by threaded time).
}
