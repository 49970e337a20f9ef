//! # Event: five threads wait for main's signal
//!
//! Ports book L04 "How to Signal Between Threads Using an Event" and org "thread event".
//!
//! Five threads report that they are waiting and block on an event. Main blocks for two
//! seconds, then sets the event: every waiting thread wakes at once, sleeps its own random
//! fraction of a second and reports it, so the reports come out in the order of their values.
//!
//! The Rust twist: std has no event, so this uses `lesson04::Event`, and the threads wait with
//! a timeout (org tip 2), so a program that forgot to set the event would say so and end
//! instead of hanging.
//!
//! Run it: `cargo run -p lesson04 --bin event`

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use lesson04::Event;

/// One thread: wait for the event, then work (sleep) a random fraction of a second and report.
fn task(shared_event: &Event, number: usize) {
    println!("Thread {number} waiting...");
    // Python: `shared_event.wait()`. Bounded here: main sets it after 2 s, 10 s is plenty.
    if !shared_event.wait_timeout(Duration::from_secs(10)) {
        println!("Thread {number} gave up: the event was never set");
        return;
    }
    let value = rand::random::<f64>();
    thread::sleep(Duration::from_secs_f64(value));
    println!("Thread {number} got {value}");
}

fn main() {
    // created not set: every thread that waits on it blocks until main sets it
    let event = Arc::new(Event::new());
    let threads: Vec<_> = (0..5)
        .map(|i| {
            let event = Arc::clone(&event);
            thread::spawn(move || task(&event, i))
        })
        .collect();
    println!("Main thread blocking...");
    thread::sleep(Duration::from_secs(2));
    // one call releases every waiting thread at once
    event.set();
    for thread in threads {
        thread.join().expect("the task does not panic");
    }
}
