//! Checks over every real report in ../shared/reports-dev, beside the
//! hand-checked gold: what must hold of any parse, on reports no one has
//! checked paragraph by paragraph. Run it alone, with its findings printed,
//! as `cargo test --release --test it corpus_checks -- --nocapture`.

use insp::report::{self, ParagraphKind, Report, ReportType};
use std::collections::{BTreeMap, BTreeSet, HashMap};

fn dev_reports() -> Vec<Report> {
    let Some(dir) = crate::harness::reports_dev() else { return Vec::new() };
    crate::harness::files_in(&dir, "pdf")
        .iter()
        .filter_map(|p| {
            let bytes = std::fs::read(p).unwrap();
            let text = insp::extract::text_of(p, &bytes).ok()?;
            Some(report::parse(&text, &p.file_name().unwrap().to_string_lossy()))
        })
        .collect()
}

/// A section name that reads as a sentence: a paragraph's text taken for a heading.
fn sentence_like(s: &str) -> bool {
    s.split_whitespace().count() > 20 || s.contains(". ") || s.ends_with('.') || s.starts_with(char::is_lowercase)
}

#[test]
fn every_dev_report_parses_to_a_consistent_structure() {
    let reports = dev_reports();
    if reports.is_empty() {
        return;
    }
    assert_eq!(reports.len(), 80, "83 files, 3 of them HTML pages");
    let mut problems: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut texts: HashMap<String, BTreeSet<String>> = HashMap::new();
    for r in &reports {
        let mut say = |what: &'static str, detail: String| {
            problems.entry(what).or_default().push(format!("{}: {detail}", r.source))
        };
        if r.authority.is_none() {
            say("no authority", String::new());
        }
        if r.la_code.is_none() || r.ons_code.is_none() || r.region.is_none() {
            say("no LA code, ONS code or region", format!("{:?}", r.authority));
        }
        if matches!(r.report_type, ReportType::Other | ReportType::CabinetReport) {
            say("not typed as an inspection or visit", r.report_type.as_str().to_string());
        }
        if r.inspection_start.is_none() {
            say("an inspection or visit without its dates", r.report_type.as_str().to_string());
        }
        let mut keys = BTreeSet::new();
        for j in &r.judgements {
            if !keys.insert(&j.key) {
                say("two judgements with one key", j.key.clone());
            }
        }
        for p in &r.paragraphs {
            for s in &p.section {
                if sentence_like(s) {
                    say("a section name that is a sentence", s.clone());
                }
            }
            let under_graded = r.judgements.iter().any(|j| p.section.starts_with(&j.section));
            if under_graded && p.grade.is_none() {
                say("a paragraph under a graded judgement without its grade", format!("¶{}", p.para));
            }
            if p.grade.is_some() != p.judgement.is_some() {
                say("a grade without its judgement key (or the reverse)", format!("¶{}", p.para));
            }
            let norm: String = p
                .text
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if p.kind != ParagraphKind::Boilerplate && norm.len() > 40 {
                texts.entry(norm).or_default().insert(r.source.clone());
            }
        }
    }
    for (text, sources) in &texts {
        if sources.len() >= 5 {
            problems.entry("the same text in 5 or more reports, not marked boilerplate").or_default().push(format!(
                "{} reports: {}",
                sources.len(),
                &text[..text.len().min(100)]
            ));
        }
    }
    let n_paragraphs: usize = reports.iter().map(|r| r.paragraphs.len()).sum();
    let n_boilerplate: usize =
        reports.iter().flat_map(|r| &r.paragraphs).filter(|p| p.kind == ParagraphKind::Boilerplate).count();
    eprintln!("{} reports, {n_paragraphs} paragraphs, {n_boilerplate} boilerplate", reports.len());
    for (what, list) in &problems {
        eprintln!("{what}: {}", list.len());
        for p in list.iter().take(10) {
            eprintln!("  {p}");
        }
    }
    assert!(problems.is_empty(), "{} kinds of problem (see above)", problems.len());
}

/// What a report says of itself, as compared across converters: type,
/// authority, provider, dates and every judgement's key and grade.
fn facts(r: &Report) -> String {
    let m = &r.meta;
    let mut judgements: Vec<(&str, u8)> = m.judgements.iter().map(|j| (j.key.as_str(), j.grade)).collect();
    judgements.sort();
    format!(
        "{} {:?} {:?} {:?}..{:?} published {:?} {judgements:?}",
        m.report_type.as_str(),
        m.authority,
        m.provider,
        m.inspection_start,
        m.inspection_end,
        m.published
    )
}

/// Every dev PDF converted by `pdftotext` (plain and `-layout`) reads as the
/// same report as the PDF itself: the same type, authority, dates and
/// judgements, on all 80 (the paragraphs are scored by the gold).
#[test]
fn pdftotext_text_reads_as_the_same_report_as_the_pdf() {
    let Some(dir) = crate::harness::reports_dev() else { return };
    let files = crate::harness::files_in(&dir, "pdf");
    let next = std::sync::atomic::AtomicUsize::new(0);
    let differences = std::sync::Mutex::new(Vec::new());
    let compared = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(pdf) = files.get(i) else { break };
                    let name = pdf.file_name().unwrap().to_string_lossy().to_string();
                    let Ok(text) = insp::extract::text_of(pdf, &std::fs::read(pdf).unwrap()) else { continue };
                    let from_pdf = facts(&report::parse(&text, &name));
                    for args in [&[][..], &["-layout"][..]] {
                        let out = std::process::Command::new("pdftotext")
                            .args(args)
                            .arg(pdf)
                            .arg("-")
                            .output()
                            .expect("pdftotext runs (Debian: poppler-utils; .ci/run installs it)");
                        let text = String::from_utf8_lossy(&out.stdout);
                        let as_text = format!("{}.txt", name.trim_end_matches(".pdf"));
                        let from_text = facts(&report::parse(&text, &as_text));
                        if from_text != from_pdf {
                            differences
                                .lock()
                                .unwrap()
                                .push(format!("{name} (pdftotext {args:?}):\n  PDF:  {from_pdf}\n  text: {from_text}"));
                        }
                    }
                    compared.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
    });
    let differences = differences.into_inner().unwrap();
    assert_eq!(compared.into_inner(), 80, "83 files, 3 of them HTML pages");
    assert!(differences.is_empty(), "{} texts read otherwise:\n{}", differences.len(), differences.join("\n"));
}
