//! An `Rc` moved into a thread. `Rc` counts its owners without atomic operations, so two
//! threads cloning or dropping it at once could lose a count: it is not `Send`. `Arc` counts
//! atomically and is.
//! error: E0277
//! message: `Rc<Vec<i32>>` cannot be sent between threads safely
//! fix: `std::rc::Rc::new` with `std::sync::Arc::new`

use std::thread;

pub fn share() {
    let shared = std::rc::Rc::new(vec![1, 2, 3]);
    let for_thread = shared.clone();
    let handle = thread::spawn(move || println!("{for_thread:?}"));
    handle.join().unwrap();
    println!("{shared:?}");
}
