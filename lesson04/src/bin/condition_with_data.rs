//! # Condition with data: the notified thread receives a result
//!
//! Ports org "example of wait and notify with a condition".
//!
//! As in `condition`, main waits on a condition while a new thread works for a second, but
//! this time the thread appends its result to a shared list first, and main prints the list.
//!
//! The Rust twist: the Python thread appends to the list without holding the lock; in Rust the
//! list lives inside the `Mutex`, so there is no way to touch it without the lock. The list
//! itself is the predicate: main waits while it is empty.
//!
//! Run it: `cargo run -p lesson04 --bin condition_with_data`

use std::process::ExitCode;
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

/// The new thread: a second of work, then it hands its result over and notifies.
fn task(condition: &Condvar, work_list: &Mutex<Vec<i32>>) {
    thread::sleep(Duration::from_secs(1));
    // Python appends without the lock; here the list can only be reached through it.
    work_list
        .lock()
        .expect("no thread panics holding it")
        .push(2);
    // Python notifies inside `with condition:`; Rust's `notify_one` needs no lock: what matters
    // is that the data went in under the lock, so the waiter's predicate sees it whenever it
    // looks.
    println!("thread sending notif...");
    condition.notify_one();
}

fn main() -> ExitCode {
    let condition = Condvar::new();
    let work_list = Mutex::new(Vec::new());
    println!("main thread waiting for data ...");
    let got_data = thread::scope(|s| {
        // Python: `with condition:`, taken before the thread starts
        let guard = work_list.lock().expect("no thread panics holding it");
        s.spawn(|| task(&condition, &work_list));
        // Wait while the list is empty, at most 10 seconds.
        let (guard, _) = condition
            .wait_timeout_while(guard, Duration::from_secs(10), |list| list.is_empty())
            .expect("no thread panics holding it");
        if guard.is_empty() {
            println!("main thread gave up: no data within 10 seconds");
            return false;
        }
        let data = guard.clone();
        // the end of Python's `with condition:` block
        drop(guard);
        // `{:?}` prints a Vec as Python prints a list.
        println!("got data: {data:?}");
        true
        // The scope joins the thread here, as Python waits for it at exit. A failure is
        // reported only after that, from main: `process::exit` inside the scope would end the
        // process without joining the thread.
    });
    if got_data {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
