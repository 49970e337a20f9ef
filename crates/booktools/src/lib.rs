//! The book's parsers, for `cargo xtask book`. xtask uses this crate only under its `book`
//! feature, which `cargo xtask book` alone turns on, so verify's build never compiles it or
//! the crates it uses:
//!
//! - [`markdown`]: the READMEs read with pulldown-cmark, mdBook's own parser: their sections,
//!   and their links rewritten where they stand, every other byte kept;
//! - [`html`]: a page as the browser built it (ids, links, code blocks, title), read with
//!   html5gum, a WHATWG HTML tokenizer;
//! - [`search`]: mdBook's search index, read as the JSON it is;
//! - [`browser`]: every page opened in headless Chromium and checked.

pub mod browser;
pub mod html;
pub mod markdown;
pub mod search;
