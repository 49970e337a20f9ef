//! # Native id: the operating system's number for a thread
//!
//! Ports book L03 "Query Thread Native Identifier".
//!
//! Before the thread exists it has no OS thread id (`None`); once it runs, the kernel has given
//! it one (the TID that `ps -L` and `top -H` show). On Linux a thread's id is drawn from the same
//! numbers as process ids, but it is not the process id: that one belongs to the main thread.
//!
//! The Rust twist: std gives each thread a `ThreadId` (like Python's `ident`), but not the OS id.
//! `nix::unistd::gettid()` returns it, and only for the thread that calls it, so the new thread
//! reports its own id to main over a channel.
//!
//! Run it: `cargo run -p lesson03 --bin native_id`

use nix::unistd::gettid;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

fn main() {
    // Python's `thread.native_id` is `None` until `start()`. Here the id lives in an `Option`
    // that stays `None` until the thread exists and tells us its number.
    let mut native_id: Option<i32> = None;
    println!("{native_id:?}");

    // A channel is a pipe between threads (lesson 05 teaches them): the thread sends its id on
    // `tid_tx`, and main receives it on `tid_rx`.
    let (tid_tx, tid_rx) = mpsc::channel();
    let handle = thread::spawn(move || {
        // `gettid()` asks the kernel "which thread am I?". `as_raw` turns nix's `Pid` into the
        // plain number. The receiver is there unless main gave up waiting: ignore a failed send.
        let _ = tid_tx.send(gettid().as_raw());
    });
    // Bounded wait: a thread that never reports leaves `native_id` at `None`, with a message.
    match tid_rx.recv_timeout(Duration::from_secs(5)) {
        Ok(tid) => native_id = Some(tid),
        Err(_) => eprintln!("the thread did not report its id within 5 s"),
    }
    println!("{native_id:?}");

    // Not printed, for comparison: `handle.thread().id()` is the `ThreadId` (Python's `ident`),
    // and `nix::unistd::getpid()` is the process id, which equals the main thread's `gettid()`.
    handle.join().expect("the thread panicked");
}
