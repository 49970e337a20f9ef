//! `cargo xtask reset LESSON`: puts `lessonNN/exercise.rs` back as shipped, and keeps the
//! learner's version beside it. As shipped means as in the commit checked out, read from git
//! (`verify --exercises` calls the same file shipped): the course is a git clone, and git
//! already holds every shipped file, so the tree carries no second copy to keep in step. In a
//! tree that is not a clone (a downloaded archive), reset says so and changes nothing.

use crate::error::{Error, OrFailed};
use crate::project::{self, Project};
use crate::session::Status;
use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::path::Path;
use std::process::Command;

/// How many kept copies a lesson may gather (`exercise.mine.rs`, `exercise.mine-2.rs`, ...)
/// before reset asks for some to be cleared away.
const KEPT_AT_MOST: usize = 999;

/// `cargo xtask reset LESSON`.
pub fn reset(project: &Project, lesson: &str) -> Result<Status, Error> {
    let root = project.root();
    // The lessons with an exercise: those with its expected file, which stays when the
    // learner's file is gone (reset brings that back too).
    let mut lessons = Vec::new();
    for known in project.lessons()? {
        let expected = project::expected_file(&known.package, "exercise");
        if root.join(expected).is_file() {
            lessons.push(known.package.as_str());
        }
    }
    if !lessons.contains(&lesson) {
        return Err(Error::usage(format!(
            "no exercise for `{lesson}`; the lessons with one are: {}",
            lessons.join(", ")
        )));
    }
    let file = format!("{lesson}/exercise.rs");
    let shipped = shipped(root, &file)?;
    let path = root.join(&file);
    let mine = match std::fs::read(&path) {
        Ok(mine) => Some(mine),
        Err(e) if e.kind() == ErrorKind::NotFound => None,
        Err(e) => return Err(Error::failed(format!("cannot read {file}: {e}"))),
    };
    let kept = match mine {
        Some(mine) if mine == shipped => {
            println!("{file} is as shipped already: nothing to reset, nothing kept");
            return Ok(Status::Passed);
        }
        Some(mine) => Some(keep(root, lesson, &mine)?),
        None => None,
    };
    std::fs::write(&path, &shipped).or_failed(|| format!("cannot write {file}"))?;
    match kept {
        Some(kept) => println!("{file} is back as shipped; yours is kept in {kept}"),
        None => println!("{file} was missing; it is back as shipped"),
    }
    Ok(Status::Passed)
}

/// `file` as the commit checked out holds it, as a checkout would write it (git's filters
/// applied: `cat-file --filters`). `./`: the path is from the workspace root, wherever the
/// repository's top is.
fn shipped(root: &Path, file: &str) -> Result<Vec<u8>, Error> {
    let output = Command::new("git")
        .current_dir(root)
        .args(["cat-file", "--filters", &format!("HEAD:./{file}")])
        .output()
        .or_failed(|| format!("cannot start git to read {file} as shipped"))?;
    if output.status.success() {
        return Ok(output.stdout);
    }
    let said = String::from_utf8_lossy(&output.stderr);
    let why = said.lines().next().unwrap_or("").trim();
    Err(Error::failed(format!(
        "cannot read {file} as shipped from git ({why}); reset needs the course as a git clone: in a downloaded copy, download {file} again"
    )))
}

/// Writes the learner's file beside the exercise under the first free name:
/// `exercise.mine.rs`, then `exercise.mine-2.rs`, and so on. Each is created new, so an
/// earlier kept copy is never overwritten, not even by another reset at the same moment.
fn keep(root: &Path, lesson: &str, mine: &[u8]) -> Result<String, Error> {
    for n in 1..=KEPT_AT_MOST {
        let name = match n {
            1 => format!("{lesson}/exercise.mine.rs"),
            n => format!("{lesson}/exercise.mine-{n}.rs"),
        };
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(root.join(&name))
        {
            Ok(mut kept) => {
                kept.write_all(mine)
                    .or_failed(|| format!("cannot write {name}"))?;
                return Ok(name);
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::failed(format!("cannot write {name}: {e}"))),
        }
    }
    Err(Error::failed(format!(
        "{lesson} has {KEPT_AT_MOST} kept copies of exercise.rs already (exercise.mine*.rs): remove those you no longer need"
    )))
}
