//! The tests of the library that use its public API only, one module per file of `src/`
//! (kept out of the files so that the file a reader copies is the implementation). One test
//! binary rather than one per file: `cargo test` compiles and links one crate, not five.

mod event;
mod lock;
mod rlock;
mod semaphore;
mod timer;
