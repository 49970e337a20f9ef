//! [`RLock`]: a re-entrant lock, which the thread holding it may acquire again.
//!
//! Python's `threading.RLock` lets a thread that already holds the lock acquire it again (a
//! plain `Lock` would wait for itself forever); it must release it as many times as it acquired
//! it. std has `ReentrantLock`, but it is still unstable, so here is one, std-only; copy this
//! file into a project as it is.
//!
//! | Python | here |
//! | --- | --- |
//! | `lock = threading.RLock()` | `let lock = RLock::new(())` |
//! | `lock.acquire()` | [`RLock::acquire`] → an [`RLockGuard`] |
//! | `lock.acquire(blocking=False)` | [`RLock::try_acquire`] → `Option<RLockGuard>` |
//! | `lock.acquire(timeout=t)` | [`RLock::acquire_timeout`] → `Option<RLockGuard>` |
//! | `lock.release()` | drop the guard; each guard releases one level |
//! | `with lock:` | `{ let _guard = lock.acquire(); ... }` |
//! | `lock.locked()` (3.14) | [`RLock::locked`] |
//! | `lock._is_owned()` | [`RLock::is_owned`] |
//!
//! The guards hand out shared references only (`&T`): the owning thread may hold several guards
//! at once, and two `&mut T` to the same data would break Rust's aliasing rule. To change the
//! data, put a thread-safe interior-mutable type in it (an atomic, or a `Mutex`), as with std's
//! `ReentrantLock`. A guard cannot move to another thread: only the owner may release the lock.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};
use std::time::Duration;

/// Who holds the lock, and how many times over.
#[derive(Debug)]
struct Owner {
    thread: Option<ThreadId>,
    depth: usize,
}

/// A re-entrant mutual exclusion lock: Python's `threading.RLock`.
pub struct RLock<T = ()> {
    owner: Mutex<Owner>,
    /// Signalled when the lock becomes free, to wake one waiter.
    released: Condvar,
    data: T,
}

impl<T> RLock<T> {
    /// Python: `threading.RLock()`. A new, unlocked re-entrant lock guarding `data`.
    pub fn new(data: T) -> Self {
        RLock {
            owner: Mutex::new(Owner {
                thread: None,
                depth: 0,
            }),
            released: Condvar::new(),
            data,
        }
    }

    /// Python: `lock.acquire()`. Returns at once if this thread already holds the lock (one
    /// level deeper); otherwise waits until no thread holds it.
    pub fn acquire(&self) -> RLockGuard<'_, T> {
        let me = thread::current().id();
        let owner = self.owner();
        let owner = self
            .released
            .wait_while(owner, |o| o.thread.is_some_and(|t| t != me))
            .unwrap_or_else(PoisonError::into_inner);
        self.enter(owner, me)
    }

    /// Python: `lock.acquire(blocking=False)`. `None` at once if another thread holds the lock.
    pub fn try_acquire(&self) -> Option<RLockGuard<'_, T>> {
        let me = thread::current().id();
        let owner = self.owner();
        if owner.thread.is_some_and(|t| t != me) {
            return None;
        }
        Some(self.enter(owner, me))
    }

    /// Python: `lock.acquire(timeout=t)`. Waits at most `timeout`; `None` if another thread
    /// still holds the lock by then (Python returns `False`).
    pub fn acquire_timeout(&self, timeout: Duration) -> Option<RLockGuard<'_, T>> {
        let me = thread::current().id();
        let owner = self.owner();
        let (owner, _) = self
            .released
            .wait_timeout_while(owner, timeout, |o| o.thread.is_some_and(|t| t != me))
            .unwrap_or_else(PoisonError::into_inner);
        if owner.thread.is_some_and(|t| t != me) {
            return None;
        }
        Some(self.enter(owner, me))
    }

    /// Python 3.14: `lock.locked()`. Whether any thread holds the lock right now.
    pub fn locked(&self) -> bool {
        self.owner().thread.is_some()
    }

    /// Python: `lock._is_owned()`. Whether the calling thread holds the lock.
    pub fn is_owned(&self) -> bool {
        self.owner().thread == Some(thread::current().id())
    }

    fn owner(&self) -> MutexGuard<'_, Owner> {
        self.owner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn enter(&self, mut owner: MutexGuard<'_, Owner>, me: ThreadId) -> RLockGuard<'_, T> {
        owner.thread = Some(me);
        owner.depth += 1;
        RLockGuard {
            lock: self,
            _not_send: PhantomData,
        }
    }
}

impl<T: Default> Default for RLock<T> {
    fn default() -> Self {
        RLock::new(T::default())
    }
}

impl<T> fmt::Debug for RLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let owner = self.owner();
        f.debug_struct("RLock")
            .field("owner", &owner.thread)
            .field("depth", &owner.depth)
            .finish_non_exhaustive()
    }
}

/// One level of ownership of an [`RLock`]. Dropping it is one Python `lock.release()`; the lock
/// is free again when the owner's last guard is dropped.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct RLockGuard<'a, T> {
    lock: &'a RLock<T>,
    /// A raw pointer is neither `Send` nor `Sync`: the guard stays on the owning thread.
    _not_send: PhantomData<*const ()>,
}

impl<T> Deref for RLockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.lock.data
    }
}

impl<T> Drop for RLockGuard<'_, T> {
    fn drop(&mut self) {
        let mut owner = self.lock.owner();
        owner.depth -= 1;
        if owner.depth == 0 {
            owner.thread = None;
            drop(owner);
            self.lock.released.notify_one();
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for RLockGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RLockGuard")
            .field("data", &self.lock.data)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Instant;

    #[test]
    fn held_several_times_by_one_thread_it_excludes_every_other() {
        // `inside` counts the threads inside the outermost section; `total` is updated with a
        // split read-modify-write that only exclusion keeps exact.
        let lock = RLock::new((AtomicUsize::new(0), AtomicUsize::new(0)));
        let (threads, rounds, depth) = (8, 300, 3);
        thread::scope(|s| {
            for id in 0..threads {
                let lock = &lock;
                s.spawn(move || {
                    for round in 0..rounds {
                        let mut guards = Vec::new();
                        let outer = lock.acquire();
                        let (inside, total) = &*outer;
                        assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0, "two owners");
                        for level in 1..depth {
                            // Re-enter by all three doors; none may wait for ourselves.
                            let guard = match (id + level) % 3 {
                                0 => lock.acquire(),
                                1 => lock.try_acquire().expect("the owner re-enters"),
                                _ => lock
                                    .acquire_timeout(Duration::ZERO)
                                    .expect("the owner re-enters"),
                            };
                            guards.push(guard);
                        }
                        let read = total.load(Ordering::SeqCst);
                        if round % 16 == 0 {
                            thread::yield_now();
                        }
                        total.store(read + 1, Ordering::SeqCst);
                        // Release the inner levels first: the lock must stay ours until the last.
                        guards.clear();
                        assert!(lock.is_owned());
                        let read = total.load(Ordering::SeqCst);
                        thread::yield_now();
                        total.store(read + 1, Ordering::SeqCst);
                        inside.fetch_sub(1, Ordering::SeqCst);
                        drop(outer);
                    }
                });
            }
        });
        assert_eq!(lock.data.1.load(Ordering::SeqCst), 2 * threads * rounds);
        assert!(!lock.locked());
    }

    #[test]
    fn other_threads_cannot_enter_until_the_last_release() {
        let lock = RLock::new(());
        let first = lock.acquire();
        let second = lock.acquire();
        thread::scope(|s| {
            s.spawn(|| assert!(lock.try_acquire().is_none()));
        });
        drop(first);
        assert!(lock.is_owned());
        thread::scope(|s| {
            s.spawn(|| {
                assert!(!lock.is_owned());
                assert!(lock.try_acquire().is_none());
            });
        });
        drop(second);
        assert!(!lock.locked());
        thread::scope(|s| {
            s.spawn(|| assert!(lock.try_acquire().is_some()));
        });
    }

    #[test]
    fn acquire_timeout_waits_its_bound_and_no_longer() {
        let lock = RLock::new(());
        let _held = lock.acquire();
        thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    let timeout = Duration::from_millis(200);
                    let start = Instant::now();
                    assert!(lock.acquire_timeout(timeout).is_none());
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
}
