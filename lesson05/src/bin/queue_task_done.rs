//! # `task_done()` and `join()`: wait until every item is processed
//!
//! Ports guide "Thread Communication using Queue".
//!
//! A producer puts the numbers 0 to 5 on a queue; a consumer gets each one, prints it, and
//! calls `task_done()`. Main calls `join()` on the *queue*, which returns only when every item
//! put has been marked done, so `All tasks are done` always comes after the six numbers
//! (once main has waited for the producer to put them all: see the comment at `t1.join()`).
//!
//! The Rust twists: std's channels count nothing, so this is the lesson's
//! [`lesson05::Queue`], which has `task_done` and `join`. The guide's consumer loops forever
//! and is not a daemon thread, so its program never exits; made a daemon thread, Python would
//! kill it at exit. Rust has no daemon flag, and a thread spawned in `thread::scope` must end
//! before the scope does, so main stops the consumer with a `None` after the join and joins it
//! like any other thread.
//!
//! Run it: `cargo run -p lesson05 --bin queue_task_done`

use lesson05::Queue;
use std::thread;
use std::time::Duration;

fn main() {
    // Python: `q = Queue()`, unbounded. The items are `Option`s: `Some(i)` is work, `None`
    // tells the consumer to stop (see the end of `main`).
    let q: Queue<Option<u32>> = Queue::new(0);

    thread::scope(|s| {
        // Python's `producer()`
        let t1 = s.spawn(|| {
            for i in 0..6 {
                q.put(Some(i));
            }
        });

        // Python's `consumer()`
        let t2 = s.spawn(|| {
            while let Some(item) = q.get() {
                println!("{item}");
                // Mark the item processed; only an extra call could fail (Python's ValueError).
                q.task_done().expect("one task_done per item got");
            }
            q.task_done().expect("the None was got, too");
        });

        // First wait for the producer: `join` on the queue counts only items already put.
        // Called before the producer has put anything, it finds no unfinished task and
        // returns at once. The guide calls `q.join()` straight after starting the threads,
        // and gets away with it because CPython's producer usually puts all six items before
        // main runs again. Rust's threads really run in parallel: without this line a run can
        // print `All tasks are done` first (and then the `None` below may even overtake the
        // numbers, which are then never printed).
        t1.join().expect("the producer panicked");

        // Wait until all tasks are marked done. Python's `q.join()` has no timeout; if the
        // consumer died, it would hang, so the port gives it five seconds.
        if q.join_timeout(Duration::from_secs(5)) {
            // Not in the Python, which ends silently: the line that shows `join` waited.
            println!("All tasks are done");
        } else {
            println!("join timed out: not every item was marked done");
        }

        // A daemon consumer would simply be killed when the program exits. Here it is told
        // to stop, then joined: no thread is left running.
        q.put(None);
        t2.join().expect("the consumer panicked");
    });
}
