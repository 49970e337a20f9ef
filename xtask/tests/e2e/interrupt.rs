//! Ctrl-C in the middle of `cargo xtask verify`: the real xtask binary verifies a small
//! workspace of two examples that hang (each with a child process of its own), gets SIGINT
//! while they run, and must leave none of them alive, name them as interrupted, and exit 130.

use crate::common;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::fs;
use std::io::Read;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const HANGS: &str = r#"fn main() {
    println!("start");
    let _child = std::process::Command::new("sleep").arg("120").spawn().expect("sleep");
    std::thread::sleep(std::time::Duration::from_secs(120));
}
"#;

/// The pids of the processes whose command line mentions `needle`.
fn processes_mentioning(needle: &str) -> Vec<i32> {
    let mut found = Vec::new();
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let cmdline = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).contains(needle) {
            found.push(pid);
        }
    }
    found
}

/// Alive: present in /proc and not a zombie.
fn alive(pid: i32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z'),
        Err(_) => false,
    }
}

/// The members of process group `group`.
fn group_members(group: i32) -> Vec<i32> {
    let mut members = Vec::new();
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let fields: Vec<&str> = stat
            .rsplit(')')
            .next()
            .unwrap()
            .split_whitespace()
            .collect();
        if fields.get(2).and_then(|g| g.parse::<i32>().ok()) == Some(group) {
            members.push(pid);
        }
    }
    members
}

#[test]
fn sigint_mid_batch_kills_every_example_and_exits_130() {
    let dir = common::fresh_dir("interrupt");
    let expected = "[run]\ndeadline 100\n[stdout]\nstart\n";
    common::workspace(
        &dir,
        &[("hangs_a", HANGS, expected), ("hangs_b", HANGS, expected)],
        &[],
    );
    let mut verify = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("verify")
        .env("XTASK_WORKSPACE", &dir)
        .env_remove("CARGO_TARGET_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();

    // Wait (the build included) until both examples run, and note their groups' members.
    let binaries = dir.join("target/debug");
    let needle = binaries.to_string_lossy().into_owned();
    let until = Instant::now() + Duration::from_secs(120);
    let examples = loop {
        let found = processes_mentioning(&needle);
        let members: usize = found.iter().map(|&p| group_members(p).len()).sum();
        if found.len() == 2 && members == 4 {
            break found;
        }
        assert!(
            Instant::now() < until,
            "the examples never started: {found:?}"
        );
        assert!(verify.try_wait().unwrap().is_none(), "verify ended early");
        thread::sleep(Duration::from_millis(100));
    };
    let everyone: Vec<i32> = examples.iter().flat_map(|&g| group_members(g)).collect();
    assert_eq!(
        everyone.len(),
        4,
        "two examples and their sleeps: {everyone:?}"
    );

    kill(Pid::from_raw(verify.id() as i32), Signal::SIGINT).unwrap();
    let until = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = verify.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > until {
            let _ = verify.kill();
            panic!("verify did not end within 10 s of SIGINT");
        }
        thread::sleep(Duration::from_millis(20));
    };
    let mut stdout = String::new();
    verify
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let left: Vec<i32> = everyone.iter().copied().filter(|&p| alive(p)).collect();
    for &pid in &left {
        let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
    }
    let _ = fs::remove_dir_all(&dir);

    assert!(
        left.is_empty(),
        "still running after verify: {left:?}\n{stdout}"
    );
    assert_eq!(status.code(), Some(130), "{stdout}");
    assert_eq!(
        stdout.lines().last(),
        Some("verify: 0 passed, 0 failed, 2 interrupted"),
        "{stdout}"
    );
    assert!(
        stdout.contains("lesson01 hangs_a") && stdout.contains("lesson01 hangs_b"),
        "the examples cut short are named: {stdout}"
    );
}
