//! # A thread leaves from deep inside its work (Python's `sys.exit()` in a thread)
//!
//! Ports book L07 "Close Thread By Calling sys.exit()".
//!
//! The thread sleeps a second, reports that it is exiting and leaves from inside a function it
//! called; the line after that point never prints. Main sleeps two seconds and reports: it is
//! not affected by the thread having left.
//!
//! The Rust twist: `std::process::exit` is NOT the port of `sys.exit()`. In Python, `sys.exit()`
//! raises `SystemExit`, which unwinds only the calling thread. `std::process::exit` ends the
//! whole process at once, main thread included: `Main all done` would never print. The port of
//! "leave from deep down the call graph" is an error value carried up with `?`: each function
//! returns at once, up to the thread's own function, which returns and so ends the thread.
//!
//! Run it: `cargo run -p lesson07 --bin close_by_exit`

use std::thread;
use std::time::Duration;

/// The thread's "I am leaving now", carried up the call graph by `?` as Python's `SystemExit`
/// travels up by unwinding. The number is the status `sys.exit(0)` passes.
#[derive(Debug)]
struct ThreadExit(i32);

/// Deep down in the work: decide to leave. Python calls `sys.exit(0)` here.
fn exit_thread() -> Result<(), ThreadExit> {
    Err(ThreadExit(0))
}

/// The new thread: a second of work, then it leaves from inside `exit_thread`.
fn task() -> Result<(), ThreadExit> {
    thread::sleep(Duration::from_secs(1));
    println!("Thread exiting now");
    // `?` returns the error from `task` at once
    exit_thread()?;
    // never reached
    println!("Can you see me?");
    Ok(())
}

fn main() {
    // what `task` returns becomes the thread's result
    let handle = thread::spawn(task);
    thread::sleep(Duration::from_secs(2));
    println!("Main all done");
    // Python's interpreter waits for its non-daemon threads before it exits; Rust does not,
    // so we join. Like Python, which ignores the SystemExit of a thread, we drop the status.
    let ThreadExit(_status) = handle
        .join()
        .expect("the task thread panicked")
        .expect_err("the task always leaves early");
}
