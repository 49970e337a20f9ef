//! The named checks of an expected file's `[checks]` section: properties of a run (its lines
//! and when they came, the values its patterns captured, how long it took) that prove the
//! example does what its lesson claims.
//!
//! Each kind of check is one variant of `Property`, with its arguments as typed values, and
//! one row of `KINDS`: its name, its usage and how its arguments are read. What it proves,
//! how it is judged, the captures it reads and what its bound leans on are each one `match`
//! over every variant, so a new check that leaves one out does not compile; one without its
//! row is a variant nothing builds, which rustc warns of and CI's `clippy -D warnings` refuses.
//!
//! A check is named outside its expected file (in a break file's `caught by: check`, in a
//! verdict) by its [`CheckId`]: its line as written.

use crate::output::{Capture, Line};
use crate::spec::pattern::Pattern;
use crate::spec::words::{Token, tokenize};
use std::fmt;
use std::time::Duration;

/// What the checks look at: the run's lines (both streams, in the order they came), its
/// captured values (in output order), how long it took, and its process id.
#[derive(Debug, Default)]
pub struct Evidence {
    pub lines: Vec<Line>,
    pub values: Vec<Value>,
    pub elapsed: Duration,
    pub pid: i32,
}

impl Evidence {
    /// The evidence of a run from its lines and its captures, both in the order they came.
    /// Each captured text is read here, once, rather than by every check that looks at it.
    pub fn new(lines: Vec<Line>, captures: Vec<Capture>, elapsed: Duration, pid: i32) -> Self {
        let values = captures
            .into_iter()
            .map(|c| Value {
                read: Read::of(&c.value),
                name: c.name,
                text: c.value,
            })
            .collect();
        Evidence {
            lines,
            values,
            elapsed,
            pid,
        }
    }
}

/// A captured value: its name, its text as printed (what `same`, `distinct`, the key orders
/// and the pid checks compare), and what that text reads as.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub name: String,
    pub text: String,
    pub read: Read,
}

/// What a captured text reads as.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Read {
    /// A whole number.
    Int(i64),
    /// Any other number, `inf` and `NaN` among them (Rust prints the non-finite floats so).
    Float(f64),
    /// No number.
    Word,
}

impl Read {
    pub fn of(text: &str) -> Read {
        if let Ok(whole) = text.parse::<i64>() {
            Read::Int(whole)
        } else if let Ok(number) = text.parse::<f64>() {
            Read::Float(number)
        } else {
            Read::Word
        }
    }

    /// The number it reads as, a non-finite one included (what `all` compares).
    fn number(self) -> Option<f64> {
        match self {
            Read::Int(whole) => Some(whole as f64),
            Read::Float(number) => Some(number),
            Read::Word => None,
        }
    }

    /// The finite number it reads as: `inf` and `NaN` (which `{float}` accepts) would make a
    /// sum or a bound pass or fail for no reason, so they count as no number.
    fn finite(self) -> Option<f64> {
        self.number().filter(|n| n.is_finite())
    }
}

/// A parsed check; `Display` gives back its line, as its [`CheckId`] writes it.
#[derive(Debug, Clone)]
pub struct Check {
    property: Property,
    id: CheckId,
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.id.fmt(f)
    }
}

impl Check {
    /// Parses a check from its name and arguments; errors say what the check takes.
    pub fn parse(name: &str, tokens: &[Token]) -> Result<Check, String> {
        let kind = kind_named(name)?;
        let mut args = Args {
            tokens: tokens.iter(),
            left: tokens.len(),
            kind,
        };
        let property = (kind.read)(&mut args)?;
        args.done()?;
        Ok(Check {
            property,
            id: CheckId::of(name, tokens),
        })
    }

    /// What names the check in a break file and in a verdict.
    pub fn id(&self) -> &CheckId {
        &self.id
    }

    /// What the check proves, in words (for `verify --explain` and the exercise hints).
    pub fn sentence(&self) -> String {
        self.property.sentence()
    }

    /// The capture names the check reads (each must be captured by some pattern).
    pub fn capture_names(&self) -> Vec<&str> {
        self.property.capture_names()
    }

    /// Checks the property on a run; `Err` says why it does not hold.
    pub fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        self.property.evaluate(run)
    }

    /// What the check's bound leans on, for the lint's conventions (crates/checker/README.md).
    pub fn leans_on(&self) -> LeansOn {
        self.property.leans_on()
    }

    /// Whether the check is about when things happened (a wait, a gap, an overlap, a total
    /// time, a speed-up, which lines came before which): a failure of one is best seen on the
    /// run's timeline, where workers that should have overlapped are seen one after another.
    pub fn is_about_time(&self) -> bool {
        use Property::*;
        match &self.property {
            ElapsedAtLeast { .. }
            | ElapsedAtMost { .. }
            | ElapsedAtLeastSum { .. }
            | ElapsedBelowSum { .. }
            | ElapsedAtLeastMax { .. }
            | LineAtLeast { .. }
            | LineAtMost { .. }
            | GapAtLeast { .. }
            | GapAtMost { .. }
            | EachGapAtLeast { .. }
            | OverlapAtMost { .. }
            | EndAtLeast { .. }
            | EndAtMost { .. }
            | MinRatioAtLeast { .. }
            | Before { .. }
            | NoneAfter { .. } => true,
            Count { .. }
            | All { .. }
            | Same { .. }
            | InKeyOrder(_)
            | NotInKeyOrder(_)
            | Ascending { .. }
            | Distinct { .. }
            | Permutation { .. }
            | OnlyLastAbove { .. }
            | NotPid { .. }
            | IsPid { .. } => false,
        }
    }
}

/// The name of a check outside its expected file (after `caught by: check` in a break file, in
/// a verdict's reason): its line as written. The line is read as the expected file reads it,
/// as words and double-quoted patterns (in which `\"` is a quote and `\\` a backslash), so the
/// same words name the same check however they are spaced. It is written back in one way:
/// the words one space apart, each pattern in double quotes with its `"` and `\` escaped, which
/// reads back as the same words. A check's line copied from its expected file names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CheckId(String);

impl CheckId {
    /// Reads a check's line (`all val < 1`, `before "start {int:n}" "end {int:n}"`); its first
    /// word must be the name of a check.
    pub fn parse(line: &str) -> Result<CheckId, String> {
        match tokenize(line)?.split_first() {
            Some((Token::Bare(name), args)) => {
                kind_named(name)?;
                Ok(CheckId::of(name, args))
            }
            Some(_) => Err("a check starts with its name, not a quoted pattern".into()),
            None => Err("name the check: its line as its expected file writes it".into()),
        }
    }

    fn of(name: &str, args: &[Token]) -> CheckId {
        let mut text = name.to_string();
        for token in args {
            text.push(' ');
            match token {
                Token::Bare(word) => text.push_str(word),
                Token::Quoted(pattern) => {
                    text.push('"');
                    for c in pattern.chars() {
                        if matches!(c, '"' | '\\') {
                            text.push('\\');
                        }
                        text.push(c);
                    }
                    text.push('"');
                }
            }
        }
        CheckId(text)
    }
}

impl std::str::FromStr for CheckId {
    type Err = String;

    fn from_str(line: &str) -> Result<CheckId, String> {
        CheckId::parse(line)
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a check's bound leans on beyond the lines it names: the lint asks a check that leans
/// on the example's start, or on values the example drew, to say why in its `#` comment
/// (`# from the start:`, `# worst case:`; crates/checker/README.md). Two flags, not one enum: a check
/// may lean on either, on both, or on neither, and the lint asks for each comment apart.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeansOn {
    /// It measures from the example's start (a late start moves what it measures).
    pub start: bool,
    /// Its bound is built from captured values (random draws can make it as small as they
    /// are).
    pub values: bool,
}

/// A check that measures from the example's start.
const START: LeansOn = LeansOn {
    start: true,
    values: false,
};

/// A check that measures from the start against captured values.
const START_AND_VALUES: LeansOn = LeansOn {
    start: true,
    values: true,
};

/// What a check is, with its arguments: one variant per kind of check, each documented by its
/// line (crates/checker/README.md says what each proves).
#[derive(Debug, Clone)]
enum Property {
    /// `elapsed_at_least S`
    ElapsedAtLeast { seconds: f64 },
    /// `elapsed_at_most S`
    ElapsedAtMost { seconds: f64 },
    /// `elapsed_at_least_sum NAME [D]`
    ElapsedAtLeastSum { name: String, divisor: f64 },
    /// `elapsed_below_sum NAME`
    ElapsedBelowSum { name: String },
    /// `elapsed_at_least_max NAME`
    ElapsedAtLeastMax { name: String },
    /// `line_at_least "PATTERN" S`
    LineAtLeast { line: Pattern, seconds: f64 },
    /// `line_at_most "PATTERN" S`
    LineAtMost { line: Pattern, seconds: f64 },
    /// `gap_at_least "P" "Q" S`
    GapAtLeast {
        from: Pattern,
        to: Pattern,
        seconds: f64,
    },
    /// `gap_at_most "P" "Q" S`
    GapAtMost {
        from: Pattern,
        to: Pattern,
        seconds: f64,
    },
    /// `each_gap_at_least "P" "Q" S [NAME]`
    EachGapAtLeast {
        from: Pattern,
        to: Pattern,
        seconds: f64,
        plus: Option<String>,
    },
    /// `overlap_at_most "PATTERN" NAME N SLACK`
    OverlapAtMost {
        line: Pattern,
        name: String,
        most: usize,
        slack: f64,
    },
    /// `end_at_least "PATTERN" S`
    EndAtLeast { line: Pattern, seconds: f64 },
    /// `end_at_most "PATTERN" S`
    EndAtMost { line: Pattern, seconds: f64 },
    /// `before "P" "Q"`
    Before { early: Pattern, late: Pattern },
    /// `none_after "P" "Q"`
    NoneAfter { first: Pattern, late: Pattern },
    /// `count NAME N`
    Count { name: String, count: usize },
    /// `all NAME OP V`
    All {
        name: String,
        op: Op,
        bound: String,
        /// The number `bound` reads as, if any.
        number: Option<f64>,
    },
    /// `same NAME OTHER`
    Same { name: String, other: String },
    /// `in_key_order RESULT VALUE KEY`
    InKeyOrder(KeyOrder),
    /// `not_in_key_order RESULT VALUE KEY`
    NotInKeyOrder(KeyOrder),
    /// `min_ratio_at_least A B R`
    MinRatioAtLeast {
        over: String,
        under: String,
        ratio: f64,
    },
    /// `ascending NAME [SLACK]`
    Ascending { name: String, slack: f64 },
    /// `distinct NAME`
    Distinct { name: String },
    /// `permutation NAME A B`
    Permutation { name: String, from: i64, to: i64 },
    /// `only_last_above NAME V`
    OnlyLastAbove { name: String, bound: f64 },
    /// `not_pid NAME`
    NotPid { name: String },
    /// `is_pid NAME`
    IsPid { name: String },
}

/// The RESULT, VALUE and KEY captures that `in_key_order` and `not_in_key_order` compare.
#[derive(Debug, Clone)]
struct KeyOrder {
    result: String,
    value: String,
    key: String,
}

/// One kind of check: its name, its arguments as the usage shows them, and how they are read.
struct Kind {
    name: &'static str,
    usage: &'static str,
    read: fn(&mut Args) -> Result<Property, String>,
}

/// Every check there is. `crates/checker/README.md` has a row for each (a test holds them together).
const KINDS: &[Kind] = &[
    Kind {
        name: "elapsed_at_least",
        usage: "S (seconds)",
        read: |a| {
            let seconds = a.number()?;
            Ok(Property::ElapsedAtLeast { seconds })
        },
    },
    Kind {
        name: "elapsed_at_most",
        usage: "S (seconds)",
        read: |a| {
            let seconds = a.number()?;
            Ok(Property::ElapsedAtMost { seconds })
        },
    },
    Kind {
        name: "elapsed_at_least_sum",
        usage: "NAME [D] (D > 0)",
        read: |a| {
            let name = a.capture()?;
            let divisor = a.optional_number(1.0)?;
            a.require(divisor > 0.0)?;
            Ok(Property::ElapsedAtLeastSum { name, divisor })
        },
    },
    Kind {
        name: "elapsed_below_sum",
        usage: "NAME",
        read: |a| {
            let name = a.capture()?;
            Ok(Property::ElapsedBelowSum { name })
        },
    },
    Kind {
        name: "elapsed_at_least_max",
        usage: "NAME",
        read: |a| {
            let name = a.capture()?;
            Ok(Property::ElapsedAtLeastMax { name })
        },
    },
    Kind {
        name: "line_at_least",
        usage: "\"PATTERN\" S",
        read: |a| {
            let (line, seconds) = (a.pattern()?, a.number()?);
            Ok(Property::LineAtLeast { line, seconds })
        },
    },
    Kind {
        name: "line_at_most",
        usage: "\"PATTERN\" S",
        read: |a| {
            let (line, seconds) = (a.pattern()?, a.number()?);
            Ok(Property::LineAtMost { line, seconds })
        },
    },
    Kind {
        name: "gap_at_least",
        usage: "\"P\" \"Q\" S",
        read: |a| {
            let (from, to, seconds) = (a.pattern()?, a.pattern()?, a.number()?);
            Ok(Property::GapAtLeast { from, to, seconds })
        },
    },
    Kind {
        name: "gap_at_most",
        usage: "\"P\" \"Q\" S",
        read: |a| {
            let (from, to, seconds) = (a.pattern()?, a.pattern()?, a.number()?);
            Ok(Property::GapAtMost { from, to, seconds })
        },
    },
    Kind {
        name: "each_gap_at_least",
        usage: "\"P\" \"Q\" S [NAME] (NAME captured by P or Q)",
        read: |a| {
            let (from, to, seconds) = (a.pattern()?, a.pattern()?, a.number()?);
            let plus = a.optional_capture()?;
            if let Some(name) = &plus {
                let mut names = from.capture_names().chain(to.capture_names());
                a.require(names.any(|n| n == name))?;
            }
            Ok(Property::EachGapAtLeast {
                from,
                to,
                seconds,
                plus,
            })
        },
    },
    Kind {
        name: "overlap_at_most",
        usage: "\"PATTERN\" NAME N SLACK (NAME captured by PATTERN, N >= 1, SLACK >= 0)",
        read: |a| {
            let (line, name) = (a.pattern()?, a.capture()?);
            let (most, slack) = (a.whole()?, a.number()?);
            a.require(line.capture_names().any(|n| n == name))?;
            a.require(most >= 1 && slack >= 0.0)?;
            let most = usize::try_from(most).map_err(|_| a.wrong())?;
            Ok(Property::OverlapAtMost {
                line,
                name,
                most,
                slack,
            })
        },
    },
    Kind {
        name: "end_at_least",
        usage: "\"PATTERN\" S",
        read: |a| {
            let (line, seconds) = (a.pattern()?, a.number()?);
            Ok(Property::EndAtLeast { line, seconds })
        },
    },
    Kind {
        name: "end_at_most",
        usage: "\"PATTERN\" S",
        read: |a| {
            let (line, seconds) = (a.pattern()?, a.number()?);
            Ok(Property::EndAtMost { line, seconds })
        },
    },
    Kind {
        name: "before",
        usage: "\"P\" \"Q\"",
        read: |a| {
            let (early, late) = (a.pattern()?, a.pattern()?);
            Ok(Property::Before { early, late })
        },
    },
    Kind {
        name: "none_after",
        usage: "\"P\" \"Q\"",
        read: |a| {
            let (first, late) = (a.pattern()?, a.pattern()?);
            Ok(Property::NoneAfter { first, late })
        },
    },
    Kind {
        name: "count",
        usage: "NAME N",
        read: |a| {
            let name = a.capture()?;
            let count = usize::try_from(a.whole()?).map_err(|_| a.wrong())?;
            Ok(Property::Count { name, count })
        },
    },
    Kind {
        name: "all",
        usage: "NAME OP V (OP is ==, !=, <, <=, > or >=)",
        read: |a| {
            let name = a.capture()?;
            let op = Op::parse(&a.bare()?).ok_or_else(|| a.wrong())?;
            let bound = a.bare()?;
            let number = Read::of(&bound).number();
            Ok(Property::All {
                name,
                op,
                bound,
                number,
            })
        },
    },
    Kind {
        name: "same",
        usage: "NAME OTHER",
        read: |a| {
            let (name, other) = (a.capture()?, a.capture()?);
            Ok(Property::Same { name, other })
        },
    },
    Kind {
        name: "in_key_order",
        usage: "RESULT VALUE KEY",
        read: |a| Ok(Property::InKeyOrder(a.key_order()?)),
    },
    Kind {
        name: "not_in_key_order",
        usage: "RESULT VALUE KEY",
        read: |a| Ok(Property::NotInKeyOrder(a.key_order()?)),
    },
    Kind {
        name: "min_ratio_at_least",
        usage: "A B R (R > 0)",
        read: |a| {
            let (over, under, ratio) = (a.capture()?, a.capture()?, a.number()?);
            a.require(ratio > 0.0)?;
            Ok(Property::MinRatioAtLeast { over, under, ratio })
        },
    },
    Kind {
        name: "ascending",
        usage: "NAME [SLACK] (SLACK >= 0)",
        read: |a| {
            let name = a.capture()?;
            let slack = a.optional_number(0.0)?;
            a.require(slack >= 0.0)?;
            Ok(Property::Ascending { name, slack })
        },
    },
    Kind {
        name: "distinct",
        usage: "NAME",
        read: |a| {
            let name = a.capture()?;
            Ok(Property::Distinct { name })
        },
    },
    Kind {
        name: "permutation",
        usage: "NAME A B (whole numbers, A <= B)",
        read: |a| {
            let (name, from, to) = (a.capture()?, a.whole()?, a.whole()?);
            a.require(from <= to)?;
            Ok(Property::Permutation { name, from, to })
        },
    },
    Kind {
        name: "only_last_above",
        usage: "NAME V",
        read: |a| {
            let (name, bound) = (a.capture()?, a.number()?);
            Ok(Property::OnlyLastAbove { name, bound })
        },
    },
    Kind {
        name: "not_pid",
        usage: "NAME",
        read: |a| {
            let name = a.capture()?;
            Ok(Property::NotPid { name })
        },
    },
    Kind {
        name: "is_pid",
        usage: "NAME",
        read: |a| {
            let name = a.capture()?;
            Ok(Property::IsPid { name })
        },
    },
];

/// The kind of check called `name`; the error lists them all.
fn kind_named(name: &str) -> Result<&'static Kind, String> {
    KINDS.iter().find(|k| k.name == name).ok_or_else(|| {
        let names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
        format!(
            "unknown check `{name}`; the checks are: {} (crates/checker/README.md says what each proves)",
            names.join(", ")
        )
    })
}

/// The arguments of one check line, read in order.
struct Args<'a> {
    tokens: std::slice::Iter<'a, Token>,
    /// How many tokens are still unread.
    left: usize,
    kind: &'static Kind,
}

impl Args<'_> {
    fn wrong(&self) -> String {
        format!("`{}` takes {}", self.kind.name, self.kind.usage)
    }

    fn require(&self, holds: bool) -> Result<(), String> {
        if holds { Ok(()) } else { Err(self.wrong()) }
    }

    fn next(&mut self) -> Option<&Token> {
        self.left = self.left.saturating_sub(1);
        self.tokens.next()
    }

    fn bare(&mut self) -> Result<String, String> {
        match self.next() {
            Some(Token::Bare(word)) => Ok(word.clone()),
            _ => Err(self.wrong()),
        }
    }

    fn number(&mut self) -> Result<f64, String> {
        let word = self.bare()?;
        word.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| self.wrong())
    }

    /// A number when one is left, else `default`.
    fn optional_number(&mut self, default: f64) -> Result<f64, String> {
        if self.left == 0 {
            Ok(default)
        } else {
            self.number()
        }
    }

    fn whole(&mut self) -> Result<i64, String> {
        self.bare()?.parse::<i64>().map_err(|_| self.wrong())
    }

    /// A capture name when one is left, else none.
    fn optional_capture(&mut self) -> Result<Option<String>, String> {
        if self.left == 0 {
            Ok(None)
        } else {
            self.capture().map(Some)
        }
    }

    fn capture(&mut self) -> Result<String, String> {
        let word = self.bare()?;
        let valid = word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if valid { Ok(word) } else { Err(self.wrong()) }
    }

    fn key_order(&mut self) -> Result<KeyOrder, String> {
        let (result, value, key) = (self.capture()?, self.capture()?, self.capture()?);
        Ok(KeyOrder { result, value, key })
    }

    fn pattern(&mut self) -> Result<Pattern, String> {
        match self.next() {
            Some(Token::Quoted(text)) => Pattern::parse(text),
            _ => Err(self.wrong()),
        }
    }

    fn done(mut self) -> Result<(), String> {
        match self.next() {
            Some(_) => Err(self.wrong()),
            None => Ok(()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "==" => Op::Eq,
            "!=" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            _ => return None,
        })
    }

    /// How it is written.
    fn text(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }

    /// How it reads in a sentence.
    fn words(self) -> &'static str {
        match self {
            Op::Eq => "equal to",
            Op::Ne => "other than",
            Op::Lt => "below",
            Op::Le => "at most",
            Op::Gt => "above",
            Op::Ge => "at least",
        }
    }

    fn holds(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Op::Eq => ordering == Equal,
            Op::Ne => ordering != Equal,
            Op::Lt => ordering == Less,
            Op::Le => ordering != Greater,
            Op::Gt => ordering == Greater,
            Op::Ge => ordering != Less,
        }
    }
}

impl Property {
    fn sentence(&self) -> String {
        match self {
            Property::ElapsedAtLeast { seconds } => format!("the run took at least {seconds} s"),
            Property::ElapsedAtMost { seconds } => format!("the run took at most {seconds} s"),
            Property::ElapsedAtLeastSum { name, divisor } if *divisor == 1.0 => format!(
                "the run took at least the sum of the `{name}` values: the parts that took them did not overlap"
            ),
            Property::ElapsedAtLeastSum { name, divisor: d } => format!(
                "the run took at least the sum of the `{name}` values divided by {d}: at most {d} of those parts ran at once"
            ),
            Property::ElapsedBelowSum { name } => format!(
                "the run took less than the sum of the `{name}` values: some of those parts overlapped"
            ),
            Property::ElapsedAtLeastMax { name } => format!(
                "the run took at least the largest `{name}` value: it waited for the longest part"
            ),
            Property::LineAtLeast { line, seconds } => {
                format!("the first line `{line}` came no sooner than {seconds} s after the start")
            }
            Property::LineAtMost { line, seconds } => {
                format!("the first line `{line}` came within {seconds} s of the start")
            }
            Property::GapAtLeast { from, to, seconds } => format!(
                "the first line `{to}` came at least {seconds} s after the first line `{from}`"
            ),
            Property::GapAtMost { from, to, seconds } => format!(
                "the first line `{to}` came at most {seconds} s after the first line `{from}`"
            ),
            Property::EachGapAtLeast {
                from,
                to,
                seconds: s,
                plus,
            } => {
                let bound = match plus {
                    None => format!("{s} s"),
                    Some(n) if *s < 0.0 => format!("its `{n}` value less {} s", -s),
                    Some(n) if *s == 0.0 => format!("its `{n}` value"),
                    Some(n) => format!("{s} s plus its `{n}` value"),
                };
                format!(
                    "every line `{to}` came at least {bound} after the last line `{from}` before it (that agrees with it on the values both capture)"
                )
            }
            Property::OverlapAtMost {
                line,
                name,
                most,
                slack,
            } => format!(
                "each line `{line}` ends a span of its `{name}` seconds, and no more than {most} of those spans were open at once (each span's last {slack} s left out: a line read late moves its span)"
            ),
            Property::EndAtLeast { line, seconds } => {
                format!("the run ended at least {seconds} s after the first line `{line}`")
            }
            Property::EndAtMost { line, seconds } => {
                format!("the run ended at most {seconds} s after the first line `{line}`")
            }
            Property::Before { early, late } => {
                format!(
                    "every line `{late}` came after a line `{early}` with the same captured values"
                )
            }
            Property::NoneAfter { first, late } => {
                format!("no line `{late}` came after the first line `{first}`")
            }
            Property::Count { name, count } => {
                format!("exactly {count} `{name}` values were printed")
            }
            Property::All {
                name, op, bound, ..
            } => format!("every `{name}` value is {} {bound}", op.words()),
            Property::Same { name, other } => {
                format!("the `{name}` values are the `{other}` values, in the same order")
            }
            Property::InKeyOrder(KeyOrder { result, value, key }) => format!(
                "the `{result}` values come in the order of their `{key}` keys (as the `{value}` values sorted by key)"
            ),
            Property::NotInKeyOrder(KeyOrder { result, key, .. }) => format!(
                "the `{result}` values do not come in the order of their `{key}` keys: they follow the order the work finished in"
            ),
            Property::MinRatioAtLeast { over, under, ratio } => format!(
                "the smallest `{over}` value is at least {ratio} times the smallest `{under}` value: each way's least disturbed measure"
            ),
            Property::Ascending { name, slack } if *slack == 0.0 => {
                format!("the `{name}` values never decrease, in the order they were printed")
            }
            Property::Ascending { name, slack } => format!(
                "the `{name}` values never fall by more than {slack}, in the order they were printed"
            ),
            Property::Distinct { name } => format!("no `{name}` value appears twice"),
            Property::Permutation { name, from, to } => {
                format!("the `{name}` values are {from} to {to}, each exactly once")
            }
            Property::OnlyLastAbove { name, bound: v } => format!(
                "only the last `{name}` value is above {v}; every earlier one is at most {v}"
            ),
            Property::NotPid { name } => {
                format!("no `{name}` value is the process id of the example itself")
            }
            Property::IsPid { name } => {
                format!("every `{name}` value is the process id of the example itself")
            }
        }
    }

    /// The names of the run's captures it reads (not those of its own patterns).
    fn capture_names(&self) -> Vec<&str> {
        match self {
            Property::ElapsedAtLeast { .. }
            | Property::ElapsedAtMost { .. }
            | Property::LineAtLeast { .. }
            | Property::LineAtMost { .. }
            | Property::GapAtLeast { .. }
            | Property::GapAtMost { .. }
            | Property::EndAtLeast { .. }
            | Property::EndAtMost { .. }
            | Property::Before { .. }
            | Property::NoneAfter { .. } => Vec::new(),
            // Their values come from their own pattern, checked when the line is read.
            Property::EachGapAtLeast { .. } | Property::OverlapAtMost { .. } => Vec::new(),
            Property::ElapsedAtLeastSum { name, .. }
            | Property::ElapsedBelowSum { name }
            | Property::ElapsedAtLeastMax { name }
            | Property::Count { name, .. }
            | Property::All { name, .. }
            | Property::Ascending { name, .. }
            | Property::Distinct { name }
            | Property::Permutation { name, .. }
            | Property::OnlyLastAbove { name, .. }
            | Property::NotPid { name }
            | Property::IsPid { name } => vec![name],
            Property::Same { name, other } => vec![name, other],
            Property::MinRatioAtLeast { over, under, .. } => vec![over, under],
            Property::InKeyOrder(order) | Property::NotInKeyOrder(order) => {
                vec![&order.result, &order.value, &order.key]
            }
        }
    }

    /// What its bound leans on besides the lines it names.
    fn leans_on(&self) -> LeansOn {
        match self {
            Property::ElapsedAtLeast { .. }
            | Property::ElapsedAtMost { .. }
            | Property::LineAtLeast { .. }
            | Property::LineAtMost { .. } => START,
            Property::ElapsedAtLeastSum { .. }
            | Property::ElapsedBelowSum { .. }
            | Property::ElapsedAtLeastMax { .. } => START_AND_VALUES,
            Property::EachGapAtLeast { plus, .. } => LeansOn {
                start: false,
                values: plus.is_some(),
            },
            Property::OverlapAtMost { .. } => LeansOn {
                start: false,
                values: true,
            },
            Property::GapAtLeast { .. }
            | Property::GapAtMost { .. }
            | Property::EndAtLeast { .. }
            | Property::EndAtMost { .. }
            | Property::Before { .. }
            | Property::NoneAfter { .. }
            | Property::Count { .. }
            | Property::All { .. }
            | Property::Same { .. }
            | Property::InKeyOrder(_)
            | Property::NotInKeyOrder(_)
            | Property::MinRatioAtLeast { .. }
            | Property::Ascending { .. }
            | Property::Distinct { .. }
            | Property::Permutation { .. }
            | Property::OnlyLastAbove { .. }
            | Property::NotPid { .. }
            | Property::IsPid { .. } => LeansOn::default(),
        }
    }

    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let elapsed = run.elapsed.as_secs_f64();
        match self {
            Property::ElapsedAtLeast { seconds } => at_least("the run", elapsed, *seconds),
            Property::ElapsedAtMost { seconds } => at_most("the run", elapsed, *seconds),
            Property::ElapsedAtLeastSum { name, divisor } => {
                let sum: f64 = numbers(run, name)?.iter().sum();
                if elapsed >= sum / divisor {
                    Ok(())
                } else {
                    Err(format!(
                        "the run took {elapsed:.3} s, less than the {name} values' sum {sum:.3} s / {divisor}: they overlapped"
                    ))
                }
            }
            Property::ElapsedBelowSum { name } => {
                let sum: f64 = numbers(run, name)?.iter().sum();
                if elapsed < sum {
                    Ok(())
                } else {
                    Err(format!(
                        "the run took {elapsed:.3} s, not less than the {name} values' sum {sum:.3} s: none overlapped"
                    ))
                }
            }
            Property::ElapsedAtLeastMax { name } => {
                let max = numbers(run, name)?.into_iter().fold(f64::MIN, f64::max);
                if elapsed >= max {
                    Ok(())
                } else {
                    Err(format!(
                        "the run took {elapsed:.3} s, less than the largest {name} value {max}"
                    ))
                }
            }
            Property::LineAtLeast { line, seconds } => {
                let at = first(run, line)?.at.as_secs_f64();
                at_least(&format!("`{line}`"), at, *seconds)
            }
            Property::LineAtMost { line, seconds } => {
                let at = first(run, line)?.at.as_secs_f64();
                at_most(&format!("`{line}`"), at, *seconds)
            }
            Property::GapAtLeast { from, to, seconds } => {
                let gap = first(run, to)?.at.as_secs_f64() - first(run, from)?.at.as_secs_f64();
                if gap >= *seconds {
                    Ok(())
                } else {
                    Err(format!(
                        "`{to}` came {gap:.3} s after `{from}`, sooner than {seconds} s"
                    ))
                }
            }
            Property::GapAtMost { from, to, seconds } => {
                let gap = first(run, to)?.at.as_secs_f64() - first(run, from)?.at.as_secs_f64();
                if gap <= *seconds {
                    Ok(())
                } else {
                    Err(format!(
                        "`{to}` came {gap:.3} s after `{from}`, later than {seconds} s"
                    ))
                }
            }
            Property::EachGapAtLeast {
                from,
                to,
                seconds,
                plus,
            } => each_gap_at_least(run, from, to, *seconds, plus.as_deref()),
            Property::OverlapAtMost {
                line,
                name,
                most,
                slack,
            } => overlap_at_most(run, line, name, *most, *slack),
            Property::EndAtLeast { line, seconds } => {
                let after = elapsed - first(run, line)?.at.as_secs_f64();
                if after >= *seconds {
                    Ok(())
                } else {
                    Err(format!(
                        "the run ended {after:.3} s after `{line}`, sooner than {seconds} s"
                    ))
                }
            }
            Property::EndAtMost { line, seconds } => {
                let after = elapsed - first(run, line)?.at.as_secs_f64();
                if after <= *seconds {
                    Ok(())
                } else {
                    Err(format!(
                        "the run ended {after:.3} s after `{line}`, later than {seconds} s"
                    ))
                }
            }
            Property::Before { early, late } => before(run, early, late),
            Property::NoneAfter { first, late } => {
                let start = run.lines.iter().position(|l| first.fits(&l.text));
                let start = start.ok_or_else(|| format!("no line fits `{first}`"))?;
                match run.lines[start + 1..].iter().find(|l| late.fits(&l.text)) {
                    Some(line) => Err(format!(
                        "`{}` came after `{}`",
                        line.text, run.lines[start].text
                    )),
                    None => Ok(()),
                }
            }
            Property::Count { name, count } => {
                let got = values_of(run, name).count();
                if got == *count {
                    Ok(())
                } else {
                    Err(format!("{got} {name} value(s) were captured, not {count}"))
                }
            }
            Property::All {
                name,
                op,
                bound,
                number,
            } => {
                // Numbers compare as numbers, anything else as text.
                let holds = |v: &Value| match (v.read.number(), number) {
                    (Some(a), Some(b)) => a.partial_cmp(b).is_some_and(|o| op.holds(o)),
                    _ => op.holds(v.text.as_str().cmp(bound)),
                };
                match some_values(run, name)?.into_iter().find(|v| !holds(v)) {
                    Some(bad) => Err(format!(
                        "a {name} value is {}, which is not {} {bound}",
                        bad.text,
                        op.text()
                    )),
                    None => Ok(()),
                }
            }
            Property::Same { name, other } => same(run, name, other),
            Property::InKeyOrder(order) => {
                let KeyOrder { result, value, key } = order;
                let (got, wanted) = order.orders(run)?;
                match got.iter().zip(&wanted).position(|(g, w)| g != w) {
                    _ if got == wanted => Ok(()),
                    Some(at) => Err(format!(
                        "{result} number {} is {}, but taken in {key} order the {value} values give {} there",
                        at + 1,
                        got[at],
                        wanted[at]
                    )),
                    None => Err(format!(
                        "{} {result} values, for {} {value} values",
                        got.len(),
                        wanted.len()
                    )),
                }
            }
            Property::NotInKeyOrder(order) => {
                let KeyOrder { result, key, .. } = order;
                let (got, wanted) = order.orders(run)?;
                if got.len() < 2 {
                    Err(format!(
                        "{} {result} value(s): too few to have an order",
                        got.len()
                    ))
                } else if got == wanted {
                    Err(format!(
                        "the {result} values come exactly in {key} order, the order of the keys, not the order the work finished in"
                    ))
                } else {
                    Ok(())
                }
            }
            Property::MinRatioAtLeast {
                over: a,
                under: b,
                ratio: wanted,
            } => {
                let least = |name: &str| -> Result<f64, String> {
                    Ok(numbers(run, name)?
                        .into_iter()
                        .fold(f64::INFINITY, f64::min))
                };
                let (over, under) = (least(a)?, least(b)?);
                if under <= 0.0 {
                    return Err(format!("the smallest {b} value is {under}: no ratio to it"));
                }
                let ratio = over / under;
                if ratio >= *wanted {
                    Ok(())
                } else {
                    Err(format!(
                        "the smallest {a} value {over} is {ratio:.2} times the smallest {b} value {under}, less than {wanted}"
                    ))
                }
            }
            Property::Ascending { name, slack } => {
                // A slack forgives two values this close coming out swapped: sleeps a few
                // milliseconds apart can finish in either order on a busy machine.
                let values = numbers(run, name)?;
                match values.windows(2).find(|w| w[1] < w[0] - slack) {
                    Some(w) => Err(format!(
                        "the {name} values go down: {} then {} (by more than {slack})",
                        w[0], w[1]
                    )),
                    None => Ok(()),
                }
            }
            Property::Distinct { name } => {
                let mut seen = std::collections::HashSet::new();
                match some_values(run, name)?
                    .into_iter()
                    .find(|v| !seen.insert(&v.text))
                {
                    Some(twice) => Err(format!("the {name} value {} appears twice", twice.text)),
                    None => Ok(()),
                }
            }
            Property::Permutation { name, from, to } => permutation(run, name, *from, *to),
            Property::OnlyLastAbove { name, bound } => {
                let values = numbers(run, name)?;
                let (last, earlier) = values.split_last().expect("numbers() is never empty");
                if let Some(early) = earlier.iter().find(|v| **v > *bound) {
                    Err(format!(
                        "an earlier {name} value {early} is already above {bound}"
                    ))
                } else if *last <= *bound {
                    Err(format!("the last {name} value {last} is not above {bound}"))
                } else {
                    Ok(())
                }
            }
            Property::NotPid { name } => {
                let pid = run.pid.to_string();
                if some_values(run, name)?.iter().any(|v| v.text == pid) {
                    Err(format!("a {name} value is the process id {pid}"))
                } else {
                    Ok(())
                }
            }
            Property::IsPid { name } => {
                let pid = run.pid.to_string();
                match some_values(run, name)?.into_iter().find(|v| v.text != pid) {
                    Some(other) => Err(format!(
                        "the {name} value {} is not the process id {pid}",
                        other.text
                    )),
                    None => Ok(()),
                }
            }
        }
    }
}

impl KeyOrder {
    /// The RESULT values as printed, and the VALUE values sorted by the KEY captured on the
    /// same lines.
    fn orders<'a>(&self, run: &'a Evidence) -> Result<(Vec<&'a str>, Vec<&'a str>), String> {
        let KeyOrder { result, value, key } = self;
        let (values, keys) = (some_values(run, value)?, numbers(run, key)?);
        if values.len() != keys.len() {
            return Err(format!(
                "{} {value} values but {} {key} values: capture them on the same lines",
                values.len(),
                keys.len()
            ));
        }
        let mut pairs: Vec<(f64, &str)> = keys
            .into_iter()
            .zip(values.iter().map(|v| v.text.as_str()))
            .collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let wanted = pairs.into_iter().map(|(_, v)| v).collect();
        let got = values_of(run, result).map(|v| v.text.as_str()).collect();
        Ok((got, wanted))
    }
}

/// `each_gap_at_least "P" "Q" S [NAME]`: each line fitting Q is paired with the nearest line
/// before it that fits P and agrees with it.
fn each_gap_at_least(
    run: &Evidence,
    p: &Pattern,
    q: &Pattern,
    seconds: f64,
    plus: Option<&str>,
) -> Result<(), String> {
    // Each pattern is matched once per line.
    let earlier: Vec<Option<Vec<Capture>>> = run.lines.iter().map(|l| p.captures(l)).collect();
    let mut paired = 0;
    for (index, line) in run.lines.iter().enumerate() {
        let Some(late) = q.captures(line) else {
            continue;
        };
        let pair = (0..index).rev().find_map(|i| {
            let early = earlier[i].as_ref()?;
            agree(early, &late).then_some((&run.lines[i], early))
        });
        let Some((start, early)) = pair else {
            continue;
        };
        paired += 1;
        let value = match plus {
            None => 0.0,
            Some(n) => value_of(early.iter().chain(&late), n)?,
        };
        let gap = line.at.as_secs_f64() - start.at.as_secs_f64();
        let bound = seconds + value;
        if gap < bound {
            return Err(format!(
                "`{}` came {gap:.3} s after `{}`, sooner than {bound:.3} s",
                line.text, start.text
            ));
        }
    }
    if paired == 0 {
        Err(format!(
            "no line fitting `{q}` came after a line fitting `{p}`"
        ))
    } else {
        Ok(())
    }
}

/// `overlap_at_most "PATTERN" NAME N SLACK`
fn overlap_at_most(
    run: &Evidence,
    pattern: &Pattern,
    name: &str,
    most: usize,
    slack: f64,
) -> Result<(), String> {
    // Each span as (from, to, its line); a span no longer than the slack counts as none.
    let mut spans = Vec::new();
    let mut seen = false;
    for line in &run.lines {
        let Some(found) = pattern.captures(line) else {
            continue;
        };
        seen = true;
        let end = line.at.as_secs_f64();
        let (from, to) = (end - value_of(found.iter(), name)?, end - slack);
        if from < to {
            spans.push((from, to, line.text.as_str()));
        }
    }
    if !seen {
        return Err(format!("no line fits `{pattern}`"));
    }
    // The most spans open at once are open at some span's start: count, at each start, the
    // spans begun by then and not yet ended (a span ending where another starts does not
    // overlap it).
    for (from, ..) in &spans {
        let open: Vec<&str> = spans
            .iter()
            .filter(|(f, t, _)| f <= from && t > from)
            .map(|(.., text)| *text)
            .collect();
        if open.len() > most {
            return Err(format!(
                "at {from:.3} s, {} spans were open at once, more than {most}: those of `{}`",
                open.len(),
                open.join("`, `")
            ));
        }
    }
    Ok(())
}

/// `same NAME OTHER`
fn same(run: &Evidence, a: &str, b: &str) -> Result<(), String> {
    let left: Vec<&str> = some_values(run, a)?
        .into_iter()
        .map(|v| v.text.as_str())
        .collect();
    let right: Vec<&str> = values_of(run, b).map(|v| v.text.as_str()).collect();
    if left == right {
        return Ok(());
    }
    let (n, m) = (left.len(), right.len());
    match left.iter().zip(&right).position(|(x, y)| x != y) {
        Some(at) => Err(format!(
            "the {a} and {b} values part at position {}: {} against {} ({n} and {m} values)",
            at + 1,
            left[at],
            right[at]
        )),
        None => Err(format!(
            "the {a} values ({n}) and the {b} values ({m}) agree as far as the shorter goes, but not in number"
        )),
    }
}

/// `permutation NAME A B`
fn permutation(run: &Evidence, name: &str, from: i64, to: i64) -> Result<(), String> {
    let mut values = Vec::new();
    for value in some_values(run, name)? {
        match value.read {
            Read::Int(whole) => values.push(whole),
            Read::Float(_) | Read::Word => {
                return Err(format!(
                    "the {name} value {} is not a whole number",
                    value.text
                ));
            }
        }
    }
    values.sort_unstable();
    // Compared without building the range, which the file may make huge.
    let each_once = i128::try_from(values.len()) == Ok(i128::from(to) - i128::from(from) + 1)
        && values.iter().zip(from..).all(|(v, w)| *v == w);
    if each_once {
        Ok(())
    } else {
        Err(format!(
            "the {name} values, sorted, are {values:?}, not each of {from}..={to} once"
        ))
    }
}

fn at_least(what: &str, seconds: f64, bound: f64) -> Result<(), String> {
    if seconds >= bound {
        Ok(())
    } else {
        Err(format!(
            "{what} came at {seconds:.3} s, sooner than {bound} s"
        ))
    }
}

fn at_most(what: &str, seconds: f64, bound: f64) -> Result<(), String> {
    if seconds <= bound {
        Ok(())
    } else {
        Err(format!(
            "{what} came at {seconds:.3} s, later than {bound} s"
        ))
    }
}

/// The values captured as `name`, in output order.
fn values_of<'a>(run: &'a Evidence, name: &str) -> impl Iterator<Item = &'a Value> {
    run.values.iter().filter(move |v| v.name == name)
}

/// The values of `name`; a check on no values at all fails rather than passing vacuously.
fn some_values<'a>(run: &'a Evidence, name: &str) -> Result<Vec<&'a Value>, String> {
    let values: Vec<&Value> = values_of(run, name).collect();
    if values.is_empty() {
        Err(format!("no {name} values were captured"))
    } else {
        Ok(values)
    }
}

/// The values of `name` as finite numbers; no value, or one that is not, fails.
fn numbers(run: &Evidence, name: &str) -> Result<Vec<f64>, String> {
    some_values(run, name)?
        .into_iter()
        .map(|v| {
            v.read
                .finite()
                .ok_or_else(|| format!("the {name} value {} is not a finite number", v.text))
        })
        .collect()
}

fn first<'a>(run: &'a Evidence, pattern: &Pattern) -> Result<&'a Line, String> {
    run.lines
        .iter()
        .find(|l| pattern.fits(&l.text))
        .ok_or_else(|| format!("no line fits `{pattern}`"))
}

/// Every line fitting `q` has an earlier line fitting `p` that agrees on their shared captures.
fn before(run: &Evidence, p: &Pattern, q: &Pattern) -> Result<(), String> {
    // Each pattern is matched once per line; a line fitting Q looks only at the P lines
    // before it.
    let mut earlier: Vec<Vec<Capture>> = Vec::new();
    let mut seen_q = false;
    for line in &run.lines {
        if let Some(late) = q.captures(line) {
            seen_q = true;
            if !earlier.iter().any(|early| agree(early, &late)) {
                return Err(format!(
                    "`{}` came with no earlier line fitting `{p}`",
                    line.text
                ));
            }
        }
        if let Some(early) = p.captures(line) {
            earlier.push(early);
        }
    }
    if seen_q {
        Ok(())
    } else {
        Err(format!("no line fits `{q}`"))
    }
}

/// Two lines' captures agree when every name both capture has the same value in both.
fn agree(early: &[Capture], late: &[Capture]) -> bool {
    late.iter()
        .all(|l| early.iter().all(|e| e.name != l.name || e.value == l.value))
}

/// The value `name` captured on a line a check's own pattern fits, as a finite number.
fn value_of<'a>(
    mut captures: impl Iterator<Item = &'a Capture>,
    name: &str,
) -> Result<f64, String> {
    let text = captures
        .find(|c| c.name == name)
        .map(|c| c.value.as_str())
        .ok_or_else(|| format!("no {name} value was captured"))?;
    Read::of(text)
        .finite()
        .ok_or_else(|| format!("the {name} value {text} is not a finite number"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::words::tokenize;

    fn check(line: &str) -> Check {
        let tokens = tokenize(line).unwrap();
        let (Token::Bare(name), args) = tokens.split_first().unwrap() else {
            panic!("name first")
        };
        Check::parse(name, args).unwrap()
    }

    /// A run from `(seconds, text)` lines; values are captured by `{int:NAME}` / `{float:NAME}`
    /// style markers written as `NAME=VALUE` words in the text.
    fn run(elapsed: f64, lines: &[(f64, &str)]) -> Evidence {
        let (mut found, mut captures) = (Vec::new(), Vec::new());
        for (at, text) in lines {
            let at = Duration::from_secs_f64(*at);
            found.push(Line {
                text: text.to_string(),
                at,
            });
            for word in text.split_whitespace() {
                if let Some((name, value)) = word.split_once('=') {
                    captures.push(Capture {
                        name: name.into(),
                        value: value.into(),
                        at,
                    });
                }
            }
        }
        Evidence::new(found, captures, Duration::from_secs_f64(elapsed), 4242)
    }

    fn passes(check_line: &str, good: &Evidence, broken: &Evidence) {
        let c = check(check_line);
        assert_eq!(
            c.evaluate(good),
            Ok(()),
            "`{check_line}` should pass the good run"
        );
        let err = c
            .evaluate(broken)
            .expect_err(&format!("`{check_line}` should fail the broken run"));
        assert!(!err.is_empty());
    }

    #[test]
    fn elapsed_bounds() {
        passes("elapsed_at_least 1.0", &run(1.02, &[]), &run(0.4, &[]));
        passes("elapsed_at_most 1.5", &run(1.02, &[]), &run(1.7, &[]));
    }

    #[test]
    fn a_mutex_demo_whose_sleeps_overlap_fails_the_sum() {
        let lines = [
            (0.0, "sleep=0.5"),
            (0.5, "sleep=0.25"),
            (0.75, "sleep=0.75"),
        ];
        passes(
            "elapsed_at_least_sum sleep",
            &run(1.51, &lines),
            &run(0.76, &lines),
        );
        // A semaphore of two: at least half the sum, but less than all of it.
        passes(
            "elapsed_at_least_sum sleep 2",
            &run(0.76, &lines),
            &run(0.70, &lines),
        );
        passes(
            "elapsed_below_sum sleep",
            &run(0.76, &lines),
            &run(1.51, &lines),
        );
        passes(
            "elapsed_at_least_max sleep",
            &run(0.76, &lines),
            &run(0.70, &lines),
        );
    }

    #[test]
    fn checks_on_values_never_pass_on_no_values() {
        let empty = run(5.0, &[]);
        for line in [
            "elapsed_at_least_sum sleep",
            "all balance == 0",
            "ascending v",
            "permutation id 0 1",
            "not_pid tid",
        ] {
            assert!(
                check(line).evaluate(&empty).unwrap_err().contains("no "),
                "{line}"
            );
        }
    }

    #[test]
    fn line_times() {
        let good = run(
            1.1,
            &[(0.0, "Waiting"), (1.01, "This is from another thread")],
        );
        let early = run(
            0.1,
            &[(0.0, "Waiting"), (0.01, "This is from another thread")],
        );
        passes(
            "line_at_least \"This is from another thread\" 1.0",
            &good,
            &early,
        );
        passes(
            "line_at_most \"This is from another thread\" 1.5",
            &good,
            &run(3.0, &[(2.9, "This is from another thread")]),
        );
        passes(
            "gap_at_least \"Waiting\" \"This is {text}\" 1.0",
            &good,
            &early,
        );
        passes(
            "gap_at_most \"Waiting\" \"This is {text}\" 0.5",
            &early,
            &good,
        );
        let missing = run(1.1, &[(0.0, "Waiting")]);
        assert!(
            check("line_at_least \"This is from another thread\" 1.0")
                .evaluate(&missing)
                .is_err()
        );
    }

    #[test]
    fn the_end_of_a_run_measured_from_a_line() {
        let good = run(
            1.02,
            &[(0.0, "Waiting"), (1.0, "This is from another thread")],
        );
        // main slept 3 s instead of joining: it ended 2 s after the thread's line
        let slept = run(
            3.0,
            &[(0.0, "Waiting"), (1.0, "This is from another thread")],
        );
        passes("end_at_most \"This is {text}\" 1.0", &good, &slept);
        passes(
            "end_at_least \"Waiting\" 0.8",
            &good,
            &run(0.3, &[(0.0, "Waiting")]),
        );
        // a late start moves the lines and the end alike
        let late = run(
            1.52,
            &[(0.5, "Waiting"), (1.5, "This is from another thread")],
        );
        assert_eq!(
            check("end_at_most \"This is {text}\" 1.0").evaluate(&late),
            Ok(())
        );
        assert!(
            check("end_at_least \"Nothing\" 0.1")
                .evaluate(&good)
                .unwrap_err()
                .contains("no line fits")
        );
    }

    #[test]
    fn each_gap_pairs_a_line_with_the_last_agreeing_line_before_it() {
        // each task's end line, its own sleep after its start line
        let good = run(
            1.0,
            &[
                (0.0, "start 0 v=0.5"),
                (0.0, "start 1 v=0.25"),
                (0.26, "end 1"),
                (0.51, "end 0"),
            ],
        );
        let truncated = run(
            0.1,
            &[
                (0.0, "start 0 v=0.5"),
                (0.0, "start 1 v=0.25"),
                (0.01, "end 1"),
                (0.01, "end 0"),
            ],
        );
        let line = "each_gap_at_least \"start {int:n} v={float:v}\" \"end {int:n}\" -0.2 v";
        passes(line, &good, &truncated);
        // a task's end came 0.1 s sooner than its sleep: within the 0.2 s of slack ...
        let late_read = run(
            1.0,
            &[
                (0.1, "start 0 v=0.5"),
                (0.1, "start 1 v=0.25"),
                (0.26, "end 1"),
                (0.51, "end 0"),
            ],
        );
        assert_eq!(check(line).evaluate(&late_read), Ok(()));
        // ... and each end pairs with its own start (the shared capture), not the nearest one
        let crossed = run(
            1.0,
            &[
                (0.0, "start 0 v=0.5"),
                (0.3, "start 1 v=0.4"),
                (0.5, "end 0"),
                (0.7, "end 1"),
            ],
        );
        let tight = "each_gap_at_least \"start {int:n} v={float:v}\" \"end {int:n}\" -0.05 v";
        assert_eq!(check(tight).evaluate(&crossed), Ok(()));
        let err = check("each_gap_at_least \"start {int:n} v={float:v}\" \"end {int:n}\" 0.1 v")
            .evaluate(&crossed)
            .unwrap_err();
        assert!(
            err.contains("`end 0` came 0.500 s after `start 0 v=0.5`"),
            "{err}"
        );
        // one pattern for both: each line against the one before it, with that one's value
        let sections = |at: [f64; 3]| {
            run(
                1.0,
                &[
                    (at[0], "got v=0.4"),
                    (at[1], "got v=0.3"),
                    (at[2], "got v=0.2"),
                ],
            )
        };
        let one_at_a_time = "each_gap_at_least \"got v={float:v}\" \"got v={float}\" -0.2 v";
        passes(
            one_at_a_time,
            &sections([0.0, 0.4, 0.7]),
            &sections([0.0, 0.01, 0.02]),
        );
        // a constant, from a line all others follow
        let main_then_threads = |after: f64| {
            run(
                3.0,
                &[
                    (0.0, "Main thread blocking..."),
                    (after + 0.3, "Thread 0 got 0.3"),
                    (after + 0.7, "Thread 1 got 0.7"),
                ],
            )
        };
        passes(
            "each_gap_at_least \"Main thread blocking...\" \"Thread {int} got {float:value}\" 1.8 value",
            &main_then_threads(2.0),
            &main_then_threads(1.0),
        );
        // no pair at all fails: a line that came before every line it pairs with proves nothing
        let unpaired = run(1.0, &[(0.0, "end 0"), (0.5, "start 0 v=0.5")]);
        assert!(
            check(line)
                .evaluate(&unpaired)
                .unwrap_err()
                .contains("no line fitting")
        );
        assert!(parse("each_gap_at_least \"a {int:n}\" \"b\" 1 v").is_err());
    }

    #[test]
    fn overlap_counts_the_spans_open_at_once() {
        // a semaphore of two: each line ends a span of its own value
        let two_lanes = run(
            1.3,
            &[
                (0.5, "got 0.5"),
                (0.6, "got 0.6"),
                (0.9, "got 0.4"),
                (1.2, "got 0.6"),
            ],
        );
        let all_at_once = run(
            0.61,
            &[
                (0.4, "got 0.4"),
                (0.5, "got 0.5"),
                (0.6, "got 0.6"),
                (0.6, "got 0.6"),
            ],
        );
        passes(
            "overlap_at_most \"got {float:v}\" v 2 0.2",
            &two_lanes,
            &all_at_once,
        );
        // spans that only touch do not overlap; one read 0.15 s late is forgiven
        let one_lane = run(
            1.2,
            &[(0.5, "got 0.5"), (1.0, "got 0.5"), (1.25, "got 0.25")],
        );
        assert_eq!(
            check("overlap_at_most \"got {float:v}\" v 1 0.0").evaluate(&one_lane),
            Ok(())
        );
        let read_late = run(1.2, &[(0.65, "got 0.5"), (1.0, "got 0.5")]);
        passes(
            "overlap_at_most \"got {float:v}\" v 1 0.2",
            &read_late,
            &run(0.6, &[(0.5, "got 0.5"), (0.55, "got 0.5")]),
        );
        // spans no longer than the slack count as none: small draws prove nothing
        let small = run(0.2, &[(0.1, "got 0.1"), (0.1, "got 0.1")]);
        assert_eq!(
            check("overlap_at_most \"got {float:v}\" v 1 0.2").evaluate(&small),
            Ok(())
        );
        assert!(
            check("overlap_at_most \"got {float:v}\" v 1 0.2")
                .evaluate(&run(1.0, &[]))
                .is_err()
        );
        assert!(parse("overlap_at_most \"got {float}\" v 1 0.2").is_err());
        assert!(parse("overlap_at_most \"got {float:v}\" v 0 0.2").is_err());
        assert!(parse("overlap_at_most \"got {float:v}\" v 1 -0.1").is_err());
    }

    #[test]
    fn a_check_says_what_it_leans_on() {
        let leans = |line: &str| check(line).leans_on();
        let start = LeansOn {
            start: true,
            values: false,
        };
        assert_eq!(leans("line_at_least \"x\" 1"), start);
        assert_eq!(leans("elapsed_at_most 2"), start);
        assert!(leans("elapsed_at_least_sum v").start && leans("elapsed_below_sum v").values);
        assert_eq!(leans("gap_at_least \"x\" \"y\" 1"), LeansOn::default());
        assert_eq!(leans("end_at_most \"x\" 1"), LeansOn::default());
        assert_eq!(leans("each_gap_at_least \"x\" \"y\" 1"), LeansOn::default());
        let values = LeansOn {
            start: false,
            values: true,
        };
        assert_eq!(leans("each_gap_at_least \"x {float:v}\" \"y\" 0 v"), values);
        assert_eq!(leans("overlap_at_most \"x {float:v}\" v 1 0.2"), values);
    }

    #[test]
    fn before_pairs_lines_by_their_shared_captures() {
        let good = run(
            2.0,
            &[
                (0.0, "Thread 1: finishing"),
                (0.1, "Main    : thread 0 done"),
                (0.0, "Thread 0: finishing"),
            ],
        );
        let good = Evidence {
            lines: vec![
                good.lines[2].clone(),
                good.lines[0].clone(),
                good.lines[1].clone(),
            ],
            ..good
        };
        let broken = run(
            2.0,
            &[
                (0.0, "Main    : thread 0 done"),
                (0.1, "Thread 0: finishing"),
            ],
        );
        passes(
            "before \"Thread {int:n}: finishing\" \"Main    : thread {int:n} done\"",
            &good,
            &broken,
        );
        // Thread 1 finished first, but thread 0 is the one main says is done: not enough.
        let wrong_thread = run(
            2.0,
            &[
                (0.0, "Thread 1: finishing"),
                (0.1, "Main    : thread 0 done"),
            ],
        );
        assert!(
            check("before \"Thread {int:n}: finishing\" \"Main    : thread {int:n} done\"")
                .evaluate(&wrong_thread)
                .is_err()
        );
    }

    #[test]
    fn none_after_a_kill() {
        let good = run(
            7.0,
            &[
                (0.0, "Task is running"),
                (5.0, "Killing the thread via its process"),
                (5.1, "All done"),
            ],
        );
        let broken = run(
            7.0,
            &[
                (5.0, "Killing the thread via its process"),
                (6.0, "Task is running"),
            ],
        );
        passes(
            "none_after \"Killing the thread{text}\" \"Task is running\"",
            &good,
            &broken,
        );
    }

    #[test]
    fn value_properties() {
        let ids = |list: &[&str]| {
            let lines: Vec<(f64, String)> = list.iter().map(|v| (0.0, format!("id={v}"))).collect();
            let borrowed: Vec<(f64, &str)> = lines.iter().map(|(t, s)| (*t, s.as_str())).collect();
            run(1.0, &borrowed)
        };
        passes("count id 3", &ids(&["0", "1", "2"]), &ids(&["0", "1"]));
        passes("all id >= 0", &ids(&["0", "1", "2"]), &ids(&["0", "-1"]));
        passes("all id == 0", &ids(&["0", "0.0"]), &ids(&["0", "1"]));
        passes(
            "ascending id",
            &ids(&["0.1", "0.5", "0.5", "0.9"]),
            &ids(&["0.1", "0.9", "0.5"]),
        );
        passes(
            "ascending id 0.05",
            &ids(&["0.1", "0.5", "0.48", "0.9"]),
            &ids(&["0.1", "0.5", "0.4"]),
        );
        passes(
            "distinct id",
            &ids(&["2", "0", "1"]),
            &ids(&["2", "0", "2"]),
        );
        passes(
            "permutation id 0 2",
            &ids(&["2", "0", "1"]),
            &ids(&["2", "0", "0"]),
        );
        passes(
            "only_last_above id 0.9",
            &ids(&["0.5", "0.2", "0.95"]),
            &ids(&["0.5", "0.92", "0.95"]),
        );
        assert!(
            check("only_last_above id 0.9")
                .evaluate(&ids(&["0.5", "0.2"]))
                .is_err()
        );
        passes("not_pid id", &ids(&["4243"]), &ids(&["4242"]));
        let trials = |pipe: &[&str], thread: &[&str]| {
            let mut lines: Vec<String> = pipe.iter().map(|v| format!("pipe={v}")).collect();
            lines.extend(thread.iter().map(|v| format!("thread={v}")));
            let borrowed: Vec<(f64, &str)> = lines.iter().map(|s| (0.0, s.as_str())).collect();
            run(1.0, &borrowed)
        };
        // the least disturbed trial of each way: one slow trial moves neither minimum
        passes(
            "min_ratio_at_least pipe thread 1.6",
            &trials(&["0.13", "0.40", "0.14"], &["0.07", "0.06", "0.30"]),
            &trials(&["0.13", "0.40", "0.14"], &["0.11", "0.10", "0.30"]),
        );
        assert!(
            check("min_ratio_at_least pipe thread 1.6")
                .evaluate(&trials(&["0.1"], &["0"]))
                .is_err()
        );
        passes("is_pid id", &ids(&["4242"]), &ids(&["4242", "4243"]));
    }

    #[test]
    fn same_names_where_two_long_sequences_part() {
        let made: Vec<String> = (0..5000)
            .map(|i| format!("made={i} stored={}", if i == 4000 { 1 } else { i }))
            .collect();
        let lines: Vec<(f64, &str)> = made.iter().map(|t| (0.0, t.as_str())).collect();
        let err = check("same made stored")
            .evaluate(&run(1.0, &lines))
            .unwrap_err();
        assert!(err.contains("position 4001: 4000 against 1"), "{err}");
        assert!(err.len() < 200, "a short sentence, not the lists: {err}");
    }

    #[test]
    fn in_key_order_wants_results_in_the_order_of_their_keys() {
        let started = [
            (0.0, "id=1 v=0.9"),
            (0.0, "id=0 v=0.2"),
            (0.1, "id=2 v=0.5"),
        ];
        let issue_order = [
            started.as_slice(),
            &[(0.9, "r=0.2"), (0.9, "r=0.9"), (1.0, "r=0.5")],
        ]
        .concat();
        let completion_order = [
            started.as_slice(),
            &[(0.2, "r=0.2"), (0.6, "r=0.5"), (0.9, "r=0.9")],
        ]
        .concat();
        passes(
            "in_key_order r v id",
            &run(1.0, &issue_order),
            &run(1.0, &completion_order),
        );
        let lost = [started.as_slice(), &[(0.9, "r=0.2"), (0.9, "r=0.9")]].concat();
        assert!(
            check("in_key_order r v id")
                .evaluate(&run(1.0, &lost))
                .is_err()
        );
        // imap_unordered's property is the negation: not the order the tasks were issued in.
        passes(
            "not_in_key_order r v id",
            &run(1.0, &completion_order),
            &run(1.0, &issue_order),
        );
    }

    #[test]
    fn same_compares_two_sequences_in_order() {
        let good = run(
            1.0,
            &[
                (0.0, "made=1"),
                (0.1, "stored=1"),
                (0.2, "made=2"),
                (0.3, "stored=2"),
            ],
        );
        let lost = run(1.0, &[(0.0, "made=1"), (0.1, "stored=1"), (0.2, "made=2")]);
        let swapped = run(1.0, &[(0.0, "made=1 made=2"), (0.3, "stored=2 stored=1")]);
        passes("same made stored", &good, &lost);
        assert!(check("same made stored").evaluate(&swapped).is_err());
    }

    #[test]
    fn bad_arguments_say_what_the_check_takes() {
        let err = |line: &str| {
            let tokens = tokenize(line).unwrap();
            let (Token::Bare(name), args) = tokens.split_first().unwrap() else {
                panic!()
            };
            Check::parse(name, args).unwrap_err()
        };
        assert_eq!(
            err("elapsed_at_least soon"),
            "`elapsed_at_least` takes S (seconds)"
        );
        assert_eq!(
            err("elapsed_at_least 1 2"),
            "`elapsed_at_least` takes S (seconds)"
        );
        assert!(err("all x ~ 3").starts_with("`all` takes NAME OP V"));
        assert!(err("before \"a\"").starts_with("`before` takes"));
        assert!(err("line_at_least unquoted 1").starts_with("`line_at_least` takes"));
        assert!(err("count x -1").starts_with("`count` takes"));
        assert!(err("elapsed_at_least_sum sleep 0").starts_with("`elapsed_at_least_sum` takes"));
        assert!(err("nosuch 1").starts_with("unknown check `nosuch`"));
    }

    fn parse(line: &str) -> Result<Check, String> {
        let tokens = tokenize(line).unwrap();
        let (Token::Bare(name), args) = tokens.split_first().unwrap() else {
            panic!("name first")
        };
        Check::parse(name, args)
    }

    fn values(name: &str, texts: &[&str], elapsed: f64) -> Evidence {
        let captures = texts
            .iter()
            .map(|t| Capture {
                name: name.into(),
                value: t.to_string(),
                at: Duration::ZERO,
            })
            .collect();
        Evidence::new(Vec::new(), captures, Duration::from_secs_f64(elapsed), 0)
    }

    #[test]
    fn a_huge_permutation_range_is_compared_without_being_built() {
        // Building the range would take terabytes: the test would not end.
        let c = check("permutation id 0 4000000000000");
        let err = c.evaluate(&values("id", &["0", "1"], 1.0)).unwrap_err();
        assert_eq!(
            err,
            "the id values, sorted, are [0, 1], not each of 0..=4000000000000 once"
        );
        assert!(parse("permutation id 3 1").is_err(), "an empty range");
    }

    #[test]
    fn non_finite_values_never_pass_a_numeric_check() {
        let nan = values("v", &["0.1", "NaN", "0.05"], 1.0);
        assert!(check("ascending v").evaluate(&nan).is_err());
        let inf = values("sleep", &["0.5", "inf"], 1.0);
        assert!(check("elapsed_below_sum sleep").evaluate(&inf).is_err());
    }

    #[test]
    fn a_check_is_named_by_its_line_as_written() {
        // A pattern holding a quote and a backslash: `say "hi" \ bye`.
        let line = r#"line_at_most "say \"hi\" \\ bye" 1"#;
        let c = check(line);
        assert_eq!(c.to_string(), line);
        assert_eq!(c.id().to_string(), line);
        assert_eq!(CheckId::parse(line), Ok(c.id().clone()));
        let said = run(1.0, &[(0.5, r#"say "hi" \ bye"#)]);
        assert_eq!(c.evaluate(&said), Ok(()));
        // the same words however they are spaced; other words name another check
        let spaced = r#"  line_at_most   "say \"hi\" \\ bye"    1 "#;
        assert_eq!(CheckId::parse(spaced), Ok(c.id().clone()));
        assert_ne!(
            CheckId::parse(r#"line_at_most "say hi" 1"#),
            Ok(c.id().clone())
        );
        assert_ne!(
            CheckId::parse(r#"line_at_most "1" 1"#),
            CheckId::parse("line_at_most 1 1")
        );
        // a bare word holding a quote is written back as it was
        let word = check(r#"all v == a"b"#);
        assert_eq!(CheckId::parse(&word.to_string()), Ok(word.id().clone()));
        assert!(
            CheckId::parse("nosuch 1")
                .unwrap_err()
                .starts_with("unknown check `nosuch`")
        );
        assert!(
            CheckId::parse(r#""x" 1"#)
                .unwrap_err()
                .contains("starts with its name")
        );
        assert!(
            CheckId::parse(r#"before "open"#)
                .unwrap_err()
                .contains("unclosed quote")
        );
    }

    #[test]
    fn captured_text_is_read_once_as_a_number_or_a_word() {
        assert_eq!(Read::of("-3"), Read::Int(-3));
        assert_eq!(Read::of("0.25"), Read::Float(0.25));
        assert_eq!(Read::of("1e3"), Read::Float(1000.0));
        assert_eq!(Read::of("inf"), Read::Float(f64::INFINITY));
        assert!(matches!(Read::of("NaN"), Read::Float(n) if n.is_nan()));
        assert_eq!(Read::of("0xff"), Read::Word);
        let run = values("v", &["2", "0.5", "ok"], 1.0);
        let read: Vec<Read> = run.values.iter().map(|v| v.read).collect();
        assert_eq!(read, [Read::Int(2), Read::Float(0.5), Read::Word]);
        assert_eq!(run.values[1].text, "0.5");
        // `all` compares any number as a number, `inf` among them, and a word as text
        let all = |line: &str, texts: &[&str]| check(line).evaluate(&values("v", texts, 1.0));
        assert_eq!(all("all v > 0", &["inf", "1"]), Ok(()));
        assert_eq!(all("all v == 1", &["1.0", "1e0"]), Ok(()));
        assert_eq!(all("all v < b", &["a", "ab"]), Ok(()));
        assert_eq!(
            all("all v >= 2", &["10", "1"]),
            Err("a v value is 1, which is not >= 2".into())
        );
        // the checks that add or order values take finite numbers only; texts stay as printed
        assert_eq!(
            check("elapsed_at_least_max v").evaluate(&values("v", &["0.1", "inf"], 1.0)),
            Err("the v value inf is not a finite number".into())
        );
        assert_eq!(
            check("permutation v 0 1").evaluate(&values("v", &["0", "1.0"], 1.0)),
            Err("the v value 1.0 is not a whole number".into())
        );
        assert!(
            check("distinct v")
                .evaluate(&values("v", &["1", "1.0"], 1.0))
                .is_ok()
        );
    }

    #[test]
    fn every_check_has_a_row_in_the_readme() {
        let readme = include_str!("../../README.md");
        for kind in KINDS {
            assert!(
                readme.contains(&format!("`{} ", kind.name)),
                "crates/checker/README.md has no row for `{}`",
                kind.name
            );
        }
    }
}
