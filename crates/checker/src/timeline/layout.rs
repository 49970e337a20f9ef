//! What the terminal and SVG drawings share: which lanes get a row and in what order, each
//! row's state per column, the time axis's ticks, and the program's text made safe to show.

use super::{Lane, LaneKind, State, Timeline};
use crate::output::printable;
use std::time::Duration;

/// The most lanes a drawing gives a row: 20 rows still fit a terminal screen beside the axis
/// and the output lines, and a 40-thread run's shape (all waiting, all running) shows in its
/// first 20 lanes. The rest are counted in a row of their own.
pub(super) const MAX_ROWS: usize = 20;

/// One lane's row.
#[derive(Debug)]
pub(super) struct Row<'a> {
    /// Its index in `Timeline::lanes`.
    pub index: usize,
    pub lane: &'a Lane,
    /// The name the program gave it, made safe to show ([`clean`]).
    pub name: String,
    /// The id shown beside the name: a process's pid, and a thread's tid where another lane
    /// of its process has the same name (a thread the program did not name inherits the name
    /// of the thread that started it); none for a lane with no OS id (pid 0).
    pub id: Option<i32>,
    /// A thread, drawn indented under its process.
    pub thread: bool,
}

/// The rows a drawing shows, and what it left out.
#[derive(Debug)]
pub(super) struct Rows<'a> {
    pub shown: Vec<Row<'a>>,
    pub left_out_processes: usize,
    pub left_out_threads: usize,
}

impl Rows<'_> {
    /// `21 more threads not shown`, or `None` when every lane has a row.
    pub fn left_out(&self) -> Option<String> {
        let (p, t) = (self.left_out_processes, self.left_out_threads);
        match (p, t) {
            (0, 0) => None,
            (0, t) => Some(format!("{t} more {} not shown", plural(t, "thread"))),
            (p, 0) => Some(format!("{p} more {} not shown", plural(p, "process"))),
            (p, t) => Some(format!(
                "{p} more {} and {t} more {} not shown",
                plural(p, "process"),
                plural(t, "thread")
            )),
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    match (n, word) {
        (1, _) => word.to_string(),
        (_, "process") => "processes".to_string(),
        _ => format!("{word}s"),
    }
}

/// The lanes in drawing order: each process, in the order first seen, with its threads under
/// it. Past [`MAX_ROWS`], processes keep their rows first, then the threads seen first.
pub(super) fn rows(timeline: &Timeline) -> Rows<'_> {
    let lanes = &timeline.lanes;
    let is_process = |lane: &Lane| lane.kind() == LaneKind::Process;
    let mut keep = vec![false; lanes.len()];
    let mut room = MAX_ROWS;
    for pass_processes in [true, false] {
        for (i, lane) in lanes.iter().enumerate() {
            if room > 0 && is_process(lane) == pass_processes {
                keep[i] = true;
                room -= 1;
            }
        }
    }
    let mut pids: Vec<i32> = Vec::new();
    for lane in lanes {
        if !pids.contains(&lane.pid) {
            pids.push(lane.pid);
        }
    }
    let mut shown = Vec::new();
    for pid in pids {
        let group: Vec<usize> = (0..lanes.len()).filter(|&i| lanes[i].pid == pid).collect();
        let order = group
            .iter()
            .filter(|&&i| is_process(&lanes[i]))
            .chain(group.iter().filter(|&&i| !is_process(&lanes[i])));
        for &i in order {
            if !keep[i] {
                continue;
            }
            let lane = &lanes[i];
            let thread = !is_process(lane);
            let same_name = group
                .iter()
                .filter(|&&j| j != i && lanes[j].name == lane.name)
                .count();
            // A lane drawn from figures rather than recorded (pid 0) has no OS id to show.
            let id = if (!thread || same_name > 0) && lane.pid > 0 {
                Some(lane.tid)
            } else {
                None
            };
            shown.push(Row {
                index: i,
                lane,
                name: clean(&lane.name),
                id,
                thread,
            });
        }
    }
    let left = |process: bool| {
        (0..lanes.len())
            .filter(|&i| !keep[i] && is_process(&lanes[i]) == process)
            .count()
    };
    Rows {
        shown,
        left_out_processes: left(true),
        left_out_threads: left(false),
    }
}

/// Where the drawing's time axis ends: the run's length, or later if a lane or a line was
/// recorded after it (a line read just after the last process ended).
pub(super) fn end(timeline: &Timeline) -> Duration {
    let lanes = timeline.lanes.iter().map(|lane| lane.last_seen);
    let spans = timeline
        .lanes
        .iter()
        .flat_map(|lane| lane.spans.iter().map(|span| span.to));
    let marks = timeline.marks.iter().map(|mark| mark.at);
    lanes
        .chain(spans)
        .chain(marks)
        .fold(timeline.length, Duration::max)
}

/// The lane a line is drawn on: the one the line is mapped to, else the example's main
/// process (the first process seen), else the first lane.
pub(super) fn lane_of(timeline: &Timeline, mark: &super::Mark) -> Option<usize> {
    mark.lane.filter(|&i| i < timeline.lanes.len()).or_else(|| {
        let first = timeline
            .lanes
            .iter()
            .position(|lane| lane.kind() == LaneKind::Process);
        first.or((!timeline.lanes.is_empty()).then_some(0))
    })
}

/// The column of `0..columns` that holds the moment `at` of a drawing `end` long.
pub(super) fn column(at: Duration, end: Duration, columns: usize) -> usize {
    let end = end.as_nanos().max(1);
    let at = at.as_nanos().min(end);
    ((at * columns as u128 / end) as usize).min(columns.saturating_sub(1))
}

/// The lane's state in each of `columns` equal columns of `0..end`, `None` where it was not
/// alive.
///
/// A column that holds several states shows running if the lane ran more of it than it did
/// not, as with two states; else the larger of blocked and waiting (waiting on a tie, as it
/// claims the least). Not "running if it ran at all": two threads that take turns faster than
/// a column is wide (CPython's threads under the GIL, workers under one lock) would then both
/// look like they run the whole time, the very shape the course wants told apart from running
/// at once. Nor running by the largest of three shares, which could be under half: with more
/// than half, two threads in strict turns can never both show running in one column. The
/// cost: a run shorter than half a column (a sleeper waking to print) does not show; the
/// output marks show those moments.
pub(super) fn cells(lane: &Lane, end: Duration, columns: usize) -> Vec<Option<State>> {
    let total = end.as_nanos().max(1);
    let n = columns as u128;
    let mut running = vec![0u128; columns];
    let mut blocked = vec![0u128; columns];
    let mut waiting = vec![0u128; columns];
    for span in &lane.spans {
        let from = span.from.as_nanos().min(total);
        let to = span.to.as_nanos().clamp(from, total);
        let first = column(span.from, end, columns);
        let last = if to > from {
            column(Duration::from_nanos((to - 1) as u64), end, columns)
        } else {
            first
        };
        for c in first..=last {
            let (a, b) = (c as u128 * total / n, (c as u128 + 1) * total / n);
            // At least 1 ns: a span the sampler saw only once still shows in its column.
            let share = to.min(b).saturating_sub(from.max(a)).max(1);
            match span.state {
                State::Running => running[c] += share,
                State::Blocked => blocked[c] += share,
                State::Waiting => waiting[c] += share,
            }
        }
    }
    (0..columns)
        .map(|c| match (running[c], blocked[c], waiting[c]) {
            (0, 0, 0) => None,
            (r, b, w) if r > b + w => Some(State::Running),
            (_, b, w) if b > w => Some(State::Blocked),
            _ => Some(State::Waiting),
        })
        .collect()
}

/// The time axis's ticks over `0..=end`, as (time, label in seconds): the closest of 1, 2 or
/// 5 times a power of ten apart that leaves five characters between labels. `length` is the
/// axis's length and `char_width` a label character's, in the same unit (columns, pixels).
pub(super) fn ticks(end: Duration, length: f64, char_width: f64) -> Vec<(Duration, String)> {
    let end_ms = end.as_millis().max(1) as u64;
    let label = |ms: u64, step_ms: u64| {
        let decimals = match step_ms {
            1000.. => 0,
            100.. => 1,
            10.. => 2,
            _ => 3,
        };
        if ms == 0 {
            "0".to_string()
        } else {
            format!("{:.decimals$}", ms as f64 / 1000.0)
        }
    };
    let fits = |step_ms: u64| {
        let widest = label(end_ms - end_ms % step_ms, step_ms).len();
        length * step_ms as f64 / end_ms as f64 >= (widest + 5) as f64 * char_width
    };
    let step_ms = (0..12u32)
        .flat_map(|power| [1u64, 2, 5].map(|m| m * 10u64.pow(power)))
        .find(|&step_ms| step_ms >= end_ms || fits(step_ms))
        .unwrap_or(end_ms);
    // `filter`: a run shorter than a millisecond has only the tick at 0.
    (0..=end_ms / step_ms)
        .map(|i| {
            (
                Duration::from_millis(i * step_ms),
                label(i * step_ms, step_ms),
            )
        })
        .filter(|(at, _)| *at <= end)
        .collect()
}

/// A program's text (a lane's name, an output line) as it may be shown: no control character
/// ([`printable`]; running it on text already made printable changes nothing), and a tab as
/// a space, so a row's columns stay where they are.
pub(super) fn clean(text: &str) -> String {
    printable(text.as_bytes()).replace('\t', " ")
}

/// How many terminal columns `c` takes: 0 for a combining mark or a zero-width character, 2
/// for the wide East Asian scripts and most emoji, 1 otherwise. The common ranges only (no
/// Unicode tables here); a character it misjudges shifts its own row by a column.
pub(super) fn char_columns(c: char) -> usize {
    match u32::from(c) {
        0x0300..=0x036F
        | 0x1AB0..=0x1AFF
        | 0x1DC0..=0x1DFF
        | 0x200B..=0x200F
        | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F
        | 0xFE20..=0xFE2F => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// How many terminal columns `text` takes.
pub(super) fn columns(text: &str) -> usize {
    text.chars().map(char_columns).sum()
}

/// `text` cut to `room` columns, with `…` where it was cut.
pub(super) fn cut(text: &str, room: usize) -> String {
    if columns(text) <= room {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_columns(c);
        if used + w + 1 > room {
            break;
        }
        out.push(c);
        used += w;
    }
    if room > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{lane, ms};
    use super::*;

    #[test]
    fn a_column_shows_the_state_the_lane_spent_more_of_it_in() {
        use State::*;
        // Columns of 10 ms over 0..50 ms.
        let a = lane(&[(10, 16, Running), (16, 26, Waiting), (26, 30, Running)]);
        assert_eq!(
            cells(&a, ms(50), 5),
            [None, Some(Running), Some(Waiting), None, None]
        );
        // Two lanes in strict turns, 5 ms each: never both running in one column.
        let turns = |first: State, second: State| {
            let spans: Vec<(u64, u64, State)> = (0..10)
                .map(|i| (i * 5, i * 5 + 5, if i % 2 == 0 { first } else { second }))
                .collect();
            cells(&lane(&spans), ms(50), 5)
        };
        let (x, y) = (turns(Running, Waiting), turns(Waiting, Running));
        for (x, y) in x.iter().zip(&y) {
            assert!(!(*x == Some(Running) && *y == Some(Running)), "{x:?} {y:?}");
        }
        // A span seen at a single sample still shows.
        let blip = lane(&[(42, 42, Running)]);
        assert_eq!(cells(&blip, ms(50), 5)[4], Some(Running));
    }

    #[test]
    fn a_lane_with_no_os_id_shows_none() {
        let recorded = lane(&[(0, 10, State::Running)]);
        let drawn = Lane {
            pid: 0,
            tid: 0,
            ..recorded.clone()
        };
        let drawn_thread = Lane {
            pid: 0,
            tid: 2,
            name: "Thread-1".into(),
            ..recorded.clone()
        };
        let ids = |lane: Lane| {
            let timeline = Timeline {
                length: ms(10),
                lanes: vec![lane],
                ..Timeline::default()
            };
            rows(&timeline).shown[0].id
        };
        assert_eq!(ids(recorded), Some(1));
        assert_eq!(ids(drawn.clone()), None);
        let timeline = Timeline {
            length: ms(10),
            lanes: vec![drawn, drawn_thread],
            ..Timeline::default()
        };
        let shown = rows(&timeline).shown;
        assert_eq!((shown[1].id, shown[1].thread), (None, true));
    }

    #[test]
    fn a_column_shows_running_only_for_more_than_half_of_it_then_the_larger_wait() {
        use State::*;
        // Columns of 10 ms: 4 ms running is the largest share of the first column, not half.
        let a = lane(&[
            (0, 4, Running),
            (4, 8, Blocked),
            (8, 10, Waiting),
            (10, 16, Running),
            (16, 20, Blocked),
            (20, 24, Blocked),
            (24, 30, Waiting),
            (30, 35, Blocked),
            (35, 40, Waiting),
        ]);
        assert_eq!(
            cells(&a, ms(40), 4),
            [Some(Blocked), Some(Running), Some(Waiting), Some(Waiting)]
        );
        // Strict turns: 4 ms running, then blocked and waiting, against the other lane's
        // 6 ms running: never both running in one column.
        let x = lane(&[(0, 4, Running), (4, 8, Blocked), (8, 10, Waiting)]);
        let y = lane(&[(0, 4, Blocked), (4, 10, Running)]);
        assert_eq!(cells(&x, ms(10), 1), [Some(Blocked)]);
        assert_eq!(cells(&y, ms(10), 1), [Some(Running)]);
    }

    #[test]
    fn ticks_are_one_two_or_five_apart_with_room_for_their_labels() {
        let labels = |end: u64, length: f64| -> Vec<String> {
            ticks(ms(end), length, 1.0)
                .into_iter()
                .map(|(_, label)| label)
                .collect()
        };
        assert_eq!(
            labels(3000, 80.0),
            ["0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"]
        );
        assert_eq!(labels(3000, 40.0), ["0", "1", "2", "3"]);
        assert_eq!(
            labels(120, 80.0),
            ["0", "0.02", "0.04", "0.06", "0.08", "0.10", "0.12"]
        );
        assert_eq!(labels(95_000, 40.0), ["0", "20", "40", "60", "80"]);
        let short = ticks(Duration::from_micros(500), 80.0, 1.0);
        assert_eq!(short, [(Duration::ZERO, "0".to_string())]);
    }

    #[test]
    fn cut_counts_wide_characters_twice() {
        assert_eq!(cut("worker 1", 8), "worker 1");
        assert_eq!(cut("worker 10", 8), "worker …");
        assert_eq!(columns("線程"), 4);
        assert_eq!(cut("線程線程", 5), "線程…");
        assert_eq!(clean("a\tb\u{1b}[31m"), "a b\\e[31m");
    }
}
