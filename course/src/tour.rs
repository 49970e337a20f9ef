//! The lesson runner: `cargo run -p lessonNN [-- <name>... | --list]`.
//!
//! It builds the lesson's binaries with the cargo that started it (`$CARGO`), then runs them
//! from the target directory, one after another, each under a short introduction. While an
//! example runs, Ctrl-C belongs to the example (ctrlc_graceful waits for it): the terminal
//! sends SIGINT to both processes, and the runner's own handler ignores it.

use crate::{Example, Lesson};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

/// Runs the tour of the lesson whose `examples.txt` is `list`; returns the exit code
/// (that of the example when one is run, 2 for bad use).
pub fn tour(package: &str, list: &str) -> ExitCode {
    // `args_os`: `std::env::args` would panic on an argument that is not UTF-8.
    let args: Result<Vec<String>, _> = std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect();
    let Ok(args) = args else {
        eprintln!("{package}: an argument is not UTF-8 text; name an example from `-- --list`");
        return ExitCode::from(2);
    };
    match run(package, list, args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{package}: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(package: &str, list: &str, args: Vec<String>) -> Result<ExitCode, String> {
    let lesson = Lesson::parse(package, list)?;
    let mut chosen: Vec<&Example> = Vec::new();
    for arg in &args {
        match arg.as_str() {
            "--list" => {
                print_list(&lesson);
                return Ok(ExitCode::SUCCESS);
            }
            "-h" | "--help" => {
                println!("usage: cargo run -p {package} [-- <example>... | --list]");
                println!("With no example, runs every example of the lesson in order.");
                return Ok(ExitCode::SUCCESS);
            }
            flag if flag.starts_with('-') => {
                return Err(format!(
                    "unknown option `{flag}`; use `--list`, or name examples: {}",
                    lesson.names()
                ));
            }
            name => match lesson.example(name) {
                Some(example) => chosen.push(example),
                None if lesson.examples.is_empty() => {
                    return Err(format!(
                        "no example named `{name}`: this lesson has no examples yet"
                    ));
                }
                None => {
                    return Err(format!(
                        "no example named `{name}`; the examples are: {} (or `-- --list`)",
                        lesson.names()
                    ));
                }
            },
        }
    }
    if lesson.examples.is_empty() {
        println!(
            "{package}: {}. This lesson has no examples yet.",
            lesson.title
        );
        return Ok(ExitCode::SUCCESS);
    }
    let whole_tour = chosen.is_empty();
    if whole_tour {
        chosen = lesson.examples.iter().collect();
    }

    let bin_dir = build(package)?;
    // A handler that does nothing keeps the runner alive through Ctrl-C, so the example
    // decides what Ctrl-C means. Handlers (unlike an ignored signal) reset on exec, so the
    // example starts with the default SIGINT behaviour, or installs its own.
    ctrlc::set_handler(|| {}).map_err(|e| format!("cannot watch for Ctrl-C: {e}"))?;

    if whole_tour {
        println!("{package}: {} ({} examples)", lesson.title, chosen.len());
    }
    let mut last = ExitCode::SUCCESS;
    let mut failed = 0;
    for (index, example) in chosen.iter().enumerate() {
        if whole_tour {
            println!();
            println!("=== [{}/{}] {} ===", index + 1, chosen.len(), example.name);
            println!("Python original: {}", example.origin);
            println!("Watch for: {}", example.watch);
            println!("---");
        }
        let started = Instant::now();
        let status = Command::new(bin_dir.join(&example.name))
            .status()
            .map_err(|e| format!("cannot run {}: {e}", example.name))?;
        let seconds = started.elapsed().as_secs_f64();
        if killed_by_sigint(&status) {
            println!(
                "--- {} stopped by Ctrl-C; the tour ends here.",
                example.name
            );
            return Ok(ExitCode::from(130));
        }
        let code = status.code().unwrap_or(1);
        if code != 0 {
            failed += 1;
        }
        last = ExitCode::from(u8::try_from(code).unwrap_or(1));
        if whole_tour {
            println!(
                "--- {} finished in {seconds:.1} s (exit status {code})",
                example.name
            );
        }
    }
    if whole_tour {
        println!();
        println!(
            "{package}: {} examples run, {failed} exited with an error. `cargo xtask verify {package}` checks them.",
            chosen.len()
        );
        return Ok(if failed == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    Ok(last)
}

fn print_list(lesson: &Lesson) {
    println!("{}: {}", lesson.package, lesson.title);
    for (index, example) in lesson.examples.iter().enumerate() {
        println!("{:>3}. {:<28} {}", index + 1, example.name, example.watch);
    }
}

/// Builds the lesson's binaries with the cargo that ran us, in the same profile,
/// and returns the directory that holds them.
fn build(package: &str) -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find my own binary: {e}"))?;
    let bin_dir = exe
        .parent()
        .map(Path::to_path_buf)
        .ok_or("my binary has no directory")?;
    // Run directly rather than through `cargo run`: use the binaries beside us as they are.
    let Some(cargo) = std::env::var_os("CARGO") else {
        return Ok(bin_dir);
    };
    let mut command = Command::new(cargo);
    command.args(["build", "--quiet", "--bins", "--package", package]);
    if bin_dir.file_name().is_some_and(|name| name == "release") {
        command.arg("--release");
    }
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("building the examples failed (see cargo's messages above)".into());
    }
    Ok(bin_dir)
}

#[cfg(unix)]
fn killed_by_sigint(status: &std::process::ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(2)
}

#[cfg(not(unix))]
fn killed_by_sigint(_status: &std::process::ExitStatus) -> bool {
    false
}
