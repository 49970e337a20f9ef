//! Needs: nothing beyond std
//!
//! The pool in steps, step 1 of 5: a basic pool. Workers, a queue, a `Condvar`, join on drop.
//!
//! Map. Threads: `size` workers. State, under one mutex: the queue of jobs and whether the
//! pool is shutting down. Who wakes whom: `execute` wakes one idle worker; `drop` wakes them
//! all, and joins them once the queue is empty.
//!
//! This is the Rust Book's last project with a `Condvar` in place of its channel, which is
//! what Python's pool does (its `SimpleQueue` is a lock and a condition). What it lacks, and
//! the next steps add: a task's result (step 2, `pool_step2_results.rs`, where a panicking
//! task is reported instead of killing its worker); `close`, `join` and `terminate` (step 3);
//! callbacks, `map` and timed waits (step 4); `imap` and `starmap` (step 5). `src/pool.rs`,
//! `src/imap.rs` and `src/starmap.rs` are the production version.
//!
//! Run its tests alone: `cargo test -p lesson06 --test pool_step1_basic`.

// This workspace asks every public type for `Debug`; a first pool does without.
#![allow(missing_debug_implementations)]

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};

/// A pool of worker threads that run the closures given to [`ThreadPool::execute`].
pub struct ThreadPool {
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
}

impl ThreadPool {
    /// Starts `size` workers. Panics if `size` is 0 or a thread cannot be started.
    pub fn new(size: usize) -> ThreadPool {
        assert!(size > 0, "a pool needs at least one worker");
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                shutting_down: false,
            }),
            work: Condvar::new(),
        });
        let workers = (0..size)
            .map(|index| {
                let shared = Arc::clone(&shared);
                thread::Builder::new()
                    .name(format!("pool-worker-{index}"))
                    .spawn(move || worker_loop(&shared))
                    .expect("cannot start a worker thread")
            })
            .collect();
        ThreadPool { shared, workers }
    }

    /// Queues `job`; an idle worker runs it.
    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        self.shared
            .state
            .lock()
            .unwrap()
            .queue
            .push_back(Box::new(job));
        self.shared.work.notify_one();
    }
}

impl Drop for ThreadPool {
    /// Lets the workers finish every queued job, then joins them.
    fn drop(&mut self) {
        self.shared.state.lock().unwrap().shutting_down = true;
        self.shared.work.notify_all();
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

type Job = Box<dyn FnOnce() + Send>;

struct State {
    queue: VecDeque<Job>,
    shutting_down: bool,
}

struct Shared {
    state: Mutex<State>,
    /// Signalled when a job is queued or the pool shuts down.
    work: Condvar,
}

/// Takes jobs until the pool shuts down with nothing left. The job runs after the lock is
/// released (the guard's block ends first), so workers run their jobs side by side.
fn worker_loop(shared: &Shared) {
    loop {
        let job = {
            let state = shared.state.lock().unwrap();
            let mut state = shared
                .work
                .wait_while(state, |s| s.queue.is_empty() && !s.shutting_down)
                .unwrap();
            match state.queue.pop_front() {
                Some(job) => job,
                None => return, // shutting down, and nothing left
            }
        };
        job();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn every_job_runs_once() {
        let (tx, rx) = mpsc::channel();
        {
            let pool = ThreadPool::new(3);
            for i in 0..100 {
                let tx = tx.clone();
                pool.execute(move || tx.send(i).unwrap());
            }
        } // dropped: waits for every job
        drop(tx);
        let mut got: Vec<i32> = rx.iter().collect();
        got.sort_unstable();
        assert_eq!(got, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn jobs_run_side_by_side_on_the_workers() {
        let (tx, rx) = mpsc::channel();
        let pool = ThreadPool::new(2);
        for _ in 0..2 {
            let tx = tx.clone();
            pool.execute(move || {
                thread::sleep(Duration::from_millis(200));
                tx.send(thread::current().name().map(String::from)).unwrap();
            });
        }
        let names: HashSet<_> = (0..2)
            .map(|_| rx.recv_timeout(Duration::from_secs(5)).unwrap())
            .collect();
        assert_eq!(names.len(), 2, "both workers ran: {names:?}");
    }
}
