//! A snapshot of `cargo xtask verify --explain semaphore`, through the real binary: it reads
//! the example's expected and break files and runs nothing, so its text is the same on every
//! run. `UPDATE_EXPECT=1 cargo test -p xtask --test explain` rewrites it after a deliberate
//! change to those files or to explain (review the diff before committing it).

use expect_test::expect_file;
use std::path::Path;
use std::process::Command;

#[test]
fn explain_semaphore() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let explain = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["verify", "--explain", "semaphore"])
        .current_dir(root)
        .env("XTASK_WORKSPACE", root)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&explain.stderr), "");
    assert!(explain.status.success(), "{:?}", explain.status);
    expect_file!["snapshots/explain_semaphore.txt"]
        .assert_eq(&String::from_utf8(explain.stdout).unwrap());
}
