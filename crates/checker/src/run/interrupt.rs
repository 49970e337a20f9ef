//! Ctrl-C and SIGTERM: the signal only raises a flag; whoever runs a program sees it, kills
//! every process of the program, reaps them, and stops taking new work.
//!
//! The programs run in process groups of their own, so a Ctrl-C typed in the terminal reaches
//! only xtask (and cargo): without this, they would be left running, orphaned.

use crate::SystemError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, OnceLock};

/// Raised by SIGINT or SIGTERM once [`install`] has run.
static INTERRUPTED: LazyLock<Arc<AtomicBool>> = LazyLock::new(Arc::default);

/// Routes SIGINT and SIGTERM to the flag (signal-hook's handler only stores to it, with
/// `SA_RESTART`, so no system call of ours fails with EINTR). Installed once per process.
pub fn install() -> Result<(), SystemError> {
    static INSTALLED: OnceLock<Result<(), SystemError>> = OnceLock::new();
    INSTALLED
        .get_or_init(|| {
            for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
                signal_hook::flag::register(signal, Arc::clone(&INTERRUPTED))
                    .map_err(|e| SystemError::new(format!("cannot handle signal {signal}: {e}")))?;
            }
            Ok(())
        })
        .clone()
}

/// The flag the signal handler raises, for the code that watches for it.
pub fn flag() -> &'static AtomicBool {
    &INTERRUPTED
}

/// Whether an interrupt has arrived.
pub fn raised() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// The exit status of a program stopped by SIGINT, as shells report it (128 + 2).
pub const EXIT_STATUS: u8 = 130;
