//! `cargo xtask bench` (or `cargo run --release -p bench`): the lesson libraries measured
//! against std, parking_lot, crossbeam-channel, the threadpool crate, rayon and, when
//! `python3` is on the PATH, CPython's own `threading`, `queue` and `ThreadPool`.
//!
//! A benchmark, not a test: plain timing loops, each run a few times and the best kept (the
//! least disturbed by whatever else the machine does). Rates are in millions (M/s) or
//! thousands (k/s) of operations a second; the ratio is the lesson's rate over the other's.
//! Run it in release (`cargo xtask bench` does): a debug build measures the debug checks.

use std::hint::black_box;
use std::process::Command;
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use lesson04::{Event, Lock, Semaphore};
use lesson05::Queue;
use lesson06::ThreadPool;

/// How many times each measurement runs; the fastest run counts.
const RUNS: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    // Words other than `--quick` pick sections: `cargo xtask bench queue imap`.
    let picked: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let want = |name: &str| picked.is_empty() || picked.iter().any(|p| name.contains(p.as_str()));
    let scale = if quick { 10 } else { 1 };
    let cpus = thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "cargo xtask bench: best of {RUNS} runs, {cpus} CPUs{}",
        if quick {
            ", --quick (a tenth of the work)"
        } else {
            ""
        }
    );
    let python = if want("cpython") || picked.is_empty() {
        cpython(scale)
    } else {
        Python(Vec::new())
    };

    let mut table = Table::default();
    if want("lock") {
        let n = 2_000_000 / scale;
        table.section("Lock: acquire + release, one thread");
        let lock = table.rate("lesson04::Lock", n, || lock_uncontended(n));
        let std_mutex = table.rate("std::sync::Mutex", n, || std_uncontended(n));
        let pl = table.rate("parking_lot::Mutex", n, || pl_uncontended(n));
        python.row(&mut table, "lock_uncontended", "CPython threading.Lock");
        table.ratio("Lock / std Mutex", lock, std_mutex);
        table.ratio("Lock / parking_lot", lock, pl);
    }
    if want("contended") {
        let n = 1_000_000 / scale;
        table.section("Lock: two threads contending, each acquire + add + release");
        let lock = table.rate("lesson04::Lock", 2 * n, || lock_contended(n));
        let std_mutex = table.rate("std::sync::Mutex", 2 * n, || std_contended(n));
        let pl = table.rate("parking_lot::Mutex", 2 * n, || pl_contended(n));
        table.ratio("Lock / std Mutex", lock, std_mutex);
        table.ratio("Lock / parking_lot", lock, pl);
    }
    if want("semaphore") {
        let n = 2_000_000 / scale;
        table.section("Semaphore(2): acquire + release, one thread");
        let sem = table.rate("lesson04::Semaphore", n, || semaphore(n));
        python.row(&mut table, "semaphore", "CPython threading.Semaphore");
        if let Some(py) = python.get("semaphore") {
            table.ratio("Semaphore / CPython", sem, py);
        }
    }
    if want("event") {
        let n = 20_000 / scale;
        table.section("Event: set -> wake of a waiting thread (ping-pong, per wake)");
        let event = table.latency("lesson04::Event", n, || event_ping_pong(n));
        let condvar = table.latency("std Mutex<bool> + Condvar", n, || condvar_ping_pong(n));
        python.latency_row(&mut table, "event_latency", "CPython threading.Event");
        table.ratio("Event / Condvar (time)", condvar, event);
    }
    if want("queue") {
        let n = 2_000_000 / scale;
        table.section("Queue: one producer, one consumer, bounded at 64");
        let queue = table.rate("lesson05::Queue", n, || queue_spsc(n));
        let sync = table.rate("std mpsc::sync_channel(64)", n, || sync_channel_spsc(n));
        let cb = table.rate("crossbeam_channel::bounded(64)", n, || crossbeam_spsc(n));
        python.row(&mut table, "queue", "CPython queue.Queue(64)");
        table.ratio("Queue / sync_channel", queue, sync);
        table.ratio("Queue / crossbeam", queue, cb);
    }
    if want("apply") {
        let n = 200_000 / scale;
        table.section("Pool of 2: apply_async + get, a result slot per task");
        let pool = table.rate("lesson06 apply_async", n, || pool_apply(n));
        let tp = table.rate("threadpool + slot", n, || threadpool_apply(n));
        python.row(&mut table, "apply_async", "CPython ThreadPool.apply_async");
        table.ratio("apply_async / threadpool", pool, tp);
    }
    if want("map") {
        let n = 1_000_000 / scale;
        table.section("Pool of 2: map of a trivial function");
        let map = table.rate("lesson06 map", n, || pool_map(n));
        let ray = table.rate("rayon par_iter (2 threads)", n, || rayon_map(n));
        python.row(&mut table, "map", "CPython ThreadPool.map");
        table.ratio("map / rayon", map, ray);
    }
    if want("imap") {
        let n = 500_000 / scale;
        table.section("Pool of 2: imap of a trivial function, consumed in order");
        let imap = table.rate("lesson06 imap", n, || pool_imap(n));
        python.row(&mut table, "imap", "CPython ThreadPool.imap");
        if let Some(py) = python.get("imap") {
            table.ratio("imap / CPython", imap, py);
        }
        let items = 2_000_000 / scale;
        let (grew, took) = imap_memory(items);
        table.note(&format!(
            "imap over {items} items: memory grew at most {:.2} MB while it ran ({:.0} k items/s)",
            grew as f64 / 1e6,
            items as f64 / took / 1e3
        ));
    }
    table.print();
}

/// Runs `f` (which returns its elapsed time) `RUNS` times; the fastest.
fn best(mut f: impl FnMut() -> Duration) -> Duration {
    (0..RUNS).map(|_| f()).min().expect("RUNS > 0")
}

fn timed(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

#[derive(Default)]
struct Table {
    rows: Vec<(String, String)>,
}

impl Table {
    fn section(&mut self, title: &str) {
        self.rows.push((format!("## {title}"), String::new()));
    }

    /// Measures and records a rate; returns it in operations a second.
    fn rate(&mut self, name: &str, ops: usize, f: impl FnMut() -> Duration) -> f64 {
        let rate = ops as f64 / best(f).as_secs_f64();
        self.rows.push((name.to_string(), show_rate(rate)));
        rate
    }

    /// Measures and records a latency of `count` round trips; returns the rate of wakes.
    fn latency(&mut self, name: &str, count: usize, f: impl FnMut() -> Duration) -> f64 {
        let per = best(f).as_secs_f64() / count as f64;
        self.rows
            .push((name.to_string(), format!("{:.1} µs", per * 1e6)));
        1.0 / per
    }

    fn ratio(&mut self, name: &str, ours: f64, theirs: f64) {
        self.rows
            .push((format!("  ratio {name}"), format!("{:.2}x", ours / theirs)));
    }

    fn note(&mut self, text: &str) {
        self.rows.push((text.to_string(), String::new()));
    }

    fn print(&self) {
        let width = self
            .rows
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, _)| name.len())
            .max()
            .unwrap_or(0);
        for (name, value) in &self.rows {
            if name.starts_with("## ") {
                println!("\n{name}");
            } else if value.is_empty() {
                println!("{name}");
            } else {
                println!("{name:<width$}  {value:>12}");
            }
        }
    }
}

fn show_rate(rate: f64) -> String {
    if rate >= 1e6 {
        format!("{:.2} M/s", rate / 1e6)
    } else {
        format!("{:.0} k/s", rate / 1e3)
    }
}

// ---- Lock ------------------------------------------------------------------------------

fn lock_uncontended(n: usize) -> Duration {
    let lock = Lock::new(0u64);
    best_of_one(|| {
        for _ in 0..n {
            *black_box(&lock).acquire() += 1;
        }
    })
}

fn std_uncontended(n: usize) -> Duration {
    let lock = Mutex::new(0u64);
    best_of_one(|| {
        for _ in 0..n {
            *black_box(&lock).lock().unwrap() += 1;
        }
    })
}

fn pl_uncontended(n: usize) -> Duration {
    let lock = parking_lot::Mutex::new(0u64);
    best_of_one(|| {
        for _ in 0..n {
            *black_box(&lock).lock() += 1;
        }
    })
}

fn best_of_one(f: impl FnOnce()) -> Duration {
    timed(f)
}

/// Two threads, each adding 1 `n` times under `add`'s lock.
fn two_threads(n: usize, add: impl Fn() + Sync) -> Duration {
    timed(|| {
        thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    for _ in 0..n {
                        add();
                    }
                });
            }
        })
    })
}

fn lock_contended(n: usize) -> Duration {
    let lock = Lock::new(0u64);
    let took = two_threads(n, || *lock.acquire() += 1);
    assert_eq!(lock.into_inner(), 2 * n as u64);
    took
}

fn std_contended(n: usize) -> Duration {
    let lock = Mutex::new(0u64);
    let took = two_threads(n, || *lock.lock().unwrap() += 1);
    assert_eq!(lock.into_inner().unwrap(), 2 * n as u64);
    took
}

fn pl_contended(n: usize) -> Duration {
    let lock = parking_lot::Mutex::new(0u64);
    let took = two_threads(n, || *lock.lock() += 1);
    assert_eq!(lock.into_inner(), 2 * n as u64);
    took
}

// ---- Semaphore, Event ------------------------------------------------------------------

fn semaphore(n: usize) -> Duration {
    let sem = Semaphore::new(2);
    timed(|| {
        for _ in 0..n {
            drop(black_box(&sem).acquire());
        }
    })
}

/// Two events, two threads: each set wakes the other thread, which sets the other event back.
fn event_ping_pong(n: usize) -> Duration {
    let (ping, pong) = (Event::new(), Event::new());
    timed(|| {
        thread::scope(|s| {
            s.spawn(|| {
                for _ in 0..n {
                    ping.wait();
                    ping.clear();
                    pong.set();
                }
            });
            for _ in 0..n {
                ping.set();
                pong.wait();
                pong.clear();
            }
        })
    }) / 2
}

/// The same with std only: a flag under a `Mutex` and a `Condvar`, notified on every set.
fn condvar_ping_pong(n: usize) -> Duration {
    struct Flag(Mutex<bool>, Condvar);
    impl Flag {
        fn set(&self) {
            *self.0.lock().unwrap() = true;
            self.1.notify_all();
        }
        fn wait_and_clear(&self) {
            let mut set = self.1.wait_while(self.0.lock().unwrap(), |s| !*s).unwrap();
            *set = false;
        }
    }
    let ping = Flag(Mutex::new(false), Condvar::new());
    let pong = Flag(Mutex::new(false), Condvar::new());
    timed(|| {
        thread::scope(|s| {
            s.spawn(|| {
                for _ in 0..n {
                    ping.wait_and_clear();
                    pong.set();
                }
            });
            for _ in 0..n {
                ping.set();
                pong.wait_and_clear();
            }
        })
    }) / 2
}

// ---- Queue -----------------------------------------------------------------------------

fn queue_spsc(n: usize) -> Duration {
    let queue = Queue::new(64);
    timed(|| {
        thread::scope(|s| {
            s.spawn(|| {
                for i in 0..n {
                    queue.put(i);
                }
            });
            let mut sum = 0;
            for _ in 0..n {
                sum += queue.get();
            }
            assert_eq!(sum, n * (n - 1) / 2);
        })
    })
}

fn sync_channel_spsc(n: usize) -> Duration {
    let (tx, rx) = mpsc::sync_channel(64);
    timed(|| {
        thread::scope(|s| {
            s.spawn(move || {
                for i in 0..n {
                    tx.send(i).unwrap();
                }
            });
            let sum: usize = rx.iter().take(n).sum();
            assert_eq!(sum, n * (n - 1) / 2);
        })
    })
}

fn crossbeam_spsc(n: usize) -> Duration {
    let (tx, rx) = crossbeam_channel::bounded(64);
    timed(|| {
        thread::scope(|s| {
            s.spawn(move || {
                for i in 0..n {
                    tx.send(i).unwrap();
                }
            });
            let sum: usize = rx.iter().take(n).sum();
            assert_eq!(sum, n * (n - 1) / 2);
        })
    })
}

// ---- Pools -----------------------------------------------------------------------------

fn pool_apply(n: usize) -> Duration {
    let pool = ThreadPool::new(2);
    timed(|| {
        let results: Vec<_> = (0..n)
            .map(|i| pool.apply_async(move || i * 2).unwrap())
            .collect();
        let sum: usize = results.into_iter().map(|r| r.get().unwrap()).sum();
        assert_eq!(sum, n * (n - 1));
    })
}

/// The threadpool crate has no result type: each task gets a slot of its own (a `Mutex` and
/// a `Condvar`), as `AsyncResult` is.
fn threadpool_apply(n: usize) -> Duration {
    type Slot = Arc<(Mutex<Option<usize>>, Condvar)>;
    let pool = threadpool::ThreadPool::new(2);
    timed(|| {
        let slots: Vec<Slot> = (0..n)
            .map(|i| {
                let slot: Slot = Arc::new((Mutex::new(None), Condvar::new()));
                let theirs = Arc::clone(&slot);
                pool.execute(move || {
                    *theirs.0.lock().unwrap() = Some(i * 2);
                    theirs.1.notify_all();
                });
                slot
            })
            .collect();
        let sum: usize = slots
            .iter()
            .map(|slot| {
                let value = slot.1.wait_while(slot.0.lock().unwrap(), |v| v.is_none());
                value.unwrap().expect("settled")
            })
            .sum();
        assert_eq!(sum, n * (n - 1));
    })
}

fn pool_map(n: usize) -> Duration {
    let pool = ThreadPool::new(2);
    timed(|| {
        let out = pool.map(|i: usize| i * 2, 0..n).unwrap();
        assert_eq!(out.len(), n);
    })
}

fn rayon_map(n: usize) -> Duration {
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("rayon pool");
    timed(|| {
        let out: Vec<usize> = pool.install(|| (0..n).into_par_iter().map(|i| i * 2).collect());
        assert_eq!(out.len(), n);
    })
}

fn pool_imap(n: usize) -> Duration {
    let pool = ThreadPool::new(2);
    timed(|| {
        let mut count = 0;
        for value in pool.imap(|i: usize| i * 2, 0..n).unwrap() {
            black_box(value.unwrap());
            count += 1;
        }
        assert_eq!(count, n);
    })
}

/// imap over `n` items: how much the resident memory grew while it ran (sampled on another
/// thread every millisecond, against the memory in use just before), and the time taken.
fn imap_memory(n: usize) -> (u64, f64) {
    let before = rss();
    let done = std::sync::atomic::AtomicBool::new(false);
    let (peak, took) = thread::scope(|s| {
        let sampler = s.spawn(|| {
            let mut peak = before;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(rss());
                thread::sleep(Duration::from_millis(1));
            }
            peak
        });
        let took = pool_imap(n);
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        (sampler.join().expect("sampler"), took)
    });
    (peak.saturating_sub(before), took.as_secs_f64())
}

/// The process's resident memory (`VmRSS` in /proc/self/status), in bytes; 0 elsewhere.
fn rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

// ---- CPython ---------------------------------------------------------------------------

/// CPython's figures, from `python3` if there is one: name → operations a second.
struct Python(Vec<(String, f64)>);

impl Python {
    fn get(&self, name: &str) -> Option<f64> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, r)| *r)
    }

    fn row(&self, table: &mut Table, name: &str, label: &str) {
        if let Some(rate) = self.get(name) {
            table.rows.push((label.to_string(), show_rate(rate)));
        }
    }

    fn latency_row(&self, table: &mut Table, name: &str, label: &str) {
        if let Some(rate) = self.get(name) {
            table
                .rows
                .push((label.to_string(), format!("{:.1} µs", 1e6 / rate)));
        }
    }
}

const PYTHON: &str = include_str!("cpython.py");

fn cpython(scale: usize) -> Python {
    let output = Command::new("python3")
        .arg("-c")
        .arg(PYTHON)
        .arg(scale.to_string())
        .output();
    let Ok(output) = output.inspect_err(|e| println!("python3 not run ({e}): no CPython figures"))
    else {
        return Python(Vec::new());
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let mut rates = Vec::new();
    for line in text.lines() {
        if let Some((name, rate)) = line.split_once(' ')
            && let Ok(rate) = rate.trim().parse::<f64>()
        {
            rates.push((name.to_string(), rate));
        }
    }
    if let Some(version) = text.lines().find_map(|l| l.strip_prefix("version ")) {
        println!("CPython {version}");
    }
    Python(rates)
}
