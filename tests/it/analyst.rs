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

/// Councils that merged or split keep their own rows: a 2015
/// Northamptonshire report stays Northamptonshire; a 2023 report on North
/// Northamptonshire, whose services a trust runs, is the council's.
#[test]
fn a_council_that_split_keeps_its_own_codes() {
    let env = Env::new();
    let old = env.write(
        "a.txt",
        "Northamptonshire County Council\nInspection of services for children in need of help and protection, \
         children looked after and care leavers\n\nInspection dates: 12 October 2015 to 5 November 2015\n\n\
         1. Services for children in Northamptonshire are inadequate.\n",
    );
    let new = env.write(
        "b.txt",
        "Inspection of North Northamptonshire local authority children's services\n\nInspection dates: 6 to 17 March 2023\n\n\
         1. Northamptonshire Children's Trust delivers children's services for North Northamptonshire Council.\n",
    );
    let parse = |p: &std::path::Path| -> Value { env.json(&["parse", p.to_str().unwrap(), "--format", "json"]) };
    let (old, new) = (parse(&old), parse(&new));
    assert_eq!(
        (&old["authority"], &old["la_code"], &old["ons_code"]),
        (&Value::from("Northamptonshire"), &Value::from(928), &Value::from("E10000021"))
    );
    assert_eq!((&new["authority"], &new["la_code"]), (&Value::from("North Northamptonshire"), &Value::from(940)));
    assert_eq!(new["provider"], "Northamptonshire Children's Trust");
    assert_eq!((&old["region"], &new["region"]), (&Value::from("East Midlands"), &Value::from("East Midlands")));
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
    // The first line is the query's result (a summary line ends the output).
    let first = out.stdout.split(|b| *b == b'\n').next().unwrap_or_default();
    let line: Value = serde_json::from_slice(first).unwrap();
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

/// The reports table (CSV) as rows of cells.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => row.push(std::mem::take(&mut cell)),
            '\n' if !quoted => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            c => cell.push(c),
        }
    }
    rows
}

const REPORT_COLUMNS: &str = "report_id,authority,la_code,ons_code,region,type,provider,inspection_start,\
inspection_end,published,overall,overall_label,leaders,leaders_label,help_and_protection,help_and_protection_label,\
in_care,in_care_label,adoption,adoption_label,care_leavers,care_leavers_label,lscb,lscb_label,other_judgements,\
inspectors,n_paragraphs,source";

#[test]
fn the_reports_table_has_the_same_columns_whatever_the_filters() {
    let env = Env::new();
    for filters in
        [&[][..], &["--overall", "good"], &["--type", "focused_visit"], &["--region", "London"], &["--latest"]]
    {
        let mut args = vec!["reports", "--format", "csv"];
        args.extend_from_slice(filters);
        let r = env.run(&args);
        let rows = csv_rows(&r.stdout);
        assert_eq!(rows[0].join(","), REPORT_COLUMNS, "{filters:?}");
        assert!(rows.iter().all(|row| row.len() == rows[0].len()), "{filters:?}");
    }
    let rows = csv_rows(&env.ok(&["reports", "--format", "csv", "--authority", "Kirklees"], 0).stdout);
    let col = |name: &str| rows[0].iter().position(|c| c == name).unwrap();
    let kirklees = &rows[1];
    assert_eq!(kirklees[col("la_code")], "382");
    assert_eq!(kirklees[col("ons_code")], "E08000034");
    assert_eq!((kirklees[col("overall")].as_str(), kirklees[col("overall_label")].as_str()), ("2", "good"));
    assert_eq!(kirklees[col("in_care")], "", "a SLAC's looked-after judgements are its own keys");
    assert!(kirklees[col("other_judgements")].contains("lac_overall=2"));
    // --bom: a UTF-8 byte-order mark before the header, for Excel; CSV only.
    let bom = env.cmd().args(["--bom", "reports", "--format", "csv"]).output().unwrap().stdout;
    assert!(bom.starts_with("\u{feff}report_id,".as_bytes()));
    let plain = env.cmd().args(["reports", "--format", "csv"]).output().unwrap().stdout;
    assert!(plain.starts_with(b"report_id,"));
    let json = env.cmd().args(["--bom", "reports", "--format", "json"]).output().unwrap().stdout;
    assert!(json.starts_with(b"{"));
}

fn pdf_fixture(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf").join(name).display().to_string()
}

#[test]
fn hits_and_show_cite_their_page_and_paragraph() {
    let env = Env::new();
    env.ok(&["index", &pdf_fixture("bristol-2023-03-10-inspection.pdf")], 0);
    let res: SearchJson =
        env.json(&["search", "wide range of regular, inclusive participation", "-n", "1", "--format", "json"]);
    let h = &res.hits[0];
    assert_eq!(h.id, "bristol-2023-01-ilacs#39");
    assert_eq!(h.cite, "Ofsted, Bristol: ILACS inspection, 16–27 January 2023, p. 8, para. 39");
    let text = env.ok(&["search", "wide range of regular, inclusive participation", "-n", "1", "--cite"], 0).stdout;
    assert!(text.starts_with("1. Ofsted, Bristol: ILACS inspection, 16–27 January 2023, p. 8, para. 39\n   “The local authority provides care leavers"), "{text}");
    let csv = csv_rows(&env.ok(&["search", "participation activities", "-n", "1", "--format", "csv"], 0).stdout);
    let col = |name: &str| csv[0].iter().position(|c| c == name).unwrap();
    assert_eq!((csv[1][col("page_start")].as_str(), csv[1][col("page_end")].as_str()), ("8", "8"));
    assert_eq!(csv[1][col("cite")], h.cite);
    let show = env.ok(&["show", "bristol-2023-01-ilacs#39"], 0).stdout;
    assert!(show.contains("The experiences and progress of care leavers · grade 2 (good) · p. 8\n"), "{show}");
    assert!(show.contains("cite: Ofsted, Bristol: ILACS inspection, 16–27 January 2023, p. 8, para. 39\n"), "{show}");
}

#[test]
fn open_goes_to_the_page_or_the_line() {
    let env = Env::new();
    let pdf = pdf_fixture("bristol-2023-03-10-inspection.pdf");
    env.ok(&["index", &pdf], 0);
    let empty = env.path("no-viewers");
    std::fs::create_dir_all(&empty).unwrap();
    // No viewer installed: the link, and a word on what to do.
    let out = env.cmd().args(["open", "bristol-2023-01-ilacs#39"]).env("PATH", &empty).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("file://{pdf}#page=8\n"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no PDF viewer that opens at a page was found"));
    // INSP_PDF_VIEWER: run with the file and page.
    let log = env.path("viewer.log");
    let script = env.write("viewer.sh", format!("#!/bin/sh\necho \"$@\" > {}\n", log.display()));
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let viewer = format!("{} --page {{page}} {{file}}", script.display());
    env.cmd().args(["open", "bristol-2023-01-ilacs#46"]).env("INSP_PDF_VIEWER", viewer).output().unwrap();
    let start = std::time::Instant::now();
    while !log.exists() && start.elapsed().as_secs() < 10 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert_eq!(std::fs::read_to_string(&log).unwrap(), format!("--page 9 {pdf}\n"));
    // A text file: its path and the paragraph's first line.
    let txt = crate::harness::corpus(crate::harness::WAKEFIELD_SLAC);
    env.ok(&["index", txt.to_str().unwrap()], 0);
    let out = env.ok(&["open", "wakefield-2011-01-slac#24"], 0).stdout;
    let (path, line) = out.trim().rsplit_once(':').unwrap();
    let line: usize = line.parse().unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.lines().nth(line - 1).unwrap().starts_with("24. Overall, the quality of recording"), "{out}");
    let r = env.ok(&["open", "wakefield-2011-01-slac#999"], 2);
    assert!(r.stderr.contains("has no paragraph 999"), "{}", r.stderr);
}

/// Page numbers checked by hand against the PDFs (pdftotext -f N -l N) in
/// five kinds of report: where the paragraph's first and last words stand.
#[test]
fn paragraph_pages_match_the_pdfs() {
    let Some(dev) = reports_dev() else { return };
    let env = Env::new();
    let cases = [
        ("medway-2013-08-23-inspection.pdf", "medway-2013-08-lac#20", (9, 10)),
        ("essex-2014-03-21-inspection.pdf", "essex-2014-02-sif#60", (17, 18)),
        ("north-yorkshire-2018-08-06-inspection.pdf", "north-yorkshire-2018-07-ilacs-short#12", (5, 5)),
        ("slough-2020-11-27-focused-visit.pdf", "slough-2020-11-focused-visit#20", (6, 6)),
        ("bristol-2023-03-10-inspection.pdf", "bristol-2023-01-ilacs#50", (10, 10)),
        ("barnsley-2023-03-01-focused-visit.pdf", "barnsley-2023-03-focused-visit#10", (2, 2)),
    ];
    let mut args = vec!["index".to_string()];
    args.extend(cases.iter().map(|(f, _, _)| dev.join(f).display().to_string()));
    env.ok(&args.iter().map(String::as_str).collect::<Vec<_>>(), 0);
    for (_, id, pages) in cases {
        let show: Value = env.json(&["show", id, "--format", "json"]);
        let p = &show["paragraph"];
        assert_eq!((p["page_start"].as_u64().unwrap(), p["page_end"].as_u64().unwrap()), pages, "{id}");
        let page =
            if pages.0 == pages.1 { format!("p. {}", pages.0) } else { format!("pp. {}–{}", pages.0, pages.1) };
        assert!(show["cite"].as_str().unwrap().contains(&page), "{id}: {}", show["cite"]);
    }
}

/// An xlsx file's first sheet as rows of cell text, and whether its header
/// row is bold and frozen and its columns sized.
struct Sheet {
    rows: Vec<Vec<String>>,
    bold_frozen_header: bool,
    sized: bool,
}

fn read_xlsx(bytes: &[u8]) -> Sheet {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx file is a zip");
    let mut part = |name: &str| {
        let mut s = String::new();
        if let Ok(mut f) = zip.by_name(name) {
            f.read_to_string(&mut s).unwrap();
        }
        s
    };
    let (sheet, strings, styles) =
        (part("xl/worksheets/sheet1.xml"), part("xl/sharedStrings.xml"), part("xl/styles.xml"));
    let unescape = |s: &str| {
        s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
    };
    let shared: Vec<String> = regex::Regex::new(r"(?s)<si><t[^>]*>(.*?)</t></si>")
        .unwrap()
        .captures_iter(&strings)
        .map(|c| unescape(&c[1]))
        .collect();
    let cell = regex::Regex::new(r#"<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(?:<v>([^<]*)</v>)?</c>)"#).unwrap();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header_style = String::new();
    for c in cell.captures_iter(&sheet) {
        let col = c[1].bytes().fold(0usize, |n, b| n * 26 + (b - b'A' + 1) as usize) - 1;
        let row: usize = c[2].parse::<usize>().unwrap() - 1;
        let value = c.get(4).map_or("", |m| m.as_str());
        let text =
            if c[3].contains(r#"t="s""#) { shared[value.parse::<usize>().unwrap()].clone() } else { value.to_string() };
        if row == 0 && col == 0 {
            header_style = c[3].to_string();
        }
        rows.resize(rows.len().max(row + 1), Vec::new());
        let width = rows[row].len().max(col + 1);
        rows[row].resize(width, String::new());
        rows[row][col] = text;
    }
    // Style 1 is the first format after the default: bold in the fonts list.
    let bold_frozen_header =
        header_style.contains(r#"s="1""#) && styles.contains("<b/>") && sheet.contains(r#"state="frozen""#);
    Sheet { rows, bold_frozen_header, sized: sheet.contains("customWidth=\"1\"") }
}

/// `--format xlsx` writes the same table as CSV, in a workbook, for
/// reports, search, batch and facets.
#[test]
fn xlsx_files_read_back_as_the_csv_tables() {
    let env = Env::new();
    let batch = env.write("q.txt", "IRO\n{\"id\": \"b\", \"query\": \"children\", \"region\": \"West Midlands\"}\n");
    let batch = batch.to_str().unwrap();
    let commands: [&[&str]; 4] = [
        &["reports"],
        &["search", "care leavers", "-n", "20"],
        &["batch", batch, "-n", "3"],
        &["facets", "care leavers", "--by", "authority", "--by", "grade"],
    ];
    for args in commands {
        let run = |format: &str| {
            let out = env.cmd().args(args).args(["--format", format]).output().unwrap();
            assert!(out.status.success(), "{args:?} {format}: {}", String::from_utf8_lossy(&out.stderr));
            out.stdout
        };
        let csv = csv_rows(&String::from_utf8(run("csv")).unwrap());
        let sheet = read_xlsx(&run("xlsx"));
        assert!(csv.len() > 1, "{args:?}");
        assert!(sheet.bold_frozen_header && sheet.sized, "{args:?}");
        assert_eq!(sheet.rows.len(), csv.len(), "{args:?}");
        for (x, c) in sheet.rows.iter().zip(&csv) {
            let mut x = x.clone();
            x.resize(c.len(), String::new());
            assert_eq!(&x, c, "{args:?}");
        }
    }
    // Not onto a terminal: a binary file there would be noise (the check
    // needs a terminal, so here only the help says it).
    let help = env.ok(&["reports", "--help"], 0).stdout;
    assert!(help.contains("xlsx"), "{help}");
}
