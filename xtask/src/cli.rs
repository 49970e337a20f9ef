//! xtask's command line, declared once: clap reads it, checks it, and writes `--help` and
//! `cargo xtask help COMMAND` from these declarations.

use clap::builder::RangedU64ValueParser;
use clap::error::{ContextKind, ErrorKind};
use clap::{Args, CommandFactory, Parser, Subcommand};
use std::ffi::OsString;

/// The project's own tools (xtask/README.md says what each checks and how).
#[derive(Debug, Parser)]
// No command is bad use like any other, one line on stderr, rather than the whole help. An
// option given twice takes its last value, as it always has here.
#[command(
    bin_name = "cargo xtask",
    arg_required_else_help = false,
    args_override_self = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs every example (or those named) and checks it against its expected file
    ///
    /// Builds the examples once, runs them side by side, each in its own process group with a
    /// deadline, and judges each run against `lessonNN/expected/<example>.txt`. --list,
    /// --breaks, --explain and --exercises do something else with the examples picked: one
    /// of them at a time.
    Verify(Verify),
    /// Checks your lessonNN/exercise.rs and says what is still missing
    Check {
        /// The lesson whose exercise to check, e.g. lesson04
        lesson: String,
    },
    /// Checks every exercise: how many are done, and the next one
    Progress,
    /// Checks that each lesson's list, binaries, expected and break files and README agree
    Lint,
    /// Writes each lesson README's examples table from its examples.txt
    Readme,
    /// Builds the course as an mdBook (in the target directory's book/html)
    Book {
        /// Opens the book in a browser once built
        #[arg(long, conflicts_with = "check")]
        open: bool,
        /// Opens every page in headless Chromium and checks it
        #[arg(long)]
        check: bool,
    },
    /// Model-checks the lesson libraries with shuttle
    Models,
    /// Runs cargo-mutants over the lesson libraries (their tests must catch each mutant)
    #[command(disable_help_flag = true)]
    Mutants {
        /// Handed to cargo-mutants as given, e.g. `--file lesson05/src/queue.rs` or `--list`
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Measures the lesson libraries against std, parking_lot, crossbeam, threadpool, rayon
    /// and CPython
    #[command(disable_help_flag = true)]
    Bench {
        /// Handed to the bench program as given: sections (`lock`, `queue`, ...) and `--quick`
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub struct Verify {
    /// Lessons (lesson04) or examples (semaphore) to pick; with none, every example
    #[arg(value_name = "LESSON|EXAMPLE")]
    pub filters: Vec<String>,
    #[command(flatten)]
    pub mode: Mode,
    /// How many examples run at once (default: four per core; with --breaks, 64)
    #[arg(short, long, value_name = "N", value_parser = RangedU64ValueParser::<usize>::new().range(1..=256))]
    pub jobs: Option<usize>,
}

/// What verify does with the examples it picks, instead of running them: one at most.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub struct Mode {
    /// Lists the picked examples, without running them
    #[arg(long)]
    pub list: bool,
    /// Applies each example's breaks in a scratch copy; each must turn verify red
    #[arg(long)]
    pub breaks: bool,
    /// Says what each check of EXAMPLE proves and which break it catches
    #[arg(long, value_name = "EXAMPLE", conflicts_with = "filters")]
    pub explain: Option<String>,
    /// Requires each exercise's solution to pass and each exercise as shipped to fail
    #[arg(long)]
    pub exercises: bool,
}

/// Reads the command line: `args`, the program's name first.
pub fn parse(args: &[OsString]) -> Result<Cli, clap::Error> {
    let mut cli = Cli::try_parse_from(args)?;
    // clap takes a `--` right after `mutants` or `bench` as its own end of options and drops
    // it, where cargo-mutants reads `-- ARGS` as arguments for cargo test: it is handed on as
    // typed. (clap keeps any later `--` as a value; the command is always `args[1]`, since
    // `cargo xtask` takes no option of its own before it but `--help`.)
    if let Command::Mutants { args: handed } | Command::Bench { args: handed } = &mut cli.command
        && args.get(2).is_some_and(|arg| arg == "--")
    {
        handed.insert(0, "--".to_string());
    }
    Ok(cli)
}

/// clap's error as one line that says what to do: clap's message, its "did you mean"
/// suggestion when it has one, and where the forms are. clap's own rendering adds a usage
/// block and, for an unknown option, a tip to pass it after `--`, which here would only make
/// it an unknown lesson. `args` are the arguments as given, to name the command's help.
pub fn one_line(mut error: clap::Error, args: &[OsString]) -> String {
    error.remove(ContextKind::Usage);
    error.remove(ContextKind::Suggested);
    let commands = Cli::command();
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
        Cli::command().debug_assert();
    }
}
