//! What a paragraph is and where it stands: kinds (boilerplate left out of
//! search by default), judgement keys, pages; and what counts as a report
//! when insp walks a folder.

use crate::harness::*;
use insp::output::SearchJson;
use insp::report::{ParagraphKind, Report};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf").join(name)
}

#[test]
fn boilerplate_is_left_out_of_search_unless_asked_for() {
    let env = Env::new();
    // The 2020 letter's fixed opening sentence is the only paragraph with these words.
    let q = "\"letter summarises the findings\"";
    let r = env.run(&["search", q, "--format", "json"]);
    assert_eq!(r.code, 1, "nothing but boilerplate has the phrase: {}", r.stdout);
    let with: SearchJson = env.json(&["search", q, "--boilerplate", "--format", "json"]);
    assert_eq!(with.hits[0].id, "wakefield-2020-12-focused-visit#1");
    assert_eq!(with.hits[0].kind, ParagraphKind::Boilerplate);
    let only: SearchJson = env.json(&["search", q, "--kind", "boilerplate", "--format", "json"]);
    assert_eq!(only.total, with.total);

    // --kind narrows to the kinds named; text output says what a hit is.
    let recs: SearchJson = env.json(&["search", "supervision", "--kind", "recommendation", "--format", "json"]);
    assert!(!recs.hits.is_empty() && recs.hits.iter().all(|h| h.kind == ParagraphKind::Recommendation));
    let text = env.ok(&["search", "supervision", "--kind", "recommendation", "-n", "1"], 0).stdout;
    assert!(text.lines().nth(1).is_some_and(|l| l.ends_with("· recommendation")), "{text}");

    let bad = env.run(&["search", "supervision", "--kind", "gossip"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr
            .contains("unknown paragraph kind 'gossip'; use finding, summary, recommendation, scope or boilerplate"),
        "{}",
        bad.stderr
    );
}

#[test]
fn hits_from_a_pdf_carry_their_judgement_and_page() {
    let env = Env::new();
    env.ok(&["index", fixture("bristol-2023-03-10-inspection.pdf").to_str().unwrap()], 0);
    let res: SearchJson = env.json(&["search", "\"safeguarding hub\" underutilised", "--format", "json"]);
    let hit = &res.hits[0];
    // Paragraph 2 starts on page 2 of the PDF, under "The experiences and
    // progress of children who need help and protection: requires improvement to be good".
    assert_eq!((hit.para, hit.page_start, hit.page_end), (2, Some(2), Some(2)));
    assert_eq!((hit.judgement.as_deref(), hit.grade), (Some("help_and_protection"), Some(3)));
    assert_eq!(hit.kind, ParagraphKind::Finding);
    let text = env.ok(&["search", "\"safeguarding hub\" underutilised", "-n", "1"], 0).stdout;
    assert!(text.contains("· ¶2 · p. 2"), "{text}");
}

#[test]
fn judgements_have_one_key_across_frameworks() {
    let env = Env::new();
    let keys = |name: &str| -> Vec<(String, u8)> {
        let r: Report = env.json(&["parse", fixture(name).to_str().unwrap(), "--format", "json"]);
        r.judgements.iter().map(|j| (j.key.clone(), j.grade)).collect()
    };
    let k = |pairs: &[(&str, u8)]| pairs.iter().map(|(k, g)| (k.to_string(), *g)).collect::<Vec<_>>();
    assert_eq!(
        keys("bristol-2023-03-10-inspection.pdf"),
        k(&[("help_and_protection", 3), ("in_care", 2), ("care_leavers", 2), ("leaders", 3), ("overall", 3)])
    );
    assert_eq!(
        keys("hampshire-2019-06-11-inspection.pdf"),
        k(&[("help_and_protection", 1), ("in_care", 1), ("leaders", 1), ("overall", 1)])
    );
    // The SLAC's two halves keep their keys apart.
    let r: Report = env.json(&["parse", corpus(KIRKLEES).to_str().unwrap(), "--format", "json"]);
    let slac: Vec<&str> = r.judgements.iter().map(|j| j.key.as_str()).collect();
    assert!(slac.contains(&"overall") && slac.contains(&"lac_overall") && slac.contains(&"lac_economic"), "{slac:?}");
}

#[test]
fn a_folder_is_walked_for_reports_and_a_named_file_is_always_indexed() {
    let env = Env::new();
    env.write("reports/README.md", "# My reports\n\nDownloaded from Ofsted in 2024. Numbered notes follow.\n\n1. Keep the PDFs.\n\n2. Re-run insp index after downloading.\n");
    std::fs::copy(corpus(WAKEFIELD_FV), env.path("reports/wakefield.txt")).unwrap();
    let r = env.ok(&["index", env.path("reports").to_str().unwrap()], 0);
    assert!(r.stderr.contains("indexed 1 report (40 paragraphs)"), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "README.md: does not look like an inspection report (no title or authority found); name the file itself to index it anyway"
        ),
        "{}",
        r.stderr
    );
    // Named on the command line, the same file is indexed, as `other`, with a warning.
    let r = env.ok(&["index", env.path("reports/README.md").to_str().unwrap()], 0);
    assert!(r.stderr.contains("indexed 1 report (2 paragraphs)"), "{}", r.stderr);
    assert!(r.stderr.contains("indexed as 'other'"), "{}", r.stderr);
    let res: SearchJson = env.json(&["search", "downloading", "--format", "json"]);
    assert_eq!(res.hits[0].report_type, "other");
}

#[test]
fn a_trust_is_recorded_beside_its_council_never_instead_of_it() {
    let env = Env::new();
    let parse = |name: &str, text: &str| -> Report {
        let path = env.write(name, text);
        env.json(&["parse", path.to_str().unwrap(), "--format", "json"])
    };
    // The report names the trust more often than the council.
    let r = parse(
        "afc.txt",
        "Inspection of Richmond upon Thames local authority children’s services\n\nInspection dates: 1 to 12 March 2021\n\n\
         Achieving for Children (AfC) provides children’s services for Richmond upon Thames. Achieving for Children has \
         improved. Achieving for Children leads well.\n\n1. Children in Richmond are well supported by AfC.\n",
    );
    assert_eq!(
        (r.authority.as_deref(), r.provider.as_deref()),
        (Some("Richmond upon Thames"), Some("Achieving for Children"))
    );
    // A letter addressed to the trust alone: the council it serves.
    let r = parse(
        "bradford.txt",
        "Bradford Children and Families Trust\n\nDear Ms Smith\n\nFocused visit to Bradford Children and Families Trust\n\n\
         This letter summarises the findings of the focused visit to Bradford Children and Families Trust on 5 and 6 \
         February 2024.\n\nChildren receive help in good time from the trust's social workers across the district.\n\nYours sincerely\n",
    );
    assert_eq!(
        (r.authority.as_deref(), r.provider.as_deref()),
        (Some("Bradford"), Some("Bradford Children and Families Trust"))
    );
    assert_eq!((r.inspection_start.as_deref(), r.inspection_end.as_deref()), (Some("2024-02-05"), Some("2024-02-06")));
    // A title wrapped over two lines keeps the whole name.
    let r = parse(
        "bcp.txt",
        "Inspection of Bournemouth, Christchurch\nand Poole local authority children’s services\n\nInspection dates: 1 to 12 March 2021\n\n\
         1. Children in Bournemouth are well supported.\n",
    );
    assert_eq!(r.authority.as_deref(), Some("Bournemouth, Christchurch and Poole"));
}
