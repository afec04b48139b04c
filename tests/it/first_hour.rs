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
        "insp: no index at {typo_s} (named by --index or INSP_INDEX); check the path, or build one there with `insp --index {typo_s} index PATH`"
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

/// `--offset` pages through the same ranking; ranks go on counting.
#[test]
fn offset_pages_through_the_ranking() {
    let env = Env::new();
    let all = search_json(&env, &["unallocated cases", "-n", "10"]);
    let page2 = search_json(&env, &["unallocated cases", "-n", "5", "--offset", "5"]);
    assert_eq!(ids(&page2), ids(&all)[5..10]);
    assert_eq!(page2.hits.iter().map(|h| h.rank).collect::<Vec<_>>(), [6, 7, 8, 9, 10]);
    assert_eq!(page2.total, all.total, "the total is the whole match");
    let text = env.ok(&["search", "unallocated cases", "-n", "5", "--offset", "5"], 0).stdout;
    assert!(text.contains(&format!("hits 6 to 10 of {} matching paragraphs shown", all.total)), "{text}");
    let past = env.ok(&["search", "unallocated cases", "--offset", "100000"], 1);
    assert!(past.stdout.contains("0 of "), "{}", past.stdout);
}

/// `--count`: the totals alone, in every format; exit 1 when nothing matches.
#[test]
fn count_prints_the_totals_only() {
    let env = Env::new();
    let res = search_json(&env, &["unallocated cases"]);
    assert_eq!(env.ok(&["search", "unallocated cases", "--count"], 0).stdout, format!("{}\n", res.total));
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["search", "unallocated cases", "--count", "--format", "json"], 0).stdout)
            .unwrap();
    assert_eq!(json["total"], res.total);
    assert_eq!(json["total_all_words"], 5);
    let csv = env.ok(&["search", "unallocated cases", "--count", "--format", "csv"], 0).stdout;
    assert_eq!(csv, format!("query,total,total_all_words\nunallocated cases,{},5\n", res.total));
    assert_eq!(env.ok(&["search", "zqxjv", "--no-correct", "--count"], 1).stdout, "0\n");
    // A corrected query says so on stderr: the number alone has no room for it.
    let typo = env.ok(&["search", "unalocated cases", "--count"], 0);
    assert_eq!(typo.stdout, format!("{}\n", res.total));
    assert!(typo.stderr.contains("showing results for \"unallocated cases\""), "{}", typo.stderr);
}

/// `--sort date`: paragraphs with every word first, newest first.
#[test]
fn sort_by_date_puts_the_newest_first() {
    let env = Env::new();
    let by_score = search_json(&env, &["thresholds", "-n", "100"]);
    let by_date = search_json(&env, &["thresholds", "-n", "100", "--sort", "date"]);
    assert!(by_score.total <= 100, "every hit is shown: {}", by_score.total);
    let dates: Vec<String> =
        by_date.hits.iter().map(|h| h.inspection_start.clone().or(h.published.clone()).unwrap_or_default()).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first: {dates:?}");
    assert_ne!(dates.first(), dates.last(), "more than one date");
    let (mut a, mut b) = (ids(&by_score), ids(&by_date));
    a.sort();
    b.sort();
    assert_eq!(a, b, "the same paragraphs");
    // Paged by date too.
    let page = search_json(&env, &["thresholds", "-n", "3", "--offset", "2", "--sort", "date"]);
    assert_eq!(ids(&page), ids(&by_date)[2..5]);
}

/// `-C N` on search shows the same neighbours as `show -C N`.
#[test]
fn context_paragraphs_around_each_hit() {
    let env = Env::new();
    let res = search_json(&env, &["unallocated cases", "-n", "3", "-C", "1"]);
    for h in &res.hits {
        let show: serde_json::Value =
            serde_json::from_str(&env.ok(&["show", &h.id, "-C", "1", "--format", "json"], 0).stdout).unwrap();
        let paras = |v: &serde_json::Value| -> Vec<u64> {
            v.as_array().unwrap().iter().map(|p| p["para"].as_u64().unwrap()).collect()
        };
        let before: Vec<u64> = h.before.iter().map(|p| p.para as u64).collect();
        let after: Vec<u64> = h.after.iter().map(|p| p.para as u64).collect();
        assert_eq!(before, paras(&show["before"]), "{}", h.id);
        assert_eq!(after, paras(&show["after"]), "{}", h.id);
        assert_eq!(before.len() + after.len(), 2, "{}", h.id);
    }
    let text = env.ok(&["search", "unallocated cases", "-n", "1", "-C", "1"], 0).stdout;
    let first = &res.hits[0];
    for p in first.before.iter().chain(&first.after) {
        let words: String = p.text.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
        assert!(text.contains(&format!("  {}. {words}", p.para)), "{words} in {text}");
    }
    assert!(text.contains(&format!("  {}. ", first.para)), "the hit under its number: {text}");
    let plain = search_json(&env, &["unallocated cases", "-n", "1"]);
    assert!(plain.hits[0].before.is_empty(), "no context unless asked");
    // A context larger than the report is the whole report, not a panic.
    let huge = usize::MAX.to_string();
    let whole: serde_json::Value = serde_json::from_str(
        &env.ok(&["show", "wakefield-2011-01-slac#24", "-C", &huge, "--format", "json"], 0).stdout,
    )
    .unwrap();
    let n = whole["before"].as_array().unwrap().len() + 1 + whole["after"].as_array().unwrap().len();
    let outline: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", "wakefield-2011-01-slac", "--format", "json"], 0).stdout).unwrap();
    let paragraphs: u64 =
        outline["outline"].as_array().unwrap().iter().map(|o| o["n_paragraphs"].as_u64().unwrap()).sum();
    assert_eq!(n as u64, paragraphs);
    env.ok(&["search", "unallocated cases", "-n", "1", "-C", &huge], 0);
}

/// A batch line may limit hits per report (as may the command line), and
/// every result carries its suggestions.
#[test]
fn batch_lines_take_per_report_and_carry_suggestions() {
    let env = Env::new();
    let input = concat!(
        r#"{"id": "spread", "query": "children", "limit": 5, "per_report": 1}"#,
        "\n",
        r#"{"id": "typo", "query": "unalocated cases", "limit": 1}"#,
        "\n",
        r#"{"id": "zero", "query": "x", "per_report": 0}"#,
        "\n"
    );
    let path = env.write("q.txt", input);
    let r = env.run(&["batch", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 2, "the zero line fails: {}", r.stderr);
    let out: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let results = out["results"].as_array().unwrap();
    let reports: Vec<&str> =
        results[0]["hits"].as_array().unwrap().iter().map(|h| h["report_id"].as_str().unwrap()).collect();
    let mut distinct = reports.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!((reports.len(), distinct.len()), (5, 5), "one hit per report: {reports:?}");
    assert_eq!(results[1]["suggestions"][0]["word"], "unalocated");
    assert_eq!(results[1]["suggestions"][0]["did_you_mean"][0], "unallocated");
    assert_eq!(results[1]["showing_results_for"], "unallocated cases");
    assert!(results[2]["error"].as_str().unwrap().contains("\"per_report\" must be 1 or more"));
    // The command line's --per-report, for lines that do not set it.
    let path = env.write("q2.txt", "children\n");
    let r = env.ok(&["batch", path.to_str().unwrap(), "--format", "csv", "--per-report", "1", "-n", "5"], 0);
    let mut ids: Vec<&str> = r.stdout.lines().skip(1).map(|l| l.split(',').nth(6).unwrap_or("")).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!((n, ids.len()), (5, 5), "{}", r.stdout);
}
