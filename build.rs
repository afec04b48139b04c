//! Link the `insp` binary for a quick start-up on Linux.
//!
//! A one-off `insp search` is a short process, and a position-independent
//! binary of this size spends a measurable share of it at start-up applying
//! tens of thousands of relative relocations (and copying the pages they
//! write). Linked with `-no-pie`, the linker resolves them once, at build
//! time. Only this package's binaries are affected (`rustc-link-arg-bins`),
//! not its proc-macros or the library; see benches/README.md for the numbers.
//!
//! Optimised builds also lay out side by side the functions a one-off
//! command runs (`benches/symbol-order.txt`, written by
//! `benches/symbol_order.py`), so that far fewer pages of code are faulted
//! in: lld's `--symbol-ordering-file`, where lld links (rustc's default on
//! x86-64 Linux since 1.90) and no other linker is asked for.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") != "linux" {
        return;
    }
    println!("cargo:rustc-link-arg-bins=-no-pie");
    let order = std::path::Path::new(&var("CARGO_MANIFEST_DIR")).join("benches/symbol-order.txt");
    println!("cargo:rerun-if-changed={}", order.display());
    println!("cargo:rerun-if-env-changed=CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER");
    let lld = var("TARGET") == "x86_64-unknown-linux-gnu"
        && rustc_minor().is_some_and(|m| m >= 90)
        && var("RUSTC_LINKER").is_empty()
        && std::env::var_os("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").is_none()
        && !var("CARGO_ENCODED_RUSTFLAGS").contains("link");
    if lld && var("OPT_LEVEL") == "3" && order.exists() {
        println!("cargo:rustc-link-arg-bin=insp=-Wl,--symbol-ordering-file={}", order.display());
        // Names from another build (another profile's hashes) are skipped.
        println!("cargo:rustc-link-arg-bin=insp=-Wl,--no-warn-symbol-ordering");
    }
}

/// The minor version of the rustc that builds this (`rustc 1.95.0 ...`).
fn rustc_minor() -> Option<u32> {
    let rustc = std::env::var_os("RUSTC")?;
    let out = std::process::Command::new(rustc).arg("--version").output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    text.split_whitespace().nth(1)?.split('.').nth(1)?.parse().ok()
}
