//! One line pattern of an expected file: literal text with typed placeholders
//! (`{int}`, `{float:sleep}`, ...), matched against one whole output line.

use crate::output::{Capture, Line};
use std::collections::HashSet;
use std::fmt;

/// The kinds of value a placeholder accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Float,
    Tid,
    Time,
    Word,
    Text,
}

impl Kind {
    fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "int" => Kind::Int,
            "float" => Kind::Float,
            "tid" => Kind::Tid,
            "time" => Kind::Time,
            "word" => Kind::Word,
            "text" => Kind::Text,
            _ => return None,
        })
    }

    /// Whether `s` as a whole is a value of this kind.
    fn accepts(self, s: &str) -> bool {
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        match self {
            Kind::Int => digits(s.strip_prefix('-').unwrap_or(s)),
            Kind::Tid => digits(s) && !s.starts_with('0'),
            // Rust prints the non-finite f64 values as `inf`, `-inf` and `NaN`.
            Kind::Float if matches!(s, "inf" | "-inf" | "NaN") => true,
            Kind::Float => {
                let s = s.strip_prefix('-').unwrap_or(s);
                let (mantissa, exponent) = match s.split_once(['e', 'E']) {
                    Some((m, e)) => (m, Some(e)),
                    None => (s, None),
                };
                let mantissa_ok = match mantissa.split_once('.') {
                    Some((whole, fraction)) => digits(whole) && digits(fraction),
                    None => digits(mantissa),
                };
                let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix('-').unwrap_or(e)));
                mantissa_ok && exponent_ok
            }
            Kind::Time => {
                let b = s.as_bytes();
                b.len() == 8
                    && b[2] == b':'
                    && b[5] == b':'
                    && [0, 1, 3, 4, 6, 7].iter().all(|&i| b[i].is_ascii_digit())
            }
            Kind::Word => !s.is_empty() && !s.contains(' '),
            Kind::Text => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Placeholder { kind: Kind, name: Option<String> },
}

/// A parsed line pattern. `Display` gives back the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    source: String,
    segments: Vec<Segment>,
}

/// The values a matched line gave its named placeholders, in the line's order.
type Captures = Vec<(String, String)>;

impl Pattern {
    /// Parses a pattern; `{{` and `}}` stand for literal braces.
    pub fn parse(source: &str) -> Result<Pattern, String> {
        let mut segments = Vec::new();
        let mut literal = String::new();
        let mut rest = source;
        while let Some(c) = rest.chars().next() {
            if rest.starts_with("{{") || rest.starts_with("}}") {
                literal.push(c);
                rest = &rest[2..];
            } else if c == '{' {
                let end = rest.find('}').ok_or_else(|| {
                    format!("unclosed `{{` in pattern `{source}` (write `{{{{` for a brace)")
                })?;
                let inside = &rest[1..end];
                let (kind_name, name) = match inside.split_once(':') {
                    Some((k, n)) => (k, Some(n)),
                    None => (inside, None),
                };
                let kind = Kind::from_name(kind_name).ok_or_else(|| {
                    format!("unknown placeholder `{{{inside}}}`: use int, float, tid, time, word or text")
                })?;
                if let Some(n) = name {
                    let valid =
                        !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    if !valid {
                        return Err(format!(
                            "capture name `{n}` in `{{{inside}}}`: use letters, digits and `_`"
                        ));
                    }
                }
                if !literal.is_empty() {
                    segments.push(Segment::Literal(std::mem::take(&mut literal)));
                }
                segments.push(Segment::Placeholder {
                    kind,
                    name: name.map(String::from),
                });
                rest = &rest[end + 1..];
            } else if c == '}' {
                return Err(format!(
                    "lone `}}` in pattern `{source}` (write `}}}}` for a brace)"
                ));
            } else {
                literal.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        if !literal.is_empty() {
            segments.push(Segment::Literal(literal));
        }
        Ok(Pattern {
            source: source.to_string(),
            segments,
        })
    }

    /// Whether the pattern matches the whole `text` (trailing spaces ignored).
    pub fn fits(&self, text: &str) -> bool {
        self.matches(text).is_some()
    }

    /// The values the named placeholders capture from `line`, when the pattern matches it.
    pub fn captures(&self, line: &Line) -> Option<Vec<Capture>> {
        let found = self.matches(&line.text)?;
        Some(
            found
                .into_iter()
                .map(|(name, value)| Capture {
                    name,
                    value,
                    at: line.at,
                })
                .collect(),
        )
    }

    /// Matches the whole `line` (trailing spaces ignored); returns each named placeholder's
    /// name and value.
    fn matches(&self, line: &str) -> Option<Captures> {
        let mut captures = Vec::new();
        let mut memo = Memo::default();
        match_from(&self.segments, line.trim_end(), &mut captures, &mut memo).then_some(captures)
    }

    /// The names its placeholders capture under.
    pub fn capture_names(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Placeholder { name: Some(n), .. } => Some(n.as_str()),
            _ => None,
        })
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// What a match has learnt: the (segments left, bytes left) pairs known not to match, and
/// how many steps it took.
#[derive(Debug, Default)]
struct Memo {
    failed: HashSet<(usize, usize)>,
    steps: usize,
}

/// Backtracking match: placeholders try their longest value first. The memo's `failed`
/// pairs keep several `{text}` on a long line that does not fit quick: each pair is tried
/// once, instead of every split.
fn match_from(segments: &[Segment], rest: &str, captures: &mut Captures, memo: &mut Memo) -> bool {
    memo.steps += 1;
    let Some((first, others)) = segments.split_first() else {
        return rest.is_empty();
    };
    if memo.failed.contains(&(segments.len(), rest.len())) {
        return false;
    }
    let found = match first {
        Segment::Literal(text) => rest
            .strip_prefix(text.as_str())
            .is_some_and(|after| match_from(others, after, captures, memo)),
        Segment::Placeholder { kind, name } => {
            // Only `{text}` may hold a space.
            let longest = match kind {
                Kind::Text => rest.len(),
                _ => rest.find(' ').unwrap_or(rest.len()),
            };
            let ends = (0..=longest)
                .rev()
                .filter(|&end| rest.is_char_boundary(end));
            let mut found = false;
            for end in ends {
                let value = &rest[..end];
                if !kind.accepts(value) {
                    continue;
                }
                let mark = captures.len();
                if let Some(n) = name {
                    captures.push((n.clone(), value.to_string()));
                }
                if match_from(others, &rest[end..], captures, memo) {
                    found = true;
                    break;
                }
                captures.truncate(mark);
            }
            found
        }
    };
    if !found {
        memo.failed.insert((segments.len(), rest.len()));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(pattern: &str, line: &str) -> Option<Captures> {
        Pattern::parse(pattern).unwrap().matches(line)
    }

    #[test]
    fn literal_lines_match_exactly_ignoring_trailing_spaces() {
        assert!(caps("Waiting for the thread...", "Waiting for the thread...  ").is_some());
        assert!(caps("Waiting for the thread...", "Waiting for the thread..").is_none());
        assert!(caps("Waiting", " Waiting").is_none());
    }

    #[test]
    fn each_kind_accepts_its_values_only() {
        let cases = [
            ("{int}", "-42", true),
            ("{int}", "4.2", false),
            ("{float}", "0.123", true),
            ("{float}", "3", true),
            ("{float}", "1e-7", true),
            ("{float}", "-2.5E10", true),
            ("{float}", "1.", false),
            ("{float}", "abc", false),
            ("{tid}", "12345", true),
            ("{tid}", "0", false),
            ("{tid}", "-3", false),
            ("{time}", "09:41:07", true),
            ("{time}", "9:41:07", false),
            ("{word}", "Thread-1", true),
            ("{word}", "two words", false),
            ("{word}", "", false),
            ("{text}", "", true),
            ("{text}", "any thing at all", true),
        ];
        for (pattern, line, wanted) in cases {
            assert_eq!(
                caps(pattern, line).is_some(),
                wanted,
                "{pattern} on {line:?}"
            );
        }
    }

    #[test]
    fn captures_are_named_and_backtracking_finds_the_split() {
        let got = caps(
            ">{int:id} got lock, sleeping {float:sleep}",
            ">7 got lock, sleeping 0.25",
        )
        .unwrap();
        assert_eq!(
            got,
            vec![("id".into(), "7".into()), ("sleep".into(), "0.25".into())]
        );
        // `{text}` first tries to take everything, then gives back what the literal needs.
        let got = caps("{text:a} and {text:b}", "x and y and z").unwrap();
        assert_eq!(
            got,
            vec![("a".into(), "x and y".into()), ("b".into(), "z".into())]
        );
        // An int directly before digits must leave them to the literal.
        assert!(caps("{int}5", "125").is_some());
    }

    #[test]
    fn braces_escape_and_errors_explain() {
        assert!(caps("got data: [{{2}}]", "got data: [{2}]").is_some());
        let err = |p: &str| Pattern::parse(p).unwrap_err();
        assert!(err("{nope}").contains("unknown placeholder `{nope}`"));
        assert!(err("{int").contains("unclosed"));
        assert!(err("a } b").contains("lone `}`"));
        assert!(err("{int:bad-name}").contains("capture name `bad-name`"));
    }

    fn fits(pattern: &str, line: &str) -> bool {
        Pattern::parse(pattern).unwrap().fits(line)
    }

    #[test]
    fn float_takes_every_f64_rust_prints() {
        for value in [
            1e-7,
            1e21,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            0.1 + 0.2,
        ] {
            for shown in [format!("{value}"), format!("{value:?}")] {
                assert!(fits("x={float}", &format!("x={shown}")), "{shown}");
            }
        }
        assert!(!fits("{float}", "infinity") && !fits("{float}", "nan") && !fits("{float}", "e5"));
    }

    #[test]
    fn unicode_text_around_placeholders() {
        assert!(fits("→ {word:w} ✓ {int}", "→ héllo ✓ 42"));
        assert!(fits("{text}é", "ééé"));
        assert!(!fits("{time}", "0é:00:00"));
    }

    #[test]
    fn many_placeholders_on_a_long_line_that_does_not_fit_are_quick() {
        let line = format!("{} end", "a: ".repeat(150));
        for source in [
            "{text}: {text}: {text}: {text}: {int}",
            "{word} {word} {word} {word} {int}",
        ] {
            let pattern = Pattern::parse(source).unwrap();
            let mut memo = Memo::default();
            assert!(!match_from(
                &pattern.segments,
                &line,
                &mut Vec::new(),
                &mut memo
            ));
            // Each (segments left, bytes left) pair is worked through once, each trying at most
            // every end of the line: a bound in steps, where trying every split of 150 places
            // among four placeholders would take millions.
            let bound = (pattern.segments.len() + 1) * (line.len() + 1) * (line.len() + 1);
            assert!(memo.steps <= bound / 4, "{} steps", memo.steps);
        }
    }
}
