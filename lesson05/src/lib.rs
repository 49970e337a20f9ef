//! Lesson 05's library: the one piece of Python's data sharing that std lacks.
//!
//! | Python | here | file |
//! | --- | --- | --- |
//! | `queue.Queue` with `maxsize`, `qsize`, `empty`, `full`, `task_done` and `join` | [`Queue`] | `queue.rs` |
//!
//! What std already has is used as it is: `static` with a `Mutex`, an atomic or a `OnceLock`
//! (a global variable), `JoinHandle::join` returning the thread's value (an instance variable
//! read after `join`), and `mpsc::channel` / `mpsc::sync_channel` (a queue whose consumer
//! only needs `get`, and which closes when every sender is dropped).

pub mod queue;

pub use queue::{Empty, Full, Queue, TaskDoneError};
