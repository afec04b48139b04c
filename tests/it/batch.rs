//! `insp batch` and `insp facets`.

use crate::harness::*;
use insp::output::{BatchJson, BatchSummary, FacetsJson, SearchJson, SummaryLine};
use std::io::Write;
use std::process::Stdio;

fn batch(env: &Env, input: &str, args: &[&str]) -> Run {
    let mut all = vec!["batch"];
    all.extend_from_slice(args);
    let mut child =
        env.cmd().args(&all).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const QUERIES: &str = r#"unallocated cases
{"id": "iro", "query": "IRO capacity", "authority": "Kirklees", "limit": 2}
{"id": "broken", "query": "x"
# a comment line is skipped

{"id": "ghost", "query": "thresholds", "authority": "Atlantis"}
{"id": "dated", "query": "thresholds", "since": "2020"}
"#;

#[test]
fn batch_keeps_order_reports_bad_lines_and_goes_on() {
    let env = Env::new();
    env.ok(&["index"], 0);
    let r = batch(&env, QUERIES, &[]);
    assert_eq!(r.code, 2, "a failed line makes the exit status 2: {}", r.stderr);
    assert!(r.stderr.contains("2 of 5 batch lines failed: line 3: not a valid query object"), "{}", r.stderr);
    let (last, lines) = r.stdout.lines().collect::<Vec<_>>().split_last().map(|(l, r)| (*l, r.to_vec())).unwrap();
    let results: Vec<BatchJson> = lines.iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(results.len(), 5);
    let summary: SummaryLine<BatchSummary> = serde_json::from_str(last).unwrap();
    assert_eq!((summary.summary.queries, summary.summary.failed), (5, 2), "the last line sums up");
    let ids: Vec<&str> = results
        .iter()
        .map(|b| match b {
            BatchJson::Result { id, .. } | BatchJson::Error { id, .. } => id.as_str(),
        })
        .collect();
    assert_eq!(ids, ["1", "iro", "3", "ghost", "dated"], "input order, line numbers as default ids");
    // Each result is what `search` gives for the same question.
    let single: SearchJson = env.json(&["search", "unallocated cases", "--format", "json"]);
    match &results[0] {
        BatchJson::Result { total, hits, .. } => {
            assert_eq!(*total, single.total);
            assert_eq!(hits, &single.hits);
        }
        other => panic!("{other:?}"),
    }
    match &results[1] {
        BatchJson::Result { hits, .. } => {
            assert_eq!(hits.len(), 2, "the line's limit");
            assert!(hits.iter().all(|h| h.authority.as_deref() == Some("Kirklees")));
        }
        other => panic!("{other:?}"),
    }
    match &results[3] {
        BatchJson::Error { line, error, .. } => {
            assert_eq!(*line, 6);
            assert!(error.starts_with("unknown authority 'Atlantis'"), "{error}");
        }
        other => panic!("{other:?}"),
    }
    match &results[4] {
        BatchJson::Result { hits, .. } => assert!(hits.iter().all(|h| h.inspection_start.as_deref() >= Some("2020"))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn batch_defaults_from_the_command_line_and_csv() {
    let env = Env::new();
    env.ok(&["index"], 0);
    let input = "supervision\n{\"id\": \"k\", \"query\": \"supervision\", \"authority\": \"Kirklees\"}\n";
    let r = batch(&env, input, &["--authority", "Wolverhampton", "--format", "csv", "-n", "3"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows: Vec<Vec<&str>> = r.stdout.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows[0][..4], ["query_id", "query", "error", "rank"]);
    let authority = rows[0].iter().position(|c| *c == "authority").unwrap();
    assert_eq!(rows.len(), 7, "three hits for each query");
    for row in &rows[1..4] {
        assert_eq!((row[0], row[authority]), ("1", "Wolverhampton"), "the command line's filter");
    }
    for row in &rows[4..7] {
        assert_eq!((row[0], row[authority]), ("k", "Kirklees"), "the line's own filter wins");
    }
    // A file works like standard input.
    let file = env.write("queries.txt", "thresholds\n");
    let r = env.ok(&["batch", file.to_str().unwrap(), "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["results"][0]["query"], "thresholds");
    let r = env.ok(&["batch", "missing.txt"], 2);
    assert!(r.stderr.contains("cannot read the batch file missing.txt"), "{}", r.stderr);
}

/// Facets count what search ranks first (every word that carries
/// meaning) and give the any-word total beside it, as search does.
#[test]
fn facets_count_matching_paragraphs() {
    let env = Env::new();
    let f: FacetsJson = env.json(&["facets", "care leavers", "--by", "authority", "--by", "grade", "--format", "json"]);
    let search: SearchJson = env.json(&["search", "care leavers", "--format", "json"]);
    assert_eq!(f.total, search.total_all_words, "facets count the paragraphs with every word");
    assert_eq!(f.total_any_words, search.total, "and give search's total beside");
    assert!(f.total < f.total_any_words, "{} < {}", f.total, f.total_any_words);
    let text = env.ok(&["facets", "care leavers", "--by", "type"], 0).stdout;
    let head = format!("{} paragraphs with every word of \"care leavers\" ({} with any)", f.total, f.total_any_words);
    assert_eq!(text.lines().next(), Some(head.as_str()));
    let by_authority: usize = f.facets["authority"].iter().map(|b| b.count).sum();
    assert_eq!(by_authority, f.total);
    let counts: Vec<usize> = f.facets["authority"].iter().map(|b| b.count).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "sorted by count");
    // A filtered count equals the bucket it filters to.
    let wolves = f.facets["authority"].iter().find(|b| b.value == "Wolverhampton").unwrap().count;
    let only: FacetsJson =
        env.json(&["facets", "care leavers", "--authority", "wolverhampton", "--by", "type", "--format", "json"]);
    assert_eq!(only.total, wolves);
    assert_eq!(only.facets["type"][0].value, "slac");

    // Without a query: every paragraph but the frameworks' fixed texts
    // (437 paragraphs, 10 of them boilerplate), all facets.
    let all: FacetsJson = env.json(&["facets", "--format", "json"]);
    assert_eq!(all.total, 427);
    assert_eq!(
        all.facets.keys().cloned().collect::<Vec<_>>(),
        ["authority", "grade", "kind", "overall", "region", "section", "type", "year"]
    );
    let year_2020 = all.facets["year"].iter().find(|b| b.value == "2020").unwrap();
    assert_eq!(year_2020.count, 36, "the 2020 letter's 40 paragraphs less its 4 fixed sentences");
    let with_boilerplate: FacetsJson = env.json(&["facets", "--boilerplate", "--format", "json"]);
    assert_eq!(with_boilerplate.total, 437);
    let only_boilerplate: FacetsJson = env.json(&["facets", "--kind", "boilerplate", "--format", "json"]);
    assert_eq!(only_boilerplate.total, 10);
    let csv = env.ok(&["facets", "--by", "type", "--format", "csv"], 0).stdout;
    assert_eq!(csv.lines().next(), Some("facet,value,count"));

    // Region (from the council), overall grade (the report's) and kind
    // each add up to the total, and each bucket is what its filter finds.
    let f: FacetsJson =
        env.json(&["facets", "care leavers", "--by", "region", "--by", "overall", "--by", "kind", "--format", "json"]);
    for facet in ["region", "overall", "kind"] {
        assert_eq!(f.facets[facet].iter().map(|b| b.count).sum::<usize>(), f.total, "{facet}");
    }
    let pairs = [
        ("region", "West Midlands", "--region"),
        ("overall", "3 (requires improvement)", "--overall"),
        ("kind", "recommendation", "--kind"),
    ];
    for (facet, value, flag) in pairs {
        let count =
            f.facets[facet].iter().find(|b| b.value == value).unwrap_or_else(|| panic!("{facet} {value}")).count;
        let arg = if facet == "overall" { "3" } else { value };
        let only: FacetsJson = env.json(&["facets", "care leavers", flag, arg, "--by", facet, "--format", "json"]);
        assert_eq!((only.total, only.facets[facet].len()), (count, 1), "{facet} {value}");
    }
    assert!(csv.contains("type,slac,347"), "{csv}");
}

#[test]
fn a_batch_line_with_a_typo_says_what_was_searched_for() {
    let env = Env::new();
    let r = batch(&env, "unalocated cases\nunallocated cases\n", &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<serde_json::Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines[0]["query"], "unalocated cases");
    assert_eq!(lines[0]["showing_results_for"], "unallocated cases");
    assert_eq!(lines[1]["showing_results_for"], serde_json::Value::Null);
    assert_eq!(lines[0]["hits"][0]["id"], lines[1]["hits"][0]["id"]);
    let typed = batch(&env, "unalocated cases\n", &["--no-correct"]);
    let line: serde_json::Value = serde_json::from_str(typed.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(line["showing_results_for"], serde_json::Value::Null);
}
