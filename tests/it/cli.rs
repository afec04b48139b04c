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

/// `insp search … | head`: the reader closes the pipe before insp writes.
/// insp is not killed by SIGPIPE (its own start-up ignores it, as Rust's
/// would) and says nothing: exit 0, no message. What a reader does read
/// arrives whole, the last line too (standard output flushed on exit).
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::process::Stdio;
    let env = Env::new();
    // An index of the user's own: no notice about the samples on stderr.
    env.ok(&["index", corpus("").to_str().unwrap()], 0);
    for args in [&["search", "children", "-n", "200"][..], &["--help"], &["--version"]] {
        let mut child = env.cmd().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        // Nobody reads: the only reading end is closed before insp writes.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "insp {args:?}: {:?}", out.status);
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "insp {args:?}");
    }
    let r = env.ok(&["--version"], 0);
    assert_eq!(r.stdout, format!("insp {}\n", env!("CARGO_PKG_VERSION")));
    let r = env.ok(&["search", "children", "-n", "3", "--format", "csv"], 0);
    assert_eq!(r.stdout.lines().count(), 4, "a header and three rows:\n{}", r.stdout);
    assert!(r.stdout.ends_with('\n'));
}

/// `insp index DIR >&- 2>&-`: with standard output and error closed, the
/// run succeeds, the index reads back whole, and nothing insp prints (the
/// samples' parse warnings) lands in the files it keeps open, tantivy's locks. (insp opens the
/// closed descriptors on /dev/null first, as Rust's own start-up does, so
/// that no file it opens can take their numbers; on this run tantivy keeps
/// no file open while insp prints, so the test also passes without that.)
#[test]
fn closed_standard_descriptors_take_no_file() {
    use std::os::unix::process::CommandExt;
    let env = Env::new();
    let mut cmd = env.cmd();
    cmd.args(["index", corpus("").to_str().unwrap()]).stdin(std::process::Stdio::null());
    // SAFETY: close(2) is async-signal-safe, as pre_exec requires.
    unsafe {
        cmd.pre_exec(|| {
            libc::close(1);
            libc::close(2);
            Ok(())
        });
    }
    assert_eq!(cmd.status().unwrap().code(), Some(0));
    let r = env.ok(&["search", "thresholds", "-n", "1", "--format", "csv"], 0);
    assert_eq!(r.stderr, "");
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);
    // The files kept open while insp runs: tantivy's locks, empty.
    for lock in [".tantivy-writer.lock", ".tantivy-meta.lock"] {
        let bytes = std::fs::read(env.index_dir().join(lock)).unwrap();
        assert_eq!(String::from_utf8_lossy(&bytes), "", "{lock}");
    }
    let r = env.ok(&["index", corpus("").to_str().unwrap()], 0);
    assert!(r.stdout.contains("unchanged") || r.stderr.contains("unchanged"), "{}{}", r.stdout, r.stderr);
}
