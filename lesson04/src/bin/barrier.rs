//! # Barrier: five workers and main meet before going on
//!
//! Ports `barrier.py` (book L04 "How to Coordinate Threads with a Barrier"; also org "thread
//! barrier" `barrier_org.py`, the same with the texts `thread i done, got: ...`).
//!
//! Five threads each work for a random time up to ten seconds, report, and wait at a barrier
//! for six parties: the five of them and main. Main waits there too, so its last line comes
//! only after every worker has reported, as long as the slowest worker took. The Rust twist:
//! std's `Barrier` has `new(n)` and `wait()` only. Python's `Barrier` also has a `timeout`
//! (then `BrokenBarrierError`), `abort()`, `reset()`, `parties`, `n_waiting`, `broken`, and an
//! `action`: a function that the last thread to arrive runs before any thread is released.
//! Python's `wait()` returns each thread its own index, 0 to parties - 1 in order of arrival;
//! Rust's returns a `BarrierWaitResult` whose `is_leader()` is true for exactly one thread (std
//! does not say which). That thread learns it only once every thread has been released, so
//! what it runs then runs alongside the others, not before them as Python's `action` does.
//!
//! Run it: `cargo run -p lesson04 --bin barrier`

use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

// custom function to be executed in a new thread
fn task(shared_barrier: &Barrier, ident: usize) {
    // generate a unique value between 0 and 10
    let value = rand::random::<f64>() * 10.0;
    // block for a moment
    thread::sleep(Duration::from_secs_f64(value));
    // report result
    println!("Thread {ident} got: {value}");
    // wait for all other threads to complete
    shared_barrier.wait();
}

fn main() {
    // create a barrier for (5 threads + 1 main thread)
    let barrier = Arc::new(Barrier::new(5 + 1));
    // create and start the new threads
    let threads: Vec<_> = (0..5)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || task(&barrier, i))
        })
        .collect();
    // wait for all new threads to finish
    println!("Main thread waiting on all results...");
    // std's `wait()` has no timeout: if a party never arrived, this would wait forever. Here
    // every party always arrives.
    barrier.wait();
    // report once all thread are done
    println!("All threads have their result");
    // Python's threads end on their own right after the barrier; Rust joins them explicitly
    for thread in threads {
        thread.join().expect("the task does not panic");
    }
}
