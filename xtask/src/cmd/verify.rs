//! `cargo xtask verify`: select the examples, build their packages once, run them all side
//! by side, judge each run against its expected file, and report. Ctrl-C or SIGTERM kills
//! the examples still running, reports them as interrupted, and ends with status 130.

use crate::project;
use crate::session::{
    Built, Executables, Job, Status, Task, binaries_of, build, run_parallel, select,
};
use checker::judge as verdict;
use checker::report::{self, Mark};
use checker::run::interrupt;
use checker::run::{self as runner, Outcome};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// What the command line asked for.
#[derive(Debug, Default)]
pub struct Options {
    pub filters: Vec<String>,
    pub list: bool,
    pub jobs: usize,
    /// `--breaks`: apply every break and require red.
    pub breaks: bool,
    /// `--explain EXAMPLE`: say what the example's checks prove.
    pub explain: Option<String>,
    /// `--exercises`: solutions pass, exercises as shipped fail.
    pub exercises: bool,
}

/// Runs verify; `Err` for bad use (exit 2).
pub fn verify(options: &Options) -> Result<Status, String> {
    let root = project::root();
    let jobs = select(&root, &options.filters)?;
    if options.list {
        for job in &jobs {
            println!("{} {}", job.package, job.name);
        }
        return Ok(Status::Passed);
    }
    interrupt::install()?;
    let stop = interrupt::flag();
    let mut built = Executables::default();
    if !jobs.is_empty() {
        let jobs: Vec<&Job> = jobs.iter().collect();
        match build(&root, &binaries_of(&jobs), None, false, stop)? {
            Built::Yes(executables) => built = executables,
            Built::Interrupted => return Ok(interrupted_before_running(jobs.len())),
            Built::Failed(_) => {
                eprintln!("verify: the build failed (cargo's messages are above); nothing was run");
                return Ok(Status::Failed);
            }
        }
    }
    runner::become_subreaper()?;
    let total = jobs.len();
    let started = Instant::now();
    let tasks = jobs
        .into_iter()
        .map(|job| {
            Ok(Task {
                program: built.path(&job.package, &job.name)?,
                plan: job.spec.run.clone(),
                data: job,
            })
        })
        .collect::<Result<_, String>>()?;
    let mut tally = Tally::default();
    let unreported = run_parallel(tasks, options.jobs, &root, stop, |job, outcome| {
        let (mark, elapsed, details) = judge(&job, &outcome);
        tally.count(mark, &job.package, &job.name);
        tally.note_time(&job.name, elapsed);
        println!(
            "{}",
            report::progress(tally.done(), total, mark, &job.package, &job.name, elapsed)
        );
        if mark == Mark::Failed {
            print!("{details}");
        }
    });
    Ok(tally.finish(unreported, stop, started.elapsed()))
}

/// A run judged: its mark, how long it took, and the failure's report (empty when it passed).
fn judge(job: &Job, outcome: &Result<Outcome, String>) -> (Mark, Duration, String) {
    match outcome {
        Ok(outcome) if outcome.interrupted => (Mark::Interrupted, outcome.elapsed, String::new()),
        Ok(outcome) => {
            let failures = verdict::judge(&job.spec, &job.file, outcome);
            let details = report::failure(&failures, &job.spec, outcome);
            let mark = if failures.is_empty() {
                Mark::Passed
            } else {
                Mark::Failed
            };
            (mark, outcome.elapsed, details)
        }
        Err(why) => (Mark::Failed, Duration::ZERO, format!("      {why}\n")),
    }
}

/// The counts of a batch, and the examples cut short.
#[derive(Debug, Default)]
struct Tally {
    passed: usize,
    failed: usize,
    cut_short: Vec<String>,
    /// The example that ran longest, and how long.
    slowest: Option<(String, Duration)>,
}

impl Tally {
    fn count(&mut self, mark: Mark, package: &str, name: &str) {
        match mark {
            Mark::Passed => self.passed += 1,
            Mark::Failed => self.failed += 1,
            Mark::Interrupted => self.cut_short.push(format!("{package} {name}")),
        }
    }

    fn note_time(&mut self, name: &str, elapsed: Duration) {
        if self
            .slowest
            .as_ref()
            .is_none_or(|(_, longest)| elapsed > *longest)
        {
            self.slowest = Some((name.to_string(), elapsed));
        }
    }

    fn done(&self) -> usize {
        self.passed + self.failed + self.cut_short.len()
    }

    /// Prints the closing lines and says how the run ended. `unreported` examples never
    /// reported: not started when verify was interrupted, else lost to a panic in verify.
    fn finish(mut self, unreported: usize, stop: &AtomicBool, wall: Duration) -> Status {
        let interrupted = stop.load(Ordering::SeqCst);
        if interrupted {
            println!(
                "verify: interrupted; cut short: {}",
                if self.cut_short.is_empty() {
                    "none".to_string()
                } else {
                    self.cut_short.join(", ")
                }
            );
            if unreported > 0 {
                println!("verify: {unreported} example(s) not started");
            }
        } else if unreported > 0 {
            self.failed += unreported;
            println!("verify: {unreported} example(s) were lost to a panic in verify (above)");
        }
        println!(
            "{}",
            report::summary(
                self.passed,
                self.failed,
                self.cut_short.len(),
                wall,
                self.slowest
                    .as_ref()
                    .map(|(name, took)| (name.as_str(), *took))
            )
        );
        if interrupted {
            Status::Interrupted
        } else if self.failed == 0 {
            Status::Passed
        } else {
            Status::Failed
        }
    }
}

fn interrupted_before_running(count: usize) -> Status {
    println!("verify: interrupted during the build; {count} example(s) not started");
    println!("{}", report::summary(0, 0, 0, Duration::ZERO, None));
    Status::Interrupted
}

#[cfg(test)]
mod tests {
    use super::*;
    use checker::spec;
    use std::path::Path;
    use std::thread;

    fn task(dir: &Path, name: &str, script: &str, expected: &str) -> Task<Job> {
        let program = dir.join(name);
        runner::write_script(&program, script);
        let file = format!("{name}.txt");
        let spec = spec::parse(&file, expected).unwrap();
        Task {
            program,
            plan: spec.run.clone(),
            data: Job {
                package: "lesson99".into(),
                name: name.into(),
                spec,
                file,
            },
        }
    }

    fn flag() -> &'static AtomicBool {
        Box::leak(Box::new(AtomicBool::new(false)))
    }

    /// Runs the tasks as verify does and returns the tally.
    fn run(tasks: Vec<Task<Job>>, workers: usize, dir: &Path, stop: &'static AtomicBool) -> Tally {
        let mut tally = Tally::default();
        let unreported = run_parallel(tasks, workers, dir, stop, |job, outcome| {
            let (mark, _, _) = judge(&job, &outcome);
            tally.count(mark, &job.package, &job.name);
        });
        tally.failed += unreported;
        tally
    }

    #[test]
    fn a_task_lost_to_a_panic_never_reports() {
        let dir = std::env::temp_dir().join(format!("xtask-verify-lost-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut lost = task(&dir, "lost", "echo hi", "[stdout]\nhi\n");
        // Not reachable from a parsed file (it caps seconds), but any panic would do.
        lost.plan.signal = Some(spec::SignalPlan {
            signal: nix::sys::signal::Signal::SIGINT,
            when: spec::SignalWhen::At(f64::MAX),
        });
        let unreported = run_parallel(vec![lost], 1, &dir, flag(), |_, _| {});
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(unreported, 1);
    }

    #[test]
    fn a_hanging_example_is_killed_at_its_deadline_and_the_rest_still_run() {
        runner::become_subreaper().unwrap();
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
        let started = Instant::now();
        let tally = run(tasks, 2, &dir, flag());
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((tally.passed, tally.failed), (1, 2));
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_stop_kills_the_running_examples_and_starts_no_more() {
        runner::become_subreaper().unwrap();
        let dir = std::env::temp_dir().join(format!("xtask-verify-stop-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let marker = dir.join("started");
        let script = format!("touch {}; sleep 60 & sleep 60", marker.display());
        let tasks = vec![
            task(&dir, "first", &script, "[stdout]\n"),
            task(&dir, "second", &script, "[stdout]\n"),
            task(&dir, "never_started", "echo hi", "[stdout]\nhi\n"),
        ];
        let stop = flag();
        let started = Instant::now();
        let raiser = thread::spawn(move || {
            thread::sleep(Duration::from_millis(500));
            stop.store(true, Ordering::SeqCst);
        });
        let mut tally = Tally::default();
        let mut groups = Vec::new();
        let unreported = run_parallel(tasks, 2, &dir, stop, |job, outcome| {
            let outcome = outcome.unwrap();
            groups.push(outcome.pid);
            let (mark, _, _) = judge(&job, &Ok(outcome));
            tally.count(mark, &job.package, &job.name);
        });
        raiser.join().unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        tally.cut_short.sort();
        assert_eq!(tally.cut_short, ["lesson99 first", "lesson99 second"]);
        assert_eq!((tally.passed, tally.failed, unreported), (0, 0, 1));
        for group in groups {
            assert!(
                runner::live_members(group).is_empty(),
                "group {group} still has members"
            );
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }
}
