//! # Unhandled panic: a thread fails, the program carries on
//!
//! Ports org "thread exception handling" / "unhandled exception".
//!
//! A thread prints progress dots for five seconds, then fails with `something bad happened`.
//! The failure ends that thread only: its report goes to stderr, and main, which was waiting
//! in `join`, carries on with `continuing on ...` and `finished`. The program exits with 0.
//!
//! The Rust twist: Python's uncaught exception is Rust's panic. The default panic hook writes
//! `thread '<unnamed>' panicked at <file>:<line>:<col>:` and the message to stderr (Python:
//! `Exception in thread Thread-1 (work):` and a traceback); since Rust 1.91 std also puts the OS
//! thread id in brackets after the name, `thread '<unnamed>' (12345) panicked at ...`. The panic
//! unwinds that thread only, and `join()` hands it back to main as an `Err`, which Python's
//! `join()` does not.
//!
//! Run it: `cargo run -p lesson03 --bin unhandled_panic`

use std::io::Write;
use std::thread;
use std::time::Duration;

/// `print!` without a newline stays in stdout's buffer; flush so each dot shows as it happens.
fn print_now(text: &str) {
    print!("{text}");
    std::io::stdout().flush().expect("cannot write to stdout");
}

fn work() {
    print_now("working .");
    for _ in 0..10 {
        thread::sleep(Duration::from_millis(500));
        print_now(". .");
    }
    println!("..");
    // Python: `raise Exception('something bad happened')`. Nothing catches it, so the thread
    // unwinds to its top and ends there.
    panic!("something bad happened");
}

fn main() {
    let thread = thread::spawn(work);
    // `join` returns `Err(payload)` for a thread that panicked. Python's `join()` returns
    // `None` either way, and the original ignores the failure: so does this port. (The classic
    // `join().unwrap()` here would not re-raise the thread's panic: it would start a new one in
    // main, whose message is the payload's Debug form, `Any { .. }`, the original message lost.
    // `std::panic::resume_unwind(payload)` re-raises the thread's own payload, without calling
    // the panic hook a second time.)
    let _outcome: thread::Result<()> = thread.join();
    println!("continuing on ...");
    thread::sleep(Duration::from_millis(200));
    println!("finished");
}
