//! What every command that runs examples shares: the examples picked by name, one build of
//! their binaries, and a pool of workers that runs them side by side.

use crate::project;
use cargo_metadata::diagnostic::Diagnostic;
use cargo_metadata::{Message, PackageId};
use checker::run::{self, Outcome};
use checker::spec::{self, RunSpec, Spec};
use std::collections::BTreeMap;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
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
            for name in project::binaries(root, package)? {
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

/// One binary of the workspace: its package and its name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Bin {
    pub package: String,
    pub name: String,
}

impl Bin {
    pub fn new(package: &str, name: &str) -> Bin {
        Bin {
            package: package.into(),
            name: name.into(),
        }
    }
}

/// Where cargo put each binary it built (its `executable`, from its JSON messages).
#[derive(Debug, Default)]
pub struct Executables(BTreeMap<Bin, PathBuf>);

impl Executables {
    /// The binary's executable, when cargo built it.
    pub fn get(&self, bin: &Bin) -> Option<&Path> {
        self.0.get(bin).map(PathBuf::as_path)
    }

    /// The binary's executable; after a build that succeeded, every binary asked for has one.
    pub fn path(&self, package: &str, name: &str) -> Result<PathBuf, String> {
        self.get(&Bin::new(package, name))
            .map(Path::to_path_buf)
            .ok_or_else(|| format!("cargo built no binary `{name}` of {package}"))
    }
}

/// How a build ended.
#[derive(Debug)]
pub enum Built {
    /// Every binary asked for was built.
    Yes(Executables),
    /// cargo failed.
    Failed(Failed),
    Interrupted,
}

/// A build that failed: what it built all the same (`--keep-going` builds every binary it
/// can), and why, when its messages were captured instead of shown.
#[derive(Debug, Default)]
pub struct Failed {
    pub built: Executables,
    /// The compiler's messages, errors and warnings (when captured).
    pub diagnostics: Vec<Diagnostic>,
    /// cargo's own messages, its stderr (when captured): a manifest it cannot read, `could
    /// not compile ...`.
    pub cargo: String,
}

/// The binaries of `jobs`, and nothing else: a learner's half-written exercise in the same
/// package must not stop the examples from building.
pub fn binaries_of(jobs: &[&Job]) -> Vec<Bin> {
    jobs.iter()
        .map(|job| Bin::new(&job.package, &job.name))
        .collect()
}

/// Builds `bins` in the workspace at `root` with the cargo that runs xtask, in xtask's own
/// profile, and says where each is. With `scratch` (a target directory), it builds there and
/// keeps going past a binary that does not compile. With `capture`, the compiler's and
/// cargo's messages are returned on failure instead of shown. Raising `stop` kills cargo.
pub fn build(
    root: &Path,
    bins: &[Bin],
    scratch: Option<&Path>,
    capture: bool,
    stop: &AtomicBool,
) -> Result<Built, String> {
    let mut command = Command::new(project::cargo());
    command.current_dir(root).args(["build", "--quiet"]);
    // cargo's JSON messages on stdout name each binary's executable. Captured, the compiler's
    // messages come in them too (`json`); shown, cargo renders them on stderr as a plain build
    // does (`json-render-diagnostics`).
    command.arg(if capture {
        "--message-format=json"
    } else {
        "--message-format=json-render-diagnostics"
    });
    for bin in bins {
        command.args(["--package", &bin.package, "--bin", &bin.name]);
    }
    if project::profile() == "release" {
        command.arg("--release");
    }
    if let Some(target) = scratch {
        command.arg("--keep-going").env("CARGO_TARGET_DIR", target);
    }
    command.stdout(Stdio::piped());
    if capture {
        command.stderr(Stdio::piped());
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    // Both streams are read on threads of their own, so cargo never blocks on a full pipe
    // while this one watches `stop`.
    let stdout = child.stdout.take().expect("cargo's stdout is piped");
    let messages = thread::spawn(move || read_messages(stdout));
    let stderr = child.stderr.take().map(|mut stderr| {
        thread::spawn(move || {
            let mut text = Vec::new();
            let _ = stderr.read_to_end(&mut text);
            String::from_utf8_lossy(&text).into_owned()
        })
    });
    let status = loop {
        if stop.load(Ordering::SeqCst) {
            let _ = child.kill();
            let _ = child.wait();
            // The readers end when the pipes close; nothing waits for them.
            return Ok(Built::Interrupted);
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(format!("cannot wait for cargo: {e}")),
        }
    };
    let (artifacts, diagnostics) = messages
        .join()
        .map_err(|_| "the reader of cargo's messages panicked".to_string())?
        .map_err(|e| format!("cannot read cargo's messages: {e}"))?;
    let cargo = stderr
        .map(|reader| reader.join().unwrap_or_default())
        .unwrap_or_default();
    // An artifact names its package by id; the workspace's metadata gives the name.
    let metadata = project::metadata(root)?;
    let mut built = Executables::default();
    for (id, name, executable) in artifacts {
        if let Some(package) = metadata.packages.iter().find(|p| p.id == id) {
            built.0.insert(Bin::new(&package.name, &name), executable);
        }
    }
    if !status.success() {
        return Ok(Built::Failed(Failed {
            built,
            diagnostics,
            cargo,
        }));
    }
    if let Some(missing) = bins.iter().find(|bin| built.get(bin).is_none()) {
        return Err(format!(
            "cargo built {}, but named no executable for its binary `{}`",
            missing.package, missing.name
        ));
    }
    Ok(Built::Yes(built))
}

/// What cargo's JSON messages say: each binary built (its package, name and executable), and
/// the compiler's messages.
type Messages = (Vec<(PackageId, String, PathBuf)>, Vec<Diagnostic>);

fn read_messages(stdout: impl Read) -> std::io::Result<Messages> {
    let mut artifacts = Vec::new();
    let mut diagnostics = Vec::new();
    for message in Message::parse_stream(BufReader::new(stdout)) {
        match message? {
            Message::CompilerArtifact(artifact) if artifact.target.is_bin() => {
                if let Some(executable) = artifact.executable {
                    artifacts.push((
                        artifact.package_id,
                        artifact.target.name,
                        executable.into_std_path_buf(),
                    ));
                }
            }
            Message::CompilerMessage(message) => diagnostics.push(message.message),
            _ => {}
        }
    }
    Ok((artifacts, diagnostics))
}

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
