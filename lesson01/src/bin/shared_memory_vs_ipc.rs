//! # Threads share memory; processes must send their data
//!
//! Ports book L01 "Processes are Slow to Share Data" (the book has no code here, and the
//! Python comparisons have no script for this claim).
//!
//! A 64 MiB buffer is checksummed twice over. A thread reads it where it lies: threads share
//! the process's memory, so nothing is copied. A child process cannot see the parent's
//! memory after it changes, so the buffer is sent to it through a pipe, copied into the
//! kernel and out again, chunk by chunk, and the child sends back its checksum. Both sides
//! must agree on the checksum; the pipe takes longer. Python adds more on top: it pickles
//! (serialises) the data before sending it and unpickles it after.
//!
//! Run it: `cargo run -p lesson01 --bin shared_memory_vs_ipc`

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork, pipe};
use std::fs::File;
use std::io::{Read, Write};
use std::thread;
use std::time::Instant;

/// The size of the buffer shared or sent.
const SIZE: usize = 64 << 20;
/// The size of the pieces the child reads from the pipe.
const CHUNK: usize = 1 << 20;
/// Trials of each way; the ratio compares their medians.
const TRIALS: usize = 3;

/// Continues a checksum over `bytes` (a multiple of 8 long), a 64-bit word at a time.
/// Word order matters, so data that came through reordered or cut short would not match.
fn checksum_update(mut sum: u64, bytes: &[u8]) -> u64 {
    for word in bytes.chunks_exact(8) {
        let word = u64::from_le_bytes(word.try_into().expect("8 bytes"));
        sum = (sum ^ word).rotate_left(5).wrapping_add(word);
    }
    sum
}

fn checksum(bytes: &[u8]) -> u64 {
    checksum_update(0, bytes)
}

/// The buffer: the same pseudo-random bytes on every run.
fn make_data() -> Vec<u8> {
    let mut data = Vec::with_capacity(SIZE);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while data.len() < SIZE {
        // xorshift64: a cheap, fixed sequence of 64-bit words
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        data.extend_from_slice(&x.to_le_bytes());
    }
    data
}

/// The child's side: reads `SIZE` bytes from the pipe, checksums them, sends the checksum
/// back. It touches nothing but what comes through the pipe.
fn child(mut from_parent: File, mut to_parent: File) -> ! {
    let mut chunk = vec![0u8; CHUNK];
    let mut sum = 0;
    for _ in 0..SIZE / CHUNK {
        from_parent
            .read_exact(&mut chunk)
            .expect("the parent stopped sending");
        sum = checksum_update(sum, &chunk);
    }
    to_parent
        .write_all(&sum.to_le_bytes())
        .expect("the parent went away");
    std::process::exit(0);
}

/// Sends the buffer to a new child process through a pipe; returns the seconds from the
/// first byte sent to the checksum received, and the child's checksum.
fn through_pipe(data: &[u8]) -> (f64, u64) {
    let (data_read, data_write) = pipe().expect("pipe");
    let (sum_read, sum_write) = pipe().expect("pipe");
    // Anything still in stdout's buffer would be copied into the child and could be
    // printed twice; flush it first.
    std::io::stdout().flush().expect("stdout");
    // SAFETY: this program forks only while it has a single thread (every pipe trial runs
    // before the thread trials), so the child gets a consistent copy of the process: no
    // lock in it is held by a thread that does not exist in the child.
    match unsafe { fork() }.expect("fork failed") {
        ForkResult::Child => {
            // Close the ends the child does not use: the parent's end of the data pipe
            // must be closed here too, or the child would never see it end.
            drop(data_write);
            drop(sum_read);
            child(File::from(data_read), File::from(sum_write));
        }
        ForkResult::Parent { child } => {
            // Close the child's ends in the parent: if the child dies, reading its
            // checksum then ends with an error instead of waiting forever.
            drop(data_read);
            drop(sum_write);
            let start = Instant::now();
            let mut to_child = File::from(data_write);
            to_child.write_all(data).expect("the child stopped reading");
            drop(to_child);
            let mut answer = [0u8; 8];
            File::from(sum_read)
                .read_exact(&mut answer)
                .expect("the child died before sending its checksum");
            let seconds = start.elapsed().as_secs_f64();
            // The child has sent its answer and exits right after: this wait is short,
            // and it reaps the child (no zombie left behind).
            match waitpid(child, None).expect("waitpid failed") {
                WaitStatus::Exited(_, 0) => {}
                other => panic!("child {child} ended oddly: {other:?}"),
            }
            (seconds, u64::from_le_bytes(answer))
        }
    }
}

/// Lets a new thread checksum the buffer in place; returns the seconds from spawn to join.
fn in_thread(data: &[u8]) -> (f64, u64) {
    let start = Instant::now();
    // `thread::scope` lets the thread borrow `data`: no copy, no `Arc`. The scope joins
    // the thread before it returns, so the borrow cannot outlive the buffer.
    let sum = thread::scope(|s| {
        s.spawn(|| checksum(data))
            .join()
            .expect("the thread panicked")
    });
    (start.elapsed().as_secs_f64(), sum)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    println!("Cores: {cores} (std::thread::available_parallelism)");
    let data = make_data();
    println!(
        "Data: {} MiB, checksum {:#018x}",
        SIZE >> 20,
        checksum(&data)
    );

    // Every fork first, while this process has a single thread; the threads come after.
    let piped: Vec<(f64, u64)> = (0..TRIALS).map(|_| through_pipe(&data)).collect();
    let shared: Vec<(f64, u64)> = (0..TRIALS).map(|_| in_thread(&data)).collect();

    for (i, (seconds, sum)) in shared.iter().enumerate() {
        println!(
            "Thread (shared memory) trial {}: {seconds:.4} s, checksum {sum:#018x}",
            i + 1
        );
    }
    for (i, (seconds, sum)) in piped.iter().enumerate() {
        println!(
            "Process (pipe) trial {}: {seconds:.4} s, checksum {sum:#018x}",
            i + 1
        );
    }
    let shared_time = median(shared.iter().map(|t| t.0).collect());
    let piped_time = median(piped.iter().map(|t| t.0).collect());
    println!(
        "Ratio: the pipe took {:.2}x as long as shared memory (medians: {shared_time:.4} s vs {piped_time:.4} s)",
        piped_time / shared_time
    );
    println!(
        "Python: no figure measured; the book says processes must pickle and send their data, an overhead that grows with the data, while threads share it."
    );
    println!(
        "Conclusion: a thread reads the data where it lies, a process must have every byte copied to it, so sharing large data is cheaper between threads."
    );
}
