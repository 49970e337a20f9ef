//! # A one-slot pipeline built from two locks; a sentinel ends it
//!
//! Ports rp "Producer-Consumer Using Lock".
//!
//! The producer "gets" ten random messages and sets each into a one-message `Pipeline`; the
//! consumer gets each one and "stores" it. Two binary locks take turns: the producer may set
//! only when the consumer has taken the last message, and the consumer may get only when a
//! new one is there. At the end the producer sends a sentinel. Watch the producer often get a
//! second message before the consumer stores the first: it waits only when it tries to set
//! that second one. The consumer still stores every message, in order.
//!
//! The Rust twist: the pipeline needs a lock that one thread acquires and *another* thread
//! releases. A `Mutex` cannot do that (its guard belongs to the thread that locked it), so
//! the two "locks" here are a tiny hand-made binary lock: a `Mutex<bool>` and a `Condvar`.
//! In real Rust code this whole `Pipeline` is one line, `mpsc::sync_channel(1)`.
//!
//! Run it: `cargo run -p lesson05 --bin pipeline_locks`

use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Python's `logging.info` with the format `%(asctime)s: %(message)s` and `%H:%M:%S`,
/// printed to stdout (Python logs to stderr) with a UTC clock (std has no local time).
fn log(message: &str) {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is set before 1970")
        .as_secs();
    let (h, m, s) = ((secs / 3600) % 24, (secs / 60) % 60, secs % 60);
    println!("{h:02}:{m:02}:{s:02}: {message}");
}

/// How long a side waits for the other before giving up with a clear message, instead of
/// hanging forever if the other thread died (Python's `acquire()` would wait forever).
const PATIENCE: Duration = Duration::from_secs(10);

/// A lock as Python's `threading.Lock` behaves: any thread may release it, not only the
/// one that acquired it. That is what lets the two sides of the pipeline hand over turns.
#[derive(Debug)]
struct BinaryLock {
    locked: Mutex<bool>,
    released: Condvar,
}

impl BinaryLock {
    fn new(locked: bool) -> Self {
        BinaryLock {
            locked: Mutex::new(locked),
            released: Condvar::new(),
        }
    }

    /// Python: `lock.acquire()`, bounded by `PATIENCE`.
    fn acquire(&self, name: &str) {
        let locked = self.locked.lock().expect("no thread panicked holding it");
        // `wait_timeout_while` sleeps until the flag is false (ignoring spurious wakeups).
        let (mut locked, _) = self
            .released
            .wait_timeout_while(locked, PATIENCE, |locked| *locked)
            .expect("no thread panicked holding it");
        assert!(
            !*locked,
            "{name}: the other side did not release the lock in {PATIENCE:?}"
        );
        *locked = true;
    }

    /// Python: `lock.release()`, from whichever thread.
    fn release(&self) {
        *self.locked.lock().expect("no thread panicked holding it") = false;
        self.released.notify_one();
    }
}

/// Python's `SENTINEL = object()`: here the message is an `Option`, and `None` is the
/// sentinel, a value the producer can never "get from the network".
type Message = Option<u32>;

/// Class to allow a single element pipeline between producer and consumer.
#[derive(Debug)]
struct Pipeline {
    /// The slot. Both threads change it through a shared `&Pipeline`, which Rust allows only
    /// through a thread-safe type, so it sits in a `Mutex`: the compiler cannot see that the
    /// two locks already keep the sides apart.
    message: Mutex<Message>,
    producer_lock: BinaryLock,
    /// Python acquires the consumer lock in `__init__`: the consumer must wait for a message.
    consumer_lock: BinaryLock,
}

impl Pipeline {
    fn new() -> Self {
        Pipeline {
            message: Mutex::new(Some(0)),
            producer_lock: BinaryLock::new(false),
            consumer_lock: BinaryLock::new(true),
        }
    }

    fn get_message(&self, name: &str) -> Message {
        self.consumer_lock.acquire(name);
        // Copy the message out *before* letting the producer in: once `producer_lock` is
        // released the producer may overwrite the slot (the race the article warns about).
        let message = *self.message.lock().expect("no thread panicked holding it");
        self.producer_lock.release();
        message
    }

    fn set_message(&self, message: Message, name: &str) {
        self.producer_lock.acquire(name);
        *self.message.lock().expect("no thread panicked holding it") = message;
        self.consumer_lock.release();
    }
}

/// Pretend we're getting a message from the network.
fn producer(pipeline: &Pipeline) {
    for _index in 0..10 {
        // Python's `random.randint(1, 101)`: both ends included.
        let message = rand::random_range(1..=101);
        log(&format!("Producer got message: {message}"));
        pipeline.set_message(Some(message), "Producer");
    }
    // Send a sentinel message to tell consumer we're done
    pipeline.set_message(None, "Producer");
}

/// Pretend we're saving a number in the database.
fn consumer(pipeline: &Pipeline) {
    // Python: `while message is not SENTINEL`. `while let` stops at the `None`.
    while let Some(message) = pipeline.get_message("Consumer") {
        log(&format!("Consumer storing message: {message}"));
    }
}

fn main() {
    let pipeline = Pipeline::new();
    // Python: `with ThreadPoolExecutor(max_workers=2) as executor:` submitting the two
    // functions; leaving the `with` waits for both. `thread::scope` does the same: both
    // threads are joined when the scope ends, and they may borrow `pipeline` from main.
    thread::scope(|s| {
        s.spawn(|| producer(&pipeline));
        s.spawn(|| consumer(&pipeline));
    });
}
