//! The lesson01 tour: `cargo run -p lesson01` runs every example of the lesson in
//! order, each introduced; `cargo run -p lesson01 -- <name>` runs one; `-- --list` lists them.
//! The list lives in `lesson01/examples.txt`.

fn main() -> std::process::ExitCode {
    course::tour(
        env!("CARGO_PKG_NAME"),
        include_str!("../../examples.txt"),
        env!("CARGO_MANIFEST_DIR"),
    )
}
