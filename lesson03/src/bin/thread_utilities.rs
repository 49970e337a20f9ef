//! # Thread utilities: count, name and identify the threads of the process
//!
//! Ports org "Thread Utilities".
//!
//! Main counts the live threads (1, itself), renames itself `main thread`, reports its handle,
//! its `ThreadId` and its OS thread id, starts a thread named `other thread`, and lists the
//! names of all live threads. Whether `other thread` is still in that list depends on whether
//! it has finished by then: it may or may not be, in Python as here.
//!
//! The Rust twists: std has no `active_count()` or `enumerate()`; on Linux `/proc/self/task`
//! lists the live threads and `/proc/self/task/<tid>/comm` holds each one's name. std's own
//! thread name is fixed at spawn, so "renaming" the current thread means changing the name the
//! kernel knows it by (`prctl(PR_SET_NAME)`), which std's `thread::current().name()` never sees.
//!
//! Run it: `cargo run -p lesson03 --bin thread_utilities`

use nix::sys::prctl;
use nix::unistd::gettid;
use std::fs;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Python's `threading.enumerate()`, reduced to what this example prints: the kernel's name
/// (`comm`) of every live thread of this process, in thread id order.
fn thread_names() -> std::io::Result<Vec<String>> {
    let mut threads = Vec::new();
    for entry in fs::read_dir("/proc/self/task")? {
        let path = entry?.path();
        let tid: i32 = match path.file_name().and_then(|n| n.to_str()).map(str::parse) {
            Some(Ok(tid)) => tid,
            _ => continue,
        };
        // A thread that ends between `read_dir` and here is not live any more: skip it.
        if let Ok(comm) = fs::read_to_string(path.join("comm")) {
            threads.push((tid, comm.trim_end().to_string()));
        }
    }
    threads.sort();
    Ok(threads.into_iter().map(|(_, name)| name).collect())
}

/// Python's `threading.active_count()`: how many threads of this process are alive.
fn active_count() -> std::io::Result<usize> {
    Ok(fs::read_dir("/proc/self/task")?.count())
}

fn main() {
    let active_thread_count = active_count().expect("cannot read /proc/self/task");
    println!("active_thread_count={active_thread_count}");

    // Python: `current_thread.name = "main thread"`. std cannot rename a thread after spawn,
    // but the kernel can: this sets the name `/proc` and `ps -L` show (15 bytes at most). The
    // `Thread` handle still says `main`: the two names are separate.
    prctl::set_name(c"main thread").expect("cannot set the thread name");
    let current_thread = thread::current();
    println!("current_thread={current_thread:?}");
    // Python's labels are the expressions themselves (`f'{x=}'`); these are the Rust ones.
    println!("thread::current().id()={:?}", thread::current().id());

    // Python's `get_native_id()`: the OS thread id. For the main thread it equals the process id.
    println!("gettid()={}", gettid());

    // Python's `start()` returns once the thread runs; `spawn` returns at once, and the thread
    // gets its kernel name from its own first instructions. It reports that it is running,
    // then prints (the original's message says "daemon", but the thread is not one).
    let (started_tx, started_rx) = mpsc::channel();
    let thread = thread::Builder::new()
        .name("other thread".to_string())
        .spawn(move || {
            let _ = started_tx.send(());
            println!("this message is from daemon thread");
        })
        .expect("failed to spawn a thread");
    if started_rx.recv_timeout(Duration::from_secs(5)).is_err() {
        eprintln!("the thread did not start within 5 s");
    }

    // The names of all live threads. `other thread` is listed only if it has not finished yet.
    for name in thread_names().expect("cannot read /proc/self/task") {
        println!("th.name={name:?}");
    }
    thread.join().expect("the thread panicked");
}
