//! # The killed process catches SIGTERM and cleans up first
//!
//! Ports book L07 "How to Kill a Thread's Process": "This signal can be caught and handled
//! within the process, if we so desire. As such, it may be helpful we have clean-up tasks to
//! perform prior to killing." The book shows no program for it; this one is
//! `kill_process_sigterm` with a child that handles SIGTERM.
//!
//! The child prints `Task is running` every second. After five seconds the parent sends it
//! SIGTERM. This time the child has asked for the signal to set a flag instead of killing it: it
//! finishes the step it is in, sees the flag, cleans up and exits with status 0. The parent reaps
//! it and reports that it exited by itself, with status 0.
//!
//! The Rust twist: signal-hook's `flag::register` is a safe way to catch a signal. The handler
//! it installs only sets an `AtomicBool` (a signal handler may do almost nothing else safely);
//! the program checks the flag where it suits it, as a thread checks a stop event
//! (`stop_with_event`). SIGKILL could not be caught this way (`kill_process_sigkill`).
//!
//! Run it: `cargo run -p lesson07 --bin sigterm_cleanup`

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

use nix::sys::prctl;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork, getpid, getppid};
use signal_hook::consts::SIGTERM;

/// The task, in the child process: a line a second until SIGTERM comes, then a clean-up.
fn task(parent: Pid) -> ! {
    // From now on SIGTERM sets this flag instead of ending the process.
    let terminate = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(SIGTERM, Arc::clone(&terminate))
        .expect("cannot register a SIGTERM handler");
    // If the parent dies first, the child must not run on forever: PR_SET_PDEATHSIG asks Linux
    // to send us SIGTERM when the thread that forked us ends (the parent's main thread, which
    // lives as long as the parent); we then clean up as if the parent had sent it. If the parent
    // died between `fork` and this call, our parent is now someone else (init, or a
    // "subreaper"): then we stop as well.
    prctl::set_pdeathsig(Signal::SIGTERM).expect("prctl(PR_SET_PDEATHSIG) failed");
    if getppid() != parent {
        terminate.store(true, Ordering::SeqCst);
    }
    loop {
        // one step of work: the sleep finishes even when SIGTERM arrives in the middle (Rust's
        // `sleep` resumes after the handler ran), so the step is never cut short
        sleep(Duration::from_secs(1));
        // check for the signal between steps
        if terminate.load(Ordering::SeqCst) {
            break;
        }
        println!("Task is running");
    }
    // clean up: close files, remove temporary ones, tell a server goodbye...
    println!("Task caught SIGTERM, cleaning up");
    sleep(Duration::from_millis(500));
    println!("Task cleaned up, exiting");
    // The task is done, and this process exists only for it: end the whole process, with status
    // 0 for the parent to read. A forked child leaves with `_exit`, not `std::process::exit`:
    // `process::exit` would run the clean-up of a process's end (the `atexit` handlers, the
    // flush of C's stdio buffers), and this child holds a copy of the parent's: that clean-up is
    // the parent's to do, once. Nothing of ours is lost: Rust's stdout writes out each line at
    // its newline.
    // SAFETY: `_exit` ends the process at once and has no precondition; it is `unsafe` only
    // because it is a C function (nix 0.31 has no wrapper for it).
    unsafe { nix::libc::_exit(0) }
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
        ForkResult::Child => task(parent),
        ForkResult::Parent { child } => run_parent(child),
    }
}

/// The parent: let the task run 5 s, signal it, wait 2 s, then reap it and report.
fn run_parent(child: Pid) -> ExitCode {
    sleep(Duration::from_secs(5));
    // ask the task's process to stop (Python: `process.terminate()`)
    println!("Terminating the thread via its process (SIGTERM)");
    kill(child, Signal::SIGTERM).expect("kill failed");
    // the child needs up to a second to finish its step, then half a second to clean up
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
