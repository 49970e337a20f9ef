//! # Daemon thread: a thread nobody joins dies when `main` returns
//!
//! Ports rp "Daemon Threads" (also book L03 "Configure Daemon Threads", org "how to configure
//! thread daemon" and guide "Daemon Threads").
//!
//! A background thread logs `Thread 1: starting`, then sleeps 2 s. Main logs its four lines and
//! returns without joining it, so the process ends at once and the thread's `Thread 1: finishing`
//! never appears: the whole run takes a blink, not 2 s.
//!
//! The Rust twist: there is no `daemon` flag. Every Rust thread behaves like a Python daemon
//! thread: when `main` returns the process exits and takes every other thread with it, wherever it
//! is. Python's default (wait for non-daemon threads at exit) is, in Rust, a `join` you write.
//!
//! Run it: `cargo run -p lesson03 --bin daemon_thread`

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Prints one log line as the RealPython example's `logging` format does: `HH:MM:SS: message`.
/// std has no time zones, so the clock is UTC (Python's `logging` shows local time). The port
/// prints to stdout; Python's `logging` writes to stderr.
fn log(message: &str) {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is before 1970")
        .as_secs()
        % 86_400;
    println!(
        "{:02}:{:02}:{:02}: {message}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    );
}

fn thread_function(name: u32, started: mpsc::Sender<()>) {
    log(&format!("Thread {name}: starting"));
    // Tell main we are running (see `main`). If main already gave up waiting, the send fails
    // and there is nothing to do about it.
    let _ = started.send(());
    thread::sleep(Duration::from_secs(2));
    // Never printed: main returns long before this 2 s sleep ends.
    log(&format!("Thread {name}: finishing"));
}

fn main() {
    log("Main    : before creating thread");
    // Python: `threading.Thread(target=thread_function, args=(1,), daemon=True)`. No flag here.
    // Python's `start()` returns only once the new thread is running; `spawn` returns at once.
    // So the thread tells main when it has started, or main could return before the thread had
    // logged anything at all (try removing the `recv`: sometimes `starting` vanishes too).
    // A channel is a pipe between threads: the thread sends on `started_tx`, main waits on
    // `started_rx`. Lesson 05 teaches channels; this is all this example needs of them.
    let (started_tx, started_rx) = mpsc::channel();
    log("Main    : before running thread");
    // `move` hands the argument and the sender to the thread (Python's `args=(1,)`).
    let x = thread::spawn(move || thread_function(1, started_tx));
    // Bounded wait: if the thread never says it started, go on after a second anyway.
    if started_rx.recv_timeout(Duration::from_secs(1)).is_err() {
        log("Main    : the thread did not start within 1 s");
    }
    log("Main    : wait for the thread to finish");
    // x.join();   <- the line the RealPython article comments out. With it, main would wait the
    //                full 2 s and `Thread 1: finishing` would appear, as for a non-daemon thread.
    log("Main    : all done");

    // Dropping a `JoinHandle` detaches the thread: it keeps running, but nobody can join it any
    // more. When `main` returns just below, the process exits and the sleeping thread is gone.
    drop(x);
}
