//! The programs the compiler refuses (`refused/*.rs`): each must fail with the error its
//! header names, and compile once its fix is applied (`course::refused`).

use std::path::Path;

#[test]
fn every_refused_listing_fails_with_its_error_and_its_fix_compiles() {
    let lesson = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join(env!("CARGO_PKG_NAME"));
    match course::refused::prove_lesson(lesson, &scratch) {
        Ok(count) => assert!(count > 0, "no listing in {}/refused", lesson.display()),
        Err(failures) => panic!("{failures}"),
    }
}
