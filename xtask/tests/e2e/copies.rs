//! The README's promise, checked: an example that uses its lesson's library can be copied into
//! a project of its own with just the library files it names, in the steps the README gives:
//!
//! 1. copy the example as `src/main.rs`, and each library file it needs into `src/`
//!    (the files its `use lessonNN::Item` items live in, the files whose `//! Adds methods:`
//!    line names a method the example calls, and what each file's `//! Needs:` line names);
//! 2. add a `mod <file>;` line per copied file, and turn `use lessonNN::Item` into
//!    `use <file>::Item`;
//! 3. copy the dependency lines the lesson's Cargo.toml takes from the workspace.
//!
//! Every such example of lessons 04, 05 and 06 becomes a crate of its own in a scratch
//! workspace under the target directory, and all of them must build.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// `pub use module::{A, B};` and `pub use module::A;` lines of a lib.rs: item -> module.
fn exported_items(lib: &str) -> BTreeMap<String, String> {
    let mut items = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let rest = rest.trim_end_matches(';');
        let Some((module, names)) = rest.split_once("::") else {
            continue;
        };
        let names = names.trim_start_matches('{').trim_end_matches('}');
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            items.insert(name.to_string(), module.to_string());
        }
    }
    items
}

/// The files a library file's `//! Needs: a.rs, b.rs` line names (none when it has no such
/// line or says it needs nothing).
fn needs(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|l| l.trim().strip_prefix("//! Needs:"))
        .flat_map(|list| list.split(','))
        .map(|f| f.trim().trim_matches('`').to_string())
        .filter(|f| f.ends_with(".rs"))
        .collect()
}

/// The methods a library file's `//! Adds methods: a, b` line says it adds to a type of
/// another file.
fn added_methods(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|l| l.trim().strip_prefix("//! Adds methods:"))
        .flat_map(|list| list.split(','))
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect()
}

/// The `use lessonNN::...;` lines of an example, and the items they bring in.
fn library_uses(source: &str, package: &str) -> Vec<(String, Vec<String>)> {
    let prefix = format!("use {package}::");
    source
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix(&prefix)?.trim_end_matches(';');
            let names = rest.trim_start_matches('{').trim_end_matches('}');
            let items = names
                .split(',')
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty());
            Some((line.to_string(), items.collect()))
        })
        .collect()
}

/// The workspace's `[workspace.dependencies]` lines, by crate name.
fn workspace_dependencies(manifest: &str) -> BTreeMap<String, String> {
    let mut in_section = false;
    let mut lines = BTreeMap::new();
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_section = trimmed == "[workspace.dependencies]";
            continue;
        }
        if in_section
            && let Some((name, _)) = trimmed.split_once('=')
            && !trimmed.starts_with('#')
        {
            lines.insert(name.trim().to_string(), trimmed.to_string());
        }
    }
    lines
}

/// The names of the crates a lesson's `[dependencies]` takes from the workspace.
fn lesson_dependencies(manifest: &str) -> Vec<String> {
    let mut in_section = false;
    let mut names = Vec::new();
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_section = trimmed == "[dependencies]";
            continue;
        }
        if in_section && let Some(name) = trimmed.strip_suffix(".workspace = true") {
            names.push(name.to_string());
        }
    }
    names
}

/// The files of the scratch workspace, by path from its directory, with their contents.
type Tree = BTreeMap<PathBuf, Vec<u8>>;

/// Adds the crate for one example to `tree`; returns its directory name.
fn standalone_crate(
    root: &Path,
    package: &str,
    example: &str,
    tree: &mut Tree,
    dependencies: &[String],
) -> Option<String> {
    let source = fs::read_to_string(root.join(format!("{package}/src/bin/{example}.rs"))).unwrap();
    let uses = library_uses(&source, package);
    if uses.is_empty() {
        return None;
    }
    let lib = fs::read_to_string(root.join(format!("{package}/src/lib.rs"))).unwrap();
    let exported = exported_items(&lib);
    // Step 1: the files of the items used, and what each names on its `Needs:` line.
    let mut files: BTreeSet<String> = BTreeSet::new();
    let mut pending: Vec<String> = Vec::new();
    for (_, items) in &uses {
        for item in items {
            let module = exported.get(item).unwrap_or_else(|| {
                panic!("{package}/src/lib.rs does not `pub use` {item}, which {example} uses")
            });
            pending.push(format!("{module}.rs"));
        }
    }
    // The files that add a method the example calls.
    for entry in fs::read_dir(root.join(format!("{package}/src")))
        .unwrap()
        .flatten()
    {
        let Some(file) = entry.file_name().to_str().map(String::from) else {
            continue;
        };
        let text = fs::read_to_string(entry.path()).unwrap_or_default();
        if added_methods(&text)
            .iter()
            .any(|m| source.contains(&format!(".{m}(")))
        {
            pending.push(file);
        }
    }
    while let Some(file) = pending.pop() {
        if files.insert(file.clone()) {
            let text = fs::read_to_string(root.join(format!("{package}/src/{file}")))
                .unwrap_or_else(|e| panic!("{package}/src/{file}: {e}"));
            pending.extend(needs(&text));
        }
    }
    let name = format!("standalone_{example}");
    let dir = PathBuf::from(&name);
    for file in &files {
        let text = fs::read(root.join(format!("{package}/src/{file}"))).unwrap();
        tree.insert(dir.join("src").join(file), text);
    }
    // Step 2: `mod` lines (after the `//!` header), and `use lessonNN::X` becomes
    // `use <file>::X`.
    let mut body = source.clone();
    for (line, items) in &uses {
        let rewritten: Vec<String> = items
            .iter()
            .map(|item| format!("use {}::{item};", exported[item]))
            .collect();
        body = body.replacen(line.as_str(), &rewritten.join("\n"), 1);
    }
    let header_end = body
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| l.len() + 1)
        .sum::<usize>();
    let mut main = body[..header_end].to_string();
    main.push('\n');
    for file in &files {
        main.push_str(&format!("mod {};\n", file.trim_end_matches(".rs")));
    }
    main.push_str(&body[header_end..]);
    tree.insert(dir.join("src/main.rs"), main.into_bytes());
    // Step 3: the dependency lines.
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n{}\n",
        dependencies.join("\n")
    );
    tree.insert(dir.join("Cargo.toml"), manifest.into_bytes());
    Some(name)
}

/// Makes `dir` hold exactly the files of `tree`. A file already there with the same contents
/// is left as it is: cargo judges a crate fresh by its files' modification times, so a rerun
/// rebuilds only the copies whose sources changed.
fn sync(dir: &Path, tree: &Tree) {
    remove_all_but(dir, dir, tree);
    for (path, contents) in tree {
        let path = dir.join(path);
        if fs::read(&path).ok().as_ref() != Some(contents) {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, contents).unwrap();
        }
    }
}

/// Removes the files under `dir` that `tree` (paths from `base`) does not hold, and the
/// folders that leaves empty.
fn remove_all_but(base: &Path, dir: &Path, tree: &Tree) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            remove_all_but(base, &path, tree);
            // Fails, as it should, unless the folder is now empty.
            let _ = fs::remove_dir(&path);
        } else if !tree.contains_key(path.strip_prefix(base).unwrap()) {
            fs::remove_file(&path).unwrap();
        }
    }
}

#[test]
fn examples_build_as_crates_of_their_own_with_the_library_files_they_name() {
    let root = root();
    let workspace_manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let known = workspace_dependencies(&workspace_manifest);
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let scratch = target.join("standalone");
    let crates_dir = scratch.join("crates");
    let mut tree = Tree::new();
    let mut members = Vec::new();
    for package in ["lesson04", "lesson05", "lesson06"] {
        let manifest = fs::read_to_string(root.join(format!("{package}/Cargo.toml"))).unwrap();
        let dependencies: Vec<String> = lesson_dependencies(&manifest)
            .iter()
            .filter(|name| *name != "course")
            .map(|name| {
                known
                    .get(name)
                    .unwrap_or_else(|| panic!("{name} is not a workspace dependency"))
                    .clone()
            })
            .collect();
        let mut examples: Vec<String> = fs::read_dir(root.join(format!("{package}/src/bin")))
            .unwrap()
            .flatten()
            .filter_map(|e| {
                e.file_name()
                    .to_str()?
                    .strip_suffix(".rs")
                    .map(String::from)
            })
            .filter(|n| n != package)
            .collect();
        examples.sort();
        for example in examples {
            if let Some(name) = standalone_crate(&root, package, &example, &mut tree, &dependencies)
            {
                members.push(name);
            }
        }
    }
    assert!(
        members.len() >= 10,
        "too few examples use a library: {members:?}"
    );
    // lesson06's pool in steps ("Build the pool yourself" in lesson06/README.md): each step
    // file copied to `src/pool.rs` of a crate of its own, with `mod pool;` and
    // `use pool::ThreadPool;` in its `main.rs`.
    let mut steps: Vec<PathBuf> = fs::read_dir(root.join("lesson06/steps"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    steps.sort();
    assert!(steps.len() >= 5, "too few pool steps: {steps:?}");
    for step in steps {
        let stem = step.file_stem().unwrap().to_str().unwrap().to_string();
        let name = format!("standalone_{stem}");
        let dir = PathBuf::from(&name);
        tree.insert(dir.join("src/pool.rs"), fs::read(&step).unwrap());
        tree.insert(
            dir.join("src/main.rs"),
            b"mod pool;\nuse pool::ThreadPool;\n\nfn main() {\n    drop(ThreadPool::new(2));\n}\n"
                .to_vec(),
        );
        tree.insert(
            dir.join("Cargo.toml"),
            format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n")
                .into_bytes(),
        );
        members.push(name);
    }
    let quoted: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    tree.insert(
        PathBuf::from("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            quoted.join(", ")
        )
        .into_bytes(),
    );
    // The workspace's lock file keeps the dependency versions the ones the course uses.
    tree.insert(
        PathBuf::from("Cargo.lock"),
        fs::read(root.join("Cargo.lock")).unwrap(),
    );
    sync(&crates_dir, &tree);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(&crates_dir)
        .args(["build", "--quiet", "--workspace"])
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .env_remove("RUSTFLAGS")
        // No debug info (nobody debugs the copies) and no incremental caches (a rerun
        // rebuilds only the copies whose files changed, see `sync`): the first build takes
        // half as long (measured on 2 cores), and compiles the same code.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the standalone copies of {} example(s) did not build:\n{}",
        members.len(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_parsers_read_the_lines_they_are_meant_for() {
    let lib = "mod a;\npub use pool::{ThreadPool, default_chunksize};\npub use event::Event;\n";
    let items = exported_items(lib);
    assert_eq!(items["ThreadPool"], "pool");
    assert_eq!(items["Event"], "event");
    assert_eq!(
        needs("//! Needs: async_result.rs, `pool.rs`\n"),
        ["async_result.rs", "pool.rs"]
    );
    assert!(needs("//! Needs: nothing beyond std\n").is_empty());
    assert_eq!(
        added_methods("//! Adds methods: imap, starmap\n"),
        ["imap", "starmap"]
    );
    let uses = library_uses(
        "use lesson06::{PoolError, ThreadPool};\nuse std::x;\n",
        "lesson06",
    );
    assert_eq!(uses[0].1, ["PoolError", "ThreadPool"]);
    assert_eq!(
        lesson_dependencies(
            "[dependencies]\ncourse.workspace = true\nnix.workspace = true\n[lints]\n"
        ),
        ["course", "nix"]
    );
}
