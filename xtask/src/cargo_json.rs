//! What cargo says in JSON, read with serde_json into the few fields xtask uses: `cargo
//! metadata --format-version 1` (the workspace's members, their targets, the target
//! directory) and the messages of `cargo build --message-format=json` (each artifact's
//! executable, each compiler message). The field names are those of cargo's documented
//! formats ("JSON messages" and `cargo metadata` in the Cargo Book).
//!
//! Not the cargo_metadata crate: its types come through serde's derive, whose proc-macro
//! crates (syn, serde_derive, thiserror) added about 20 s of CPU to a fresh clone's first
//! `cargo xtask verify`, which builds xtask before anything else.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// `cargo metadata --no-deps`: the workspace's members.
#[derive(Debug)]
pub struct Metadata {
    pub workspace_root: PathBuf,
    pub target_directory: PathBuf,
    /// The workspace's members, in cargo's order.
    pub packages: Vec<Package>,
}

#[derive(Debug)]
pub struct Package {
    /// cargo's package id, as build messages name the package.
    pub id: String,
    pub name: String,
    pub manifest_path: PathBuf,
    pub targets: Vec<Target>,
}

#[derive(Debug)]
pub struct Target {
    pub name: String,
    /// `bin`, `lib`, `test`, ...
    pub kind: Vec<String>,
    pub src_path: PathBuf,
    /// Whether `cargo test` builds a test harness for it.
    pub test: bool,
}

impl Target {
    pub fn is_bin(&self) -> bool {
        self.kind.iter().any(|k| k == "bin")
    }

    pub fn is_lib(&self) -> bool {
        self.kind.iter().any(|k| k == "lib" || k == "rlib")
    }
}

/// Why cargo's metadata could not be read: not JSON, or a field missing that cargo
/// documents.
#[derive(Debug)]
pub enum MetadataError {
    Json(serde_json::Error),
    /// The field, and what it should hold (`list`, `text`).
    Missing(String, &'static str),
}

impl std::fmt::Display for MetadataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetadataError::Json(e) => write!(f, "not JSON: {e}"),
            MetadataError::Missing(key, what) => write!(f, "no `{key}` {what}"),
        }
    }
}

impl Metadata {
    /// Reads cargo's output; `Err` says which field was not as cargo documents it.
    pub fn parse(json: &str) -> Result<Metadata, MetadataError> {
        let value: Value = serde_json::from_str(json).map_err(MetadataError::Json)?;
        let members: Vec<&str> = array(&value, "workspace_members")?
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let mut packages = Vec::new();
        for package in array(&value, "packages")? {
            let id = string(package, "id")?;
            if !members.contains(&id.as_str()) {
                continue;
            }
            let mut targets = Vec::new();
            for target in array(package, "targets")? {
                targets.push(Target {
                    name: string(target, "name")?,
                    kind: array(target, "kind")?
                        .iter()
                        .filter_map(Value::as_str)
                        .map(String::from)
                        .collect(),
                    src_path: string(target, "src_path")?.into(),
                    test: target.get("test").and_then(Value::as_bool).unwrap_or(true),
                });
            }
            packages.push(Package {
                id,
                name: string(package, "name")?,
                manifest_path: string(package, "manifest_path")?.into(),
                targets,
            });
        }
        Ok(Metadata {
            workspace_root: string(&value, "workspace_root")?.into(),
            target_directory: string(&value, "target_directory")?.into(),
            packages,
        })
    }

    /// `path` relative to the workspace root, when it is inside it.
    pub fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.workspace_root).unwrap_or(path)
    }
}

/// One of cargo's build messages that xtask reads.
#[derive(Debug)]
pub enum Message {
    /// A binary cargo built: its package's id, its name, its executable.
    Binary {
        package_id: String,
        name: String,
        executable: PathBuf,
    },
    /// A message of the compiler.
    Compiler(Diagnostic),
}

/// A compiler message (`"reason": "compiler-message"`).
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// `error`, `warning`, `error: internal compiler error`, ...
    pub level: String,
    pub message: String,
    /// As rustc would print it.
    pub rendered: Option<String>,
    pub spans: Vec<Span>,
}

#[derive(Debug, Clone)]
pub struct Span {
    pub file_name: String,
    pub is_primary: bool,
}

impl Diagnostic {
    /// An error, or the compiler's own failure.
    pub fn is_error(&self) -> bool {
        self.level == "error" || self.level.starts_with("error:")
    }
}

impl Message {
    /// Reads one line of cargo's output; `None` for a line that is not one of the messages
    /// above (other reasons, cargo's plain text).
    pub fn parse(line: &str) -> Option<Message> {
        let value: Value = serde_json::from_str(line).ok()?;
        match value.get("reason")?.as_str()? {
            "compiler-artifact" => {
                let target = value.get("target")?;
                let is_bin = target
                    .get("kind")?
                    .as_array()?
                    .iter()
                    .any(|k| k.as_str() == Some("bin"));
                if !is_bin {
                    return None;
                }
                Some(Message::Binary {
                    package_id: value.get("package_id")?.as_str()?.into(),
                    name: target.get("name")?.as_str()?.into(),
                    executable: value.get("executable")?.as_str()?.into(),
                })
            }
            "compiler-message" => {
                let message = value.get("message")?;
                let spans = message
                    .get("spans")?
                    .as_array()?
                    .iter()
                    .filter_map(|span| {
                        Some(Span {
                            file_name: span.get("file_name")?.as_str()?.into(),
                            is_primary: span.get("is_primary")?.as_bool()?,
                        })
                    })
                    .collect();
                Some(Message::Compiler(Diagnostic {
                    level: message.get("level")?.as_str()?.into(),
                    message: message.get("message")?.as_str()?.into(),
                    rendered: message
                        .get("rendered")
                        .and_then(Value::as_str)
                        .map(String::from),
                    spans,
                }))
            }
            _ => None,
        }
    }
}

fn array<'a>(value: &'a Value, key: &str) -> Result<&'a Vec<Value>, MetadataError> {
    value
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| MetadataError::Missing(key.into(), "list"))
}

fn string(value: &Value, key: &str) -> Result<String, MetadataError> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(String::from)
        .ok_or_else(|| MetadataError::Missing(key.into(), "text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_keeps_the_members_and_their_targets() {
        let json = r#"{"packages":[
            {"name":"lesson04","id":"path+file:///w/lesson04#0.1.0","manifest_path":"/w/lesson04/Cargo.toml",
             "targets":[{"kind":["lib"],"name":"lesson04","src_path":"/w/lesson04/src/lib.rs","test":true},
                        {"kind":["bin"],"name":"semaphore","src_path":"/w/lesson04/src/bin/semaphore.rs","test":false}]},
            {"name":"rand","id":"registry+https://x#rand@0.10.0","manifest_path":"/r/Cargo.toml","targets":[]}],
            "workspace_members":["path+file:///w/lesson04#0.1.0"],
            "workspace_root":"/w","target_directory":"/w/tar\"get"}"#;
        let metadata = Metadata::parse(json).unwrap();
        assert_eq!(metadata.target_directory, Path::new("/w/tar\"get"));
        assert_eq!(metadata.packages.len(), 1);
        let package = &metadata.packages[0];
        assert_eq!(package.name, "lesson04");
        let kinds: Vec<(bool, bool, bool)> = package
            .targets
            .iter()
            .map(|t| (t.is_lib(), t.is_bin(), t.test))
            .collect();
        assert_eq!(kinds, [(true, false, true), (false, true, false)]);
        assert_eq!(
            metadata.relative(&package.targets[1].src_path),
            Path::new("lesson04/src/bin/semaphore.rs")
        );
        assert_eq!(
            Metadata::parse(r#"{"packages":[]}"#)
                .unwrap_err()
                .to_string(),
            "no `workspace_members` list"
        );
        assert!(matches!(Metadata::parse("{"), Err(MetadataError::Json(_))));
    }

    #[test]
    fn build_messages_give_executables_and_compiler_messages() {
        let artifact = r#"{"reason":"compiler-artifact","package_id":"p#0.1.0","target":{"kind":["bin"],"name":"semaphore"},"executable":"/t/debug/semaphore"}"#;
        match Message::parse(artifact) {
            Some(Message::Binary {
                package_id,
                name,
                executable,
            }) => {
                assert_eq!(
                    (package_id.as_str(), name.as_str()),
                    ("p#0.1.0", "semaphore")
                );
                assert_eq!(executable, Path::new("/t/debug/semaphore"));
            }
            other => panic!("{other:?}"),
        }
        let library = artifact.replace(r#"["bin"]"#, r#"["lib"]"#);
        assert!(Message::parse(&library).is_none());
        let error = r#"{"reason":"compiler-message","message":{"level":"error","message":"mismatched types","rendered":"error[E0308]: mismatched types\n","spans":[{"file_name":"lesson04/src/bin/x.rs","is_primary":true}]}}"#;
        match Message::parse(error) {
            Some(Message::Compiler(d)) => {
                assert!(d.is_error());
                assert_eq!(d.spans[0].file_name, "lesson04/src/bin/x.rs");
                assert!(d.rendered.unwrap().starts_with("error[E0308]"));
            }
            other => panic!("{other:?}"),
        }
        assert!(Message::parse(r#"{"reason":"build-finished","success":true}"#).is_none());
        assert!(Message::parse("Compiling lesson04").is_none());
    }
}
