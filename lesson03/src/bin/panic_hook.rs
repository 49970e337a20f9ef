//! # Panic hook: report a thread's failure your own way
//!
//! Ports book L03 "Example of Handling Thread Exceptions" (also org "exception hook").
//!
//! A hook is installed, then a thread prints `Working...`, blocks a second and fails. Instead of
//! the default report on stderr, the hook prints one line, `Thread failed: Something bad
//! happened`; main, unaffected, prints `Continuing on...`.
//!
//! The Rust twist: `std::panic::set_hook` plays `threading.excepthook`. It is one hook for the
//! whole process, called for a panic in any thread (main too), in the panicking thread, before it
//! unwinds. It receives a `PanicHookInfo` whose payload is the message (Python's `args.exc_value`).
//! The thread still ends, and `join()` returns its panic as an `Err`.
//!
//! Run it: `cargo run -p lesson03 --bin panic_hook`

use std::panic::{self, PanicHookInfo};
use std::thread;
use std::time::Duration;

/// The hook (Python: `def custom_hook(args)`): one line on stdout in place of the default
/// report.
fn custom_hook(info: &PanicHookInfo) {
    // The payload is `&str` for `panic!("literal")` and `String` for `panic!("{}", x)`.
    let message = if let Some(text) = info.payload().downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = info.payload().downcast_ref::<String>() {
        text.clone()
    } else {
        "<a panic without a message>".to_string()
    };
    println!("Thread failed: {message}");
}

/// The thread's work: it fails after a second.
fn task() {
    println!("Working...");
    thread::sleep(Duration::from_secs(1));
    // Python: `raise Exception('Something bad happened')`.
    panic!("Something bad happened");
}

fn main() {
    // Python: `threading.excepthook = custom_hook`. It replaces the default hook, the one
    // that prints `thread '<unnamed>' panicked at ...` on stderr (run `unhandled_panic` to
    // see it), and must be in place before the thread can fail.
    panic::set_hook(Box::new(custom_hook));
    let thread = thread::spawn(task);
    // `join` returns `Err(payload)`, since the thread panicked. The hook has already
    // reported it, so main just moves on, as Python's does.
    let _outcome: thread::Result<()> = thread.join();
    println!("Continuing on...");
}
