//! [`Semaphore`] and [`BoundedSemaphore`]: a counter of permits that limits how many threads
//! may be inside at once.
//!
//! std has no semaphore. This is Python's `threading.Semaphore`, std-only (a `Mutex` around the
//! count and a `Condvar` to wait on); copy this file into a project as it is.
//!
//! | Python | here |
//! | --- | --- |
//! | `sem = threading.Semaphore(2)` | `let sem = Semaphore::new(2)` |
//! | `sem = threading.BoundedSemaphore(2)` | `let sem = BoundedSemaphore::new(2)` |
//! | `sem.acquire()` | [`Semaphore::acquire`] → a [`SemaphorePermit`] |
//! | `sem.acquire(blocking=False)` | [`Semaphore::try_acquire`] → `Option<SemaphorePermit>` |
//! | `sem.acquire(timeout=t)` | [`Semaphore::acquire_timeout`] → `Option<SemaphorePermit>` |
//! | `with sem:` | `{ let _permit = sem.acquire(); ... }` |
//! | `sem.release()` after `with` | drop the permit |
//! | `sem.acquire()` now, `sem.release()` elsewhere | [`SemaphorePermit::forget`], later [`Semaphore::release`] |
//! | `sem.release()` (adds a permit) | [`Semaphore::release`] |
//! | `bounded.release()` raising `ValueError` | [`BoundedSemaphore::release`] returning `Err(TooManyReleases)` |
//! | `sem._value` | [`Semaphore::available`] |
//!
//! A permit is an RAII guard: it gives its place back on every path out of its scope.
//!
//! A bounded semaphore refuses a release that would give it more permits than it started with.
//! Python checks only the free count; this one also counts the permits held by live
//! [`SemaphorePermit`]s, so a stray `release()` is refused even while other threads are inside
//! (where Python would accept it and raise later, in some innocent thread's `with` exit).

use std::error::Error;
use std::fmt;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// Python: `threading.Semaphore(value)`. At most `value` permits out at once; `release` may add
/// permits beyond the start value.
#[derive(Debug)]
pub struct Semaphore {
    core: Core,
}

/// Python: `threading.BoundedSemaphore(value)`. Like [`Semaphore`], but a release that would
/// exceed the start value is refused with [`TooManyReleases`].
#[derive(Debug)]
pub struct BoundedSemaphore {
    core: Core,
}

/// What a semaphore shares between its threads.
#[derive(Debug)]
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
#[derive(Debug)]
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
        counts.available += 1;
        drop(counts);
        self.core.freed.notify_one();
    }
}

impl Core {
    fn new(value: usize, bound: Option<usize>) -> Self {
        Core {
            counts: Mutex::new(Counts {
                available: value,
                guarded: 0,
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
        let counts = self
            .freed
            .wait_while(self.counts(), |c| c.available == 0)
            .unwrap_or_else(PoisonError::into_inner);
        self.take(counts)
    }

    fn try_acquire(&self) -> Option<SemaphorePermit<'_>> {
        let counts = self.counts();
        (counts.available > 0).then(|| self.take(counts))
    }

    fn acquire_timeout(&self, timeout: Duration) -> Option<SemaphorePermit<'_>> {
        // Re-checks the count after every wakeup (spurious or not) until the timeout has passed.
        let (counts, _) = self
            .freed
            .wait_timeout_while(self.counts(), timeout, |c| c.available == 0)
            .unwrap_or_else(PoisonError::into_inner);
        (counts.available > 0).then(|| self.take(counts))
    }

    fn release(&self) -> Result<(), TooManyReleases> {
        let mut counts = self.counts();
        if let Some(bound) = self.bound
            && counts.available + counts.guarded >= bound
        {
            return Err(TooManyReleases { bound });
        }
        counts.available += 1;
        drop(counts);
        self.freed.notify_one();
        Ok(())
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
    pub fn release(&self) {
        // Unbounded: this core never refuses.
        let _ = self.core.release();
    }

    /// How many permits are free right now (Python's private `sem._value`).
    pub fn available(&self) -> usize {
        self.core.counts().available
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
        self.core.release()
    }

    /// How many permits are free right now (Python's private `sem._value`).
    pub fn available(&self) -> usize {
        self.core.counts().available
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread;
    use std::time::Instant;

    /// Many threads, many rounds, all three ways in: never more than `n` inside at once.
    #[test]
    fn a_semaphore_of_n_never_admits_n_plus_one() {
        let n = 3;
        let sem = Semaphore::new(n);
        let inside = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        thread::scope(|s| {
            for id in 0..12 {
                let (sem, inside, most) = (&sem, &inside, &most);
                s.spawn(move || {
                    let mut done = 0;
                    while done < 200 {
                        let permit = match id % 3 {
                            0 => Some(sem.acquire()),
                            1 => sem.try_acquire(),
                            _ => sem.acquire_timeout(Duration::from_millis(1)),
                        };
                        let Some(permit) = permit else {
                            // refused: let the holders run rather than spin on a busy core
                            thread::yield_now();
                            continue;
                        };
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        thread::yield_now();
                        inside.fetch_sub(1, Ordering::SeqCst);
                        drop(permit);
                        done += 1;
                    }
                });
            }
        });
        let most = most.load(Ordering::SeqCst);
        assert!(most <= n, "{most} threads inside a semaphore of {n}");
        assert_eq!(sem.available(), n);
    }

    #[test]
    fn forgotten_permits_come_back_through_release() {
        let sem = Semaphore::new(2);
        sem.acquire().forget();
        sem.acquire().forget();
        assert!(sem.try_acquire().is_none());
        thread::scope(|s| {
            let waiter = s.spawn(|| sem.acquire_timeout(Duration::from_secs(5)).is_some());
            thread::sleep(Duration::from_millis(50));
            sem.release(); // from another thread than the one that took it, as Python allows
            assert!(waiter.join().unwrap());
        });
        // The waiter's permit went back when it was dropped; the other one is still out.
        assert_eq!(sem.available(), 1);
        sem.release();
        assert_eq!(sem.available(), 2);
    }

    #[test]
    fn acquire_timeout_waits_its_bound_and_no_longer() {
        let sem = Semaphore::new(1);
        let _taken = sem.acquire();
        thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    let timeout = Duration::from_millis(200);
                    let start = Instant::now();
                    assert!(sem.acquire_timeout(timeout).is_none());
                    let waited = start.elapsed();
                    assert!(waited >= timeout, "gave up early: {waited:?}");
                    assert!(
                        waited < timeout + Duration::from_secs(1),
                        "too late: {waited:?}"
                    );
                });
            }
        });
    }

    #[test]
    fn a_bounded_semaphore_refuses_an_extra_release() {
        let sem = BoundedSemaphore::new(2);
        assert_eq!(sem.release(), Err(TooManyReleases { bound: 2 }));
        // Permits held by guards give themselves back: a manual release is still one too many.
        let permit = sem.acquire();
        assert!(sem.release().is_err());
        drop(permit);
        assert_eq!(sem.available(), 2);
        // A forgotten permit is the one a manual release may return, once.
        sem.acquire().forget();
        assert_eq!(sem.release(), Ok(()));
        assert!(sem.release().is_err());
        assert_eq!(sem.available(), 2);
    }

    #[test]
    fn a_bounded_semaphore_refuses_extra_releases_under_contention() {
        // Workers go in and out with guards while others keep trying stray releases: every stray
        // release is refused and the count never grows past the bound.
        let n = 2;
        let sem = BoundedSemaphore::new(n);
        let inside = AtomicUsize::new(0);
        let accepted = AtomicUsize::new(0);
        thread::scope(|s| {
            for id in 0..8 {
                let (sem, inside, accepted) = (&sem, &inside, &accepted);
                s.spawn(move || {
                    for _ in 0..300 {
                        if id % 2 == 0 {
                            let _permit = sem.acquire();
                            assert!(inside.fetch_add(1, Ordering::SeqCst) < n);
                            thread::yield_now();
                            inside.fetch_sub(1, Ordering::SeqCst);
                        } else if sem.release().is_ok() {
                            accepted.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                });
            }
        });
        assert_eq!(accepted.load(Ordering::SeqCst), 0);
        assert_eq!(sem.available(), n);
    }
}
