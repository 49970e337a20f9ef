//! `cargo xtask`: the project's own tools.
//!
//! - `cargo xtask verify [FILTER...] [--list] [--jobs N]`: run every example (or those of the
//!   lessons and examples named) and check each against `lessonNN/expected/<example>.txt`.
//! - `cargo xtask verify --breaks [FILTER...]`: apply each example's breaks
//!   (`lessonNN/breaks/<example>.txt`) in a scratch copy and require verify to turn red.
//! - `cargo xtask verify --explain EXAMPLE`: what each check of the example proves, and which
//!   break it catches.
//! - `cargo xtask lint`: check that each lesson's list, binaries, expected files and README agree.
//! - `cargo xtask models`: model-check the lesson libraries with shuttle.
//! - `cargo xtask mutants`: run cargo-mutants over the lesson libraries.
//!
//! Bad use gets one line saying what to do, and exit status 2.

mod breaking;
mod breaks;
mod checks;
mod explain;
mod interrupt;
mod libraries;
mod lint;
mod matcher;
mod pattern;
mod report;
mod runner;
mod scratch;
mod spec;
mod verdict;
mod verify;
mod workspace;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask verify [LESSON|EXAMPLE...] [--list] [--jobs N]
       cargo xtask verify --breaks [LESSON|EXAMPLE...] [--jobs N]
       cargo xtask verify --explain EXAMPLE
       cargo xtask lint
       cargo xtask models
       cargo xtask mutants [CARGO-MUTANTS ARGS...]

verify            runs every example and checks it against its expected file (xtask/README.md)
verify --breaks   applies each example's breaks in a scratch copy; each must turn verify red
verify --explain  says what each check of an example proves and which break it catches
lint              checks that each lesson's examples.txt, src/bin, expected and break files and README agree
models            model-checks the lesson libraries with shuttle (every interleaving that matters)
mutants           runs cargo-mutants over the lesson libraries (their tests must catch each mutant)";

/// Examples mostly sleep, and those that compute compare like with like in the same run, so
/// all of them run at once.
const DEFAULT_JOBS: usize = 64;

fn main() -> ExitCode {
    match arguments(std::env::args_os().skip(1)).and_then(|args| run(&args)) {
        Ok(verify::Status::Passed) => ExitCode::SUCCESS,
        Ok(verify::Status::Failed) => ExitCode::FAILURE,
        Ok(verify::Status::Interrupted) => ExitCode::from(interrupt::EXIT_STATUS),
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::from(2)
        }
    }
}

/// The arguments as text; `std::env::args` would panic on one that is not UTF-8.
fn arguments(raw: impl Iterator<Item = std::ffi::OsString>) -> Result<Vec<String>, String> {
    raw.map(|arg| {
        arg.into_string()
            .map_err(|bad| format!("the argument {bad:?} is not UTF-8 text"))
    })
    .collect()
}

fn run(args: &[String]) -> Result<verify::Status, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err(
            "no command given; use `cargo xtask verify` or `cargo xtask lint` (`cargo xtask help`)"
                .into(),
        );
    };
    match command.as_str() {
        "verify" => {
            let options = verify_options(rest)?;
            if let Some(example) = &options.explain {
                explain::explain(example).map(|()| verify::Status::Passed)
            } else if options.breaks {
                breaking::verify_breaks(&options)
            } else {
                verify::verify(&options)
            }
        }
        "lint" => {
            if let Some(extra) = rest.first() {
                return Err(format!("`lint` takes no arguments, got `{extra}`"));
            }
            let problems = lint::problems(&workspace::root())?;
            for problem in &problems {
                println!("{problem}");
            }
            if problems.is_empty() {
                println!("lint: every lesson's list, binaries, expected files and READMEs agree");
            } else {
                println!("lint: {} problem(s)", problems.len());
            }
            Ok(if problems.is_empty() {
                verify::Status::Passed
            } else {
                verify::Status::Failed
            })
        }
        "models" => {
            if let Some(extra) = rest.first() {
                return Err(format!("`models` takes no arguments, got `{extra}`"));
            }
            libraries::models()
        }
        "mutants" => libraries::mutants(rest),
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            Ok(verify::Status::Passed)
        }
        other => Err(format!(
            "unknown command `{other}`; use `verify`, `lint`, `models` or `mutants` (`cargo xtask help`)"
        )),
    }
}

fn verify_options(args: &[String]) -> Result<verify::Options, String> {
    let mut options = verify::Options {
        jobs: DEFAULT_JOBS,
        ..Default::default()
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--list" => options.list = true,
            "--breaks" => options.breaks = true,
            "--explain" => {
                let example = args
                    .next()
                    .filter(|a| !a.starts_with('-'))
                    .ok_or("`--explain` needs an example, e.g. `--explain semaphore`")?;
                options.explain = Some(example.clone());
            }
            "--jobs" | "-j" => {
                let value = args
                    .next()
                    .ok_or("`--jobs` needs a number, e.g. `--jobs 4`")?;
                options.jobs = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=256).contains(n))
                    .ok_or_else(|| {
                        format!("`--jobs {value}`: give a whole number from 1 to 256")
                    })?;
            }
            flag if flag.starts_with('-') => {
                return Err(format!(
                    "unknown option `{flag}` for verify; use --list, --jobs N, --breaks or --explain EXAMPLE (`cargo xtask help`)"
                ));
            }
            filter => options.filters.push(filter.to_string()),
        }
    }
    let modes = [options.list, options.breaks, options.explain.is_some()];
    if modes.iter().filter(|m| **m).count() > 1 {
        return Err("use one of --list, --breaks and --explain at a time".into());
    }
    if options.explain.is_some() && !options.filters.is_empty() {
        return Err("`--explain` takes one example and no other filter".into());
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn bad_use_is_an_error_that_says_what_to_do() {
        let err = |list: &[&str]| run(&args(list)).unwrap_err();
        assert!(err(&[]).starts_with("no command given"));
        assert!(err(&["frobnicate"]).starts_with("unknown command `frobnicate`"));
        assert!(err(&["verify", "--fast"]).starts_with("unknown option `--fast`"));
        assert!(err(&["verify", "--jobs"]).contains("needs a number"));
        assert!(err(&["verify", "--jobs", "0"]).contains("from 1 to 256"));
        assert!(err(&["verify", "nosuch"]).starts_with("no lesson or example named `nosuch`"));
        assert!(err(&["lint", "extra"]).contains("takes no arguments"));
        assert!(err(&["verify", "--explain"]).contains("needs an example"));
        assert!(err(&["verify", "--explain", "nosuch"]).contains("no example named `nosuch`"));
        assert!(err(&["verify", "--breaks", "--list"]).contains("one of --list"));
        assert!(err(&["verify", "--breaks", "nosuch"]).starts_with("no lesson or example named"));
    }

    #[test]
    fn an_argument_that_is_not_utf8_is_an_error() {
        use std::os::unix::ffi::OsStringExt;
        let raw = vec!["verify".into(), std::ffi::OsString::from_vec(vec![0xff])];
        assert!(
            arguments(raw.into_iter())
                .unwrap_err()
                .contains("is not UTF-8")
        );
    }

    #[test]
    fn options_collect_filters_and_jobs() {
        let options =
            verify_options(&args(&["lesson02", "--jobs", "4", "semaphore", "--list"])).unwrap();
        assert_eq!(options.filters, ["lesson02", "semaphore"]);
        assert_eq!(options.jobs, 4);
        assert!(options.list);
    }
}
