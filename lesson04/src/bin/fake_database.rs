//! # FakeDatabase: a lost update, then the same update under a lock
//!
//! Ports rp "Basic Synchronization Using Lock" (and its DEBUG run), with the unlocked `update`
//! and the two-worker driver that the notes leave out, from the RealPython article they follow.
//!
//! Two threads each update a value from 0: read it, add one, sleep 0.1 s, write it back.
//! Without a lock both read 0 and the value ends at 1, not 2; with the lock held across the
//! whole read-modify-write, the second thread waits and the value ends at 2. The second part
//! prints the DEBUG lines too, which show who holds the lock when. The RealPython originals log
//! to stderr with `logging`; the port prints the same `HH:MM:SS: message` lines to stdout, with
//! the time in UTC (std has no time zones).
//!
//! The Rust twist: the value lives inside a `Mutex`, so even the "unlocked" update must lock
//! it, once to read and once to write; the race is in the gap between the two. The locked update
//! holds one guard from the read to the write.
//!
//! Run it: `cargo run -p lesson04 --bin fake_database`

use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Python's `logging.info(...)` with `format="%(asctime)s: %(message)s"`, `datefmt="%H:%M:%S"`.
fn log(message: &str) {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (h, m, s) = (secs / 3600 % 24, secs / 60 % 60, secs % 60);
    println!("{h:02}:{m:02}:{s:02}: {message}");
}

struct FakeDatabase {
    value: Mutex<i32>,
    /// Python's `logging.getLogger().setLevel(logging.DEBUG)`: show the lock's comings and goings.
    debug: bool,
}

impl FakeDatabase {
    fn new(debug: bool) -> Self {
        FakeDatabase {
            value: Mutex::new(0),
            debug,
        }
    }

    fn debug(&self, message: &str) {
        if self.debug {
            log(message);
        }
    }

    fn value(&self) -> i32 {
        *self.value.lock().expect("no thread panics holding it")
    }

    /// Python's `update`: read, modify, sleep, write, with no lock over the whole.
    fn update(&self, name: usize) {
        log(&format!("Thread {name}: starting update"));
        // the guard lives only for this statement: the lock is released right after the read
        let mut local_copy = *self.value.lock().expect("no thread panics holding it");
        local_copy += 1;
        thread::sleep(Duration::from_secs_f64(0.1));
        // ...and taken again for the write, which overwrites whatever happened meanwhile
        *self.value.lock().expect("no thread panics holding it") = local_copy;
        log(&format!("Thread {name}: finishing update"));
    }

    /// Python's `locked_update`: one guard over the whole read-modify-write.
    fn locked_update(&self, name: usize) {
        log(&format!("Thread {name}: starting update"));
        self.debug(&format!("Thread {name} about to lock"));
        {
            // `with self._lock:`
            let mut value = self.value.lock().expect("no thread panics holding it");
            self.debug(&format!("Thread {name} has lock"));
            let mut local_copy = *value;
            local_copy += 1;
            thread::sleep(Duration::from_secs_f64(0.1));
            *value = local_copy;
            self.debug(&format!("Thread {name} about to release lock"));
            // the guard is dropped at this closing brace: the lock is released
        }
        self.debug(&format!("Thread {name} after release"));
        log(&format!("Thread {name}: finishing update"));
    }
}

/// Python's `with ThreadPoolExecutor(max_workers=2) as executor:` submitting two calls: two
/// threads, and the scope waits for both, as the `with` block does.
fn two_workers(work: impl Fn(usize) + Sync) {
    // A start line: both workers begin together. The race needs the second one to read the
    // value within the first one's 0.1 s, and on a busy machine a thread can start later.
    let start = Barrier::new(2);
    thread::scope(|s| {
        for index in 0..2 {
            let (work, start) = (&work, &start);
            s.spawn(move || {
                start.wait();
                work(index);
            });
        }
    });
}

fn main() {
    let database = FakeDatabase::new(false);
    log(&format!(
        "Testing update. Starting value is {}.",
        database.value()
    ));
    two_workers(|index| database.update(index));
    log(&format!(
        "Testing update. Ending value is {}.",
        database.value()
    ));

    // The locked update, with the DEBUG lines.
    let database = FakeDatabase::new(true);
    log(&format!(
        "Testing locked update. Starting value is {}.",
        database.value()
    ));
    two_workers(|index| database.locked_update(index));
    log(&format!(
        "Testing locked update. Ending value is {}.",
        database.value()
    ));
}
