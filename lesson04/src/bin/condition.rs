//! # Condition: main waits to be notified by a new thread
//!
//! Ports book L04 "How to Coordinate Using a Condition Variable".
//!
//! Main takes the condition's lock, starts a thread and waits on the condition; the thread
//! works for a second, then notifies, and main carries on.
//!
//! The Rust twists: a `Condvar` works with a `Mutex` that holds the state the waiter is waiting
//! for (here a `bool`, "the work is done"), and a waiter can wake without any notify (a
//! "spurious wakeup"), so it must wait *while* a predicate holds:
//! `wait_timeout_while(guard, timeout, |done| !*done)`. The predicate also covers a notify sent
//! before the wait began. The timeout (org tip 2) turns a notification that never comes into a
//! message and a failing exit status instead of a hang.
//!
//! Run it: `cargo run -p lesson04 --bin condition`

use std::process::ExitCode;
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

/// The new thread: a second of work, then it records that the work is done and notifies.
fn task(shared_condition: &(Mutex<bool>, Condvar)) {
    let (done, condition) = shared_condition;
    thread::sleep(Duration::from_secs(1));
    println!("Thread sending notification...");
    // Python: `with shared_condition: shared_condition.notify()`. Main wakes on the state, not
    // on the notify, so the state is recorded first, under the mutex.
    *done.lock().expect("no thread panics holding it") = true;
    condition.notify_one();
}

fn main() -> ExitCode {
    // Python's Condition bundles a lock; in Rust the Mutex is separate and holds the state the
    // condition is about.
    let shared = (Mutex::new(false), Condvar::new());
    let (done, condition) = &shared;
    println!("Main thread waiting for data...");
    let notified = thread::scope(|s| {
        // Python: `with condition:`, taken before the thread starts
        let guard = done.lock().expect("no thread panics holding it");
        s.spawn(|| task(&shared));
        // The wait releases the mutex while it sleeps and takes it back before returning.
        let (guard, _) = condition
            .wait_timeout_while(guard, Duration::from_secs(10), |done| !*done)
            .expect("no thread panics holding it");
        let notified = *guard;
        // the end of Python's `with condition:` block
        drop(guard);
        if notified {
            println!("Main thread all done");
        } else {
            println!("Main thread gave up: no notification within 10 seconds");
        }
        notified
        // The scope joins the thread here, as Python waits for it at exit. A failure is
        // reported only after that, from main: `process::exit` inside the scope would end the
        // process without joining the thread.
    });
    if notified {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
