//! The lesson runner: `cargo run -p lessonNN [-- <name>... | --list | exercise]`.
//!
//! It builds the binaries it is about to run with the cargo that started it (`$CARGO`), then
//! runs them from the target directory, one after another, each under a short introduction.
//! While an example runs, Ctrl-C belongs to the example (ctrlc_graceful waits for it): the
//! terminal sends SIGINT to both processes, and the runner's own handler ignores it.

use crate::args::{Arg, Args};
use crate::{Example, Lesson, sources};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus};
use std::time::Instant;

/// Runs the tour of the lesson whose `examples.txt` is `list` and whose package directory
/// is `dir`; returns the exit code: 0 when every example run exited 0, 1 when one did not,
/// 130 when Ctrl-C stopped one, 2 for bad use.
pub fn tour(package: &str, list: &str, dir: &str) -> ExitCode {
    let outcome = Args::from_env().and_then(|args| {
        let lesson = Lesson::parse(package, list)?;
        run(&lesson, Path::new(dir), args, None)
    });
    match outcome {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{package}: {message}");
            ExitCode::from(2)
        }
    }
}

/// What the command line asked for.
#[derive(Debug, PartialEq)]
enum Request<'a> {
    Help,
    List,
    Exercise,
    /// The examples to run; `whole` when none was named, so the tour introduces each.
    Run {
        examples: Vec<&'a Example>,
        whole: bool,
    },
}

fn request(lesson: &Lesson, mut args: Args) -> Result<Request<'_>, String> {
    let mut chosen = Vec::new();
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Option(flag) if flag == "--list" => {
                args.no_value()?;
                return Ok(Request::List);
            }
            Arg::Option(flag) if flag == "-h" || flag == "--help" => {
                args.no_value()?;
                return Ok(Request::Help);
            }
            Arg::Option(flag) => {
                return Err(format!(
                    "unknown option `{flag}`; use `--list`, `exercise`, or name examples: {}",
                    lesson.names()
                ));
            }
            Arg::Word(word) if word == "exercise" => {
                return match args.next_arg()? {
                    None if chosen.is_empty() => Ok(Request::Exercise),
                    _ => Err("`exercise` stands alone: `cargo run -p <lesson> -- exercise`".into()),
                };
            }
            Arg::Word(name) => match lesson.example(&name) {
                Some(example) => chosen.push(example),
                None => {
                    return Err(format!(
                        "no example named `{name}`; the examples are: {} (or `-- --list`, `-- exercise`)",
                        lesson.names()
                    ));
                }
            },
        }
    }
    let whole = chosen.is_empty();
    if whole {
        chosen = lesson.examples.iter().collect();
    }
    Ok(Request::Run {
        examples: chosen,
        whole,
    })
}

/// Carries out the request. `bin_dir` is where the binaries are when the caller has built
/// them (tests); `None` builds them with `$CARGO` beside the runner's own binary.
fn run(
    lesson: &Lesson,
    dir: &Path,
    args: Args,
    bin_dir: Option<PathBuf>,
) -> Result<ExitCode, String> {
    let package = &lesson.package;
    let (examples, whole) = match request(lesson, args)? {
        Request::Help => {
            println!("usage: cargo run -p {package} [-- <example>... | --list | exercise]");
            println!("With no example, runs every example of the lesson in order.");
            println!("`exercise` shows the lesson's exercise and the file to edit.");
            return Ok(ExitCode::SUCCESS);
        }
        Request::List => {
            print!("{}", list_text(lesson));
            return Ok(ExitCode::SUCCESS);
        }
        Request::Exercise => {
            print!("{}", exercise_text(package, dir)?);
            return Ok(ExitCode::SUCCESS);
        }
        Request::Run { examples, whole } => (examples, whole),
    };
    let names: Vec<&str> = examples.iter().map(|e| e.name.as_str()).collect();
    let bin_dir = match bin_dir {
        Some(dir) => dir,
        None => build(package, &names)?,
    };
    // A handler that does nothing keeps the runner alive through Ctrl-C, so the example
    // decides what Ctrl-C means. Handlers (unlike an ignored signal) reset on exec, so the
    // example starts with the default SIGINT behaviour, or installs its own. Set once per
    // process (a second call is an error the tests would meet).
    static HANDLER: std::sync::Once = std::sync::Once::new();
    let mut handler = Ok(());
    HANDLER.call_once(|| handler = ctrlc::set_handler(|| {}));
    handler.map_err(|e| format!("cannot watch for Ctrl-C: {e}"))?;

    if whole {
        println!("{package}: {} ({} examples)", lesson.title, examples.len());
        let origins: Vec<&str> = examples.iter().map(|e| e.origin.as_str()).collect();
        println!("Sources:");
        for line in sources::legend(&origins) {
            println!("  {line}");
        }
    }
    let mut failed = Vec::new();
    for (index, example) in examples.iter().enumerate() {
        if whole {
            println!();
            println!(
                "=== [{}/{}] {} ===",
                index + 1,
                examples.len(),
                example.name
            );
            println!("Python original: {}", example.origin);
            println!("Watch for: {}", example.watch);
            println!("---");
        }
        let started = Instant::now();
        let status = Command::new(bin_dir.join(&example.name))
            .status()
            .map_err(|e| format!("cannot run {}: {e}", example.name))?;
        if killed_by_sigint(&status) {
            println!(
                "--- {} stopped by Ctrl-C; the tour ends here.",
                example.name
            );
            return Ok(ExitCode::from(130));
        }
        let code = status.code().unwrap_or(1);
        if code != 0 {
            failed.push(example.name.as_str());
        }
        if whole {
            println!(
                "--- {} finished in {:.1} s (exit status {code})",
                example.name,
                started.elapsed().as_secs_f64()
            );
        }
    }
    if whole || !failed.is_empty() {
        println!();
        println!("{}", closing_line(package, examples.len(), &failed));
    }
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn closing_line(package: &str, run: usize, failed: &[&str]) -> String {
    let failures = if failed.is_empty() {
        "none exited with an error".to_string()
    } else {
        format!(
            "{} exited with an error ({})",
            failed.len(),
            failed.join(", ")
        )
    };
    format!(
        "{package}: {run} example(s) run, {failures}. `cargo xtask verify {package}` checks them."
    )
}

fn list_text(lesson: &Lesson) -> String {
    let mut out = format!("{}: {}\n", lesson.package, lesson.title);
    for (index, example) in lesson.examples.iter().enumerate() {
        out.push_str(&format!(
            "{:>3}. {:<28} {}\n",
            index + 1,
            example.name,
            example.watch
        ));
    }
    out.push_str(&format!(
        "Exercise: `cargo run -p {} -- exercise`\n",
        lesson.package
    ));
    out
}

/// The exercise's task: the `//!` header of the file the learner edits, or, for a lesson
/// whose exercise is to think rather than to write (lesson01), its README section.
fn exercise_text(package: &str, dir: &Path) -> Result<String, String> {
    let file = format!("{package}/exercise.rs");
    let Ok(source) = std::fs::read_to_string(dir.join("exercise.rs")) else {
        return readme_exercise(package, dir);
    };
    let mut out = String::new();
    for line in source.lines() {
        let Some(text) = line.strip_prefix("//!") else {
            break;
        };
        out.push_str(text.strip_prefix(' ').unwrap_or(text));
        out.push('\n');
    }
    out.push_str(&format!(
        "\nThe file to edit: {file}\nProgress over every exercise: cargo xtask progress\n"
    ));
    Ok(out)
}

/// The README's `## Exercise...` section, up to the next section.
fn readme_exercise(package: &str, dir: &Path) -> Result<String, String> {
    let readme = format!("{package}/README.md");
    let text = std::fs::read_to_string(dir.join("README.md"))
        .map_err(|e| format!("cannot read {readme}: {e}"))?;
    let mut lines = text.lines().skip_while(|l| !l.starts_with("## Exercise"));
    let heading = lines
        .next()
        .ok_or_else(|| format!("this lesson has no exercise: neither {package}/exercise.rs nor an `## Exercise` section in {readme}"))?;
    let mut out = format!("{heading}\n");
    for line in lines.take_while(|l| !l.starts_with("## ")) {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&format!(
        "\n(from {readme}: nothing to write, nothing to check)\n"
    ));
    Ok(out)
}

/// Builds the named binaries of the lesson with the cargo that ran us, in the same profile,
/// and returns the directory that holds them. Only these: a learner's half-written exercise
/// must not stop the examples from running.
fn build(package: &str, names: &[&str]) -> Result<PathBuf, String> {
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
    command.args(["build", "--quiet", "--package", package]);
    for name in names {
        command.args(["--bin", name]);
    }
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

fn killed_by_sigint(status: &ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str =
        "title: Test lesson\nteaches: t\nfirst | book L02 | one\nsecond | rp \"x\" | two\n";

    fn lesson() -> Lesson {
        Lesson::parse("lesson99", LIST).unwrap()
    }

    fn args(list: &[&str]) -> Args {
        Args::new(list.iter().map(|s| s.to_string()))
    }

    /// A directory of shell scripts standing in for the lesson's binaries. A child process
    /// writes each, so that no file is ever open for writing in this process: a fork made
    /// meanwhile by another test's thread would inherit the descriptor, and running a file
    /// some process holds open for writing fails with "Text file busy".
    fn bin_dir(tag: &str, scripts: &[(&str, &str)]) -> PathBuf {
        use std::io::Write;
        let dir = std::env::temp_dir().join(format!("course-tour-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, script) in scripts {
            let mut writer = Command::new("sh")
                .args(["-c", "cat > \"$1\" && chmod 755 \"$1\"", "sh"])
                .arg(dir.join(name))
                .stdin(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdin = writer.stdin.take().unwrap();
            stdin
                .write_all(format!("#!/bin/sh\n{script}\n").as_bytes())
                .unwrap();
            drop(stdin);
            assert!(writer.wait().unwrap().success());
        }
        dir
    }

    #[test]
    fn requests_are_read_from_the_arguments() {
        let lesson = lesson();
        let names = |r: Request| match r {
            Request::Run { examples, whole } => (
                examples.iter().map(|e| e.name.clone()).collect::<Vec<_>>(),
                whole,
            ),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            names(request(&lesson, args(&[])).unwrap()),
            (vec!["first".to_string(), "second".to_string()], true)
        );
        assert_eq!(
            names(request(&lesson, args(&["second"])).unwrap()),
            (vec!["second".to_string()], false)
        );
        assert_eq!(request(&lesson, args(&["--list"])).unwrap(), Request::List);
        assert_eq!(
            request(&lesson, args(&["exercise"])).unwrap(),
            Request::Exercise
        );
        let err = request(&lesson, args(&["exercise", "first"])).unwrap_err();
        assert!(err.contains("stands alone"), "{err}");
        let err = request(&lesson, args(&["first", "exercise"])).unwrap_err();
        assert!(err.contains("stands alone"), "{err}");
        let err = request(&lesson, args(&["third"])).unwrap_err();
        assert!(err.starts_with("no example named `third`"), "{err}");
        assert!(err.contains("first, second"), "{err}");
        let err = request(&lesson, args(&["--fast"])).unwrap_err();
        assert!(err.starts_with("unknown option `--fast`"), "{err}");
        let err = request(&lesson, args(&["--list=all"])).unwrap_err();
        assert!(err.contains("takes no value"), "{err}");
    }

    #[test]
    fn one_failed_example_fails_the_tour_even_when_a_later_one_passes() {
        let dir = bin_dir("fail", &[("first", "exit 3"), ("second", "exit 0")]);
        let code = run(&lesson(), &dir, args(&[]), Some(dir.clone())).unwrap();
        let one = run(
            &lesson(),
            &dir,
            args(&["first", "second"]),
            Some(dir.clone()),
        )
        .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(code, ExitCode::FAILURE);
        assert_eq!(one, ExitCode::FAILURE);
    }

    #[test]
    fn the_tour_passes_when_every_example_does() {
        let dir = bin_dir("pass", &[("first", "exit 0"), ("second", "exit 0")]);
        let code = run(&lesson(), &dir, args(&[]), Some(dir.clone())).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(code, ExitCode::SUCCESS);
    }

    #[test]
    fn ctrl_c_in_an_example_ends_the_tour_with_130() {
        let dir = bin_dir("int", &[("first", "kill -INT $$"), ("second", "exit 0")]);
        let code = run(&lesson(), &dir, args(&[]), Some(dir.clone())).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(code, ExitCode::from(130));
    }

    #[test]
    fn the_closing_line_names_the_failures() {
        assert_eq!(
            closing_line("lesson99", 2, &["first"]),
            "lesson99: 2 example(s) run, 1 exited with an error (first). `cargo xtask verify lesson99` checks them."
        );
        assert!(closing_line("lesson99", 2, &[]).contains("none exited with an error"));
    }

    #[test]
    fn the_exercise_shows_its_task_and_file() {
        let dir = bin_dir("exercise", &[]);
        std::fs::write(
            dir.join("exercise.rs"),
            "//! # Exercise 99: count\n//!\n//! Count to three.\n\nfn main() {}\n",
        )
        .unwrap();
        let text = exercise_text("lesson99", &dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            text.starts_with("# Exercise 99: count\n\nCount to three.\n"),
            "{text}"
        );
        assert!(
            text.contains("The file to edit: lesson99/exercise.rs"),
            "{text}"
        );
        assert!(!text.contains("fn main"), "{text}");
        let missing = exercise_text("lesson99", Path::new("/nonexistent")).unwrap_err();
        assert!(missing.contains("lesson99/README.md"), "{missing}");
    }

    #[test]
    fn a_lesson_without_an_exercise_file_shows_its_readme_section() {
        let dir = bin_dir("reflect", &[]);
        std::fs::write(
            dir.join("README.md"),
            "# L\n\n## Run it\nx\n\n## Exercise: think\n\nWhere would threads help?\n\n## Next\ny\n",
        )
        .unwrap();
        let text = exercise_text("lesson99", &dir).unwrap();
        std::fs::write(dir.join("README.md"), "# L\n").unwrap();
        let none = exercise_text("lesson99", &dir).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            text.starts_with("## Exercise: think\n\nWhere would threads help?\n"),
            "{text}"
        );
        assert!(!text.contains("## Next"), "{text}");
        assert!(none.contains("this lesson has no exercise"), "{none}");
    }

    #[test]
    fn the_list_ends_with_the_exercise() {
        let text = list_text(&lesson());
        assert!(text.contains("  1. first"), "{text}");
        assert!(
            text.ends_with("Exercise: `cargo run -p lesson99 -- exercise`\n"),
            "{text}"
        );
    }
}
