//! A timeline drawn as inline SVG for the book: a `<figure>` holding an `<svg>` 750 px wide
//! (an mdBook page's content width; it scales down with `max-width:100%`) and the caption.
//!
//! Each lane is a row named at the left: a tall dark blue bar where it was running, a middle
//! red one where it was blocked on another thread, a thin light blue one where it was waiting,
//! nothing outside its life. The three differ in height and in lightness as well as in hue, so
//! they read apart without colour (for readers who cannot tell the colours apart, or in grey).
//! Output lines are orange ticks on the lane they are drawn on, each with a tooltip holding
//! its lines. No script, no stylesheet: text is drawn in `currentColor`, so it follows the
//! page's theme.
//!
//! The `<svg>` has `class="timeline"` and `data-lanes="N"`, N the number of lanes recorded:
//! `0` for a run with nothing to draw, drawn as a figure that says so: nothing recorded, or
//! no thread seen at two looks (a run of a few milliseconds), which leaves no state to draw.
//!
//! The string holds no blank line: Markdown ends a raw HTML block at one.

use super::layout::{self, Row};
use super::{State, Timeline};
use crate::output::shorten;
use std::fmt::Write as _;
use std::time::Duration;

/// The drawing's width in px.
const WIDTH: usize = 750;
/// A lane's row height in px.
const ROW: usize = 18;
/// Where the first row starts, under the legend.
const TOP: usize = 26;
/// A character of the 12 px monospace the lane names are set in (0.6 em).
const CHAR: f64 = 7.2;
/// A tick label's character, in the 11 px sans-serif of the axis.
const AXIS_CHAR: f64 = 6.5;
/// The widest lane name column, in characters.
const NAME_CHARS: usize = 26;
/// Output lines closer than this (px) on one lane share a tick and its tooltip.
const MARK_BIN: usize = 3;
/// The most lines a tick's tooltip lists; the rest are counted.
const TOOLTIP_LINES: usize = 5;
/// The most characters of a line in a tooltip.
const TOOLTIP_CHARS: usize = 200;

// Relative luminance (WCAG) 0.11, 0.33 and 0.53: dark, middle, light.
const RUNNING_FILL: &str = "#1d4ed8";
const BLOCKED_FILL: &str = "#f87171";
const WAITING_FILL: &str = "#93c5fd";
const MARK_FILL: &str = "#ea580c";

/// `timeline` as a `<figure>` with an inline `<svg>` whose `<title>` is `title`, and
/// `caption` in its `<figcaption>` (none if empty). Every text is escaped for XML.
pub fn draw(timeline: &Timeline, title: &str, caption: &str) -> String {
    let end = layout::end(timeline);
    let spans = timeline.lanes.iter().any(|lane| !lane.spans.is_empty());
    let svg = if !spans || end.is_zero() {
        nothing(title)
    } else {
        chart(timeline, end, title)
    };
    let mut out = String::from("<figure class=\"timeline-figure\" style=\"margin:1em 0\">\n");
    out.push_str(&svg);
    if !caption.is_empty() {
        // Set apart from the page's text around it, which would otherwise read on into it.
        let _ = writeln!(
            out,
            "<figcaption style=\"font-size:0.9em;font-style:italic\">{}</figcaption>",
            xml(caption)
        );
    }
    out.push_str("</figure>\n");
    out
}

/// The opening `<svg>` tag and its `<title>`.
fn open(lanes: usize, height: usize, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" data-lanes=\"{lanes}\" \
         width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" \
         style=\"max-width:100%;height:auto\" font-family=\"sans-serif\" font-size=\"12\" \
         fill=\"currentColor\">\n<title>{}</title>\n",
        xml(title)
    )
}

/// The figure of a run with no lane to draw: a framed note saying so.
fn nothing(title: &str) -> String {
    let height = 80;
    let mut out = open(0, height, title);
    let _ = writeln!(
        out,
        "<rect x=\"1\" y=\"1\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"currentColor\" \
         stroke-opacity=\"0.4\" stroke-dasharray=\"6 4\"/>",
        WIDTH - 2,
        height - 2
    );
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"14\">Nothing to draw: \
         no thread or process of this run was seen at two looks.</text>",
        WIDTH / 2,
        height / 2 + 5
    );
    out.push_str("</svg>\n");
    out
}

fn chart(timeline: &Timeline, end: Duration, title: &str) -> String {
    let rows = layout::rows(timeline);
    let note = rows.left_out();
    let slots = rows.shown.len() + usize::from(note.is_some());
    let names: Vec<(String, String)> = rows.shown.iter().map(name).collect();
    let name_chars = names
        .iter()
        .zip(&rows.shown)
        .map(|((name, id), row)| layout::columns(name) + id.len() + 2 * usize::from(row.thread))
        .chain(["seconds".len()])
        .max()
        .unwrap_or(0);
    let x0 = 16 + (name_chars as f64 * CHAR).ceil() as usize;
    let x1 = WIDTH - 16;
    let chart_width = x1 - x0;
    let axis_y = TOP + slots * ROW + 6;
    let height = axis_y + 24;
    let at_x = |at: Duration| x0 as f64 + at.as_secs_f64() / end.as_secs_f64() * chart_width as f64;
    let ticks = layout::ticks(end, chart_width as f64, AXIS_CHAR);

    let mut out = open(timeline.lanes.len(), height, title);
    legend(&mut out, timeline, x1);

    out.push_str("<g class=\"grid\" stroke=\"currentColor\" stroke-opacity=\"0.15\">\n");
    for (at, _) in &ticks {
        let x = at_x(*at);
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{axis_y}\"/>"
        );
    }
    out.push_str("</g>\n");

    for (slot, (row, (name, id))) in rows.shown.iter().zip(&names).enumerate() {
        let top = TOP + slot * ROW;
        let _ = write!(
            out,
            "<g class=\"lane\">\n<text x=\"{}\" y=\"{}\" font-family=\"monospace\"",
            if row.thread { 8 + 2 * CHAR as usize } else { 8 },
            top + 13
        );
        if !row.thread {
            out.push_str(" font-weight=\"bold\"");
        }
        let _ = write!(out, ">{}", xml(name));
        if !id.is_empty() {
            let _ = write!(
                out,
                "<tspan font-weight=\"normal\" fill-opacity=\"0.6\">{}</tspan>",
                xml(id)
            );
        }
        out.push_str("</text>\n");
        bars(&mut out, row, end, x0, chart_width, top);
        out.push_str("</g>\n");
    }
    if let Some(note) = &note {
        let top = TOP + rows.shown.len() * ROW;
        let _ = writeln!(
            out,
            "<text x=\"{x0}\" y=\"{}\" font-style=\"italic\" fill-opacity=\"0.7\">({})</text>",
            top + 13,
            xml(note)
        );
    }

    marks(&mut out, timeline, &rows.shown, end, x0, chart_width);

    let _ = writeln!(
        out,
        "<g class=\"axis\" font-size=\"11\">\n<line x1=\"{x0}\" y1=\"{axis_y}\" x2=\"{x1}\" \
         y2=\"{axis_y}\" stroke=\"currentColor\"/>"
    );
    for (at, label) in &ticks {
        let x = at_x(*at);
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{axis_y}\" x2=\"{x:.1}\" y2=\"{}\" \
             stroke=\"currentColor\"/>\n<text x=\"{x:.1}\" y=\"{}\" \
             text-anchor=\"middle\">{label}</text>",
            axis_y + 4,
            axis_y + 16
        );
    }
    let _ = writeln!(
        out,
        "<text x=\"8\" y=\"{}\" font-family=\"monospace\" font-size=\"12\">seconds</text>\n</g>",
        axis_y + 16
    );
    out.push_str("</svg>\n");
    out
}

/// A row's name and its id (`" 4021"`, or empty), cut to [`NAME_CHARS`] together.
fn name(row: &Row) -> (String, String) {
    let id = row.id.map(|id| format!(" {id}")).unwrap_or_default();
    let room = NAME_CHARS.saturating_sub(id.len()).max(1);
    (layout::cut(&row.name, room), id)
}

/// What each state's legend entry says, and its tooltip.
const STATES: [(State, &str, &str); 3] = [
    (
        State::Running,
        "running",
        "on a core, or ready and waiting for one",
    ),
    (
        State::Blocked,
        "blocked (lock, join…)",
        "waiting for another thread: a lock, a condition variable, a barrier, a semaphore, \
         a join, a channel (any futex wait)",
    ),
    (
        State::Waiting,
        "waiting (sleep, IO)",
        "asleep in a timer, or waiting on a pipe, a socket, a child process",
    ),
];

/// The legend over the chart, from the left edge (the names' column is empty at its height):
/// each state's bar as a lane draws it, the output tick, and how often the run was sampled.
fn legend(out: &mut String, timeline: &Timeline, x1: usize) {
    out.push_str("<g class=\"legend\" font-size=\"11\">\n");
    let mut x = 8;
    for (state, label, tip) in STATES {
        let (y, height, fill) = bar(state, 1);
        let _ = writeln!(
            out,
            "<g><title>{}</title><rect x=\"{x}\" y=\"{y}\" width=\"16\" height=\"{height}\" \
             fill=\"{fill}\"/><text x=\"{}\" y=\"14\">{}</text></g>",
            xml(tip),
            x + 20,
            xml(label)
        );
        x += 20 + (label.chars().count() as f64 * AXIS_CHAR).ceil() as usize + 14;
    }
    let _ = writeln!(
        out,
        "<rect x=\"{x}\" y=\"3\" width=\"2\" height=\"14\" fill=\"{MARK_FILL}\"/>\
         <text x=\"{}\" y=\"14\">output line (hover for its text)</text>",
        x + 7
    );
    if !timeline.period.is_zero() {
        let _ = writeln!(
            out,
            "<text x=\"{x1}\" y=\"14\" text-anchor=\"end\" fill-opacity=\"0.7\">sampled every \
             {} ms</text>",
            timeline.period.as_millis().max(1)
        );
    }
    out.push_str("</g>\n");
}

/// A state's bar in a row starting at `top`: its top, its height and its fill. Running the
/// tallest and darkest, waiting (asleep, on IO) the thinnest and lightest, blocked (held back
/// by another thread) between them.
fn bar(state: State, top: usize) -> (usize, usize, &'static str) {
    match state {
        State::Running => (top + 2, ROW - 4, RUNNING_FILL),
        State::Blocked => (top + ROW / 2 - 5, 10, BLOCKED_FILL),
        State::Waiting => (top + ROW / 2 - 3, 6, WAITING_FILL),
    }
}

/// A lane's bars: one rect per run of columns (1 px each) in one state.
fn bars(out: &mut String, row: &Row, end: Duration, x0: usize, width: usize, top: usize) {
    let cells = layout::cells(row.lane, end, width);
    let mut i = 0;
    while i < cells.len() {
        let state = cells[i];
        let run = cells[i..].iter().take_while(|&&c| c == state).count();
        if let Some(state) = state {
            let (y, height, fill) = bar(state, top);
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{y}\" width=\"{run}\" height=\"{height}\" fill=\"{fill}\"/>",
                x0 + i
            );
        }
        i += run;
    }
}

/// The output lines as ticks on the lane each is drawn on (a lane without a row: on the row
/// that counts those), lines close together sharing a tick and its tooltip.
fn marks(
    out: &mut String,
    timeline: &Timeline,
    shown: &[Row],
    end: Duration,
    x0: usize,
    width: usize,
) {
    let bins = (width / MARK_BIN).max(1);
    // (slot, bin) -> the marks there, in output order.
    let mut ticks: Vec<((usize, usize), Vec<usize>)> = Vec::new();
    for (i, mark) in timeline.marks.iter().enumerate() {
        let lane = layout::lane_of(timeline, mark);
        let slot = shown
            .iter()
            .position(|row| Some(row.index) == lane)
            .unwrap_or(shown.len());
        let key = (slot, layout::column(mark.at, end, bins));
        match ticks.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(i),
            None => ticks.push((key, vec![i])),
        }
    }
    if ticks.is_empty() {
        return;
    }
    let _ = writeln!(out, "<g class=\"marks\" fill=\"{MARK_FILL}\">");
    for ((slot, bin), list) in ticks {
        let mut tip = String::new();
        for &i in list.iter().take(TOOLTIP_LINES) {
            let mark = &timeline.marks[i];
            let stream = match mark.stream {
                super::Stream::Stdout => "",
                super::Stream::Stderr => " (stderr)",
            };
            let text = shorten(&layout::clean(&mark.text), TOOLTIP_CHARS).into_owned();
            if !tip.is_empty() {
                tip.push_str("&#10;");
            }
            let _ = write!(
                tip,
                "{:.2} s{stream}: {}",
                mark.at.as_secs_f64(),
                xml(&text)
            );
        }
        if list.len() > TOOLTIP_LINES {
            let _ = write!(tip, "&#10;and {} more", list.len() - TOOLTIP_LINES);
        }
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"2\" height=\"{}\"><title>{tip}</title></rect>",
            x0 + bin * MARK_BIN,
            TOP + slot * ROW + 1,
            ROW - 2
        );
    }
    out.push_str("</g>\n");
}

/// `text` escaped for XML text and attribute values. Also `{` and `}`, so that mdBook's
/// `{{#include ...}}` in a program's output is shown, not acted on; and the two characters
/// XML forbids that [`crate::output::printable`] keeps (U+FFFE, U+FFFF) as U+FFFD.
pub(super) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in layout::clean(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
