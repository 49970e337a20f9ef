//! The tests of `lesson04/src/timer.rs` that use its public API only (moved here so that the
//! file a reader copies is the implementation).
//!
//! Every test that could block runs under a watchdog (`course::watchdog`): a hang fails that test
//! within seconds, with a message, instead of hanging the test binary.

use course::watchdog::watchdog;
use lesson04::timer::*;
use std::panic;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

#[test]
fn a_cancelled_timer_never_runs_even_when_cancel_races_the_deadline() {
    // Many rounds where cancel lands around the deadline: each time, `cancel` says who won,
    // and the function ran exactly when the deadline won.
    watchdog(|| {
        let (mut won, mut lost) = (0, 0);
        for round in 0..400u64 {
            let ran = Arc::new(AtomicUsize::new(0));
            let counter = Arc::clone(&ran);
            let delay = Duration::from_micros(round % 20 * 50);
            let timer = Timer::start(delay, move || {
                counter.fetch_add(1, Ordering::SeqCst);
            });
            thread::sleep(Duration::from_micros((round * 7) % 20 * 50));
            let cancelled = timer.cancel();
            assert!(
                timer.is_finished(),
                "round {round}: cancelled, yet not finished"
            );
            timer.join().unwrap();
            let runs = ran.load(Ordering::SeqCst);
            if cancelled {
                won += 1;
                assert_eq!(runs, 0, "round {round}: cancelled, yet the function ran");
            } else {
                lost += 1;
                assert_eq!(
                    runs, 1,
                    "round {round}: fired, yet the function did not run"
                );
            }
        }
        assert!(
            won > 0 && lost > 0,
            "the race was not exercised: {won} won, {lost} lost"
        );
    });
}

#[test]
fn many_cancelled_timers_never_run() {
    watchdog(|| {
        let ran = Arc::new(AtomicUsize::new(0));
        let timers: Vec<Timer> = (0..50)
            .map(|_| {
                let ran = Arc::clone(&ran);
                Timer::start(Duration::from_millis(200), move || {
                    ran.fetch_add(1, Ordering::SeqCst);
                })
            })
            .collect();
        thread::scope(|s| {
            for timer in &timers {
                s.spawn(move || assert!(timer.cancel()));
            }
        });
        for timer in &timers {
            assert!(timer.cancel(), "a second cancel still reports the win");
        }
        for timer in timers {
            timer.join().unwrap();
        }
        thread::sleep(Duration::from_millis(300));
        assert_eq!(ran.load(Ordering::SeqCst), 0);
    });
}

#[test]
fn is_finished_at_once_after_cancel() {
    // Python's `cancel()` sets `finished` itself; this one used to leave it to the timer
    // thread, so `is_finished()` stayed false until that thread woke.
    watchdog(|| {
        for round in 0..50 {
            let timer = Timer::start(Duration::from_secs(30), || {});
            assert!(
                !timer.is_finished(),
                "round {round}: finished before anything"
            );
            assert!(timer.cancel());
            assert!(
                timer.is_finished(),
                "round {round}: cancelled, yet not finished"
            );
            assert!(timer.join_timeout(Duration::from_secs(5)));
            timer.join().unwrap();
        }
    });
}

#[test]
fn a_lost_cancel_finishes_the_timer_too() {
    // As in Python, `finished` is set by any cancel, even one that comes while the function
    // runs; the timer thread is still alive, as `join_timeout` shows.
    watchdog(|| {
        let (started, running) = mpsc::channel();
        let (finish, finished) = mpsc::channel::<()>();
        let timer = Timer::start(Duration::ZERO, move || {
            started.send(()).unwrap();
            finished.recv().unwrap();
        });
        running.recv().unwrap();
        assert!(!timer.is_finished(), "the function still runs");
        assert!(!timer.cancel(), "too late to cancel");
        assert!(timer.is_finished());
        assert!(!timer.join_timeout(Duration::from_millis(50)));
        finish.send(()).unwrap();
        assert!(timer.join_timeout(Duration::from_secs(5)));
        timer.join().unwrap();
    });
}

#[test]
fn a_timer_fires_after_its_delay_and_not_before() {
    watchdog(|| {
        let start = Instant::now();
        let fired_at = Arc::new(Mutex::new(None));
        let slot = Arc::clone(&fired_at);
        let delay = Duration::from_millis(200);
        let timer = Timer::start(delay, move || {
            *slot.lock().unwrap() = Some(start.elapsed());
        });
        assert!(!timer.is_finished());
        assert!(!timer.join_timeout(Duration::from_millis(50)));
        assert!(!timer.is_finished());
        assert!(timer.join_timeout(Duration::from_secs(5)));
        assert!(timer.is_finished());
        assert!(!timer.cancel(), "too late to cancel");
        timer.join().unwrap();
        let at = fired_at.lock().unwrap().expect("the function ran");
        assert!(at >= delay, "fired early: {at:?}");
        assert!(at < delay + Duration::from_secs(1), "fired late: {at:?}");
    });
}

#[test]
fn join_timeout_waits_its_bound_and_no_longer() {
    watchdog(|| {
        let timer = Timer::start(Duration::from_secs(30), || {});
        let timeout = Duration::from_millis(200);
        let start = Instant::now();
        assert!(!timer.join_timeout(timeout));
        let waited = start.elapsed();
        assert!(waited >= timeout, "gave up early: {waited:?}");
        assert!(
            waited < timeout + Duration::from_secs(1),
            "too late: {waited:?}"
        );
        assert!(timer.cancel());
        assert!(
            timer.join_timeout(Duration::from_secs(5)),
            "a cancel ends the thread at once"
        );
        timer.join().unwrap();
    });
}

#[test]
fn a_panicking_function_still_finishes_the_timer() {
    watchdog(|| {
        let timer = Timer::start(Duration::ZERO, || panic!("boom"));
        assert!(timer.join_timeout(Duration::from_secs(5)));
        assert!(timer.is_finished());
        assert!(timer.join().is_err());
    });
}

#[test]
fn an_interval_too_long_for_the_clock_means_never() {
    watchdog(|| {
        let timer = Timer::start(Duration::MAX, || panic!("must not run"));
        assert!(!timer.join_timeout(Duration::from_millis(20)));
        assert!(timer.cancel());
        timer.join().unwrap();
    });
}

#[test]
fn a_timer_shows_its_phase() {
    watchdog(|| {
        let timer = Timer::start(Duration::from_secs(30), || {});
        assert_eq!(
            format!("{timer:?}"),
            "Timer { phase: Waiting, finished: false, .. }"
        );
        timer.cancel();
        assert_eq!(
            format!("{timer:?}"),
            "Timer { phase: Cancelled, finished: true, .. }"
        );
        timer.join().unwrap();
    });
}
