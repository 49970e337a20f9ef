//! Needs: nothing beyond std
//!
//! [`Semaphore`] and [`BoundedSemaphore`]: a counter of permits that limits how many threads
//! may be inside at once.
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
        if waiters > 0 {
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
        Ok(counts.waiters > 0)
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

// Every test that could block runs under a watchdog (`watchdog` below): a hang fails that test
// within seconds, with a message, instead of hanging the test binary.
// (Two `cfg`s rather than `cfg(all(test, not(shuttle)))`: cargo-mutants skips code under a
// plain `#[cfg(test)]` only.)
#[cfg(test)]
#[cfg(not(shuttle))]
mod tests {
    use super::*;
    use std::panic;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::{Arc, mpsc};
    use std::thread;
    use std::time::Instant;

    /// How long a test body may run before its watchdog calls it deadlocked. Every body here
    /// finishes in about a second at most.
    const LIMIT: Duration = Duration::from_secs(10);

    /// Set by the first watchdog that fires. Later ones then give up after `GRACE`, so a
    /// semaphore that deadlocks everywhere fails the whole run in about `LIMIT`, not in `LIMIT`
    /// per test (cargo-mutants must see a failure, not a timeout).
    static DEADLOCK_SEEN: AtomicBool = AtomicBool::new(false);
    const GRACE: Duration = Duration::from_millis(200);

    /// Runs `body` on a thread of its own and fails the calling test if the body has not
    /// finished within `LIMIT`; a panic in the body fails the test as it is.
    fn watchdog(body: impl FnOnce() + Send + 'static) {
        let name = thread::current().name().unwrap_or("test").to_string();
        let (done, finished) = mpsc::channel::<()>();
        let runner = thread::Builder::new()
            .name(name.clone())
            .spawn(move || {
                body();
                let _ = done.send(());
            })
            .expect("cannot spawn the test body's thread");
        let start = Instant::now();
        loop {
            match finished.recv_timeout(Duration::from_millis(20)) {
                // Finished, or panicked (the sender was dropped unsent): join tells which.
                Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                    if let Err(payload) = runner.join() {
                        panic::resume_unwind(payload);
                    }
                    return;
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let waited = start.elapsed();
                    if waited >= LIMIT {
                        DEADLOCK_SEEN.store(true, Ordering::SeqCst);
                        panic!("{name} did not finish within {LIMIT:?}: probably deadlocked");
                    }
                    if waited >= GRACE && DEADLOCK_SEEN.load(Ordering::SeqCst) {
                        panic!("{name} gave up after {waited:?}: another test deadlocked");
                    }
                }
            }
        }
    }

    /// Gives threads that were just started time to block (CPython's `wait_threads_blocked`).
    fn let_them_block() {
        thread::sleep(Duration::from_millis(50));
    }

    /// Waits until `count` reaches `n` (CPython's `wait_count`; the watchdog bounds it).
    fn wait_count(count: &AtomicUsize, n: usize) {
        while count.load(Ordering::SeqCst) < n {
            thread::sleep(Duration::from_millis(1));
        }
    }

    /// What the tests ask of both kinds of semaphore, so that each test runs on both (CPython's
    /// `BaseSemaphoreTests` runs for `Semaphore` and `BoundedSemaphore` alike).
    trait Sem: Send + Sync + 'static {
        fn new(value: usize) -> Self;
        fn acquire(&self) -> SemaphorePermit<'_>;
        fn try_acquire(&self) -> Option<SemaphorePermit<'_>>;
        fn acquire_timeout(&self, timeout: Duration) -> Option<SemaphorePermit<'_>>;
        /// Gives back forgotten permits; panics if the semaphore refuses.
        fn release_n(&self, n: usize);
        fn release(&self) {
            self.release_n(1);
        }
        fn available(&self) -> usize;
    }

    impl Sem for Semaphore {
        fn new(value: usize) -> Self {
            Semaphore::new(value)
        }
        fn acquire(&self) -> SemaphorePermit<'_> {
            Semaphore::acquire(self)
        }
        fn try_acquire(&self) -> Option<SemaphorePermit<'_>> {
            Semaphore::try_acquire(self)
        }
        fn acquire_timeout(&self, timeout: Duration) -> Option<SemaphorePermit<'_>> {
            Semaphore::acquire_timeout(self, timeout)
        }
        fn release_n(&self, n: usize) {
            if n == 1 {
                Semaphore::release(self);
            } else {
                Semaphore::release_n(self, n);
            }
        }
        fn available(&self) -> usize {
            Semaphore::available(self)
        }
    }

    impl Sem for BoundedSemaphore {
        fn new(value: usize) -> Self {
            BoundedSemaphore::new(value)
        }
        fn acquire(&self) -> SemaphorePermit<'_> {
            BoundedSemaphore::acquire(self)
        }
        fn try_acquire(&self) -> Option<SemaphorePermit<'_>> {
            BoundedSemaphore::try_acquire(self)
        }
        fn acquire_timeout(&self, timeout: Duration) -> Option<SemaphorePermit<'_>> {
            BoundedSemaphore::acquire_timeout(self, timeout)
        }
        fn release_n(&self, n: usize) {
            let released = if n == 1 {
                BoundedSemaphore::release(self)
            } else {
                BoundedSemaphore::release_n(self, n)
            };
            released.expect("a forgotten permit to give back");
        }
        fn available(&self) -> usize {
            BoundedSemaphore::available(self)
        }
    }

    /// Declares `#[test] fn $name` that runs `$body::<Semaphore>` and `$body::<BoundedSemaphore>`
    /// under the watchdog.
    macro_rules! both {
        ($($name:ident => $body:ident;)*) => {
            $(
                #[test]
                fn $name() {
                    watchdog(|| {
                        $body::<Semaphore>();
                        $body::<BoundedSemaphore>();
                    });
                }
            )*
        };
    }

    both! {
        a_semaphore_of_n_never_admits_n_plus_one => never_admits_n_plus_one;
        acquire_timeout_waits_its_bound_and_no_longer => acquire_timeout_waits_its_bound;
        forgotten_permits_come_back_through_release => forgotten_permits_come_back;
        release_wakes_a_timed_acquire => release_wakes_a_timed_acquire_of;
    }

    /// Many threads, many rounds, all three ways in: never more than `n` inside at once.
    fn never_admits_n_plus_one<S: Sem>() {
        let n = 3;
        let sem = S::new(n);
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

    fn acquire_timeout_waits_its_bound<S: Sem>() {
        let sem = S::new(1);
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

    fn forgotten_permits_come_back<S: Sem>() {
        let sem = S::new(2);
        sem.acquire().forget();
        sem.acquire().forget();
        assert!(sem.try_acquire().is_none());
        thread::scope(|s| {
            let waiter = s.spawn(|| sem.acquire_timeout(Duration::from_secs(5)).is_some());
            let_them_block();
            sem.release(); // from another thread than the one that took it, as Python allows
            assert!(waiter.join().unwrap());
        });
        // The waiter's permit went back when it was dropped; the other one is still out.
        assert_eq!(sem.available(), 1);
        sem.release();
        assert_eq!(sem.available(), 2);
    }

    /// A release wakes a thread blocked in `acquire_timeout`, well before its timeout.
    fn release_wakes_a_timed_acquire_of<S: Sem>() {
        let sem = S::new(1);
        sem.acquire().forget();
        thread::scope(|s| {
            let waiter = s.spawn(|| {
                let start = Instant::now();
                let got = sem.acquire_timeout(Duration::from_secs(5)).is_some();
                (got, start.elapsed())
            });
            let_them_block();
            sem.release();
            let (got, waited) = waiter.join().unwrap();
            assert!(got);
            assert!(waited < Duration::from_secs(2), "waited {waited:?}");
        });
    }

    #[test]
    fn release_past_usize_max_saturates() {
        watchdog(|| {
            // Issue 11, defect 5: this used to overflow (a panic in debug builds; in release builds
            // the count wrapped to 0 and every later acquire blocked).
            let sem = Semaphore::new(usize::MAX);
            sem.release();
            assert_eq!(sem.available(), usize::MAX);
            let permit = sem.try_acquire().expect("permits left");
            assert_eq!(sem.available(), usize::MAX - 1);
            sem.release_n(5);
            assert_eq!(sem.available(), usize::MAX);
            drop(permit); // gives its permit back to a full count
            assert_eq!(sem.available(), usize::MAX);
            assert!(sem.try_acquire().is_some());
            // A bounded one never gets there: it refuses first.
            let bounded = BoundedSemaphore::new(usize::MAX);
            assert!(bounded.release().is_err());
            assert!(bounded.release_n(usize::MAX).is_err());
            assert_eq!(bounded.available(), usize::MAX);
        });
    }

    #[test]
    fn a_bounded_semaphore_refuses_an_extra_release() {
        watchdog(|| {
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
        });
    }

    #[test]
    fn a_bounded_release_n_gives_back_forgotten_permits_only() {
        watchdog(|| {
            // (permits forgotten, permits in guards, n): accepted?
            let cases = [
                (1, 0, 1, true),
                (1, 0, 2, false),
                (2, 0, 2, true),
                (2, 0, 3, false),
                (1, 1, 1, true),
                (1, 1, 2, false),
                (2, 1, 2, true),
                (0, 2, 1, false),
                (3, 0, 0, true),
            ];
            for (forgotten, guarded, n, accepted) in cases {
                let sem = BoundedSemaphore::new(3);
                let guards: Vec<_> = (0..guarded).map(|_| sem.acquire()).collect();
                for _ in 0..forgotten {
                    sem.acquire().forget();
                }
                let before = sem.available();
                let result = sem.release_n(n);
                let case = format!("{forgotten} forgotten, {guarded} guarded, release_n({n})");
                assert_eq!(result.is_ok(), accepted, "{case}");
                let after = if accepted { before + n } else { before };
                assert_eq!(sem.available(), after, "{case}: all or nothing");
                drop(guards);
                assert_eq!(sem.available(), after + guarded, "{case}");
            }
        });
    }

    #[test]
    fn a_bounded_semaphore_refuses_extra_releases_under_contention() {
        // Workers go in and out with guards while others keep trying stray releases: every stray
        // release is refused and the count never grows past the bound.
        watchdog(|| {
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
        });
    }

    #[test]
    fn the_refusal_and_the_permit_print() {
        watchdog(|| {
            let error = TooManyReleases { bound: 3 };
            assert_eq!(
                error.to_string(),
                "Semaphore released too many times (bound 3)"
            );
            let sem = Semaphore::new(1);
            assert_eq!(format!("{:?}", sem.acquire()), "SemaphorePermit { .. }");
        });
    }

    /// The intent of CPython's `Lib/test/lock_tests.py`, `BaseSemaphoreTests` (each run on
    /// both kinds), `SemaphoreTests` and `BoundedSemaphoreTests`, named after the originals.
    /// Not ported: `test_constructor` (a negative value raises `ValueError`): the value is a
    /// `usize`, so a negative one cannot be written; in `test_acquire_timeout`, the
    /// `ValueError` for `acquire(False, timeout=1.0)` (`try_acquire` takes no timeout).
    mod cpython {
        use super::*;

        both! {
            test_acquire => acquire;
            test_acquire_destroy => acquire_destroy;
            test_acquire_contended => acquire_contended;
            test_multirelease => multirelease;
            test_try_acquire => try_acquire;
            test_try_acquire_contended => try_acquire_contended;
            test_acquire_timeout => acquire_timeout;
            test_with => with;
        }

        fn acquire<S: Sem>() {
            let sem = S::new(1);
            drop(sem.acquire());
            let sem = S::new(2);
            let a = sem.acquire();
            let b = sem.acquire();
            assert_eq!(sem.available(), 0);
            drop((a, b));
            assert_eq!(sem.available(), 2);
        }

        fn acquire_destroy<S: Sem>() {
            let sem = S::new(1);
            sem.acquire().forget();
            drop(sem);
        }

        /// CPython's `test_acquire_contended` (`release_n` false) and `test_multirelease`
        /// (true): ten threads each take two permits of a semaphore of 7 that main already
        /// took one of; the releases let exactly as many through as they give back.
        fn contended<S: Sem>(release_n: bool) {
            let sem_value = 7;
            let sem = Arc::new(S::new(sem_value));
            sem.acquire().forget();
            let acquired = Arc::new(AtomicUsize::new(0));
            let threads: Vec<_> = (0..10)
                .map(|_| {
                    let (sem, acquired) = (Arc::clone(&sem), Arc::clone(&acquired));
                    thread::spawn(move || {
                        for _ in 0..2 {
                            sem.acquire().forget();
                            acquired.fetch_add(1, Ordering::SeqCst);
                        }
                    })
                })
                .collect();
            let release = |n: usize| {
                if release_n {
                    sem.release_n(n);
                } else {
                    (0..n).for_each(|_| sem.release());
                }
            };
            // Phase 0: the six free permits go, and no more.
            let count1 = sem_value - 1;
            wait_count(&acquired, count1);
            let_them_block();
            assert_eq!(acquired.load(Ordering::SeqCst), count1);
            // Phase 1
            let count2 = sem_value;
            release(count2);
            wait_count(&acquired, count1 + count2);
            let_them_block();
            assert_eq!(acquired.load(Ordering::SeqCst), count1 + count2);
            // Phase 2
            let count3 = sem_value - 1;
            release(count3);
            wait_count(&acquired, count1 + count2 + count3);
            // The semaphore is still locked
            assert!(sem.try_acquire().is_none());
            // Final release, to let the last thread finish
            sem.release();
            for thread in threads {
                thread.join().unwrap();
            }
            assert_eq!(acquired.load(Ordering::SeqCst), 20);
        }

        fn acquire_contended<S: Sem>() {
            contended::<S>(false);
        }

        fn multirelease<S: Sem>() {
            contended::<S>(true);
        }

        fn try_acquire<S: Sem>() {
            let sem = S::new(2);
            let a = sem.try_acquire();
            assert!(a.is_some());
            assert!(sem.try_acquire().map(SemaphorePermit::forget).is_some());
            assert!(sem.try_acquire().is_none());
            drop(a);
            assert!(sem.try_acquire().is_some());
        }

        fn try_acquire_contended<S: Sem>() {
            let sem = S::new(4);
            sem.acquire().forget();
            let results: Vec<bool> = thread::scope(|s| {
                let threads: Vec<_> = (0..5)
                    .map(|_| {
                        s.spawn(|| {
                            (0..2)
                                .map(|_| sem.try_acquire().map(SemaphorePermit::forget).is_some())
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                threads
                    .into_iter()
                    .flat_map(|t| t.join().unwrap())
                    .collect()
            });
            let taken = results.iter().filter(|&&taken| taken).count();
            assert_eq!((taken, results.len() - taken), (3, 7));
        }

        fn acquire_timeout<S: Sem>() {
            let sem = S::new(2);
            let short = Duration::from_millis(5);
            let a = sem.acquire_timeout(short);
            let b = sem.acquire_timeout(short);
            assert!(a.is_some() && b.is_some());
            assert!(sem.acquire_timeout(short).is_none());
            drop(a);
            let _c = sem.acquire_timeout(short).expect("released");
            let start = Instant::now();
            assert!(sem.acquire_timeout(Duration::from_millis(500)).is_none());
            let waited = start.elapsed();
            // CPython's assertTimeout: at least 0.6 times the timeout, under 10 times.
            assert!(waited >= Duration::from_millis(300), "early: {waited:?}");
            assert!(waited < Duration::from_secs(5), "late: {waited:?}");
            // A huge timeout means no deadline: a free permit is taken at once.
            drop(b);
            assert!(sem.acquire_timeout(Duration::MAX).is_some());
        }

        fn with<S: Sem>() {
            let sem = S::new(2);
            let with = |raise: bool| {
                let _outer = sem.acquire();
                assert!(sem.try_acquire().is_some());
                let _inner = sem.acquire();
                assert!(sem.try_acquire().is_none());
                assert!(!raise, "TypeError");
            };
            with(false);
            assert_eq!(sem.available(), 2);
            assert!(panic::catch_unwind(panic::AssertUnwindSafe(|| with(true))).is_err());
            assert_eq!(sem.available(), 2);
            assert!(sem.try_acquire().is_some());
        }

        #[test]
        fn test_default_value() {
            // The default initial value is 1.
            fn default_value<S: Sem + Default>() {
                let sem = Arc::new(S::default());
                sem.acquire().forget();
                let finished = Arc::new(AtomicBool::new(false));
                let thread = {
                    let (sem, finished) = (Arc::clone(&sem), Arc::clone(&finished));
                    thread::spawn(move || {
                        drop(sem.acquire());
                        finished.store(true, Ordering::SeqCst);
                    })
                };
                // Thread blocked on sem.acquire()
                let_them_block();
                assert!(!finished.load(Ordering::SeqCst));
                // Thread unblocked
                sem.release();
                thread.join().unwrap();
                assert!(finished.load(Ordering::SeqCst));
                assert_eq!(sem.available(), 1);
            }
            watchdog(|| {
                default_value::<Semaphore>();
                default_value::<BoundedSemaphore>();
            });
        }

        /// `SemaphoreTests.test_release_unacquired`: unbounded releases are allowed and
        /// increment the semaphore's value.
        #[test]
        fn test_release_unacquired() {
            watchdog(|| {
                let sem = Semaphore::new(1);
                sem.release();
                let a = sem.acquire();
                let b = sem.acquire();
                assert!(sem.try_acquire().is_none());
                drop((a, b));
                sem.release();
                assert_eq!(sem.available(), 3);
            });
        }

        /// `BoundedSemaphoreTests.test_release_unacquired`: cannot go past the initial value.
        #[test]
        fn test_bounded_release_unacquired() {
            watchdog(|| {
                let sem = BoundedSemaphore::default();
                assert!(sem.release().is_err());
                sem.acquire().forget();
                assert!(sem.release().is_ok());
                assert!(sem.release().is_err());
                assert_eq!(sem.available(), 1);
            });
        }

        /// `SemaphoreTests.test_repr`.
        #[test]
        fn test_repr() {
            watchdog(|| {
                let sem = Semaphore::new(3);
                assert_eq!(format!("{sem:?}"), "Semaphore { available: 3 }");
                sem.acquire().forget();
                assert_eq!(format!("{sem:?}"), "Semaphore { available: 2 }");
                sem.release();
                sem.release();
                assert_eq!(format!("{sem:?}"), "Semaphore { available: 4 }");
            });
        }

        /// `BoundedSemaphoreTests.test_repr`.
        #[test]
        fn test_bounded_repr() {
            watchdog(|| {
                let sem = BoundedSemaphore::new(3);
                assert_eq!(
                    format!("{sem:?}"),
                    "BoundedSemaphore { available: 3, bound: 3 }"
                );
                let _permit = sem.acquire();
                assert_eq!(
                    format!("{sem:?}"),
                    "BoundedSemaphore { available: 2, bound: 3 }"
                );
            });
        }
    }
}

/// Shuttle models: `release` against a timed acquire and a stray release against a `forget`,
/// in every interleaving (`check_dfs`); `release_n` against two waiters, and guards against a
/// stray release, in sampled schedules (2,000 and 1,000 random, as many PCT). Shuttle's
/// `wait_timeout` never times out, so `acquire_timeout` is modelled as a wait that a release
/// must end (a lost wakeup is a deadlock, which shuttle reports); the timeout itself is tested
/// with real time above.
#[cfg(test)]
#[cfg(shuttle)]
mod models {
    use super::*;
    use shuttle::sync::Arc;
    use shuttle::thread;

    /// A permit given back (its guard dropped) against a waiter counting itself, in every
    /// interleaving: the drop notifies only when it finds a waiter counted, so a waiter that
    /// counted itself too late to be seen must see the permit instead.
    #[test]
    fn permit_drop_against_a_counting_waiter() {
        shuttle::check_dfs(
            || {
                let sem = Arc::new(Semaphore::new(1));
                let permit = sem.acquire();
                let waiter = {
                    let sem = Arc::clone(&sem);
                    thread::spawn(move || drop(sem.acquire()))
                };
                drop(permit);
                waiter.join().unwrap();
                assert_eq!(sem.available(), 1);
            },
            None,
        );
    }

    /// A `release` against an `acquire_timeout` on an empty semaphore, for both kinds: the
    /// waiter gets the permit, whichever comes first.
    #[test]
    fn release_against_timed_acquire() {
        shuttle::check_dfs(
            || {
                let sem = Arc::new(Semaphore::new(0));
                let waiter = {
                    let sem = Arc::clone(&sem);
                    thread::spawn(move || sem.acquire_timeout(Duration::from_secs(1)).is_some())
                };
                sem.release();
                assert!(waiter.join().unwrap());
                assert_eq!(sem.available(), 1);
            },
            None,
        );
        shuttle::check_dfs(
            || {
                let sem = Arc::new(BoundedSemaphore::new(1));
                sem.acquire().forget();
                let waiter = {
                    let sem = Arc::clone(&sem);
                    thread::spawn(move || sem.acquire_timeout(Duration::from_secs(1)).is_some())
                };
                assert_eq!(sem.release(), Ok(()));
                assert!(waiter.join().unwrap());
                assert_eq!(sem.available(), 1);
            },
            None,
        );
    }

    /// `release_n(2)` against two waiters, one timed: both get in, whatever the order (random
    /// and PCT schedules: the exhaustive search of three threads takes over half a minute).
    #[test]
    fn release_n_wakes_every_waiter_it_can() {
        let model = || {
            let sem = Arc::new(Semaphore::new(0));
            // Each waiter keeps its permit (forgets it), so no drop wakes the other one: the
            // release alone must wake both.
            let timed = {
                let sem = Arc::clone(&sem);
                thread::spawn(move || {
                    let permit = sem.acquire_timeout(Duration::from_secs(1));
                    permit.map(SemaphorePermit::forget).is_some()
                })
            };
            let blocking = {
                let sem = Arc::clone(&sem);
                thread::spawn(move || sem.acquire().forget())
            };
            sem.release_n(2);
            assert!(timed.join().unwrap());
            blocking.join().unwrap();
            assert_eq!(sem.available(), 0);
        };
        shuttle::check_random(model, 2_000);
        shuttle::check_pct(model, 2_000, 3);
    }

    /// A bounded semaphore of 1: a stray release races a thread that takes the permit and
    /// forgets it. The release is accepted exactly when the permit was out by then, and the
    /// count never passes the bound.
    #[test]
    fn a_stray_release_against_a_forget() {
        shuttle::check_dfs(
            || {
                let sem = Arc::new(BoundedSemaphore::new(1));
                let taker = {
                    let sem = Arc::clone(&sem);
                    thread::spawn(move || sem.acquire().forget())
                };
                let released = sem.release().is_ok();
                assert!(sem.available() <= 1);
                taker.join().unwrap();
                assert_eq!(sem.available(), usize::from(released));
            },
            None,
        );
    }

    /// Guards in and out against a stray release (random and PCT schedules): the release is
    /// always refused, since no permit is ever out without a guard.
    #[test]
    fn guards_against_a_stray_release() {
        let model = || {
            let sem = Arc::new(BoundedSemaphore::new(1));
            let worker = {
                let sem = Arc::clone(&sem);
                thread::spawn(move || {
                    drop(sem.acquire());
                    drop(
                        sem.acquire_timeout(Duration::from_secs(1))
                            .expect("never times out"),
                    );
                })
            };
            assert!(sem.release().is_err());
            worker.join().unwrap();
            assert_eq!(sem.available(), 1);
        };
        shuttle::check_random(model, 1_000);
        shuttle::check_pct(model, 1_000, 3);
    }
}
