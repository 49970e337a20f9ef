//! `cargo xtask`: the project's own tools.
//!
//! - `cargo xtask verify [FILTER...] [--list] [--jobs N]`: run every example (or those of the
//!   lessons and examples named) and check each against `lessonNN/expected/<example>.txt`.
//! - `cargo xtask verify --breaks [FILTER...]`: apply each example's breaks
//!   (`lessonNN/breaks/<example>.txt`) in a scratch copy and require verify to turn red.
//! - `cargo xtask verify --explain EXAMPLE`: what each check of the example proves, and which
//!   break it catches.
//! - `cargo xtask verify --exercises`: every exercise's solution passes, every exercise as
//!   shipped fails with a hint.
//! - `cargo xtask check LESSON`: check the learner's `lessonNN/exercise.rs`, say what is missing.
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
//! Bad use gets one line saying what to do, and exit status 2.

// The book needs its parsers (crates/booktools), which only xtask built with its `book`
// feature has; without them, `cargo xtask book` relaunches xtask with it (book/relaunch.rs).
#[cfg(feature = "book")]
mod book;
#[cfg(not(feature = "book"))]
#[path = "book/relaunch.rs"]
mod book;
mod cmd;
mod project;
mod session;

use checker::run::interrupt;
use cmd::{breaks as breaking, exercises, explain, libraries, lint, readme, verify};
use course::args::{Arg, Args};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask verify [LESSON|EXAMPLE...] [--list] [--jobs N]
       cargo xtask verify --breaks [LESSON|EXAMPLE...] [--jobs N]
       cargo xtask verify --explain EXAMPLE
       cargo xtask verify --exercises [LESSON...] [--jobs N]
       cargo xtask check LESSON
       cargo xtask progress
       cargo xtask lint
       cargo xtask readme
       cargo xtask book [--open | --check]
       cargo xtask models
       cargo xtask mutants [CARGO-MUTANTS ARGS...]
       cargo xtask bench [SECTION...] [--quick]

verify            runs every example and checks it against its expected file (xtask/README.md)
verify --breaks   applies each example's breaks in a scratch copy; each must turn verify red
verify --explain  says what each check of an example proves and which break it catches
verify --exercises  requires each exercise's solution to pass and the exercise as shipped to fail
check             checks your lessonNN/exercise.rs and says what is still missing
progress          checks every exercise: how many are done, and the next one
lint              checks that each lesson's examples.txt, src/bin, expected and break files and README agree
readme            writes each lesson README's examples table from its examples.txt
book              builds the course as an mdBook (target/book/html); --open opens it, --check opens every page in headless Chromium
models            model-checks the lesson libraries with shuttle (exhaustively or by sampling)
mutants           runs cargo-mutants over the lesson libraries (their tests must catch each mutant)
bench             measures the lesson libraries against std, parking_lot, crossbeam, threadpool, rayon and CPython";

/// How many examples verify, `--exercises` and the book run at once unless told: four per
/// core. Examples mostly sleep, and those that compute compare like with like in the same
/// run, so more run at once than there are cores; but not all at once: dozens starting
/// together beside other busy programs starve verify's own readers, which then time a line
/// up to half a second after it was printed, and a gap between two lines looks shorter than
/// it was.
fn default_jobs() -> usize {
    4 * std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// `--breaks` runs all of a round's broken examples at once: a broken run only has to fail,
/// and the time of its lines matters less than the rounds' total.
const BREAK_JOBS: usize = 64;

fn main() -> ExitCode {
    match Args::from_env().and_then(run) {
        Ok(session::Status::Passed) => ExitCode::SUCCESS,
        Ok(session::Status::Failed) => ExitCode::FAILURE,
        Ok(session::Status::Interrupted) => ExitCode::from(interrupt::EXIT_STATUS),
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(mut args: Args) -> Result<session::Status, String> {
    let command = match args.next_arg()? {
        Some(Arg::Word(command)) => command,
        Some(Arg::Option(flag)) if flag == "-h" || flag == "--help" => "help".into(),
        Some(Arg::Option(flag)) => {
            return Err(format!(
                "unknown option `{flag}`; name a command first, e.g. `cargo xtask verify` (`cargo xtask help`)"
            ));
        }
        None => {
            return Err(
                "no command given; use `cargo xtask verify` or `cargo xtask lint` (`cargo xtask help`)"
                    .into(),
            );
        }
    };
    match command.as_str() {
        "verify" => {
            let options = verify_options(args)?;
            if options.exercises {
                exercises::verify_exercises(&options.filters, options.jobs)
            } else if let Some(example) = &options.explain {
                explain::explain(example).map(|()| session::Status::Passed)
            } else if options.breaks {
                breaking::verify_breaks(&options)
            } else {
                verify::verify(&options)
            }
        }
        "check" => match words(args, "check")?.as_slice() {
            [lesson] => exercises::check(lesson),
            _ => Err("`check` takes one lesson, e.g. `cargo xtask check lesson04`".into()),
        },
        "progress" => {
            no_arguments(args, "progress")?;
            exercises::progress()
        }
        "lint" => {
            no_arguments(args, "lint")?;
            lint::lint()
        }
        "book" => {
            let mut after = book::After::Nothing;
            while let Some(arg) = args.next_arg()? {
                after = match arg {
                    Arg::Option(flag) if flag == "--open" && after == book::After::Nothing => {
                        book::After::Open
                    }
                    Arg::Option(flag) if flag == "--check" && after == book::After::Nothing => {
                        book::After::Check
                    }
                    Arg::Option(flag) if flag == "--open" || flag == "--check" => {
                        return Err("use one of --open and --check at a time".into());
                    }
                    Arg::Option(flag) => {
                        return Err(format!(
                            "unknown option `{flag}` for book; use --open or --check"
                        ));
                    }
                    Arg::Word(word) => {
                        return Err(format!("`book` takes no lesson or example, got `{word}`"));
                    }
                };
            }
            book::book(after, default_jobs())
        }
        "readme" => {
            no_arguments(args, "readme")?;
            readme::write_all()
        }
        "models" => {
            no_arguments(args, "models")?;
            libraries::models()
        }
        "mutants" => libraries::mutants(&args.remaining()?),
        "bench" => libraries::bench(&args.remaining()?),
        "help" => {
            no_arguments(args, "help")?;
            println!("{USAGE}");
            Ok(session::Status::Passed)
        }
        other => Err(format!(
            "unknown command `{other}`; use `verify`, `check`, `progress`, `lint`, `readme`, `book`, `models`, `mutants` or `bench` (`cargo xtask help`)"
        )),
    }
}

/// The remaining arguments, which must all be words.
fn words(mut args: Args, command: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    while let Some(arg) = args.next_arg()? {
        match arg {
            Arg::Word(word) => words.push(word),
            Arg::Option(flag) => {
                return Err(format!(
                    "unknown option `{flag}` for {command} (`cargo xtask help`)"
                ));
            }
        }
    }
    Ok(words)
}

fn no_arguments(args: Args, command: &str) -> Result<(), String> {
    match words(args, command)?.first() {
        Some(extra) => Err(format!("`{command}` takes no arguments, got `{extra}`")),
        None => Ok(()),
    }
}

fn verify_options(mut args: Args) -> Result<verify::Options, String> {
    let mut options = verify::Options::default();
    let mut jobs = None;
    while let Some(arg) = args.next_arg()? {
        let flag = match arg {
            Arg::Word(filter) => {
                options.filters.push(filter);
                continue;
            }
            Arg::Option(flag) => flag,
        };
        match flag.as_str() {
            "--list" => options.list = true,
            "--breaks" => options.breaks = true,
            "--exercises" => options.exercises = true,
            "--explain" => {
                let example = args
                    .value("--explain")
                    .map_err(|_| "`--explain` needs an example, e.g. `--explain semaphore`")?;
                options.explain = Some(example);
            }
            "--jobs" | "-j" => jobs = Some(args.number(&flag, 1..=256)?),
            _ => {
                return Err(format!(
                    "unknown option `{flag}` for verify; use --list, --jobs N, --breaks, --exercises or --explain EXAMPLE (`cargo xtask help`)"
                ));
            }
        }
    }
    let modes = [
        options.list,
        options.breaks,
        options.explain.is_some(),
        options.exercises,
    ];
    if modes.iter().filter(|m| **m).count() > 1 {
        return Err("use one of --list, --breaks, --explain and --exercises at a time".into());
    }
    if options.explain.is_some() && !options.filters.is_empty() {
        return Err("`--explain` takes one example and no other filter".into());
    }
    options.jobs = jobs.unwrap_or(if options.breaks {
        BREAK_JOBS
    } else {
        default_jobs()
    });
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Args {
        Args::new(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn bad_use_is_an_error_that_says_what_to_do() {
        let err = |list: &[&str]| run(args(list)).unwrap_err();
        assert!(err(&[]).starts_with("no command given"));
        assert!(err(&["frobnicate"]).starts_with("unknown command `frobnicate`"));
        assert!(err(&["--fast"]).starts_with("unknown option `--fast`"));
        assert!(err(&["verify", "--fast"]).starts_with("unknown option `--fast`"));
        assert!(err(&["verify", "--jobs"]).contains("needs a value"));
        assert!(err(&["verify", "--jobs", "0"]).contains("from 1 to 256"));
        assert!(err(&["verify", "--list=yes"]).contains("takes no value"));
        assert!(err(&["verify", "nosuch"]).starts_with("no lesson or example named `nosuch`"));
        assert!(err(&["lint", "extra"]).contains("takes no arguments"));
        assert!(err(&["progress", "--all"]).contains("unknown option `--all`"));
        assert!(err(&["book", "--serve"]).contains("unknown option `--serve`"));
        assert!(err(&["book", "--open", "--check"]).contains("one of --open and --check"));
        assert!(err(&["book", "lesson04"]).contains("takes no lesson"));
        assert!(err(&["check"]).contains("takes one lesson"));
        assert!(err(&["check", "lesson04", "lesson05"]).contains("takes one lesson"));
        assert!(err(&["check", "lesson99"]).starts_with("no exercise for `lesson99`"));
        assert!(err(&["verify", "--explain"]).contains("needs an example"));
        assert!(err(&["verify", "--explain", "nosuch"]).contains("no example named `nosuch`"));
        assert!(err(&["verify", "--breaks", "--list"]).contains("one of --list"));
        assert!(err(&["verify", "--exercises", "--breaks"]).contains("one of --list"));
        assert!(err(&["verify", "--breaks", "nosuch"]).starts_with("no lesson or example named"));
        assert!(err(&["verify", "--exercises", "lesson99"]).starts_with("no exercise for"));
    }

    #[test]
    fn options_collect_filters_and_jobs_in_every_form() {
        for jobs in [&["--jobs", "4"][..], &["--jobs=4"], &["-j", "4"], &["-j4"]] {
            let mut list = vec!["lesson02"];
            list.extend_from_slice(jobs);
            list.extend(["semaphore", "--list"]);
            let options = verify_options(args(&list)).unwrap();
            assert_eq!(options.filters, ["lesson02", "semaphore"]);
            assert_eq!(options.jobs, 4, "{jobs:?}");
            assert!(options.list);
        }
        let options = verify_options(args(&["--explain=semaphore"])).unwrap();
        assert_eq!(options.explain.as_deref(), Some("semaphore"));
        // Unless told, verify runs four examples per core; --breaks a round's all at once.
        assert_eq!(verify_options(args(&[])).unwrap().jobs, default_jobs());
        assert!(default_jobs() >= 4);
        assert_eq!(
            verify_options(args(&["--breaks"])).unwrap().jobs,
            BREAK_JOBS
        );
        assert_eq!(verify_options(args(&["--breaks", "-j2"])).unwrap().jobs, 2);
    }
}
