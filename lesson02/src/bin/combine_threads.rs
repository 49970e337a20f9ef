//! # Threads interleave, then a group of threads is joined
//!
//! Ports guide "Starting a Thread" (part 1) and "Combining Threads" (part 2), with the guide's
//! "Starting multiple threads" and "Joining Threads" fragments.
//!
//! Part 1: a thread prints numbers while main prints `Main thread`: where that line lands
//! among the thread's lines depends on scheduling. Part 2: three threads print their lines
//! at the same time, and main joins all three before `All threads finished!`. Across
//! threads the lines come in any order; within one thread they keep their order.
//!
//! The Rust twists: `println!` holds stdout's lock for its whole line, so lines of different
//! threads interleave but never mix inside one line. And the guide's part 1 never joins its
//! thread, which Python forgives (it waits for threads at exit) and Rust does not.
//!
//! Run it: `cargo run -p lesson02 --bin combine_threads`

use std::thread;

/// The guide's "Starting a Thread" `print_nums()`: `Thread started`, then 0..9 (Python's
/// `range(10)`), the same lines as its later `print_nums(0, 10)`.
fn print_nums_to_ten() {
    print_nums(0, 10);
}

/// The guide's `print_nums(start, end)`.
fn print_nums(start: i32, end: i32) {
    println!("Thread started");
    for i in start..end {
        println!("{i}");
    }
}

/// `print_chars` and `print_letters` are used by the guide but never defined there; like
/// the Python comparison script, each prints its character `count` times on one line.
fn print_chars(char: char, count: usize) {
    println!("{}", char.to_string().repeat(count));
}

fn print_letters(letter: char, count: usize) {
    println!("{}", letter.to_string().repeat(count));
}

fn main() {
    // Part 1, "Starting a Thread": main carries on while the thread runs.
    let t = thread::spawn(print_nums_to_ten);
    println!("Main thread");
    // The guide does not join here: Python waits for the thread at exit. Rust would kill
    // it when `main` returns, and its lines would mix with part 2, so we join.
    t.join().expect("the thread panicked");

    // Part 2, "Combining Threads". Each `println!` takes stdout's lock for its whole line,
    // so lines from different threads never mix inside one line. These closures need no
    // `move`: they use no local variable, only constants, so they borrow nothing. A closure
    // that used a local would need `move` (see lesson02/refused/spawn_without_move.rs).
    let t1 = thread::spawn(|| print_chars('A', 100));
    let t2 = thread::spawn(|| print_nums(1, 20));
    let t3 = thread::spawn(|| print_letters('C', 75));

    // "Joining Threads": `join` blocks the caller until that thread completes, so the last
    // line waits for all three.
    for t in [t1, t2, t3] {
        t.join().expect("the thread panicked");
    }

    println!("All threads finished!");
}
