//! # Three workers map a function over 0, 1 and 2, and the pool waits for them
//!
//! Ports rp "Using a ThreadPoolExecutor", with the `thread_function` of rp "Working with many
//! threads".
//!
//! Three tasks each log "starting", sleep two seconds and log "finishing". With three
//! workers they all run at once: about 2 s in all, not 6. The lines go to stdout; Python's
//! `logging` wrote them to stderr.
//!
//! The Rust twist: std has no `ThreadPoolExecutor` either, so this runs on the lesson's
//! `ThreadPool`; Python's `with ... as executor:` waits for every task on exit, and so does
//! dropping a `ThreadPool` (it closes, then joins).
//!
//! Run it: `cargo run -p lesson06 --bin executor_map`

use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lesson06::{PoolError, ThreadPool};

/// Python's `logging.info` with `format="%(asctime)s: %(message)s"` and `datefmt="%H:%M:%S"`.
/// std has no calendar, so this is the UTC time of day computed from the Unix clock.
fn log(message: &str) {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (h, m, s) = (seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
    println!("{h:02}:{m:02}:{s:02}: {message}");
}

/// Python's `thread_function(name)`: log, sleep two seconds, log.
fn thread_function(name: i32) {
    log(&format!("Thread {name}: starting"));
    thread::sleep(Duration::from_secs(2));
    log(&format!("Thread {name}: finishing"));
}

fn main() -> Result<(), PoolError> {
    // Python: `with concurrent.futures.ThreadPoolExecutor(max_workers=3) as executor:`
    let executor = ThreadPool::new(3);
    // Python: `executor.map(thread_function, range(3))`. The tasks are queued and run; as in
    // the Python, nothing reads the results, so `map_async` (which does not block) fits.
    let _results = executor.map_async(thread_function, 0..3)?;
    // End of the `with` block: dropping the pool closes it and waits for all three tasks,
    // as `ThreadPoolExecutor.__exit__` calls `shutdown(wait=True)`.
    drop(executor);
    Ok(())
}
