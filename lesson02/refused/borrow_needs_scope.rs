//! Two threads each sum half of a vector that `main` keeps using afterwards. `move` cannot
//! help (the vector is still needed), and `spawn` refuses a borrow. `thread::scope` accepts
//! the same borrow: its threads are joined before the scope returns, so they cannot outlive
//! the vector.
//! error: E0373
//! message: closure may outlive the current function
//! fix: `let left = thread::spawn(|| sum(&numbers[..3])).join().unwrap();` with `let left = thread::scope(|s| s.spawn(|| sum(&numbers[..3])).join().unwrap());`

use std::thread;

fn sum(part: &[i64]) -> i64 {
    part.iter().sum()
}

pub fn total() -> i64 {
    let numbers = vec![1, 2, 3, 4, 5, 6];
    let left = thread::spawn(|| sum(&numbers[..3])).join().unwrap();
    let right = sum(&numbers[3..]);
    println!("{numbers:?} sum to {}", left + right);
    left + right
}
