//! # Threads share memory; processes must send their data
//!
//! Ports book L01 "Processes are Slow to Share Data" (the book has no code there, and there is
//! no Python figure to compare with).
//!
//! Five child processes are started (forked) first, then a 64 MiB buffer is made. A child's
//! memory is a snapshot of the parent's taken at the fork, so none of the bytes the parent
//! writes later reach it: this is how a worker process of Python's `multiprocessing.Pool`
//! stands to the arguments of a task submitted after the pool started, and how any process
//! started with the `spawn` or `forkserver` method stands to its parent's data.
//!
//! Then, five times over, the buffer is checksummed twice. A thread reads it where it lies:
//! threads share the process's memory, so nothing is copied. A child is sent the buffer
//! through a pipe, copied into the kernel and out again into memory of its own, checksums it
//! and sends back its checksum. Both sides must agree on the checksum; the pipe takes
//! longer. Python adds more on top: it pickles (serialises) the data before sending it and
//! unpickles it after.
//!
//! Each trial is measured twice: its wall-clock time and the CPU time it cost (for the pipe,
//! the parent's sending and the child's whole life). On a busy machine the wall-clock time
//! is mostly waiting for a free core; the CPU time is the work of copying and checksumming,
//! whatever else runs.
//!
//! The Rust twist: a thread started with `thread::spawn` may only take data it owns (the
//! closure must be `'static`), which tempts a port to give it a copy of the buffer and lose
//! the very saving shown here; `thread::scope` lets the thread borrow the buffer where it
//! lies. Between processes there is no pickling: the bytes go through the pipe as they are,
//! so both sides must agree on their layout (the checksum travels as little-endian bytes).
//!
//! Run it: `cargo run -p lesson01 --bin shared_memory_vs_ipc`

use nix::libc;
use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::time::TimeVal;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork, pipe};
use std::fs::File;
use std::io::{Read, Write};
use std::thread;
use std::time::Instant;

/// The size of the buffer shared or sent.
const SIZE: usize = 64 << 20;
/// Trials of each way; the ratio is the median of the trials' ratios.
const TRIALS: usize = 5;

/// A checksum of `bytes`, a 64-bit word at a time (a trailing part shorter than a word is
/// left out; the buffer here is a whole number of words). Word order matters, so data that
/// came through reordered or cut short would not match.
fn checksum(bytes: &[u8]) -> u64 {
    let (words, _) = bytes.as_chunks::<8>();
    let mut sum: u64 = 0;
    for &word in words {
        let word = u64::from_le_bytes(word);
        sum = (sum ^ word).rotate_left(5).wrapping_add(word);
    }
    sum
}

/// The buffer: the same pseudo-random bytes on every run.
fn make_data() -> Vec<u8> {
    let mut data = vec![0u8; SIZE];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for word in data.as_chunks_mut::<8>().0 {
        // xorshift64: a cheap, fixed sequence of 64-bit words
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *word = x.to_le_bytes();
    }
    data
}

/// The child's side: receives the whole buffer from the pipe into memory of its own, as a
/// Python child unpickles its arguments before it can use them, then checksums it and sends
/// the checksum back. Everything it checksums came through the pipe.
fn child(mut from_parent: File, mut to_parent: File) -> std::io::Result<()> {
    let mut data = vec![0u8; SIZE];
    from_parent.read_exact(&mut data)?;
    to_parent.write_all(&checksum(&data).to_le_bytes())
}

/// A child process waiting for its data: its pid, the pipe to send the data into, and the
/// pipe its checksum comes back through.
struct Child {
    pid: Pid,
    to_child: File,
    from_child: File,
}

/// Forks a child that waits for the buffer on a pipe (blocked in `read`, using no CPU).
/// `earlier` holds the children already started.
fn start_child(earlier: &mut Vec<Child>) -> Child {
    let (data_read, data_write) = pipe().expect("pipe");
    let (sum_read, sum_write) = pipe().expect("pipe");
    // A child gets a copy of the parent's memory, unwritten output included: flush stdout
    // first, or a child that flushed its copy (say, a panic unwinding out of `main`) would
    // print the parent's lines a second time.
    std::io::stdout().flush().expect("stdout");
    // SAFETY: fork only while no other thread is alive. A child gets a copy of the forking
    // thread alone, so a lock another thread held at that moment would stay locked forever
    // in the child. Every child is forked before the first thread is started.
    match unsafe { fork() }.expect("fork failed") {
        ForkResult::Child => {
            // Close the ends the child does not use, and its copies of the pipes to the
            // earlier children: each data pipe then has one writer, the parent, and should
            // the parent die, every child sees its pipe end instead of waiting forever.
            drop(data_write);
            drop(sum_read);
            earlier.clear();
            let status = match child(File::from(data_read), File::from(sum_write)) {
                Ok(()) => 0,
                Err(_) => 1,
            };
            // `_exit` ends the child at once. `std::process::exit` would first flush the
            // child's copy of the parent's stdout buffer and run the `atexit` handlers the
            // parent registered (C's `exit`), work that belongs to the parent alone.
            // SAFETY: `_exit` only ends the process; no code of this program runs after it.
            unsafe { libc::_exit(status) };
        }
        ForkResult::Parent { child } => {
            // Close the child's ends in the parent: if the child dies, reading its
            // checksum then ends with an error instead of waiting forever.
            drop(data_read);
            drop(sum_write);
            Child {
                pid: child,
                to_child: File::from(data_write),
                from_child: File::from(sum_read),
            }
        }
    }
}

/// One trial of one way: its wall-clock seconds, the CPU seconds it cost, and the checksum
/// it computed.
#[derive(Debug, Clone, Copy)]
struct Trial {
    wall: f64,
    cpu: f64,
    sum: u64,
}

/// The CPU time used so far by this process (every thread, the ended ones included) and by
/// its children that have been waited for, user and system time alike.
fn cpu_seconds() -> f64 {
    let seconds = |t: TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 * 1e-6;
    [UsageWho::RUSAGE_SELF, UsageWho::RUSAGE_CHILDREN]
        .into_iter()
        .map(|who| {
            let usage = getrusage(who).expect("getrusage");
            seconds(usage.user_time()) + seconds(usage.system_time())
        })
        .sum()
}

/// Sends the buffer to the waiting child through its pipe. The wall-clock time runs from
/// the first byte sent to the checksum received; the CPU time is the parent's sending and
/// the child's whole life (receiving, checksumming), counted once it has been reaped.
fn through_pipe(child: Child, data: &[u8]) -> Trial {
    let Child {
        pid,
        mut to_child,
        mut from_child,
    } = child;
    let (start, cpu_start) = (Instant::now(), cpu_seconds());
    to_child.write_all(data).expect("the child stopped reading");
    drop(to_child);
    let mut answer = [0u8; 8];
    from_child
        .read_exact(&mut answer)
        .expect("the child died before sending its checksum");
    let wall = start.elapsed().as_secs_f64();
    // The child has sent its answer and leaves right after: this wait is short, and it
    // reaps the child (no zombie left behind), which adds its CPU time to this process's
    // children's.
    match waitpid(pid, None).expect("waitpid failed") {
        WaitStatus::Exited(_, 0) => {}
        other => panic!("child {pid} ended oddly: {other:?}"),
    }
    Trial {
        wall,
        cpu: cpu_seconds() - cpu_start,
        sum: u64::from_le_bytes(answer),
    }
}

/// Lets a new thread checksum the buffer in place, from spawn to join.
fn in_thread(data: &[u8]) -> Trial {
    let (start, cpu_start) = (Instant::now(), cpu_seconds());
    // `thread::scope` lets the thread borrow `data`: no copy, no `Arc`. The scope joins
    // the thread before it returns, so the borrow cannot outlive the buffer.
    let sum = thread::scope(|s| {
        s.spawn(|| checksum(data))
            .join()
            .expect("the thread panicked")
    });
    Trial {
        wall: start.elapsed().as_secs_f64(),
        cpu: cpu_seconds() - cpu_start,
        sum,
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    println!("Cores: {cores} (std::thread::available_parallelism)");

    // The children first, like the worker processes of a pool, then the buffer: each
    // child's memory is a snapshot taken at its fork, so none of them holds any of it.
    let mut children = Vec::new();
    for _ in 0..TRIALS {
        let child = start_child(&mut children);
        children.push(child);
    }
    let data = make_data();
    println!(
        "Data: {} MiB, made after the {TRIALS} child processes started, checksum {:#018x}",
        SIZE >> 20,
        checksum(&data)
    );

    let mut shared = Vec::new();
    let mut piped = Vec::new();
    for (trial, child) in children.into_iter().enumerate() {
        // The thread and the pipe take turns going first, so whatever else the machine
        // runs slows both alike.
        if trial % 2 == 0 {
            shared.push(in_thread(&data));
            piped.push(through_pipe(child, &data));
        } else {
            piped.push(through_pipe(child, &data));
            shared.push(in_thread(&data));
        }
    }
    for (i, t) in shared.iter().enumerate() {
        println!(
            "Thread (shared memory) trial {}: {:.4} s, CPU {:.4} s, checksum {:#018x}",
            i + 1,
            t.wall,
            t.cpu,
            t.sum
        );
    }
    for (i, t) in piped.iter().enumerate() {
        println!(
            "Process (pipe) trial {}: {:.4} s, CPU {:.4} s (parent and child), checksum {:#018x}",
            i + 1,
            t.wall,
            t.cpu,
            t.sum
        );
    }
    // Each ratio is taken within a trial, between two runs a moment apart, then the median.
    let ratio = |measure: fn(&Trial) -> f64| {
        median(
            shared
                .iter()
                .zip(&piped)
                .map(|(s, p)| measure(p) / measure(s))
                .collect(),
        )
    };
    println!(
        "Ratio: the pipe took {:.2}x as long as shared memory, and {:.2}x the CPU time (medians of {TRIALS} trial pairs)",
        ratio(|t| t.wall),
        ratio(|t| t.cpu)
    );
    println!(
        "Python: no figure measured; the book says processes must pickle and send their data, an overhead that grows with the data, while threads share it."
    );
    println!(
        "Conclusion: a thread reads the data where it lies, a process must have every byte copied to it, so sharing large data is cheaper between threads."
    );
}
