//! Ctrl-C and SIGTERM for verify: the signal only raises a flag; whoever runs an example sees
//! it, kills every process of the example, reaps them, and stops taking new work.
//!
//! The examples run in process groups of their own, so a Ctrl-C typed in the terminal reaches
//! only verify (and cargo): without this, they would be left running, orphaned.

use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by SIGINT or SIGTERM once `install` has run.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn raise_flag(_signal: nix::libc::c_int) {
    // An atomic store is async-signal-safe: nothing else happens in the handler.
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Routes SIGINT and SIGTERM to the flag.
pub fn install() -> Result<(), String> {
    let action = SigAction::new(
        SigHandler::Handler(raise_flag),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    for signal in [Signal::SIGINT, Signal::SIGTERM] {
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe { sigaction(signal, &action) }
            .map_err(|e| format!("cannot handle {signal}: {e}"))?;
    }
    Ok(())
}

/// The flag the signal handler raises, for the code that watches for it.
pub fn flag() -> &'static AtomicBool {
    &INTERRUPTED
}

/// The exit status of a program stopped by SIGINT, as shells report it (128 + 2).
pub const EXIT_STATUS: u8 = 130;
