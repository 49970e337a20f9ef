//! The texts the examples port, and the short names the lesson lists cite them by.

/// Each source's short name and what it is. `book L04` is the book's lesson 04; the org notes
/// are cited by section name.
pub const SOURCES: &[(&str, &str)] = &[
    (
        "book",
        "\"Python Threading Jump-Start\", a 7-lesson book; `book L04` is its lesson 04",
    ),
    (
        "cc",
        "\"Python Threading: 7-Day Crash Course\"; `cc L3` is its lesson 3",
    ),
    ("rp", "notes on a RealPython article on Python threading"),
    (
        "org",
        "org-mode notes covering the whole `threading` API, cited by section",
    ),
    ("guide", "\"Python Threading: A Comprehensive Guide\""),
];

/// The short names a source column cites, each once, in [`SOURCES`] order.
pub fn cited(origins: &[&str]) -> Vec<&'static str> {
    SOURCES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| origins.iter().any(|origin| cites(origin, name)))
        .collect()
}

/// Whether `origin` cites `name` as a word (`book L04`, `cc L3, org "..."`), not inside a
/// quoted title.
fn cites(origin: &str, name: &str) -> bool {
    origin
        .split('"')
        .step_by(2)
        .flat_map(|unquoted| unquoted.split(|c: char| !c.is_ascii_alphanumeric()))
        .any(|word| word == name)
}

/// The legend of the short names that `origins` cite, one `name: what` line each.
pub fn legend(origins: &[&str]) -> Vec<String> {
    cited(origins)
        .into_iter()
        .filter_map(|name| SOURCES.iter().find(|(n, _)| *n == name))
        .map(|(name, what)| format!("{name}: {what}"))
        .collect()
}

/// The legend as markdown: `Sources:`, then a `` - `name`: what `` line per short name cited.
pub fn legend_markdown(origins: &[&str]) -> String {
    let mut out = String::from("Sources:\n\n");
    for name in cited(origins) {
        let what = SOURCES
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, what)| what);
        out.push_str(&format!("- `{name}`: {what}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cites_only_words_outside_quotes() {
        let origins = [
            "book L04 \"How the guide says it\", cc L3",
            "org \"thread event\"",
        ];
        assert_eq!(cited(&origins), ["book", "cc", "org"]);
        assert_eq!(legend(&["rp \"x\""]).len(), 1);
        assert!(legend(&["rp \"x\""])[0].starts_with("rp: "));
        assert_eq!(
            legend_markdown(&["guide \"x\""]),
            "Sources:\n\n- `guide`: \"Python Threading: A Comprehensive Guide\"\n"
        );
    }
}
