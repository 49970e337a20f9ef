//! # Split a job into subtasks, gather their results three ways, and sum them
//!
//! Ports the exercise of book L05 ("Lesson Review": try "a container in a global variable",
//! "instance variables" and "a queue").
//!
//! Five subtasks each "compute" a part by sleeping that long, then hand the part back; main
//! waits for all five and reports how many results it gathered and their sum. It does this
//! three times: through a global `Vec` behind a `Mutex`, through a value each thread returns
//! from `join()` (Rust's instance variable), and through a channel.
//!
//! The exercise's hint draws each part at random. Here the parts are fixed, 1/8, 2/8, ...,
//! 5/8 of a second, so the sum can be checked: it must be 1.875 every time, for every way.
//! Eighths are exact in binary floating point, so the sum does not depend on the order in
//! which the results arrive (with parts like 0.1 it could differ in the last digit).
//!
//! The Rust twist: the second way needs no instance variable at all: `join()` returns what the
//! thread's function returned.
//!
//! Run it: `cargo run -p lesson05 --bin gather_results`

use std::sync::Mutex;
use std::sync::mpsc::{self, Sender};
use std::thread::{self, JoinHandle};
use std::time::Duration;

const N_TASKS: usize = 5;

/// The part subtask `index` computes: (index + 1) / 8, and it takes that many seconds.
fn part(index: usize) -> f64 {
    (index + 1) as f64 / 8.0
}

/// Way 1, a container in a global variable: a `static` `Vec`, guarded by a `Mutex` because
/// five threads push into it (Python's `list.append` is made safe by the GIL; Rust's `Vec`
/// needs the lock, and the compiler will not let you forget it).
static RESULTS: Mutex<Vec<f64>> = Mutex::new(Vec::new());

/// Way 1's subtask: compute its part, then push it into the global container.
fn task_global(index: usize) {
    let value = part(index);
    thread::sleep(Duration::from_secs_f64(value));
    RESULTS
        .lock()
        .expect("no thread panicked holding the lock")
        .push(value);
}

/// Way 2's subtask, instance variables: Python extends `Thread` and reads `thread.value` after
/// `join()`. In Rust the thread returns its value, and `join()` hands it to main.
fn task_returning(index: usize) -> f64 {
    let value = part(index);
    thread::sleep(Duration::from_secs_f64(value));
    value
}

/// Way 3's subtask, a shared queue: each thread gets its own clone of the `Sender`.
fn task_queue(index: usize, shared_queue: Sender<f64>) {
    let value = part(index);
    thread::sleep(Duration::from_secs_f64(value));
    shared_queue.send(value).expect("main is receiving");
}

fn main() {
    // Way 1: start all five, then join all five, and only then read the global.
    let mut threads: Vec<JoinHandle<()>> = Vec::new();
    for i in 0..N_TASKS {
        threads.push(thread::spawn(move || task_global(i)));
    }
    for thread in threads {
        thread.join().expect("a storing task panicked");
    }
    let results = RESULTS.lock().expect("no thread panicked holding the lock");
    println!(
        "Global variable: gathered {} results, sum={}",
        results.len(),
        results.iter().sum::<f64>()
    );
    drop(results);

    // Way 2, instance variables the Rust way: `join()` returns what the thread returned. The
    // middle `collect` starts all five before the first `join`: iterators are lazy, and
    // without it each thread would be started and joined before the next one starts.
    let values: Vec<f64> = (0..N_TASKS)
        .map(|i| thread::spawn(move || task_returning(i)))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|thread| thread.join().expect("a task panicked"))
        .collect();
    println!(
        "Instance variables: gathered {} results, sum={}",
        values.len(),
        values.iter().sum::<f64>()
    );

    // Way 3: a channel, one `Sender` clone per thread.
    let (sender, queue) = mpsc::channel();
    let threads: Vec<_> = (0..N_TASKS)
        .map(|i| {
            let sender = sender.clone();
            thread::spawn(move || task_queue(i, sender))
        })
        .collect();
    // Drop main's own sender: then the channel closes once every thread has sent its part,
    // and a thread that died without sending makes `recv` fail instead of hang.
    drop(sender);
    let values: Vec<f64> = (0..N_TASKS)
        .map(|_| queue.recv().expect("every task sends its part"))
        .collect();
    for thread in threads {
        thread.join().expect("a task panicked");
    }
    println!(
        "Queue: gathered {} results, sum={}",
        values.len(),
        values.iter().sum::<f64>()
    );
}
