//! # Stop every worker gracefully on Ctrl-C
//!
//! Ports book L07 "How to Gracefully Stop a Thread" (the stop event of `stop_with_event`), with
//! the stop asked for by Ctrl-C, through the ctrlc crate. The book has no program for this.
//!
//! Three workers each report a step every second until you press Ctrl-C: the handler announces
//! it and sets the stop event; each worker finishes the step it is in, sees the event and
//! closes down; main joins all three and the program exits with status 0. If no Ctrl-C comes
//! within 60 seconds, main sets the event itself and says so, so the program never waits
//! forever.
//!
//! The Rust twist: `ctrlc::set_handler` replaces the default action of SIGINT (end the process)
//! with a closure that runs on a thread of its own, where it may lock, print and notify like any
//! code (a raw signal handler could do almost none of that). The stop event is a `Mutex<bool>`
//! with a `Condvar`, so main can wait on it with a timeout, like Python's `Event.wait(timeout)`.
//!
//! Run it: `cargo run -p lesson07 --bin ctrlc_graceful`

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

/// How many workers to run.
const WORKERS: usize = 3;
/// How long main waits for Ctrl-C before it stops the workers itself.
const PATIENCE: Duration = Duration::from_secs(60);

/// Python's `threading.Event`, written out: a flag behind a mutex, and a condition variable to
/// wake whoever waits for the flag.
#[derive(Debug, Default)]
struct Event {
    flag: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    /// Lock the flag. (A mutex is "poisoned" if a thread panicked while holding it; that would
    /// be a bug here, so we stop with its message.)
    fn lock(&self) -> MutexGuard<'_, bool> {
        self.flag
            .lock()
            .expect("a thread panicked holding the event")
    }

    /// Wait until the event is set or `timeout` passes; true if it is set.
    fn wait(&self, timeout: Duration) -> bool {
        let (flag, _) = self
            .changed
            .wait_timeout_while(self.lock(), timeout, |set| !*set)
            .expect("a thread panicked holding the event");
        *flag
    }
}

/// One worker: a step a second, checking the stop event after each.
fn work(id: usize, stop: &Event) {
    loop {
        // one step of work
        thread::sleep(Duration::from_secs(1));
        // check for stop, and report progress while still holding the lock: the handler sets
        // the flag under the same lock, so no worker reports a step after the stop is announced
        let stop_set = stop.lock();
        if *stop_set {
            break;
        }
        println!("Worker {id} running...");
    }
    println!("Worker {id} closing down");
}

/// Announce why the workers stop, and set the event, in one locked step (once: a second
/// Ctrl-C, or one at the very moment main gives up waiting, changes nothing).
fn ask_to_stop(stop: &Event, why: &str) {
    let mut flag = stop.lock();
    if !*flag {
        println!("{why}");
        *flag = true;
        stop.changed.notify_all();
    }
}

fn main() {
    let stop = Arc::new(Event::default());
    // On Ctrl-C (SIGINT), ask the workers to stop. Install the handler first, so a Ctrl-C that
    // comes while the workers start is not lost.
    let handler_stop = Arc::clone(&stop);
    ctrlc::set_handler(move || {
        ask_to_stop(&handler_stop, "Ctrl-C received, asking the workers to stop");
    })
    .expect("cannot install the Ctrl-C handler");
    println!(
        "Starting {WORKERS} workers; press Ctrl-C to stop them (they stop by themselves after 60 s)"
    );
    let workers: Vec<_> = (0..WORKERS)
        .map(|id| {
            let stop = Arc::clone(&stop);
            thread::spawn(move || work(id, &stop))
        })
        .collect();
    // wait for Ctrl-C, but not forever
    if !stop.wait(PATIENCE) {
        ask_to_stop(&stop, "No Ctrl-C within 60 s, asking the workers to stop");
    }
    // wait for every worker to finish its step and close down
    for worker in workers {
        worker.join().expect("a worker thread panicked");
    }
    println!("All {WORKERS} workers stopped, exiting");
}
