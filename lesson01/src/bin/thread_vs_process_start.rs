//! # Threads are cheap to start; processes are heavyweight
//!
//! Ports book L01 "Why Not Always Use Multiprocessing" / "Processes are Heavyweight" (the book
//! has no code there; the Python figures printed come from a script written from its text).
//!
//! Starts and waits for 200 units that do nothing, five times over: 200 threads (`spawn`,
//! then `join`) and 200 processes (`fork`, then `waitpid` for each), taking turns. The
//! medians give the cost of one unit: a new process gets its own copy of the address space
//! (its page tables, file table, ...), a new thread only a stack in the same process. The
//! processes are timed a second time while the program holds 64 MiB of data, to show the
//! cost of a fork growing with the memory the process holds, while a thread's does not.
//!
//! Each unit is measured twice: the wall-clock time (what Python's script measures) and the
//! CPU time that starting and ending it cost, this process's and its children's. On a busy
//! machine the wall-clock time of both is mostly waiting for a free core, which hides the
//! difference; the CPU time is the work itself, whatever else runs.
//!
//! The Rust twist: a bare Rust program is a small process, so its forks cost less than
//! CPython's, where every process is a whole interpreter, and its gap to threads is narrower
//! than Python's; the gap widens once the process holds data, as every real program does.
//!
//! Run it: `cargo run -p lesson01 --bin thread_vs_process_start`

use nix::libc;
use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::time::TimeVal;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork};
use std::io::Write;
use std::thread;
use std::time::Instant;

const N: usize = 200;
const TRIALS: usize = 5;
/// The data the program holds for the second round of forks.
const DATA_MIB: usize = 64;

/// The empty task each unit runs.
fn task() {}

/// What starting and ending `N` units cost: seconds of wall-clock time, and seconds of CPU
/// time.
#[derive(Debug, Clone, Copy)]
struct Cost {
    wall: f64,
    cpu: f64,
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

/// Measures `run`: its wall-clock time and the CPU time it cost.
fn cost_of(run: impl FnOnce()) -> Cost {
    let (start, cpu_start) = (Instant::now(), cpu_seconds());
    run();
    Cost {
        wall: start.elapsed().as_secs_f64(),
        cpu: cpu_seconds() - cpu_start,
    }
}

/// Starts `N` processes, then waits for each.
fn start_join_processes() -> Cost {
    // Anything still in stdout's buffer would be copied into every child; flush it first.
    std::io::stdout().flush().expect("stdout");
    cost_of(|| {
        let mut children = Vec::with_capacity(N);
        for _ in 0..N {
            // SAFETY: this process has a single thread whenever it forks: every thread that
            // `start_join_threads` starts is joined (has ended) before it returns. The child
            // thus gets a consistent copy of the process (a lock held by another thread
            // would stay locked forever in a child), and it runs nothing but `task` and
            // `_exit`.
            match unsafe { fork() }.expect("fork failed") {
                ForkResult::Child => {
                    task();
                    // The child ends here: it must not go on to run the parent's loop.
                    // `_exit` ends it at once; `std::process::exit` would first flush the
                    // copy of the parent's stdout buffer and run the parent's `atexit`
                    // handlers (C's `exit`), work that belongs to the parent alone.
                    // SAFETY: `_exit` only ends the process; no code of this program runs
                    // after it.
                    unsafe { libc::_exit(0) };
                }
                ForkResult::Parent { child } => children.push(child),
            }
        }
        for child in children {
            // Python's `process.join()`. Each child runs an empty task and `_exit(0)`, so
            // this wait is bounded: it ends as soon as the child has exited, and reaps it
            // (no zombie), which also adds its CPU time to this process's children's.
            match waitpid(child, None).expect("waitpid failed") {
                WaitStatus::Exited(_, 0) => {}
                other => panic!("child {child} ended oddly: {other:?}"),
            }
        }
    })
}

/// Starts `N` threads, then joins each.
fn start_join_threads() -> Cost {
    cost_of(|| {
        let threads: Vec<_> = (0..N).map(|_| thread::spawn(task)).collect();
        for t in threads {
            t.join().expect("a thread panicked");
        }
    })
}

/// `TRIALS` thread trials and `TRIALS` process trials, taking turns (and swapping which goes
/// first), so whatever else the machine runs meets both alike. Returns the costs of each.
fn take_turns() -> (Vec<Cost>, Vec<Cost>) {
    let (mut threads, mut processes) = (Vec::new(), Vec::new());
    for trial in 0..TRIALS {
        if trial % 2 == 0 {
            threads.push(start_join_threads());
            processes.push(start_join_processes());
        } else {
            processes.push(start_join_processes());
            threads.push(start_join_threads());
        }
    }
    (threads, processes)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The median of the trials' ratios `slow / fast` of one measure, each ratio taken between
/// two trials a moment apart.
fn median_ratio(slow: &[Cost], fast: &[Cost], measure: fn(&Cost) -> f64) -> f64 {
    median(
        slow.iter()
            .zip(fast)
            .map(|(s, f)| measure(s) / measure(f))
            .collect(),
    )
}

fn main() {
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    println!("Cores: {cores} (std::thread::available_parallelism)");

    let (threads_bare, bare) = take_turns();
    // Data the program really uses: every page written, so each one is mapped and a fork
    // must copy its page-table entries (the pages themselves are shared copy-on-write).
    let data = vec![1u8; DATA_MIB << 20];
    let (threads_data, with_data) = take_turns();
    drop(std::hint::black_box(data));

    let threads: Vec<Cost> = threads_bare.iter().chain(&threads_data).copied().collect();
    let bare_label = "Processes (fork, bare program)".to_string();
    let data_label = format!("Processes (fork, holding {DATA_MIB} MiB)");
    for (label, costs) in [
        ("Threads", &threads),
        (bare_label.as_str(), &bare),
        (data_label.as_str(), &with_data),
    ] {
        let wall: Vec<f64> = costs.iter().map(|c| c.wall).collect();
        let min = wall.iter().copied().fold(f64::INFINITY, f64::min);
        let med = median(wall);
        let cpu = median(costs.iter().map(|c| c.cpu).collect());
        println!(
            "{label}: start+join {N} took median {med:.4} s, min {min:.4} s ({:.1} us each, median); CPU time {:.1} us each",
            med / N as f64 * 1e6,
            cpu / N as f64 * 1e6
        );
    }
    let wall = |c: &Cost| c.wall;
    let cpu = |c: &Cost| c.cpu;
    let bare_cpu = median_ratio(&bare, &threads_bare, cpu);
    let data_cpu = median_ratio(&with_data, &threads_data, cpu);
    println!(
        "Ratio: bare processes are {:.1}x slower to start than threads, and cost {bare_cpu:.1}x the CPU time (medians of {TRIALS} trial pairs)",
        median_ratio(&bare, &threads_bare, wall)
    );
    println!(
        "Ratio: processes holding {DATA_MIB} MiB are {:.1}x slower to start than threads, and cost {data_cpu:.1}x the CPU time (medians of {TRIALS} trial pairs)",
        median_ratio(&with_data, &threads_data, wall)
    );
    println!(
        "Growth: holding {DATA_MIB} MiB made a process cost {:.1}x the CPU time of a bare one to start (the second CPU ratio / the first)",
        data_cpu / bare_cpu
    );
    println!(
        "Python (CPython 3.11, 2 cores, fork): threads 0.028-0.051 s (140-250 us each), processes 0.31-0.33 s (~1.5 ms each), ratio 6.5-11x"
    );
    println!(
        "Conclusion: a thread costs a fraction of a process to start, and the gap grows with the memory the process holds, so threads suit hundreds or thousands of concurrent tasks where processes do not."
    );
}
