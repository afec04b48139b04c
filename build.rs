//! Link the `insp` binary as a position-dependent executable on Linux.
//!
//! A one-off `insp search` is a short process, and a position-independent
//! binary of this size spends a measurable share of it at start-up applying
//! tens of thousands of relative relocations (and copying the pages they
//! write). Linked with `-no-pie`, the linker resolves them once, at build
//! time. Only this package's binaries are affected (`rustc-link-arg-bins`),
//! not its proc-macros or the library; see benches/README.md for the numbers.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
