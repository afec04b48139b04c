//! `insp trend`: reports that mention a query out of the reports in each
//! bucket, on the samples (numbers read off the sample texts) and on the dev
//! reports (numbers checked against their `pdftotext` text).

use crate::harness::*;
use insp::output::{TREND_COLUMNS, TrendJson, TrendRow};

fn trend(env: &Env, args: &[&str]) -> TrendJson {
    let mut all = vec!["trend"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    env.json(&all)
}

/// (bucket, reports mentioning, reports, paragraphs matching, paragraphs, small) per row.
fn counts(rows: &[TrendRow]) -> Vec<(&str, usize, usize, usize, usize, bool)> {
    rows.iter()
        .map(|r| (r.bucket.as_str(), r.reports_mentioning, r.reports, r.paragraphs_matching, r.paragraphs, r.small))
        .collect()
}

/// "private fostering" in the five samples: every word in one paragraph
/// (stemmed, so "fostering" also matches "foster"). Read off the texts:
/// Wakefield's 2011 SLAC (inspected from 1 December 2010) has ¶57 ("the
/// fostering service" ... "private providers"); Kirklees (October 2011) ¶36
/// ("Private fostering is judged good"); Wolverhampton (June 2011) ¶7 and
/// ¶20; Dudley's council paper (inspection of November 2011) and the 2020
/// focused visit have no "private" at all. Every bucket has fewer than five
/// reports, so all are small.
#[test]
fn reports_that_mention_a_query_by_year_and_by_overall_grade() {
    let env = Env::new();
    let t = trend(&env, &["private fostering"]);
    assert_eq!((t.by.as_str(), t.per.as_str(), t.small_below), ("year", "reports", 5));
    assert_eq!((t.reports, t.paragraphs), (5, 427), "the samples' non-boilerplate paragraphs");
    assert_eq!(
        counts(&t.rows),
        [("2010", 1, 1, 1, 84, true), ("2011", 2, 3, 3, 307, true), ("2020", 0, 1, 0, 36, true)]
    );
    assert_eq!(t.rows[1].share, 0.6667);

    // Overall effectiveness: Kirklees good; Wakefield, Wolverhampton and
    // Dudley's paper adequate (3); the focused visit has no overall grade.
    let t = trend(&env, &["private fostering", "--by", "overall"]);
    assert_eq!(
        counts(&t.rows),
        [
            ("2 (good)", 1, 1, 1, 141, true),
            ("3 (requires improvement)", 2, 3, 3, 250, true),
            ("none", 0, 1, 0, 36, true)
        ]
    );

    // By region (from each authority's council facts): Wakefield's SLAC and
    // Kirklees of Yorkshire and the Humber's three reports (Wakefield's
    // focused visit is the third); Wolverhampton (¶7, ¶20) of the West
    // Midlands' two (Dudley's paper is the other).
    let t = trend(&env, &["private fostering", "--by", "region"]);
    assert_eq!(t.by, "region");
    assert_eq!(
        counts(&t.rows),
        [("Yorkshire and the Humber", 2, 3, 2, 261, true), ("West Midlands", 1, 2, 2, 166, true)]
    );

    // Per paragraph: 1 of Wakefield's 84.
    let t = trend(&env, &["private fostering", "--per", "paragraphs"]);
    assert_eq!((t.rows[0].per.as_str(), t.rows[0].share), ("paragraphs", 0.0119));

    // Filters narrow both sides: SLACs only leaves out the 2020 visit and
    // Dudley's paper.
    let t = trend(&env, &["private fostering", "--type", "slac"]);
    assert_eq!(counts(&t.rows), [("2010", 1, 1, 1, 84, true), ("2011", 2, 2, 3, 263, true)]);
    assert_eq!(t.filters, "type slac");
}

/// Several queries side by side, and buckets by type and by section grade.
#[test]
fn several_queries_side_by_side() {
    let env = Env::new();
    let t = trend(&env, &["private fostering", "missing", "--by", "type"]);
    assert_eq!(t.queries, ["private fostering", "missing"]);
    let rows: Vec<(&str, &str, usize, usize)> =
        t.rows.iter().map(|r| (r.bucket.as_str(), r.query.as_str(), r.reports_mentioning, r.reports)).collect();
    // Types by the first query's share, highest first.
    assert_eq!(
        rows,
        [
            ("slac", "private fostering", 3, 3),
            ("slac", "missing", 3, 3),
            ("cabinet_report", "private fostering", 0, 1),
            ("cabinet_report", "missing", 1, 1),
            ("focused_visit", "private fostering", 0, 1),
            ("focused_visit", "missing", 1, 1),
        ]
    );
    // By the grade of the section a paragraph is in: a report counts under
    // each grade its sections have, so the buckets' reports overlap.
    let t = trend(&env, &["missing", "--by", "grade"]);
    let grades: Vec<(&str, usize, usize)> =
        t.rows.iter().map(|r| (r.bucket.as_str(), r.reports_mentioning, r.reports)).collect();
    assert_eq!(grades[0], ("1 (outstanding)", 0, 1));
    assert_eq!(grades.last().unwrap().0, "none");
    assert_eq!(t.rows.iter().map(|r| r.paragraphs).sum::<usize>(), 427, "each paragraph in one bucket");
}

#[test]
fn the_chart_fits_80_columns_and_is_plain_when_piped() {
    let env = Env::new();
    let out = env.ok(&["trend", "private fostering", "missing", "--by", "authority"], 0).stdout;
    assert!(!out.contains('\x1b'), "no escape codes when piped:\n{out}");
    for line in out.lines() {
        assert!(line.chars().count() <= 80, "{} columns: {line}", line.chars().count());
    }
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "\"private fostering\" and \"missing\" by authority");
    // Wakefield: both reports mention "missing", one "private fostering".
    let wakefield = lines.iter().position(|l| l.starts_with("Wakefield")).expect("a Wakefield row");
    assert!(lines[wakefield].starts_with("Wakefield     a ░"), "{}", lines[wakefield]);
    assert!(lines[wakefield].ends_with(" 50%         1/2*     1"), "{}", lines[wakefield]);
    assert!(lines[wakefield + 1].ends_with("100%         2/2*     4"), "{}", lines[wakefield + 1]);
    assert!(out.contains("a = \"private fostering\", b = \"missing\""), "{out}");
    assert!(out.contains("fewer than 5 reports, too few for a trend"), "{out}");
    let coloured = env.ok(&["--color", "always", "trend", "missing"], 0).stdout;
    assert!(coloured.contains("\x1b[2m░"), "small buckets dim in colour:\n{coloured}");
}

#[test]
fn csv_and_ndjson_have_a_row_per_bucket_and_query() {
    let env = Env::new();
    let csv = env.ok(&["trend", "private fostering", "missing", "--format", "csv"], 0).stdout;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], TREND_COLUMNS.join(","));
    assert_eq!(lines[0], "by,bucket,query,reports_mentioning,reports,paragraphs_matching,paragraphs,per,share,small");
    assert_eq!(lines[1], "year,2010,private fostering,1,1,1,84,reports,1.0000,true");
    assert_eq!(lines.len(), 1 + 3 * 2);
    let nd = env.ok(&["trend", "private fostering", "missing", "--format", "ndjson"], 0).stdout;
    let rows: Vec<TrendRow> = nd.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 6);
    assert_eq!((rows[3].bucket.as_str(), rows[3].query.as_str(), rows[3].reports_mentioning), ("2011", "missing", 3));
}

#[test]
fn svg_and_png_images() {
    let env = Env::new();
    env.ok(&["trend", "private fostering", "missing", "--svg", "t.svg", "--png", "out/t.png"], 2);
    std::fs::create_dir(env.path("out")).unwrap();
    env.ok(&["trend", "private fostering", "missing", "--svg", "t.svg", "--png", "out/t.png"], 0);
    let svg = std::fs::read_to_string(env.path("t.svg")).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..100.min(svg.len())]);
    for text in
        ["private fostering", "by year", "% of reports", "2011", "Pale bars and n marked *: fewer than 5 reports"]
    {
        assert!(svg.contains(text), "the SVG has {text:?}");
    }
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(env.path("out/t.png")).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), (1000, 600));
    let rgb: Vec<&[u8]> = pixels.chunks(3).collect();
    assert!(rgb.iter().filter(|p| p[0] < 100).count() > 1000, "dark text and axes");
    assert!(rgb.iter().any(|p| p[0] != p[1] || p[1] != p[2]), "coloured bars");
}

#[test]
fn bad_arguments_say_what_to_do() {
    let env = Env::new();
    let err = env.ok(&["trend", "missing", "--svg", "no/such/folder/t.svg"], 2).stderr;
    assert_eq!(
        err.trim(),
        "insp: cannot write the chart to no/such/folder/t.svg: the folder no/such/folder does not exist"
    );
    let err = env.ok(&["trend", "missing", "--png", "."], 2).stderr;
    assert!(err.contains("cannot write the chart to .: it is a folder; give a file name"), "{err}");
    let err = env.ok(&["trend", "  "], 2).stderr;
    assert!(err.contains("the query \"  \" has no words; give each query in quotes"), "{err}");
    let err = env.ok(&["trend", "missing", "--by", "month"], 2).stderr;
    assert!(err.contains("invalid value 'month' for '--by"), "{err}");
    // No report passes the filters: exit 1, and the chart says so.
    let out = env.ok(&["trend", "missing", "--since", "2030"], 1).stdout;
    assert!(
        out.split_whitespace().collect::<Vec<_>>().join(" ").contains("No indexed report passes the filters"),
        "{out}"
    );
    // Nothing mentions it: exit 1, and the chart says which word no paragraph has.
    let out = env.ok(&["trend", "zyxwv"], 1).stdout;
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("No indexed paragraph has zyxwv (in \"zyxwv\")."), "{out}");
}

/// On the dev reports, "criminal exploitation" as a phrase, checked by
/// hand: `pdftotext` of each dev PDF, lines joined, `grep -il "criminal
/// exploitation"` finds 10 reports; their inspection dates, read in each
/// text ("Inspection dates: 2 July 2018 to ...", a visit's "on 31 October
/// and 1 November 2023"), put Lambeth and North Yorkshire in 2018,
/// Gateshead and East Riding in 2019, Gloucestershire in 2020, Walsall in
/// 2021, Sefton in 2022, Camden and Wirral (inspected September 2023,
/// published 2024) in 2023 and Redbridge in 2024. "county lines": East
/// Riding (December 2019) and Dorset (2021). The reports per year are
/// those `insp stats` counts.
#[test]
fn dev_reports_per_year_checked_by_hand() {
    let Some(dev) = reports_dev() else { return };
    let env = Env::new();
    env.ok(&["index", dev.to_str().unwrap()], 0);
    let t = trend(&env, &["\"criminal exploitation\"", "\"county lines\""]);
    let mentions = |query: &str| -> Vec<(String, usize)> {
        t.rows
            .iter()
            .filter(|r| r.query == query && r.reports_mentioning > 0)
            .map(|r| (r.bucket.clone(), r.reports_mentioning))
            .collect()
    };
    let expect = |pairs: &[(&str, usize)]| pairs.iter().map(|(y, n)| (y.to_string(), *n)).collect::<Vec<_>>();
    assert_eq!(
        mentions("\"criminal exploitation\""),
        expect(&[("2018", 2), ("2019", 2), ("2020", 1), ("2021", 1), ("2022", 1), ("2023", 2), ("2024", 1)])
    );
    assert_eq!(mentions("\"county lines\""), expect(&[("2019", 1), ("2021", 1)]));
    let stats: serde_json::Value = env.json(&["stats", "--format", "json"]);
    for r in &t.rows {
        assert_eq!(r.reports as u64, stats["by_year"][&r.bucket]["reports"].as_u64().unwrap(), "{}", r.bucket);
        assert_eq!(r.small, r.reports < 5, "{}", r.bucket);
    }
    assert_eq!(t.reports, 80);
    // Long authority names stay within 80 columns.
    let out = env.ok(&["trend", "exploitation", "neglect", "--by", "authority"], 0).stdout;
    assert!(out.contains("Barking and Dagenham"), "{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 80), "{out}");
}
