//! The command line itself: help, errors from clap, pipes.

use crate::harness::*;

#[test]
fn help_names_every_command() {
    let env = Env::new();
    let r = env.ok(&["--help"], 0);
    for cmd in ["index", "search", "parse"] {
        assert!(r.stdout.contains(cmd), "{}", r.stdout);
    }
    let r = env.ok(&["search", "--help"], 0);
    for flag in ["--authority", "--grade", "--section", "--type", "--since", "--until", "--limit", "--format"] {
        assert!(r.stdout.contains(flag), "search --help lacks {flag}");
    }
}

#[test]
fn bad_arguments_exit_2() {
    let env = Env::new();
    let r = env.ok(&["search"], 2);
    assert!(r.stderr.contains("QUERY"), "{}", r.stderr);
    env.ok(&["search", "x", "--format", "xml"], 2);
    env.ok(&["frobnicate"], 2);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let env = Env::new();
    let r = env.ok(&["search", "thresholds", "--color", "always", "-n", "1"], 0);
    assert!(r.stdout.contains("\x1b[1;31m"), "highlighted: {}", r.stdout);
    let r = env.ok(&["search", "thresholds", "-n", "1"], 0);
    assert!(!r.stdout.contains('\x1b'));
}
