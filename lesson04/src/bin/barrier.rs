//! # Barrier: five workers and main meet before going on
//!
//! Ports book L04 "How to Coordinate Threads with a Barrier" and org "thread barrier".
//!
//! Five threads each work for a random time up to ten seconds, report, and wait at a barrier
//! for six parties: the five of them and main. Main waits there too, so its last line comes
//! only after every worker has reported, as long as the slowest worker took.
//!
//! The Rust twist: std's `Barrier` has `new(n)` and `wait()` only. Python's `Barrier` also has
//! a `timeout` (then `BrokenBarrierError`), `abort()`, `reset()`, `parties`, `n_waiting`,
//! `broken`, and an `action`: a function that the last thread to arrive runs before any thread
//! is released. Python's `wait()` returns each thread its own index, 0 to parties - 1 in order
//! of arrival; Rust's returns a `BarrierWaitResult` whose `is_leader()` is true for exactly one
//! thread (std does not say which). That thread learns it only once every thread has been
//! released, so what it runs then runs alongside the others, not before them as Python's
//! `action` does.
//!
//! Run it: `cargo run -p lesson04 --bin barrier`

use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

/// One worker: work (sleep) a random time up to ten seconds, report it, then wait at the
/// barrier for every other party.
fn task(shared_barrier: &Barrier, ident: usize) {
    let value = rand::random::<f64>() * 10.0;
    thread::sleep(Duration::from_secs_f64(value));
    println!("Thread {ident} got: {value}");
    shared_barrier.wait();
}

fn main() {
    // Six parties: the five workers, and main, which waits at the barrier too.
    let barrier = Arc::new(Barrier::new(5 + 1));
    let threads: Vec<_> = (0..5)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || task(&barrier, i))
        })
        .collect();
    println!("Main thread waiting on all results...");
    // std's `wait()` has no timeout: if a party never arrived, this would wait forever. Here
    // every party always arrives.
    barrier.wait();
    println!("All threads have their result");
    // Python waits at exit for its threads, which end right after the barrier; a Rust program
    // ends when `main` returns, so main joins them.
    for thread in threads {
        thread.join().expect("the task does not panic");
    }
}
