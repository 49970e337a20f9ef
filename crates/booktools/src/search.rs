//! mdBook's search index, read as what it is. mdBook 0.5 (`create_files` in mdbook-html's
//! `search.rs`) writes it as `searchindex.js` (`searchindex-<hash>.js` with its
//! `hash-files` option): `window.search = Object.assign(window.search, JSON.parse('...'));`,
//! the JSON inside a single-quoted string in which `\` became `\\` and `'` became `\'`.
//! The JSON holds `doc_urls`, the address of each indexed section
//! (`lesson04/semaphore.html#semaphore-two-at-once`), and elasticlunr's `index`, whose
//! `documentStore.docs` keeps each section's fields by its number in `doc_urls`: `title`
//! (its heading), `body` and `breadcrumbs`.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// One indexed section of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// Its address, from the book's root: `lesson04/semaphore.html#its-output`.
    pub url: String,
    /// Its heading, as the index holds it.
    pub title: String,
}

/// The search index of a built book.
#[derive(Debug)]
pub struct Index {
    pub file: PathBuf,
    pub docs: Vec<Doc>,
}

const JS_START: &str = "window.search = Object.assign(window.search, JSON.parse('";
const JS_END: &str = "'));";

/// Why a book's search index could not be read.
#[derive(Debug)]
pub enum IndexError {
    /// A directory or file could not be read: which, and why.
    Read(PathBuf, std::io::Error),
    /// The book has no `searchindex*.js`.
    Missing,
    /// The file is not an index as mdBook writes it: which, and what is wrong.
    Malformed(PathBuf, String),
}

impl std::fmt::Display for IndexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IndexError::Read(path, e) => write!(f, "cannot read {}: {e}", path.display()),
            IndexError::Missing => f.write_str("the search index (searchindex*.js) is missing"),
            IndexError::Malformed(file, why) => {
                write!(
                    f,
                    "the search index {} cannot be read: {why}",
                    file.display()
                )
            }
        }
    }
}

impl std::error::Error for IndexError {}

impl Index {
    /// The index in the book's HTML directory `html`.
    pub fn read(html: &Path) -> Result<Index, IndexError> {
        let file = std::fs::read_dir(html)
            .map_err(|e| IndexError::Read(html.into(), e))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("searchindex") && n.ends_with(".js"))
            })
            .min()
            .ok_or(IndexError::Missing)?;
        let text = std::fs::read_to_string(&file).map_err(|e| IndexError::Read(file.clone(), e))?;
        let docs = docs_of(&text).map_err(|why| IndexError::Malformed(file.clone(), why))?;
        Ok(Index { file, docs })
    }

    /// The sections indexed for the page at `page` (`lesson04/semaphore.html`).
    pub fn docs_of_page<'a>(&'a self, page: &'a str) -> impl Iterator<Item = &'a Doc> {
        self.docs
            .iter()
            .filter(move |doc| doc.url.split('#').next() == Some(page))
    }
}

/// The sections the script `searchindex.js` indexes.
fn docs_of(script: &str) -> Result<Vec<Doc>, String> {
    let quoted = script
        .trim()
        .strip_prefix(JS_START)
        .and_then(|rest| rest.strip_suffix(JS_END))
        .ok_or("it is not `window.search = Object.assign(window.search, JSON.parse('...'));`")?;
    let json: Value = serde_json::from_str(&unquote(quoted)).map_err(|e| e.to_string())?;
    let urls = json["doc_urls"]
        .as_array()
        .ok_or("it has no `doc_urls` list")?;
    let stored = json["index"]["documentStore"]["docs"]
        .as_object()
        .ok_or("it has no `index.documentStore.docs`")?;
    urls.iter()
        .enumerate()
        .map(|(number, url)| {
            let url = url.as_str().ok_or("a `doc_urls` entry is not a string")?;
            let title = stored
                .get(&number.to_string())
                .and_then(|doc| doc["title"].as_str())
                .ok_or_else(|| format!("`{url}` has no stored title"))?;
            Ok(Doc {
                url: url.to_string(),
                title: title.to_string(),
            })
        })
        .collect()
}

/// The text of the single-quoted string mdBook wrote: each `\` escapes the character after
/// it (mdBook escapes only `\` and `'`).
fn unquote(quoted: &str) -> String {
    let mut out = String::with_capacity(quoted.len());
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        out.extend(if c == '\\' { chars.next() } else { Some(c) });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What mdBook writes for `json` (its escaping, from mdbook-html's `search.rs`).
    fn script(json: &str) -> String {
        format!(
            "{JS_START}{}{JS_END}",
            json.replace('\\', "\\\\").replace('\'', "\\'")
        )
    }

    #[test]
    fn the_index_is_read_as_mdbook_writes_it() {
        let json = r#"{"doc_urls":["lesson04/semaphore.html#semaphore-two-at-once","lesson04/semaphore.html#its-output","intro.html"],
            "index":{"documentStore":{"docs":{"0":{"title":"Semaphore: two at once","body":"it's a \"quote\" \\ and a backslash"},"1":{"title":"Its output"},"2":{"title":"Intro"}}}}}"#;
        let docs = docs_of(&script(json)).unwrap();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].title, "Semaphore: two at once");
        assert_eq!(docs[1].url, "lesson04/semaphore.html#its-output");
        let index = Index {
            file: PathBuf::new(),
            docs,
        };
        let titles: Vec<&str> = index
            .docs_of_page("lesson04/semaphore.html")
            .map(|d| d.title.as_str())
            .collect();
        assert_eq!(titles, ["Semaphore: two at once", "Its output"]);
        assert_eq!(index.docs_of_page("lesson04/barrier.html").count(), 0);
    }

    #[test]
    fn a_broken_index_says_what_is_wrong() {
        assert!(
            docs_of("window.search = {};")
                .unwrap_err()
                .contains("is not")
        );
        assert!(
            docs_of(&script("{}"))
                .unwrap_err()
                .contains("no `doc_urls`")
        );
        let no_title = r#"{"doc_urls":["a.html"],"index":{"documentStore":{"docs":{}}}}"#;
        assert!(
            docs_of(&script(no_title))
                .unwrap_err()
                .contains("`a.html` has no stored title")
        );
        assert!(docs_of(&script("{not json")).is_err());
    }

    #[test]
    fn the_index_file_must_be_there() {
        let html = tempfile::tempdir().unwrap();
        let missing = Index::read(html.path()).unwrap_err();
        assert!(matches!(missing, IndexError::Missing), "{missing:?}");
        assert!(missing.to_string().contains("is missing"), "{missing}");
        std::fs::write(
            html.path().join("searchindex-ab12.js"),
            script(r#"{"doc_urls":[],"index":{"documentStore":{"docs":{}}}}"#),
        )
        .unwrap();
        assert_eq!(Index::read(html.path()).unwrap().docs, []);
    }
}
