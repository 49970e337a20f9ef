//! verify finds the binaries where cargo puts them: in `$CARGO_TARGET_DIR` when it is set,
//! and in a `build.target-dir` of the workspace's cargo config, not only in `target/debug`.

use crate::common;

use std::path::Path;
use std::process::Command;

const HELLO: &str = "fn main() {\n    println!(\"hello\");\n}\n";

/// Runs the real xtask's verify over `dir` with `CARGO_TARGET_DIR` as given; returns whether
/// it passed, and its output.
fn verify(dir: &Path, target_dir: Option<&Path>) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.arg("verify").env("XTASK_WORKSPACE", dir);
    match target_dir {
        Some(target) => command.env("CARGO_TARGET_DIR", target),
        None => command.env_remove("CARGO_TARGET_DIR"),
    };
    let output = command.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn binaries_are_found_in_cargo_target_dir() {
    let dir = common::fresh_dir("target-env");
    common::workspace(&dir, &[("hello", HELLO, "[stdout]\nhello\n")], &[]);
    let elsewhere = dir.join("elsewhere");
    let (passed, output) = verify(&dir, Some(&elsewhere));
    let built = elsewhere.join("debug/hello").is_file();
    let default = dir.join("target").exists();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(passed, "{output}");
    assert!(built && !default, "built in the wrong place:\n{output}");
}

#[test]
fn binaries_are_found_in_a_configured_build_target_dir() {
    let dir = common::fresh_dir("target-config");
    common::workspace(
        &dir,
        &[("hello", HELLO, "[stdout]\nhello\n")],
        &[(".cargo/config.toml", "[build]\ntarget-dir = \"built\"\n")],
    );
    let (passed, output) = verify(&dir, None);
    let built = dir.join("built/debug/hello").is_file();
    let default = dir.join("target").exists();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(passed, "{output}");
    assert!(built && !default, "built in the wrong place:\n{output}");
}
