//! # Thread-local data: the same name, a value per thread
//!
//! Ports org "thread-local data" / "example".
//!
//! Two threads run the same function: each stores its argument (1, then 2) in the same
//! thread-local, sleeps that many seconds, and prints what it finds there: its own value,
//! although the other thread stored a different one under the same name meanwhile.
//!
//! The Rust twists: Python creates `threading.local()` inside `task`; in Rust the thread-local
//! is a static declared once with `thread_local!`, and each thread gets its own copy of it.
//! And Python waits for its threads at exit, Rust does not: the port joins both.
//!
//! Run it: `cargo run -p lesson02 --bin thread_local_per_thread`

use std::cell::Cell;
use std::thread;
use std::time::Duration;

thread_local! {
    /// The value each thread stores; every thread's copy starts at 0.
    static VALUE: Cell<u64> = const { Cell::new(0) };
}

fn task(value: u64) {
    VALUE.set(value);
    thread::sleep(Duration::from_secs(value));
    // This thread's own value, whatever the other thread stored meanwhile.
    println!("stored value: {}", VALUE.get());
}

fn main() {
    let first = thread::spawn(|| task(1));
    let second = thread::spawn(|| task(2));
    // The Python program ends without joining: Python waits for its (non-daemon) threads
    // at exit. Rust does not: when `main` returns the process ends and kills them. So we
    // join both.
    first.join().expect("the thread panicked");
    second.join().expect("the thread panicked");
}
