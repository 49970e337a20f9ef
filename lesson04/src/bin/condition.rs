//! # Condition: main waits to be notified by a new thread
//!
//! Ports `condition.py` (book L04 "How to Coordinate Using a Condition Variable").
//!
//! Main takes the condition's lock, starts a thread and waits on the condition; the thread
//! works for a second, then notifies, and main carries on. The Rust twists: a `Condvar` works
//! with a `Mutex` that holds the state the waiter is waiting for (here a `bool`, "the work is
//! done"), and a waiter can wake without any notify (a "spurious wakeup"), so it must wait
//! *while* a predicate holds: `wait_timeout_while(guard, timeout, |done| !*done)`. The
//! predicate also covers a notify sent before the wait began. The timeout (org tip 2) turns a
//! notification that never comes into a message and a failing exit status instead of a hang.
//!
//! Run it: `cargo run -p lesson04 --bin condition`

use std::process::ExitCode;
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

// custom function to be executed in a new thread
fn task(shared_condition: &(Mutex<bool>, Condvar)) {
    let (done, condition) = shared_condition;
    // block for a moment
    thread::sleep(Duration::from_secs(1));
    // notify a waiting thread that the work is done
    println!("Thread sending notification...");
    // `with shared_condition:` is taking the mutex; record the new state, then notify
    *done.lock().expect("no thread panics holding it") = true;
    condition.notify_one();
}

fn main() -> ExitCode {
    // create a condition: Python's Condition bundles a lock; in Rust the Mutex is separate and
    // holds the state the condition is about
    let shared = (Mutex::new(false), Condvar::new());
    let (done, condition) = &shared;
    // acquire the condition
    println!("Main thread waiting for data...");
    let notified = thread::scope(|s| {
        let guard = done.lock().expect("no thread panics holding it");
        // create and start a new thread to execute the task
        s.spawn(|| task(&shared));
        // wait to be notified by the new thread: the wait releases the mutex while it sleeps
        // and takes it back before returning
        let (guard, _) = condition
            .wait_timeout_while(guard, Duration::from_secs(10), |done| !*done)
            .expect("no thread panics holding it");
        let notified = *guard;
        // leave `with condition:`
        drop(guard);
        if notified {
            // we know the data is ready
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
