//! A learner's program cannot hurt the checker: the real xtask's `check` judges an exercise
//! that does everything a runaway program can (bytes that are not UTF-8 and terminal escapes,
//! million-character lines, then `spam` without end, with grandchildren escaped by `setsid`
//! and `nohup`). It must return within its deadline plus 10 s, stay under
//! 100 MB, print a report that fits a terminal, and leave nothing running.

use crate::common;

use nix::libc;
use std::fs;
use std::io::Read;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The exercise's deadline, in seconds: the program passes every keeping limit within
/// milliseconds of its start, so a longer deadline would prove nothing more.
const DEADLINE: u64 = 2;

fn runaway(marker: &str) -> String {
    format!(
        r#"use std::io::Write;
use std::process::Command;
fn main() {{
    let _ = Command::new("setsid").args(["sleep", "{marker}1"]).spawn();
    let _ = Command::new("sh")
        .args(["-c", "nohup sleep {marker}2 >/dev/null 2>&1 &"])
        .status();
    let mut out = std::io::stdout().lock();
    // The escapes first, so that they are among the lines kept and shown.
    let _ = out.write_all(b"bad \xff\xfe utf8 \x1b[31mred\x1b[0m\n");
    let _ = std::io::stderr().write_all(b"\x1b]0;a new title\x07\n");
    // A few megabytes, then lines without end: the keeping limits are passed within the
    // deadline however busy the machine is.
    let big = "x".repeat(1_000_000);
    for _ in 0..3 {{
        let _ = writeln!(out, "{{big}}");
    }}
    while writeln!(out, "spam").is_ok() {{}}
}}
"#
    )
}

/// The pids of the living processes whose command line holds `marker`.
fn alive(marker: &str) -> Vec<i32> {
    common::living()
        .into_iter()
        .filter(|p| p.cmdline.contains(marker))
        .map(|p| p.pid)
        .collect()
}

#[test]
fn a_runaway_exercise_is_judged_within_bounds() {
    let dir = common::fresh_dir("hostile");
    let marker = format!("61.{}", std::process::id());
    common::workspace(
        &dir,
        &[],
        &[
            (
                "lesson01/Cargo.toml",
                "[package]\nname = \"lesson01\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[[bin]]\nname = \"lesson01_exercise\"\npath = \"exercise.rs\"\n",
            ),
            ("lesson01/src/main.rs", "fn main() {}\n"),
            ("lesson01/exercise.rs", &runaway(&marker)),
            (
                "lesson01/expected/exercise.txt",
                &format!(
                    "[run]\ndeadline {DEADLINE}\n[stdout]\n# the one line the task asks for\nDone\n"
                ),
            ),
        ],
    );
    // The build is cargo's, and not what this test measures.
    let built = Command::new("cargo")
        .args(["build", "--quiet", "--bin", "lesson01_exercise"])
        .current_dir(&dir)
        .env_remove("CARGO_TARGET_DIR")
        .status()
        .unwrap();
    assert!(built.success());

    let started = Instant::now();
    // Waited for with wait4 below, which also gives its resource usage.
    #[expect(clippy::zombie_processes)]
    let mut check = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["check", "lesson01"])
        .env("XTASK_WORKSPACE", &dir)
        .env_remove("CARGO_TARGET_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = check.stdout.take().unwrap();
    let mut stderr = check.stderr.take().unwrap();
    let reader = thread::spawn(move || {
        let mut text = Vec::new();
        stdout.read_to_end(&mut text).unwrap();
        text
    });
    let errors = thread::spawn(move || {
        let mut text = Vec::new();
        stderr.read_to_end(&mut text).unwrap();
        text
    });
    let pid = i32::try_from(check.id()).unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet waited for; both pointers are valid.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let took = started.elapsed();
    assert_eq!(waited, pid);
    let report = reader.join().unwrap();
    let errors = errors.join().unwrap();
    let left = alive(&marker);
    for pid in &left {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(*pid),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
    fs::remove_dir_all(&dir).unwrap();

    let text = String::from_utf8_lossy(&report);
    eprintln!(
        "check: {:.1} s, peak {} MB, {} bytes and {} lines of report",
        took.as_secs_f64(),
        usage.ru_maxrss / 1024,
        report.len(),
        text.lines().count()
    );
    assert!(
        took < Duration::from_secs(DEADLINE + 10),
        "check took {took:?}:\n{text}"
    );
    // ru_maxrss is in kilobytes; it counts xtask and the children it waited for (cargo's
    // no-op build, the reaper): the largest of them.
    let peak_mb = usage.ru_maxrss / 1024;
    assert!(peak_mb < 100, "peak memory {peak_mb} MB");
    assert!(report.len() < 100_000, "{} bytes of report", report.len());
    assert!(
        text.lines().count() <= 200,
        "{} lines of report",
        text.lines().count()
    );
    assert!(
        !report.contains(&0x1b) && !errors.contains(&0x1b),
        "an escape reached the terminal"
    );
    assert!(text.contains("Not done yet"), "{text}");
    assert!(
        text.contains(&format!("the program must finish within {DEADLINE} s")),
        "{text}"
    );
    assert!(text.contains("more line(s)"), "{text}");
    assert!(text.contains("not kept"), "{text}");
    assert_eq!(left, Vec::<i32>::new(), "left running");
}
