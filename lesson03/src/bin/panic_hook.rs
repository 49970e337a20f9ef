//! # Panic hook: report a thread's failure your own way
//!
//! Ports `panic_hook.py` (book L03 "Example of Handling Thread Exceptions"; also org
//! "exception hook").
//!
//! A hook is installed, then a thread prints `Working...`, blocks a second and fails. Instead of
//! the default report on stderr, the hook prints one line, `Thread failed: Something bad
//! happened`; main, unaffected, prints `Continuing on...`.
//!
//! Rust twist: `std::panic::set_hook` plays `threading.excepthook`. It is one hook for the whole
//! process, called for a panic in any thread (main too), in the panicking thread, before it
//! unwinds. It receives a `PanicHookInfo` whose payload is the message (Python's
//! `args.exc_value`). The thread still ends, and `join()` returns its panic as an `Err`.
//!
//! Run it: `cargo run -p lesson03 --bin panic_hook`

use std::panic::{self, PanicHookInfo};
use std::thread;
use std::time::Duration;

/// custom panic hook (Python: `def custom_hook(args)`)
fn custom_hook(info: &PanicHookInfo) {
    // The payload is `&str` for `panic!("literal")` and `String` for `panic!("{}", x)`.
    let message = if let Some(text) = info.payload().downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = info.payload().downcast_ref::<String>() {
        text.clone()
    } else {
        "<a panic without a message>".to_string()
    };
    // report the failure
    println!("Thread failed: {message}");
}

/// target function that panics
fn task() {
    // report a message
    println!("Working...");
    // block for a moment
    thread::sleep(Duration::from_secs(1));
    // raise an "unexpected" panic
    panic!("Something bad happened");
}

fn main() {
    // register the panic hook (Python: `threading.excepthook = custom_hook`). It replaces the
    // default hook, the one that prints `thread '<unnamed>' panicked at ...` on stderr.
    panic::set_hook(Box::new(custom_hook));
    // create and run a thread
    let thread = thread::spawn(task);
    // wait for the thread to finish: `join` returns `Err(payload)`, since the thread panicked.
    // The hook has already reported it, so main just moves on, as Python's does.
    let _outcome: thread::Result<()> = thread.join();
    // report that the main thread is not dead
    println!("Continuing on...");

    // The org notes' variant is the same program with the dots of `unhandled_panic` in the
    // thread (five seconds of `. .`), a hook printing `thread failed:{message}`, and main's
    // `continuing on ...` and `finished`. Run `unhandled_panic` to see the report this hook
    // replaces.
}
