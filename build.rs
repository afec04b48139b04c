//! Link the `insp` binary for a quick start-up on Linux.
//!
//! A one-off `insp search` is a short process, and a position-independent
//! binary of this size spends a measurable share of it at start-up applying
//! tens of thousands of relative relocations (and copying the pages they
//! write). Linked with `-no-pie`, the linker resolves them once, at build
//! time. Only this package's binaries are affected (`rustc-link-arg-bins`),
//! not its proc-macros or the library; see benches/README.md for the numbers.
//! The README's install line for Linux goes further (`+crt-static`,
//! `relocation-model=static`): glibc linked in, no dynamic loader at all.
//!
//! Optimised builds also lay out side by side the functions a one-off
//! command runs (`benches/symbol-order.txt`, written by
//! `benches/symbol_order.py`; a section of names per build, dynamic and
//! static, since a name carries its build's hashes), so that far fewer
//! pages of code are faulted in: `--symbol-ordering-file`, which lld
//! (rustup's default linker on x86-64 Linux) and mold understand and GNU
//! ld does not. Whether this build's linker takes it is tried on an empty
//! program first.
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if var("CARGO_CFG_TARGET_OS") != "linux" {
        return;
    }
    // With the C runtime linked in (`+crt-static`) rustc links `-static`
    // (with `-C relocation-model=static`) or `-static-pie`, which `-no-pie`
    // would break (a static-pie given `-no-pie` crashes at start).
    if !var("CARGO_CFG_TARGET_FEATURE").split(',').any(|f| f == "crt-static") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    } else if var("CARGO_CFG_TARGET_ENV") == "gnu"
        && !var("CARGO_ENCODED_RUSTFLAGS").contains("relocation-model=static")
    {
        println!(
            "cargo:warning=a static-pie binary relocates itself at every start; \
             add `-C relocation-model=static` to RUSTFLAGS (README, \"Installing\")"
        );
    }
    let order = Path::new(&var("CARGO_MANIFEST_DIR")).join("benches/symbol-order.txt");
    println!("cargo:rerun-if-changed={}", order.display());
    if var("OPT_LEVEL") != "3" || !order.exists() {
        return;
    }
    let flags = [
        format!("-Wl,--symbol-ordering-file={}", order.display()),
        // Names from another build (another profile's hashes) are skipped.
        "-Wl,--no-warn-symbol-ordering".to_string(),
    ];
    if links_with(&flags) {
        for flag in flags {
            println!("cargo:rustc-link-arg-bin=insp={flag}");
        }
    }
}

/// Whether an empty program links with these linker arguments, built as
/// this package is (its target, linker and flags).
fn links_with(flags: &[String]) -> bool {
    let out = Path::new(&var("OUT_DIR")).join("link-probe");
    let src = out.with_extension("rs");
    if std::fs::write(&src, "fn main() {}\n").is_err() {
        return false;
    }
    let mut cmd = std::process::Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()));
    cmd.arg("--target").arg(var("TARGET")).arg("-o").arg(&out).arg(&src);
    cmd.args(var("CARGO_ENCODED_RUSTFLAGS").split('\x1f').filter(|f| !f.is_empty()));
    if let Ok(linker) = std::env::var("RUSTC_LINKER") {
        cmd.arg(format!("-Clinker={linker}"));
    }
    for flag in flags {
        cmd.arg(format!("-Clink-arg={flag}"));
    }
    let linked = cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).status();
    let _ = std::fs::remove_file(&out);
    linked.is_ok_and(|s| s.success())
}

/// An environment variable cargo sets for build scripts ("" if unset).
fn var(key: &str) -> String {
    std::env::var(key).unwrap_or_default()
}
