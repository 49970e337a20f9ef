//! Records a run as the OS saw it: while the example runs, a thread of the runner looks at
//! `/proc` every [`PERIOD`] and notes each thread of each process of the example's tree: its
//! name, when it was first and last seen, and whether it was running, blocked or waiting
//! between two looks. [`crate::run::run_recorded`] starts it; [`crate::run::run`] never does.
//!
//! # What the lanes are
//!
//! One lane per thread (`/proc/PID/task/TID`) of the example's process and of every process
//! descending from it: forked children and theirs, also ones that left its process group or
//! session, or whose parent exited (the run's reaper adopts them, so they stay in the tree).
//! The reaper itself is not a lane. A lane is named by the thread's `comm` as last seen (a
//! process that execs takes the new program's name; `thread::Builder::name` sets a thread's).
//! At most [`MOST_LANES`] threads are recorded: each holds two open files while it lives, and
//! a third (its `wchan`) from the first time it is found asleep.
//!
//! # Running, blocked or waiting
//!
//! Each look reads the thread's `stat` (its state letter, proc.rst table 1-4) and `schedstat`
//! (its time on a CPU in nanoseconds, and how many times it was put on one:
//! Documentation/scheduler/sched-stats.rst; on a kernel without it, `stat`'s utime+stime in
//! clock ticks). Between two looks a thread was **running** when its CPU time grew by at
//! least half the time between them, or when both looks found it runnable (`R`: on a core or
//! in the run queue, as proc_loadavg(5) counts it). Otherwise it was off the cores most of
//! the time: **blocked** when the look that ends the interval found it in a futex wait, or
//! runnable, just woken from one (see below); **waiting** when not (`S`: asleep in a timer,
//! on a pipe, a socket, a child; `D`; `T`, stopped).
//!
//! The CPU time wins over the letter because it covers the whole time between the looks,
//! where the letter is one instant: a thread that ran most of the interval and then blocked
//! was running, one that woke just before the look was still waiting (or blocked, by the wait
//! it woke from: see below). The letter only adds what the CPU time cannot show: a thread
//! runnable at both looks that the machine's other work kept off the cores waited for a core,
//! not for anything of the program's, so it is drawn running. A running thread's CPU time
//! grows at the scheduler's tick (in steps of 4 ms on this machine's kernel, CONFIG_HZ=250:
//! measured), so a period much shorter than the tick would not see it grow between two looks.
//!
//! ## Blocked: a futex wait
//!
//! A thread that waits for another thread of its program (a lock, a condition variable, a
//! barrier, a semaphore, a join, a channel) waits, in Rust's std and in glibc on Linux, in the
//! futex system call. `/proc/PID/task/TID/wchan` names the kernel function a sleeping thread
//! waits in (proc.rst, table 1-1): a name of the kernel's futex code, which all start with
//! `futex_` (`futex_do_wait` on this machine's 6.18 kernel, `futex_wait_queue` from 5.16,
//! `futex_wait_queue_me` before), is a futex wait; a sleep shows `hrtimer_nanosleep`, a wait
//! for a child `do_wait`, a read of an empty pipe `anon_pipe_read` (measured). The file exists
//! only on a kernel built with CONFIG_KALLSYMS, and shows `0` when the name cannot be looked up
//! or the runner may not inspect the thread (a ptrace access check: fs/proc/base.c,
//! `proc_pid_wchan`): then a blocked thread is drawn waiting, as if this were not told apart.
//!
//! The look that ends the interval decides, not the two looks together: the wait a look finds
//! is the one the thread has been in since it last left a core, the latest part of the
//! interval. A thread that ran and then blocked (one starting and blocking at once, one
//! handing a lock over and waiting for its next turn) spent its time off the cores in that
//! wait, which the earlier look, finding it running, could not name; asking for a futex wait
//! at both looks would draw each such interval waiting. What this gets wrong: a thread that
//! left one wait and entered another within one interval (woke from a sleep, then blocked on
//! a lock) has the whole interval drawn in the second, one interval off, as every change of
//! state may be.
//!
//! A thread the look finds runnable has just been woken (it ran for less than half the
//! interval): it was off the cores in the wait the earlier look found it in, and is drawn as
//! that wait. This matters most when the sampler's own thread waited for a core and the looks
//! are far apart: a thread blocked for most of such an interval and running at its end is
//! still drawn blocked.
//!
//! `wchan` is read only for a thread found asleep (`S` or `D`) at the end of an interval not
//! drawn running, and then only when the thread has been on a core since the last look
//! (schedstat's count of times it was put on one grew). A thread that has not is in the wait
//! the last look found: that look's answer stands. A sleeper or a blocked thread thus costs
//! one read of `wchan` per wait (some 2 µs of kernel time: it walks the thread's stack), not
//! one per look. On a kernel without schedstat, every such look reads it.
//!
//! # What sampling cannot see
//!
//! - A wait or a run shorter than the time between two looks: each interval gets one state,
//!   the one that held for most of it. The looks are [`PERIOD`] apart, or more when the
//!   machine is busy and the sampler's own thread waits for a core
//!   ([`Sampling::longest_gap`]).
//! - A thread or process that lives less than that may not be seen at all; one seen by a
//!   single look has a lane with no spans (`first_seen == last_seen`). A lane starts at the
//!   first look that saw it and ends at the last one (it ended before the next), so its ends
//!   are up to one interval off.
//! - Which thread printed a line: a pipe does not say who wrote to it. The lines are marked
//!   on the lane of the example's process; [`Timeline::mark_lanes`] moves them to the lane a
//!   mapping names (e.g. `Thread 3` to the thread named so). A line's time is when the runner
//!   read it, which may be a little after the program wrote it ([`crate::output::Line::at`]).
//! - More than the first 15 bytes of a thread's name: Linux keeps no more (`TASK_COMM_LEN` is
//!   16 with the closing NUL: proc.rst, section `/proc/<pid>/comm`).
//! - What a futex wait waits for: any wait in a futex is drawn blocked, on the program's own
//!   lock or on one inside a library (a channel's receive, a runtime's own locks); a timed
//!   wait on a condition variable is blocked until it ends, by a notification or by its
//!   timeout. A wait built on something else (a pipe, a socket, `sleep` in a loop polling a
//!   flag) is drawn waiting even if what it waits for is another thread, and a spin lock's
//!   waiting thread runs.
//!
//! # Finding the tree's processes and threads
//!
//! A scan of every `/proc/*/stat` (the runner's own `descendants`: 2-4 ms for the hundred-odd
//! processes of this machine) is too costly for every look, and the kernel's `children` files
//! are optional (CONFIG_PROC_CHILDREN) and may skip children (proc.rst,
//! section `/proc/<pid>/task/<tid>/children`). So:
//! - New threads: each thread's `stat` holds its process's thread count; only a process with
//!   more threads than are watched has its task directory listed.
//! - New processes: each look reads the last pid created, the fifth field of `/proc/loadavg`
//!   (proc_loadavg(5); a thread's id comes from the same counter). When it moved, the look
//!   reads the `stat` of each id created since the last look (`/proc/ID` opens a thread too);
//!   one whose parent is in the tree, or is the reaper, joins it (a thread's `stat` shows its
//!   process's parent, and its `status` its process). An id not in `/proc` yet (a task takes
//!   its id before it shows there) is read once more at the next look.
//! - A full scan stands in at the first look, every [`FULL_SCAN_EVERY`], and when the counter
//!   wrapped or moved by more than [`MOST_PROBES`].
//!
//! A thread's two files stay open while it lives: reading an open file again costs a third of
//! opening it anew, and a read of one whose thread has ended fails (`ESRCH`), even if its id
//! was given to another (proc.rst, "Process-Specific Subdirectories").
//!
//! # Cost, and why 5 ms
//!
//! Measured on this 2-core machine, shared and busy (load 3-5), in the unoptimised build
//! xtask runs: the sampler's thread took 2.9% of one core recording lesson01's
//! `cpu_bound_threads`, 4.2% for lesson04's `semaphore` (eleven threads), 2.3-2.9% for two
//! spinning threads ([`Sampling::cpu`] reports it for each recording). A look at eleven
//! threads takes 0.15-0.25 ms of CPU, mostly in the kernel making the files' text. At 10 ms
//! the same runs took 2.0%, 3.3% and 2.4% (a look after a longer sleep finds colder caches,
//! so halving the looks saves only a quarter), at 2 ms 4.9%, 6.0% and 3.8%. 5 ms is the
//! shortest period above the 4 ms tick, and gives a 100 ms turn at a lock twenty looks.
//! With many threads the looks are spaced further apart, so that they never take more than
//! [`MOST_SHARE`] of a core.
//!
//! Telling blocked from waiting, measured against the sampler without it (runs alternated,
//! four rounds of five each, load 1.6-4.3; the medians of the rounds): `semaphore` 2.7-3.9%
//! against 2.6-3.9% before, some 25 reads of `wchan` a run; ten sleepers 3.0-5.0% against
//! 2.9-5.0%, 12 reads: no difference the machine's noise lets show. The worst case, ten
//! threads each sleeping 1 ms in a loop, so that every look finds each asleep after it ran,
//! reads `wchan` at every look for each (3,800 reads in 2 s): 4.0-5.6% against 2.7-4.6%,
//! about a point more.

use super::{Lane, Mark, Span, State, Stream, Timeline};
use crate::output;
use crate::run::{self, Outcome};
use nix::libc;
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How often the sampler looks at `/proc`.
pub const PERIOD: Duration = Duration::from_millis(5);
/// How often a full scan of `/proc` stands in for the cheap search of new tasks.
pub const FULL_SCAN_EVERY: Duration = Duration::from_secs(1);
/// The most new ids one look reads one by one; more, and it scans all of `/proc` instead.
pub const MOST_PROBES: i32 = 64;
/// The most CPU time the looks may take, as a share of one core: looks at eleven threads take
/// about half of it (see the module doc); with some thirty threads or more, the looks are
/// spaced further apart than [`PERIOD`].
pub const MOST_SHARE: f64 = 0.1;
/// The most threads recorded in one run.
pub const MOST_LANES: usize = 256;

/// How the sampling of one run went: its own cost and regularity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sampling {
    /// Looks at `/proc`, the last one after the example's tree was gone.
    pub looks: u32,
    /// The longest time between two looks: longer than [`PERIOD`] when the sampler's own
    /// thread had to wait for a core.
    pub longest_gap: Duration,
    /// The sampler thread's own CPU time (`CLOCK_THREAD_CPUTIME_ID`).
    pub cpu: Duration,
    /// From the first look to the last.
    pub wall: Duration,
    /// Scans of every process of the machine among the looks.
    pub full_scans: u32,
    /// Threads past [`MOST_LANES`], not recorded.
    pub unrecorded: u32,
}

impl Sampling {
    /// The sampler's CPU time as a share of one core over the recording (0.02 is 2%).
    pub fn cpu_share(&self) -> f64 {
        if self.wall.is_zero() {
            return 0.0;
        }
        self.cpu.as_secs_f64() / self.wall.as_secs_f64()
    }
}

/// What a sampler recorded: the lanes, in the order first seen, and how the sampling went.
pub(crate) type Recording = (Vec<Lane>, Sampling);

/// The sampler's thread, while a run goes on.
pub(crate) struct Sampler {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Recording>>,
}

impl Sampler {
    /// Starts looking every `period` at the tree under `reaper` (the reaper excluded), whose
    /// first process is `example`; times from `start`.
    pub(crate) fn start(reaper: i32, example: i32, start: Instant, period: Duration) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = thread::Builder::new()
            .name("sampler".into())
            .spawn(move || Recorder::new(reaper, example, start).record(period, &flag))
            .expect("a thread starts");
        Sampler {
            stop,
            thread: Some(thread),
        }
    }

    /// Takes a last look and returns the lanes, in the order first seen.
    pub(crate) fn finish(mut self) -> Recording {
        let thread = self.thread.take().expect("finished once");
        self.stop.store(true, Ordering::SeqCst);
        thread.thread().unpark();
        match thread.join() {
            Ok(recorded) => recorded,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        // A run that failed drops its sampler unfinished: the thread stops at its next look.
        if let Some(thread) = &self.thread {
            self.stop.store(true, Ordering::SeqCst);
            thread.thread().unpark();
        }
    }
}

/// The timeline of a finished run: its lanes, and its output lines marked on the lane of the
/// example's own process.
pub(crate) fn timeline(outcome: &Outcome, lanes: Vec<Lane>, period: Duration) -> Timeline {
    let main = lanes.iter().position(|lane| lane.tid == outcome.pid);
    let stdout = outcome.stdout.iter().map(|line| (Stream::Stdout, line));
    let stderr = outcome.stderr.iter().map(|line| (Stream::Stderr, line));
    let mut marks: Vec<Mark> = stdout
        .chain(stderr)
        .map(|(stream, line)| Mark {
            at: line.at,
            stream,
            text: line.text.clone(),
            lane: main,
        })
        .collect();
    // Stable: lines read at the same moment keep their order in their stream.
    marks.sort_by_key(|mark| mark.at);
    let last_seen = lanes.iter().map(|lane| lane.last_seen).max();
    Timeline {
        length: last_seen.unwrap_or_default().max(outcome.elapsed),
        period,
        lanes,
        marks,
    }
}

/// What one look saw of one thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reading {
    at: Duration,
    /// State `R`: on a core or waiting for one.
    runnable: bool,
    /// State `S` or `D`: asleep.
    asleep: bool,
    /// Its CPU time so far, in nanoseconds.
    cpu: u64,
    /// How many times it was put on a core so far (schedstat's third field), where known.
    slices: Option<u64>,
    /// Whether it was in a futex wait at this look, or, found runnable, in the one it was just
    /// woken from; `None` where not asked (see [`futex_wait`]).
    futex: Option<bool>,
    /// How many threads its process has.
    threads: usize,
}

/// Whether a thread ran between two looks (see the module doc for why the CPU time wins).
fn ran_between(before: Reading, after: Reading) -> bool {
    let between = after.at.saturating_sub(before.at);
    let on_cpu = Duration::from_nanos(after.cpu.saturating_sub(before.cpu));
    (before.runnable && after.runnable) || on_cpu * 2 >= between
}

/// What a thread did between two looks: running, else blocked if the look that ends the
/// interval found it in a futex wait, else waiting (see the module doc for why the end).
fn state_between(before: Reading, after: Reading) -> State {
    if ran_between(before, after) {
        State::Running
    } else if after.futex == Some(true) {
        State::Blocked
    } else {
        State::Waiting
    }
}

/// Whether the thread was off the cores in a futex wait up to the look of `after`, where an
/// interval not drawn running needs it. Found runnable, it was just woken: from the wait the
/// last look found it in, whose answer stands. Found asleep: that look's answer too if it has
/// not been on a core since (the same wait), else `wchan`'s. Otherwise (stopped) `None`.
fn futex_wait(before: Reading, after: Reading, wchan: impl FnOnce() -> bool) -> Option<bool> {
    if ran_between(before, after) {
        return None;
    }
    if after.runnable {
        return before.futex;
    }
    if !after.asleep {
        return None;
    }
    match (before.futex, before.slices, after.slices) {
        (Some(futex), Some(was), Some(now)) if was == now => Some(futex),
        _ => Some(wchan()),
    }
}

/// Adds `from..to` in `state` to a lane, joining it to its last span when they meet.
fn extend(lane: &mut Lane, from: Duration, to: Duration, state: State) {
    match lane.spans.last_mut() {
        Some(last) if last.state == state && last.to == from => last.to = to,
        _ => lane.spans.push(Span { from, to, state }),
    }
}

/// One thread being watched.
struct Watch {
    lane: usize,
    pid: i32,
    tid: i32,
    stat: File,
    /// Absent on kernels without CONFIG_SCHED_INFO.
    schedstat: Option<File>,
    /// Opened the first time the thread is found asleep; `None` inside where it cannot be (a
    /// kernel without CONFIG_KALLSYMS has no such file).
    wchan: OnceCell<Option<File>>,
    /// Its name as last read, in bytes: made into text only when it changes.
    comm: Vec<u8>,
    last: Reading,
}

/// The sampler's state: the lanes so far and what it watches.
struct Recorder {
    reaper: i32,
    /// The example's process, watched before the first full scan: a program that ends within
    /// a few milliseconds may be gone by the scan's end.
    example: i32,
    start: Instant,
    lanes: Vec<Lane>,
    watches: Vec<Watch>,
    /// The live threads watched (or not recorded, past [`MOST_LANES`]).
    known: HashSet<i32>,
    /// The live processes of the tree, each with its count of live watched threads.
    tree: HashMap<i32, usize>,
    loadavg: Option<File>,
    /// The last pid created, as the last look read it.
    cursor: Option<i32>,
    /// Ids read at the last look that were not in `/proc` yet, read once more.
    retry: Vec<i32>,
    /// Clock ticks per second, for `stat`'s CPU times.
    ticks: u64,
    buffer: Vec<u8>,
    sampling: Sampling,
}

impl Recorder {
    fn new(reaper: i32, example: i32, start: Instant) -> Recorder {
        // SAFETY: sysconf reads a constant of the system.
        let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        Recorder {
            reaper,
            example,
            start,
            lanes: Vec::new(),
            watches: Vec::new(),
            known: HashSet::new(),
            tree: HashMap::new(),
            loadavg: File::open("/proc/loadavg").ok(),
            cursor: None,
            retry: Vec::new(),
            ticks: u64::try_from(ticks).ok().filter(|&t| t > 0).unwrap_or(100),
            buffer: vec![0; 1024],
            sampling: Sampling::default(),
        }
    }

    /// Looks every `period` until `stop` is raised, then once more.
    fn record(mut self, period: Duration, stop: &AtomicBool) -> Recording {
        let first = Instant::now();
        let mut next = first;
        let mut last_full: Option<Instant> = None;
        let mut previous: Option<Duration> = None;
        loop {
            let stopping = stop.load(Ordering::SeqCst);
            let full = !stopping && last_full.is_none_or(|at| at.elapsed() >= FULL_SCAN_EVERY);
            if full {
                last_full = Some(Instant::now());
            }
            let cpu_before = thread_cpu_time();
            let at = self.look(full);
            let cost = thread_cpu_time().saturating_sub(cpu_before);
            if let Some(before) = previous {
                self.sampling.longest_gap = self.sampling.longest_gap.max(at - before);
            }
            previous = Some(at);
            if stopping {
                break;
            }
            next += period;
            let now = Instant::now();
            if next <= now {
                // Behind (the thread waited for a core): the missed looks are skipped.
                next = now + period;
            }
            if !full {
                // A look costs in proportion to the threads it reads: with very many, the
                // looks are spaced out, so that they never take more than a share of a core.
                next = next.max(now + cost.mul_f64(1.0 / MOST_SHARE - 1.0));
            }
            while !stop.load(Ordering::SeqCst) {
                let now = Instant::now();
                if now >= next {
                    break;
                }
                thread::park_timeout(next - now);
            }
        }
        self.sampling.wall = first.elapsed();
        self.sampling.cpu = thread_cpu_time();
        (self.lanes, self.sampling)
    }

    /// One look: finds new threads and processes, then reads every thread watched.
    fn look(&mut self, full: bool) -> Duration {
        let at = self.start.elapsed();
        self.sampling.looks += 1;
        if self.sampling.looks == 1 {
            self.add_process(self.example, at);
        }
        self.discover(at, full);
        let mut buffer = std::mem::take(&mut self.buffer);
        let mut watches = std::mem::take(&mut self.watches);
        watches.retain_mut(|watch| {
            if watch.last.at == at {
                // Found by this look, and read already.
                return true;
            }
            let lane = &mut self.lanes[watch.lane];
            match read(watch, at, self.ticks, &mut buffer) {
                Some((mut reading, renamed)) => {
                    reading.futex =
                        futex_wait(watch.last, reading, || in_futex_wait(watch, &mut buffer));
                    extend(lane, watch.last.at, at, state_between(watch.last, reading));
                    lane.last_seen = at;
                    if let Some(name) = renamed {
                        lane.name = name;
                    }
                    watch.last = reading;
                    true
                }
                None => {
                    lane.ended = true;
                    self.known.remove(&watch.tid);
                    if let Some(count) = self.tree.get_mut(&watch.pid) {
                        *count -= 1;
                        if *count == 0 {
                            self.tree.remove(&watch.pid);
                        }
                    }
                    false
                }
            }
        });
        self.watches = watches;
        self.buffer = buffer;
        // A process with more threads than are watched has new ones (its thread count is in
        // each of its threads' `stat`): only then is its task directory listed.
        let mut grown: Vec<i32> = self
            .watches
            .iter()
            .filter(|watch| watch.last.threads > self.tree.get(&watch.pid).copied().unwrap_or(0))
            .map(|watch| watch.pid)
            .collect();
        grown.sort_unstable();
        grown.dedup();
        for pid in grown {
            self.add_threads(pid, at);
        }
        at
    }

    /// Adds the processes that appeared since the last look.
    fn discover(&mut self, at: Duration, full: bool) {
        let new = self.read_cursor();
        let old = std::mem::replace(&mut self.cursor, new);
        let near = match (old, new) {
            (Some(old), Some(new)) => new >= old && new - old <= MOST_PROBES,
            // Without `/proc/loadavg`, only the full scans find new processes.
            (_, None) => true,
            (None, Some(_)) => false,
        };
        if full || !near {
            self.full_scan(at);
            return;
        }
        for id in std::mem::take(&mut self.retry) {
            self.probe(id, at, false);
        }
        if let (Some(old), Some(new)) = (old, new) {
            for id in old + 1..=new {
                self.probe(id, at, true);
            }
        }
    }

    /// Every living descendant of the reaper, and the threads of each.
    fn full_scan(&mut self, at: Duration) {
        self.sampling.full_scans += 1;
        self.retry.clear();
        for process in run::descendants(self.reaper) {
            self.add_process(process.pid, at);
        }
    }

    /// Reads task `id`, created since the last look: a process of the tree, or a thread of
    /// one, joins it. `again`: read it once more at the next look if it is not there yet.
    fn probe(&mut self, id: i32, at: Duration, again: bool) {
        if self.known.contains(&id) {
            return;
        }
        let Some(task) = run::read_process(id) else {
            if again {
                self.retry.push(id);
            }
            return;
        };
        // A thread's `stat` shows its process's parent, so both a new process and a thread of
        // a new one pass; its thread group id says which process it belongs to.
        let parent_in_tree = task.ppid == self.reaper || self.tree.contains_key(&task.ppid);
        if parent_in_tree
            && !task.zombie
            && let Some(process) = thread_group(id)
        {
            self.add_process(process, at);
        }
    }

    fn add_process(&mut self, pid: i32, at: Duration) {
        self.tree.entry(pid).or_insert(0);
        self.add_threads(pid, at);
        if self.tree.get(&pid) == Some(&0) {
            self.tree.remove(&pid);
        }
    }

    /// Starts watching each thread of process `pid` not watched yet.
    fn add_threads(&mut self, pid: i32, at: Duration) {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
            return;
        };
        let mut tids: Vec<i32> = tasks
            .flatten()
            .filter_map(|task| task.file_name().to_str()?.parse().ok())
            .filter(|tid| !self.known.contains(tid))
            .collect();
        tids.sort_unstable();
        for tid in tids {
            self.add_watch(pid, tid, at);
        }
    }

    fn add_watch(&mut self, pid: i32, tid: i32, at: Duration) {
        if self.lanes.len() >= MOST_LANES {
            self.sampling.unrecorded += 1;
            self.known.insert(tid);
            return;
        }
        let task = format!("/proc/{pid}/task/{tid}");
        let Ok(stat) = File::open(format!("{task}/stat")) else {
            return;
        };
        let mut watch = Watch {
            lane: self.lanes.len(),
            pid,
            tid,
            stat,
            schedstat: File::open(format!("{task}/schedstat")).ok(),
            wchan: OnceCell::new(),
            comm: Vec::new(),
            last: Reading {
                at,
                runnable: false,
                asleep: false,
                cpu: 0,
                slices: None,
                futex: None,
                threads: 0,
            },
        };
        // A thread already gone, or a zombie, is no lane.
        let Some((reading, name)) = read(&mut watch, at, self.ticks, &mut self.buffer) else {
            return;
        };
        watch.last = reading;
        self.lanes.push(Lane {
            pid,
            tid,
            name: name.unwrap_or_default(),
            first_seen: at,
            last_seen: at,
            ended: false,
            spans: Vec::new(),
        });
        self.known.insert(tid);
        *self.tree.entry(pid).or_insert(0) += 1;
        self.watches.push(watch);
    }

    /// The fifth field of `/proc/loadavg`: the last pid created on the machine.
    fn read_cursor(&mut self) -> Option<i32> {
        let file = self.loadavg.as_ref()?;
        let n = file.read_at(&mut self.buffer, 0).ok()?;
        let [last] = pick(&self.buffer[..n], [4])?;
        i32::try_from(decimal(last)?).ok()
    }
}

/// Reads one thread: what it is doing, and its name if it is new or changed; `None` once
/// it has ended (its files fail) or is a zombie.
fn read(
    watch: &mut Watch,
    at: Duration,
    ticks: u64,
    buffer: &mut [u8],
) -> Option<(Reading, Option<String>)> {
    let n = watch.stat.read_at(buffer, 0).ok()?;
    let (comm, fields) = split_stat(&buffer[..n])?;
    // From the state on: utime and stime (clock ticks) are the 12th and 13th fields,
    // num_threads the 18th (the 14th, 15th and 20th of the whole line).
    let [state, utime, stime, threads] = pick(fields, [0, 11, 12, 17])?;
    if matches!(state, b"Z" | b"X" | b"x") {
        return None;
    }
    let renamed = (comm != watch.comm.as_slice()).then(|| {
        watch.comm = comm.to_vec();
        output::printable(comm)
    });
    // Three numbers of at most 20 digits each.
    let schedstat = watch.schedstat.as_ref().and_then(|file| {
        let mut line = [0u8; 64];
        let n = file.read_at(&mut line, 0).ok()?;
        let [nanos, slices] = pick(&line[..n], [0, 2])?;
        Some((decimal(nanos)?, decimal(slices)?))
    });
    let (cpu, slices) = match schedstat {
        Some((nanos, slices)) => (nanos, Some(slices)),
        None => (
            (decimal(utime)? + decimal(stime)?) * (1_000_000_000 / ticks),
            None,
        ),
    };
    let reading = Reading {
        at,
        runnable: state == b"R",
        asleep: matches!(state, b"S" | b"D"),
        cpu,
        slices,
        futex: None,
        threads: usize::try_from(decimal(threads)?).ok()?,
    };
    Some((reading, renamed))
}

/// Whether the thread sleeps in a futex wait now: its `wchan` names a function of the kernel's
/// futex code. `false` where `wchan` cannot say (no such file, or `0`: see the module doc).
fn in_futex_wait(watch: &Watch, buffer: &mut [u8]) -> bool {
    let wchan = watch
        .wchan
        .get_or_init(|| File::open(format!("/proc/{}/task/{}/wchan", watch.pid, watch.tid)).ok());
    let Some(Ok(n)) = wchan.as_ref().map(|file| file.read_at(buffer, 0)) else {
        return false;
    };
    buffer[..n].starts_with(b"futex_")
}

// The three functions below, which the runner's scan of `/proc` uses too, are plain loops over
// bytes: the sampler reads every thread every few milliseconds, and iterator adapters cost
// many times more in an unoptimised build, which is how xtask runs.

/// A `stat` line's name and the fields after it, from the state on.
pub(crate) fn split_stat(stat: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut open = 0;
    while *stat.get(open)? != b'(' {
        open += 1;
    }
    // The name may hold parentheses, the numbers after it never: its end is the last `)`
    // within the longest name (64 bytes, the kernel's own threads'), and the line's end.
    let mut close = (open + 66).min(stat.len());
    loop {
        close = close.checked_sub(1)?;
        if close <= open {
            return None;
        }
        if stat[close] == b')' {
            break;
        }
    }
    Some((&stat[open + 1..close], stat.get(close + 2..)?))
}

/// The fields at `indices` (ascending) of a line of space-separated fields.
pub(crate) fn pick<const N: usize>(line: &[u8], indices: [usize; N]) -> Option<[&[u8]; N]> {
    let mut found: [&[u8]; N] = [&[]; N];
    let (mut field, mut start, mut wanted) = (0, 0, 0);
    let mut i = 0;
    while wanted < N {
        let line_ends = i == line.len() || line[i] == b'\n';
        if line_ends || line[i] == b' ' {
            if field == indices[wanted] {
                found[wanted] = &line[start..i];
                wanted += 1;
            }
            if line_ends {
                break;
            }
            field += 1;
            start = i + 1;
        }
        i += 1;
    }
    (wanted == N).then_some(found)
}

/// A field of decimal digits.
pub(crate) fn decimal(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    let mut value: u64 = 0;
    let mut i = 0;
    while i < digits.len() {
        let digit = digits[i].wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(digit))?;
        i += 1;
    }
    Some(value)
}

/// The thread group (process) task `id` belongs to, from its `status`.
fn thread_group(id: i32) -> Option<i32> {
    let status = std::fs::read_to_string(format!("/proc/{id}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Tgid:"))?
        .trim()
        .parse()
        .ok()
}

/// The CPU time of the calling thread.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec, which `now` is.
    if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn reading(at: u64, runnable: bool, cpu_ms: u64) -> Reading {
        Reading {
            at: ms(at),
            runnable,
            asleep: !runnable,
            cpu: cpu_ms * 1_000_000,
            slices: None,
            futex: None,
            threads: 1,
        }
    }

    /// A look that found the thread asleep, put on a core `slices` times so far, in a futex
    /// wait or not as `futex` says (`None`: not asked).
    fn asleep(at: u64, cpu_ms: u64, slices: u64, futex: Option<bool>) -> Reading {
        Reading {
            slices: Some(slices),
            futex,
            ..reading(at, false, cpu_ms)
        }
    }

    #[test]
    fn off_the_cores_a_futex_wait_at_the_end_is_blocked() {
        use State::*;
        let before = asleep(0, 0, 3, Some(false));
        assert_eq!(state_between(before, asleep(5, 0, 4, Some(true))), Blocked);
        assert_eq!(state_between(before, asleep(5, 0, 4, Some(false))), Waiting);
        assert_eq!(state_between(before, asleep(5, 0, 4, None)), Waiting);
        // Running wins: it ran most of the interval, then blocked.
        assert_eq!(state_between(before, asleep(5, 3, 4, Some(true))), Running);
        // Only the end counts: blocked at the start, asleep in a timer at the end.
        let blocked = asleep(0, 0, 3, Some(true));
        assert_eq!(
            state_between(blocked, asleep(5, 1, 4, Some(false))),
            Waiting
        );
    }

    #[test]
    fn wchan_is_read_for_a_thread_asleep_that_ran_since_the_last_look() {
        let never = || -> bool { panic!("wchan read") };
        // Ran most of the interval: no state but running needs it.
        assert_eq!(
            futex_wait(asleep(0, 0, 3, None), asleep(5, 4, 4, None), never),
            None
        );
        // Asleep, and put on a core since the last look (or never asked before): read.
        assert_eq!(
            futex_wait(asleep(0, 0, 3, Some(false)), asleep(5, 1, 4, None), || true),
            Some(true)
        );
        assert_eq!(
            futex_wait(asleep(0, 0, 3, None), asleep(5, 0, 3, None), || true),
            Some(true)
        );
        // Not on a core since: the same wait.
        let blocked = asleep(0, 0, 3, Some(true));
        assert_eq!(
            futex_wait(blocked, asleep(5, 0, 3, None), never),
            Some(true)
        );
        // Runnable: woken from the wait the last look found, whether it has run a little
        // since or not yet.
        for (slices, cpu_ms) in [(3, 0), (4, 1)] {
            let woken = Reading {
                slices: Some(slices),
                ..reading(5, true, cpu_ms)
            };
            assert_eq!(futex_wait(blocked, woken, never), Some(true));
            let woken_from_a_sleep = asleep(0, 0, 3, Some(false));
            assert_eq!(futex_wait(woken_from_a_sleep, woken, never), Some(false));
        }
        // Stopped (`T`): neither asleep nor runnable.
        let stopped = Reading {
            asleep: false,
            ..asleep(5, 0, 4, None)
        };
        assert_eq!(futex_wait(blocked, stopped, never), None);
        // Without schedstat's count, each look asks again.
        let counted_not = |at, futex| Reading {
            futex,
            ..reading(at, false, 0)
        };
        assert_eq!(
            futex_wait(counted_not(0, Some(true)), counted_not(5, None), || false),
            Some(false)
        );
    }

    #[test]
    fn cpu_time_decides_unless_the_thread_was_runnable_at_both_looks() {
        use State::*;
        // On a core throughout, or runnable and kept off the cores by other work.
        assert_eq!(
            state_between(reading(0, true, 0), reading(5, true, 4)),
            Running
        );
        assert_eq!(
            state_between(reading(0, true, 0), reading(5, true, 0)),
            Running
        );
        // Ran most of the interval, then blocked: the letter at the end does not count.
        assert_eq!(
            state_between(reading(0, true, 0), reading(5, false, 3)),
            Running
        );
        assert_eq!(
            state_between(reading(0, true, 0), reading(5, false, 1)),
            Waiting
        );
        // Woke just before the look: still waiting for this interval.
        assert_eq!(
            state_between(reading(0, false, 0), reading(5, true, 0)),
            Waiting
        );
        // Asleep at both looks but on a core most of the time between them.
        assert_eq!(
            state_between(reading(0, false, 0), reading(10, false, 6)),
            Running
        );
        assert_eq!(
            state_between(reading(0, false, 0), reading(10, false, 0)),
            Waiting
        );
    }

    #[test]
    fn a_stat_line_is_split_after_its_name_whatever_the_name_holds() {
        let stat = b"4242 (a) (b c) S 1 4242 7 0 -1\n";
        let (name, fields) = split_stat(stat).unwrap();
        assert_eq!(name, b"a) (b c");
        assert_eq!(pick(fields, [0, 1, 5]), Some([&b"S"[..], b"1", b"-1"]));
        assert_eq!(pick(fields, [6]), None);
        assert_eq!(pick(fields, [1]).map(|[f]| decimal(f)), Some(Some(1)));
        assert_eq!(decimal(b"-1"), None);
        assert_eq!(decimal(b""), None);
        assert_eq!(split_stat(b"4242 (no end S 1"), None);
    }

    #[test]
    fn spans_that_meet_in_one_state_are_joined() {
        let mut lane = Lane {
            pid: 1,
            tid: 1,
            name: "main".into(),
            first_seen: ms(0),
            last_seen: ms(20),
            ended: false,
            spans: Vec::new(),
        };
        extend(&mut lane, ms(0), ms(5), State::Running);
        extend(&mut lane, ms(5), ms(10), State::Running);
        extend(&mut lane, ms(10), ms(15), State::Waiting);
        extend(&mut lane, ms(15), ms(20), State::Running);
        let spans: Vec<_> = lane.spans.iter().map(|s| (s.from, s.to, s.state)).collect();
        assert_eq!(
            spans,
            [
                (ms(0), ms(10), State::Running),
                (ms(10), ms(15), State::Waiting),
                (ms(15), ms(20), State::Running)
            ]
        );
    }

    #[test]
    fn lines_go_to_the_lane_a_mapping_names_as_linux_cut_the_name() {
        let lane = |tid, name: &str, from, to| Lane {
            pid: 1,
            tid,
            name: name.into(),
            first_seen: ms(from),
            last_seen: ms(to),
            ended: true,
            spans: Vec::new(),
        };
        let mark = |at, text: &str| Mark {
            at: ms(at),
            stream: Stream::Stdout,
            text: text.into(),
            lane: Some(0),
        };
        let mut timeline = Timeline {
            length: ms(300),
            period: PERIOD,
            lanes: vec![
                lane(1, "main", 0, 300),
                lane(2, "worker", 0, 100),
                lane(3, "worker", 150, 250),
                lane(4, "a name of twent", 0, 300),
            ],
            marks: vec![
                mark(50, "worker says"),
                mark(200, "worker says"),
                mark(140, "worker says"),
                mark(60, "long says"),
                mark(70, "nobody says"),
                mark(80, "ghost says"),
            ],
        };
        timeline.mark_lanes(|text| match text.split(' ').next() {
            Some("worker") => Some("worker".into()),
            Some("long") => Some("a name of twenty bytes".into()),
            Some("ghost") => Some("ghost".into()),
            _ => None,
        });
        let lanes: Vec<_> = timeline.marks.iter().map(|m| m.lane).collect();
        // Alive when read: lane 1, then lane 2; between the two lives, the nearer (lane 2,
        // which starts 10 ms later, against lane 1, ended 40 ms before).
        assert_eq!(
            lanes,
            [Some(1), Some(2), Some(2), Some(3), Some(0), Some(0)]
        );
    }

    #[test]
    fn both_streams_become_marks_in_time_order_on_the_process_lane() {
        use crate::output::{Cut, Line};
        use crate::run::{Ended, StoppedBy};
        let line = |at, text: &str| Line {
            text: text.into(),
            at: ms(at),
        };
        let outcome = Outcome {
            pid: 7,
            stdout: vec![line(10, "one"), line(30, "three")],
            stderr: vec![line(20, "two"), line(30, "four")],
            stdout_cut: Cut::default(),
            stderr_cut: Cut::default(),
            ended: Ended::Code(0),
            elapsed: ms(40),
            stopped_by: StoppedBy::ItsEnd,
            leftovers: Vec::new(),
            timeline: None,
        };
        let lane = |pid, tid, last_seen| Lane {
            pid,
            tid,
            name: "x".into(),
            first_seen: ms(0),
            last_seen: ms(last_seen),
            ended: true,
            spans: Vec::new(),
        };
        let recorded = timeline(&outcome, vec![lane(5, 5, 35), lane(7, 7, 35)], PERIOD);
        let marks: Vec<_> = recorded
            .marks
            .iter()
            .map(|m| (m.at, m.stream, m.text.as_str(), m.lane))
            .collect();
        assert_eq!(
            marks,
            [
                (ms(10), Stream::Stdout, "one", Some(1)),
                (ms(20), Stream::Stderr, "two", Some(1)),
                (ms(30), Stream::Stdout, "three", Some(1)),
                (ms(30), Stream::Stderr, "four", Some(1)),
            ]
        );
        // It lasts to the example's exit, or to the last look that saw a process it left.
        assert_eq!(recorded.length, ms(40));
        let left = timeline(&outcome, vec![lane(7, 7, 35), lane(9, 9, 55)], PERIOD);
        assert_eq!(left.length, ms(55));
    }

    /// Programs of known shape, recorded as the runner records an example.
    mod shapes {
        use super::*;
        use crate::run::{Recorded, run_recorded, write_script};
        use crate::spec::RunSpec;
        use crate::timeline::LaneKind;
        use std::path::PathBuf;
        use std::process::Command;
        use std::sync::{Mutex, OnceLock, PoisonError};

        /// One program, its shape chosen by its argument.
        const SHAPES: &str = r#"
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::sync::{Arc, Barrier, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

fn spin(time: Duration) {
    let until = Instant::now() + time;
    while Instant::now() < until {
        std::hint::spin_loop();
    }
}

fn named(name: String, f: impl FnOnce() + Send + 'static) -> thread::JoinHandle<()> {
    thread::Builder::new().name(name).spawn(f).unwrap()
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let threads: Vec<thread::JoinHandle<()>> = match mode.as_str() {
        "spin" => ["spin-a", "spin-b"]
            .map(|name| named(name.into(), || spin(Duration::from_secs(1))))
            .into(),
        "turns" => {
            let turn = Arc::new((Mutex::new(0), Condvar::new()));
            (0..2)
                .map(|me| {
                    let turn = Arc::clone(&turn);
                    named(["turn-a", "turn-b"][me].into(), move || {
                        let (whose, changed) = &*turn;
                        for _ in 0..6 {
                            let mut whose =
                                changed.wait_while(whose.lock().unwrap(), |w| *w != me).unwrap();
                            spin(Duration::from_millis(80));
                            *whose = 1 - me;
                            changed.notify_all();
                        }
                    })
                })
                .collect()
        }
        "blocked" => {
            let lock = Arc::new(Mutex::new(()));
            let held = Arc::new(Barrier::new(2));
            let holder = {
                let (lock, held) = (Arc::clone(&lock), Arc::clone(&held));
                named("holder".into(), move || {
                    let _guard = lock.lock().unwrap();
                    held.wait();
                    thread::sleep(Duration::from_millis(1200));
                })
            };
            held.wait();
            let mut threads = vec![holder];
            for i in 0..3 {
                let lock = Arc::clone(&lock);
                threads.push(named(format!("locker-{i}"), move || drop(lock.lock().unwrap())));
            }
            threads.push(named("sleeper".into(), || thread::sleep(Duration::from_millis(1200))));
            threads
        }
        "sleepers" => (0..10)
            .map(|i| named(format!("sleeper-{i}"), || thread::sleep(Duration::from_secs(2))))
            .collect(),
        "fork" => {
            let mut child = Command::new("sleep").arg("30").process_group(0).spawn().unwrap();
            println!("child {}", child.id());
            thread::sleep(Duration::from_secs(1));
            child.kill().unwrap();
            child.wait().unwrap();
            println!("killed");
            thread::sleep(Duration::from_millis(300));
            Vec::new()
        }
        other => panic!("no shape {other}"),
    };
    for thread in threads {
        thread.join().unwrap();
    }
}
"#;

        /// The shapes program, built beside the test binary once for each version of its
        /// source (named by the source's hash, so test runs share it).
        fn program() -> &'static PathBuf {
            use std::hash::{DefaultHasher, Hash, Hasher};
            static PROGRAM: OnceLock<PathBuf> = OnceLock::new();
            PROGRAM.get_or_init(|| {
                let exe = std::env::current_exe().unwrap();
                let dir = exe.parent().unwrap().join("timeline-shapes");
                let mut hasher = DefaultHasher::new();
                SHAPES.hash(&mut hasher);
                let program = dir.join(format!("shapes-{:016x}", hasher.finish()));
                if program.exists() {
                    return program;
                }
                std::fs::create_dir_all(&dir).unwrap();
                // Built under a name of this process's, then renamed: another test run may be
                // building it too.
                let source = dir.join(format!("shapes-{}.rs", std::process::id()));
                let built = dir.join(format!("shapes-{}.built", std::process::id()));
                std::fs::write(&source, SHAPES).unwrap();
                let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
                let output = Command::new(rustc)
                    .args(["--edition", "2024", "-C", "debuginfo=0", "-o"])
                    .arg(&built)
                    .arg(&source)
                    .output()
                    .unwrap();
                let _ = std::fs::remove_file(&source);
                assert!(
                    output.status.success(),
                    "{}",
                    String::from_utf8_lossy(&output.stderr)
                );
                std::fs::rename(&built, &program).unwrap();
                program
            })
        }

        /// The spinning shapes run one at a time: on 2 cores, two at once would leave their
        /// threads mostly waiting for a core (still drawn running: see the module doc).
        static CPU_BOUND: Mutex<()> = Mutex::new(());

        fn record(shape: &str) -> Recorded {
            let dir = std::env::temp_dir();
            let script = dir.join(format!(
                "checker-timeline-{shape}-{}.sh",
                std::process::id()
            ));
            write_script(&script, &format!("exec '{}' {shape}", program().display()));
            let recorded =
                run_recorded(&script, &dir, &RunSpec::default(), &AtomicBool::new(false));
            let _ = std::fs::remove_file(&script);
            let recorded = recorded.unwrap();
            assert_eq!(
                recorded.outcome.ended,
                crate::run::Ended::Code(0),
                "{:?}",
                recorded.outcome
            );
            recorded
        }

        /// How far a lane's start, end or time in a state may be off: a look or two, each as
        /// late as the longest gap between two looks of this run (on a busy machine the
        /// sampler, too, waits for a core).
        fn slack(recorded: &Recorded) -> Duration {
            2 * recorded.sampling.longest_gap
        }

        fn lane<'a>(timeline: &'a Timeline, name: &str) -> (usize, &'a Lane) {
            timeline
                .lanes
                .iter()
                .enumerate()
                .find(|(_, lane)| lane.name == name)
                .unwrap_or_else(|| panic!("no lane {name} in {}", names(timeline)))
        }

        fn main_lane(recorded: &Recorded) -> &Lane {
            let pid = recorded.outcome.pid;
            let lane = recorded
                .timeline()
                .lanes
                .iter()
                .find(|lane| lane.tid == pid);
            lane.unwrap_or_else(|| panic!("no lane of {pid}"))
        }

        fn names(timeline: &Timeline) -> String {
            let names: Vec<String> = timeline
                .lanes
                .iter()
                .map(|l| {
                    format!(
                        "{} {}/{} {:?}..{:?}",
                        l.name, l.pid, l.tid, l.first_seen, l.last_seen
                    )
                })
                .collect();
            names.join(", ")
        }

        fn life(lane: &Lane) -> Duration {
            lane.last_seen - lane.first_seen
        }

        /// The stretches in which both lanes were running.
        fn both_running(a: &Lane, b: &Lane) -> Vec<(Duration, Duration)> {
            let mut both = Vec::new();
            for x in a.spans.iter().filter(|s| s.state == State::Running) {
                for y in b.spans.iter().filter(|s| s.state == State::Running) {
                    let (from, to) = (x.from.max(y.from), x.to.min(y.to));
                    if from < to {
                        both.push((from, to));
                    }
                }
            }
            both.sort();
            both
        }

        #[test]
        fn two_spinning_threads_run_at_the_same_time() {
            let _one = CPU_BOUND.lock().unwrap_or_else(PoisonError::into_inner);
            let recorded = record("spin");
            let timeline = recorded.timeline();
            let (a, spin_a) = lane(timeline, "spin-a");
            let (b, spin_b) = lane(timeline, "spin-b");
            for spinner in [spin_a, spin_b] {
                assert_eq!(spinner.kind(), LaneKind::Thread);
                assert_eq!(spinner.pid, recorded.outcome.pid);
                assert!(spinner.ended);
                // Each spins 1 s: its life, seen from looks a few ms apart.
                assert!(
                    life(spinner) + slack(&recorded) >= ms(800),
                    "{}",
                    names(timeline)
                );
            }
            let together = timeline.together(a, b, State::Running);
            assert!(
                together >= ms(600),
                "together {together:?} of {:?}: {:?} / {:?}",
                life(spin_a),
                spin_a.spans,
                spin_b.spans
            );
            // main only joins them: a futex wait.
            let main = main_lane(&recorded);
            assert!(main.time_in(State::Blocked) >= ms(600), "{:?}", main.spans);
        }

        #[test]
        fn two_threads_taking_turns_under_a_lock_never_run_together() {
            let _one = CPU_BOUND.lock().unwrap_or_else(PoisonError::into_inner);
            let recorded = record("turns");
            let timeline = recorded.timeline();
            let (_, turn_a) = lane(timeline, "turn-a");
            let (_, turn_b) = lane(timeline, "turn-b");
            // Each holds the lock 6 times 80 ms, spinning, and waits on the condition variable
            // while the other does: blocked.
            for turns in [turn_a, turn_b] {
                assert!(
                    turns.time_in(State::Running) >= ms(300),
                    "{:?}",
                    turns.spans
                );
                assert!(
                    turns.time_in(State::Blocked) >= ms(300),
                    "{:?}",
                    turns.spans
                );
            }
            // Where one hands the lock to the other, one interval between two looks may show
            // both (one ran most of it, the other was runnable at its end); no more.
            let gap = recorded.sampling.longest_gap;
            let both = both_running(turn_a, turn_b);
            for &(from, to) in &both {
                assert!(
                    to - from <= gap * 2,
                    "both ran {from:?}..{to:?}, longest gap {gap:?}: {both:?}"
                );
            }
            let together: Duration = both.iter().map(|(from, to)| *to - *from).sum();
            assert!(
                together * 4 < turn_a.time_in(State::Running),
                "together {together:?}: {both:?}"
            );
        }

        #[test]
        fn a_child_killed_at_one_second_ends_its_lane_then() {
            let recorded = record("fork");
            let timeline = recorded.timeline();
            let child: i32 = recorded.outcome.stdout[0]
                .text
                .strip_prefix("child ")
                .and_then(|pid| pid.parse().ok())
                .expect("the child's pid");
            // The example and its child, which left its group; not the reaper above them.
            assert_eq!(timeline.lanes.len(), 2, "{}", names(timeline));
            let main = main_lane(&recorded);
            let (_, sleep) = lane(timeline, "sleep");
            assert_eq!((sleep.pid, sleep.kind()), (child, LaneKind::Process));
            assert!(sleep.ended);
            // Killed 1 s after the example started, which was at or after the run's start.
            assert!(
                sleep.last_seen + slack(&recorded) >= ms(900) && sleep.last_seen <= ms(1400),
                "{sleep:?}"
            );
            assert!(
                sleep.time_in(State::Waiting) + slack(&recorded) >= ms(800),
                "{:?}",
                sleep.spans
            );
            // The example lives on 0.3 s after.
            assert!(
                main.last_seen >= sleep.last_seen + ms(150),
                "{}",
                names(timeline)
            );
            // Its lines are on its own lane.
            let main_index = timeline.lanes.iter().position(|l| l.tid == main.tid);
            assert_eq!(timeline.marks.len(), 2);
            assert!(timeline.marks.iter().all(|m| m.lane == main_index));
            assert_eq!(timeline.marks[1].text, "killed");
            assert!(timeline.marks[1].at >= sleep.last_seen);
        }

        #[test]
        fn an_orphan_in_a_session_of_its_own_is_a_lane_to_its_end() {
            // The subshell exits at once: its `sleep 0.4`, in a new session, is orphaned and
            // adopted by the run's reaper.
            let dir = std::env::temp_dir();
            let script = dir.join(format!("checker-timeline-orphan-{}.sh", std::process::id()));
            write_script(&script, "(setsid sleep 0.4 &); sleep 0.8");
            let recorded =
                run_recorded(&script, &dir, &RunSpec::default(), &AtomicBool::new(false));
            let _ = std::fs::remove_file(&script);
            let timeline = recorded.unwrap().outcome.timeline.unwrap();
            let mut sleeps: Vec<&Lane> = timeline
                .lanes
                .iter()
                .filter(|l| l.name == "sleep")
                .collect();
            sleeps.sort_by_key(|l| l.last_seen);
            assert_eq!(sleeps.len(), 2, "{}", names(&timeline));
            let (orphan, sleep) = (sleeps[0], sleeps[1]);
            assert!(orphan.ended && sleep.ended);
            assert!(
                life(orphan) >= ms(300) && orphan.last_seen <= ms(700),
                "{}",
                names(&timeline)
            );
            assert!(sleep.last_seen >= ms(750), "{}", names(&timeline));
        }

        /// Three threads blocked on a std `Mutex` whose holder sleeps 1.2 s with it, main
        /// joining them, and a plain sleeper beside.
        #[test]
        fn waits_for_a_lock_or_a_join_are_blocked_and_a_sleep_is_not() {
            let recorded = record("blocked");
            let timeline = recorded.timeline();
            assert_eq!(timeline.lanes.len(), 6, "{}", names(timeline));
            let spans = |lane: &Lane| format!("{}: {:?}", lane.name, lane.spans);
            // Asleep in a timer, with the lock or without: waiting. A look or two may find
            // them at their start (the holder in the barrier that tells main it holds the
            // lock) or their end.
            for name in ["holder", "sleeper"] {
                let (_, asleep) = lane(timeline, name);
                assert!(
                    asleep.time_in(State::Waiting) >= ms(1000),
                    "{}",
                    spans(asleep)
                );
                assert!(
                    asleep.time_in(State::Blocked) <= ms(50),
                    "{}",
                    spans(asleep)
                );
            }
            // Started once the holder held the lock, then blocked until it let go; each then
            // takes the lock in a moment.
            for i in 0..3 {
                let (_, locker) = lane(timeline, &format!("locker-{i}"));
                assert!(
                    locker.time_in(State::Blocked) >= ms(1000),
                    "{}",
                    spans(locker)
                );
                assert!(
                    locker.time_in(State::Waiting) <= ms(50),
                    "{}",
                    spans(locker)
                );
            }
            // main joins the holder, which ends last but for the lockers.
            let main = main_lane(&recorded);
            assert!(main.time_in(State::Blocked) >= ms(1000), "{}", spans(main));
        }

        /// Ten threads asleep for 2 s: ten lanes waiting throughout, and the sampler's own
        /// cost over the run.
        #[test]
        fn sleepers_wait_throughout_and_recording_them_costs_little() {
            let recorded = record("sleepers");
            let timeline = recorded.timeline();
            assert_eq!(timeline.lanes.len(), 11, "{}", names(timeline));
            for i in 0..10 {
                let (_, sleeper) = lane(timeline, &format!("sleeper-{i}"));
                assert_eq!(sleeper.kind(), LaneKind::Thread);
                assert!(sleeper.ended);
                let slack = slack(&recorded);
                assert!(life(sleeper) + slack >= ms(1800), "{sleeper:?}");
                // Only its start and its wake-up can show running, a look or two each.
                assert!(
                    sleeper.time_in(State::Running) <= ms(100) + slack,
                    "{:?}",
                    sleeper.spans
                );
                assert!(
                    sleeper.time_in(State::Waiting) + slack >= ms(1700),
                    "{:?}",
                    sleeper.spans
                );
                // Asleep in a timer, not in a futex: not blocked, but for a look or two where a
                // thread starting or ending waits a moment for a lock inside the C library.
                assert!(
                    sleeper.time_in(State::Blocked) <= ms(50) + slack,
                    "{:?}",
                    sleeper.spans
                );
            }
            let sampling = recorded.sampling;
            // Printed for the record (`--nocapture`); asserted only loosely: the machine is
            // shared, and a look waits for a core like any thread.
            eprintln!(
                "sampling 11 threads for {:?}: {} looks, {} full scans, longest gap {:?}, sampler CPU {:?} = {:.1}% of a core",
                sampling.wall,
                sampling.looks,
                sampling.full_scans,
                sampling.longest_gap,
                sampling.cpu,
                sampling.cpu_share() * 100.0
            );
            assert!(sampling.looks >= 100, "{sampling:?}");
            assert!(sampling.cpu_share() < 0.25, "{sampling:?}");
        }
    }
}
