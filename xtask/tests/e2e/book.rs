//! `cargo xtask book` without mdBook installed: one line saying how to install it, exit 1
//! (work that cannot be done, not bad use of xtask).

use std::process::Command;

#[test]
fn without_mdbook_the_book_says_how_to_install_it() {
    let empty = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("book")
        .env("PATH", empty.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("cargo install mdbook --locked"), "{stderr}");
}
