//! `insp parse`: the parser's specification on the five sample reports.
//! Each snapshot was reviewed line by line against its report.

use crate::harness::*;
use insp::report::Report;

fn parse(name: &str) -> Report {
    let env = Env::new();
    env.json(&["parse", corpus(name).to_str().unwrap(), "--format", "json"])
}

fn para(r: &Report, n: u32) -> &insp::report::Paragraph {
    r.paragraphs.iter().find(|p| p.para == n).unwrap_or_else(|| panic!("{} has no paragraph {n}", r.report_id))
}

fn numbers(r: &Report) -> Vec<u32> {
    r.paragraphs.iter().filter(|p| p.numbered).map(|p| p.para).collect()
}

/// What `check` compares of each paragraph: its number, the last heading
/// of its section ("" for none), its grade and its kind.
type Expect<'a> = (u32, &'a str, Option<u8>, &'a str);

/// A parser case: `text` parsed by the binary (`parse --format json` on a
/// file) gives exactly the paragraphs `expect` lists, in order. Returns the
/// report for anything else a case asserts.
fn check(text: &str, expect: &[Expect]) -> Report {
    let env = Env::new();
    let path = env.write("case.txt", text);
    let r: Report = env.json(&["parse", path.to_str().unwrap(), "--format", "json"]);
    let got: Vec<Expect> = r
        .paragraphs
        .iter()
        .map(|p| (p.para, p.section.last().map_or("", String::as_str), p.grade, p.kind.as_str()))
        .collect();
    let texts: Vec<&str> = r.paragraphs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(got, expect, "parsing {text:?}\nparagraphs: {texts:#?}");
    r
}

#[test]
fn snapshots_of_every_sample() {
    let env = Env::new();
    for name in [WAKEFIELD_SLAC, WAKEFIELD_FV, KIRKLEES, WOLVERHAMPTON, DUDLEY] {
        let path = corpus(name);
        let out = env.ok(&["parse", path.to_str().unwrap()], 0).stdout;
        // The source line holds this machine's path; the rest is the spec.
        let out: String = out.lines().filter(|l| !l.starts_with("source ")).map(|l| format!("{l}\n")).collect();
        insta::assert_snapshot!(name, out);
    }
}

#[test]
fn numbered_paragraphs_are_exactly_the_printed_ones() {
    assert_eq!(numbers(&parse(WAKEFIELD_SLAC)), (1..=86).collect::<Vec<_>>());
    assert_eq!(numbers(&parse(WOLVERHAMPTON)), (1..=121).collect::<Vec<_>>());
    assert_eq!(numbers(&parse(KIRKLEES)), (1..=143).collect::<Vec<_>>());
    let dudley = parse(DUDLEY);
    assert_eq!(numbers(&dudley), (1..=19).collect::<Vec<_>>());
    // The appendix paragraphs are unnumbered and numbered on after 19.
    let appendix: Vec<u32> = dudley.paragraphs.iter().filter(|p| !p.numbered).map(|p| p.para).collect();
    assert_eq!(appendix.first(), Some(&20));
    assert_eq!(appendix.len(), 25);
    let fv = parse(WAKEFIELD_FV);
    assert!(numbers(&fv).is_empty());
    assert_eq!(fv.paragraphs.len(), 40);
}

#[test]
fn metadata_comes_from_the_text() {
    let w = parse(WAKEFIELD_SLAC);
    assert_eq!(w.report_id, "wakefield-2011-01-slac");
    assert_eq!(w.report_type.as_str(), "slac");
    assert_eq!(w.authority.as_deref(), Some("Wakefield"));
    assert_eq!(w.inspection_start.as_deref(), Some("2010-12-01"));
    assert_eq!(w.inspection_end.as_deref(), Some("2010-12-14"));
    assert_eq!(w.published.as_deref(), Some("2011-01-26"));
    assert_eq!(w.inspectors, vec!["Marie McGuinness"]);

    let fv = parse(WAKEFIELD_FV);
    assert_eq!(fv.report_id, "wakefield-2020-12-focused-visit");
    assert_eq!(fv.report_type.as_str(), "focused_visit");
    assert_eq!(fv.authority.as_deref(), Some("Wakefield"));
    assert_eq!(
        (fv.inspection_start.as_deref(), fv.inspection_end.as_deref()),
        (Some("2020-11-03"), Some("2020-11-05"))
    );
    assert_eq!(fv.published.as_deref(), Some("2020-12-18"), "the letter's date");
    assert_eq!(fv.inspectors, vec!["Nigel Parkes", "Neil Penswick", "Lorna Schlechte", "Tracey Scott"]);

    let d = parse(DUDLEY);
    assert_eq!(d.report_type.as_str(), "cabinet_report");
    assert_eq!(d.authority.as_deref(), Some("Dudley"));
    assert_eq!((d.inspection_start.as_deref(), d.inspection_end.as_deref()), (Some("2011-11-28"), Some("2011-12-09")));
    assert_eq!(d.published.as_deref(), Some("2012-02-08"), "the cabinet meeting's date");

    let k = parse(KIRKLEES);
    assert_eq!((k.authority.as_deref(), k.published.as_deref()), (Some("Kirklees"), Some("2011-11-18")));
    let wo = parse(WOLVERHAMPTON);
    assert_eq!((wo.authority.as_deref(), wo.inspection_start.as_deref()), (Some("Wolverhampton"), Some("2011-06-06")));
    assert_eq!(wo.inspectors, vec!["Paul d’Inverno"]);
}

#[test]
fn paragraphs_carry_the_grade_of_their_section() {
    let w = parse(WAKEFIELD_SLAC);
    let check = |r: &Report, n: u32, grade: Option<u8>, label: Option<&str>, section: &[&str]| {
        let p = para(r, n);
        assert_eq!((p.grade, p.grade_label.as_deref()), (grade, label), "{}#{n}", r.report_id);
        assert_eq!(p.section, section, "{}#{n}", r.report_id);
    };
    // The grade-scale table gives no section a grade.
    check(&w, 3, None, None, &["The inspection judgements and what they mean"]);
    let outcomes =
        ["Services for looked after children", "How good are outcomes for looked after children and care leavers?"];
    check(&w, 64, Some(3), Some("adequate"), &[outcomes[0], outcomes[1], "Staying safe"]);
    // Areas for improvement is not graded, though it follows a graded section.
    check(&w, 16, None, None, &["Safeguarding services", "Areas for improvement"]);

    let wo = parse(WOLVERHAMPTON);
    // Markdown levels that contradict the hierarchy: ### heading, #### grade.
    check(
        &wo,
        16,
        Some(3),
        Some("adequate"),
        &[
            "Safeguarding services",
            "Safeguarding outcomes for children and young people",
            "Children and young people are safe and feel safe",
        ],
    );

    let k = parse(KIRKLEES);
    check(
        &k,
        117,
        Some(1),
        Some("outstanding"),
        &["Services for looked after children", outcomes[1], "Economic well-being"],
    );

    let d = parse(DUDLEY);
    check(&d, 4, None, None, &["Background"]);
}

/// Each way the samples write a grade, as a parser case of its own (the
/// samples' paragraphs are held by their snapshots).
#[test]
fn grades_in_every_written_form() {
    // Glued, in bold ("Staying safe**Grade 3 (adequate)**", Wakefield).
    check("Staying safe**Grade 3 (adequate)**\n\n1. Children feel safe.", &[(1, "Staying safe", Some(3), "finding")]);
    check(
        "**Enjoying and achieving****Grade 2 (good)**\n\n1. Children achieve well.",
        &[(1, "Enjoying and achieving", Some(2), "finding")],
    );
    // Glued after a space ("… safe **Grade 3 (adequate)**", Wakefield).
    check(
        "The contribution of health agencies to keeping children and young people safe **Grade 3 (adequate)**\n\n1. Text.",
        &[(1, "The contribution of health agencies to keeping children and young people safe", Some(3), "finding")],
    );
    // "Grade (good)" with no number, on the line below (Wakefield).
    check(
        "Ambition and prioritisation\n\nGrade (good)\n\n1. Leaders are ambitious.",
        &[(1, "Ambition and prioritisation", Some(2), "finding")],
    );
    // Heading and grade as two markdown headings (Wolverhampton).
    check(
        "## **Capacity for improvement**\n\n## **Grade 2 (good)**\n\n1. Capacity is good.",
        &[(1, "Capacity for improvement", Some(2), "finding")],
    );
    // "Overall Effectiveness: Grade 3 (Adequate)" on one line (Dudley's appendix).
    check(
        "Overall Effectiveness: Grade 3 (Adequate)\n\nServices are adequate.",
        &[(1, "Overall Effectiveness", Some(3), "finding")],
    );
}

/// Found by the evaluation: a wrapped line starting "2035." before any
/// paragraph number became paragraph 2035, and every unnumbered paragraph
/// after it was numbered from 2036.
#[test]
fn the_first_paragraph_number_is_a_small_one() {
    check(
        "Overview\n\nThe plan runs to\n2035. It is ambitious and widely shared by partners across the area.\n\n1. First paragraph.\n\n2. Second paragraph.\n",
        &[(3, "Overview", None, "summary"), (1, "Overview", None, "summary"), (2, "Overview", None, "summary")],
    );
}

/// A SIF box that states its judgement in a sentence, after a numbered
/// paragraph: a graded heading, not text of the paragraph before.
#[test]
fn a_boxed_judgement_after_a_numbered_paragraph_grades_what_follows() {
    check(
        "Help and protection\n\n1. Children are seen quickly.\n\nThe graded judgement about the experience and progress of care leavers is that it is good\n\n2. Care leavers are supported well.",
        &[
            (1, "Help and protection", None, "finding"),
            (2, "The experience and progress of care leavers", Some(2), "finding"),
        ],
    );
}

/// A focused visit's closing sentence is the framework's, not a finding.
#[test]
fn a_letters_closing_sentence_is_boilerplate() {
    check(
        "Dear Ms Smith\n\nFocused visit to Wakefield children’s services\n\nFindings\n\nSocial workers know their children well.\n\nOfsted will take the findings from this focused visit into account at your next inspection.\n\nYours sincerely",
        &[(1, "Findings", None, "finding"), (2, "Findings", None, "boilerplate")],
    );
}

/// A previous inspection's grades quoted in a list after "… were:" stay
/// in the paragraph that quotes them and are not this report's judgements.
#[test]
fn quoted_previous_grades_stay_in_their_paragraph() {
    let text = "Overall effectiveness\n\n1. At the last inspection, the judgements for the local authority were:\n\nOverall effectiveness: Inadequate\n\nAdoption performance: Requires improvement\n\n2. Since then, services have improved.";
    let r =
        check(text, &[(1, "Overall effectiveness", None, "finding"), (2, "Overall effectiveness", None, "finding")]);
    assert!(r.judgements.is_empty(), "{:?}", r.judgements);
    assert!(
        r.paragraphs[0]
            .text
            .ends_with("were:\n- Overall effectiveness: Inadequate\n- Adoption performance: Requires improvement")
    );
}

#[test]
fn page_breaks_do_not_split_paragraphs() {
    let w = parse(WAKEFIELD_SLAC);
    assert!(para(&w, 8).text.ends_with("37 are young people aged 17 and 146 are care leavers."));
    // The continuation starts with a lower-case word after a page break.
    assert!(para(&w, 12).text.contains("a sharper focus on the core task of safeguarding. There have already been"));
    // A bullet list with a label and a continuation, all one paragraph.
    let p16 = &para(&w, 16).text;
    assert!(p16.starts_with("In order to improve the quality of provision"));
    assert!(p16.contains("\nWithin three months:\n- Ensure that health partners"));
    assert!(p16.ends_with("Working Together to Safeguard Children 2010."));

    let k = parse(KIRKLEES);
    // The continuation after a page break starts with a capital letter.
    assert!(para(&k, 22).text.contains("to front-line staff. The partnership uses its resources very well"));
    assert!(
        para(&k, 22).text.contains("The KSCB provides good oversight of safeguarding issues."),
        "{}",
        para(&k, 22).text
    );

    // In the letter, a bullet continues on the next page with a capital letter.
    let fv = parse(WAKEFIELD_FV);
    let virtual_school = fv.paragraphs.iter().find(|p| p.text.starts_with("Still relatively new in post")).unwrap();
    assert!(
        virtual_school.text.contains("mixed picture. Although there are plans in place to improve the quality of PEPs")
    );
    let next = fv.paragraphs.iter().find(|p| p.para == virtual_school.para + 1).unwrap();
    assert!(next.text.starts_with("Although placement sufficiency is a challenge"));

    // Dudley's unnumbered appendix: a lower-case continuation joins its paragraph.
    let d = parse(DUDLEY);
    assert!(d.paragraphs.iter().any(|p| { p.text.contains("leading to good outcomes. There are good examples") }));
}

#[test]
fn front_matter_tables_and_records_are_not_paragraphs() {
    for name in [WAKEFIELD_SLAC, WAKEFIELD_FV, KIRKLEES, WOLVERHAMPTON, DUDLEY] {
        let r = parse(name);
        for p in &r.paragraphs {
            for bad in [
                "**",
                "<b>",
                "</b>",
                "\\*",
                "](http",
                "Crown copyright",
                "A service that only meets minimum requirements",
                "\t",
            ] {
                assert!(!p.text.contains(bad), "{}#{} contains {bad:?}: {}", r.report_id, p.para, p.text);
            }
            assert!(!p.text.starts_with("Overall effectiveness"), "a record row became {}#{}", r.report_id, p.para);
        }
    }
    let fv = parse(WAKEFIELD_FV);
    assert!(fv.paragraphs[0].text.starts_with("This letter summarises the findings"));
    assert!(fv.paragraphs.last().unwrap().text.starts_with("Ofsted will take the findings"));
    let d = parse(DUDLEY);
    assert!(para(&d, 19).text.ends_with("progress reports."), "the signature block is not part of paragraph 19");
}

#[test]
fn the_record_of_main_findings_gives_judgements_and_the_body_wins() {
    let w = parse(WAKEFIELD_SLAC);
    assert_eq!(w.judgements.len(), 22);
    let find = |name: &str, part: &str| {
        w.judgements
            .iter()
            .find(|j| j.judgement == name && j.section[0] == part)
            .unwrap_or_else(|| panic!("no {name} under {part}"))
    };
    assert_eq!(find("overall effectiveness", "Safeguarding services").grade, 3);
    assert_eq!(find("overall effectiveness", "Services for looked after children").grade, 2);
    // Equality and diversity is only in the table; the table's wrong group
    // header does not move it out of safeguarding.
    let ed = find("equality and diversity", "Safeguarding services");
    assert_eq!((ed.grade, ed.grade_label.as_str()), (2, "good"));
    assert!(
        w.warnings
            .iter()
            .any(|m| m.contains("puts 'Ambition and prioritisation' under 'Services for looked after children'"))
    );

    // Dudley's appendix table grades what its summary does not.
    let d = parse(DUDLEY);
    let enjoying = d.judgements.iter().find(|j| j.judgement == "enjoying and achieving").unwrap();
    assert_eq!((enjoying.grade, enjoying.section[0].as_str()), (1, "Services for looked after children"));
    assert_eq!(d.judgements.len(), 22);
}

#[test]
fn parse_reports_a_missing_file() {
    let env = Env::new();
    let r = env.ok(&["parse", "no-such-report.txt"], 2);
    assert!(r.stderr.contains("cannot read no-such-report.txt"), "{}", r.stderr);
}

/// `parse --lines`: every non-blank line once, with the paragraph it went
/// into or why it was left out.
#[test]
fn every_line_has_a_fate() {
    let env = Env::new();
    let path = corpus(WAKEFIELD_FV);
    let rows: Vec<insp::output::LineFateJson> =
        env.json(&["parse", path.to_str().unwrap(), "--lines", "--format", "json"]);
    let text = std::fs::read_to_string(&path).unwrap();
    let non_blank: Vec<(usize, &str)> =
        text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(i, l)| (i + 1, l.trim())).collect();
    assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), non_blank.iter().map(|l| l.0).collect::<Vec<_>>());
    for (row, (_, line)) in rows.iter().zip(&non_blank) {
        assert_eq!(row.text, *line);
        assert!(row.paragraph.is_some() != row.dropped.is_some(), "{row:?}");
        assert!(!row.dropped.as_deref().unwrap_or("").contains("unaccounted"), "{row:?}");
    }
    let fate = |needle: &str| rows.iter().find(|r| r.text.contains(needle)).unwrap_or_else(|| panic!("{needle}"));
    assert_eq!(fate("Piccadilly Gate").dropped.as_deref(), Some("Ofsted's address"));
    assert_eq!(fate("Dear Ms Wagner").dropped.as_deref(), Some("the letter's address and salutation"));
    assert_eq!(fate("### **Overview**").dropped.as_deref(), Some("a heading (the section of the paragraphs under it)"));
    assert_eq!(fate("This letter summarises the findings").paragraph, Some(1));
    // A paragraph cut over two lines: both lines go into it.
    assert_eq!(fate("Progress made by senior leaders").paragraph, Some(4));
    assert_eq!(fate("children and families. Additional investment").paragraph, Some(4));
    // In text form, one line each.
    let r = env.ok(&["parse", path.to_str().unwrap(), "--lines"], 0);
    assert_eq!(r.stdout.lines().count(), non_blank.len());
    assert!(r.stdout.contains("-      Piccadilly Gate  [Ofsted's address]"), "{}", r.stdout);
}

/// On a real PDF: running headers, page numbers and footnotes are named as such.
#[test]
fn pdf_lines_dropped_by_page_cleaning_say_why() {
    let env = Env::new();
    let pdf =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf/swindon-2014-05-23-inspection.pdf");
    let rows: Vec<insp::output::LineFateJson> =
        env.json(&["parse", pdf.to_str().unwrap(), "--lines", "--format", "json"]);
    let count = |why: &str| rows.iter().filter(|r| r.dropped.as_deref() == Some(why)).count();
    assert!(count("running header or page number") > 10, "{}", count("running header or page number"));
    assert!(count("footnote") >= 1);
    assert!(rows.iter().all(|r| r.paragraph.is_some() || r.dropped.is_some()));
    assert!(!rows.iter().any(|r| r.dropped.as_deref().is_some_and(|d| d.contains("unaccounted"))));
    assert!(rows.iter().filter(|r| r.paragraph.is_some()).count() > 100);
}

/// A letter as plain `pdftotext` writes it: no blank line between
/// paragraphs, so a paragraph whose last line is full runs into the next.
/// A framework's fixed opening starts a paragraph wherever it stands, and a
/// block of prose 2.5 times the letter's median is split where a sentence
/// ends a line, at least three lines from either end, unless the next
/// sentence goes on from it ("Their work …").
#[test]
fn plain_pdftotext_paragraphs_that_run_on_are_split() {
    let env = Env::new();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/text/plain-pdftotext-letter.txt");
    let r: Report = env.json(&["parse", path.to_str().unwrap(), "--format", "json"]);
    let starting = |s: &str| {
        r.paragraphs.iter().find(|p| p.text.starts_with(s)).unwrap_or_else(|| {
            panic!("no paragraph starts {s:?}: {:#?}", r.paragraphs.iter().map(|p| &p.text).collect::<Vec<_>>())
        })
    };
    let front_door = starting("Children in need of help and protection receive a timely response");
    assert!(
        front_door.text.ends_with("applied consistently by staff and partners across the area."),
        "{}",
        front_door.text
    );
    let iro = starting("Independent reviewing officers know the children well");
    assert_eq!(iro.para, front_door.para + 1);
    assert!(iro.text.ends_with("Their work has made a difference to children."), "{}", iro.text);
    assert_eq!(iro.section, ["Headline findings"]);
    let leavers = starting("Most care leavers live in suitable accommodation");
    assert!(leavers.text.ends_with("know them very well."), "{}", leavers.text);
    let closing = starting("Ofsted will take the findings from this focused visit");
    assert_eq!(closing.kind.as_str(), "boilerplate");
    assert_eq!(closing.para, leavers.para + 1);
}
