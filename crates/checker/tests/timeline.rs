//! Snapshots of the timeline drawings, from hand-made timelines of the shapes the course
//! shows: threads running together, threads taking turns, threads blocked on a semaphore,
//! sleepers waiting together, a child process killed, more lanes than a drawing shows. Each drawing is kept whole in
//! `snapshots/`; `UPDATE_EXPECT=1 cargo test -p checker --test timeline` rewrites them after a
//! deliberate change (review the diff before committing it).

use checker::timeline::{Lane, LaneKind, Mark, Span, State, Stream, Timeline, svg, terminal};
use expect_test::expect_file;
use std::time::Duration;

use State::{Blocked, Running, Waiting};

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

/// A lane of pid `pid` (a process when `tid == pid`) living through `spans` (seconds), ended
/// before the run did if `ended`.
fn lane(pid: i32, tid: i32, name: &str, spans: &[(f64, f64, State)], ended: bool) -> Lane {
    Lane {
        pid,
        tid,
        name: name.into(),
        first_seen: secs(spans[0].0),
        last_seen: secs(spans[spans.len() - 1].1),
        ended,
        spans: spans
            .iter()
            .map(|&(from, to, state)| Span {
                from: secs(from),
                to: secs(to),
                state,
            })
            .collect(),
    }
}

fn mark(at: f64, text: &str) -> Mark {
    Mark {
        at: secs(at),
        stream: Stream::Stdout,
        text: text.into(),
        lane: None,
    }
}

fn timeline(length: f64, lanes: Vec<Lane>, marks: Vec<Mark>) -> Timeline {
    Timeline {
        length: secs(length),
        period: Duration::from_millis(5),
        lanes,
        marks,
    }
}

/// Main starts two threads that compute for a second at the same time, then joins them.
fn running_together() -> Timeline {
    let main = &[
        (0.0, 0.01, Running),
        (0.01, 1.02, Blocked),
        (1.02, 1.03, Running),
    ];
    let worker = &[(0.01, 1.0, Running)];
    timeline(
        1.03,
        vec![
            lane(4000, 4000, "cpu_bound_threa", main, false),
            lane(4000, 4001, "worker-1", worker, true),
            lane(4000, 4002, "worker-2", worker, true),
        ],
        vec![
            mark(0.005, "Starting two threads"),
            mark(1.0, "worker-1 done"),
            mark(1.005, "worker-2 done"),
            mark(1.03, "Both done in 1.02 s"),
        ],
    )
}

/// Two threads under one lock, taking turns of 100 ms for a second; main joins them.
fn taking_turns() -> Timeline {
    let turns = |first: State, second: State| -> Vec<(f64, f64, State)> {
        (0..10)
            .map(|i| {
                let state = if i % 2 == 0 { first } else { second };
                (0.01 + i as f64 * 0.1, 0.11 + i as f64 * 0.1, state)
            })
            .collect()
    };
    let main = &[
        (0.0, 0.01, Running),
        (0.01, 1.02, Blocked),
        (1.02, 1.03, Running),
    ];
    timeline(
        1.03,
        vec![
            lane(4000, 4000, "two_threads", main, false),
            lane(4000, 4001, "alpha", &turns(Running, Blocked), true),
            lane(4000, 4002, "beta", &turns(Blocked, Running), true),
        ],
        vec![mark(1.01, "alpha and beta took turns"), mark(1.03, "done")],
    )
}

/// The semaphore as drawn where `wchan` cannot name a wait (see `timeline::sample`): ten
/// threads the program did not name (so each has the process's name), two at a time sleeping
/// with a permit while the others wait for one, all drawn waiting; the lines in pairs.
fn semaphore() -> Timeline {
    let main = &[
        (0.0, 0.005, Running),
        (0.005, 2.0, Waiting),
        (2.0, 2.002, Running),
    ];
    let mut lanes = vec![lane(4100, 4100, "semaphore", main, false)];
    let mut marks = Vec::new();
    for i in 0..10 {
        let start = 0.002 + i as f64 * 0.0005;
        let done = 0.4 * (i / 2 + 1) as f64 - 0.02 + (i % 2) as f64 * 0.01;
        lanes.push(lane(
            4100,
            4101 + i,
            "semaphore",
            &[
                (start, start + 0.002, Running),
                (start + 0.002, done, Waiting),
                (done, done + 0.001, Running),
            ],
            true,
        ));
        marks.push(mark(
            done + 0.001,
            &format!(
                "Thread {i} got {:.17}",
                0.2 + i as f64 * 0.061_803_398_874_989
            ),
        ));
    }
    timeline(2.002, lanes, marks)
}

/// The semaphore as the sampler tells it apart: each thread blocked until it gets one of the
/// two permits, then asleep inside; main blocked in its joins.
fn semaphore_blocked() -> Timeline {
    let mut run = semaphore();
    for lane in &mut run.lanes {
        let mut spans = Vec::new();
        for span in &lane.spans {
            let inside = lane.tid - 4101 >= 2 && span.state == Waiting;
            if lane.kind() == LaneKind::Process && span.state == Waiting {
                spans.push(Span {
                    state: Blocked,
                    ..*span
                });
            } else if inside {
                // Enters when the thread two before it leaves.
                let enters = run.marks[(lane.tid - 4101 - 2) as usize].at;
                spans.push(Span {
                    to: enters,
                    state: Blocked,
                    ..*span
                });
                spans.push(Span {
                    from: enters,
                    ..*span
                });
            } else {
                spans.push(*span);
            }
        }
        lane.spans = spans;
    }
    run
}

/// A parent forks a child (the same program, so the same name), kills it at 1 s, and ends at
/// 3 s.
fn killed_child() -> Timeline {
    let parent = &[
        (0.0, 0.05, Running),
        (0.05, 1.0, Waiting),
        (1.0, 1.01, Running),
        (1.01, 3.0, Waiting),
    ];
    let child = &[(0.05, 0.06, Running), (0.06, 1.0, Waiting)];
    let mut marks = vec![
        mark(0.05, "Parent: started the child, pid 4201"),
        mark(0.06, "Child: sleeping for 10 s"),
        mark(1.0, "Parent: sent SIGKILL"),
        mark(1.01, "Parent: the child ended by signal 9"),
        mark(3.0, "Parent: done"),
    ];
    marks[1].lane = Some(1);
    timeline(
        3.0,
        vec![
            lane(4200, 4200, "kill_process_si", parent, false),
            lane(4201, 4201, "kill_process_si", child, true),
        ],
        marks,
    )
}

/// A process with 39 worker threads, running together for half a second.
fn forty_lanes() -> Timeline {
    let main = &[
        (0.0, 0.01, Running),
        (0.01, 0.51, Waiting),
        (0.51, 0.52, Running),
    ];
    let mut lanes = vec![lane(4300, 4300, "many", main, false)];
    let mut marks = Vec::new();
    for i in 0..39 {
        let start = 0.01 + i as f64 * 0.002;
        lanes.push(lane(
            4300,
            4301 + i,
            &format!("worker {i}"),
            &[(start, 0.5, Running)],
            true,
        ));
        let mut line = mark(0.5, &format!("worker {i} done"));
        line.lane = Some(i as usize + 1);
        marks.push(line);
    }
    timeline(0.52, lanes, marks)
}

/// A terminal drawing's properties that hold whatever the timeline: each line fits `width`
/// columns, and without colour there is no ESC, nor any other control character.
fn check_terminal(text: &str, width: usize, colour: bool) {
    if !colour {
        for line in text.lines() {
            assert!(
                line.chars().count() <= width,
                "wider than {width}: {line:?}"
            );
        }
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text}");
    }
    assert!(text.ends_with('\n'), "{text}");
}

fn terminal_snapshot(timeline: &Timeline, width: usize) -> String {
    let text = terminal::draw(timeline, width, false);
    check_terminal(&text, width, false);
    text
}

#[test]
fn two_lanes_running_together() {
    expect_file!["snapshots/timeline_running_together.txt"]
        .assert_eq(&terminal_snapshot(&running_together(), 100));
}

#[test]
fn two_lanes_taking_turns() {
    let text = terminal_snapshot(&taking_turns(), 100);
    // Never both running in one column.
    let row = |name: &str| -> Vec<char> {
        let line = text.lines().find(|l| l.starts_with(name)).unwrap();
        line.chars().collect()
    };
    let (alpha, beta) = (row("  alpha"), row("  beta "));
    for (a, b) in alpha.iter().zip(&beta) {
        assert!(!(*a == '█' && *b == '█'), "{text}");
    }
    expect_file!["snapshots/timeline_taking_turns.txt"].assert_eq(&text);
}

#[test]
fn ten_sleepers_waiting_together_with_lines_in_pairs() {
    expect_file!["snapshots/timeline_semaphore_100.txt"]
        .assert_eq(&terminal_snapshot(&semaphore(), 100));
    expect_file!["snapshots/timeline_semaphore_60.txt"]
        .assert_eq(&terminal_snapshot(&semaphore(), 60));
}

#[test]
fn at_most_two_threads_inside_the_semaphore_the_rest_blocked() {
    let text = terminal_snapshot(&semaphore_blocked(), 100);
    let rows: Vec<Vec<char>> = text
        .lines()
        .filter(|line| line.starts_with("  semaphore"))
        .map(|line| line.chars().collect())
        .collect();
    assert_eq!(rows.len(), 10, "{text}");
    // Asleep inside: at most two in a column, but where one leaves and the next enters.
    let width = rows.iter().map(Vec::len).max().unwrap();
    let mut crowded = 0;
    for column in 0..width {
        let inside = rows
            .iter()
            .filter(|row| row.get(column) == Some(&'─'))
            .count();
        assert!(inside <= 3, "{inside} inside at column {column}:\n{text}");
        crowded += usize::from(inside == 3);
    }
    assert!(crowded <= 4, "{crowded} columns with three inside:\n{text}");
    assert!(
        text.contains("░ blocked (lock, join…)  ─ waiting (sleep, IO)"),
        "{text}"
    );
    expect_file!["snapshots/timeline_semaphore_blocked.txt"].assert_eq(&text);
}

#[test]
fn a_child_process_killed_at_one_second_of_three() {
    expect_file!["snapshots/timeline_killed_child.txt"]
        .assert_eq(&terminal_snapshot(&killed_child(), 100));
}

#[test]
fn forty_lanes_are_cut_to_the_rows_a_drawing_shows() {
    let text = terminal_snapshot(&forty_lanes(), 100);
    assert!(text.contains("(20 more threads not shown)"), "{text}");
    assert!(text.contains("… 20 more lines not listed"), "{text}");
    expect_file!["snapshots/timeline_forty_lanes.txt"].assert_eq(&text);
}

#[test]
fn colour_only_when_asked() {
    let text = terminal::draw(&running_together(), 100, true);
    check_terminal(&text, 100, true);
    assert!(text.contains('\x1b'));
    expect_file!["snapshots/timeline_colour.txt"].assert_eq(&text.replace('\x1b', "\\e"));
    // A run shorter than a millisecond: one tick, at 0.
    let blink = &[(0.0, 0.0004, Running)];
    let blink = timeline(0.0004, vec![lane(1, 1, "blink", blink, true)], Vec::new());
    for timeline in [
        blink,
        running_together(),
        semaphore(),
        semaphore_blocked(),
        killed_child(),
        forty_lanes(),
    ] {
        for width in [100, 80, 60, 40, 10] {
            let text = terminal::draw(&timeline, width, false);
            check_terminal(&text, width.max(terminal::MIN_WIDTH), false);
        }
    }
}

#[test]
fn nothing_recorded_says_so_and_still_lists_the_lines() {
    let mut empty = Timeline::default();
    assert_eq!(
        terminal::draw(&empty, 100, false),
        "nothing recorded: no thread or process of the run was seen\nno output lines\n"
    );
    empty.marks.push(mark(0.1, "a line"));
    assert_eq!(
        terminal::draw(&empty, 100, false),
        "nothing recorded: no thread or process of the run was seen\n\
         output lines (1):\n  0.10s  a line\n"
    );
}

/// A timeline whose names and lines hold what a terminal would act on, tabs, and wide
/// characters.
fn hostile() -> Timeline {
    let mut run = running_together();
    run.lanes[1].name = "evil\u{1b}[2J\u{7}".into();
    run.lanes[2].name = "線程線程線".into();
    run.marks[0].text = "\u{1b}]0;a new title\u{7}\ttab\u{9b}".into();
    run.marks[1].text = "線".repeat(300);
    run.marks[2].stream = Stream::Stderr;
    run
}

#[test]
fn a_programs_names_and_lines_reach_no_terminal_unescaped() {
    let width = 60;
    for colour in [false, true] {
        let text = terminal::draw(&hostile(), width, colour);
        let plain = text.replace("\x1b[0m", "");
        let plain = ["1", "2", "31", "32", "33", "90"]
            .iter()
            .fold(plain, |t, code| t.replace(&format!("\x1b[{code}m"), ""));
        assert!(
            !plain.chars().any(|c| c.is_control() && c != '\n'),
            "{plain}"
        );
        assert!(plain.contains("evil\\e[2J\\x07"), "{plain}");
        assert!(plain.contains("\\e]0;a new title\\x07 tab\\x9b"), "{plain}");
        for line in plain.lines() {
            // The only wide character here is 線.
            let columns = line.chars().count() + line.matches('線').count();
            assert!(columns <= width, "{columns} columns: {line}");
        }
    }
}

/// The tags of `text` balance, each attribute value is quoted and holds no `<`, and every `&`
/// starts an entity XML knows; returns the root element's name.
fn well_formed(text: &str) -> String {
    let mut open: Vec<String> = Vec::new();
    let mut root = None;
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        check_entities(&rest[..lt]);
        let end = rest[lt..].find('>').expect("a tag ends") + lt;
        let tag = &rest[lt + 1..end];
        assert!(!tag.contains('<'), "{tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop().as_deref(), Some(name), "closing {name}");
        } else {
            let name: String = tag
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '/')
                .collect();
            assert_eq!(tag.matches('"').count() % 2, 0, "quotes in {tag}");
            for value in tag.split('"').skip(1).step_by(2) {
                check_entities(value);
            }
            if open.is_empty() {
                assert!(root.is_none(), "a second root: {name}");
                root = Some(name.clone());
            }
            if !tag.ends_with('/') {
                open.push(name);
            }
        }
        rest = &rest[end + 1..];
    }
    check_entities(rest);
    assert!(open.is_empty(), "left open: {open:?}");
    assert!(
        !text.contains("\n\n"),
        "a blank line ends Markdown's HTML block"
    );
    root.expect("an element")
}

fn check_entities(text: &str) {
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
        let known = ["&amp;", "&lt;", "&gt;", "&quot;"].contains(&entity)
            || (entity.starts_with("&#")
                && entity[2..entity.len() - 1]
                    .chars()
                    .all(|c| c.is_ascii_digit()));
        assert!(known, "a bare & in {text:?}");
    }
}

#[test]
fn an_svg_of_two_lanes_taking_turns() {
    let text = svg::draw(
        &taking_turns(),
        "two_threads: alpha and beta take turns",
        "Look at the two threads: never both running.",
    );
    assert_eq!(well_formed(&text), "figure");
    assert!(
        text.contains("class=\"timeline\" data-lanes=\"3\""),
        "{text}"
    );
    expect_file!["snapshots/timeline_small.svg"].assert_eq(&text);
}

#[test]
fn an_svg_escapes_every_text() {
    let mut run = taking_turns();
    run.lanes[1].name = "a<b&\"c'".into();
    run.marks[0].text = "x < y && \"z\" {{#include /etc/passwd}} \u{1b}[31m".into();
    let text = svg::draw(&run, "title <&\">", "caption <&\"> {{x}}");
    assert_eq!(well_formed(&text), "figure");
    assert!(text.contains("a&lt;b&amp;&quot;c&#39;"), "{text}");
    assert!(
        text.contains("x &lt; y &amp;&amp; &quot;z&quot; &#123;&#123;#include"),
        "{text}"
    );
    assert!(text.contains("\\e[31m"), "{text}");
    assert!(
        text.contains("<title>title &lt;&amp;&quot;&gt;</title>"),
        "{text}"
    );
    assert!(
        text.contains(
            "<figcaption style=\"font-size:0.9em;font-style:italic\">caption &lt;&amp;&quot;&gt; &#123;&#123;x&#125;&#125;</figcaption>"
        ),
        "{text}"
    );
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
}

#[test]
fn an_svg_of_a_run_with_nothing_to_draw_says_so() {
    let text = svg::draw(&Timeline::default(), "empty", "");
    assert_eq!(well_formed(&text), "figure");
    assert!(
        text.contains("class=\"timeline\" data-lanes=\"0\""),
        "{text}"
    );
    assert!(text.contains("Nothing to draw"), "{text}");
    assert!(!text.contains("figcaption"), "{text}");
    // A run seen at one look only (a few milliseconds long) has lanes but no state.
    let once = Timeline {
        length: Duration::from_millis(3),
        lanes: vec![Lane {
            pid: 7,
            tid: 7,
            name: "short".into(),
            first_seen: Duration::from_millis(1),
            last_seen: Duration::from_millis(1),
            ended: true,
            spans: Vec::new(),
        }],
        ..Timeline::default()
    };
    let text = svg::draw(&once, "once", "");
    assert!(text.contains("data-lanes=\"0\""), "{text}");
    assert!(text.contains("Nothing to draw"), "{text}");
}

#[test]
fn an_svg_of_forty_lanes_shows_twenty_and_counts_the_rest() {
    let text = svg::draw(&forty_lanes(), "forty", "caption");
    assert_eq!(well_formed(&text), "figure");
    assert!(text.contains("data-lanes=\"40\""), "{text}");
    assert_eq!(text.matches("<g class=\"lane\">").count(), 20, "{text}");
    assert!(text.contains("(20 more threads not shown)"), "{text}");
    // The lines of the workers without a row (19 to 38) are marked on the row that counts
    // them, in one tick: they came at the same moment.
    assert!(text.contains("0.50 s: worker 19 done&#10;"), "{text}");
    assert!(text.contains("&#10;and 15 more</title>"), "{text}");
    for timeline in [
        running_together(),
        semaphore_blocked(),
        killed_child(),
        hostile(),
    ] {
        assert_eq!(well_formed(&svg::draw(&timeline, "t", "c")), "figure");
    }
}
