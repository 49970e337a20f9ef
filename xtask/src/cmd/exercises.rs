//! The lesson exercises, checked by the engine that checks the examples.
//!
//! - `cargo xtask check LESSON` builds and runs the learner's `lessonNN/exercise.rs`, judges
//!   it against `lessonNN/expected/exercise.txt`, and says in words what is still missing
//!   ([`check_once`]; `check --watch`, in watch.rs, shows the same after every save).
//! - `cargo xtask progress` checks every exercise and shows `N/6 done` and the next one.
//! - `cargo xtask verify --exercises` (CI) requires every solution to pass, and every
//!   exercise as shipped to fail with a hint, so the checks can fail.

use crate::cmd::timeline;
use crate::error::Error;
use crate::project::{self, Project};
use crate::session::{Bin, Built, Event, Session, Status, Tally, Task};
use checker::judge::{self as verdict, Failure, Reason};
use checker::output;
use checker::report::{self, Echo, Mark};
use checker::run::Outcome;
use checker::spec::{self, Spec};
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// One lesson's exercise.
#[derive(Debug)]
pub struct Exercise {
    pub package: String,
    /// The `# ...` title of the exercise file's header, as shipped or as the learner left it.
    pub title: String,
    pub spec: Spec,
}

impl Exercise {
    /// The file the learner edits, relative to the root.
    pub fn source(&self) -> String {
        format!("{}/exercise.rs", self.package)
    }

    /// The line a check opens with: `lesson04: <title> (lesson04/exercise.rs)`.
    pub fn heading(&self) -> String {
        format!("{}: {} ({})", self.package, self.title, self.source())
    }

    pub fn expected(&self) -> String {
        project::expected_file(&self.package, "exercise")
    }

    /// The binary built from the learner's file.
    pub fn learner_bin(&self) -> Bin {
        Bin::new(&self.package, &self.binary(Which::Exercise))
    }

    fn binary(&self, which: Which) -> String {
        match which {
            Which::Exercise => format!("{}_exercise", self.package),
            Which::Solution => format!("{}_solution", self.package),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Exercise,
    Solution,
}

/// Every lesson that has an `exercise.rs`, in order, with its expected file parsed.
pub fn all(project: &Project) -> Result<Vec<Exercise>, Error> {
    let root = project.root();
    let mut found = Vec::new();
    for lesson in project.lessons()? {
        let package = lesson.package.clone();
        let source = root.join(&package).join("exercise.rs");
        let Ok(text) = std::fs::read_to_string(&source) else {
            continue;
        };
        let expected = project::expected_file(&package, "exercise");
        let spec_text = std::fs::read_to_string(root.join(&expected)).map_err(|_| {
            Error::usage(format!("{expected} is missing: every exercise needs one"))
        })?;
        found.push(Exercise {
            spec: spec::parse(&expected, &spec_text)?,
            title: title_of(&text),
            package,
        });
    }
    Ok(found)
}

/// The text after `//! # ` on the file's first line, or a plain name when it has none.
fn title_of(source: &str) -> String {
    source
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("//! #"))
        .map(|t| output::shorten(&output::printable(t.trim().as_bytes()), 100).into_owned())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "(no title)".into())
}

pub fn find<'a>(exercises: &'a [Exercise], lesson: &str) -> Result<&'a Exercise, Error> {
    exercises
        .iter()
        .find(|e| e.package == lesson)
        .ok_or_else(|| {
            let names: Vec<&str> = exercises.iter().map(|e| e.package.as_str()).collect();
            Error::usage(format!(
                "no exercise for `{lesson}`; the lessons with one are: {}",
                names.join(", ")
            ))
        })
}

/// How one exercise run went.
enum Judged {
    /// It ran; the failures (none: done).
    Ran(Vec<Failure>, Box<Outcome>),
    /// cargo could not build it.
    NoBuild,
    Interrupted,
}

/// `cargo xtask check LESSON`.
pub fn check(project: &Project, lesson: &str) -> Result<Status, Error> {
    let exercises = all(project)?;
    let exercise = find(&exercises, lesson)?;
    // Recorded, so that a failure about time can be shown on the run's timeline.
    let session = Session::start(project)?.recording();
    println!("{}", exercise.heading());
    let verdict = check_once(&session, exercise, Again::Command)?;
    print!("{}", verdict.text);
    Ok(verdict.status)
}

/// What one check of the learner's exercise says, after cargo's messages (which the build
/// shows as it goes): `check` prints it, and `check --watch` shows it after every save, so
/// whatever `check` comes to report, watch shows too.
#[derive(Debug)]
pub struct Verdict {
    /// The verdict, as `check` prints it.
    pub text: String,
    /// What the hints are, alone (watch's `h`), or a sentence saying why there are none.
    pub hints: String,
    pub status: Status,
}

/// How the verdict tells the learner to check again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Again {
    /// By running `cargo xtask check` again.
    Command,
    /// By saving the file: watch says so on its status line.
    Save,
}

/// Builds the learner's exercise, showing cargo's messages, runs it, and says what is still
/// missing. Stopped by the session's stop flag: then [`Status::Interrupted`].
pub fn check_once(session: &Session, exercise: &Exercise, again: Again) -> Result<Verdict, Error> {
    let judged = judge(session, exercise)?;
    verdict_of(session, exercise, judged, again)
}

/// What `check` says of one judged run (a failure about time drawn with the session's help,
/// which runs the worked solution for comparison).
fn verdict_of(
    session: &Session,
    exercise: &Exercise,
    judged: Judged,
    again: Again,
) -> Result<Verdict, Error> {
    let verdict = |text: String, hints: &str, status| Verdict {
        text,
        hints: hints.to_string(),
        status,
    };
    Ok(match judged {
        Judged::Interrupted => verdict("check: interrupted\n".into(), "", Status::Interrupted),
        Judged::NoBuild => verdict(
            format!(
                "Not done yet: {} does not compile (cargo's messages are above).\n",
                exercise.source()
            ),
            "No hints: it does not compile yet (cargo's messages are above).\n",
            Status::Failed,
        ),
        Judged::Ran(failures, outcome) if failures.is_empty() => verdict(
            format!(
                "Done: it does what the task asks ({:.1} s). `cargo xtask progress` shows the rest.\n",
                outcome.elapsed.as_secs_f64()
            ),
            "No hints: it does what the task asks.\n",
            Status::Passed,
        ),
        Judged::Ran(failures, outcome) => {
            let mut text = format!("Not done yet:\n{}", hints(exercise, &failures, &outcome));
            if failures.iter().any(|f| f.is_about_time(&exercise.spec)) {
                text.push_str(&timelines(session, exercise, &outcome)?);
            }
            if again == Again::Command {
                text.push_str(&format!(
                    "Edit {}, then run `cargo xtask check {}` again.\n",
                    exercise.source(),
                    exercise.package
                ));
            }
            Verdict {
                text,
                hints: hint_list(exercise, &failures),
                status: Status::Failed,
            }
        }
    })
}

/// `cargo xtask progress`: every exercise checked (side by side), then `N/M done` and the
/// next one to do.
pub fn progress(project: &Project) -> Result<Status, Error> {
    let exercises = all(project)?;
    let session = Session::start(project)?;
    let mut states = vec!["does not compile"; exercises.len()];
    let mut tasks = Vec::new();
    for (index, exercise) in exercises.iter().enumerate() {
        match build_one(&session, exercise, Which::Exercise, false)? {
            Built::Yes(built) => tasks.push(Task {
                program: built.path(&exercise.package, &exercise.binary(Which::Exercise))?,
                plan: exercise.spec.run.clone(),
                data: index,
            }),
            Built::Failed(_) => {}
            Built::Interrupted => return Ok(interrupted("progress")),
        }
    }
    session.run(
        tasks,
        exercises.len(),
        project.root(),
        |event| match event {
            Event::Finished(index, outcome) => {
                let exercise = &exercises[index];
                let done =
                    verdict::judge(&exercise.spec, &exercise.expected(), &outcome).is_empty();
                states[index] = if done { "done" } else { "not yet" };
            }
            Event::Failed(index, _) => states[index] = "not yet",
            Event::Started(_) | Event::Line(..) | Event::CutShort(..) | Event::NotStarted(_) => {}
        },
    );
    if session.interrupted() {
        return Ok(interrupted("progress"));
    }
    for (exercise, state) in exercises.iter().zip(&states) {
        println!(
            "  {state:<16} {:<9} {:<22} {}",
            exercise.package,
            exercise.source(),
            exercise.title
        );
    }
    let done = states.iter().filter(|s| **s == "done").count();
    println!("{done}/{} done", exercises.len());
    match exercises.iter().zip(&states).find(|(_, s)| **s != "done") {
        Some((exercise, _)) => println!(
            "Next: {}. `cargo run -p {} -- exercise` shows the task; edit {}; `cargo xtask check {}` says what is missing.",
            exercise.package,
            exercise.package,
            exercise.source(),
            exercise.package
        ),
        None => println!("Every exercise is done."),
    }
    Ok(Status::Passed)
}

fn interrupted(command: &str) -> Status {
    println!("{command}: interrupted");
    Status::Interrupted
}

/// Builds one binary of the exercise; cargo's messages are shown when `loud`.
fn build_one(
    session: &Session,
    exercise: &Exercise,
    which: Which,
    loud: bool,
) -> Result<Built, Error> {
    let bin = Bin::new(&exercise.package, &exercise.binary(which));
    session.build(&[bin], !loud)
}

/// Builds the learner's exercise, showing cargo's messages, and runs it.
fn judge(session: &Session, exercise: &Exercise) -> Result<Judged, Error> {
    let program = match build_one(session, exercise, Which::Exercise, true)? {
        Built::Yes(built) => built.path(&exercise.package, &exercise.binary(Which::Exercise))?,
        Built::Failed(_) => return Ok(Judged::NoBuild),
        Built::Interrupted => return Ok(Judged::Interrupted),
    };
    let root = session.root();
    let task = Task {
        program,
        plan: exercise.spec.run.clone(),
        data: (),
    };
    let mut judged = Ok(Judged::Interrupted);
    // Its lines are shown as they come, a screenful at most, so a slow run is seen working.
    let mut echo = Echo::default();
    let show = |text: &str| {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    };
    session.run(vec![task], 1, root, |event| match event {
        Event::Started(()) => show(&running(exercise)),
        Event::Line((), stream, line) => {
            if let Some(text) = echo.line(stream, &line) {
                show(&text);
            }
        }
        Event::Finished((), outcome) => {
            show(&echo.end().unwrap_or_default());
            let failures = verdict::judge(&exercise.spec, &exercise.expected(), &outcome);
            judged = Ok(Judged::Ran(failures, Box::new(outcome)));
        }
        Event::Failed((), why) => judged = Err(why.into()),
        Event::CutShort(..) | Event::NotStarted(_) => {}
    });
    judged
}

/// The line `check` shows when the learner's program starts, above its lines.
fn running(exercise: &Exercise) -> String {
    format!(
        "Running {}; its output as it comes (`!`: stderr):\n",
        exercise.source()
    )
}

/// For a failure about time: the learner's run drawn as a timeline (when the session records),
/// then the worked solution's, run now, so that "your workers ran one after another" is
/// seen beside workers that overlap.
fn timelines(session: &Session, exercise: &Exercise, yours: &Outcome) -> Result<String, Error> {
    if yours.timeline.is_none() {
        return Ok(String::new());
    }
    let (width, colour) = (timeline::width(), timeline::colour());
    let mut text = format!(
        "\nYour run, as the OS saw it (`cargo xtask timeline --exercise {}` draws it again):\n{}",
        exercise.package,
        timeline::drawing(yours, width, colour)
    );
    let program = match build_one(session, exercise, Which::Solution, false)? {
        Built::Yes(built) => built.path(&exercise.package, &exercise.binary(Which::Solution))?,
        Built::Failed(_) | Built::Interrupted => return Ok(text),
    };
    let task = Task {
        program,
        plan: exercise.spec.run.clone(),
        data: (),
    };
    session.run(vec![task], 1, session.root(), |event| {
        if let Event::Finished((), solution) = event {
            text.push_str(&format!(
                "\nThe worked solution's run, for comparison:\n{}",
                timeline::drawing(&solution, width, colour)
            ));
        }
    });
    Ok(text)
}

/// How many of the missing things `check` shows at once: the first few are what to work on
/// next, and a long list of everything not yet written helps no one.
const HINTS_SHOWN: usize = 3;

/// What is still missing, in words: for each failed check the expected file's comment above
/// it (written for the learner), what the check looks at, and what it found; for output that
/// does not fit, the lines the task asks for beside those printed.
fn hints(exercise: &Exercise, failures: &[Failure], outcome: &Outcome) -> String {
    let mut out = hint_list(exercise, failures);
    if failures
        .iter()
        .any(|f| matches!(f.reason, Reason::Stdout | Reason::Stderr))
    {
        out.push_str(&report::streams(&exercise.spec, outcome));
    }
    out
}

/// The numbered hints alone: each failed check's comment, what it looks at, what it found.
fn hint_list(exercise: &Exercise, failures: &[Failure]) -> String {
    let mut out = String::new();
    for (number, failure) in failures.iter().take(HINTS_SHOWN).enumerate() {
        let (hint, checked) = match &failure.reason {
            Reason::Check(written) => {
                let check = exercise
                    .spec
                    .checks
                    .iter()
                    .find(|c| c.item.id() == written);
                match check {
                    Some(c) if !c.comment.is_empty() => {
                        (c.comment.replace('\n', " "), Some(c.item.sentence()))
                    }
                    Some(c) => (c.item.sentence(), None),
                    None => (written.to_string(), None),
                }
            }
            Reason::Stdout | Reason::Stderr => (
                "the output does not have the lines the task asks for (the task, at the top of the file, lists them)".into(),
                None,
            ),
            Reason::ExitStatus => ("the program must run to its end and exit normally".into(), None),
            Reason::Deadline => (
                format!(
                    "the program must finish within {:.0} s",
                    exercise.spec.run.deadline.as_secs_f64()
                ),
                None,
            ),
            Reason::CleanUp => (
                "the program left a process running: wait for every child it starts".into(),
                None,
            ),
            Reason::Never => ("the output has a line the task rules out".into(), None),
        };
        out.push_str(&format!("  {}. {hint}\n", number + 1));
        if let Some(checked) = checked {
            out.push_str(&format!("     checked: {checked}\n"));
        }
        out.push_str(&format!(
            "     found: {}\n",
            output::shorten(&failure.why, output::quote_width())
        ));
    }
    if failures.len() > HINTS_SHOWN {
        out.push_str(&format!(
            "  ... and {} more once these are done\n",
            failures.len() - HINTS_SHOWN
        ));
    }
    out
}

/// `cargo xtask verify --exercises [LESSON...]`: each solution passes, and each exercise as
/// shipped fails with at least one hint (and neither hangs nor leaves a process behind).
pub fn verify_exercises(
    project: &Project,
    filters: &[String],
    workers: usize,
) -> Result<Status, Error> {
    let root = project.root();
    let mut exercises = all(project)?;
    for filter in filters {
        find(&exercises, filter)?;
    }
    if !filters.is_empty() {
        exercises.retain(|e| filters.contains(&e.package));
    }
    let session = Session::start(project)?;
    let mut selection = Vec::new();
    for exercise in &exercises {
        for which in [Which::Exercise, Which::Solution] {
            selection.push(Bin::new(&exercise.package, &exercise.binary(which)));
        }
    }
    let built = match session.build(&selection, false)? {
        Built::Yes(built) => built,
        Built::Interrupted => return Ok(Status::Interrupted),
        Built::Failed(_) => {
            eprintln!("verify: the build failed (cargo's messages are above); nothing was run");
            return Ok(Status::Failed);
        }
    };
    let mut tasks = Vec::new();
    for (index, exercise) in exercises.iter().enumerate() {
        tasks.push(Task {
            program: built.path(&exercise.package, &exercise.binary(Which::Solution))?,
            plan: exercise.spec.run.clone(),
            data: (index, Which::Solution),
        });
        if edited(root, &exercise.source()) {
            println!(
                "note: {} differs from the commit, so its shipped state is not checked here (CI checks it on a clean checkout)",
                exercise.source()
            );
        } else {
            tasks.push(Task {
                program: built.path(&exercise.package, &exercise.binary(Which::Exercise))?,
                plan: exercise.spec.run.clone(),
                data: (index, Which::Exercise),
            });
        }
    }
    let total = tasks.len();
    let started = Instant::now();
    let mut tally = Tally::default();
    let lost = session.run(tasks, workers, root, |event| {
        let ((index, which), mark, elapsed, details) = match event {
            Event::Started(_) | Event::Line(..) => return,
            Event::NotStarted(_) => {
                tally.not_started += 1;
                return;
            }
            Event::Finished(task, outcome) => {
                let exercise = &exercises[task.0];
                let failures = verdict::judge(&exercise.spec, &exercise.expected(), &outcome);
                let problem = match task.1 {
                    Which::Solution => (!failures.is_empty())
                        .then(|| report::failure(&failures, &exercise.spec, &outcome)),
                    Which::Exercise => shipped_problem(exercise, &failures),
                };
                match problem {
                    None => (task, Mark::Passed, outcome.elapsed, String::new()),
                    Some(details) => (task, Mark::Failed, outcome.elapsed, details),
                }
            }
            Event::CutShort(task, outcome) => {
                (task, Mark::Interrupted, outcome.elapsed, String::new())
            }
            Event::Failed(task, why) => {
                (task, Mark::Failed, Duration::ZERO, format!("      {why}\n"))
            }
        };
        let exercise = &exercises[index];
        let name = match which {
            Which::Solution => "solution passes",
            Which::Exercise => "exercise fails as shipped",
        };
        tally.count(mark, &format!("{} {name}", exercise.package), elapsed);
        println!(
            "{}",
            report::progress(tally.done(), total, mark, &exercise.package, name, elapsed)
        );
        print!("{details}");
    });
    print!(
        "{}",
        tally.close(&session, lost, "run(s)", started.elapsed(), false)
    );
    Ok(tally.status(&session))
}

/// Why an exercise as shipped is not a good starting point, if it is not: it must fail, only
/// for reasons a learner can act on (its output or its checks, never a hang or a leftover
/// process), and every failed check must carry a comment to show as its hint.
fn shipped_problem(exercise: &Exercise, failures: &[Failure]) -> Option<String> {
    if failures.is_empty() {
        return Some(format!(
            "      {} passes as shipped: its checks cannot tell the task undone\n",
            exercise.source()
        ));
    }
    let mut problems = String::new();
    for failure in failures {
        match &failure.reason {
            Reason::Deadline | Reason::CleanUp | Reason::ExitStatus => problems.push_str(&format!(
                "      as shipped it fails by {}: {}\n",
                failure.reason, failure.why
            )),
            Reason::Check(written) => {
                let commented = exercise
                    .spec
                    .checks
                    .iter()
                    .any(|c| c.item.id() == written && !c.comment.is_empty());
                if !commented {
                    problems.push_str(&format!(
                        "      check `{written}` failed with no comment above it to show as the hint\n"
                    ));
                }
            }
            Reason::Stdout | Reason::Stderr | Reason::Never => {}
        }
    }
    (!problems.is_empty()).then_some(problems)
}

/// Whether git says the file differs from the commit checked out (false when git cannot
/// tell, e.g. outside a repository).
fn edited(root: &Path, file: &str) -> bool {
    Command::new("git")
        .current_dir(root)
        .args(["diff", "--quiet", "HEAD", "--", file])
        .status()
        .is_ok_and(|status| status.code() == Some(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_is_the_header_line() {
        assert_eq!(
            title_of("//! # Exercise 04: a balance\n//!\nfn main() {}\n"),
            "Exercise 04: a balance"
        );
        assert_eq!(title_of("fn main() {}\n"), "(no title)");
    }

    /// What `check lesson04` prints after cargo's messages for a learner's program whose
    /// protected workers ran one after another, as the real expected file judges it: the
    /// program's lines as they came, then the hints, the checks and what they found, the
    /// whole text pinned. A quoted line is cut to the terminal's width when stdout is
    /// a terminal; then this runs again with stdout a pipe (200 characters), as the snapshot.
    #[test]
    fn check_explains_a_serial_run_in_the_words_of_the_expected_file() {
        use std::io::IsTerminal;
        let name =
            "cmd::exercises::tests::check_explains_a_serial_run_in_the_words_of_the_expected_file";
        if std::io::stdout().is_terminal() {
            let child = Command::new(std::env::current_exe().unwrap())
                .args(["--exact", name])
                .output()
                .unwrap();
            assert!(
                child.status.success(),
                "{}",
                String::from_utf8_lossy(&child.stdout)
            );
            return;
        }
        let exercise = Exercise {
            package: "lesson04".into(),
            title: "Exercise 04".into(),
            spec: spec::parse(
                "lesson04/expected/exercise.txt",
                include_str!("../../../lesson04/expected/exercise.txt"),
            )
            .unwrap(),
        };
        let mut stdout = Vec::new();
        let mut at = 0.0;
        let mut line = |text: String| {
            at += 0.01;
            stdout.push(checker::output::Line {
                text,
                at: std::time::Duration::from_secs_f64(at),
            });
        };
        for run in ["Unprotected", "Protected"] {
            let workers = [
                ("adder", 1),
                ("adder", 2),
                ("subtractor", 1),
                ("subtractor", 2),
            ];
            for (role, n) in workers {
                if run == "Unprotected" {
                    line(format!("{run}: {role} {n} started"));
                }
            }
            for (role, n) in workers {
                // The protected workers one after another: each starts when the last ends.
                if run == "Protected" {
                    line(format!("{run}: {role} {n} started"));
                }
                line(format!("{run}: {role} {n} finished after 1000000 updates"));
            }
            let balance = if run == "Protected" { 0 } else { 1234 };
            line(format!("{run}: balance={balance}"));
        }
        let outcome = Outcome {
            pid: 1,
            stdout,
            stderr: Vec::new(),
            stdout_cut: Default::default(),
            stderr_cut: Default::default(),
            ended: checker::run::Ended::Code(0),
            elapsed: std::time::Duration::from_secs_f64(at + 0.01),
            stopped_by: checker::run::StoppedBy::ItsEnd,
            leftovers: Vec::new(),
            timeline: None,
        };
        // As `judge` shows them: the start, each line (the program prints no more than the
        // echo shows), then what was not shown.
        let mut printed = running(&exercise);
        let mut echo = Echo::default();
        for line in &outcome.stdout {
            printed.push_str(&echo.line(checker::output::Stream::Stdout, line).unwrap());
        }
        assert_eq!(echo.end(), None);
        let failures = verdict::judge(&exercise.spec, &exercise.expected(), &outcome);
        let dir = tempfile::tempdir().unwrap();
        let project = Project::at(dir.path().to_path_buf());
        let session = Session::with_stop(&project, Box::leak(Box::default()));
        let judged = Judged::Ran(failures, Box::new(outcome));
        let verdict = verdict_of(&session, &exercise, judged, Again::Command).unwrap();
        assert_eq!(verdict.status, Status::Failed);
        printed.push_str(&verdict.text);
        expect_test::expect_file!["snapshots/check_lesson04_serial.txt"].assert_eq(&printed);
    }

    fn exercise(spec_text: &str) -> Exercise {
        Exercise {
            package: "lesson99".into(),
            title: "t".into(),
            spec: spec::parse("x.txt", spec_text).unwrap(),
        }
    }

    fn failure(reason: Reason) -> Failure {
        Failure {
            what: "w".into(),
            why: "y".into(),
            reason,
        }
    }

    #[test]
    fn a_shipped_exercise_must_fail_with_a_hint() {
        let spec = "[stdout]\nratio {float:r}\n[checks]\n# the threads must overlap\nall r >= 3\nall r <= 99\n";
        let ex = exercise(spec);
        assert!(
            shipped_problem(&ex, &[])
                .unwrap()
                .contains("passes as shipped")
        );
        assert!(
            shipped_problem(
                &ex,
                &[failure(Reason::Check("all r >= 3".parse().unwrap()))]
            )
            .is_none()
        );
        assert!(
            shipped_problem(
                &ex,
                &[failure(Reason::Check("all r <= 99".parse().unwrap()))]
            )
            .unwrap()
            .contains("no comment above it")
        );
        assert!(
            shipped_problem(&ex, &[failure(Reason::Deadline)])
                .unwrap()
                .contains("fails by deadline")
        );
        assert!(shipped_problem(&ex, &[failure(Reason::Stdout)]).is_none());
    }
}
