//! `cargo xtask verify`: select the examples, build their packages once, run them all side
//! by side, judge each run against its expected file, and report. Ctrl-C or SIGTERM kills
//! the examples still running, reports them as interrupted, and ends with status 130.

use crate::report::{self, Mark};
use crate::runner::{self, Outcome};
use crate::spec::{self, RunSpec, Spec};
use crate::{interrupt, verdict, workspace};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
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

/// How a verify run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Passed,
    Failed,
    Interrupted,
}

/// One example to run.
#[derive(Debug, Clone)]
pub struct Job {
    pub package: String,
    pub name: String,
    /// Its expected file, relative to the root.
    pub file: String,
    pub spec: Spec,
}

/// Runs verify; `Err` for bad use (exit 2).
pub fn verify(options: &Options) -> Result<Status, String> {
    let root = workspace::root();
    let jobs = select(&root, &options.filters)?;
    if options.list {
        for job in &jobs {
            println!("{} {}", job.package, job.name);
        }
        return Ok(Status::Passed);
    }
    interrupt::install()?;
    let stop = interrupt::flag();
    if !jobs.is_empty() {
        let jobs: Vec<&Job> = jobs.iter().collect();
        match build(&root, &binaries_of(&jobs), None, false, stop)? {
            Built::Yes => {}
            Built::Interrupted => return Ok(interrupted_before_running(jobs.len())),
            Built::Failed(_) => {
                eprintln!("verify: the build failed (cargo's messages are above); nothing was run");
                return Ok(Status::Failed);
            }
        }
    }
    runner::become_subreaper()?;
    let bin_dir = workspace::bin_dir(&root)?;
    let total = jobs.len();
    let started = Instant::now();
    let tasks = jobs
        .into_iter()
        .map(|job| Task {
            program: bin_dir.join(&job.name),
            plan: job.spec.run.clone(),
            data: job,
        })
        .collect();
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

/// Turns the filters into jobs, in lesson and tour order; each expected file is parsed now,
/// so a malformed one stops verify before anything runs.
pub fn select(root: &Path, filters: &[String]) -> Result<Vec<Job>, String> {
    let lessons = workspace::lessons(root)?;
    for filter in filters {
        let known = lessons
            .iter()
            .any(|l| l.package == *filter || l.example(filter).is_some());
        if !known {
            return Err(format!(
                "no lesson or example named `{filter}`; `cargo xtask verify --list` lists them"
            ));
        }
    }
    let mut jobs = Vec::new();
    for lesson in &lessons {
        let package = lesson.package.as_str();
        let whole = filters.is_empty() || filters.iter().any(|f| f == package);
        if whole {
            for name in workspace::binaries(root, package) {
                if lesson.example(&name).is_none() {
                    return Err(format!(
                        "{} is not in {package}/examples.txt; add it there (`cargo xtask lint` checks the lesson)",
                        workspace::source_file(package, &name)
                    ));
                }
            }
        }
        for example in &lesson.examples {
            if !whole && !filters.contains(&example.name) {
                continue;
            }
            let file = workspace::expected_file(package, &example.name);
            let text = std::fs::read_to_string(root.join(&file)).map_err(|_| {
                format!("{file} is missing: every example needs an expected file (xtask/README.md)")
            })?;
            let spec = spec::parse(&file, &text)?;
            jobs.push(Job {
                package: package.into(),
                name: example.name.clone(),
                file,
                spec,
            });
        }
    }
    Ok(jobs)
}

/// How a build ended.
#[derive(Debug)]
pub enum Built {
    Yes,
    /// cargo failed; its stderr, when it was captured.
    Failed(String),
    Interrupted,
}

/// cargo's selection for the binaries of `jobs`, and nothing else: a learner's
/// half-written exercise in the same package must not stop the examples from building.
pub fn binaries_of(jobs: &[&Job]) -> Vec<String> {
    let mut selection = Vec::new();
    for job in jobs {
        selection.extend([
            "--package".to_string(),
            job.package.clone(),
            "--bin".to_string(),
            job.name.clone(),
        ]);
    }
    selection
}

/// Builds what `selection` names (cargo's arguments, e.g. from [`binaries_of`]) with the
/// cargo that runs xtask, in xtask's own profile. With `target`, it builds into that
/// directory and keeps going past a binary that does not compile. With `capture`, cargo's
/// messages are returned on failure instead of shown.
pub fn build(
    root: &Path,
    selection: &[String],
    target: Option<&Path>,
    capture: bool,
    stop: &AtomicBool,
) -> Result<Built, String> {
    let mut command = Command::new(workspace::cargo());
    command
        .current_dir(root)
        .args(["build", "--quiet"])
        .args(selection);
    if workspace::profile() == "release" {
        command.arg("--release");
    }
    if let Some(target) = target {
        command.arg("--keep-going").env("CARGO_TARGET_DIR", target);
    }
    let messages = std::env::temp_dir().join(format!(
        "xtask-build-{}-{}.txt",
        std::process::id(),
        BUILDS.fetch_add(1, Ordering::Relaxed)
    ));
    if capture {
        let file = std::fs::File::create(&messages)
            .map_err(|e| format!("cannot create {}: {e}", messages.display()))?;
        command.stderr(file);
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    let status = loop {
        if stop.load(Ordering::SeqCst) {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(Built::Interrupted);
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(format!("cannot wait for cargo: {e}")),
        }
    };
    let captured = if capture {
        let text = std::fs::read_to_string(&messages).unwrap_or_default();
        let _ = std::fs::remove_file(&messages);
        text
    } else {
        String::new()
    };
    Ok(if status.success() {
        Built::Yes
    } else {
        Built::Failed(captured)
    })
}

/// Numbers the files that capture cargo's messages, one per build.
static BUILDS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// One program to run, with the data its result is reported with.
pub struct Task<T> {
    pub program: PathBuf,
    pub plan: RunSpec,
    pub data: T,
}

/// Runs the tasks on `workers` threads (in `dir`), handing each result to `each` on this
/// thread as it comes. When `stop` is raised the running ones are killed and no more start.
/// Returns how many tasks never reported (not started, or lost to a panic in a worker).
pub fn run_parallel<T: Send + 'static>(
    tasks: Vec<Task<T>>,
    workers: usize,
    dir: &Path,
    stop: &'static AtomicBool,
    mut each: impl FnMut(T, Result<Outcome, String>),
) -> usize {
    let count = tasks.len();
    let queue = Arc::new(Mutex::new(tasks.into_iter()));
    let (results, finished) = mpsc::channel::<(T, Result<Outcome, String>)>();
    for _ in 0..workers.clamp(1, count.max(1)) {
        let queue = Arc::clone(&queue);
        let results = results.clone();
        let dir: PathBuf = dir.into();
        thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                let next = queue
                    .lock()
                    .expect("the task queue is never poisoned")
                    .next();
                let Some(task) = next else { break };
                let outcome = runner::run(&task.program, &dir, &task.plan, stop);
                if results.send((task.data, outcome)).is_err() {
                    break;
                }
            }
        });
    }
    drop(results);
    let mut reported = 0;
    for (data, outcome) in finished.iter() {
        reported += 1;
        each(data, outcome);
    }
    count - reported
}

#[cfg(test)]
mod tests {
    use super::*;

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
