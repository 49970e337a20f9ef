//! # Producer and consumer threads with a queue; a closed channel stops the consumer
//!
//! Ports `producer_consumer.py` (cc L6 "Producer-Consumer Threads With A Queue").
//!
//! The producer makes ten random values, sleeping that long before putting each one on a
//! queue; the consumer prints each value it gets. In Python the producer puts `None` at the
//! end and the consumer stops when it sees it. The Rust twist: the queue is a channel, and
//! when the producer is finished its `Sender` is dropped, which closes the channel; the
//! consumer's `for` loop over the `Receiver` then ends by itself. No sentinel value is needed,
//! and a producer that dies early closes the channel too, so the consumer never hangs.
//!
//! Run it: `cargo run -p lesson05 --bin producer_consumer`

use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Duration;

// generate work
fn producer(queue: Sender<f64>) {
    println!("Producer: Running");
    // generate work
    for _ in 0..10 {
        // generate a value
        let value: f64 = rand::random();
        // block
        thread::sleep(Duration::from_secs_f64(value));
        // add to the queue
        queue.send(value).expect("the consumer is still receiving");
    }
    // all done. Python puts `None` here; in Rust `queue` (the only Sender) is dropped when
    // this function returns, right after the print, and that closes the channel. So here
    // `Producer: Done` always comes before `Consumer: Done` (in Python it may go either way).
    println!("Producer: Done");
}

// consume work
fn consumer(queue: Receiver<f64>) {
    println!("Consumer: Running");
    // consume work: `for item in queue` calls `recv()` until the channel is closed and empty,
    // which is Python's `while True: item = queue.get(); if item is None: break`
    for item in queue {
        // report
        println!(">got {item}");
    }
    // all done
    println!("Consumer: Done");
}

fn main() {
    // create the shared queue: one end for each thread
    let (sender, receiver) = mpsc::channel();
    // start the consumer
    let consumer = thread::spawn(move || consumer(receiver));
    // start the producer
    let producer = thread::spawn(move || producer(sender));
    // wait for all threads to finish
    producer.join().expect("the producer panicked");
    consumer.join().expect("the consumer panicked");
}
