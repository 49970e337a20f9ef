//! CPython's shape beside Rust's, on the lesson01 pages whose claim the course has CPython
//! 3.11's figures for (lesson01/README.md, "Python's figures and Rust's"): a timeline built
//! from those figures, a model drawn with the same lanes as a recorded run, never a recording.
//!
//! The GIL lets one thread at a time run Python code, and a thread that wants it asks the
//! holder to let go after the switch interval, 5 ms by default (`sys.getswitchinterval()`;
//! `DEFAULT_INTERVAL 5000` microseconds in CPython's Python/ceval_gil.c). Turns of 5 ms over
//! two seconds are thinner than a pixel at the book's 750 px, where a column holding two
//! threads' alternating turns shows neither as running (`timeline::svg` gives a column the
//! state that filled most of it). So the turns are drawn [`TURN`] long, and the caption says
//! so: each thread still runs half the time and never beside the other, which is the shape.

use checker::timeline::{Lane, Mark, Span, State, Stream, Timeline};
use std::time::Duration;

/// The title of every CPython drawing; the book's check tells it from the run's own by its
/// start (`booktools::browser::CPYTHON_TITLE_START`).
pub const TITLE: &str = "CPython 3.11, drawn from the figures in lesson01's README, not recorded";

/// How long a GIL turn is drawn: 20 times CPython's 5 ms, about 15 px in the drawing.
const TURN: Duration = Duration::from_millis(100);

/// The examples with a CPython drawing, all of lesson01.
pub const EXAMPLES: [&str; 3] = [
    "two_cpu_threads",
    "io_bound_serial_vs_threads",
    "cpu_bound_threads",
];

/// A drawing of CPython's run and what its caption says.
#[derive(Debug)]
pub struct Model {
    pub timeline: Timeline,
    pub caption: String,
}

/// CPython's shape for lesson01's `example`, where the course has the figures.
pub fn model(package: &str, example: &str) -> Option<Model> {
    match (package, example) {
        ("lesson01", "io_bound_serial_vs_threads") => Some(io_bound()),
        // two_cpu_threads is the same program as the script behind these figures, two tasks
        // one after the other then two threads (lesson01's README: "CPython 3.11 showed
        // 1.04-1.15x for the same program").
        ("lesson01", "cpu_bound_threads" | "two_cpu_threads") => Some(cpu_bound()),
        _ => None,
    }
}

/// The book pages that show a CPython drawing.
pub fn pages() -> Vec<String> {
    EXAMPLES
        .iter()
        .map(|name| format!("lesson01/{name}.md"))
        .collect()
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A lane with no OS id (pid 0: the drawings show none), from its spans; `tid` only tells
/// the threads from the main one (0).
fn lane(name: &str, tid: i32, spans: Vec<Span>) -> Lane {
    Lane {
        pid: 0,
        tid,
        name: name.into(),
        first_seen: spans.first().map_or(Duration::ZERO, |s| s.from),
        last_seen: spans.last().map_or(Duration::ZERO, |s| s.to),
        ended: true,
        spans,
    }
}

/// The main thread: in `serial_state` while it does the serial part itself, then blocked
/// joining the threads until `end`.
fn main_thread(serial_state: State, serial: Duration, end: Duration) -> Lane {
    lane(
        "MainThread",
        0,
        vec![
            span(Duration::ZERO, serial, serial_state),
            span(serial, end, State::Blocked),
        ],
    )
}

fn span(from: Duration, to: Duration, state: State) -> Span {
    Span { from, to, state }
}

/// A line of the figures, on the main thread's lane.
fn mark(at: Duration, text: &str) -> Mark {
    Mark {
        at,
        stream: Stream::Stdout,
        text: text.into(),
        lane: Some(0),
    }
}

/// Ten 0.2 s waits: 2.02 s one after another on the main thread, then 0.22 s in ten threads
/// waiting together (the 0.02 s beyond the wait: starting and joining them).
fn io_bound() -> Model {
    let (serial, threaded, wait) = (ms(2020), ms(220), ms(200));
    let end = serial + threaded;
    // The main thread sleeps through the serial waits.
    let mut lanes = vec![main_thread(State::Waiting, serial, end)];
    for n in 1..=10 {
        lanes.push(lane(
            &format!("Thread-{n}"),
            n,
            vec![span(serial, serial + wait, State::Waiting)],
        ));
    }
    two_phases(
        lanes,
        (serial, "serial: 10 waits of 0.2 s took 2.02 s"),
        (end, "threads: 10 waits of 0.2 s took 0.22 s"),
        "CPython 3.11 on 2 cores, drawn from the figures in lesson01's README (serial 2.02 s, \
         threads 0.22 s), not recorded: a thread that waits lets go of the GIL, so Python's \
         ten waits overlap as Rust's do."
            .into(),
    )
}

/// Two CPU-bound tasks: one after the other on the main thread, then in two threads that take
/// turns under the GIL. The figures are ranges (serial 2.13-2.24 s, threads 1.85-2.15 s);
/// each is drawn at its middle.
fn cpu_bound() -> Model {
    let serial = ms((2130 + 2240) / 2);
    let threaded = ms((1850 + 2150) / 2);
    let end = serial + threaded;
    let mut lanes = vec![main_thread(State::Running, serial, end)];
    for (n, first) in [(1, State::Running), (2, State::Blocked)] {
        lanes.push(lane(&format!("Thread-{n}"), n, turns(serial, end, first)));
    }
    two_phases(
        lanes,
        (serial, "serial: 2 tasks took 2.13-2.24 s"),
        (end, "threads: 2 tasks took 1.85-2.15 s"),
        format!(
            "CPython 3.11 on 2 cores, drawn from the figures in lesson01's README (serial \
             2.13-2.24 s, two threads 1.85-2.15 s, each drawn at the middle of its range), not \
             recorded. The GIL lets one thread at a time run Python code, so the two threads \
             take turns and finish hardly sooner than one. CPython switches every 5 ms \
             (sys.getswitchinterval()), too thin to see here: each turn is drawn {} ms long.",
            TURN.as_millis()
        ),
    )
}

/// A model of a program in two phases, serial then threaded: its lanes, and the line that
/// ends each phase (when, and what it says), the second at the run's end.
fn two_phases(
    lanes: Vec<Lane>,
    serial: (Duration, &str),
    threaded: (Duration, &str),
    caption: String,
) -> Model {
    Model {
        timeline: Timeline {
            length: threaded.0,
            period: Duration::ZERO,
            lanes,
            marks: vec![mark(serial.0, serial.1), mark(threaded.0, threaded.1)],
        },
        caption,
    }
}

/// A thread's spans from `from` to `to` in turns of [`TURN`], starting in `first`: running
/// while it holds the GIL, blocked on it (waiting for the thread that holds it) otherwise.
fn turns(from: Duration, to: Duration, first: State) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut state = first;
    let mut at = from;
    while at < to {
        let next = (at + TURN).min(to);
        spans.push(span(at, next, state));
        state = match state {
            State::Running => State::Blocked,
            State::Blocked | State::Waiting => State::Running,
        };
        at = next;
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use booktools::browser::CPYTHON_TITLE_START;

    #[test]
    fn the_models_are_drawn_from_the_readme_figures() {
        assert!(TITLE.starts_with(CPYTHON_TITLE_START));
        for example in EXAMPLES {
            let model = model("lesson01", example).expect("a model");
            assert!(model.caption.contains("not recorded"), "{example}");
        }
        assert!(model("lesson04", "cpu_bound_threads").is_none());
        assert!(model("lesson01", "thread_vs_process_start").is_none());

        // IO-bound: the ten threads wait together, after 2.02 s of serial waits.
        let io = model("lesson01", "io_bound_serial_vs_threads").unwrap();
        let t = &io.timeline;
        assert_eq!(t.lanes.len(), 11);
        assert_eq!(t.length, ms(2240));
        // Main sleeps through the serial waits, then is blocked joining the threads.
        assert_eq!(t.lanes[0].time_in(State::Waiting), ms(2020));
        assert_eq!(t.lanes[0].time_in(State::Blocked), ms(220));
        for i in 1..11 {
            assert_eq!(t.together(1, i, State::Waiting), ms(200));
            assert_eq!(t.lanes[i].time_in(State::Running), Duration::ZERO);
        }

        // CPU-bound: the serial run computes, then the two threads take turns: each runs
        // half of the threads' 2.0 s, never at the same time as the other.
        let cpu = model("lesson01", "cpu_bound_threads").unwrap();
        let t = &cpu.timeline;
        assert_eq!(t.lanes.len(), 3);
        assert_eq!(t.lanes[0].time_in(State::Running), ms(2185));
        assert_eq!(t.length, ms(4185));
        assert_eq!(t.together(1, 2, State::Running), Duration::ZERO);
        for thread in &t.lanes[1..] {
            assert_eq!(thread.time_in(State::Running), ms(1000));
            assert_eq!(thread.time_in(State::Blocked), ms(1000));
            assert_eq!((thread.first_seen, thread.last_seen), (ms(2185), ms(4185)));
        }
        assert!(cpu.caption.contains("each turn is drawn 100 ms long"));
    }

    #[test]
    fn the_drawing_shows_no_os_id_and_says_it_was_not_sampled() {
        let cpu = model("lesson01", "two_cpu_threads").unwrap();
        let svg = checker::timeline::svg::draw(&cpu.timeline, TITLE, &cpu.caption);
        assert!(svg.contains("data-lanes=\"3\""), "{svg}");
        assert!(
            svg.contains("font-weight=\"bold\">MainThread</text>"),
            "{svg}"
        );
        // The threads are drawn as threads, under the main one, without an id.
        assert!(svg.contains("monospace\">Thread-1</text>"), "{svg}");
        assert!(!svg.contains("sampled every"), "{svg}");
    }
}
