//! # Solution to exercise 07: a looping task stopped from within, by a flag, and by a kill
//!
//! The task of part 1 leaves its own loop with `break` when its condition holds. Part 2's
//! flag is an `AtomicBool` on main's stack: the task runs in `thread::scope`, whose threads
//! may borrow locals, so no `Arc` is needed, and the scope joins the task before main goes
//! on. The task checks the flag before every step, so it stops at most one step after main
//! sets it. For part 3, neither Rust nor Python can kill a thread, so the task runs in a
//! process of its own: `Command::new(env::current_exe())` starts this very program again,
//! whose `child` argument sends it to `child_main`. `spawn` ends in `exec`: the child runs a
//! fresh start of the program, not a copy of this process's memory with its locks, so the
//! rules of a bare `fork` (fork before any thread, leave with `_exit`) do not apply.
//! `Child::kill` sends SIGKILL on Unix, which the child cannot catch; `Child::wait` then reaps
//! it (a killed child not waited for stays a zombie), and its `ExitStatus` shows as
//! `signal: 9 (SIGKILL)`.
//!
//! Run it: `cargo run -p lesson07 --bin lesson07_solution`

use std::env;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The longest a step blocks: a step blocks for its value times this.
const STEP: Duration = Duration::from_millis(500);

/// A child that nobody kills gives up after this long, so it cannot run on for ever.
const CHILD_GIVES_UP: Duration = Duration::from_secs(20);

/// One iteration of the task: draws a value, says so, blocks for value x `STEP`, returns it.
fn step(who: &str) -> f64 {
    let value: f64 = rand::random();
    println!("{who}: step {value}");
    thread::sleep(STEP.mul_f64(value));
    value
}

/// What this program does when started with the argument `child` (part 3): `Child` steps
/// until it is killed, or until `CHILD_GIVES_UP` has passed.
fn child_main() {
    let start = Instant::now();
    while start.elapsed() < CHILD_GIVES_UP {
        step("Child");
    }
    println!(
        "Child: nobody killed me in {} s, so I stop",
        CHILD_GIVES_UP.as_secs()
    );
}

fn main() {
    if env::args().nth(1).as_deref() == Some("child") {
        child_main();
        return;
    }

    // Part 1: the task stops itself on its first value above 0.8; main waits for it.
    let task = thread::spawn(|| {
        loop {
            let value = step("Within");
            if value > 0.8 {
                println!("Within: the task stopped itself at {value}");
                break;
            }
        }
    });
    task.join().expect("the task panicked");

    // Part 2: the task checks a flag before each step; main sets it after 1 s.
    let stop = AtomicBool::new(false);
    thread::scope(|scope| {
        scope.spawn(|| {
            let mut steps = 0;
            while !stop.load(Ordering::SeqCst) {
                step("Event");
                steps += 1;
            }
            println!("Event: the task stopped after {steps} steps");
        });
        thread::sleep(Duration::from_secs(1));
        println!("Event: main sets the stop flag");
        stop.store(true, Ordering::SeqCst);
    });

    // Part 3: the task runs in a child process, which main kills.
    let program = env::current_exe().expect("the path of this program");
    let mut child = Command::new(program)
        .arg("child")
        .spawn()
        .expect("start the child process");
    let pid = child.id();
    println!("Kill: started child {pid}");
    thread::sleep(Duration::from_secs(1));
    // Kill first, then say so: the line then proves the child prints nothing after it.
    child.kill().expect("kill the child");
    println!("Kill: sent SIGKILL to child {pid}");
    let status = child.wait().expect("wait for the child");
    println!("Kill: child {pid} exit status: {status}");
}
