//! Snapshots of what verify prints for one run, from fixed outcomes: the progress line, then
//! for a failure its reasons and each stream's diff, then the closing summary. Each text is
//! kept whole in `snapshots/`; `UPDATE_EXPECT=1 cargo test -p checker --test report`
//! rewrites them after a deliberate change (review the diff before committing it).
//!
//! The line verify adds when interrupted (`verify: interrupted; cut short: ...`) is xtask's
//! own and not part of the report.

use checker::judge;
use checker::output::{Cut, Line, printable};
use checker::report::{self, Mark};
use checker::run::{Ended, Outcome, StoppedBy};
use checker::spec;
use expect_test::expect_file;
use std::io::IsTerminal;
use std::process::Command;
use std::time::Duration;

/// Whether this process renders at the width the snapshots hold. A report cuts a quoted line
/// to the terminal's width when stdout is a terminal, and to 200 characters otherwise; under a
/// terminal, `test` runs again in a child process whose stdout is a pipe, and must pass there.
fn in_a_pipe(test: &str) -> bool {
    if !std::io::stdout().is_terminal() {
        return true;
    }
    let child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture"])
        .output()
        .unwrap();
    // Shown by the test harness if this test fails.
    print!("{}", String::from_utf8_lossy(&child.stdout));
    print!("{}", String::from_utf8_lossy(&child.stderr));
    assert!(child.status.success(), "{test} failed with stdout a pipe");
    false
}

/// The lines of a stream: `(seconds, text)`.
fn lines(lines: &[(f64, &str)]) -> Vec<Line> {
    lines
        .iter()
        .map(|&(at, text)| Line {
            text: text.to_string(),
            at: Duration::from_secs_f64(at),
        })
        .collect()
}

/// A run that exited with status 0 after `elapsed` seconds, having printed `stdout`.
fn exited(stdout: &[(f64, &str)], elapsed: f64) -> Outcome {
    Outcome {
        pid: 4000,
        stdout: lines(stdout),
        stderr: Vec::new(),
        stdout_cut: Cut::default(),
        stderr_cut: Cut::default(),
        ended: Ended::Code(0),
        elapsed: Duration::from_secs_f64(elapsed),
        stopped_by: StoppedBy::ItsEnd,
        leftovers: Vec::new(),
        timeline: None,
    }
}

/// What verify prints for `outcome`, a run of `lesson99 example` whose expected file is
/// `expected`, as the only example of the batch: it judges the run, prints the progress
/// line, the failure's report when it failed, and the summary.
fn verify_text(expected: &str, outcome: &Outcome) -> String {
    let file = "lesson99/expected/example.txt";
    let spec = spec::parse(file, expected).unwrap();
    let (mark, details) = if outcome.stopped_by == StoppedBy::Interrupt {
        (Mark::Interrupted, String::new())
    } else {
        let failures = judge::judge(&spec, file, outcome);
        if failures.is_empty() {
            (Mark::Passed, String::new())
        } else {
            (Mark::Failed, report::failure(&failures, &spec, outcome))
        }
    };
    let count = |wanted: Mark| usize::from(mark == wanted);
    format!(
        "{}\n{details}{}\n",
        report::progress(1, 1, mark, "lesson99", "example", outcome.elapsed),
        report::summary(
            count(Mark::Passed),
            count(Mark::Failed),
            count(Mark::Interrupted),
            outcome.elapsed,
            Some(("example", outcome.elapsed)),
        )
    )
}

const THREADS: &str = "\
[stdout]
Main: starting 3 threads
@any-order
Thread 1 done after {float:sleep} s
Thread 2 done after {float:sleep} s
Thread 3 done after {float:sleep} s
@end
Main: all done

[checks]
elapsed_at_least_sum sleep
";

/// A good run of `THREADS`: the threads took turns, one after another.
fn threads_run() -> Outcome {
    exited(
        &[
            (0.001, "Main: starting 3 threads"),
            (0.302, "Thread 3 done after 0.3 s"),
            (0.503, "Thread 1 done after 0.2 s"),
            (0.604, "Thread 2 done after 0.1 s"),
            (0.605, "Main: all done"),
        ],
        0.61,
    )
}

#[test]
fn a_passing_run() {
    if in_a_pipe("a_passing_run") {
        expect_file!["snapshots/passing.txt"].assert_eq(&verify_text(THREADS, &threads_run()));
    }
}

#[test]
fn a_run_failing_one_line_beside_a_permuted_any_order_block() {
    if in_a_pipe("a_run_failing_one_line_beside_a_permuted_any_order_block") {
        let mut run = threads_run();
        run.stdout[4].text = "Main: all dnoe".into();
        let text = verify_text(THREADS, &run);
        // The block's lines came in another order than the file's, and fit: only the wrong
        // line is marked. A diff row is an indent, a time (blank for an expected line), then
        // its sign in column 17.
        let marked: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("        ") && matches!(l.get(16..18), Some("- " | "+ ")))
            .collect();
        assert_eq!(
            marked,
            [
                "                - Main: all done",
                "          0.60s + Main: all dnoe"
            ],
            "{text}"
        );
        expect_file!["snapshots/failing_a_line.txt"].assert_eq(&text);
    }
}

#[test]
fn a_run_failing_a_check() {
    if in_a_pipe("a_run_failing_a_check") {
        // The same lines, but the threads slept at the same time.
        let mut run = threads_run();
        for (line, at) in run
            .stdout
            .iter_mut()
            .zip([0.001, 0.301, 0.302, 0.303, 0.304])
        {
            line.at = Duration::from_secs_f64(at);
        }
        run.elapsed = Duration::from_secs_f64(0.31);
        expect_file!["snapshots/failing_a_check.txt"].assert_eq(&verify_text(THREADS, &run));
    }
}

#[test]
fn a_run_that_panicked() {
    if in_a_pipe("a_run_that_panicked") {
        let mut run = exited(&[(0.001, "Main: starting 3 threads")], 0.02);
        run.stderr = lines(&[
            (
                0.011,
                "thread 'main' panicked at lesson99/src/bin/example.rs:12:5:",
            ),
            (
                0.011,
                "called `Result::unwrap()` on an `Err` value: Poisoned",
            ),
            (
                0.012,
                "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
            ),
        ]);
        run.ended = Ended::Code(101);
        expect_file!["snapshots/panicked.txt"].assert_eq(&verify_text(THREADS, &run));
    }
}

#[test]
fn a_run_past_its_deadline() {
    if in_a_pipe("a_run_past_its_deadline") {
        let mut run = exited(
            &[
                (0.001, "Main: starting 3 threads"),
                (0.302, "Thread 3 done after 0.3 s"),
            ],
            2.0,
        );
        run.stopped_by = StoppedBy::Deadline;
        run.ended = Ended::Signal(9);
        let expected = format!("[run]\ndeadline 2\n{THREADS}");
        expect_file!["snapshots/deadline.txt"].assert_eq(&verify_text(&expected, &run));
    }
}

#[test]
fn a_run_that_left_a_child_running() {
    if in_a_pipe("a_run_that_left_a_child_running") {
        let mut run = threads_run();
        run.leftovers = vec!["4242 (sleep)".into()];
        expect_file!["snapshots/left_a_child.txt"].assert_eq(&verify_text(THREADS, &run));
    }
}

#[test]
fn a_cut_stream_with_huge_and_non_utf8_lines() {
    if in_a_pipe("a_cut_stream_with_huge_and_non_utf8_lines") {
        // What the runner keeps of a program that printed on without end: a line cut to its
        // first 4,096 bytes, bytes that are not UTF-8 and escape sequences made printable,
        // and the count of what it did not keep.
        let huge = "x".repeat(4096);
        let odd = printable(b"bad \xff\xfe bytes, \x1b[31mred\x1b[0m and a bell\x07");
        let mut stdout = vec![
            (0.001, "Main: starting 3 threads"),
            (0.002, huge.as_str()),
            (0.003, odd.as_str()),
        ];
        let spinning: Vec<String> = (0..60).map(|i| format!("spinning {i}")).collect();
        stdout.extend(spinning.iter().map(|s| (0.004, s.as_str())));
        let mut run = exited(&stdout, 1.5);
        run.stdout_cut = Cut {
            lines: 37_704_995,
            bytes: 188_524_975,
            long_lines: 1,
        };
        expect_file!["snapshots/cut_stream.txt"].assert_eq(&verify_text(THREADS, &run));
    }
}

#[test]
fn an_interrupted_run() {
    if in_a_pipe("an_interrupted_run") {
        let mut run = exited(&[(0.001, "Main: starting 3 threads")], 0.4);
        run.stopped_by = StoppedBy::Interrupt;
        run.ended = Ended::Signal(9);
        expect_file!["snapshots/interrupted.txt"].assert_eq(&verify_text(THREADS, &run));
    }
}
