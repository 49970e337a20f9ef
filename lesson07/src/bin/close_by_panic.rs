//! # A thread closes itself by panicking (Python: by raising an exception)
//!
//! Ports book L07 "Close Thread By Exception".
//!
//! The thread loops forever: it draws a random value between 0 and 1, prints it, sleeps that
//! long, and when the value was above 0.9 it says so and panics. A panic hook, installed by main
//! before the thread starts, reports the panic's message in one line instead of the default
//! report. Main joins the thread and carries on.
//!
//! The Rust twist: a panic is the port of an uncaught exception. It unwinds only the thread that
//! panicked; `join` then returns `Err` with the panic's payload. `std::panic::set_hook` is
//! Python's `threading.excepthook`: it runs on the panicking thread and replaces the default
//! report (which Rust writes to stderr). Panics are for bugs in Rust code; an expected way out is
//! a return (`close_by_return`) or an error carried up with `?` (`close_by_exit`).
//!
//! Run it: `cargo run -p lesson07 --bin close_by_panic`

use std::panic::{self, PanicHookInfo};
use std::thread;
use std::time::Duration;

/// The panic hook. Python: `def handler(args): print(f'Got: {args.exc_value}')`
fn handler(info: &PanicHookInfo<'_>) {
    // `panic!("literal")` carries a `&str`; `panic!("{x}")` carries a `String`
    let message = if let Some(text) = info.payload().downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = info.payload().downcast_ref::<String>() {
        text.clone()
    } else {
        String::from("(a panic without a message)")
    };
    println!("Got: {message}");
}

/// The thread: a random value a step, each printed and slept, until one above 0.9 comes up.
fn task() {
    loop {
        let value: f64 = rand::random();
        // Rust prints an f64 with the fewest digits that read back as the same number, as
        // Python's `repr` does: `.0.7004106178120139` (below 0.0001 Python switches to an
        // exponent, `1e-05`, where Rust prints `0.00001`)
        println!(".{value}");
        thread::sleep(Duration::from_secs_f64(value));
        if value > 0.9 {
            println!("Closing thread");
            panic!("Stop now!");
        }
    }
}

fn main() {
    // register a handler for panics in new threads (it replaces Rust's default report)
    panic::set_hook(Box::new(handler));
    let handle = thread::spawn(task);
    // wait for the thread to terminate; `Err` here means it panicked, which is how it closes
    let result = handle.join();
    assert!(result.is_err(), "the task only ends by panicking");
    println!("Main continuing on...");
}
