//! Lines up a stream's output lines with the expected items of a `[stdout]` or `[stderr]`
//! section. One alignment gives the verdict (the stream fits when every line pairs with an
//! expected line and no expected line is short), the values the placeholders capture, and
//! the rows of the diff a failure shows.
//!
//! The alignment is the cheapest pairing, where each output line left unpaired costs one and
//! so does each expected line missing. Ordered items take lines in order, each entry between
//! its minimum and maximum count. An `@any-order` block takes a run of lines and assigns them
//! to its patterns by augmenting paths, so a line that fits two patterns never blocks a line
//! that fits only one, whatever the order of the patterns; a line it cannot place is unpaired.
//! A stream fits when its cheapest alignment costs nothing, and the diff of one that does not
//! marks only what does not fit: a correctly permuted block beside a wrong line shows no row.
//!
//! The search is Dijkstra's over (item, line, count) states, cheapest first. The states it
//! reaches at no cost are those a backtracking match would try, each once, so a stream that
//! fits is judged as quickly. For one that does not, the search stops after a bounded amount
//! of work (`WORK`) and finishes the alignment from the furthest state it reached.

use crate::output::{self, Capture, Line};
use crate::spec::{Entry, Item};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

/// Where an expected entry is: its item among the stream's items, and its place in that item
/// (0 for a plain line, the pattern's index in an `@any-order` block).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct At {
    pub item: usize,
    pub entry: usize,
}

/// One row of an alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// Output line `line` (an index into the stream's lines) fits the entry at `at`.
    Matched { line: usize, at: At },
    /// Output line `line` pairs with no entry.
    Extra { line: usize },
    /// The entry at `at` got `count` line(s) fewer than its minimum.
    Missing { at: At, count: usize },
}

/// How a stream's lines line up with its expected items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    /// Every output line once, in output order, and every shortfall where it shows; in a run
    /// of rows that do not match, the missing entries come before the unpaired lines.
    pub rows: Vec<Row>,
}

/// Matches `lines` against `items`; on success, the captures in line order; on failure, one
/// sentence saying where the output first stops fitting.
pub fn match_stream(items: &[Item], lines: &[Line]) -> Result<Vec<Capture>, String> {
    let alignment = align(items, lines);
    match alignment.reason(items, lines) {
        None => Ok(alignment.captures(items, lines)),
        Some(why) => Err(why),
    }
}

/// The cheapest alignment of `lines` with `items`.
pub fn align(items: &[Item], lines: &[Line]) -> Alignment {
    Search::new(items, lines).run()
}

/// The entry at `at`.
pub fn entry(items: &[Item], at: At) -> &Entry {
    match &items[at.item] {
        Item::Line(entry) => entry,
        Item::AnyOrder { entries, .. } => &entries[at.entry],
    }
}

impl Alignment {
    /// What the placeholders of the matched entries capture, in line order.
    pub fn captures(&self, items: &[Item], lines: &[Line]) -> Vec<Capture> {
        let mut captures = Vec::new();
        for row in &self.rows {
            if let Row::Matched { line, at } = *row {
                let found = entry(items, at)
                    .pattern
                    .captures(&lines[line])
                    .expect("the search only pairs a line with a pattern it fits");
                captures.extend(found);
            }
        }
        captures
    }

    /// Where the output first stops fitting, in one sentence; `None` when it fits.
    pub fn reason(&self, items: &[Item], lines: &[Line]) -> Option<String> {
        let first = self
            .rows
            .iter()
            .position(|r| !matches!(r, Row::Matched { .. }))?;
        let after = self.rows[first..]
            .iter()
            .position(|r| matches!(r, Row::Matched { .. }))
            .map_or(self.rows.len(), |n| first + n);
        let run = &self.rows[first..after];
        let missing = run.iter().find_map(|r| match *r {
            Row::Missing { at, .. } => Some(at),
            _ => None,
        });
        let extra = run.iter().find_map(|r| match *r {
            Row::Extra { line } => Some(line),
            _ => None,
        });
        let next = match self.rows.get(after) {
            Some(&Row::Matched { line, at }) => Some((line, at)),
            _ => None,
        };
        let quote = |line: usize| {
            format!(
                "line {} `{}`",
                line + 1,
                output::shorten(&lines[line].text, output::quote_width())
            )
        };
        Some(match (extra, missing, next) {
            (Some(line), Some(at), _) | (None, Some(at), Some((line, _))) => {
                format!("{} does not fit {}", quote(line), self.short_of(items, at))
            }
            (Some(line), None, Some((_, at))) => {
                let wanted = match &items[at.item] {
                    Item::Line(entry) => {
                        format!("`{}` (expected file line {})", entry.pattern, entry.line)
                    }
                    Item::AnyOrder { line, .. } => {
                        format!("the any-order block of expected file line {line}")
                    }
                };
                format!("{} does not fit {wanted}", quote(line))
            }
            (Some(line), None, None) => {
                format!("{} is more than the expected lines allow", quote(line))
            }
            (None, Some(at), None) => match &items[at.item] {
                Item::AnyOrder { entries, line } if self.taken(at.item) < least(entries) => {
                    format!(
                        "has {} line(s) left for the any-order block of expected file line {line}, which needs {}",
                        self.taken(at.item),
                        least(entries)
                    )
                }
                _ => format!(
                    "the output ended after {} line(s), but {} was still expected",
                    lines.len(),
                    self.short_of(items, at)
                ),
            },
            (None, None, _) => unreachable!("a row that does not match is missing or extra"),
        })
    }

    /// The lines matched to the entries of item `item`.
    fn taken(&self, item: usize) -> usize {
        self.rows
            .iter()
            .filter(|r| matches!(r, Row::Matched { at, .. } if at.item == item))
            .count()
    }

    /// An entry that is short, in words: `` `x` (expected file line 4) ``, with its block when
    /// it is in one, and how many lines it got when it needs more than one.
    fn short_of(&self, items: &[Item], at: At) -> String {
        let wanted = entry(items, at);
        let got = if wanted.min > 1 {
            let got = self
                .rows
                .iter()
                .filter(|r| matches!(r, Row::Matched { at: a, .. } if *a == at))
                .count();
            format!(": {got} line(s) of the {} it needs", wanted.min)
        } else {
            String::new()
        };
        let block = match &items[at.item] {
            Item::Line(_) => String::new(),
            Item::AnyOrder { line, .. } => format!(", in the any-order block of line {line}"),
        };
        format!(
            "`{}` (expected file line {}{block}{got})",
            wanted.pattern, wanted.line
        )
    }
}

/// The lines a block needs at least.
fn least(entries: &[Entry]) -> usize {
    entries.iter().map(|e| e.min).sum()
}

/// The work (states taken from the queue, lines an any-order block tries) after which a
/// search that knows the stream does not fit stops and finishes its alignment from the
/// furthest state it reached: far more than any lesson's output needs, and a bound on an
/// output of thousands of lines that fits nothing.
const WORK: usize = 200_000;

/// How many lines in a row an any-order block reaches past while it can place none of them:
/// a stray line or two inside a block stays inside it in the diff.
const BLOCK_GAP: usize = 8;

/// A point of the search: the next item, the next output line, and how many lines the item
/// (a plain line) has taken, counted up to its minimum when it has no maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct State {
    item: usize,
    line: usize,
    count: usize,
}

/// How the search went from one state to the next.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// The state's line fits its item, a plain line.
    Match,
    /// The state's line pairs with nothing.
    Extra,
    /// The state's item, a plain line, takes no more lines (and is short if below its minimum).
    Finish,
    /// The state's item, an `@any-order` block, takes the lines up to `end`.
    Block { end: usize },
}

/// What the search knows of a state: its cheapest cost so far, the step that gave it, and
/// whether it was taken from the queue (its cost is then final).
#[derive(Debug)]
struct Reached {
    cost: usize,
    from: Option<(State, Step)>,
    done: bool,
}

struct Search<'a> {
    items: &'a [Item],
    lines: &'a [Line],
    /// Each item's first entry, counting the entries of every item before it.
    first_entry: Vec<usize>,
    /// Whether each entry fits each line, worked out when first asked: 0 not yet, 1 no, 2 yes.
    fits: Vec<u8>,
    reached: HashMap<State, Reached>,
    /// The states to take, cheapest first, and of those the last queued first: a longest
    /// count or block is tried first, as a backtracking match would.
    queue: BinaryHeap<Reverse<(usize, Reverse<u64>, State)>>,
    queued: u64,
    /// The (item, line) where a block starts whose lines stopped at a gap.
    gapped: HashSet<(usize, usize)>,
    /// States taken and block lines tried so far.
    work: usize,
}

impl<'a> Search<'a> {
    fn new(items: &'a [Item], lines: &'a [Line]) -> Self {
        let mut first_entry = Vec::with_capacity(items.len());
        let mut entries = 0;
        for item in items {
            first_entry.push(entries);
            entries += match item {
                Item::Line(_) => 1,
                Item::AnyOrder { entries, .. } => entries.len(),
            };
        }
        Search {
            items,
            lines,
            first_entry,
            fits: vec![0; entries * lines.len()],
            reached: HashMap::new(),
            queue: BinaryHeap::new(),
            queued: 0,
            gapped: HashSet::new(),
            work: 0,
        }
    }

    fn run(&mut self) -> Alignment {
        let start = State {
            item: 0,
            line: 0,
            count: 0,
        };
        let goal = State {
            item: self.items.len(),
            line: self.lines.len(),
            count: 0,
        };
        self.relax(start, 0, None);
        let mut furthest = start;
        let end = loop {
            let Some(Reverse((cost, _, state))) = self.queue.pop() else {
                break furthest;
            };
            let reached = self
                .reached
                .get_mut(&state)
                .expect("a queued state is reached");
            if reached.done || reached.cost < cost {
                continue;
            }
            reached.done = true;
            if state == goal {
                break goal;
            }
            if (state.line, state.item) > (furthest.line, furthest.item) {
                furthest = state;
            }
            self.work += 1;
            if cost > 0 && self.work > WORK {
                break furthest;
            }
            self.expand(state, cost);
        };
        let mut rows = self.rows_to(end);
        if end != goal {
            self.finish_from(end, &mut rows);
        }
        // In each run of rows that do not match, what is missing first, then what is extra,
        // as a diff reads; the order of the lines and of the entries stays.
        let mut from = 0;
        while from < rows.len() {
            let to = rows[from..]
                .iter()
                .position(|r| matches!(r, Row::Matched { .. }))
                .map_or(rows.len(), |n| from + n);
            rows[from..to].sort_by_key(|r| matches!(r, Row::Extra { .. }));
            from = to + 1;
        }
        Alignment { rows }
    }

    fn relax(&mut self, state: State, cost: usize, from: Option<(State, Step)>) {
        let better = self.reached.get(&state).is_none_or(|r| cost < r.cost);
        if better {
            self.reached.insert(
                state,
                Reached {
                    cost,
                    from,
                    done: false,
                },
            );
            self.queued += 1;
            self.queue
                .push(Reverse((cost, Reverse(self.queued), state)));
        }
    }

    /// Queues the states one step from `state`; the step queued last is tried first.
    fn expand(&mut self, state: State, cost: usize) {
        let State { item, line, count } = state;
        let more = line < self.lines.len();
        if more {
            let next = State {
                line: line + 1,
                ..state
            };
            self.relax(next, cost + 1, Some((state, Step::Extra)));
        }
        match self.items.get(item) {
            None => {}
            Some(Item::Line(entry)) => {
                let finished = State {
                    item: item + 1,
                    line,
                    count: 0,
                };
                let short = entry.min.saturating_sub(count);
                self.relax(finished, cost + short, Some((state, Step::Finish)));
                if more && count < entry.max && self.fits(At { item, entry: 0 }, line) {
                    // Without a maximum, a count past the minimum changes nothing.
                    let count = if entry.max == usize::MAX {
                        (count + 1).min(entry.min)
                    } else {
                        count + 1
                    };
                    let next = State {
                        item,
                        line: line + 1,
                        count,
                    };
                    self.relax(next, cost, Some((state, Step::Match)));
                }
            }
            Some(Item::AnyOrder { entries, .. }) => {
                // A block that starts after a line left unpaired does no better than the block
                // that starts at that line and leaves it unpaired too (a line added at the front
                // costs a block at most one), unless that block stopped at a gap.
                let after_extra = matches!(self.reached[&state].from, Some((_, Step::Extra)));
                if after_extra && !self.gapped.contains(&(item, line - 1)) {
                    return;
                }
                let mut block = Assignment::new(entries);
                let after = |end| State {
                    item: item + 1,
                    line: end,
                    count: 0,
                };
                self.relax(
                    after(line),
                    cost + block.cost(),
                    Some((state, Step::Block { end: line })),
                );
                // An end after a line the block could not place is never cheaper than the end
                // before it followed by that line unpaired, so only placed lines end a block.
                let mut unplaced = 0;
                for next in line..self.lines.len() {
                    if block.full() {
                        break;
                    }
                    if unplaced == BLOCK_GAP {
                        self.gapped.insert((item, line));
                        break;
                    }
                    self.work += 1;
                    let fits = self.fitting(item, entries.len(), next);
                    if block.push(fits) {
                        unplaced = 0;
                        let end = next + 1;
                        self.relax(
                            after(end),
                            cost + block.cost(),
                            Some((state, Step::Block { end })),
                        );
                    } else {
                        unplaced += 1;
                    }
                }
            }
        }
    }

    fn fits(&mut self, at: At, line: usize) -> bool {
        let slot = (self.first_entry[at.item] + at.entry) * self.lines.len() + line;
        match self.fits[slot] {
            1 => false,
            2 => true,
            _ => {
                let fits = entry(self.items, at).pattern.fits(&self.lines[line].text);
                self.fits[slot] = if fits { 2 } else { 1 };
                fits
            }
        }
    }

    /// The entries of the block at `item` (of `count` entries) that `line` fits.
    fn fitting(&mut self, item: usize, count: usize, line: usize) -> Vec<usize> {
        (0..count)
            .filter(|&entry| self.fits(At { item, entry }, line))
            .collect()
    }

    /// The rows of the steps from the start to `end`.
    fn rows_to(&mut self, end: State) -> Vec<Row> {
        let mut steps = Vec::new();
        let mut state = end;
        while let Some((from, step)) = self.reached[&state].from {
            steps.push((from, step));
            state = from;
        }
        let mut rows = Vec::new();
        for &(State { item, line, count }, step) in steps.iter().rev() {
            let at = At { item, entry: 0 };
            match step {
                Step::Match => rows.push(Row::Matched { line, at }),
                Step::Extra => rows.push(Row::Extra { line }),
                Step::Finish => {
                    let short = entry(self.items, at).min.saturating_sub(count);
                    if short > 0 {
                        rows.push(Row::Missing { at, count: short });
                    }
                }
                Step::Block { end } => {
                    let Item::AnyOrder { entries, .. } = &self.items[item] else {
                        unreachable!("only a block takes a block step");
                    };
                    // The search kept the block's cost, not its assignment: work it out again,
                    // line by line as the search did, which gives the same assignment.
                    let mut block = Assignment::new(entries);
                    for next in line..end {
                        let fits = self.fitting(item, entries.len(), next);
                        block.push(fits);
                    }
                    for (offset, owner) in block.owner.iter().enumerate() {
                        rows.push(match owner {
                            Some(entry) => Row::Matched {
                                line: line + offset,
                                at: At {
                                    item,
                                    entry: *entry,
                                },
                            },
                            None => Row::Extra {
                                line: line + offset,
                            },
                        });
                    }
                    rows.extend(block.shortfalls(item));
                }
            }
        }
        rows
    }

    /// Ends an alignment the search stopped at `state`: every entry from there on short of
    /// its minimum, every line from there on unpaired.
    fn finish_from(&self, state: State, rows: &mut Vec<Row>) {
        for item in state.item..self.items.len() {
            match &self.items[item] {
                Item::Line(entry) => {
                    let taken = if item == state.item { state.count } else { 0 };
                    let short = entry.min.saturating_sub(taken);
                    if short > 0 {
                        let at = At { item, entry: 0 };
                        rows.push(Row::Missing { at, count: short });
                    }
                }
                Item::AnyOrder { entries, .. } => {
                    rows.extend(Assignment::new(entries).shortfalls(item));
                }
            }
        }
        rows.extend((state.line..self.lines.len()).map(|line| Row::Extra { line }));
    }
}

/// Searching for a place for a line: the entries below their minimum, or below their maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    Minimum = 0,
    Maximum = 1,
}

/// An `@any-order` block's lines assigned to its entries, one line after another: a line
/// goes to an entry below its minimum when some path of moves makes room there, else to one
/// below its maximum, else nowhere (it is unpaired). A move never lowers an entry's count, so
/// each line added keeps the assignment the best for the lines so far: the most minimums
/// filled, then the most lines placed (Kuhn's augmenting paths, with capacities).
struct Assignment<'a> {
    entries: &'a [Entry],
    /// The entries each line fits.
    fits: Vec<Vec<usize>>,
    /// The entry each line went to.
    owner: Vec<Option<usize>>,
    /// The lines each entry holds.
    held: Vec<Vec<usize>>,
    /// Per tier, the entries from which no path of moves reaches room: their counts never
    /// fall and what they hold does not change, so no later search need enter them.
    dead: [Vec<bool>; 2],
    /// The lines the entries lack to reach their minimums.
    short: usize,
    /// The entries below their maximum.
    open: usize,
    unplaced: usize,
}

impl<'a> Assignment<'a> {
    fn new(entries: &'a [Entry]) -> Self {
        Assignment {
            entries,
            fits: Vec::new(),
            owner: Vec::new(),
            held: vec![Vec::new(); entries.len()],
            dead: [vec![false; entries.len()], vec![false; entries.len()]],
            short: least(entries),
            open: entries.len(),
            unplaced: 0,
        }
    }

    /// The block's cost as it stands: its unplaced lines and the lines its entries lack.
    fn cost(&self) -> usize {
        self.unplaced + self.short
    }

    /// Whether every entry holds its maximum, so that no further line can be placed.
    fn full(&self) -> bool {
        self.open == 0
    }

    /// Adds the block's next line, which fits the entries `fits`; whether it found a place.
    fn push(&mut self, fits: Vec<usize>) -> bool {
        let line = self.fits.len();
        self.fits.push(fits);
        self.owner.push(None);
        for tier in [Tier::Minimum, Tier::Maximum] {
            if tier == Tier::Minimum && self.short == 0 {
                continue;
            }
            let mut visited = vec![false; self.entries.len()];
            if let Some(grown) = self.place(line, tier, &mut visited) {
                let count = self.held[grown].len();
                if count <= self.entries[grown].min {
                    self.short -= 1;
                }
                if count == self.entries[grown].max {
                    self.open -= 1;
                }
                return true;
            }
            // A search that failed went everywhere it could reach.
            for (dead, seen) in self.dead[tier as usize].iter_mut().zip(&visited) {
                *dead |= *seen;
            }
        }
        self.unplaced += 1;
        false
    }

    /// Finds `line` an entry, moving other lines along if that makes room; the entry whose
    /// count grew.
    fn place(&mut self, line: usize, tier: Tier, visited: &mut [bool]) -> Option<usize> {
        for index in 0..self.fits[line].len() {
            let entry = self.fits[line][index];
            if visited[entry] || self.dead[tier as usize][entry] {
                continue;
            }
            visited[entry] = true;
            let room = match tier {
                Tier::Minimum => self.entries[entry].min,
                Tier::Maximum => self.entries[entry].max,
            };
            if self.held[entry].len() < room {
                self.take(line, entry);
                return Some(entry);
            }
            for at in 0..self.held[entry].len() {
                let other = self.held[entry][at];
                if let Some(grown) = self.place(other, tier, visited) {
                    // `other` moved to another entry, freeing one place here.
                    self.take(line, entry);
                    return Some(grown);
                }
            }
        }
        None
    }

    fn take(&mut self, line: usize, entry: usize) {
        if let Some(previous) = self.owner[line].replace(entry) {
            let list = &mut self.held[previous];
            if let Some(at) = list.iter().position(|&l| l == line) {
                list.swap_remove(at);
            }
        }
        self.held[entry].push(line);
    }

    /// A row for each entry below its minimum.
    fn shortfalls(&self, item: usize) -> impl Iterator<Item = Row> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter_map(move |(entry, e)| {
                let count = e.min.saturating_sub(self.held[entry].len());
                (count > 0).then_some(Row::Missing {
                    at: At { item, entry },
                    count,
                })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec;
    use std::time::Duration;

    fn items(text: &str) -> Vec<Item> {
        spec::stdout_items(text)
    }

    /// The output's lines, read a tenth of a second apart.
    fn lines(output: &str) -> Vec<Line> {
        output
            .lines()
            .enumerate()
            .map(|(i, text)| Line {
                text: text.to_string(),
                at: Duration::from_millis(100 * i as u64),
            })
            .collect()
    }

    fn check(expected: &str, output: &str) -> Result<Vec<Capture>, String> {
        match_stream(&items(expected), &lines(output))
    }

    /// Each capture as `name=value@seconds`, in order.
    fn captured(expected: &str, output: &str) -> Vec<String> {
        check(expected, output)
            .unwrap()
            .iter()
            .map(|c| format!("{}={}@{}", c.name, c.value, c.at.as_secs_f64()))
            .collect()
    }

    /// The alignment as a diff reads: ` text` matched, `+text` unpaired, `-pattern` missing
    /// (`-2 pattern` for two lines missing).
    fn diff(expected: &str, output: &str) -> Vec<String> {
        let items = items(expected);
        let lines = lines(output);
        align(&items, &lines)
            .rows
            .iter()
            .map(|row| match *row {
                Row::Matched { line, .. } => format!(" {}", lines[line].text),
                Row::Extra { line } => format!("+{}", lines[line].text),
                Row::Missing { at, count: 1 } => format!("-{}", entry(&items, at).pattern),
                Row::Missing { at, count } => format!("-{count} {}", entry(&items, at).pattern),
            })
            .collect()
    }

    #[test]
    fn literal_lines_in_order() {
        assert_eq!(check("a\nb\n", "a\nb"), Ok(Vec::new()));
        let err = check("a\nb\n", "b\na").unwrap_err();
        assert_eq!(err, "line 1 `b` does not fit `a` (expected file line 2)");
        let err = check("a\nb\n", "a").unwrap_err();
        assert_eq!(
            err,
            "the output ended after 1 line(s), but `b` (expected file line 3) was still expected"
        );
        let err = check("a\n", "a\nb").unwrap_err();
        assert_eq!(err, "line 2 `b` is more than the expected lines allow");
        let err = check("a\nb\nc\n", "a\nx\nc").unwrap_err();
        assert_eq!(err, "line 2 `x` does not fit `b` (expected file line 3)");
    }

    #[test]
    fn an_empty_section_wants_no_output() {
        assert_eq!(check("", ""), Ok(Vec::new()));
        assert_eq!(
            check("", "stray"),
            Err("line 1 `stray` is more than the expected lines allow".into())
        );
    }

    #[test]
    fn counts_and_ranges() {
        assert!(check("@x3 run\nkill\n", "run\nrun\nrun\nkill").is_ok());
        assert_eq!(
            check("@x3 run\nkill\n", "run\nrun\nkill"),
            Err("line 3 `kill` does not fit `run` (expected file line 2: 2 line(s) of the 3 it needs)".into())
        );
        assert!(check("@x3..5 run\nkill\n", "run\nrun\nrun\nrun\nrun\nkill").is_ok());
        assert_eq!(
            check("@x3..5 run\nkill\n", "run\nrun\nrun\nrun\nrun\nrun\nkill"),
            Err("line 6 `run` does not fit `kill` (expected file line 3)".into())
        );
        assert!(check("@x1.. run\n", "run").is_ok());
        assert!(check("@x0.. {text}\nend\n", "a\nb\nend").is_ok());
    }

    #[test]
    fn captures_name_their_values_and_the_time_of_their_line() {
        assert_eq!(
            captured(
                "Thread {int:id} slept {float:sleep} s\n{word:who} done\n",
                "Thread 3 slept 0.25 s\nmain done",
            ),
            ["id=3@0", "sleep=0.25@0", "who=main@0.1"]
        );
        // A pattern captures only what its named placeholders hold.
        assert_eq!(captured("{int} and {int:n}\n", "1 and 2"), ["n=2@0"]);
        assert_eq!(
            captured("@x1.. .{float:v}\ndone\n", ".0.5\n.1e-7\ndone"),
            ["v=0.5@0", "v=1e-7@0.1"]
        );
    }

    #[test]
    fn backtracks_when_a_greedy_count_takes_too_much() {
        // `{text}` could take all three lines; it must leave the last to `done`.
        assert_eq!(
            captured("@x1.. {text:t}\ndone\n", "x\ndone\ndone"),
            ["t=x@0", "t=done@0.1"]
        );
    }

    #[test]
    fn any_order_blocks_accept_every_order() {
        let expected = "start\n@any-order\nThread {int:id} got {float:v}\n@x2 tick\n@end\nend\n";
        assert_eq!(
            captured(expected, "start\ntick\nThread 2 got 0.5\ntick\nend"),
            ["id=2@0.2", "v=0.5@0.2"]
        );
        assert_eq!(
            check(expected, "start\nThread 2 got 0.5\ntick\nend"),
            Err("line 4 `end` does not fit `tick` (expected file line 5, in the any-order block of line 3: 1 line(s) of the 2 it needs)".into())
        );
        assert_eq!(
            check(expected, "tick\nstart\nThread 2 got 0.5\ntick\nend"),
            Err("line 1 `tick` does not fit `start` (expected file line 2)".into())
        );
    }

    #[test]
    fn any_order_is_an_assignment_not_first_fit() {
        // A first-fit matcher gives `Thread 1 done` to `{text}` (listed first) and then finds
        // nothing for `Thread {int} done`. The assignment moves it.
        let expected = "@any-order\n{text:other}\nThread {int:id} done\n@end\n";
        assert_eq!(
            captured(expected, "Thread 1 done\nsomething else"),
            ["id=1@0", "other=something else@0.1"]
        );
        assert_eq!(
            captured(expected, "something else\nThread 1 done"),
            ["other=something else@0", "id=1@0.1"]
        );
        assert!(check(expected, "something else\nand more").is_err());
    }

    #[test]
    fn any_order_minimums_hold_when_maximums_are_open() {
        // `{text}` may take any number, but `x` needs two of the lines.
        let expected = "@any-order\n@x0.. {text:t}\n@x2 {word:x}\n@end\n";
        assert_eq!(
            captured(expected, "x\na b\nx"),
            ["x=x@0", "t=a b@0.1", "x=x@0.2"]
        );
        assert_eq!(
            check("@any-order\n@x0.. {text}\n@x2 x\n@end\n", "x\na\nb"),
            Err("the output ended after 3 line(s), but `x` (expected file line 4, in the any-order block of line 2: 1 line(s) of the 2 it needs) was still expected".into())
        );
    }

    #[test]
    fn a_block_short_of_lines_says_how_many_it_had() {
        let expected = "@any-order\n@x3 >{int:id} got lock\n@end\n";
        assert_eq!(
            check(expected, ">1 got lock\n>0 got lock"),
            Err(
                "has 2 line(s) left for the any-order block of expected file line 2, which needs 3"
                    .into()
            )
        );
    }

    #[test]
    fn captures_come_in_line_order() {
        let expected = "@any-order\n@x3 >{int:id} got lock, sleeping {float:sleep}\n@end\n";
        assert_eq!(
            captured(
                expected,
                ">2 got lock, sleeping 0.5\n>0 got lock, sleeping 0.25\n>1 got lock, sleeping 1",
            ),
            [
                "id=2@0",
                "sleep=0.5@0",
                "id=0@0.1",
                "sleep=0.25@0.1",
                "id=1@0.2",
                "sleep=1@0.2"
            ]
        );
    }

    #[test]
    fn a_wrong_line_beside_a_permuted_block_is_the_only_difference() {
        let expected =
            "start\n@any-order\nThread 1 done\nThread 2 done\nThread 3 done\n@end\nAll done\n";
        let output = "start\nThread 3 done\nThread 1 done\nThread 2 done\nAll dnoe";
        assert_eq!(
            diff(expected, output),
            [
                " start",
                " Thread 3 done",
                " Thread 1 done",
                " Thread 2 done",
                "-All done",
                "+All dnoe"
            ]
        );
        assert_eq!(
            check(expected, output),
            Err("line 5 `All dnoe` does not fit `All done` (expected file line 8)".into())
        );
        // The wrong line before the block, and a stray line inside it.
        assert_eq!(
            diff(
                expected,
                "strat\nThread 2 done\nThread 3 done\nThread 1 done\nAll done"
            ),
            [
                "-start",
                "+strat",
                " Thread 2 done",
                " Thread 3 done",
                " Thread 1 done",
                " All done"
            ]
        );
        assert_eq!(
            diff(
                expected,
                "start\nThread 2 done\noops\nThread 3 done\nThread 1 done\nAll done"
            ),
            [
                " start",
                " Thread 2 done",
                "+oops",
                " Thread 3 done",
                " Thread 1 done",
                " All done"
            ]
        );
    }

    #[test]
    fn the_diff_marks_missing_extra_and_short_entries() {
        assert_eq!(
            diff(
                "@x1.. .{float}\nClosing thread\nGot: Stop now!\n",
                ".0.5\n.0.2\n.0.95\nClosing thread\noops"
            ),
            [
                " .0.5",
                " .0.2",
                " .0.95",
                " Closing thread",
                "-Got: Stop now!",
                "+oops"
            ]
        );
        assert_eq!(
            diff("@x3 run\nkill\n", "run\noops\nrun\nkill"),
            [" run", "+oops", " run", "-run", " kill"]
        );
        assert_eq!(
            diff("@any-order\n@x3 a\nb\n@end\nend\n", "b\na\nend"),
            [" b", " a", "-2 a", " end"]
        );
    }

    #[test]
    fn a_long_any_order_block_is_matched_without_trying_every_split() {
        let expected = "start\n@any-order\n@x0.. Thread {int} started\n@x0.. Thread {int} done\n@x0.. {text}\n@end\nend\n";
        let mut output = vec!["start".to_string()];
        for i in 0..150 {
            output.push(format!("Thread {i} started"));
            output.push(format!("Thread {i} done"));
        }
        let text = output.join("\n");
        let items = items(expected);
        let (short, long) = (lines(&text), lines(&format!("{text}\nend")));
        let err = match_stream(&items, &short).unwrap_err();
        assert_eq!(
            err,
            "the output ended after 301 line(s), but `end` (expected file line 8) was still expected"
        );
        assert!(match_stream(&items, &long).is_ok());
        // Each (item, line) once, the block's 300 lines tried once: trying every split of the
        // block would take hundreds of thousands of steps.
        for output in [&short, &long] {
            let mut search = Search::new(&items, output);
            search.run();
            assert!(search.work < 5 * output.len(), "{} steps", search.work);
        }
    }

    #[test]
    fn an_output_of_thousands_of_lines_that_fits_nothing_ends_in_bounded_work() {
        let items = items("start\n@any-order\n@x5 a {int}\n@x0.. b\n@end\n@x10 done\n");
        let lines = lines(
            &(0..10_000)
                .map(|i| format!("noise {i}\n"))
                .collect::<String>(),
        );
        let mut search = Search::new(&items, &lines);
        let alignment = search.run();
        assert!(search.work <= WORK + 1, "{} steps", search.work);
        let extra = alignment
            .rows
            .iter()
            .filter(|r| matches!(r, Row::Extra { .. }))
            .count();
        assert_eq!(extra, 10_000, "every line stands once");
        assert_eq!(
            alignment.reason(&items, &lines).as_deref(),
            Some("line 1 `noise 0` does not fit `start` (expected file line 2)")
        );
    }
}
