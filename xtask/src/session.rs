//! What every command that runs examples shares: the examples picked by name, one build of
//! their binaries, and a pool of workers that runs them side by side.

use crate::project;
use checker::run::{self, Outcome};
use checker::spec::{self, RunSpec, Spec};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

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
/// Turns the filters into jobs, in lesson and tour order; each expected file is parsed now,
/// so a malformed one stops verify before anything runs.
pub fn select(root: &Path, filters: &[String]) -> Result<Vec<Job>, String> {
    let lessons = project::lessons(root)?;
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
            for name in project::binaries(root, package) {
                if lesson.example(&name).is_none() {
                    return Err(format!(
                        "{} is not in {package}/examples.txt; add it there (`cargo xtask lint` checks the lesson)",
                        project::source_file(package, &name)
                    ));
                }
            }
        }
        for example in &lesson.examples {
            if !whole && !filters.contains(&example.name) {
                continue;
            }
            let file = project::expected_file(package, &example.name);
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
    let mut command = Command::new(project::cargo());
    command
        .current_dir(root)
        .args(["build", "--quiet"])
        .args(selection);
    if project::profile() == "release" {
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
                let outcome = run::run(&task.program, &dir, &task.plan, stop);
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
