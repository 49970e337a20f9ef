//! Markdown read with pulldown-cmark, mdBook's own parser, given the options mdBook 0.5 gives
//! it (`new_cmark_parser` in mdbook-markdown), so that what is a link or a heading here is one
//! on the page. Nothing is rendered here (mdBook renders): these functions cut a text at its
//! headings, or change a link's destination where it is written, and keep every other byte.

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// What becomes of a link, or an image, given its destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relink {
    /// It stays as written.
    Keep,
    /// Its destination becomes this one.
    To(String),
    /// The link goes and its text stays (for an image, its alt text).
    TextOnly,
}

/// The extensions mdBook 0.5 turns on by default.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM
}

/// `markdown` with each link and image changed as `relink` says of its destination: an
/// inline link's destination is rewritten where it stands, a reference link's in its
/// definition (`[r]: ../README.md`), which serves every link that names it. Code (fenced with
/// backticks or tildes, indented, or in spans of any number of backticks) holds no link and
/// stays; so do autolinks (`<https://...>`), which are web addresses.
pub fn rewrite_links(markdown: &str, relink: impl Fn(&str) -> Relink) -> String {
    let parser = Parser::new_ext(markdown, options()).into_offset_iter();
    let mut edits = Vec::new();
    for (_, definition) in parser.reference_definitions().iter() {
        if let Relink::To(to) = relink(&definition.dest)
            && let Some(at) = definition_destination(markdown, definition.span.clone())
        {
            edits.push((at, to));
        }
    }
    let mut open: Vec<Link> = Vec::new();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => open.push(Link::new(range, link_type, &dest_url, "[")),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) => open.push(Link::new(range, link_type, &dest_url, "![")),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                let link = open.pop().expect("a link ends after it starts");
                if let Some(outer) = open.last_mut() {
                    outer.text_end = outer.text_end.max(link.range.end);
                }
                edits.extend(link.edits(markdown, &relink));
            }
            _ => {
                if let Some(link) = open.last_mut() {
                    link.text_end = link.text_end.max(range.end);
                }
            }
        }
    }
    edits.sort_by_key(|(at, _)| at.start);
    let mut out = String::with_capacity(markdown.len());
    let mut done = 0;
    for (at, text) in edits {
        // Edits never overlap (a link's own edits surround its text, which holds the edits
        // of an image inside it); one that did would be a bug here, not in the text.
        assert!(at.start >= done, "overlapping link edits at {at:?}");
        out.push_str(&markdown[done..at.start]);
        out.push_str(&text);
        done = at.end;
    }
    out.push_str(&markdown[done..]);
    out
}

/// A link or image being read: where it is, and where its text ends so far.
struct Link {
    range: Range<usize>,
    link_type: LinkType,
    dest: String,
    /// `[` or `![`.
    opener: &'static str,
    /// The end of the last event inside the link's text: its `]` comes at or after it.
    text_end: usize,
}

impl Link {
    fn new(range: Range<usize>, link_type: LinkType, dest: &str, opener: &'static str) -> Link {
        Link {
            text_end: range.start + opener.len(),
            range,
            link_type,
            dest: dest.to_string(),
            opener,
        }
    }

    /// The changes to the text this link asks for.
    fn edits(
        &self,
        markdown: &str,
        relink: impl Fn(&str) -> Relink,
    ) -> Vec<(Range<usize>, String)> {
        let inline = self.link_type == LinkType::Inline;
        let named = matches!(
            self.link_type,
            LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
        );
        if !inline && !named {
            return Vec::new();
        }
        let Some(close) = markdown[self.text_end..self.range.end]
            .find(']')
            .map(|at| self.text_end + at)
        else {
            return Vec::new();
        };
        match relink(&self.dest) {
            Relink::Keep => Vec::new(),
            // A named link's destination is rewritten in its definition.
            Relink::To(_) if named => Vec::new(),
            Relink::To(to) => match markdown[close..].strip_prefix("](") {
                Some(_) => destination(markdown, close + 2)
                    .map(|at| vec![(at, to)])
                    .unwrap_or_default(),
                None => Vec::new(),
            },
            Relink::TextOnly => vec![
                (
                    self.range.start..self.range.start + self.opener.len(),
                    String::new(),
                ),
                (close..self.range.end, String::new()),
            ],
        }
    }
}

/// Where the destination of the definition written at `span` (`[label]: dest "title"`) is.
fn definition_destination(markdown: &str, span: Range<usize>) -> Option<Range<usize>> {
    let text = &markdown[span.clone()];
    let mut chars = text.char_indices().skip_while(|(_, c)| *c != '[').skip(1);
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            ']' => {
                return text[at + 1..]
                    .strip_prefix(':')
                    .and_then(|_| destination(markdown, span.start + at + 2));
            }
            _ => {}
        }
    }
    None
}

/// Where the link destination that starts after the spaces (and at most one line break) at
/// `from` is: inside its `<...>`, or a run without spaces or control characters whose
/// parentheses balance, as CommonMark writes a destination.
fn destination(markdown: &str, from: usize) -> Option<Range<usize>> {
    let rest = &markdown[from..];
    let blank = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let mut start = from + blank;
    for newline in ["\r\n", "\n", "\r"] {
        if let Some(after) = markdown[start..].strip_prefix(newline) {
            start = markdown.len() - after.trim_start_matches([' ', '\t']).len();
            break;
        }
    }
    let text = &markdown[start..];
    let mut chars = text.char_indices();
    if text.starts_with('<') {
        chars.next();
        while let Some((at, c)) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '>' => return Some(start + 1..start + at),
                '<' | '\n' | '\r' => return None,
                _ => {}
            }
        }
        return None;
    }
    let mut depth = 0usize;
    let mut end = text.len();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = at;
                break;
            }
            ')' => depth -= 1,
            c if c.is_ascii_whitespace() || c.is_ascii_control() => {
                end = at;
                break;
            }
            _ => {}
        }
    }
    Some(start..start + end)
}

/// The markdown cut before each of its second-level headings (`## `, or underlined with
/// `---`) outside code, lists and quotes: (the heading's first line, the section's text
/// from that line on). The text before the first heading comes first, with an empty heading.
/// The sections, joined, are the markdown.
pub fn sections(markdown: &str) -> Vec<(String, String)> {
    let mut starts = Vec::new();
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) if depth == 0 => {
                starts.push(range.start);
                depth += 1;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
    let mut sections = vec![(
        String::new(),
        markdown[..starts.first().copied().unwrap_or(markdown.len())].to_string(),
    )];
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(markdown.len());
        let text = &markdown[start..end];
        let heading = text.lines().next().unwrap_or_default();
        sections.push((heading.to_string(), text.to_string()));
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Links to `.md` files go to `page.html`; links to `gone.md` lose their link.
    fn relink(dest: &str) -> Relink {
        match dest {
            "gone.md" => Relink::TextOnly,
            d if d.ends_with(".md") => Relink::To("page.html".into()),
            _ => Relink::Keep,
        }
    }

    #[test]
    fn inline_links_change_destination_and_nothing_else() {
        let text =
            "See [the *course*](../README.md \"title\") and [docs](https://docs.rs) [](x.md).\n";
        assert_eq!(
            rewrite_links(text, relink),
            "See [the *course*](page.html \"title\") and [docs](https://docs.rs) [](page.html).\n"
        );
        let angled = "[a](<my file.md>) [b](\n  a.md)\n";
        assert_eq!(
            rewrite_links(angled, relink),
            "[a](<page.html>) [b](\n  page.html)\n"
        );
        let parens = "[a](x(1).md) [b](c\\).md)\n";
        assert_eq!(
            rewrite_links(parens, relink),
            "[a](page.html) [b](page.html)\n"
        );
    }

    #[test]
    fn a_link_to_nowhere_keeps_its_text_with_its_markup() {
        let text = "a [`semaphore` *here*](gone.md) b [short] c\n\n[short]: gone.md\n";
        assert_eq!(
            rewrite_links(text, relink),
            "a `semaphore` *here* b short c\n\n[short]: gone.md\n"
        );
    }

    #[test]
    fn code_holds_no_link() {
        let text = "~~~text\n[not](a.md)\n~~~\n\n```\n[not](a.md)\n```\n\n    [indented](a.md)\n\nA ``double `backtick` [span](a.md)`` and `[x](y.md)` stay; [this](a.md) goes.\n";
        let out = rewrite_links(text, relink);
        assert_eq!(out, text.replace("[this](a.md)", "[this](page.html)"));
    }

    #[test]
    fn a_code_span_may_run_over_a_line_break() {
        let text = "`a\nb [x](a.md)` [root](a.md)\n";
        assert_eq!(
            rewrite_links(text, relink),
            "`a\nb [x](a.md)` [root](page.html)\n"
        );
    }

    #[test]
    fn a_reference_link_is_rewritten_in_its_definition() {
        let text = "[x][r], [R][] and [r] again.\n\n[r]: ../lesson04/README.md \"Lesson 4\"\n[w]: <https://example.org>\n";
        assert_eq!(
            rewrite_links(text, relink),
            "[x][r], [R][] and [r] again.\n\n[r]: page.html \"Lesson 4\"\n[w]: <https://example.org>\n"
        );
        let spaced = "[x][r]\n\n[r]:\n   <a.md>\n";
        assert_eq!(
            rewrite_links(spaced, relink),
            "[x][r]\n\n[r]:\n   <page.html>\n"
        );
    }

    #[test]
    fn autolinks_and_images() {
        let text = "<https://example.org/a.md> and ![a diagram](d.md) and ![gone](gone.md) and [![badge](https://b.svg)](a.md)\n";
        assert_eq!(
            rewrite_links(text, relink),
            "<https://example.org/a.md> and ![a diagram](page.html) and gone and [![badge](https://b.svg)](page.html)\n"
        );
    }

    #[test]
    fn mdbook_commands_are_text_to_the_parser() {
        let text = "an include: `\\{{#include x.rs}}` and \\{{#include [y](a.md)}}\n";
        assert_eq!(
            rewrite_links(text, relink),
            "an include: `\\{{#include x.rs}}` and \\{{#include [y](page.html)}}\n"
        );
    }

    #[test]
    fn a_readme_splits_at_its_second_level_headings_outside_code() {
        let text = "# T\nintro\n## One\na\n```sh\n## not a heading\n```\n~~~\n## nor this\n~~~\n> ## quoted\n\n- ## listed\n\nTwo\n---\nb\n";
        let found = sections(text);
        let headings: Vec<&str> = found.iter().map(|(h, _)| h.as_str()).collect();
        assert_eq!(headings, ["", "## One", "Two"]);
        assert_eq!(found[0].1, "# T\nintro\n");
        assert!(found[1].1.contains("## not a heading"));
        assert!(found[1].1.contains("## nor this"));
        assert_eq!(found[2].1, "Two\n---\nb\n");
        let joined: String = found.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(joined, text);
        assert_eq!(
            sections("no heading\n"),
            [(String::new(), "no heading\n".into())]
        );
    }
}
