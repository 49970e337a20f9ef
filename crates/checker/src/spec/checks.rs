//! The named checks of an expected file's `[checks]` section: properties of a run (its lines
//! and when they came, the values its patterns captured, how long it took) that prove the
//! example does what its lesson claims.
//!
//! Each check is declared once, in [`KINDS`]: its name, its arguments, the sentence `verify
//! --explain` prints, and its evaluation, which fails with one sentence saying why. Adding a
//! check is adding a struct with its `Property` impl and its line in `KINDS`.

use crate::output::{Capture, Line};
use crate::spec::pattern::Pattern;
use crate::spec::words::Token;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// What the checks look at: the run's lines (both streams, in the order they came), its
/// captured values (in output order), how long it took, and its process id.
#[derive(Debug, Default)]
pub struct Evidence {
    pub lines: Vec<Line>,
    pub values: Vec<Capture>,
    pub elapsed: Duration,
    pub pid: i32,
}

/// A parsed check; `Display` gives back its line.
#[derive(Debug, Clone)]
pub struct Check {
    property: Arc<dyn Property>,
    text: String,
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Check {
    /// Parses a check from its name and arguments; errors say what the check takes.
    pub fn parse(name: &str, tokens: &[Token]) -> Result<Check, String> {
        let Some(kind) = KINDS.iter().find(|k| k.name == name) else {
            let names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
            return Err(format!(
                "unknown check `{name}`; the checks are: {} (xtask/README.md says what each proves)",
                names.join(", ")
            ));
        };
        let mut args = Args {
            tokens: tokens.iter(),
            left: tokens.len(),
            kind,
        };
        let property = (kind.parse)(&mut args)?;
        args.done()?;
        let words: Vec<String> = tokens
            .iter()
            .map(|t| match t {
                Token::Bare(w) => w.clone(),
                Token::Quoted(q) => format!("\"{q}\""),
            })
            .collect();
        Ok(Check {
            property,
            text: format!("{name} {}", words.join(" ")),
        })
    }

    /// What the check proves, in words (for `verify --explain` and the exercise hints).
    pub fn sentence(&self) -> String {
        self.property.sentence()
    }

    /// The capture names the check reads (each must be captured by some pattern).
    pub fn capture_names(&self) -> Vec<&str> {
        self.property.names()
    }

    /// Checks the property on a run; `Err` says why it does not hold.
    pub fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        self.property.evaluate(run)
    }

    /// What the check's bound leans on, for the lint's conventions (xtask/README.md).
    pub fn leans_on(&self) -> LeansOn {
        self.property.leans_on()
    }
}

/// What a check's bound leans on beyond the lines it names: the lint asks a check that leans
/// on the example's start, or on values the example drew, to say why in its `#` comment
/// (`# from the start:`, `# worst case:`; xtask/README.md).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeansOn {
    /// It measures from the example's start (a late start moves what it measures).
    pub start: bool,
    /// Its bound is built from captured values (random draws can make it as small as they
    /// are).
    pub values: bool,
}

/// What a check is: what it proves and how it is judged.
trait Property: fmt::Debug + Send + Sync {
    fn sentence(&self) -> String;
    fn evaluate(&self, run: &Evidence) -> Result<(), String>;
    /// The capture names it reads.
    fn names(&self) -> Vec<&str> {
        Vec::new()
    }
    /// What its bound leans on besides the lines it names.
    fn leans_on(&self) -> LeansOn {
        LeansOn::default()
    }
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

/// One kind of check: its name, its arguments as the usage shows them, and how they are read.
struct Kind {
    name: &'static str,
    usage: &'static str,
    parse: fn(&mut Args) -> Result<Arc<dyn Property>, String>,
}

/// Every check there is. `xtask/README.md` has a row for each (a test holds them together).
const KINDS: &[Kind] = &[
    Kind {
        name: "elapsed_at_least",
        usage: "S (seconds)",
        parse: |a| Ok(Arc::new(ElapsedAtLeast(a.number()?))),
    },
    Kind {
        name: "elapsed_at_most",
        usage: "S (seconds)",
        parse: |a| Ok(Arc::new(ElapsedAtMost(a.number()?))),
    },
    Kind {
        name: "elapsed_at_least_sum",
        usage: "NAME [D] (D > 0)",
        parse: |a| {
            let name = a.capture()?;
            let divisor = a.optional_number(1.0)?;
            a.require(divisor > 0.0)?;
            Ok(Arc::new(ElapsedAtLeastSum(name, divisor)))
        },
    },
    Kind {
        name: "elapsed_below_sum",
        usage: "NAME",
        parse: |a| Ok(Arc::new(ElapsedBelowSum(a.capture()?))),
    },
    Kind {
        name: "elapsed_at_least_max",
        usage: "NAME",
        parse: |a| Ok(Arc::new(ElapsedAtLeastMax(a.capture()?))),
    },
    Kind {
        name: "line_at_least",
        usage: "\"PATTERN\" S",
        parse: |a| Ok(Arc::new(LineAtLeast(a.pattern()?, a.number()?))),
    },
    Kind {
        name: "line_at_most",
        usage: "\"PATTERN\" S",
        parse: |a| Ok(Arc::new(LineAtMost(a.pattern()?, a.number()?))),
    },
    Kind {
        name: "gap_at_least",
        usage: "\"P\" \"Q\" S",
        parse: |a| {
            Ok(Arc::new(GapAtLeast(
                a.pattern()?,
                a.pattern()?,
                a.number()?,
            )))
        },
    },
    Kind {
        name: "gap_at_most",
        usage: "\"P\" \"Q\" S",
        parse: |a| Ok(Arc::new(GapAtMost(a.pattern()?, a.pattern()?, a.number()?))),
    },
    Kind {
        name: "each_gap_at_least",
        usage: "\"P\" \"Q\" S [NAME] (NAME captured by P or Q)",
        parse: |a| {
            let (p, q, seconds) = (a.pattern()?, a.pattern()?, a.number()?);
            let name = a.optional_capture()?;
            if let Some(name) = &name {
                a.require(
                    p.capture_names()
                        .chain(q.capture_names())
                        .any(|n| n == name),
                )?;
            }
            Ok(Arc::new(EachGapAtLeast(p, q, seconds, name)))
        },
    },
    Kind {
        name: "overlap_at_most",
        usage: "\"PATTERN\" NAME N SLACK (NAME captured by PATTERN, N >= 1, SLACK >= 0)",
        parse: |a| {
            let (pattern, name) = (a.pattern()?, a.capture()?);
            let (most, slack) = (a.whole()?, a.number()?);
            a.require(pattern.capture_names().any(|n| n == name))?;
            a.require(most >= 1 && slack >= 0.0)?;
            let most = usize::try_from(most).map_err(|_| a.wrong())?;
            Ok(Arc::new(OverlapAtMost(pattern, name, most, slack)))
        },
    },
    Kind {
        name: "end_at_least",
        usage: "\"PATTERN\" S",
        parse: |a| Ok(Arc::new(EndAtLeast(a.pattern()?, a.number()?))),
    },
    Kind {
        name: "end_at_most",
        usage: "\"PATTERN\" S",
        parse: |a| Ok(Arc::new(EndAtMost(a.pattern()?, a.number()?))),
    },
    Kind {
        name: "before",
        usage: "\"P\" \"Q\"",
        parse: |a| Ok(Arc::new(Before(a.pattern()?, a.pattern()?))),
    },
    Kind {
        name: "none_after",
        usage: "\"P\" \"Q\"",
        parse: |a| Ok(Arc::new(NoneAfter(a.pattern()?, a.pattern()?))),
    },
    Kind {
        name: "count",
        usage: "NAME N",
        parse: |a| {
            let name = a.capture()?;
            let count = usize::try_from(a.whole()?).map_err(|_| a.wrong())?;
            Ok(Arc::new(Count(name, count)))
        },
    },
    Kind {
        name: "all",
        usage: "NAME OP V (OP is ==, !=, <, <=, > or >=)",
        parse: |a| {
            let name = a.capture()?;
            let op = Op::parse(&a.bare()?).ok_or_else(|| a.wrong())?;
            Ok(Arc::new(All(name, op, a.bare()?)))
        },
    },
    Kind {
        name: "same",
        usage: "NAME OTHER",
        parse: |a| Ok(Arc::new(Same(a.capture()?, a.capture()?))),
    },
    Kind {
        name: "in_key_order",
        usage: "RESULT VALUE KEY",
        parse: |a| {
            let order = KeyOrder(a.capture()?, a.capture()?, a.capture()?);
            Ok(Arc::new(InKeyOrder(order)))
        },
    },
    Kind {
        name: "not_in_key_order",
        usage: "RESULT VALUE KEY",
        parse: |a| {
            let order = KeyOrder(a.capture()?, a.capture()?, a.capture()?);
            Ok(Arc::new(NotInKeyOrder(order)))
        },
    },
    Kind {
        name: "min_ratio_at_least",
        usage: "A B R (R > 0)",
        parse: |a| {
            let (over, under, ratio) = (a.capture()?, a.capture()?, a.number()?);
            a.require(ratio > 0.0)?;
            Ok(Arc::new(MinRatioAtLeast(over, under, ratio)))
        },
    },
    Kind {
        name: "ascending",
        usage: "NAME [SLACK] (SLACK >= 0)",
        parse: |a| {
            let name = a.capture()?;
            let slack = a.optional_number(0.0)?;
            a.require(slack >= 0.0)?;
            Ok(Arc::new(Ascending(name, slack)))
        },
    },
    Kind {
        name: "distinct",
        usage: "NAME",
        parse: |a| Ok(Arc::new(Distinct(a.capture()?))),
    },
    Kind {
        name: "permutation",
        usage: "NAME A B (whole numbers, A <= B)",
        parse: |a| {
            let (name, from, to) = (a.capture()?, a.whole()?, a.whole()?);
            a.require(from <= to)?;
            Ok(Arc::new(Permutation(name, from, to)))
        },
    },
    Kind {
        name: "only_last_above",
        usage: "NAME V",
        parse: |a| Ok(Arc::new(OnlyLastAbove(a.capture()?, a.number()?))),
    },
    Kind {
        name: "not_pid",
        usage: "NAME",
        parse: |a| Ok(Arc::new(NotPid(a.capture()?))),
    },
    Kind {
        name: "is_pid",
        usage: "NAME",
        parse: |a| Ok(Arc::new(IsPid(a.capture()?))),
    },
];

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
    /// Every operator: how it is written and how it reads in a sentence.
    const ALL: [(Op, &'static str, &'static str); 6] = [
        (Op::Eq, "==", "equal to"),
        (Op::Ne, "!=", "other than"),
        (Op::Lt, "<", "below"),
        (Op::Le, "<=", "at most"),
        (Op::Gt, ">", "above"),
        (Op::Ge, ">=", "at least"),
    ];

    fn parse(s: &str) -> Option<Op> {
        Op::ALL
            .iter()
            .find(|(_, text, _)| *text == s)
            .map(|(op, ..)| *op)
    }

    fn text(self) -> &'static str {
        Op::ALL
            .iter()
            .find(|(op, ..)| *op == self)
            .map_or("?", |(_, t, _)| t)
    }

    fn words(self) -> &'static str {
        Op::ALL
            .iter()
            .find(|(op, ..)| *op == self)
            .map_or("?", |(.., w)| w)
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

/// `elapsed_at_least S`
#[derive(Debug)]
struct ElapsedAtLeast(f64);

impl Property for ElapsedAtLeast {
    fn sentence(&self) -> String {
        format!("the run took at least {} s", self.0)
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        at_least("the run", run.elapsed.as_secs_f64(), self.0)
    }
    fn leans_on(&self) -> LeansOn {
        START
    }
}

/// `elapsed_at_most S`
#[derive(Debug)]
struct ElapsedAtMost(f64);

impl Property for ElapsedAtMost {
    fn sentence(&self) -> String {
        format!("the run took at most {} s", self.0)
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        at_most("the run", run.elapsed.as_secs_f64(), self.0)
    }
    fn leans_on(&self) -> LeansOn {
        START
    }
}

/// `elapsed_at_least_sum NAME [D]`
#[derive(Debug)]
struct ElapsedAtLeastSum(String, f64);

impl Property for ElapsedAtLeastSum {
    fn sentence(&self) -> String {
        let (n, d) = (&self.0, self.1);
        if d == 1.0 {
            format!(
                "the run took at least the sum of the `{n}` values: the parts that took them did not overlap"
            )
        } else {
            format!(
                "the run took at least the sum of the `{n}` values divided by {d}: at most {d} of those parts ran at once"
            )
        }
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let (name, divisor) = (&self.0, self.1);
        let elapsed = run.elapsed.as_secs_f64();
        let sum: f64 = numbers(run, name)?.iter().sum();
        if elapsed >= sum / divisor {
            Ok(())
        } else {
            Err(format!(
                "the run took {elapsed:.3} s, less than the {name} values' sum {sum:.3} s / {divisor}: they overlapped"
            ))
        }
    }
    fn names(&self) -> Vec<&str> {
        vec![&self.0]
    }
    fn leans_on(&self) -> LeansOn {
        START_AND_VALUES
    }
}

/// `elapsed_below_sum NAME`
#[derive(Debug)]
struct ElapsedBelowSum(String);

impl Property for ElapsedBelowSum {
    fn sentence(&self) -> String {
        format!(
            "the run took less than the sum of the `{}` values: some of those parts overlapped",
            self.0
        )
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let name = &self.0;
        let elapsed = run.elapsed.as_secs_f64();
        let sum: f64 = numbers(run, name)?.iter().sum();
        if elapsed < sum {
            Ok(())
        } else {
            Err(format!(
                "the run took {elapsed:.3} s, not less than the {name} values' sum {sum:.3} s: none overlapped"
            ))
        }
    }
    fn names(&self) -> Vec<&str> {
        vec![&self.0]
    }
    fn leans_on(&self) -> LeansOn {
        START_AND_VALUES
    }
}

/// `elapsed_at_least_max NAME`
#[derive(Debug)]
struct ElapsedAtLeastMax(String);

impl Property for ElapsedAtLeastMax {
    fn sentence(&self) -> String {
        format!(
            "the run took at least the largest `{}` value: it waited for the longest part",
            self.0
        )
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let name = &self.0;
        let elapsed = run.elapsed.as_secs_f64();
        let max = numbers(run, name)?.into_iter().fold(f64::MIN, f64::max);
        if elapsed >= max {
            Ok(())
        } else {
            Err(format!(
                "the run took {elapsed:.3} s, less than the largest {name} value {max}"
            ))
        }
    }
    fn names(&self) -> Vec<&str> {
        vec![&self.0]
    }
    fn leans_on(&self) -> LeansOn {
        START_AND_VALUES
    }
}

/// `line_at_least "PATTERN" S`
#[derive(Debug)]
struct LineAtLeast(Pattern, f64);

impl Property for LineAtLeast {
    fn sentence(&self) -> String {
        format!(
            "the first line `{}` came no sooner than {} s after the start",
            self.0, self.1
        )
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let line = first(run, &self.0)?;
        at_least(&format!("`{}`", self.0), line.at.as_secs_f64(), self.1)
    }
    fn leans_on(&self) -> LeansOn {
        START
    }
}

/// `line_at_most "PATTERN" S`
#[derive(Debug)]
struct LineAtMost(Pattern, f64);

impl Property for LineAtMost {
    fn sentence(&self) -> String {
        format!(
            "the first line `{}` came within {} s of the start",
            self.0, self.1
        )
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let line = first(run, &self.0)?;
        at_most(&format!("`{}`", self.0), line.at.as_secs_f64(), self.1)
    }
    fn leans_on(&self) -> LeansOn {
        START
    }
}

/// `gap_at_least "P" "Q" S`
#[derive(Debug)]
struct GapAtLeast(Pattern, Pattern, f64);

impl Property for GapAtLeast {
    fn sentence(&self) -> String {
        let GapAtLeast(p, q, s) = self;
        format!("the first line `{q}` came at least {s} s after the first line `{p}`")
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let GapAtLeast(p, q, s) = self;
        let gap = first(run, q)?.at.as_secs_f64() - first(run, p)?.at.as_secs_f64();
        if gap >= *s {
            Ok(())
        } else {
            Err(format!(
                "`{q}` came {gap:.3} s after `{p}`, sooner than {s} s"
            ))
        }
    }
}

/// `gap_at_most "P" "Q" S`
#[derive(Debug)]
struct GapAtMost(Pattern, Pattern, f64);

impl Property for GapAtMost {
    fn sentence(&self) -> String {
        let GapAtMost(p, q, s) = self;
        format!("the first line `{q}` came at most {s} s after the first line `{p}`")
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let GapAtMost(p, q, s) = self;
        let gap = first(run, q)?.at.as_secs_f64() - first(run, p)?.at.as_secs_f64();
        if gap <= *s {
            Ok(())
        } else {
            Err(format!(
                "`{q}` came {gap:.3} s after `{p}`, later than {s} s"
            ))
        }
    }
}

/// `each_gap_at_least "P" "Q" S [NAME]`
#[derive(Debug)]
struct EachGapAtLeast(Pattern, Pattern, f64, Option<String>);

impl Property for EachGapAtLeast {
    fn sentence(&self) -> String {
        let EachGapAtLeast(p, q, s, name) = self;
        let bound = match name {
            None => format!("{s} s"),
            Some(n) if *s < 0.0 => format!("its `{n}` value less {} s", -s),
            Some(n) if *s == 0.0 => format!("its `{n}` value"),
            Some(n) => format!("{s} s plus its `{n}` value"),
        };
        format!(
            "every line `{q}` came at least {bound} after the last line `{p}` before it (that agrees with it on the values both capture)"
        )
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let EachGapAtLeast(p, q, seconds, name) = self;
        // Each pattern is matched once per line; a line fitting Q is paired with the nearest
        // line before it that fits P and agrees with it.
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
            let value = match name {
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
    fn leans_on(&self) -> LeansOn {
        LeansOn {
            start: false,
            values: self.3.is_some(),
        }
    }
}

/// `overlap_at_most "PATTERN" NAME N SLACK`
#[derive(Debug)]
struct OverlapAtMost(Pattern, String, usize, f64);

impl Property for OverlapAtMost {
    fn sentence(&self) -> String {
        let OverlapAtMost(p, n, most, slack) = self;
        format!(
            "each line `{p}` ends a span of its `{n}` seconds, and no more than {most} of those spans were open at once (each span's last {slack} s left out: a line read late moves its span)"
        )
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let OverlapAtMost(pattern, name, most, slack) = self;
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
        // The most spans open at once are open at some span's start: count, at each start,
        // the spans begun by then and not yet ended (a span ending where another starts does
        // not overlap it).
        for (from, ..) in &spans {
            let open: Vec<&str> = spans
                .iter()
                .filter(|(f, t, _)| f <= from && t > from)
                .map(|(.., text)| *text)
                .collect();
            if open.len() > *most {
                return Err(format!(
                    "at {from:.3} s, {} spans were open at once, more than {most}: those of `{}`",
                    open.len(),
                    open.join("`, `")
                ));
            }
        }
        Ok(())
    }
    fn leans_on(&self) -> LeansOn {
        LeansOn {
            start: false,
            values: true,
        }
    }
}

/// `end_at_least "PATTERN" S`
#[derive(Debug)]
struct EndAtLeast(Pattern, f64);

impl Property for EndAtLeast {
    fn sentence(&self) -> String {
        format!(
            "the run ended at least {} s after the first line `{}`",
            self.1, self.0
        )
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let EndAtLeast(p, s) = self;
        let after = run.elapsed.as_secs_f64() - first(run, p)?.at.as_secs_f64();
        if after >= *s {
            Ok(())
        } else {
            Err(format!(
                "the run ended {after:.3} s after `{p}`, sooner than {s} s"
            ))
        }
    }
}

/// `end_at_most "PATTERN" S`
#[derive(Debug)]
struct EndAtMost(Pattern, f64);

impl Property for EndAtMost {
    fn sentence(&self) -> String {
        format!(
            "the run ended at most {} s after the first line `{}`",
            self.1, self.0
        )
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let EndAtMost(p, s) = self;
        let after = run.elapsed.as_secs_f64() - first(run, p)?.at.as_secs_f64();
        if after <= *s {
            Ok(())
        } else {
            Err(format!(
                "the run ended {after:.3} s after `{p}`, later than {s} s"
            ))
        }
    }
}

/// `before "P" "Q"`
#[derive(Debug)]
struct Before(Pattern, Pattern);

impl Property for Before {
    fn sentence(&self) -> String {
        let Before(p, q) = self;
        format!("every line `{q}` came after a line `{p}` with the same captured values")
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        before(run, &self.0, &self.1)
    }
}

/// `none_after "P" "Q"`
#[derive(Debug)]
struct NoneAfter(Pattern, Pattern);

impl Property for NoneAfter {
    fn sentence(&self) -> String {
        let NoneAfter(p, q) = self;
        format!("no line `{q}` came after the first line `{p}`")
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let NoneAfter(p, q) = self;
        let start = run.lines.iter().position(|l| p.fits(&l.text));
        let start = start.ok_or_else(|| format!("no line fits `{p}`"))?;
        match run.lines[start + 1..].iter().find(|l| q.fits(&l.text)) {
            Some(late) => Err(format!(
                "`{}` came after `{}`",
                late.text, run.lines[start].text
            )),
            None => Ok(()),
        }
    }
}

/// `count NAME N`
#[derive(Debug)]
struct Count(String, usize);

impl Property for Count {
    fn sentence(&self) -> String {
        format!("exactly {} `{}` values were printed", self.1, self.0)
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let Count(name, n) = self;
        let got = texts(run, name).len();
        if got == *n {
            Ok(())
        } else {
            Err(format!("{got} {name} value(s) were captured, not {n}"))
        }
    }
    fn names(&self) -> Vec<&str> {
        vec![&self.0]
    }
}

/// `all NAME OP V`
#[derive(Debug)]
struct All(String, Op, String);

impl Property for All {
    fn sentence(&self) -> String {
        let All(n, op, v) = self;
        format!("every `{n}` value is {} {v}", op.words())
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let All(name, op, wanted) = self;
        let values = some_texts(run, name)?;
        match values.iter().find(|v| !compare(v, *op, wanted)) {
            Some(bad) => Err(format!(
                "a {name} value is {bad}, which is not {} {wanted}",
                op.text()
            )),
            None => Ok(()),
        }
    }
    fn names(&self) -> Vec<&str> {
        vec![&self.0]
    }
}

/// `same NAME OTHER`
#[derive(Debug)]
struct Same(String, String);

impl Property for Same {
    fn sentence(&self) -> String {
        format!(
            "the `{}` values are the `{}` values, in the same order",
            self.0, self.1
        )
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let Same(a, b) = self;
        let (left, right) = (some_texts(run, a)?, texts(run, b));
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
    fn names(&self) -> Vec<&str> {
        vec![&self.0, &self.1]
    }
}

/// The RESULT, VALUE and KEY captures that `in_key_order` and `not_in_key_order` compare.
#[derive(Debug)]
struct KeyOrder(String, String, String);

impl KeyOrder {
    /// The RESULT values as printed, and the VALUE values sorted by the KEY captured on the
    /// same lines.
    fn orders<'a>(&self, run: &'a Evidence) -> Result<(Vec<&'a str>, Vec<&'a str>), String> {
        let KeyOrder(result, value, key) = self;
        let (values, keys) = (some_texts(run, value)?, numbers(run, key)?);
        if values.len() != keys.len() {
            return Err(format!(
                "{} {value} values but {} {key} values: capture them on the same lines",
                values.len(),
                keys.len()
            ));
        }
        let mut pairs: Vec<(f64, &str)> = keys.into_iter().zip(values).collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let wanted = pairs.into_iter().map(|(_, v)| v).collect();
        Ok((texts(run, result), wanted))
    }

    fn names(&self) -> Vec<&str> {
        vec![&self.0, &self.1, &self.2]
    }
}

/// `in_key_order RESULT VALUE KEY`
#[derive(Debug)]
struct InKeyOrder(KeyOrder);

impl Property for InKeyOrder {
    fn sentence(&self) -> String {
        let KeyOrder(r, v, k) = &self.0;
        format!(
            "the `{r}` values come in the order of their `{k}` keys (as the `{v}` values sorted by key)"
        )
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let KeyOrder(result, value, key) = &self.0;
        let (got, wanted) = self.0.orders(run)?;
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
    fn names(&self) -> Vec<&str> {
        self.0.names()
    }
}

/// `not_in_key_order RESULT VALUE KEY`
#[derive(Debug)]
struct NotInKeyOrder(KeyOrder);

impl Property for NotInKeyOrder {
    fn sentence(&self) -> String {
        let KeyOrder(r, _, k) = &self.0;
        format!(
            "the `{r}` values do not come in the order of their `{k}` keys: they follow the order the work finished in"
        )
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let KeyOrder(result, _, key) = &self.0;
        let (got, wanted) = self.0.orders(run)?;
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
    fn names(&self) -> Vec<&str> {
        self.0.names()
    }
}

/// `min_ratio_at_least A B R`
#[derive(Debug)]
struct MinRatioAtLeast(String, String, f64);

impl Property for MinRatioAtLeast {
    fn sentence(&self) -> String {
        let MinRatioAtLeast(a, b, r) = self;
        format!(
            "the smallest `{a}` value is at least {r} times the smallest `{b}` value: each way's least disturbed measure"
        )
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let MinRatioAtLeast(a, b, wanted) = self;
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
    fn names(&self) -> Vec<&str> {
        vec![&self.0, &self.1]
    }
}

/// `ascending NAME [SLACK]`
#[derive(Debug)]
struct Ascending(String, f64);

impl Property for Ascending {
    fn sentence(&self) -> String {
        let Ascending(n, slack) = self;
        if *slack == 0.0 {
            format!("the `{n}` values never decrease, in the order they were printed")
        } else {
            format!(
                "the `{n}` values never fall by more than {slack}, in the order they were printed"
            )
        }
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        // A slack forgives two values this close coming out swapped: sleeps a few
        // milliseconds apart can finish in either order on a busy machine.
        let Ascending(name, slack) = self;
        let values = numbers(run, name)?;
        match values.windows(2).find(|w| w[1] < w[0] - slack) {
            Some(w) => Err(format!(
                "the {name} values go down: {} then {} (by more than {slack})",
                w[0], w[1]
            )),
            None => Ok(()),
        }
    }
    fn names(&self) -> Vec<&str> {
        vec![&self.0]
    }
}

/// `distinct NAME`
#[derive(Debug)]
struct Distinct(String);

impl Property for Distinct {
    fn sentence(&self) -> String {
        format!("no `{}` value appears twice", self.0)
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let name = &self.0;
        let values = some_texts(run, name)?;
        let mut seen = std::collections::HashSet::new();
        match values.iter().find(|v| !seen.insert(**v)) {
            Some(twice) => Err(format!("the {name} value {twice} appears twice")),
            None => Ok(()),
        }
    }
    fn names(&self) -> Vec<&str> {
        vec![&self.0]
    }
}

/// `permutation NAME A B`
#[derive(Debug)]
struct Permutation(String, i64, i64);

impl Property for Permutation {
    fn sentence(&self) -> String {
        let Permutation(n, a, b) = self;
        format!("the `{n}` values are {a} to {b}, each exactly once")
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let Permutation(name, from, to) = self;
        let mut values = Vec::new();
        for text in some_texts(run, name)? {
            values.push(
                text.parse::<i64>()
                    .map_err(|_| format!("the {name} value {text} is not a whole number"))?,
            );
        }
        values.sort_unstable();
        // Compared without building the range, which the file may make huge.
        let each_once = i128::try_from(values.len()) == Ok(i128::from(*to) - i128::from(*from) + 1)
            && values.iter().zip(*from..).all(|(v, w)| *v == w);
        if each_once {
            Ok(())
        } else {
            Err(format!(
                "the {name} values, sorted, are {values:?}, not each of {from}..={to} once"
            ))
        }
    }
    fn names(&self) -> Vec<&str> {
        vec![&self.0]
    }
}

/// `only_last_above NAME V`
#[derive(Debug)]
struct OnlyLastAbove(String, f64);

impl Property for OnlyLastAbove {
    fn sentence(&self) -> String {
        let OnlyLastAbove(n, v) = self;
        format!("only the last `{n}` value is above {v}; every earlier one is at most {v}")
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let OnlyLastAbove(name, bound) = self;
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
    fn names(&self) -> Vec<&str> {
        vec![&self.0]
    }
}

/// `not_pid NAME`
#[derive(Debug)]
struct NotPid(String);

impl Property for NotPid {
    fn sentence(&self) -> String {
        format!(
            "no `{}` value is the process id of the example itself",
            self.0
        )
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let name = &self.0;
        let pid = run.pid.to_string();
        if some_texts(run, name)?.contains(&pid.as_str()) {
            Err(format!("a {name} value is the process id {pid}"))
        } else {
            Ok(())
        }
    }
    fn names(&self) -> Vec<&str> {
        vec![&self.0]
    }
}

/// `is_pid NAME`
#[derive(Debug)]
struct IsPid(String);

impl Property for IsPid {
    fn sentence(&self) -> String {
        format!(
            "every `{}` value is the process id of the example itself",
            self.0
        )
    }
    fn evaluate(&self, run: &Evidence) -> Result<(), String> {
        let name = &self.0;
        let pid = run.pid.to_string();
        match some_texts(run, name)?.into_iter().find(|t| *t != pid) {
            Some(other) => Err(format!(
                "the {name} value {other} is not the process id {pid}"
            )),
            None => Ok(()),
        }
    }
    fn names(&self) -> Vec<&str> {
        vec![&self.0]
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

fn texts<'a>(run: &'a Evidence, name: &str) -> Vec<&'a str> {
    run.values
        .iter()
        .filter(|v| v.name == name)
        .map(|v| v.value.as_str())
        .collect()
}

/// The values of `name`; a check on no values at all fails rather than passing vacuously.
fn some_texts<'a>(run: &'a Evidence, name: &str) -> Result<Vec<&'a str>, String> {
    let values = texts(run, name);
    if values.is_empty() {
        Err(format!("no {name} values were captured"))
    } else {
        Ok(values)
    }
}

fn numbers(run: &Evidence, name: &str) -> Result<Vec<f64>, String> {
    some_texts(run, name)?
        .into_iter()
        .map(|t| {
            // `inf` and `NaN` (which `{float}` accepts) would make a comparison pass or
            // fail for no reason: they count as no number.
            t.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("the {name} value {t} is not a finite number"))
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

/// The value `name` captured, as a finite number.
fn value_of<'a>(
    mut captures: impl Iterator<Item = &'a Capture>,
    name: &str,
) -> Result<f64, String> {
    let text = captures
        .find(|c| c.name == name)
        .map(|c| c.value.as_str())
        .ok_or_else(|| format!("no {name} value was captured"))?;
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("the {name} value {text} is not a finite number"))
}

fn compare(value: &str, op: Op, wanted: &str) -> bool {
    match (value.parse::<f64>(), wanted.parse::<f64>()) {
        (Ok(a), Ok(b)) => a.partial_cmp(&b).is_some_and(|o| op.holds(o)),
        _ => op.holds(value.cmp(wanted)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::words::tokenize;
    use std::time::Instant;

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
        let mut evidence = Evidence {
            elapsed: Duration::from_secs_f64(elapsed),
            pid: 4242,
            ..Default::default()
        };
        for (at, text) in lines {
            let at = Duration::from_secs_f64(*at);
            evidence.lines.push(Line {
                text: text.to_string(),
                at,
            });
            for word in text.split_whitespace() {
                if let Some((name, value)) = word.split_once('=') {
                    evidence.values.push(Capture {
                        name: name.into(),
                        value: value.into(),
                        at,
                    });
                }
            }
        }
        evidence
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
        Evidence {
            values: texts
                .iter()
                .map(|t| Capture {
                    name: name.into(),
                    value: t.to_string(),
                    at: Duration::ZERO,
                })
                .collect(),
            elapsed: Duration::from_secs_f64(elapsed),
            ..Default::default()
        }
    }

    #[test]
    fn a_huge_permutation_range_fails_at_once() {
        let started = Instant::now();
        let c = check("permutation id 0 4000000000000");
        assert!(c.evaluate(&values("id", &["0", "1"], 1.0)).is_err());
        // Building the range would take minutes; a second is room for any machine.
        assert!(started.elapsed() < Duration::from_secs(1));
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
    fn every_check_has_a_row_in_the_readme() {
        let readme = include_str!("../../../../xtask/README.md");
        for kind in KINDS {
            assert!(
                readme.contains(&format!("`{} ", kind.name)),
                "xtask/README.md has no row for `{}`",
                kind.name
            );
        }
    }
}
