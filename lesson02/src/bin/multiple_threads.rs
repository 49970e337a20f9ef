//! # Start three threads, then join them in order
//!
//! Ports rp "Working with many threads".
//!
//! Main starts three threads that each sleep two seconds, keeps their handles in a `Vec`,
//! then joins them one by one, logging each step. The threads sleep at the same time, so
//! the whole run takes about two seconds, not six. They finish in any order; main reports
//! `thread N done` in index order, each after that thread's `finishing`.
//!
//! The Rust twist: `join` consumes its `JoinHandle`, so a thread cannot be joined twice.
//! Python allows it (a second `join()` returns at once); Rust rejects it at compile time.
//!
//! Run it: `cargo run -p lesson02 --bin multiple_threads`

use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Python's `logging.info` with the format `%(asctime)s: %(message)s` and `%H:%M:%S`,
/// printed to stdout (Python logs to stderr) with a UTC clock (std has no local time).
fn log(message: &str) {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is set before 1970")
        .as_secs();
    let (h, m, s) = ((secs / 3600) % 24, (secs / 60) % 60, secs % 60);
    println!("{h:02}:{m:02}:{s:02}: {message}");
}

fn thread_function(name: usize) {
    log(&format!("Thread {name}: starting"));
    thread::sleep(Duration::from_secs(2));
    log(&format!("Thread {name}: finishing"));
}

fn main() {
    // Python's `threads = list()`: here a `Vec` of `JoinHandle`s.
    let mut threads = Vec::new();
    for index in 0..3 {
        log(&format!("Main    : create and start thread {index}."));
        // `move` copies `index` into the closure: each thread gets its own number.
        let x = thread::spawn(move || thread_function(index));
        threads.push(x);
    }

    // `into_iter`, not `iter`: `join` takes each handle by value.
    for (index, thread) in threads.into_iter().enumerate() {
        log(&format!("Main    : before joining thread {index}."));
        thread.join().expect("the thread panicked");
        log(&format!("Main    : thread {index} done"));
    }
}
