//! Runs one example binary the way verify needs: stdin from /dev/null, in a process group of
//! its own, each output line timed as it arrives, a signal sent when the expected file asks,
//! every process it started killed at the deadline, and afterwards a sweep for any process it
//! left alive ("left a child running"), which is killed.
//!
//! Whatever the program does, the run is bounded:
//! - **Its processes.** The example is not verify's child but its grandchild, under a small
//!   reaper process forked for this run alone: the reaper is the child subreaper
//!   (`PR_SET_CHILD_SUBREAPER`) of the example's tree, so every process the example starts,
//!   whatever group or session it moves to (`setsid`, a double fork), stays a descendant of
//!   the reaper. Killing the reaper's descendants kills all of them and nothing else, and the
//!   reaper exits once none is left: its exit says the whole tree is gone.
//! - **Its time.** At the deadline every descendant gets SIGKILL, which no program can
//!   ignore; the run ends a few seconds after its deadline at most.
//! - **Its output.** Each stream is read in chunks, and only a bounded part is kept (see
//!   [`crate::output`]); the rest is read and counted, so the program never blocks on a full
//!   pipe and verify's memory stays bounded however much it prints.

pub mod interrupt;

use crate::SystemError;
use crate::output::{self, Cut, Line, Stream};
use crate::spec::{RunSpec, SignalWhen};
use crate::timeline::Timeline;
use crate::timeline::sample::{self, Sampler, Sampling};
use nix::libc;
use nix::sys::signal::{SigSet, SigmaskHow, Signal, kill, killpg, sigprocmask};
use nix::unistd::Pid;
use std::io::Read;
use std::os::fd::AsRawFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

/// How long the processes an example leaves get to finish dying (a child killed by
/// PR_SET_PDEATHSIG when its parent exits needs a moment) before they count as left running.
const LEFTOVER_GRACE: Duration = Duration::from_secs(1);
/// How long killing a tree may take before verify gives up on it (a process in
/// uninterruptible sleep dies only when its system call returns).
const KILL_LIMIT: Duration = Duration::from_secs(3);
/// How long the output pipes may stay open after the example's tree is gone.
const DRAIN_LIMIT: Duration = Duration::from_secs(2);

/// How the example's process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Code(i32),
    Signal(i32),
}

/// What stopped a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoppedBy {
    /// The program ended by itself (whatever its exit status).
    ItsEnd,
    /// The deadline passed, and its processes were killed.
    Deadline,
    /// verify was interrupted (Ctrl-C, SIGTERM) while it ran, and killed its processes.
    Interrupt,
}

/// Everything verify saw of one run.
#[derive(Debug)]
pub struct Outcome {
    pub pid: i32,
    pub stdout: Vec<Line>,
    pub stderr: Vec<Line>,
    /// What was not kept of each stream.
    pub stdout_cut: Cut,
    pub stderr_cut: Cut,
    pub ended: Ended,
    pub elapsed: Duration,
    /// What stopped it: its own end, or its processes killed at the deadline or on an
    /// interrupt.
    pub stopped_by: StoppedBy,
    /// Processes the example left alive after it exited: `pid (name)`.
    pub leftovers: Vec<String>,
    /// The run drawn as lanes, when it was recorded ([`run_recorded`]); [`run`] records none.
    pub timeline: Option<Timeline>,
}

enum Event {
    Line(Stream, Line),
    Closed(Stream, Cut),
    /// The example exited with this wait status, this long after its start.
    Exited(i32, Duration),
    /// The reaper exited: no process of the example's tree is left.
    Gone,
}

/// What a run tells whoever watches it ([`run_watched`]), as it happens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Progress<'a> {
    /// The program started; its pid, which is also its process group's.
    Started { pid: i32 },
    /// It wrote a line that the run keeps (printable, cut to [`crate::output`]'s bounds);
    /// the lines past those bounds are counted in the outcome, not reported.
    Line(Stream, &'a Line),
}

/// Makes this process the reaper of its descendants' orphans (Linux). The runner needs it no
/// more (each run has a reaper of its own); it stays as a second net, should a reaper die.
pub fn become_subreaper() -> Result<(), SystemError> {
    nix::sys::prctl::set_child_subreaper(true)
        .map_err(|e| SystemError::new(format!("cannot become a child subreaper: {e}")))
}

/// What the reaper tells verify through its status pipe: a tag and a number, in one write.
const STARTED: i32 = 1;
const EXITED: i32 = 2;

/// Runs `program` in `dir` under the rules of `plan`; when `stop` is raised, the example's
/// processes are killed at once and the run ends as interrupted.
pub fn run(
    program: &Path,
    dir: &Path,
    plan: &RunSpec,
    stop: &AtomicBool,
) -> Result<Outcome, SystemError> {
    run_with(program, dir, plan, stop, None, &mut |_| {}).map(|(outcome, _)| outcome)
}

/// Runs `program` as [`run`] does, and records it as the OS saw it: its threads and processes
/// sampled from `/proc` every [`sample::PERIOD`] (see [`crate::timeline::sample`]), its output
/// lines as marks on the example's own lane. Only this and [`run_watched`] record: [`run`]
/// starts no sampler.
pub fn run_recorded(
    program: &Path,
    dir: &Path,
    plan: &RunSpec,
    stop: &AtomicBool,
) -> Result<Recorded, SystemError> {
    let period = Some(sample::PERIOD);
    let (outcome, sampling) = run_with(program, dir, plan, stop, period, &mut |_| {})?;
    let sampling = sampling.expect("a sampler was started");
    Ok(Recorded { outcome, sampling })
}

/// Runs `program` as [`run`] does (recorded as [`run_recorded`] does when `record`), and
/// tells `watch` how it goes while it runs, on this thread: first [`Progress::Started`], then
/// each line it keeps, in the order they were read. The outcome holds the same lines.
pub fn run_watched(
    program: &Path,
    dir: &Path,
    plan: &RunSpec,
    stop: &AtomicBool,
    record: bool,
    watch: &mut dyn FnMut(Progress<'_>),
) -> Result<Outcome, SystemError> {
    let period = record.then_some(sample::PERIOD);
    run_with(program, dir, plan, stop, period, watch).map(|(outcome, _)| outcome)
}

/// A run and its timeline, from [`run_recorded`].
#[derive(Debug)]
pub struct Recorded {
    /// The run, its `timeline` filled.
    pub outcome: Outcome,
    /// What the sampling itself cost and how regular it was.
    pub sampling: Sampling,
}

impl Recorded {
    /// The run's timeline.
    pub fn timeline(&self) -> &Timeline {
        self.outcome
            .timeline
            .as_ref()
            .expect("run_recorded fills the timeline")
    }
}

/// [`run`], with a sampler every `period` when one is given (then the outcome's timeline is
/// filled, and what the sampling cost is returned), telling `watch` how the run goes.
fn run_with(
    program: &Path,
    dir: &Path,
    plan: &RunSpec,
    stop: &AtomicBool,
    period: Option<Duration>,
    watch: &mut dyn FnMut(Progress<'_>),
) -> Result<(Outcome, Option<Sampling>), SystemError> {
    // Close-on-exec: only the reaper, which never execs, keeps the write end.
    let (mut status, status_write) =
        std::io::pipe().map_err(|e| SystemError::new(format!("cannot make a pipe: {e}")))?;
    let status_fd = status_write.as_raw_fd();
    let mut command = Command::new(program);
    command
        .current_dir(dir)
        .stdin(Stdio::null())
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        // The reaper's group: a Ctrl-C typed in the terminal does not reach it.
        .process_group(0);
    // SAFETY: between fork and exec the closure makes only async-signal-safe system calls
    // (sigprocmask, prctl, fork, setpgid, sigaction, close_range, write, waitpid, _exit) and
    // allocates nothing (an empty SigSet lives on the stack).
    unsafe {
        command.pre_exec(move || {
            // The example starts with no signal blocked, whatever the mask of whoever ran
            // verify: a mask is inherited through fork and exec, and an example waiting for
            // SIGTERM or Ctrl-C with it blocked would never see it.
            sigprocmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None)
                .map_err(std::io::Error::from)?;
            split_off_reaper(status_fd)
        });
    }
    // The readers wait on the output pipes before the program starts: a line is then timed
    // when it is written (give or take a thread's wake-up), also the first lines, which a
    // reader started after the program would time only when it got round to them.
    let pipe = |name| {
        std::io::pipe().map_err(|e| SystemError::new(format!("cannot make a pipe for {name}: {e}")))
    };
    let (stdout, stdout_write) = pipe("stdout")?;
    let (stderr, stderr_write) = pipe("stderr")?;
    let (events, inbox) = mpsc::channel();
    let start = Instant::now();
    read_lines(stdout, Stream::Stdout, start, events.clone());
    read_lines(stderr, Stream::Stderr, start, events.clone());
    command
        .stdout(Stdio::from(stdout_write))
        .stderr(Stdio::from(stderr_write));
    let spawned = command.spawn();
    // The command holds this process's copies of the pipes' write ends: only once they are
    // closed can the readers see the end of the program's output.
    drop(command);
    drop(status_write);
    let mut reaper = spawned
        .map_err(|e| SystemError::new(format!("cannot start {}: {e}", program.display())))?;
    let pid = match read_record(&mut status) {
        Some((STARTED, pid)) => pid,
        _ => {
            let _ = reaper.kill();
            let _ = reaper.wait();
            return Err(SystemError::new(format!(
                "cannot start {}",
                program.display()
            )));
        }
    };
    watch(Progress::Started { pid });
    let reaper_pid = i32::try_from(reaper.id()).expect("a pid fits in i32");
    // Dropped on an early return, which stops it.
    let sampler = period.map(|period| Sampler::start(reaper_pid, pid, start, period));
    thread::spawn(move || {
        while let Some((tag, value)) = read_record(&mut status) {
            if tag == EXITED && events.send(Event::Exited(value, start.elapsed())).is_err() {
                return;
            }
        }
        let _ = events.send(Event::Gone);
    });
    let mut run = Run {
        reaper,
        group: Pid::from_raw(pid),
        inbox,
        stdout: Vec::new(),
        stderr: Vec::new(),
        cuts: [None, None],
        exit: None,
        gone: false,
        watch,
    };
    let stopped_by = run.watch(plan, start, stop);
    let Some((raw, elapsed)) = run.exit else {
        // Only a program that killed its own reaper gets here. Its orphans are now verify's
        // (a subreaper too): its group, at least, is killed.
        let _ = killpg(run.group, Signal::SIGKILL);
        let _ = run.reaper.wait();
        return Err(SystemError::new(format!(
            "{} killed the process that watched it, so its end is unknown",
            program.display()
        )));
    };
    let leftovers = run.sweep();
    // The tree is gone: the sampler's last look sees every lane end.
    let recording = sampler.map(Sampler::finish);
    run.drain();
    let status = ExitStatus::from_raw(raw);
    let ended = match status.code() {
        Some(code) => Ended::Code(code),
        None => Ended::Signal(status.signal().unwrap_or(0)),
    };
    let mut outcome = Outcome {
        pid,
        stdout: run.stdout,
        stderr: run.stderr,
        stdout_cut: run.cuts[0].unwrap_or_default(),
        stderr_cut: run.cuts[1].unwrap_or_default(),
        ended,
        elapsed,
        stopped_by,
        leftovers,
        timeline: None,
    };
    let sampling = recording.zip(period).map(|((lanes, sampling), period)| {
        outcome.timeline = Some(sample::timeline(&outcome, lanes, period));
        sampling
    });
    Ok((outcome, sampling))
}

/// One run in progress, seen from verify.
struct Run<'w> {
    reaper: Child,
    /// The example's process group (its pid).
    group: Pid,
    inbox: Receiver<Event>,
    stdout: Vec<Line>,
    stderr: Vec<Line>,
    /// What each stream's reader did not keep, once the stream closed.
    cuts: [Option<Cut>; 2],
    /// The example's wait status and when it came.
    exit: Option<(i32, Duration)>,
    /// The reaper has exited: the tree is gone.
    gone: bool,
    /// Told of each line as it is kept.
    watch: &'w mut dyn FnMut(Progress<'_>),
}

impl Run<'_> {
    /// Until the example exits: delivers the planned signal, and kills the tree at the
    /// deadline or when `stop` is raised, whichever comes first. Returns what stopped it.
    fn watch(&mut self, plan: &RunSpec, start: Instant, stop: &AtomicBool) -> StoppedBy {
        let mut signal_at = match &plan.signal {
            Some(s) => match s.when {
                SignalWhen::At(seconds) => Some(Duration::from_secs_f64(seconds)),
                SignalWhen::After(..) => None,
            },
            None => None,
        };
        let mut signal_sent = false;
        let mut stopped_by = StoppedBy::ItsEnd;
        while self.exit.is_none() && !self.gone {
            let now = start.elapsed();
            // What stops the run, if anything, is decided before `still_running`: that call
            // drains the inbox, and a line it takes is never matched against the signal's
            // pattern below.
            let stopping = if now >= plan.deadline {
                Some(StoppedBy::Deadline)
            } else if stop.load(Ordering::SeqCst) {
                Some(StoppedBy::Interrupt)
            } else {
                None
            };
            if let Some(by) = stopping
                && stopped_by == StoppedBy::ItsEnd
                && self.still_running()
            {
                stopped_by = by;
                self.kill_tree();
            }
            if let (Some(plan_signal), Some(at)) = (&plan.signal, signal_at)
                && !signal_sent
                && now >= at
                && self.still_running()
            {
                signal_sent = true;
                // The example has not been reaped (its exit is unread), so its group id is
                // still its own.
                let _ = killpg(self.group, plan_signal.signal);
            }
            match self.inbox.recv_timeout(Duration::from_millis(10)) {
                Ok(Event::Line(stream, line)) => {
                    if let Some(s) = &plan.signal
                        && let SignalWhen::After(pattern, delay) = &s.when
                        && signal_at.is_none()
                        && pattern.fits(&line.text)
                    {
                        signal_at = Some(line.at + Duration::from_secs_f64(*delay));
                    }
                    self.keep(stream, line);
                }
                Ok(event) => self.note(event),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        stopped_by
    }

    /// Whether the example has not exited, as far as the events already sent say: an example
    /// that has just exited gets no signal, which would only hit, and hide, the children it
    /// left running. The lines it takes in are kept but not matched against a signal's
    /// pattern: call it only once the signal is armed or the run is being stopped.
    fn still_running(&mut self) -> bool {
        while let Ok(event) = self.inbox.try_recv() {
            match event {
                Event::Line(stream, line) => self.keep(stream, line),
                other => self.note(other),
            }
        }
        self.exit.is_none() && !self.gone
    }

    fn keep(&mut self, stream: Stream, line: Line) {
        (self.watch)(Progress::Line(stream, &line));
        match stream {
            Stream::Stdout => self.stdout.push(line),
            Stream::Stderr => self.stderr.push(line),
        }
    }

    fn note(&mut self, event: Event) {
        match event {
            Event::Line(stream, line) => self.keep(stream, line),
            Event::Closed(stream, cut) => self.cuts[stream as usize] = Some(cut),
            Event::Exited(raw, at) => self.exit = Some((raw, at)),
            Event::Gone => self.gone = true,
        }
    }

    /// Waits until `until` for the reaper to say the tree is gone; whether it did.
    fn wait_gone(&mut self, until: Instant) -> bool {
        while !self.gone {
            match self
                .inbox
                .recv_timeout(until.saturating_duration_since(Instant::now()))
            {
                Ok(event) => self.note(event),
                Err(_) => return false,
            }
        }
        true
    }

    /// SIGKILL to every process of the example's tree, again and again until none is left
    /// (a process that forks between two rounds is caught by the next) or `KILL_LIMIT`.
    fn kill_tree(&mut self) {
        let reaper = i32::try_from(self.reaper.id()).expect("a pid fits in i32");
        let until = Instant::now() + KILL_LIMIT;
        loop {
            let alive = descendants(reaper);
            if alive.is_empty() || Instant::now() >= until {
                return;
            }
            for process in &alive {
                let _ = kill(Pid::from_raw(process.pid), Signal::SIGKILL);
            }
            thread::sleep(Duration::from_millis(5));
        }
    }

    /// After the example exited: waits up to `LEFTOVER_GRACE` for its tree to end, then kills
    /// what is left and names it; last, reaps the reaper.
    fn sweep(&mut self) -> Vec<String> {
        let mut leftovers = Vec::new();
        if !self.wait_gone(Instant::now() + LEFTOVER_GRACE) {
            let reaper = i32::try_from(self.reaper.id()).expect("a pid fits in i32");
            leftovers = descendants(reaper)
                .into_iter()
                .map(|p| format!("{} ({})", p.pid, p.name))
                .collect();
            self.kill_tree();
            if !self.wait_gone(Instant::now() + KILL_LIMIT) {
                // A process that will not die keeps the reaper waiting for it: give up on it.
                let _ = self.reaper.kill();
            }
        }
        let _ = self.reaper.wait();
        leftovers
    }

    /// Collects what the streams still hold until both close (a killed tree closes them at
    /// once) or `DRAIN_LIMIT`.
    fn drain(&mut self) {
        let until = Instant::now() + DRAIN_LIMIT;
        while self.cuts.iter().any(Option::is_none) {
            match self
                .inbox
                .recv_timeout(until.saturating_duration_since(Instant::now()))
            {
                Ok(event) => self.note(event),
                Err(_) => break,
            }
        }
    }
}

/// The example's pid group, for the reaper's handler of its parent's death.
static EXAMPLE_GROUP: AtomicI32 = AtomicI32::new(0);

extern "C" fn parent_died(_signal: libc::c_int) {
    let group = EXAMPLE_GROUP.load(Ordering::SeqCst);
    if group > 0 {
        // SAFETY: kill is async-signal-safe.
        unsafe { libc::kill(-group, libc::SIGKILL) };
    }
}

/// Runs in the child std forked, before exec: forks again. The new child returns, and std
/// execs the example in it; this process stays behind as the example's reaper and never
/// returns.
///
/// Only async-signal-safe system calls here: verify is multi-threaded, and a forked child
/// may find another thread's lock held for ever.
fn split_off_reaper(status: libc::c_int) -> std::io::Result<()> {
    // SAFETY: plain system calls on this process, with valid arguments; see each one.
    unsafe {
        // Orphans of the example's tree become this process's children, not init's.
        if libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0 {
            return Err(std::io::Error::last_os_error());
        }
        match libc::fork() {
            -1 => Err(std::io::Error::last_os_error()),
            0 => {
                // The example: a process group of its own, for the signals the expected file
                // sends. The reaper sets it too, so that neither has to wait for the other.
                libc::setpgid(0, 0);
                // Not inherited by the example: only the reaper waits for orphans.
                libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
                Ok(())
            }
            example => reap(example, status),
        }
    }
}

/// The reaper: tells verify the example's pid and, later, its wait status; reaps every
/// process of the tree; exits when none is left.
///
/// # Safety
/// Only in the child forked by `split_off_reaper`.
unsafe fn reap(example: libc::pid_t, status: libc::c_int) -> ! {
    // SAFETY: async-signal-safe system calls only; the handler only calls kill.
    unsafe {
        libc::setpgid(example, example);
        EXAMPLE_GROUP.store(example, Ordering::SeqCst);
        // Should verify die (killed), its reaper kills the example's group rather than let it
        // run on unwatched.
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = parent_died as *const () as libc::sighandler_t;
        action.sa_flags = libc::SA_RESTART;
        libc::sigaction(libc::SIGHUP, &action, std::ptr::null_mut());
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGHUP, 0, 0, 0);
        // Hold nothing but the status pipe: the example's output pipes must close when its
        // tree is gone, and std's exec-error pipe when the example's exec succeeds.
        close_all_but(status);
        send(status, STARTED, example);
        loop {
            let mut raw = 0;
            let pid = libc::waitpid(-1, &mut raw, 0);
            if pid == example {
                send(status, EXITED, raw);
            } else if pid == -1 && *libc::__errno_location() != libc::EINTR {
                // ECHILD: no process of the tree is left.
                libc::_exit(0);
            }
        }
    }
}

/// Closes every descriptor of this process but `keep`.
///
/// # Safety
/// Only in a forked child that owns no descriptor it needs besides `keep`.
unsafe fn close_all_but(keep: libc::c_int) {
    // SAFETY: close_range closes descriptors only; the fallback loop does the same.
    unsafe {
        let low = libc::syscall(libc::SYS_close_range, 0u32, (keep - 1) as u32, 0u32);
        let high = libc::syscall(libc::SYS_close_range, (keep + 1) as u32, u32::MAX, 0u32);
        if low != 0 || high != 0 {
            // Kernels before 5.9 lack close_range.
            for fd in 0..1024 {
                if fd != keep {
                    libc::close(fd);
                }
            }
        }
    }
}

/// One record to verify: two native-endian `i32`s in one write (under `PIPE_BUF`, so atomic).
///
/// # Safety
/// `fd` is the status pipe's write end.
unsafe fn send(fd: libc::c_int, tag: i32, value: i32) {
    let mut record = [0u8; 8];
    record[..4].copy_from_slice(&tag.to_ne_bytes());
    record[4..].copy_from_slice(&value.to_ne_bytes());
    // SAFETY: `record` is 8 readable bytes.
    unsafe { libc::write(fd, record.as_ptr().cast(), record.len()) };
}

/// Reads one record of the reaper's; `None` once it has exited (end of the pipe).
fn read_record(pipe: &mut impl Read) -> Option<(i32, i32)> {
    let mut record = [0u8; 8];
    pipe.read_exact(&mut record).ok()?;
    let tag = i32::from_ne_bytes(record[..4].try_into().expect("4 bytes"));
    let value = i32::from_ne_bytes(record[4..].try_into().expect("4 bytes"));
    Some((tag, value))
}

/// Reads one stream in chunks: keeps its first lines as [`crate::output`] bounds them, counts
/// the rest, and reports what it cut when the stream closes.
fn read_lines(
    mut pipe: impl Read + Send + 'static,
    stream: Stream,
    start: Instant,
    events: Sender<Event>,
) {
    thread::spawn(move || {
        let mut chunk = vec![0u8; 64 * 1024];
        let mut reader = Lines::default();
        loop {
            let n = match pipe.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            };
            let at = start.elapsed();
            for text in reader.feed(&chunk[..n]) {
                if events.send(Event::Line(stream, Line { text, at })).is_err() {
                    return;
                }
            }
        }
        if let Some(text) = reader.finish() {
            let at = start.elapsed();
            let _ = events.send(Event::Line(stream, Line { text, at }));
        }
        let _ = events.send(Event::Closed(stream, reader.cut));
    });
}

/// Splits a stream's bytes into the lines verify keeps.
#[derive(Default)]
struct Lines {
    /// The start of the line being read, at most `LINE_BYTES` of it.
    partial: Vec<u8>,
    /// The whole length of the line being read.
    length: usize,
    kept_lines: usize,
    kept_bytes: usize,
    cut: Cut,
}

impl Lines {
    /// The lines that `bytes` completes and that are kept, as printable text.
    fn feed(&mut self, bytes: &[u8]) -> Vec<String> {
        let mut done = Vec::new();
        for piece in bytes.split_inclusive(|&b| b == b'\n') {
            let (body, ends) = match piece.strip_suffix(b"\n") {
                Some(body) => (body, true),
                None => (piece, false),
            };
            self.length += body.len();
            let room = output::LINE_BYTES.saturating_sub(self.partial.len());
            self.partial
                .extend_from_slice(&body[..body.len().min(room)]);
            if ends && let Some(text) = self.end_line(1) {
                done.push(text);
            }
        }
        done
    }

    /// The last line, when the stream ends without a newline.
    fn finish(&mut self) -> Option<String> {
        if self.length == 0 {
            return None;
        }
        self.end_line(0)
    }

    fn end_line(&mut self, newline: usize) -> Option<String> {
        let length = std::mem::take(&mut self.length);
        let bytes = std::mem::take(&mut self.partial);
        if self.cut.lines > 0
            || self.kept_lines >= output::KEPT_LINES
            || self.kept_bytes + bytes.len() > output::KEPT_BYTES
        {
            self.cut.lines += 1;
            self.cut.bytes += (length + newline) as u64;
            return None;
        }
        self.kept_lines += 1;
        self.kept_bytes += bytes.len();
        let body = bytes.strip_suffix(b"\r").unwrap_or(&bytes);
        let mut text = output::printable(body);
        if length > output::LINE_BYTES {
            self.cut.long_lines += 1;
            text.push_str(&format!(
                "… [a line of {} bytes, cut]",
                output::grouped(length as u64)
            ));
        }
        Some(text)
    }
}

/// A process as `/proc` shows it.
pub(crate) struct Process {
    pub(crate) pid: i32,
    pub(crate) ppid: i32,
    pub(crate) group: i32,
    pub(crate) name: String,
    pub(crate) zombie: bool,
}

/// Every process on the machine, from `/proc/PID/stat`.
fn processes() -> Vec<Process> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(read_process)
        .collect()
}

/// The process (or thread: `/proc/TID` opens a thread too) `pid`, if it exists.
pub(crate) fn read_process(pid: i32) -> Option<Process> {
    // Bytes, not text: a program may give itself a name that is not UTF-8.
    let stat = std::fs::read(format!("/proc/{pid}/stat")).ok()?;
    let (name, fields) = sample::split_stat(&stat)?;
    let [state, ppid, group] = sample::pick(fields, [0, 1, 2])?;
    let id = |field| i32::try_from(sample::decimal(field)?).ok();
    Some(Process {
        pid,
        ppid: id(ppid)?,
        group: id(group)?,
        name: output::printable(name),
        zombie: matches!(state, b"Z" | b"X"),
    })
}

/// The living (not zombie) descendants of `root`.
pub(crate) fn descendants(root: i32) -> Vec<Process> {
    let all = processes();
    let mut tree = std::collections::HashSet::from([root]);
    let mut grew = true;
    while grew {
        grew = false;
        for process in &all {
            if tree.contains(&process.ppid) && tree.insert(process.pid) {
                grew = true;
            }
        }
    }
    all.into_iter()
        .filter(|p| p.pid != root && tree.contains(&p.pid) && !p.zombie)
        .collect()
}

/// The processes of `group` that are alive (not zombies), as `pid (name)`.
pub fn live_members(group: i32) -> Vec<String> {
    processes()
        .into_iter()
        .filter(|p| p.group == group && !p.zombie)
        .map(|p| format!("{} ({})", p.pid, p.name))
        .collect()
}

/// Writes an executable shell script for a test. A child process writes it, so that the file
/// is never open for writing in this process: a fork made meanwhile by another test's thread
/// would inherit that descriptor, and exec'ing a file some process holds open for writing
/// fails with "Text file busy".
pub fn write_script(path: &Path, body: &str) {
    write_script_text(path, &format!("#!/bin/sh\n{body}\n"));
}

/// Writes an executable file holding `text` (its first line names its interpreter), the way
/// [`write_script`] does.
pub fn write_script_text(path: &Path, text: &str) {
    use std::io::Write;
    let mut writer = Command::new("sh")
        .args(["-c", "cat > \"$1\" && chmod 755 \"$1\"", "sh"])
        .arg(path)
        .stdin(Stdio::piped())
        .spawn()
        .expect("sh runs");
    let mut stdin = writer.stdin.take().expect("piped");
    stdin
        .write_all(text.as_bytes())
        .expect("sh reads its stdin");
    drop(stdin);
    assert!(
        writer.wait().expect("sh ends").success(),
        "cannot write {}",
        path.display()
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::SignalPlan;

    fn sh(script: &str, plan: RunSpec) -> Outcome {
        become_subreaper().unwrap();
        let dir = std::env::temp_dir();
        let program = dir.join(format!(
            "xtask-runner-test-{}-{}.sh",
            std::process::id(),
            script.len()
        ));
        write_script(&program, script);
        let outcome = run(&program, &dir, &plan, &AtomicBool::new(false)).unwrap();
        let _ = std::fs::remove_file(&program);
        outcome
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn collects_both_streams_with_times_and_the_status() {
        let outcome = sh(
            "echo one; sleep 0.3; echo two; echo oops >&2; exit 3",
            RunSpec::default(),
        );
        assert_eq!(texts(&outcome.stdout), ["one", "two"]);
        assert_eq!(texts(&outcome.stderr), ["oops"]);
        assert_eq!(outcome.ended, Ended::Code(3));
        assert!(outcome.stdout[1].at >= Duration::from_millis(300));
        assert!(outcome.stdout[0].at < Duration::from_millis(300));
        assert!(outcome.elapsed >= Duration::from_millis(300));
        assert!(outcome.stopped_by == StoppedBy::ItsEnd && outcome.leftovers.is_empty());
    }

    /// The watcher hears of each line while the program runs, not after: the program waits
    /// for a file that the watcher makes only when it has heard the first line, so a line
    /// reported late would leave it waiting until its deadline.
    #[test]
    fn a_watcher_hears_the_start_then_each_line_as_it_comes() {
        become_subreaper().unwrap();
        let dir = std::env::temp_dir().join(format!("checker-watched-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let program = dir.join("program.sh");
        let heard = dir.join("heard");
        write_script(
            &program,
            "echo first; echo warning >&2; until [ -e heard ]; do sleep 0.01; done; echo second",
        );
        let plan = RunSpec {
            deadline: Duration::from_secs(20),
            ..RunSpec::default()
        };
        let mut told = Vec::new();
        let stop = AtomicBool::new(false);
        let outcome = run_watched(&program, &dir, &plan, &stop, false, &mut |progress| {
            told.push(match progress {
                Progress::Started { pid } => format!("started {pid}"),
                Progress::Line(stream, line) => {
                    if line.text == "first" {
                        std::fs::write(&heard, "").unwrap();
                    }
                    format!("{stream:?} {}", line.text)
                }
            });
        })
        .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(outcome.stopped_by, StoppedBy::ItsEnd, "{told:?}");
        assert_eq!(told[0], format!("started {}", outcome.pid));
        let mut lines = told[1..].to_vec();
        // The two streams are read apart: only each stream's own order is fixed.
        lines.sort();
        assert_eq!(lines, ["Stderr warning", "Stdout first", "Stdout second"]);
        assert_eq!(texts(&outcome.stdout), ["first", "second"]);
        assert_eq!(outcome.timeline, None);
    }

    /// Only the lines the run keeps are told, so a program that prints without end costs its
    /// watcher no more than the outcome holds.
    #[test]
    fn a_watcher_is_told_only_the_kept_lines() {
        become_subreaper().unwrap();
        let dir = std::env::temp_dir();
        let program = dir.join(format!("checker-watched-endless-{}.sh", std::process::id()));
        write_script(&program, "yes line | head -n 200000");
        let mut lines = 0;
        let stop = AtomicBool::new(false);
        let outcome = run_watched(&program, &dir, &RunSpec::default(), &stop, true, &mut |p| {
            lines += usize::from(matches!(p, Progress::Line(..)));
        })
        .unwrap();
        let _ = std::fs::remove_file(&program);
        assert_eq!(lines, output::KEPT_LINES);
        assert_eq!(outcome.stdout.len(), output::KEPT_LINES);
        assert_eq!(
            outcome.stdout_cut.lines,
            (200_000 - output::KEPT_LINES) as u64
        );
        assert!(outcome.timeline.is_some(), "recorded when asked");
    }

    #[test]
    fn a_deadline_kills_the_whole_group() {
        let plan = RunSpec {
            deadline: Duration::from_millis(500),
            ..RunSpec::default()
        };
        let started = Instant::now();
        let outcome = sh("echo started; sleep 30 & sleep 30; echo never", plan);
        assert_eq!(outcome.stopped_by, StoppedBy::Deadline);
        assert_eq!(outcome.ended, Ended::Signal(9));
        assert_eq!(texts(&outcome.stdout), ["started"]);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_grandchild_left_running_is_reported_and_killed() {
        let started = Instant::now();
        // The background sleep keeps the pipes open too: the run must still end.
        let outcome = sh("sleep 30 & echo parent done", RunSpec::default());
        assert_eq!(outcome.ended, Ended::Code(0));
        assert_eq!(outcome.leftovers.len(), 1, "{:?}", outcome.leftovers);
        assert!(
            outcome.leftovers[0].contains("sleep"),
            "{:?}",
            outcome.leftovers
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "took {:?}",
            started.elapsed()
        );
        let group = outcome.pid;
        assert!(live_members(group).is_empty(), "the leftover was killed");
    }

    #[test]
    fn a_reaped_or_orphaned_zombie_is_no_leftover() {
        // The child exits at once; the orphan it leaves exits too: nothing alive remains.
        let outcome = sh("(sleep 0.2; exit 0) & exit 0", RunSpec::default());
        assert!(outcome.leftovers.is_empty(), "{:?}", outcome.leftovers);
    }

    #[test]
    fn an_example_starts_with_no_signal_blocked() {
        use nix::sys::signal::pthread_sigmask;
        become_subreaper().unwrap();
        let dir = std::env::temp_dir();
        let program = dir.join(format!("xtask-runner-mask-{}", std::process::id()));
        // The script is grep itself, run by env, reading the status of its own process.
        let mut text = String::from("#!/usr/bin/env -S grep -H SigBlk /proc/self/status\n");
        text.push_str("# nothing else\n");
        write_script_text(&program, &text);
        let mut blocked = SigSet::empty();
        blocked.add(Signal::SIGTERM);
        pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&blocked), None).unwrap();
        let outcome = run(&program, &dir, &RunSpec::default(), &AtomicBool::new(false));
        pthread_sigmask(SigmaskHow::SIG_UNBLOCK, Some(&blocked), None).unwrap();
        let _ = std::fs::remove_file(&program);
        let outcome = outcome.unwrap();
        assert!(
            texts(&outcome.stdout).contains(&"/proc/self/status:SigBlk:\t0000000000000000"),
            "{:?}",
            texts(&outcome.stdout)
        );
    }

    #[test]
    fn a_signal_is_delivered_at_a_time_and_after_a_line() {
        let at = RunSpec {
            signal: Some(SignalPlan {
                signal: Signal::SIGTERM,
                when: SignalWhen::At(0.3),
            }),
            ..RunSpec::default()
        };
        let outcome = sh(
            "trap 'echo got TERM; exit 0' TERM; echo ready; for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.1; done; echo no signal",
            at,
        );
        assert_eq!(texts(&outcome.stdout), ["ready", "got TERM"]);
        assert!(outcome.elapsed >= Duration::from_millis(300));

        let after = RunSpec {
            signal: Some(SignalPlan {
                signal: Signal::SIGINT,
                when: SignalWhen::After(
                    crate::spec::pattern::Pattern::parse("press {word}").unwrap(),
                    0.2,
                ),
            }),
            ..RunSpec::default()
        };
        let outcome = sh(
            "trap 'echo got INT; exit 0' INT; sleep 0.2; echo press Ctrl-C; for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.1; done",
            after,
        );
        assert_eq!(texts(&outcome.stdout), ["press Ctrl-C", "got INT"]);
        assert!(
            outcome.elapsed >= Duration::from_millis(400),
            "{:?}",
            outcome.elapsed
        );
    }

    /// The line a signal waits for may come in a burst behind many others (here in one write):
    /// every line is matched against the pattern, whichever way the runner takes it in.
    #[test]
    fn a_signal_waits_for_its_line_even_behind_a_burst_of_lines() {
        let after = RunSpec {
            signal: Some(SignalPlan {
                signal: Signal::SIGINT,
                when: SignalWhen::After(
                    crate::spec::pattern::Pattern::parse("press {word}").unwrap(),
                    0.1,
                ),
            }),
            ..RunSpec::default()
        };
        let outcome = sh(
            "trap 'echo got INT; exit 0' INT; f=/tmp/.burst.$$; (seq 2000; echo press Ctrl-C) > $f; cat $f; rm $f; for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.1; done; echo no signal",
            after,
        );
        let lines = texts(&outcome.stdout);
        assert_eq!(
            lines.len(),
            2002,
            "{:?}",
            &lines[lines.len().saturating_sub(3)..]
        );
        assert_eq!(&lines[2000..], ["press Ctrl-C", "got INT"]);
    }
}

/// Programs that do their worst, and the bounds the runner keeps all the same.
#[cfg(test)]
mod hostile {
    use super::*;

    fn sh(name: &str, script: &str, deadline: f64) -> (Outcome, Duration) {
        let dir = std::env::temp_dir();
        let program = dir.join(format!("xtask-hostile-{name}-{}.sh", std::process::id()));
        write_script(&program, script);
        let plan = RunSpec {
            deadline: Duration::from_secs_f64(deadline),
            ..RunSpec::default()
        };
        let started = Instant::now();
        let outcome = run(&program, &dir, &plan, &AtomicBool::new(false)).unwrap();
        let took = started.elapsed();
        let _ = std::fs::remove_file(&program);
        (outcome, took)
    }

    /// Whether a process whose command line holds `marker` is alive (not a zombie).
    fn alive(marker: &str) -> Vec<i32> {
        processes()
            .into_iter()
            .filter(|p| !p.zombie)
            .filter(|p| {
                std::fs::read(format!("/proc/{}/cmdline", p.pid))
                    .is_ok_and(|c| String::from_utf8_lossy(&c).contains(marker))
            })
            .map(|p| p.pid)
            .collect()
    }

    #[test]
    fn a_program_that_cannot_start_is_an_error_not_a_hang() {
        let dir = std::env::temp_dir();
        let missing = dir.join("xtask-hostile-no-such-program");
        let started = Instant::now();
        let run = run(&missing, &dir, &RunSpec::default(), &AtomicBool::new(false));
        assert!(run.unwrap_err().to_string().contains("cannot start"));
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn a_program_that_kills_its_watcher_is_an_error_and_its_group_is_killed() {
        let marker = format!("34.{}", std::process::id());
        let dir = std::env::temp_dir();
        let program = dir.join(format!("xtask-hostile-parricide-{}.sh", std::process::id()));
        write_script(
            &program,
            &format!("sleep {marker} & kill -9 $PPID; sleep 30"),
        );
        let started = Instant::now();
        let outcome = run(&program, &dir, &RunSpec::default(), &AtomicBool::new(false));
        let _ = std::fs::remove_file(&program);
        assert!(
            outcome
                .unwrap_err()
                .to_string()
                .contains("killed the process that watched it")
        );
        assert!(started.elapsed() < Duration::from_secs(5));
        thread::sleep(Duration::from_millis(100));
        assert_eq!(alive(&marker), Vec::<i32>::new());
    }

    #[test]
    fn endless_output_is_kept_in_part_and_counted() {
        let (outcome, took) = sh("endless", "yes spam", 0.5);
        assert_eq!(outcome.stopped_by, StoppedBy::Deadline);
        assert!(took < Duration::from_secs(5), "took {took:?}");
        assert_eq!(outcome.stdout.len(), output::KEPT_LINES);
        assert!(outcome.stdout.iter().all(|l| l.text == "spam"));
        assert!(outcome.stdout_cut.lines > 1000, "{:?}", outcome.stdout_cut);
        assert_eq!(
            outcome.stdout_cut.bytes,
            outcome.stdout_cut.lines * 5,
            "each line not kept is counted with its newline"
        );
    }

    #[test]
    fn one_endless_line_is_kept_to_its_first_bytes() {
        let (outcome, took) = sh("endless-line", "yes | tr -d '\\n'", 0.5);
        assert_eq!(outcome.stopped_by, StoppedBy::Deadline);
        assert!(took < Duration::from_secs(5), "took {took:?}");
        assert_eq!(outcome.stdout.len(), 1);
        let text = &outcome.stdout[0].text;
        assert!(text.starts_with("yyyy"), "{}", &text[..20]);
        assert!(text.len() < output::LINE_BYTES + 100, "{}", text.len());
        assert!(text.contains("bytes, cut]"), "{}", &text[text.len() - 60..]);
        assert_eq!(outcome.stdout_cut.long_lines, 1);
    }

    #[test]
    fn a_million_character_line_is_cut_and_the_lines_after_it_kept() {
        let (outcome, _) = sh(
            "long-line",
            "head -c 1000000 /dev/zero | tr '\\0' x; echo; echo after",
            5.0,
        );
        assert_eq!(outcome.ended, Ended::Code(0));
        assert_eq!(outcome.stdout.len(), 2);
        assert!(
            outcome.stdout[0]
                .text
                .ends_with("… [a line of 1,000,000 bytes, cut]")
        );
        assert_eq!(outcome.stdout[1].text, "after");
        assert_eq!(outcome.stdout_cut.long_lines, 1);
        assert_eq!(outcome.stdout_cut.lines, 0);
    }

    #[test]
    fn invalid_utf8_and_escapes_become_printable_text() {
        let (outcome, _) = sh(
            "bytes",
            "printf 'bad \\377\\376 \\033[31mred\\033[0m\\r\\n'; printf 'bell\\007' >&2",
            5.0,
        );
        assert_eq!(outcome.stdout[0].text, "bad \\xff\\xfe \\e[31mred\\e[0m");
        assert_eq!(outcome.stderr[0].text, "bell\\x07");
    }

    #[test]
    fn a_program_that_closes_its_output_and_runs_on_ends_at_its_deadline() {
        let (outcome, took) = sh(
            "closed",
            "echo before; exec >&- 2>&-; while :; do :; done",
            0.5,
        );
        assert_eq!(outcome.stopped_by, StoppedBy::Deadline);
        assert_eq!(outcome.ended, Ended::Signal(9));
        assert_eq!(outcome.stdout.len(), 1);
        assert!(took < Duration::from_secs(5), "took {took:?}");
    }

    #[test]
    fn a_program_that_ignores_sigterm_and_sigint_still_ends_at_its_deadline() {
        let dir = std::env::temp_dir();
        let program = dir.join(format!("xtask-hostile-term-{}.sh", std::process::id()));
        write_script(
            &program,
            "trap '' TERM INT HUP; echo ready; while :; do sleep 0.05; done",
        );
        let plan = RunSpec {
            deadline: Duration::from_millis(500),
            signal: Some(crate::spec::SignalPlan {
                signal: Signal::SIGTERM,
                when: SignalWhen::At(0.2),
            }),
            ..RunSpec::default()
        };
        let started = Instant::now();
        let outcome = run(&program, &dir, &plan, &AtomicBool::new(false)).unwrap();
        let _ = std::fs::remove_file(&program);
        assert_eq!(outcome.stopped_by, StoppedBy::Deadline);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn grandchildren_that_leave_the_group_and_session_are_found_and_killed() {
        let marker = format!("31.{}", std::process::id());
        let (outcome, took) = sh(
            "setsid",
            &format!(
                "setsid sleep {marker}1 & setsid sh -c 'sleep {marker}2 &' ; nohup sleep {marker}3 >/dev/null 2>&1 & sleep 0.2; echo parent done"
            ),
            10.0,
        );
        assert_eq!(outcome.ended, Ended::Code(0));
        assert_eq!(outcome.leftovers.len(), 3, "{:?}", outcome.leftovers);
        assert!(took < Duration::from_secs(6), "took {took:?}");
        assert_eq!(
            alive(&marker),
            Vec::<i32>::new(),
            "every escapee was killed"
        );
    }

    #[test]
    fn an_escaped_grandchild_is_killed_at_the_deadline_too() {
        let marker = format!("32.{}", std::process::id());
        let (outcome, took) = sh(
            "setsid-hang",
            &format!("setsid sh -c 'sleep {marker} &'; sleep 30"),
            0.5,
        );
        assert_eq!(outcome.stopped_by, StoppedBy::Deadline);
        assert!(took < Duration::from_secs(5), "took {took:?}");
        assert_eq!(alive(&marker), Vec::<i32>::new());
    }

    #[test]
    fn a_fork_of_many_children_is_reaped_whole() {
        let marker = format!("33.{}", std::process::id());
        let (outcome, took) = sh(
            "many",
            &format!("for i in $(seq 100); do sleep {marker} & done; echo forked"),
            10.0,
        );
        assert_eq!(outcome.leftovers.len(), 100, "{}", outcome.leftovers.len());
        assert!(took < Duration::from_secs(6), "took {took:?}");
        assert_eq!(alive(&marker), Vec::<i32>::new());
    }
}
