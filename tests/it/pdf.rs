//! Real PDFs (tests/fixtures/pdf): extraction, parsing and indexing. Each
//! snapshot is the parse of one framework's report, reviewed against the PDF.

use crate::harness::*;
use insp::output::SearchJson;
use insp::report::Report;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf").join(name)
}

fn parse(env: &Env, name: &str) -> Report {
    env.json(&["parse", fixture(name).to_str().unwrap(), "--format", "json"])
}

fn judgements(r: &Report) -> Vec<(String, u8)> {
    r.judgements.iter().map(|j| (j.judgement.clone(), j.grade)).collect()
}

#[test]
fn snapshots_of_one_report_per_framework() {
    let env = Env::new();
    for name in [
        "bristol-2023-03-10-inspection.pdf",
        "hampshire-2019-06-11-inspection.pdf",
        "swindon-2014-05-23-inspection.pdf",
        "medway-2013-08-23-inspection.pdf",
        "barnsley-2023-03-01-focused-visit.pdf",
    ] {
        let out = env.ok(&["parse", fixture(name).to_str().unwrap()], 0).stdout;
        let out: String = out.lines().filter(|l| !l.starts_with("source ")).map(|l| format!("{l}\n")).collect();
        insta::assert_snapshot!(name, out);
    }
}

#[test]
fn ilacs_judgement_table_and_sections() {
    let env = Env::new();
    let r = parse(&env, "bristol-2023-03-10-inspection.pdf");
    assert_eq!((r.report_type.as_str(), r.authority.as_deref()), ("ilacs", Some("Bristol")));
    assert_eq!((r.inspection_start.as_deref(), r.inspection_end.as_deref()), (Some("2023-01-16"), Some("2023-01-27")));
    assert_eq!(r.inspectors, ["Tracey Ledder"]);
    assert_eq!(r.published, None, "the report does not print its publication date");
    assert_eq!(
        judgements(&r),
        [
            ("the experiences and progress of children who need help and protection".to_string(), 3),
            ("the experiences and progress of children in care".to_string(), 2),
            ("the experiences and progress of care leavers".to_string(), 2),
            ("the impact of leaders on social work practice with children and families".to_string(), 3),
            ("overall effectiveness".to_string(), 3),
        ]
    );
    let numbered: Vec<u32> = r.paragraphs.iter().filter(|p| p.numbered).map(|p| p.para).collect();
    assert_eq!(numbered, (1..=62).collect::<Vec<_>>());
    let p4 = r.paragraphs.iter().find(|p| p.para == 4 && p.numbered).unwrap();
    assert_eq!(p4.section, ["The experiences and progress of children who need help and protection"]);
    assert_eq!((p4.grade, p4.grade_label.as_deref()), (Some(3), Some("requires improvement to be good")));
    // Paragraph 4 runs over a page break: the running header is not in it.
    assert!(
        p4.text.contains("The local authority decides at these meetings if the information reaches the threshold"),
        "{}",
        p4.text
    );
    for p in &r.paragraphs {
        assert!(!p.text.contains("Inspection of Bristol local authority"), "running header in #{}", p.para);
        assert!(!p.text.contains("January 2023  "), "page footer in #{}", p.para);
    }
}

#[test]
fn other_frameworks() {
    let env = Env::new();
    let h = parse(&env, "hampshire-2019-06-11-inspection.pdf");
    assert_eq!(h.report_type.as_str(), "ilacs_short", "a one-week inspection");
    assert_eq!(judgements(&h).iter().filter(|(_, g)| *g == 1).count(), 4);

    let s = parse(&env, "swindon-2014-05-23-inspection.pdf");
    assert_eq!(s.report_type.as_str(), "sif");
    assert_eq!(s.published.as_deref(), Some("2014-05-23"));
    assert_eq!(s.inspectors, ["Sean Tarpey"]);
    let sj = judgements(&s);
    assert!(sj.contains(&("overall effectiveness".to_string(), 3)), "{sj:?}");
    // The LSCB's grade is its part's ("Section 2: The effectiveness of the
    // local safeguarding children board" + "… is good"), under one key.
    let keys: Vec<(&str, u8)> = s.judgements.iter().map(|j| (j.key.as_str(), j.grade)).collect();
    assert_eq!(
        keys,
        [
            ("overall", 3),
            ("help_and_protection", 3),
            ("in_care", 3),
            ("adoption", 2),
            ("care_leavers", 3),
            ("leaders", 3),
            ("lscb", 2)
        ]
    );
    let lscb: Vec<_> = s.paragraphs.iter().filter(|p| p.judgement.as_deref() == Some("lscb")).collect();
    assert!(
        lscb.len() >= 10 && lscb.iter().all(|p| p.grade == Some(2)),
        "the LSCB review's paragraphs carry its grade"
    );
    assert!(sj.contains(&("adoption performance".to_string(), 2)), "{sj:?}");

    let m = parse(&env, "medway-2013-08-23-inspection.pdf");
    assert_eq!((m.report_type.as_str(), m.published.as_deref()), ("lac", Some("2013-08-23")));
    assert!(judgements(&m).contains(&("capacity to improve".to_string(), 3)));

    let b = parse(&env, "barnsley-2023-03-01-focused-visit.pdf");
    assert_eq!(
        (b.report_type.as_str(), b.authority.as_deref(), b.published.as_deref()),
        ("focused_visit", Some("Barnsley"), Some("2023-03-01"))
    );
    assert!(b.judgements.is_empty());
    for p in &b.paragraphs {
        assert!(!p.text.contains("Piccadilly Gate") && !p.text.contains("0300 123 1231"), "address in #{}", p.para);
    }
}

#[test]
fn a_folder_of_pdfs_is_indexed_and_searched() {
    let env = Env::new();
    let r = env.ok(&["index", fixture("").to_str().unwrap()], 0);
    // Five reports, one per framework, and the PDF with an owner password only.
    assert!(r.stderr.contains("indexed 6 reports"), "{}", r.stderr);
    assert!(r.stderr.contains("5 skipped"), "{}", r.stderr);
    for refused in [
        "encrypted-user-password.pdf: PDF: encrypted",
        "no-text-layer.pdf: PDF: no text layer",
        "fuzz-parent-cycle.pdf: PDF: damaged",
    ] {
        assert!(r.stderr.contains(refused), "{refused}: {}", r.stderr);
    }
    assert!(
        r.stderr.contains("blackpool-2012-07-13-inspection.pdf: an HTML page, not a report (a failed download?)"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("README.md: does not look like an inspection report"), "{}", r.stderr);

    let res: SearchJson = env.json(&["search", "private fostering", "--authority", "Bristol", "--format", "json"]);
    let top = &res.hits[0];
    assert_eq!(top.report_id, "bristol-2023-01-ilacs");
    assert!(
        top.text.to_lowercase().contains("private fostering") || top.text.to_lowercase().contains("privately fostered")
    );
    let res: SearchJson = env.json(&["search", "adoption", "--type", "sif", "--grade", "good", "--format", "json"]);
    assert!(!res.hits.is_empty());
    assert!(res.hits.iter().all(|h| h.authority.as_deref() == Some("Swindon") && h.grade == Some(2)));
}

#[test]
fn bad_pdfs_are_refused_with_a_reason() {
    let env = Env::new();
    let real = std::fs::read(fixture("barnsley-2023-03-01-focused-visit.pdf")).unwrap();
    env.write("bad/truncated.pdf", &real[..real.len() / 2]);
    env.write("bad/noise.pdf", b"%PDF-1.7\n\x00\x01\x02 garbage that is not a PDF body");
    env.write("bad/renamed.pdf", b"PK\x03\x04 a zip file renamed");
    env.write("bad/good.txt", std::fs::read(corpus(WAKEFIELD_FV)).unwrap());
    let r = env.ok(&["index", "bad"], 0);
    assert!(r.stderr.contains("indexed 1 report"), "{}", r.stderr);
    assert!(r.stderr.contains("truncated.pdf: PDF:"), "{}", r.stderr);
    assert!(r.stderr.contains("noise.pdf: PDF:"), "{}", r.stderr);
    assert!(r.stderr.contains("renamed.pdf: PDF: not a PDF"), "{}", r.stderr);
}

/// A minimal PDF whose page has no MediaBox: pdf-extract panics on it
/// (`expect("MediaBox")`).
fn pdf_without_mediabox() -> Vec<u8> {
    let stream = "BT /F1 12 Tf 72 712 Td (Hello report text) Tj ET";
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1));
    for o in offsets {
        out.push_str(&format!("{o:010} 00000 n \n"));
    }
    out.push_str(&format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objs.len() + 1));
    out.into_bytes()
}

#[test]
fn a_panic_in_the_pdf_reader_skips_that_file_only() {
    let env = Env::new();
    env.write("mixed/odd.pdf", pdf_without_mediabox());
    env.write("mixed/good.txt", std::fs::read(corpus(WAKEFIELD_FV)).unwrap());
    let r = env.ok(&["index", "mixed"], 0);
    assert!(r.stderr.contains("indexed 1 report"), "{}", r.stderr);
    assert!(r.stderr.contains("odd.pdf: PDF: the PDF reader failed on this file"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "no panic message leaks: {}", r.stderr);
    let r = env.ok(&["parse", "mixed/odd.pdf"], 2);
    assert!(r.stderr.contains("cannot parse mixed/odd.pdf: PDF: the PDF reader failed"), "{}", r.stderr);
}

/// Found by `cargo fuzz run pdf`: a page whose /Parent link points back at
/// itself sent the PDF reader round the loop for ever. The file is refused
/// with a reason, promptly, and the good file beside it is indexed.
#[test]
fn a_pdf_whose_pages_are_their_own_parents_does_not_hang() {
    let env = Env::new();
    env.write("loop/cycle.pdf", std::fs::read(fixture("fuzz-parent-cycle.pdf")).unwrap());
    env.write("loop/good.txt", std::fs::read(corpus(WAKEFIELD_FV)).unwrap());
    let out = output_within(env.cmd().args(["index", "loop"]), 120);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("indexed 1 report"), "{stderr}");
    assert!(
        stderr.contains("cycle.pdf: PDF: damaged PDF: 1 of its 2 pages could not be read and the others hold no text"),
        "{stderr}"
    );
}

/// An encrypted PDF that needs a password to open is refused with what to
/// do; one with only an owner password opens as any other; a PDF with no
/// text layer (a scan) is refused with what to do. The good file beside
/// them is indexed.
#[test]
fn encrypted_and_textless_pdfs() {
    let env = Env::new();
    for name in ["encrypted-user-password.pdf", "encrypted-owner-only.pdf", "no-text-layer.pdf"] {
        env.write(&format!("mixed/{name}"), std::fs::read(fixture(name)).unwrap());
    }
    env.write("mixed/good.txt", std::fs::read(corpus(WAKEFIELD_FV)).unwrap());
    let r = env.ok(&["index", "mixed"], 0);
    assert!(r.stderr.contains("indexed 2 reports"), "{}", r.stderr);
    assert!(
        r.stderr.contains("encrypted-user-password.pdf: PDF: encrypted with a password; save an unprotected copy"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("no-text-layer.pdf: PDF: no text layer (a scanned PDF? run OCR on it first)"),
        "{}",
        r.stderr
    );
    let opened = parse(&env, "encrypted-owner-only.pdf");
    assert_eq!(opened.authority.as_deref(), Some("Wakefield"));
    assert_eq!(opened.paragraphs.iter().filter(|p| p.numbered).count(), 3);
}

/// Every content stream of the fixtures and the real reports (pages and
/// form XObjects) is read by the patched pdf-extract's own reader, none
/// left to lopdf's slower parser, into the operations lopdf reads.
#[test]
fn content_streams_read_as_lopdf_reads_them() {
    use pdf_extract::content::compare_with_lopdf;
    let mut files = files_in(&fixture(""), "pdf");
    files.extend(reports_dev().map(|dev| files_in(&dev, "pdf")).unwrap_or_default());
    let (mut streams, mut fast) = (0, 0);
    for path in &files {
        let Ok(doc) = pdf_extract::Document::load(path) else { continue };
        let pages = doc.get_pages().into_values().filter_map(|id| doc.get_page_content(id).ok());
        let forms = doc
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .filter(|s| s.dict.get(b"Subtype").and_then(|t| t.as_name()).is_ok_and(|t| t == b"Form"));
        for data in pages.chain(forms.filter_map(|s| s.decompressed_content().ok().or(Some(s.content.clone())))) {
            streams += 1;
            let Some(compared) = compare_with_lopdf(&data) else { continue };
            fast += 1;
            if let Err(e) = compared {
                panic!("{}: {e}", path.display());
            }
        }
    }
    eprintln!("{fast} of {streams} content streams read without lopdf's parser");
    assert!(streams > 0 && fast == streams, "{fast} of {streams}");
}
