//! A global counter changed as Python changes a `global`. A `static mut` can be reached
//! from every thread with no lock, so every use of it is `unsafe`; the safe global is a
//! `static` of a type that synchronises itself, here an atomic.
//! error: E0133
//! message: use of mutable static is unsafe
//! fix: `static mut COUNTER: u64 = 0;` with `static COUNTER: AtomicU64 = AtomicU64::new(0);`
//! fix: `COUNTER += 1;` with `COUNTER.fetch_add(1, Ordering::Relaxed);`
//! fix: `// use std::sync` with `use std::sync`

// use std::sync::atomic::{AtomicU64, Ordering};

static mut COUNTER: u64 = 0;

pub fn count_one() {
    COUNTER += 1;
}
