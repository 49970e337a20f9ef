//! `cargo xtask`: the project's own tools. `cargo xtask --help` lists them and
//! `cargo xtask help COMMAND` shows each one's forms (clap writes both from cli.rs).
//!
//! - `cargo xtask verify [FILTER...] [--list] [--jobs N]`: run every example (or those of the
//!   lessons and examples named) and check each against `lessonNN/expected/<example>.txt`.
//! - `cargo xtask verify --breaks [FILTER...]`: apply each example's breaks
//!   (`lessonNN/breaks/<example>.txt`) in a scratch copy and require verify to turn red.
//! - `cargo xtask verify --explain EXAMPLE`: what each check of the example proves, and which
//!   break it catches.
//! - `cargo xtask verify --exercises`: every exercise's solution passes, every exercise as
//!   shipped fails with a hint.
//! - `cargo xtask check LESSON`: check the learner's `lessonNN/exercise.rs`, say what is missing;
//!   with `--watch`, again after every save of the file.
//! - `cargo xtask reset LESSON`: put `lessonNN/exercise.rs` back as shipped, keeping the
//!   learner's beside it.
//! - `cargo xtask timeline EXAMPLE` (or `--exercise LESSON`): run it once and draw its threads
//!   and processes over time (running, blocked on another thread, waiting), with its output lines.
//! - `cargo xtask progress`: how many exercises are done, and the next one.
//! - `cargo xtask lint`: check that each lesson's list, binaries, expected files and README agree.
//! - `cargo xtask readme`: write each lesson README's examples table from its examples.txt.
//! - `cargo xtask book [--open | --check]`: the course as an mdBook, generated from the
//!   project; `--check` opens every page in headless Chromium.
//! - `cargo xtask models`: model-check the lesson libraries with shuttle.
//! - `cargo xtask mutants`: run cargo-mutants over the lesson libraries.
//! - `cargo xtask bench [SECTION...] [--quick]`: the lesson libraries against std, crates and
//!   CPython (the `bench` crate).
//!
//! Exit status: 0 passed, 1 failed (a check, or the work: an unreadable file, cargo not
//! started), 2 bad use (one line saying what to do), 130 interrupted.

// The book needs its parsers (crates/booktools), which only xtask built with its `book`
// feature has; without them, `cargo xtask book` relaunches xtask with it (book/relaunch.rs).
#[cfg(feature = "book")]
mod book;
#[cfg(not(feature = "book"))]
#[path = "book/relaunch.rs"]
mod book;
mod cargo_json;
mod cli;
mod cmd;
mod error;
mod project;
mod session;

use checker::run::interrupt;
use cli::Command;
use cmd::verify::Mode;
use cmd::{
    breaks as breaking, exercises, explain, libraries, lint, readme, reset, timeline, verify, watch,
};
use error::Error;
use project::Project;
use session::Status;
use std::ffi::OsString;
use std::process::ExitCode;

/// How many examples verify, `--exercises` and the book run at once unless told: eight per
/// core. Examples mostly sleep, and those that compute compare like with like in the same
/// run, so many more run at once than there are cores (with eight per core, 67 examples take
/// about 10 s on 2 cores, 21 s with four); but not all at once: dozens starting together
/// beside other busy programs starved verify's own readers, which then timed a line up to
/// half a second after it was printed, and a gap between two lines looked shorter than it was.
fn default_jobs() -> usize {
    8 * std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// `--breaks` runs all of a round's broken examples at once: a broken run only has to fail,
/// and the time of its lines matters less than the rounds' total.
const BREAK_JOBS: usize = 64;

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let outcome = match cli::parse(&args) {
        Ok(cli) => Project::find().and_then(|project| run(&project, cli.command)),
        // `--help` and `help`, asked for: clap's text, on stdout.
        Err(help) if !help.use_stderr() => {
            print!("{}", help.render());
            return ExitCode::SUCCESS;
        }
        Err(error) => Err(Error::Usage(cli::one_line(
            error,
            args.get(1..).unwrap_or_default(),
        ))),
    };
    match outcome {
        Ok(Status::Passed) => ExitCode::SUCCESS,
        Ok(Status::Failed) => ExitCode::FAILURE,
        Ok(Status::Interrupted) => ExitCode::from(interrupt::EXIT_STATUS),
        Err(error) => {
            eprintln!("xtask: {error}");
            error.exit_code()
        }
    }
}

/// Carries out the command in the workspace `project`.
fn run(project: &Project, command: Command) -> Result<Status, Error> {
    Ok(match command {
        Command::Verify(args) => {
            let options = verify_options(args);
            match &options.mode {
                Mode::Exercises => {
                    exercises::verify_exercises(project, &options.filters, options.jobs)?
                }
                Mode::Explain(example) => {
                    explain::explain(project, example)?;
                    Status::Passed
                }
                Mode::Breaks => breaking::verify_breaks(project, &options)?,
                Mode::Run | Mode::List => verify::verify(project, &options)?,
            }
        }
        Command::Check {
            lesson,
            watch: false,
        } => exercises::check(project, &lesson)?,
        Command::Check {
            lesson,
            watch: true,
        } => watch::watch(project, &lesson)?,
        Command::Reset { lesson } => reset::reset(project, &lesson)?,
        Command::Timeline(subject) => timeline::timeline(project, &subject)?,
        Command::Progress => exercises::progress(project)?,
        Command::Lint => lint::lint(project)?,
        Command::Readme => readme::write_all(project)?,
        Command::Book { open, check } => {
            let after = if open {
                book::After::Open
            } else if check {
                book::After::Check
            } else {
                book::After::Nothing
            };
            book::book(project, after, default_jobs())?
        }
        Command::Models => libraries::models(project)?,
        Command::Mutants { args } => libraries::mutants(project, &args)?,
        Command::Bench { args } => libraries::bench(project, &args)?,
    })
}

/// verify's options as its commands take them; clap has already refused two modes at once.
fn verify_options(args: cli::Verify) -> verify::Options {
    let cli::Verify {
        filters,
        mode,
        jobs,
    } = args;
    let jobs = jobs.unwrap_or(if mode.breaks {
        BREAK_JOBS
    } else {
        default_jobs()
    });
    let mode = if mode.list {
        Mode::List
    } else if mode.breaks {
        Mode::Breaks
    } else if let Some(example) = mode.explain {
        Mode::Explain(example)
    } else if mode.exercises {
        Mode::Exercises
    } else {
        Mode::Run
    };
    verify::Options {
        filters,
        jobs,
        mode,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `cargo xtask <list>` does, up to the command's own work.
    fn outcome(list: &[&str]) -> Result<Status, Error> {
        let args = command_line(list);
        match cli::parse(&args) {
            Ok(cli) => run(&Project::find().unwrap(), cli.command),
            Err(error) => Err(Error::Usage(cli::one_line(
                error,
                args.get(1..).unwrap_or_default(),
            ))),
        }
    }

    /// `list` as the program's arguments, after its name.
    fn command_line(list: &[&str]) -> Vec<OsString> {
        std::iter::once("xtask")
            .chain(list.iter().copied())
            .map(OsString::from)
            .collect()
    }

    fn options(list: &[&str]) -> verify::Options {
        let mut args = vec!["verify"];
        args.extend_from_slice(list);
        match cli::parse(&command_line(&args)).unwrap().command {
            Command::Verify(args) => verify_options(args),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_use_is_an_error_that_says_what_to_do() {
        let err = |list: &[&str]| match outcome(list) {
            Err(Error::Usage(message)) => message,
            other => panic!("{list:?}: {other:?}"),
        };
        let commands = "the commands are verify, check, reset, timeline, progress, lint, readme, book, models, mutants, bench (`cargo xtask help` says what each does)";
        assert_eq!(err(&[]), format!("no command given; {commands}"));
        assert_eq!(
            err(&["timeline"]),
            "the following required arguments were not provided: <EXAMPLE|--exercise <LESSON>>; `cargo xtask help timeline` shows its forms"
        );
        assert_eq!(
            err(&["timeline", "semaphore", "--exercise", "lesson04"]),
            "the argument '[EXAMPLE]' cannot be used with '--exercise <LESSON>'; `cargo xtask help timeline` shows its forms"
        );
        assert_eq!(
            err(&["frobnicate"]),
            format!("unrecognized subcommand 'frobnicate'; {commands}")
        );
        assert_eq!(
            err(&["verfy"]),
            format!(
                "unrecognized subcommand 'verfy'; a similar subcommand exists: 'verify'; {commands}"
            )
        );
        assert_eq!(
            err(&["--fast"]),
            format!("unexpected argument '--fast' found; {commands}")
        );
        let verify_help = "`cargo xtask help verify` shows its forms";
        assert_eq!(
            err(&["verify", "--fast"]),
            format!("unexpected argument '--fast' found; {verify_help}")
        );
        assert_eq!(
            err(&["verify", "--lst"]),
            format!(
                "unexpected argument '--lst' found; a similar argument exists: '--list'; {verify_help}"
            )
        );
        assert!(err(&["verify", "--jobs"]).starts_with("a value is required for '--jobs <N>'"));
        assert!(err(&["verify", "--jobs", "0"]).contains("0 is not in 1..=256"));
        assert!(err(&["verify", "-jx"]).starts_with("invalid value 'x' for '--jobs <N>'"));
        assert!(err(&["verify", "--list=yes"]).starts_with("unexpected value 'yes' for '--list'"));
        assert!(err(&["verify", "nosuch"]).starts_with("no lesson or example named `nosuch`"));
        assert!(err(&["lint", "extra"]).starts_with("unexpected argument 'extra' found"));
        assert!(err(&["progress", "--all"]).starts_with("unexpected argument '--all' found"));
        assert!(err(&["book", "--serve"]).starts_with("unexpected argument '--serve' found"));
        assert!(
            err(&["book", "--open", "--check"])
                .starts_with("the argument '--open' cannot be used with '--check'")
        );
        assert!(err(&["book", "lesson04"]).starts_with("unexpected argument 'lesson04' found"));
        assert!(
            err(&["check"])
                .starts_with("the following required arguments were not provided: <LESSON>")
        );
        assert!(
            err(&["check", "lesson04", "lesson05"]).starts_with("unexpected argument 'lesson05'")
        );
        assert!(err(&["check", "lesson99"]).starts_with("no exercise for `lesson99`"));
        assert!(err(&["check", "--watch", "lesson99"]).starts_with("no exercise for `lesson99`"));
        assert!(
            err(&["check", "--watch"])
                .starts_with("the following required arguments were not provided: <LESSON>")
        );
        assert!(
            err(&["reset"])
                .starts_with("the following required arguments were not provided: <LESSON>")
        );
        assert!(err(&["reset", "lesson01"]).starts_with(
            "no exercise for `lesson01`; the lessons with one are: lesson02, lesson03"
        ));
        assert!(
            err(&["reset", "--watch", "lesson04"]).starts_with("unexpected argument '--watch'")
        );
        assert!(
            err(&["verify", "--explain"])
                .starts_with("a value is required for '--explain <EXAMPLE>'")
        );
        assert!(err(&["verify", "--explain", "nosuch"]).starts_with("no example named `nosuch`"));
        assert!(
            err(&["verify", "--explain", "semaphore", "lesson04"]).starts_with(
                "the argument '--explain <EXAMPLE>' cannot be used with '[LESSON|EXAMPLE]...'"
            )
        );
        // verify's modes, two at once, in either order.
        for (first, second) in [
            ("--breaks", "--list"),
            ("--exercises", "--breaks"),
            ("--list", "--exercises"),
        ] {
            assert_eq!(
                err(&["verify", first, second]),
                format!("the argument '{first}' cannot be used with '{second}'; {verify_help}")
            );
        }
        assert!(
            err(&["verify", "--exercises", "--explain", "semaphore"]).starts_with(
                "the argument '--exercises' cannot be used with '--explain <EXAMPLE>'"
            )
        );
        assert!(err(&["verify", "--breaks", "nosuch"]).starts_with("no lesson or example named"));
        assert!(err(&["verify", "--exercises", "lesson99"]).starts_with("no exercise for"));
        assert!(err(&["help", "nosuch"]).starts_with("unrecognized subcommand 'nosuch'"));
    }

    #[test]
    fn each_error_says_its_kind_where_it_is_made() {
        let dir = std::env::temp_dir().join(format!("xtask-kinds-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let write = |path: &str, text: &str| {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "lesson01/examples.txt",
            "title: T\nteaches: t\nhello | test | runs\nmalformed | test | runs\n",
        );
        write("lesson01/expected/hello.txt", "[stdout]\nhello\n");
        write("lesson01/expected/malformed.txt", "[stdout]\n{nosuch}\n");
        let project = Project::at(&dir);
        let kind = |filters: &[&str], breaks: bool| {
            let filters: Vec<String> = filters.iter().map(|f| f.to_string()).collect();
            let jobs = session::select(&project, &filters)?;
            if breaks {
                breaking::load(project.root(), jobs)?;
            }
            Ok::<(), Error>(())
        };
        let usage = |result: Result<(), Error>| match result {
            Err(Error::Usage(message)) => message,
            other => panic!("{other:?}"),
        };
        assert!(usage(kind(&["nosuch"], false)).starts_with("no lesson or example named `nosuch`"));
        assert!(
            usage(kind(&["malformed"], false))
                .starts_with("lesson01/expected/malformed.txt:2: unknown placeholder")
        );
        assert!(usage(kind(&["hello"], true)).starts_with(
            "lesson01/breaks/hello.txt is missing: every example needs at least one break"
        ));
        std::fs::remove_dir_all(&dir).unwrap();
        let gone = Project::at(&dir);
        assert_eq!(
            session::select(&gone, &[]).unwrap_err(),
            Error::failed(format!(
                "cannot read {}: No such file or directory (os error 2)",
                dir.display()
            ))
        );
    }

    #[test]
    fn options_collect_filters_and_jobs_in_every_form() {
        for jobs in [&["--jobs", "4"][..], &["--jobs=4"], &["-j", "4"], &["-j4"]] {
            let mut list = vec!["lesson02"];
            list.extend_from_slice(jobs);
            list.extend(["semaphore", "--list"]);
            let options = options(&list);
            assert_eq!(options.filters, ["lesson02", "semaphore"]);
            assert_eq!(options.jobs, 4, "{jobs:?}");
            assert_eq!(options.mode, Mode::List);
        }
        assert_eq!(
            options(&["--explain=semaphore"]).mode,
            Mode::Explain("semaphore".into())
        );
        assert_eq!(options(&["--exercises", "lesson04"]).mode, Mode::Exercises);
        assert_eq!(options(&["lesson04"]).mode, Mode::Run);
        // Unless told, verify runs eight examples per core; --breaks a round's all at once.
        assert_eq!(options(&[]).jobs, default_jobs());
        assert!(default_jobs() >= 8);
        let breaks = options(&["--breaks"]);
        assert_eq!(breaks.mode, Mode::Breaks);
        assert_eq!(breaks.jobs, BREAK_JOBS);
        assert_eq!(options(&["--breaks", "-j2"]).jobs, 2);
        // An option given twice takes its last value; filters add up.
        let twice = options(&[
            "--list", "-j2", "lesson01", "--list", "--jobs=3", "lesson02",
        ]);
        assert_eq!((twice.mode, twice.jobs), (Mode::List, 3));
        assert_eq!(twice.filters, ["lesson01", "lesson02"]);
    }

    #[test]
    fn mutants_and_bench_hand_on_their_arguments_untouched() {
        for (list, expected) in [
            (&["mutants"][..], &[][..]),
            (
                &["mutants", "--list", "--file", "x.rs"],
                &["--list", "--file", "x.rs"],
            ),
            (&["mutants", "--help"], &["--help"]),
            (
                &["mutants", "--", "--test-threads=1"],
                &["--", "--test-threads=1"],
            ),
            (&["mutants", "--list", "--", "-x"], &["--list", "--", "-x"]),
            (&["bench", "--"], &["--"]),
            (&["bench", "lock", "--quick"], &["lock", "--quick"]),
            (&["bench", "-h", "queue"], &["-h", "queue"]),
        ] {
            let handed = match cli::parse(&command_line(list)).unwrap().command {
                Command::Mutants { args } | Command::Bench { args } => args,
                other => panic!("{other:?}"),
            };
            assert_eq!(handed, expected, "{list:?}");
        }
    }

    #[test]
    fn help_is_generated_for_every_command() {
        let help = |list: &[&str]| match cli::parse(&command_line(list)) {
            Err(help) if !help.use_stderr() => help.render().to_string(),
            other => panic!("{list:?}: {other:?}"),
        };
        let top = help(&["--help"]);
        assert!(top.contains("Usage: cargo xtask <COMMAND>"), "{top}");
        for command in [
            "verify", "check", "reset", "progress", "lint", "readme", "book", "models", "mutants",
            "bench",
        ] {
            assert!(top.contains(&format!("\n  {command} ")), "{command}: {top}");
        }
        let verify = help(&["help", "verify"]);
        assert!(
            verify.contains("Usage: cargo xtask verify [OPTIONS] [LESSON|EXAMPLE]..."),
            "{verify}"
        );
        for option in [
            "--list",
            "--breaks",
            "--explain <EXAMPLE>",
            "--exercises",
            "-j, --jobs <N>",
        ] {
            assert!(verify.contains(option), "{option}: {verify}");
        }
        assert_eq!(
            help(&["verify", "-h"]).lines().next(),
            verify.lines().next()
        );
        let check = help(&["help", "check"]);
        assert!(
            check.contains("Usage: cargo xtask check [OPTIONS] <LESSON>")
                && check.contains("--watch"),
            "{check}"
        );
    }
}
