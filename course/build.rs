//! Tells the lesson runner the profile it is built in, so that it builds the examples in the
//! same one. cargo names it to build scripts alone, as `PROFILE`: `release` when the profile
//! is or inherits from release, `debug` otherwise (cargo's reference, "Environment variables
//! Cargo sets for build scripts"). A build script runs once per profile, in that profile's
//! own directory, so each build of the runner carries its own profile.

fn main() {
    let profile = std::env::var("PROFILE").expect("cargo sets PROFILE for build scripts");
    println!("cargo::rustc-env=COURSE_PROFILE={profile}");
    println!("cargo::rerun-if-changed=build.rs");
}
