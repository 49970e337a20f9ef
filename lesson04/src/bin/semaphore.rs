//! # Semaphore: at most two threads inside at once
//!
//! Ports book L04 "How to Limit Access to a Resource with a Semaphore", cc L4 "Semaphores With
//! Threads" and org "thread semaphore".
//!
//! Ten threads each sleep a random fraction of a second while holding one of two permits, so
//! the run takes about half the sum of the sleeps: never less (no third thread gets in), and
//! well under the sum (two do run at once).
//!
//! The Rust twist: std has no semaphore, so this uses `lesson04::Semaphore`, whose `acquire()`
//! returns a permit that gives its place back when dropped, as Python's `with semaphore:` does.
//!
//! Run it: `cargo run -p lesson04 --bin semaphore`

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use lesson04::Semaphore;

/// One thread: with a permit held, sleep a random fraction of a second, then report it.
fn task(shared_semaphore: &Semaphore, ident: usize) {
    // Python: `with shared_semaphore:`. Waits while two other threads hold permits.
    let _permit = shared_semaphore.acquire();
    let val = rand::random::<f64>();
    thread::sleep(Duration::from_secs_f64(val));
    println!("Thread {ident} got {val}");
    // `_permit` is dropped here: the next waiting thread may enter
}

fn main() {
    // two permits: at most two threads inside at once
    let semaphore = Arc::new(Semaphore::new(2));
    let threads: Vec<_> = (0..10)
        .map(|i| {
            let semaphore = Arc::clone(&semaphore);
            thread::spawn(move || task(&semaphore, i))
        })
        .collect();
    for thread in threads {
        thread.join().expect("the task does not panic");
    }
}
