//! `cargo xtask verify`: select the examples, build their packages once, run them all side
//! by side, judge each run against its expected file, and report. Ctrl-C or SIGTERM kills
//! the examples still running, reports them as interrupted, and ends with status 130.

use crate::error::Error;
use crate::project::Project;
use crate::session::{
    Built, Event, Executables, Job, Session, Status, Tally, Task, binaries_of, select,
};
use checker::judge as verdict;
use checker::report::{self, Mark};
use std::path::Path;
use std::time::{Duration, Instant};

/// What the command line asked for.
#[derive(Debug)]
pub struct Options {
    pub filters: Vec<String>,
    pub jobs: usize,
    pub mode: Mode,
}

/// What verify does with the examples it picks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Run each and judge it against its expected file.
    Run,
    /// `--list`: name them, run nothing.
    List,
    /// `--breaks`: apply every break and require red.
    Breaks,
    /// `--explain EXAMPLE`: say what the example's checks prove.
    Explain(String),
    /// `--exercises`: solutions pass, exercises as shipped fail.
    Exercises,
}

/// Runs verify.
pub fn verify(project: &Project, options: &Options) -> Result<Status, Error> {
    let jobs = select(project, &options.filters)?;
    if options.mode == Mode::List {
        for job in &jobs {
            println!("{} {}", job.package, job.name);
        }
        return Ok(Status::Passed);
    }
    let session = Session::start(project)?;
    let mut built = Executables::default();
    if !jobs.is_empty() {
        let jobs: Vec<&Job> = jobs.iter().collect();
        match session.build(&binaries_of(&jobs), false)? {
            Built::Yes(executables) => built = executables,
            Built::Interrupted => return Ok(interrupted_before_running(jobs.len())),
            Built::Failed(_) => {
                eprintln!("verify: the build failed (cargo's messages are above); nothing was run");
                return Ok(Status::Failed);
            }
        }
    }
    let tasks = jobs
        .into_iter()
        .map(|job| {
            Ok(Task {
                program: built.path(&job.package, &job.name)?,
                plan: job.spec.run.clone(),
                data: job,
            })
        })
        .collect::<Result<_, Error>>()?;
    Ok(run(&session, tasks, options.jobs, project.root()).status(&session))
}

/// Runs the examples side by side, printing a progress line per run (and a failure's
/// report), then the closing lines.
fn run(session: &Session, tasks: Vec<Task<Job>>, workers: usize, dir: &Path) -> Tally {
    let total = tasks.len();
    let started = Instant::now();
    let mut tally = Tally::default();
    let lost = session.run(tasks, workers, dir, |event| {
        let (job, mark, elapsed, details) = match event {
            Event::Started(_) | Event::Line(..) => return,
            Event::NotStarted(_) => {
                tally.not_started += 1;
                return;
            }
            Event::Finished(job, outcome) => {
                let failures = verdict::judge(&job.spec, &job.file, &outcome);
                if failures.is_empty() {
                    (job, Mark::Passed, outcome.elapsed, String::new())
                } else {
                    let details = report::failure(&failures, &job.spec, &outcome);
                    (job, Mark::Failed, outcome.elapsed, details)
                }
            }
            Event::CutShort(job, outcome) => {
                (job, Mark::Interrupted, outcome.elapsed, String::new())
            }
            Event::Failed(job, why) => {
                (job, Mark::Failed, Duration::ZERO, format!("      {why}\n"))
            }
        };
        let name = format!("{} {}", job.package, job.name);
        tally.count(mark, &name, elapsed);
        println!(
            "{}",
            report::progress(tally.done(), total, mark, &job.package, &job.name, elapsed)
        );
        print!("{details}");
    });
    print!(
        "{}",
        tally.close(session, lost, "example(s)", started.elapsed(), true)
    );
    tally
}

fn interrupted_before_running(count: usize) -> Status {
    println!("verify: interrupted during the build; {count} example(s) not started");
    println!("{}", report::summary(0, 0, 0, Duration::ZERO, None));
    Status::Interrupted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::tests::task;
    use checker::run;

    #[test]
    fn a_hanging_example_is_killed_at_its_deadline_and_the_rest_still_run() {
        run::become_subreaper().unwrap();
        let dir = std::env::temp_dir().join(format!("xtask-verify-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let tasks = vec![
            task(
                &dir,
                "hangs",
                "echo start; sleep 60",
                "[run]\ndeadline 0.5\n[stdout]\nstart\n",
            ),
            task(
                &dir,
                "passes",
                "sleep 0.2; echo fine",
                "[stdout]\nfine\n[checks]\nline_at_least \"fine\" 0.2\n",
            ),
            task(
                &dir,
                "leaves_a_child",
                "sleep 60 & echo bye",
                "[stdout]\nbye\n",
            ),
        ];
        let stop = Box::leak(Box::new(std::sync::atomic::AtomicBool::new(false)));
        let project = Project::at(&dir);
        let session = Session::with_stop(&project, stop);
        let started = Instant::now();
        let tally = run(&session, tasks, 2, &dir);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((tally.passed, tally.failed), (1, 2));
        assert_eq!(tally.status(&session), Status::Failed);
        // Killed at its 0.5 s deadline, not at its 60 s sleep (a bound, with room for load).
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "took {:?}",
            started.elapsed()
        );
    }
}
