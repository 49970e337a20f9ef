//! What `cargo xtask book` is asked, and the one thing it needs before anything else:
//! shared by the book command and by its relaunch (`relaunch.rs`).

use crate::error::Error;
use std::process::Command;

/// What `cargo xtask book` was asked for after building.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum After {
    Nothing,
    /// Open the book in a browser.
    Open,
    /// Open every page in headless Chromium and check it.
    Check,
}

/// Fails, saying how to install it, when mdBook is not installed: work that cannot be done
/// (exit status 1), not bad use of xtask.
pub fn require_mdbook() -> Result<(), Error> {
    let installed = Command::new("mdbook")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if installed {
        Ok(())
    } else {
        Err(Error::failed(
            "mdBook is not installed; install it with `cargo install mdbook --locked`, then run `cargo xtask book` again",
        ))
    }
}
