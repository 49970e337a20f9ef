//! xtask's command line, declared once: clap reads it, checks it, and writes `--help` and
//! `cargo xtask help COMMAND` from these declarations. clap's builder, not its derive: the
//! derive's proc-macro crates would lengthen a fresh clone's first `cargo xtask verify` by
//! seconds, and the declarations read as plainly either way.

use crate::cmd::timeline::Subject;
use clap::builder::RangedU64ValueParser;
use clap::error::{ContextKind, ErrorKind};
use clap::{Arg, ArgAction, ArgGroup, ArgMatches};
use std::ffi::OsString;

/// The command line, read.
#[derive(Debug)]
pub struct Cli {
    pub command: Command,
}

#[derive(Debug)]
pub enum Command {
    Verify(Verify),
    Check { lesson: String, watch: bool },
    Reset { lesson: String },
    Timeline(Subject),
    Progress,
    Lint,
    Readme,
    Book { open: bool, check: bool },
    Models,
    Mutants { args: Vec<String> },
    Bench { args: Vec<String> },
}

#[derive(Debug)]
pub struct Verify {
    pub filters: Vec<String>,
    pub mode: Mode,
    pub jobs: Option<usize>,
}

/// What verify does with the examples it picks, instead of running them: one at most.
#[derive(Debug)]
pub struct Mode {
    pub list: bool,
    pub breaks: bool,
    pub explain: Option<String>,
    pub exercises: bool,
}

/// The declaration: every command, its arguments and their help.
pub fn command() -> clap::Command {
    let flag = |name: &'static str, help: &'static str| {
        Arg::new(name)
            .long(name)
            .action(ArgAction::SetTrue)
            .help(help)
    };
    // Everything after the command, handed on untouched.
    let handed = |help: &'static str| {
        Arg::new("args")
            .value_name("ARGS")
            .num_args(0..)
            .trailing_var_arg(true)
            .allow_hyphen_values(true)
            .help(help)
    };
    clap::Command::new("xtask")
        .bin_name("cargo xtask")
        .about("The project's own tools (xtask/README.md says what each checks and how)")
        // An option given twice takes its last value, as it always has here.
        .args_override_self(true)
        .subcommand_required(true)
        .subcommand(
            clap::Command::new("verify")
                .about("Runs every example (or those named) and checks it against its expected file")
                .long_about(
                    "Runs every example (or those named) and checks it against its expected file\n\n\
                     Builds the examples once, runs them side by side, each in its own process group \
                     with a deadline, and judges each run against `lessonNN/expected/<example>.txt`. \
                     --list, --breaks, --explain and --exercises do something else with the examples \
                     picked: one of them at a time.",
                )
                .arg(
                    Arg::new("filters")
                        .value_name("LESSON|EXAMPLE")
                        .num_args(0..)
                        .help("Lessons (lesson04) or examples (semaphore) to pick; with none, every example"),
                )
                .arg(flag("list", "Lists the picked examples, without running them"))
                .arg(flag("breaks", "Applies each example's breaks in a scratch copy; each must turn verify red"))
                .arg(
                    Arg::new("explain")
                        .long("explain")
                        .value_name("EXAMPLE")
                        .conflicts_with("filters")
                        .help("Says what each check of EXAMPLE proves and which break it catches"),
                )
                .arg(flag(
                    "exercises",
                    "Requires each exercise's solution to pass and each exercise as shipped to fail",
                ))
                .group(
                    ArgGroup::new("mode")
                        .args(["list", "breaks", "explain", "exercises"])
                        .multiple(false),
                )
                .arg(
                    Arg::new("jobs")
                        .short('j')
                        .long("jobs")
                        .value_name("N")
                        .value_parser(RangedU64ValueParser::<usize>::new().range(1..=256))
                        .help("How many examples run at once (default: eight per core; with --breaks, 64)"),
                ),
        )
        .subcommand(
            clap::Command::new("check")
                .about("Checks your lessonNN/exercise.rs and says what is still missing")
                .arg(
                    Arg::new("lesson")
                        .value_name("LESSON")
                        .required(true)
                        .help("The lesson whose exercise to check, e.g. lesson04"),
                )
                .arg(flag(
                    "watch",
                    "Checks again after every save of the file, until q + Enter or Ctrl-C",
                )),
        )
        .subcommand(
            clap::Command::new("reset")
                .about("Puts your lessonNN/exercise.rs back as shipped, keeping yours beside it")
                .arg(
                    Arg::new("lesson")
                        .value_name("LESSON")
                        .required(true)
                        .help("The lesson whose exercise to reset, e.g. lesson04"),
                ),
        )
        .subcommand(
            clap::Command::new("timeline")
                .about("Runs one example (or your exercise) once and draws its threads and processes over time")
                .arg(
                    Arg::new("example")
                        .value_name("EXAMPLE")
                        .help("The example to run and draw, e.g. semaphore"),
                )
                .arg(
                    Arg::new("exercise")
                        .long("exercise")
                        .value_name("LESSON")
                        .help("Draws your lessonNN/exercise.rs instead, e.g. lesson04"),
                )
                .group(
                    ArgGroup::new("subject")
                        .args(["example", "exercise"])
                        .required(true),
                ),
        )
        .subcommand(
            clap::Command::new("progress")
                .about("Checks every exercise: how many are done, and the next one"),
        )
        .subcommand(clap::Command::new("lint").about(
            "Checks that each lesson's list, binaries, expected and break files and README agree",
        ))
        .subcommand(
            clap::Command::new("readme")
                .about("Writes each lesson README's examples table from its examples.txt"),
        )
        .subcommand(
            clap::Command::new("book")
                .about("Builds the course as an mdBook (in the target directory's book/html)")
                .arg(flag("open", "Opens the book in a browser once built").conflicts_with("check"))
                .arg(flag("check", "Opens every page in headless Chromium and checks it")),
        )
        .subcommand(
            clap::Command::new("models").about("Model-checks the lesson libraries with shuttle"),
        )
        .subcommand(
            clap::Command::new("mutants")
                .about("Runs cargo-mutants over the lesson libraries (their tests must catch each mutant)")
                .disable_help_flag(true)
                .arg(handed(
                    "Handed to cargo-mutants as given, e.g. `--file lesson05/src/queue.rs` or `--list`",
                )),
        )
        .subcommand(
            clap::Command::new("bench")
                .about("Measures the lesson libraries against std, parking_lot, crossbeam, threadpool, rayon and CPython")
                .disable_help_flag(true)
                .arg(handed(
                    "Handed to the bench program as given: sections (`lock`, `queue`, ...) and `--quick`",
                )),
        )
}

/// Reads the command line: `args`, the program's name first.
pub fn parse(args: &[OsString]) -> Result<Cli, clap::Error> {
    let matches = command().try_get_matches_from(args)?;
    let (name, sub) = matches
        .subcommand()
        .expect("the declaration requires a command");
    let strings = |sub: &ArgMatches, id: &str| -> Vec<String> {
        sub.get_many::<String>(id)
            .map(|values| values.cloned().collect())
            .unwrap_or_default()
    };
    // clap takes a `--` right after `mutants` or `bench` as its own end of options and drops
    // it, where cargo-mutants reads `-- ARGS` as arguments for cargo test: it is handed on as
    // typed. (clap keeps any later `--` as a value; the command is always `args[1]`, since
    // `cargo xtask` takes no option of its own before it but `--help`.)
    let handed = |sub: &ArgMatches| {
        let mut handed = strings(sub, "args");
        if args.get(2).is_some_and(|arg| arg == "--") {
            handed.insert(0, "--".to_string());
        }
        handed
    };
    let lesson = |sub: &ArgMatches| {
        sub.get_one::<String>("lesson")
            .cloned()
            .expect("the declaration requires a lesson")
    };
    let command = match name {
        "verify" => Command::Verify(Verify {
            filters: strings(sub, "filters"),
            mode: Mode {
                list: sub.get_flag("list"),
                breaks: sub.get_flag("breaks"),
                explain: sub.get_one::<String>("explain").cloned(),
                exercises: sub.get_flag("exercises"),
            },
            jobs: sub.get_one::<usize>("jobs").copied(),
        }),
        "check" => Command::Check {
            lesson: lesson(sub),
            watch: sub.get_flag("watch"),
        },
        "reset" => Command::Reset {
            lesson: lesson(sub),
        },
        "timeline" => Command::Timeline(match sub.get_one::<String>("exercise") {
            Some(lesson) => Subject::Exercise(lesson.clone()),
            None => Subject::Example(
                sub.get_one::<String>("example")
                    .cloned()
                    .expect("the declaration requires an example or an exercise"),
            ),
        }),
        "progress" => Command::Progress,
        "lint" => Command::Lint,
        "readme" => Command::Readme,
        "book" => Command::Book {
            open: sub.get_flag("open"),
            check: sub.get_flag("check"),
        },
        "models" => Command::Models,
        "mutants" => Command::Mutants { args: handed(sub) },
        "bench" => Command::Bench { args: handed(sub) },
        other => unreachable!("`{other}` is not declared"),
    };
    Ok(Cli { command })
}

/// clap's error as one line that says what to do: clap's message, its "did you mean"
/// suggestion when it has one, and where the forms are. clap's own rendering adds a usage
/// block and, for an unknown option, a tip to pass it after `--`, which here would only make
/// it an unknown lesson. `args` are the arguments as given, to name the command's help.
pub fn one_line(mut error: clap::Error, args: &[OsString]) -> String {
    error.remove(ContextKind::Usage);
    error.remove(ContextKind::Suggested);
    let commands = command();
    let names: Vec<&str> = commands.get_subcommands().map(|c| c.get_name()).collect();
    let text = error.render().to_string();
    // Paragraphs: the message, then the suggestions, then clap's pointer to --help.
    let mut parts = text
        .split("\n\n")
        .map(|part| part.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|part| !part.is_empty() && !part.starts_with("For more information"));
    let message = parts.next().unwrap_or_default();
    let message = match error.kind() {
        // Its message names the program and lists the commands, which the end of the line does.
        ErrorKind::MissingSubcommand => "no command given",
        _ => message.strip_prefix("error: ").unwrap_or(&message),
    };
    let suggestions: Vec<String> = parts
        .flat_map(|part| {
            part.split("tip: ")
                .map(str::trim)
                .filter(|tip| !tip.is_empty())
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    let command = args
        .iter()
        .filter_map(|arg| arg.to_str())
        .find(|arg| !arg.starts_with('-'))
        .filter(|arg| names.contains(arg));
    let help = match command {
        Some(command) => format!("`cargo xtask help {command}` shows its forms"),
        None => format!(
            "the commands are {} (`cargo xtask help` says what each does)",
            names.join(", ")
        ),
    };
    let mut line = vec![message.to_string()];
    line.extend(suggestions);
    line.push(help);
    line.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declaration_is_consistent() {
        command().debug_assert();
    }
}
