//! The parser on the real reports in ../shared/reports-dev, compared with a
//! public scraper's metadata (peer-metadata.csv). The peer is not the truth:
//! where it is wrong, the comment at `PEER_WRONG` says why. Run it alone, with
//! the table of agreement printed, as
//! `cargo test --release --test it peer -- --nocapture`.

use crate::harness::reports_dev;
use insp::report::{self, Report};
use insp::vocab::VOCAB;
use std::collections::BTreeMap;
use std::path::Path;

/// Cases where reading the report shows the peer's value is wrong:
/// (file, field, why).
const PEER_WRONG: &[(&str, &str, &str)] = &[
    // The report's judgement table reads: help and protection "Requires
    // improvement to be good", children in care "Good", care leavers
    // "Outstanding", and the section headings agree; the peer shifted the
    // three grades by one column.
    ("st-helens-2023-09-04-inspection.pdf", "help_and_protection_grade", "columns shifted"),
    ("st-helens-2023-09-04-inspection.pdf", "in_care_grade", "columns shifted"),
    ("st-helens-2023-09-04-inspection.pdf", "care_leavers_grade", "columns shifted"),
    // The letter is dated 28 November 2022; the peer's 23 November is not in
    // the document (it is the web page's date).
    ("islington-2022-11-23-focused-visit.pdf", "published", "letter dated 28 November 2022"),
];

fn parse_pdf(path: &Path) -> Option<Report> {
    let bytes = std::fs::read(path).unwrap();
    let text = insp::extract::text_of(path, &bytes).ok()?;
    Some(report::parse(&text, &path.display().to_string()))
}

/// dd/mm/yyyy as yyyy-mm-dd.
fn iso(d: &str) -> String {
    let p: Vec<&str> = d.split('/').collect();
    if p.len() == 3 { format!("{}-{}-{}", p[2], p[1], p[0]) } else { d.to_string() }
}

/// The grade insp gives the judgement the peer's column names.
fn grade_for(r: &Report, column: &str) -> Option<String> {
    let pick = |pred: &dyn Fn(&str) -> bool| {
        r.judgements
            .iter()
            .find(|j| pred(&j.judgement))
            .map(|j| insp::report::Grade::canonical_label(j.grade).to_string())
    };
    match column {
        "overall_effectiveness_grade" => pick(&|j| j == "overall effectiveness"),
        "impact_of_leaders_grade" => pick(&|j| j.starts_with("the impact of leaders")),
        "help_and_protection_grade" => pick(&|j| j.contains("help and protection")),
        "in_care_grade" => pick(&|j| j.contains("children in care")),
        "care_leavers_grade" => pick(&|j| j.ends_with("progress of care leavers")),
        _ => None,
    }
}

#[test]
fn peer_metadata_agreement() {
    let Some(dir) = reports_dev() else { return };
    let csv = std::fs::read_to_string(dir.join("peer-metadata.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut agree: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut disagreements = Vec::new();
    let mut not_printed: BTreeMap<&str, usize> = BTreeMap::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let row: BTreeMap<&str, &str> = header.iter().copied().zip(cells.iter().copied()).collect();
        let file = row["file"];
        let Some(r) = parse_pdf(&dir.join(file)) else { continue };
        let text = insp::extract::text_of(&dir.join(file), &std::fs::read(dir.join(file)).unwrap()).unwrap();
        let prints_publication = text.lines().any(|l| {
            let l = l.trim_start().to_lowercase();
            l.starts_with("published:") || l.starts_with("publication date") || l.starts_with("report published:")
        });
        let mut check = |field: &'static str, peer: Option<String>, ours: Option<String>| {
            // The peer's markers for "nothing extracted" are not values.
            let nothing = ["", "data_unreadable", "inspection_pre_dates_judgement", "not_reported_post_reform"];
            let Some(peer) = peer.filter(|p| !nothing.contains(&p.as_str())) else { return };
            // Full inspection reports do not print their publication date
            // (only the copyright year); insp leaves it null rather than guess.
            if field == "published"
                && ours.is_none()
                && !prints_publication
                && r.report_type.as_str() != "focused_visit"
            {
                *not_printed.entry(field).or_default() += 1;
                return;
            }
            let e = agree.entry(field).or_default();
            e.1 += 1;
            if Some(&peer) == ours.as_ref() {
                e.0 += 1;
            } else if !PEER_WRONG.iter().any(|(f, fld, _)| *f == file && *fld == field) {
                disagreements.push(format!("{file}: {field}: peer {peer:?}, insp {ours:?}"));
            } else {
                e.0 += 1;
            }
        };
        let peer_type = match row["inspection_framework"] {
            "short" => Some("ilacs_short".to_string()),
            "standard" => Some("ilacs".to_string()),
            _ if row["kind"] == "focused-visit" => Some("focused_visit".to_string()),
            _ => None,
        };
        check("type", peer_type, Some(r.report_type.as_str().to_string()));
        let peer_authority = VOCAB.authorities.lookup(row["local_authority"]).map(str::to_string);
        check("authority", peer_authority.or(Some(row["local_authority"].to_string())), r.authority.clone());
        check("published", Some(row["publication_date"].to_string()), r.published.clone());
        check("inspection_start", Some(iso(row["inspection_start_date"])), r.inspection_start.clone());
        check("inspection_end", Some(iso(row["inspection_end_date"])), r.inspection_end.clone());
        check("lead_inspector", Some(row["inspector_name"].to_string()), r.inspectors.first().cloned());
        // ILACS inspections after the 2026 reform give no overall grade.
        if row["overall_effectiveness_grade"] == "not_reported_post_reform" {
            assert_eq!(grade_for(&r, "overall_effectiveness_grade"), None, "{file} has no overall effectiveness grade");
        }
        for col in [
            "overall_effectiveness_grade",
            "impact_of_leaders_grade",
            "help_and_protection_grade",
            "in_care_grade",
            "care_leavers_grade",
        ] {
            check(col, Some(row[col].to_string()), grade_for(&r, col));
        }
    }
    eprintln!("{:<28} {:>6} {:>6} {:>7}", "field", "agree", "of", "%");
    let (mut total_agree, mut total) = (0, 0);
    for (field, (a, n)) in &agree {
        eprintln!("{field:<28} {a:>6} {n:>6} {:>6.1}%", 100.0 * *a as f64 / *n as f64);
        total_agree += a;
        total += n;
    }
    eprintln!("{:<28} {total_agree:>6} {total:>6} {:>6.1}%", "all", 100.0 * total_agree as f64 / total as f64);
    for (field, n) in &not_printed {
        eprintln!("{field}: {n} reports do not print it; insp gives null, the peer has the web page's date");
    }
    for d in &disagreements {
        eprintln!("  {d}");
    }
    assert!(
        total_agree as f64 >= 0.98 * total as f64,
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
