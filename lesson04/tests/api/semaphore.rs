//! The tests of `lesson04/src/semaphore.rs` that use its public API only (moved here so that the
//! file a reader copies is the implementation).
//!
//! Every test that could block runs under a watchdog (`course::watchdog`): a hang fails that test
//! within seconds, with a message, instead of hanging the test binary.

use course::watchdog::watchdog;
use lesson04::semaphore::*;
use std::panic;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;
use std::time::Instant;

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
