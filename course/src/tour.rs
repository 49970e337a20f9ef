//! The lesson runner: `cargo run -p lessonNN [-- <name>... | --list | exercise]`.
//!
//! It builds the binaries it is about to run with the cargo that started it (`$CARGO`), then
//! runs them, one after another, each under a short introduction.
//! While an example runs, Ctrl-C belongs to the example (ctrlc_graceful waits for it): the
//! terminal sends SIGINT to both processes, and the runner's own handler ignores it.

use crate::error::failed;
use crate::{Error, Example, Lesson, sources};
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::time::Instant;

/// Runs the tour of the lesson whose `examples.txt` is `list` and whose package directory
/// is `dir`; returns the exit code: 0 when every example run exited 0, 1 when one did not
/// or the tour could not run it (a failed build), 130 when Ctrl-C stopped one, 2 for bad
/// use or a malformed file of the lesson (each error's [`Error::exit_code`]).
pub fn tour(package: &str, list: &str, dir: &str) -> ExitCode {
    let tour = || {
        let lesson = Lesson::parse(package, list)?;
        let request = request(&lesson, std::env::args_os().skip(1))?;
        run(&lesson, Path::new(dir), request, None)
    };
    tour().unwrap_or_else(|error| {
        eprintln!("{package}: {error}");
        error.exit_code()
    })
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

/// Reads the arguments after the program's name. `--list` and `--help` end the reading;
/// `exercise` stands alone; any other word names an example; after `--`, every argument
/// is a word.
fn request(
    lesson: &Lesson,
    args: impl IntoIterator<Item = OsString>,
) -> Result<Request<'_>, Error> {
    use lexopt::Arg;
    let mut parser = lexopt::Parser::from_args(args);
    let mut chosen = Vec::new();
    // lexopt's `next` fails only on a value left unread after an option (`--list=all`), and
    // each option below checks for one itself before the reading ends.
    let usage = |message: String| Err(Error::Usage(message));
    while let Some(arg) = parser.next().map_err(|e| Error::Usage(e.to_string()))? {
        let flag = match arg {
            Arg::Value(word) => {
                let word = word.into_string().map_err(|bad| {
                    Error::Usage(format!("the argument {bad:?} is not UTF-8 text"))
                })?;
                if word == "exercise" {
                    return match parser.next() {
                        Ok(None) if chosen.is_empty() => Ok(Request::Exercise),
                        _ => usage(
                            "`exercise` stands alone: `cargo run -p <lesson> -- exercise`".into(),
                        ),
                    };
                }
                match lesson.example(&word) {
                    Some(example) => chosen.push(example),
                    None => {
                        return usage(format!(
                            "no example named `{word}`; the examples are: {} (or `-- --list`, `-- exercise`)",
                            lesson.names()
                        ));
                    }
                }
                continue;
            }
            Arg::Long(name) => format!("--{name}"),
            Arg::Short(letter) => format!("-{letter}"),
        };
        let request = match flag.as_str() {
            "--list" => Request::List,
            "-h" | "--help" => Request::Help,
            _ => {
                return usage(format!(
                    "unknown option `{flag}`; use `--list`, `exercise`, or name examples: {}",
                    lesson.names()
                ));
            }
        };
        // A value written into the flag (`--list=all`, `-hx`).
        if parser.optional_value().is_some() {
            return usage(format!("`{flag}` takes no value"));
        }
        return Ok(request);
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

/// Carries out the request; `Err` when it could not. `bin_dir` is where the binaries are when
/// the caller has built them (tests); `None` builds them with `$CARGO`.
fn run(
    lesson: &Lesson,
    dir: &Path,
    request: Request<'_>,
    bin_dir: Option<PathBuf>,
) -> Result<ExitCode, Error> {
    let package = &lesson.package;
    let (examples, whole) = match request {
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
    let binaries = match bin_dir {
        Some(dir) => beside(&dir, &names),
        None => build(package, &names)?,
    };
    // A handler that does nothing keeps the runner alive through Ctrl-C, so the example
    // decides what Ctrl-C means. Handlers (unlike an ignored signal) reset on exec, so the
    // example starts with the default SIGINT behaviour, or installs its own. Set once per
    // process (a second call is an error the tests would meet).
    static HANDLER: std::sync::Once = std::sync::Once::new();
    let mut handler = Ok(());
    HANDLER.call_once(|| handler = ctrlc::set_handler(|| {}));
    handler.map_err(|e| failed("cannot watch for Ctrl-C", e))?;

    if whole {
        println!("{package}: {} ({} examples)", lesson.title, examples.len());
        let origins: Vec<&str> = examples.iter().map(|e| e.origin.as_str()).collect();
        println!("Sources:");
        for line in sources::legend(&origins) {
            println!("  {line}");
        }
    }
    let mut errored = Vec::new();
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
        let status = Command::new(&binaries[&example.name])
            .status()
            .map_err(|e| failed(format_args!("cannot run {}", example.name), e))?;
        if killed_by_sigint(&status) {
            println!(
                "--- {} stopped by Ctrl-C; the tour ends here.",
                example.name
            );
            return Ok(ExitCode::from(130));
        }
        let code = status.code().unwrap_or(1);
        if code != 0 {
            errored.push(example.name.as_str());
        }
        if whole {
            println!(
                "--- {} finished in {:.1} s (exit status {code})",
                example.name,
                started.elapsed().as_secs_f64()
            );
        }
    }
    if whole || !errored.is_empty() {
        println!();
        println!("{}", closing_line(package, examples.len(), &errored));
    }
    Ok(if errored.is_empty() {
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
fn exercise_text(package: &str, dir: &Path) -> Result<String, Error> {
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
fn readme_exercise(package: &str, dir: &Path) -> Result<String, Error> {
    let readme = format!("{package}/README.md");
    let text = std::fs::read_to_string(dir.join("README.md"))
        .map_err(|e| failed(format_args!("cannot read {readme}"), e))?;
    let mut lines = text.lines().skip_while(|l| !l.starts_with("## Exercise"));
    let heading = lines.next().ok_or_else(|| {
        Error::Malformed(format!("this lesson has no exercise: neither {package}/exercise.rs nor an `## Exercise` section in {readme}"))
    })?;
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

/// The binaries named, as files of `dir`.
fn beside(dir: &Path, names: &[&str]) -> HashMap<String, PathBuf> {
    names
        .iter()
        .map(|name| (name.to_string(), dir.join(name)))
        .collect()
}

/// The profile the runner was built in, as cargo's build script saw it (`build.rs`).
const PROFILE: &str = env!("COURSE_PROFILE");

/// Builds the named binaries of the lesson with the cargo that ran us, in the runner's own
/// profile, and returns each one's executable. Only these: a learner's half-written exercise
/// must not stop the examples from running.
///
/// Nothing is guessed from a directory's name. The profile is the one cargo named to
/// course's build script (`release` for `cargo run --release`, `debug` for a plain `cargo
/// run`); each executable is where cargo says it put it, in the `compiler-artifact` messages
/// of `--message-format=json`, whatever the target directory, the target triple or a
/// custom profile (built as the root profile it inherits from).
fn build(package: &str, names: &[&str]) -> Result<HashMap<String, PathBuf>, Error> {
    // Run directly rather than through `cargo run`: use the binaries beside us as they are.
    let Some(cargo) = std::env::var_os("CARGO") else {
        let exe = std::env::current_exe().map_err(|e| failed("cannot find my own binary", e))?;
        let dir = exe
            .parent()
            .ok_or_else(|| Error::Failed("my binary has no directory".into()))?;
        return Ok(beside(dir, names));
    };
    let mut command = Command::new(cargo);
    // Rendered diagnostics go to stderr, as in a plain build; the messages come on stdout.
    command.args([
        "build",
        "--quiet",
        "--message-format=json-render-diagnostics",
        "--package",
        package,
    ]);
    for name in names {
        command.args(["--bin", name]);
    }
    if PROFILE == "release" {
        command.arg("--release");
    }
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| failed("cannot run cargo", e))?;
    if !output.status.success() {
        return Err(Error::Failed(
            "building the examples failed (see cargo's messages above)".into(),
        ));
    }
    let mut found = executables(&String::from_utf8_lossy(&output.stdout));
    found.retain(|name, _| names.contains(&name.as_str()));
    match names.iter().find(|name| !found.contains_key(**name)) {
        Some(missing) => Err(Error::Failed(format!(
            "cargo built no executable named {missing}"
        ))),
        None => Ok(found),
    }
}

/// The executables of the binaries cargo built, by name, from its JSON messages: one object
/// a line, a `compiler-artifact` per target built, its `executable` null for a library
/// (cargo's reference, "External tools": "JSON messages").
fn executables(messages: &str) -> HashMap<String, PathBuf> {
    use tinyjson::JsonValue;
    type Object = HashMap<String, JsonValue>;
    fn text(object: &Object, key: &str) -> Option<String> {
        object.get(key)?.get::<String>().cloned()
    }
    let mut found = HashMap::new();
    for line in messages.lines() {
        let Ok(message) = line.parse::<JsonValue>() else {
            continue;
        };
        let Some(message) = message.get::<Object>() else {
            continue;
        };
        let Some(target) = message.get("target").and_then(JsonValue::get::<Object>) else {
            continue;
        };
        // Only the binaries asked for are built; the rest are libraries and build scripts.
        let is_bin = target
            .get("kind")
            .and_then(JsonValue::get::<Vec<JsonValue>>)
            .is_some_and(|kinds| {
                kinds
                    .iter()
                    .any(|k| k.get::<String>().is_some_and(|k| k == "bin"))
            });
        if text(message, "reason").as_deref() != Some("compiler-artifact") || !is_bin {
            continue;
        }
        if let (Some(name), Some(executable)) = (text(target, "name"), text(message, "executable"))
        {
            found.insert(name, PathBuf::from(executable));
        }
    }
    found
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

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    /// The tour of the test lesson with `list` as its arguments, its binaries in `dir`.
    fn tour_in(dir: &Path, list: &[&str]) -> ExitCode {
        let lesson = lesson();
        let request = request(&lesson, args(list)).unwrap();
        run(&lesson, dir, request, Some(dir.to_path_buf())).unwrap()
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
        let err = request(&lesson, args(&["exercise", "first"]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("stands alone"), "{err}");
        let err = request(&lesson, args(&["first", "exercise"]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("stands alone"), "{err}");
        let err = request(&lesson, args(&["third"])).unwrap_err();
        assert!(matches!(err, Error::Usage(_)), "{err:?}");
        let err = err.to_string();
        assert!(err.starts_with("no example named `third`"), "{err}");
        assert!(err.contains("first, second"), "{err}");
        let err = request(&lesson, args(&["--fast"])).unwrap_err().to_string();
        assert!(err.starts_with("unknown option `--fast`"), "{err}");
        let err = request(&lesson, args(&["--list=all"]))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "`--list` takes no value");
        let err = request(&lesson, args(&["-hx"])).unwrap_err().to_string();
        assert_eq!(err, "`-h` takes no value");
        for help in ["-h", "--help"] {
            assert_eq!(request(&lesson, args(&[help])).unwrap(), Request::Help);
        }
        // The first flag ends the reading, as it always has.
        assert_eq!(
            request(&lesson, args(&["first", "--list", "nosuch"])).unwrap(),
            Request::List
        );
        // After `--`, a flag is a word: here, no example's name.
        let err = request(&lesson, args(&["--", "--list"]))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("no example named `--list`"), "{err}");
        let err = request(&lesson, args(&["-x"])).unwrap_err().to_string();
        assert!(err.starts_with("unknown option `-x`"), "{err}");
        use std::os::unix::ffi::OsStringExt;
        let err = request(&lesson, vec![OsString::from_vec(vec![0xff])])
            .unwrap_err()
            .to_string();
        assert_eq!(err, "the argument \"\\xFF\" is not UTF-8 text");
    }

    #[test]
    fn one_failed_example_fails_the_tour_even_when_a_later_one_passes() {
        let dir = bin_dir("fail", &[("first", "exit 3"), ("second", "exit 0")]);
        let code = tour_in(&dir, &[]);
        let one = tour_in(&dir, &["first", "second"]);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(code, ExitCode::FAILURE);
        assert_eq!(one, ExitCode::FAILURE);
    }

    #[test]
    fn the_tour_passes_when_every_example_does() {
        let dir = bin_dir("pass", &[("first", "exit 0"), ("second", "exit 0")]);
        let code = tour_in(&dir, &[]);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(code, ExitCode::SUCCESS);
    }

    #[test]
    fn ctrl_c_in_an_example_ends_the_tour_with_130() {
        let dir = bin_dir("int", &[("first", "kill -INT $$"), ("second", "exit 0")]);
        let code = tour_in(&dir, &[]);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(code, ExitCode::from(130));
    }

    #[test]
    fn the_executables_are_where_cargo_says() {
        // Lines of `cargo build --message-format=json-render-diagnostics`, shortened.
        let messages = [
            r#"{"reason":"build-script-executed","package_id":"path+file:///w/course#0.1.0","out_dir":"/t/debug/build/course-1/out"}"#,
            r#"{"reason":"compiler-artifact","package_id":"path+file:///w/course#0.1.0","target":{"kind":["lib"],"crate_types":["lib"],"name":"course"},"filenames":["/t/debug/deps/libcourse-1.rlib"],"executable":null,"fresh":false}"#,
            r#"{"reason":"compiler-artifact","package_id":"path+file:///w/lesson99#0.1.0","target":{"kind":["bin"],"crate_types":["bin"],"name":"first"},"filenames":["/t/x86_64-unknown-linux-gnu/custom/first"],"executable":"/t/x86_64-unknown-linux-gnu/custom/first","fresh":true}"#,
            r#"{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"second \"quoted\" \u00e9"},"executable":"/t/release/second"}"#,
            r#"{"reason":"build-finished","success":true}"#,
        ]
        .join("\n");
        let found = executables(&messages);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found["first"],
            Path::new("/t/x86_64-unknown-linux-gnu/custom/first")
        );
        assert_eq!(found["second \"quoted\" é"], Path::new("/t/release/second"));
    }

    #[test]
    fn the_profile_is_one_cargo_names() {
        assert!(["debug", "release"].contains(&PROFILE), "{PROFILE}");
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
        assert!(matches!(missing, Error::Failed(_)), "{missing:?}");
        let missing = missing.to_string();
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
        assert!(matches!(none, Error::Malformed(_)), "{none:?}");
        let none = none.to_string();
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
