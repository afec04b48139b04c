//! A new user's first hour (issue 16): where the index is, the samples kept
//! apart from the user's own reports, a mistyped index path.

use crate::harness::*;
use insp::output::SearchJson;

fn report_ids(env: &Env, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["reports", "--format", "csv"];
    args.extend_from_slice(extra);
    let r = env.ok(&args, 0);
    r.stdout.lines().skip(1).map(|l| l.split(',').next().unwrap().to_string()).collect()
}

/// The quick start searches the samples; the user's first `insp index PATH`
/// starts a clean index of their own, says so, and the samples no longer
/// turn up in searches or counts.
#[test]
fn the_samples_stay_out_of_the_users_own_index() {
    let env = Env::new();
    env.ok(&["search", "unallocated cases", "-n", "1"], 0);
    assert_eq!(report_ids(&env, &[]).len(), 5, "the five samples, before any index of one's own");
    assert!(env.samples_dir().join("meta.json").exists(), "the samples' own index");
    assert!(!env.index_dir().exists(), "no user index yet");

    env.write("ofsted/leeds.txt", std::fs::read(corpus(WAKEFIELD_FV)).unwrap());
    let r = env.ok(&["index", "ofsted"], 0);
    let created = format!(
        "insp: created a new index at {} for your reports; the bundled samples are not in it",
        env.index_dir().display()
    );
    assert!(r.stderr.contains(&created), "{}", r.stderr);
    assert_eq!(report_ids(&env, &[]), ["wakefield-2020-12-focused-visit"], "only the user's report");
    let res: SearchJson = env.json(&["search", "unallocated cases", "--format", "json", "-n", "50"]);
    assert!(res.hits.iter().all(|h| h.report_id == "wakefield-2020-12-focused-visit"), "{:?}", res.hits);
    let stats = env.ok(&["stats"], 0).stdout;
    assert!(stats.contains("reports        1\n"), "{stats}");
    // A second run does not say it again.
    let r = env.ok(&["index", "ofsted"], 0);
    assert!(!r.stderr.contains("created"), "{}", r.stderr);
    // Asked for, the samples join the user's index.
    env.ok(&["index"], 0);
    assert_eq!(report_ids(&env, &[]).len(), 6, "the five samples beside the user's report");
}

/// A mistyped `--index` or `INSP_INDEX` is an error naming the path, with a
/// hint, for every command that reads the index; nothing is built there.
#[test]
fn an_index_path_that_does_not_exist_is_an_error() {
    let env = Env::new();
    let typo = env.path("my-idnex");
    let typo_s = typo.to_str().unwrap();
    let expected = format!(
        "insp: no index at {typo_s} (named by --index or INSP_INDEX); check the path, or build one there with `insp index PATH`"
    );
    for args in [
        vec!["search", "unallocated"],
        vec!["reports"],
        vec!["stats"],
        vec!["facets", "--by", "year"],
        vec!["show", "wakefield-2011-01-slac"],
        vec!["export"],
    ] {
        let mut all = vec!["--index", typo_s];
        all.extend(args.iter().copied());
        let r = env.ok(&all, 2);
        assert_eq!(r.stderr.trim(), expected, "{args:?}");
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
    let r = env.cmd().env("INSP_INDEX", &typo).args(["search", "unallocated"]).output().unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&r.stderr).trim(), expected);
    let r = env.cmd().env("INSP_INDEX", &typo).arg("batch").stdin(std::process::Stdio::null()).output().unwrap();
    assert_eq!(r.status.code(), Some(2), "batch too");
    assert!(!typo.exists(), "nothing was built at the mistyped path");
    assert!(!env.samples_dir().exists(), "nor a samples index");

    // `insp index` creates the index where it is told, and says so.
    let r = env.ok(&["--index", typo_s, "index"], 0);
    assert!(r.stderr.contains(&format!("insp: created a new index at {typo_s}\n")), "{}", r.stderr);
    env.ok(&["--index", typo_s, "search", "unallocated"], 0);
}

/// Found earlier: a README beside the reports was indexed as an inspection.
#[test]
fn a_file_that_is_not_a_report_in_a_folder_is_skipped() {
    let env = Env::new();
    env.write("ofsted/wakefield.txt", std::fs::read(corpus(WAKEFIELD_FV)).unwrap());
    env.write("ofsted/README.md", "# My downloads\n\nThese are the reports I fetched last week.\n");
    env.write("ofsted/notes.txt", "Ask about caseloads at the next team meeting.\n");
    let r = env.ok(&["index", "ofsted"], 0);
    assert!(r.stderr.contains("indexed 1 report"), "{}", r.stderr);
    assert!(r.stderr.contains("README.md: "), "named with its reason: {}", r.stderr);
    assert!(r.stderr.contains("notes.txt: "), "{}", r.stderr);
    assert_eq!(report_ids(&env, &[]), ["wakefield-2020-12-focused-visit"]);
}
