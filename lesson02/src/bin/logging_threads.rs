//! # Timestamped log lines from main and a thread
//!
//! Ports rp "Starting a Thread" (the article's program, with its `x.join()` commented out);
//! also rp "join() a Thread".
//!
//! Main logs each step, starts a thread that sleeps two seconds, says `all done`, and the
//! thread still gets to log `finishing` two seconds later: the process waits for it.
//!
//! The Rust twist: Python waits for every non-daemon thread before the interpreter exits.
//! Rust does not: when `main` returns the process ends and every other thread dies
//! mid-sleep. So this port joins the thread at the very end of `main`, where Python's hidden
//! wait happens.
//!
//! Run it: `cargo run -p lesson02 --bin logging_threads`

use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Python's `logging.info` with `format="%(asctime)s: %(message)s"` and `datefmt="%H:%M:%S"`.
///
/// Two differences: the line goes to stdout (`logging` writes to stderr), and the clock is
/// UTC. std has no time zones, so it cannot give local time; it gives seconds since the Unix
/// epoch (`SystemTime`), from which the time of day in UTC is plain arithmetic.
fn log(message: &str) {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is set before 1970")
        .as_secs();
    let (h, m, s) = ((secs / 3600) % 24, (secs / 60) % 60, secs % 60);
    println!("{h:02}:{m:02}:{s:02}: {message}");
}

fn thread_function(name: i32) {
    log(&format!("Thread {name}: starting"));
    thread::sleep(Duration::from_secs(2));
    log(&format!("Thread {name}: finishing"));
}

fn main() {
    log("Main    : before creating thread");
    // Python creates the `Thread` object first and starts it later. A Rust thread starts
    // the moment it is spawned, so "creating" it is preparing the closure it will run;
    // `move` captures the argument (Python's `args=(1,)`).
    let name = 1;
    let work = move || thread_function(name);
    log("Main    : before running thread");
    let x = thread::spawn(work);
    log("Main    : wait for the thread to finish");
    log("Main    : all done");
    // Python's implicit wait for non-daemon threads at exit, made explicit. Remove this
    // line and `Thread 1: finishing` never appears: the thread dies with the process
    // (that is a daemon thread, lesson03's `daemon_thread`).
    x.join().expect("the thread panicked");
}
