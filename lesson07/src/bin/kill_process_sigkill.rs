//! # Kill a thread by killing its process (SIGKILL)
//!
//! Ports book L07 "How to Kill a Thread's Process" (its `process.kill()` snippet), applied to
//! the program of book L07 "Example of Killing a Thread's Process".
//!
//! The same program as `kill_process_sigterm`, with SIGKILL instead of SIGTERM. The task runs in
//! a child process and loops forever, printing `Task is running` every second. After five
//! seconds the parent sends the child SIGKILL, waits two seconds more, reaps the child, reports
//! how it ended (`Child exit code: -9`: Python's `process.exitcode` is -N for a child killed by
//! signal N) and stops.
//!
//! SIGKILL cannot be caught, blocked or ignored: the kernel ends the process without running
//! any of its code, so the child gets no chance to clean up (compare `sigterm_cleanup`).
//!
//! The Rust twist: neither Rust's std nor Python's `threading` can kill a thread. To make a task
//! killable, run it in a process of its own and kill the process. Python's `Process` becomes a
//! `fork` (nix): the child is a copy of this process that runs `task`. The parent then reaps the
//! child with `waitpid`, which also tells how it ended (`process.exitcode` in Python).
//!
//! Run it: `cargo run -p lesson07 --bin kill_process_sigkill`

use std::io::Write;
use std::process::ExitCode;
use std::thread::sleep;
use std::time::{Duration, Instant};

use nix::sys::prctl;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork, getpid, getppid};

/// The task, in the child process: it runs forever, a line a second.
fn task() -> ! {
    loop {
        sleep(Duration::from_secs(1));
        println!("Task is running");
    }
}

/// In the child, right after `fork`: if the parent dies first, the child must not run on
/// forever. PR_SET_PDEATHSIG asks Linux to send us SIGKILL when the thread that forked us ends
/// (here the parent's main thread, which lives as long as the parent). The parent may have died
/// already, between `fork` and this call; then our parent is now someone else (init, or a
/// "subreaper"), and we leave at once.
fn die_with_parent(parent: Pid) {
    prctl::set_pdeathsig(Signal::SIGKILL).expect("prctl(PR_SET_PDEATHSIG) failed");
    if getppid() != parent {
        leave_child(1);
    }
}

/// How a forked child leaves: `_exit`, not `std::process::exit`. `process::exit` would run the
/// clean-up of a process's end (the `atexit` handlers, the flush of C's stdio buffers), and
/// this child holds a copy of the parent's: that clean-up is the parent's to do, once. Nothing
/// of ours is lost: Rust's stdout writes out each line at its newline.
fn leave_child(code: i32) -> ! {
    // SAFETY: `_exit` ends the process at once and has no precondition; it is `unsafe` only
    // because it is a C function (nix 0.31 has no wrapper for it).
    unsafe { nix::libc::_exit(code) }
}

/// Reap the child, waiting at most `within`: `waitpid` with WNOHANG returns at once, so we look
/// every 10 ms. A plain `waitpid` would wait forever for a child that never ends.
fn reap(child: Pid, within: Duration) -> Option<WaitStatus> {
    let deadline = Instant::now() + within;
    loop {
        match waitpid(child, Some(WaitPidFlag::WNOHANG)).expect("waitpid failed") {
            WaitStatus::StillAlive => {}
            status => return Some(status),
        }
        if Instant::now() >= deadline {
            return None;
        }
        sleep(Duration::from_millis(10));
    }
}

/// How the child ended, with Python's `exitcode` convention first (-N: killed by signal N).
fn describe(status: WaitStatus) -> String {
    match status {
        WaitStatus::Exited(_, code) => format!("Child exit code: {code} (it exited by itself)"),
        WaitStatus::Signaled(_, signal, _) => {
            format!("Child exit code: -{} (killed by {signal})", signal as i32)
        }
        other => format!("Child status: {other:?}"),
    }
}

fn main() -> ExitCode {
    // Flush before forking: the child gets a copy of everything in this process, including text
    // still waiting in stdout's buffer, and both processes would then print it.
    std::io::stdout().flush().expect("flush stdout");
    let parent = getpid();
    // the child process runs the task (Python: `Process(target=task).start()`)
    // SAFETY: fork is safe to call here because this process has only one thread so far. In a
    // program with threads, the child gets a copy of the calling thread only: a lock another
    // thread held at that instant (stdout's, or one of the program's own) stays locked in the
    // child forever. (glibc re-initialises its allocator's locks in the child; stdout's and
    // the program's own get no such care.) So fork first, start threads after.
    match unsafe { fork() }.expect("fork failed") {
        ForkResult::Child => {
            die_with_parent(parent);
            task()
        }
        ForkResult::Parent { child } => run_parent(child),
    }
}

/// The parent: let the task run 5 s, kill it, wait 2 s, then reap it and report.
fn run_parent(child: Pid) -> ExitCode {
    sleep(Duration::from_secs(5));
    // kill the new thread via the new process (Python: `process.kill()`).
    // The book prints its line first and kills after; the port kills first, so the child cannot
    // slip a `Task is running` in between. (One CPython run showed that it can: the child's
    // line landed inside the parent's.)
    kill(child, Signal::SIGKILL).expect("kill failed");
    println!("Killing the thread via its process");
    sleep(Duration::from_secs(2));
    // reap the child and report how it ended
    let status = match reap(child, Duration::from_secs(2)) {
        Some(status) => status,
        None => {
            println!("The child is still running 2 s later: sending SIGKILL");
            kill(child, Signal::SIGKILL).expect("the second kill failed");
            match reap(child, Duration::from_secs(2)) {
                Some(status) => status,
                None => {
                    println!("The child did not end even after SIGKILL; giving up");
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    println!("{}", describe(status));
    println!("All done, stopping");
    ExitCode::SUCCESS
}
