//! # Timer: a function runs after a delay; a cancelled one never does
//!
//! Ports org "timer threads" ("example of using a timer thread"), with the `cancel()` the notes
//! describe.
//!
//! A timer prints `hello world` three seconds after it starts, while main goes on at once. A
//! second timer is cancelled before its delay is up, and its message never appears.
//!
//! The Rust twists: std has no timer, so this uses `lesson04::Timer`, whose `cancel()` says
//! whether it won (Python's returns nothing); and since a Rust program ends when `main`
//! returns, main joins the timers, where Python waits for the timer thread at exit.
//!
//! Run it: `cargo run -p lesson04 --bin timer`

use std::time::Duration;

use lesson04::Timer;

/// What the timers run: print the message they were given.
fn task(message: &str) {
    println!("{message}");
}

fn main() {
    // Python: `Timer(3, task, args=('hello world',)).start()`
    let timer = Timer::start(Duration::from_secs(3), || task("hello world"));
    // a second timer, cancelled before it fires
    let cancelled = Timer::start(Duration::from_secs(1), || {
        task("the cancelled timer fired: cancel() did not stop it")
    });
    println!("waiting for the timer ...");
    if cancelled.cancel() {
        println!("the second timer was cancelled before it fired");
    }
    // `join` is Python's wait for non-daemon threads at exit
    cancelled.join().expect("the task does not panic");
    timer.join().expect("the task does not panic");
}
