//! `cargo xtask check --watch`, through the real binary, in a small workspace whose lesson has
//! an exercise: the shipped file's verdict, `h`, then saves (broken, a program that hangs, a
//! solved one) each answered by its own verdict, the hanging run stopped by the newer save,
//! `q` ending it with status 0; then, started again over the hanging program, SIGINT ending
//! it with status 130. Each time nothing it started is left running.

use crate::common;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

const SHIPPED: &str = "fn main() {\n    println!(\"not yet\");\n}\n";
const BROKEN: &str = "fn main() {\n    println!(\"done\"\n";
const HANGS: &str = "fn main() {\n    println!(\"hanging\");\n    std::thread::sleep(std::time::Duration::from_secs(120));\n}\n";
const SOLVED: &str = "fn main() {\n    println!(\"done\");\n}\n";

/// How long a verdict may take: a build by cargo on a busy machine, then a short run.
const VERDICT: Duration = Duration::from_secs(120);

/// How long xtask may take to end once told.
const ENDING: Duration = Duration::from_secs(10);

/// A running `check --watch`: its stdin, and its stdout's lines as they come.
struct Watch {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    /// Every line seen so far, for the failure messages.
    seen: Vec<String>,
}

impl Watch {
    fn start(dir: &Path) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["check", "--watch", "lesson01"])
            .env("XTASK_WORKSPACE", dir)
            .env_remove("CARGO_TARGET_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (sender, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                if sender.send(line.unwrap()).is_err() {
                    break;
                }
            }
        });
        // cargo's messages, read so that cargo never blocks on a full pipe.
        let mut stderr = child.stderr.take().unwrap();
        thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        let stdin = child.stdin.take().unwrap();
        Watch {
            child,
            stdin,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a line that starts with `start`, and returns it.
    fn expect(&mut self, start: &str, within: Duration) -> String {
        let until = Instant::now() + within;
        loop {
            let left = until.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.starts_with(start) {
                        return line;
                    }
                }
                Err(_) => {
                    let _ = self.child.kill();
                    panic!(
                        "no line starting `{start}` within {within:?}:\n{}",
                        self.seen.join("\n")
                    );
                }
            }
        }
    }

    fn type_line(&mut self, line: &str) {
        writeln!(self.stdin, "{line}").unwrap();
    }

    /// Waits for xtask to end: its exit status.
    fn ended(&mut self) -> Option<i32> {
        let until = Instant::now() + ENDING;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            if Instant::now() > until {
                let _ = self.child.kill();
                panic!(
                    "xtask did not end within {ENDING:?}:\n{}",
                    self.seen.join("\n")
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The living processes (not zombies) whose command line or working directory is in `dir`:
/// cargo, rustc and the exercise, each started by xtask for this workspace.
fn running_in(dir: &Path) -> Vec<(i32, String)> {
    let needle = dir.to_string_lossy().into_owned();
    common::living()
        .into_iter()
        .filter(|p| p.cmdline.contains(&needle) || p.cwd.starts_with(dir))
        .map(|p| (p.pid, p.cmdline))
        .collect()
}

/// Waits until the hanging exercise runs: its pid.
fn hanging_run(dir: &Path) -> i32 {
    let binary = dir.join("target/debug/lesson01_exercise");
    let binary = binary.to_string_lossy().into_owned();
    let until = Instant::now() + VERDICT;
    loop {
        let found = running_in(dir);
        if let Some((pid, _)) = found.iter().find(|(_, line)| line.starts_with(&binary)) {
            return *pid;
        }
        assert!(Instant::now() < until, "the exercise never ran: {found:?}");
        thread::sleep(Duration::from_millis(50));
    }
}

/// Kills what is left (so that a failed test leaves nothing either) and says what it was.
fn left_running(dir: &Path) -> Vec<(i32, String)> {
    let left = running_in(dir);
    for (pid, _) in &left {
        let _ = kill(Pid::from_raw(*pid), Signal::SIGKILL);
    }
    left
}

#[test]
fn each_save_gets_its_verdict_and_q_or_ctrl_c_ends_it_cleanly() {
    let dir = common::fresh_dir("watch");
    common::workspace(
        &dir,
        &[("hello", SOLVED, "[stdout]\ndone\n")],
        &[
            (
                "lesson01/Cargo.toml",
                "[package]\nname = \"lesson01\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[[bin]]\nname = \"lesson01_exercise\"\npath = \"exercise.rs\"\n",
            ),
            ("lesson01/exercise.rs", SHIPPED),
            (
                "lesson01/expected/exercise.txt",
                "# Exercise 01: print done\n[run]\ndeadline 100\n[stdout]\ndone\n",
            ),
        ],
    );
    let exercise = dir.join("lesson01/exercise.rs");
    let save = |text: &str| fs::write(&exercise, text).unwrap();
    // An editor's other way to save: write a copy, then rename it onto the file.
    let save_by_rename = |text: &str| {
        let copy = dir.join("lesson01/.exercise.rs.swp");
        fs::write(&copy, text).unwrap();
        fs::rename(&copy, &exercise).unwrap();
    };

    let mut watch = Watch::start(&dir);
    watch.expect("Not done yet:", VERDICT);
    let status = watch.expect("watching lesson01/exercise.rs: checked in ", ENDING);
    assert!(
        status.ends_with("; h+Enter: hints, q+Enter: quit"),
        "{status}"
    );
    watch.type_line("h");
    watch.expect("Hints:", ENDING);
    watch.expect(
        "  1. the output does not have the lines the task asks for",
        ENDING,
    );

    save(BROKEN);
    watch.expect("checking: saved ", ENDING);
    watch.expect(
        "Not done yet: lesson01/exercise.rs does not compile",
        VERDICT,
    );
    let status = watch.expect("watching lesson01/exercise.rs: saved ", ENDING);
    assert!(status.contains(", checked in "), "{status}");

    // A save while the hanging program runs stops it: the newer save's verdict comes, not
    // the hanging one's (whose deadline is 100 s away).
    save(HANGS);
    let hanging = hanging_run(&dir);
    let before = watch.seen.len();
    save_by_rename(SOLVED);
    watch.expect("Done: it does what the task asks", VERDICT);
    let verdicts: Vec<&String> = watch.seen[before..]
        .iter()
        .filter(|line| line.starts_with("Not done yet") || line.starts_with("Done"))
        .collect();
    assert_eq!(verdicts.len(), 1, "{verdicts:?}");
    assert!(
        !running_in(&dir).iter().any(|(pid, _)| *pid == hanging),
        "the run stopped by the newer save is still running"
    );
    watch.type_line("q");
    watch.expect("watch: ended", ENDING);
    let quit = watch.ended();
    let left_after_quit = left_running(&dir);

    // Ctrl-C while the hanging program runs.
    save(HANGS);
    let mut watch = Watch::start(&dir);
    let hanging = hanging_run(&dir);
    kill(Pid::from_raw(watch.child.id() as i32), Signal::SIGINT).unwrap();
    let interrupted = watch.ended();
    let mut rest = String::new();
    while let Ok(line) = watch.lines.recv_timeout(Duration::from_secs(1)) {
        rest.push_str(&line);
        rest.push('\n');
    }
    let left_after_interrupt = left_running(&dir);
    let _ = fs::remove_dir_all(&dir);

    assert_eq!(quit, Some(0), "q ends it with status 0");
    assert!(left_after_quit.is_empty(), "{left_after_quit:?}");
    assert_eq!(
        interrupted,
        Some(130),
        "Ctrl-C ends it with status 130:\n{rest}"
    );
    assert!(rest.ends_with("check: interrupted\n"), "{rest}");
    assert!(
        !left_after_interrupt.iter().any(|(pid, _)| *pid == hanging),
        "the hanging run outlived the interrupt"
    );
    assert!(left_after_interrupt.is_empty(), "{left_after_interrupt:?}");
}

/// Two workers that each wait 0.4 s, one after the other (`serial`) or both at once.
fn workers(serial: bool) -> String {
    let join = if serial { ".join().unwrap()" } else { "" };
    format!(
        "fn main() {{\n    std::thread::scope(|s| {{\n        for n in 1..=2 {{\n            s.spawn(move || {{\n                println!(\"worker {{n}} started\");\n                std::thread::sleep(std::time::Duration::from_millis(400));\n                println!(\"worker {{n}} finished\");\n            }}){join};\n        }}\n    }});\n}}\n"
    )
}

/// The columns a drawn lane covers: from its first drawn cell to its last, after the name.
fn drawn_span(row: &str, name_width: usize) -> (usize, usize) {
    let cells: Vec<char> = row.chars().skip(name_width).collect();
    let first = cells.iter().position(|c| *c != ' ').unwrap();
    let last = cells.iter().rposition(|c| *c != ' ').unwrap();
    (first, last)
}

/// The thread lanes of the drawing that follows `heading` in `output`: the indented rows
/// named `name` (a thread's name is its process's, cut to 15 bytes by Linux).
fn thread_spans(output: &str, heading: &str, name: &str) -> Vec<(usize, usize)> {
    let rows: Vec<&str> = output
        .split(heading)
        .nth(1)
        .unwrap_or_else(|| panic!("no `{heading}` in:\n{output}"))
        .lines()
        .skip(1)
        .take_while(|line| !line.starts_with("output"))
        .collect();
    // The name column's width: where the process row's drawing starts.
    let process = rows.iter().find(|r| r.starts_with(name)).unwrap();
    let name_width = [" ─", " █", " ░"]
        .iter()
        .filter_map(|glyph| process.find(glyph))
        .min()
        .unwrap()
        + 1;
    rows.iter()
        .filter(|r| r.starts_with(&format!("  {name}")))
        .map(|r| drawn_span(r, name_width))
        .collect()
}

#[test]
fn check_draws_a_time_failure_beside_the_solutions_run() {
    let dir = common::fresh_dir("check-timeline");
    common::workspace(
        &dir,
        &[("hello", SOLVED, "[stdout]\ndone\n")],
        &[
            (
                "lesson01/Cargo.toml",
                "[package]\nname = \"lesson01\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[[bin]]\nname = \"lesson01_exercise\"\npath = \"exercise.rs\"\n\n[[bin]]\nname = \"lesson01_solution\"\npath = \"solution.rs\"\n",
            ),
            ("lesson01/exercise.rs", &workers(true)),
            ("lesson01/solution.rs", &workers(false)),
            (
                "lesson01/expected/exercise.txt",
                "# Exercise 01: two workers at once\n[stdout]\n@any-order\n@x2 worker {int} started\n@x2 worker {int} finished\n@end\n[checks]\n# The workers must wait at the same time.\nnone_after \"worker {int} finished\" \"worker {int} started\"\n",
            ),
        ],
    );
    let ran = common::xtask(&dir, &["check", "lesson01"]);
    let _ = fs::remove_dir_all(&dir);
    let stdout = ran.stdout;
    assert_eq!(ran.status, Some(1), "{stdout}");
    assert!(
        stdout.contains("  1. The workers must wait at the same time."),
        "{stdout}"
    );
    // Drawn one after another in the learner's run, at the same time in the solution's.
    let yours = thread_spans(&stdout, "Your run, as the OS saw it", "lesson01_exerci");
    assert_eq!(yours.len(), 2, "{stdout}");
    // (The column where one ends and the other starts may hold both.)
    assert!(
        yours[0].1 <= yours[1].0 && yours[1].0 >= 20,
        "{yours:?}\n{stdout}"
    );
    let solution = thread_spans(
        &stdout,
        "The worked solution's run, for comparison:",
        "lesson01_soluti",
    );
    assert_eq!(solution.len(), 2, "{stdout}");
    assert!(
        solution[0].0 < solution[1].1 && solution[1].0 < solution[0].1,
        "{solution:?}\n{stdout}"
    );
}
