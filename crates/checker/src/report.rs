//! What verify prints: a progress line per example, the reasons and a diff for a failure,
//! and the closing summary `verify: N passed, M failed`.

use crate::judge::Failure;
use crate::judge::matcher::{self, Alignment, Row};
use crate::output::{self, Line, Stream};
use crate::run::Outcome;
use crate::spec::{Item, Spec};
use std::time::Duration;

/// How one example's run went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Passed,
    Failed,
    /// Cut short by Ctrl-C or SIGTERM to verify.
    Interrupted,
}

/// The progress line: `[ 3/64] ok    lesson02 run_function   1.0 s`.
pub fn progress(
    done: usize,
    total: usize,
    mark: Mark,
    lesson: &str,
    example: &str,
    elapsed: Duration,
) -> String {
    let width = total.to_string().len();
    let mark = match mark {
        Mark::Passed => "ok  ",
        Mark::Failed => "FAIL",
        Mark::Interrupted => "CUT ",
    };
    format!(
        "[{done:>width$}/{total}] {mark}  {lesson} {example:<28} {:>5.1} s",
        elapsed.as_secs_f64()
    )
}

/// The failure's reasons, then each stream's diff, indented under the progress line.
pub fn failure(failures: &[Failure], spec: &Spec, outcome: &Outcome) -> String {
    let mut out = String::new();
    for f in failures {
        let reason = format!("{}: {}", f.what, f.why);
        out.push_str(&format!(
            "      {}\n",
            output::shorten(&reason, output::quote_width())
        ));
    }
    out.push_str(&streams(spec, outcome));
    out
}

/// Each stream's diff: `-` expected, `+` actual, with the time each actual line came. The
/// rows are the matcher's own alignment, so the diff marks exactly what does not fit.
pub fn streams(spec: &Spec, outcome: &Outcome) -> String {
    let mut out = String::new();
    for (name, items, lines, cut) in [
        ("stdout", &spec.stdout, &outcome.stdout, outcome.stdout_cut),
        ("stderr", &spec.stderr, &outcome.stderr, outcome.stderr_cut),
    ] {
        if items.is_empty() && lines.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "      {name} (- expected, + actual, time read):\n"
        ));
        out.push_str(&diff_text(items, &matcher::align(items, lines), lines));
        if !cut.is_empty() {
            let note = format!("... {name}: {}", cut.describe());
            out.push_str(&format!(
                "        {}\n",
                output::shorten(&note, output::quote_width().saturating_sub(8))
            ));
        }
    }
    out
}

/// How many of a program's lines [`Echo`] shows while it runs: a screenful, whatever it prints.
pub const ECHOED_LINES: usize = 20;

/// A program's lines shown while it runs, as `cargo run` would show them but bounded: the
/// first [`ECHOED_LINES`] as a diff shows a line (its time, then its text cut to the width),
/// stderr's marked `!`; the rest counted, for [`Echo::end`].
#[derive(Debug, Default)]
pub struct Echo {
    shown: usize,
    unshown: usize,
}

impl Echo {
    /// The line as shown, or `None` once [`ECHOED_LINES`] have been.
    pub fn line(&mut self, stream: Stream, line: &Line) -> Option<String> {
        if self.shown == ECHOED_LINES {
            self.unshown += 1;
            return None;
        }
        self.shown += 1;
        let sign = match stream {
            Stream::Stdout => ' ',
            Stream::Stderr => '!',
        };
        let width = output::quote_width()
            .saturating_sub(DIFF_ROW_PREFIX)
            .max(20);
        Some(format!(
            "        {:6.2}s {sign} {}\n",
            line.at.as_secs_f64(),
            output::shorten(&line.text, width)
        ))
    }

    /// How many lines were not shown, when some were not.
    pub fn end(&self) -> Option<String> {
        (self.unshown > 0).then(|| {
            format!(
                "        ... {} more line(s), not shown here\n",
                output::grouped(self.unshown as u64)
            )
        })
    }
}

/// How many diff rows a failure shows, a screenful: a run of thousands of lines shows the
/// part around its first difference.
const DIFF_ROWS_SHOWN: usize = 40;

/// The columns a diff row spends before its text: indent, time, sign.
const DIFF_ROW_PREFIX: usize = 18;

/// The alignment's rows as text: a matched or unpaired line with its time, a missing entry
/// as its pattern (`@x3 pattern` when three of its lines are missing).
fn diff_text(items: &[Item], alignment: &Alignment, lines: &[Line]) -> String {
    let width = output::quote_width()
        .saturating_sub(DIFF_ROW_PREFIX)
        .max(20);
    let printed: Vec<String> = alignment
        .rows
        .iter()
        .map(|row| {
            let (sign, text, at) = match *row {
                Row::Matched { line, .. } => (' ', lines[line].text.clone(), Some(lines[line].at)),
                Row::Extra { line } => ('+', lines[line].text.clone(), Some(lines[line].at)),
                Row::Missing { at, count } => {
                    let pattern = &matcher::entry(items, at).pattern;
                    let text = if count > 1 {
                        format!("@x{count} {pattern}")
                    } else {
                        pattern.to_string()
                    };
                    ('-', text, None)
                }
            };
            let time = at
                .map(|a| format!("{:6.2}s", a.as_secs_f64()))
                .unwrap_or_else(|| " ".repeat(7));
            format!("        {time} {sign} {}\n", output::shorten(&text, width))
        })
        .collect();
    if printed.len() <= DIFF_ROWS_SHOWN {
        return printed.concat();
    }
    let first_difference = alignment
        .rows
        .iter()
        .position(|r| !matches!(r, Row::Matched { .. }))
        .unwrap_or(0);
    let from = first_difference.saturating_sub(10);
    let to = (from + DIFF_ROWS_SHOWN).min(printed.len());
    let mut out = String::new();
    if from > 0 {
        out.push_str(&format!("        ... {from} row(s) before\n"));
    }
    out.push_str(&printed[from..to].concat());
    if to < printed.len() {
        out.push_str(&format!(
            "        ... {} row(s) after\n",
            printed.len() - to
        ));
    }
    out
}

/// The closing lines: the wall time of the runs (the build aside) beside the slowest
/// example's, then the summary alone on its line (counting the examples cut short only when
/// verify was interrupted).
pub fn summary(
    passed: usize,
    failed: usize,
    interrupted: usize,
    wall: Duration,
    slowest: Option<(&str, Duration)>,
) -> String {
    let cut = if interrupted > 0 {
        format!(", {interrupted} interrupted")
    } else {
        String::new()
    };
    let slowest = match slowest {
        Some((name, took)) if !took.is_zero() => format!(
            " (the slowest, {name}, took {:.1} s: {:.2}x)",
            took.as_secs_f64(),
            wall.as_secs_f64() / took.as_secs_f64()
        ),
        _ => String::new(),
    };
    format!(
        "verify: the runs took {:.1} s{slowest}\nverify: {passed} passed, {failed} failed{cut}",
        wall.as_secs_f64()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::{Ended, StoppedBy};
    use crate::spec;

    fn items(text: &str) -> Vec<Item> {
        spec::stdout_items(text)
    }

    #[test]
    fn an_echo_shows_a_screenful_of_lines_and_counts_the_rest() {
        let line = |text: &str, ms| Line {
            text: text.into(),
            at: Duration::from_millis(ms),
        };
        let mut echo = Echo::default();
        assert_eq!(
            echo.line(Stream::Stdout, &line("hello", 1250)).as_deref(),
            Some("          1.25s   hello\n")
        );
        assert_eq!(
            echo.line(Stream::Stderr, &line("oops", 0)).as_deref(),
            Some("          0.00s ! oops\n")
        );
        // A long line is cut to the width (200 columns off a terminal, at most a terminal's).
        let long = echo
            .line(Stream::Stdout, &line(&"x".repeat(5000), 0))
            .unwrap();
        assert!(long.chars().count() <= 201, "{}", long.len());
        assert_eq!(echo.end(), None, "nothing left out yet");
        for n in 3..ECHOED_LINES {
            assert!(
                echo.line(Stream::Stdout, &line(&n.to_string(), 0))
                    .is_some()
            );
        }
        for n in 0..1234 {
            assert_eq!(echo.line(Stream::Stdout, &line(&n.to_string(), 0)), None);
        }
        assert_eq!(
            echo.end().as_deref(),
            Some("        ... 1,234 more line(s), not shown here\n")
        );
    }

    #[test]
    fn progress_and_summary_lines() {
        let line = progress(
            3,
            64,
            Mark::Passed,
            "lesson02",
            "run_function",
            Duration::from_millis(1040),
        );
        assert!(
            line.starts_with("[ 3/64] ok    lesson02 run_function"),
            "{line}"
        );
        assert!(line.ends_with("1.0 s"));
        assert!(progress(3, 64, Mark::Failed, "lesson02", "x", Duration::ZERO).contains("FAIL"));
        assert!(
            progress(3, 64, Mark::Interrupted, "lesson02", "x", Duration::ZERO).contains("CUT")
        );
        let text = summary(
            63,
            1,
            0,
            Duration::from_secs(12),
            Some(("barrier", Duration::from_secs(10))),
        );
        assert_eq!(
            text.lines().next(),
            Some("verify: the runs took 12.0 s (the slowest, barrier, took 10.0 s: 1.20x)")
        );
        assert_eq!(text.lines().last(), Some("verify: 63 passed, 1 failed"));
        let text = summary(40, 1, 5, Duration::from_secs(12), None);
        assert_eq!(
            text.lines().last(),
            Some("verify: 40 passed, 1 failed, 5 interrupted")
        );
    }

    #[test]
    fn a_long_diff_shows_the_part_around_its_first_difference() {
        let expected: String = (0..1000).map(|i| format!("line {i}\n")).collect();
        let items = items(&expected);
        let lines: Vec<Line> = (0..1000)
            .filter(|&i| i != 500)
            .map(|i| Line {
                text: format!("line {i}"),
                at: Duration::from_millis(i),
            })
            .collect();
        let text = diff_text(&items, &matcher::align(&items, &lines), &lines);
        let shown: Vec<&str> = text.lines().collect();
        assert_eq!(shown.len(), DIFF_ROWS_SHOWN + 2, "{text}");
        assert_eq!(shown[0], "        ... 490 row(s) before");
        assert_eq!(shown[1], "          0.49s   line 490");
        assert_eq!(shown[11], "                - line 500");
        assert_eq!(shown[12], "          0.50s   line 501");
        assert_eq!(shown[41], "        ... 470 row(s) after");
    }

    #[test]
    fn a_missing_entry_shows_its_pattern_and_how_many_lines_it_lacks() {
        let items = items("@x3 Thread {int} done\nDone\n");
        let lines = vec![Line {
            text: "Thread 1 done".into(),
            at: Duration::from_millis(250),
        }];
        assert_eq!(
            diff_text(&items, &matcher::align(&items, &lines), &lines),
            "          0.25s   Thread 1 done\n                - @x2 Thread {int} done\n                - Done\n"
        );
    }

    #[test]
    fn a_failure_shows_its_reason_and_a_timed_diff() {
        let spec = spec::parse(
            "x.txt",
            "[stdout]\nWaiting for the thread...\nThis is from another thread\n",
        )
        .unwrap();
        let outcome = Outcome {
            pid: 1,
            stdout: vec![Line {
                text: "Waiting for the thread...".into(),
                at: Duration::from_millis(1),
            }],
            stderr: Vec::new(),
            stdout_cut: Default::default(),
            stderr_cut: Default::default(),
            ended: Ended::Code(0),
            elapsed: Duration::from_millis(2),
            stopped_by: StoppedBy::ItsEnd,
            leftovers: Vec::new(),
            timeline: None,
        };
        let failures = vec![Failure {
            what: "[stdout] (x.txt)".into(),
            why: "stdout ended early".into(),
            reason: crate::judge::Reason::Stdout,
        }];
        let text = failure(&failures, &spec, &outcome);
        assert!(
            text.contains("[stdout] (x.txt): stdout ended early"),
            "{text}"
        );
        assert!(
            text.contains("  0.00s   Waiting for the thread..."),
            "{text}"
        );
        assert!(text.contains("- This is from another thread"), "{text}");
        assert!(
            !text.contains("stderr"),
            "an empty stream that should be empty is not shown: {text}"
        );
    }
}
