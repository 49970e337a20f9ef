//! Break files (`lessonNN/breaks/<example>.txt`): the careless-port mistakes an example's
//! checks exist to catch, each a change of a few source lines that verify must turn red. The
//! format is described in the crate's README.

pub mod scratch;

use crate::ParseError;
use crate::judge::Reason;

/// One mistake: what to change, why it matters, and what verify must report.
#[derive(Debug, Clone)]
pub struct Break {
    pub name: String,
    pub why: String,
    /// The file to change, relative to the workspace root.
    pub file: String,
    pub edits: Vec<Edit>,
    pub caught_by: Vec<Reason>,
    /// The line of the break file that names it.
    pub line: usize,
}

/// A source line (as it reads with its indentation trimmed) and the lines it becomes
/// (none deletes it).
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub line: String,
    pub becomes: Vec<String>,
}

/// `lessonNN/breaks/<example>.txt`, relative to the root.
pub fn file_of(package: &str, example: &str) -> String {
    format!("{package}/breaks/{example}.txt")
}

/// Parses a break file; `name` prefixes every error and `default_file` is the file a break
/// changes when it names none (the example's source).
pub fn parse(name: &str, text: &str, default_file: &str) -> Result<Vec<Break>, ParseError> {
    let mut breaks: Vec<Break> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let fail = |reason: String| ParseError::at(name, number, reason);
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("[break ") {
            let Some(break_name) = rest.strip_suffix(']').map(str::trim) else {
                return Err(fail("write a break's header as `[break NAME]`".into()));
            };
            let well_formed = !break_name.is_empty()
                && break_name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !well_formed {
                return Err(fail(format!(
                    "`{break_name}`: a break's name is lower_snake_case"
                )));
            }
            if breaks.iter().any(|b| b.name == break_name) {
                return Err(fail(format!("a second break named `{break_name}`")));
            }
            if let Some(last) = breaks.last() {
                complete(name, last)?;
            }
            breaks.push(Break {
                name: break_name.into(),
                why: String::new(),
                file: default_file.into(),
                edits: Vec::new(),
                caught_by: Vec::new(),
                line: number,
            });
            continue;
        }
        let Some(current) = breaks.last_mut() else {
            return Err(fail(
                "text before the first break; start with `[break NAME]`".into(),
            ));
        };
        let Some((key, value)) = line.split_once(':') else {
            return Err(fail(format!(
                "`{line}`: use `why:`, `file:`, `line:`, `becomes:` or `caught by:`"
            )));
        };
        // A `becomes:` line keeps its text as written (after one space), so it may be empty.
        let value_raw = value.strip_prefix(' ').unwrap_or(value);
        let value = value.trim();
        match key.trim() {
            "why" if current.why.is_empty() && !value.is_empty() => current.why = value.into(),
            "why" => return Err(fail("a break has one `why:`, one sentence".into())),
            "file" if !current.edits.is_empty() => {
                return Err(fail("`file:` goes before the first `line:`".into()));
            }
            "file" => current.file = value.into(),
            "line" if value.is_empty() => return Err(fail("`line:` needs the source line".into())),
            "line" => current.edits.push(Edit {
                line: value.into(),
                becomes: Vec::new(),
            }),
            "becomes" => match current.edits.last_mut() {
                Some(edit) => edit.becomes.push(value_raw.trim_end().into()),
                None => return Err(fail("`becomes:` follows a `line:`".into())),
            },
            "caught by" => current.caught_by.push(Reason::parse(value).map_err(fail)?),
            other => {
                return Err(fail(format!(
                    "unknown key `{other}:`; use `why:`, `file:`, `line:`, `becomes:` or `caught by:`"
                )));
            }
        }
    }
    match breaks.last() {
        Some(last) => complete(name, last)?,
        None => {
            return Err(ParseError::of(
                name,
                "no break; add at least one `[break NAME]`",
            ));
        }
    }
    Ok(breaks)
}

fn complete(name: &str, b: &Break) -> Result<(), ParseError> {
    let missing = if b.why.is_empty() {
        Some("`why:`")
    } else if b.edits.is_empty() {
        Some("a `line:`")
    } else if b.caught_by.is_empty() {
        Some("a `caught by:`")
    } else {
        None
    };
    match missing {
        Some(what) => Err(ParseError::at(
            name,
            b.line,
            format!("break `{}` needs {what}", b.name),
        )),
        None => Ok(()),
    }
}

/// The text of the source with the edits made, each on the one line that reads as its
/// `line:` (indentation aside), keeping that line's indentation for what it becomes.
pub fn apply(source: &str, edits: &[Edit]) -> Result<String, String> {
    let mut lines: Vec<String> = source.lines().map(String::from).collect();
    for edit in edits {
        let found: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.trim() == edit.line)
            .map(|(i, _)| i)
            .collect();
        let at = match found[..] {
            [one] => one,
            [] => return Err(format!("no line reads `{}`", edit.line)),
            _ => {
                return Err(format!(
                    "{} lines read `{}`; quote a line that appears once",
                    found.len(),
                    edit.line
                ));
            }
        };
        let indent: String = lines[at]
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect();
        let replacement = edit.becomes.iter().map(|b| format!("{indent}{b}"));
        lines.splice(at..=at, replacement);
    }
    let mut text = lines.join("\n");
    if source.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::checks::CheckId;

    const GOOD: &str = "# mutex_lock's breaks
[break guard_dropped]
why: The lock guards nothing once its guard is gone.
line: let guard = lock.lock().unwrap();
becomes: drop(lock.lock().unwrap());
caught by: check elapsed_at_least_sum sleep

[break two_edits]
why: Two lines change.
file: lesson04/src/lib.rs
line: a();
line: b();
becomes: c();
becomes:     d();
caught by: stdout
caught by: exit status
";

    #[test]
    fn parses_breaks_with_their_edits_and_reasons() {
        let breaks = parse("b.txt", GOOD, "lesson04/src/bin/mutex_lock.rs").unwrap();
        assert_eq!(breaks.len(), 2);
        assert_eq!(breaks[0].name, "guard_dropped");
        assert_eq!(breaks[0].file, "lesson04/src/bin/mutex_lock.rs");
        assert_eq!(
            breaks[0].caught_by,
            [Reason::Check(
                CheckId::parse("elapsed_at_least_sum sleep").unwrap()
            )]
        );
        assert_eq!(breaks[1].file, "lesson04/src/lib.rs");
        assert_eq!(
            breaks[1].edits,
            [
                Edit {
                    line: "a();".into(),
                    becomes: vec![]
                },
                Edit {
                    line: "b();".into(),
                    becomes: vec!["c();".into(), "    d();".into()]
                }
            ]
        );
        assert_eq!(breaks[1].caught_by, [Reason::Stdout, Reason::ExitStatus]);
        assert_eq!(breaks[1].line, 8);
    }

    #[test]
    fn a_break_names_a_check_whose_pattern_holds_a_quote() {
        let expected = r#"[stdout]
say "hi"
[checks]
line_at_most "say \"hi\"" 1
"#;
        let spec = crate::spec::parse("x.txt", expected).unwrap();
        let id = spec.checks[0].item.id();
        assert_eq!(id.to_string(), r#"line_at_most "say \"hi\"" 1"#);
        // the check's line, copied from the expected file
        let text = r#"[break late]
why: w
line: x
caught by: check line_at_most "say \"hi\"" 1
"#;
        let found = parse("b.txt", text, "x.rs").unwrap();
        assert_eq!(found[0].caught_by, [Reason::Check(id.clone())]);
        // what verify prints for the reason reads back as the same reason
        let shown = found[0].caught_by[0].to_string();
        assert_eq!(Reason::parse(&shown), Ok(found[0].caught_by[0].clone()));
    }

    #[test]
    fn malformed_break_files_say_where_and_what_to_write() {
        let err = |text: &str| parse("b.txt", text, "x.rs").unwrap_err().to_string();
        assert_eq!(
            parse("b.txt", "", "x.rs").unwrap_err(),
            ParseError::of("b.txt", "no break; add at least one `[break NAME]`")
        );
        assert!(err("").contains("no break"));
        assert!(err("why: x\n").starts_with("b.txt:1: text before the first break"));
        assert!(err("[break Bad-Name]\n").contains("lower_snake_case"));
        assert!(err("[break a]\nline: x\ncaught by: stdout\n").contains("needs `why:`"));
        assert!(err("[break a]\nwhy: w\ncaught by: stdout\n").contains("needs a `line:`"));
        assert!(err("[break a]\nwhy: w\nline: x\n").contains("needs a `caught by:`"));
        assert!(err("[break a]\nwhy: w\nbecomes: y\n").contains("follows a `line:`"));
        assert!(err("[break a]\nwhy: w\nline: x\ncaught by: luck\n").contains("unknown failure"));
        assert!(
            err("[break a]\nwhy: w\nline: x\ncaught by: check alll v > 0\n")
                .starts_with("b.txt:4: unknown check `alll`")
        );
        assert!(err("[break a]\nwhy: w\nwhat: x\n").contains("unknown key `what:`"));
        assert!(
            err("[break a]\nwhy: w\nline: x\ncaught by: stdout\n[break a]\n")
                .contains("a second break named `a`")
        );
        assert!(
            err("[break a]\nwhy: w\nline: x\ncaught by: stdout\n[break b]\nwhy: w\n")
                .starts_with("b.txt:5: break `b` needs a `line:`")
        );
    }

    #[test]
    fn apply_replaces_the_one_matching_line_keeping_its_indent() {
        let source = "fn main() {\n    let a = 1;\n    go(a);\n}\n";
        let edits = [Edit {
            line: "go(a);".into(),
            becomes: vec!["stop(a);".into(), "go(a);".into()],
        }];
        assert_eq!(
            apply(source, &edits).unwrap(),
            "fn main() {\n    let a = 1;\n    stop(a);\n    go(a);\n}\n"
        );
        let delete = [Edit {
            line: "let a = 1;".into(),
            becomes: vec![],
        }];
        assert_eq!(
            apply(source, &delete).unwrap(),
            "fn main() {\n    go(a);\n}\n"
        );
    }

    #[test]
    fn apply_refuses_a_line_that_is_missing_or_not_unique() {
        let source = "}\nx();\n}\n";
        let edit = |line: &str| Edit {
            line: line.into(),
            becomes: vec![],
        };
        assert!(
            apply(source, &[edit("y();")])
                .unwrap_err()
                .contains("no line reads")
        );
        assert!(
            apply(source, &[edit("}")])
                .unwrap_err()
                .contains("2 lines read `}`")
        );
    }
}
