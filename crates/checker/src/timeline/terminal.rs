//! A timeline drawn for a terminal: one row per lane (a process, then its threads indented
//! under it), `█` where the lane was running, `░` where it was blocked on another thread and
//! `─` where it was waiting (blank outside its life), a row of bars as high as the number of
//! output lines in each column (up to 7), the time axis in seconds, a legend, then the output
//! lines with their times.
//!
//! The three glyphs differ in kind, not only in weight: a solid block, a shaded block, a thin
//! line. A shade, not a dotted line (`┈`), for blocked: a dotted line reads as the line of
//! waiting at a glance, and the shade, between the two in weight, is a thread held back from
//! running.
//!
//! ```text
//! semaphore 4100   ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
//!   semaphore 4101 ────────
//!   semaphore 4102 ─────────
//!   semaphore 4103 ░░░░░░░░─────────
//! output                  ▁▁       ▂       ▂        ▂       ▂
//!                  ╵         ╵         ╵          ╵         ╵
//! seconds          0         0.5       1.0        1.5      2.0
//! █ running  ░ blocked (lock, join…)  ─ waiting (sleep, IO)
//! output: ▁ 1 line, ▂ 2 … ▇ 7+  one column: 47 ms
//! sampled every 5 ms
//! ```

use super::layout::{self, Row};
use super::{State, Stream, Timeline};
use crate::output::shorten;
use std::fmt::Write as _;
use std::time::Duration;

/// The narrowest drawing: a narrower `width` is drawn at this one.
pub const MIN_WIDTH: usize = 40;
/// The most output lines listed under the chart; the rest are counted.
pub const MAX_LINES: usize = 20;

const RUNNING: char = '█';
const BLOCKED: char = '░';
const WAITING: char = '─';
const TICK: char = '╵';

/// The ANSI colours, used only when asked for.
#[derive(Debug, Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn with(self, code: &str, text: &str) -> String {
        if self.0 && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn state(self, state: State, text: &str) -> String {
        match state {
            State::Running => self.with("32", text),
            State::Blocked => self.with("31", text),
            State::Waiting => self.with("90", text),
        }
    }
}

/// `timeline` drawn in `width` columns (at least [`MIN_WIDTH`]), in ANSI colours if
/// `colour`. Every line ends in a newline. Lane names and output lines are the program's
/// own, so they are shown with no control character (see [`crate::output::printable`]).
pub fn draw(timeline: &Timeline, width: usize, colour: bool) -> String {
    let width = width.max(MIN_WIDTH);
    let paint = Paint(colour);
    let mut out = String::new();
    let end = layout::end(timeline);
    if timeline.lanes.is_empty() || end.is_zero() {
        out.push_str("nothing recorded: no thread or process of the run was seen\n");
    } else {
        chart(&mut out, timeline, end, width, paint);
        out.push('\n');
    }
    lines(&mut out, timeline, width, paint);
    out
}

/// The lanes, the output row, the axis and the legend.
fn chart(out: &mut String, timeline: &Timeline, end: Duration, width: usize, paint: Paint) {
    let rows = layout::rows(timeline);
    let label_width = rows
        .shown
        .iter()
        .map(|row| layout::columns(&label(row, usize::MAX)))
        .chain(["seconds".len()])
        .max()
        .unwrap_or(0)
        .min(width / 3);
    // One column past the chart, for a tick at its very end.
    let chart_width = width - label_width - 2;
    let pad = |text: &str| {
        let gap = label_width.saturating_sub(layout::columns(text));
        format!("{text}{} ", " ".repeat(gap))
    };
    let mut push = |line: String| {
        out.push_str(line.trim_end());
        out.push('\n');
    };

    for row in &rows.shown {
        let text = label(row, label_width);
        let mut shown = pad(&text);
        if !row.thread {
            // A process's name in bold; its pid, and the padding, as they are.
            let name_end = text.len() - row.id.map_or(0, |id| format!(" {id}").len());
            shown = format!(
                "{}{}",
                paint.with("1", &shown[..name_end]),
                &shown[name_end..]
            );
        }
        let cells = layout::cells(row.lane, end, chart_width);
        push(format!("{shown}{}", glyphs(&cells, paint)));
    }
    if let Some(note) = rows.left_out() {
        push(format!(
            "{}({})",
            pad(""),
            layout::cut(&note, chart_width - 2)
        ));
    }

    let mut counts = vec![0usize; chart_width];
    for mark in &timeline.marks {
        counts[layout::column(mark.at, end, chart_width)] += 1;
    }
    // Bars of one to seven eighths, not digits: the two lines of a pair falling in two
    // columns would read as `11`. Never a full block, which means running.
    let counted: String = counts
        .iter()
        .map(|&n| match n {
            0 => ' ',
            n => char::from_u32(0x2580 + n.min(7) as u32).expect("a block element"),
        })
        .collect();
    push(format!("{}{}", pad("output"), paint.with("33", &counted)));

    let ticks = layout::ticks(end, chart_width as f64, 1.0);
    let mut tick_row = vec![' '; chart_width + 1];
    let mut label_row = vec![' '; chart_width + 1];
    let mut free_from = 0;
    for (at, text) in &ticks {
        let col = (at.as_nanos() * chart_width as u128 / end.as_nanos()) as usize;
        tick_row[col] = TICK;
        // A label starts at its tick, or ends at the drawing's edge for the last one.
        let start = col.min((chart_width + 1).saturating_sub(text.len()));
        if start >= free_from {
            for (i, c) in text.chars().enumerate() {
                label_row[start + i] = c;
            }
            free_from = start + text.len() + 1;
        }
    }
    push(format!(
        "{}{}",
        pad(""),
        tick_row.iter().collect::<String>()
    ));
    push(format!(
        "{}{}",
        pad("seconds"),
        label_row.iter().collect::<String>()
    ));

    let column = end / chart_width as u32;
    let mut legend = vec![
        format!(
            "{} running",
            paint.state(State::Running, &RUNNING.to_string())
        ),
        format!(
            "{} blocked (lock, join…)",
            paint.state(State::Blocked, &BLOCKED.to_string())
        ),
        format!(
            "{} waiting (sleep, IO)",
            paint.state(State::Waiting, &WAITING.to_string())
        ),
        "output: ▁ 1 line, ▂ 2 … ▇ 7+".to_string(),
        format!("one column: {}", duration(column)),
    ];
    if !timeline.period.is_zero() {
        legend.push(format!("sampled every {}", duration(timeline.period)));
    }
    let mut line = String::new();
    let mut line_width = 0;
    for piece in legend {
        // Only the glyphs are coloured: count the columns of the text without its codes.
        let piece_width = layout::columns(&strip(&piece));
        if line_width > 0 && line_width + 2 + piece_width > width {
            push(std::mem::take(&mut line));
            line_width = 0;
        }
        if line_width > 0 {
            line.push_str("  ");
            line_width += 2;
        }
        line.push_str(&piece);
        line_width += piece_width;
    }
    push(line);
}

/// A row's label cut to `room` columns: its name (indented for a thread), then its id where
/// it has one. The name is cut first, so the id that tells two lanes apart stays whole.
fn label(row: &Row, room: usize) -> String {
    let indent = if row.thread { "  " } else { "" };
    let id = row.id.map(|id| format!(" {id}")).unwrap_or_default();
    let name_room = room.saturating_sub(indent.len() + id.len()).max(1);
    format!("{indent}{}{id}", layout::cut(&row.name, name_room))
}

/// A lane's cells as glyphs, each run of one state coloured once.
fn glyphs(cells: &[Option<State>], paint: Paint) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < cells.len() {
        let state = cells[i];
        let run = cells[i..].iter().take_while(|&&c| c == state).count();
        match state {
            None => out.push_str(&" ".repeat(run)),
            Some(s) => {
                let glyph = match s {
                    State::Running => RUNNING,
                    State::Blocked => BLOCKED,
                    State::Waiting => WAITING,
                };
                out.push_str(&paint.state(s, &glyph.to_string().repeat(run)));
            }
        }
        i += run;
    }
    out
}

/// The output lines, each with its time (and its stream, where some went to stderr), cut to
/// `width`; past [`MAX_LINES`], the first ones and a count of the rest.
fn lines(out: &mut String, timeline: &Timeline, width: usize, paint: Paint) {
    let marks = &timeline.marks;
    if marks.is_empty() {
        out.push_str("no output lines\n");
        return;
    }
    let streams = marks.iter().any(|mark| mark.stream == Stream::Stderr);
    let listed = if marks.len() > MAX_LINES {
        MAX_LINES - 1
    } else {
        marks.len()
    };
    let _ = writeln!(
        out,
        "output lines ({}):",
        crate::output::grouped(marks.len() as u64)
    );
    for mark in &marks[..listed] {
        let mut head = format!("{:6.2}s  ", mark.at.as_secs_f64());
        if streams {
            head.push_str(match mark.stream {
                Stream::Stdout => "out ",
                Stream::Stderr => "err ",
            });
        }
        let text = fit(&layout::clean(&mark.text), width - head.len());
        let line = format!("{}{text}", paint.with("2", &head));
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if listed < marks.len() {
        let _ = writeln!(
            out,
            "  … {} more lines not listed",
            crate::output::grouped((marks.len() - listed) as u64)
        );
    }
}

/// `text` cut to `room` columns by [`shorten`], which counts characters: cut again, shorter,
/// while wide characters make it take more columns than that.
fn fit(text: &str, room: usize) -> String {
    let mut budget = room;
    loop {
        let cut = shorten(text, budget).into_owned();
        let over = layout::columns(&cut).saturating_sub(room);
        if over == 0 || budget <= 1 {
            return cut;
        }
        // Each character fewer saves one column or two (a wide one): halve the excess.
        budget = budget.saturating_sub(over.div_ceil(2)).max(1);
    }
}

/// `38 ms`, `1.2 s`.
fn duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis().max(1))
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// `text` without the colour codes [`Paint`] adds.
fn strip(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
