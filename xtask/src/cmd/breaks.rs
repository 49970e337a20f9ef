//! `cargo xtask verify --breaks`: proves the checks can fail. Each break of each selected
//! example is applied to a scratch copy of the workspace (never the reader's tree), built and
//! run; verify must turn red, for every reason the break file names.
//!
//! Breaks are run in rounds: a round holds breaks that touch different files and whose runs
//! cannot see each other's changes (a break of an example's own source affects that example
//! only; a break of a lesson library affects every example of its lesson), so one build and
//! one parallel run serve many breaks.

use crate::cargo_json::Diagnostic;
use crate::cmd::verify::Options;
use crate::error::{Error, OrFailed};
use crate::project::{self, Project};
use crate::session::{self, Bin, Built, Event, Failed, Job, Session, Status, Tally, Task};
use checker::ParseError;
use checker::breaks::scratch::Scratch;
use checker::breaks::{self, Break};
use checker::judge::{self as verdict, Failure, Reason};
use checker::report::Mark;
use checker::run::Outcome;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One break of one example.
#[derive(Clone)]
pub struct Case {
    pub job: Arc<Job>,
    pub brk: Break,
    /// The break file, relative to the root.
    pub file: String,
}

/// What the break's run showed.
pub enum Verdict {
    /// Red, for every reason the break file names; the failures verify reported.
    Caught(Vec<Failure>),
    /// Green: no check saw the mistake.
    Missed,
    /// Red, but a reason the break file names is not among the failures.
    OtherReasons(Vec<Failure>, Vec<Reason>),
    /// The broken source did not compile.
    NoBuild(String),
    /// verify was interrupted while it ran.
    Interrupted,
    /// verify could not run it.
    Error(String),
}

/// Runs every break of the selected examples.
pub fn verify_breaks(project: &Project, options: &Options) -> Result<Status, Error> {
    let jobs = session::select(project, &options.filters)?;
    let cases = load(project.root(), jobs)?;
    let session = Session::start(project)?;
    let started = Instant::now();
    let total = cases.len();
    let mut tally = Tally::default();
    let lost = run(&session, cases, options.jobs, |case, verdict| {
        let mark = match verdict {
            Verdict::Caught(_) => Mark::Passed,
            Verdict::Interrupted => Mark::Interrupted,
            _ => Mark::Failed,
        };
        tally.count(mark, &case.brk.name, Duration::ZERO);
        print!("{}", report_line(tally.done(), total, case, verdict));
    })?;
    if lost > 0 && !session.interrupted() {
        tally.lost(lost);
        println!("breaks: {lost} break(s) lost to a panic in verify (above)");
    }
    let cut_note = if session.interrupted() {
        format!(
            ", {} interrupted, {} not run",
            tally.cut_short.len(),
            total - tally.done()
        )
    } else {
        String::new()
    };
    println!(
        "breaks: all breaks run in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!(
        "breaks: {} caught, {} not caught{cut_note}",
        tally.passed, tally.failed
    );
    Ok(tally.status(&session))
}

/// Runs `cases` in rounds in the scratch copy, hands each verdict to `each` as it comes,
/// and records it (see [`record`]) for the book. Stops early when the session is
/// interrupted. Returns how many breaks were lost to a panic in verify.
pub fn run(
    session: &Session,
    cases: Vec<Case>,
    workers: usize,
    mut each: impl FnMut(&Case, &Verdict),
) -> Result<usize, Error> {
    let project = session.project();
    let root = project.root();
    let base = project.target_dir()?.join("xtask-breaks");
    let scratch = Scratch::take(&base, root)?;
    // The copy is a workspace of its own: cargo names its packages by their paths there.
    let copy = Project::at(&scratch.root);
    let rounds = schedule(cases);
    println!(
        "breaks: {} break(s) in {} round(s), in a scratch copy at {}",
        rounds.iter().map(Vec::len).sum::<usize>(),
        rounds.len(),
        scratch.root.display()
    );
    let mut lost = 0;
    for round in rounds {
        if session.interrupted() {
            break;
        }
        scratch.sync(root)?;
        for case in &round {
            let text = scratch.read(&case.brk.file)?;
            let broken = breaks::apply(&text, &case.brk.edits)
                .map_err(|why| ParseError::at(&case.file, case.brk.line, why))?;
            scratch.write(&case.brk.file, &broken)?;
        }
        let jobs: Vec<&Job> = round.iter().map(|c| c.job.as_ref()).collect();
        // Only what cargo says it built this round is run: a binary left from an earlier
        // round never stands in for one that fails to build.
        let build = match session::build(
            &copy,
            &session::binaries_of(&jobs),
            Some(&scratch.target),
            true,
            session.stop(),
        )? {
            Built::Interrupted => break,
            // Every binary built: no message to give.
            Built::Yes(built) => Failed {
                built,
                ..Failed::default()
            },
            Built::Failed(failed) => failed,
        };
        let mut tasks = Vec::new();
        let mut results = Vec::new();
        for case in round {
            let bin = Bin::new(&case.job.package, &case.job.name);
            if let Some(program) = build.built.get(&bin) {
                tasks.push(Task {
                    program: program.to_path_buf(),
                    plan: case.job.spec.run.clone(),
                    data: case,
                });
            } else {
                let why = compiler_errors(&build, &case);
                results.push((case, Verdict::NoBuild(why)));
            }
        }
        lost += session.run(tasks, workers, &scratch.root, |event| {
            let (case, verdict) = match event {
                Event::Started(_) | Event::Line(..) | Event::NotStarted(_) => return,
                Event::Finished(case, outcome) => {
                    let verdict = judge(&case, &outcome);
                    (case, verdict)
                }
                Event::CutShort(case, _) => (case, Verdict::Interrupted),
                Event::Failed(case, why) => (case, Verdict::Error(why.to_string())),
            };
            results.push((case, verdict));
        });
        for (case, verdict) in results {
            record(project, &case, &verdict)?;
            each(&case, &verdict);
        }
    }
    // Leave the copy as the reader's tree is, so that nothing broken lingers in it.
    scratch.sync(root)?;
    Ok(lost)
}

/// Where the verdict of a break is kept between runs: `xtask-breaks/verdicts/` in the
/// target directory, one JSON file per break.
fn record_file(project: &Project, case: &Case) -> Result<std::path::PathBuf, Error> {
    Ok(project
        .target_dir()?
        .join("xtask-breaks/verdicts")
        .join(format!(
            "{}.{}.{}.json",
            case.job.package, case.job.name, case.brk.name
        )))
}

/// A break's verdict as kept for the book, a JSON object with these three fields.
#[derive(Debug, PartialEq)]
pub struct Record {
    /// Of everything the verdict depends on ([`fingerprint`]); another one means stale.
    fingerprint: String,
    /// `caught`, or `not caught: ...`.
    pub verdict: String,
    /// What verify reported, one failure per entry.
    pub failures: Vec<String>,
}

/// What the break's verdict depends on: the break's name and file, the file it changes, and
/// the example's source, expected file and lesson library, by their bytes. SipHash-1-3 with
/// fixed keys, from the siphasher crate, gives the same value in every build (std's
/// `DefaultHasher` does not promise that across releases).
fn fingerprint(root: &Path, case: &Case) -> String {
    use siphasher::sip128::{Hasher128, SipHasher13};
    use std::hash::Hasher;
    let mut hasher = SipHasher13::new();
    let mut feed = |bytes: &[u8]| {
        // Each piece with its length, so that no two sequences of pieces hash alike.
        hasher.write(&(bytes.len() as u64).to_le_bytes());
        hasher.write(bytes);
    };
    feed(case.brk.name.as_bytes());
    let package = &case.job.package;
    let mut files = vec![
        case.file.clone(),
        case.brk.file.clone(),
        project::source_file(package, &case.job.name),
        case.job.file.clone(),
    ];
    let library = root.join(package).join("src");
    let mut sources: Vec<String> = std::fs::read_dir(&library)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.ends_with(".rs"))
        .map(|name| format!("{package}/src/{name}"))
        .collect();
    sources.sort();
    files.extend(sources);
    for file in files {
        feed(file.as_bytes());
        feed(&std::fs::read(root.join(&file)).unwrap_or_default());
    }
    format!("{:032x}", hasher.finish128().as_u128())
}

/// Keeps the verdict of a break for the book. An interrupted run records nothing.
fn record(project: &Project, case: &Case, verdict: &Verdict) -> Result<(), Error> {
    let listed = |failures: &[Failure]| -> Vec<String> {
        failures
            .iter()
            .map(|f| format!("{}: {}", f.what, f.why))
            .collect()
    };
    let (verdict, failures) = match verdict {
        Verdict::Interrupted => return Ok(()),
        Verdict::Caught(failures) => ("caught".to_string(), listed(failures)),
        Verdict::Missed => ("not caught: verify stayed green".into(), vec![]),
        Verdict::OtherReasons(failures, _) => (
            "not caught: red for other reasons than the break names".into(),
            listed(failures),
        ),
        Verdict::NoBuild(_) => (
            "not caught: the broken source does not compile".into(),
            vec![],
        ),
        Verdict::Error(why) => (format!("not caught: {why}"), vec![]),
    };
    let record = Record {
        fingerprint: fingerprint(project.root(), case),
        verdict,
        failures,
    };
    let path = record_file(project, case)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).or_failed(|| format!("cannot create {}", dir.display()))?;
    }
    let json = serde_json::json!({
        "fingerprint": record.fingerprint,
        "verdict": record.verdict,
        "failures": record.failures,
    });
    let json = serde_json::to_string_pretty(&json).expect("a JSON value always serializes");
    std::fs::write(&path, json).or_failed(|| format!("cannot write {}", path.display()))
}

/// The verdict recorded for the break, when there is one and it is fresh. Only the book
/// reads it.
#[cfg_attr(not(feature = "book"), allow(dead_code))]
pub fn recorded_verdict(project: &Project, case: &Case) -> Option<Record> {
    let text = std::fs::read_to_string(record_file(project, case).ok()?).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    let text = |key: &str| value.get(key)?.as_str().map(String::from);
    let record = Record {
        fingerprint: text("fingerprint")?,
        verdict: text("verdict")?,
        failures: value
            .get("failures")?
            .as_array()?
            .iter()
            .map(|f| f.as_str().map(String::from))
            .collect::<Option<_>>()?,
    };
    (record.fingerprint == fingerprint(project.root(), case)).then_some(record)
}

/// Reads and checks the break file of every job: each break's lines must be found in the
/// reader's tree and each `caught by: check ...` must name a check of the expected file.
pub fn load(root: &Path, jobs: Vec<Job>) -> Result<Vec<Case>, Error> {
    let mut cases = Vec::new();
    for job in jobs {
        let job = Arc::new(job);
        let file = breaks::file_of(&job.package, &job.name);
        let text = std::fs::read_to_string(root.join(&file)).map_err(|_| {
            Error::usage(format!(
                "{file} is missing: every example needs at least one break (xtask/README.md)"
            ))
        })?;
        let source = project::source_file(&job.package, &job.name);
        for brk in breaks::parse(&file, &text, &source)? {
            check_break(root, &job, &file, &brk)?;
            cases.push(Case {
                job: Arc::clone(&job),
                brk,
                file: file.clone(),
            });
        }
    }
    Ok(cases)
}

/// The checks a break file can make before anything is built; what fails is the break
/// file's to change (a source it names that cannot be read included).
pub fn check_break(root: &Path, job: &Job, file: &str, brk: &Break) -> Result<(), ParseError> {
    let fail = |message: String| ParseError::at(file, brk.line, message);
    if brk.file.contains("..") || Path::new(&brk.file).is_absolute() {
        return Err(fail(format!(
            "`file: {}` must be inside the workspace",
            brk.file
        )));
    }
    let own = project::source_file(&job.package, &job.name);
    if brk.file != own && brk.file.contains("/src/bin/") {
        return Err(fail(format!(
            "break `{}` changes {}, another example's source; a break changes its own example or a library",
            brk.name, brk.file
        )));
    }
    let text = std::fs::read_to_string(root.join(&brk.file))
        .map_err(|e| fail(format!("cannot read {}: {e}", brk.file)))?;
    breaks::apply(&text, &brk.edits).map_err(|why| fail(format!("{}: {why}", brk.file)))?;
    for reason in &brk.caught_by {
        if let Reason::Check(check) = reason
            && !job.spec.checks.iter().any(|c| c.item.id() == check)
        {
            return Err(fail(format!(
                "`caught by: check {check}` names no check of {}; copy the check's line from its [checks]",
                job.file
            )));
        }
    }
    Ok(())
}

/// Which examples a break can change the behaviour of.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    /// One example (its own source).
    Example(String, String),
    /// Every example of a package (a library file of it).
    Package(String),
    /// Everything (a file outside the lessons).
    All,
}

impl Reach {
    fn of(case: &Case) -> Reach {
        let (package, name) = (&case.job.package, &case.job.name);
        if case.brk.file == project::source_file(package, name) {
            Reach::Example(package.clone(), name.clone())
        } else if case.brk.file.starts_with(&format!("{package}/")) {
            Reach::Package(package.clone())
        } else {
            Reach::All
        }
    }

    fn overlaps(&self, other: &Reach) -> bool {
        match (self, other) {
            (Reach::All, _) | (_, Reach::All) => true,
            (Reach::Package(p), Reach::Package(q)) => p == q,
            (Reach::Package(p), Reach::Example(q, _))
            | (Reach::Example(q, _), Reach::Package(p)) => p == q,
            (Reach::Example(p, a), Reach::Example(q, b)) => p == q && a == b,
        }
    }
}

/// Groups the cases into rounds (first fit, in order): no two in a round touch the same file
/// or can change each other's runs.
fn schedule(cases: Vec<Case>) -> Vec<Vec<Case>> {
    let mut rounds: Vec<(Vec<Case>, Vec<Reach>, BTreeSet<String>)> = Vec::new();
    for case in cases {
        let reach = Reach::of(&case);
        let fits = |(_, reaches, files): &(Vec<Case>, Vec<Reach>, BTreeSet<String>)| {
            !files.contains(&case.brk.file) && !reaches.iter().any(|r| r.overlaps(&reach))
        };
        match rounds.iter().position(fits) {
            Some(index) => {
                let round = &mut rounds[index];
                round.1.push(reach);
                round.2.insert(case.brk.file.clone());
                round.0.push(case);
            }
            None => {
                let files = BTreeSet::from([case.brk.file.clone()]);
                rounds.push((vec![case], vec![reach], files));
            }
        }
    }
    rounds.into_iter().map(|(cases, _, _)| cases).collect()
}

fn judge(case: &Case, outcome: &Outcome) -> Verdict {
    let failures = verdict::judge(&case.job.spec, &case.job.file, outcome);
    if failures.is_empty() {
        return Verdict::Missed;
    }
    let absent: Vec<Reason> = case
        .brk
        .caught_by
        .iter()
        .filter(|wanted| !failures.iter().any(|f| f.reason == **wanted))
        .cloned()
        .collect();
    if absent.is_empty() {
        Verdict::Caught(failures)
    } else {
        Verdict::OtherReasons(failures, absent)
    }
}

fn report_line(done: usize, total: usize, case: &Case, verdict: &Verdict) -> String {
    let width = total.to_string().len();
    let (mark, details) = match verdict {
        Verdict::Caught(_) => ("red   ", String::new()),
        Verdict::Missed => (
            "GREEN ",
            format!(
                "      the break stayed green: nothing verify checks saw it ({}:{})\n      why it matters: {}\n",
                case.file, case.brk.line, case.brk.why
            ),
        ),
        Verdict::OtherReasons(failures, absent) => {
            let mut text = format!(
                "      red, but not for every reason {}:{} gives; missing: {}\n      verify reported:\n",
                case.file,
                case.brk.line,
                absent
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            for f in failures {
                text.push_str(&format!("        {}: {}\n", f.what, f.why));
            }
            ("WRONG ", text)
        }
        Verdict::NoBuild(why) => (
            "NOBUILD",
            format!(
                "      the broken source does not compile; a break must build and run ({}:{})\n{why}",
                case.file, case.brk.line
            ),
        ),
        Verdict::Interrupted => ("CUT   ", String::new()),
        Verdict::Error(why) => ("ERROR ", format!("      {why}\n")),
    };
    let reasons = match verdict {
        Verdict::Caught(_) => format!(
            "  caught by {}",
            case.brk
                .caught_by
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => String::new(),
    };
    format!(
        "[{done:>width$}/{total}] {mark} {} {} / {}{reasons}\n{details}",
        case.job.package, case.job.name, case.brk.name
    )
}

/// Why the case's binary did not build, indented: the compiler's errors whose primary span
/// is in the broken file or in the example's own source (where a broken library is used),
/// else every error of the build, else cargo's own messages; at most about 20 lines.
fn compiler_errors(failed: &Failed, case: &Case) -> String {
    let errors: Vec<&Diagnostic> = failed.diagnostics.iter().filter(|d| d.is_error()).collect();
    let source = project::source_file(&case.job.package, &case.job.name);
    let concerned: Vec<&Diagnostic> = errors
        .iter()
        .copied()
        .filter(|d| {
            d.spans
                .iter()
                .any(|s| s.is_primary && (s.file_name == case.brk.file || s.file_name == source))
        })
        .collect();
    let chosen = if concerned.is_empty() {
        errors
    } else {
        concerned
    };
    let mut lines: Vec<&str> = Vec::new();
    for diagnostic in chosen {
        let rendered = diagnostic
            .rendered
            .as_deref()
            .unwrap_or(&diagnostic.message);
        lines.extend(rendered.trim_end().lines());
        if lines.len() >= 20 {
            break;
        }
    }
    if lines.is_empty() {
        lines = failed.cargo.lines().take(10).collect();
    }
    lines.iter().map(|l| format!("        {l}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use checker::breaks::Edit;
    use checker::spec;
    use std::time::Duration;

    fn case(package: &str, name: &str, file: &str) -> Case {
        Case {
            job: Arc::new(Job {
                package: package.into(),
                name: name.into(),
                file: format!("{package}/expected/{name}.txt"),
                spec: spec::parse("x.txt", "").unwrap(),
            }),
            brk: Break {
                name: "b".into(),
                why: "w".into(),
                file: file.into(),
                edits: vec![Edit {
                    line: "x".into(),
                    becomes: vec![],
                }],
                caught_by: vec![Reason::Stdout],
                line: 1,
            },
            file: "b.txt".into(),
        }
    }

    #[test]
    fn a_fingerprint_is_the_same_in_every_build_and_changes_with_any_file() {
        let root = std::env::temp_dir().join(format!("xtask-fingerprint-{}", std::process::id()));
        let write = |file: &str, text: &str| {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("b.txt", "[break b]\n");
        write("lesson09/src/bin/demo.rs", "fn main() {}\n");
        write("lesson09/expected/demo.txt", "[stdout]\n");
        write("lesson09/src/lib.rs", "pub mod lock;\n");
        write("lesson09/src/lock.rs", "pub struct Lock;\n");
        let case = case("lesson09", "demo", "lesson09/src/lock.rs");
        let first = fingerprint(&root, &case);
        // SipHash-1-3 of these bytes: a value pinned here, so that a build whose hash
        // differed (a new toolchain, a new crate version) would be seen, not trusted.
        assert_eq!(first, "6526e75b8a3b267c8b619e10eef32d22");
        write("lesson09/src/lock.rs", "pub struct Lock(bool);\n");
        let changed = fingerprint(&root, &case);
        std::fs::remove_dir_all(&root).unwrap();
        assert_ne!(changed, first);
    }

    fn names(rounds: &[Vec<Case>]) -> Vec<Vec<String>> {
        rounds
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| format!("{}:{}", c.job.name, c.brk.file))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn rounds_keep_apart_breaks_that_could_see_each_other() {
        let cases = vec![
            case("lesson04", "a", "lesson04/src/bin/a.rs"),
            case("lesson04", "a", "lesson04/src/bin/a.rs"),
            case("lesson04", "b", "lesson04/src/bin/b.rs"),
            case("lesson04", "b", "lesson04/src/lock.rs"),
            case("lesson05", "c", "lesson05/src/bin/c.rs"),
            case("lesson05", "c", "course/src/lib.rs"),
        ];
        assert_eq!(
            names(&schedule(cases)),
            [
                vec![
                    "a:lesson04/src/bin/a.rs",
                    "b:lesson04/src/bin/b.rs",
                    "c:lesson05/src/bin/c.rs"
                ],
                vec!["a:lesson04/src/bin/a.rs"],
                vec!["b:lesson04/src/lock.rs"],
                vec!["c:course/src/lib.rs"],
            ]
        );
    }

    fn judged(expected: &str, caught_by: Vec<Reason>, stdout: &[&str]) -> Verdict {
        let mut c = case("lesson99", "x", "lesson99/src/bin/x.rs");
        c.job = Arc::new(Job {
            package: "lesson99".into(),
            name: "x".into(),
            file: "x.txt".into(),
            spec: spec::parse("x.txt", expected).unwrap(),
        });
        c.brk.caught_by = caught_by;
        let outcome = Outcome {
            pid: 1,
            stdout: stdout
                .iter()
                .map(|t| checker::output::Line {
                    text: t.to_string(),
                    at: Duration::ZERO,
                })
                .collect(),
            stderr: Vec::new(),
            stdout_cut: Default::default(),
            stderr_cut: Default::default(),
            ended: checker::run::Ended::Code(0),
            elapsed: Duration::from_millis(10),
            stopped_by: checker::run::StoppedBy::ItsEnd,
            leftovers: Vec::new(),
            timeline: None,
        };
        judge(&c, &outcome)
    }

    #[test]
    fn a_break_counts_only_when_red_for_every_reason_it_names() {
        let expected = "[stdout]\nvalue {int:v}\n[checks]\nall v == 0\n";
        let check = Reason::Check("all v == 0".parse().unwrap());
        assert!(matches!(
            judged(expected, vec![check.clone()], &["value 0"]),
            Verdict::Missed
        ));
        assert!(matches!(
            judged(expected, vec![check.clone()], &["value 3"]),
            Verdict::Caught(ref failures) if failures.len() == 1
        ));
        assert!(matches!(
            judged(expected, vec![check], &["other"]),
            Verdict::OtherReasons(_, ref absent) if absent.len() == 1
        ));
        assert!(matches!(
            judged(expected, vec![Reason::Stdout], &["other"]),
            Verdict::Caught(_)
        ));
    }

    /// A compiler message as cargo's JSON gives it: its level, the file of its primary span,
    /// and its text (one line).
    fn diagnostic(level: &str, file: &str, rendered: &str) -> Diagnostic {
        let line = format!(
            r#"{{"reason":"compiler-message","package_id":"p","manifest_path":"/w/Cargo.toml","target":{{"kind":["bin"],"crate_types":["bin"],"name":"x","src_path":"/w/x.rs","edition":"2024","doc":true,"doctest":false,"test":true}},"message":{{"rendered":"{rendered}\n","children":[],"level":"{level}","message":"m","code":null,"spans":[{{"byte_end":1,"byte_start":0,"column_end":2,"column_start":1,"expansion":null,"file_name":"{file}","is_primary":true,"label":null,"line_end":1,"line_start":1,"suggested_replacement":null,"suggestion_applicability":null,"text":[]}}]}}}}"#
        );
        match crate::cargo_json::Message::parse(&line) {
            Some(crate::cargo_json::Message::Compiler(diagnostic)) => diagnostic,
            other => panic!("not a compiler message: {other:?}"),
        }
    }

    #[test]
    fn a_break_that_does_not_compile_shows_the_errors_of_its_files() {
        let library = case("lesson04", "semaphore", "lesson04/src/semaphore.rs");
        let failed = |diagnostics: Vec<Diagnostic>| Failed {
            diagnostics,
            cargo: "error: could not compile `lesson04`\n".into(),
            ..Failed::default()
        };
        let shown = compiler_errors(
            &failed(vec![
                diagnostic(
                    "error",
                    "lesson05/src/bin/other.rs",
                    "error: another break's",
                ),
                diagnostic("warning", "lesson04/src/semaphore.rs", "warning: unused"),
                diagnostic(
                    "error",
                    "lesson04/src/semaphore.rs",
                    "error: in the library",
                ),
                diagnostic(
                    "error",
                    "lesson04/src/bin/semaphore.rs",
                    "error: where it is used",
                ),
            ]),
            &library,
        );
        assert_eq!(
            shown,
            "        error: in the library\n        error: where it is used\n"
        );
        let elsewhere = failed(vec![diagnostic("error", "course/src/lib.rs", "error: x")]);
        assert_eq!(compiler_errors(&elsewhere, &library), "        error: x\n");
        assert_eq!(
            compiler_errors(&failed(Vec::new()), &library),
            "        error: could not compile `lesson04`\n"
        );
    }

    #[test]
    fn every_break_file_of_the_workspace_reads_and_fits_its_source() {
        let project = Project::find().unwrap();
        let root = project.root();
        let jobs = session::select(&project, &[]).unwrap();
        let with_breaks: Vec<Job> = jobs
            .into_iter()
            .filter(|j| root.join(breaks::file_of(&j.package, &j.name)).is_file())
            .collect();
        load(root, with_breaks).unwrap();
    }
}
