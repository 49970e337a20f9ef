//! # Semaphore: at most two threads inside at once
//!
//! Ports `semaphore.py` (book L04 "How to Limit Access to a Resource with a Semaphore"; also
//! cc L4 `semaphore_cc.py`, the same without joins, and org "thread semaphore"
//! `semaphore_org.py`, which builds `Semaphore()` with the default value 1 and so lets one
//! thread in at a time, like a mutex).
//!
//! Ten threads each sleep a random fraction of a second while holding one of two permits, so
//! the run takes about half the sum of the sleeps: never less (no third thread gets in), and
//! well under the sum (two do run at once). The Rust twist: std has no semaphore, so this uses
//! `lesson04::Semaphore`, whose `acquire()` returns a permit that gives its place back when
//! dropped, as Python's `with semaphore:` does.
//!
//! Run it: `cargo run -p lesson04 --bin semaphore`

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use lesson04::Semaphore;

// custom function to be executed in a new thread
fn task(shared_semaphore: &Semaphore, ident: usize) {
    // attempt to acquire the semaphore: waits while two other threads hold permits
    let _permit = shared_semaphore.acquire();
    // generate a random value between 0 and 1
    let val = rand::random::<f64>();
    // block for a fraction of a second
    thread::sleep(Duration::from_secs_f64(val));
    // report result
    println!("Thread {ident} got {val}");
    // `_permit` is dropped here: the next waiting thread may enter
}

fn main() {
    // create the shared semaphore (`Semaphore::new(1)` would be the org notes' version)
    let semaphore = Arc::new(Semaphore::new(2));
    // create and start the threads
    let threads: Vec<_> = (0..10)
        .map(|i| {
            let semaphore = Arc::clone(&semaphore);
            thread::spawn(move || task(&semaphore, i))
        })
        .collect();
    // wait for new threads to finish
    for thread in threads {
        thread.join().expect("the task does not panic");
    }
}
