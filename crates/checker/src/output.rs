//! What a run printed, as the judging sees it: each line with the time verify read it, and
//! the values the expected file's placeholders captured from those lines.
//!
//! A program verify judges may print anything: the runner keeps a bounded part of each stream
//! ([`KEPT_LINES`], [`KEPT_BYTES`], lines to [`LINE_BYTES`]), turns its bytes into text that is
//! safe to show on a terminal ([`printable`]), and counts what it did not keep ([`Cut`]).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::time::Duration;

/// One output line as verify read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// When verify read it, from the example's start.
    pub at: Duration,
}

/// Which stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// A value captured by a named placeholder (`{float:sleep}`): its name, its text, and the
/// time of the line it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Capture {
    pub name: String,
    pub value: String,
    pub at: Duration,
}

/// The most lines of one stream verify keeps; an example prints at most a few hundred.
pub const KEPT_LINES: usize = 10_000;
/// The most bytes of one stream verify keeps.
pub const KEPT_BYTES: usize = 4 << 20;
/// The most bytes of one line verify keeps; the rest of a longer line is counted.
pub const LINE_BYTES: usize = 4096;

/// What verify did not keep of one stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cut {
    /// Lines read after the stream reached [`KEPT_LINES`] or [`KEPT_BYTES`].
    pub lines: u64,
    /// The bytes of those lines.
    pub bytes: u64,
    /// Kept lines longer than [`LINE_BYTES`], kept only in part.
    pub long_lines: u64,
}

impl Cut {
    pub fn is_empty(&self) -> bool {
        *self == Cut::default()
    }

    /// `20,252,399 more lines (101,261,995 bytes) not kept; 200 lines cut to 4,096 bytes`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.lines > 0 {
            parts.push(format!(
                "{} more line(s) ({} bytes) not kept",
                grouped(self.lines),
                grouped(self.bytes)
            ));
        }
        if self.long_lines > 0 {
            parts.push(format!(
                "{} line(s) cut to {} bytes",
                grouped(self.long_lines),
                grouped(LINE_BYTES as u64)
            ));
        }
        parts.join("; ")
    }
}

/// `20252399` as `20,252,399`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The text of a line's bytes, safe to print on a terminal: UTF-8 as it is, a byte that is
/// not UTF-8 as `\xff`, ESC as `\e` and every other control character (tab aside) as `\x07`,
/// so that no escape sequence a program prints reaches the reader's terminal.
pub fn printable(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\t' => out.push(c),
                '\u{1b}' => out.push_str("\\e"),
                c if c.is_control() => {
                    let _ = write!(out, "\\x{:02x}", u32::from(c));
                }
                c => out.push(c),
            }
        }
        for byte in chunk.invalid() {
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out
}

/// `text` cut to at most `width` characters, saying how many it left out.
pub fn shorten(text: &str, width: usize) -> Cow<'_, str> {
    let total = text.chars().count();
    if total <= width {
        return Cow::Borrowed(text);
    }
    let note = format!("… ({} more characters)", grouped((total - width) as u64));
    let keep = width.saturating_sub(note.chars().count()).max(1);
    let left = total - keep;
    let note = format!("… ({} more characters)", grouped(left as u64));
    let head: String = text.chars().take(keep).collect();
    Cow::Owned(head + &note)
}

/// How many characters a quoted line may take in a message: the terminal's width when
/// verify's output is a terminal, 200 otherwise.
pub fn quote_width() -> usize {
    // SAFETY: TIOCGWINSZ writes a `winsize` into the struct it is given and nothing else.
    let mut size: nix::libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { nix::libc::ioctl(1, nix::libc::TIOCGWINSZ, &mut size) } == 0;
    if ok && size.ws_col >= 40 {
        usize::from(size.ws_col)
    } else {
        200
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_escapes_what_a_terminal_would_act_on() {
        assert_eq!(printable(b"plain text\tand a tab"), "plain text\tand a tab");
        assert_eq!(
            printable(b"bad \xff\xfe utf8 \x1b[31mred\x1b[0m\x07"),
            "bad \\xff\\xfe utf8 \\e[31mred\\e[0m\\x07"
        );
        assert_eq!(printable("é ü 線".as_bytes()), "é ü 線");
        // A C1 control, valid UTF-8 but acted on by some terminals.
        assert_eq!(printable("a\u{9b}b".as_bytes()), "a\\x9bb");
    }

    #[test]
    fn shorten_keeps_short_text_and_says_what_it_cut() {
        assert_eq!(shorten("short", 10), "short");
        let long = "x".repeat(1_000_000);
        let cut = shorten(&long, 80);
        assert_eq!(cut.chars().count(), 80, "{cut}");
        assert!(cut.ends_with("… (999,947 more characters)"), "{cut}");
    }

    #[test]
    fn counts_are_grouped_in_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(20_252_399), "20,252,399");
        let cut = Cut {
            lines: 20_252_399,
            bytes: 101_261_995,
            long_lines: 200,
        };
        assert_eq!(
            cut.describe(),
            "20,252,399 more line(s) (101,261,995 bytes) not kept; 200 line(s) cut to 4,096 bytes"
        );
        assert!(Cut::default().is_empty());
    }
}
