//! # Thread attributes: what a thread handle tells you, before, during and after
//!
//! Ports org "thread instance attributes" / "thread alive status".
//!
//! Before the thread starts it is not alive and has no id. Once started it has a name (here
//! none), an OS thread id and a language-level id, and it is alive while it sleeps 0.2 s. Once
//! it has ended it is not alive any more.
//!
//! The Rust twists: the handle only exists once `spawn` has started the thread, so "before start"
//! is an `Option` that is `None`; an unnamed Rust thread has no name at all (Python invents
//! `Thread-1 (<lambda>)`); there is no `daemon` attribute (see `daemon_thread`); `ThreadId` plays
//! Python's `ident`, and the OS id (`native_id`) comes from `nix::unistd::gettid` in the thread.
//! Python asks `is_alive()` after `join()`, but a Rust `join` consumes the handle: main waits for
//! the end by asking the handle, prints its last answer, then joins.
//!
//! Run it: `cargo run -p lesson03 --bin thread_attributes`

use nix::unistd::gettid;
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How often main asks the thread whether it has finished.
const POLL: Duration = Duration::from_millis(10);

/// Blocks until the thread's function has returned, as `join` would, but by asking the handle,
/// so the handle is still there afterwards. The thread sleeps a bounded 0.2 s, so this ends.
fn wait_until_finished(handle: &JoinHandle<()>) {
    while !handle.is_finished() {
        thread::sleep(POLL);
    }
}

fn main() {
    // Python creates the `Thread` object first and starts it later. In Rust, `spawn` does both,
    // so until then the handle is `None`, and so is everything we could ask it.
    let mut thread: Option<JoinHandle<()>> = None;

    // Alive means: started, and its function has not returned yet.
    let is_alive = thread.as_ref().is_some_and(|h| !h.is_finished());
    println!("thread's is_alive={is_alive}");
    // Python's `ident` is `threading.get_ident()` of the running thread; Rust's twin is
    // `ThreadId`, read from the handle's `Thread`.
    let ident = thread.as_ref().map(|h| h.thread().id());
    println!("ident={ident:?}");
    // Python prints `daemon=False` here. A Rust thread has no daemon flag to read: every thread
    // dies when `main` returns unless main joins it, as this one does below.

    let (tid_tx, tid_rx) = mpsc::channel();
    thread = Some(thread::spawn(move || {
        // The OS id can only be asked by the thread itself; send it to main. Ignore a failed
        // send: it only fails if main stopped waiting.
        let _ = tid_tx.send(gettid().as_raw());
        thread::sleep(Duration::from_millis(200));
        println!("this is from another thread");
    }));
    let handle = thread.as_ref().expect("just spawned");

    // Python reads the name before `start()`; here the handle exists only now. We gave the
    // thread no name (`thread::Builder::name` would), so it is `None`.
    let name = handle.thread().name();
    println!("name={name:?}");
    // Bounded wait for the thread's report, then `None` with a message if it never comes.
    let native_id = tid_rx.recv_timeout(Duration::from_secs(5)).ok();
    if native_id.is_none() {
        eprintln!("the thread did not report its id within 5 s");
    }
    println!("native_id={native_id:?}");
    let alive_while_sleeping = !handle.is_finished();
    println!("is_alive={alive_while_sleeping}");
    let ident = Some(handle.thread().id());
    println!("ident={ident:?}");

    // Python's `join()` then `is_alive()`. `join` would consume the handle, so wait for the end
    // first, then ask the handle: the `false` printed is the thread's own answer.
    wait_until_finished(handle);
    let alive_after_the_end = !handle.is_finished();
    println!("is_alive={alive_after_the_end}");
    // Finished is not joined: `join` collects the result (here `()`, or the panic).
    if let Some(handle) = thread.take() {
        handle.join().expect("the thread panicked");
    }
}
