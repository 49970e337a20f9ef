//! A run as the OS saw it: one lane per thread or process of the example's tree, each lane a
//! row of spans in which it was running, blocked on another thread, or waiting (asleep, on IO),
//! and the output lines as marks on the time axis. Times are from the example's start, as [`crate::output::Line::at`] is.
//!
//! The lanes come from sampling `/proc` while the program runs (see [`sample`]); what sampling
//! can and cannot see is said there. Drawing is in [`terminal`] and [`svg`]: both take a
//! [`Timeline`] and return text, so this crate still prints nothing.

pub mod sample;

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
    /// The process the thread belongs to (its thread group id); 0 for a lane drawn from
    /// figures rather than recorded, which the drawings show without an id.
    pub pid: i32,
    /// The thread's own id; equal to `pid` for a process's main thread.
    pub tid: i32,
    /// The name the program gave it (`/proc/PID/task/TID/comm`: `thread::Builder::name`
    /// sets it, cut to 15 bytes by Linux).
    pub name: String,
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

impl Lane {
    /// A process's main thread when its thread id is the process's, another thread else.
    pub fn kind(&self) -> LaneKind {
        if self.tid == self.pid {
            LaneKind::Process
        } else {
            LaneKind::Thread
        }
    }
}

/// A stretch of a lane's life in one state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: Duration,
    pub to: Duration,
    pub state: State,
}

/// What a thread was doing between two samples (see [`sample`] for how each is told).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// On a core for at least half the time between them, or runnable at both.
    Running,
    /// Off the cores, in a wait for another thread of the program: a lock, a condition
    /// variable, a barrier, a semaphore, a join, a channel. On Linux all of these wait in the
    /// futex system call, and that is what the sampler sees: a wait in a futex by any code
    /// (a library's own lock or channel too) is drawn blocked.
    Blocked,
    /// Off the cores for anything else: asleep in a timer, waiting on IO (a pipe, a socket,
    /// a child process), stopped; also a wait the sampler could not name (see [`sample`]).
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

pub use crate::output::Stream;

impl Lane {
    /// How far `at` is from the lane's life: zero inside it.
    pub fn distance(&self, at: Duration) -> Duration {
        if at < self.first_seen {
            self.first_seen - at
        } else {
            at.saturating_sub(self.last_seen)
        }
    }

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
    /// Moves output lines to the lanes of the threads that wrote them, as far as `name_of`
    /// knows: for each line it returns the name of the thread that printed it (e.g. from an
    /// expected file's pattern: `Thread {int}` to the thread named `Thread 3`), or `None` to
    /// leave the line where it is. The name is compared as Linux keeps it (its first 15
    /// bytes, see [`comm_name`]); of several lanes so named, the line goes to the one alive
    /// when it was read, or else nearest to it in time (the first of equals). A name no lane
    /// has leaves the line where it is.
    pub fn mark_lanes(&mut self, name_of: impl Fn(&str) -> Option<String>) {
        for mark in &mut self.marks {
            let Some(name) = name_of(&mark.text) else {
                continue;
            };
            let name = comm_name(&name);
            let nearest = self
                .lanes
                .iter()
                .enumerate()
                .filter(|(_, lane)| lane.name == name)
                .min_by_key(|(_, lane)| lane.distance(mark.at))
                .map(|(index, _)| index);
            if nearest.is_some() {
                mark.lane = nearest;
            }
        }
    }

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

/// A thread's name as a lane shows it: Linux keeps the first 15 bytes of a thread's name
/// (`TASK_COMM_LEN` is 16, with the closing NUL), and the lane shows them as printable text.
pub fn comm_name(name: &str) -> String {
    let bytes = name.as_bytes();
    crate::output::printable(&bytes[..bytes.len().min(15)])
}

/// Hand-made lanes for the tests of this module and of the drawings.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    pub(crate) fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// A process lane of `(from ms, to ms, state)` spans.
    pub(crate) fn lane(spans: &[(u64, u64, State)]) -> Lane {
        Lane {
            pid: 1,
            tid: 1,
            name: "main".into(),
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
}

#[cfg(test)]
mod tests {
    use super::fixtures::{lane, ms};
    use super::*;

    #[test]
    fn a_lane_says_its_state_inside_its_life_only() {
        use State::*;
        let lane = lane(&[(10, 50, Running), (50, 80, Waiting), (80, 95, Blocked)]);
        assert_eq!(lane.state_at(ms(5)), None);
        assert_eq!(lane.state_at(ms(10)), Some(Running));
        assert_eq!(lane.state_at(ms(50)), Some(Waiting));
        assert_eq!(lane.state_at(ms(80)), Some(Blocked));
        assert_eq!(lane.state_at(ms(95)), None);
        assert_eq!(lane.time_in(Running), ms(40));
        assert_eq!(lane.time_in(Waiting), ms(30));
        assert_eq!(lane.time_in(Blocked), ms(15));
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
