//! `cargo xtask verify --breaks`: proves the checks can fail. Each break of each selected
//! example is applied to a scratch copy of the workspace (never the reader's tree), built and
//! run; verify must turn red, for every reason the break file names.
//!
//! Breaks are run in rounds: a round holds breaks that touch different files and whose runs
//! cannot see each other's changes (a break of an example's own source affects that example
//! only; a break of a lesson library affects every example of its lesson), so one build and
//! one parallel run serve many breaks.

use crate::cmd::verify::Options;
use crate::project;
use crate::session::{self, Built, Job, Status, Task};
use checker::breaks::scratch::Scratch;
use checker::breaks::{self, Break};
use checker::judge::{self as verdict, Failure, Reason};
use checker::run::{self as runner, interrupt};
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

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

/// Runs every break of the selected examples; `Err` for bad use (exit 2).
pub fn verify_breaks(options: &Options) -> Result<Status, String> {
    let root = project::root();
    let jobs = session::select(&root, &options.filters)?;
    let cases = load(&root, jobs)?;
    interrupt::install()?;
    runner::become_subreaper()?;
    let stop = interrupt::flag();
    let started = Instant::now();
    let total = cases.len();
    let (mut caught, mut not_caught, mut cut) = (0, 0, 0);
    let mut done = 0;
    let ran = run(&root, cases, options.jobs, |case, verdict| {
        done += 1;
        match verdict {
            Verdict::Caught(_) => caught += 1,
            Verdict::Interrupted => cut += 1,
            _ => not_caught += 1,
        }
        print!("{}", report_line(done, total, case, verdict));
    })?;
    if ran.lost > 0 && !stop.load(Ordering::SeqCst) {
        not_caught += ran.lost;
        println!(
            "breaks: {} break(s) lost to a panic in verify (above)",
            ran.lost
        );
    }
    let interrupted = stop.load(Ordering::SeqCst);
    let cut_note = if interrupted {
        format!(", {cut} interrupted, {} not run", total - done)
    } else {
        String::new()
    };
    println!(
        "breaks: all breaks run in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!("breaks: {caught} caught, {not_caught} not caught{cut_note}");
    Ok(if interrupted {
        Status::Interrupted
    } else if not_caught == 0 {
        Status::Passed
    } else {
        Status::Failed
    })
}

/// How a batch of breaks ended.
pub struct Ran {
    /// Breaks that never reported: lost to a panic in verify.
    pub lost: usize,
}

/// Runs `cases` in rounds in the scratch copy, hands each verdict to `each` as it comes,
/// and records it (see [`record`]) for the book. Stops early when verify is interrupted.
pub fn run(
    root: &Path,
    cases: Vec<Case>,
    workers: usize,
    mut each: impl FnMut(&Case, &Verdict),
) -> Result<Ran, String> {
    let stop = interrupt::flag();
    let base = project::target_dir(root)?.join("xtask-breaks");
    let scratch = Scratch::take(&base, root)?;
    let bin_dir = scratch.target.join(project::profile());
    let rounds = schedule(cases);
    println!(
        "breaks: {} break(s) in {} round(s), in a scratch copy at {}",
        rounds.iter().map(Vec::len).sum::<usize>(),
        rounds.len(),
        scratch.root.display()
    );
    let mut lost = 0;
    for round in rounds {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        scratch.sync(root)?;
        for case in &round {
            let text = scratch.read(&case.brk.file)?;
            let broken = breaks::apply(&text, &case.brk.edits)
                .map_err(|why| format!("{}:{}: {why}", case.file, case.brk.line))?;
            scratch.write(&case.brk.file, &broken)?;
            // A binary left from an earlier round must not stand in for one that fails to build.
            let _ = std::fs::remove_file(bin_dir.join(&case.job.name));
        }
        let jobs: Vec<&Job> = round.iter().map(|c| c.job.as_ref()).collect();
        let messages = match session::build(
            &scratch.root,
            &session::binaries_of(&jobs),
            Some(&scratch.target),
            true,
            stop,
        )? {
            Built::Interrupted => break,
            Built::Yes => String::new(),
            Built::Failed(messages) => messages,
        };
        let mut tasks = Vec::new();
        let mut results = Vec::new();
        for case in round {
            let program = bin_dir.join(&case.job.name);
            if program.is_file() {
                tasks.push(Task {
                    program,
                    plan: case.job.spec.run.clone(),
                    data: case,
                });
            } else {
                let why = compiler_errors(&messages, &case.brk.file);
                results.push((case, Verdict::NoBuild(why)));
            }
        }
        lost += session::run_parallel(tasks, workers, &scratch.root, stop, |case, outcome| {
            let verdict = judge(&case, outcome);
            results.push((case, verdict));
        });
        for (case, verdict) in results {
            record(root, &case, &verdict)?;
            each(&case, &verdict);
        }
    }
    // Leave the copy as the reader's tree is, so that nothing broken lingers in it.
    scratch.sync(root)?;
    Ok(Ran { lost })
}

/// Where the verdict of a break is kept between runs: `xtask-breaks/verdicts/` in the
/// target directory, one file per break.
fn record_file(root: &Path, case: &Case) -> Result<std::path::PathBuf, String> {
    Ok(project::target_dir(root)?
        .join("xtask-breaks/verdicts")
        .join(format!(
            "{}.{}.{}.txt",
            case.job.package, case.job.name, case.brk.name
        )))
}

/// What the break's verdict depends on: the break itself, the file it changes, and the
/// example's source, expected file and lesson library. A verdict recorded with another
/// fingerprint is stale.
fn fingerprint(root: &Path, case: &Case) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    format!("{:?}", case.brk).hash(&mut hasher);
    let package = &case.job.package;
    let mut files = vec![
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
        file.hash(&mut hasher);
        std::fs::read(root.join(&file))
            .unwrap_or_default()
            .hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

/// Keeps the verdict of a break for the book: its fingerprint, whether it was caught, and
/// what verify reported. An interrupted run records nothing.
fn record(root: &Path, case: &Case, verdict: &Verdict) -> Result<(), String> {
    let text = match verdict {
        Verdict::Interrupted => return Ok(()),
        Verdict::Caught(failures) => recorded("caught", failures),
        Verdict::Missed => "not caught: verify stayed green\n".to_string(),
        Verdict::OtherReasons(failures, _) => recorded(
            "not caught: red for other reasons than the break names",
            failures,
        ),
        Verdict::NoBuild(_) => "not caught: the broken source does not compile\n".into(),
        Verdict::Error(why) => format!("not caught: {why}\n"),
    };
    let path = record_file(root, case)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(&path, format!("{}\n{text}", fingerprint(root, case)))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn recorded(verdict: &str, failures: &[Failure]) -> String {
    let mut text = format!("{verdict}\n");
    for f in failures {
        text.push_str(&format!("{}: {}\n", f.what, f.why));
    }
    text
}

/// The verdict recorded for the break, when it is fresh: its first line (`caught`, or
/// `not caught: ...`) and the failures verify reported, one per line. Only the book reads it.
#[cfg_attr(not(feature = "book"), allow(dead_code))]
pub fn recorded_verdict(root: &Path, case: &Case) -> Option<(String, Vec<String>)> {
    let text = std::fs::read_to_string(record_file(root, case).ok()?).ok()?;
    let mut lines = text.lines();
    if lines.next()? != fingerprint(root, case) {
        return None;
    }
    let verdict = lines.next()?.to_string();
    Some((verdict, lines.map(String::from).collect()))
}

/// Reads and checks the break file of every job: each break's lines must be found in the
/// reader's tree and each `caught by: check ...` must name a check of the expected file.
pub fn load(root: &Path, jobs: Vec<Job>) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    for job in jobs {
        let job = Arc::new(job);
        let file = breaks::file_of(&job.package, &job.name);
        let text = std::fs::read_to_string(root.join(&file)).map_err(|_| {
            format!("{file} is missing: every example needs at least one break (xtask/README.md)")
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

/// The checks a break file can make before anything is built.
pub fn check_break(root: &Path, job: &Job, file: &str, brk: &Break) -> Result<(), String> {
    let at = format!("{file}:{}", brk.line);
    if brk.file.contains("..") || Path::new(&brk.file).is_absolute() {
        return Err(format!(
            "{at}: `file: {}` must be inside the workspace",
            brk.file
        ));
    }
    let own = project::source_file(&job.package, &job.name);
    if brk.file != own && brk.file.contains("/src/bin/") {
        return Err(format!(
            "{at}: break `{}` changes {}, another example's source; a break changes its own example or a library",
            brk.name, brk.file
        ));
    }
    let text = std::fs::read_to_string(root.join(&brk.file))
        .map_err(|e| format!("{at}: cannot read {}: {e}", brk.file))?;
    breaks::apply(&text, &brk.edits).map_err(|why| format!("{at}: {}: {why}", brk.file))?;
    for reason in &brk.caught_by {
        if let Reason::Check(check) = reason
            && !job.spec.checks.iter().any(|c| c.item.to_string() == *check)
        {
            return Err(format!(
                "{at}: `caught by: check {check}` names no check of {}; copy the check's line from its [checks]",
                job.file
            ));
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

fn judge(case: &Case, outcome: Result<runner::Outcome, String>) -> Verdict {
    let outcome = match outcome {
        Ok(outcome) if outcome.interrupted => return Verdict::Interrupted,
        Ok(outcome) => outcome,
        Err(why) => return Verdict::Error(why),
    };
    let failures = verdict::judge(&case.job.spec, &case.job.file, &outcome);
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

/// The compiler's error lines that concern `file`, indented, at most a few.
fn compiler_errors(messages: &str, file: &str) -> String {
    let lines: Vec<&str> = messages.lines().collect();
    let mut shown = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.contains(file) {
            let from = i.saturating_sub(1);
            shown.extend(lines[from..(i + 4).min(lines.len())].iter().copied());
        }
        if shown.len() > 20 {
            break;
        }
    }
    if shown.is_empty() {
        shown = lines.iter().take(10).copied().collect();
    }
    shown.iter().map(|l| format!("        {l}\n")).collect()
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
        let outcome = runner::Outcome {
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
            ended: runner::Ended::Code(0),
            elapsed: Duration::from_millis(10),
            timed_out: false,
            interrupted: false,
            leftovers: Vec::new(),
        };
        judge(&c, Ok(outcome))
    }

    #[test]
    fn a_break_counts_only_when_red_for_every_reason_it_names() {
        let expected = "[stdout]\nvalue {int:v}\n[checks]\nall v == 0\n";
        let check = Reason::Check("all v == 0".into());
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

    #[test]
    fn every_break_file_of_the_workspace_reads_and_fits_its_source() {
        let root = project::root();
        let jobs = session::select(&root, &[]).unwrap();
        let with_breaks: Vec<Job> = jobs
            .into_iter()
            .filter(|j| root.join(breaks::file_of(&j.package, &j.name)).is_file())
            .collect();
        load(&root, with_breaks).unwrap();
    }
}
