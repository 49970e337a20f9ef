//! What xtask takes from cargo: the tree it runs in (not the one it was built in), and what a
//! build made, or why it failed.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// A small example: lesson03 has no library, and the run takes a few milliseconds.
const EXAMPLE: &str = "thread_name";
const EXPECTED: &str = "lesson03/expected/thread_name.txt";
const LINE: &str = "MyThread";

/// Copies the workspace's sources (not its target directory nor its git history) to `to`.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&path, &to.join(&name));
        } else {
            fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

/// Runs `command` (in `dir`, building into `target`): whether it passed, and what it printed.
fn run(mut command: Command, dir: &Path, target: &Path) -> (bool, String) {
    let output = command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        // A fifth less to compile from scratch; what is built does not matter here.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// `cargo xtask verify EXAMPLE` in `clone`, building into `target`.
fn verify(clone: &Path, target: &Path) -> (bool, String) {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .args(["xtask", "verify", EXAMPLE])
        .env_remove("XTASK_WORKSPACE");
    run(command, clone, target)
}

fn modified(file: &Path) -> SystemTime {
    fs::metadata(file).unwrap().modified().unwrap()
}

/// Two clones of this workspace share one target directory (as `CARGO_TARGET_DIR` or a
/// `build.target-dir` lets people share builds), so `cargo xtask` in the second runs the
/// binary the first built. A plain `cargo test` skips it: it builds xtask and its crates from
/// nothing in a target directory of its own (about 10 s on 2 cores), longer than the rest of
/// the workspace's tests take to run. `.ci/run` runs it:
/// `cargo test -p xtask --test e2e -- --ignored`.
#[test]
#[ignore = "builds xtask from scratch; .ci/run runs it with --ignored"]
fn each_clone_judges_its_own_files_with_one_shared_build() {
    let workspace: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .into();
    let dir = tempfile::tempdir().unwrap();
    let (a, b, target) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("target"),
    );
    // Both copied before anything is built, so cargo finds b's sources older than a's build
    // and runs the xtask built in a.
    copy_tree(&workspace, &a);
    copy_tree(&workspace, &b);
    let expected = fs::read_to_string(b.join(EXPECTED)).unwrap();
    assert!(expected.contains(&format!("\n{LINE}\n")), "{expected}");
    fs::write(
        b.join(EXPECTED),
        expected.replacen(
            &format!("\n{LINE}\n"),
            "\nThis line only clone b expects\n",
            1,
        ),
    )
    .unwrap();

    let (passed, output) = verify(&a, &target);
    assert!(passed, "clone a, untouched, passes:\n{output}");
    let xtask = target.join("debug/xtask");
    let built = modified(&xtask);

    let (passed, output) = verify(&b, &target);
    assert_eq!(modified(&xtask), built, "clone b ran the xtask built in a");
    assert!(!passed, "clone b's expected file is judged:\n{output}");
    assert!(
        output.contains("This line only clone b expects"),
        "clone b's expected file is judged:\n{output}"
    );

    let (passed, output) = verify(&a, &target);
    assert!(
        passed,
        "clone a is judged on its own files again:\n{output}"
    );

    // With clone a gone, clone b still works, on its own files.
    fs::remove_dir_all(&a).unwrap();
    let (passed, output) = verify(&b, &target);
    assert!(
        !passed && output.contains("This line only clone b expects"),
        "clone b works without clone a:\n{output}"
    );

    // Started without cargo, from a folder of clone b, xtask finds the workspace around it.
    let mut by_hand = Command::new(&xtask);
    by_hand
        .args(["verify", EXAMPLE])
        .env_remove("XTASK_WORKSPACE")
        .env_remove("CARGO_MANIFEST_DIR")
        .env_remove("CARGO_PKG_NAME");
    let (passed, output) = run(by_hand, &b.join("lesson03"), &target);
    assert!(
        !passed && output.contains("This line only clone b expects"),
        "xtask run by hand in clone b:\n{output}"
    );
}

/// A break that does not compile is reported with the compiler's error in its file, and the
/// break built beside it in the same round still runs.
#[test]
fn a_break_that_does_not_compile_shows_the_compilers_error() {
    let dir = common::fresh_dir("nobuild");
    let hello = "fn main() {\n    println!(\"hello\");\n}\n";
    let bye = "fn main() {\n    println!(\"bye\");\n}\n";
    common::workspace(
        &dir,
        &[
            ("hello", hello, "[stdout]\nhello\n"),
            ("bye", bye, "[stdout]\nbye\n"),
        ],
        &[
            (
                "lesson01/breaks/hello.txt",
                "[break a_string_for_a_number]\nwhy: w.\nline: println!(\"hello\");\nbecomes: let n: u32 = \"hello\";\ncaught by: stdout\n",
            ),
            (
                "lesson01/breaks/bye.txt",
                "[break says_hello]\nwhy: w.\nline: println!(\"bye\");\nbecomes: println!(\"hello\");\ncaught by: stdout\n",
            ),
        ],
    );
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .args(["verify", "--breaks"])
        .env("XTASK_WORKSPACE", &dir);
    let (passed, output) = run(command, &dir, &dir.join("target"));
    fs::remove_dir_all(&dir).unwrap();
    assert!(!passed, "{output}");
    let nobuild = output
        .lines()
        .position(|l| l.contains("NOBUILD lesson01 hello / a_string_for_a_number"))
        .unwrap_or_else(|| panic!("{output}"));
    let shown: Vec<&str> = output.lines().skip(nobuild + 2).take(2).collect();
    assert!(
        shown[0]
            .trim_start()
            .starts_with("error[E0308]: mismatched types")
            && shown[1]
                .trim_start()
                .starts_with("--> lesson01/src/bin/hello.rs:2:"),
        "{output}"
    );
    assert!(
        output.contains("red    lesson01 bye / says_hello"),
        "{output}"
    );
    assert!(
        output.contains("breaks: 1 caught, 1 not caught"),
        "{output}"
    );
}
