//! A scratch copy of the workspace for `verify --breaks`: breaks are applied there, never in
//! the reader's tree. It lives under the target directory with a target directory of its
//! own, and is kept between runs so that only what a break changes is built again. A lock
//! file keeps two runs at once out of each other's copy (the second takes the next slot).

use crate::SystemError;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

/// A locked scratch workspace; the lock is released when it is dropped.
#[derive(Debug)]
pub struct Scratch {
    /// The copy of the workspace.
    pub root: PathBuf,
    /// The copy's own target directory.
    pub target: PathBuf,
    _lock: File,
}

/// Directories of the workspace that are never copied.
const SKIPPED: [&str; 2] = ["target", ".git"];

impl Scratch {
    /// Takes the first free slot under `base` and makes its copy match `source`.
    pub fn take(base: &Path, source: &Path) -> Result<Scratch, SystemError> {
        for slot in 0..16 {
            let dir = base.join(format!("slot-{slot}"));
            fs::create_dir_all(&dir)
                .map_err(|e| SystemError::new(format!("cannot create {}: {e}", dir.display())))?;
            let lock = File::create(dir.join("lock")).map_err(|e| {
                SystemError::new(format!("cannot create the lock in {}: {e}", dir.display()))
            })?;
            if lock.try_lock().is_err() {
                continue;
            }
            let scratch = Scratch {
                root: dir.join("workspace"),
                target: dir.join("target"),
                _lock: lock,
            };
            scratch.sync(source)?;
            return Ok(scratch);
        }
        Err(SystemError::new(format!(
            "every scratch slot under {} is in use by another `verify --breaks`",
            base.display()
        )))
    }

    /// Makes the copy hold exactly the files of `source` (target and .git aside). A file
    /// whose content is already right is not written, so cargo sees it unchanged.
    pub fn sync(&self, source: &Path) -> Result<(), SystemError> {
        sync_dir(source, &self.root)
    }

    /// Writes `text` to `relative` in the copy.
    pub fn write(&self, relative: &str, text: &str) -> Result<(), SystemError> {
        let path = self.root.join(relative);
        fs::write(&path, text)
            .map_err(|e| SystemError::new(format!("cannot write {}: {e}", path.display())))
    }

    /// Reads `relative` from the copy.
    pub fn read(&self, relative: &str) -> Result<String, SystemError> {
        let path = self.root.join(relative);
        fs::read_to_string(&path)
            .map_err(|e| SystemError::new(format!("cannot read {}: {e}", path.display())))
    }
}

fn sync_dir(from: &Path, to: &Path) -> Result<(), SystemError> {
    let io = |e: std::io::Error, path: &Path| SystemError::new(format!("{}: {e}", path.display()));
    fs::create_dir_all(to).map_err(|e| io(e, to))?;
    let mut wanted = Vec::new();
    for entry in fs::read_dir(from).map_err(|e| io(e, from))? {
        let entry = entry.map_err(|e| io(e, from))?;
        let name = entry.file_name();
        if SKIPPED.iter().any(|s| name == *s) {
            continue;
        }
        let (source, copy) = (entry.path(), to.join(&name));
        let kind = entry.file_type().map_err(|e| io(e, &source))?;
        if kind.is_dir() {
            sync_dir(&source, &copy)?;
        } else if kind.is_file() {
            let content = fs::read(&source).map_err(|e| io(e, &source))?;
            if fs::read(&copy).ok().as_ref() != Some(&content) {
                fs::write(&copy, &content).map_err(|e| io(e, &copy))?;
            }
        } else {
            continue;
        }
        wanted.push(name);
    }
    for entry in fs::read_dir(to).map_err(|e| io(e, to))?.flatten() {
        if !wanted.contains(&entry.file_name()) {
            let path = entry.path();
            let removed = if path.is_dir() {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
            removed.map_err(|e| io(e, &path))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_matches_its_source_and_a_second_taker_gets_another_slot() {
        let base = std::env::temp_dir().join(format!("xtask-scratch-{}", std::process::id()));
        let source = base.join("source");
        fs::create_dir_all(source.join("lesson01/src")).unwrap();
        fs::create_dir_all(source.join("target/debug")).unwrap();
        fs::write(source.join("Cargo.toml"), "[workspace]\n").unwrap();
        fs::write(source.join("lesson01/src/main.rs"), "fn main() {}\n").unwrap();
        fs::write(source.join("target/debug/big"), "built").unwrap();

        let first = Scratch::take(&base.join("scratch"), &source).unwrap();
        assert_eq!(
            fs::read_to_string(first.root.join("lesson01/src/main.rs")).unwrap(),
            "fn main() {}\n"
        );
        assert!(!first.root.join("target").exists(), "target is not copied");

        // A break is written to the copy, and the next sync puts the source back.
        first.write("lesson01/src/main.rs", "broken").unwrap();
        fs::write(first.root.join("stray.rs"), "left over").unwrap();
        first.sync(&source).unwrap();
        assert_eq!(
            first.read("lesson01/src/main.rs").unwrap(),
            "fn main() {}\n"
        );
        assert!(!first.root.join("stray.rs").exists());

        let second = Scratch::take(&base.join("scratch"), &source).unwrap();
        assert_ne!(first.root, second.root, "a locked slot is not shared");
        drop((first, second));
        fs::remove_dir_all(&base).unwrap();
    }
}
