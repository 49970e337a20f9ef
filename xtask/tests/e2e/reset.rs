//! `cargo xtask reset LESSON`, through the real binary, in a small workspace that is a git
//! clone of its own: the exercise comes back as committed, the learner's version is kept
//! beside it under a name no earlier kept copy has, an unchanged file is left alone, and bad
//! use or a tree that is not a clone gets one line.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Command;

const SHIPPED: &str = "//! # Exercise 01: print done\nfn main() {\n    println!(\"not yet\");\n}\n";

/// The real xtask's `args` over the workspace `dir`: exit status, stdout, stderr.
fn xtask(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let ran = common::xtask(dir, args);
    (ran.status, ran.stdout, ran.stderr)
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap())
        .output()
        .unwrap();
    assert!(status.status.success(), "git {args:?}: {status:?}");
}

/// A workspace with lesson01's exercise; committed when `clone`.
fn workspace(name: &str, clone: bool) -> std::path::PathBuf {
    let dir = common::fresh_dir(name);
    common::workspace(
        &dir,
        &[("hello", "fn main() {}\n", "[stdout]\n")],
        &[
            ("lesson01/exercise.rs", SHIPPED),
            (
                "lesson01/expected/exercise.txt",
                "[stdout]\n# print it\ndone\n",
            ),
        ],
    );
    if clone {
        git(&dir, &["init", "--quiet"]);
        git(&dir, &["add", "."]);
        git(&dir, &["commit", "--quiet", "-m", "shipped"]);
    }
    dir
}

/// The names of the kept copies in `dir`'s lesson01, sorted.
fn kept(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir.join("lesson01"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("exercise.mine"))
        .collect();
    names.sort();
    names
}

#[test]
fn reset_restores_the_shipped_file_and_keeps_each_version_of_the_learner() {
    let dir = workspace("reset", true);
    let exercise = dir.join("lesson01/exercise.rs");
    let read = |path: &str| fs::read_to_string(dir.join(path)).unwrap();

    let unchanged = xtask(&dir, &["reset", "lesson01"]);
    let kept_when_unchanged = kept(&dir);
    fs::write(&exercise, "fn main() { first try").unwrap();
    let first = xtask(&dir, &["reset", "lesson01"]);
    let after_first = read("lesson01/exercise.rs");
    fs::write(&exercise, "fn main() { second try").unwrap();
    let second = xtask(&dir, &["reset", "lesson01"]);
    fs::remove_file(&exercise).unwrap();
    let missing = xtask(&dir, &["reset", "lesson01"]);
    let (shipped, mine, mine_2) = (
        read("lesson01/exercise.rs"),
        read("lesson01/exercise.mine.rs"),
        read("lesson01/exercise.mine-2.rs"),
    );
    let kept = kept(&dir);
    let _ = fs::remove_dir_all(&dir);

    let said = |line: &str| (Some(0), format!("{line}\n"), String::new());
    assert_eq!(
        unchanged,
        said("lesson01/exercise.rs is as shipped already: nothing to reset, nothing kept")
    );
    assert!(kept_when_unchanged.is_empty(), "{kept_when_unchanged:?}");
    assert_eq!(
        first,
        said("lesson01/exercise.rs is back as shipped; yours is kept in lesson01/exercise.mine.rs")
    );
    assert_eq!(after_first, SHIPPED);
    assert_eq!(
        second,
        said(
            "lesson01/exercise.rs is back as shipped; yours is kept in lesson01/exercise.mine-2.rs"
        )
    );
    assert_eq!(
        missing,
        said("lesson01/exercise.rs was missing; it is back as shipped")
    );
    assert_eq!(shipped, SHIPPED);
    assert_eq!(
        mine, "fn main() { first try",
        "an earlier kept copy is never overwritten"
    );
    assert_eq!(mine_2, "fn main() { second try");
    assert_eq!(kept, ["exercise.mine-2.rs", "exercise.mine.rs"]);
}

#[test]
fn bad_use_and_a_tree_that_is_not_a_clone_get_one_line() {
    let dir = workspace("reset-bad", false);
    let exercise = dir.join("lesson01/exercise.rs");
    fs::write(&exercise, "fn main() { mine").unwrap();
    let unknown = xtask(&dir, &["reset", "lesson09"]);
    let none = xtask(&dir, &["reset"]);
    let not_a_clone = xtask(&dir, &["reset", "lesson01"]);
    let left = fs::read_to_string(&exercise).unwrap();
    let _ = fs::remove_dir_all(&dir);

    assert_eq!(
        unknown,
        (
            Some(2),
            String::new(),
            "xtask: no exercise for `lesson09`; the lessons with one are: lesson01\n".into()
        )
    );
    assert_eq!(none.0, Some(2));
    assert_eq!(
        none.2,
        "xtask: the following required arguments were not provided: <LESSON>; `cargo xtask help reset` shows its forms\n"
    );
    assert_eq!(not_a_clone.0, Some(1));
    assert!(
        not_a_clone.2.starts_with(
            "xtask: cannot read lesson01/exercise.rs as shipped from git (fatal: not a git repository"
        ) && not_a_clone.2.ends_with(
            "reset needs the course as a git clone: in a downloaded copy, download lesson01/exercise.rs again\n"
        ) && not_a_clone.2.lines().count() == 1,
        "{}",
        not_a_clone.2
    );
    assert_eq!(left, "fn main() { mine", "nothing changed");
}
