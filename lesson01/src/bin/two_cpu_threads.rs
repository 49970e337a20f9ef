//! # Two CPU-bound tasks: one thread, then two threads at once
//!
//! Ports book L01 "What is the Global Interpreter Lock" and "Don't Use Threads for CPU-Bound
//! Tasks", in their shortest form: the same computation twice, first one after the other on
//! one thread, then on two threads at the same time.
//!
//! In CPython the GIL lets one thread at a time run Python code, so two threads take turns
//! and finish no sooner than one. Rust has no GIL: the two threads compute side by side, on
//! two cores when two are free. `cpu_bound_threads` measures the same point with more care.
//!
//! Run it: `cargo run -p lesson01 --bin two_cpu_threads`

use std::hint::black_box;
use std::thread;
use std::time::Instant;

/// Python's `task(n)`: the sum of squares below `n`, pure computation. `black_box` keeps
/// the optimiser from replacing the loop with a formula.
fn task(n: u64) -> u64 {
    (0..n).fold(0, |sum: u64, i| {
        sum.wrapping_add(black_box(i).wrapping_mul(i))
    })
}

const N: u64 = 20_000_000;

fn main() {
    let clock = Instant::now();
    let serial = [task(N), task(N)];
    let one_thread = clock.elapsed().as_secs_f64();
    println!("One thread, one task after the other: {one_thread:.2} s");

    // Each thread notes when it starts and ends its task, to show the two ran at once.
    let clock = Instant::now();
    let timed_task = || {
        let start = clock.elapsed().as_secs_f64();
        let result = task(N);
        (result, start, clock.elapsed().as_secs_f64())
    };
    let runs: Vec<(u64, f64, f64)> = thread::scope(|s| {
        // `collect` spawns both threads before the first `join`.
        let handles: Vec<_> = (0..2).map(|_| s.spawn(timed_task)).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let two_threads = clock.elapsed().as_secs_f64();
    println!("Two threads, one task each: {two_threads:.2} s");

    let [(a, a_start, a_end), (b, b_start, b_end)] = runs[..] else {
        unreachable!("two threads, two runs")
    };
    println!("Results equal: {}", serial == [a, b]);
    // The share of the shorter task's run during which the other was running too.
    let together = (a_end.min(b_end) - a_start.max(b_start)).max(0.0);
    let overlap = 100.0 * together / (a_end - a_start).min(b_end - b_start);
    println!("Both threads were computing at once for {overlap:.0}% of the time");
    println!(
        "Speedup: {:.1}x (CPython 3.11 on 2 cores: 1.04-1.15x)",
        one_thread / two_threads
    );
}
