//! A page as HTML: its ids, its links, its code blocks and its title, read with html5gum, a
//! WHATWG tokenizer. A tokenizer builds no tree, which is all this needs: the pages read are
//! Chromium's own serialization of the DOM it built (or mdBook's output, for ids), where every
//! element that is not void is closed and nested as the DOM has it; the one place where
//! tokenizing depends on the tree, the raw text of `<script>` and `<style>`, is handled by
//! html5gum's naive state switching.

use html5gum::{DefaultEmitter, Token, Tokenizer};
use std::collections::{HashMap, HashSet};

/// A `<code>` element: its classes and the text inside it (that of its descendants too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub classes: Vec<String>,
    pub text: String,
    /// Its position among the page's elements, in document order.
    order: usize,
}

/// A timeline drawn on the page: an `<svg class="timeline">` (checker's `timeline::svg`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    /// Its `data-lanes`: how many lanes it draws (0: nothing was recorded), or `None` when
    /// the attribute is missing or not a number.
    pub lanes: Option<usize>,
    /// The text of its first `<title>`, which names the drawing.
    pub title: String,
}

/// What the checks read of one page.
#[derive(Debug, Default)]
pub struct Page {
    /// The id of each element, with the position of the first element holding it.
    ids: HashMap<String, usize>,
    /// The `name` of each `<a>`, which a fragment may name too.
    anchor_names: HashSet<String>,
    /// Every `href`, in document order, character references decoded.
    pub links: Vec<String>,
    pub codes: Vec<Code>,
    /// The text the page shows (not that of its scripts and styles).
    pub text: String,
    /// The text of the first `<h1>` of its `<main>` (mdBook's menu bar has an `<h1>` too,
    /// the book's title), if it has one.
    pub title: Option<String>,
    /// The timelines drawn on it, in document order.
    pub timelines: Vec<Drawn>,
}

impl Page {
    pub fn parse(html: &str) -> Page {
        let mut emitter = DefaultEmitter::default();
        emitter.naively_switch_states(true);
        let mut page = Page::default();
        let mut order = 0;
        let mut code: Option<Code> = None;
        let mut title: Option<String> = None;
        let mut raw_text = false;
        let mut in_main = false;
        // Inside an `<svg class="timeline">`, and whether its title is still to be read
        // (`Some` while inside that first `<title>`).
        let mut in_timeline = false;
        let mut timeline_title: Option<String> = None;
        let mut titled = false;
        for Ok(token) in Tokenizer::new_with_emitter(html, emitter) {
            match token {
                Token::StartTag(tag) => {
                    order += 1;
                    let name = String::from_utf8_lossy(&tag.name);
                    let attribute = |key: &str| {
                        tag.attributes
                            .get(key.as_bytes())
                            .map(|value| String::from_utf8_lossy(value).into_owned())
                    };
                    if let Some(id) = attribute("id") {
                        page.ids.entry(id).or_insert(order);
                    }
                    if let Some(href) = attribute("href") {
                        page.links.push(href);
                    }
                    match &*name {
                        "a" => page.anchor_names.extend(attribute("name")),
                        "code" => {
                            let classes = attribute("class").unwrap_or_default();
                            code = Some(Code {
                                classes: classes
                                    .split_ascii_whitespace()
                                    .map(String::from)
                                    .collect(),
                                text: String::new(),
                                order,
                            });
                        }
                        "main" => in_main = true,
                        "svg"
                            if attribute("class").is_some_and(|c| {
                                c.split_ascii_whitespace().any(|c| c == "timeline")
                            }) =>
                        {
                            in_timeline = !tag.self_closing;
                            titled = false;
                            page.timelines.push(Drawn {
                                lanes: attribute("data-lanes").and_then(|n| n.parse().ok()),
                                title: String::new(),
                            });
                        }
                        "title" if in_timeline && !titled => {
                            titled = true;
                            timeline_title = Some(String::new());
                        }
                        "h1" if in_main && page.title.is_none() => title = Some(String::new()),
                        "script" | "style" => raw_text = !tag.self_closing,
                        _ => {}
                    }
                }
                Token::EndTag(tag) => match tag.name.as_slice() {
                    b"code" => page.codes.extend(code.take()),
                    b"main" => in_main = false,
                    b"svg" => in_timeline = false,
                    b"title" => {
                        if let (Some(title), Some(drawn)) =
                            (timeline_title.take(), page.timelines.last_mut())
                        {
                            drawn.title = title;
                        }
                    }
                    b"h1" => page.title = page.title.take().or(title.take()),
                    b"script" | b"style" => raw_text = false,
                    _ => {}
                },
                Token::String(text) if !raw_text => {
                    let text = String::from_utf8_lossy(&text);
                    page.text.push_str(&text);
                    let open = [
                        code.as_mut().map(|c| &mut c.text),
                        title.as_mut(),
                        timeline_title.as_mut(),
                    ];
                    for open in open.into_iter().flatten() {
                        open.push_str(&text);
                    }
                }
                Token::String(_) | Token::Comment(_) | Token::Doctype(_) | Token::Error(_) => {}
            }
        }
        page
    }

    /// Whether an element of the page has this id.
    pub fn has_id(&self, id: &str) -> bool {
        self.ids.contains_key(id)
    }

    /// Whether the fragment `#fragment` (as written in a link) leads somewhere on this page, as
    /// a browser finds it: the fragment percent-decoded (as UTF-8) names an element's id or
    /// an `<a>`'s name, or is `top` (HTML's "find a potential indicated element" and
    /// "select the indicated part").
    pub fn has_fragment(&self, fragment: &str) -> bool {
        let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
        self.has_id(&decoded)
            || self.anchor_names.contains(&*decoded)
            || decoded.eq_ignore_ascii_case("top")
    }

    /// The code blocks with this class, in document order.
    pub fn codes_with_class<'a>(&'a self, class: &'a str) -> impl Iterator<Item = &'a Code> {
        self.codes
            .iter()
            .filter(move |code| code.classes.iter().any(|c| c == class))
    }

    /// The first code block with this class that comes after the element with this id.
    pub fn code_after(&self, id: &str, class: &str) -> Option<&Code> {
        let at = *self.ids.get(id)?;
        self.codes
            .iter()
            .find(|code| code.order > at && code.classes.iter().any(|c| c == class))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_gives_its_ids_links_code_and_title() {
        let page = Page::parse(concat!(
            "<!DOCTYPE html><html><head><link href=\"css/b.css\" rel=\"stylesheet\">",
            "<script>var s = '<a href=\"fake.html\" id=\"fake\">'; if (a < b) {}</script></head>",
            "<body><h1 class=\"menu-title\">The book</h1><main><h1 id=\"semaphore-two-at-once\"><a class=\"header\" href=\"#semaphore-two-at-once\">Semaphore: <code>two</code> at once</a></h1>",
            "<a href=\"a.html?x=1&amp;y=2#x\">a</a><a name=\"old-style\"></a>",
            "<h2 id=\"its-output\">Its output</h2>",
            "<pre><code class=\"language-text hljs\"><span class=\"x\">Thread</span> 0</code></pre>",
            "<h1>Second</h1></main></body></html>"
        ));
        assert_eq!(
            page.links,
            ["css/b.css", "#semaphore-two-at-once", "a.html?x=1&y=2#x"]
        );
        assert!(page.has_id("its-output"));
        assert!(!page.has_id("fake"), "a script's text holds no element");
        assert_eq!(page.title.as_deref(), Some("Semaphore: two at once"));
        let code = page.code_after("its-output", "language-text").unwrap();
        assert_eq!(code.text, "Thread 0");
        assert_eq!(code.classes, ["language-text", "hljs"]);
        assert_eq!(page.codes_with_class("language-text").count(), 1);
        assert!(
            page.code_after("semaphore-two-at-once", "language-rust")
                .is_none()
        );
        assert!(!page.text.contains("fake"));
        assert!(page.text.contains("Thread 0"));
    }

    #[test]
    fn a_page_gives_each_timeline_drawn_with_its_lanes_and_title() {
        let page = Page::parse(concat!(
            "<figure><svg class=\"timeline\" data-lanes=\"3\"><title>lesson04 semaphore: the run</title>",
            "<rect><title>0.04 s: Thread 0</title></rect></svg></figure>",
            "<svg class=\"icon\"><title>not a timeline</title></svg>",
            "<svg class=\"timeline\" data-lanes=\"0\"><title>empty</title></svg>",
            "<svg class=\"timeline\"><title>no count</title></svg>",
        ));
        let drawn: Vec<(Option<usize>, &str)> = page
            .timelines
            .iter()
            .map(|t| (t.lanes, t.title.as_str()))
            .collect();
        assert_eq!(
            drawn,
            [
                (Some(3), "lesson04 semaphore: the run"),
                (Some(0), "empty"),
                (None, "no count")
            ]
        );
    }

    #[test]
    fn fragments_are_percent_decoded_as_browsers_do() {
        let page = Page::parse(
            "<h2 id=\"python-→-rust\"></h2><h2 id=\"a b\"></h2><a name=\"old-style\"></a>",
        );
        assert!(page.has_fragment("python-%E2%86%92-rust"));
        assert!(page.has_fragment("python-→-rust"));
        assert!(page.has_fragment("a%20b"));
        assert!(page.has_fragment("old-style"));
        assert!(page.has_fragment("top"));
        assert!(!page.has_fragment("python-rust"));
        assert!(!page.has_fragment("a b c"));
    }
}
