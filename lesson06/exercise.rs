//! # Exercise 06: one task, five arguments, a thread pool three ways
//!
//! `task(id)` stands for a call whose length depends on its argument: tasks 0 to 4 block for
//! 0.5, 1.7, 0.1, 1.3 and 0.9 s, then return `(id, seconds)`. As shipped, `main` calls it for
//! ids 0 to 4 in a plain loop, printing `map: task <id> slept <seconds>` after each call: 4.5 s
//! in all, and the first line long before the last task is done.
//!
//! Your part: run the five tasks on a `lesson06::ThreadPool` with one worker per task, three
//! times, printing one line per result, in the order your program gets them:
//!
//! - with `map`: `map: task <id> slept <seconds>`, all five once `map` returns (the loop goes);
//! - with `imap`: `imap: task <id> slept <seconds>`, each as soon as the iterator yields it;
//! - with `imap_unordered`: `imap_unordered: task <id> slept <seconds>`, each as it comes.
//!
//! The checks: each way reports every task once; `map` and `imap` in id order, `imap_unordered`
//! in the order the tasks finish (shortest first); `map`'s lines after its longest task (1.7 s)
//! but by 2.7 s; `imap`'s first at most 1.1 s after `map`'s first (task 0 takes 0.5 s, the
//! last 1.7 s); `imap_unordered`'s first at most 2.0 s after `imap`'s first; all in 7.5 s.
//!
//! Run it: `cargo run -p lesson06 --bin lesson06_exercise`
//! Check it: `cargo xtask check lesson06`

use std::thread;
use std::time::Duration;

/// How long each task blocks, in seconds: task `id` blocks for `SLEEPS[id]`.
const SLEEPS: [f64; 5] = [0.5, 1.7, 0.1, 1.3, 0.9];

/// The task: blocks for its own time, then returns its id and that time.
fn task(id: usize) -> (usize, f64) {
    let seconds = SLEEPS[id];
    thread::sleep(Duration::from_secs_f64(seconds));
    (id, seconds)
}

fn main() {
    // TODO: run the five tasks on a thread pool with one worker per task, using `map`, and
    // print its results. As shipped, this is still a plain loop: one task after another.
    for id in 0..SLEEPS.len() {
        let (id, seconds) = task(id);
        println!("map: task {id} slept {seconds}");
    }

    // TODO: run the five tasks on the pool again, using `imap`, and print each result as
    // soon as it comes.

    // TODO: run them once more, using `imap_unordered`, and print each result as it comes.
}
