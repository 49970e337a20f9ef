//! `examples.txt`: a `title:` line, a `teaches:` line (what the lesson teaches, for the
//! course index), then one line per example,
//! `<binary> | <the Python original it ports> | <what to watch for>`.
//! Lines starting with `#` and blank lines are skipped.

use crate::Error;

/// One lesson: its package name, its title and its examples in tour order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    pub package: String,
    pub title: String,
    /// What the lesson teaches, in a line (the course index in the root README).
    pub teaches: String,
    pub examples: Vec<Example>,
}

/// One example binary of a lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The binary's name, `src/bin/<name>.rs`.
    pub name: String,
    /// The Python original(s) it ports, e.g. `book L02, cc L1`.
    pub origin: String,
    /// One sentence: what to watch for when it runs.
    pub watch: String,
}

impl Lesson {
    /// Parses `examples.txt`; an error names the line and says what is wrong.
    pub fn parse(package: &str, text: &str) -> Result<Lesson, Error> {
        let mut title = None;
        let mut teaches = None;
        let mut examples: Vec<Example> = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim();
            let at = format!("{package}/examples.txt:{}", index + 1);
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(rest) = line.strip_prefix("title:") {
                if title.replace(rest.trim().to_string()).is_some() {
                    return Err(Error::Malformed(format!(
                        "{at}: a second `title:` line; keep one"
                    )));
                }
                continue;
            }
            if let Some(rest) = line.strip_prefix("teaches:") {
                if teaches.replace(rest.trim().to_string()).is_some() {
                    return Err(Error::Malformed(format!(
                        "{at}: a second `teaches:` line; keep one"
                    )));
                }
                continue;
            }
            let fields: Vec<&str> = line.split(" | ").map(str::trim).collect();
            let [name, origin, watch] = fields[..] else {
                return Err(Error::Malformed(format!(
                    "{at}: expected `<binary> | <Python original> | <what to watch for>`, found {} field(s)",
                    fields.len()
                )));
            };
            let name_ok = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !name_ok {
                return Err(Error::Malformed(format!(
                    "{at}: `{name}` is not a binary name (lowercase, digits, `_`)"
                )));
            }
            if origin.is_empty() || watch.is_empty() {
                return Err(Error::Malformed(format!(
                    "{at}: `{name}` needs both its Python original and what to watch for"
                )));
            }
            if examples.iter().any(|e| e.name == name) {
                return Err(Error::Malformed(format!("{at}: `{name}` is listed twice")));
            }
            examples.push(Example {
                name: name.into(),
                origin: origin.into(),
                watch: watch.into(),
            });
        }
        let title = title
            .ok_or_else(|| Error::Malformed(format!("{package}/examples.txt: no `title:` line")))?;
        let teaches = teaches.ok_or_else(|| {
            Error::Malformed(format!(
                "{package}/examples.txt: no `teaches:` line (what the lesson teaches, in a line)"
            ))
        })?;
        Ok(Lesson {
            package: package.into(),
            title,
            teaches,
            examples,
        })
    }

    /// The example called `name`, if the lesson has one.
    pub fn example(&self, name: &str) -> Option<&Example> {
        self.examples.iter().find(|e| e.name == name)
    }

    /// The example names, comma-separated, for messages.
    pub fn names(&self) -> String {
        let names: Vec<&str> = self.examples.iter().map(|e| e.name.as_str()).collect();
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "# comment\ntitle: Create threads\nteaches: spawn and join\n\nrun_function | book L02 | main waits\nextend_thread | book L02, cc L2 | a struct with run\n";

    #[test]
    fn parses_title_and_examples_in_order() {
        let lesson = Lesson::parse("lesson02", GOOD).unwrap();
        assert_eq!(lesson.title, "Create threads");
        assert_eq!(lesson.names(), "run_function, extend_thread");
        assert_eq!(
            lesson.example("extend_thread").unwrap().origin,
            "book L02, cc L2"
        );
        assert!(lesson.example("nosuch").is_none());
    }

    #[test]
    fn reports_bad_lines_with_their_number() {
        let cases = [
            (
                "title: a\nteaches: t\nrun_function | book\n",
                "examples.txt:3: expected",
            ),
            (
                "title: a\nteaches: t\nRun | book | x\n",
                "is not a binary name",
            ),
            (
                "title: a\nteaches: t\nrun | book | x\nrun | cc | y\n",
                ":4: `run` is listed twice",
            ),
            ("teaches: t\nrun | book | x\n", "no `title:` line"),
            ("title: a\nrun | book | x\n", "no `teaches:` line"),
            ("title: a\ntitle: b\n", "second `title:`"),
            ("teaches: a\nteaches: b\n", "second `teaches:`"),
            ("title: a\nteaches: t\nrun |  | x\n", "needs both"),
        ];
        for (text, wanted) in cases {
            let err = Lesson::parse("lesson02", text).unwrap_err();
            assert!(matches!(err, Error::Malformed(_)), "{err:?}");
            assert!(
                err.message().contains(wanted),
                "{err:?} should contain {wanted:?}"
            );
        }
    }
}
