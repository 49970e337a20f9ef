//! # Enumerate threads: list every live thread of the process
//!
//! Ports book L03 "Get All Active Threads" (also guide "Controlling Threads").
//!
//! Five threads each sleep for a second. While they sleep, main lists the live threads of the
//! process: `Active Threads: 6` (the five and main itself), then one line per thread, with the
//! OS thread id and the name the kernel knows it by.
//!
//! The Rust twist: std has no `threading.enumerate()` or `active_count()`: it keeps no registry of
//! threads. Linux does: `/proc/self/task/` holds one directory per live thread, named by its
//! OS thread id, and `/proc/self/task/<tid>/comm` holds the thread's name (cut to 15 bytes). A
//! name given with `thread::Builder::name` lands there; the main thread's is the program's name,
//! and its id is the process id.
//!
//! Run it: `cargo run -p lesson03 --bin enumerate_threads`

use nix::unistd::getpid;
use std::fs;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// One live thread, as the kernel lists it.
#[derive(Debug)]
struct ActiveThread {
    /// The OS thread id (Python's `native_id`).
    tid: i32,
    /// The thread's name as the kernel has it (`comm`, at most 15 bytes).
    comm: String,
}

/// Python's `threading.enumerate()`, Linux only: every live thread of this process, the main
/// thread first (as Python lists it), then the others by thread id.
fn enumerate() -> std::io::Result<Vec<ActiveThread>> {
    let pid = getpid().as_raw();
    let mut threads = Vec::new();
    for entry in fs::read_dir("/proc/self/task")? {
        let entry = entry?;
        // Every entry is named by a thread id. Skip anything that is not a number.
        let Some(tid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        // A thread can end between `read_dir` and this read: it is not live any more, skip it.
        let Ok(comm) = fs::read_to_string(entry.path().join("comm")) else {
            continue;
        };
        threads.push(ActiveThread {
            tid,
            comm: comm.trim_end().to_string(),
        });
    }
    // The main thread's id is the process id: sort it first, then the rest in tid order.
    threads.sort_by_key(|t| (t.tid != pid, t.tid));
    Ok(threads)
}

fn task(started: mpsc::Sender<()>) {
    // Tell main this thread is running. Ignore a failed send: main only drops the receiver
    // if it stopped waiting.
    let _ = started.send(());
    thread::sleep(Duration::from_secs(1));
}

fn main() {
    // Python's `start()` returns once the thread runs; `spawn` returns at once, and a new
    // thread gets its name from its own first instructions. So each thread reports that it is
    // running, and main waits for the five reports before it looks.
    let (started_tx, started_rx) = mpsc::channel();
    // Python names them `Thread-1 (task)` ... by itself. Rust leaves a thread unnamed (and the
    // kernel would show the program's name for it), so we give the same names ourselves.
    let threads: Vec<_> = (1..=5)
        .map(|i| {
            let started = started_tx.clone();
            thread::Builder::new()
                .name(format!("Thread-{i} (task)"))
                .spawn(move || task(started))
                .expect("failed to spawn a thread")
        })
        .collect();
    for _ in &threads {
        // Bounded wait: say so and go on if a thread does not report within 5 s.
        if started_rx.recv_timeout(Duration::from_secs(5)).is_err() {
            eprintln!("a thread did not start within 5 s");
            break;
        }
    }

    let running_threads = enumerate().expect("cannot read /proc/self/task");
    println!("Active Threads: {}", running_threads.len());
    let pid = getpid().as_raw();
    for thread in &running_threads {
        let kind = if thread.tid == pid {
            "MainThread"
        } else {
            "Thread"
        };
        println!("<{kind} tid={} comm={:?}>", thread.tid, thread.comm);
    }

    // Python waits for its (non-daemon) threads at exit; in Rust we join them ourselves.
    for handle in threads {
        handle.join().expect("a thread panicked");
    }
}
