//! Shuttle models: `cancel` against the deadline and against a waiting timer thread, in every
//! interleaving. Shuttle's `wait_timeout` never times out, so a timer with a real interval
//! never fires under shuttle: it is modelled as one that a cancel must end, and the deadline
//! race uses a zero interval, which the timer thread sees as passed at once. (The interval
//! itself is tested with real time above.)
//!
//! Loaded by `timer.rs` only under `--cfg shuttle` (`cargo xtask models`): a copy of
//! `timer.rs` never reads this file.

use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A zero interval: the timer thread and `cancel` race for the decision. The function runs
/// exactly when `cancel` says it lost, `is_finished` is true as soon as `cancel` returns,
/// and the thread ends.
#[test]
fn cancel_against_the_deadline() {
    shuttle::check_dfs(
        || {
            let ran = Arc::new(AtomicUsize::new(0));
            let counter = Arc::clone(&ran);
            let timer = Timer::start(Duration::ZERO, move || {
                counter.fetch_add(1, Ordering::SeqCst);
            });
            let won = timer.cancel();
            assert!(timer.is_finished());
            assert!(timer.join_timeout(Duration::from_secs(1)));
            timer.join().unwrap();
            assert_eq!(ran.load(Ordering::SeqCst), usize::from(!won));
        },
        None,
    );
}

/// A timer still waiting: `cancel` always wins, and wakes the timer thread, whichever of
/// the two runs first.
#[test]
fn cancel_against_a_waiting_timer() {
    shuttle::check_dfs(
        || {
            let timer = Timer::start(Duration::from_secs(60), || panic!("cancelled"));
            assert!(timer.cancel());
            assert!(timer.is_finished());
            timer.join().unwrap();
        },
        None,
    );
}
