//! `cargo xtask timeline EXAMPLE` (or `--exercise LESSON`): runs one program once, recording
//! its threads and processes from `/proc` as it goes, and draws the run to the terminal's
//! width: one lane per thread or process, running, blocked or waiting, the output lines under it.

use crate::cmd::exercises;
use crate::error::Error;
use crate::project::Project;
use crate::session::{Bin, Built, Event, Session, Status, Task, select};
use checker::judge;
use checker::run::Outcome;
use checker::spec::Spec;
use checker::timeline::terminal;
use std::io::IsTerminal;

/// What to draw: an example, or a lesson's exercise as the learner left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Example(String),
    Exercise(String),
}

/// The width a drawing takes when stdout is not a terminal (a file, a pipe, a test).
const WIDTH_OFF_A_TERMINAL: usize = 100;

/// The terminal's width, or [`WIDTH_OFF_A_TERMINAL`].
pub fn width() -> usize {
    if std::io::stdout().is_terminal() {
        checker::output::quote_width()
    } else {
        WIDTH_OFF_A_TERMINAL
    }
}

/// Whether to colour a drawing: on a terminal, unless `NO_COLOR` is set (no-color.org).
pub fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Runs `cargo xtask timeline`.
pub fn timeline(project: &Project, subject: &Subject) -> Result<Status, Error> {
    let (bin, spec, file, heading) = match subject {
        Subject::Example(name) => {
            let lessons = project.lessons()?;
            let Some((lesson, example)) = lessons
                .iter()
                .find_map(|l| l.example(name).map(|example| (l, example)))
            else {
                let what = if lessons.iter().any(|l| l.package == *name) {
                    format!("`{name}` is a lesson; name one of its examples")
                } else {
                    format!("no example named `{name}`")
                };
                return Err(Error::usage(format!(
                    "{what}; `cargo xtask verify --list` lists them"
                )));
            };
            let job = select(project, std::slice::from_ref(name))?
                .into_iter()
                .next()
                .expect("select finds the example named");
            let heading = format!("{} {}: {}", lesson.package, example.name, example.watch);
            (
                Bin::new(&job.package, &job.name),
                job.spec,
                job.file,
                heading,
            )
        }
        Subject::Exercise(lesson) => {
            let all = exercises::all(project)?;
            let exercise = exercises::find(&all, lesson)?;
            (
                exercise.learner_bin(),
                exercise.spec.clone(),
                exercise.expected(),
                exercise.heading(),
            )
        }
    };
    let session = Session::start(project)?.recording();
    let program = match session.build(std::slice::from_ref(&bin), false)? {
        Built::Yes(built) => built.path(&bin.package, &bin.name)?,
        Built::Failed(_) => {
            eprintln!("timeline: the build failed (cargo's messages are above); nothing was run");
            return Ok(Status::Failed);
        }
        Built::Interrupted => {
            println!("timeline: interrupted");
            return Ok(Status::Interrupted);
        }
    };
    let task = Task {
        program,
        plan: spec.run.clone(),
        data: (),
    };
    let mut ran: Option<Result<Outcome, Error>> = None;
    session.run(vec![task], 1, project.root(), |event| match event {
        Event::Finished((), outcome) => ran = Some(Ok(outcome)),
        Event::Failed((), why) => ran = Some(Err(why.into())),
        Event::Started(_) | Event::Line(..) | Event::CutShort(..) | Event::NotStarted(_) => {}
    });
    let outcome = match ran {
        Some(ran) => ran?,
        None => {
            println!("timeline: interrupted");
            return Ok(Status::Interrupted);
        }
    };
    println!("{heading}");
    print!("{}", drawing(&outcome, width(), colour()));
    println!("{}", verdict_line(&spec, &file, &outcome, subject));
    Ok(Status::Passed)
}

/// The run's timeline drawn for a terminal, or a line saying it was not recorded.
pub fn drawing(outcome: &Outcome, width: usize, colour: bool) -> String {
    match &outcome.timeline {
        Some(timeline) => terminal::draw(timeline, width, colour),
        None => "(this run was not recorded)\n".to_string(),
    }
}

/// One line on what the expected file says of this run: the drawing is of a real run, which
/// may or may not be one that passes.
fn verdict_line(spec: &Spec, file: &str, outcome: &Outcome, subject: &Subject) -> String {
    let failures = judge::judge(spec, file, outcome);
    let again = match subject {
        Subject::Example(name) => format!("`cargo xtask verify {name}`"),
        Subject::Exercise(lesson) => format!("`cargo xtask check {lesson}`"),
    };
    if failures.is_empty() {
        format!("This run passes {file}.")
    } else {
        format!(
            "This run fails {file} ({} failure(s)); {again} says why.",
            failures.len()
        )
    }
}
