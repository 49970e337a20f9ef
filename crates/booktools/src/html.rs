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
                        "h1" if in_main && page.title.is_none() => title = Some(String::new()),
                        "script" | "style" => raw_text = !tag.self_closing,
                        _ => {}
                    }
                }
                Token::EndTag(tag) => match tag.name.as_slice() {
                    b"code" => page.codes.extend(code.take()),
                    b"main" => in_main = false,
                    b"h1" => page.title = page.title.take().or(title.take()),
                    b"script" | b"style" => raw_text = false,
                    _ => {}
                },
                Token::String(text) if !raw_text => {
                    let text = String::from_utf8_lossy(&text);
                    page.text.push_str(&text);
                    for open in [code.as_mut().map(|c| &mut c.text), title.as_mut()]
                        .into_iter()
                        .flatten()
                    {
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
