//! Matches a stream's output lines against the expected items of a `[stdout]` or `[stderr]`
//! section, and collects what their placeholders capture.
//!
//! Ordered items consume consecutive lines (trying the longest count first, backtracking when
//! a later item fails). An `@any-order` block consumes a run of lines that can be assigned to
//! its patterns, each pattern getting between its minimum and maximum number of lines: an
//! assignment found by augmenting paths, so a line that fits two patterns never blocks a
//! line that fits only one, whatever the order of the patterns.

use crate::output::{self, Capture, Line};
use crate::spec::{Entry, Item};
use std::collections::HashSet;

/// Matches `lines` against `items`; on success, the captures in line order; on failure, one
/// sentence saying where the output first stopped fitting.
pub fn match_stream(items: &[Item], lines: &[Line]) -> Result<Vec<Capture>, String> {
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    let mut search = Search {
        items,
        lines: &texts,
        failed: HashSet::new(),
        furthest: (0, 0),
    };
    match search.from(0, 0) {
        Some(entries) => {
            let mut captures = Vec::new();
            for (entry, line) in entries.iter().zip(lines) {
                let found = entry
                    .pattern
                    .captures(line)
                    .expect("the search only pairs matching lines");
                captures.extend(found);
            }
            Ok(captures)
        }
        None => Err(search.reason()),
    }
}

struct Search<'a> {
    items: &'a [Item],
    lines: &'a [&'a str],
    /// (item, line) pairs known not to lead to a match.
    failed: HashSet<(usize, usize)>,
    /// The furthest (line, item) at which matching failed, for the message.
    furthest: (usize, usize),
}

impl<'a> Search<'a> {
    /// The entries that match `lines[line..]` one per line, if `items[item..]` can match them.
    fn from(&mut self, item: usize, line: usize) -> Option<Vec<&'a Entry>> {
        if item == self.items.len() {
            return if line == self.lines.len() {
                Some(Vec::new())
            } else {
                self.fail(item, line)
            };
        }
        if self.failed.contains(&(item, line)) {
            return None;
        }
        let remaining = self.lines.len() - line;
        match &self.items[item] {
            Item::Line(entry) => {
                let run = self.lines[line..]
                    .iter()
                    .take(entry.max)
                    .take_while(|l| entry.pattern.fits(l))
                    .count();
                if run >= entry.min {
                    for count in (entry.min..=run).rev() {
                        if let Some(mut rest) = self.from(item + 1, line + count) {
                            let mut found = vec![entry; count];
                            found.append(&mut rest);
                            return Some(found);
                        }
                    }
                }
            }
            Item::AnyOrder { entries, .. } => {
                let least: usize = entries.iter().map(|e| e.min).sum();
                let most = entries
                    .iter()
                    .fold(0usize, |sum, e| sum.saturating_add(e.max));
                // Which entries each line fits, worked out once for every count tried; the
                // block cannot reach past the first line that fits none of them.
                let fits: Vec<Vec<usize>> = self.lines[line..line + most.min(remaining)]
                    .iter()
                    .map(|text| fitting(entries, text))
                    .take_while(|fit| !fit.is_empty())
                    .collect();
                if least <= fits.len() {
                    for count in (least..=fits.len()).rev() {
                        if !self.may_start(item + 1, line + count) {
                            self.fail::<()>(item + 1, line + count);
                            continue;
                        }
                        let Some(assigned) = assign(entries, &fits[..count]) else {
                            continue;
                        };
                        if let Some(mut rest) = self.from(item + 1, line + count) {
                            let mut found: Vec<&Entry> =
                                assigned.iter().map(|&e| &entries[e]).collect();
                            found.append(&mut rest);
                            return Some(found);
                        }
                    }
                }
            }
        }
        self.fail(item, line)
    }

    /// A quick look (no search, nothing recorded) at whether `items[item..]` could begin at
    /// `line`, so that an any-order block only works out assignments for counts worth trying.
    fn may_start(&self, item: usize, line: usize) -> bool {
        match self.items.get(item) {
            None => line == self.lines.len(),
            Some(Item::Line(entry)) if entry.min > 0 => self
                .lines
                .get(line)
                .is_some_and(|text| entry.pattern.fits(text)),
            Some(_) => true,
        }
    }

    fn fail<T>(&mut self, item: usize, line: usize) -> Option<T> {
        self.failed.insert((item, line));
        if (line, item) > self.furthest {
            self.furthest = (line, item);
        }
        None
    }

    fn reason(&self) -> String {
        let (line, item) = self.furthest;
        if let Some(Item::AnyOrder {
            entries,
            line: opened,
        }) = self.items.get(item)
        {
            let least: usize = entries.iter().map(|e| e.min).sum();
            let left = self.lines.len() - line;
            return if left < least {
                format!(
                    "has {left} line(s) left for the any-order block of expected file line {opened}, which needs {least}"
                )
            } else {
                format!(
                    "lines {} on do not fit the any-order block of expected file line {opened}: no assignment of them to its patterns works",
                    line + 1
                )
            };
        }
        let wanted = self.items.get(item).map(describe);
        let quoted = self
            .lines
            .get(line)
            .map(|text| output::shorten(text, output::quote_width()));
        match (quoted, wanted) {
            (None, Some(wanted)) => {
                format!("the output ended after {line} line(s), but {wanted} was still expected")
            }
            (Some(text), None) => format!(
                "line {} `{text}` is more than the expected lines allow",
                line + 1
            ),
            (Some(text), Some(wanted)) => {
                format!("line {} `{text}` does not fit {wanted}", line + 1)
            }
            (None, None) => "the output does not fit the expected lines".into(),
        }
    }
}

fn describe(item: &Item) -> String {
    match item {
        Item::Line(entry) => format!("`{}` (expected file line {})", entry.pattern, entry.line),
        Item::AnyOrder { line, .. } => format!("the any-order block of expected file line {line}"),
    }
}

/// The indexes of the entries whose pattern `line` matches.
fn fitting(entries: &[Entry], line: &str) -> Vec<usize> {
    (0..entries.len())
        .filter(|&e| entries[e].pattern.fits(line))
        .collect()
}

/// Assigns every line (given by the entries it fits) to one entry it fits, each entry getting
/// between its `min` and `max` lines. Returns the entry index of each line, or `None` if no
/// such assignment exists.
///
/// Phase one fills the minimums (capacities = `min`); phase two raises the capacities to
/// `max` and places the remaining lines. An augmenting path never lowers an entry's count,
/// so the minimums filled in phase one stay filled.
fn assign(entries: &[Entry], fits: &[Vec<usize>]) -> Option<Vec<usize>> {
    let mut flow = Flow {
        fits,
        owner: vec![None; fits.len()],
        held: vec![Vec::new(); entries.len()],
        capacity: entries.iter().map(|e| e.min).collect(),
    };
    let needed: usize = entries.iter().map(|e| e.min).sum();
    let mut placed = 0;
    for line in 0..fits.len() {
        if placed == needed {
            break;
        }
        if flow.place(line, &mut vec![false; entries.len()]) {
            placed += 1;
        }
    }
    if placed < needed {
        return None;
    }
    flow.capacity = entries.iter().map(|e| e.max.min(fits.len())).collect();
    for line in 0..fits.len() {
        if flow.owner[line].is_none() && !flow.place(line, &mut vec![false; entries.len()]) {
            return None;
        }
    }
    flow.owner.into_iter().collect()
}

struct Flow<'a> {
    fits: &'a [Vec<usize>],
    owner: Vec<Option<usize>>,
    /// The lines each entry holds now.
    held: Vec<Vec<usize>>,
    capacity: Vec<usize>,
}

impl Flow<'_> {
    /// Finds `line` an entry, moving other lines along if that makes room (Kuhn's algorithm
    /// with capacities).
    fn place(&mut self, line: usize, visited: &mut [bool]) -> bool {
        for &entry in &self.fits[line] {
            if visited[entry] || self.capacity[entry] == 0 {
                continue;
            }
            visited[entry] = true;
            if self.held[entry].len() < self.capacity[entry] {
                self.take(line, entry);
                return true;
            }
            for other in self.held[entry].clone() {
                if self.place(other, visited) {
                    // `other` moved to another entry, freeing one place here.
                    self.take(line, entry);
                    return true;
                }
            }
        }
        false
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec;
    use std::time::{Duration, Instant};

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

    #[test]
    fn literal_lines_in_order() {
        assert!(check("a\nb\n", "a\nb").is_ok());
        let err = check("a\nb\n", "b\na").unwrap_err();
        assert!(err.contains("line 1 `b` does not fit `a`"), "{err}");
        let err = check("a\nb\n", "a").unwrap_err();
        assert!(err.contains("ended after 1 line(s), but `b`"), "{err}");
        let err = check("a\n", "a\nb").unwrap_err();
        assert!(err.contains("line 2 `b` is more than"), "{err}");
    }

    #[test]
    fn an_empty_section_wants_no_output() {
        assert!(check("", "").is_ok());
        assert!(check("", "stray").is_err());
    }

    #[test]
    fn counts_and_ranges() {
        assert!(check("@x3 run\nkill\n", "run\nrun\nrun\nkill").is_ok());
        assert!(check("@x3 run\nkill\n", "run\nrun\nkill").is_err());
        assert!(check("@x3..5 run\nkill\n", "run\nrun\nrun\nrun\nrun\nkill").is_ok());
        assert!(check("@x3..5 run\nkill\n", "run\nrun\nrun\nrun\nrun\nrun\nkill").is_err());
        assert!(check("@x1.. run\n", "run").is_ok());
        assert!(check("@x0.. {text}\nend\n", "a\nb\nend").is_ok());
    }

    #[test]
    fn backtracks_when_a_greedy_count_takes_too_much() {
        // `{text}` could take all three lines; it must leave the last to `done`.
        assert!(check("@x1.. {text}\ndone\n", "x\ndone\ndone").is_ok());
    }

    #[test]
    fn any_order_blocks_accept_every_order() {
        let expected = "start\n@any-order\nThread {int:id} got {float:v}\n@x2 tick\n@end\nend\n";
        let captures = check(expected, "start\ntick\nThread 2 got 0.5\ntick\nend").unwrap();
        assert_eq!(captures.len(), 2);
        assert_eq!(
            captures[0],
            Capture {
                name: "id".into(),
                value: "2".into(),
                at: Duration::from_millis(200),
            }
        );
        assert!(check(expected, "start\nThread 2 got 0.5\ntick\nend").is_err());
        assert!(check(expected, "tick\nstart\nThread 2 got 0.5\ntick\nend").is_err());
    }

    #[test]
    fn any_order_is_an_assignment_not_first_fit() {
        // A first-fit matcher gives `Thread 1 done` to `{text}` (listed first) and then finds
        // nothing for `Thread {int} done`. The assignment moves it.
        let expected = "@any-order\n{text}\nThread {int} done\n@end\n";
        assert!(check(expected, "Thread 1 done\nsomething else").is_ok());
        assert!(check(expected, "something else\nThread 1 done").is_ok());
        assert!(check(expected, "something else\nand more").is_err());
    }

    #[test]
    fn any_order_minimums_hold_when_maximums_are_open() {
        // `{text}` may take any number, but `x` needs two of the lines.
        let expected = "@any-order\n@x0.. {text}\n@x2 x\n@end\n";
        assert!(check(expected, "x\na\nx").is_ok());
        assert!(check(expected, "x\na\nb").is_err());
    }

    #[test]
    fn captures_come_in_line_order() {
        let expected = "@any-order\n@x3 >{int:id} got lock, sleeping {float:sleep}\n@end\n";
        let captures = check(
            expected,
            ">2 got lock, sleeping 0.5\n>0 got lock, sleeping 0.25\n>1 got lock, sleeping 1",
        )
        .unwrap();
        let ids: Vec<&str> = captures
            .iter()
            .filter(|c| c.name == "id")
            .map(|c| c.value.as_str())
            .collect();
        assert_eq!(ids, ["2", "0", "1"]);
    }

    #[test]
    fn a_long_any_order_block_is_matched_quickly() {
        let expected = "start\n@any-order\n@x0.. Thread {int} started\n@x0.. Thread {int} done\n@x0.. {text}\n@end\nend\n";
        let mut output = vec!["start".to_string()];
        for i in 0..150 {
            output.push(format!("Thread {i} started"));
            output.push(format!("Thread {i} done"));
        }
        let text = output.join("\n");
        let items = items(expected);
        let started = Instant::now();
        let err = match_stream(&items, &lines(&text)).unwrap_err();
        assert!(err.contains("ended after 301 line(s), but `end`"), "{err}");
        assert!(match_stream(&items, &lines(&format!("{text}\nend"))).is_ok());
        assert!(
            // A search without its memo takes minutes here; five seconds is room for a busy
            // machine.
            started.elapsed() < Duration::from_secs(5),
            "took {:?}",
            started.elapsed()
        );
    }
}
