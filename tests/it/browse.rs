//! `insp reports`, `insp show`, `insp stats` on the bundled corpus.

use crate::harness::*;
use insp::output::browse::{ReportsJson, ShowParagraphJson, ShowReportJson};

#[test]
fn reports_table_with_judgements_and_filters() {
    let env = Env::new();
    let all: ReportsJson = env.json(&["reports", "--format", "json"]);
    let ids: Vec<&str> = all.reports.iter().map(|r| r.report_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "dudley-2012-02-cabinet-report",
            "kirklees-2011-11-slac",
            "wakefield-2011-01-slac",
            "wakefield-2020-12-focused-visit",
            "wolverhampton-2011-07-slac"
        ],
        "by authority, then date"
    );
    let kirklees = &all.reports[1];
    assert_eq!(kirklees.n_paragraphs, 143);
    assert_eq!(kirklees.judgements.len(), 22);

    // Reports with any outstanding judgement: Kirklees (economic well-being,
    // equality and diversity) and Dudley (enjoying and achieving).
    let outstanding: ReportsJson = env.json(&["reports", "--grade", "outstanding", "--format", "json"]);
    let ids: Vec<&str> = outstanding.reports.iter().map(|r| r.report_id.as_str()).collect();
    assert_eq!(ids, ["dudley-2012-02-cabinet-report", "kirklees-2011-11-slac"]);
    let since: ReportsJson = env.json(&["reports", "--since", "2020", "--format", "json"]);
    assert_eq!(since.reports.len(), 1);
    env.ok(&["reports", "--authority", "Cornwall"], 1);

    // CSV: a fixed column per canonical judgement, grades as numbers, the
    // same columns whatever the filters; other frameworks' judgements in
    // one cell.
    let csv = env.ok(&["reports", "--authority", "Wakefield", "--type", "slac", "--format", "csv"], 0).stdout;
    let all = env.ok(&["reports", "--format", "csv"], 0).stdout;
    assert_eq!(csv.lines().next(), all.lines().next(), "the columns do not change with the filters");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(
        header[10..25],
        [
            "overall",
            "overall_label",
            "leaders",
            "leaders_label",
            "help_and_protection",
            "help_and_protection_label",
            "in_care",
            "in_care_label",
            "adoption",
            "adoption_label",
            "care_leavers",
            "care_leavers_label",
            "lscb",
            "lscb_label",
            "other_judgements"
        ]
    );
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!((row[0], row[10], row[12]), ("wakefield-2011-01-slac", "3", "3"), "safeguarding: overall 3, leaders 3");
    assert_eq!(row[11], "adequate");
    assert!(row[24].split("; ").any(|c| c == "lac_overall=2"), "{}", row[24]);

    let nd = env.ok(&["reports", "--format", "ndjson"], 0).stdout;
    assert_eq!(nd.lines().count(), 5);
    let text = env.ok(&["reports", "--authority", "dudley"], 0).stdout;
    assert!(
        text.contains(
            "dudley-2012-02-cabinet-report  Dudley (LA 332, West Midlands) · council paper · inspected 2011-11-28 to 2011-12-09 · 44 paragraphs"
        ),
        "{text}"
    );
}

#[test]
fn show_a_paragraph_with_context() {
    let env = Env::new();
    let s: ShowParagraphJson = env.json(&["show", "wakefield-2011-01-slac#24", "--context", "2", "--format", "json"]);
    assert_eq!(s.paragraph.para, 24);
    assert!(
        s.paragraph.text.starts_with("Overall, the quality of recording, assessments and management decision-making")
    );
    assert_eq!(s.paragraph.section, ["Safeguarding services", "Quality of provision"]);
    assert_eq!(s.before.iter().map(|p| p.para).collect::<Vec<_>>(), [22, 23]);
    assert_eq!(s.after.iter().map(|p| p.para).collect::<Vec<_>>(), [25, 26]);
    assert_eq!(s.report.report_id, "wakefield-2011-01-slac");

    let text = env.ok(&["show", "wakefield-2011-01-slac#1"], 0).stdout;
    assert!(text.contains("About this inspection"), "{text}");
    assert!(text.contains("> 1. The purpose of the inspection"), "{text}");
    // The first paragraph has no neighbours before it.
    let s: ShowParagraphJson = env.json(&["show", "wakefield-2011-01-slac#1", "-C", "3", "--format", "json"]);
    assert!(s.before.is_empty());
    assert_eq!(s.after.len(), 3);
}

#[test]
fn show_a_report_outline() {
    let env = Env::new();
    let s: ShowReportJson = env.json(&["show", "wakefield-2020-12-focused-visit", "--format", "json"]);
    let outline: Vec<(Vec<String>, u32, u32)> =
        s.outline.iter().map(|o| (o.section.clone(), o.first_para, o.last_para)).collect();
    assert_eq!(
        outline,
        [
            (vec![], 1, 3),
            (vec!["Overview".to_string()], 4, 5),
            (vec!["What needs to improve in this area of social work practice".to_string()], 6, 7),
            (vec!["Findings".to_string()], 8, 40),
        ]
    );
    let text = env.ok(&["show", "wakefield-2011-01-slac"], 0).stdout;
    assert!(text.contains("¶60–63     Services for looked after children › How good are outcomes for looked after children and care leavers? › Being healthy  [grade 2 (good)]"), "{text}");
}

#[test]
fn show_errors_name_what_is_wrong() {
    let env = Env::new();
    let r = env.ok(&["show", "atlantis-2011-01-slac"], 2);
    assert!(
        r.stderr.contains("no report 'atlantis-2011-01-slac' in the index; `insp reports` lists them"),
        "{}",
        r.stderr
    );
    let r = env.ok(&["show", "wakefield-2011-01-slac#999"], 2);
    assert!(r.stderr.contains("has no paragraph 999 (its paragraphs run from 1 to 86)"), "{}", r.stderr);
    let r = env.ok(&["show", "wakefield-2011-01-slac#x"], 2);
    assert!(r.stderr.contains("is not a paragraph id"), "{}", r.stderr);
}

#[test]
fn stats_count_what_the_index_holds() {
    let env = Env::new();
    let v: serde_json::Value = env.json(&["stats", "--format", "json"]);
    assert_eq!(v["reports"], 5);
    assert_eq!(v["paragraphs"], 86 + 143 + 124 + 44 + 40);
    assert_eq!(v["by_type"]["slac"]["reports"], 3);
    assert_eq!(v["by_year"]["2020"]["paragraphs"], 40);
    assert!(v["index_bytes"].as_u64().unwrap() > 10_000);
    assert_eq!(v["schema_version"], insp::index::schema::version());
    let text = env.ok(&["stats"], 0).stdout;
    assert!(text.contains("reports        5"), "{text}");
}

/// Every machine format of the browsing commands parses back.
#[test]
fn every_format_of_show_stats_and_facets() {
    let env = Env::new();
    let csv = env.ok(&["show", "wakefield-2011-01-slac#24", "-C", "1", "--format", "csv"], 0).stdout;
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "id,para,numbered,section,grade,grade_label,text");
    assert_eq!(rows.len(), 4, "the paragraph and one each side");
    assert!(
        rows[2]
            .starts_with("wakefield-2011-01-slac#24,24,true,Safeguarding services > Quality of provision,3,adequate,")
    );
    let nd = env.ok(&["show", "wakefield-2011-01-slac#24", "--format", "ndjson"], 0).stdout;
    let one: ShowParagraphJson = serde_json::from_str(nd.trim()).unwrap();
    assert_eq!(one.paragraph.para, 24);
    let outline_csv = env.ok(&["show", "wakefield-2020-12-focused-visit", "--format", "csv"], 0).stdout;
    assert!(outline_csv.contains("Findings,,,8,40,33"), "{outline_csv}");

    let stats_csv = env.ok(&["stats", "--format", "csv"], 0).stdout;
    assert!(stats_csv.contains("type,focused_visit,1,40"), "{stats_csv}");
    assert!(stats_csv.contains("year,2011,3,"), "{stats_csv}");
    let stats_nd: serde_json::Value =
        serde_json::from_str(env.ok(&["stats", "--format", "ndjson"], 0).stdout.trim()).unwrap();
    assert_eq!(stats_nd["reports"], 5);

    let facets_nd = env.ok(&["facets", "--by", "type", "--format", "ndjson"], 0).stdout;
    let lines: Vec<serde_json::Value> = facets_nd.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines[0], serde_json::json!({"facet": "type", "value": "slac", "count": 347}));
    let text = env.ok(&["facets", "IRO", "--by", "authority"], 0).stdout;
    assert!(text.starts_with("6 paragraphs with every word of \"IRO\" (6 with any)\n"), "{text}");
    assert!(text.contains("by authority"));
}

/// Facet counts count the paragraphs a search ranks first, and give its
/// total beside: the same for a query with words that carry no meaning
/// alone ("of"), with exclusions, and with such a word required ("+in":
/// the facets once gave fewer paragraphs with any word than with every).
#[test]
fn facet_totals_agree_with_search_totals() {
    let env = Env::new();
    for q in ["quality of assessments", "care -leavers plans", "IRO", "+in children in care"] {
        let facets: insp::output::FacetsJson = env.json(&["facets", q, "--format", "json"]);
        let search: insp::output::SearchJson = env.json(&["search", q, "--format", "json", "--limit", "1"]);
        assert_eq!(facets.total, search.total_all_words, "{q}");
        assert_eq!(facets.total_any_words, search.total, "{q}");
        let by_type: usize = facets.facets["type"].iter().map(|b| b.count).sum();
        assert_eq!(by_type, search.total_all_words, "{q}: every counted paragraph has one type");
    }
}
