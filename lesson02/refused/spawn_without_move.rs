//! A closure that borrows a local, handed to `thread::spawn` without `move`. Python's thread
//! keeps its arguments alive; Rust's `spawn` wants a closure that owns what it uses, since the
//! thread may outlive the function that started it.
//! error: E0373
//! message: closure may outlive the current function
//! fix: `thread::spawn(||` with `thread::spawn(move ||`

use std::thread;

pub fn greet() {
    let greeting = String::from("hello from a new thread");
    let handle = thread::spawn(|| println!("{greeting}"));
    handle.join().unwrap();
}
