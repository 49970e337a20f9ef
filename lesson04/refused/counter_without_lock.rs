//! Two threads add one to the same counter, with no lock. In Python this runs and may lose
//! an update; in Rust each thread needs `&mut counter`, and there can be only one `&mut` at
//! a time. A `Mutex` (or an atomic) turns the shared `&mut` into a shared `&`.
//! error: E0499
//! message: cannot borrow `counter` as mutable more than once at a time
//! fix: `let mut counter = 0;` with `let counter = std::sync::Mutex::new(0);`
//! fix: `s.spawn(|| counter += 1);` with `s.spawn(|| *counter.lock().unwrap() += 1);`

use std::thread;

pub fn count() {
    let mut counter = 0;
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| counter += 1);
        }
    });
    println!("{counter:?}");
}
