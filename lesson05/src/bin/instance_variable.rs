//! # A thread carries its result back; then `join()` returns it
//!
//! Ports book L05 "Example of Returning Values via Instance Variables", cc L5 "Return Data From
//! A Thread" and org "example of extending the thread class with return values".
//!
//! Part 1 is the book's `CustomThread`: a struct with a `value` field set to `None`, whose
//! `run` sleeps a second and stores `Hello from a new thread` in it; main reads the field after
//! the join. Part 2 is the org notes' version written the way Rust programs do it: the thread's
//! closure simply returns `99`, and `join()` returns that value. No shared field, no lock, no
//! `None` placeholder.
//!
//! The Rust twist: the thread *owns* the struct while it runs (so main cannot peek at a
//! half-done value), and `join()` hands the struct back.
//!
//! Run it: `cargo run -p lesson05 --bin instance_variable`

use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Part 1's "thread object". Python extends `Thread`; Rust has no inheritance, so it is a plain
/// struct with the data, and `start` moves it into a new thread.
struct CustomThread {
    /// Python: `self.value = None` in the constructor.
    value: Option<String>,
}

impl CustomThread {
    fn new() -> Self {
        CustomThread { value: None }
    }

    /// Python's `run()`: a second of work, then the result goes into the instance variable.
    fn run(&mut self) {
        thread::sleep(Duration::from_secs(1));
        self.value = Some("Hello from a new thread".to_string());
    }

    /// Python's `thread.start()`: the struct moves into the thread, which runs it and then
    /// returns it. The handle's `join()` gives the struct back, value filled in. While the
    /// thread runs, main has no access to the struct at all: the compiler sees to that.
    fn start(mut self) -> JoinHandle<Self> {
        thread::spawn(move || {
            self.run();
            self
        })
    }
}

fn main() {
    let thread = CustomThread::new().start();
    // `join` hands the thread object back
    let thread = thread.join().expect("the thread panicked");
    // Python prints `None` if the value was never set.
    let data = thread.value.as_deref().unwrap_or("None");
    println!("{data}");

    // Part 2: the org notes' CustomThread sleeps a second, prints, then sets `self.value = 99`.
    // In Rust the thread's closure returns the value, and `join()` returns it to main: this is
    // the idiomatic way to get a result out of a thread.
    let thread = thread::spawn(|| {
        thread::sleep(Duration::from_secs(1)); // the notes' `time.sleep(1)`
        println!("this is coming from another thread");
        99
    });
    // The notes print `waitin for thread finish`; the typo is fixed here.
    println!("waiting for thread finish");
    // `join()` returns `Ok(value)`, or `Err` if the thread panicked (Python's `join` returns
    // `None` and the value would simply be missing).
    let value = thread.join().expect("the thread panicked");
    // Python: `print(f'{value=}')`. Rust's format strings have no `=` specifier.
    println!("value={value}");
}
