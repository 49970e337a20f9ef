//! `cargo xtask verify`: select the examples, build their packages once, run them (in
//! parallel, except those marked `alone`, which run with nothing beside them), judge each
//! run against its expected file, and report.

use crate::runner::{self, Outcome};
use crate::spec::{self, Spec};
use crate::{report, verdict, workspace};
use std::path::{Path, PathBuf};
use std::process::Command;
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
}

/// One example to run.
struct Job {
    package: String,
    name: String,
    file: String,
    spec: Spec,
}

/// Runs verify; `Ok(true)` when every example passed, `Err` for bad use (exit 2).
pub fn verify(options: &Options) -> Result<bool, String> {
    let root = workspace::root();
    let jobs = select(&root, &options.filters)?;
    if options.list {
        for job in &jobs {
            let alone = if job.spec.run.alone {
                "  (runs alone)"
            } else {
                ""
            };
            println!("{} {}{alone}", job.package, job.name);
        }
        return Ok(true);
    }
    let started = Instant::now();
    if !jobs.is_empty() && !build(&root, &jobs) {
        eprintln!("verify: the build failed (cargo's messages are above); nothing was run");
        return Ok(false);
    }
    runner::become_subreaper()?;
    let bin_dir = workspace::target_dir(&root).join("debug");
    let (parallel, alone): (Vec<Job>, Vec<Job>) = jobs.into_iter().partition(|j| !j.spec.run.alone);
    let total = parallel.len() + alone.len();
    let mut tally = Tally {
        done: 0,
        total,
        failed: 0,
    };
    run_batch(parallel, options.jobs, &root, &bin_dir, &mut tally);
    for job in alone {
        run_batch(vec![job], 1, &root, &bin_dir, &mut tally);
    }
    println!(
        "{}",
        report::summary(tally.done - tally.failed, tally.failed, started.elapsed())
    );
    Ok(tally.failed == 0)
}

struct Tally {
    done: usize,
    total: usize,
    failed: usize,
}

/// Turns the filters into jobs, in lesson and tour order; each expected file is parsed now,
/// so a malformed one stops verify before anything runs.
fn select(root: &Path, filters: &[String]) -> Result<Vec<Job>, String> {
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

/// Builds the binaries of every package that has a selected example, with the cargo that
/// runs xtask.
fn build(root: &Path, jobs: &[Job]) -> bool {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args(["build", "--quiet", "--bins"]);
    let mut packages: Vec<&str> = jobs.iter().map(|j| j.package.as_str()).collect();
    packages.dedup();
    for package in packages {
        command.args(["--package", package]);
    }
    command.status().is_ok_and(|s| s.success())
}

/// Runs `jobs` on `workers` threads and reports each as it finishes.
fn run_batch(jobs: Vec<Job>, workers: usize, root: &Path, bin_dir: &Path, tally: &mut Tally) {
    let count = jobs.len();
    let queue = Arc::new(Mutex::new(jobs.into_iter()));
    let (results, finished) = mpsc::channel::<(Job, Result<Outcome, String>)>();
    for _ in 0..workers.clamp(1, count.max(1)) {
        let queue = Arc::clone(&queue);
        let results = results.clone();
        let (root, bin_dir): (PathBuf, PathBuf) = (root.into(), bin_dir.into());
        thread::spawn(move || {
            loop {
                let next = queue
                    .lock()
                    .expect("the job queue is never poisoned")
                    .next();
                let Some(job) = next else { break };
                let outcome = runner::run(&bin_dir.join(&job.name), &root, &job.spec.run);
                if results.send((job, outcome)).is_err() {
                    break;
                }
            }
        });
    }
    drop(results);
    let mut reported = 0;
    for (job, outcome) in finished.iter().take(count) {
        reported += 1;
        tally.done += 1;
        let (failures, elapsed, details) = match &outcome {
            Ok(outcome) => {
                let failures = verdict::judge(&job.spec, &job.file, outcome);
                let details = report::failure(&failures, &job.spec, outcome);
                (failures.len(), outcome.elapsed, details)
            }
            Err(why) => (1, Duration::ZERO, format!("      {why}\n")),
        };
        let passed = failures == 0;
        if !passed {
            tally.failed += 1;
        }
        println!(
            "{}",
            report::progress(
                tally.done,
                tally.total,
                passed,
                &job.package,
                &job.name,
                elapsed
            )
        );
        if !passed {
            print!("{details}");
        }
    }
    // A worker that panicked took its job with it: that job failed, it did not pass.
    if reported < count {
        let lost = count - reported;
        tally.done += lost;
        tally.failed += lost;
        println!("verify: {lost} example(s) of this batch were lost to a panic in verify (above)");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn job(dir: &Path, name: &str, script: &str, expected: &str) -> Job {
        let program = dir.join(name);
        std::fs::write(&program, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        let file = format!("{name}.txt");
        Job {
            package: "lesson99".into(),
            name: name.into(),
            spec: spec::parse(&file, expected).unwrap(),
            file,
        }
    }

    #[test]
    fn a_job_lost_to_a_panic_counts_as_failed() {
        let dir = std::env::temp_dir().join(format!("xtask-verify-lost-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut lost = job(&dir, "lost", "echo hi", "[stdout]\nhi\n");
        // Not reachable from a parsed file (it caps seconds), but any panic would do.
        lost.spec.run.signal = Some(spec::SignalPlan {
            signal: nix::sys::signal::Signal::SIGINT,
            when: spec::SignalWhen::At(f64::MAX),
        });
        let mut tally = Tally {
            done: 0,
            total: 1,
            failed: 0,
        };
        run_batch(vec![lost], 1, &dir, &dir, &mut tally);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((tally.done, tally.failed), (1, 1));
    }

    #[test]
    fn a_hanging_example_is_killed_at_its_deadline_and_the_rest_still_run() {
        runner::become_subreaper().unwrap();
        let dir = std::env::temp_dir().join(format!("xtask-verify-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let jobs = vec![
            job(
                &dir,
                "hangs",
                "echo start; sleep 60",
                "[run]\ndeadline 0.5\n[stdout]\nstart\n",
            ),
            job(
                &dir,
                "passes",
                "sleep 0.2; echo fine",
                "[stdout]\nfine\n[checks]\nline_at_least \"fine\" 0.2\n",
            ),
            job(
                &dir,
                "leaves_a_child",
                "sleep 60 & echo bye",
                "[stdout]\nbye\n",
            ),
        ];
        let mut tally = Tally {
            done: 0,
            total: 3,
            failed: 0,
        };
        let started = Instant::now();
        run_batch(jobs, 2, &dir, &dir, &mut tally);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((tally.done, tally.failed), (3, 2));
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "took {:?}",
            started.elapsed()
        );
    }
}
