//! What xtask's end-to-end tests share: a small workspace of their own making.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh directory under the temp dir, named for the test and this process.
pub fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// How the real xtask ended: its exit status, stdout and stderr.
pub struct Ran {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the real xtask with `args` over the workspace `dir`, to its end: with its own target
/// directory (none inherited from the test's cargo), and git looking no higher than `dir`'s
/// parent for a repository.
pub fn xtask(dir: &Path, args: &[&str]) -> Ran {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .env("XTASK_WORKSPACE", dir)
        .env_remove("CARGO_TARGET_DIR")
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap_or(dir))
        .output()
        .unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    Ran {
        status: output.status.code(),
        stdout: text(&output.stdout),
        stderr: text(&output.stderr),
    }
}

/// A workspace in `dir` with one lesson, `lesson01`, whose examples are `(name, source,
/// expected file)`; `extra` files are written as given (paths from `dir`).
pub fn workspace(dir: &Path, examples: &[(&str, &str, &str)], extra: &[(&str, &str)]) {
    let write = |path: &str, text: &str| {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write(
        "Cargo.toml",
        "[workspace]\nresolver = \"3\"\nmembers = [\"lesson01\"]\n",
    );
    write(
        "lesson01/Cargo.toml",
        "[package]\nname = \"lesson01\"\nversion = \"0.1.0\"\nedition = \"2024\"\n",
    );
    let mut list = String::from("title: Test lesson\nteaches: nothing\n");
    for (name, source, expected) in examples {
        list.push_str(&format!("{name} | test | runs\n"));
        write(&format!("lesson01/src/bin/{name}.rs"), source);
        write(&format!("lesson01/expected/{name}.txt"), expected);
    }
    write("lesson01/examples.txt", &list);
    for (path, text) in extra {
        write(path, text);
    }
}

/// A living process (not a zombie): its pid, command line (arguments joined by spaces) and
/// working directory.
pub struct Living {
    pub pid: i32,
    pub cmdline: String,
    pub cwd: PathBuf,
}

/// Every living process on the machine, from `/proc`, for the tests that require nothing
/// left running.
pub fn living() -> Vec<Living> {
    let mut found = Vec::new();
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let zombie = stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z');
        if zombie {
            continue;
        }
        let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        found.push(Living {
            pid,
            cmdline: String::from_utf8_lossy(&cmdline).replace('\0', " "),
            cwd: fs::read_link(format!("/proc/{pid}/cwd")).unwrap_or_default(),
        });
    }
    found
}
