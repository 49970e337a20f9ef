//! Lesson 05's library: the one piece of Python's data sharing that std lacks.
//!
//! | Python | here | file |
//! | --- | --- | --- |
//! | `queue.Queue` with `maxsize`, `qsize`, `empty`, `full`, `task_done` and `join` | [`Queue`] | `queue.rs` |
//!
//! `queue.rs` stands alone (std only): copy it as it is. Its documentation lists where it
//! differs from Python and why (no `shutdown()` of Python 3.13, a `maxsize` fixed at
//! `Queue::new`, timeouts as `Duration`).
//!
//! What std already has is used as it is: `static` with a `Mutex`, an atomic or a `OnceLock`
//! (a global variable), `JoinHandle::join` returning the thread's value (an instance variable
//! read after `join`), and `mpsc::channel` / `mpsc::sync_channel` (a queue whose consumer
//! only needs `get`, and which closes when every sender is dropped).

pub mod queue;

pub use queue::{Empty, Full, Queue, TaskDoneError};
