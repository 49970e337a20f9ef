//! The exit status says what went wrong, through the real binary: 2 for bad use (a form
//! clap refuses, a name or file the user must change), 1 for a failed check and for work
//! that could not be done (an unreadable workspace), each with one line on stderr.

use crate::common;

use std::path::Path;

const HELLO: &str = "fn main() {\n    println!(\"hello\");\n}\n";

/// Runs the real xtask with `args` over the workspace `dir`: its exit status and stderr.
fn xtask(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let (status, _, stderr) = xtask_output(dir, args);
    (status, stderr)
}

/// The same, with its stdout.
fn xtask_output(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let ran = common::xtask(dir, args);
    (ran.status, ran.stdout, ran.stderr)
}

#[test]
fn bad_use_exits_2_with_one_line_that_says_what_to_do() {
    let dir = common::fresh_dir("exit-usage");
    common::workspace(
        &dir,
        &[
            ("hello", HELLO, "[stdout]\nhello\n"),
            ("broken", HELLO, "[stdout]\n{nosuch}\n"),
            ("bad_break", HELLO, "[stdout]\nhello\n"),
        ],
        &[("lesson01/breaks/bad_break.txt", "why: no header\n")],
    );
    let cases: &[(&[&str], &str)] = &[
        (
            &[],
            "xtask: no command given; the commands are verify, check,",
        ),
        (
            &["verify", "--fast"],
            "xtask: unexpected argument '--fast' found; `cargo xtask help verify` shows its forms",
        ),
        (
            &["verify", "--jobs"],
            "xtask: a value is required for '--jobs <N>'",
        ),
        (
            &["verify", "--breaks", "--exercises"],
            "xtask: the argument '--breaks' cannot be used with '--exercises'",
        ),
        (
            &["verify", "nosuch"],
            "xtask: no lesson or example named `nosuch`",
        ),
        (
            &["verify", "--explain", "nosuch"],
            "xtask: no example named `nosuch`",
        ),
        (
            &["verify", "broken"],
            "xtask: lesson01/expected/broken.txt:2: unknown placeholder `{nosuch}`",
        ),
        (
            &["verify", "--breaks", "hello"],
            "xtask: lesson01/breaks/hello.txt is missing: every example needs at least one break",
        ),
        (
            &["verify", "--breaks", "bad_break"],
            "xtask: lesson01/breaks/bad_break.txt:1: text before the first break",
        ),
    ];
    let seen: Vec<_> = cases.iter().map(|(args, _)| xtask(&dir, args)).collect();
    std::fs::remove_file(dir.join("lesson01/expected/hello.txt")).unwrap();
    let missing = xtask(&dir, &["verify", "hello"]);
    std::fs::remove_dir_all(&dir).unwrap();
    for ((status, stderr), (args, start)) in seen.iter().zip(cases) {
        assert_eq!(*status, Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with(start), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    }
    assert_eq!(missing.0, Some(2), "{}", missing.1);
    assert!(
        missing
            .1
            .starts_with("xtask: lesson01/expected/hello.txt is missing"),
        "{}",
        missing.1
    );
}

#[test]
fn work_that_cannot_be_done_exits_1_and_says_why() {
    let dir = common::fresh_dir("exit-failed").join("gone");
    for command in [&["verify"][..], &["lint"], &["check", "lesson01"]] {
        let (status, stderr) = xtask(&dir, command);
        assert_eq!(status, Some(1), "{command:?}: {stderr}");
        assert_eq!(
            stderr,
            format!(
                "xtask: cannot read {}: No such file or directory (os error 2)\n",
                dir.display()
            ),
            "{command:?}"
        );
    }
    std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
}

#[test]
fn a_failed_check_exits_1() {
    let dir = common::fresh_dir("exit-red");
    common::workspace(&dir, &[("hello", HELLO, "[stdout]\ngoodbye\n")], &[]);
    let (status, stdout, stderr) = xtask_output(&dir, &["verify"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(status, Some(1), "{stdout}{stderr}");
    assert!(stdout.ends_with("verify: 0 passed, 1 failed\n"), "{stdout}");
    assert!(!stderr.contains("xtask:"), "{stderr}");
}
