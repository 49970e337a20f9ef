//! What every command that runs examples shares: the examples picked by name, one build of
//! their binaries, and a pool of workers that runs them side by side.

use crate::cargo_json::{Diagnostic, Message};
use crate::error::{Error, OrFailed};
use crate::project::{self, Project};
use checker::SystemError;
use checker::output::{Line, Stream};
use checker::report::{self, Mark};
use checker::run::{self, Outcome, Progress, StoppedBy, interrupt};
use checker::spec::{self, RunSpec, Spec};
use nix::sys::signal::{Signal, killpg};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

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
pub fn select(project: &Project, filters: &[String]) -> Result<Vec<Job>, Error> {
    let lessons = project.lessons()?;
    for filter in filters {
        let known = lessons
            .iter()
            .any(|l| l.package == *filter || l.example(filter).is_some());
        if !known {
            return Err(Error::usage(format!(
                "no lesson or example named `{filter}`; `cargo xtask verify --list` lists them"
            )));
        }
    }
    let mut jobs = Vec::new();
    for lesson in lessons {
        let package = lesson.package.as_str();
        let whole = filters.is_empty() || filters.iter().any(|f| f == package);
        if whole {
            for name in project.binaries(package)? {
                if lesson.example(&name).is_none() {
                    return Err(Error::usage(format!(
                        "{} is not in {package}/examples.txt; add it there (`cargo xtask lint` checks the lesson)",
                        project::source_file(package, &name)
                    )));
                }
            }
        }
        for example in &lesson.examples {
            if !whole && !filters.contains(&example.name) {
                continue;
            }
            let file = project::expected_file(package, &example.name);
            let text = std::fs::read_to_string(project.root().join(&file)).map_err(|_| {
                Error::usage(format!(
                    "{file} is missing: every example needs an expected file (xtask/README.md)"
                ))
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
    pub fn path(&self, package: &str, name: &str) -> Result<PathBuf, Error> {
        self.get(&Bin::new(package, name))
            .map(Path::to_path_buf)
            .ok_or_else(|| Error::failed(format!("cargo built no binary `{name}` of {package}")))
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

/// Builds `bins` in the workspace `project` with the cargo that runs xtask, in xtask's own
/// profile, and says where each is. With `scratch` (a target directory), it builds there and
/// keeps going past a binary that does not compile. With `capture`, the compiler's and
/// cargo's messages are returned on failure instead of shown. Raising `stop` kills cargo.
pub fn build(
    project: &Project,
    bins: &[Bin],
    scratch: Option<&Path>,
    capture: bool,
    stop: &AtomicBool,
) -> Result<Built, Error> {
    let mut command = Command::new(project::cargo());
    command
        .current_dir(project.root())
        .args(["build", "--quiet"]);
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
    // cargo and the compilers it starts in a process group of their own, so that `stop` ends
    // them all: cargo killed alone leaves its rustc and linker running. Out of the terminal's
    // foreground group, it must not read the terminal (it never does).
    command.process_group(0).stdin(Stdio::null());
    let mut child = command.spawn().or_failed(|| "cannot start cargo".into())?;
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
            kill_group(&mut child);
            // The readers end when the pipes close; nothing waits for them.
            return Ok(Built::Interrupted);
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(Error::failed(format!("cannot wait for cargo: {e}"))),
        }
    };
    let (artifacts, diagnostics) = messages
        .join()
        .map_err(|_| Error::failed("the reader of cargo's messages panicked"))?
        .or_failed(|| "cannot read cargo's messages".into())?;
    let cargo = stderr
        .map(|reader| reader.join().unwrap_or_default())
        .unwrap_or_default();
    // An artifact names its package by id; the workspace's metadata gives the name.
    let metadata = project.metadata()?;
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
        return Err(Error::failed(format!(
            "cargo built {}, but named no executable for its binary `{}`",
            missing.package, missing.name
        )));
    }
    Ok(Built::Yes(built))
}

/// Kills cargo's process group (cargo, its rustc, their linkers) and reaps them: cargo here,
/// and the others too when this process is their subreaper (a session's), to which they pass
/// when cargo dies. SIGKILL'd, each ends at once; the wait is bounded all the same.
fn kill_group(cargo: &mut Child) {
    let group = Pid::from_raw(cargo.id() as i32);
    let _ = killpg(group, Signal::SIGKILL);
    let _ = cargo.wait();
    let until = Instant::now() + Duration::from_secs(2);
    // `-group`: any child of this process in that group; ECHILD once there is none.
    while let Ok(status) = waitpid(Pid::from_raw(-group.as_raw()), Some(WaitPidFlag::WNOHANG)) {
        if status == WaitStatus::StillAlive {
            if Instant::now() > until {
                break;
            }
            thread::sleep(Duration::from_millis(10));
        }
    }
}

/// What cargo's JSON messages say: each binary built (its package, name and executable), and
/// the compiler's messages.
type Messages = (Vec<(String, String, PathBuf)>, Vec<Diagnostic>);

fn read_messages(stdout: impl Read) -> std::io::Result<Messages> {
    let mut artifacts = Vec::new();
    let mut diagnostics = Vec::new();
    for line in BufReader::new(stdout).lines() {
        match Message::parse(&line?) {
            Some(Message::Binary {
                package_id,
                name,
                executable,
            }) => artifacts.push((package_id, name, executable)),
            Some(Message::Compiler(diagnostic)) => diagnostics.push(diagnostic),
            None => {}
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

/// What happened to one task, in the order it happened, on the thread that called
/// [`Session::run`]: `Started`, then its `Line`s, then one of the last four (a task that never
/// started has only `NotStarted`, and one that could not start only `Failed`). The events of
/// tasks running side by side interleave.
#[derive(Debug)]
pub enum Event<'t, T> {
    /// A worker started the task's program.
    Started(&'t T),
    /// The task's program wrote a line that its run keeps (see `checker::run::Progress`).
    Line(&'t T, Stream, Line),
    /// The program ran to its end (or its deadline): its outcome, to be judged.
    Finished(T, Outcome),
    /// The program was killed when the session was interrupted.
    CutShort(T, Outcome),
    /// The program could not be run at all.
    Failed(T, SystemError),
    /// The session was interrupted before a worker took the task.
    NotStarted(T),
}

/// What a worker sends: an event of the task at this index of the list given to
/// [`Session::run`], which keeps the tasks' data on its own thread.
enum Report {
    Started(usize),
    Line(usize, Stream, Line),
    Finished(usize, Outcome),
    CutShort(usize, Outcome),
    Failed(usize, SystemError),
    NotStarted(usize),
}

/// One command's running of programs: Ctrl-C and SIGTERM raise a flag that every run
/// watches, this process is a subreaper, and tasks run side by side on a few workers. Every
/// command that runs programs (verify, `--breaks`, `--exercises`, `check`, `progress`, the
/// book) runs them through one of these, so an interrupt means the same everywhere.
#[derive(Debug)]
pub struct Session<'p> {
    project: &'p Project,
    stop: &'static AtomicBool,
    /// Whether each run is recorded as a timeline (its outcome's `timeline`).
    record: bool,
}

impl<'p> Session<'p> {
    /// Routes Ctrl-C and SIGTERM to the interrupt flag and makes this process a subreaper.
    pub fn start(project: &'p Project) -> Result<Session<'p>, Error> {
        interrupt::install()?;
        run::become_subreaper()?;
        Ok(Session::with_stop(project, interrupt::flag()))
    }

    /// A session that watches `stop` instead of the signals: for tests, and for `check
    /// --watch`, whose newer save also stops a check (it raises `stop` on an interrupt too).
    pub fn with_stop(project: &'p Project, stop: &'static AtomicBool) -> Session<'p> {
        Session {
            project,
            stop,
            record: false,
        }
    }

    /// The same session, recording each run it runs as a timeline (the outcome's `timeline`,
    /// sampled from `/proc`: see `checker::timeline`). Only `timeline`, `check` and the book
    /// record; verify's runs are not sampled.
    pub fn recording(self) -> Session<'p> {
        Session {
            record: true,
            ..self
        }
    }

    /// The workspace the session builds and runs in.
    pub fn project(&self) -> &'p Project {
        self.project
    }

    pub fn root(&self) -> &'p Path {
        self.project.root()
    }

    /// The flag an interrupt raises, for work the session does not run itself.
    pub fn stop(&self) -> &'static AtomicBool {
        self.stop
    }

    pub fn interrupted(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// [`build`] in this session's workspace, stopped by its interrupt.
    pub fn build(&self, bins: &[Bin], capture: bool) -> Result<Built, Error> {
        build(self.project, bins, None, capture, self.stop)
    }

    /// Runs the tasks on `workers` threads, in `dir`, handing each [`Event`] to `each` on
    /// this thread as it comes. Tasks with the longest deadlines start first: they are the
    /// slow ones, and one started last would keep the others' workers idle while it runs.
    /// When the session is interrupted the running programs are killed (each reported as
    /// [`Event::CutShort`]) and the rest as [`Event::NotStarted`]. Returns how many tasks
    /// were lost to a panic in a worker (they report no end).
    pub fn run<T>(
        &self,
        tasks: Vec<Task<T>>,
        workers: usize,
        dir: &Path,
        mut each: impl FnMut(Event<'_, T>),
    ) -> usize {
        let count = tasks.len();
        // The workers take the programs and plans; the data stays here, lent to `Started`
        // and `Line` and handed over with the task's last event.
        let mut data = Vec::with_capacity(count);
        let mut runs = Vec::with_capacity(count);
        for (index, task) in tasks.into_iter().enumerate() {
            data.push(Some(task.data));
            runs.push((index, task.program, task.plan));
        }
        runs.sort_by_key(|(_, _, plan)| std::cmp::Reverse(plan.deadline));
        let queue = Arc::new(Mutex::new(runs.into_iter()));
        let (reports, received) = mpsc::channel::<Report>();
        let stop = self.stop;
        let record = self.record;
        for _ in 0..workers.clamp(1, count.max(1)) {
            let queue = Arc::clone(&queue);
            let reports = reports.clone();
            let dir: PathBuf = dir.into();
            thread::spawn(move || {
                loop {
                    let next = queue
                        .lock()
                        .expect("the task queue is never poisoned")
                        .next();
                    let Some((index, program, plan)) = next else {
                        break;
                    };
                    let last = if stop.load(Ordering::SeqCst) {
                        Report::NotStarted(index)
                    } else {
                        // The session's thread may have stopped listening (its `each`
                        // panicked): what the run tells it then is dropped.
                        let mut tell = |progress: Progress<'_>| {
                            let _ = reports.send(match progress {
                                Progress::Started { .. } => Report::Started(index),
                                Progress::Line(stream, line) => {
                                    Report::Line(index, stream, line.clone())
                                }
                            });
                        };
                        match run::run_watched(&program, &dir, &plan, stop, record, &mut tell) {
                            Ok(outcome) if outcome.stopped_by == StoppedBy::Interrupt => {
                                Report::CutShort(index, outcome)
                            }
                            Ok(outcome) => Report::Finished(index, outcome),
                            Err(why) => Report::Failed(index, why),
                        }
                    };
                    if reports.send(last).is_err() {
                        break;
                    }
                }
            });
        }
        drop(reports);
        let mut ended = 0;
        for report in received.iter() {
            let mut take = |index: usize| {
                ended += 1;
                data[index].take().expect("a task ends once")
            };
            let event = match report {
                Report::Started(index) => {
                    Event::Started(data[index].as_ref().expect("a task starts before it ends"))
                }
                Report::Line(index, stream, line) => Event::Line(
                    data[index].as_ref().expect("a task writes before it ends"),
                    stream,
                    line,
                ),
                Report::Finished(index, outcome) => Event::Finished(take(index), outcome),
                Report::CutShort(index, outcome) => Event::CutShort(take(index), outcome),
                Report::Failed(index, why) => Event::Failed(take(index), why),
                Report::NotStarted(index) => Event::NotStarted(take(index)),
            };
            each(event);
        }
        count - ended
    }
}

/// The counts of a session's runs, kept the same way by every command.
#[derive(Debug, Default)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    /// The runs killed by an interrupt, by name.
    pub cut_short: Vec<String>,
    /// Interrupted before they started.
    pub not_started: usize,
    /// The run that took longest, and how long.
    pub slowest: Option<(String, Duration)>,
}

impl Tally {
    /// Counts one run (its mark from the command's judgement), named as the report names it.
    pub fn count(&mut self, mark: Mark, name: &str, elapsed: Duration) {
        match mark {
            Mark::Passed => self.passed += 1,
            Mark::Failed => self.failed += 1,
            Mark::Interrupted => self.cut_short.push(name.to_string()),
        }
        if mark != Mark::Interrupted
            && self
                .slowest
                .as_ref()
                .is_none_or(|(_, longest)| elapsed > *longest)
        {
            self.slowest = Some((name.to_string(), elapsed));
        }
    }

    /// Runs counted so far (passed, failed or cut short).
    pub fn done(&self) -> usize {
        self.passed + self.failed + self.cut_short.len()
    }

    /// Counts the runs lost to a panic in a worker as failed (they did not pass).
    pub fn lost(&mut self, lost: usize) {
        self.failed += lost;
    }

    /// The closing lines of a verify-style run of `what` (`example(s)`, `run(s)`): what an
    /// interrupt cut short and kept from starting, or the runs lost to a panic (counted as
    /// failed), then the summary, naming the slowest run when `slowest` is asked for.
    pub fn close(
        &mut self,
        session: &Session,
        lost: usize,
        what: &str,
        wall: Duration,
        slowest: bool,
    ) -> String {
        let mut out = String::new();
        if session.interrupted() {
            let cut = if self.cut_short.is_empty() {
                "none".to_string()
            } else {
                self.cut_short.join(", ")
            };
            out.push_str(&format!("verify: interrupted; cut short: {cut}\n"));
            if self.not_started + lost > 0 {
                let kept = self.not_started + lost;
                out.push_str(&format!("verify: {kept} {what} not started\n"));
            }
        } else if lost > 0 {
            self.lost(lost);
            out.push_str(&format!(
                "verify: {lost} {what} were lost to a panic in verify (above)\n"
            ));
        }
        // The summary names a run by its last word (an example by its name).
        let slowest = self
            .slowest
            .as_ref()
            .filter(|_| slowest)
            .map(|(name, took)| (name.rsplit(' ').next().unwrap_or(name), *took));
        out.push_str(&report::summary(
            self.passed,
            self.failed,
            self.cut_short.len(),
            wall,
            slowest,
        ));
        out.push('\n');
        out
    }

    /// How the session ended: interrupted, else passed when nothing failed.
    pub fn status(&self, session: &Session) -> Status {
        if session.interrupted() {
            Status::Interrupted
        } else if self.failed == 0 {
            Status::Passed
        } else {
            Status::Failed
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A task that runs `script` (written to `dir/name`) against the expected file `expected`.
    pub(crate) fn task(dir: &Path, name: &str, script: &str, expected: &str) -> Task<Job> {
        let program = dir.join(name);
        run::write_script(&program, script);
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

    /// A session in its own scratch directory, stopped by its own flag.
    fn session(name: &str) -> (Session<'static>, &'static AtomicBool) {
        let dir = std::env::temp_dir().join(format!("xtask-session-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let project: &'static Project = Box::leak(Box::new(Project::at(dir)));
        let stop: &'static AtomicBool = Box::leak(Box::new(AtomicBool::new(false)));
        (Session::with_stop(project, stop), stop)
    }

    #[test]
    fn only_a_recording_session_records_its_runs() {
        let (session, _) = session("record");
        let dir = session.root().to_path_buf();
        let timelines = |session: &Session| {
            let script = "sleep 0.2 & sleep 0.3; wait; echo done";
            let tasks = vec![task(&dir, "two_sleeps", script, "[stdout]\ndone\n")];
            let mut timelines = Vec::new();
            session.run(tasks, 1, &dir, |event| match event {
                Event::Finished(_, outcome) => timelines.push(outcome.timeline),
                Event::Started(_) | Event::Line(..) => {}
                other => panic!("{other:?}"),
            });
            timelines
        };
        let plain = timelines(&session);
        let recorded = timelines(&session.recording());
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(plain, [None]);
        let timeline = recorded[0].as_ref().expect("a recording session records");
        // The shell, and its two sleeps as lanes of their own.
        let names: Vec<&str> = timeline.lanes.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(
            names.iter().filter(|name| **name == "sleep").count(),
            2,
            "{names:?}"
        );
        assert_eq!(timeline.marks.len(), 1, "{timeline:?}");
    }

    #[test]
    fn a_task_lost_to_a_panic_never_reports() {
        let (session, _) = session("lost");
        let mut lost = task(session.root(), "lost", "echo hi", "[stdout]\nhi\n");
        // Not reachable from a parsed file (it caps seconds), but any panic would do.
        lost.plan.signal = Some(spec::SignalPlan {
            signal: nix::sys::signal::Signal::SIGINT,
            when: spec::SignalWhen::At(f64::MAX),
        });
        let mut events = Vec::new();
        let lost = session.run(vec![lost], 1, session.root(), |event| {
            events.push(match event {
                Event::Started(job) => format!("started {}", job.name),
                other => format!("{other:?}"),
            })
        });
        std::fs::remove_dir_all(session.root()).unwrap();
        assert_eq!(lost, 1);
        // It started, then its worker panicked: no end is reported.
        assert_eq!(events, ["started lost"]);
    }

    /// Each task's events come in its order (started, its lines, its end) with the task's
    /// own data, while two tasks run side by side: the first waits for a file the second
    /// makes, so it ends only once the second has run.
    #[test]
    fn each_task_reports_its_start_its_lines_then_its_end() {
        let (session, _) = session("events");
        let dir = session.root().to_path_buf();
        let tasks = vec![
            task(
                &dir,
                "waits",
                "echo waiting; until [ -e made ]; do sleep 0.01; done; echo seen",
                "[stdout]\nwaiting\nseen\n",
            ),
            task(&dir, "makes", "touch made; echo made", "[stdout]\nmade\n"),
        ];
        let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let lost = session.run(tasks, 2, &dir, |event| {
            let (name, what) = match event {
                Event::Started(job) => (job.name.clone(), "started".to_string()),
                Event::Line(job, stream, line) => {
                    (job.name.clone(), format!("{stream:?} {}", line.text))
                }
                Event::Finished(job, outcome) => (
                    job.name,
                    format!("finished, {} line(s)", outcome.stdout.len()),
                ),
                other => panic!("{other:?}"),
            };
            seen.entry(name).or_default().push(what);
        });
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(lost, 0);
        assert_eq!(
            seen["waits"],
            [
                "started",
                "Stdout waiting",
                "Stdout seen",
                "finished, 2 line(s)"
            ]
        );
        assert_eq!(
            seen["makes"],
            ["started", "Stdout made", "finished, 1 line(s)"]
        );
    }

    #[test]
    fn a_stop_kills_the_running_programs_and_starts_no_more() {
        run::become_subreaper().unwrap();
        let (session, stop) = session("stop");
        let dir = session.root().to_path_buf();
        let script = "sleep 60 & sleep 60";
        let tasks = vec![
            task(&dir, "first", script, "[stdout]\n"),
            task(&dir, "second", script, "[stdout]\n"),
            task(&dir, "never_started", "echo hi", "[stdout]\nhi\n"),
        ];
        let started = Instant::now();
        let raiser = thread::spawn(move || {
            thread::sleep(Duration::from_millis(500));
            stop.store(true, Ordering::SeqCst);
        });
        let (mut cut, mut not_started, mut groups, mut others) = (vec![], vec![], vec![], 0);
        let lost = session.run(tasks, 2, &dir, |event| match event {
            Event::CutShort(job, outcome) => {
                cut.push(job.name);
                groups.push(outcome.pid);
            }
            Event::NotStarted(job) => not_started.push(job.name),
            Event::Finished(..) | Event::Failed(..) => others += 1,
            Event::Started(_) | Event::Line(..) => {}
        });
        raiser.join().unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        cut.sort();
        assert_eq!(cut, ["first", "second"]);
        assert_eq!(not_started, ["never_started"]);
        assert_eq!((others, lost), (0, 0));
        assert!(session.interrupted());
        for group in groups {
            assert!(
                run::live_members(group).is_empty(),
                "group {group} still has members"
            );
        }
        // Killed at the stop, not at their 60 s sleep (a bound, with room for a busy machine).
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
    }

    /// A stop during a build ends cargo and what it started, here a build script that would
    /// sleep for two minutes: killed with cargo's group, not left running on its own.
    #[test]
    fn a_stop_kills_the_build_and_everything_cargo_started() {
        run::become_subreaper().unwrap();
        let (session, stop) = session("build");
        let dir = session.root().to_path_buf();
        let write = |path: &str, text: &str| {
            std::fs::create_dir_all(dir.join(path).parent().unwrap()).unwrap();
            std::fs::write(dir.join(path), text).unwrap();
        };
        write(
            "Cargo.toml",
            "[package]\nname = \"slow\"\nversion = \"0.1.0\"\nedition = \"2024\"\n[workspace]\n",
        );
        write("src/main.rs", "fn main() {}\n");
        write(
            "build.rs",
            "fn main() { std::thread::sleep(std::time::Duration::from_secs(120)); }\n",
        );
        let project = session.project();
        let target = dir.join("target");
        let builder = thread::spawn(move || {
            build(
                project,
                &[Bin::new("slow", "slow")],
                Some(&target),
                true,
                stop,
            )
        });
        // The build script's process group, once it runs (its build included).
        let script = dir.join("target/debug/build");
        let script = script.to_string_lossy().into_owned();
        let until = Instant::now() + Duration::from_secs(120);
        let group = loop {
            let found = std::fs::read_dir("/proc")
                .unwrap()
                .flatten()
                .find_map(|entry| {
                    let pid = entry.file_name().to_string_lossy().parse::<i32>().ok()?;
                    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
                    if !String::from_utf8_lossy(&cmdline).starts_with(&script) {
                        return None;
                    }
                    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
                    // After the name in parentheses: state, parent, group.
                    stat.rsplit(')')
                        .next()?
                        .split_whitespace()
                        .nth(2)?
                        .parse::<i32>()
                        .ok()
                });
            if let Some(group) = found {
                break group;
            }
            assert!(Instant::now() < until, "the build script never ran");
            assert!(!builder.is_finished(), "the build ended early");
            thread::sleep(Duration::from_millis(50));
        };
        stop.store(true, Ordering::SeqCst);
        let built = builder.join().unwrap();
        let left = run::live_members(group);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(matches!(built, Ok(Built::Interrupted)), "{built:?}");
        assert!(left.is_empty(), "still running: {left:?}");
    }

    #[test]
    fn the_tally_counts_marks_and_keeps_the_slowest_run() {
        let mut tally = Tally::default();
        tally.count(Mark::Passed, "a", Duration::from_secs(2));
        tally.count(Mark::Failed, "b", Duration::from_secs(3));
        tally.count(Mark::Interrupted, "c", Duration::from_secs(9));
        tally.lost(1);
        assert_eq!((tally.passed, tally.failed, tally.done()), (1, 2, 4));
        assert_eq!(tally.cut_short, ["c"]);
        assert_eq!(
            tally.slowest,
            Some(("b".to_string(), Duration::from_secs(3)))
        );
        let (session, stop) = session("tally");
        assert_eq!(tally.status(&session), Status::Failed);
        stop.store(true, Ordering::SeqCst);
        assert_eq!(tally.status(&session), Status::Interrupted);
        std::fs::remove_dir_all(session.root()).unwrap();
    }
}
