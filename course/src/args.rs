//! The command-line reader shared by the lesson runner and xtask: options in the forms cargo
//! users type (`--jobs 4`, `--jobs=4`, `-j 4`, `-j4`) and plain words, each error one line
//! that says what is wrong.

use std::collections::VecDeque;
use std::ffi::OsString;

/// One argument as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// An option as written without its value: `--jobs` (from `--jobs=4` too) or `-j`.
    Option(String),
    /// Anything else: a command, a lesson, an example.
    Word(String),
}

/// The arguments still to read.
#[derive(Debug)]
pub struct Args {
    rest: VecDeque<String>,
    /// The value written inside the last option (`--jobs=4`, `-j4`), until asked for.
    attached: Option<(String, String)>,
    /// After `--`, every argument is a word.
    only_words: bool,
}

impl Args {
    /// The program's arguments; one that is not UTF-8 is an error (`std::env::args` would
    /// panic on it).
    pub fn from_env() -> Result<Args, String> {
        Args::from_os(std::env::args_os().skip(1))
    }

    pub fn from_os(raw: impl IntoIterator<Item = OsString>) -> Result<Args, String> {
        let texts = raw
            .into_iter()
            .map(|arg| {
                arg.into_string()
                    .map_err(|bad| format!("the argument {bad:?} is not UTF-8 text"))
            })
            .collect::<Result<Vec<String>, String>>()?;
        Ok(Args::new(texts))
    }

    pub fn new(args: impl IntoIterator<Item = String>) -> Args {
        Args {
            rest: args.into_iter().collect(),
            attached: None,
            only_words: false,
        }
    }

    /// The next argument, or `None` at the end. An option given a value it does not take
    /// (`--list=yes`) is an error here, once the caller has moved on without asking for it.
    pub fn next_arg(&mut self) -> Result<Option<Arg>, String> {
        if let Some((option, _)) = self.attached.take() {
            return Err(format!("`{option}` takes no value"));
        }
        let Some(arg) = self.rest.pop_front() else {
            return Ok(None);
        };
        if self.only_words || arg == "-" || !arg.starts_with('-') {
            return Ok(Some(Arg::Word(arg)));
        }
        if arg == "--" {
            self.only_words = true;
            return self.next_arg();
        }
        if let Some(long) = arg.strip_prefix("--") {
            return Ok(Some(Arg::Option(match long.split_once('=') {
                Some((name, value)) => {
                    let option = format!("--{name}");
                    self.attached = Some((option.clone(), value.to_string()));
                    option
                }
                None => arg,
            })));
        }
        let mut chars = arg[1..].chars();
        let short = chars.next().expect("`-` alone is a word");
        let option = format!("-{short}");
        let value: String = chars.collect();
        if !value.is_empty() {
            self.attached = Some((option.clone(), value));
        }
        Ok(Some(Arg::Option(option)))
    }

    /// Checks that the option just read, a flag, was not written with a value (`--list=yes`).
    /// [`Args::next_arg`] checks it too, but a caller that stops at a flag calls this.
    pub fn no_value(&mut self) -> Result<(), String> {
        match self.attached.take() {
            Some((option, _)) => Err(format!("`{option}` takes no value")),
            None => Ok(()),
        }
    }

    /// Every argument not read yet, as given (for a command that hands them on).
    pub fn remaining(mut self) -> Result<Vec<String>, String> {
        self.no_value()?;
        Ok(self.rest.into())
    }

    /// The value of the option just read: written inside it, or the next argument.
    pub fn value(&mut self, option: &str) -> Result<String, String> {
        if let Some((_, value)) = self.attached.take() {
            return Ok(value);
        }
        match self.rest.pop_front() {
            Some(value) if !value.starts_with('-') || value.len() == 1 => Ok(value),
            _ => Err(format!("`{option}` needs a value")),
        }
    }

    /// The value of the option just read, as a whole number within `range`.
    pub fn number(
        &mut self,
        option: &str,
        range: std::ops::RangeInclusive<usize>,
    ) -> Result<usize, String> {
        let value = self.value(option)?;
        value
            .parse()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| {
                format!(
                    "`{option} {value}`: give a whole number from {} to {}",
                    range.start(),
                    range.end()
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Args {
        Args::new(list.iter().map(|s| s.to_string()))
    }

    fn jobs(list: &[&str]) -> Result<usize, String> {
        let mut args = args(list);
        match args.next_arg()? {
            Some(Arg::Option(o)) if o == "--jobs" || o == "-j" => args.number(&o, 1..=256),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_option_takes_its_value_in_every_form_cargo_users_type() {
        for form in [&["--jobs", "4"][..], &["--jobs=4"], &["-j", "4"], &["-j4"]] {
            assert_eq!(jobs(form), Ok(4), "{form:?}");
        }
        assert_eq!(jobs(&["--jobs"]).unwrap_err(), "`--jobs` needs a value");
        assert_eq!(jobs(&["-j", "--list"]).unwrap_err(), "`-j` needs a value");
        assert!(jobs(&["--jobs=0"]).unwrap_err().contains("from 1 to 256"));
        assert!(jobs(&["-jx"]).unwrap_err().contains("`-j x`"));
    }

    #[test]
    fn words_and_flags_come_in_order() {
        let mut a = args(&["verify", "--list", "semaphore", "--", "--odd"]);
        assert_eq!(a.next_arg(), Ok(Some(Arg::Word("verify".into()))));
        assert_eq!(a.next_arg(), Ok(Some(Arg::Option("--list".into()))));
        assert_eq!(a.next_arg(), Ok(Some(Arg::Word("semaphore".into()))));
        assert_eq!(a.next_arg(), Ok(Some(Arg::Word("--odd".into()))));
        assert_eq!(a.next_arg(), Ok(None));
    }

    #[test]
    fn a_flag_given_a_value_is_an_error() {
        let mut a = args(&["--list=yes", "x"]);
        assert_eq!(a.next_arg(), Ok(Some(Arg::Option("--list".into()))));
        assert_eq!(a.next_arg(), Err("`--list` takes no value".into()));
    }

    #[test]
    fn an_argument_that_is_not_utf8_is_an_error() {
        use std::os::unix::ffi::OsStringExt;
        let raw = vec![OsString::from("verify"), OsString::from_vec(vec![0xff])];
        assert!(Args::from_os(raw).unwrap_err().contains("is not UTF-8"));
    }
}
