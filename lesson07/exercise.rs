//! # Exercise 07: a looping task stopped from within, by a flag, and by a kill
//!
//! `step(who)` is one iteration of a typical task: it draws a random value in [0, 1), prints
//! `<who>: step <value>`, blocks for value x 0.5 s and returns the value. As shipped, `main`
//! runs a task of five `Within` steps on a new thread and waits for it to complete. Your part:
//!
//! 1. From within: make that task loop until it draws a value above 0.8, then stop itself and
//!    print `Within: the task stopped itself at <value>`.
//! 2. By a flag: start a task on a new thread that runs `Event` steps, checking a stop flag
//!    before each; main waits 1 s, prints `Event: main sets the stop flag`, then sets it. The
//!    task stops at its next check and prints `Event: the task stopped after <n> steps`.
//! 3. By a kill: start this program again as a child process, with the argument `child` (it
//!    then runs `child_main`, a loop of `Child` steps), and print `Kill: started child <pid>`.
//!    Wait 1 s, kill it with SIGKILL, then print `Kill: sent SIGKILL to child <pid>`; then wait
//!    for it and print `Kill: child <pid> exit status: <status>`, the `ExitStatus` shown with `{}`.
//!
//! The checks: only the task's last value is above 0.8; the flagged task stops after main's
//! line and at most 0.75 s later (one step is at most 0.5 s), with no step after; the child
//! runs steps before the kill and none after, and its status says it was killed by SIGKILL.
//!
//! Run it: `cargo run -p lesson07 --bin lesson07_exercise`
//! Check it: `cargo xtask check lesson07`

use std::env;
use std::thread;
use std::time::{Duration, Instant};

/// The longest a step blocks: a step blocks for its value times this.
const STEP: Duration = Duration::from_millis(500);

/// A child that nobody kills gives up after this long, so it cannot run on for ever.
const CHILD_GIVES_UP: Duration = Duration::from_secs(20);

/// One iteration of the task: draws a value, says so, blocks for value x `STEP`, returns it.
fn step(who: &str) -> f64 {
    let value: f64 = rand::random();
    println!("{who}: step {value}");
    thread::sleep(STEP.mul_f64(value));
    value
}

/// What this program does when started with the argument `child` (part 3): `Child` steps
/// until it is killed, or until `CHILD_GIVES_UP` has passed.
fn child_main() {
    let start = Instant::now();
    while start.elapsed() < CHILD_GIVES_UP {
        step("Child");
    }
    println!(
        "Child: nobody killed me in {} s, so I stop",
        CHILD_GIVES_UP.as_secs()
    );
}

fn main() {
    if env::args().nth(1).as_deref() == Some("child") {
        child_main();
        return;
    }

    // Part 1: the task runs on a new thread, and main waits for it to complete.
    let task = thread::spawn(|| {
        // TODO: loop until a value above 0.8, then stop and say so. As shipped, the task runs
        // a fixed five steps.
        for _ in 0..5 {
            step("Within");
        }
    });
    task.join().expect("the task panicked");

    // Part 2: a task that runs until main tells it to stop.
    // TODO: start the task, wait 1 s, print main's line, set the flag, wait for the task.

    // Part 3: a task in a process of its own, killed.
    // TODO: start the child, wait 1 s, kill it, wait for it, print its exit status.
}
