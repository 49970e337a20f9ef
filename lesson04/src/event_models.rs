//! Shuttle models of `set`/`clear` against `wait`: a `set` against two waiters in every
//! interleaving (`check_dfs`), and a pulse in 2,000 random and 2,000 PCT schedules. Shuttle's
//! `wait_timeout` never times out, so a timed wait is modelled as one that must be ended by a
//! `set` (the timeout itself is tested with real time above).
//!
//! Loaded by `event.rs` only under `--cfg shuttle` (`cargo xtask models`): a copy of
//! `event.rs` never reads this file.

use super::*;
use shuttle::sync::Arc;
use shuttle::thread;

/// A `set` against two waiters, one of each kind, in every order (exhaustive): each wait
/// ends and says `true`, whether it began before or after the `set`.
#[test]
fn set_against_waiters() {
    shuttle::check_dfs(
        || {
            let event = Arc::new(Event::new());
            let bounded = {
                let event = Arc::clone(&event);
                thread::spawn(move || event.wait_timeout(Duration::from_secs(1)))
            };
            let unbounded = {
                let event = Arc::clone(&event);
                thread::spawn(move || event.wait())
            };
            event.set();
            assert!(bounded.join().unwrap());
            unbounded.join().unwrap();
            assert!(event.is_set());
            assert_eq!(event.state().waiters, 0);
        },
        None,
    );
}

/// Defect 1: a `set` then at once a `clear` against two waiters already blocked, one of
/// each kind. Each wait must end (a lost pulse is a deadlock, which shuttle reports), and
/// the timed one says `true`. Main spins (yielding) until both block, so the search is
/// random and PCT rather than exhaustive: DFS would explore the spin without end.
#[test]
fn a_pulse_against_blocked_waiters() {
    let model = || {
        let event = Arc::new(Event::new());
        let bounded = {
            let event = Arc::clone(&event);
            thread::spawn(move || event.wait_timeout(Duration::from_secs(1)))
        };
        let unbounded = {
            let event = Arc::clone(&event);
            thread::spawn(move || event.wait())
        };
        while event.state().waiters < 2 {
            thread::yield_now();
        }
        event.set();
        event.clear();
        assert!(bounded.join().unwrap(), "a timed wait missed the pulse");
        unbounded.join().unwrap();
        assert!(!event.is_set());
        assert_eq!(event.state().waiters, 0);
    };
    shuttle::check_random(model, 2_000);
    shuttle::check_pct(model, 2_000, 3);
}
