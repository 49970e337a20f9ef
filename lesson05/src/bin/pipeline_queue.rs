//! # A bounded queue and an event: the producer stops, the consumer drains the rest
//!
//! Ports rp "Producer-Consumer Using Queue".
//!
//! The producer gets random messages and puts each into a `Pipeline`, a queue of at most 10;
//! the consumer takes them out and prints each with the queue's size. After 0.1 s main sets
//! an event: the producer stops, and the consumer empties the queue before it stops too. The
//! last line gives the largest size the queue reached.
//!
//! Watch the size. Messages come in bursts of 20, each after a quiet 50 ms, faster than the
//! consumer can store them (2 ms each), so the queue backs up: it fills to 10, the producer
//! waits in `put` until the consumer makes room, and the size never goes above 10. In the
//! quiet before each burst the queue is empty, and the consumer waits. The Python producer and consumer run flat out; in Rust that prints tens of thousands of
//! lines in the 0.1 s (CPython's GIL held the original to 2,000 or 3,000), and the point
//! scrolls away. Paced, the run prints fewer than a hundred lines.
//!
//! The Rust twists: std's channels have no `qsize()` or `empty()`, so the pipeline is this
//! lesson's [`lesson05::Queue`]; the event, only set and tested here, is an `AtomicBool`. And
//! the Python consumer's loop test has a race that can lose the last message: see `consumer`
//! for how the port closes it.
//!
//! Run it: `cargo run -p lesson05 --bin pipeline_queue`

use lesson05::Queue;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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

/// How long the producer waits for room before giving up with a clear message, instead of
/// hanging forever if the consumer died (Python's `put()` would wait forever).
const PATIENCE: Duration = Duration::from_secs(10);

/// The producer gets its messages in bursts of this many: twice what the queue holds, so
/// every burst fills it.
const BURST: u32 = 20;

/// The quiet time before each burst: the queue starts empty, and the consumer empties it
/// between two bursts.
const BETWEEN_BURSTS: Duration = Duration::from_millis(50);

/// How long the consumer takes to store one message: slower than a burst comes in.
const STORE_TIME: Duration = Duration::from_millis(2);

/// Python: `class Pipeline(queue.Queue)` with `maxsize=10`. Rust has no subclassing, so
/// the pipeline is a struct that holds the queue.
#[derive(Debug)]
struct Pipeline {
    queue: Queue<u32>,
    /// Not in the Python: the largest size the queue had right after a put, where it is at
    /// its fullest.
    max_size_seen: AtomicUsize,
}

impl Pipeline {
    fn new() -> Self {
        Pipeline {
            queue: Queue::new(10),
            max_size_seen: AtomicUsize::new(0),
        }
    }

    /// Python: `self.get()`. Here with a short timeout, so the consumer can look again at
    /// whether the producer has stopped (`None`: nothing came in time).
    fn get_message(&self, _name: &str) -> Option<u32> {
        self.queue.get_timeout(Duration::from_millis(10)).ok()
    }

    /// Python: `self.put(value)`: waits while the queue holds 10 messages.
    fn set_message(&self, value: u32, name: &str) {
        self.queue
            .put_timeout(value, PATIENCE)
            .unwrap_or_else(|_| panic!("{name}: the queue stayed full for {PATIENCE:?}"));
        self.max_size_seen
            .fetch_max(self.queue.qsize(), Ordering::Relaxed);
    }
}

/// Pretend we're getting a number from the network.
fn producer(pipeline: &Pipeline, event: &AtomicBool, producer_exited: &AtomicBool) {
    let mut got = 0;
    // Python: `while not event.is_set():`
    while !event.load(Ordering::SeqCst) {
        // Not in the Python: the network is quiet before each burst (see the header).
        if got % BURST == 0 {
            thread::sleep(BETWEEN_BURSTS);
        }
        let message = rand::random_range(1..=101);
        log(&format!("Producer got message: {message}"));
        pipeline.set_message(message, "Producer");
        got += 1;
    }

    log("Producer received EXIT event. Exiting");
    // Not in the Python: tell the consumer that no message will come any more. `Release`
    // makes every `put` above visible to the thread that reads `true` with `Acquire`.
    producer_exited.store(true, Ordering::Release);
}

/// Pretend we're saving a number in the database.
fn consumer(pipeline: &Pipeline, event: &AtomicBool, producer_exited: &AtomicBool) {
    // Python: `while not event.is_set() or not pipeline.empty():`. That test has a race:
    // the producer may have checked the event just before main set it, and be about to put
    // one last message. If the consumer sees the event set and the queue empty in that
    // moment, it leaves and the last message is never stored; or it may block in `get()`
    // forever on a queue nobody fills any more. So the port adds one condition: the event
    // is set *and the producer has left its loop* (not merely been told to). Only then does
    // an empty queue mean that no message will ever come.
    let stopped = || event.load(Ordering::SeqCst) && producer_exited.load(Ordering::Acquire);
    while !stopped() || !pipeline.queue.empty() {
        // Nothing within 10 ms: look at the condition again.
        let Some(message) = pipeline.get_message("Consumer") else {
            continue;
        };
        log(&format!(
            "Consumer storing message: {message}  (queue size={})",
            pipeline.queue.qsize()
        ));
        // Not in the Python: storing takes a moment (see the header).
        thread::sleep(STORE_TIME);
    }

    log("Consumer received EXIT event. Exiting");
}

fn main() {
    let pipeline = Pipeline::new();
    // Python: `threading.Event()`. This one is only set and tested, never waited on, so an
    // `AtomicBool` does the job (lesson04 builds a full `Event` with `wait`).
    let event = AtomicBool::new(false);
    let producer_exited = AtomicBool::new(false);
    // Python: `with ThreadPoolExecutor(max_workers=2) as executor:`. `thread::scope` joins
    // both threads when it ends, and lets them borrow the pipeline and the flags.
    thread::scope(|s| {
        s.spawn(|| producer(&pipeline, &event, &producer_exited));
        s.spawn(|| consumer(&pipeline, &event, &producer_exited));

        thread::sleep(Duration::from_millis(100));
        log("Main: about to set event");
        event.store(true, Ordering::SeqCst);
    });
    // Not in the Python: the point of the example, on the last line.
    log(&format!(
        "Main: max queue size seen: {}",
        pipeline.max_size_seen.load(Ordering::Relaxed)
    ));
}
