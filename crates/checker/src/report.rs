//! What verify prints: a progress line per example, the reasons and a diff for a failure,
//! and the closing summary `verify: N passed, M failed`.

use crate::judge::Failure;
use crate::output::{self, Line};
use crate::run::Outcome;
use crate::spec::{Entry, Item, Spec};
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

/// Each stream's diff: `-` expected, `+` actual, with the time each actual line came.
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
        out.push_str(&diff_text(&diff(items, &texts(lines)), lines));
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

/// One row of the diff between the expected lines and the actual ones.
#[derive(Debug, Clone, PartialEq)]
enum DiffRow {
    /// An actual line that fits the expected pattern beside it.
    Same(String),
    /// An expected pattern no actual line fitted.
    Missing(String),
    /// An actual line that fitted no expected pattern.
    Extra(String),
}

/// A longest-common-subsequence diff in which "equal" means "the line fits the pattern".
/// Each entry stands once, in file order (any-order blocks too); an entry that may match more
/// than one line (`@x3`, `@x1..`) takes every further line it fits, so only the lines that fit
/// nothing, and the required entries nothing fitted, stand out.
fn diff(items: &[Item], lines: &[&str]) -> Vec<DiffRow> {
    let entries: Vec<&Entry> = items
        .iter()
        .flat_map(|item| match item {
            Item::Line(entry) => std::slice::from_ref(entry),
            Item::AnyOrder { entries, .. } => entries.as_slice(),
        })
        .collect();
    let (n, m) = (entries.len(), lines.len());
    let fits: Vec<Vec<bool>> = entries
        .iter()
        .map(|e| lines.iter().map(|l| e.pattern.fits(l)).collect())
        .collect();
    // best[i][j]: the most lines entries i.. can fit among lines j..
    let mut best = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let mut value = best[i + 1][j].max(best[i][j + 1]);
            if fits[i][j] {
                let next = if entries[i].max > 1 {
                    best[i][j + 1]
                } else {
                    best[i + 1][j + 1]
                };
                value = value.max(next + 1);
            }
            best[i][j] = value;
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    let mut used = false;
    while i < n || j < m {
        let repeats = i < n && entries[i].max > 1;
        if i < n && j < m && fits[i][j] {
            let next = if repeats {
                best[i][j + 1]
            } else {
                best[i + 1][j + 1]
            };
            if best[i][j] == next + 1 {
                out.push(DiffRow::Same(lines[j].to_string()));
                j += 1;
                if repeats {
                    used = true;
                } else {
                    i += 1;
                    used = false;
                }
                continue;
            }
        }
        if j < m && (i == n || best[i][j + 1] >= best[i + 1][j]) {
            out.push(DiffRow::Extra(lines[j].to_string()));
            j += 1;
        } else {
            if !used && entries[i].min > 0 {
                out.push(DiffRow::Missing(entries[i].pattern.to_string()));
            }
            i += 1;
            used = false;
        }
    }
    out
}

fn texts(lines: &[Line]) -> Vec<&str> {
    lines.iter().map(|l| l.text.as_str()).collect()
}

/// How many diff rows a failure shows, a screenful: a run of thousands of lines shows the
/// part around its first difference.
const DIFF_ROWS_SHOWN: usize = 40;

/// The columns a diff row spends before its text: indent, time, sign.
const DIFF_ROW_PREFIX: usize = 18;

fn diff_text(rows: &[DiffRow], lines: &[Line]) -> String {
    let width = output::quote_width()
        .saturating_sub(DIFF_ROW_PREFIX)
        .max(20);
    let mut actual = lines.iter();
    let printed: Vec<String> = rows
        .iter()
        .map(|row| {
            let (sign, text, at) = match row {
                DiffRow::Same(t) => (' ', t, actual.next().map(|l| l.at)),
                DiffRow::Extra(t) => ('+', t, actual.next().map(|l| l.at)),
                DiffRow::Missing(t) => ('-', t, None),
            };
            let time = at
                .map(|a| format!("{:6.2}s", a.as_secs_f64()))
                .unwrap_or_else(|| " ".repeat(7));
            format!("        {time} {sign} {}\n", output::shorten(text, width))
        })
        .collect();
    if printed.len() <= DIFF_ROWS_SHOWN {
        return printed.concat();
    }
    let first_difference = rows
        .iter()
        .position(|r| !matches!(r, DiffRow::Same(_)))
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
    use crate::run::Ended;
    use crate::spec;

    fn items(text: &str) -> Vec<Item> {
        spec::stdout_items(text)
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
        let rows: Vec<DiffRow> = (0..1000)
            .map(|i| {
                if i == 500 {
                    DiffRow::Missing("gone".into())
                } else {
                    DiffRow::Same(format!("line {i}"))
                }
            })
            .collect();
        let lines: Vec<Line> = (0..999)
            .map(|i| Line {
                text: format!("line {i}"),
                at: Duration::ZERO,
            })
            .collect();
        let text = diff_text(&rows, &lines);
        assert!(text.lines().count() <= DIFF_ROWS_SHOWN + 2, "{text}");
        assert!(
            text.contains("... 490 row(s) before") && text.contains("- gone"),
            "{text}"
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
            timed_out: false,
            interrupted: false,
            leftovers: Vec::new(),
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

    #[test]
    fn diff_lets_a_repeated_entry_take_every_line_it_fits() {
        let lines = [".0.5", ".0.2", ".0.95", "Closing thread", "oops"];
        let rows = diff(
            &items("@x1.. .{float}\nClosing thread\nGot: Stop now!\n"),
            &lines,
        );
        assert_eq!(
            rows,
            vec![
                DiffRow::Same(".0.5".into()),
                DiffRow::Same(".0.2".into()),
                DiffRow::Same(".0.95".into()),
                DiffRow::Same("Closing thread".into()),
                DiffRow::Extra("oops".into()),
                DiffRow::Missing("Got: Stop now!".into()),
            ]
        );
    }

    #[test]
    fn diff_marks_missing_and_extra_lines() {
        let lines = ["Waiting", "surprise", "done"];
        let rows = diff(
            &items("Waiting\nThis is from another thread\ndone\n"),
            &lines,
        );
        assert_eq!(
            rows,
            vec![
                DiffRow::Same("Waiting".into()),
                DiffRow::Extra("surprise".into()),
                DiffRow::Missing("This is from another thread".into()),
                DiffRow::Same("done".into()),
            ]
        );
    }
}
