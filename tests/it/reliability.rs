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

#[test]
fn a_killed_index_run_leaves_the_last_commit() {
    let env = Env::new();
    env.ok(&["index"], 0);
    let before = total(&env, "thresholds");
    let big = big_folder(&env, 40);
    for signal in ["-KILL", "-INT"] {
        let mut child = env.cmd().args(["index", big.to_str().unwrap()]).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(150));
        let started = Instant::now();
        std::process::Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
        let status = child.wait().unwrap();
        assert!(started.elapsed() < Duration::from_secs(5), "{signal} stops it promptly");
        if !status.success() {
            // Stopped before its commit: the index is as it was.
            assert_eq!(total(&env, "thresholds"), before, "after {signal}");
        }
    }
    // The next run finishes the job.
    let r = env.ok(&["index", big.to_str().unwrap()], 0);
    assert!(r.stderr.contains("indexed"), "{}", r.stderr);
    assert!(total(&env, "thresholds") > before);
}

#[test]
fn a_second_concurrent_index_run_is_told_another_holds_the_index() {
    let env = Env::new();
    env.ok(&["index"], 0);
    let big = big_folder(&env, 60);
    let mut first = env.cmd().args(["index", big.to_str().unwrap()]).stderr(Stdio::null()).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let second = env.run(&["index", big.to_str().unwrap()]);
    // Searches keep working meanwhile, on the last commit.
    env.ok(&["search", "thresholds", "-n", "1"], 0);
    first.wait().unwrap();
    if second.code == 2 {
        assert!(second.stderr.contains("another insp is writing to the index"), "{}", second.stderr);
    } else {
        // The first run had finished already; the second found it all unchanged.
        assert!(second.stderr.contains("unchanged"), "{}", second.stderr);
    }
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
    assert!(
        r.stderr.contains("rebuild it with `insp index --rebuild`") || r.stderr.contains("damaged"),
        "{}",
        r.stderr
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
    let started = Instant::now();
    let r = env.ok(&["index", "tree"], 0);
    assert!(started.elapsed() < Duration::from_secs(120));
    assert!(r.stderr.contains("dangling.txt: cannot read it"), "{}", r.stderr);
    assert!(r.stderr.contains("indexed 2 reports"), "the loop is followed once, the large file read: {}", r.stderr);
}
