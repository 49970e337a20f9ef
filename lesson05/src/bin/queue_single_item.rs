//! # One item passed from a thread to main through a channel
//!
//! Ports book L05 "Example of Sharing Data via a Queue".
//!
//! A new thread sleeps a second, then puts `Hello from a new thread` on a queue; main blocks
//! on the queue until the item arrives and prints it.
//!
//! The Rust twist: for one producer and one consumer std's `mpsc::channel()` is the queue
//! (Python's `Queue()`, unbounded). The queue is split in two ends: the thread owns the
//! `Sender`, main the `Receiver`. If the thread died without sending, its `Sender` would be
//! dropped and `recv()` would return an error instead of waiting forever.
//!
//! Run it: `cargo run -p lesson05 --bin queue_single_item`

use std::sync::mpsc::{self, Sender};
use std::thread;
use std::time::Duration;

/// The new thread, with the sending end of the queue: a second of work, then it sends the
/// result.
fn task(shared_queue: Sender<String>) {
    thread::sleep(Duration::from_secs(1));
    let item = "Hello from a new thread".to_string();
    // `send` never blocks on an unbounded channel, and fails only if the receiver is gone
    // (then nobody wants the item)
    shared_queue
        .send(item)
        .expect("main is waiting for the item");
}

fn main() {
    // Python's `Queue()` is unbounded, and so is `mpsc::channel()`
    let (sender, queue) = mpsc::channel();
    // the sender moves into the thread
    let thread = thread::spawn(move || task(sender));
    // Python: `queue.get()`, which blocks until the item arrives
    let data = queue.recv().expect("the thread sends before it ends");
    println!("{data}");
    // Python waits for the (non-daemon) thread at exit; Rust joins it explicitly.
    thread.join().expect("the thread panicked");
}
