//! Reliability: interrupted and concurrent runs, damaged indexes, odd text
//! encodings, links, large files.

use crate::harness::*;
use insp::output::SearchJson;
use std::process::Stdio;
use std::time::{Duration, Instant};

fn total(env: &Env, q: &str) -> usize {
    let r: SearchJson = env.json(&["search", q, "--format", "json"]);
    r.total
}

/// `text` holds each of `parts`, one after the other.
fn says_in_order(text: &str, parts: &[&str]) {
    let mut rest = text;
    for part in parts {
        let at = rest.find(part).unwrap_or_else(|| panic!("{part:?} is not where expected in:\n{text}"));
        rest = &rest[at + part.len()..];
    }
}

/// A folder big enough that indexing takes a while: the samples many times over.
fn big_folder(env: &Env, copies: usize) -> std::path::PathBuf {
    for i in 0..copies {
        for name in [WAKEFIELD_SLAC, KIRKLEES, WOLVERHAMPTON] {
            let text = std::fs::read_to_string(corpus(name))
                .unwrap()
                .replace("Inspection dates", &format!("Copy {i}\n\nInspection dates"));
            env.write(&format!("big/{i}-{name}"), text);
        }
    }
    env.path("big")
}

/// A named pipe among the inputs: an index run that reads it holds the
/// index's writer lock, before its commit, until the pipe is written to.
struct Hold {
    path: std::path::PathBuf,
}

impl Hold {
    fn new(env: &Env) -> Hold {
        let path = env.path("hold.txt");
        let made = std::process::Command::new("mkfifo").arg(&path).status().expect("mkfifo runs (coreutils)");
        assert!(made.success());
        Hold { path }
    }

    /// Wait (up to a minute) until an insp has opened the pipe to read it,
    /// and keep it waiting: a writer's end, open.
    fn reached(&self) -> std::fs::File {
        use std::os::unix::fs::OpenOptionsExt;
        /// O_NONBLOCK on Linux: opening a pipe's writing end fails while no one reads it.
        const O_NONBLOCK: i32 = 0o4000;
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match std::fs::OpenOptions::new().write(true).custom_flags(O_NONBLOCK).open(&self.path) {
                Ok(f) => return f,
                Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
                Err(e) => panic!("no insp opened {} within a minute: {e}", self.path.display()),
            }
        }
    }
}

#[test]
fn a_killed_index_run_leaves_the_last_commit() {
    use std::os::unix::process::ExitStatusExt;
    let env = Env::new();
    env.ok(&["index"], 0);
    let before = total(&env, "thresholds");
    let big = big_folder(&env, 40);
    let hold = Hold::new(&env);
    for (signal, number) in [("-KILL", 9), ("-INT", 2)] {
        let args = ["index", big.to_str().unwrap(), hold.path.to_str().unwrap()];
        let mut child = env.cmd().args(args).stderr(Stdio::null()).spawn().unwrap();
        // The run is under way, its writer open, its commit not yet made.
        let pipe = hold.reached();
        std::process::Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
        let status = child.wait().unwrap();
        drop(pipe);
        assert_eq!(status.signal(), Some(number), "{signal} stops it");
        assert_eq!(total(&env, "thresholds"), before, "after {signal}, the index is as it was");
    }
    std::fs::remove_file(&hold.path).unwrap();
    // The next run finishes the job.
    let r = env.ok(&["index", big.to_str().unwrap()], 0);
    assert!(r.stderr.contains("indexed"), "{}", r.stderr);
    assert!(total(&env, "thresholds") > before);
}

#[test]
fn a_second_concurrent_index_run_is_told_another_holds_the_index() {
    let env = Env::new();
    env.ok(&["index"], 0);
    let big = big_folder(&env, 3);
    let hold = Hold::new(&env);
    let args = ["index", big.to_str().unwrap(), hold.path.to_str().unwrap()];
    let first = env.cmd().args(args).stderr(Stdio::piped()).spawn().unwrap();
    // The first run holds the index until the pipe is written to.
    let mut pipe = hold.reached();
    let second = env.run(&["index", big.to_str().unwrap()]);
    assert_eq!(second.code, 2, "{}", second.stderr);
    let locked =
        format!("another insp is writing to the index at {}; wait for it to finish", env.index_dir().display());
    says_in_order(&second.stderr, &[&locked]);
    // Searches keep working meanwhile, on the last commit.
    env.ok(&["search", "thresholds", "-n", "1"], 0);
    std::io::Write::write_all(&mut pipe, &std::fs::read(corpus(WAKEFIELD_FV)).unwrap()).unwrap();
    drop(pipe);
    let first = first.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert_eq!(first.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("indexed 10 reports"), "the first run finishes once released: {stderr}");
}

#[test]
fn damaged_indexes_are_named_with_a_rebuild_hint() {
    // meta.json missing.
    let env = Env::new();
    env.ok(&["index"], 0);
    std::fs::remove_file(env.index_dir().join("meta.json")).unwrap();
    let r = env.ok(&["search", "thresholds"], 2);
    assert!(r.stderr.contains("is not an insp index"), "{}", r.stderr);

    // A segment file cut short.
    let env = Env::new();
    env.ok(&["index"], 0);
    let seg = std::fs::read_dir(env.index_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .expect("a segment store file");
    let bytes = std::fs::read(&seg).unwrap();
    std::fs::write(&seg, &bytes[..bytes.len() / 3]).unwrap();
    let r = env.run(&["search", "thresholds"]);
    assert_eq!(r.code, 2, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    let index = env.index_dir().display().to_string();
    says_in_order(
        &r.stderr,
        &[&format!("the index at {index} is damaged ("), "; rebuild it with `insp index --rebuild`"],
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    env.ok(&["index", "--rebuild"], 0);
    env.ok(&["search", "thresholds"], 0);
}

#[test]
fn text_in_other_encodings_and_line_ends_is_decoded() {
    let env = Env::new();
    let report = std::fs::read_to_string(corpus(WAKEFIELD_FV)).unwrap();
    let marked = report.replace(
        "Headteachers have felt well supported",
        "Headteachers (naïve café “quoted”) have felt well supported",
    );
    // Windows-1252 with CRLF.
    let cp1252: Vec<u8> = marked
        .replace('\n', "\r\n")
        .chars()
        .map(|c| match c {
            'ï' => 0xef,
            'é' => 0xe9,
            '“' => 0x93,
            '”' => 0x94,
            '’' => 0x92,
            '–' => 0x96,
            c if (c as u32) < 0x80 => c as u8,
            _ => b'?',
        })
        .collect();
    env.write("enc/cp1252.txt", &cp1252);
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend(marked.replace("Wakefield", "Leeds").as_bytes());
    env.write("enc/bom.txt", &bom);
    let r = env.ok(&["index", "enc"], 0);
    assert!(r.stderr.contains("indexed 2 reports"), "{}", r.stderr);
    let res: SearchJson = env.json(&["search", "naive cafe", "--format", "json"]);
    assert_eq!(res.hits.len(), 2);
    for h in &res.hits {
        assert!(h.text.contains("(naïve café “quoted”)"), "{}", h.text);
        assert!(!h.text.contains('\r'));
    }
    let authorities: Vec<_> = res.hits.iter().map(|h| h.authority.clone().unwrap()).collect();
    assert!(authorities.contains(&"Leeds".to_string()), "the BOM does not hide the first line: {authorities:?}");
}

#[test]
fn links_loops_and_a_large_file() {
    let env = Env::new();
    env.write("tree/a/report.txt", std::fs::read(corpus(WAKEFIELD_FV)).unwrap());
    std::os::unix::fs::symlink(env.path("tree"), env.path("tree/a/loop")).unwrap();
    std::os::unix::fs::symlink(env.path("tree/missing.txt"), env.path("tree/dangling.txt")).unwrap();
    // A 50 MB text file: many copies of a report's paragraphs.
    let para = "1. Social workers visit children regularly and record their views well.\n";
    env.write(
        "tree/large.txt",
        format!("Inspection of Leeds local authority children's services\n\n{}", para.repeat(700_000)),
    );
    // A link loop followed for ever would never finish.
    let out = output_within(env.cmd().args(["index", "tree"]), 300);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("dangling.txt: cannot read it"), "{stderr}");
    assert!(stderr.contains("indexed 2 reports"), "the loop is followed once, the large file read: {stderr}");
}

/// Whether the tests run as root, who may write anywhere.
fn running_as_root(env: &Env) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(env.dir.path()).unwrap().uid() == 0
}

/// insp with these arguments, run as the unprivileged user `nobody`
/// (setpriv, from util-linux), in the test's environment.
fn as_nobody(env: &Env, args: &[&str]) -> std::process::Command {
    let insp = env.cmd();
    let mut c = std::process::Command::new("setpriv");
    c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(insp.get_program()).args(args);
    c.env_clear().current_dir(env.dir.path());
    for (k, v) in insp.get_envs() {
        if let Some(v) = v {
            c.env(k, v);
        }
    }
    c
}

/// Run insp as a user who may read but not write the index: as root, the
/// unprivileged `nobody` (setpriv, from util-linux); otherwise the index
/// directory is made read-only.
fn without_write_access(env: &Env, args: &[&str]) -> Run {
    use std::os::unix::fs::PermissionsExt;
    let index = env.index_dir();
    let out = if running_as_root(env) {
        // nobody must reach the files: the folders on the way are opened for
        // reading, the index's bookkeeping file (tantivy writes it 0600) too.
        for dir in [env.dir.path().to_path_buf(), index.clone()] {
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        std::fs::set_permissions(index.join(".managed.json"), std::fs::Permissions::from_mode(0o644)).unwrap();
        as_nobody(env, args).output().expect("setpriv runs (util-linux)")
    } else {
        std::fs::set_permissions(&index, std::fs::Permissions::from_mode(0o555)).unwrap();
        let out = env.cmd().args(args).output().unwrap();
        std::fs::set_permissions(&index, std::fs::Permissions::from_mode(0o755)).unwrap();
        out
    };
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// An index its user may not write: a clear error naming the index and the
/// cause (not "damaged, rebuild it"), and the index as it was.
#[test]
fn an_index_that_cannot_be_written_is_left_as_it_was() {
    let env = Env::new();
    env.write("in/fv.txt", std::fs::read(corpus(WAKEFIELD_FV)).unwrap());
    env.ok(&["index", "in/fv.txt"], 0);
    let before = total(&env, "supervision");
    env.write("in/slac.txt", std::fs::read(corpus(WAKEFIELD_SLAC)).unwrap());
    std::fs::set_permissions(env.path("in"), std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let r = without_write_access(&env, &["index", "in/slac.txt"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let index = env.index_dir().display().to_string();
    assert!(
        r.stderr.contains(&format!("cannot use the index at {index}: permission denied; nothing in it was changed")),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("rebuild"), "no rebuild advice for a permission problem: {}", r.stderr);
    assert_eq!(total(&env, "supervision"), before, "the index is as it was");
    let r = env.ok(&["reports", "--format", "csv"], 0);
    assert_eq!(r.stdout.lines().count(), 2, "one report, as before: {}", r.stdout);
}

/// A disk that fills during indexing (simulated with a file size limit,
/// which fails writes the same way): a clear error, the last commit intact,
/// and the next run, with room, finishes the job.
#[test]
fn a_full_disk_fails_cleanly_and_the_next_run_finishes() {
    let env = Env::new();
    env.write("in/fv.txt", std::fs::read(corpus(WAKEFIELD_FV)).unwrap());
    env.ok(&["index", "in"], 0);
    let before = total(&env, "supervision");
    let big = big_folder(&env, 40);
    let bin = env.cmd().get_program().to_owned();
    // SIGXFSZ is ignored (an ignored signal stays ignored across exec), so a
    // write past the limit fails with EFBIG, as a write to a full disk fails
    // with ENOSPC.
    let out = output_within(
        std::process::Command::new("sh")
            .arg("-c")
            .arg("trap '' XFSZ; ulimit -f 200; exec \"$INSP_BIN\" index \"$1\" in")
            .arg("sh")
            .arg(&big)
            .env("INSP_BIN", &bin)
            .env("INSP_INDEX", env.index_dir())
            .env("HOME", env.dir.path())
            .current_dir(env.dir.path()),
        120,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot use the index at"), "{stderr}");
    // Whether the write fails in tantivy's indexing thread or at the commit
    // depends on timing; either reason names the full disk.
    says_in_order(&stderr, &[&format!("cannot use the index at {}: ", env.index_dir().display()), "(a full disk"]);
    assert!(!stderr.contains("rebuild"), "no rebuild advice for a full disk: {stderr}");
    assert_eq!(total(&env, "supervision"), before, "the last commit is intact");
    let r = env.ok(&["index", big.to_str().unwrap(), "in"], 0);
    assert!(r.stderr.contains("indexed"), "{}", r.stderr);
    assert!(total(&env, "supervision") > before, "the next run finishes the job");
}

/// A file its user may not read is named with the reason, and the good file
/// beside it is indexed. (As root every file is readable, so the run is made
/// as nobody, with setpriv, in a folder nobody may write.)
#[test]
fn an_unreadable_file_is_named_and_the_rest_indexed() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.write("in/good.txt", std::fs::read(corpus(WAKEFIELD_FV)).unwrap());
    let secret = env.write("in/secret.txt", std::fs::read(corpus(WAKEFIELD_SLAC)).unwrap());
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = if running_as_root(&env) {
        for dir in [env.dir.path().to_path_buf(), env.path("in")] {
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        }
        output_within(&mut as_nobody(&env, &["index", "in"]), 120)
    } else {
        output_within(env.cmd().args(["index", "in"]), 120)
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("indexed 1 report"), "{stderr}");
    assert!(stderr.contains("secret.txt: cannot read it: Permission denied"), "{stderr}");
}
