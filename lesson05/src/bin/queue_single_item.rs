//! # One item passed from a thread to main through a channel
//!
//! Ports `queue_single_item.py` (book L05 "Example of Sharing Data via a Queue").
//!
//! A new thread sleeps a second, then puts `Hello from a new thread` on a queue; main blocks
//! on the queue until the item arrives and prints it. The Rust twist: for one producer and one
//! consumer std's `mpsc::channel()` is the queue (Python's `Queue()`, unbounded). The queue is
//! split in two ends: the thread owns the `Sender`, main the `Receiver`. If the thread died
//! without sending, its `Sender` would be dropped and `recv()` would return an error instead of
//! waiting forever.
//!
//! Run it: `cargo run -p lesson05 --bin queue_single_item`

use std::sync::mpsc::{self, Sender};
use std::thread;
use std::time::Duration;

// custom function to be executed in a new thread; it gets the sending end of the queue
fn task(shared_queue: Sender<String>) {
    // block for a moment
    thread::sleep(Duration::from_secs(1));
    // prepare some data
    let item = "Hello from a new thread".to_string();
    // share the data via the queue: `send` never blocks on an unbounded channel, and fails
    // only if the receiver is gone (then nobody wants the item)
    shared_queue
        .send(item)
        .expect("main is waiting for the item");
}

fn main() {
    // create the shared queue: Python's `Queue()` is unbounded, and so is `mpsc::channel()`
    let (sender, queue) = mpsc::channel();
    // create and start a new thread; the sender moves into it
    let thread = thread::spawn(move || task(sender));
    // block and wait for data via queue
    let data = queue.recv().expect("the thread sends before it ends");
    // report data from the queue
    println!("{data}");
    // Python waits for the (non-daemon) thread at exit; Rust joins it explicitly.
    thread.join().expect("the thread panicked");
}
