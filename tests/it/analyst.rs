//! What a council analyst asks: councils by region, LA code and statistical
//! neighbours; reports by how they were judged; the reports table.

use crate::harness::{Env, reports_dev};
use insp::output::SearchJson;
use serde_json::Value;

fn reports(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["reports", "--format", "json"];
    all.extend_from_slice(args);
    let v: Value = env.json(&all);
    v["reports"].as_array().cloned().unwrap_or_default()
}

fn ids(rows: &[Value]) -> Vec<String> {
    rows.iter().map(|r| r["report_id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn every_report_has_its_councils_codes_and_region() {
    let env = Env::new();
    let all = reports(&env, &[]);
    assert_eq!(all.len(), 5);
    let wakefield = all.iter().find(|r| r["report_id"] == "wakefield-2011-01-slac").unwrap();
    assert_eq!((&wakefield["la_code"], &wakefield["ons_code"]), (&Value::from(384), &Value::from("E08000036")));
    assert_eq!(wakefield["region"], "Yorkshire and the Humber");
    let hits: SearchJson = env.json(&["search", "children", "--authority", "Dudley", "--format", "json"]);
    assert!(!hits.hits.is_empty());
    for h in &hits.hits {
        assert_eq!((h.la_code, h.region.as_deref()), (Some(332), Some("West Midlands")), "{}", h.id);
    }
}

#[test]
fn councils_by_region_la_code_and_neighbours() {
    let env = Env::new();
    let yorkshire = ids(&reports(&env, &["--region", "yorkshire and the humber"]));
    assert_eq!(yorkshire, ["kirklees-2011-11-slac", "wakefield-2011-01-slac", "wakefield-2020-12-focused-visit"]);
    let west_midlands = ids(&reports(&env, &["--region", "West Midlands"]));
    assert_eq!(west_midlands, ["dudley-2012-02-cabinet-report", "wolverhampton-2011-07-slac"]);
    assert_eq!(ids(&reports(&env, &["--la-code", "382"])), ["kirklees-2011-11-slac"]);
    // Wakefield's DfE statistical neighbours include Dudley (332), not
    // Kirklees (382) or Wolverhampton (336).
    let near = ids(&reports(&env, &["--neighbours-of", "Wakefield Council"]));
    assert_eq!(near, ["dudley-2012-02-cabinet-report", "wakefield-2011-01-slac", "wakefield-2020-12-focused-visit"]);
    // Filters of both kinds must both hold.
    assert!(
        reports(
            &env,
            &["--neighbours-of", "Wakefield", "--region", "Yorkshire and the Humber", "--authority", "Dudley"]
        )
        .is_empty()
    );
    let res: SearchJson =
        env.json(&["search", "partnership", "--neighbours-of", "Wakefield", "--type", "slac", "--format", "json"]);
    assert!(!res.hits.is_empty());
    assert!(
        res.hits.iter().all(|h| h.authority.as_deref() == Some("Wakefield")),
        "only Wakefield's SLAC is a neighbour's SLAC"
    );
    let facets: Value = env.json(&["facets", "--by", "authority", "--region", "West Midlands", "--format", "json"]);
    let names: Vec<&str> =
        facets["facets"]["authority"].as_array().unwrap().iter().map(|b| b["value"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.contains("udley") || n.contains("olverhampton")), "{names:?}");
}

#[test]
fn council_filters_say_what_is_wrong() {
    let env = Env::new();
    let r = env.ok(&["reports", "--region", "Wales"], 2);
    assert!(
        r.stderr.contains("unknown region 'Wales'; use one of East Midlands, East of England, London"),
        "{}",
        r.stderr
    );
    let r = env.ok(&["reports", "--la-code", "999"], 2);
    assert!(r.stderr.contains("no council has the DfE LA code '999'"), "{}", r.stderr);
    let r = env.ok(&["search", "x", "--neighbours-of", "Wakefeld"], 2);
    assert!(r.stderr.contains("unknown authority 'Wakefeld'; did you mean 'Wakefield'"), "{}", r.stderr);
    let r = env.ok(&["search", "x", "--neighbours-of", "Sandwell Children's Trust"], 2);
    assert!(r.stderr.contains("'Sandwell Children's Trust' has no statistical neighbours"), "{}", r.stderr);
    let r = env.ok(&["search", "x", "--judged", "care_leavers"], 2);
    assert!(r.stderr.contains("cannot read --judged 'care_leavers'; use KEY=GRADE"), "{}", r.stderr);
    let r = env.ok(&["search", "x", "--judged", "carers=4"], 2);
    assert!(r.stderr.contains("unknown judgement key 'carers'; use one of"), "{}", r.stderr);
    let r = env.ok(&["search", "x", "--overall", "poor"], 2);
    assert!(r.stderr.contains("unknown grade 'poor'"), "{}", r.stderr);
}

/// `--overall` and `--judged` are the report's judgements: every paragraph
/// of a report judged so matches, whatever section it sits in.
#[test]
fn paragraphs_by_how_their_report_was_judged() {
    let env = Env::new();
    // Safeguarding overall effectiveness: Wakefield 3, Wolverhampton 3, Kirklees 2.
    let res: SearchJson = env.json(&["search", "children", "--overall", "adequate", "-n", "500", "--format", "json"]);
    let mut authorities: Vec<&str> = res.hits.iter().filter_map(|h| h.authority.as_deref()).collect();
    authorities.sort();
    authorities.dedup();
    assert_eq!(authorities, ["Dudley", "Wakefield", "Wolverhampton"]);
    assert!(res.hits.iter().any(|h| h.grade == Some(2)), "paragraphs under a good judgement of an adequate report");
    assert!(res.hits.iter().any(|h| h.grade.is_none()), "ungraded paragraphs too");
    let kirklees: SearchJson = env.json(&["search", "children", "--overall", "good", "--format", "json"]);
    assert!(kirklees.hits.iter().all(|h| h.authority.as_deref() == Some("Kirklees")));
    // Same key: either grade. Different keys: both.
    assert_eq!(ids(&reports(&env, &["--judged", "lac_enjoying=1"])), ["dudley-2012-02-cabinet-report"]);
    assert_eq!(
        ids(&reports(&env, &["--judged", "lac_enjoying=1", "--judged", "lac_enjoying=3"])),
        ["dudley-2012-02-cabinet-report", "kirklees-2011-11-slac"]
    );
    assert_eq!(ids(&reports(&env, &["--judged", "lac_enjoying=3", "--overall", "3"])), Vec::<String>::new());
    assert_eq!(
        ids(&reports(&env, &["--judged", "lac-economic=outstanding", "--overall", "good"])),
        ["kirklees-2011-11-slac"]
    );
    // A batch line takes them by the option's names.
    let out = env.cmd().args(["batch", "-"]).stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).spawn().map(|mut c| {
        use std::io::Write;
        c.stdin.take().unwrap().write_all(br#"{"id": "a", "query": "children", "overall": "good", "neighbours-of": "Kirklees", "la-code": 382}"#).unwrap();
        c.wait_with_output().unwrap()
    }).unwrap();
    let line: Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits = line["hits"].as_array().unwrap();
    assert!(!hits.is_empty(), "{line}");
    assert!(hits.iter().all(|h| h["authority"] == "Kirklees"));
}

#[test]
fn latest_keeps_each_councils_latest_full_inspection() {
    let env = Env::new();
    // Wakefield's 2020 focused visit is later but not a full inspection; the
    // council paper is not an inspection report.
    let latest = ids(&reports(&env, &["--latest"]));
    assert_eq!(latest, ["kirklees-2011-11-slac", "wakefield-2011-01-slac", "wolverhampton-2011-07-slac"]);
    assert_eq!(ids(&reports(&env, &["--latest", "--type", "focused_visit"])), ["wakefield-2020-12-focused-visit"]);
    assert_eq!(ids(&reports(&env, &["--latest", "--until", "2011-05"])), ["wakefield-2011-01-slac"]);
    // The judgement filters apply to the latest, not pick among the older.
    assert_eq!(ids(&reports(&env, &["--latest", "--overall", "good"])), ["kirklees-2011-11-slac"]);
}

/// On the real reports: a neighbours query and the README's headline question.
#[test]
fn analyst_questions_on_the_dev_reports() {
    let Some(dev) = reports_dev() else { return };
    let env = Env::new();
    env.ok(&["index", dev.to_str().unwrap()], 0);
    let all = reports(&env, &[]);
    for r in &all {
        assert!(r["la_code"].is_u64() && r["region"].is_string() && r["ons_code"].is_string(), "{}", r["report_id"]);
    }
    // Wakefield's statistical neighbours among the dev reports.
    let near = reports(&env, &["--neighbours-of", "Wakefield"]);
    let mut names: Vec<&str> = near.iter().map(|r| r["authority"].as_str().unwrap()).collect();
    names.dedup();
    // Wakefield (384) and, of its neighbours 332, 370, 894, 372, 925, 357,
    // 371, 813, 841, 888, those with a dev report.
    assert_eq!(names, ["Barnsley", "Dudley", "Lincolnshire", "North Lincolnshire", "Telford and Wrekin", "Wakefield"]);
    // Unallocated cases in reports graded inadequate overall since 2018.
    let res: SearchJson = env.json(&[
        "search",
        "unallocated cases",
        "--overall",
        "inadequate",
        "--since",
        "2018",
        "-n",
        "100",
        "--format",
        "json",
    ]);
    assert!(!res.hits.is_empty());
    let inadequate = ids(&reports(&env, &["--overall", "inadequate", "--since", "2018"]));
    for h in &res.hits {
        assert!(inadequate.contains(&h.report_id), "{} is not a report judged inadequate", h.id);
        assert!(h.inspection_start.as_deref().unwrap() >= "2018", "{}", h.id);
    }
    assert!(res.hits.iter().any(|h| h.grade != Some(4)), "paragraphs outside the inadequate sections count too");
}
