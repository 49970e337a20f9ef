//! Needs: nothing beyond std
//!
//! [`Semaphore`] and [`BoundedSemaphore`]: a counter of permits that limits how many threads
//! may be inside at once.
//!
//! Map. Threads: none of its own. State, under one mutex: free permits, permits out in guards,
//! and the threads waiting. Who wakes whom: a permit given back (a guard dropped, `release`)
//! wakes one waiter, `release_n` every waiter, only if one is counted.
//!
//! Copying it: the `#[cfg(all(test, shuttle))]` lines switch to the shuttle model checker's
//! primitives for `cargo xtask models` only. In a project of your own cargo warns of an
//! unexpected `cfg` condition name `shuttle`: delete those lines, or declare the name in your
//! Cargo.toml: `[lints.rust] unexpected_cfgs = { level = "warn", check-cfg = ["cfg(shuttle)"] }`.
//!
//! std has no semaphore. This is Python's `threading.Semaphore`, std-only (a `Mutex` around the
//! count and a `Condvar` to wait on); copy this file into a project as it is.
//!
//! | Python | here |
//! | --- | --- |
//! | `sem = threading.Semaphore(2)` | `let sem = Semaphore::new(2)` |
//! | `sem = threading.Semaphore()` (value 1) | `let sem = Semaphore::default()` |
//! | `sem = threading.BoundedSemaphore(2)` | `let sem = BoundedSemaphore::new(2)` |
//! | `sem.acquire()` | [`Semaphore::acquire`] → a [`SemaphorePermit`] |
//! | `sem.acquire(blocking=False)` | [`Semaphore::try_acquire`] → `Option<SemaphorePermit>` |
//! | `sem.acquire(timeout=t)` | [`Semaphore::acquire_timeout`] → `Option<SemaphorePermit>` |
//! | `with sem:` | `{ let _permit = sem.acquire(); ... }` |
//! | `sem.release()` after `with` | drop the permit |
//! | `sem.acquire()` now, `sem.release()` elsewhere | [`SemaphorePermit::forget`], later [`Semaphore::release`] |
//! | `sem.release()` (adds a permit) | [`Semaphore::release`] |
//! | `sem.release(n)` (adds `n` permits, wakes `n` waiters) | [`Semaphore::release_n`] |
//! | `bounded.release()`, `bounded.release(n)` raising `ValueError` | [`BoundedSemaphore::release`], [`BoundedSemaphore::release_n`] returning `Err(TooManyReleases)` |
//! | `sem._value` | [`Semaphore::available`] |
//! | `repr(sem)`: `<threading.Semaphore at 0x...: value=3>` | `{:?}`: `Semaphore { available: 3 }` |
//!
//! A permit is an RAII guard: it gives its place back on every path out of its scope.
//!
//! # Differences from Python, and why
//!
//! - **A bounded semaphore also counts the permits out in guards.** It refuses a release that
//!   would give it more permits than it started with. Python checks only the free count; this
//!   one also counts the permits held by live [`SemaphorePermit`]s, so a stray `release()` is
//!   refused even while other threads are inside (where Python would accept it and raise
//!   later, in some innocent thread's `with` exit).
//! - **The count stops at `usize::MAX`.** Python's counter is an int without a top. Here a
//!   release that would pass `usize::MAX` leaves the count there (it saturates) instead of
//!   overflowing: a semaphore with that many free permits is unlimited for any real program,
//!   and a panic, or a count wrapped to 0 that blocks every later acquire, would be worse.
//! - **`release_n(0)` does nothing**, where Python's `release(0)` raises `ValueError` ("n must
//!   be one or more"): adding no permits is harmless, and a count cannot be negative.
//! - **A value cannot be negative** (`usize`), so `Semaphore(-1)`'s `ValueError` cannot be
//!   written; a timeout is a [`Duration`], never negative, and `Duration::MAX` means no deadline.

use std::error::Error;
use std::fmt;
use std::sync::PoisonError;
use std::time::Duration;
// Model checking (`cargo xtask models`) swaps std's primitives for shuttle's; a copied file
// builds without shuttle, since `cfg(shuttle)` is never set there.
#[cfg(all(test, shuttle))]
use shuttle::sync::{Condvar, Mutex, MutexGuard};
#[cfg(not(all(test, shuttle)))]
use std::sync::{Condvar, Mutex, MutexGuard};

/// Python: `threading.Semaphore(value)`. At most `value` permits out at once; `release` may add
/// permits beyond the start value.
pub struct Semaphore {
    core: Core,
}

/// Python: `threading.BoundedSemaphore(value)`. Like [`Semaphore`], but a release that would
/// exceed the start value is refused with [`TooManyReleases`].
pub struct BoundedSemaphore {
    core: Core,
}

/// What a semaphore shares between its threads.
struct Core {
    counts: Mutex<Counts>,
    /// Signalled when a permit is given back.
    freed: Condvar,
    /// The start value, for a bounded semaphore.
    bound: Option<usize>,
}

#[derive(Debug)]
struct Counts {
    /// Permits free to take right now.
    available: usize,
    /// Permits held by live `SemaphorePermit` guards (they give themselves back on drop).
    guarded: usize,
    /// Threads waiting in `acquire` or `acquire_timeout`: a release notifies only if some wait.
    waiters: usize,
}

/// A bounded semaphore refused a release: Python's `ValueError: Semaphore released too many
/// times`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyReleases {
    /// The start value the release would have exceeded.
    pub bound: usize,
}

impl fmt::Display for TooManyReleases {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Semaphore released too many times (bound {})",
            self.bound
        )
    }
}

impl Error for TooManyReleases {}

/// One permit taken from a [`Semaphore`] or [`BoundedSemaphore`]; dropping it gives it back
/// (the end of Python's `with sem:` block).
#[must_use = "the permit is given back as soon as it is dropped"]
pub struct SemaphorePermit<'a> {
    core: &'a Core,
}

impl SemaphorePermit<'_> {
    /// Keeps the permit taken without a guard: Python's bare `sem.acquire()`. Give it back
    /// later with `release()`, from any thread.
    pub fn forget(self) {
        self.core.counts().guarded -= 1;
        std::mem::forget(self);
    }
}

impl Drop for SemaphorePermit<'_> {
    fn drop(&mut self) {
        let mut counts = self.core.counts();
        counts.guarded -= 1;
        counts.available = counts.available.saturating_add(1);
        let waiters = counts.waiters;
        drop(counts);
        if waiters != 0 {
            self.core.freed.notify_one();
        }
    }
}

impl fmt::Debug for SemaphorePermit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphorePermit").finish_non_exhaustive()
    }
}

impl Core {
    fn new(value: usize, bound: Option<usize>) -> Self {
        Core {
            counts: Mutex::new(Counts {
                available: value,
                guarded: 0,
                waiters: 0,
            }),
            freed: Condvar::new(),
            bound,
        }
    }

    fn counts(&self) -> MutexGuard<'_, Counts> {
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn take(&self, mut counts: MutexGuard<'_, Counts>) -> SemaphorePermit<'_> {
        counts.available -= 1;
        counts.guarded += 1;
        SemaphorePermit { core: self }
    }

    fn acquire(&self) -> SemaphorePermit<'_> {
        let mut counts = self.counts();
        if counts.available == 0 {
            // Counted under the lock, before the wait releases it: a release that finds
            // `waiters` at 0 knows that no thread is asleep on `freed`.
            counts.waiters += 1;
            counts = self
                .freed
                .wait_while(counts, |c| c.available == 0)
                .unwrap_or_else(PoisonError::into_inner);
            counts.waiters -= 1;
        }
        self.take(counts)
    }

    fn try_acquire(&self) -> Option<SemaphorePermit<'_>> {
        let counts = self.counts();
        (counts.available > 0).then(|| self.take(counts))
    }

    fn acquire_timeout(&self, timeout: Duration) -> Option<SemaphorePermit<'_>> {
        let mut counts = self.counts();
        if counts.available == 0 {
            counts.waiters += 1;
            // Re-checks the count after every wakeup (spurious or not) until the timeout has
            // passed.
            counts = self
                .freed
                .wait_timeout_while(counts, timeout, |c| c.available == 0)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            counts.waiters -= 1;
        }
        (counts.available > 0).then(|| self.take(counts))
    }

    /// Adds `n` free permits, unless that would pass the bound; the caller wakes the waiters
    /// if there are any (`Ok(true)`).
    fn add(&self, n: usize) -> Result<bool, TooManyReleases> {
        let mut counts = self.counts();
        if let Some(bound) = self.bound {
            // The permits out without a guard: the only ones a release may give back. (Free and
            // guarded permits never exceed the bound, so this cannot underflow.)
            let forgotten = bound - (counts.available + counts.guarded);
            if n > forgotten {
                return Err(TooManyReleases { bound });
            }
        }
        counts.available = counts.available.saturating_add(n);
        Ok(counts.waiters != 0)
    }

    fn fmt(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let available = self.counts().available;
        let mut out = f.debug_struct(name);
        out.field("available", &available);
        if let Some(bound) = self.bound {
            out.field("bound", &bound);
        }
        out.finish()
    }
}

impl Semaphore {
    /// Python: `threading.Semaphore(value)`. `value` permits, all free.
    pub fn new(value: usize) -> Self {
        Semaphore {
            core: Core::new(value, None),
        }
    }

    /// Python: `sem.acquire()`. Waits for a free permit and takes it.
    pub fn acquire(&self) -> SemaphorePermit<'_> {
        self.core.acquire()
    }

    /// Python: `sem.acquire(blocking=False)`. `None` at once if no permit is free.
    pub fn try_acquire(&self) -> Option<SemaphorePermit<'_>> {
        self.core.try_acquire()
    }

    /// Python: `sem.acquire(timeout=t)`. Waits at most `timeout`; `None` if no permit came free.
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<SemaphorePermit<'_>> {
        self.core.acquire_timeout(timeout)
    }

    /// Python: `sem.release()`. Adds one permit and wakes one waiter. Use it to give back a
    /// [`forget`](SemaphorePermit::forget)-ed permit, or to signal (a semaphore started at 0).
    /// At `usize::MAX` free permits it adds nothing (see the file's notes).
    pub fn release(&self) {
        // Unbounded: this core never refuses.
        if self.core.add(1) == Ok(true) {
            self.core.freed.notify_one();
        }
    }

    /// Python 3.9: `sem.release(n)`. Adds `n` permits at once and wakes every waiter
    /// (`notify_all`, where Python notifies `n`); a waiter that finds no permit left waits
    /// again. `release_n(0)` does nothing (Python raises `ValueError`).
    pub fn release_n(&self, n: usize) {
        if self.core.add(n) == Ok(true) {
            self.core.freed.notify_all();
        }
    }

    /// How many permits are free right now (Python's private `sem._value`).
    pub fn available(&self) -> usize {
        self.core.counts().available
    }
}

/// Python: `threading.Semaphore()`: one permit.
impl Default for Semaphore {
    fn default() -> Self {
        Semaphore::new(1)
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.core.fmt("Semaphore", f)
    }
}

impl BoundedSemaphore {
    /// Python: `threading.BoundedSemaphore(value)`. `value` permits, all free; never more.
    pub fn new(value: usize) -> Self {
        BoundedSemaphore {
            core: Core::new(value, Some(value)),
        }
    }

    /// Python: `sem.acquire()`. Waits for a free permit and takes it.
    pub fn acquire(&self) -> SemaphorePermit<'_> {
        self.core.acquire()
    }

    /// Python: `sem.acquire(blocking=False)`. `None` at once if no permit is free.
    pub fn try_acquire(&self) -> Option<SemaphorePermit<'_>> {
        self.core.try_acquire()
    }

    /// Python: `sem.acquire(timeout=t)`. Waits at most `timeout`; `None` if no permit came free.
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<SemaphorePermit<'_>> {
        self.core.acquire_timeout(timeout)
    }

    /// Python: `sem.release()`. Gives back a [`forget`](SemaphorePermit::forget)-ed permit;
    /// `Err(TooManyReleases)` (Python: `ValueError`) if no permit is out to give back.
    pub fn release(&self) -> Result<(), TooManyReleases> {
        if self.core.add(1)? {
            self.core.freed.notify_one();
        }
        Ok(())
    }

    /// Python 3.9: `sem.release(n)`. Gives back `n` forgotten permits at once, or none:
    /// `Err(TooManyReleases)` if fewer than `n` are out without a guard. `release_n(0)` does
    /// nothing (Python raises `ValueError`).
    pub fn release_n(&self, n: usize) -> Result<(), TooManyReleases> {
        if self.core.add(n)? {
            self.core.freed.notify_all();
        }
        Ok(())
    }

    /// How many permits are free right now (Python's private `sem._value`).
    pub fn available(&self) -> usize {
        self.core.counts().available
    }
}

/// Python: `threading.BoundedSemaphore()`: one permit.
impl Default for BoundedSemaphore {
    fn default() -> Self {
        BoundedSemaphore::new(1)
    }
}

impl fmt::Debug for BoundedSemaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.core.fmt("BoundedSemaphore", f)
    }
}

// The tests of the public API are in `tests/api/semaphore.rs`. This one needs the count of
// waiters, which decides whether a release notifies. (Two `cfg`s: cargo-mutants skips a module
// marked with a plain `#[cfg(test)]`.)
#[cfg(test)]
#[cfg(not(shuttle))]
mod tests {
    use super::*;

    /// Runs `body` on a thread of its own and fails if it has not finished within 10 s: a
    /// lost wakeup then fails the test instead of hanging it.
    fn bounded(body: impl FnOnce() + Send + 'static) {
        let (done, finished) = std::sync::mpsc::channel();
        let runner = std::thread::spawn(move || {
            body();
            let _ = done.send(());
        });
        if finished.recv_timeout(Duration::from_secs(10)).is_err() && !runner.is_finished() {
            panic!("the test did not finish within 10 s: a lost wakeup?");
        }
        if let Err(panic) = runner.join() {
            std::panic::resume_unwind(panic);
        }
    }

    /// Spins until `done` holds, for at most 5 s.
    fn until(mut done: impl FnMut() -> bool) {
        let begun = std::time::Instant::now();
        while !done() {
            assert!(begun.elapsed() < Duration::from_secs(5), "waited 5 s");
            std::thread::yield_now();
        }
    }

    /// A waiter is counted while it waits, and no longer once it stops, woken or timed out.
    #[test]
    fn waiters_are_counted_only_while_they_wait() {
        bounded(|| {
            let sem = Semaphore::new(0);
            std::thread::scope(|s| {
                let timed_out =
                    s.spawn(|| sem.acquire_timeout(Duration::from_millis(20)).is_none());
                assert!(timed_out.join().unwrap());
                assert_eq!(
                    sem.core.counts().waiters,
                    0,
                    "a timed-out wait is still counted"
                );
                let blocking = s.spawn(|| sem.acquire().forget());
                let timed = s.spawn(|| {
                    sem.acquire_timeout(Duration::from_secs(5))
                        .map(|p| p.forget())
                });
                until(|| sem.core.counts().waiters == 2);
                sem.release_n(2);
                blocking.join().unwrap();
                assert!(timed.join().unwrap().is_some());
            });
            assert_eq!(
                sem.core.counts().waiters,
                0,
                "a woken wait is still counted"
            );
        });
    }
}

// The shuttle models (`cargo xtask models`) live in `semaphore_models.rs`: a module whose `cfg`
// is off is never read, so a copy of this file builds without that file.
#[cfg(all(test, shuttle))]
#[path = "semaphore_models.rs"]
mod models;
