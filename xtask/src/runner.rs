//! Runs one example binary the way verify needs: stdin from /dev/null, in a process group of
//! its own, each output line timed as it arrives, a signal sent when the expected file asks,
//! SIGKILL to the whole group at the deadline, and afterwards a sweep for any process of the
//! group still alive ("left a child running"), which is killed.
//!
//! verify makes itself a child subreaper (`PR_SET_CHILD_SUBREAPER`), so an example's orphans
//! become verify's children: it can reap their zombies and tell them from the living.

use crate::output::Line;
use crate::spec::{RunSpec, SignalWhen};
use nix::sys::signal::{SigSet, SigmaskHow, Signal, killpg, sigprocmask};
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid, waitpid};
use nix::unistd::Pid;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

/// How long the processes left in a group get to finish dying (a child killed by
/// PR_SET_PDEATHSIG when its parent exits needs a moment) before they count as left running.
const LEFTOVER_GRACE: Duration = Duration::from_secs(1);
/// How long the output pipes may stay open after the example and its group are gone.
const DRAIN_LIMIT: Duration = Duration::from_secs(2);

/// How the example's process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Code(i32),
    Signal(i32),
}

/// Everything verify saw of one run.
#[derive(Debug)]
pub struct Outcome {
    pub pid: i32,
    pub stdout: Vec<Line>,
    pub stderr: Vec<Line>,
    pub ended: Ended,
    pub elapsed: Duration,
    /// The deadline passed and the group was killed.
    pub timed_out: bool,
    /// verify was interrupted (Ctrl-C, SIGTERM) while the example ran, and killed its group.
    pub interrupted: bool,
    /// Processes of the group alive after the example exited: `pid (name)`.
    pub leftovers: Vec<String>,
}

enum Event {
    Line(Stream, Line),
    Closed,
    /// The example exited (not yet reaped) this long after its start.
    Exited(Duration),
}

#[derive(Clone, Copy)]
enum Stream {
    Out,
    Err,
}

/// Makes this process the reaper of its descendants' orphans (Linux).
pub fn become_subreaper() -> Result<(), String> {
    nix::sys::prctl::set_child_subreaper(true)
        .map_err(|e| format!("cannot become a child subreaper: {e}"))
}

/// Runs `program` in `dir` under the rules of `plan`; when `stop` is raised, the example's
/// whole group is killed at once and the run ends as interrupted.
pub fn run(
    program: &Path,
    dir: &Path,
    plan: &RunSpec,
    stop: &AtomicBool,
) -> Result<Outcome, String> {
    let start = Instant::now();
    let mut command = Command::new(program);
    command
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .process_group(0);
    // The example starts with no signal blocked, whatever the mask of whoever ran verify: a
    // mask is inherited through fork and exec, and an example waiting for SIGTERM or Ctrl-C
    // with it blocked would never see it.
    // SAFETY: between fork and exec the closure only calls sigprocmask, which is
    // async-signal-safe, and allocates nothing (an empty SigSet lives on the stack).
    unsafe {
        command.pre_exec(|| {
            sigprocmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None)
                .map_err(std::io::Error::from)
        });
    }
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
    let pid = i32::try_from(child.id()).expect("a pid fits in i32");
    let (events, inbox) = mpsc::channel();
    read_lines(
        child.stdout.take().expect("piped"),
        Stream::Out,
        start,
        events.clone(),
    );
    read_lines(
        child.stderr.take().expect("piped"),
        Stream::Err,
        start,
        events.clone(),
    );
    // Waits for the exit without reaping it: until main reaps it, the pid (and so the
    // process group id) stays taken, so a signal main sends cannot reach a recycled group.
    thread::spawn(move || {
        let exited = WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT;
        let mut waited = waitid(Id::Pid(Pid::from_raw(pid)), exited);
        while waited == Err(nix::errno::Errno::EINTR) {
            waited = waitid(Id::Pid(Pid::from_raw(pid)), exited);
        }
        if waited.is_ok() {
            let _ = events.send(Event::Exited(start.elapsed()));
        }
    });

    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut signal_at = match &plan.signal {
        Some(s) => match s.when {
            SignalWhen::At(seconds) => Some(Duration::from_secs_f64(seconds)),
            SignalWhen::After(..) => None,
        },
        None => None,
    };
    let mut signal_sent = false;
    let mut timed_out = false;
    let mut interrupted = false;
    let mut closed = 0;
    let mut exit = None;
    let group = Pid::from_raw(pid);

    while exit.is_none() {
        let now = start.elapsed();
        // An example that has just exited (its event not read yet) gets no signal: it would
        // only hit, and hide, the children it left running.
        if now >= plan.deadline && !timed_out && running(group) {
            timed_out = true;
            let _ = killpg(group, Signal::SIGKILL);
        }
        if stop.load(Ordering::SeqCst) && !interrupted && !timed_out && running(group) {
            interrupted = true;
            let _ = killpg(group, Signal::SIGKILL);
        }
        if let (Some(plan_signal), Some(at)) = (&plan.signal, signal_at)
            && !signal_sent
            && now >= at
            && running(group)
        {
            signal_sent = true;
            let _ = killpg(group, plan_signal.signal);
        }
        match inbox.recv_timeout(Duration::from_millis(10)) {
            Ok(Event::Line(stream, line)) => {
                if let Some(s) = &plan.signal
                    && let SignalWhen::After(pattern, delay) = &s.when
                    && signal_at.is_none()
                    && pattern.fits(&line.text)
                {
                    signal_at = Some(line.at + Duration::from_secs_f64(*delay));
                }
                match stream {
                    Stream::Out => stdout.push(line),
                    Stream::Err => stderr.push(line),
                }
            }
            Ok(Event::Closed) => closed += 1,
            Ok(Event::Exited(at)) => exit = Some(at),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    let elapsed = exit.ok_or("the example's waiter ended without a status")?;
    let status: ExitStatus = child
        .wait()
        .map_err(|e| format!("cannot reap {}: {e}", program.display()))?;
    let leftovers = sweep(pid);
    // A leftover may have held the pipes open: collect what it wrote until they close.
    let limit = Instant::now() + DRAIN_LIMIT;
    while closed < 2 {
        match inbox.recv_timeout(limit.saturating_duration_since(Instant::now())) {
            Ok(Event::Line(Stream::Out, line)) => stdout.push(line),
            Ok(Event::Line(Stream::Err, line)) => stderr.push(line),
            Ok(Event::Closed) => closed += 1,
            Ok(Event::Exited(_)) => {}
            Err(_) => break,
        }
    }
    let ended = match status.code() {
        Some(code) => Ended::Code(code),
        None => Ended::Signal(status.signal().unwrap_or(0)),
    };
    Ok(Outcome {
        pid,
        stdout,
        stderr,
        ended,
        elapsed,
        timed_out,
        interrupted,
        leftovers,
    })
}

fn read_lines(
    pipe: impl Read + Send + 'static,
    stream: Stream,
    start: Instant,
    events: Sender<Event>,
) {
    thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut buffer = Vec::new();
        loop {
            buffer.clear();
            match reader.read_until(b'\n', &mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let at = start.elapsed();
                    let text = String::from_utf8_lossy(&buffer);
                    let text = text.trim_end_matches(['\n', '\r']).to_string();
                    if events.send(Event::Line(stream, Line { text, at })).is_err() {
                        return;
                    }
                }
            }
        }
        let _ = events.send(Event::Closed);
    });
}

/// Whether process `pid` has not exited yet (an exited one stays a zombie until reaped).
fn running(pid: Pid) -> bool {
    let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
    waitid(Id::Pid(pid), flags) == Ok(WaitStatus::StillAlive)
}

/// After the example exited: reaps the zombies of its group, waits up to `LEFTOVER_GRACE`
/// for the living to end, then kills what is left and names it.
fn sweep(group: i32) -> Vec<String> {
    let until = Instant::now() + LEFTOVER_GRACE;
    loop {
        reap(group);
        let alive = live_members(group);
        if alive.is_empty() {
            return Vec::new();
        }
        if Instant::now() >= until {
            let _ = killpg(Pid::from_raw(group), Signal::SIGKILL);
            thread::sleep(Duration::from_millis(50));
            reap(group);
            return alive;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// Reaps every exited child in the process group (they are ours as the subreaper).
fn reap(group: i32) {
    while let Ok(status) = waitpid(Pid::from_raw(-group), Some(WaitPidFlag::WNOHANG)) {
        if status == WaitStatus::StillAlive {
            break;
        }
    }
}

/// The processes of `group` that are alive (not zombies), as `pid (name)`.
pub fn live_members(group: i32) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut alive = Vec::new();
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<i32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let name = &stat[open + 1..close];
        let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
        let (Some(state), Some(pgrp)) = (fields.first(), fields.get(2)) else {
            continue;
        };
        if pgrp.parse::<i32>() == Ok(group) && !matches!(*state, "Z" | "X") {
            alive.push(format!("{pid} ({name})"));
        }
    }
    alive
}

/// Writes an executable shell script for a test. A child process writes it, so that the file
/// is never open for writing in this process: a fork made meanwhile by another test's thread
/// would inherit that descriptor, and exec'ing a file some process holds open for writing
/// fails with "Text file busy".
#[cfg(test)]
pub fn write_script(path: &Path, body: &str) {
    write_script_text(path, &format!("#!/bin/sh\n{body}\n"));
}

/// Writes an executable file holding `text` (its first line names its interpreter), the way
/// [`write_script`] does.
#[cfg(test)]
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
        assert!(!outcome.timed_out && outcome.leftovers.is_empty());
    }

    #[test]
    fn a_deadline_kills_the_whole_group() {
        let plan = RunSpec {
            deadline: Duration::from_millis(500),
            ..RunSpec::default()
        };
        let started = Instant::now();
        let outcome = sh("echo started; sleep 30 & sleep 30; echo never", plan);
        assert!(outcome.timed_out);
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
                    crate::pattern::Pattern::parse("press {word}").unwrap(),
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

    #[test]
    fn an_exited_example_is_not_running_but_keeps_its_pid_until_reaped() {
        let mut child = Command::new("true").process_group(0).spawn().unwrap();
        let pid = Pid::from_raw(i32::try_from(child.id()).unwrap());
        let until = Instant::now() + Duration::from_secs(5);
        while running(pid) && Instant::now() < until {
            thread::sleep(Duration::from_millis(5));
        }
        assert!(!running(pid), "`true` exits at once");
        // Still a zombie: the pid, and the group id with it, cannot be given to another.
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        assert!(stat.contains(") Z "), "{stat}");
        assert!(child.wait().unwrap().success());
    }
}
