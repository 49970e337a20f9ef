//! # Pass arguments to a thread: by capture, and by name
//!
//! Ports org "run a func in thread" / "example with arguments" and guide "Passing Arguments
//! to Threads" (`args=(1, 20)`, then `kwargs={'start': 1, 'end': 20}`).
//!
//! Part 1 hands a thread a sleep time and a message: the message comes after 1.5 s. Parts 2
//! and 3 run the guide's `print_nums` with `start` 1 and `end` 20, once by position and once
//! by name: the same `Thread started` and numbers 1..19 each time.
//!
//! The Rust twist: Python hands a thread its arguments as a tuple (`args=`) or a dict
//! (`kwargs=`). Rust has neither: `thread::spawn` takes a closure with no parameters, and the
//! closure *captures* the values it needs. `move` makes the closure own them, so they live as
//! long as the thread does. For named arguments, pass a struct whose fields have names.
//!
//! Run it: `cargo run -p lesson02 --bin run_function_args`

use std::thread;
use std::time::Duration;

/// The org's `task(sleep_time, message)`: block, then report the message.
fn task(sleep_time: f64, message: &str) {
    thread::sleep(Duration::from_secs_f64(sleep_time));
    println!("{message}");
}

/// The guide's `print_nums(start, end)`: prints `start..end` (end excluded, like `range`).
fn print_nums(start: i32, end: i32) {
    println!("Thread started");
    for i in start..end {
        println!("{i}");
    }
}

/// The guide's keyword arguments, `kwargs={'start': 1, 'end': 20}`, as a struct: each
/// argument has a name at the call site, and a missing or misspelt one is a compile error
/// rather than a `TypeError` inside the new thread.
#[derive(Debug)]
struct PrintNums {
    start: i32,
    end: i32,
}

impl PrintNums {
    fn run(self) {
        print_nums(self.start, self.end);
    }
}

fn main() {
    // 1. The org example: `Thread(target=task, args=(1.5, 'new message from another thread'))`.
    //    The closure captures the two arguments; `move` hands them over to the thread.
    let sleep_time = 1.5;
    let message = String::from("new message from another thread");
    let thread = thread::spawn(move || task(sleep_time, &message));
    println!("Waiting for the thread...");
    thread.join().expect("the thread panicked");

    // 2. The guide, positional: `Thread(target=print_nums, args=(1, 20))`.
    //    The guide never joins; a Python program waits for its threads at exit anyway, a
    //    Rust one does not (returning from `main` ends the process), so we join.
    let t = thread::spawn(move || print_nums(1, 20));
    t.join().expect("the thread panicked");

    // 3. The guide, by name: `Thread(target=print_nums, kwargs={'start': 1, 'end': 20})`.
    //    Same output as part 2: only the way the arguments are written differs.
    let args = PrintNums { start: 1, end: 20 };
    let t = thread::spawn(move || args.run());
    t.join().expect("the thread panicked");
}
