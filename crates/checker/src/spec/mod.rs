//! Parses an expected file (`lessonNN/expected/<example>.txt`); the language is described in
//! the crate's README. Every error names the file and line and says what to write instead.

pub mod checks;
pub mod pattern;
pub mod words;

use crate::ParseError;
use crate::spec::checks::Check;
use crate::spec::pattern::Pattern;
use crate::spec::words::{Token, tokenize};
use nix::sys::signal::Signal;
use std::time::Duration;

/// Everything an expected file says about one example.
#[derive(Debug, Clone)]
pub struct Spec {
    pub run: RunSpec,
    pub stdout: Vec<Item>,
    pub stderr: Vec<Item>,
    pub never: Vec<Located<Pattern>>,
    pub checks: Vec<Located<Check>>,
}

/// How to run the example.
#[derive(Debug, Clone)]
pub struct RunSpec {
    pub exit: i32,
    pub deadline: Duration,
    pub signal: Option<SignalPlan>,
}

impl Default for RunSpec {
    fn default() -> Self {
        RunSpec {
            exit: 0,
            deadline: Duration::from_secs(20),
            signal: None,
        }
    }
}

/// A signal verify sends to the example's process group.
#[derive(Debug, Clone)]
pub struct SignalPlan {
    pub signal: Signal,
    pub when: SignalWhen,
}

#[derive(Debug, Clone)]
pub enum SignalWhen {
    /// Seconds after the start.
    At(f64),
    /// Seconds after the first line matching the pattern.
    After(Pattern, f64),
}

/// Something with the line of the expected file it came from, and the `#` comment lines
/// right above it (the file's own words for why it is there).
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub item: T,
    pub line: usize,
    pub comment: String,
}

/// One step of a stream's expected lines.
#[derive(Debug, Clone)]
pub enum Item {
    /// A pattern matching `min..=max` consecutive lines.
    Line(Entry),
    /// Patterns whose lines may come in any order; `line` is that of `@any-order`.
    AnyOrder { entries: Vec<Entry>, line: usize },
}

/// A pattern with its repetition count.
#[derive(Debug, Clone)]
pub struct Entry {
    pub pattern: Pattern,
    pub min: usize,
    pub max: usize,
    pub line: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    None,
    Run,
    Stdout,
    Stderr,
    Never,
    Checks,
}

/// Parses the text of an expected file; `name` (its path) prefixes every error.
pub fn parse(name: &str, text: &str) -> Result<Spec, ParseError> {
    let mut spec = Spec {
        run: RunSpec::default(),
        stdout: Vec::new(),
        stderr: Vec::new(),
        never: Vec::new(),
        checks: Vec::new(),
    };
    let mut section = Section::None;
    let mut seen: Vec<&str> = Vec::new();
    // The any-order block being read, with the line that opened it.
    let mut block: Option<(Vec<Entry>, usize)> = None;
    // The comment lines read since the last line of another kind.
    let mut comment = String::new();
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let fail = |reason: String| ParseError::at(name, number, reason);
        let line = raw.trim_end();
        if let Some(words) = line.strip_prefix('#') {
            if !comment.is_empty() {
                comment.push(' ');
            }
            comment.push_str(words.trim());
            continue;
        }
        if line.trim().is_empty() {
            comment.clear();
            continue;
        }
        let comment = std::mem::take(&mut comment);
        if line.starts_with('[') {
            if let Some((_, opened)) = block {
                return Err(fail(format!(
                    "`@any-order` of line {opened} is not closed with `@end`"
                )));
            }
            section = match line {
                "[run]" => Section::Run,
                "[stdout]" => Section::Stdout,
                "[stderr]" => Section::Stderr,
                "[never]" => Section::Never,
                "[checks]" => Section::Checks,
                other => {
                    return Err(fail(format!(
                        "unknown section `{other}`; use [run], [stdout], [stderr], [never] or [checks] (`\\[` starts a literal line)"
                    )));
                }
            };
            if seen.contains(&line) {
                return Err(fail(format!(
                    "a second `{line}` section; merge them into one"
                )));
            }
            seen.push(line);
            continue;
        }
        match section {
            Section::None => {
                return Err(fail(
                    "text before any section; start with a header such as `[stdout]`".into(),
                ));
            }
            Section::Run => parse_run_line(line, &mut spec.run).map_err(fail)?,
            Section::Checks => {
                let tokens = tokenize(line).map_err(fail)?;
                let (first, args) = tokens.split_first().expect("a non-blank line has a token");
                let Token::Bare(check_name) = first else {
                    return Err(fail(
                        "a check starts with its name, not a quoted pattern".into(),
                    ));
                };
                let check = Check::parse(check_name, args).map_err(fail)?;
                // A break file names a check by its line: two alike could not be told apart.
                if let Some(twin) = spec.checks.iter().find(|c| c.item.id() == check.id()) {
                    return Err(fail(format!(
                        "`{check}` is line {}'s check again; write each check once",
                        twin.line
                    )));
                }
                spec.checks.push(Located {
                    item: check,
                    line: number,
                    comment,
                });
            }
            Section::Never => {
                let pattern = Pattern::parse(&unescape(line)).map_err(fail)?;
                spec.never.push(Located {
                    item: pattern,
                    line: number,
                    comment,
                });
            }
            Section::Stdout | Section::Stderr => {
                let items = if section == Section::Stdout {
                    &mut spec.stdout
                } else {
                    &mut spec.stderr
                };
                match line {
                    "@any-order" => {
                        if block.is_some() {
                            return Err(fail("`@any-order` blocks do not nest".into()));
                        }
                        block = Some((Vec::new(), number));
                    }
                    "@end" => match block.take() {
                        Some((entries, line)) if !entries.is_empty() => {
                            items.push(Item::AnyOrder { entries, line })
                        }
                        Some(_) => return Err(fail("empty `@any-order` block".into())),
                        None => return Err(fail("`@end` without `@any-order`".into())),
                    },
                    _ => {
                        let entry = parse_entry(line, number).map_err(fail)?;
                        match &mut block {
                            Some((entries, _)) => entries.push(entry),
                            None => items.push(Item::Line(entry)),
                        }
                    }
                }
            }
        }
    }
    if let Some((_, opened)) = block {
        return Err(ParseError::at(
            name,
            opened,
            "`@any-order` is not closed with `@end`",
        ));
    }
    check_captures_exist(name, &spec)?;
    Ok(spec)
}

/// A check that reads a capture no pattern makes would fail on every run: say so at once.
fn check_captures_exist(name: &str, spec: &Spec) -> Result<(), ParseError> {
    let entries = spec
        .stdout
        .iter()
        .chain(&spec.stderr)
        .flat_map(|item| match item {
            Item::Line(entry) => std::slice::from_ref(entry),
            Item::AnyOrder { entries, .. } => entries.as_slice(),
        });
    let captured: Vec<&str> = entries.flat_map(|e| e.pattern.capture_names()).collect();
    for check in &spec.checks {
        if let Some(missing) = check
            .item
            .capture_names()
            .into_iter()
            .find(|n| !captured.contains(n))
        {
            return Err(ParseError::at(
                name,
                check.line,
                format!(
                    "`{}` reads `{missing}`, but no [stdout] or [stderr] pattern captures it (e.g. `{{float:{missing}}}`)",
                    check.item
                ),
            ));
        }
    }
    Ok(())
}

/// A pattern line of `[stdout]`/`[stderr]`, with an optional `@xN`, `@xN..M` or `@xN..` count.
fn parse_entry(line: &str, number: usize) -> Result<Entry, String> {
    let (min, max, text) = match line.strip_prefix("@x") {
        Some(rest) => {
            let (count, text) = rest.split_once(' ').unwrap_or((rest, ""));
            let bad = || {
                format!(
                    "bad count `@x{count}`: write `@x3`, `@x2..5` or `@x1..` before the pattern"
                )
            };
            let number_of = |s: &str| s.parse::<usize>().map_err(|_| bad());
            let (min, max) = match count.split_once("..") {
                Some((lo, "")) => (number_of(lo)?, usize::MAX),
                Some((lo, hi)) => (number_of(lo)?, number_of(hi)?),
                None => (number_of(count)?, number_of(count)?),
            };
            if min > max || max == 0 {
                return Err(bad());
            }
            if text.is_empty() {
                return Err(format!("`@x{count}` needs a pattern after it"));
            }
            (min, max, unescape(text))
        }
        None if line.starts_with('@') => {
            return Err(format!(
                "unknown directive `{line}`; use `@any-order`, `@end` or `@xN PATTERN` (`\\@` starts a literal line)"
            ));
        }
        None => (1, 1, unescape(line)),
    };
    Ok(Entry {
        pattern: Pattern::parse(&text)?,
        min,
        max,
        line: number,
    })
}

/// A leading `\` makes the rest literal (so a line may start with `@`, `#` or `[`).
fn unescape(line: &str) -> String {
    line.strip_prefix('\\').unwrap_or(line).to_string()
}

fn parse_run_line(line: &str, run: &mut RunSpec) -> Result<(), String> {
    let tokens = tokenize(line)?;
    let words: Vec<&str> = tokens
        .iter()
        .map(|t| {
            if let Token::Bare(w) = t {
                w.as_str()
            } else {
                "\"…\""
            }
        })
        .collect();
    // At most a day: a larger value is a typo, and would overflow the runner's clock.
    let seconds = |s: &str| -> Result<f64, String> {
        s.parse::<f64>()
            .ok()
            .filter(|v| (0.0..=86_400.0).contains(v))
            .ok_or_else(|| format!("`{s}` is not a number of seconds"))
    };
    match words[..] {
        ["exit", code] => {
            // A process can only exit with 0..=255; anything else could never be seen.
            run.exit = code
                .parse::<u8>()
                .map_err(|_| {
                    format!("`exit {code}`: the exit status is a whole number from 0 to 255")
                })?
                .into();
        }
        ["deadline", s] => run.deadline = Duration::from_secs_f64(seconds(s)?.max(0.1)),
        ["signal", sig, "at", s] => {
            run.signal = Some(SignalPlan {
                signal: signal_named(sig)?,
                when: SignalWhen::At(seconds(s)?),
            });
        }
        ["signal", sig, "after", _, s] => {
            let Token::Quoted(text) = &tokens[3] else {
                return Err(
                    "`signal SIG after \"PATTERN\" S`: the pattern goes in double quotes".into(),
                );
            };
            let when = SignalWhen::After(Pattern::parse(text)?, seconds(s)?);
            run.signal = Some(SignalPlan {
                signal: signal_named(sig)?,
                when,
            });
        }
        _ => {
            return Err(format!(
                "unknown [run] line `{line}`; use `exit N`, `deadline S`, `signal SIG at S` or `signal SIG after \"PATTERN\" S`"
            ));
        }
    }
    Ok(())
}

fn signal_named(name: &str) -> Result<Signal, String> {
    let full = if name.starts_with("SIG") {
        name.to_string()
    } else {
        format!("SIG{name}")
    };
    full.parse::<Signal>()
        .map_err(|_| format!("unknown signal `{name}`; use INT, TERM, KILL, HUP, USR1, ..."))
}

/// The `[stdout]` items of an expected file that holds only `text`: the matcher's and the
/// report's tests build their expected lines with it.
#[cfg(test)]
pub fn stdout_items(text: &str) -> Vec<Item> {
    parse("t.txt", &format!("[stdout]\n{text}"))
        .expect("a test's expected lines parse")
        .stdout
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"# a comment
[run]
exit 3
deadline 12.5
signal INT after "Press Ctrl-C to stop" 0.5

[stdout]
Waiting for the thread...
@x3..5 Task is running
\@literal at sign
@any-order
>{int:id} got lock, sleeping {float:sleep}
@x2.. Thread {int}: done
@end
\

[stderr]
@x0.. {text}

[never]
Can you see me?

[checks]
elapsed_at_least_sum sleep
# the task ran
# for a second
line_at_least "Task is running" 1.0
"#;

    #[test]
    fn parses_every_construct() {
        let spec = parse("x.txt", GOOD).unwrap();
        assert_eq!(spec.run.exit, 3);
        assert_eq!(spec.run.deadline, Duration::from_secs_f64(12.5));
        let plan = spec.run.signal.unwrap();
        assert_eq!(plan.signal, Signal::SIGINT);
        assert!(
            matches!(plan.when, SignalWhen::After(ref p, s) if p.to_string() == "Press Ctrl-C to stop" && s == 0.5)
        );
        assert_eq!(spec.stdout.len(), 5);
        let Item::Line(ref running) = spec.stdout[1] else {
            panic!("a line")
        };
        assert_eq!((running.min, running.max, running.line), (3, 5, 9));
        let Item::Line(ref literal) = spec.stdout[2] else {
            panic!("a line")
        };
        assert_eq!(literal.pattern.to_string(), "@literal at sign");
        let Item::AnyOrder {
            entries: ref block,
            line: 11,
        } = spec.stdout[3]
        else {
            panic!("a block")
        };
        assert_eq!(block.len(), 2);
        assert_eq!((block[1].min, block[1].max), (2, usize::MAX));
        let Item::Line(ref empty) = spec.stdout[4] else {
            panic!("a line")
        };
        assert!(empty.pattern.fits(""));
        assert_eq!(spec.stderr.len(), 1);
        assert_eq!(spec.never.len(), 1);
        assert_eq!(spec.checks.len(), 2);
        assert_eq!(spec.checks[1].line, 27);
        assert_eq!(spec.checks[0].comment, "");
        assert_eq!(spec.checks[1].comment, "the task ran for a second");
    }

    #[test]
    fn signal_at_a_time() {
        let spec = parse("x.txt", "[run]\nsignal TERM at 2\n").unwrap();
        let plan = spec.run.signal.unwrap();
        assert_eq!(plan.signal, Signal::SIGTERM);
        assert!(matches!(plan.when, SignalWhen::At(s) if s == 2.0));
    }

    #[test]
    fn defaults_expect_exit_zero_and_empty_streams() {
        let spec = parse("x.txt", "").unwrap();
        assert_eq!(spec.run.exit, 0);
        assert!(spec.stdout.is_empty() && spec.stderr.is_empty() && spec.checks.is_empty());
    }

    #[test]
    fn every_malformed_line_is_reported_with_file_line_and_reason() {
        let cases = [
            (
                "[stdout]\nok\n[bogus]\n",
                "x.txt:3: unknown section `[bogus]`",
            ),
            ("[stdout]\n[stdout]\n", "x.txt:2: a second `[stdout]`"),
            ("hello\n", "x.txt:1: text before any section"),
            ("[run]\nexit soon\n", "x.txt:2: `exit soon`"),
            (
                "[run]\ndeadline -1\n",
                "x.txt:2: `-1` is not a number of seconds",
            ),
            (
                "[run]\nsignal NOPE at 1\n",
                "x.txt:2: unknown signal `NOPE`",
            ),
            (
                "[run]\nsignal INT after Press 1\n",
                "x.txt:2: `signal SIG after \"PATTERN\" S`",
            ),
            ("[run]\nfast\n", "x.txt:2: unknown [run] line `fast`"),
            ("[stdout]\n@x0 foo\n", "x.txt:2: bad count `@x0`"),
            ("[stdout]\n@x5..2 foo\n", "x.txt:2: bad count `@x5..2`"),
            ("[stdout]\n@xmany foo\n", "x.txt:2: bad count `@xmany`"),
            ("[stdout]\n@x3\n", "x.txt:2: `@x3` needs a pattern"),
            (
                "[stdout]\n@sometimes foo\n",
                "x.txt:2: unknown directive `@sometimes foo`",
            ),
            ("[stdout]\n@end\n", "x.txt:2: `@end` without `@any-order`"),
            (
                "[stdout]\n@any-order\n@end\n",
                "x.txt:3: empty `@any-order` block",
            ),
            (
                "[stdout]\n@any-order\n@any-order\n",
                "x.txt:3: `@any-order` blocks do not nest",
            ),
            (
                "[stdout]\n@any-order\nfoo\n",
                "x.txt:2: `@any-order` is not closed",
            ),
            (
                "[stdout]\n@any-order\nfoo\n[checks]\n",
                "x.txt:4: `@any-order` of line 2 is not closed",
            ),
            (
                "[stdout]\nvalue {nope}\n",
                "x.txt:2: unknown placeholder `{nope}`",
            ),
            ("[never]\n{int\n", "x.txt:2: unclosed `{`"),
            (
                "[checks]\nfrobnicate 3\n",
                "x.txt:2: unknown check `frobnicate`",
            ),
            (
                "[checks]\nelapsed_at_least\n",
                "x.txt:2: `elapsed_at_least` takes",
            ),
            (
                "[checks]\n\"first\" 1\n",
                "x.txt:2: a check starts with its name",
            ),
            (
                "[checks]\nline_at_least \"open 1\n",
                "x.txt:2: unclosed quote",
            ),
            (
                "[stdout]\n{int:n}\n[checks]\nall n > 0\ncount n 1\nall  n  >  0\n",
                "x.txt:6: `all n > 0` is line 4's check again",
            ),
            (
                "[stdout]\n{float:sleep}\n[checks]\nascending slept\n",
                "x.txt:4: `ascending slept` reads `slept`, but no",
            ),
        ];
        for (text, wanted) in cases {
            let err = parse("x.txt", text).unwrap_err().to_string();
            assert!(
                err.starts_with(wanted),
                "{text:?}: got {err:?}, wanted it to start with {wanted:?}"
            );
        }
    }

    #[test]
    fn a_parse_error_names_its_file_and_line() {
        assert_eq!(
            parse("x.txt", "[stdout]\nok\n[bogus]\n").unwrap_err(),
            ParseError::at(
                "x.txt",
                3,
                "unknown section `[bogus]`; use [run], [stdout], [stderr], [never] or [checks] (`\\[` starts a literal line)"
            )
        );
    }

    #[test]
    fn out_of_range_numbers_are_errors_not_panics() {
        for (text, wanted) in [
            (
                "[run]\ndeadline 1e30\n",
                "x.txt:2: `1e30` is not a number of seconds",
            ),
            (
                "[run]\nsignal INT at 1e300\n",
                "x.txt:2: `1e300` is not a number of seconds",
            ),
            ("[run]\nsignal INT after \"x\" 1e300\n", "x.txt:2: `1e300`"),
            ("[run]\nexit 256\n", "x.txt:2: `exit 256`"),
            ("[run]\nexit -1\n", "x.txt:2: `exit -1`"),
        ] {
            let err = parse("x.txt", text).unwrap_err().to_string();
            assert!(err.starts_with(wanted), "{text:?}: {err}");
        }
    }
}
