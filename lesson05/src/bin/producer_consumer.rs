//! # Producer and consumer threads with a queue; a closed channel stops the consumer
//!
//! Ports cc L6 "Producer-Consumer Threads With A Queue".
//!
//! The producer makes ten random values, sleeping that long before putting each one on a
//! queue; the consumer prints each value it gets. In Python the producer puts `None` at the
//! end and the consumer stops when it sees it.
//!
//! The Rust twist: the queue is a channel, and when the producer is finished its `Sender` is
//! dropped, which closes the channel; the consumer's `for` loop over the `Receiver` then ends
//! by itself. No sentinel value is needed, and a producer that dies early closes the channel
//! too, so the consumer never hangs.
//!
//! Run it: `cargo run -p lesson05 --bin producer_consumer`

use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Duration;

/// The producer: ten random values, each one slept before it is sent.
fn producer(queue: Sender<f64>) {
    println!("Producer: Running");
    for _ in 0..10 {
        let value: f64 = rand::random();
        thread::sleep(Duration::from_secs_f64(value));
        queue.send(value).expect("the consumer is still receiving");
    }
    // Python puts `None` here; in Rust `queue` (the only Sender) is dropped when this function
    // returns, right after the print, and that closes the channel. So here `Producer: Done`
    // always comes before `Consumer: Done` (in Python it may go either way).
    println!("Producer: Done");
}

/// The consumer: prints every value until the channel is closed.
fn consumer(queue: Receiver<f64>) {
    println!("Consumer: Running");
    // `for item in queue` calls `recv()` until the channel is closed and empty, which is
    // Python's `while True: item = queue.get(); if item is None: break`
    for item in queue {
        println!(">got {item}");
    }
    println!("Consumer: Done");
}

fn main() {
    // the shared queue, one end for each thread
    let (sender, receiver) = mpsc::channel();
    let consumer = thread::spawn(move || consumer(receiver));
    let producer = thread::spawn(move || producer(sender));
    producer.join().expect("the producer panicked");
    consumer.join().expect("the consumer panicked");
}
