//! The programs the compiler refuses: each lesson's `refused/<name>.rs`, a small library that
//! must not compile, and the fix that makes it compile.
//!
//! A listing opens with a `//!` header: what it tries, in words, then three kinds of line:
//!
//! ```text
//! //! error: E0373
//! //! message: closure may outlive the current function
//! //! fix: `thread::spawn(||` with `thread::spawn(move ||`
//! ```
//!
//! `error:` is the code rustc must give, `message:` a part of its message, and each `fix:`
//! replaces one piece of text, found exactly once, with another. [`prove`] compiles the
//! listing (it must fail with that code and message) and the fixed text (it must compile
//! with no warning), so a toolchain that stops refusing a listing turns the tests red.

use crate::Error;
use crate::error::failed;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// One listing, read from its file.
#[derive(Debug, Clone)]
pub struct Listing {
    /// The file's name without `.rs`, e.g. `spawn_without_move`.
    pub name: String,
    /// The file, e.g. `lesson02/refused/spawn_without_move.rs`.
    pub path: PathBuf,
    /// The file's whole text, as the compiler sees it.
    pub source: String,
    /// What the listing tries, the header's prose lines joined.
    pub summary: String,
    /// The error code rustc must give, e.g. `E0373`.
    pub code: String,
    /// A part of rustc's message, e.g. `closure may outlive the current function`.
    pub message: String,
    /// Each fix: the text it replaces and its replacement.
    pub fixes: Vec<(String, String)>,
}

impl Listing {
    /// Reads and parses one listing.
    pub fn read(path: &Path) -> Result<Listing, Error> {
        let source = std::fs::read_to_string(path)
            .map_err(|e| failed(format_args!("cannot read {}", path.display()), e))?;
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| Error::Malformed(format!("{} has no UTF-8 name", path.display())))?
            .to_string();
        let (mut summary, mut code, mut message, mut fixes) = (Vec::new(), None, None, Vec::new());
        for line in source.lines().map_while(|l| l.strip_prefix("//!")) {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("error:") {
                code = Some(rest.trim().to_string());
            } else if let Some(rest) = line.strip_prefix("message:") {
                message = Some(rest.trim().to_string());
            } else if let Some(rest) = line.strip_prefix("fix:") {
                fixes.push(parse_fix(rest.trim()).ok_or_else(|| {
                    Error::Malformed(format!(
                        "{}: write a fix as `old text` with `new text`",
                        path.display()
                    ))
                })?);
            } else if !line.is_empty() {
                summary.push(line);
            }
        }
        let missing = |what: &str| {
            Error::Malformed(format!(
                "{}: the header has no `{what}:` line",
                path.display()
            ))
        };
        if fixes.is_empty() {
            return Err(missing("fix"));
        }
        Ok(Listing {
            name,
            path: path.to_path_buf(),
            summary: summary.join(" "),
            code: code.ok_or_else(|| missing("error"))?,
            message: message.ok_or_else(|| missing("message"))?,
            fixes,
            source,
        })
    }

    /// The code below the header, where the fixes apply.
    pub fn code(&self) -> &str {
        let header: usize = self
            .source
            .split_inclusive('\n')
            .take_while(|l| l.starts_with("//!"))
            .map(str::len)
            .sum();
        &self.source[header..]
    }

    /// The listing's code with every fix applied (the header left out); an error when a
    /// fix's text is not found exactly once.
    pub fn fixed(&self) -> Result<String, Error> {
        let mut text = self.code().to_string();
        for (old, new) in &self.fixes {
            let found = text.matches(old.as_str()).count();
            if found != 1 {
                return Err(Error::Malformed(format!(
                    "{}: the fix's text `{old}` is found {found} times, not once",
                    self.path.display()
                )));
            }
            text = text.replacen(old.as_str(), new, 1);
        }
        Ok(text)
    }
}

/// `` `old` with `new` `` into its two texts.
fn parse_fix(text: &str) -> Option<(String, String)> {
    let inner = text.strip_prefix('`')?.strip_suffix('`')?;
    let (old, new) = inner.split_once("` with `")?;
    Some((old.to_string(), new.to_string()))
}

/// Every listing of a lesson (`<lesson dir>/refused/*.rs`), by name.
pub fn listings(lesson_dir: &Path) -> Result<Vec<Listing>, Error> {
    let dir = lesson_dir.join("refused");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    paths.sort();
    paths.iter().map(|p| Listing::read(p)).collect()
}

/// Compiles `source` as a library named `name` with the toolchain's `rustc` (`$RUSTC` if
/// set), in `scratch`, with the given error format (`short` or `human`). Builds metadata
/// only: the borrow checker and the trait checks run, no code is generated.
pub fn compile(
    name: &str,
    source: &str,
    scratch: &Path,
    error_format: &str,
) -> Result<Output, Error> {
    std::fs::create_dir_all(scratch)
        .map_err(|e| failed(format_args!("cannot create {}", scratch.display()), e))?;
    let file = scratch.join(format!("{name}.rs"));
    std::fs::write(&file, source)
        .map_err(|e| failed(format_args!("cannot write {}", file.display()), e))?;
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    Command::new(rustc)
        .args([
            "--edition",
            "2024",
            "--crate-type",
            "lib",
            "--emit",
            "metadata",
        ])
        .arg("--error-format")
        .arg(error_format)
        .arg("--crate-name")
        .arg(name)
        .arg("--out-dir")
        .arg(scratch)
        .arg(format!("{name}.rs"))
        .current_dir(scratch)
        .output()
        .map_err(|e| failed("cannot run rustc", e))
}

/// Proves a listing both ways: the listing fails with its code and message, and its fixed
/// text compiles with no warning. [`Error::Unproved`] says what went wrong, with rustc's
/// output.
pub fn prove(listing: &Listing, scratch: &Path) -> Result<(), Error> {
    let name = &listing.name;
    let refused = compile(name, &listing.source, &scratch.join("refused"), "short")?;
    let said = String::from_utf8_lossy(&refused.stderr);
    let expected = format!("error[{}]", listing.code);
    if refused.status.success() {
        return Err(Error::Unproved(format!(
            "{name}: compiles, but must be refused with {expected}"
        )));
    }
    let matched = said
        .lines()
        .any(|l| l.contains(&expected) && l.contains(&listing.message));
    if !matched {
        return Err(Error::Unproved(format!(
            "{name}: refused, but not with {expected} and `{}`; rustc said:\n{said}",
            listing.message
        )));
    }
    let fixed = listing.fixed()?;
    let accepted = compile(name, &fixed, &scratch.join("fixed"), "short")?;
    let said = String::from_utf8_lossy(&accepted.stderr);
    if !accepted.status.success() || !said.trim().is_empty() {
        return Err(Error::Unproved(format!(
            "{name}: the fixed version must compile with no warning; rustc said:\n{said}"
        )));
    }
    Ok(())
}

/// Proves every listing of a lesson (the body of each lesson's `tests/refused.rs`); returns
/// how many there are, or the first error that is not a listing left unproved (a listing
/// unreadable, rustc not started), else every listing left unproved, as one.
pub fn prove_lesson(lesson_dir: &Path, scratch: &Path) -> Result<usize, Error> {
    let all = listings(lesson_dir)?;
    let mut unproved = Vec::new();
    for listing in &all {
        match prove(listing, &scratch.join(&listing.name)) {
            Ok(()) => {}
            Err(Error::Unproved(why)) => unproved.push(why),
            Err(other) => return Err(other),
        }
    }
    if unproved.is_empty() {
        Ok(all.len())
    } else {
        Err(Error::Unproved(unproved.join("\n\n")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fix_is_two_quoted_texts() {
        assert_eq!(
            parse_fix("`|| a` with `move || a`"),
            Some(("|| a".into(), "move || a".into()))
        );
        assert_eq!(parse_fix("|| a with move || a"), None);
    }
}
