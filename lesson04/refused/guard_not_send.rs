//! A `MutexGuard` moved to another thread. POSIX threads require a lock to be released by
//! the thread that took it, and a guard releases its lock when dropped, so a guard is not
//! `Send`: it stays on its thread. Take the lock in the thread that uses it.
//! error: E0277
//! message: MutexGuard<'_, i64>` cannot be sent between threads safely
//! fix: `let mut guard = total.lock().unwrap();` with ``
//! fix: `s.spawn(move || *guard += 1);` with `s.spawn(|| *total.lock().unwrap() += 1);`

use std::sync::Mutex;
use std::thread;

pub fn add_one(total: &Mutex<i64>) {
    let mut guard = total.lock().unwrap();
    thread::scope(|s| {
        s.spawn(move || *guard += 1);
    });
}
