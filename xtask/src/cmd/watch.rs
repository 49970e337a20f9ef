//! `cargo xtask check --watch LESSON`: the exercise loop rustlings users know. The exercise is
//! checked once, then again after every save of its file; the screen shows the latest verdict
//! as `check` words it, then a status line. A save during a check stops it (its build or its
//! run) and starts another once the file is quiet. Keys are read a line at a time, so the
//! terminal stays in its own mode: `h` + Enter shows the hints again, `q` + Enter quits (exit
//! status 0), and Ctrl-C or SIGTERM stop it as they stop every command (130).

use crate::cmd::exercises::{self, Again, Exercise, Verdict};
use crate::error::{Error, OrFailed};
use crate::project::Project;
use crate::session::{Session, Status};
use checker::run::{self, interrupt};
use inotify::{EventMask, Inotify, WatchMask};
use std::ffi::OsString;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::{self, ScopedJoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Raised to stop the check under way: by a newer save, by `q`, by Ctrl-C or SIGTERM.
static STOP: AtomicBool = AtomicBool::new(false);

/// How long the file must stay quiet after a save before it is checked: an editor saves in
/// several steps (truncate and write, or write a copy and rename it over), each an event.
/// rustlings waits as long.
const QUIET: Duration = Duration::from_millis(200);

/// How often the loop looks at the interrupt flag while it waits for something to happen.
const TICK: Duration = Duration::from_millis(50);

/// Clears a terminal: the cursor home, the screen, and its scrollback (xterm's `ESC [ 3 J`),
/// so the latest verdict is the only one to read.
const CLEAR: &str = "\x1b[H\x1b[2J\x1b[3J";

/// What reaches the loop, from the threads that wait for it.
#[derive(Debug)]
enum Input {
    /// The exercise file was written (or replaced).
    Saved,
    /// A line typed.
    Key(String),
    /// stdin ended (or cannot be read): no more keys.
    KeysEnded,
    /// The file can no longer be watched: why.
    Lost(String),
}

/// How the loop ended.
enum End {
    Quit,
    Interrupted,
    Lost(String),
}

/// `cargo xtask check --watch LESSON`.
pub fn watch(project: &Project, lesson: &str) -> Result<Status, Error> {
    let exercises = exercises::all(project)?;
    let exercise = exercises::find(&exercises, lesson)?;
    // A session stopped by a flag of its own, which a newer save, `q` and (through the loop
    // below) Ctrl-C raise; the rest as `Session::start` does it.
    interrupt::install()?;
    run::become_subreaper()?;
    let session = Session::with_stop(project, &STOP).recording();
    let (inputs, received) = mpsc::channel();
    watch_saves(&project.root().join(exercise.source()), inputs.clone())?;
    read_keys(inputs.clone());
    let mut screen = Screen {
        exercise,
        terminal: std::io::stdout().is_terminal(),
        keys: true,
    };
    // `inputs` lives on here, so the channel never disconnects: every wait is the tick's.
    let end = thread::scope(|scope| screen.run(scope, &session, &received))?;
    Ok(match end {
        End::Quit => {
            println!("watch: ended");
            Status::Passed
        }
        End::Interrupted => {
            println!("check: interrupted");
            Status::Interrupted
        }
        End::Lost(why) => return Err(Error::failed(why)),
    })
}

/// What the loop shows, and how.
struct Screen<'e> {
    exercise: &'e Exercise,
    /// Whether stdout is a terminal: only then is it cleared between verdicts.
    terminal: bool,
    /// Whether keys can still be typed (stdin has not ended).
    keys: bool,
}

/// A check under way: its thread, and when it started.
type Running<'s> = (ScopedJoinHandle<'s, Result<Verdict, Error>>, Instant);

impl<'e> Screen<'e> {
    /// Checks once, then after every save, until `q`, an interrupt, or the watch is lost.
    /// Every wait is bounded: the loop wakes every tick, and a check stops within a tick of
    /// `STOP` (a build is killed, a run cut short), so the last join is bounded too.
    fn run<'s>(
        &mut self,
        scope: &'s thread::Scope<'s, '_>,
        session: &'s Session,
        received: &Receiver<Input>,
    ) -> Result<End, Error>
    where
        'e: 's,
    {
        let exercise = self.exercise;
        // When the next check starts: now, then a quiet moment after each save.
        let mut due = Some(Instant::now());
        let mut saved: Option<SystemTime> = None;
        let mut running: Option<Running<'s>> = None;
        // The hints of the verdict on the screen (none while a check is under way).
        let mut hints: Option<String> = None;
        let end = loop {
            if running.is_none() && due.is_some_and(|at| Instant::now() >= at) {
                due = None;
                hints = None;
                STOP.store(false, Ordering::SeqCst);
                self.begin(saved);
                let check = move || exercises::check_once(session, exercise, Again::Save);
                running = Some((scope.spawn(check), Instant::now()));
            }
            let wait = due.map_or(TICK, |at| {
                at.saturating_duration_since(Instant::now()).min(TICK)
            });
            match received.recv_timeout(wait) {
                Ok(Input::Saved) => {
                    // The newer save wins: the check under way stops now, and the next one
                    // starts once the file has been quiet for a moment.
                    STOP.store(true, Ordering::SeqCst);
                    saved = Some(SystemTime::now());
                    due = Some(Instant::now() + QUIET);
                }
                Ok(Input::Key(line)) => match line.trim() {
                    "q" => break End::Quit,
                    "h" => self.hints(hints.as_deref(), saved),
                    "" => {}
                    _ => self
                        .say("keys: h + Enter shows the hints, q + Enter quits (so does Ctrl-C)\n"),
                },
                Ok(Input::KeysEnded) => self.keys = false,
                Ok(Input::Lost(why)) => break End::Lost(why),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
            }
            if interrupt::raised() {
                break End::Interrupted;
            }
            if running
                .as_ref()
                .is_some_and(|(check, _)| check.is_finished())
            {
                let (check, started) = running.take().expect("a check is under way");
                let verdict = check
                    .join()
                    .map_err(|_| Error::failed("the check panicked (above)"))?;
                // Stopped by a newer save: its verdict is of a file that is no more.
                if due.is_none() {
                    hints = Some(self.show(verdict, started.elapsed(), saved));
                }
            }
        };
        STOP.store(true, Ordering::SeqCst);
        if let Some((check, _)) = running {
            let _ = check.join();
        }
        Ok(end)
    }

    /// A check begins: the screen cleared (a terminal's), the exercise named, and the save
    /// that started it.
    fn begin(&self, saved: Option<SystemTime>) {
        let mut out = String::new();
        out.push_str(if self.terminal { CLEAR } else { "\n" });
        out.push_str(&self.exercise.heading());
        out.push('\n');
        match saved {
            Some(at) => out.push_str(&format!("checking: saved {}\n", clock(at))),
            None => out.push_str("checking\n"),
        }
        // Before cargo's messages, which it writes to stderr itself.
        self.say(&out);
    }

    /// The verdict, then the status line; returns what `h` shows of it.
    fn show(
        &self,
        verdict: Result<Verdict, Error>,
        took: Duration,
        saved: Option<SystemTime>,
    ) -> String {
        let (text, hints) = match verdict {
            Ok(verdict) => (verdict.text, verdict.hints),
            Err(error) => (
                format!("xtask: {error}\n"),
                "No hints: the check could not be done (above).\n".to_string(),
            ),
        };
        let status = self.status(saved, Some(took));
        self.say(&format!("{text}{status}"));
        hints
    }

    /// `h`: the hints of the verdict on the screen, again below it.
    fn hints(&self, hints: Option<&str>, saved: Option<SystemTime>) {
        let text = match hints {
            Some(hints) if hints.starts_with("No hints") => hints.to_string(),
            Some(hints) => format!("Hints:\n{hints}"),
            None => "No hints yet: the check is under way.\n".to_string(),
        };
        self.say(&format!("{text}{}", self.status(saved, None)));
    }

    /// `watching lesson04/exercise.rs: saved 12:03:04, checked in 2.1 s; h+Enter: hints, ...`
    fn status(&self, saved: Option<SystemTime>, took: Option<Duration>) -> String {
        let mut line = format!("watching {}", self.exercise.source());
        let mut facts = Vec::new();
        if let Some(at) = saved {
            facts.push(format!("saved {}", clock(at)));
        }
        if let Some(took) = took {
            facts.push(format!("checked in {:.1} s", took.as_secs_f64()));
        }
        if !facts.is_empty() {
            line.push_str(&format!(": {}", facts.join(", ")));
        }
        line.push_str(if self.keys {
            "; h+Enter: hints, q+Enter: quit\n"
        } else {
            "; Ctrl-C quits\n"
        });
        line
    }

    /// Writes `text` to stdout at once (a line at a time would interleave with cargo's).
    fn say(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    }
}

/// Watches the exercise file's directory on a thread of its own and sends [`Input::Saved`]
/// for each write of the file that ends (`IN_CLOSE_WRITE`) and each file renamed onto its
/// name (`IN_MOVED_TO`, an editor's write-a-copy-then-rename save). The directory, not the
/// file: that rename replaces the file, and a watch on the file would stay on the old one.
fn watch_saves(file: &Path, inputs: Sender<Input>) -> Result<(), Error> {
    let (Some(dir), Some(name)) = (file.parent(), file.file_name()) else {
        return Err(Error::failed(format!("{} names no file", file.display())));
    };
    let name: OsString = name.into();
    let mut inotify = Inotify::init().or_failed(|| "cannot start inotify".into())?;
    let mask = WatchMask::CLOSE_WRITE
        | WatchMask::MOVED_TO
        | WatchMask::DELETE_SELF
        | WatchMask::MOVE_SELF;
    inotify
        .watches()
        .add(dir, mask)
        .or_failed(|| format!("cannot watch {}", dir.display()))?;
    let dir = dir.display().to_string();
    thread::spawn(move || {
        // Room for many events: each is 16 bytes and a name of at most 255 (inotify(7)).
        let mut buffer = [0u8; 4096];
        loop {
            let events = match inotify.read_events_blocking(&mut buffer) {
                Ok(events) => events,
                Err(e) => {
                    let why = format!("stopped watching {dir}: cannot read inotify's events: {e}");
                    let _ = inputs.send(Input::Lost(why));
                    return;
                }
            };
            for event in events {
                let input = if event
                    .mask
                    .intersects(EventMask::DELETE_SELF | EventMask::MOVE_SELF | EventMask::IGNORED)
                {
                    Input::Lost(format!("stopped watching {dir}: it was moved or removed"))
                } else if event.mask.contains(EventMask::Q_OVERFLOW)
                    || event.name == Some(name.as_os_str())
                {
                    // An overflow may have dropped a save of the file: check it again.
                    Input::Saved
                } else {
                    continue;
                };
                let lost = matches!(input, Input::Lost(_));
                if inputs.send(input).is_err() || lost {
                    return;
                }
            }
        }
    });
    Ok(())
}

/// Reads stdin a line at a time on a thread of its own (the terminal keeps its mode: nothing
/// to restore however xtask ends) and sends each line, then [`Input::KeysEnded`].
fn read_keys(inputs: Sender<Input>) {
    thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if inputs.send(Input::Key(line)).is_err() {
                return;
            }
        }
        let _ = inputs.send(Input::KeysEnded);
    });
}

/// The local time of day, `12:03:04`, as the reader's clock shows it.
fn clock(at: SystemTime) -> String {
    let seconds = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let seconds = nix::libc::time_t::try_from(seconds).unwrap_or(0);
    // SAFETY: `tm` is plain data, for which all zeroes is a value; `localtime_r` (the
    // re-entrant form) writes only into it and reads only `seconds`.
    let mut tm: nix::libc::tm = unsafe { std::mem::zeroed() };
    let local = unsafe { !nix::libc::localtime_r(&seconds, &mut tm).is_null() };
    if local {
        format!("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec)
    } else {
        let day = seconds.rem_euclid(86_400);
        format!("{:02}:{:02}:{:02} UTC", day / 3600, day / 60 % 60, day % 60)
    }
}
