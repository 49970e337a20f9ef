//! Judges one run against its expected file: the deadline, the processes left running, the
//! exit status, the lines that must never appear, each stream's lines, then the named checks.

pub mod matcher;

use crate::output::{self, Line};
use crate::run::{Ended, Outcome, StoppedBy};
use crate::spec::Spec;
use crate::spec::checks::{CheckId, Evidence};

/// One reason a run fails: what failed (a check and where it is written), why, and its kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub what: String,
    pub why: String,
    pub reason: Reason,
}

impl Failure {
    /// Whether the failure is about when things happened: a run past its deadline, or a
    /// failed check on times ([`crate::spec::checks::Check::is_about_time`]). Such a failure
    /// is best seen on the run's timeline.
    pub fn is_about_time(&self, spec: &Spec) -> bool {
        match &self.reason {
            Reason::Deadline => true,
            Reason::Check(id) => spec
                .checks
                .iter()
                .any(|check| check.item.id() == id && check.item.is_about_time()),
            Reason::CleanUp
            | Reason::ExitStatus
            | Reason::Never
            | Reason::Stdout
            | Reason::Stderr => false,
        }
    }
}

/// The kinds of failure, as a break file names them after `caught by:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    Deadline,
    CleanUp,
    ExitStatus,
    Never,
    Stdout,
    Stderr,
    /// A `[checks]` line, named by its line as written.
    Check(CheckId),
}

impl Reason {
    /// Reads `stdout`, `exit status`, `check all racy != 0`, ...
    pub fn parse(text: &str) -> Result<Reason, String> {
        Ok(match text.trim() {
            "deadline" => Reason::Deadline,
            "clean-up" => Reason::CleanUp,
            "exit status" => Reason::ExitStatus,
            "never" => Reason::Never,
            "stdout" => Reason::Stdout,
            "stderr" => Reason::Stderr,
            other => match other.strip_prefix("check ") {
                Some(check) => Reason::Check(CheckId::parse(check)?),
                None => {
                    return Err(format!(
                        "unknown failure `{other}`; use `check <a [checks] line>`, `stdout`, `stderr`, `never`, `exit status`, `deadline` or `clean-up`"
                    ));
                }
            },
        })
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Deadline => f.write_str("deadline"),
            Reason::CleanUp => f.write_str("clean-up"),
            Reason::ExitStatus => f.write_str("exit status"),
            Reason::Never => f.write_str("never"),
            Reason::Stdout => f.write_str("stdout"),
            Reason::Stderr => f.write_str("stderr"),
            Reason::Check(check) => write!(f, "check {check}"),
        }
    }
}

/// Every failure of the run; empty when the example did what its expected file says.
pub fn judge(spec: &Spec, file: &str, outcome: &Outcome) -> Vec<Failure> {
    let mut failures = Vec::new();
    let mut fail =
        |what: String, why: String, reason: Reason| failures.push(Failure { what, why, reason });
    if outcome.stopped_by == StoppedBy::Deadline {
        fail(
            "deadline".into(),
            format!(
                "timed out after {:.0} s; its processes were killed",
                spec.run.deadline.as_secs_f64()
            ),
            Reason::Deadline,
        );
    }
    if !outcome.leftovers.is_empty() {
        fail(
            "clean-up".into(),
            format!(
                "left a child running after it exited: {} (killed)",
                outcome.leftovers.join(", ")
            ),
            Reason::CleanUp,
        );
    }
    if outcome.stopped_by != StoppedBy::Deadline && outcome.ended != Ended::Code(spec.run.exit) {
        let how = match outcome.ended {
            Ended::Code(code) => format!("exit status {code}"),
            Ended::Signal(signal) => format!("killed by signal {signal}"),
        };
        fail(
            "exit status".into(),
            format!("ended with {how}, not exit status {}", spec.run.exit),
            Reason::ExitStatus,
        );
    }
    for never in &spec.never {
        let all = outcome.stdout.iter().chain(&outcome.stderr);
        if let Some(line) = all.into_iter().find(|l| never.item.fits(&l.text)) {
            fail(
                format!("[never] `{}` ({file}:{})", never.item, never.line),
                format!(
                    "`{}` appeared",
                    output::shorten(&line.text, output::quote_width())
                ),
                Reason::Never,
            );
        }
    }
    let mut values = Vec::new();
    let mut streams_fit = true;
    for (name, items, lines, cut, reason) in [
        (
            "stdout",
            &spec.stdout,
            &outcome.stdout,
            outcome.stdout_cut,
            Reason::Stdout,
        ),
        (
            "stderr",
            &spec.stderr,
            &outcome.stderr,
            outcome.stderr_cut,
            Reason::Stderr,
        ),
    ] {
        if !cut.is_empty() {
            // What was not kept cannot be judged: say so rather than judge a part as the whole.
            streams_fit = false;
            fail(
                format!("[{name}] ({file})"),
                format!(
                    "{name} is more than verify keeps: {}. Only a whole output is judged: print less",
                    cut.describe()
                ),
                reason,
            );
            continue;
        }
        match matcher::match_stream(items, lines) {
            Ok(captures) => values.extend(captures),
            Err(why) => {
                streams_fit = false;
                fail(
                    format!("[{name}] ({file})"),
                    format!("{name} {why}"),
                    reason,
                );
            }
        }
    }
    if !streams_fit {
        return failures;
    }
    values.sort_by_key(|v| v.at);
    let mut lines: Vec<Line> = outcome
        .stdout
        .iter()
        .chain(&outcome.stderr)
        .cloned()
        .collect();
    lines.sort_by_key(|l| l.at);
    let evidence = Evidence::new(lines, values, outcome.elapsed, outcome.pid);
    for check in &spec.checks {
        if let Err(why) = check.item.evaluate(&evidence) {
            fail(
                format!("check `{}` ({file}:{})", check.item, check.line),
                why,
                Reason::Check(check.item.id().clone()),
            );
        }
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec;
    use std::time::Duration;

    fn outcome(stdout: &[(f64, &str)], elapsed: f64) -> Outcome {
        let lines = |l: &[(f64, &str)]| -> Vec<Line> {
            l.iter()
                .map(|(at, text)| Line {
                    text: text.to_string(),
                    at: Duration::from_secs_f64(*at),
                })
                .collect()
        };
        Outcome {
            pid: 100,
            stdout: lines(stdout),
            stderr: Vec::new(),
            stdout_cut: Default::default(),
            stderr_cut: Default::default(),
            ended: Ended::Code(0),
            elapsed: Duration::from_secs_f64(elapsed),
            stopped_by: StoppedBy::ItsEnd,
            leftovers: Vec::new(),
            timeline: None,
        }
    }

    const MUTEX: &str = "[stdout]\n@any-order\n@x3 >{int:id} got lock, sleeping {float:sleep}\n@end\n[checks]\npermutation id 0 2\nelapsed_at_least_sum sleep\n";

    fn failures(spec_text: &str, outcome: &Outcome) -> Vec<Failure> {
        judge(&spec::parse("m.txt", spec_text).unwrap(), "m.txt", outcome)
    }

    #[test]
    fn a_good_mutex_run_passes() {
        let run = outcome(
            &[
                (0.0, ">1 got lock, sleeping 0.5"),
                (0.5, ">0 got lock, sleeping 0.25"),
                (0.75, ">2 got lock, sleeping 0.1"),
            ],
            0.86,
        );
        assert_eq!(failures(MUTEX, &run), vec![]);
    }

    #[test]
    fn a_mutex_demo_without_its_lock_prints_the_same_lines_and_fails() {
        // Same text, but the sleeps overlapped: the run took as long as the longest one.
        let run = outcome(
            &[
                (0.0, ">1 got lock, sleeping 0.5"),
                (0.0, ">0 got lock, sleeping 0.25"),
                (0.0, ">2 got lock, sleeping 0.1"),
            ],
            0.51,
        );
        let found = failures(MUTEX, &run);
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .what
                .starts_with("check `elapsed_at_least_sum sleep` (m.txt:7)"),
            "{found:?}"
        );
        assert!(found[0].why.contains("overlapped"));
    }

    #[test]
    fn checks_on_times_and_on_order_are_about_time_and_checks_on_values_are_not() {
        let spec = spec::parse(
            "t.txt",
            "[stdout]\n@x2 {word:w} {int:n} at {float:t}\n[checks]\n\
             before \"a {int} at {float}\" \"b {int} at {float}\"\n\
             none_after \"a {int} at {float}\" \"b {int} at {float}\"\n\
             gap_at_least \"a {int} at {float}\" \"b {int} at {float}\" 0.1\n\
             elapsed_at_most 2\n\
             min_ratio_at_least t t 1\n\
             count n 2\nall n >= 0\ndistinct n\nascending t\n",
        )
        .unwrap();
        let about: Vec<(String, bool)> = spec
            .checks
            .iter()
            .map(|c| (c.item.id().to_string(), c.item.is_about_time()))
            .collect();
        let names: Vec<(&str, bool)> = about
            .iter()
            .map(|(id, about)| (id.split(' ').next().unwrap(), *about))
            .collect();
        assert_eq!(
            names,
            [
                ("before", true),
                ("none_after", true),
                ("gap_at_least", true),
                ("elapsed_at_most", true),
                ("min_ratio_at_least", true),
                ("count", false),
                ("all", false),
                ("distinct", false),
                ("ascending", false),
            ]
        );
    }

    #[test]
    fn a_failure_is_about_time_when_its_check_measures_time() {
        let spec = spec::parse("m.txt", MUTEX).unwrap();
        let overlapped = outcome(
            &[
                (0.0, ">1 got lock, sleeping 0.5"),
                (0.0, ">0 got lock, sleeping 0.25"),
                (0.0, ">2 got lock, sleeping 0.1"),
            ],
            0.51,
        );
        let renumbered = outcome(
            &[
                (0.0, ">1 got lock, sleeping 0.5"),
                (0.5, ">0 got lock, sleeping 0.25"),
                (0.75, ">7 got lock, sleeping 0.1"),
            ],
            0.86,
        );
        let short = outcome(&[(0.0, ">1 got lock, sleeping 0.5")], 0.5);
        let about_time = |run: &Outcome| -> Vec<bool> {
            judge(&spec, "m.txt", run)
                .iter()
                .map(|failure| failure.is_about_time(&spec))
                .collect()
        };
        assert_eq!(about_time(&overlapped), [true]);
        assert_eq!(about_time(&renumbered), [false]);
        assert_eq!(about_time(&short), [false]);
        let mut cut = short;
        cut.stopped_by = StoppedBy::Deadline;
        assert!(about_time(&cut).contains(&true));
    }

    #[test]
    fn a_missing_line_fails_the_stream_and_skips_the_checks() {
        let run = outcome(
            &[
                (0.0, ">1 got lock, sleeping 0.5"),
                (0.5, ">0 got lock, sleeping 0.25"),
            ],
            0.75,
        );
        let found = failures(MUTEX, &run);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].what, "[stdout] (m.txt)");
        assert!(
            found[0].why.contains(
                "has 2 line(s) left for the any-order block of expected file line 2, which needs 3"
            ),
            "{}",
            found[0].why
        );
    }

    #[test]
    fn lines_out_of_order_fail() {
        let run = outcome(
            &[
                (0.0, "This is from another thread"),
                (1.0, "Waiting for the thread..."),
            ],
            1.0,
        );
        let found = failures(
            "[stdout]\nWaiting for the thread...\nThis is from another thread\n",
            &run,
        );
        assert!(
            found[0]
                .why
                .contains("line 1 `This is from another thread` does not fit"),
            "{found:?}"
        );
    }

    #[test]
    fn status_deadline_leftovers_and_never_lines_each_fail() {
        let mut run = outcome(&[(0.0, "Can you see me?")], 1.0);
        run.ended = Ended::Code(101);
        run.leftovers = vec!["123 (sleep)".into()];
        let found = failures("[stdout]\n{text}\n[never]\nCan you see me?\n", &run);
        let what: Vec<&str> = found.iter().map(|f| f.what.as_str()).collect();
        assert_eq!(
            what,
            [
                "clean-up",
                "exit status",
                "[never] `Can you see me?` (m.txt:4)"
            ]
        );
        assert!(found[0].why.contains("left a child running"));
        assert!(found[1].why.contains("exit status 101"));

        let mut hung = outcome(&[], 20.0);
        hung.stopped_by = StoppedBy::Deadline;
        hung.ended = Ended::Signal(9);
        let found = failures("", &hung);
        assert_eq!(
            found.len(),
            1,
            "a killed run is not also blamed for its status: {found:?}"
        );
        assert!(found[0].why.starts_with("timed out after 20 s"));
    }

    #[test]
    fn stderr_must_be_empty_unless_expected() {
        let mut run = outcome(&[], 0.1);
        run.stderr = vec![Line {
            text: "thread 'main' panicked".into(),
            at: Duration::ZERO,
        }];
        let found = failures("", &run);
        assert_eq!(found[0].what, "[stderr] (m.txt)");
    }
}
