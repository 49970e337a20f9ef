//! A `RefCell` shared through an `Arc`. `Arc` makes the value reachable from two threads;
//! `RefCell` checks its borrows with a plain counter that two threads could update at once,
//! so it is not `Sync`, and an `Arc` of it is not `Send`. A `Mutex` is the `RefCell` for
//! threads.
//! error: E0277
//! message: `RefCell<i32>` cannot be shared between threads safely
//! fix: `Arc::new(RefCell::new(0))` with `Arc::new(std::sync::Mutex::new(0))`
//! fix: `*for_thread.borrow_mut() += 1` with `*for_thread.lock().unwrap() += 1`
//! fix: `use std::cell::RefCell;` with ``

use std::cell::RefCell;
use std::sync::Arc;
use std::thread;

pub fn count() {
    let counter = Arc::new(RefCell::new(0));
    let for_thread = Arc::clone(&counter);
    let handle = thread::spawn(move || *for_thread.borrow_mut() += 1);
    handle.join().unwrap();
    println!("{counter:?}");
}
