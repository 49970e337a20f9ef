//! A run as the OS saw it: one lane per thread or process of the example's tree, each lane a
//! row of spans in which it was running or waiting, and the output lines as marks on the time
//! axis. Times are from the example's start, as [`crate::output::Line::at`] is.
//!
//! The lanes come from sampling `/proc` while the program runs (see [`sample`]); what sampling
//! can and cannot see is said there. Drawing is in [`terminal`] and [`svg`]: both take a
//! [`Timeline`] and return text, so this crate still prints nothing.

use std::time::Duration;

mod layout;
pub mod svg;
pub mod terminal;

/// One run, drawn as lanes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    /// From the example's start to the end of its last process.
    pub length: Duration,
    /// How often `/proc` was read: a wait or a run shorter than this may not be seen.
    pub period: Duration,
    /// One per thread or process, in the order they were first seen.
    pub lanes: Vec<Lane>,
    /// The output lines, in the order they were read.
    pub marks: Vec<Mark>,
}

/// One thread (or one process's main thread) of the example's tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// The process the thread belongs to (its thread group id).
    pub pid: i32,
    /// The thread's own id; equal to `pid` for a process's main thread.
    pub tid: i32,
    /// The name the program gave it (`/proc/PID/task/TID/comm`: `thread::Builder::name`
    /// sets it, cut to 15 bytes by Linux).
    pub name: String,
    pub kind: LaneKind,
    /// When it was first seen, and last seen alive.
    pub first_seen: Duration,
    pub last_seen: Duration,
    /// Whether it ended before the run did (a thread that returned, a process that exited or
    /// was killed), rather than being alive at the last sample.
    pub ended: bool,
    /// Consecutive spans, each in one state, from `first_seen` to `last_seen`.
    pub spans: Vec<Span>,
}

/// Whether a lane is a process (its main thread) or another thread of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaneKind {
    Process,
    Thread,
}

/// A stretch of a lane's life in one state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: Duration,
    pub to: Duration,
    pub state: State,
}

/// What a thread was doing between two samples: running (its CPU time grew, or the kernel
/// showed it runnable) or waiting (sleeping, blocked on a lock, a pipe, a child).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Running,
    Waiting,
}

/// One output line, where it falls on the time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub at: Duration,
    pub stream: Stream,
    pub text: String,
    /// The lane the line is drawn on: the example's main process unless the expected file
    /// maps the line to a lane (a pipe does not say which thread wrote to it).
    pub lane: Option<usize>,
}

/// Which stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Lane {
    /// The lane's state at `at`, or `None` outside its life.
    pub fn state_at(&self, at: Duration) -> Option<State> {
        self.spans
            .iter()
            .find(|span| span.from <= at && at < span.to)
            .map(|span| span.state)
    }

    /// How long the lane spent in `state`.
    pub fn time_in(&self, state: State) -> Duration {
        self.spans
            .iter()
            .filter(|span| span.state == state)
            .map(|span| span.to.saturating_sub(span.from))
            .sum()
    }
}

impl Timeline {
    /// How long `a` and `b` were both in `state` at once.
    pub fn together(&self, a: usize, b: usize, state: State) -> Duration {
        let mut both = Duration::ZERO;
        for x in self.lanes[a].spans.iter().filter(|s| s.state == state) {
            for y in self.lanes[b].spans.iter().filter(|s| s.state == state) {
                let from = x.from.max(y.from);
                let to = x.to.min(y.to);
                both += to.saturating_sub(from);
            }
        }
        both
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn lane(spans: &[(u64, u64, State)]) -> Lane {
        Lane {
            pid: 1,
            tid: 1,
            name: "main".into(),
            kind: LaneKind::Process,
            first_seen: ms(spans[0].0),
            last_seen: ms(spans[spans.len() - 1].1),
            ended: true,
            spans: spans
                .iter()
                .map(|&(from, to, state)| Span {
                    from: ms(from),
                    to: ms(to),
                    state,
                })
                .collect(),
        }
    }

    #[test]
    fn a_lane_says_its_state_inside_its_life_only() {
        use State::*;
        let lane = lane(&[(10, 50, Running), (50, 80, Waiting)]);
        assert_eq!(lane.state_at(ms(5)), None);
        assert_eq!(lane.state_at(ms(10)), Some(Running));
        assert_eq!(lane.state_at(ms(50)), Some(Waiting));
        assert_eq!(lane.state_at(ms(80)), None);
        assert_eq!(lane.time_in(Running), ms(40));
        assert_eq!(lane.time_in(Waiting), ms(30));
    }

    #[test]
    fn together_counts_only_the_overlap_in_that_state() {
        use State::*;
        let timeline = Timeline {
            length: ms(100),
            period: ms(5),
            lanes: vec![
                lane(&[(0, 20, Waiting), (20, 60, Running), (60, 100, Waiting)]),
                lane(&[(0, 40, Waiting), (40, 100, Running)]),
            ],
            marks: Vec::new(),
        };
        assert_eq!(timeline.together(0, 1, Running), ms(20));
        assert_eq!(timeline.together(0, 1, Waiting), ms(20));
    }
}
